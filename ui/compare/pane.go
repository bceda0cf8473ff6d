package compare

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/ui/common"
)

// Pane shows a Comparison and scrolls it. Which comparison is shown is
// its parent's business (the what-if owns the edit and its results); the
// pane owns only its scroll keys and its drawing.
type Pane struct {
	ctx    *common.Context
	cmp    *Comparison
	width  int
	height int
	offset int
	// shared is set while the what-if panel is open and takes j/k, so
	// the scroll hint offers only what still reaches the pane.
	shared bool

	// lines caches the drawing for drawnFor at drawnAt: View runs on
	// every key, the drawing only on change.
	lines    []string
	drawnFor *Comparison
	drawnAt  Layout
}

// NewPane returns an empty pane.
func NewPane(ctx *common.Context) *Pane { return &Pane{ctx: ctx} }

// Show makes c the comparison shown; nil shows that one is on its way.
func (p *Pane) Show(c *Comparison) { p.cmp = c }

// Comparison is what is shown.
func (p *Pane) Comparison() *Comparison { return p.cmp }

// SetSize sets the area the pane draws in.
func (p *Pane) SetSize(w, h int) { p.width, p.height = w, h }

// Layout is what the pane draws at now, for drawing ahead.
func (p *Pane) Layout() Layout {
	return Layout{Styles: p.ctx.Styles, Width: p.width, PanelOpen: p.shared, ReadOnly: p.ctx.ReadOnly != ""}
}

// ShareKeys says whether the line keys (j/k) go to the what-if panel.
func (p *Pane) ShareKeys(shared bool) { p.shared = shared }

// Offset is the first line shown.
func (p *Pane) Offset() int { return p.offset }

// lines renders (or reuses) the whole drawing at the pane's width.
func (p *Pane) drawing() []string {
	c := p.cmp
	if c == nil {
		return nil
	}
	at := p.Layout()
	if p.lines == nil || p.drawnFor != c || p.drawnAt != at {
		if c.lines != nil && c.drawAt == at {
			p.lines = c.lines
		} else {
			p.lines = common.FitLines(Lines(c, at), at.Width)
		}
		p.drawnFor, p.drawnAt = c, at
	}
	return p.lines
}

// Scrolls reports whether k is one of the pane's keys.
func (p *Pane) Scrolls(k tea.KeyPressMsg) bool {
	_, ok := common.Scroll(p.ctx.Keys, k, 0, 0, 0)
	return ok
}

// Update scrolls what is under the title.
func (p *Pane) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		p.offset, _ = common.Scroll(p.ctx.Keys, k, p.offset, p.height-1, max(0, len(p.drawing())-1))
	}
	return p, nil
}

// View is the scrolled window, with a hint on its last line when more
// follows.
func (p *Pane) View() string { return strings.Join(p.Lines(), "\n") }

// Lines is View line by line, for a parent that sets the pane beside
// another. The title (the what-if itself) stays on the first line and
// the rest scrolls under it, so no scroll position, resize or new edit
// hides what is being compared.
func (p *Pane) Lines() []string {
	st := p.ctx.Styles
	lines := p.drawing()
	if lines == nil {
		return []string{st.Muted.Render("Predicting the what-if…")}
	}
	title, rest := lines[0], lines[1:]
	h := max(0, p.height-1)
	p.offset = max(0, min(p.offset, len(rest)-h))
	end := min(len(rest), p.offset+h)
	vis := append([]string{title}, rest[p.offset:end]...)
	if end < len(rest) && len(vis) > 1 {
		hint := "↓ " + strconv.Itoa(len(rest)-end) + " more lines (pgdn"
		if !p.shared {
			hint += ", j/k"
		}
		vis[len(vis)-1] = st.Faint.Render(hint + ", G)")
	}
	return vis
}

// ShortHelp offers scrolling.
func (p *Pane) ShortHelp() []key.Binding { return []key.Binding{p.ctx.Keys.Down} }

// FullHelp groups the scrolling keys.
func (p *Pane) FullHelp() [][]key.Binding {
	k := p.ctx.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}
