package ui

import (
	"slices"

	"github.com/ktraffic/ktraffic/model"
)

// sourcesFor lists the traffic sources "s" cycles through for a Service:
// the ways in its type allows, then each node's NodePort, then in-cluster
// clients on each node.
func sourcesFor(svc *model.Service, snap *model.Snapshot) []model.TrafficSource {
	var out []model.TrafficSource
	nodes := make([]string, 0, len(snap.Nodes))
	for _, n := range snap.Nodes {
		nodes = append(nodes, n.Name)
	}
	slices.Sort(nodes)
	if svc.Type == model.TypeLoadBalancer {
		out = append(out, model.TrafficSource{Kind: model.SourceLB})
	}
	if svc.Type == model.TypeLoadBalancer || svc.Type == model.TypeNodePort {
		out = append(out, model.TrafficSource{Kind: model.SourceNodePort})
		for _, n := range nodes {
			out = append(out, model.TrafficSource{Kind: model.SourceNodePort, Node: n})
		}
	}
	out = append(out, model.TrafficSource{Kind: model.SourceInternal})
	for _, n := range nodes {
		out = append(out, model.TrafficSource{Kind: model.SourceInternal, Node: n})
	}
	return out
}
