package model

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// evenSnap: n pods, one per node, behind a ClusterIP Service.
func evenSnap(n int, dp Datapath, mods ...func(*Service)) *Snapshot {
	var nodes []Node
	var eps []Endpoint
	for i := range n {
		node := fmt.Sprintf("node-%d", i)
		nodes = append(nodes, mkNode(node, "z1"))
		eps = append(eps, mkEP(fmt.Sprintf("default/web-%d", i), fmt.Sprintf("10.0.0.%d", i+1), node, "z1"))
	}
	snap := mkSnap(mkSvc("default/web", TypeClusterIP, mods...), nodes, eps...)
	snap.Datapath = dp
	return snap
}

func expect(t *testing.T, snap *Snapshot, from string, c ClientSide) *ConnectionLoad {
	t.Helper()
	src, err := ParseSource(from)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Predict(snap, Request{Service: snap.Services[0].Key(), Source: src, Clients: &c})
	if err != nil {
		t.Fatal(err)
	}
	if p.Connections == nil {
		t.Fatal("no connection load")
	}
	return p.Connections
}

var iptables = Datapath{Proxy: ProxyKubeProxy, Mode: ModeIPTables}

// Closed forms: k connections over n equally likely pods leave
// n·(1−1/n)^k pods idle on average; a pod's count is Binomial(k, 1/n).
func TestConnectionsClosedForms(t *testing.T) {
	for _, tt := range []struct{ n, k int }{{6, 3}, {6, 1}, {3, 10}, {10, 100}} {
		l := expect(t, evenSnap(tt.n, iptables), "internal", ClientSide{Profile: ProfileHTTP2, Clients: tt.k})
		want := float64(tt.n) * math.Pow(1-1/float64(tt.n), float64(tt.k))
		if l.Method != MethodExact || math.Abs(l.ExpectedIdlePods-want) > 1e-9 {
			t.Errorf("n=%d k=%d: %s, idle %.4f, want %.4f", tt.n, tt.k, l.Method, l.ExpectedIdlePods, want)
		}
		for _, pl := range l.Pods {
			if math.Abs(pl.MeanConnections-float64(tt.k)/float64(tt.n)) > 1e-9 {
				t.Errorf("mean %v", pl.MeanConnections)
			}
		}
	}
	// 3 HTTP/2 clients over 6 pods: 6·(5/6)³ = 3.47 pods idle.
	l := expect(t, evenSnap(6, iptables), "internal", ClientSide{Profile: ProfileHTTP2, Clients: 3})
	if !strings.Contains(l.Summary, "on average 3.5 pods idle") || !strings.Contains(l.Summary, "0–1 connections") {
		t.Errorf("summary %q", l.Summary)
	}
}

func TestBinomialQuantile(t *testing.T) {
	for _, tt := range []struct {
		n    int
		p, q float64
		want int
	}{
		{3, 1.0 / 6, 0.1, 0}, {3, 1.0 / 6, 0.9, 1}, {10, 0.5, 0.5, 5}, {100, 0.1, 0.9, 14}, {100000, 0.25, 0.5, 25000}, {5, 0, 0.9, 0}, {5, 1, 0.1, 5},
	} {
		if got := binomialQuantile(tt.n, tt.p, tt.q); got != tt.want {
			t.Errorf("Binomial(%d, %.3f) q%.1f = %d, want %d", tt.n, tt.p, tt.q, got, tt.want)
		}
	}
}

// The simulation, run where the closed forms hold, must agree with them.
func TestSimulationMatchesClosedForms(t *testing.T) {
	for _, tt := range []struct {
		name string
		snap *Snapshot
		from string
		c    ClientSide
	}{
		{"random, even", evenSnap(6, iptables), "internal", ClientSide{Profile: ProfileHTTP2, Clients: 3}},
		{"random, local imbalance", kiadaLocal(), "lb", ClientSide{Profile: ProfileHTTP11Pool, Clients: 2, Connections: 4}},
		{"per client", evenSnap(4, Datapath{Proxy: ProxyKubeProxy, Mode: ModeIPVS, IPVSScheduler: "sh"}), "internal", ClientSide{Profile: ProfileHTTP11Pool, Clients: 5, Connections: 3}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			exact := expect(t, tt.snap, tt.from, tt.c)
			if exact.Method != MethodExact {
				t.Fatalf("method %s, want exact", exact.Method)
			}
			src, _ := ParseSource(tt.from)
			p, _ := Predict(tt.snap, Request{Service: tt.snap.Services[0].Key(), Source: src})
			sim := &ConnectionLoad{Connections: exact.Connections}
			simulate(p, sim, exact.Unit, exact.Pick, tt.c.Clients, tt.c.PerClient())
			if math.Abs(sim.ExpectedIdlePods-exact.ExpectedIdlePods) > 0.15 {
				t.Errorf("idle: simulated %.3f, exact %.3f", sim.ExpectedIdlePods, exact.ExpectedIdlePods)
			}
			for i := range exact.Pods {
				e, s := exact.Pods[i], sim.Pods[i]
				if math.Abs(e.MeanConnections-s.MeanConnections) > 0.1*math.Max(1, e.MeanConnections) {
					t.Errorf("%s mean: simulated %.3f, exact %.3f", e.Pod, s.MeanConnections, e.MeanConnections)
				}
				if math.Abs(e.IdleProbability-s.IdleProbability) > 0.06 {
					t.Errorf("%s idle: simulated %.3f, exact %.3f", e.Pod, s.IdleProbability, e.IdleProbability)
				}
				if d := s.P90 - e.P90; d < -1*exact.ConnectionsPerClient || d > exact.ConnectionsPerClient {
					t.Errorf("%s p90: simulated %d, exact %d", e.Pod, s.P90, e.P90)
				}
			}
		})
	}
}

