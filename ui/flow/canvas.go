package flow

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/ktraffic/ktraffic/themes"
)

// style ids index a palette of pre-rendered escape sequences: styling a
// 400-row graph one lipgloss.Render per run would cost milliseconds.
type styleID uint8

const (
	stPlain styleID = iota
	stText
	stMuted
	stFaint
	stBold
	stTitle
	stIdle
	stLocal
	stCrossNode
	stCrossZone
	stHealthy
	stUnhealthy
	stBarFull
	stBarEmpty
	stSink
	stGood
	stBad
	stZone
	stBox
	stInfo
	stWarning
	stError
	stSelected
	stCount
)

type palette [stCount]struct{ pre, post string }

func newPalette(s *themes.Styles) *palette {
	var p palette
	set := func(id styleID, st lipgloss.Style) {
		out := st.Render("X")
		i := strings.LastIndexByte(out, 'X')
		p[id].pre, p[id].post = out[:i], out[i+1:]
	}
	set(stText, s.Text)
	set(stMuted, s.Muted)
	set(stFaint, s.Faint)
	set(stBold, s.Bold)
	set(stTitle, s.Title)
	set(stIdle, s.EdgeIdle)
	set(stLocal, s.EdgeLocal)
	set(stCrossNode, s.EdgeCrossNode)
	set(stCrossZone, s.EdgeCrossZone)
	set(stHealthy, s.Healthy)
	set(stUnhealthy, s.Unhealthy)
	set(stBarFull, s.BarFull)
	set(stBarEmpty, s.BarEmpty)
	set(stSink, s.Sink)
	set(stGood, s.Good)
	set(stBad, s.Bad)
	set(stZone, s.Zone)
	set(stBox, s.Box)
	set(stInfo, s.Levels["info"])
	set(stWarning, s.Levels["warning"])
	set(stError, s.Levels["error"])
	set(stSelected, s.Selected)
	return &p
}

var classStyle = [...]styleID{classIdle: stIdle, classLocal: stLocal, classCrossNode: stCrossNode, classCrossZone: stCrossZone, classSink: stSink}

type cell struct {
	ch rune
	st styleID
}

// canvas is a grid of styled cells, each one terminal column wide (every
// glyph the flow view draws is).
type canvas struct {
	w     int
	cells [][]cell
}

func newCanvas(w, h int) *canvas {
	c := &canvas{w: w, cells: make([][]cell, h)}
	for i := range c.cells {
		c.cells[i] = make([]cell, w)
	}
	return c
}

// text writes s at (row, x), clipped to the canvas, and returns the column
// after it.
func (c *canvas) text(row, x int, s string, st styleID) int {
	if row < 0 || row >= len(c.cells) {
		return x
	}
	for _, r := range s {
		if x >= 0 && x < c.w {
			c.cells[row][x] = cell{r, st}
		}
		x++
	}
	return x
}

// line renders one row, trailing blanks trimmed.
func (c *canvas) line(row int, p *palette, b *strings.Builder) string {
	cells := c.cells[row]
	end := len(cells)
	for end > 0 && (cells[end-1].ch == 0 || cells[end-1].ch == ' ') {
		end--
	}
	b.Reset()
	for i := 0; i < end; {
		st := cells[i].st
		j := i
		b.WriteString(p[st].pre)
		for j < end && cells[j].st == st {
			ch := cells[j].ch
			if ch == 0 {
				ch = ' '
			}
			b.WriteRune(ch)
			j++
		}
		b.WriteString(p[st].post)
		i = j
	}
	return b.String()
}

// Directions of a box-drawing cell.
const (
	up uint8 = 1 << iota
	down
	left
	right
)

var boxRunes = [16]rune{
	0: ' ', up: '╵', down: '╷', up | down: '│',
	left: '╴', right: '╶', left | right: '─',
	up | left: '┘', up | right: '└', down | left: '┐', down | right: '┌',
	up | down | left: '┤', up | down | right: '├', left | right | up: '┴', left | right | down: '┬',
	up | down | left | right: '┼',
}

// wires collects box-drawing segments per owner before they become runes,
// so a line merely passing over another can be told from a real junction,
// and a cell two nodes' lanes share from a cell one lane owns.
type wires struct {
	w, h  int
	parts map[[2]int][]wirePart
	// lit is the traced owner: its lanes are drawn in their classes and
	// every other lane is dimmed. noOwner traces none.
	lit int
}

type wirePart struct {
	owner int
	dirs  uint8
	class int
}

// Owners that are no node: the trunk from the entry to the nodes, and
// none at all (wires.lit when no node is traced).
const (
	trunkOwner = -1
	noOwner    = -2
)

func newWires(w, h int) *wires {
	return &wires{w: w, h: h, parts: map[[2]int][]wirePart{}, lit: noOwner}
}

