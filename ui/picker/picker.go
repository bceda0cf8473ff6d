// Package picker is a list picked from by typing: typed text narrows it,
// as k9s' "/" does, the arrows move, enter chooses and esc leaves. It
// draws a window of the rows that fit whatever the list's length, so
// any of 2,000 nodes is a few key presses away.
package picker

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/ui/common"
)

// Item is one choice.
type Item struct {
	Value string
	// Note is said after the value, muted: "2 pods · eu-west-1a".
	Note string
}

// PickedMsg says the user chose Value in the picker named ID. The ID
// lets the parent route the answer to whoever opened the picker.
type PickedMsg struct{ ID, Value string }

// CancelledMsg says the user left the picker named ID choosing nothing.
type CancelledMsg struct{ ID string }

// Model is one open picker.
type Model struct {
	ctx     *common.Context
	id      string
	title   string
	items   []Item
	lower   []string // values in lower case, for matching
	filter  string
	matches []int // indexes into items
	cursor  int   // index into matches
	offset  int
	width   int
	height  int
}

// New opens a picker over items with the cursor on current, if listed.
func New(ctx *common.Context, id, title string, items []Item, current string) *Model {
	p := &Model{ctx: ctx, id: id, title: title, items: items, lower: make([]string, len(items))}
	for i, it := range items {
		p.lower[i] = strings.ToLower(it.Value)
	}
	p.refilter()
	for i, mi := range p.matches {
		if items[mi].Value == current {
			p.cursor = i
		}
	}
	return p
}

// ID names the picker in its messages.
func (p *Model) ID() string { return p.id }

// Filter is the text typed so far.
func (p *Model) Filter() string { return p.filter }

// Matches is how many items the filter leaves.
func (p *Model) Matches() int { return len(p.matches) }

// Highlighted is the value under the cursor; "" when nothing matches.
func (p *Model) Highlighted() string {
	if len(p.matches) == 0 {
		return ""
	}
	return p.items[p.matches[p.cursor]].Value
}

func (p *Model) refilter() {
	f := strings.ToLower(p.filter)
	p.matches = p.matches[:0]
	for i, v := range p.lower {
		if strings.Contains(v, f) {
			p.matches = append(p.matches, i)
		}
	}
	p.cursor, p.offset = 0, 0
}

// rows is how many items the window shows: the title, the input and the
// line saying how many more there are take the rest.
func (p *Model) rows() int { return max(1, p.height-3) }

// Update takes a key: enter and esc answer, the list keys move, and
// everything that types edits the filter.
func (p *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	keys := p.ctx.Keys
	id := p.id
	switch {
	case key.Matches(k, keys.Choose):
		if len(p.matches) == 0 {
			return p, nil
		}
		v := p.Highlighted()
		return p, func() tea.Msg { return PickedMsg{ID: id, Value: v} }
	case key.Matches(k, keys.Cancel):
		return p, func() tea.Msg { return CancelledMsg{ID: id} }
	case key.Matches(k, keys.ListUp):
		p.move(-1)
	case key.Matches(k, keys.ListDown):
		p.move(1)
	case key.Matches(k, keys.ListPageUp):
		p.move(-p.rows())
	case key.Matches(k, keys.ListPageDown):
		p.move(p.rows())
	case key.Matches(k, keys.ListTop):
		p.move(-len(p.matches))
	case key.Matches(k, keys.ListBottom):
		p.move(len(p.matches))
	default:
		if v, ok := common.EditText(p.filter, k); ok && v != p.filter {
			p.filter = v
			p.refilter()
		}
	}
	return p, nil
}

func (p *Model) move(by int) {
	if len(p.matches) == 0 {
		return
	}
	p.cursor = max(0, min(len(p.matches)-1, p.cursor+by))
}

// View draws the title, the input and the window of matches.
func (p *Model) View() string { return strings.Join(p.Lines(), "\n") }

// Lines is View line by line, for a parent that sets it beside another.
func (p *Model) Lines() []string {
	st := p.ctx.Styles
	w := p.width
	of := Count(len(p.matches)) + " of " + Count(len(p.items))
	out := []string{st.Title.Render(p.title) + st.Muted.Render("  "+of),
		st.Prompt.Render("/") + st.Text.Render(p.filter) + st.Prompt.Render("█")}
	if len(p.matches) == 0 {
		out = append(out, st.Muted.Render("  nothing matches "+strconv.Quote(p.filter)+" (backspace)"))
		return common.FitLines(out, w)
	}
	n := p.rows()
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+n {
		p.offset = p.cursor - n + 1
	}
	end := min(len(p.matches), p.offset+n)
	valueW := 0
	for _, mi := range p.matches[p.offset:end] {
		valueW = max(valueW, ansi.StringWidth(p.items[mi].Value))
	}
	// Paints, not lipgloss.Render: a window at 250x70 is 60 rows, and
	// every key typed redraws it.
	text, muted := common.NewPaint(st.Text), common.NewPaint(st.Muted)
	var b strings.Builder
	for i := p.offset; i < end; i++ {
		it := p.items[p.matches[i]]
		if i == p.cursor {
			line := "▸ " + common.Pad(it.Value, valueW)
			if it.Note != "" {
				line += "  " + it.Note
			}
			out = append(out, st.Selected.Render(common.Pad(ansi.Truncate(line, w, "…"), w)))
			continue
		}
		b.Reset()
		text.Write(&b, "  "+common.Pad(it.Value, valueW))
		if it.Note != "" {
			muted.Write(&b, "  "+it.Note)
		}
		out = append(out, b.String())
	}
	var more []string
	if p.offset > 0 {
		more = append(more, "↑ "+Count(p.offset))
	}
	if rest := len(p.matches) - end; rest > 0 {
		more = append(more, "↓ "+Count(rest)+" more")
	}
	if len(more) > 0 {
		out = append(out, st.Faint.Render(strings.Join(more, " · ")+": type to narrow"))
	}
	return common.FitLines(out, w)
}

// SetSize sets the area the picker draws in.
func (p *Model) SetSize(w, h int) { p.width, p.height = w, h }

// ShortHelp offers moving, choosing and leaving.
func (p *Model) ShortHelp() []key.Binding {
	k := p.ctx.Keys
	return []key.Binding{k.ListDown, k.Choose, k.Cancel}
}

// FullHelp groups the picker's keys.
func (p *Model) FullHelp() [][]key.Binding {
	k := p.ctx.Keys
	return [][]key.Binding{{k.ListUp, k.ListDown, k.ListPageUp, k.ListPageDown, k.ListTop, k.ListBottom, k.Choose, k.Cancel}}
}

// Count writes n with thousands separators: "1,994".
func Count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
