package whatif

import (
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
// another pane.
func (m *Model) Lines() []string {
	st := m.ctx.Styles
	k := m.ctx.Keys
	base, _ := m.base()
	w := m.width
	ed := m.current()
	after := m.shown()
	out := []string{st.Title.Render("What-if panel") + st.Muted.Render(" "+k.Up.Help().Key+" "+k.Down.Help().Key+" row · "+
		k.ValueNext.Help().Key+" "+k.ValuePrev.Help().Key+" value")}
	if m.pick != nil {
		// The picker takes the rows' place, as tall as they are.
		m.pick.SetSize(min(w, Width), min(len(rows)+1, max(4, m.height-1)))
		return append(out, m.pick.Lines()...)
	}
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
		if v == "" {
			v = "—"
			if r.key == model.KeyLBNode {
				v = "auto"
			}
		}
		mark := "  "
		if i == m.cursor {
			mark = "▸ "
		}
		line := mark + common.Pad(r.label, 22) + " " + v
		if changed && r.drill == "" {
			if was := base.Value(r.key); was != "" {
				line += "  (was " + was + ")"
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
	if hint := m.pickHint(); hint != "" {
		out = append(out, st.Muted.Render(ansi.Truncate(hint, w, "…")))
	}
	if m.refused != "" {
		for _, l := range common.Wrap("✗ "+m.refused, w) {
			out = append(out, st.ErrorMessage.Render(l))
		}
	}
	return out
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
		out = append(out, st.ErrorMessage.Render("The what-if no longer predicts: ")+st.Text.Render(m.stale)+
			st.Muted.Render(" (x resets a row, X all)"))
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
		hint += ", " + picker.Count(hosting) + " pod nodes first"
	case hosting > 0:
		hint += ", " + picker.Count(hosting) + " with pods first"
	}
	return hint
}
