package model

import (
	"math"
)

// Diff is what changes between two predictions of the same Service and
// source: the current state ("before") and a what-if ("after"). Its JSON
// form is the "changes" part of `ktraffic diff -o json`, a public
// contract like Prediction's.
type Diff struct {
	Settings []SettingChange `json:"settings"`
	// Nodes and Endpoints list every node and pod of either side, in the
	// before side's order with after-only ones last.
	Nodes             []NodeChange     `json:"nodes"`
	Endpoints         []EndpointChange `json:"endpoints"`
	Dropped           NumberChange     `json:"dropped"`
	Rejected          NumberChange     `json:"rejected"`
	CrossNode         NumberChange     `json:"crossNode"`
	CrossZone         NumberChange     `json:"crossZone"`
	ClientIPPreserved BoolChange       `json:"clientIPPreserved"`
	// FindingsAppeared and FindingsCleared are matched by code and message:
	// a finding whose numbers changed clears and appears again.
	FindingsAppeared []Finding `json:"findingsAppeared"`
	FindingsCleared  []Finding `json:"findingsCleared"`
	// Connections compares the stated client side's load bands, when the
	// request stated one (see ConnectionsChange).
	Connections *ConnectionsChange `json:"connections,omitempty"`
}

// Side says on which side of a diff something exists, when only one.
type Side string

// Sides of a diff.
const (
	SideBefore Side = "before"
	SideAfter  Side = "after"
)

// NumberChange is a share before and after; Delta is After-Before with
// float noise cleared, so a zero Delta means "unchanged".
type NumberChange struct {
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	Delta  float64 `json:"delta"`
}

// BoolChange is a yes/no property before and after.
type BoolChange struct {
	Before bool `json:"before"`
	After  bool `json:"after"`
}

// Changed reports whether the value differs.
func (c BoolChange) Changed() bool { return c.Before != c.After }

