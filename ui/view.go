package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
)

// View draws header, body and footer in the alternate screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	// The wheel scrolls (mouse.go); cell motion reports it without the
	// flood of all-motion events.
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "ktraffic"
	return v
}

// Render is the screen as a string: exactly Height lines of at most Width
// columns, which the golden tests compare.
func (m *Model) Render() string {
	w, h := m.ctx.Width, m.ctx.Height
	if w == 0 || h == 0 {
		return ""
	}
	st := m.ctx.Styles
	if w < minWidth || h < minHeight {
		msg := fmt.Sprintf("ktraffic needs at least %d×%d; this terminal is %d×%d.", minWidth, minHeight, w, h)
		lines := styled(st.Bold, common.Wrap(msg, w))
		lines = append(lines, styled(st.Muted, common.Wrap("Make it larger, or press q to quit.", w))...)
		return clampLines(strings.Join(lines, "\n"), w, h)
	}
	body := ""
	switch {
	case m.showHelp:
		body = m.helpView()
	case m.snap == nil && m.failed != nil:
		// Another source means starting again, so this one advice names
		// the command line's flags.
		lines := styled(st.ErrorMessage, common.Wrap("Cannot read the cluster: "+common.TUIWords(m.failed.Error()), w))
		lines = append(append(lines, ""), styled(st.Muted, common.Wrap("To look without a cluster, start ktraffic again with --demo for a built-in scenario, or -f FILE for a kubectl dump.", w))...)
		body = strings.Join(lines, "\n")
	case m.snap == nil:
		body = st.Muted.Render("Connecting…")
		if m.loading != "" {
			body = st.Muted.Render(m.loading)
		}
	default:
		body = m.active().View()
	}
	foot := m.footer()
	return m.header() + "\n" + clampLines(body, w, h-1-strings.Count(foot, "\n")-1) + "\n" + foot
}

// styled renders each line in st.
func styled(st lipgloss.Style, lines []string) []string {
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return lines
}