func kiadaLocal() *Snapshot {
	snap := mkSnap(mkSvc("default/kiada", TypeLoadBalancer, eTPLocal), []Node{mkNode("node-a", "z1"), mkNode("node-b", "z1")},
		mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1"),
		mkEP("default/kiada-002", "10.0.0.2", "node-b", "z1"),
		mkEP("default/kiada-003", "10.0.0.3", "node-b", "z1"))
	snap.Datapath = iptables
	return snap
}

func TestConnectionsByScheduler(t *testing.T) {
	ipvs := func(s string) Datapath { return Datapath{Proxy: ProxyKubeProxy, Mode: ModeIPVS, IPVSScheduler: s} }
	// From one node, rr hands 6 connections to 3 pods in turn: 2 each,
	// always.
	l := expect(t, evenSnap(3, ipvs("rr")), "internal:node-0", ClientSide{Profile: ProfileHTTP11Pool, Clients: 1, Connections: 6})
	for _, pl := range l.Pods {
		if pl.P10 != 2 || pl.P90 != 2 || pl.IdleProbability != 0 {
			t.Errorf("rr %s: %+v", pl.Pod, pl)
		}
	}
	if l.Unit != UnitConnection || l.Pick != PickInTurn || l.Method != MethodSimulation {
		t.Errorf("rr: unit %s pick %s method %s", l.Unit, l.Pick, l.Method)
	}
	// dh: every connection from a node reaches one pod.
	l = expect(t, evenSnap(3, ipvs("dh")), "internal:node-0", ClientSide{Profile: ProfileHTTP11Pool, Clients: 4, Connections: 5})
	if l.Unit != UnitNode || math.Abs(l.ExpectedIdlePods-2) > 1e-9 {
		t.Errorf("dh: unit %s idle %.3f, want 2 of 3 pods idle", l.Unit, l.ExpectedIdlePods)
	}
	// ClientIP affinity: each client's 10 connections move together.
	l = expect(t, evenSnap(2, iptables, func(s *Service) { s.SessionAffinity = AffinityClientIP }), "internal", ClientSide{Profile: ProfileHTTP11Pool, Clients: 1})
	if l.Unit != UnitClient || math.Abs(l.ExpectedIdlePods-1) > 1e-9 {
		t.Errorf("affinity: unit %s idle %.3f, want 1", l.Unit, l.ExpectedIdlePods)
	}
	for _, pl := range l.Pods {
		if pl.P90 != 10 && pl.P90 != 0 {
			t.Errorf("affinity %s p90 %d, want all 10 or none", pl.Pod, pl.P90)
		}
	}
	// An L7 proxy in front balances requests: the band is the share.
	snap := canarySnap(90, 10)
	src := TrafficSource{Kind: SourceHTTPRoute, Entry: "shop/checkout"}
	p, err := Predict(snap, Request{Service: "shop/checkout-v1", Source: src, Clients: &ClientSide{Profile: ProfileGRPC, Clients: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Connections; c.Method != MethodIdeal || c.Unit != UnitRequest || !strings.Contains(c.Explanation[0], "balances their requests") {
		t.Errorf("behind a route: %+v", c)
	}
}

// Seed 001: browsers look sticky because they reuse one connection.
func TestBrowserStickinessIsExplained(t *testing.T) {
	l := expect(t, evenSnap(3, iptables), "internal", ClientSide{Profile: ProfileBrowser, Clients: 1})
	text := strings.Join(l.Explanation, " ")
	for _, want := range []string{"connection reuse, not sessionAffinity", "same pod", "balances connections, not requests"} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q: %s", want, text)
		}
	}
	if math.Abs(l.ExpectedIdlePods-2) > 1e-9 {
		t.Errorf("one browser over 3 pods leaves %.2f idle, want 2", l.ExpectedIdlePods)
	}
}

func TestParseClientSide(t *testing.T) {
	for _, tt := range []struct {
		profile     string
		clients     int
		connections int
		ok          bool
	}{
		{"http2", 3, 0, true}, {"", 1, 0, true}, {"http11-pool", 2, 4, true},
		{"websocket", 1, 0, false}, {"http2", 0, 0, false}, {"http2", 1, -1, false}, {"http2", MaxClients + 1, 0, false},
	} {
		c, err := ParseClientSide(tt.profile, tt.clients, tt.connections)
		if (err == nil) != tt.ok {
			t.Errorf("%q %d %d: %v", tt.profile, tt.clients, tt.connections, err)
		}
		if err == nil && c.PerClient() < 1 {
			t.Errorf("%q: %d connections per client", tt.profile, c.PerClient())
		}
	}
}
