package ui

import tea "charm.land/bubbletea/v2"

// wheelLines is how far a notch of the mouse wheel scrolls, as in Bubbles'
// viewport.
const wheelLines = 3

// wheel scrolls what is in front as its arrow keys do: the list's cursor,
// the flow, help, a picker. Pages own their keys, so the wheel reaches
// each through them rather than through a scroll API of its own. While
// the prompt is open the wheel does nothing: ↓/↑ there pick suggestions.
func (m *Model) wheel(msg tea.MouseWheelMsg) tea.Cmd {
	if m.prompt.active() {
		return nil
	}
	var k tea.KeyPressMsg
	step := 0
	switch msg.Button {
	case tea.MouseWheelUp:
		k, step = tea.KeyPressMsg{Code: tea.KeyUp}, -wheelLines
	case tea.MouseWheelDown:
		k, step = tea.KeyPressMsg{Code: tea.KeyDown}, wheelLines
	default:
		return nil
	}
	if m.page == pageFlow && !m.showHelp && !m.flow.active && !m.flow.modal() {
		// The flow's ↓/↑ trace nodes before they scroll; the wheel scrolls.
		m.flow.view.ScrollBy(step)
		return nil
	}
	cmds := make([]tea.Cmd, wheelLines)
	for i := range cmds {
		cmds[i] = m.handleKey(k)
	}
	return tea.Batch(cmds...)
}

// paste puts what the terminal pasted into the open prompt.
func (m *Model) paste(msg tea.PasteMsg) {
	if !m.prompt.active() {
		return
	}
	if m.prompt.feed(msg) && m.prompt.kind == promptFilter {
		m.list.SetFilter(m.prompt.value())
	}
}
