package model

import (
	"strings"
	"testing"
)

func TestFindings(t *testing.T) {
	tests := []struct {
		name    string
		snap    *Snapshot
		req     Request
		want    []string // codes that must be present
		absent  []string // codes that must not be
		level   map[string]Level
		mention map[string]string // code → text its message must contain
	}{
		{
			name:    "Local imbalance names busiest and idlest pods",
			snap:    mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), kiadaNodes(), kiadaEPs()...),
			want:    []string{CodeLocalPolicyImbalance},
			absent:  []string{CodeClientIPLost, CodeNoEndpoints},
			mention: map[string]string{CodeLocalPolicyImbalance: "default/kiada-001 on node-a gets 50.0% while default/kiada-002 on node-b gets 25.0%"},
		},
		{
			name:   "Cluster policy: even spread, client IP lost",
			snap:   mkSnap(mkSvc("default/kiada", "LoadBalancer"), kiadaNodes(), kiadaEPs()...),
			want:   []string{CodeClientIPLost},
			absent: []string{CodeLocalPolicyImbalance},
		},
		{
			name:    "Local NodePort with empty nodes: clients time out",
			snap:    mkSnap(mkSvc("default/kiada", "NodePort", eTPLocal), append(kiadaNodes(), mkNode("node-c", "z1")), kiadaEPs()...),
			want:    []string{CodeLocalNodesWithoutEndpoints},
			mention: map[string]string{CodeLocalNodesWithoutEndpoints: "node-c"},
		},
		{
			name:    "LB + Local: health check takes empty nodes out",
			snap:    mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), append(kiadaNodes(), mkNode("node-c", "z1")), kiadaEPs()...),
			want:    []string{CodeLBHealthCheckExcludesNodes},
			absent:  []string{CodeLocalNodesWithoutEndpoints},
			mention: map[string]string{CodeLBHealthCheckExcludesNodes: "healthCheckNodePort 32000"},
		},
		{
			name: "no endpoints and a selector matching nothing",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), kiadaNodes())
				s.Pods = []Pod{{Namespace: "default", Name: "x", Labels: map[string]string{"app": "other"}}}
				return s
			}(),
			want:  []string{CodeNoEndpoints, CodeSelectorMatchesNoPods},
			level: map[string]Level{CodeNoEndpoints: LevelError, CodeSelectorMatchesNoPods: LevelError},
		},
		{
			name:    "not-ready endpoints are named",
			snap:    mkSnap(mkSvc("default/kiada", "ClusterIP"), kiadaNodes(), mkEP("default/a", "10.0.0.1", "node-a", "z1"), mkEP("default/b", "10.0.0.2", "node-b", "z1", epNotReady), mkEP("default/c", "10.0.0.3", "node-b", "z1")),
			want:    []string{CodeNotReadyEndpointsExcluded},
			level:   map[string]Level{CodeNotReadyEndpointsExcluded: LevelInfo},
			mention: map[string]string{CodeNotReadyEndpointsExcluded: "default/b"},
		},
		{
			name:    "affinity behind NodePort spreading is per node",
			snap:    mkSnap(mkSvc("default/echo", "NodePort", func(s *Service) { s.SessionAffinity = "ClientIP"; s.SessionAffinityTimeoutSeconds = 10800 }), kiadaNodes(), kiadaEPs()...),
			want:    []string{CodeAffinityPerNode, CodeAffinityFewClients},
			mention: map[string]string{CodeAffinityPerNode: "3h (10800s)"},
		},
		{
			name:   "affinity for in-cluster clients on one node is not per-node trouble",
			snap:   mkSnap(mkSvc("default/echo", "ClusterIP", func(s *Service) { s.SessionAffinity = "ClientIP" }), kiadaNodes(), kiadaEPs()...),
			req:    Request{Source: TrafficSource{Kind: SourceInternal, Node: "node-a"}},
			want:   []string{CodeAffinityFewClients},
			absent: []string{CodeAffinityPerNode},
		},
		{
			name: "trafficDistribution without hints",
			snap: mkSnap(mkSvc("shop/catalog", "ClusterIP", func(s *Service) { s.TrafficDistribution = "PreferClose" }), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za"), mkEP("shop/p-b1", "10.2.0.1", "b1", "zb")),
			want:   []string{CodeTrafficDistributionNoHints},
			absent: []string{CodeCrossZoneTraffic},
		},
		{
			name: "hints on some endpoints only are ignored",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epZoneHintOwn), mkEP("shop/p-b1", "10.2.0.1", "b1", "zb")),
			want:  []string{CodeTopologyHintsIgnored},
			level: map[string]Level{CodeTopologyHintsIgnored: LevelWarning},
		},
		{
			name: "cross-zone traffic without trafficDistribution",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za"), mkEP("shop/p-b1", "10.2.0.1", "b1", "zb")),
			want: []string{CodeCrossZoneTraffic},
		},
		{
			name: "Azure probe on the NodePort under Local (seed 000)",
			snap: mkSnap(mkSvc("tcp/server", "LoadBalancer", eTPLocal, func(s *Service) {
				s.Ports = []ServicePort{{Name: "tcp-client", Protocol: "TCP", Port: 9999, TargetPort: "8888", NodePort: 31573}}
			}, withAnn("service.beta.kubernetes.io/port_9999_health-probe_port", "31573"),
				withAnn("service.beta.kubernetes.io/azure-load-balancer-resource-group", "rg-network")), kiadaNodes(), kiadaEPs()...),
			want:    []string{CodeHealthProbePortMismatch},
			mention: map[string]string{CodeHealthProbePortMismatch: "31573"},
		},
		{
			name: "idle timeout annotation",
			snap: mkSnap(mkSvc("server/server", "LoadBalancer",
				withAnn("service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout", "60")), kiadaNodes(), kiadaEPs()...),
			want:    []string{CodeLBIdleTimeout},
			mention: map[string]string{CodeLBIdleTimeout: "60s"},
		},
		{
			name:    "ExternalName is not proxied",
			snap:    mkSnap(Service{Namespace: "ns", Name: "google", Type: "ExternalName", ExternalName: "api.google.com"}, kiadaNodes()),
			want:    []string{CodeExternalName},
			absent:  []string{CodeNoEndpoints},
			mention: map[string]string{CodeExternalName: "api.google.com"},
		},
		{
			name: "headless",
			snap: mkSnap(mkSvc("default/db", "ClusterIP", headless), kiadaNodes(), kiadaEPs()...),
			want: []string{CodeHeadless},
		},
		{
			name:    "MetalLB L2 + Local: one node, its pods only",
			snap:    mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal, withAnn("metallb.universe.tf/address-pool", "default")), kiadaNodes(), kiadaEPs()...),
			want:    []string{CodeSingleNodeLB},
			mention: map[string]string{CodeSingleNodeLB: "2 ready pods on other nodes get nothing"},
		},
		{
			name:  "every node excluded from load balancers",
			snap:  mkSnap(mkSvc("default/kiada", "LoadBalancer"), []Node{mkNode("node-a", "z1", excluded), mkNode("node-b", "z1", excluded)}, kiadaEPs()...),
			want:  []string{CodeNoLBBackends},
			level: map[string]Level{CodeNoLBBackends: LevelError},
		},
		{
			name: "gRPC port: connection reuse",
			snap: mkSnap(mkSvc("default/api", "ClusterIP", func(s *Service) { s.Ports[0].Name = "grpc" }), kiadaNodes()),
			want: []string{CodeConnectionReuse},
		},
		{
			name: "a slice without ports is ignored, and said so",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), kiadaNodes(), kiadaEPs()...)
				s.Slices[0].Ports = nil
				return s
			}(),
			want:  []string{CodeSliceWithoutPorts, CodeNoEndpoints},
			level: map[string]Level{CodeSliceWithoutPorts: LevelWarning},
		},
		{
			name: "nodes unknown",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP"), nil, kiadaEPs()...),
			want: []string{CodeNodesUnknown},
		},
		{
			name:  "a NodePort source node under Local drops everything",
			snap:  mkSnap(mkSvc("default/kiada", "NodePort", eTPLocal), append(kiadaNodes(), mkNode("node-c", "z1")), kiadaEPs()...),
			req:   Request{Source: TrafficSource{Kind: SourceNodePort, Node: "node-c"}},
			want:  []string{CodeSourceNodeDrops},
			level: map[string]Level{CodeSourceNodeDrops: LevelError},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req
			req.Service = tt.snap.Services[0].Key()
			p, err := Predict(tt.snap, req)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Finding{}
			for _, f := range p.Findings {
				got[f.Code] = f
			}
			for _, c := range tt.want {
				if _, ok := got[c]; !ok {
					t.Errorf("missing finding %s; got %v", c, p.Findings)
				}
			}
			for _, c := range tt.absent {
				if f, ok := got[c]; ok {
					t.Errorf("unexpected finding %v", f)
				}
			}
			for c, l := range tt.level {
				if got[c].Level != l {
					t.Errorf("%s level = %q, want %q", c, got[c].Level, l)
				}
			}
			for c, text := range tt.mention {
				if !strings.Contains(got[c].Message, text) {
					t.Errorf("%s message %q does not mention %q", c, got[c].Message, text)
				}
			}
			for i := 1; i < len(p.Findings); i++ {
				if p.Findings[i-1].Level.Rank() < p.Findings[i].Level.Rank() {
					t.Errorf("findings not sorted most severe first: %v", p.Findings)
				}
			}
		})
	}
}

// Not ready is worded apart from terminating: under Local a node whose
// only pod is terminating but serving still sends its own NodePort
// connections there, while a plain not-ready pod gets nothing.
func TestNotReadyWording(t *testing.T) {
	snap := mkSnap(mkSvc("default/kiada", "NodePort", eTPLocal), []Node{mkNode("node-a", "z1"), mkNode("node-b", "z1")},
		mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epTerminating),
		mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1"),
		mkEP("default/kiada-003", "10.0.1.2", "node-b", "z1", epNotReady))
	p, err := Predict(snap, Request{Service: "default/kiada"})
	if err != nil {
		t.Fatal(err)
	}
	var msg string
	for _, f := range p.Findings {
		if f.Code == CodeNotReadyEndpointsExcluded {
			msg = f.Message
		}
	}
	for _, want := range []string{"2 of 3 endpoints are not ready", "1 gets no new connections (default/kiada-003)",
		"1 terminating but still serving keeps getting new connections", "(default/kiada-001)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("NotReadyEndpointsExcluded %q does not say %q", msg, want)
		}
	}
}
