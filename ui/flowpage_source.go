package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/picker"
)

// sourcePickerID names the flow page's node picker in picker messages.
const sourcePickerID = "source"

// cycle moves to the next (or previous) kind of traffic source: each
// Ingress or route in front, load balancer, NodePort, in-cluster, and
// round again. A source narrowed to
// one node counts as its kind; the node is picked by name (n), since
// stepping through a cluster's nodes one key at a time does not scale.
func (f *flowPage) cycle(step int) tea.Cmd {
	svc := f.shownService()
	if svc == nil {
		return nil
	}
	// The Ingresses and routes in front come first, each its own stop.
	all := model.SourcesIn(f.snap, svc, model.TrafficSource{})
	cur := f.effectiveSource()
	next := 0
	if step < 0 {
		next = len(all) - 1
	}
	for i, s := range all {
		if s.Kind == cur.Kind && s.Entry == cur.Entry {
			next = (i + step + len(all)) % len(all)
		}
	}
	f.source = all[next]
	return f.predict()
}

// nodeKind is the kind a picked node makes the source: the one shown if
// it narrows to a node; from the load balancer, the node's NodePort,
// where the load balancer delivers; otherwise in-cluster clients.
func (f *flowPage) nodeKind() model.SourceKind {
	switch k := f.effectiveSource().Kind; k {
	case model.SourceNodePort, model.SourceInternal:
		return k
	case model.SourceLB:
		return model.SourceNodePort
	}
	return model.SourceInternal
}

// pickNode opens the picker of the node traffic comes from, the nodes
// hosting the Service's pods first.
func (f *flowPage) pickNode() {
	if !f.ready() {
		return
	}
	items, _ := picker.NodeItems(f.snap, f.view.Prediction())
	if len(items) == 0 {
		return // no Node objects and no endpoints to name one
	}
	kind := f.nodeKind()
	title := "Traffic from one node: " + string(kind) + ":NODE"
	f.pick = picker.New(f.ctx, sourcePickerID, title, items, f.effectiveSource().Node)
	f.pick.SetSize(f.width, f.height)
}

// picked makes the picked node the source.
func (f *flowPage) picked(node string) tea.Cmd {
	f.source = model.TrafficSource{Kind: f.nodeKind(), Node: node}
	f.pick = nil
	return f.predict()
}
