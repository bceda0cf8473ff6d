package compare

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/flow"
)

// sideBySideMin is the narrowest a flow is drawn beside another: below
// it, node and pod names stop telling apart (the flow view's own limit).
const sideBySideMin = 80

// Lines draws the before/after screen: the numbers `ktraffic diff`
// prints, in the same words and formats so the two can be checked
// against each other, then the patch, then both flows.
func Lines(c *Comparison, at Layout) []string {
	st, width := at.Styles, at.Width
	var out []string
	title := st.Title.Render("What-if ")
	switch {
	case c.Empty() && at.PanelOpen:
		out = append(out, title+st.Muted.Render("nothing changed yet: pick a setting or a drill in the panel"))
	case c.Empty():
		out = append(out, title+st.Muted.Render("nothing changed yet (w opens the panel: pick a setting or a drill)"))
	default:
		out = append(out, title+st.Text.Render(strings.Join(Words(c.Overrides, c.Drills), ", ")))
	}
	for _, a := range c.WhatIf.AlreadySet {
		out = append(out, labelled(st.Levels["warning"], "Already:", report.AlreadySetText(a), st, width)...)
	}
	for _, node := range c.WhatIf.Cordoned {
		out = append(out, labelled(st.Bold, "Cordon:", model.CordonText(node), st, width)...)
	}
	d := c.Diff
	switch {
	case !c.WhatIf.Changed():
		out = append(out, st.Muted.Render("No change: the what-if spreads traffic exactly as today, from every source."))
	default:
		out = append(out, "", st.Title.Render("Every source of traffic, worst change first:"))
		tables, same := fitTable(report.SourceChangeCells(c.WhatIf.Sources), width)
		for i, t := range tables {
			if i > 0 {
				out = append(out, "")
			}
			out = append(out, table(t, st)...)
		}
		if len(same) > 0 {
			out = append(out, labelled(st.Muted, "Same for every source:", strings.Join(same, ", "), st, width)...)
		}
		if w := c.WhatIf.Worst(); w != nil {
			out = append(out, labelled(st.Bold, report.EffectLabel(*w)+":", report.Effect(*w), st, width)...)
		}
		if t := c.WhatIf.Transition; t != nil {
			out = append(out, labelled(st.Levels["warning"], "Meanwhile:", report.TransitionText(t), st, width)...)
		}
		out = append(out, "", st.Title.Render("From "+report.SourceName(c.Before.Source)+":")+st.Muted.Render("  (s: another source)"))
		if !d.Changed() {
			out = append(out, st.Muted.Render("no change for this source; the rows above show which sources change."))
			break
		}
		out = append(out, summaryTable(c, st)...)
		if len(d.Nodes) > 0 {
			out = append(out, "")
			out = append(out, nodeTable(c, st)...)
		}
		if len(d.Endpoints) > 0 {
			out = append(out, "")
			out = append(out, podTable(d, st)...)
		}
		out = append(out, findingLines("Findings that appear", "+", d.FindingsAppeared, st, width)...)
		out = append(out, findingLines("Findings that clear", "-", d.FindingsCleared, st, width)...)
	}
	out = append(out, "")
	out = append(out, patchLines(c, at)...)
	out = append(out, "")
	out = append(out, flowsLines(c, st, width)...)
	return out
}

func summaryTable(c *Comparison, st *themes.Styles) []string {
	d := c.Diff
	rows := [][]string{{"", "BEFORE", "AFTER", "CHANGE"}}
	for _, s := range d.Settings {
		rows = append(rows, []string{s.Key, report.SettingText(s.Key, s.Before), report.SettingText(s.Key, s.After), ""})
	}
	ip := func(kept bool) string {
		if kept {
			return "preserved"
		}
		return "lost (SNAT)"
	}
	changed := ""
	if d.ClientIPPreserved.Changed() {
		changed = "changed"
	}
	rows = append(rows, []string{"client IP", ip(d.ClientIPPreserved.Before), ip(d.ClientIPPreserved.After), changed})
	for _, r := range []struct {
		name string
		c    model.NumberChange
	}{{"dropped", d.Dropped}, {"rejected", d.Rejected}, {"cross-node", d.CrossNode}, {"cross-zone", d.CrossZone}} {
		rows = append(rows, []string{r.name, report.Percent(r.c.Before), report.Percent(r.c.After), report.Points(r.c.Delta)})
	}
	return table(rows, st)
}

