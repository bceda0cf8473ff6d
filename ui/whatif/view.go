package whatif

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/picker"
)

// View draws the panel: one row per setting or drill with the value the
// what-if uses, and the Service's own where it differs.
func (m *Model) View() string { return strings.Join(m.Lines(), "\n") }

// Lines is the panel line by line, for a parent that sets it beside
// another pane. It takes at most the height it was given: when the rows
// do not all fit (the panel above the results at 80×24), a window of
// them follows the cursor and the title says which rows are shown, so
// the results start on the first page.
func (m *Model) Lines() []string {
	st := m.ctx.Styles
	k := m.ctx.Keys
	w := m.width
	title := st.Title.Render("What-if panel") + st.Muted.Render(" "+k.Up.Help().Key+" "+k.Down.Help().Key+" row · "+
		k.ValueNext.Help().Key+" "+k.ValuePrev.Help().Key+" value")
	if m.pick != nil {
		// The picker takes the rows' place, in the height they had.
		m.pick.SetSize(min(w, Width), min(len(rows)+1, max(4, m.height-1)))
		return append([]string{title}, m.pick.Lines()...)
	}
	var tail []string
	if hint := m.pickHint(); hint != "" {
		tail = append(tail, st.Muted.Render(ansi.Truncate(hint, w, "…")))
	}
	if m.refused != "" {
		for _, l := range common.Wrap("✗ "+common.TUIWords(m.refused), w) {
			tail = append(tail, st.ErrorMessage.Render(l))
		}
	}
	body, cursor := m.rowLines()
	if room := max(minRows, m.height-1-len(tail)); len(body) > room {
		// Move the window only as far as the cursor needs; on the first
		// drill, show the Drills heading above it too.
		want := cursor
		if m.cursor == FirstDrillRow {
			want--
		}
		m.top = max(0, min(m.top, want, len(body)-room))
		m.top = max(m.top, cursor-room+1)
		end := m.top + room
		// Rows, not lines: the Drills heading is no row.
		first, last := m.top, end-1
		if first > FirstDrillRow {
			first--
		}
		if last >= FirstDrillRow {
			last--
		}
		title += st.Muted.Render(fmt.Sprintf(" · rows %d–%d of %d", first+1, last+1, len(rows)))
		body = body[m.top:end]
	}
	return append(append([]string{title}, body...), tail...)
}

// minRows is the fewest rows the panel shows, whatever else is there.
const minRows = 3

// rowLines is one line per row, with the Drills heading before the
// first drill, and the index of the cursor's line.
func (m *Model) rowLines() (out []string, cursor int) {
	st := m.ctx.Styles
	base, _ := m.base()
	w := m.width
	ed := m.current()
	after := m.shown()
	for i, r := range rows {
		if i == FirstDrillRow {
			out = append(out, st.Title.Render("Drills")+st.Muted.Render(" simulated, never applied"))
		}
		v, changed := r.value(ed, base)
		if !changed && r.drill == "" && after != nil {
			// A knock-on value (lbNode implies single-node, ClientIP its
			// default timeout) is what the what-if runs with.
			v = after.Value(r.key)
		}
		mark := "  "
		if i == m.cursor {
			mark, cursor = "▸ ", len(out)
		}
		line := mark + common.Pad(r.label, 22) + " " + r.text(v)
		if changed && r.drill == "" {
			if was := base.Value(r.key); was != "" {
				line += "  (was " + r.text(was) + ")"
			}
		}
		line = common.Pad(ansi.Truncate(line, w, "…"), min(w, Width))
		switch {
		case i == m.cursor:
			out = append(out, st.Selected.Render(line))
		case changed:
			out = append(out, st.Bold.Render(line))
		default:
			out = append(out, st.Text.Render(line))
		}
	}
	return out, cursor
}

// NoteLines are the notes and a stale edit's error, wrapped to width:
// the what-if screen shows them above everything else.
func (m *Model) NoteLines(width int) []string {
	st := m.ctx.Styles
	var out []string
	for _, n := range m.notes {
		s := st.Levels["warning"]
		if n.ok {
			s = st.Message
		}
		for _, l := range common.Wrap(n.text, width) {
			out = append(out, s.Render(l))
		}
	}
	if m.stale != "" {
		for _, l := range common.Wrap("The what-if no longer predicts: "+common.TUIWords(m.stale)+" (x resets a row, X all)", width) {
			out = append(out, st.ErrorMessage.Render(l))
		}
	}
	return common.FitLines(out, width)
}

// pickAbove is how many choices make stepping through them one key at a
// time tedious enough to offer the picker.
const pickAbove = 10

// pickHint offers the picker on a row with many choices: a cluster's
// nodes, a big Service's pods. It fits the panel's width.
func (m *Model) pickHint() string {
	items, hosting := m.choices()
	if len(items) <= pickAbove {
		return ""
	}
	r := rows[m.cursor]
	hint := "  " + m.ctx.Keys.Pick.Help().Key + " to pick: " + picker.Count(len(items)) + " " + r.noun()
	switch {
	case hosting > 0 && r.drill == model.DrillScale:
		hint += ", " + common.Counted(hosting, "pod node") + " first"
	case hosting > 0:
		hint += ", " + picker.Count(hosting) + " with pods first"
	}
	return hint
}
