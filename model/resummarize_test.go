package model

import (
	"reflect"
	"testing"
)

// Resummarize must give exactly what Summarize gives, whatever changed,
// while predicting again only what the change touches.
func TestResummarizeMatchesSummarize(t *testing.T) {
	base := manyServices(30, 40, 3)
	rows := Summarize(base, "")
	clone := func(s *Snapshot) *Snapshot {
		c := *s
		c.Services = append([]Service(nil), s.Services...)
		c.Slices = append([]EndpointSlice(nil), s.Slices...)
		c.Pods = append([]Pod(nil), s.Pods...)
		c.Nodes = append([]Node(nil), s.Nodes...)
		return &c
	}
	tests := []struct {
		name   string
		change func(*Snapshot)
	}{
		{"nothing", func(*Snapshot) {}},
		{"one Service's policy", func(s *Snapshot) { s.Services[3].InternalTrafficPolicy = PolicyLocal }},
		{"one endpoint goes not ready", func(s *Snapshot) {
			sl := &s.Slices[5]
			eps := append([]Endpoint(nil), sl.Endpoints...)
			eps[0].Ready = bptr(false)
			sl.Endpoints = eps
		}},
		{"a node goes down", func(s *Snapshot) { s.Nodes[7].Ready = false }},
		{"a Service is added", func(s *Snapshot) {
			s.Services = append(s.Services, mkSvc("team-99/new", TypeClusterIP))
			s.Normalize()
		}},
		{"a Service is removed", func(s *Snapshot) { s.Services = s.Services[1:] }},
		{"a pod is added", func(s *Snapshot) {
			s.Pods = append(s.Pods, Pod{Namespace: "team-01", Name: "x", NodeName: "node-00001", Labels: map[string]string{"app": "svc-0001"}})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := clone(base)
			tt.change(next)
			got := Resummarize(base, rows, next, "")
			want := Summarize(next, "")
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Resummarize differs from Summarize")
				for i := range min(len(got), len(want)) {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("row %d: got %+v\nwant %+v", i, got[i], want[i])
						break
					}
				}
			}
		})
	}
}

// BenchmarkResummarizeOneSlice: after one slice changes in a cluster of
// 1,000 Services on 2,000 nodes, one Service is predicted again.
func BenchmarkResummarizeOneSlice(b *testing.B) {
	base := manyServices(1000, 2000, 10)
	rows := Summarize(base, "")
	next := *base
	next.Slices = append([]EndpointSlice(nil), base.Slices...)
	eps := append([]Endpoint(nil), next.Slices[10].Endpoints...)
	eps[0].Ready = bptr(false)
	next.Slices[10].Endpoints = eps
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		Resummarize(base, rows, &next, "")
	}
}

// A Service behind a route is summed up with the route's other backends:
// a change to another backend's slice, or to the route, redoes its row.
func TestResummarizeFollowsEntries(t *testing.T) {
	base := canarySnap(90, 10)
	rows := Summarize(base, "")
	next := *base
	next.Slices = append([]EndpointSlice(nil), base.Slices...)
	for i := range next.Slices {
		if next.Slices[i].Service == "checkout-v2" {
			eps := append([]Endpoint(nil), next.Slices[i].Endpoints...)
			for j := range eps {
				eps[j].Ready, eps[j].Serving = bptr(false), bptr(false)
			}
			next.Slices[i].Endpoints = eps
		}
	}
	routed := next
	routed.Routes = []Route{base.Routes[0]}
	routed.Routes[0].Rules = []RouteRule{{Backends: []RouteBackend{{Name: "checkout-v1", Weight: 1}}}}
	for _, s := range []*Snapshot{&next, &routed} {
		got, want := Resummarize(base, rows, s, ""), Summarize(s, "")
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Resummarize differs from Summarize:\n got %+v\nwant %+v", got, want)
		}
	}
}
