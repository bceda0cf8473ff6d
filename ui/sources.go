package ui

import (
	"fmt"
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

// entryLines describe the entry point under its title in the flow view.
func entryLines(svc *model.Service, src model.TrafficSource) []string {
	switch src.Kind {
	case model.SourceLB:
		for _, in := range svc.LoadBalancerIngress {
			if in.IP != "" {
				return []string{in.IP}
			}
			if in.Hostname != "" {
				return []string{in.Hostname}
			}
		}
		return []string{"(no address yet)"}
	case model.SourceNodePort:
		for _, p := range svc.Ports {
			if p.NodePort != 0 {
				return []string{fmt.Sprintf("port %d", p.NodePort)}
			}
		}
	case model.SourceInternal:
		if svc.ClusterIP != "" && svc.ClusterIP != "None" {
			return []string{svc.ClusterIP}
		}
	}
	return nil
}

func findService(snap *model.Snapshot, key string) *model.Service {
	if snap == nil {
		return nil
	}
	for i := range snap.Services {
		if snap.Services[i].Key() == key {
			return &snap.Services[i]
		}
	}
	return nil
}