func nodeTable(c *Comparison, st *themes.Styles) []string {
	return table(report.NodeChangeCells(c.Before, c.After, c.Diff), st)
}

func podTable(d *model.Diff, st *themes.Styles) []string {
	return table(report.PodChangeCells(d), st)
}

// fitTable fits rows, a table whose first column names each row and
// whose second says its verdict, into width without cutting a cell: at
// 80 columns the source table would otherwise lose its client IP
// column, the one that changes. Right to left, columns whose cells are
// all alike are left out and named once with their value (same); if
// that is not enough, the rest is split into tables one under another,
// each with the first column again.
func fitTable(rows [][]string, width int) (tables [][][]string, same []string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	fold := make([]bool, len(widths))
	total := func() int {
		n := -2
		for i, w := range widths {
			if !fold[i] {
				n += w + 2
			}
		}
		return n
	}
	for i := len(widths) - 1; i > 1 && total() > width; i-- {
		alike := len(rows) > 2 // the heading and two sources at least: one source is "the same" as itself
		for _, r := range rows[1:] {
			alike = alike && r[i] == rows[1][i]
		}
		if alike {
			same = append([]string{rows[0][i] + " " + rows[1][i]}, same...)
			fold[i] = true
		}
	}
	// Split what is left into groups of columns that fit beside the first.
	var groups [][]int
	cur, used := []int{0}, widths[0]
	for i := 1; i < len(widths); i++ {
		if fold[i] {
			continue
		}
		if len(cur) > 1 && used+2+widths[i] > width {
			groups, cur, used = append(groups, cur), []int{0}, widths[0]
		}
		cur, used = append(cur, i), used+2+widths[i]
	}
	groups = append(groups, cur)
	for _, g := range groups {
		t := make([][]string, len(rows))
		for ri, r := range rows {
			for _, i := range g {
				t[ri] = append(t[ri], r[i])
			}
		}
		tables = append(tables, t)
	}
	return tables, same
}

// table aligns cells two spaces apart; the first row is the heading and
// a row's changed column (CHANGE, fourth or fifth) is what the eye seeks,
// so it is bold.
func table(rows [][]string, st *themes.Styles) []string {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	change := -1
	for i, h := range rows[0] {
		if h == "CHANGE" {
			change = i
		}
	}
	// Paints, not lipgloss.Render: a table of 300 pods is 1,800 cells,
	// and the first frame after a change draws them all.
	head, bold, text := common.NewPaint(st.ColumnHead), common.NewPaint(st.Bold), common.NewPaint(st.Text)
	out := make([]string, 0, len(rows))
	var b strings.Builder
	for ri, r := range rows {
		b.Reset()
		for i, c := range r {
			cell := c
			if i < len(r)-1 {
				cell += strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2)
			} else {
				cell = strings.TrimRight(cell, " ")
			}
			switch {
			case ri == 0:
				head.Write(&b, cell)
			case i == change && c != "":
				bold.Write(&b, cell)
			default:
				text.Write(&b, cell)
			}
		}
		out = append(out, b.String())
	}
	return out
}

func findingLines(title, mark string, fs []model.Finding, st *themes.Styles, width int) []string {
	if len(fs) == 0 {
		return nil
	}
	out := []string{"", st.Title.Render(title + ":")}
	for _, f := range fs {
		lead := fmt.Sprintf("  %s %-7s  ", mark, f.Level)
		for i, l := range common.Wrap(f.Code+": "+f.Message, max(20, width-len(lead))) {
			if i == 0 {
				lvl, ok := st.Levels[string(f.Level)]
				if !ok {
					lvl = st.Text
				}
				out = append(out, lvl.Render(lead)+st.Text.Render(l))
				continue
			}
			out = append(out, strings.Repeat(" ", len(lead))+st.Text.Render(l))
		}
	}
	return out
}

