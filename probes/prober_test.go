package probes

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/rest"

	"github.com/ktraffic/ktraffic/model"
)

// kubeProxyLike answers like kube-proxy's health servers, by behaviour name.
func kubeProxyLike(t *testing.T, behaviour string) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch behaviour {
		case "ready":
			fmt.Fprint(w, `{"service":{"namespace":"shop","name":"web"},"localEndpoints":1,"serviceProxyHealthy":true}`)
		case "empty":
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"service":{"namespace":"shop","name":"web"},"localEndpoints":0,"serviceProxyHealthy":true}`)
		case "other-service":
			fmt.Fprint(w, `{"service":{"namespace":"shop","name":"api"},"localEndpoints":2,"serviceProxyHealthy":true}`)
		case "garbage":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html>welcome to nginx</html>`)
		case "proxy-ok":
			fmt.Fprint(w, `{"lastUpdated": "2026-11-23 10:00:00 +0000 UTC","currentTime": "2026-11-23 10:00:00 +0000 UTC", "nodeEligible": true}`)
		case "proxy-draining":
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"lastUpdated": "2026-11-23 09:00:00 +0000 UTC","currentTime": "2026-11-23 10:00:00 +0000 UTC", "nodeEligible": false}`)
		case "hang":
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv
}

func hostPort(t *testing.T, srv *httptest.Server) (string, int32) {
	t.Helper()
	host, port, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return host, int32(p)
}

func TestProbeDirect(t *testing.T) {
	tests := []struct {
		behaviour string
		kind      Kind
		status    int
		healthy   bool
		localEPs  int // -1 = not reported
		bodyErr   string
		err       string
	}{
		{behaviour: "ready", kind: KindService, status: 200, healthy: true, localEPs: 1},
		{behaviour: "empty", kind: KindService, status: 503, localEPs: 0},
		{behaviour: "other-service", kind: KindService, status: 200, healthy: true, localEPs: 2, bodyErr: "answers for shop/api, not shop/web"},
		{behaviour: "garbage", kind: KindService, status: 200, healthy: true, localEPs: -1, bodyErr: "not kube-proxy's JSON"},
		{behaviour: "hang", kind: KindService, localEPs: -1, err: "no answer within"},
		{behaviour: "proxy-ok", kind: KindProxy, status: 200, healthy: true, localEPs: -1},
		{behaviour: "proxy-draining", kind: KindProxy, status: 503, localEPs: -1},
		{behaviour: "garbage", kind: KindProxy, status: 200, healthy: true, localEPs: -1, bodyErr: "not kube-proxy's JSON"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.behaviour, func(t *testing.T) {
			host, port := hostPort(t, kubeProxyLike(t, tt.behaviour))
			p := Prober{Transport: Direct{}, Timeout: 200 * time.Millisecond}
			res := p.Probe(context.Background(), []Target{{Node: "n1", Address: host, Port: port, Path: healthPath, Kind: tt.kind, Service: "shop/web"}})
			r := res[0]
			if r.Status != tt.status || r.Healthy != tt.healthy {
				t.Errorf("status %d healthy %v, want %d %v (error %q)", r.Status, r.Healthy, tt.status, tt.healthy, r.Error)
			}
			gotEPs := -1
			if r.LocalEndpoints != nil {
				gotEPs = *r.LocalEndpoints
			}
			if gotEPs != tt.localEPs {
				t.Errorf("localEndpoints %d, want %d", gotEPs, tt.localEPs)
			}
			if !contains(r.BodyError, tt.bodyErr) || !contains(r.Error, tt.err) {
				t.Errorf("bodyError %q error %q, want %q %q", r.BodyError, r.Error, tt.bodyErr, tt.err)
			}
			if tt.kind == KindProxy && tt.behaviour == "proxy-draining" && (r.NodeEligible == nil || *r.NodeEligible) {
				t.Errorf("nodeEligible %v, want false", r.NodeEligible)
			}
		})
	}
}

// contains is strings.Contains where an empty want demands an empty got.
func contains(got, want string) bool {
	if want == "" {
		return got == ""
	}
	return strings.Contains(got, want)
}

func TestProbeBoundedConcurrency(t *testing.T) {
	var inFlight, peak int
	mu := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu <- struct{}{}
		inFlight++
		peak = max(peak, inFlight)
		<-mu
		time.Sleep(20 * time.Millisecond)
		mu <- struct{}{}
		inFlight--
		<-mu
		fmt.Fprint(w, `{"lastUpdated":"x","currentTime":"x","nodeEligible":true}`)
	}))
	defer srv.Close()
	host, port := hostPort(t, srv)
	targets := make([]Target, 12)
	for i := range targets {
		targets[i] = Target{Node: fmt.Sprintf("n%d", i), Address: host, Port: port, Path: healthPath, Kind: KindProxy}
	}
	res := Prober{Transport: Direct{}, Concurrency: 3}.Probe(context.Background(), targets)
	for i, r := range res {
		if !r.Healthy || r.Node != targets[i].Node {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	if peak > 3 {
		t.Errorf("peak concurrency %d, want at most 3", peak)
	}
}

// fakeAPIServer answers node-proxy requests like the API server: it passes
// kube-proxy's answer through, or refuses with a Status.
func fakeAPIServer(t *testing.T, byNode map[string]func(w http.ResponseWriter)) *rest.Config {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// /api/v1/nodes/NODE:PORT/proxy/healthz
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v1/nodes/"), "/")
		if len(parts) < 3 || parts[1] != "proxy" {
			http.NotFound(w, r)
			return
		}
		node, _, _ := strings.Cut(parts[0], ":")
		h, ok := byNode[node]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h(w)
	}))
	t.Cleanup(srv.Close)
	return &rest.Config{Host: srv.URL}
}

func apiStatus(w http.ResponseWriter, code int, reason, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprintf(w, `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":%q,"reason":%q,"code":%d}`, msg, reason, code)
}

