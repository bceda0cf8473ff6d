package model

import "sort"

// NodeObserved is where traffic lands on one node: the predicted and the
// observed shares of the pods running there, both taken over the pods
// with data, as AttachObserved compares pods.
type NodeObserved struct {
	Node      string  `json:"node"`
	Predicted float64 `json:"predicted"`
	// Observed is nil when no pod on the node had data.
	Observed *float64 `json:"observed,omitempty"`
	Level    GapLevel `json:"level"`
}

// ObservedByNode sums AttachObserved's per-pod results per node, so a
// whole node taking more than kube-proxy would send it stands out (a
// load balancer spreading by its own rules, a node-local client). Nil
// when p has no observed traffic or no pod shares.
func ObservedByNode(p *Prediction) []NodeObserved {
	if p.Observed == nil || p.Observed.PodsWithData == 0 {
		return nil
	}
	var predWithData float64
	for _, e := range p.Endpoints {
		if e.ObservedShare != nil {
			predWithData += e.Share
		}
	}
	byNode := map[string]*NodeObserved{}
	var order []string
	for _, e := range p.Endpoints {
		n := byNode[e.Node]
		if n == nil {
			n = &NodeObserved{Node: e.Node, Level: GapUnknown}
			byNode[e.Node] = n
			order = append(order, e.Node)
		}
		if e.ObservedShare == nil {
			continue
		}
		if predWithData > 0 {
			n.Predicted += e.Share / predWithData
		}
		obs := *e.ObservedShare
		if n.Observed != nil {
			obs += *n.Observed
		}
		n.Observed = &obs
	}
	sort.Strings(order)
	out := make([]NodeObserved, 0, len(order))
	for _, name := range order {
		n := byNode[name]
		if n.Observed != nil {
			n.Level = LevelForGap(*n.Observed - n.Predicted)
		}
		out = append(out, *n)
	}
	return out
}