// patchLines show exactly what an apply would send, and what it never
// carries, before any key can send it.
func patchLines(c *Comparison, at Layout) []string {
	st, width := at.Styles, at.Width
	var out []string
	switch o := c.Overrides.ServiceFields(); {
	case o.Empty():
		out = append(out, st.Title.Render("Patch: ")+st.Muted.Render("none; the what-if changes no Service field, so there is nothing to apply"))
	case c.PatchErr != nil:
		out = append(out, st.Title.Render("Patch: ")+st.ErrorMessage.Render(c.PatchErr.Error()))
	case c.Patch == "":
		out = append(out, st.Title.Render("Patch: ")+st.Muted.Render("none; the Service already has these values"))
	case at.ReadOnly:
		out = append(out, st.Title.Render("Patch")+st.Muted.Render(" (server-side apply, field manager ktraffic; never sent: read-only):"))
	default:
		out = append(out, st.Title.Render("Patch")+st.Muted.Render(" (server-side apply, field manager ktraffic; a sends it after a dry run):"))
		for _, l := range strings.Split(strings.TrimRight(c.Patch, "\n"), "\n") {
			out = append(out, "  "+st.Text.Render(l))
		}
	}
	var never []string
	if c.Overrides.LBMode != nil {
		never = append(never, model.KeyLBMode+" (how the load balancer spreads, not a Service field)")
	}
	if c.Overrides.LBNode != nil {
		never = append(never, model.KeyLBNode+" (the announcing node, not a Service field)")
	}
	if len(c.Drills) > 0 {
		never = append(never, "drills (simulated failures)")
	}
	if len(never) > 0 {
		text := "Not in the patch, never applied: " + strings.Join(never, ", ") + "."
		for _, l := range common.Wrap(text, width) {
			out = append(out, st.Muted.Render(l))
		}
	}
	return out
}

// flowsLines draws both flows, side by side when each gets the width the
// flow view needs, else one under the other.
func flowsLines(c *Comparison, st *themes.Styles, width int) []string {
	var entry []string
	if svc := c.Snap.Service(c.Service); svc != nil {
		entry = flow.EntryLines(svc, c.Before.Source)
	}
	const gap = " │ "
	half := (width - len([]rune(gap))) / 2
	if half >= sideBySideMin {
		left := common.FitLines(flow.Render(c.Before, st, flow.Options{Width: half, Entry: entry}), half)
		right := common.FitLines(flow.Render(c.After, st, flow.Options{Width: half, Entry: entry}), half)
		out := []string{st.Title.Render(common.Pad("BEFORE", half)) + st.Faint.Render(gap) + st.Title.Render("AFTER")}
		return append(out, common.Beside(left, right, half, st.Faint.Render(gap))...)
	}
	out := []string{st.Title.Render("BEFORE")}
	out = append(out, common.FitLines(flow.Render(c.Before, st, flow.Options{Width: width, Entry: entry}), width)...)
	out = append(out, "", st.Title.Render("AFTER"))
	return append(out, common.FitLines(flow.Render(c.After, st, flow.Options{Width: width, Entry: entry}), width)...)
}

// labelled is a sentence under a styled label, wrapped to the width with
// its continuation lines indented: the worst effect and the catch-up
// window are what the user must read in full, whatever the width.
func labelled(label lipgloss.Style, name, text string, st *themes.Styles, width int) []string {
	lines := common.Wrap(name+" "+text, max(20, width-2))
	out := make([]string, len(lines))
	for i, l := range lines {
		if i == 0 {
			out[i] = label.Render(name) + st.Text.Render(strings.TrimPrefix(l, name))
			continue
		}
		out[i] = st.Text.Render("  " + l)
	}
	return out
}
