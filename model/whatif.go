package model

import (
	"math"
	"sort"
	"strings"
)

// WhatIf is a change judged by all the traffic it touches: the detailed
// before/after of one source (the one asked for, else the Service type's
// own), and a summary of every source the Service has, worst change
// first, with what happens while the load balancer catches up.
type WhatIf struct {
	Before *Prediction `json:"before"`
	After  *Prediction `json:"after"`
	Diff   *Diff       `json:"changes"`
	// Sources has one row per source (SourcesFor), the worst change first.
	Sources []SourceChange `json:"sources"`
	// Transition is what the load balancer does until its health probes
	// catch up with the change; nil when no target starts losing traffic.
	Transition *Transition `json:"transition,omitempty"`
	// AlreadySet lists the overrides whose value the Service already has:
	// applying them changes nothing.
	AlreadySet []AlreadySet `json:"alreadySet,omitempty"`
	// Cordoned lists the nodes a node-cordon drill cordons: users expect
	// a cordon to move traffic, and it moves none (CordonText says why).
	Cordoned []string `json:"cordoned,omitempty"`
}

// CordonText says why cordoning node moves no traffic: spec.unschedulable
// only keeps new pods off the node. The service controller stopped
// reading it in Kubernetes 1.19 (kubernetes/kubernetes#90823, the
// exclude label and the autoscaler's taint took its place); kube-proxy
// never did.
func CordonText(node string) string {
	return node + " stays in the load balancer and keeps its endpoints: cordoning only keeps new pods off it; neither kube-proxy nor the service controller (since 1.19) reads spec.unschedulable."
}

// Verdicts of a SourceChange.
const (
	VerdictWorse     = "worse"
	VerdictBetter    = "better"
	VerdictMixed     = "mixed"
	VerdictChanged   = "changed"
	VerdictUnchanged = "unchanged"
)

// SourceChange is one source's totals before and after a change.
type SourceChange struct {
	Source            TrafficSource `json:"source"`
	Verdict           string        `json:"verdict"`
	Dropped           NumberChange  `json:"dropped"`
	Rejected          NumberChange  `json:"rejected"`
	CrossNode         NumberChange  `json:"crossNode"`
	CrossZone         NumberChange  `json:"crossZone"`
	ClientIPPreserved BoolChange    `json:"clientIPPreserved"`
	// MaxPodShift is the largest change of one pod's share, in the
	// source's traffic (0.167 = 16.7 points).
	MaxPodShift float64 `json:"maxPodShift"`
	// NodesLosing counts the entry nodes that lose traffic, before and
	// after; LosingNodes names the first of them after the change.
	NodesLosing      IntChange `json:"nodesLosing"`
	LosingNodes      []string  `json:"losingNodes,omitempty"`
	FindingsAppeared []Finding `json:"findingsAppeared"`
	FindingsCleared  []Finding `json:"findingsCleared"`
	// Unknown lists what the input cannot tell for this source.
	Unknown []string `json:"unknown,omitempty"`
}

// IntChange is a count before and after.
type IntChange struct {
	Before int `json:"before"`
	After  int `json:"after"`
}

// Lost is the part of the source's traffic that reaches no pod.
func (c SourceChange) Lost() NumberChange {
	return numberChange(c.Dropped.Before+c.Rejected.Before, c.Dropped.After+c.Rejected.After)
}

// Changed reports whether anything of the source moved.
func (c SourceChange) Changed() bool { return c.Verdict != VerdictUnchanged }

// severity orders changes, worst first: more traffic lost, then the
// client IP lost, then new warnings or errors, then more cross-zone
// traffic, then any other change; improvements come last.
func (c SourceChange) severity() (rank int, size float64) {
	lost := c.Lost().Delta
	switch {
	case lost > 0:
		return 6, lost
	case c.ClientIPPreserved.Before && !c.ClientIPPreserved.After:
		return 5, 0
	case worstRank(c.FindingsAppeared) >= LevelWarning.Rank():
		return 4, float64(worstRank(c.FindingsAppeared))
	case c.CrossZone.Delta > 0:
		return 3, c.CrossZone.Delta
	case c.Verdict == VerdictChanged, c.Verdict == VerdictMixed:
		return 2, c.MaxPodShift
	case c.Verdict == VerdictUnchanged:
		return 1, 0
	}
	return 0, -lost
}

func worstRank(fs []Finding) int {
	r := 0
	for _, f := range fs {
		r = max(r, f.Level.Rank())
	}
	return r
}

// Worst is the source whose change is the worst (Sources is sorted), or
// nil when nothing changes.
func (w *WhatIf) Worst() *SourceChange {
	if len(w.Sources) == 0 || !w.Sources[0].Changed() {
		return nil
	}
	return &w.Sources[0]
}

