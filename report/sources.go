package report

import (
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// SourcesText names the sources a finding comes from, in a table cell:
// "all" when it is every source the Service type has.
func SourcesText(srcs []model.TrafficSource, serviceType model.ServiceType) string {
	if len(srcs) == len(model.SourcesFor(&model.Service{Type: serviceType}, model.TrafficSource{})) && len(srcs) > 1 {
		return "all"
	}
	words := make([]string, len(srcs))
	for i, s := range srcs {
		words[i] = s.String()
	}
	return strings.Join(words, ",")
}

// SourceName says where a source's traffic comes from, in words.
func SourceName(s model.TrafficSource) string {
	switch s.Kind {
	case model.SourceLB:
		return "load balancer"
	case model.SourceNodePort:
		if s.Node != "" {
			return "NodePort on " + s.Node
		}
		return "NodePort, every node"
	case model.SourceInternal:
		if s.Node != "" {
			return "in-cluster, " + s.Node
		}
		return "in-cluster, every node"
	case model.SourcePod:
		return "pod " + s.Pod
	case model.SourceIngress:
		return "Ingress " + s.Entry
	case model.SourceHTTPRoute:
		return "HTTPRoute " + s.Entry
	case model.SourceGRPCRoute:
		return "GRPCRoute " + s.Entry
	}
	return s.String()
}

// LevelNoun is a finding level counted: "1 error", "2 warnings".
func LevelNoun(l model.Level, n int) string {
	if n == 1 || l == model.LevelInfo || l == model.LevelUnknown {
		return string(l)
	}
	return string(l) + "s"
}

// InputNotice says once which kinds the input lacks and what that hides;
// "" when it has them all.
func InputNotice(snap *model.Snapshot) string {
	kinds := snap.MissingKinds()
	if len(kinds) == 0 {
		return ""
	}
	var hides []string
	for _, k := range kinds {
		switch k {
		case model.KindEndpointSlices:
			hides = append(hides, "which pods serve each Service, their shares and any dropped or refused traffic")
		case model.KindPods:
			hides = append(hides, "whether selectors match pods, and pod traffic sources")
		case model.KindNodes:
			hides = append(hides, "nodes without pods, zones and load-balancer exclusions (nodes are assumed from the endpoints)")
		}
	}
	return "the input has no " + strings.Join(kinds, ", no ") + ": " + strings.Join(hides, "; ") +
		" cannot be judged, and findings that need them are marked unknown"
}
