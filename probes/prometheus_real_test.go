package probes

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/ktraffic/ktraffic/internal/promtest"
)

// TestPresetsAgainstRealPrometheus runs every preset's query against a
// real Prometheus server scraping a loopback exporter whose counters grow
// 55/22.5/22.5 per second on kiada's three pods.
func TestPresetsAgainstRealPrometheus(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Prometheus server")
	}
	srv, err := promtest.Start(promtest.Kiada())
	if errors.Is(err, promtest.ErrNotInstalled) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	client, err := (&PrometheusHTTPConfig{}).Client()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"default/kiada-001": .55, "default/kiada-002": .225, "default/kiada-003": .225}
	for _, preset := range Presets {
		t.Run(preset.Name, func(t *testing.T) {
			p := preset
			q := Prometheus{URL: srv.URL, Preset: &p, Client: client}
			rates, sum, err := q.Rates(context.Background(), kiadaPrediction())
			if err != nil {
				t.Fatal(err)
			}
			if sum.Preset != p.Name || sum.WindowSeconds != 120 {
				t.Errorf("summary %+v", sum)
			}
			// The server has seconds of data, not the query's two
			// minutes: rate() divides by the window, so absolute rates
			// come out low while their ratios are exact.
			if p.TotalOnly {
				if rates != nil || sum.TotalRate <= 0 {
					t.Errorf("total only: rates %v, total %v", rates, sum.TotalRate)
				}
				return
			}
			var total float64
			for _, r := range rates {
				total += r
			}
			if len(rates) != len(want) || total <= 0 {
				t.Fatalf("rates %v, want 3 pods with traffic", rates)
			}
			for pod, share := range want {
				if got := rates[pod] / total; math.Abs(got-share) > .01 {
					t.Errorf("%s: share %.3f, want %.3f", pod, got, share)
				}
			}
		})
	}
}
