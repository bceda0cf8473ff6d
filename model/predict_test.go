package model

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const eps = 1e-9

// kiadaNodes is the seeds' example: node-a runs one pod, node-b two.
func kiadaNodes() []Node { return []Node{mkNode("node-a", "z1"), mkNode("node-b", "z1")} }

func kiadaEPs(mods ...func(*Endpoint)) []Endpoint {
	return []Endpoint{
		mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", mods...),
		mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1", mods...),
		mkEP("default/kiada-003", "10.0.1.2", "node-b", "z1", mods...),
	}
}

func threeZoneNodes() []Node {
	return []Node{mkNode("a1", "za"), mkNode("a2", "za"), mkNode("b1", "zb"), mkNode("b2", "zb"), mkNode("c1", "zc")}
}

func TestPredictShares(t *testing.T) {
	type want struct {
		endpoints map[string]float64 // pod name (without namespace) → share
		nodes     map[string]float64 // only the ones listed are checked
		dropped   float64
		rejected  float64
		clientIP  bool
	}
	tests := []struct {
		name string
		snap *Snapshot
		req  Request
		want want
	}{
		{
			name: "seeds: LB + Cluster spreads evenly over all pods (33/33/33)",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer"), kiadaNodes(), kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3},
				nodes: map[string]float64{"node-a": .5, "node-b": .5}},
		},
		{
			name: "seeds: LB + Local splits per node, then per pod (50/25/25)",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), kiadaNodes(), kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": .5, "kiada-002": .25, "kiada-003": .25},
				nodes: map[string]float64{"node-a": .5, "node-b": .5}, clientIP: true},
		},
		{
			name: "override Cluster→Local on the seeds' example",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer"), kiadaNodes(), kiadaEPs()...),
			req:  Request{Overrides: mustOverrides(t, "externalTrafficPolicy=Local")},
			want: want{endpoints: map[string]float64{"kiada-001": .5, "kiada-002": .25, "kiada-003": .25}, clientIP: true},
		},
		{
			name: "LB + Local: a node without pods fails the health check and gets nothing",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), append(kiadaNodes(), mkNode("node-c", "z1")), kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": .5, "kiada-002": .25, "kiada-003": .25},
				nodes: map[string]float64{"node-a": .5, "node-b": .5, "node-c": 0}, clientIP: true},
		},
		{
			name: "LB + Cluster: excluded and NotReady nodes are not backends",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer"),
				[]Node{mkNode("node-a", "z1"), mkNode("node-b", "z1", excluded), mkNode("node-c", "z1", notReadyNode), mkNode("node-d", "z1")},
				kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3},
				nodes: map[string]float64{"node-a": .5, "node-b": 0, "node-c": 0, "node-d": .5}},
		},
		{
			name: "LB backends follow the service controller: exclude=false keeps a node, =true or a deletion taint drop it",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer"),
				[]Node{mkNode("node-a", "z1", labelExclude("false")), mkNode("node-b", "z1", labelExclude("true")),
					mkNode("node-c", "z1", taintedToBeDeleted), mkNode("node-d", "z1", labelExclude("yes please"))},
				kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3},
				nodes: map[string]float64{"node-a": 1, "node-b": 0, "node-c": 0, "node-d": 0}},
		},
		{
			name: "LB nodes-weighted + Local weights nodes by ready local pods",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal, withAnn(AnnotationGKEWeightedLB, "pods-per-node")), kiadaNodes(), kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3},
				nodes: map[string]float64{"node-a": 1.0 / 3, "node-b": 2.0 / 3}, clientIP: true},
		},
		{
			name: "LB pods mode (AWS NLB IP targets) goes straight to ready pods",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal, withAnn(AnnotationAWSNLBTargetType, "ip")), kiadaNodes(),
				mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1"),
				mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1"),
				mkEP("default/kiada-003", "10.0.1.2", "node-b", "z1", epNotReady)),
			want: want{endpoints: map[string]float64{"kiada-001": .5, "kiada-002": .5, "kiada-003": 0},
				nodes: map[string]float64{"node-a": .5, "node-b": .5}},
		},
		{
			name: "LB single-node + Local: only pods on the announcing node",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal, withAnn("metallb.universe.tf/address-pool", "default")),
				kiadaNodes(), kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": 1, "kiada-002": 0, "kiada-003": 0},
				nodes: map[string]float64{"node-a": 1, "node-b": 0}, clientIP: true},
		},
		{
			name: "LB single-node + Cluster with lbNode override spreads from that node",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", withAnn("metallb.universe.tf/address-pool", "default")),
				kiadaNodes(), kiadaEPs()...),
			req: Request{Overrides: mustOverrides(t, "lbNode=node-b")},
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3},
				nodes: map[string]float64{"node-a": 0, "node-b": 1}},
		},
		{
			name: "NodePort + Local: a node without endpoints drops its share",
			snap: mkSnap(mkSvc("default/kiada", "NodePort", eTPLocal), append(kiadaNodes(), mkNode("node-c", "z1")), kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 6, "kiada-003": 1.0 / 6},
				dropped: 1.0 / 3, clientIP: true},
		},
		{
			name: "NodePort on every node: a node that is down drops its share",
			snap: mkSnap(mkSvc("default/kiada", "NodePort"), append(kiadaNodes(), mkNode("node-c", "z1", notReadyNode)), kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": 2.0 / 9, "kiada-002": 2.0 / 9, "kiada-003": 2.0 / 9}, dropped: 1.0 / 3},
		},
		{
			name: "internal from every node: no clients on a node that is down",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP", iTPLocal), append(kiadaNodes(), mkNode("node-c", "z1", notReadyNode)), kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": .5, "kiada-002": .25, "kiada-003": .25},
				nodes: map[string]float64{"node-c": 0}, clientIP: true},
		},
		{
			name: "drill: node-b down under Local LB moves everything to node-a",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), kiadaNodes(), kiadaEPs()...),
			req:  Request{Drills: []Drill{{Kind: DrillNodeDown, Target: "node-b"}}},
			want: want{endpoints: map[string]float64{"kiada-001": 1, "kiada-002": 0, "kiada-003": 0},
				nodes: map[string]float64{"node-a": 1, "node-b": 0}, clientIP: true},
		},
		{
			name: "health check counts every port: a node ready only for another port passes it, then drops",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal, func(s *Service) {
					s.Ports = append(s.Ports, ServicePort{Name: "metrics", Protocol: "TCP", Port: 9090, NodePort: 30090})
				}), append(kiadaNodes(), mkNode("node-c", "z1")), kiadaEPs()...)
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-metrics", Service: "kiada",
					Ports:     []EndpointPort{{Name: "metrics", Port: 9090}},
					Endpoints: []Endpoint{mkEP("default/kiada-009", "10.0.2.9", "node-c", "z1")}})
				return s
			}(),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 6, "kiada-003": 1.0 / 6},
				nodes: map[string]float64{"node-c": 1.0 / 3}, dropped: 1.0 / 3, clientIP: true},
		},
		{
			name: "NodePort on one node + Cluster reaches every pod",
			snap: mkSnap(mkSvc("default/kiada", "NodePort"), kiadaNodes(), kiadaEPs()...),
			req:  Request{Source: TrafficSource{Kind: SourceNodePort, Node: "node-a"}},
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3},
				nodes: map[string]float64{"node-a": 1, "node-b": 0}},
		},
		{
			name: "no endpoints at all: rejected, even under Local",
			snap: mkSnap(mkSvc("default/kiada", "NodePort", eTPLocal), kiadaNodes()),
			want: want{endpoints: map[string]float64{}, rejected: 1, clientIP: true},
		},
		{
			name: "only not-ready endpoints: rejected",
			snap: mkSnap(mkSvc("default/kiada", "NodePort"), kiadaNodes(), kiadaEPs(epNotReady)...),
			want: want{endpoints: map[string]float64{"kiada-001": 0, "kiada-002": 0, "kiada-003": 0}, rejected: 1},
		},
		{
			name: "no ready endpoints: serving-terminating ones take the traffic",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP"), kiadaNodes(),
				mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epTerminating),
				mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1", epTermNotServ)),
			want: want{endpoints: map[string]float64{"kiada-001": 1, "kiada-002": 0}, clientIP: true},
		},
		{
			name: "a ready endpoint elsewhere beats a local terminating one for Cluster",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP"), kiadaNodes(),
				mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epTerminating),
				mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1")),
			req:  Request{Source: TrafficSource{Kind: SourceInternal, Node: "node-a"}},
			want: want{endpoints: map[string]float64{"kiada-001": 0, "kiada-002": 1}, clientIP: true},
		},
		{
			name: "internal Local: local terminating endpoint used when no local ready one",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP", iTPLocal), kiadaNodes(),
				mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epTerminating),
				mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1")),
			want: want{endpoints: map[string]float64{"kiada-001": .5, "kiada-002": .5}, clientIP: true},
		},
		{
			name: "internal Local: clients on a node without endpoints are dropped",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP", iTPLocal), append(kiadaNodes(), mkNode("node-c", "z1")), kiadaEPs()...),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 6, "kiada-003": 1.0 / 6},
				dropped: 1.0 / 3, clientIP: true},
		},
		{
			name: "missing conditions mean ready and serving",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP"), kiadaNodes(), kiadaEPs(epNoConditions)...),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3}, clientIP: true},
		},
		{
			name: "zone hints keep traffic in the zone",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epZoneHintOwn),
				mkEP("shop/p-a2", "10.1.0.2", "a2", "za", epZoneHintOwn),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epZoneHintOwn),
				mkEP("shop/p-c1", "10.3.0.1", "c1", "zc", epZoneHintOwn)),
			// za has 2 of 5 nodes → .4 over 2 pods; zb 2 nodes → .4; zc 1 node → .2
			want: want{endpoints: map[string]float64{"p-a1": .2, "p-a2": .2, "p-b1": .4, "p-c1": .2}, clientIP: true},
		},
		{
			name: "zone hints ignored when one ready endpoint lacks a hint",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epZoneHintOwn),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb"),
				mkEP("shop/p-c1", "10.3.0.1", "c1", "zc", epZoneHintOwn)),
			want: want{endpoints: map[string]float64{"p-a1": 1.0 / 3, "p-b1": 1.0 / 3, "p-c1": 1.0 / 3}, clientIP: true},
		},
		{
			name: "zone hints: a zone with no hinted endpoint falls back to all",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epZoneHintOwn),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epZoneHintOwn)),
			// za: .4 → a1; zb: .4 → b1; zc (.2) has no hinted endpoint → .1 each
			want: want{endpoints: map[string]float64{"p-a1": .5, "p-b1": .5}, clientIP: true},
		},
		{
			name: "not-ready endpoints' missing hints do not disable topology",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epZoneHintOwn),
				mkEP("shop/p-a9", "10.1.0.9", "a1", "za", epNotReady),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epZoneHintOwn),
				mkEP("shop/p-c1", "10.3.0.1", "c1", "zc", epZoneHintOwn)),
			want: want{endpoints: map[string]float64{"p-a1": .4, "p-a9": 0, "p-b1": .4, "p-c1": .2}, clientIP: true},
		},
		{
			name: "node hints pin to same node; nodes without a hinted endpoint use zone hints",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epZoneHintOwn, epNodeHintOwn),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epZoneHintOwn, epNodeHintOwn),
				mkEP("shop/p-c1", "10.3.0.1", "c1", "zc", epZoneHintOwn, epNodeHintOwn)),
			// a1→p-a1, a2 (no node hint match) → zone za → p-a1; likewise b; c1→p-c1
			want: want{endpoints: map[string]float64{"p-a1": .4, "p-b1": .4, "p-c1": .2}, clientIP: true},
		},
		{
			name: "trafficDistribution what-if writes zone hints like the controller",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za"),
				mkEP("shop/p-a2", "10.1.0.2", "a2", "za"),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb"),
				mkEP("shop/p-c1", "10.3.0.1", "c1", "zc")),
			req:  Request{Overrides: mustOverrides(t, "trafficDistribution=PreferClose")},
			want: want{endpoints: map[string]float64{"p-a1": .2, "p-a2": .2, "p-b1": .4, "p-c1": .2}, clientIP: true},
		},
		{
			name: "trafficDistribution=none what-if clears published hints",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP", func(s *Service) { s.TrafficDistribution = "PreferClose" }), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epZoneHintOwn),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epZoneHintOwn)),
			req:  Request{Overrides: mustOverrides(t, "trafficDistribution=none")},
			want: want{endpoints: map[string]float64{"p-a1": .5, "p-b1": .5}, clientIP: true},
		},
		{
			name: "trafficDistribution what-if is ignored under topology-mode Auto",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP", withAnn(AnnotationTopologyMode, "Auto")), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za"),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb")),
			req:  Request{Overrides: mustOverrides(t, "trafficDistribution=PreferClose")},
			want: want{endpoints: map[string]float64{"p-a1": .5, "p-b1": .5}, clientIP: true},
		},
		{
			name: "PreferSameNode what-if writes node hints",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), threeZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za"),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb"),
				mkEP("shop/p-b2", "10.2.0.2", "b2", "zb")),
			req:  Request{Source: TrafficSource{Kind: SourceInternal, Node: "b2"}, Overrides: mustOverrides(t, "trafficDistribution=PreferSameNode")},
			want: want{endpoints: map[string]float64{"p-a1": 0, "p-b1": 0, "p-b2": 1}, clientIP: true},
		},
		{
			name: "duplicate address across slices counts once; only addresses[0]",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), kiadaNodes(), kiadaEPs()...)
				dup := mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1")
				dup.Addresses = append(dup.Addresses, "10.0.0.99")
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-zzzzz", Service: "kiada",
					Ports: s.Slices[0].Ports, Endpoints: []Endpoint{dup}})
				return s
			}(),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3}, clientIP: true},
		},
		{
			name: "slices for another port are ignored",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), kiadaNodes(), kiadaEPs()...)
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-metrics", Service: "kiada",
					Ports:     []EndpointPort{{Name: "metrics", Port: 9090}},
					Endpoints: []Endpoint{mkEP("default/kiada-009", "10.0.0.9", "node-a", "z1")}})
				return s
			}(),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3}, clientIP: true},
		},
		{
			// Only the EndpointSlice controller reads the flag (it then writes
			// ready=true); kube-proxy takes the slice's conditions as written.
			name: "publishNotReadyAddresses is not kube-proxy's business: not-ready stays not ready",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP", func(s *Service) { s.PublishNotReadyAddresses = true }),
				kiadaNodes(), kiadaEPs(epNotReady)...),
			want: want{endpoints: map[string]float64{"kiada-001": 0, "kiada-002": 0, "kiada-003": 0}, rejected: 1, clientIP: true},
		},
		{
			name: "pod source uses the pod's node",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP", iTPLocal), kiadaNodes(), kiadaEPs()...),
			req:  Request{Source: TrafficSource{Kind: SourcePod, Pod: "default/kiada-002"}},
			want: want{endpoints: map[string]float64{"kiada-001": 0, "kiada-002": .5, "kiada-003": .5}, clientIP: true},
		},
		{
			name: "dump without nodes: nodes come from endpoints",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), nil, kiadaEPs()...)
				return s
			}(),
			want: want{endpoints: map[string]float64{"kiada-001": .5, "kiada-002": .25, "kiada-003": .25},
				nodes: map[string]float64{"node-a": .5, "node-b": .5}, clientIP: true},
		},
		{
			name: "LB + Local with only terminating endpoints: LB fails open, terminating pods serve",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), append(kiadaNodes(), mkNode("node-c", "z1")),
				kiadaEPs(epTerminating)...),
			want: want{endpoints: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 6, "kiada-003": 1.0 / 6},
				dropped: 1.0 / 3, clientIP: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req
			req.Service = tt.snap.Services[0].Key()
			p, err := Predict(tt.snap, req)
			if err != nil {
				t.Fatalf("Predict: %v", err)
			}
			got := map[string]float64{}
			sum := p.Dropped + p.Rejected
			for _, e := range p.Endpoints {
				_, name, _ := strings.Cut(e.Pod, "/")
				got[name] = e.Share
				sum += e.Share
			}
			if len(got) != len(tt.want.endpoints) {
				t.Errorf("endpoints = %v, want %v", got, tt.want.endpoints)
			}
			for pod, w := range tt.want.endpoints {
				if g, ok := got[pod]; !ok || math.Abs(g-w) > eps {
					t.Errorf("share of %s = %v, want %v", pod, g, w)
				}
			}
			nodes := map[string]float64{}
			for _, n := range p.Nodes {
				nodes[n.Name] = n.Share
			}
			for n, w := range tt.want.nodes {
				if g, ok := nodes[n]; !ok || math.Abs(g-w) > eps {
					t.Errorf("share of node %s = %v (present %v), want %v", n, g, ok, w)
				}
			}
			if math.Abs(p.Dropped-tt.want.dropped) > eps || math.Abs(p.Rejected-tt.want.rejected) > eps {
				t.Errorf("dropped, rejected = %v, %v; want %v, %v", p.Dropped, p.Rejected, tt.want.dropped, tt.want.rejected)
			}
			if math.Abs(sum-1) > eps {
				t.Errorf("endpoint shares + dropped + rejected = %v, want 1", sum)
			}
			if p.ClientIPPreserved != tt.want.clientIP {
				t.Errorf("clientIPPreserved = %v, want %v", p.ClientIPPreserved, tt.want.clientIP)
			}
		})
	}
}

