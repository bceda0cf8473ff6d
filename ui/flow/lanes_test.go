package flow

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// The legend promises ───▶ stays on the node, ╌╌╌▶ hops nodes and ┄┄┄▶
// crosses zones. TestLanesMatchTheirFlows holds every demo to it, for every
// Service and every traffic source it has (each node's NodePort and
// in-cluster clients too), at the widths operators use: the expected class
// of each lane comes from the prediction's flows, never from the drawing.
//
//   - Untraced, each arrowhead shows the class of all the flows it ends,
//     or is faint where they differ.
//   - Tracing each node in turn, its lit lanes are followed cell by cell
//     from its stub: they reach exactly the pods (or the sink) its flows
//     go to, each arrowhead and the run into it carry that flow's class,
//     and no cell on the way claims a hop the flow does not make. With a
//     single sending node the untraced drawing is walked the same way.
func TestLanesMatchTheirFlows(t *testing.T) {
	walked := 0
	eachDemoFlow(t, func(name string, p *model.Prediction) {
		for _, w := range []int{80, 120, 220} {
			walked += checkLanes(t, fmt.Sprintf("%s at %d columns", name, w), p, w)
		}
	})
	t.Logf("%d lanes walked", walked)
	if walked < 100 {
		t.Errorf("only %d lanes walked: the demos should give hundreds", walked)
	}
}

// Every zone heading, at every width, names its zone, counts its nodes
// and gives its share, all in the same form in one picture.
func TestZoneHeadings(t *testing.T) {
	head := regexp.MustCompile(`^(zone )?\S.* · \d+ nodes? +\d+\.\d%$`)
	headings := 0
	eachDemoFlow(t, func(name string, p *model.Prediction) {
		for _, w := range []int{80, 120, 220} {
			d := paint(p, Options{Width: w})
			words := map[bool]int{}
			for _, z := range d.g.zones {
				var b strings.Builder
				for _, cl := range d.c.cells[z.row][d.geo.nodeX-2 : d.geo.nodeTextW()+d.geo.nodeX] {
					b.WriteRune(max(cl.ch, ' '))
				}
				l := strings.TrimSpace(b.String())
				if !head.MatchString(l) {
					t.Errorf("%s at %d columns: zone heading %q", name, w, l)
				}
				words[strings.HasPrefix(l, "zone ")]++
				headings++
			}
			if len(words) > 1 {
				t.Errorf("%s at %d columns: some zone headings say \"zone\" and some do not", name, w)
			}
		}
	})
	if headings < 100 {
		t.Errorf("only %d zone headings checked", headings)
	}
}

// eachDemoFlow calls f with every demo Service's prediction from every
// traffic source it has, leaving out those drawn without lanes.
func eachDemoFlow(t *testing.T, f func(name string, p *model.Prediction)) {
	t.Helper()
	for _, demo := range k8s.DemoNames() {
		snap, err := k8s.LoadDemo(demo)
		if err != nil {
			t.Fatal(err)
		}
		for i := range snap.Services {
			svc := &snap.Services[i]
			for _, src := range everySource(snap, svc) {
				p, err := model.Predict(snap, model.Request{Service: svc.Key(), Source: src})
				if err != nil {
					t.Errorf("%s %s from %s: %v", demo, svc.Key(), src, err)
					continue
				}
				if p.DNS != nil || slices.Contains(p.Unknown, model.UnknownEndpoints) {
					continue // drawn without lanes
				}
				f(fmt.Sprintf("%s %s from %s", demo, svc.Key(), src), p)
			}
		}
	}
}

// everySource is every way traffic reaches svc: its entries, load
// balancer, NodePort and in-cluster clients, and each node's own.
func everySource(snap *model.Snapshot, svc *model.Service) []model.TrafficSource {
	out := model.SourcesIn(snap, svc, model.TrafficSource{})
	for _, n := range snap.Nodes {
		if slices.Contains(out, model.TrafficSource{Kind: model.SourceNodePort}) {
			out = append(out, model.TrafficSource{Kind: model.SourceNodePort, Node: n.Name})
		}
		out = append(out, model.TrafficSource{Kind: model.SourceInternal, Node: n.Name})
	}
	return out
}

