package flow

import "slices"

// Lanes carry each node's traffic to its pods: a stub from the node's
// share to its lane, the lane up or down, and a turn into each pod's row
// that ends in an arrowhead. Every piece is drawn in the class of the
// edges through it (canvas.go says how shared pieces are drawn), so an
// arrowhead says "stays on the node" only when all the traffic through it
// does.

// drawLanes lays every node's lane into ws and draws the arrowheads.
func drawLanes(c *canvas, ws *wires, g *graph, geo geometry, laneOf []int) {
	into := map[int][]wirePart{} // arrowhead row → the edges it ends
	for i, n := range g.nodes {
		lane := laneOf[i]
		if lane < 0 {
			continue
		}
		lx := geo.lanesX + 1 + 2*lane
		for _, e := range g.edges {
			if e.from != i {
				continue
			}
			row := g.targetRow(e)
			ws.hline(n.row, geo.lanesX, lx, i, e.class)
			ws.add(n.row, geo.lanesX, i, left, e.class)
			ws.vline(lx, n.row, row, i, e.class)
			ws.hline(row, lx, geo.arrowX-1, i, e.class)
			ws.add(row, geo.arrowX-1, i, right, e.class)
			into[row] = append(into[row], wirePart{owner: i, class: e.class})
		}
	}
	for row, parts := range into {
		class := classMixed
		if ws.lit == noOwner {
			class = merge(parts)
		} else if lit := ws.litParts(parts); len(lit) > 0 {
			class = merge(lit)
		}
		c.text(row, geo.arrowX, "▶", styleOf(class))
	}
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
			row := g.targetRow(e)
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
