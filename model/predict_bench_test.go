package model

import (
	"fmt"
	"testing"
)

// bigSnapshot: one Service with one endpoint on each of n nodes spread
// over 3 zones, in slices of 100 endpoints (the controller's default).
func bigSnapshot(n int, hints bool) *Snapshot {
	zones := []string{"us-east-1a", "us-east-1b", "us-east-1c"}
	snap := &Snapshot{Source: "bench", NodesKnown: true}
	svc := mkSvc("shop/checkout", "LoadBalancer")
	snap.Services = []Service{svc}
	var eps []Endpoint
	for i := 0; i < n; i++ {
		node := fmt.Sprintf("node-%05d", i)
		zone := zones[i%3]
		snap.Nodes = append(snap.Nodes, mkNode(node, zone))
		e := mkEP(fmt.Sprintf("shop/checkout-%05d", i), fmt.Sprintf("10.%d.%d.%d", i/65536, i/256%256, i%256), node, zone)
		if hints {
			e.HintZones = []string{zone}
		}
		eps = append(eps, e)
	}
	for i := 0; i < len(eps); i += 100 {
		snap.Slices = append(snap.Slices, EndpointSlice{Namespace: "shop", Name: fmt.Sprintf("checkout-%03d", i/100), Service: "checkout",
			Ports: []EndpointPort{{Name: "http", Port: 8080}}, Endpoints: eps[i:min(i+100, len(eps))]})
	}
	snap.Normalize()
	return snap
}

// BenchmarkPredictInternal5000: every node a client of a Service with an
// endpoint on each of 5,000 nodes. Target: ≤ 10 ms of CPU (cpu-ms/op,
// the garbage collector's work included) and ≤ 16 MB per op.
func BenchmarkPredictInternal5000(b *testing.B) {
	for _, hints := range []bool{false, true} {
		snap := bigSnapshot(5000, hints)
		b.Run(fmt.Sprintf("hints=%v", hints), func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				p, err := Predict(snap, Request{Service: "shop/checkout", Source: TrafficSource{Kind: SourceInternal}})
				if err != nil || len(p.Endpoints) != 5000 {
					b.Fatal(err)
				}
			}
		})
	}
}

// reportCPU reports the process's CPU time per op (user and system, every
// thread: the collector's work counts), which a loaded machine's wall
// time hides.
func reportCPU(b *testing.B) func() {
	start, ok := cpuTime()
	return func() {
		if end, ok2 := cpuTime(); ok && ok2 {
			b.ReportMetric(float64(end-start)/1e6/float64(b.N), "cpu-ms/op")
		}
	}
}

func BenchmarkPredictLB5000(b *testing.B) {
	snap := bigSnapshot(5000, false)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := Predict(snap, Request{Service: "shop/checkout", Overrides: Overrides{ExternalTrafficPolicy: ptr("Local")}}); err != nil {
			b.Fatal(err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestBigPredictionIsConsistent keeps the benchmark honest: the folded
// flows still add up, and the cross-zone share is what 3 even zones give.
func TestBigPredictionIsConsistent(t *testing.T) {
	snap := bigSnapshot(3000, false)
	p, err := Predict(snap, Request{Service: "shop/checkout", Source: TrafficSource{Kind: SourceInternal}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Flows) > 3*3000 {
		t.Errorf("%d flows: want them folded per zone", len(p.Flows))
	}
	sum := 0.0
	for _, f := range p.Flows {
		sum += f.Share
		if f.Node == "" && (f.NodeGroup == "" || f.GroupZone == "") {
			t.Fatalf("folded flow without a node group and its zone: %+v", f)
		}
	}
	if d := sum - 1; d > 1e-6 || d < -1e-6 {
		t.Errorf("flows sum to %v, want 1", sum)
	}
	if d := p.CrossZone - 2.0/3; d > 1e-9 || d < -1e-9 {
		t.Errorf("cross-zone = %v, want 2/3", p.CrossZone)
	}
	if d := p.CrossNode - (1 - 1.0/3000); d > 1e-9 || d < -1e-9 {
		t.Errorf("cross-node = %v, want %v", p.CrossNode, 1-1.0/3000)
	}
}

// BenchmarkSummarize: the service list and check over 1,000 Services on
// 2,000 nodes in 3 zones, each Service with 10 pods on its own nodes
// (half of them Local), every source of each. A Service's cost must
// follow its endpoints, not the node count: compare nodes=200.
func BenchmarkSummarize(b *testing.B) {
	for _, nodes := range []int{200, 2000} {
		snap := manyServices(1000, nodes, 10)
		b.Run(fmt.Sprintf("nodes=%d", nodes), func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				if rows := Summarize(snap, ""); len(rows) != 1000 {
					b.Fatal(len(rows))
				}
			}
		})
	}
}

// manyServices: services LoadBalancer Services of pods endpoints each on
// a cluster of n nodes in 3 zones.
func manyServices(services, n, pods int) *Snapshot {
	zones := []string{"us-east-1a", "us-east-1b", "us-east-1c"}
	snap := &Snapshot{Source: "bench", NodesKnown: true}
	for i := range n {
		snap.Nodes = append(snap.Nodes, mkNode(fmt.Sprintf("node-%05d", i), zones[i%3]))
	}
	for s := range services {
		var mods []func(*Service)
		if s%2 == 0 {
			mods = append(mods, eTPLocal)
		}
		svc := mkSvc(fmt.Sprintf("team-%02d/svc-%04d", s%40, s), "LoadBalancer", mods...)
		snap.Services = append(snap.Services, svc)
		var eps []Endpoint
		for p := range pods {
			node := snap.Nodes[(s*7+p*13)%n]
			eps = append(eps, mkEP(fmt.Sprintf("%s/%s-%02d", svc.Namespace, svc.Name, p),
				fmt.Sprintf("10.%d.%d.%d", s/256, s%256, p), node.Name, node.Zone))
		}
		snap.Slices = append(snap.Slices, EndpointSlice{Namespace: svc.Namespace, Name: svc.Name + "-abcde", Service: svc.Name,
			AddressType: "IPv4", Ports: []EndpointPort{{Name: "http", Port: 8080, Protocol: "TCP"}}, Endpoints: eps})
	}
	snap.Normalize()
	return snap
}
