package model

// Conformance cases: each one states the kube-proxy (or EndpointSlice
// controller / cloud-provider) file and function whose behaviour it pins.
//
// They guard subtle rules the other tests do not cover; the cases of
// TestConformanceEndpointSliceCache, ...PublishNotReadyAddresses and
// ...NodeZone each began as a discrepancy a review found and the
// predictor then fixed.
//
// Sources read (kubernetes/kubernetes unless noted):
//   pkg/proxy/topology.go                 CategorizeEndpoints, topologyModeFromHints, availableForTopology
//   pkg/proxy/endpointslicecache.go       endpointInfoByServicePort, addEndpoints
//   pkg/proxy/endpointschangetracker.go   EndpointSliceUpdate, LocalReadyEndpoints, getLocalReadyEndpointIPs
//   pkg/proxy/serviceport.go              UsesClusterEndpoints, UsesLocalEndpoints, ExternallyAccessible
//   pkg/proxy/iptables/proxier.go         syncProxyRules (REJECT vs DROP, KUBE-EXT masquerade)
//   pkg/proxy/nftables/proxier.go         syncProxyRules (same verdicts)
//   pkg/proxy/healthcheck/service_health.go  hcHandler.ServeHTTP
//   k8s.io/endpointslice utils.go podToEndpoint, trafficdist.ReconcileHints
//   k8s.io/cloud-provider controllers/service/controller.go  nodeIncludedPredicate

import (
	"math"
	"strings"
	"testing"
)

// confCase is one prediction and what kube-proxy makes of it. Unlisted
// pods and IPs are not checked; listed ones that are absent count as 0.
type confCase struct {
	name string
	snap *Snapshot
	req  Request
	// byPod sums the shares of every endpoint of a pod (name without
	// namespace); byIP is one endpoint's share by address.
	byPod     map[string]float64
	byIP      map[string]float64
	nodeShare map[string]float64
	// readyLocal is each node's readyLocalEndpoints (the health check's
	// localEndpoints); lbHealthy what the LB's health check sees.
	readyLocal map[string]int
	lbHealthy  map[string]bool
	dropped    float64
	rejected   float64
	clientIP   *bool
}

func confBool(b bool) *bool { return &b }

func runConfCases(t *testing.T, cases []confCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req
			req.Service = tt.snap.Services[0].Key()
			p, err := Predict(tt.snap, req)
			if err != nil {
				t.Fatalf("Predict: %v", err)
			}
			pods, ips := map[string]float64{}, map[string]float64{}
			sum := p.Dropped + p.Rejected
			for _, e := range p.Endpoints {
				_, name, _ := strings.Cut(e.Pod, "/")
				pods[name] += e.Share
				ips[e.IP] += e.Share
				sum += e.Share
			}
			for pod, w := range tt.byPod {
				if g := pods[pod]; math.Abs(g-w) > 1e-9 {
					t.Errorf("share of pod %s = %.4f, want %.4f (all: %v)", pod, g, w, pods)
				}
			}
			for ip, w := range tt.byIP {
				if g := ips[ip]; math.Abs(g-w) > 1e-9 {
					t.Errorf("share of endpoint %s = %.4f, want %.4f (all: %v)", ip, g, w, ips)
				}
			}
			nodes := map[string]NodeShare{}
			for _, n := range p.Nodes {
				nodes[n.Name] = n
			}
			for n, w := range tt.nodeShare {
				if g := nodes[n].Share; math.Abs(g-w) > 1e-9 {
					t.Errorf("share of node %s = %.4f, want %.4f", n, g, w)
				}
			}
			for n, w := range tt.readyLocal {
				if g := nodes[n].ReadyLocalEndpoints; g != w {
					t.Errorf("readyLocalEndpoints of %s = %d, want %d", n, g, w)
				}
			}
			for n, w := range tt.lbHealthy {
				if g := nodes[n].LBHealthy; g != w {
					t.Errorf("lbHealthy of %s = %v, want %v", n, g, w)
				}
			}
			if math.Abs(p.Dropped-tt.dropped) > 1e-9 || math.Abs(p.Rejected-tt.rejected) > 1e-9 {
				t.Errorf("dropped, rejected = %.4f, %.4f; want %.4f, %.4f", p.Dropped, p.Rejected, tt.dropped, tt.rejected)
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("endpoint shares + dropped + rejected = %v, want 1", sum)
			}
			if tt.clientIP != nil && p.ClientIPPreserved != *tt.clientIP {
				t.Errorf("clientIPPreserved = %v, want %v", p.ClientIPPreserved, *tt.clientIP)
			}
		})
	}
}

