package probes

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/rest"
)

// podsAPIServer serves pods/proxy like the API server, each pod's /metrics
// from a list of answers, one per scrape (the last repeats).
func podsAPIServer(t *testing.T, answers map[string][]string) *APIServer {
	t.Helper()
	var mu sync.Mutex
	calls := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// /api/v1/namespaces/NS/pods/NAME:PORT/proxy/metrics
		rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/namespaces/default/pods/")
		name, _, _ := strings.Cut(rest, ":")
		if !ok || !strings.HasSuffix(r.URL.Path, ":9100/proxy/metrics") {
			http.NotFound(w, r)
			return
		}
		if name == "kiada-003" {
			apiStatus(w, 403, "Forbidden", `pods "kiada-003" is forbidden: cannot get resource "pods/proxy"`)
			return
		}
		mu.Lock()
		list := answers[name]
		i := min(calls[name], len(list)-1)
		calls[name]++
		mu.Unlock()
		w.Header().Set("Content-Type", textFormat)
		fmt.Fprint(w, list[i])
	}))
	t.Cleanup(srv.Close)
	tr, err := NewAPIServer(&rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestScraperRates(t *testing.T) {
	tr := podsAPIServer(t, map[string][]string{
		"kiada-001": {
			"# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\"} 100\nhttp_requests_total{code=\"500\"} 4\n",
			"# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\"} 120\nhttp_requests_total{code=\"500\"} 4\n",
		},
		// Restarted between scrapes: the counter went from 5000 to 10.
		"kiada-002": {
			"# TYPE http_requests_total counter\nhttp_requests_total 5000\n",
			"# TYPE http_requests_total counter\nhttp_requests_total 10\n",
		},
	})
	s := Scraper{Transport: tr, Port: 9100, Interval: 200 * time.Millisecond}
	rates, sum, err := s.Rates(context.Background(), PodTargets(kiadaPrediction()))
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != 2 {
		t.Fatalf("rates %v, want kiada-001 and kiada-002", rates)
	}
	// Increases 20 and 10 over roughly the interval: the ratio is exact
	// even though the elapsed time is not.
	if r := rates["default/kiada-001"] / rates["default/kiada-002"]; r < 1.8 || r > 2.2 {
		t.Errorf("rates %v: want kiada-001 at twice kiada-002 (reset counted from zero)", rates)
	}
	// At most 20 over the 0.2s interval; a loaded machine stretches the time.
	if got := rates["default/kiada-001"]; got <= 0 || got > 20/0.19 {
		t.Errorf("kiada-001 rate %.1f/s, want up to 100/s", got)
	}
	if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], "kiada-003") || !strings.Contains(sum.Warnings[0], "pods/proxy") {
		t.Errorf("warnings %q, want one naming kiada-003's refused pods/proxy", sum.Warnings)
	}
	if sum.Source != "scrape" || sum.WindowSeconds != 0.2 {
		t.Errorf("summary %+v", sum)
	}
}

func TestScraperFailsWhenNothingScrapes(t *testing.T) {
	tr := podsAPIServer(t, map[string][]string{"kiada-001": {"up 1\n"}, "kiada-002": {"up 1\n"}})
	_, _, err := Scraper{Transport: tr, Port: 9100, Interval: time.Millisecond}.Rates(context.Background(), PodTargets(kiadaPrediction()))
	if err == nil || !strings.Contains(err.Error(), "no pod could be scraped") {
		t.Errorf("error %v", err)
	}
	if _, _, err := (Scraper{Transport: tr}).Rates(context.Background(), nil); err == nil {
		t.Errorf("no port: want an error")
	}
}
