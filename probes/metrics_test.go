package probes

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

const textFormat = "text/plain; version=0.0.4; charset=utf-8"

func TestCounterSeries(t *testing.T) {
	tests := []struct {
		name, body, contentType, metric string
		want                            map[string]float64
		errIs                           error
		err                             string
	}{
		{
			name: "typed counter with labels",
			body: `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{code="200",method="get"} 1027
http_requests_total{method="get",code="500"} 3
# TYPE other_total counter
other_total 9
`,
			contentType: textFormat, metric: "http_requests_total",
			want: map[string]float64{"code=200,method=get": 1027, "code=500,method=get": 3},
		},
		{
			name: "untyped, named without _total, NaN skipped",
			body: "requests_total 5\nrequests_total{path=\"/x\"} NaN\n", contentType: "", metric: "requests",
			want: map[string]float64{"": 5},
		},
		{
			name:        "openmetrics drops _total from the family",
			body:        "# TYPE http_requests counter\nhttp_requests_total{code=\"200\"} 7\n# EOF\n",
			contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8", metric: "http_requests_total",
			want: map[string]float64{"code=200": 7},
		},
		{name: "gauge is not a counter", body: "# TYPE http_requests_total gauge\nhttp_requests_total 4\n", contentType: textFormat, metric: "http_requests_total", want: map[string]float64{}},
		{name: "missing family", body: "up 1\n", contentType: textFormat, metric: "http_requests_total", errIs: ErrNoMetric},
		{name: "garbage", body: "http_requests_total{code=\"200\" 1\n", contentType: textFormat, metric: "http_requests_total", err: "parsing metrics"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CounterSeries([]byte(tt.body), tt.contentType, tt.metric)
			if tt.errIs != nil || tt.err != "" {
				if err == nil || (tt.errIs != nil && !errors.Is(err, tt.errIs)) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %v %q", err, tt.errIs, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("series %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("series %q = %v, want %v (all: %v)", k, got[k], v, got)
				}
			}
		})
	}
}

func TestIncrease(t *testing.T) {
	tests := []struct {
		name          string
		before, after map[string]float64
		want          float64
	}{
		{"plain growth", map[string]float64{"a": 10, "b": 5}, map[string]float64{"a": 30, "b": 5}, 20},
		{"reset counts from zero", map[string]float64{"a": 1000}, map[string]float64{"a": 40}, 40},
		{"new series counts from zero", map[string]float64{"a": 1}, map[string]float64{"a": 2, "b": 6}, 7},
		{"vanished series counts nothing", map[string]float64{"a": 1, "b": 9}, map[string]float64{"a": 2}, 1},
	}
	for _, tt := range tests {
		if got := Increase(tt.before, tt.after); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// FuzzCounterSeries feeds arbitrary /metrics answers to the parsing path:
// it must never panic, and what it returns must be usable for rates.
func FuzzCounterSeries(f *testing.F) {
	f.Add([]byte("# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\"} 1027 1700000000000\n"), textFormat)
	f.Add([]byte("http_requests_total +Inf\nhttp_requests_total{a=\"b\\n\"} -1e300\n"), "")
	f.Add([]byte("# TYPE http_requests counter\nhttp_requests_total 3\n# EOF\n"), "application/openmetrics-text; version=1.0.0")
	f.Add([]byte("\x0a\x15\x0a\x13http_requests_total"), "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		series, err := CounterSeries(body, contentType, "http_requests_total")
		if err != nil {
			return
		}
		for k, v := range series {
			if math.IsNaN(v) {
				t.Fatalf("series %q is NaN", k)
			}
		}
		_ = Increase(series, series)
	})
}

// TestCounterSeriesRefusesOversizedClaims: a protobuf answer whose length
// prefix claims far more than it holds is refused before anything is
// allocated for it (the fuzzer found the decoder allocating the claim).
func TestCounterSeriesRefusesOversizedClaims(t *testing.T) {
	const proto = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
	tests := []struct {
		name, body, want string
	}{
		{"claims 20 GB", "\xd2\xd2\xd2\xd2\x52", "claims"},
		{"claims one byte more", "\x03ab", "claims 3 bytes where 2 remain"},
		{"length cut short", "\xd2\xd2", "malformed protobuf length prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := CounterSeries([]byte(tt.body), proto, "http_requests_total")
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one saying %q", err, tt.want)
			}
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
				t.Errorf("allocated %d bytes for a %d-byte body", grown, len(tt.body))
			}
		})
	}
}