// checkLanes checks one prediction at one width and returns how many
// lanes it walked.
func checkLanes(t *testing.T, name string, p *model.Prediction, w int) int {
	t.Helper()
	d := paint(p, Options{Width: w})
	want := flowsByRow(t, name, p, d.g)
	checkGlyphs(t, name+" untraced", d)

	// Untraced arrowheads: one class for all they end, or faint.
	into := map[int][]int{}
	for _, edges := range want {
		for row, class := range edges {
			into[row] = append(into[row], class)
		}
	}
	for row, classes := range into {
		st := classStyle[classes[0]]
		for _, c := range classes[1:] {
			if c != classes[0] {
				st = stIdle
			}
		}
		if got := arrowhead(t, name, d, row); got != st {
			t.Errorf("%s: untraced arrowhead on line %d drawn %v, want %v (flows %v)\n%s", name, row, got, st, classes, dump(d))
		}
	}

	walked := 0
	if len(d.senders) == 1 {
		walked += walk(t, name+" untraced", d, d.senders[0], want[d.senders[0]])
	}
	for i, n := range d.senders {
		dt := paint(p, Options{Width: w, Trace: i + 1})
		tn := fmt.Sprintf("%s tracing %s", name, dt.g.nodes[n].label)
		checkGlyphs(t, tn, dt)
		walked += walk(t, tn, dt, n, want[n])
		for row := range into {
			if _, fed := want[n][row]; !fed {
				if got := arrowhead(t, tn, dt, row); got != stIdle {
					t.Errorf("%s: arrowhead on line %d, which it does not feed, drawn %v, want faint\n%s", tn, row, got, dump(dt))
				}
			}
		}
	}
	if len(want) > 0 && len(d.senders) == 0 {
		t.Errorf("%s: flows but no node to trace", name)
	}
	return walked
}

// flowsByRow is the prediction's flows as node row → target line →
// class, with traffic a node drops going to the sink.
func flowsByRow(t *testing.T, name string, p *model.Prediction, g *graph) map[int]map[int]int {
	t.Helper()
	if g.direct {
		return nil
	}
	nodeRow := func(node, group string) int {
		for i, n := range g.nodes {
			switch {
			case group != "" && n.groupOnly && strings.HasPrefix(group, n.label+" in zone "),
				group == "" && !n.folded && (n.label == node || strings.HasPrefix(node, n.label+".")):
				return i
			}
		}
		t.Fatalf("%s: no row for node %q%q (the demos never fold nodes)", name, node, group)
		return -1
	}
	out := map[int]map[int]int{}
	add := func(from, row, class int) {
		if out[from] == nil {
			out[from] = map[int]int{}
		}
		out[from][row] = max(out[from][row], class)
	}
	sends := map[int]bool{}
	for _, f := range p.Flows {
		from := nodeRow(f.Node, f.NodeGroup)
		sends[from] = true
		row := -1
		for _, pr := range g.pods {
			if pr.count == 1 && pr.label == shortName(f.Pod, p.Service) {
				row = pr.row
			}
		}
		if row < 0 {
			t.Fatalf("%s: no row for pod %s (the demos never fold pods)", name, f.Pod)
		}
		add(from, row, flowClass(f))
	}
	for _, n := range p.Nodes {
		if n.Share > 1e-9 && p.Dropped+p.Rejected > 1e-9 {
			if i := nodeRow(n.Name, ""); !sends[i] {
				add(i, g.sinkRow, classSink)
			}
		}
	}
	return out
}

