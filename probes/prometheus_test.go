package probes

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/model"
)

func kiadaPrediction() *model.Prediction {
	return &model.Prediction{Service: "default/kiada", Endpoints: []model.EndpointShare{
		{Pod: "default/kiada-001", IP: "10.0.0.5", Share: 0.5},
		{Pod: "default/kiada-002", IP: "10.0.0.6", Share: 0.25},
		{Pod: "default/kiada-003", IP: "10.0.0.7", Share: 0.25},
	}}
}

// prometheusLike answers /prefix/api/v1/query with body and code, and
// records the query it was sent.
func prometheusLike(t *testing.T, code int, body string, gotQuery *string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/prom/api/v1/query" {
			http.NotFound(w, r)
			return
		}
		*gotQuery = r.URL.Query().Get("query")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/prom/"
}

func TestPrometheusRates(t *testing.T) {
	vector := `{"status":"success","data":{"resultType":"vector","result":[
		{"metric":{"pod":"kiada-001","namespace":"default"},"value":[1700000000,"12.5"]},
		{"metric":{"pod":"kiada-002"},"value":[1700000000,"2"]},
		{"metric":{"pod":"kiada-002"},"value":[1700000000,"1"]}]}}`
	tests := []struct {
		name   string
		code   int
		body   string
		promql string
		want   map[string]float64
		query  string
		window float64
		err    string
		errIs  error
	}{
		{name: "vector by pod", code: 200, body: vector,
			want:  map[string]float64{"default/kiada-001": 12.5, "default/kiada-002": 3},
			query: `sum by (pod) (rate(http_requests_total{namespace="default"}[2m]))`, window: 120},
		{name: "template fields", code: 200, body: vector, promql: `sum by (pod) (rate(reqs{service="{{.Name}}",pod=~"{{.Pods}}"}[5m:1m]))`,
			want:  map[string]float64{"default/kiada-001": 12.5, "default/kiada-002": 3},
			query: `sum by (pod) (rate(reqs{service="kiada",pod=~"kiada-001|kiada-002|kiada-003"}[5m:1m]))`, window: 300},
		{name: "empty", code: 200, body: `{"status":"success","data":{"resultType":"vector","result":[]}}`, errIs: ErrNoSeries},
		{name: "error response", code: 400, body: `{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected"}`, err: "bad_data: 1:5: parse error"},
		{name: "matrix", code: 200, body: `{"status":"success","data":{"resultType":"matrix","result":[]}}`, err: "instant vector"},
		{name: "no pod label", code: 200, body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"3"]}]}}`, err: "sum by (pod)"},
		{name: "not prometheus", code: 502, body: `<html>bad gateway</html>`, err: "answered 502"},
		{name: "bad template", code: 200, body: vector, promql: `{{.Nope}}`, err: "--promql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			u := prometheusLike(t, tt.code, tt.body, &got)
			rates, sum, err := Prometheus{URL: u, Query: tt.promql}.Rates(context.Background(), kiadaPrediction())
			if tt.err != "" || tt.errIs != nil {
				if err == nil || (tt.err != "" && !strings.Contains(err.Error(), tt.err)) || (tt.errIs != nil && !errors.Is(err, tt.errIs)) {
					t.Fatalf("error %v, want %q / %v", err, tt.err, tt.errIs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(rates) != fmt.Sprint(tt.want) {
				t.Errorf("rates %v, want %v", rates, tt.want)
			}
			if got != tt.query || sum.Query != tt.query || sum.WindowSeconds != tt.window {
				t.Errorf("query sent %q (summary %q, window %v), want %q (%v)", got, sum.Query, sum.WindowSeconds, tt.query, tt.window)
			}
		})
	}
}

func TestPrometheusBadURL(t *testing.T) {
	if _, _, err := (Prometheus{URL: "localhost:9090"}).Rates(context.Background(), kiadaPrediction()); err == nil || !strings.Contains(err.Error(), "not an http(s) URL") {
		t.Errorf("error %v", err)
	}
}

func TestExpandQuery(t *testing.T) {
	v := QueryVars{Namespace: "shop", Name: "web", Service: "shop/web", Pods: "web-1|web-2"}
	tests := []struct{ in, want, err string }{
		{`rate(x{namespace="{{.Namespace}}",service="{{ .Name }}"}[1m])`, `rate(x{namespace="shop",service="web"}[1m])`, ""},
		{`{{.Service}} {{.Pods}}{{.Pods}}`, `shop/web web-1|web-2web-1|web-2`, ""},
		{`no fields at all`, `no fields at all`, ""},
		{`{{.Nope}}`, "", "unknown field {{.Nope}}"},
		{`{{printf "%s" .Name}}`, "", "unknown field"},
		{`x{{.Name`, "", `unclosed "{{"`},
		{`x}}{{.Name}}`, "", `"}}" without "{{"`},
		{`{{.Name}} }}`, "", `"}}" without "{{"`},
	}
	for _, tt := range tests {
		got, err := expandQuery(tt.in, v)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("expandQuery(%q) = %q, %v; want error %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("expandQuery(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
