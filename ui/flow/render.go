// Package flow draws one Service's predicted traffic left to right: the
// entry, the nodes it reaches, the pods they send to, with shares, hops
// that leave a node or zone, and traffic that is lost. Render is a pure
// function of a prediction so a before/after view can draw two.
package flow

import (
	"slices"
	"strings"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
)

// Options are what a prediction does not say about how to draw it.
type Options struct {
	Width int
	// Entry is shown under the entry's title: the load balancer's address,
	// the NodePort number. The caller knows the Service; the prediction
	// does not carry it.
	Entry []string
	// Clients, when set, is the client side whose per-pod load band is
	// drawn under the graph (unless the prediction carries one).
	Clients *model.ClientSide
	// Trace picks the node whose lanes are drawn lit, the others dimmed,
	// and whose part of each pod's share the pod column shows: the n-th,
	// from 1, of the nodes that send traffic (drawing.nodes). 0 traces
	// none.
	Trace int
}

// drawing is a rendered flow and where its nodes are, so the view can
// step a trace over them and keep the traced one on screen.
type drawing struct {
	lines []string
	// nodes are the lines of the node rows that send traffic, top to
	// bottom: the rows Options.Trace counts.
	nodes []int
}

// Render draws the headline, the graph and the findings as styled lines,
// none wider than o.Width.
func Render(p *model.Prediction, st *themes.Styles, o Options) []string {
	return render(p, st, o).lines
}

func render(p *model.Prediction, st *themes.Styles, o Options) drawing {
	pal := paletteFor(st)
	var nodes []int
	var out []string
	out = append(out, headline(p, st, o.Width)...)
	out = append(out, "")
	out = append(out, entryLines(p, st, o.Width)...)
	switch {
	case p.DNS != nil:
		out = append(out, dnsLines(p, st, o.Width)...)
	case slices.Contains(p.Unknown, model.UnknownEndpoints):
		out = append(out, unknownLines(p, st, o.Width)...)
	default:
		graph, rows := drawGraph(p, pal, o)
		for _, r := range rows {
			nodes = append(nodes, len(out)+r)
		}
		out = append(out, graph...)
		if c := connectionsFor(p, o); c != nil {
			out = append(out, "")
			out = append(out, connectionLines(c, p, st, o.Width)...)
		}
	}
	if f := findings(p, st, o.Width); len(f) > 0 {
		out = append(out, "")
		out = append(out, f...)
	}
	return drawing{lines: out, nodes: nodes}
}

func entryTitle(p *model.Prediction) (title string, details []string) {
	node := p.Source.Node
	switch p.Source.Kind {
	case model.SourceLB:
		title = "LoadBalancer"
		mode := p.Settings.LBMode
		if mode == model.LBModeSingleNode && p.Settings.LBNode != "" {
			mode += " " + p.Settings.LBNode
		}
		details = append(details, "mode "+mode)
	case model.SourceNodePort:
		title = "NodePort"
		if node == "" {
			node = "every node"
		}
		details = append(details, "via "+node)
	case model.SourceInternal:
		title = "in-cluster"
		if node == "" {
			node = "every node"
		}
		details = append(details, "clients on", node)
	case model.SourcePod:
		title = "pod"
		_, name, _ := strings.Cut(p.Source.Pod, "/")
		details = append(details, name)
	case model.SourceIngress, model.SourceHTTPRoute, model.SourceGRPCRoute:
		title, details = entryBox(p)
	default:
		title = p.Source.String()
	}
	return title, details
}