// clampLines makes s exactly h lines, each cut to w columns.
func clampLines(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		// A line of no more bytes than columns fits: no character is
		// wider than its encoding. Measuring graphemes is the frame's
		// biggest cost otherwise.
		if len(l) > w && ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func (m *Model) header() string {
	st := m.ctx.Styles
	// Each part has a rank: when the line is short, the highest ranks give
	// way first (the name of the tool, then the namespace the flow's
	// Service already names), and only then is the rest cut.
	type part struct {
		text string
		drop int // 0: kept; higher gives way sooner
	}
	parts := []part{{st.Title.Render("ktraffic"), 2}}
	if m.source != "" {
		parts = append(parts, part{st.Text.Render(m.source), 0})
	}
	if m.ctx.ReadOnly != "" {
		parts = append(parts, part{st.Muted.Render("read-only"), 0})
	}
	ns := m.list.Namespace()
	if ns == "" {
		ns = "all"
	}
	if m.page == pageList {
		for _, t := range m.listTitle(ns) {
			parts = append(parts, part{t, 0})
		}
	} else {
		parts = append(parts, part{st.Muted.Render("ns ") + st.Text.Render(ns), 1})
	}
	if m.snap != nil {
		if kinds := m.snap.MissingKinds(); len(kinds) > 0 {
			// Said once, up front: what the input lacks is judged unknown.
			parts = append(parts, part{st.Levels["unknown"].Render("? no " + strings.Join(kinds, ", ")), 0})
		}
	}
	if m.page == pageFlow && m.flow.service != "" {
		service := part{st.Bold.Render(m.flow.service), 0}
		var after []part
		if src := m.flow.effectiveSource(); src.Kind != "" {
			after = append(after, part{st.Muted.Render("from ") + st.Key.Render(src.String()), 0})
		}
		if m.flow.editing() {
			// An edit outlives the what-if screen; say so wherever the flow is.
			after = append(after, part{st.Levels["warning"].Render("what-if"), 0})
		}
		parts = append(append(parts, service), after...)
	}
	right := m.syncState()
	// Whether the picture is current outranks the rest: the live/stale
	// state never gives way.
	room := m.ctx.Width - lipgloss.Width(right) - 1
	join := func(drop int) string {
		var kept []string
		for _, p := range parts {
			if p.drop == 0 || p.drop < drop {
				kept = append(kept, p.text)
			}
		}
		return strings.Join(kept, st.Faint.Render(" │ "))
	}
	left := join(3)
	for drop := 2; drop > 0 && lipgloss.Width(left) > room; drop-- {
		left = join(drop)
	}
	if lipgloss.Width(left) > room {
		left = ansi.Truncate(left, max(0, room), "…")
	}
	gap := max(1, m.ctx.Width-lipgloss.Width(left)-lipgloss.Width(right))
	return ansi.Truncate(left+strings.Repeat(" ", gap)+right, m.ctx.Width, "")
}

// listTitle is the list's part of the header, as k9s titles a table:
// services(NAMESPACE)[ROWS], the rows the filter leaves, then the filter
// as typed, </filter>.
func (m *Model) listTitle(ns string) []string {
	st := m.ctx.Styles
	title := st.Muted.Render("services(") + st.Text.Render(ns) + st.Muted.Render(")")
	if m.list.Loaded() {
		title += st.Muted.Render("[") + st.Bold.Render(strconv.Itoa(m.list.Len())) + st.Muted.Render("]")
	}
	out := []string{title}
	if f := m.list.Filter(); f != "" {
		out = append(out, st.Prompt.Render("</")+st.Text.Render(ansi.Truncate(f, maxHeaderFilter, "…"))+st.Prompt.Render(">"))
	}
	return out
}

// maxHeaderFilter keeps a long filter from pushing the sync state off an
// 80-column header; the prompt shows all of it.
const maxHeaderFilter = 24

// syncState says whether what is shown is current.
func (m *Model) syncState() string {
	st := m.ctx.Styles
	switch {
	case m.snap == nil && m.failed != nil:
		return st.ErrorMessage.Render("✗ not connected")
	case m.snap == nil:
		return st.Muted.Render("◌ loading")
	case !m.snap.StaleSince.IsZero():
		since := m.opts.Now().Sub(m.snap.StaleSince).Round(1e9)
		return st.Levels["warning"].Render(fmt.Sprintf("▲ stale since %s (%s)", m.snap.StaleSince.Format("15:04:05"), since))
	case m.opts.Updates != nil && !m.opts.OneShot:
		return st.Healthy.Render("● live")
	}
	return st.Muted.Render("snapshot")
}

// footer is the status line when there is one, wrapped to at most
// statusLines lines, else the keys of what is in front. Keys are dropped
// from the end of the page's own when they do not fit, never the ones
// that leave (? help, q quit): at 80 columns a user still sees how out.
func (m *Model) footer() string {
	st := m.ctx.Styles
	w := m.ctx.Width
	switch {
	case m.prompt.active():
		return ansi.Truncate(m.prompt.view(m), w, "…")
	case m.status != "":
		style := st.ErrorMessage
		if m.statusOK {
			style = st.Message
		}
		lines := common.Wrap(common.TUIWords(m.status), w)
		if len(lines) > statusLines {
			lines = append(lines[:statusLines-1], ansi.Truncate(strings.Join(lines[statusLines-1:], " "), w, "…"))
		}
		return strings.Join(styled(style, lines), "\n")
	case m.showHelp:
		return m.helpFooter()
	}
	page, global := m.shortHelp()
	return m.keyHints.render(page, global, st, w)
}

// statusLines is the most a status message takes: past it, the body
// it covers matters more than the message's tail.
const statusLines = 3

// keyHints draws the footer's keys once per set of keys, width and
// theme: it changes with the screen, not with every key press, and
// styling each hint is most of a scrolling frame's cost.
type keyHints struct {
	key  string
	st   *themes.Styles
	w    int
	line string
}

// render fits page's keys and then keep's into w columns, dropping the
// page's last keys first: keep are the ones that must stay in view.
func (c *keyHints) render(page, keep []key.Binding, st *themes.Styles, w int) string {
	var b strings.Builder
	for _, k := range append(append([]key.Binding(nil), page...), keep...) {
		h := k.Help()
		b.WriteString(h.Key)
		b.WriteByte(0)
		b.WriteString(h.Desc)
		b.WriteByte(0)
	}
	b.WriteString(fmt.Sprint(len(keep)))
	if c.line == "" || c.key != b.String() || c.st != st || c.w != w {
		c.key, c.st, c.w, c.line = b.String(), st, w, fitKeys(page, keep, st, w)
	}
	return c.line
}

// fitKeys is the longest head of page, followed by keep, that fits w.
func fitKeys(page, keep []key.Binding, st *themes.Styles, w int) string {
	h := help.New()
	h.Styles = st.Help
	for n := len(page); n >= 0; n-- {
		line := h.ShortHelpView(append(append([]key.Binding(nil), page[:n]...), keep...))
		if lipgloss.Width(line) <= w {
			return line
		}
	}
	h.SetWidth(w)
	return h.ShortHelpView(keep)
}

// shortHelp is the footer's keys: the page's own, and the global ones
// that must stay in view.
func (m *Model) shortHelp() (page, global []key.Binding) {
	k := m.ctx.Keys
	if m.snap == nil {
		// Nothing is loaded: no page key acts yet.
		return nil, []key.Binding{k.Command, k.Quit}
	}
	page = m.active().ShortHelp()
	if m.page == pageFlow && m.flow.modal() {
		// A dialog or a picker takes every key but ctrl+c: offering ? or
		// q would lie.
		return page, nil
	}
	return page, []key.Binding{k.Help, k.Quit}
}
