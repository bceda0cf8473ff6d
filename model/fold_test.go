package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestFoldMatchesFull: a summary that predicts alike nodes once must say
// exactly what predicting every node says — shares, losses, the losing
// nodes it names and every finding's words — on random clusters.
func TestFoldMatchesFull(t *testing.T) {
	for seed := uint64(1); seed <= 400; seed++ {
		snap := randomSnapshot(rand.New(rand.NewPCG(seed, 7)))
		idx := newSnapIndex(snap)
		idx.indexClasses()
		for i := range snap.Services {
			svc := &snap.Services[i]
			srcs := SourcesFor(svc, TrafficSource{})
			if len(snap.Nodes) > 0 {
				srcs = append(srcs, TrafficSource{Kind: SourceInternal, Node: snap.Nodes[len(snap.Nodes)/2].Name})
			}
			for _, src := range srcs {
				req := Request{Service: svc.Key(), Source: src, OutcomeOnly: true}
				full, err := run(snap, req, idx, false)
				if err != nil {
					continue
				}
				folded, err := run(snap, req, idx, true)
				if err != nil {
					t.Fatalf("seed %d %s from %s: folded fails where full does not: %v", seed, svc.Key(), src, err)
				}
				a, b := full.outcome(), folded.outcome()
				if !outcomesEqual(a, b) {
					t.Fatalf("seed %d %s from %s (%d nodes folded to %d):\nfull   %s\nfolded %s", seed, svc.Key(), src,
						len(snap.Nodes), len(folded.nodes), describeOutcome(a), describeOutcome(b))
				}
				for j, e := range full.pred.Endpoints {
					if math.Abs(e.Share-folded.pred.Endpoints[j].Share) > 1e-9 {
						t.Fatalf("seed %d %s from %s: %s share %v full, %v folded", seed, svc.Key(), src, e.Pod, e.Share, folded.pred.Endpoints[j].Share)
					}
				}
			}
		}
	}
}

func outcomesEqual(a, b SourceOutcome) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
	return near(a.Dropped, b.Dropped) && near(a.Rejected, b.Rejected) && near(a.CrossNode, b.CrossNode) &&
		near(a.CrossZone, b.CrossZone) && a.ClientIPPreserved == b.ClientIPPreserved &&
		a.NodesLosing == b.NodesLosing && reflect.DeepEqual(a.LosingNodes, b.LosingNodes) &&
		reflect.DeepEqual(a.Findings, b.Findings)
}

func describeOutcome(o SourceOutcome) string {
	s := fmt.Sprintf("dropped %.4f rejected %.4f crossNode %.4f crossZone %.4f ip %v losing %d %v",
		o.Dropped, o.Rejected, o.CrossNode, o.CrossZone, o.ClientIPPreserved, o.NodesLosing, o.LosingNodes)
	for _, f := range o.Findings {
		s += "\n    " + string(f.Level) + " " + f.Code + ": " + f.Message
	}
	return s
}

// randomSnapshot is a small cluster with the corners that matter: nodes
// down, excluded or being deleted, zones with and without pods,
// endpoints in every condition, hints on some, Services of every type
// and policy.
func randomSnapshot(r *rand.Rand) *Snapshot {
	zones := []string{"z1", "z2", "z3", ""}[:1+r.IntN(4)]
	snap := &Snapshot{Source: "random", NodesKnown: true}
	nNodes := 2 + r.IntN(14)
	for i := range nNodes {
		n := mkNode(fmt.Sprintf("node-%02d", i), zones[r.IntN(len(zones))])
		switch r.IntN(12) {
		case 0:
			n.Ready = false
		case 1:
			n.Labels[LabelExcludeFromLB] = "true"
		case 2:
			n.TaintKeys = []string{TaintToBeDeletedByCA}
		case 3:
			n.Deleting = true
		}
		snap.Nodes = append(snap.Nodes, n)
	}
	types := []ServiceType{TypeClusterIP, TypeNodePort, TypeLoadBalancer, TypeLoadBalancer}
	for s := range 1 + r.IntN(3) {
		var mods []func(*Service)
		if r.IntN(2) == 0 {
			mods = append(mods, eTPLocal)
		}
		if r.IntN(3) == 0 {
			mods = append(mods, iTPLocal)
		}
		if r.IntN(5) == 0 {
			mods = append(mods, func(s *Service) { s.SessionAffinity, s.SessionAffinityTimeoutSeconds = "ClientIP", 600 })
		}
		if r.IntN(5) == 0 {
			mods = append(mods, func(s *Service) { s.TrafficDistribution = "PreferClose" })
		}
		if r.IntN(6) == 0 {
			mods = append(mods, withAnn(AnnotationGKEWeightedLB, "pods-per-node"))
		}
		if r.IntN(6) == 0 {
			mods = append(mods, withAnn("service.beta.kubernetes.io/port_80_health-probe_port", "30080"))
		}
		svc := mkSvc(fmt.Sprintf("default/svc-%d", s), types[r.IntN(len(types))], mods...)
		var eps []Endpoint
		hints := r.IntN(3)
		for e := range r.IntN(7) {
			node := snap.Nodes[r.IntN(len(snap.Nodes))]
			ep := mkEP(fmt.Sprintf("default/svc-%d-%d", s, e), fmt.Sprintf("10.%d.%d.%d", s, e, r.IntN(250)), node.Name, node.Zone)
			switch r.IntN(6) {
			case 0:
				epNotReady(&ep)
			case 1:
				epTerminating(&ep)
			}
			switch {
			case hints == 1 && node.Zone != "":
				ep.HintZones = []string{zones[r.IntN(len(zones))]}
			case hints == 2:
				ep.HintNodes = []string{snap.Nodes[r.IntN(len(snap.Nodes))].Name}
			}
			eps = append(eps, ep)
			snap.Pods = append(snap.Pods, Pod{Namespace: "default", Name: ep.PodName, NodeName: ep.NodeName, IP: ep.Addresses[0],
				Labels: map[string]string{"app": svc.Name}, Ready: *ep.Ready})
		}
		snap.Services = append(snap.Services, svc)
		snap.Slices = append(snap.Slices, EndpointSlice{Namespace: "default", Name: svc.Name + "-x", Service: svc.Name,
			AddressType: "IPv4", Ports: []EndpointPort{{Name: "http", Port: 8080, Protocol: "TCP"}}, Endpoints: eps})
	}
	snap.Normalize()
	return snap
}
