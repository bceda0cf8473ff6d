package report

import (
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/model"
)

func f64(v float64) *float64 { return &v }

func TestTableShowsObservedBesidePredicted(t *testing.T) {
	p := &model.Prediction{
		Service: "default/kiada", Type: "LoadBalancer", Source: model.TrafficSource{Kind: model.SourceLB},
		Settings: model.Settings{ExternalTrafficPolicy: "Local", SessionAffinity: "None", LBMode: "nodes"},
		Endpoints: []model.EndpointShare{
			{Pod: "default/kiada-001", IP: "10.0.0.5", Node: "node-a", Ready: true, Serving: true, Share: .5, ObservedShare: f64(.31), ObservedLevel: model.GapDegraded},
			{Pod: "default/kiada-002", IP: "10.0.1.7", Node: "node-b", Ready: true, Serving: true, Share: .5},
		},
		Observed: &model.ObservedSummary{Source: "prometheus", PodsWithData: 1, MaxGap: .19, Level: model.GapDegraded,
			Explanations: []string{"connection reuse"}},
	}
	var b strings.Builder
	if err := Table(&b, p); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"OBSERVED", "31.0%", "degraded", "no data", "largest gap 19.0 pts (degraded)", "likely: connection reuse"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing spaces in %q", line)
		}
	}
}

func TestBar(t *testing.T) {
	tests := []struct {
		share float64
		want  string
	}{
		{0, ""},
		{1, strings.Repeat("█", 20)},
		{.5, strings.Repeat("█", 10)},
		{1.0 / 3, "██████▋"},
		{0.001, "▏"},
	}
	for _, tt := range tests {
		if got := Bar(tt.share, 20); got != tt.want {
			t.Errorf("Bar(%v) = %q, want %q", tt.share, got, tt.want)
		}
	}
}
