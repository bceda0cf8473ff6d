package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/themes"
)

// handleKey routes a key: the prompt takes everything while open, the
// help screen only its own keys (help.go), then global keys, then the page
// in front.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	keys := m.ctx.Keys
	m.status = ""
	if m.prompt.active() {
		return m.handlePrompt(k)
	}
	if m.showHelp {
		return m.helpKey(k)
	}
	if m.page == pageFlow && m.flow.captures(k) {
		_, cmd := m.flow.Update(k)
		return cmd
	}
	switch {
	case key.Matches(k, keys.Quit):
		return m.quit()
	case key.Matches(k, keys.Help):
		m.showHelp = true
		return nil
	case key.Matches(k, keys.Command):
		m.openPrompt(promptCommand, "")
		return nil
	case key.Matches(k, keys.Filter) && m.page == pageList:
		m.openPrompt(promptFilter, m.list.Filter())
		return nil
	case key.Matches(k, keys.Theme):
		m.cycleTheme()
		return nil
	case key.Matches(k, keys.Back) && k.String() == "esc" || key.Matches(k, keys.Back) && m.page == pageFlow:
		return m.back()
	}
	_, cmd := m.active().Update(k)
	return cmd
}

func (m *Model) back() tea.Cmd {
	switch {
	case m.page == pageFlow:
		m.page = pageList
		m.resize()
	case m.list.Filter() != "":
		m.list.SetFilter("")
	}
	return nil
}

// quit ends the program, except while an apply is in flight: leaving
// then would leave the user not knowing whether the change landed. The
// first quit cancels the request instead (the Applier then reads the
// Service back) and quits once the answer is in, with it as the exit
// note; a second quit leaves at once, saying the outcome is unknown.
func (m *Model) quit() tea.Cmd {
	d := m.flow.dialog
	switch {
	case d.Writing() && !m.quitAfterWrite:
		m.quitAfterWrite = true
		d.Interrupt()
		m.setStatus("Quitting once the apply's outcome is known: reading the Service back… (ctrl+c again quits now)", false)
		return nil
	case d.Writing():
		ns, name, _ := strings.Cut(d.Service(), "/")
		m.exitNote = fmt.Sprintf("you quit while the apply to %s was in flight: its outcome is unknown; check it with kubectl get service %s -n %s -o yaml", d.Service(), name, ns)
	}
	m.quitting = true
	return tea.Quit
}

// afterWrite quits once the apply the user quit during has answered.
func (m *Model) afterWrite() tea.Cmd {
	d := m.flow.dialog
	if !m.quitAfterWrite || d.Writing() {
		return nil
	}
	m.exitNote = d.Outcome()
	m.quitting = true
	return tea.Quit
}

// ExitNote is what the user must still be told after the screen is gone:
// the outcome of an apply they quit during. "" when there is none.
func (m *Model) ExitNote() string { return m.exitNote }

func (m *Model) handlePrompt(k tea.KeyPressMsg) tea.Cmd {
	kind := m.prompt.kind
	res := m.prompt.update(k)
	switch res {
	case promptChanged:
		if kind == promptFilter {
			m.list.SetFilter(m.prompt.value())
		}
	case promptCancelled:
		if kind == promptFilter {
			m.list.SetFilter("")
		}
		m.prompt.close()
	case promptSubmitted:
		value := m.prompt.value()
		m.prompt.close()
		if kind == promptCommand {
			return m.run(value)
		}
	}
	return nil
}

func (m *Model) cycleTheme() {
	names := themes.Available(m.opts.ThemeDir)
	next := names[0]
	for i, n := range names {
		if n == m.theme {
			next = names[(i+1)%len(names)]
		}
	}
	if err := m.setTheme(next); err != nil {
		m.setStatus(err.Error(), false)
		return
	}
	m.themeAuto = false
	m.setStatus("theme "+next, true)
}
