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

// refresh applies the changes events recorded and reports whether there
// were any. Node references are counted only when Node objects are
// unknown: otherwise nobody reads them.
func (b *builder) refresh(nodesKnown bool) bool {
	var slice func(old, new *model.EndpointSlice)
	var pod func(old, new *model.Pod)
	if !nodesKnown {
		slice, pod = b.refs.slice, b.refs.pod
	}
	changed := b.services.refresh(nil)
	changed = b.slices.refresh(slice) || changed
	changed = b.pods.refresh(pod) || changed
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
	// Normalize's rule: without Node objects, the nodes are those that
	// endpoints and pods name.
	switch {
	case !nodesKnown:
		s.Nodes = b.refs.nodes()
	case len(s.Nodes) == 0:
		// Nodes are readable but there are none: only tiny or test
		// clusters get here, so a full count is cheap.
		var refs nodeRefs
		for i := range s.Slices {
			refs.slice(nil, &s.Slices[i])
		}
		for i := range s.Pods {
			refs.pod(nil, &s.Pods[i])
		}
		s.Nodes = refs.nodes()
	}
	return s
}