func TestProbeThroughAPIServer(t *testing.T) {
	cfg := fakeAPIServer(t, map[string]func(http.ResponseWriter){
		"ready": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"service":{"namespace":"shop","name":"web"},"localEndpoints":2,"serviceProxyHealthy":true}`)
		},
		"empty": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"service":{"namespace":"shop","name":"web"},"localEndpoints":0,"serviceProxyHealthy":true}`)
		},
		"denied": func(w http.ResponseWriter) {
			apiStatus(w, 403, "Forbidden", `nodes "denied" is forbidden: User "dev" cannot get resource "nodes/proxy"`)
		},
		"unreachable": func(w http.ResponseWriter) {
			apiStatus(w, 503, "ServiceUnavailable", "error trying to reach service: dial tcp 10.0.0.9:32100: connect: connection refused")
		},
	})
	tr, err := NewAPIServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var targets []Target
	for _, n := range []string{"ready", "empty", "denied", "unreachable"} {
		targets = append(targets, Target{Node: n, Port: 32100, Path: healthPath, Kind: KindService, Service: "shop/web"})
	}
	res := Prober{Transport: tr, Timeout: 2 * time.Second}.Probe(context.Background(), targets)
	want := []struct {
		status  int
		healthy bool
		err     string
	}{{200, true, ""}, {503, false, ""}, {0, false, "needs get on nodes/proxy"}, {0, false, "connection refused"}}
	for i, w := range want {
		r := res[i]
		if r.Status != w.status || r.Healthy != w.healthy || !contains(r.Error, w.err) {
			t.Errorf("%s: status %d healthy %v error %q, want %d %v %q", r.Node, r.Status, r.Healthy, r.Error, w.status, w.healthy, w.err)
		}
	}
	if !errors.Is(res[2].ourSide, ErrForbidden) || res[3].ourSide != nil {
		t.Errorf("our-side errors %v %v, want forbidden and none", res[2].ourSide, res[3].ourSide)
	}
	if OurSideError(res) != nil || !errors.Is(OurSideError(res[2:3]), ErrForbidden) {
		t.Errorf("OurSideError: only when every probe failed on our side")
	}

	pred := &model.Prediction{Nodes: []model.NodeShare{
		{Name: "ready", LBHealthy: true, ReadyLocalEndpoints: 2},
		{Name: "empty", LBHealthy: true, ReadyLocalEndpoints: 1},
		{Name: "denied", LBHealthy: true, ReadyLocalEndpoints: 1},
		{Name: "unreachable", LBHealthy: false},
	}}
	findings := Compare(res, pred)
	codes := map[string]int{}
	for _, f := range findings {
		codes[f.Code]++
	}
	if codes[CodeProbeDisagrees] != 1 || codes[CodeProbeForbidden] != 1 || codes[CodeProbeUnreachable] != 1 || len(findings) != 3 {
		t.Errorf("findings %+v", findings)
	}
	if res[2].Agree != nil {
		t.Errorf("a node we were not allowed to probe cannot agree or disagree")
	}
	if res[3].Agree == nil || !*res[3].Agree {
		t.Errorf("an unreachable node predicted unhealthy agrees with the prediction")
	}
}
