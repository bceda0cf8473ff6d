package flow

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
)

// Model shows one prediction and scrolls it. It draws whatever prediction
// it is given; choosing the Service and the traffic source is its
// parent's business, so a before/after view can hold two of these.
type Model struct {
	ctx    *common.Context
	pred   *model.Prediction
	entry  []string
	width  int
	height int
	offset int
	// clients is the client side whose load band is drawn; nil draws none.
	clients *model.ClientSide
	// observed is measured traffic drawn under the graph (observed.go).
	observed *Observed

	// lines caches the drawing: it changes only with the prediction, the
	// width or the theme, while View runs on every key press.
	lines     []string
	linesFor  *model.Prediction
	linesW    int
	linesSt   *themes.Styles
	linesCli  model.ClientSide
	linesObs  *Observed
	linesView string
	viewAt    [2]int // offset and height linesView was cut for
}

// New returns an empty flow view.
func New(ctx *common.Context) *Model { return &Model{ctx: ctx} }

// SetPrediction shows p. Entry lines describe the entry point (the load
// balancer's address, the NodePort). Scrolling stays where it was when the
// same Service is redrawn, so a live update does not jump.
func (m *Model) SetPrediction(p *model.Prediction, entry []string) {
	if m.pred == nil || p == nil || m.pred.Service != p.Service {
		m.offset = 0
	}
	m.pred = p
	m.entry = entry
}

// Prediction returns what is shown.
func (m *Model) Prediction() *model.Prediction { return m.pred }

// SetSize sets the area the view draws in.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Offset is the first line shown.
func (m *Model) Offset() int { return m.offset }

// Lines renders (or reuses) the whole drawing.
func (m *Model) Lines() []string {
	if m.pred == nil {
		return nil
	}
	var cli model.ClientSide
	if m.clients != nil {
		cli = *m.clients
	}
	obs := m.observedFor(m.pred)
	if m.lines == nil || m.linesFor != m.pred || m.linesW != m.width || m.linesSt != m.ctx.Styles || m.linesCli != cli || m.linesObs != obs {
		lines := Render(m.pred, m.ctx.Styles, Options{Width: m.width, Entry: m.entry, Clients: m.clients})
		lines = append(lines, observedLines(m.pred, obs, m.ctx.Styles, m.width)...)
		for i, l := range lines {
			if ansi.StringWidth(l) > m.width {
				lines[i] = ansi.Truncate(l, m.width, "…")
			}
		}
		m.lines, m.linesFor, m.linesW, m.linesSt, m.linesCli, m.linesObs = lines, m.pred, m.width, m.ctx.Styles, cli, obs
		m.linesView = ""
	}
	return m.lines
}

func (m *Model) maxOffset() int { return max(0, len(m.Lines())-m.height) }

// Update scrolls, and steps the client side (c, +, -).
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		keys := m.ctx.Keys
		if key.Matches(k, keys.Clients, keys.MoreClients, keys.FewerClients) {
			m.clients = nextClients(m.clients, k, keys)
			return m, nil
		}
		m.offset, _ = common.Scroll(keys, k, m.offset, m.height, len(m.Lines()))
	}
	return m, nil
}

// View returns the visible part of the drawing, with a scroll hint on the
// last line when there is more below.
func (m *Model) View() string {
	lines := m.Lines()
	if lines == nil || m.height <= 0 {
		return ""
	}
	if m.linesView != "" && m.viewAt == [2]int{m.offset, m.height} {
		return m.linesView
	}
	m.offset = max(0, min(m.offset, m.maxOffset()))
	end := min(len(lines), m.offset+m.height)
	vis := append([]string(nil), lines[m.offset:end]...)
	if end < len(lines) && len(vis) > 0 {
		more := m.ctx.Styles.Faint.Render("↓ " + strconv.Itoa(len(lines)-end) + " more lines (j/k, pgdn, G)")
		vis[len(vis)-1] = more
	}
	m.linesView = strings.Join(vis, "\n")
	m.viewAt = [2]int{m.offset, m.height}
	return m.linesView
}

// ShortHelp lists the scrolling keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.ctx.Keys
	return []key.Binding{k.Down, k.Up, k.PageDown, k.Top, k.Bottom, k.Clients}
}

// FullHelp groups the scrolling keys.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.ctx.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Clients, k.MoreClients, k.FewerClients}}
}