// walk follows node n's lit lanes from its stub and checks what they
// reach against edges (target line → class). It returns the lanes walked.
func walk(t *testing.T, name string, d painted, n int, edges map[int]int) int {
	t.Helper()
	c, geo := d.c, d.geo
	type pos struct{ r, x int }
	inLanes := func(p pos) bool { return p.x >= geo.lanesX && p.x < geo.arrowX && p.r >= 0 && p.r < len(c.cells) }
	lit := func(p pos) bool {
		return inLanes(p) && runeDirs[c.cells[p.r][p.x].ch] != 0 && c.cells[p.r][p.x].st != stIdle
	}
	start := pos{d.g.nodes[n].row, geo.lanesX}
	if !lit(start) {
		t.Errorf("%s: no lit stub at line %d column %d\n%s", name, start.r, start.x, dump(d))
		return 0
	}
	from := map[pos]pos{start: start}
	reached := map[int]bool{}
	queue := []pos{start}
	steps := []struct {
		dir, back uint8
		dr, dx    int
	}{{up, down, -1, 0}, {down, up, 1, 0}, {left, right, 0, -1}, {right, left, 0, 1}}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		dirs := runeDirs[c.cells[p.r][p.x].ch]
		for _, s := range steps {
			if dirs&s.dir == 0 {
				continue
			}
			q := pos{p.r + s.dr, p.x + s.dx}
			if q.x == geo.arrowX && s.dir == right && c.cells[q.r][q.x].ch == '▶' {
				reached[q.r] = true
				from[q] = p
				continue
			}
			if _, seen := from[q]; seen || !lit(q) || runeDirs[c.cells[q.r][q.x].ch]&s.back == 0 {
				continue
			}
			from[q] = p
			queue = append(queue, q)
		}
	}
	for row := range edges {
		if !reached[row] {
			t.Errorf("%s: the lit lanes do not reach line %d, which the node feeds\n%s", name, row, dump(d))
		}
	}
	for row := range reached {
		class, ok := edges[row]
		if !ok {
			t.Errorf("%s: the lit lanes reach line %d, which the node does not feed\n%s", name, row, dump(d))
			continue
		}
		if got := arrowhead(t, name, d, row); got != classStyle[class] {
			t.Errorf("%s: arrowhead on line %d drawn %v, want %v\n%s", name, row, got, classStyle[class], dump(d))
		}
		// The run into the arrowhead is the flow's own.
		for x := geo.arrowX - 1; x >= geo.lanesX && runeDirs[c.cells[row][x].ch] == left|right; x-- {
			if cl := cellClass(c.cells[row][x]); cl != class {
				t.Errorf("%s: the run into line %d's arrowhead has %q at column %d (class %d), want class %d\n%s",
					name, row, c.cells[row][x].ch, x, cl, class, dump(d))
				break
			}
		}
		// Nothing on the way claims a hop the flow does not make.
		for q := from[pos{row, geo.arrowX}]; q != start; q = from[q] {
			if cl := cellClass(c.cells[q.r][q.x]); cl > class {
				t.Errorf("%s: the lane to line %d passes %q at line %d column %d (class %d), more than its flow's class %d\n%s",
					name, row, c.cells[q.r][q.x].ch, q.r, q.x, cl, class, dump(d))
				break
			}
		}
	}
	return len(edges)
}

// checkGlyphs holds every lane cell's dashes to its colour: a dashed run
// is never coloured as staying on the node, nor a solid one as a hop. And
// a horizontal run is never cut by a lane crossing it (─│─): the run is
// drawn whole and the crossing lane passes under it.
func checkGlyphs(t *testing.T, name string, d painted) {
	t.Helper()
	for r, row := range d.c.cells {
		for x := d.geo.lanesX; x < d.geo.arrowX && x < len(row); x++ {
			cl := row[x]
			if runeDirs[cl.ch] == 0 {
				continue
			}
			l, rt := row[x-1], row[x+1]
			if runeDirs[l.ch]&right != 0 && runeDirs[rt.ch]&left != 0 && runeDirs[cl.ch]&(left|right) != left|right && l.st != stIdle && rt.st != stIdle {
				t.Errorf("%s: a lane cuts the run on line %d at column %d: %q\n%s", name, r, x, string([]rune{l.ch, cl.ch, rt.ch}), dump(d))
			}
			byShape := map[rune]int{'╌': classCrossNode, '╎': classCrossNode, '┄': classCrossZone, '┆': classCrossZone}
			shape, dashed := byShape[cl.ch]
			straight := runeDirs[cl.ch] == left|right || runeDirs[cl.ch] == up|down
			switch {
			case dashed && classStyle[shape] != cl.st,
				straight && !dashed && (cl.st == stCrossNode || cl.st == stCrossZone):
				t.Errorf("%s: %q at line %d column %d drawn %v\n%s", name, cl.ch, r, x, cl.st, dump(d))
			}
		}
	}
}

