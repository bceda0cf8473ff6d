package model

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestNewDiff(t *testing.T) {
	before := &Prediction{
		Settings: Settings{ExternalTrafficPolicy: "Cluster", InternalTrafficPolicy: "Cluster", SessionAffinity: "None", LBMode: "nodes"},
		Nodes: []NodeShare{
			{Name: "node-a", Zone: "z1", Share: 0.5, LBHealthy: true},
			{Name: "node-b", Zone: "z1", Share: 0.5, LBHealthy: true},
		},
		Endpoints: []EndpointShare{
			{Pod: "default/p1", Node: "node-a", Ready: true, Share: 1.0 / 3},
			{Pod: "default/p2", Node: "node-b", Ready: true, Share: 1.0 / 3},
			{Pod: "default/p3", Node: "node-b", Ready: true, Share: 1.0 / 3},
			{IP: "10.0.0.9", Node: "node-b", Ready: true, Share: 0},
		},
		CrossNode: 0.5, ClientIPPreserved: false,
		Findings: []Finding{{Level: LevelInfo, Code: "ClientIPLost", Message: "lost"}, {Level: LevelWarning, Code: "Same", Message: "kept"}},
	}
	after := &Prediction{
		Settings: Settings{ExternalTrafficPolicy: "Local", InternalTrafficPolicy: "Cluster", SessionAffinity: "None", LBMode: "nodes"},
		Nodes: []NodeShare{
			{Name: "node-b", Zone: "z1", Share: 0.5, LBHealthy: true},
			{Name: "node-c", Zone: "z2", Share: 0.5, LBHealthy: false},
		},
		Endpoints: []EndpointShare{
			{Pod: "default/p2", Node: "node-b", Ready: true, Share: 0.25},
			{Pod: "default/p3", Node: "node-b", Ready: false, Share: 0.25},
			{Pod: "default/p4", Node: "node-c", Ready: true, Share: 0.5},
			{IP: "10.0.0.9", Node: "node-b", Ready: true, Share: 0},
		},
		Dropped: 0, CrossNode: 0.5 + 1e-12, ClientIPPreserved: true,
		Findings: []Finding{{Level: LevelWarning, Code: "Same", Message: "kept"}, {Level: LevelWarning, Code: "LocalPolicyImbalance", Message: "imbalance"}},
	}
	d := NewDiff(before, after)

	if want := []SettingChange{{Key: "externalTrafficPolicy", Before: "Cluster", After: "Local"}}; !reflect.DeepEqual(d.Settings, want) {
		t.Errorf("Settings = %+v, want %+v", d.Settings, want)
	}
	wantNodes := []NodeChange{
		{Name: "node-a", Zone: "z1", OnlyIn: SideBefore, Share: NumberChange{0.5, 0, -0.5}, LBHealthy: BoolChange{Before: true}},
		{Name: "node-b", Zone: "z1", Share: NumberChange{0.5, 0.5, 0}, LBHealthy: BoolChange{true, true}},
		{Name: "node-c", Zone: "z2", OnlyIn: SideAfter, Share: NumberChange{0, 0.5, 0.5}},
	}
	if !reflect.DeepEqual(d.Nodes, wantNodes) {
		t.Errorf("Nodes =\n%+v\nwant\n%+v", d.Nodes, wantNodes)
	}
	gotPods := map[string]EndpointChange{}
	for _, e := range d.Endpoints {
		gotPods[e.Pod] = e
	}
	if len(d.Endpoints) != 5 {
		t.Errorf("Endpoints has %d entries, want 5: %+v", len(d.Endpoints), d.Endpoints)
	}
	if e := gotPods["default/p1"]; e.OnlyIn != SideBefore || e.Share.After != 0 || e.Share.Delta >= 0 {
		t.Errorf("p1 = %+v, want before-only, share gone", e)
	}
	if e := gotPods["default/p3"]; e.OnlyIn != "" || !e.Ready.Changed() || e.Share.Delta >= 0 {
		t.Errorf("p3 = %+v, want readiness lost and share down", e)
	}
	if e := gotPods["default/p4"]; e.OnlyIn != SideAfter || e.Share.Delta != 0.5 {
		t.Errorf("p4 = %+v, want after-only +0.5", e)
	}
	if e, ok := gotPods["10.0.0.9"]; !ok || e.Share.Changed() {
		t.Errorf("pod-less endpoint matched by IP = %+v, %v", e, ok)
	}
	if d.CrossNode.Changed() {
		t.Errorf("CrossNode %+v: float noise counted as a change", d.CrossNode)
	}
	if !d.ClientIPPreserved.Changed() || !d.ClientIPPreserved.After {
		t.Errorf("ClientIPPreserved = %+v", d.ClientIPPreserved)
	}
	if want := []Finding{{Level: LevelWarning, Code: "LocalPolicyImbalance", Message: "imbalance"}}; !reflect.DeepEqual(d.FindingsAppeared, want) {
		t.Errorf("FindingsAppeared = %+v", d.FindingsAppeared)
	}
	if want := []Finding{{Level: LevelInfo, Code: "ClientIPLost", Message: "lost"}}; !reflect.DeepEqual(d.FindingsCleared, want) {
		t.Errorf("FindingsCleared = %+v", d.FindingsCleared)
	}
	if !d.Changed() {
		t.Error("Changed() = false")
	}
}

func TestNewDiffIdentical(t *testing.T) {
	p := &Prediction{
		Nodes:     []NodeShare{{Name: "n", Share: 1, LBHealthy: true}},
		Endpoints: []EndpointShare{{Pod: "ns/p", Share: 1, Ready: true}},
		Findings:  []Finding{{Code: "A", Message: "x"}, {Code: "A", Message: "x"}},
	}
	d := NewDiff(p, p)
	if d.Changed() {
		t.Fatalf("identical predictions differ: %+v", d)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	// Empty lists stay lists: scripts index them without null checks.
	want := `{"settings":[],"nodes":[{"name":"n","zone":"","share":{"before":1,"after":1,"delta":0},"lbHealthy":{"before":true,"after":true}}],` +
		`"endpoints":[{"pod":"ns/p","node":"","share":{"before":1,"after":1,"delta":0},"ready":{"before":true,"after":true}}],` +
		`"dropped":{"before":0,"after":0,"delta":0},"rejected":{"before":0,"after":0,"delta":0},` +
		`"crossNode":{"before":0,"after":0,"delta":0},"crossZone":{"before":0,"after":0,"delta":0},` +
		`"clientIPPreserved":{"before":false,"after":false},"findingsAppeared":[],"findingsCleared":[]}`
	if string(b) != want {
		t.Fatalf("JSON =\n%s\nwant\n%s", b, want)
	}
}

func TestFindingsMissingCountsDuplicates(t *testing.T) {
	f := Finding{Code: "A", Message: "x"}
	if got := findingsMissing([]Finding{f, f}, []Finding{f}); len(got) != 1 {
		t.Fatalf("got %v, want one", got)
	}
}
