package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/ui/common"
)

// promptKind says what the footer's input line is for.
type promptKind int

const (
	promptNone promptKind = iota
	promptFilter
	promptCommand
)

// prompt is the one-line input of "/" and ":". It is deliberately small:
// no blinking cursor (frames stay identical, so golden tests hold) and
// only the editing keys a command line needs.
type prompt struct {
	kind  promptKind
	value string
}

type promptResult int

const (
	promptEditing promptResult = iota
	promptChanged
	promptSubmitted
	promptCancelled
)

func (p *prompt) open(kind promptKind, value string) {
	p.kind, p.value = kind, value
}

func (p *prompt) close() { p.kind, p.value = promptNone, "" }

func (p *prompt) active() bool { return p.kind != promptNone }

func (p *prompt) update(k tea.KeyPressMsg) promptResult {
	switch k.String() {
	case "enter":
		return promptSubmitted
	case "esc", "ctrl+c":
		return promptCancelled
	case "backspace", "ctrl+h":
		if p.value == "" {
			return promptCancelled
		}
	}
	v, ok := common.EditText(p.value, k)
	if !ok {
		return promptEditing
	}
	p.value = v
	return promptChanged
}

func (p *prompt) view(m *Model) string {
	st := m.ctx.Styles
	lead := ":"
	if p.kind == promptFilter {
		lead = "/"
	}
	return st.Prompt.Render(lead) + st.Text.Render(p.value) + st.Prompt.Render("█")
}
