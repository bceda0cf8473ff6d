package ui

import (
	"strings"

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
	// complete lists the whole lines a ":" line can become (commands.go);
	// Tab completes their common prefix, and cycles through them when
	// pressed again.
	complete func(line string) []string
	// cands are the lines Tab offered last, tabAt the one shown (-1: the
	// common prefix); any other key forgets them.
	cands []string
	tabAt int
}

type promptResult int

const (
	promptEditing promptResult = iota
	promptChanged
	promptSubmitted
	promptCancelled
)

func (p *prompt) open(kind promptKind, value string) {
	p.kind, p.value, p.cands = kind, value, nil
}

func (p *prompt) close() { p.kind, p.value, p.cands = promptNone, "", nil }

func (p *prompt) active() bool { return p.kind != promptNone }

func (p *prompt) update(k tea.KeyPressMsg) promptResult {
	if k.String() == "tab" {
		return p.tab()
	}
	p.cands = nil
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

// tab completes the line: the candidates' common prefix first, then each
// candidate in turn.
func (p *prompt) tab() promptResult {
	if p.kind != promptCommand || p.complete == nil {
		return promptEditing
	}
	if len(p.cands) > 0 {
		p.tabAt = (p.tabAt + 1) % len(p.cands)
		p.value = p.cands[p.tabAt]
		return promptChanged
	}
	cands := p.complete(p.value)
	switch len(cands) {
	case 0:
		return promptEditing
	case 1:
		p.value = cands[0]
		return promptChanged
	}
	p.cands, p.tabAt = cands, -1
	if prefix := commonPrefix(cands); len(prefix) > len(p.value) {
		p.value = prefix
	} else {
		p.tabAt, p.value = 0, cands[0]
	}
	return promptChanged
}

func commonPrefix(words []string) string {
	prefix := words[0]
	for _, w := range words[1:] {
		for !strings.HasPrefix(w, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	return prefix
}

func (p *prompt) view(m *Model) string {
	st := m.ctx.Styles
	lead := ":"
	if p.kind == promptFilter {
		lead = "/"
	}
	line := st.Prompt.Render(lead) + st.Text.Render(p.value) + st.Prompt.Render("█")
	if len(p.cands) > 1 {
		// What Tab cycles through, the last word of each.
		words := make([]string, len(p.cands))
		for i, c := range p.cands {
			c = strings.TrimSpace(c)
			words[i] = c[strings.LastIndexByte(c, ' ')+1:]
		}
		line += st.Faint.Render("  " + strings.Join(words, " · "))
	}
	return line
}
