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
	// trace is the traced node (Options.Trace), 0 for none; nodeLines
	// are the lines of the nodes it steps over, traceAt the offset the
	// trace last moved at (trace.go).
	trace     int
	nodeLines []int
	traceAt   int

	// lines caches the drawing: it changes only with the prediction, the
	// width or the theme, while View runs on every key press.
	lines     []string
	linesFor  *model.Prediction
	linesW    int
	linesSt   *themes.Styles
	linesCli  model.ClientSide
	linesObs  *Observed
	linesTr   int
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
	if m.pred == nil || p == nil || m.pred.Service != p.Service || m.pred.Source != p.Source {
		m.trace = 0 // the nodes it counted belong to another picture
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
	if m.lines == nil || m.linesFor != m.pred || m.linesW != m.width || m.linesSt != m.ctx.Styles || m.linesCli != cli || m.linesObs != obs || m.linesTr != m.trace {
		d := render(m.pred, m.ctx.Styles, Options{Width: m.width, Entry: m.entry, Clients: m.clients, Trace: m.trace})
		if m.trace > len(d.nodes) {
			m.trace = 0 // drawn untraced: the node is gone
		}
		m.nodeLines = d.nodes
		lines := append(d.lines, observedLines(m.pred, obs, m.ctx.Styles, m.width)...)
		for i, l := range lines {
			if ansi.StringWidth(l) > m.width {
				lines[i] = ansi.Truncate(l, m.width, "…")
			}
		}
		m.lines, m.linesFor, m.linesW, m.linesSt, m.linesCli, m.linesObs, m.linesTr = lines, m.pred, m.width, m.ctx.Styles, cli, obs, m.trace
		m.linesView = ""
	}
	return m.lines
}

func (m *Model) maxOffset() int { return max(0, len(m.Lines())-m.height) }

// Update traces nodes and scrolls (j/k, trace.go), and steps the client
// side (c, +, -).
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		keys := m.ctx.Keys
		if key.Matches(k, keys.Clients, keys.MoreClients, keys.FewerClients) {
			m.clients = nextClients(m.clients, k, keys)
			return m, nil
		}
		if m.step(k) {
			return m, nil
		}
		m.offset, _ = common.Scroll(keys, k, m.offset, m.height, len(m.Lines()))
	}
	return m, nil
}

// ScrollBy moves the view n lines, down for n > 0, as the mouse wheel
// does: it scrolls and leaves the trace alone.
func (m *Model) ScrollBy(n int) {
	m.offset = max(0, min(m.offset+n, m.maxOffset()))
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

// ShortHelp lists the tracing and scrolling keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.ctx.Keys
	down, _ := traceKeys(k)
	return []key.Binding{down, k.PageDown, k.Top, k.Bottom, k.Clients}
}

// FullHelp groups the tracing and scrolling keys.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.ctx.Keys
	down, up := traceKeys(k)
	return [][]key.Binding{{down, up, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Clients, k.MoreClients, k.FewerClients}}
}
