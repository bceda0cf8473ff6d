package probes

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ktraffic/ktraffic/model"
)

// TestDirectNeverFollowsRedirects: a node port that redirects to a healthy
// server is reported as a redirect, unhealthy, and the other server is
// never asked.
func TestDirectNeverFollowsRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		elsewhere.Add(1)
		fmt.Fprint(w, `{"service":{"namespace":"shop","name":"web"},"localEndpoints":1,"serviceProxyHealthy":true}`)
	}))
	t.Cleanup(other.Close)
	node := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/healthz", http.StatusFound)
	}))
	t.Cleanup(node.Close)
	host, port := hostPort(t, node)

	for _, tr := range []Direct{{}, {Client: http.DefaultClient}} {
		res := Prober{Transport: tr}.Probe(context.Background(), []Target{{Node: "n1", Address: host, Port: port, Path: healthPath, Kind: KindService, Service: "shop/web"}})
		r := res[0]
		if r.Healthy || r.Status != http.StatusFound || !strings.HasPrefix(r.Redirect, other.URL) || strings.Contains(r.Redirect, "\x1b") {
			t.Errorf("status %d healthy %v redirect %q error %q: want an unhealthy 302 naming where it points", r.Status, r.Healthy, r.Redirect, r.Error)
		}
		findings := Compare(res, &model.Prediction{Nodes: []model.NodeShare{{Name: "n1", LBHealthy: true}}})
		if len(findings) != 1 || findings[0].Code != CodeProbeRedirect {
			t.Errorf("findings %+v, want one %s", findings, CodeProbeRedirect)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect target was asked %d times", n)
	}
}

// TestDirectOnlyProbesIPAddresses: an address that is not an IP never
// becomes a URL; it is a finding about the node, not "unreachable".
func TestDirectOnlyProbesIPAddresses(t *testing.T) {
	var asked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		fmt.Fprint(w, `{"lastUpdated":"x","currentTime":"x","nodeEligible":true}`)
	}))
	t.Cleanup(srv.Close)
	_, port := hostPort(t, srv)
	for _, addr := range []string{"127.0.0.1/injected-path?x=#", "127.0.0.1:1234", "localhost", "fe80::1%lo", "127.0.0.1 ", "http://127.0.0.1"} {
		res := Prober{Transport: Direct{}}.Probe(context.Background(), []Target{{Node: "n1", Address: addr, Port: port, Path: healthPath, Kind: KindProxy}})
		if res[0].Healthy || !strings.Contains(res[0].Error, "not an IP address") {
			t.Errorf("%q: healthy %v error %q", addr, res[0].Healthy, res[0].Error)
		}
		findings := Compare(res, &model.Prediction{Nodes: []model.NodeShare{{Name: "n1", LBHealthy: true}}})
		if len(findings) != 1 || findings[0].Code != CodeProbeBadAddress {
			t.Errorf("%q: findings %+v, want one %s", addr, findings, CodeProbeBadAddress)
		}
	}
	if n := asked.Load(); n != 0 {
		t.Errorf("the server was asked %d times", n)
	}
	res := Prober{Transport: Direct{}}.Probe(context.Background(), []Target{{Node: "n1", Address: "::ffff:127.0.0.1", Port: port, Path: healthPath, Kind: KindProxy}})
	if !res[0].Healthy {
		t.Errorf("a mapped IPv4 address was not probed: %+v", res[0])
	}
}
