package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Layout of the what-if mode: the panel sits beside the before/after
// screen when both fit, above it otherwise.
const (
	panelWidth     = 46
	panelBesideMin = 150
)

func (f *flowPage) panelBeside() bool { return f.width >= panelBesideMin }

// compareLines renders (or reuses) the before/after screen at the width
// it is shown in; View runs on every key, the drawing only on change.
func (f *flowPage) compareLines() []string {
	c := f.wi.cmp
	if c == nil {
		return nil
	}
	w := f.compareWidth()
	if f.wi.lines == nil || f.wi.linesFor != c || f.wi.linesW != w || f.wi.linesSt != f.ctx.Styles {
		if c.lines != nil && c.linesW == w && c.linesSt == f.ctx.Styles {
			f.wi.lines = c.lines
		} else {
			f.wi.lines = fitLines(compareLines(c, f.ctx.Styles, w), w)
		}
		f.wi.linesFor, f.wi.linesW, f.wi.linesSt = c, w, f.ctx.Styles
	}
	return f.wi.lines
}

func (f *flowPage) compareWidth() int {
	if f.wi.panelOpen && f.panelBeside() {
		return f.width - panelWidth - 3
	}
	return f.width
}

// noteLines are the lines above everything else in what-if mode.
func (f *flowPage) noteLines() []string {
	st := f.ctx.Styles
	var out []string
	for _, n := range f.wi.notes {
		s := st.Levels["warning"]
		if n.ok {
			s = st.Message
		}
		for _, l := range strings.Split(ansi.Wordwrap(n.text, f.width, ""), "\n") {
			out = append(out, s.Render(l))
		}
	}
	if f.wi.stale != "" {
		out = append(out, st.ErrorMessage.Render("The what-if no longer predicts: ")+st.Text.Render(f.wi.stale)+
			st.Muted.Render(" (x resets a row, X all)"))
	}
	return fitLines(out, f.width)
}

// compareHeight is the rows the before/after screen gets.
func (f *flowPage) compareHeight() int {
	h := f.height - len(f.noteLines())
	if f.wi.panelOpen && !f.panelBeside() {
		h -= len(f.panelLines())
	}
	return max(1, h)
}

func (f *flowPage) whatIfView() string {
	if f.wi.dialog.open() {
		return strings.Join(fitLines(f.dialogLines(), f.width), "\n")
	}
	out := f.noteLines()
	h := f.compareHeight()
	body := f.visibleCompare(h)
	switch {
	case !f.wi.panelOpen:
		out = append(out, body...)
	case f.panelBeside():
		panel := f.panelLines()
		sep := f.ctx.Styles.Faint.Render(" │ ")
		for i := range max(len(panel), len(body)) {
			p, b := "", ""
			if i < len(panel) {
				p = panel[i]
			}
			if i < len(body) {
				b = body[i]
			}
			out = append(out, p+strings.Repeat(" ", max(0, panelWidth-ansi.StringWidth(p)))+sep+b)
		}
	default:
		out = append(out, f.panelLines()...)
		out = append(out, body...)
	}
	return strings.Join(out, "\n")
}

// visibleCompare is the scrolled window of the before/after screen, with
// a hint on its last line when more follows.
func (f *flowPage) visibleCompare(h int) []string {
	st := f.ctx.Styles
	lines := f.compareLines()
	if lines == nil {
		return []string{st.Muted.Render("Predicting the what-if…")}
	}
	f.wi.offset = max(0, min(f.wi.offset, len(lines)-h))
	end := min(len(lines), f.wi.offset+h)
	vis := append([]string(nil), lines[f.wi.offset:end]...)
	if end < len(lines) && len(vis) > 0 {
		hint := "↓ " + strconv.Itoa(len(lines)-end) + " more lines (pgdn"
		if !f.wi.panelOpen {
			hint += ", j/k, G"
		}
		vis[len(vis)-1] = st.Faint.Render(hint + ")")
	}
	return vis
}

// panelLines draws the what-if panel: one row per setting or drill with
// the value the what-if uses, and the Service's own where it differs.
func (f *flowPage) panelLines() []string {
	st := f.ctx.Styles
	k := f.ctx.Keys
	base, _ := f.baseSettings()
	w := panelWidth
	if !f.panelBeside() {
		w = f.width
	}
	ed := f.wi.current()
	after := f.shownSettings()
	out := []string{st.Title.Render("What-if panel") + st.Muted.Render(" "+k.Up.Help().Key+" "+k.Down.Help().Key+" row · "+
		k.ValueNext.Help().Key+" "+k.ValuePrev.Help().Key+" value")}
	for i, r := range panelRows {
		if i == firstDrillRow {
			out = append(out, st.Title.Render("Drills")+st.Muted.Render(" simulated, never applied"))
		}
		v, changed := r.value(ed, base)
		if !changed && r.drill == "" && after != nil {
			// A knock-on value (lbNode implies single-node, ClientIP its
			// default timeout) is what the what-if runs with.
			v = after.Value(r.key)
		}
		if v == "" {
			v = "—"
			if r.key == "lbNode" {
				v = "auto"
			}
		}
		label := pad(r.label, 22)
		mark := "  "
		if i == f.wi.cursor {
			mark = "▸ "
		}
		line := mark + label + " " + v
		if changed && r.drill == "" {
			if was := base.Value(r.key); was != "" {
				line += "  (was " + was + ")"
			}
		}
		line = pad(ansi.Truncate(line, w, "…"), min(w, panelWidth))
		switch {
		case i == f.wi.cursor:
			out = append(out, st.Selected.Render(line))
		case changed:
			out = append(out, st.Bold.Render(line))
		default:
			out = append(out, st.Text.Render(line))
		}
	}
	if f.wi.refused != "" {
		for _, l := range strings.Split(ansi.Wordwrap("✗ "+f.wi.refused, w, ""), "\n") {
			out = append(out, st.ErrorMessage.Render(l))
		}
	}
	return out
}