// Changed reports whether any source's traffic changes.
func (w *WhatIf) Changed() bool { return w.Worst() != nil || w.Diff.Changed() }

// AlreadySet is an override the Service already has. Missing says what
// keeps the value from acting, when the prediction can tell.
type AlreadySet struct {
	Key     string `json:"key"`
	Value   string `json:"value"`
	Missing string `json:"missing,omitempty"`
}

// EvaluateWhatIf predicts req's Service as it is (same source and port,
// no overrides, no drills) and as req would have it, from every source.
func EvaluateWhatIf(snap *Snapshot, req Request) (*WhatIf, error) {
	base := Request{Service: req.Service, Source: req.Source, Port: req.Port, Clients: req.Clients}
	before, bAll, err := predictSources(snap, base)
	if err != nil {
		return nil, err
	}
	after, aAll, err := predictSources(snap, req)
	if err != nil {
		return nil, err
	}
	w := &WhatIf{Before: before, After: after, Diff: NewDiff(before, after)}
	for _, d := range req.Drills {
		if d.Kind == DrillNodeCordon {
			w.Cordoned = append(w.Cordoned, d.Target)
		}
	}
	for i := range bAll {
		w.Sources = append(w.Sources, compareSource(bAll[i], aAll[i]))
	}
	sort.SliceStable(w.Sources, func(i, j int) bool {
		ri, si := w.Sources[i].severity()
		rj, sj := w.Sources[j].severity()
		if ri != rj {
			return ri > rj
		}
		return si > sj
	})
	w.Transition = transition(snap, req, bAll, aAll)
	w.AlreadySet = alreadySet(before, req.Overrides)
	return w, nil
}

// compareSource compares one source's two predictions.
func compareSource(before, after *Prediction) SourceChange {
	d := NewDiff(before, after)
	c := SourceChange{
		Source:            before.Source,
		Dropped:           d.Dropped,
		Rejected:          d.Rejected,
		CrossNode:         d.CrossNode,
		CrossZone:         d.CrossZone,
		ClientIPPreserved: d.ClientIPPreserved,
		FindingsAppeared:  d.FindingsAppeared,
		FindingsCleared:   d.FindingsCleared,
		Unknown:           after.Unknown,
	}
	for _, e := range d.Endpoints {
		c.MaxPodShift = max(c.MaxPodShift, math.Abs(e.Share.Delta))
	}
	bo, ao := OutcomeOf(before), OutcomeOf(after)
	c.NodesLosing = IntChange{bo.NodesLosing, ao.NodesLosing}
	c.LosingNodes = ao.LosingNodes
	lost := c.Lost().Delta
	worse := lost > 0 || (c.ClientIPPreserved.Before && !c.ClientIPPreserved.After) ||
		worstRank(c.FindingsAppeared) > worstRank(c.FindingsCleared) || c.CrossZone.Delta > 0
	better := lost < 0 || (!c.ClientIPPreserved.Before && c.ClientIPPreserved.After) || c.CrossZone.Delta < 0
	switch {
	case !d.trafficChanged(before.Source.IsLB()):
		c.Verdict = VerdictUnchanged
	case worse && !better, worse && lost > 0:
		c.Verdict = VerdictWorse
	case better && !worse:
		c.Verdict = VerdictBetter
	case better && worse:
		c.Verdict = VerdictMixed
	default:
		c.Verdict = VerdictChanged
	}
	return c
}

// alreadySet lists the overrides equal to the Service's own effective
// values, with what is missing for trafficDistribution to act.
func alreadySet(before *Prediction, o Overrides) []AlreadySet {
	s := before.Settings
	var out []AlreadySet
	for _, kv := range o.Pairs() {
		key, value, _ := strings.Cut(kv, "=")
		if s.Value(key) == value {
			out = append(out, AlreadySet{Key: key, Value: value})
		}
	}
	for i := range out {
		if out[i].Key != KeyTrafficDistribution || s.TrafficDistribution == "" {
			continue
		}
		for _, f := range before.Findings {
			switch f.Code {
			case CodeTrafficDistributionNoHints:
				out[i].Missing = "the EndpointSlice controller has published no hints for it (a control plane older than the field, or its feature gate off): that is what keeps traffic from staying close, and re-applying the field does not change it"
			case CodeTrafficDistributionIgnored:
				out[i].Missing = "the topology-mode annotation takes precedence over the field: remove the annotation"
			case CodeTopologyHintsIgnored:
				out[i].Missing = "some ready endpoints carry no hint, and kube-proxy uses hints only when all do"
			}
		}
	}
	return out
}
