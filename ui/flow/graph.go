package flow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// drawGraph draws the entry box, the nodes, the lanes and the pods. It
// returns the lines and, top to bottom, the rows of the nodes that send
// traffic (the nodes Options.Trace counts).
func drawGraph(p *model.Prediction, pal *palette, o Options) ([]string, []int) {
	d := paint(p, o)
	var b strings.Builder
	out := make([]string, len(d.c.cells))
	for r := range out {
		out[r] = d.c.line(r, pal, &b)
	}
	rows := make([]int, len(d.senders))
	for i, n := range d.senders {
		rows[i] = d.g.nodes[n].row
	}
	return out, rows
}

// painted is a graph drawn on a canvas, with what placed it: the lanes
// test reads the cells against the prediction.
type painted struct {
	c       *canvas
	g       *graph
	geo     geometry
	senders []int // node rows with lanes, top to bottom
}

func paint(p *model.Prediction, o Options) painted {
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
		// traffic lands, and tracing a node (j/k) still shows which pods
		// it feeds.
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
	senders := sendingNodes(g, laneOf)
	traced := noOwner
	if o.Trace >= 1 && o.Trace <= len(senders) {
		traced = senders[o.Trace-1]
	}

	boxTop := 0
	rows := max(g.rows, boxTop+len(details)+3)
	spaced := len(g.nodes) <= spacedBlocksMax
	for _, n := range g.nodes {
		if nodeNote(g, n) != "" && (len(n.pods) > 1 || spaced) {
			rows = max(rows, n.row+2) // the last node's note has a line too
		}
	}
	c := newCanvas(max(o.Width, 1), rows)
	ws := newWires(c.w, rows)
	ws.lit = traced

	drawBox(c, boxTop, geo.boxW, title, details)
	drawTrunk(c, ws, g, geo, boxTop+1)
	drawHeadings(c, g, geo, domain, traced)
	for i, n := range g.nodes {
		drawNode(c, g, geo, n, spaced, traceLook(traced, i))
	}
	if !g.direct {
		drawLanes(c, ws, g, geo, laneOf)
	}
	ws.draw(c)
	fed := feeds(g, traced)
	for i, pr := range g.pods {
		if traced != noOwner {
			pr.share = fed[i]
		}
		drawPod(c, geo, pr)
	}
	if g.sinkRow >= 0 {
		drawSink(c, geo, g)
	}
	return painted{c: c, g: g, geo: geo, senders: senders}
}

// drawTrunk draws the lines from the entry box to the nodes it sends to
// (or to the pods, with no node hop), and to the sink for traffic lost
// before any node.
func drawTrunk(c *canvas, ws *wires, g *graph, geo geometry, titleRow int) {
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
	if len(targets) == 0 {
		return
	}
	ws.add(titleRow, geo.boxW-1, trunkOwner, up|down, classIdle)
	ws.hline(titleRow, geo.boxW-1, geo.trunkX, trunkOwner, classLocal)
	lo, hi := titleRow, titleRow
	for _, t := range targets {
		lo, hi = min(lo, t), max(hi, t)
	}
	ws.vline(geo.trunkX, lo, hi, trunkOwner, classLocal)
	for _, t := range targets {
		end := geo.nodeX - 3
		if g.direct || t == g.sinkRow {
			end = geo.arrowX - 1
		}
		cls := classLocal
		if t == g.sinkRow {
			cls = classSink
		}
		ws.hline(t, geo.trunkX, end, trunkOwner, cls)
		ws.add(t, end, trunkOwner, right, cls)
		c.text(t, end+1, "▶", classStyle[cls])
	}
}

// drawHeadings writes the column headings and the zone headings. While a
// node is traced the pod column shows its part of each pod's share, and
// the heading says so.
func drawHeadings(c *canvas, g *graph, geo geometry, domain string, traced int) {
	nodesHead := "nodes"
	if domain != "" {
		nodesHead += " (*" + domain + ")"
	}
	if g.direct {
		nodesHead = "hosts (no node hop)"
	}
	c.text(0, geo.nodeX, clip(nodesHead, geo.lanesX-geo.nodeX+2*geo.lanes), stMuted)
	podsHead := fmt.Sprintf("pods · %d/%d ready", readyPods(g.p), len(g.p.Endpoints))
	if traced != noOwner {
		podsHead = "pods · from " + g.nodes[traced].label
	}
	c.text(0, geo.podX, clip(podsHead, c.w-geo.podX), stMuted)

	// A zone heading starts two columns left of the node names, where
	// the trunk's arrows end on node rows, so the zone's name has room.
	x := geo.nodeX - 2
	for i, l := range zoneLabels(g.zones, func(z zoneHead) int { return zoneShareX(geo, z.share) - x - 1 }) {
		z := g.zones[i]
		c.text(z.row, x, l, stZone)
		c.text(z.row, zoneShareX(geo, z.share), strings.TrimSpace(pct(z.share)), stMuted)
	}
}

// zoneShareX is where a zone's share starts: right-aligned in the share
// column, as the nodes' shares are.
func zoneShareX(geo geometry, share float64) int {
	s := pct(share)
	return geo.shareX() + len(s) - len(strings.TrimLeft(s, " "))
}

func readyPods(p *model.Prediction) int {
	n := 0
	for _, e := range p.Endpoints {
		if e.Ready {
			n++
		}
	}
	return n
}

// zoneLabels are the zone headings' words, each in the room a heading
// has: every heading names its zone and counts its nodes, and its share
// stands in the share column. Where room is short the word "zone" goes
// from every heading (their style still says what they are), then a long
// name is cut in the middle.
func zoneLabels(zones []zoneHead, room func(zoneHead) int) []string {
	out := make([]string, len(zones))
	word := "zone "
	for i, z := range zones {
		name := z.name
		if name == "" {
			name = "(no zone)"
		}
		out[i] = name + fmt.Sprintf(" · %d %s", z.nodes, plural(z.nodes, "node"))
		if len([]rune(word+out[i])) > room(z) {
			word = ""
		}
	}
	for i, l := range out {
		name, count, _ := strings.Cut(l, " · ")
		count = " · " + count
		if w := room(zones[i]) - len([]rune(word+count)); w >= min(5, len([]rune(name))) {
			out[i] = word + clipMiddle(name, w) + count
		} else {
			out[i] = clip(l, room(zones[i]))
		}
	}
	return out
}

// sendingNodes are the node rows with lanes, top to bottom.
func sendingNodes(g *graph, laneOf []int) []int {
	var out []int
	if g.direct {
		return nil
	}
	for i := range g.nodes {
		if laneOf[i] >= 0 {
			out = append(out, i)
		}
	}
	slices.SortFunc(out, func(a, b int) int { return g.nodes[a].row - g.nodes[b].row })
	return out
}

// feeds is, per pod row, the share node row n sends it.
func feeds(g *graph, n int) []float64 {
	out := make([]float64, len(g.pods))
	for _, e := range g.edges {
		if e.from == n && e.to != sinkTarget {
			out[e.to] += e.share
		}
	}
	return out
}
