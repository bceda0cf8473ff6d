package ui

import tea "charm.land/bubbletea/v2"

// warningMsg is one warning from the API server (a deprecated API, an
// ignored field), already deduplicated by the caller.
type warningMsg string

// waitWarning waits for the next warning; it is re-armed after each.
func (m *Model) waitWarning() tea.Cmd {
	ch := m.opts.Warnings
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		w, ok := <-ch
		if !ok {
			return nil
		}
		return warningMsg(w)
	}
}

// onWarning shows a warning on the status line until the next key.
func (m *Model) onWarning(w warningMsg) tea.Cmd {
	m.setStatus("warning from the API server: "+string(w), false)
	return m.waitWarning()
}