// add puts one owner's segment in a cell. Where one owner's edges share a
// cell (a node's stub, its lane down past its own pods) the cell takes
// the least class among them: traffic is still on the node until a turn
// takes it elsewhere, and the turn and run of each edge carry its own
// class.
func (ws *wires) add(row, x, owner int, dirs uint8, class int) {
	if row < 0 || row >= ws.h || x < 0 || x >= ws.w {
		return
	}
	k := [2]int{row, x}
	for i, p := range ws.parts[k] {
		if p.owner == owner {
			ws.parts[k][i].dirs |= dirs
			ws.parts[k][i].class = min(p.class, class)
			return
		}
	}
	ws.parts[k] = append(ws.parts[k], wirePart{owner, dirs, class})
}

// hline runs from x0 to x1 inclusive on row; the ends get only their inner
// half so junctions form where lines meet.
func (ws *wires) hline(row, x0, x1, owner, class int) {
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	for x := x0; x <= x1; x++ {
		var d uint8
		if x > x0 {
			d |= left
		}
		if x < x1 {
			d |= right
		}
		ws.add(row, x, owner, d, class)
	}
}

func (ws *wires) vline(x, r0, r1, owner, class int) {
	if r0 > r1 {
		r0, r1 = r1, r0
	}
	for r := r0; r <= r1; r++ {
		var d uint8
		if r > r0 {
			d |= up
		}
		if r < r1 {
			d |= down
		}
		ws.add(r, x, owner, d, class)
	}
}

// classMixed marks a cell whose owners' classes differ: no single class
// is true of it, so it is drawn plain and faint.
const classMixed = -1

// merge is the class a cell shows for the parts drawn in it: their one
// class, or classMixed.
func merge(parts []wirePart) int {
	class := parts[0].class
	for _, p := range parts[1:] {
		if p.class != class {
			return classMixed
		}
	}
	return class
}

// draw turns the segments into runes on the canvas.
//
// A cell only one owner draws in keeps that owner's class. Where lanes of
// several nodes share a cell (a pod fed by several nodes, one node's stub
// over another's turn), the cell keeps a class only when they all agree;
// otherwise it is faint, because "hops" or "stays" would be true of only
// some of the traffic through it. Tracing a node lights its lanes in their
// classes and dims the rest.
//
// Where one owner's straight line crosses another's without joining, a
// "┼" would claim a connection that does not exist, and a vertical drawn
// through would cut the run (─│──▶): the horizontal is drawn whole and the
// vertical passes under it with a gap. Straight runs of hops that leave
// the node are dashed so mono terminals show them too.
func (ws *wires) draw(c *canvas) {
	for k, parts := range ws.parts {
		if _, h, ok := crossing(parts); ok {
			parts = h
		}
		class := classMixed
		if ws.lit == noOwner {
			class = merge(parts)
		} else if lit := ws.litParts(ws.parts[k]); len(lit) > 0 {
			// The traced lanes are drawn whole and alone: a dimmed lane
			// meeting them passes under, so the lit path has no branch
			// that is not its own.
			parts, class = lit, merge(lit)
		}
		var dirs uint8
		for _, p := range parts {
			dirs |= p.dirs
		}
		c.cells[k[0]][k[1]] = cell{lineRune(boxRunes[dirs], class), styleOf(class)}
	}
}

// litParts are the parts of the traced node and of the trunk, which is
// never dimmed.
func (ws *wires) litParts(parts []wirePart) []wirePart {
	var out []wirePart
	for _, p := range parts {
		if p.owner == ws.lit || p.owner == trunkOwner {
			out = append(out, p)
		}
	}
	return out
}

// crossing splits a cell's parts into straight verticals and straight
// horizontals when nothing joins them.
func crossing(parts []wirePart) (v, h []wirePart, ok bool) {
	for _, p := range parts {
		switch p.dirs {
		case up | down:
			v = append(v, p)
		case left | right:
			h = append(h, p)
		default:
			return nil, nil, false
		}
	}
	return v, h, len(v) > 0 && len(h) > 0
}

// lineRune dashes a straight run by its class: ╌ hops nodes, ┄ crosses
// zones. Junctions and corners stay solid.
func lineRune(ch rune, class int) rune {
	switch {
	case class == classCrossNode && ch == '─':
		return '╌'
	case class == classCrossNode && ch == '│':
		return '╎'
	case class == classCrossZone && ch == '─':
		return '┄'
	case class == classCrossZone && ch == '│':
		return '┆'
	}
	return ch
}

// styleOf is a class's style; a mixed or dimmed cell is faint.
func styleOf(class int) styleID {
	if class == classMixed {
		return stIdle
	}
	return classStyle[class]
}