func mustOverrides(t *testing.T, kv ...string) Overrides {
	t.Helper()
	o, err := ParseOverrides(kv)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestEndpointsOnUnknownNode(t *testing.T) {
	tests := []struct {
		name      string
		svc       Service
		nodes     []Node
		wantNodes string
		byPod     map[string]float64
		finding   bool
	}{
		{
			name: "nodes known: the node only endpoints name is no entry, its pods still get traffic",
			svc:  mkSvc("default/kiada", "LoadBalancer"), nodes: []Node{mkNode("node-a", "z1")},
			wantNodes: "node-a@z1",
			byPod:     map[string]float64{"default/kiada-001": 1.0 / 3, "default/kiada-002": 1.0 / 3, "default/kiada-003": 1.0 / 3},
			finding:   true,
		},
		{
			name: "nodes known, Local: only node-a's own pod serves",
			svc:  mkSvc("default/kiada", "LoadBalancer", eTPLocal), nodes: []Node{mkNode("node-a", "z1")},
			wantNodes: "node-a@z1",
			byPod:     map[string]float64{"default/kiada-001": 1, "default/kiada-002": 0, "default/kiada-003": 0},
			finding:   true,
		},
		{
			name: "no Node objects at all: nodes are assumed from the endpoints",
			svc:  mkSvc("default/kiada", "LoadBalancer", eTPLocal), nodes: nil,
			wantNodes: "node-a@z1,node-b@z1",
			byPod:     map[string]float64{"default/kiada-001": .5, "default/kiada-002": .25, "default/kiada-003": .25},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := mkSnap(tt.svc, tt.nodes, kiadaEPs()...)
			p, err := Predict(snap, Request{Service: "default/kiada"})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, n := range p.Nodes {
				names = append(names, n.Name+"@"+n.Zone)
			}
			if got := strings.Join(names, ","); got != tt.wantNodes {
				t.Errorf("nodes = %s, want %s", got, tt.wantNodes)
			}
			for _, e := range p.Endpoints {
				if w := tt.byPod[e.Pod]; math.Abs(e.Share-w) > 1e-9 {
					t.Errorf("share of %s = %.4f, want %.4f", e.Pod, e.Share, w)
				}
			}
			if got := hasFinding(p, CodeEndpointsOnUnknownNode); got != tt.finding {
				t.Errorf("%s finding = %v, want %v: %v", CodeEndpointsOnUnknownNode, got, tt.finding, p.Findings)
			}
			if got := hasFinding(p, CodeNodesUnknown); got == tt.finding {
				t.Errorf("%s finding = %v, want %v", CodeNodesUnknown, got, !tt.finding)
			}
		})
	}
}

