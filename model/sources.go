package model

import (
	"fmt"
	"math"
	"sort"
)

// MaxLosingNodes bounds how many losing nodes an outcome names; the
// count covers them all.
const MaxLosingNodes = 10

// SourceOutcome is one traffic source's totals: what a change, a check or
// a finding is judged by when every source of a Service counts.
type SourceOutcome struct {
	Source            TrafficSource `json:"source"`
	Dropped           float64       `json:"dropped"`
	Rejected          float64       `json:"rejected"`
	CrossNode         float64       `json:"crossNode"`
	CrossZone         float64       `json:"crossZone"`
	ClientIPPreserved bool          `json:"clientIPPreserved"`
	// NodesLosing counts the entry nodes where some of this source's
	// traffic is lost; LosingNodes names the first MaxLosingNodes of them,
	// most lost first.
	NodesLosing int       `json:"nodesLosing"`
	LosingNodes []string  `json:"losingNodes,omitempty"`
	Unknown     []string  `json:"unknown,omitempty"`
	Findings    []Finding `json:"findings"`
}

// Lost is the part of the source's traffic that reaches no pod.
func (o SourceOutcome) Lost() float64 { return o.Dropped + o.Rejected }

// OutcomeOf sums a prediction up as its source's outcome.
func OutcomeOf(p *Prediction) SourceOutcome {
	o := SourceOutcome{
		Source: p.Source, Dropped: p.Dropped, Rejected: p.Rejected,
		CrossNode: p.CrossNode, CrossZone: p.CrossZone, ClientIPPreserved: p.ClientIPPreserved,
		Unknown: p.Unknown, Findings: p.Findings,
	}
	losing := losingNodes(p)
	o.NodesLosing = len(losing)
	if len(losing) > MaxLosingNodes {
		losing = losing[:MaxLosingNodes]
	}
	for _, n := range losing {
		o.LosingNodes = append(o.LosingNodes, n.Name)
	}
	return o
}

// losingNodes are the prediction's nodes where entering traffic is lost,
// most lost first, then by name.
func losingNodes(p *Prediction) []NodeShare {
	var out []NodeShare
	for _, n := range p.Nodes {
		if n.Dropped+n.Rejected > 0 {
			out = append(out, n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		li, lj := out[i].Dropped+out[i].Rejected, out[j].Dropped+out[j].Rejected
		if math.Abs(li-lj) > diffEpsilon {
			return li > lj
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// SourcedFinding is a finding with the sources whose predictions raise it.
type SourcedFinding struct {
	Finding
	Sources []TrafficSource `json:"sources"`
}

// MergeFindings lists the findings of several sources once each (same
// code and message), with the sources that raise them, most severe
// first, then by code, keeping the sources' order otherwise.
func MergeFindings(outs []SourceOutcome) []SourcedFinding {
	type key struct{ code, msg string }
	at := map[key]int{}
	var out []SourcedFinding
	for _, o := range outs {
		for _, f := range o.Findings {
			k := key{f.Code, f.Message}
			if i, ok := at[k]; ok {
				out[i].Sources = append(out[i].Sources, o.Source)
				continue
			}
			at[k] = len(out)
			out = append(out, SourcedFinding{Finding: f, Sources: []TrafficSource{o.Source}})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := out[i].Level.Rank(), out[j].Level.Rank(); ri != rj {
			return ri > rj
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// PredictSources predicts req's Service from every source it has
// (SourcesFor, with req's own source among them). main is req's own
// prediction, in full; every source, main's included, is summed up in
// outcomes, in SourcesFor's order.
func PredictSources(snap *Snapshot, req Request) (main *Prediction, outcomes []SourceOutcome, err error) {
	main, all, err := predictSources(snap, req)
	if err != nil {
		return nil, nil, err
	}
	outcomes = make([]SourceOutcome, len(all))
	for i, p := range all {
		outcomes[i] = OutcomeOf(p)
	}
	return main, outcomes, nil
}

// predictSources is PredictSources with the predictions themselves: main
// in full and, in SourcesFor's order, every source's (main among them;
// the others without flows).
func predictSources(snap *Snapshot, req Request) (*Prediction, []*Prediction, error) {
	snap, req, err := drilled(snap, req)
	if err != nil {
		return nil, nil, err
	}
	idx := newSnapIndex(snap)
	main, err := predict(snap, req, idx)
	if err != nil {
		return nil, nil, err
	}
	srcs := SourcesIn(snap, snap.Service(req.Service), main.Source)
	all := make([]*Prediction, 0, len(srcs))
	for _, src := range srcs {
		if src == main.Source {
			all = append(all, main)
			continue
		}
		r := req
		r.Source, r.OutcomeOnly = src, true
		p, err := predict(snap, r, idx)
		if err != nil {
			return nil, nil, fmt.Errorf("from %s: %w", src, err)
		}
		all = append(all, p)
	}
	return main, all, nil
}
