package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/themes"
)

// promptKind says what the footer's input line is for.
type promptKind int

const (
	promptNone promptKind = iota
	promptFilter
	promptCommand
)

// prompt is the one-line input of "/" and ":": Bubbles' textinput, so
// the cursor moves and edits as in a shell (←/→, home/end, ctrl+a/e,
// alt+b/f, ctrl+w), with its keys from the key map. On ":" it suggests
// whole command lines: the first match shows after the cursor, ↓/↑
// choose another, Tab takes the matches' common prefix, then the one
// shown. The cursor does not blink, so frames stay identical and golden
// tests hold.
type prompt struct {
	kind  promptKind
	input textinput.Model
	// complete lists the whole lines a ":" line starting with head can
	// become (commands.go); head is the command and its space, or "" for
	// the command names. The input narrows them as the line grows.
	complete func(head string) []string
	head     string // what the suggestions were listed for
	width    int    // the footer's
}

type promptResult int

const (
	promptEditing promptResult = iota
	promptChanged
	promptSubmitted
	promptCancelled
)

// openPrompt opens the footer's input in the theme and width in use.
func (m *Model) openPrompt(kind promptKind, value string) {
	m.prompt.open(kind, value, m.ctx.Keys.Prompt, m.ctx.Styles, m.ctx.Width)
}

// open starts an input of kind holding value, the cursor at its end.
func (p *prompt) open(kind promptKind, value string, keys textinput.KeyMap, st *themes.Styles, width int) {
	in := textinput.New()
	in.KeyMap = keys
	in.Prompt = ":"
	in.Placeholder = "svc · ns · from · theme · demo · q   (tab completes)"
	if kind == promptFilter {
		in.Prompt = "/"
		in.Placeholder = "name, type, policy, LB mode or finding; !word excludes"
	}
	in.SetStyles(promptStyles(st))
	in.ShowSuggestions = kind == promptCommand
	in.SetValue(value)
	in.CursorEnd()
	in.Focus()
	p.kind, p.input, p.head, p.width = kind, in, "\x00", width
	p.fit()
	p.suggest()
}

// promptStyles dresses the input in the theme: the cursor a static
// reverse block, suggestions faint.
func promptStyles(st *themes.Styles) textinput.Styles {
	s := textinput.DefaultStyles(true)
	s.Focused = textinput.StyleState{Prompt: st.Prompt, Text: st.Text, Placeholder: st.Faint, Suggestion: st.Faint}
	s.Blurred = s.Focused
	s.Cursor.Color = st.Text.GetForeground()
	s.Cursor.Blink = false
	return s
}

func (p *prompt) close() { p.kind, p.input = promptNone, textinput.Model{} }

func (p *prompt) active() bool { return p.kind != promptNone }

// value is the line typed so far.
func (p *prompt) value() string { return p.input.Value() }

func (p *prompt) update(k tea.KeyPressMsg) promptResult {
	switch k.String() {
	case "enter":
		return promptSubmitted
	case "esc", "ctrl+c":
		return promptCancelled
	case "backspace", "ctrl+h":
		if p.value() == "" {
			return promptCancelled
		}
	}
	if key.Matches(k, p.input.KeyMap.AcceptSuggestion) && p.extend() {
		return promptChanged
	}
	if p.feed(k) {
		return promptChanged
	}
	return promptEditing
}

// feed gives the input a key or a paste; it reports whether the line
// changed.
func (p *prompt) feed(msg tea.Msg) bool {
	before := p.value()
	p.input, _ = p.input.Update(msg)
	p.fit()
	p.suggest()
	return p.value() != before
}

// fit lets a line longer than the footer scroll sideways under the
// cursor. A shorter one has no width: textinput pads to its width, which
// would push the suggestions off the line. An empty one has, for the
// placeholder, which textinput shows only as wide as that.
func (p *prompt) fit() {
	w, room := 0, max(1, p.width-len(p.input.Prompt)-1)
	if n := len([]rune(p.value())); n == 0 || n >= room {
		w = room
	}
	if w != p.input.Width() {
		p.input.SetWidth(w)
		p.input.SetCursor(p.input.Position()) // recomputes the window
	}
}

// extend completes the line to what all matches share, as a shell's Tab
// does, when that is longer than the line.
func (p *prompt) extend() bool {
	matched := p.input.MatchedSuggestions()
	if len(matched) < 2 {
		return false
	}
	prefix := commonPrefix(matched)
	if len(prefix) <= len(p.value()) {
		return false
	}
	p.input.SetValue(prefix)
	p.input.CursorEnd()
	p.suggest()
	return true
}

// suggest gives the input the lines the command typed can become, once
// per command: the input narrows them by what follows.
func (p *prompt) suggest() {
	if p.kind != promptCommand || p.complete == nil {
		return
	}
	head := ""
	if i := strings.IndexByte(p.value(), ' '); i >= 0 {
		head = p.value()[:i+1]
	}
	if head == p.head {
		return
	}
	p.head = head
	p.input.SetSuggestions(p.complete(head))
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

// maxHints is how many suggestions the prompt line names; more are
// counted. Ten thousand Services would otherwise be drawn on every key.
const maxHints = 12

func (p *prompt) view(m *Model) string {
	st := m.ctx.Styles
	line := p.input.View()
	matched := p.input.MatchedSuggestions()
	if len(matched) < 2 {
		return line
	}
	// What ↓/↑ choose from, the last word of each; the one shown after
	// the cursor stands out.
	cur := p.input.CurrentSuggestionIndex()
	from := max(0, min(cur-maxHints/2, len(matched)-maxHints))
	to := min(len(matched), from+maxHints)
	words := make([]string, 0, to-from+2)
	if from > 0 {
		words = append(words, st.Faint.Render("…"))
	}
	for i := from; i < to; i++ {
		w := strings.TrimSpace(matched[i])
		w = w[strings.LastIndexByte(w, ' ')+1:]
		if i == cur {
			words = append(words, st.Key.Render(w))
		} else {
			words = append(words, st.Faint.Render(w))
		}
	}
	if rest := len(matched) - to; rest > 0 {
		words = append(words, st.Faint.Render("… "+strconv.Itoa(rest)+" more"))
	}
	return line + "  " + strings.Join(words, st.Faint.Render(" · "))
}
