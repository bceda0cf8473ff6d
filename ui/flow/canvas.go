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
// so a line merely passing over another can be told from a real junction.
type wires struct {
	w, h  int
	parts map[[2]int][]wirePart
}

type wirePart struct {
	owner int
	dirs  uint8
	class int
}

func newWires(w, h int) *wires { return &wires{w: w, h: h, parts: map[[2]int][]wirePart{}} }

func (ws *wires) add(row, x, owner int, dirs uint8, class int) {
	if row < 0 || row >= ws.h || x < 0 || x >= ws.w {
		return
	}
	k := [2]int{row, x}
	for i, p := range ws.parts[k] {
		if p.owner == owner {
			ws.parts[k][i].dirs |= dirs
			ws.parts[k][i].class = max(p.class, class)
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

// draw turns the segments into runes on the canvas. Where one owner's
// straight line crosses another's, the vertical is drawn unbroken: a "┼"
// there would claim a connection that does not exist. Straight runs of
// hops that leave the node are dashed so mono terminals show them too.
func (ws *wires) draw(c *canvas) {
	for k, parts := range ws.parts {
		row, x := k[0], k[1]
		var dirs uint8
		class := classIdle
		crossing := len(parts) > 1
		for _, p := range parts {
			dirs |= p.dirs
			class = max(class, p.class)
			if p.dirs != up|down && p.dirs != left|right {
				crossing = false
			}
		}
		ch := boxRunes[dirs]
		if crossing && dirs == up|down|left|right {
			ch = '│'
			for _, p := range parts {
				if p.dirs == up|down {
					class = p.class
				}
			}
		}
		switch {
		case class == classCrossNode && ch == '─':
			ch = '╌'
		case class == classCrossNode && ch == '│':
			ch = '╎'
		case class == classCrossZone && ch == '─':
			ch = '┄'
		case class == classCrossZone && ch == '│':
			ch = '┆'
		}
		c.cells[row][x] = cell{ch, classStyle[class]}
	}
}