// confZoneNodes: zones za (a1, a2) and zb (b1), plus nz1 without a zone label.
func confZoneNodes() []Node {
	return []Node{mkNode("a1", "za"), mkNode("a2", "za"), mkNode("b1", "zb"), mkNode("nz1", "")}
}

// confZoneEPs: one pod per zoned node, each hinted for its own zone (and,
// with node hints, its own node).
func confZoneEPs(mods ...func(*Endpoint)) []Endpoint {
	all := append([]func(*Endpoint){epZoneHintOwn}, mods...)
	return []Endpoint{
		mkEP("shop/p-a1", "10.1.0.1", "a1", "za", all...),
		mkEP("shop/p-a2", "10.1.0.2", "a2", "za", all...),
		mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", all...),
	}
}

func confKiadaNodes(extra ...Node) []Node {
	return append([]Node{mkNode("node-a", "z1"), mkNode("node-b", "z1")}, extra...)
}

func confKiadaEPs(mods ...func(*Endpoint)) []Endpoint {
	return []Endpoint{
		mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", mods...),
		mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1", mods...),
		mkEP("default/kiada-003", "10.0.1.2", "node-b", "z1", mods...),
	}
}

func epReadyNotServing(e *Endpoint) {
	e.Ready, e.Serving, e.Terminating = bptr(true), bptr(false), bptr(false)
}

// epReadyTerminating is what the EndpointSlice controller writes for a
// terminating pod of a publishNotReadyAddresses Service (podToEndpoint:
// ready = publishNotReadyAddresses || (serving && !terminating)).
func epReadyTerminating(e *Endpoint) {
	e.Ready, e.Serving, e.Terminating = bptr(true), bptr(true), bptr(true)
}

// epTermServingUnset: not ready, terminating, serving unset (kube-proxy
// reads an unset serving as true).
func epTermServingUnset(e *Endpoint) {
	e.Ready, e.Serving, e.Terminating = bptr(false), nil, bptr(true)
}

func epOtherZoneHint(z string) func(*Endpoint) {
	return func(e *Endpoint) { e.HintZones = []string{z} }
}