func hasFinding(p *Prediction, code string) bool {
	for _, f := range p.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

// TestLBProbeTarget: where a cloud annotation aims the load balancer's
// probe decides which nodes pass. Under Local, healthCheckNodePort fails a
// node with only terminating pods; a probe on the NodePort is forwarded by
// kube-proxy to those still-serving pods and passes; kube-proxy's own
// health port passes everywhere, so pod-less nodes take traffic and drop.
func TestLBProbeTarget(t *testing.T) {
	const probePort = "service.beta.kubernetes.io/port_80_health-probe_port"
	azure := withAnn("service.beta.kubernetes.io/azure-load-balancer-internal", "false")
	nodes := []Node{mkNode("node-a", "z1"), mkNode("node-b", "z1"), mkNode("node-c", "z1")}
	eps := []Endpoint{
		mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epTerminating),
		mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1"),
	}
	tests := []struct {
		name    string
		mods    []func(*Service)
		healthy string
		dropped float64
		code    string
		level   Level
	}{
		{"healthCheckNodePort: only node-b has a ready local endpoint", []func(*Service){eTPLocal}, "node-b", 0, "", ""},
		{"NodePort probe: the terminating pod still serves, node-a passes", []func(*Service){eTPLocal, azure, withAnn(probePort, "30080")},
			"node-a,node-b", 0, CodeHealthProbePortMismatch, LevelWarning},
		{"kube-proxy health port: every node passes, node-c drops", []func(*Service){eTPLocal, azure, withAnn(probePort, "10256")},
			"node-a,node-b,node-c", 1.0 / 3, CodeHealthProbePortMismatch, LevelError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := mkSnap(mkSvc("default/kiada", "LoadBalancer", tt.mods...), nodes, eps...)
			p, err := Predict(snap, Request{Service: "default/kiada"})
			if err != nil {
				t.Fatal(err)
			}
			var healthy []string
			for _, n := range p.Nodes {
				if n.LBHealthy {
					healthy = append(healthy, n.Name)
				}
			}
			if got := strings.Join(healthy, ","); got != tt.healthy {
				t.Errorf("healthy nodes = %s, want %s", got, tt.healthy)
			}
			if math.Abs(p.Dropped-tt.dropped) > 1e-9 {
				t.Errorf("dropped = %.4f, want %.4f", p.Dropped, tt.dropped)
			}
			found := false
			for _, f := range p.Findings {
				if f.Code == CodeHealthProbePortMismatch {
					found = true
					if f.Level != tt.level {
						t.Errorf("%s level = %s, want %s", f.Code, f.Level, tt.level)
					}
				}
			}
			if found != (tt.code != "") {
				t.Errorf("HealthProbePortMismatch present = %v, want %v: %v", found, tt.code != "", p.Findings)
			}
		})
	}
}

