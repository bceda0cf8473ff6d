package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
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
		r := []rune(p.value)
		p.value = string(r[:len(r)-1])
		return promptChanged
	case "ctrl+u":
		p.value = ""
		return promptChanged
	case "ctrl+w":
		v := strings.TrimRight(p.value, " ")
		if i := strings.LastIndexByte(v, ' '); i >= 0 {
			p.value = v[:i+1]
		} else {
			p.value = ""
		}
		return promptChanged
	case "space":
		p.value += " "
		return promptChanged
	}
	if k.Text != "" && k.Mod&^tea.ModShift == 0 {
		p.value += k.Text
		return promptChanged
	}
	return promptEditing
}

func (p *prompt) view(m *Model) string {
	st := m.ctx.Styles
	lead := ":"
	if p.kind == promptFilter {
		lead = "/"
	}
	return st.Prompt.Render(lead) + st.Text.Render(p.value) + st.Prompt.Render("█")
}