func TestConformance(t *testing.T) {
	runConfCases(t, []confCase{
		// --- topology hints: which traffic, which precedence ---
		{
			// topology.go CategorizeEndpoints: clusterEndpoints (with topology)
			// are computed whenever UsesClusterEndpoints; iptables/nftables
			// proxier sends external traffic under eTP=Cluster to the same
			// cluster chain, so hints apply to NodePort traffic too.
			name:     "zone hints apply to external NodePort traffic under externalTrafficPolicy Cluster",
			snap:     mkSnap(mkSvc("shop/checkout", "NodePort"), confZoneNodes(), confZoneEPs()...),
			req:      Request{Source: TrafficSource{Kind: SourceNodePort, Node: "b1"}},
			byPod:    map[string]float64{"p-a1": 0, "p-a2": 0, "p-b1": 1},
			clientIP: confBool(false),
		},
		{
			// Same rule for load-balancer traffic: each backend node applies
			// its own zone's hints. 4 backends, 1/4 each: a1, a2 → p-a1;
			// b1 → p-b1, p-b2; nz1 (no zone label) → all three.
			name: "zone hints apply to LB traffic under externalTrafficPolicy Cluster",
			snap: mkSnap(mkSvc("shop/checkout", "LoadBalancer"), confZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epZoneHintOwn),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epZoneHintOwn),
				mkEP("shop/p-b2", "10.2.0.2", "b1", "zb", epZoneHintOwn)),
			byPod:    map[string]float64{"p-a1": .5 + 1.0/12, "p-b1": 1.0/8 + 1.0/12, "p-b2": 1.0/8 + 1.0/12},
			clientIP: confBool(false),
		},
		{
			// CategorizeEndpoints: localEndpoints = IsLocal && IsReady, no
			// availableForTopology filter.
			name: "externalTrafficPolicy Local ignores hints: local endpoints only",
			snap: mkSnap(mkSvc("shop/checkout", "NodePort", eTPLocal), confZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epOtherZoneHint("zb")),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epOtherZoneHint("za"))),
			req:      Request{Source: TrafficSource{Kind: SourceNodePort, Node: "a1"}},
			byPod:    map[string]float64{"p-a1": 1, "p-b1": 0},
			clientIP: confBool(true),
		},
		{
			name: "internalTrafficPolicy Local ignores hints: local endpoints only",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP", iTPLocal), confZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epOtherZoneHint("zb")),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epOtherZoneHint("za"))),
			req:   Request{Source: TrafficSource{Kind: SourceInternal, Node: "a1"}},
			byPod: map[string]float64{"p-a1": 1, "p-b1": 0},
		},
		{
			// topologyModeFromHints: zone "" → hasEndpointForZone is false →
			// "Ignoring same-zone topology hints ... node is missing label".
			name:  "a node without a zone label ignores zone hints and spreads cluster-wide",
			snap:  mkSnap(mkSvc("shop/checkout", "ClusterIP"), confZoneNodes(), confZoneEPs()...),
			req:   Request{Source: TrafficSource{Kind: SourceInternal, Node: "nz1"}},
			byPod: map[string]float64{"p-a1": 1.0 / 3, "p-a2": 1.0 / 3, "p-b1": 1.0 / 3},
		},
		{
			// Node hints are checked before and independently of the zone.
			name: "a node without a zone label still honours node hints",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), confZoneNodes(),
				append(confZoneEPs(epNodeHintOwn), mkEP("shop/p-nz", "10.9.0.1", "nz1", "", epNodeHintOwn, epOtherZoneHint("za")))...),
			req:   Request{Source: TrafficSource{Kind: SourceInternal, Node: "nz1"}},
			byPod: map[string]float64{"p-nz": 1, "p-a1": 0, "p-a2": 0, "p-b1": 0},
		},
		{
			// topologyModeFromHints: every ready endpoint has a node hint but
			// none names this node → node hints ignored; zone hints missing on
			// one ready endpoint → zone hints ignored too → cluster-wide.
			name: "all node hints but one zone hint missing: a node with no node-hinted endpoint spreads cluster-wide",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), confZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epNodeHintOwn, epZoneHintOwn),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epNodeHintOwn)),
			req:   Request{Source: TrafficSource{Kind: SourceInternal, Node: "a2"}},
			byPod: map[string]float64{"p-a1": .5, "p-b1": .5},
		},
		{
			// Node hints missing on one ready endpoint → PreferSameNode off;
			// every ready endpoint zone-hinted → PreferSameZone.
			name: "one node hint missing: zone hints still apply",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), confZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epZoneHintOwn),
				mkEP("shop/p-a2", "10.1.0.2", "a2", "za", epZoneHintOwn, epNodeHintOwn),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epZoneHintOwn, epNodeHintOwn)),
			req:   Request{Source: TrafficSource{Kind: SourceInternal, Node: "a2"}},
			byPod: map[string]float64{"p-a1": .5, "p-a2": .5, "p-b1": 0},
		},
		{
			// Hints name zones, not the endpoint's own zone: kube-proxy uses
			// the hint, whatever zone the endpoint is in.
			name: "a zone hint for another zone sends that zone's traffic there",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), confZoneNodes(),
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epOtherZoneHint("zb")),
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epOtherZoneHint("za"))),
			req:   Request{Source: TrafficSource{Kind: SourceInternal, Node: "a1"}},
			byPod: map[string]float64{"p-a1": 0, "p-b1": 1},
		},
		{
			// CategorizeEndpoints: the serving-terminating fallback is not
			// filtered by topology.
			name: "cluster fallback to serving-terminating endpoints ignores hints",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"), confZoneNodes(),
				confZoneEPs(epTerminating)...),
			req:   Request{Source: TrafficSource{Kind: SourceInternal, Node: "b1"}},
			byPod: map[string]float64{"p-a1": 1.0 / 3, "p-a2": 1.0 / 3, "p-b1": 1.0 / 3},
		},

		// --- policies per traffic class ---
		{
			// iptables proxier: NodePort traffic goes to externalTrafficChain,
			// which follows externalTrafficPolicy only; internalTrafficPolicy
			// applies to the ClusterIP alone.
			name:     "internalTrafficPolicy Local does not affect NodePort traffic from outside",
			snap:     mkSnap(mkSvc("default/kiada", "NodePort", iTPLocal), confKiadaNodes(mkNode("node-c", "z1")), confKiadaEPs()...),
			req:      Request{Source: TrafficSource{Kind: SourceNodePort, Node: "node-c"}},
			byPod:    map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3},
			clientIP: confBool(false),
		},
		{
			name:     "externalTrafficPolicy Local does not affect ClusterIP traffic",
			snap:     mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), confKiadaNodes(mkNode("node-c", "z1")), confKiadaEPs()...),
			req:      Request{Source: TrafficSource{Kind: SourceInternal, Node: "node-c"}},
			byPod:    map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3},
			clientIP: confBool(true),
		},
		{
			// syncProxyRules: hasEndpoints counts serving-terminating
			// endpoints anywhere, so a node without local endpoints DROPs
			// (not REJECTs) even when nothing is ready.
			name: "internal Local, only terminating endpoints elsewhere: dropped, not rejected",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP", iTPLocal), confKiadaNodes(mkNode("node-c", "z1")),
				confKiadaEPs(epTerminating)...),
			req:     Request{Source: TrafficSource{Kind: SourceInternal, Node: "node-c"}},
			byPod:   map[string]float64{"kiada-001": 0, "kiada-002": 0, "kiada-003": 0},
			dropped: 1,
		},
		{
			// Terminating and not serving is not usable: hasEndpoints false →
			// REJECT even under a Local policy.
			name: "NodePort Local, only terminating not-serving endpoints: rejected",
			snap: mkSnap(mkSvc("default/kiada", "NodePort", eTPLocal), confKiadaNodes(),
				confKiadaEPs(epTermNotServ)...),
			req:      Request{Source: TrafficSource{Kind: SourceNodePort, Node: "node-a"}},
			rejected: 1,
		},
		{
			// CategorizeEndpoints: the Local fallback to serving-terminating
			// endpoints is per node and independent of ready endpoints on
			// other nodes.
			name: "NodePort Local: a node's own terminating endpoint serves though others are ready",
			snap: mkSnap(mkSvc("default/kiada", "NodePort", eTPLocal), confKiadaNodes(),
				mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epTerminating),
				mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1")),
			req:      Request{Source: TrafficSource{Kind: SourceNodePort, Node: "node-a"}},
			byPod:    map[string]float64{"kiada-001": 1, "kiada-002": 0},
			clientIP: confBool(true),
		},

		// --- conditions ---
		{
			// endpointslicecache addEndpoints: serving == nil means true.
			name: "not ready, terminating, serving unset: serving defaults to true for the fallback",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(),
				confKiadaEPs(epTermServingUnset)...),
			byPod: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3},
		},
		{
			// kube-proxy selects on IsReady(); serving only matters for the
			// terminating fallback.
			name: "ready but not serving still counts as ready",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(),
				mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epReadyNotServing),
				mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1")),
			byPod: map[string]float64{"kiada-001": .5, "kiada-002": .5},
		},
		{
			// ready=true + terminating=true (publishNotReadyAddresses) is a
			// ready endpoint: no fallback, full member of the cluster set.
			name: "ready and terminating is ready",
			snap: mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(),
				mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epReadyTerminating),
				mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1")),
			byPod: map[string]float64{"kiada-001": .5, "kiada-002": .5},
		},
		{
			// addEndpoints: an existing entry is replaced only by a
			// non-terminating one; a terminating duplicate after a ready one
			// is ignored.
			name: "duplicate address: a later terminating copy does not replace a ready one",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(), confKiadaEPs()...)
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-zzzzz", Service: "kiada",
					Ports:     s.Slices[0].Ports,
					Endpoints: []Endpoint{mkEP("default/kiada-old", "10.0.0.1", "node-a", "z1", epTerminating)}})
				return s
			}(),
			byIP: map[string]float64{"10.0.0.1": 1.0 / 3, "10.0.1.1": 1.0 / 3, "10.0.1.2": 1.0 / 3},
		},

		// --- health check ---
		{
			// endpointschangetracker getLocalReadyEndpointIPs: only IsReady
			// endpoints count; service_health.go answers 503 on 0.
			name: "LB Local: a node with only a terminating local endpoint fails the health check",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), confKiadaNodes(),
				mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epTerminating),
				mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1"),
				mkEP("default/kiada-003", "10.0.1.2", "node-b", "z1")),
			byPod:      map[string]float64{"kiada-001": 0, "kiada-002": .5, "kiada-003": .5},
			nodeShare:  map[string]float64{"node-a": 0, "node-b": 1},
			readyLocal: map[string]int{"node-a": 0, "node-b": 2},
			lbHealthy:  map[string]bool{"node-a": false, "node-b": true},
			clientIP:   confBool(true),
		},
		{
			// LocalReadyEndpoints squashes by IP: a pod behind two Service
			// ports is one local endpoint, not two.
			name: "health check counts a pod serving two ports once",
			snap: func() *Snapshot {
				svc := mkSvc("default/kiada", "LoadBalancer", eTPLocal)
				svc.Ports = append(svc.Ports, ServicePort{Name: "https", Protocol: "TCP", Port: 443, TargetPort: "8443", NodePort: 30443})
				s := mkSnap(svc, confKiadaNodes(), confKiadaEPs()...)
				s.Slices[0].Ports = append(s.Slices[0].Ports, EndpointPort{Name: "https", Port: 8443, Protocol: "TCP"})
				return s
			}(),
			readyLocal: map[string]int{"node-a": 1, "node-b": 2},
			byPod:      map[string]float64{"kiada-001": .5, "kiada-002": .25, "kiada-003": .25},
		},
		{
			// nodeIncludedPredicate (cloud-provider): the exclude label with a
			// value that does not parse as a bool excludes the node.
			name: "exclude label with an unparsable value excludes the node",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer"),
				confKiadaNodes(mkNode("node-c", "z1", labelExclude("")), mkNode("node-d", "z1", labelExclude("False"))), confKiadaEPs()...),
			nodeShare: map[string]float64{"node-a": 1.0 / 3, "node-b": 1.0 / 3, "node-c": 0, "node-d": 1.0 / 3},
		},
	})
}

