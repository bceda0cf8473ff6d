package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
)

func TestObservedAttachFromPrometheus(t *testing.T) {
	var query string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Query().Get("query")
		fmt.Fprint(w, `{"status":"success","data":{"resultType":"vector","result":[
			{"metric":{"pod":"web-7d4b9c-x2k8p","namespace":"shop"},"value":[1700000000,"42"]}]}}`)
	}))
	defer srv.Close()

	a := newFactory(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	a.files = []string{repoRoot + "/probes/testdata/loopback-local.yaml"}
	snap, err := a.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p, err := model.Predict(snap, model.Request{Service: "shop/web"})
	if err != nil {
		t.Fatal(err)
	}
	var o observedOptions
	cmd := &cobra.Command{}
	o.addFlags(cmd)
	if err := cmd.ParseFlags([]string{"--prometheus", srv.URL}); err != nil {
		t.Fatal(err)
	}
	if err := o.attach(context.Background(), a, snap, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(query, `namespace="shop"`) {
		t.Errorf("query %q", query)
	}
	if p.Observed == nil || p.Observed.TotalRate != 42 || p.Observed.Level != model.GapHealthy {
		t.Fatalf("observed %+v", p.Observed)
	}
	if e := p.Endpoints[0]; e.ObservedShare == nil || *e.ObservedShare != 1 {
		t.Errorf("endpoint %+v", e)
	}

	o = observedOptions{}
	if err := o.attach(context.Background(), a, snap, p); err != nil || p.Observed == nil {
		t.Errorf("no metrics source must leave the prediction alone: %v", err)
	}
	o = observedOptions{prometheus: srv.URL, scrape: true}
	if err := o.attach(context.Background(), a, snap, p); err == nil {
		t.Errorf("--prometheus with --scrape-metrics: want a usage error")
	}
}