// TestDNSAnswers: headless and ExternalName Services are not kube-proxy
// flows. The prediction says what cluster DNS answers and invents no
// share, lane or lost client IP.
func TestDNSAnswers(t *testing.T) {
	extName := func(s *Service) {
		s.Type, s.ClusterIP, s.ExternalName, s.Ports = "ExternalName", "", "db.example.com", nil
	}
	tests := []struct {
		name      string
		snap      *Snapshot
		want      DNSAnswer
		code      string
		level     Level
		endpoints int
	}{
		{"headless: the ready pods' addresses", mkSnap(mkSvc("default/kiada", "ClusterIP", headless, iTPLocal), kiadaNodes(),
			mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1"), mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1", epNotReady)),
			DNSAnswer{Name: "kiada.default.svc", Addresses: []string{"10.0.0.1"}}, CodeHeadless, LevelInfo, 2},
		{"headless without a ready pod: no address", mkSnap(mkSvc("default/kiada", "ClusterIP", headless), kiadaNodes(),
			mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epNotReady)),
			DNSAnswer{Name: "kiada.default.svc", Addresses: []string{}}, CodeNoEndpoints, LevelError, 1},
		{"ExternalName: a CNAME", &Snapshot{Services: []Service{mkSvc("default/db", "ClusterIP", extName)}, NodesKnown: true},
			DNSAnswer{Name: "db.default.svc", CNAME: "db.example.com"}, CodeExternalName, LevelInfo, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Predict(tt.snap, Request{Service: tt.snap.Services[0].Key()})
			if err != nil {
				t.Fatal(err)
			}
			if p.DNS == nil || !reflect.DeepEqual(*p.DNS, tt.want) {
				t.Errorf("dns = %+v, want %+v", p.DNS, tt.want)
			}
			if len(p.Endpoints) != tt.endpoints || len(p.Flows) != 0 || p.Dropped != 0 || p.Rejected != 0 {
				t.Errorf("endpoints %d (want %d), flows %d, dropped %v, rejected %v: want no flows and nothing lost",
					len(p.Endpoints), tt.endpoints, len(p.Flows), p.Dropped, p.Rejected)
			}
			for _, e := range p.Endpoints {
				if e.Share != 0 {
					t.Errorf("endpoint %s has share %v; a DNS answer has no shares", e.Pod, e.Share)
				}
			}
			if !p.ClientIPPreserved && tt.snap.Services[0].Type != "ExternalName" {
				t.Errorf("clientIPPreserved = false: clients connect to the pod directly")
			}
			var codes []string
			for _, f := range p.Findings {
				codes = append(codes, f.Code)
				if f.Code == CodeClientIPLost {
					t.Errorf("%s must not appear for a DNS answer", f.Code)
				}
			}
			if len(p.Findings) == 0 || p.Findings[0].Code != tt.code || p.Findings[0].Level != tt.level {
				t.Errorf("findings = %v, want %s (%s) first", codes, tt.code, tt.level)
			}
		})
	}
}

