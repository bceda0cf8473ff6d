package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ktraffic/ktraffic/ui/common"
)

// helpScreen is the help screen's scroll state. The text is laid out to
// the terminal's width (columns that fit, descriptions wrapped, never
// cut) and scrolls in a Bubbles viewport, so at 80×24 everything, the
// legend included, is a few key presses away.
type helpScreen struct {
	vp viewport.Model
}

// helpKeys are the keys of the help screen itself: they scroll it, and
// q closes it as esc and ? do (only ctrl+c quits from help).
func helpKeys(k *common.KeyMap) (scroll []key.Binding, closeHelp key.Binding) {
	closeHelp = key.NewBinding(key.WithKeys("esc", "q", "?"), key.WithHelp("esc/q", "close"))
	return []key.Binding{k.Down, k.PageDown, k.Top, k.Bottom}, closeHelp
}

// syncHelp lays the help text out for the screen as it is now: the page
// in front, the width and the theme decide it.
func (m *Model) syncHelp() *viewport.Model {
	vp := &m.help.vp
	k := m.ctx.Keys
	vp.KeyMap = viewport.KeyMap{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown}
	vp.SetWidth(m.ctx.Width)
	vp.SetHeight(max(1, m.ctx.Height-2))
	vp.SetContentLines(m.helpLines(m.ctx.Width))
	return vp
}

// helpKey handles a key on the help screen: close, quit (ctrl+c only),
// or scroll.
func (m *Model) helpKey(k tea.KeyPressMsg) tea.Cmd {
	keys := m.ctx.Keys
	_, closeHelp := helpKeys(keys)
	switch {
	case key.Matches(k, keys.Quit) && k.String() == "ctrl+c":
		return m.quit()
	case key.Matches(k, closeHelp, keys.Back):
		m.showHelp = false
		m.help.vp.SetYOffset(0) // the next help starts at the top
		return nil
	}
	m.scrollHelp(k)
	return nil
}

// scrollHelp moves the help text by a key or the mouse wheel.
func (m *Model) scrollHelp(msg tea.Msg) {
	vp := m.syncHelp()
	keys := m.ctx.Keys
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, keys.Top):
			vp.GotoTop()
			return
		case key.Matches(k, keys.Bottom):
			vp.GotoBottom()
			return
		}
	}
	*vp, _ = vp.Update(msg)
}

// helpView is the visible part of the help text.
func (m *Model) helpView() string { return m.syncHelp().View() }

// helpFooter says where in the help the screen is and which keys move
// and close it.
func (m *Model) helpFooter() string {
	st := m.ctx.Styles
	vp := m.syncHelp()
	scroll, closeHelp := helpKeys(m.ctx.Keys)
	total, first := vp.TotalLineCount(), vp.YOffset()
	last := min(total, first+vp.Height())
	pos := ""
	if total > vp.Height() {
		pos = st.Muted.Render(fmt.Sprintf("lines %d–%d of %d", first+1, last, total)) + st.Help.ShortSeparator.Render(" • ")
	}
	return pos + m.keyHints.render(scroll, []key.Binding{closeHelp}, st, m.ctx.Width-lipgloss.Width(pos))
}

// helpLines lists every key of the page in front, the global keys, the
// ":" commands and how to read the flow view, laid out to width w.
func (m *Model) helpLines(w int) []string {
	st := m.ctx.Styles
	k := m.ctx.Keys
	h := help.New()
	h.Styles = st.Help
	groups := append([][]key.Binding{{k.Help, k.Command, k.Theme, k.Back, k.Quit}}, m.active().FullHelp()...)
	out := []string{st.Title.Render("Keys"), ""}
	out = append(out, keyColumns(h, groups, w)...)
	out = append(out, "", st.Title.Render("Commands"), "")
	const keyW = 14
	for _, c := range commandHelp {
		for i, l := range common.Wrap(c.desc, max(20, w-keyW-1)) {
			lead := strings.Repeat(" ", keyW)
			if i == 0 {
				lead = st.Help.FullKey.Render(common.Pad(c.cmd, keyW))
			}
			out = append(out, lead+" "+st.Help.FullDesc.Render(l))
		}
	}
	out = append(out, "", st.Title.Render("Reading the flow view"), "")
	legend := []struct{ lead, text string }{
		{st.EdgeLocal.Render("───▶"), "stays on the node"},
		{st.EdgeCrossNode.Render("╌╌╌▶"), "hops to another node"},
		{st.EdgeCrossZone.Render("┄┄┄▶"), "crosses zones"},
		{st.Faint.Render("───▶"), "faint: lanes of different kinds merge there (while tracing: another node's lane); j/k trace one node's lanes and its part of each pod's share"},
		{st.Healthy.Render("✓") + "/" + st.Unhealthy.Render("✗"), "what the load balancer's health check sees"},
		{"●/○", "announces the load-balancer IP / standby (MetalLB layer 2, kube-vip)"},
		{st.Sink.Render("✗ dropped"), "traffic that never reaches a pod: clients time out or are refused"},
	}
	for _, l := range legend {
		indent := strings.Repeat(" ", lipgloss.Width(l.lead)+1)
		for i, t := range common.Wrap(l.text, max(20, w-len(indent))) {
			lead := indent
			if i == 0 {
				lead = l.lead + " "
			}
			out = append(out, lead+st.Text.Render(t))
		}
	}
	return common.FitLines(out, w)
}

// keyColumns sets the key groups side by side as far as they fit in w,
// then starts another row of columns: a narrow terminal gets every key,
// one under another, instead of columns cut at its edge.
func keyColumns(h help.Model, groups [][]key.Binding, w int) []string {
	sep := strings.Repeat(" ", 4)
	var out, row []string
	width := 0
	flush := func() {
		if len(row) == 0 {
			return
		}
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, strings.Split(lipgloss.JoinHorizontal(lipgloss.Top, row...), "\n")...)
		row, width = nil, 0
	}
	for _, g := range groups {
		col := h.FullHelpView([][]key.Binding{g})
		if col == "" {
			continue
		}
		cw := lipgloss.Width(col)
		if len(row) > 0 && width+len(sep)+cw > w {
			flush()
		}
		if len(row) > 0 {
			row, width = append(row, sep), width+len(sep)
		}
		row, width = append(row, col), width+cw
	}
	flush()
	return out
}
