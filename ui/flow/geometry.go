package flow

// geometry is where each column of the graph starts, for one width.
type geometry struct {
	boxW          int // entry box, borders included
	trunkX        int
	nodeX         int
	nodeW, barW   int // node label width, share bar width (pods use the same)
	markW         int
	lanesX, lanes int // lane region start, lanes in it
	arrowX, podX  int
	podW          int
	hostW         int // "on node-x" after a pod, when there is room
	stateW        int
}

func (g geometry) nodeTextW() int { return g.nodeW + 1 + g.markW + g.barW + 1 + 6 }

// shareX is where a node row's share stands, and a zone heading's.
func (g geometry) shareX() int { return g.nodeX + g.nodeW + 1 + g.markW + g.barW + 1 }

func (g *geometry) place() {
	g.trunkX = g.boxW + 1
	g.nodeX = g.trunkX + 4
	g.lanesX = g.nodeX + g.nodeTextW() + 1
	g.arrowX = g.lanesX + 2*g.lanes + 1
	g.podX = g.arrowX + 2
}

func (g geometry) width() int {
	w := g.podX + g.podW + 1 + g.barW + 1 + 6
	if g.stateW > 0 {
		w += 1 + g.stateW
	}
	if g.hostW > 0 {
		w += 1 + g.hostW
	}
	return w
}

// fit picks the widest layout that fits: first bars and host labels
// shrink, then the entry box and names, and lanes last, because the lanes
// are what show which node feeds which pod.
func fit(width, boxW, titleW, nodeW, podW, hostW, stateW, markW, lanes int) (geometry, bool) {
	g := geometry{boxW: boxW, nodeW: min(nodeW, 28), podW: min(podW, 40), markW: markW, lanes: lanes, stateW: stateW, hostW: hostW}
	switch {
	case width >= 160:
		g.barW = 12
	case width >= 120:
		g.barW = 10
	case width >= 90:
		g.barW = 8
	default:
		g.barW = 6
	}
	g.place()
	steps := []struct {
		v     *int
		floor int
	}{
		{&g.hostW, 0}, {&g.barW, 6}, {&g.podW, 16}, {&g.nodeW, 14}, {&g.barW, 4},
		{&g.boxW, max(titleW, 12)}, {&g.podW, 12}, {&g.nodeW, 12}, {&g.stateW, 0},
		{&g.podW, 8}, {&g.nodeW, 8}, {&g.boxW, 9},
	}
	for _, s := range steps {
		over := g.width() - width
		if over <= 0 {
			return g, true
		}
		switch {
		case s.floor == 0:
			*s.v = 0 // an optional column goes whole or not at all
		case *s.v > s.floor:
			*s.v -= min(over, *s.v-s.floor)
		}
		g.place()
	}
	return g, g.width() <= width
}