// TestConformanceEndpointSliceCache: how kube-proxy turns EndpointSlices
// into a Service port's endpoints.
// TestConformanceNoEntry: when nothing takes the traffic in, it is lost,
// and the prediction says so: shares, dropped and rejected still add up
// to 1. The cloud-provider service controller's nodeIncludedPredicate
// (k8s.io/cloud-provider controllers/service/controller.go) leaves a load
// balancer with no backend when every node is excluded, tainted for
// deletion or being deleted.
func TestConformanceNoEntry(t *testing.T) {
	deleting := func(n *Node) { n.Deleting = true }
	runConfCases(t, []confCase{
		{
			name: "every node excluded, tainted for deletion or being deleted: the load balancer has no backend",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer"),
				[]Node{mkNode("node-a", "z1", excluded), mkNode("node-b", "z1", taintedToBeDeleted), mkNode("node-c", "z1", deleting)},
				confKiadaEPs()...),
			byPod:   map[string]float64{"kiada-001": 0, "kiada-002": 0, "kiada-003": 0},
			dropped: 1,
		},
		{
			name: "single-node mode with no node able to announce the address",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", withAnn("metallb.universe.tf/address-pool", "default")),
				[]Node{mkNode("node-a", "z1", notReadyNode), mkNode("node-b", "z1", excluded)}, confKiadaEPs()...),
			dropped: 1,
		},
	})
}

