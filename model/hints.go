package model

import (
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/endpointslice/trafficdist"
)

// simulateHints rewrites the endpoints' hints as the EndpointSlice
// controller would for the given trafficDistribution ("" removes them),
// by running the controller's own trafficdist code on a copy.
func simulateHints(eps []epInfo, trafficDistribution string) []epInfo {
	slice := &discoveryv1.EndpointSlice{Endpoints: make([]discoveryv1.Endpoint, len(eps))}
	for i := range eps {
		e := &eps[i]
		ready := e.ready
		ep := discoveryv1.Endpoint{Addresses: []string{e.ip}, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}
		if e.node != "" {
			ep.NodeName = &e.node
		}
		if e.zone != "" {
			ep.Zone = &e.zone
		}
		if len(e.hintZones)+len(e.hintNodes) > 0 {
			ep.Hints = &discoveryv1.EndpointHints{}
			for _, z := range e.hintZones {
				ep.Hints.ForZones = append(ep.Hints.ForZones, discoveryv1.ForZone{Name: z})
			}
			for _, n := range e.hintNodes {
				ep.Hints.ForNodes = append(ep.Hints.ForNodes, discoveryv1.ForNode{Name: n})
			}
		}
		slice.Endpoints[i] = ep
	}
	var td *string
	if trafficDistribution != "" {
		td = &trafficDistribution
	}
	trafficdist.ReconcileHints(td, []*discoveryv1.EndpointSlice{slice}, nil, nil)

	out := make([]epInfo, len(eps))
	copy(out, eps)
	for i := range out {
		out[i].hintZones, out[i].hintNodes = nil, nil
		if h := slice.Endpoints[i].Hints; h != nil {
			for _, z := range h.ForZones {
				out[i].hintZones = append(out[i].hintZones, z.Name)
			}
			for _, n := range h.ForNodes {
				out[i].hintNodes = append(out[i].hintNodes, n.Name)
			}
		}
	}
	return out
}