// TestMissingInput: what a dump lacks is marked unknown, never reported
// as an outage.
func TestMissingInput(t *testing.T) {
	noSlices := func(s *Snapshot) *Snapshot { s.Slices = nil; s.SlicesMissing = true; return s }
	tests := []struct {
		name    string
		snap    *Snapshot
		unknown []string
		missing []string
		codes   []string
		absent  []string
		// outage is set where the input does tell: nothing serves.
		outage bool
	}{
		{"no EndpointSlices in the input", noSlices(mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), kiadaNodes(), kiadaEPs()...)),
			[]string{UnknownEndpoints}, []string{KindEndpointSlices}, []string{CodeEndpointsUnknown, CodeLBPending},
			[]string{CodeNoEndpoints, CodeNoLBBackends, CodeLBHealthCheckExcludesNodes, CodeAllLBBackendsUnhealthy, CodeClientIPLost}, false},
		{"selector Service without a slice while others have theirs", func() *Snapshot {
			s := mkSnap(mkSvc("default/kiada", "ClusterIP"), kiadaNodes(), kiadaEPs()...)
			s.Services = append(s.Services, mkSvc("default/other", "ClusterIP"))
			s.Normalize()
			return s
		}(), []string{UnknownEndpoints}, nil, []string{CodeEndpointsUnknown}, []string{CodeNoEndpoints}, false},
		{"selector-less Service without a slice has no endpoint", func() *Snapshot {
			s := mkSnap(mkSvc("default/kiada", "ClusterIP"), kiadaNodes(), kiadaEPs()...)
			other := mkSvc("default/other", "ClusterIP")
			other.Selector = nil
			s.Services = append(s.Services, other)
			s.Normalize()
			return s
		}(), nil, nil, []string{CodeNoEndpoints}, []string{CodeEndpointsUnknown}, true},
		{"no EndpointSlices and no Nodes: nothing invented", func() *Snapshot {
			s := noSlices(mkSnap(mkSvc("default/kiada", "LoadBalancer"), nil))
			s.Nodes, s.NodesKnown = nil, false
			return s
		}(), []string{UnknownEndpoints, UnknownNodes}, []string{KindEndpointSlices, KindNodes}, []string{CodeEndpointsUnknown, CodeNodesUnknown},
			[]string{CodeNoEndpoints, CodeNoLBBackends}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := tt.snap.Services[0].Key()
			if strings.Contains(tt.name, "while others") || strings.Contains(tt.name, "selector-less") {
				key = "default/other"
			}
			p, err := Predict(tt.snap, Request{Service: key})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Unknown, tt.unknown) || !slices.Equal(p.InputMissing, tt.missing) {
				t.Errorf("unknown = %v, inputMissing = %v; want %v, %v", p.Unknown, p.InputMissing, tt.unknown, tt.missing)
			}
			if lost := p.Dropped + p.Rejected; (lost != 0) != tt.outage {
				t.Errorf("dropped %v, rejected %v; want lost traffic %v", p.Dropped, p.Rejected, tt.outage)
			}
			for _, c := range tt.codes {
				if !hasFinding(p, c) {
					t.Errorf("no %s finding: %v", c, p.Findings)
				}
			}
			for _, c := range tt.absent {
				if hasFinding(p, c) {
					t.Errorf("%s finding where the input cannot tell: %v", c, p.Findings)
				}
			}
			for _, f := range p.Findings {
				if f.Level == LevelError && !tt.outage {
					t.Errorf("error finding %s on missing input", f.Code)
				}
			}
		})
	}
}

// TestUnknownPortListsThePortsAsKubectlDoes: a --port the Service lacks
// is refused with its ports written name:port/protocol, not a Go slice.
func TestUnknownPortListsThePortsAsKubectlDoes(t *testing.T) {
	svc := mkSvc("default/kiada", TypeLoadBalancer, func(s *Service) {
		s.Ports = append(s.Ports, ServicePort{Name: "https", Port: 443, TargetPort: "8443"}, ServicePort{Port: 9090, Protocol: "UDP"})
	})
	_, err := Predict(mkSnap(svc, kiadaNodes(), kiadaEPs()...), Request{Service: "default/kiada", Port: "nope"})
	want := `service default/kiada has no port "nope" (ports: http:80/TCP, https:443/TCP, 9090/UDP)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}