func TestConformanceEndpointSliceCache(t *testing.T) {
	runConfCases(t, []confCase{
		{
			// endpointschangetracker.go EndpointSliceUpdate: a proxier handles
			// only slices of its own address type ("Ignoring unsupported
			// EndpointSlice"); endpointslicecache addEndpoints in older
			// releases dropped addresses of the other family. Traffic to an
			// IPv4 ClusterIP is spread by the IPv4 proxier over the IPv4
			// endpoints only: a dual-stack Service must not halve every share.
			name: "dual-stack: traffic to the IPv4 ClusterIP uses only the IPv4 slice",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(), confKiadaEPs()...)
				s.Slices[0].AddressType = "IPv4"
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-v6xyz", Service: "kiada",
					AddressType: "IPv6", Ports: s.Slices[0].Ports, Endpoints: []Endpoint{
						mkEP("default/kiada-001", "fd00::1", "node-a", "z1"),
						mkEP("default/kiada-002", "fd00::2", "node-b", "z1"),
						mkEP("default/kiada-003", "fd00::3", "node-b", "z1"),
					}})
				return s
			}(),
			byIP: map[string]float64{"10.0.0.1": 1.0 / 3, "10.0.1.1": 1.0 / 3, "10.0.1.2": 1.0 / 3,
				"fd00::1": 0, "fd00::2": 0, "fd00::3": 0},
		},
		{
			// Each family's proxier runs its own service health server
			// (iptables/nftables NewProxier: healthcheck.NewServiceHealthServer
			// per ipFamily) fed by its own EndpointsMap.LocalReadyEndpoints,
			// which only holds that family's slices: a dual-stack pod is one
			// local endpoint, whichever family the load balancer probes.
			name: "dual-stack: the health check counts a pod once, not once per family",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), confKiadaNodes(), confKiadaEPs()...)
				s.Slices[0].AddressType = "IPv4"
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-v6xyz", Service: "kiada",
					AddressType: "IPv6", Ports: s.Slices[0].Ports, Endpoints: []Endpoint{
						mkEP("default/kiada-001", "fd00::1", "node-a", "z1"),
						mkEP("default/kiada-002", "fd00::2", "node-b", "z1"),
						mkEP("default/kiada-003", "fd00::3", "node-b", "z1"),
					}})
				return s
			}(),
			readyLocal: map[string]int{"node-a": 1, "node-b": 2},
			byIP:       map[string]float64{"10.0.0.1": .5, "10.0.1.1": .25, "10.0.1.2": .25},
		},
		{
			// EndpointSliceUpdate: only IPv4/IPv6 slices are supported; FQDN
			// slices are ignored.
			name: "FQDN slices are ignored",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(), confKiadaEPs()...)
				s.Slices[0].AddressType = "IPv4"
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-fqdn", Service: "kiada",
					AddressType: "FQDN", Ports: s.Slices[0].Ports, Endpoints: []Endpoint{
						{Addresses: []string{"kiada-ext.example.com"}, Ready: bptr(true)},
					}})
				return s
			}(),
			byIP: map[string]float64{"10.0.0.1": 1.0 / 3, "10.0.1.1": 1.0 / 3, "10.0.1.2": 1.0 / 3, "kiada-ext.example.com": 0},
		},
		{
			// endpointslicecache endpointInfoByServicePort iterates the
			// slice's ports; a slice without ports yields no endpoint for any
			// Service port ("TODO: handle nil ports to mean all"). No
			// endpoints → REJECT.
			name: "a slice without ports gives the Service port no endpoints: rejected",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(), confKiadaEPs()...)
				s.Slices[0].Ports = nil
				return s
			}(),
			byPod:    map[string]float64{"kiada-001": 0, "kiada-002": 0, "kiada-003": 0},
			rejected: 1,
		},
		{
			// endpointInfoByServicePort keys endpoints by ServicePortName
			// {name, protocol}: a UDP "http" slice port is not the TCP "http"
			// Service port.
			name: "a slice port of another protocol does not serve the Service port: rejected",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(), confKiadaEPs()...)
				s.Slices[0].Ports = []EndpointPort{{Name: "http", Port: 8080, Protocol: "UDP"}}
				return s
			}(),
			byPod:    map[string]float64{"kiada-001": 0, "kiada-002": 0, "kiada-003": 0},
			rejected: 1,
		},
		{
			// addEndpoints de-duplicates on Endpoint.String(), "IP:port": the
			// same address with two target port numbers is two endpoints.
			name: "de-duplication is by IP:port, not by IP",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(), confKiadaEPs()...)
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-zzzzz", Service: "kiada",
					Ports:     []EndpointPort{{Name: "http", Port: 9090, Protocol: "TCP"}},
					Endpoints: []Endpoint{mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1")}})
				return s
			}(),
			byPod: map[string]float64{"kiada-001": .5, "kiada-002": .25, "kiada-003": .25},
		},
		{
			// addEndpoints: `if !exists || !terminating` — when a pod IP is
			// reused while the old pod terminates, the non-terminating
			// endpoint wins whatever the slice order.
			name: "duplicate address: a ready endpoint replaces an earlier terminating one",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(),
					mkEP("default/kiada-old", "10.0.0.1", "node-a", "z1", epTerminating),
					mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1"),
					mkEP("default/kiada-003", "10.0.1.2", "node-b", "z1"))
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-zzzzz", Service: "kiada",
					Ports:     s.Slices[0].Ports,
					Endpoints: []Endpoint{mkEP("default/kiada-new", "10.0.0.1", "node-a", "z1")}})
				return s
			}(),
			byIP: map[string]float64{"10.0.0.1": 1.0 / 3, "10.0.1.1": 1.0 / 3, "10.0.1.2": 1.0 / 3},
		},
		{
			// addEndpoints keeps one copy per IP:port; getLocalReadyEndpointIPs
			// then reads only that copy. Here the later, non-terminating copy
			// (not ready) replaces the ready-but-terminating one in either
			// slice order, so node-a has no ready local endpoint and fails the
			// health check although a ready copy exists in the input.
			name: "duplicate address: the health check counts only the copy the cache keeps",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), confKiadaNodes(),
					mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epReadyTerminating),
					mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1"),
					mkEP("default/kiada-003", "10.0.1.2", "node-b", "z1"))
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-zzzzz", Service: "kiada",
					Ports:     s.Slices[0].Ports,
					Endpoints: []Endpoint{mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epNotReady)}})
				return s
			}(),
			readyLocal: map[string]int{"node-a": 0, "node-b": 2},
			lbHealthy:  map[string]bool{"node-a": false, "node-b": true},
			byPod:      map[string]float64{"kiada-001": 0, "kiada-002": .5, "kiada-003": .5},
		},
		{
			// endpointInfoByServicePort opens an EndpointsMap entry for every
			// slice port, whether or not the Service has that port, and
			// LocalReadyEndpoints counts every entry of the Service. A slice
			// still listing an old port name (a rename in progress) makes its
			// node pass the health check, while the Service port has no
			// endpoint there: the load balancer sends to node-a, which drops.
			name: "health check counts ready endpoints under a slice port the Service no longer has",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal), confKiadaNodes(),
					mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1"),
					mkEP("default/kiada-003", "10.0.1.2", "node-b", "z1"))
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-old", Service: "kiada",
					Ports:     []EndpointPort{{Name: "web", Port: 8080, Protocol: "TCP"}},
					Endpoints: []Endpoint{mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1")}})
				return s
			}(),
			readyLocal: map[string]int{"node-a": 1, "node-b": 2},
			lbHealthy:  map[string]bool{"node-a": true, "node-b": true},
			byPod:      map[string]float64{"kiada-001": 0, "kiada-002": .25, "kiada-003": .25},
			nodeShare:  map[string]float64{"node-a": .5, "node-b": .5},
			dropped:    .5,
		},
		{
			// addEndpoints keys on ParseIPSloppy(address).String(): two
			// spellings of one address are one endpoint.
			name: "duplicate address in another spelling is one endpoint",
			snap: func() *Snapshot {
				s := mkSnap(mkSvc("default/kiada", "ClusterIP"), confKiadaNodes(), confKiadaEPs()...)
				s.Slices = append(s.Slices, EndpointSlice{Namespace: "default", Name: "kiada-zzzzz", Service: "kiada",
					Ports:     s.Slices[0].Ports,
					Endpoints: []Endpoint{mkEP("default/kiada-001", "010.000.000.001", "node-a", "z1")}})
				return s
			}(),
			byPod: map[string]float64{"kiada-001": 1.0 / 3, "kiada-002": 1.0 / 3, "kiada-003": 1.0 / 3},
		},
	})
}

