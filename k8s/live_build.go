package k8s

import (
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// builder owns the converted caches and assembles snapshots from them.
// One goroutine builds at a time: Start for the first snapshot, then the
// live loop.
type builder struct {
	services kindCache[model.Service]
	slices   kindCache[model.EndpointSlice]
	pods     kindCache[model.Pod]
	nodes    kindCache[model.Node]
	refs     nodeRefs
	// Entry layers; routes are kept per kind, since an HTTPRoute and a
	// GRPCRoute may share a name.
	ingresses      kindCache[model.Ingress]
	ingressClasses kindCache[model.IngressClass]
	gateways       kindCache[model.Gateway]
	gatewayClasses kindCache[model.GatewayClass]
	httpRoutes     kindCache[model.Route]
	grpcRoutes     kindCache[model.Route]
	routes         []model.Route
	// datapath is read once, when the source starts.
	datapath model.Datapath

	// nodeList is Node objects merged with the nodes endpoints and pods
	// name; recomputed only when either side changed.
	nodeList     []model.Node
	nodesChanged bool
	// ignored warns about Service values the API server would reject;
	// recomputed when Services change.
	ignored []string
}

func newBuilder() *builder {
	b := &builder{}
	b.services.keyOf = func(s *model.Service) (string, string) { return s.Namespace, s.Name }
	b.slices.keyOf = func(s *model.EndpointSlice) (string, string) { return s.Namespace, s.Name }
	b.pods.keyOf = func(p *model.Pod) (string, string) { return p.Namespace, p.Name }
	b.nodes.keyOf = func(n *model.Node) (string, string) { return "", n.Name }
	b.ingresses.keyOf = func(i *model.Ingress) (string, string) { return i.Namespace, i.Name }
	b.ingressClasses.keyOf = func(c *model.IngressClass) (string, string) { return "", c.Name }
	b.gateways.keyOf = func(g *model.Gateway) (string, string) { return g.Namespace, g.Name }
	b.gatewayClasses.keyOf = func(c *model.GatewayClass) (string, string) { return "", c.Name }
	b.httpRoutes.keyOf = func(r *model.Route) (string, string) { return r.Namespace, r.Name }
	b.grpcRoutes.keyOf = func(r *model.Route) (string, string) { return r.Namespace, r.Name }
	return b
}

// refresh applies the changes events recorded and reports whether there
// were any.
func (b *builder) refresh() bool {
	changed := b.services.refresh(nil)
	if changed {
		b.ignored = model.IgnoredWarnings(b.services.items)
	}
	changed = b.slices.refresh(b.refs.slice) || changed
	changed = b.pods.refresh(b.refs.pod) || changed
	if b.nodes.refresh(nil) {
		b.nodesChanged, changed = true, true
	}
	changed = b.ingresses.refresh(nil) || changed
	changed = b.ingressClasses.refresh(nil) || changed
	changed = b.gateways.refresh(nil) || changed
	changed = b.gatewayClasses.refresh(nil) || changed
	httpChanged := b.httpRoutes.refresh(nil)
	if b.grpcRoutes.refresh(nil) || httpChanged {
		// Normalize's order: by kind (GRPCRoute before HTTPRoute), then key.
		b.routes = append(append(make([]model.Route, 0, len(b.grpcRoutes.items)+len(b.httpRoutes.items)), b.grpcRoutes.items...), b.httpRoutes.items...)
		changed = true
	}
	return changed
}

// snapshot assembles the caches into a normalized snapshot. Kinds that did
// not change share their slice with the previous snapshot: snapshots are
// immutable, so that is safe, and it is what keeps a rebuild cheap.
func (b *builder) snapshot(nodesKnown bool) *model.Snapshot {
	if derived, changed := b.refs.nodes(); changed || b.nodesChanged {
		// Normalize's rule: nodes are inferred from endpoints and pods only
		// when Node objects cannot be read at all; a known Node keeps its
		// own zone label, as kube-proxy does.
		b.nodeList = b.nodes.items
		if !nodesKnown {
			b.nodeList = mergeNodes(b.nodes.items, derived)
		}
		b.nodesChanged = false
	}
	return &model.Snapshot{
		Services:       b.services.items,
		Slices:         b.slices.items,
		Pods:           b.pods.items,
		Nodes:          b.nodeList,
		NodesKnown:     nodesKnown,
		Ingresses:      b.ingresses.items,
		IngressClasses: b.ingressClasses.items,
		Gateways:       b.gateways.items,
		GatewayClasses: b.gatewayClasses.items,
		Routes:         b.routes,
		Datapath:       b.datapath,
	}
}

// mergeNodes applies Normalize's rule to two name-sorted lists: every node
// endpoints or pods name is in the result, a Node object where there is
// one (with the endpoints' zone when it has none), else a derived node.
// When nothing needs adding, known itself is returned, unshared work
// avoided.
func mergeNodes(known, derived []model.Node) []model.Node {
	needed := false
	for i, j := 0, 0; j < len(derived) && !needed; {
		switch {
		case i == len(known) || derived[j].Name < known[i].Name:
			needed = true
		case derived[j].Name > known[i].Name:
			i++
		default:
			needed = known[i].Zone == "" && derived[j].Zone != ""
			i, j = i+1, j+1
		}
	}
	if !needed {
		return known
	}
	out := make([]model.Node, 0, len(known)+len(derived))
	i, j := 0, 0
	for i < len(known) || j < len(derived) {
		c := 0
		switch {
		case i == len(known):
			c = 1
		case j == len(derived):
			c = -1
		default:
			c = strings.Compare(known[i].Name, derived[j].Name)
		}
		switch {
		case c < 0:
			out = append(out, known[i])
			i++
		case c > 0:
			out = append(out, derived[j])
			j++
		default:
			n := known[i]
			if n.Zone == "" {
				n.Zone = derived[j].Zone
			}
			out = append(out, n)
			i, j = i+1, j+1
		}
	}
	return out
}
