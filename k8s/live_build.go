package k8s

import (
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
}

func newBuilder() *builder {
	b := &builder{}
	b.services.keyOf = func(s *model.Service) (string, string) { return s.Namespace, s.Name }
	b.slices.keyOf = func(s *model.EndpointSlice) (string, string) { return s.Namespace, s.Name }
	b.pods.keyOf = func(p *model.Pod) (string, string) { return p.Namespace, p.Name }
	b.nodes.keyOf = func(n *model.Node) (string, string) { return "", n.Name }
	return b
}

// refresh applies the keys events marked and reports whether anything
// changed.
func (b *builder) refresh() bool {
	changed := b.services.refresh(nil)
	changed = b.slices.refresh(b.refs.slice) || changed
	changed = b.pods.refresh(b.refs.pod) || changed
	changed = b.nodes.refresh(nil) || changed
	return changed
}

// snapshot assembles the caches into a normalized snapshot. Kinds that did
// not change share their slice with the previous snapshot: snapshots are
// immutable, so that is safe, and it is what keeps a rebuild cheap.
func (b *builder) snapshot(nodesKnown bool) *model.Snapshot {
	s := &model.Snapshot{
		Services:   b.services.items,
		Slices:     b.slices.items,
		Pods:       b.pods.items,
		Nodes:      b.nodes.items,
		NodesKnown: nodesKnown,
	}
	derived := b.refs.nodes()
	// Normalize's rule: without Node objects, the nodes are those that
	// endpoints and pods name.
	if !nodesKnown || len(s.Nodes) == 0 {
		s.Nodes = derived
	}
	return s
}