// TestConformancePublishNotReadyAddresses: kube-proxy never reads
// publishNotReadyAddresses; only the EndpointSlice controller does, when it
// writes ready (k8s.io/endpointslice utils.go podToEndpoint). Slices it does
// not write — a selector-less Service's hand-made or mirrored slices — keep
// their own ready condition, and kube-proxy (endpointslicecache addEndpoints,
// getLocalReadyEndpointIPs) follows it.
func TestConformancePublishNotReadyAddresses(t *testing.T) {
	selectorless := func(s *Service) { s.Selector = nil; s.PublishNotReadyAddresses = true }
	runConfCases(t, []confCase{
		{
			name:     "selector-less Service: not-ready endpoints stay not ready; no endpoints → rejected",
			snap:     mkSnap(mkSvc("default/kiada", "ClusterIP", selectorless), confKiadaNodes(), confKiadaEPs(epNotReady)...),
			byPod:    map[string]float64{"kiada-001": 0, "kiada-002": 0, "kiada-003": 0},
			rejected: 1,
		},
		{
			name: "selector-less Service: the health check does not count a not-ready local endpoint",
			snap: mkSnap(mkSvc("default/kiada", "LoadBalancer", eTPLocal, selectorless), confKiadaNodes(),
				mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1", epNotReady),
				mkEP("default/kiada-002", "10.0.1.1", "node-b", "z1"),
				mkEP("default/kiada-003", "10.0.1.2", "node-b", "z1")),
			byPod:      map[string]float64{"kiada-001": 0, "kiada-002": .5, "kiada-003": .5},
			readyLocal: map[string]int{"node-a": 0, "node-b": 2},
			lbHealthy:  map[string]bool{"node-a": false, "node-b": true},
		},
	})
}

