package list

import (
	"strings"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
)

// column is one column of the table. Columns with a higher drop rank go
// first when the terminal is narrow; the finding column takes what is left.
type column struct {
	title string
	width int
	drop  int // 0 = never dropped
	cell  func(r *model.ServiceSummary) string
}

func allColumns() []column {
	return []column{
		{title: "NAMESPACE", drop: 3, cell: func(r *model.ServiceSummary) string { return r.Namespace }},
		{title: "NAME", cell: func(r *model.ServiceSummary) string { return r.Name }},
		{title: "TYPE", cell: func(r *model.ServiceSummary) string { return string(r.Type) }},
		{title: "EXTERNAL", drop: 2, cell: func(r *model.ServiceSummary) string { return report.OrDash(r.ExternalTrafficPolicy) }},
		{title: "INTERNAL", drop: 5, cell: func(r *model.ServiceSummary) string { return report.OrDash(r.InternalTrafficPolicy) }},
		{title: "AFFINITY", drop: 6, cell: func(r *model.ServiceSummary) string { return report.OrDash(r.SessionAffinity) }},
		{title: "READY", cell: func(r *model.ServiceSummary) string {
			return itoa(r.ReadyEndpoints) + "/" + itoa(r.TotalEndpoints)
		}},
		{title: "NODES", drop: 4, cell: func(r *model.ServiceSummary) string { return itoa(r.NodesWithEndpoints) }},
	}
}

const (
	findingMin = 18
	gap        = 2
	maxCell    = 40
)

// layoutColumns sizes columns from the visible rows. Measuring all of a
// filtered list once per change is cheap; per frame it would not be.
func (m *Model) layoutColumns() []column {
	cols := allColumns()
	for i := range cols {
		cols[i].width = len(cols[i].title) + 1 // room for the sort mark
	}
	for _, ri := range m.visible {
		r := &m.rows[ri]
		for i := range cols {
			if n := len(cols[i].cell(r)); n > cols[i].width {
				cols[i].width = min(n, maxCell)
			}
		}
	}
	total := func() int {
		w := findingMin
		for _, c := range cols {
			w += c.width + gap
		}
		return w
	}
	for total() > m.width {
		worst := -1
		for i, c := range cols {
			if c.drop > 0 && (worst < 0 || c.drop > cols[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		cols = append(cols[:worst], cols[worst+1:]...)
	}
	// Still too wide: names give way, they are the longest.
	for i := range cols {
		if over := total() - m.width; over > 0 && cols[i].title == "NAME" {
			cols[i].width = max(8, cols[i].width-over)
		}
	}
	return cols
}

// paints are the list's styles as escape sequences, rebuilt on theme change.
type paints struct {
	styles        *themes.Styles
	head, text    common.Paint
	muted, faint  common.Paint
	selected, err common.Paint
	levels        map[model.Level]common.Paint
}

func (m *Model) paintsFor() *paints {
	st := m.ctx.Styles
	if m.paints.styles != st {
		m.paints = paints{styles: st, head: common.NewPaint(st.ColumnHead), text: common.NewPaint(st.Text),
			muted: common.NewPaint(st.Muted), faint: common.NewPaint(st.Faint),
			selected: common.NewPaint(st.Selected), err: common.NewPaint(st.ErrorMessage),
			levels: map[model.Level]common.Paint{}}
		for l, s := range st.Levels {
			m.paints.levels[model.Level(l)] = common.NewPaint(s)
		}
	}
	return &m.paints
}

var levelMark = map[model.Level]string{model.LevelError: "✗ ", model.LevelWarning: "▲ ", model.LevelUnknown: "? ", model.LevelInfo: "● "}

// View draws the headings and the visible rows only.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	p := m.paintsFor()
	if !m.loaded {
		return p.muted.Render("Reading Services…")
	}
	if m.cols == nil {
		m.cols = m.layoutColumns()
	}
	var b strings.Builder
	b.Grow((m.width + 32) * m.height)
	var line strings.Builder
	// The sort column's title says its direction, as k9s does: ↑ from
	// low to high (A to Z), ↓ from high to low.
	sorted, arrow := sortKeys[m.sort].column, "↑"
	if m.Descending() {
		arrow = "↓"
	}
	title := func(t string) string {
		if t == sorted {
			return t + arrow
		}
		return t
	}
	for _, c := range m.cols {
		line.WriteString(fit(title(c.title), c.width))
		line.WriteString("  ")
	}
	line.WriteString(title("FINDING"))
	p.head.Write(&b, cut(line.String(), m.width))

	if len(m.visible) == 0 {
		b.WriteString("\n")
		msg := "No Services in this snapshot."
		switch {
		case m.filter != "":
			msg = "No Services match “" + m.filter + "” (esc clears the filter)."
		case m.namespace != "":
			msg = "No Services in namespace " + m.namespace + " (:ns all shows every namespace)."
		}
		p.muted.Write(&b, msg)
		return b.String()
	}

	findW := m.width
	for _, c := range m.cols {
		findW -= c.width + gap
	}
	end := min(len(m.visible), m.offset+m.bodyHeight())
	for i := m.offset; i < end; i++ {
		r := &m.rows[m.visible[i]]
		b.WriteString("\n")
		line.Reset()
		for _, c := range m.cols {
			line.WriteString(fit(c.cell(r), c.width))
			line.WriteString("  ")
		}
		mark, finding, level := "", "", model.Level("")
		switch {
		case r.Err != "":
			mark, finding = "✗ ", r.Err
		case r.Worst != nil:
			level = r.Worst.Level
			mark, finding = levelMark[level], r.Worst.Code
			if n := len(r.Findings); n > 1 {
				finding += " +" + itoa(n-1)
			}
		}
		finding = cut(mark+finding, findW)
		if i == m.cursor {
			p.selected.Write(&b, line.String()+fit(finding, findW))
			continue
		}
		p.text.Write(&b, line.String())
		switch {
		case r.Err != "":
			p.err.Write(&b, finding)
		case level != "":
			p.levels[level].Write(&b, finding)
		}
	}
	return b.String()
}

// fit pads or cuts s to exactly w columns.
func fit(s string, w int) string {
	n := len(s)
	if !ascii(s) {
		n = len([]rune(s))
	}
	if n > w {
		return cut(s, w)
	}
	return s + strings.Repeat(" ", w-n)
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// cut shortens s to at most w columns, counting runes.
func cut(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	if w <= 1 {
		return string(r[:max(w, 0)])
	}
	return string(r[:w-1]) + "…"
}