// SettingChange is one effective setting that differs.
type SettingChange struct {
	Key    string `json:"key"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// NodeChange is one node's share and load-balancer health on both sides.
type NodeChange struct {
	Name string `json:"name"`
	Zone string `json:"zone"`
	// OnlyIn is set when the node is in one prediction only.
	OnlyIn    Side         `json:"onlyIn,omitempty"`
	Share     NumberChange `json:"share"`
	LBHealthy BoolChange   `json:"lbHealthy"`
}

// EndpointChange is one pod's share on both sides. Pod falls back to the
// endpoint's IP for endpoints that name no pod.
type EndpointChange struct {
	Pod    string       `json:"pod"`
	Node   string       `json:"node"`
	OnlyIn Side         `json:"onlyIn,omitempty"`
	Share  NumberChange `json:"share"`
	// Ready is the endpoint's ready condition on both sides (false on the
	// side where it does not exist).
	Ready BoolChange `json:"ready"`
}

// diffEpsilon is below any share a prediction can meaningfully produce;
// differences smaller than it are float noise.
const diffEpsilon = 1e-9

func numberChange(before, after float64) NumberChange {
	d := after - before
	if math.Abs(d) < diffEpsilon {
		d = 0
	}
	return NumberChange{Before: before, After: after, Delta: d}
}

// Changed reports whether the value moved.
func (c NumberChange) Changed() bool { return c.Delta != 0 }

// NewDiff compares two predictions. They are meant to be of the same
// Service and source; nothing stops comparing others.
func NewDiff(before, after *Prediction) *Diff {
	d := &Diff{
		Settings:          settingChanges(before.Settings, after.Settings),
		Dropped:           numberChange(before.Dropped, after.Dropped),
		Rejected:          numberChange(before.Rejected, after.Rejected),
		CrossNode:         numberChange(before.CrossNode, after.CrossNode),
		CrossZone:         numberChange(before.CrossZone, after.CrossZone),
		ClientIPPreserved: BoolChange{before.ClientIPPreserved, after.ClientIPPreserved},
		Nodes:             []NodeChange{},
		Endpoints:         []EndpointChange{},
	}
	d.diffNodes(before.Nodes, after.Nodes)
	d.diffEndpoints(before.Endpoints, after.Endpoints)
	d.FindingsAppeared = findingsMissing(after.Findings, before.Findings)
	d.FindingsCleared = findingsMissing(before.Findings, after.Findings)
	d.Connections = connectionsChange(before.Connections, after.Connections)
	return d
}

func (d *Diff) diffNodes(before, after []NodeShare) {
	idx := make(map[string]int, len(after))
	for i, n := range after {
		idx[n.Name] = i
	}
	seen := make(map[string]bool, len(before))
	for _, b := range before {
		seen[b.Name] = true
		c := NodeChange{Name: b.Name, Zone: b.Zone}
		if i, ok := idx[b.Name]; ok {
			a := after[i]
			c.Share = numberChange(b.Share, a.Share)
			c.LBHealthy = BoolChange{b.LBHealthy, a.LBHealthy}
		} else {
			c.OnlyIn = SideBefore
			c.Share = numberChange(b.Share, 0)
			c.LBHealthy = BoolChange{Before: b.LBHealthy}
		}
		d.Nodes = append(d.Nodes, c)
	}
	for _, a := range after {
		if !seen[a.Name] {
			d.Nodes = append(d.Nodes, NodeChange{Name: a.Name, Zone: a.Zone, OnlyIn: SideAfter,
				Share: numberChange(0, a.Share), LBHealthy: BoolChange{After: a.LBHealthy}})
		}
	}
}

func endpointKey(e EndpointShare) string {
	if e.Pod != "" {
		return e.Pod
	}
	return e.IP
}

func (d *Diff) diffEndpoints(before, after []EndpointShare) {
	idx := make(map[string]int, len(after))
	for i, e := range after {
		idx[endpointKey(e)] = i
	}
	seen := make(map[string]bool, len(before))
	for _, b := range before {
		k := endpointKey(b)
		seen[k] = true
		c := EndpointChange{Pod: k, Node: b.Node}
		if i, ok := idx[k]; ok {
			a := after[i]
			c.Share = numberChange(b.Share, a.Share)
			c.Ready = BoolChange{b.Ready, a.Ready}
		} else {
			c.OnlyIn = SideBefore
			c.Share = numberChange(b.Share, 0)
			c.Ready = BoolChange{Before: b.Ready}
		}
		d.Endpoints = append(d.Endpoints, c)
	}
	for _, a := range after {
		if k := endpointKey(a); !seen[k] {
			d.Endpoints = append(d.Endpoints, EndpointChange{Pod: k, Node: a.Node, OnlyIn: SideAfter,
				Share: numberChange(0, a.Share), Ready: BoolChange{After: a.Ready}})
		}
	}
}

// findingsMissing returns the findings of from that other lacks, in
// from's order; a finding counted twice in from and once in other is
// missing once.
func findingsMissing(from, other []Finding) []Finding {
	type key struct{ code, msg string }
	have := make(map[key]int, len(other))
	for _, f := range other {
		have[key{f.Code, f.Message}]++
	}
	out := []Finding{}
	for _, f := range from {
		k := key{f.Code, f.Message}
		if have[k] > 0 {
			have[k]--
			continue
		}
		out = append(out, f)
	}
	return out
}

func settingChanges(before, after Settings) []SettingChange {
	out := []SettingChange{}
	for _, k := range OverrideKeys() {
		if b, a := before.Value(k), after.Value(k); b != a {
			out = append(out, SettingChange{Key: k, Before: b, After: a})
		}
	}
	return out
}

// Changed reports whether the two predictions differ in anything the
// diff compares.
func (d *Diff) Changed() bool { return len(d.Settings) > 0 || d.trafficChanged(true) }

// trafficChanged is Changed without the settings: whether the traffic,
// or what the findings say of it, moves. lbHealth counts the load
// balancer's view of the nodes, which only the lb source sees.
func (d *Diff) trafficChanged(lbHealth bool) bool {
	if len(d.FindingsAppeared) > 0 || len(d.FindingsCleared) > 0 ||
		d.Dropped.Changed() || d.Rejected.Changed() || d.CrossNode.Changed() || d.CrossZone.Changed() ||
		d.ClientIPPreserved.Changed() || d.Connections.changed() {
		return true
	}
	for _, n := range d.Nodes {
		if n.OnlyIn != "" || n.Share.Changed() || (lbHealth && n.LBHealthy.Changed()) {
			return true
		}
	}
	for _, e := range d.Endpoints {
		if e.OnlyIn != "" || e.Share.Changed() || e.Ready.Changed() {
			return true
		}
	}
	return false
}