// TestConformanceNodeZone: kube-proxy takes a node's zone from the
// node's own topology.kubernetes.io/zone label (topology.go
// CategorizeEndpoints: zone := topologyLabels[v1.LabelTopologyZone]). When
// Node objects are known, a node without the label has no zone, whatever
// zone its endpoints report; Snapshot.Normalize (mergeDerivedNodes) fills
// it from the endpoints and so turns zone hints on for that node.
func TestConformanceNodeZone(t *testing.T) {
	runConfCases(t, []confCase{
		{
			name: "known node without zone label: an endpoint's zone does not give it one",
			snap: mkSnap(mkSvc("shop/checkout", "ClusterIP"),
				[]Node{mkNode("a1", "za"), mkNode("a2", ""), mkNode("b1", "zb")},
				mkEP("shop/p-a1", "10.1.0.1", "a1", "za", epZoneHintOwn),
				mkEP("shop/p-a2", "10.1.0.2", "a2", "za", epZoneHintOwn), // written before a2 lost its label
				mkEP("shop/p-b1", "10.2.0.1", "b1", "zb", epZoneHintOwn)),
			req:   Request{Source: TrafficSource{Kind: SourceInternal, Node: "a2"}},
			byPod: map[string]float64{"p-a1": 1.0 / 3, "p-a2": 1.0 / 3, "p-b1": 1.0 / 3},
		},
	})
}
