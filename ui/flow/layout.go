package flow

import (
	"slices"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// Hop classes, in the order colour and dashes escalate.
const (
	classIdle = iota
	classLocal
	classCrossNode
	classCrossZone
	classSink
)

// nodeRow is one line of the node column: a node, a folded group of nodes
// (from the predictor's folding or from collapsing a long tail), or, in
// pod-target mode, just the label of the node that hosts the pods below.
type nodeRow struct {
	label     string
	zone      string
	share     float64
	healthy   int // nodes the LB health check passes
	nodes     int // nodes the row stands for
	backend   bool
	pods      []int // podRows hosted here
	row       int
	hasFlows  bool
	folded    bool // stands for several nodes
	groupOnly bool // a predictor NodeGroup, whose member nodes are not shown
}

// podRow is one line of the pod column: a pod or a collapsed tail of pods.
type podRow struct {
	label       string
	node        string
	share       float64
	ready       bool
	serving     bool
	terminating bool
	count       int // pods the row stands for (1 for a plain pod)
	row         int
}

// edge is aggregated traffic from a node row to a pod row (or the sink).
type edge struct {
	from, to int // to == sinkTarget for dropped/rejected traffic
	share    float64
	class    int
}

const sinkTarget = -1

// graph is a prediction laid out in rows, before any drawing.
type graph struct {
	p          *model.Prediction
	nodes      []nodeRow
	pods       []podRow
	edges      []edge
	zones      []zoneHead
	direct     bool // LB targets pod IPs: no node hop
	showHealth bool
	sinkRow    int // -1 without a sink
	sinkShare  float64
	entrySink  float64 // dropped/rejected traffic no node row accounts for
	rows       int
}

// zoneHead is a zone's heading: how many nodes it holds and the share of
// the traffic that enters it.
type zoneHead struct {
	name  string
	row   int
	nodes int
	share float64
}

// entering is the share of traffic that enters at node row n: the node's
// own, or with no node hop the share of the pods it hosts.
func (g *graph) entering(n *nodeRow) float64 {
	if !g.direct {
		return n.share
	}
	s := 0.0
	for _, pi := range n.pods {
		s += g.pods[pi].share
	}
	return s
}

// targetRow is the line an edge ends on: its pod's, or the sink's.
func (g *graph) targetRow(e edge) int {
	if e.to == sinkTarget {
		return g.sinkRow
	}
	return g.pods[e.to].row
}

// collapse limits: beyond these, long tails fold into "+N" rows so a
// 60-node Service still reads as a picture, not a phone book.
const (
	collapseNodesOver   = 12
	keepNodesPerZone    = 4
	keepNodesSingleZone = 8
	collapsePodsOver    = 24
	keepPodsPerNode     = 3
	spacedBlocksMax     = 12
)

func layout(p *model.Prediction) *graph {
	g := &graph{p: p, sinkRow: -1}
	g.direct = p.Source.IsLB() && p.Settings.LBMode == model.LBModePods || p.Entry != nil && p.Entry.Hop == model.HopPods
	g.showHealth = p.Source.IsLB() && !g.direct || p.Entry != nil && p.Entry.Hop == model.HopNodes

	nodeIdx := map[string]int{}
	addNode := func(name, zone string) int {
		if i, ok := nodeIdx[name]; ok {
			return i
		}
		g.nodes = append(g.nodes, nodeRow{label: name, zone: zone, nodes: 1, backend: true, healthy: 1})
		nodeIdx[name] = len(g.nodes) - 1
		return len(g.nodes) - 1
	}
	for _, n := range p.Nodes {
		i := addNode(n.Name, n.Zone)
		r := &g.nodes[i]
		r.share = n.Share
		r.backend = n.LBBackend
		r.healthy = 0
		if n.LBHealthy {
			r.healthy = 1
		}
	}
	podIdx := map[string]int{}
	for _, e := range p.Endpoints {
		ni := addNode(e.Node, e.Zone)
		label := e.Pod
		if ns, name, ok := strings.Cut(e.Pod, "/"); ok && strings.HasPrefix(p.Service, ns+"/") {
			label = name
		}
		if label == "" {
			label = e.IP
		}
		g.pods = append(g.pods, podRow{label: label, node: e.Node, share: e.Share, ready: e.Ready,
			serving: e.Serving, terminating: e.Terminating, count: 1})
		pi := len(g.pods) - 1
		if e.Pod != "" {
			podIdx[e.Pod] = pi
		}
		g.nodes[ni].pods = append(g.nodes[ni].pods, pi)
	}

	// Flows, with predictor-folded node groups turned into rows that stand
	// in for the nodes they fold.
	type key struct{ from, to int }
	agg := map[key]*edge{}
	var order []key
	groupIdx := map[string]int{}
	groupZones := map[string]bool{}
	for _, f := range p.Flows {
		from := -1
		switch {
		case f.Node != "":
			from = addNode(f.Node, "")
		case f.NodeGroup != "":
			i, ok := groupIdx[f.NodeGroup]
			if !ok {
				// The zone heading above the row already names the zone.
				label, _, found := strings.Cut(f.NodeGroup, " in zone ")
				if !found {
					label = f.NodeGroup
				}
				zone := f.GroupZone
				g.nodes = append(g.nodes, nodeRow{label: label, zone: zone, backend: true, folded: true, groupOnly: true})
				i = len(g.nodes) - 1
				groupIdx[f.NodeGroup] = i
				groupZones[zone] = true
			}
			from = i
			g.nodes[i].share += f.Share
		default:
			continue
		}
		to, ok := podIdx[f.Pod]
		if !ok {
			continue
		}
		g.nodes[from].hasFlows = true
		class := flowClass(f)
		k := key{from, to}
		if e := agg[k]; e != nil {
			e.share += f.Share
			e.class = max(e.class, class)
			continue
		}
		agg[k] = &edge{from: from, to: to, share: f.Share, class: class}
		order = append(order, k)
	}
	for _, k := range order {
		g.edges = append(g.edges, *agg[k])
	}
	g.foldGroupMembers(groupZones)

	// Dropped and rejected traffic leaves from the nodes that carry share
	// but send it nowhere.
	g.sinkShare = p.Dropped + p.Rejected
	if g.sinkShare > 1e-9 {
		left := g.sinkShare
		for i := range g.nodes {
			n := &g.nodes[i]
			if !n.hasFlows && n.share > 1e-9 && !g.direct {
				g.edges = append(g.edges, edge{from: i, to: sinkTarget, share: n.share, class: classSink})
				left -= n.share
			}
		}
		if left > 1e-6 {
			g.entrySink = left
		}
	}

	g.collapse()
	g.place()
	return g
}

// flowClass is the hop class of one flow: the legend's three kinds.
func flowClass(f model.Flow) int {
	switch {
	case f.CrossZone:
		return classCrossZone
	case f.CrossNode:
		return classCrossNode
	}
	return classLocal
}

// foldGroupMembers hides the nodes a predictor group stands for: in a zone
// with one group, the nodes that carry traffic but have no flows of their
// own. Their pods move to the group row so they still show.
func (g *graph) foldGroupMembers(groupZones map[string]bool) {
	if len(groupZones) == 0 {
		return
	}
	groupOf := map[string]int{}
	count := map[string]int{}
	for i, n := range g.nodes {
		if n.groupOnly {
			groupOf[n.zone] = i
			count[n.zone]++
		}
	}
	keep := g.nodes[:0:0]
	remap := make([]int, len(g.nodes))
	for i, n := range g.nodes {
		gi, ok := groupOf[n.zone]
		if ok && count[n.zone] == 1 && !n.groupOnly && !n.hasFlows && n.share > 1e-9 {
			grp := &g.nodes[gi]
			grp.nodes++
			grp.healthy += n.healthy
			grp.pods = append(grp.pods, n.pods...)
			remap[i] = -1 - gi
			continue
		}
		remap[i] = len(keep)
		keep = append(keep, n)
	}
	// Group rows were appended after every plain node, so their new index
	// is known only now: resolve the members' pointers in a second pass.
	final := make([]int, len(remap))
	for i, r := range remap {
		if r < 0 {
			final[i] = remap[-1-r]
		} else {
			final[i] = r
		}
	}
	for i := range g.edges {
		g.edges[i].from = final[g.edges[i].from]
	}
	g.nodes = keep
}

// place orders node rows by zone then name, and gives every row a line.
// A node's pods sit beside it, so local hops are short and straight.
func (g *graph) place() {
	order := make([]int, len(g.nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		na, nb := g.nodes[a], g.nodes[b]
		if c := cmpZone(na.zone, nb.zone); c != 0 {
			return c
		}
		if na.folded != nb.folded {
			if na.folded {
				return 1
			}
			return -1
		}
		return strings.Compare(na.label, nb.label)
	})
	zoned := false
	for _, n := range g.nodes {
		if n.zone != "" {
			zoned = true
		}
	}
	spaced := len(g.nodes) <= spacedBlocksMax
	row := 1 // row 0 holds the column headings
	curZone := "\x00"
	for _, i := range order {
		n := &g.nodes[i]
		if zoned && n.zone != curZone {
			curZone = n.zone
			if row > 1 && !spaced {
				row++
			}
			g.zones = append(g.zones, zoneHead{name: n.zone, row: row})
			row++
		}
		if zoned {
			z := &g.zones[len(g.zones)-1]
			z.nodes += n.nodes
			z.share += g.entering(n)
		}
		n.row = row
		if g.direct {
			row++ // the host label sits above its pods
		}
		for k, pi := range n.pods {
			g.pods[pi].row = row + k
		}
		row += max(len(n.pods), 1)
		if g.direct && len(n.pods) == 0 {
			row--
		}
		if spaced {
			row++
		}
	}
	if g.sinkShare > 1e-9 {
		if !spaced {
			row++
		}
		g.sinkRow = row
		row++
	}
	if spaced && row > 1 && g.sinkRow < 0 {
		row-- // no blank line after the last block
	}
	g.rows = row
}

// cmpZone sorts zones by name with the zone-less last.
func cmpZone(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return strings.Compare(a, b)
}
