package model

import (
	"math"
	"strings"
	"testing"
)

// threeNodesTwoPods: node-c hosts no pod of the Service.
func threeNodesTwoPods(mods ...func(*Service)) *Snapshot {
	return mkSnap(mkSvc("default/kiada", "LoadBalancer", mods...),
		[]Node{mkNode("node-a", "z1"), mkNode("node-b", "z2"), mkNode("node-c", "z3")},
		mkEP("default/kiada-001", "10.0.0.1", "node-a", "z1"),
		mkEP("default/kiada-002", "10.0.1.1", "node-b", "z2"))
}

func TestEvaluateWhatIfJudgesEverySource(t *testing.T) {
	azure := func(s *Service) {
		s.Annotations = map[string]string{"service.beta.kubernetes.io/azure-load-balancer-health-probe-interval": "10"}
	}
	type row struct {
		verdict string
		lost    [2]float64
	}
	tests := []struct {
		name  string
		snap  *Snapshot
		req   Request
		worst string
		rows  map[string]row
		// transition: seconds and lost share; -1 seconds for none.
		tSeconds int
		tLost    float64
		tTargets string
	}{
		{
			name: "internalTrafficPolicy=Local: the load balancer's view is unchanged, in-cluster clients on node-c are dropped",
			snap: threeNodesTwoPods(), req: Request{Overrides: mustParse(KeyInternalTrafficPolicy + "=Local")},
			worst: "internal",
			rows: map[string]row{
				"lb":       {VerdictUnchanged, [2]float64{0, 0}},
				"nodeport": {VerdictUnchanged, [2]float64{0, 0}},
				"internal": {VerdictWorse, [2]float64{0, 1.0 / 3}},
			},
			tSeconds: -1,
		},
		{
			name: "externalTrafficPolicy Cluster→Local: NodePort clients on node-c dropped; the LB drains node-c after its probe fails",
			snap: threeNodesTwoPods(azure), req: Request{Overrides: mustParse(KeyExternalTrafficPolicy + "=Local")},
			worst: "nodeport",
			rows: map[string]row{
				"lb":       {VerdictBetter, [2]float64{0, 0}}, // client IP kept, nothing lost
				"nodeport": {VerdictWorse, [2]float64{0, 1.0 / 3}},
				"internal": {VerdictUnchanged, [2]float64{0, 0}},
			},
			tSeconds: 20, tLost: 1.0 / 3, tTargets: "node-c",
		},
		{
			name: "node-down drill: the LB keeps sending to node-a until its probe fails",
			snap: threeNodesTwoPods(azure), req: Request{Drills: []Drill{{Kind: DrillNodeDown, Target: "node-a"}}},
			worst: "nodeport",
			rows: map[string]row{
				// Less cross-zone traffic, but a pod no longer ready.
				"lb":       {VerdictMixed, [2]float64{0, 0}},
				"nodeport": {VerdictWorse, [2]float64{0, 1.0 / 3}},
				"internal": {VerdictMixed, [2]float64{0, 0}},
			},
			tSeconds: 20, tLost: 1.0 / 3, tTargets: "node-a",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req
			req.Service = "default/kiada"
			w, err := EvaluateWhatIf(tt.snap, req)
			if err != nil {
				t.Fatal(err)
			}
			if len(w.Sources) != len(tt.rows) {
				t.Fatalf("%d sources, want %d", len(w.Sources), len(tt.rows))
			}
			if got := w.Sources[0].Source.String(); got != tt.worst {
				t.Errorf("worst source = %s, want %s", got, tt.worst)
			}
			for _, c := range w.Sources {
				want := tt.rows[c.Source.String()]
				lost := c.Lost()
				if c.Verdict != want.verdict || math.Abs(lost.Before-want.lost[0]) > 1e-9 || math.Abs(lost.After-want.lost[1]) > 1e-9 {
					t.Errorf("%s: %s, lost %.3f → %.3f; want %s, %.3f → %.3f", c.Source, c.Verdict, lost.Before, lost.After,
						want.verdict, want.lost[0], want.lost[1])
				}
			}
			if !w.Changed() {
				t.Error("Changed() = false")
			}
			switch {
			case tt.tSeconds < 0 && w.Transition != nil:
				t.Errorf("transition %+v, want none", *w.Transition)
			case tt.tSeconds >= 0 && w.Transition == nil:
				t.Errorf("no transition, want %ds", tt.tSeconds)
			case tt.tSeconds >= 0:
				tr := w.Transition
				if tr.Seconds != tt.tSeconds || math.Abs(tr.Dropped+tr.Rejected-tt.tLost) > 1e-9 || strings.Join(tr.Targets, ",") != tt.tTargets {
					t.Errorf("transition %ds lost %.3f to %v; want %ds, %.3f, %s", tr.Seconds, tr.Dropped+tr.Rejected, tr.Targets,
						tt.tSeconds, tt.tLost, tt.tTargets)
				}
			}
		})
	}
}

// A what-if that sets what the Service already has promises nothing:
// no simulated hints, no change, and a note on what is really missing.
func TestEvaluateWhatIfAlreadySet(t *testing.T) {
	td := func(s *Service) { s.TrafficDistribution = "PreferClose" }
	snap := mkSnap(mkSvc("shop/catalog", "ClusterIP", td), threeZoneNodes(),
		mkEP("shop/catalog-1", "10.1.0.1", "a1", "za"),
		mkEP("shop/catalog-2", "10.2.0.1", "b1", "zb"),
		mkEP("shop/catalog-3", "10.3.0.1", "c1", "zc"))
	w, err := EvaluateWhatIf(snap, Request{Service: "shop/catalog", Overrides: mustParse(KeyTrafficDistribution + "=PreferClose")})
	if err != nil {
		t.Fatal(err)
	}
	if w.Changed() {
		t.Errorf("the what-if changes traffic: %+v", w.Sources)
	}
	if len(w.AlreadySet) != 1 || w.AlreadySet[0].Key != KeyTrafficDistribution || !strings.Contains(w.AlreadySet[0].Missing, "no hints") {
		t.Errorf("alreadySet = %+v, want trafficDistribution with the missing hints named", w.AlreadySet)
	}
}

func mustParse(kv ...string) Overrides {
	o, err := ParseOverrides(kv)
	if err != nil {
		panic(err)
	}
	return o
}
