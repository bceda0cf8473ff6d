// Package flow draws one Service's predicted traffic left to right: the
// entry, the nodes it reaches, the pods they send to, with shares, hops
// that leave a node or zone, and traffic that is lost. Render is a pure
// function of a prediction so a before/after view can draw two.
package flow

import (
	"fmt"
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
}

// Render draws the headline, the graph and the findings as styled lines,
// none wider than o.Width.
func Render(p *model.Prediction, st *themes.Styles, o Options) []string {
	pal := paletteFor(st)
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
		out = append(out, drawGraph(p, pal, o)...)
		if c := connectionsFor(p, o); c != nil {
			out = append(out, "")
			out = append(out, connectionLines(c, p, st, o.Width)...)
		}
	}
	if f := findings(p, st, o.Width); len(f) > 0 {
		out = append(out, "")
		out = append(out, f...)
	}
	return out
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

func drawGraph(p *model.Prediction, pal *palette, o Options) []string {
	g := layout(p)
	title, details := entryTitle(p)
	details = append(slices.Clone(o.Entry), details...)
	boxW := len([]rune(title)) + 4
	for _, d := range details {
		boxW = max(boxW, len([]rune(d))+4)
	}
	boxW = min(boxW, 22)

	domain := stripDomain(g)
	nodeW, podW, hostW := 4, 4, 0
	for _, n := range g.nodes {
		nodeW = max(nodeW, len([]rune(n.label)))
	}
	for _, pr := range g.pods {
		podW = max(podW, len([]rune(pr.label)))
		hostW = max(hostW, len([]rune(pr.node))+3)
	}
	if g.sinkRow >= 0 {
		podW = max(podW, 14)
	}
	stateW := 0
	for _, pr := range g.pods {
		if pr.count == 1 && (!pr.ready || pr.terminating) {
			stateW = 11
		}
	}
	markW := 0
	if g.showHealth {
		markW = 2
	}

	lanes, laneOf := assignLanes(g)
	titleW := len([]rune(title)) + 4
	geo, ok := fit(o.Width, boxW, titleW, nodeW, podW, hostW, stateW, markW, lanes)
	if !ok && lanes > 1 {
		// Too many lanes to tell apart: one shared bus still shows where
		// traffic lands, just not which node sent it.
		lanes = 1
		for i := range laneOf {
			if laneOf[i] >= 0 {
				laneOf[i] = 0
			}
		}
		geo, _ = fit(o.Width, boxW, titleW, nodeW, podW, hostW, stateW, markW, lanes)
	}
	if g.direct {
		geo.lanes = 0
		geo.place()
	}

	boxTop := 0
	rows := max(g.rows, boxTop+len(details)+3)
	c := newCanvas(max(o.Width, 1), rows)
	ws := newWires(c.w, rows)

	// Entry box and trunk.
	titleRow := boxTop + 1
	drawBox(c, boxTop, geo.boxW, title, details)
	var targets []int
	if g.direct {
		for _, pr := range g.pods {
			if pr.share > 1e-9 {
				targets = append(targets, pr.row)
			}
		}
	} else {
		for _, n := range g.nodes {
			if n.share > 1e-9 {
				targets = append(targets, n.row)
			}
		}
	}
	if g.sinkRow >= 0 && (g.entrySink > 0 || g.direct) {
		targets = append(targets, g.sinkRow)
	}
	const trunk = -1
	if len(targets) > 0 {
		ws.add(titleRow, geo.boxW-1, trunk, up|down, classIdle)
		ws.hline(titleRow, geo.boxW-1, geo.trunkX, trunk, classLocal)
		lo, hi := titleRow, titleRow
		for _, t := range targets {
			lo, hi = min(lo, t), max(hi, t)
		}
		ws.vline(geo.trunkX, lo, hi, trunk, classLocal)
		for _, t := range targets {
			end := geo.nodeX - 3
			if g.direct || t == g.sinkRow {
				end = geo.arrowX - 1
			}
			cls := classLocal
			if t == g.sinkRow {
				cls = classSink
			}
			ws.hline(t, geo.trunkX, end, trunk, cls)
			ws.add(t, end, trunk, right, cls)
			c.text(t, end+1, "▶", classStyle[cls])
		}
	}

	// Column headings.
	nodesHead := "nodes"
	if domain != "" {
		nodesHead += " (*" + domain + ")"
	}
	if g.direct {
		nodesHead = "hosts (no node hop)"
	}
	c.text(0, geo.nodeX, clip(nodesHead, geo.lanesX-geo.nodeX+2*geo.lanes), stMuted)
	ready := 0
	for _, e := range p.Endpoints {
		if e.Ready {
			ready++
		}
	}
	c.text(0, geo.podX, fmt.Sprintf("pods · %d/%d ready", ready, len(p.Endpoints)), stMuted)

	// Zone headings.
	for _, z := range g.zones {
		name := z.name
		if name == "" {
			name = "(no zone)"
		}
		room := geo.nodeTextW()
		head := "zone " + clip(name, room-5)
		x := c.text(z.row, geo.nodeX, head, stZone)
		tail := fmt.Sprintf(" · %d %s · %s", z.nodes, plural(z.nodes, "node"), strings.TrimSpace(pct(z.share)))
		if len([]rune(head+tail)) <= room {
			c.text(z.row, x, tail, stMuted)
		}
	}

	// Node column.
	spaced := len(g.nodes) <= spacedBlocksMax
	for _, n := range g.nodes {
		drawNode(c, g, geo, n, spaced)
	}

	// Lanes from nodes to pods.
	arrowClass := map[int]int{}
	if !g.direct {
		for i, n := range g.nodes {
			lane := laneOf[i]
			if lane < 0 {
				continue
			}
			lx := geo.lanesX + 1 + 2*lane
			worst := classIdle
			for _, e := range g.edges {
				if e.from != i {
					continue
				}
				row := g.sinkRow
				if e.to != sinkTarget {
					row = g.pods[e.to].row
				}
				ws.vline(lx, n.row, row, lane, e.class)
				ws.hline(row, lx, geo.arrowX-1, lane, e.class)
				ws.add(row, geo.arrowX-1, lane, right, e.class)
				arrowClass[row] = max(arrowClass[row], e.class)
				worst = max(worst, e.class)
			}
			ws.hline(n.row, geo.lanesX, lx, lane, worst)
			ws.add(n.row, geo.lanesX, lane, left, worst)
		}
	}
	ws.draw(c)
	for row, cls := range arrowClass {
		c.text(row, geo.arrowX, "▶", classStyle[cls])
	}

	// Pod column and sink.
	for _, pr := range g.pods {
		drawPod(c, geo, pr)
	}
	if g.sinkRow >= 0 {
		drawSink(c, geo, g)
	}

	var b strings.Builder
	out := make([]string, rows)
	for r := range rows {
		out[r] = c.line(r, pal, &b)
	}
	return out
}

// assignLanes gives each node that sends traffic a vertical lane, reusing
// a lane once the rows it spans are past (interval partitioning), so a
// Local-policy graph needs one lane however many nodes it has.
func assignLanes(g *graph) (int, []int) {
	laneOf := make([]int, len(g.nodes))
	type span struct{ node, lo, hi int }
	var spans []span
	for i, n := range g.nodes {
		laneOf[i] = -1
		lo, hi, any := n.row, n.row, false
		for _, e := range g.edges {
			if e.from != i {
				continue
			}
			row := g.sinkRow
			if e.to != sinkTarget {
				row = g.pods[e.to].row
			}
			lo, hi, any = min(lo, row), max(hi, row), true
		}
		if any {
			spans = append(spans, span{i, lo, hi})
		}
	}
	slices.SortStableFunc(spans, func(a, b span) int { return a.lo - b.lo })
	var laneEnd []int
	for _, s := range spans {
		lane := -1
		for l, end := range laneEnd {
			if end < s.lo {
				lane = l
				break
			}
		}
		if lane < 0 {
			lane = len(laneEnd)
			laneEnd = append(laneEnd, 0)
		}
		laneEnd[lane] = s.hi
		laneOf[s.node] = lane
	}
	return len(laneEnd), laneOf
}
