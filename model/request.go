package model

import (
	"fmt"
	"slices"
	"strings"
)

// SourceKind is where the traffic comes from.
type SourceKind string

// Traffic sources (DESIGN.md, "Traffic sources").
const (
	SourceLB       SourceKind = "lb"
	SourceNodePort SourceKind = "nodeport"
	SourceInternal SourceKind = "internal"
	SourcePod      SourceKind = "pod"
	// Entry layers in front of the Service (entry.go): the traffic of
	// one Ingress or Gateway API route.
	SourceIngress   SourceKind = "ingress"
	SourceHTTPRoute SourceKind = "httproute"
	SourceGRPCRoute SourceKind = "grpcroute"
)

// TrafficSource is a parsed --from value.
type TrafficSource struct {
	Kind SourceKind
	// Node narrows nodeport and internal to one node.
	Node string
	// Pod is "namespace/name" for the pod source.
	Pod string
	// Entry is the Ingress's or route's "namespace/name".
	Entry string
}

// String returns the --from spelling: lb, nodeport:NODE, pod:NS/NAME, ...
func (t TrafficSource) String() string {
	switch {
	case t.Kind == SourcePod:
		return "pod:" + t.Pod
	case t.IsEntry():
		return string(t.Kind) + ":" + t.Entry
	case t.Node != "":
		return string(t.Kind) + ":" + t.Node
	}
	return string(t.Kind)
}

// MarshalText writes the --from spelling, so JSON keeps "lb",
// "nodeport:NODE", "pod:NS/NAME".
func (t TrafficSource) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText parses the --from spelling.
func (t *TrafficSource) UnmarshalText(b []byte) error {
	src, err := ParseSource(string(b))
	if err != nil {
		return err
	}
	*t = src
	return nil
}

// IsLB reports whether the traffic comes through the load balancer.
func (t TrafficSource) IsLB() bool { return t.Kind == SourceLB }

// IsEntry reports whether the traffic comes through an Ingress or a route.
func (t TrafficSource) IsEntry() bool {
	return t.Kind == SourceIngress || t.Kind == SourceHTTPRoute || t.Kind == SourceGRPCRoute
}

// ValidSources lists the --from spellings, for help and errors.
const ValidSources = "lb, nodeport, nodeport:NODE, internal, internal:NODE, pod:NAMESPACE/NAME, ingress:NAMESPACE/NAME, httproute:NAMESPACE/NAME, grpcroute:NAMESPACE/NAME"

// ParseSource parses a --from value. An empty string means "the Service's
// natural entry" and yields a zero TrafficSource (see DefaultSource).
func ParseSource(s string) (TrafficSource, error) {
	if s == "" {
		return TrafficSource{}, nil
	}
	kind, arg, hasArg := strings.Cut(s, ":")
	switch SourceKind(kind) {
	case SourceLB:
		if hasArg {
			return TrafficSource{}, fmt.Errorf("invalid --from %q: lb takes no node (use --set lbNode=NODE for a single announcing node); valid: %s", s, ValidSources)
		}
		return TrafficSource{Kind: SourceLB}, nil
	case SourceNodePort, SourceInternal:
		if hasArg && arg == "" {
			return TrafficSource{}, fmt.Errorf("invalid --from %q: missing node name after ':'; valid: %s", s, ValidSources)
		}
		return TrafficSource{Kind: SourceKind(kind), Node: arg}, nil
	case SourcePod:
		ns, name, ok := strings.Cut(arg, "/")
		if !ok || ns == "" || name == "" {
			return TrafficSource{}, fmt.Errorf("invalid --from %q: pod source needs pod:NAMESPACE/NAME; valid: %s", s, ValidSources)
		}
		return TrafficSource{Kind: SourcePod, Pod: arg}, nil
	case SourceIngress, SourceHTTPRoute, SourceGRPCRoute:
		ns, name, ok := strings.Cut(arg, "/")
		if !ok || ns == "" || name == "" {
			return TrafficSource{}, fmt.Errorf("invalid --from %q: %s needs %s:NAMESPACE/NAME; valid: %s", s, kind, kind, ValidSources)
		}
		return TrafficSource{Kind: SourceKind(kind), Entry: arg}, nil
	}
	return TrafficSource{}, fmt.Errorf("invalid --from %q: valid: %s", s, ValidSources)
}

// DefaultSource is the entry a Service's type suggests: lb for
// LoadBalancer, nodeport for NodePort, internal otherwise.
func DefaultSource(svc *Service) TrafficSource {
	switch svc.Type {
	case TypeLoadBalancer:
		return TrafficSource{Kind: SourceLB}
	case TypeNodePort:
		return TrafficSource{Kind: SourceNodePort}
	}
	return TrafficSource{Kind: SourceInternal}
}

// SourcesFor lists the traffic sources a Service has, the way a change
// must be judged: the load balancer (LoadBalancer), external clients on
// every node's NodePort (NodePort and LoadBalancer), in-cluster clients on
// every node, and extra — a named client pod or one node — when it is
// not one of those. A headless Service has only in-cluster clients; an
// ExternalName Service none that kube-proxy carries, so just internal.
func SourcesFor(svc *Service, extra TrafficSource) []TrafficSource {
	var out []TrafficSource
	if svc.Type == TypeLoadBalancer {
		out = append(out, TrafficSource{Kind: SourceLB})
	}
	if svc.Type == TypeLoadBalancer || svc.Type == TypeNodePort {
		out = append(out, TrafficSource{Kind: SourceNodePort})
	}
	out = append(out, TrafficSource{Kind: SourceInternal})
	if extra.Kind != "" && !slices.Contains(out, extra) {
		out = append(out, extra)
	}
	return out
}

// Request asks for one prediction.
type Request struct {
	// Service is "namespace/name".
	Service string
	// Source is where traffic comes from; zero means DefaultSource.
	Source    TrafficSource
	Overrides Overrides
	// Port is the Service port's name or number; empty means the first.
	Port string
	// Drills are failure drills applied to the snapshot first.
	Drills []Drill
	// OutcomeOnly skips the node→pod flows, for callers that show only
	// totals, nodes and pods (summaries, the other sources of a what-if).
	OutcomeOnly bool
	// Clients, when set, is the client side whose connections the
	// prediction spreads into per-pod load bands (connections.go).
	Clients *ClientSide
	// entryBackend marks the prediction of an entry's other backend,
	// whose stage lists no backends of its own.
	entryBackend bool
}