// cellClass is the class a lane cell claims, by its dashes and colour.
func cellClass(cl cell) int {
	switch cl.ch {
	case '╌', '╎':
		return classCrossNode
	case '┄', '┆':
		return classCrossZone
	}
	for class, st := range classStyle {
		if st == cl.st && class != classIdle {
			return class
		}
	}
	return classIdle
}

func arrowhead(t *testing.T, name string, d painted, row int) styleID {
	t.Helper()
	cl := d.c.cells[row][d.geo.arrowX]
	if cl.ch != '▶' {
		t.Fatalf("%s: no arrowhead on line %d column %d\n%s", name, row, d.geo.arrowX, dump(d))
	}
	return cl.st
}

// runeDirs is boxRunes the other way round, dashes included.
var runeDirs = func() map[rune]uint8 {
	m := map[rune]uint8{'╌': left | right, '┄': left | right, '╎': up | down, '┆': up | down}
	for d, r := range boxRunes {
		if d != 0 {
			m[r] = uint8(d)
		}
	}
	return m
}()

// dump shows a drawing with each lane cell's style under it: l local, n
// cross-node, z cross-zone, s sink, f faint.
func dump(d painted) string {
	letter := map[styleID]byte{stLocal: 'l', stCrossNode: 'n', stCrossZone: 'z', stSink: 's', stIdle: 'f'}
	var b strings.Builder
	for _, row := range d.c.cells {
		var glyphs, styles strings.Builder
		for x, cl := range row {
			ch := cl.ch
			if ch == 0 {
				ch = ' '
			}
			glyphs.WriteRune(ch)
			l := byte(' ')
			if x >= d.geo.lanesX && x <= d.geo.arrowX && ch != ' ' {
				if l = letter[cl.st]; l == 0 {
					l = '?'
				}
			}
			styles.WriteByte(l)
		}
		b.WriteString(strings.TrimRight(glyphs.String(), " ") + "\n" + strings.TrimRight(styles.String(), " ") + "\n")
	}
	return b.String()
}

func (s styleID) String() string {
	switch s {
	case stIdle:
		return "faint"
	case stLocal:
		return "local"
	case stCrossNode:
		return "cross-node"
	case stCrossZone:
		return "cross-zone"
	case stSink:
		return "sink"
	}
	return fmt.Sprintf("style %d", uint8(s))
}

// Under MetalLB layer 2 one node announces the address and the others
// stand by: the flow names each node as predict's table does, never with
// the health check's ✓.
func TestL2NodesAsPredictSays(t *testing.T) {
	snap, err := k8s.LoadDemo("metallb-l2")
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"default/kiada", "default/kiada-local"} {
		p, err := model.Predict(snap, model.Request{Service: svc, Source: model.TrafficSource{Kind: model.SourceLB}})
		if err != nil {
			t.Fatal(err)
		}
		out := text(p, 120)
		if strings.Contains(out, "✓") {
			t.Errorf("%s: a health check mark under L2:\n%s", svc, out)
		}
		words := map[string]string{"announces IP": "●", "standby": "○", "excluded": "✗"}
		for _, row := range report.NodeCells(p, false)[1:] {
			name, health := row[0], row[2]
			mark, ok := words[health]
			if !ok {
				t.Fatalf("%s: predict says %q for %s", svc, health, name)
			}
			if !regexp.MustCompile(regexp.QuoteMeta(name) + ` +` + mark + ` `).MatchString(out) {
				t.Errorf("%s: %s is not marked %s (predict: %s):\n%s", svc, name, mark, health, out)
			}
			if !strings.Contains(out, health) {
				t.Errorf("%s: the flow never says %q as predict does:\n%s", svc, health, out)
			}
		}
	}
}
