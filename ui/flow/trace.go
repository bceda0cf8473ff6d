package flow

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/ui/common"
)

// Tracing: where several nodes' lanes run side by side nobody can follow
// one by eye, so j/k (↓/↑) step a trace over the nodes that send traffic
// while the graph is on screen. The traced node's lanes are drawn in
// their classes and every other lane dimmed, and the pod column shows the
// traced node's part of each pod's share. Past the last node the same
// keys scroll on as before, and k before the first node clears the trace:
// one pair of keys reads the picture and the findings below it, at 3
// nodes or, folded, at 2,000.

// traceKeys are the cursor keys as the flow view uses them, for help.
func traceKeys(k *common.KeyMap) (down, up key.Binding) {
	down = key.NewBinding(key.WithKeys(k.Down.Keys()...), key.WithHelp(k.Down.Help().Key, "trace next node, down"))
	up = key.NewBinding(key.WithKeys(k.Up.Keys()...), key.WithHelp(k.Up.Help().Key, "trace previous node, up"))
	return down, up
}

// Trace is the traced node, counted from 1 among the nodes that send
// traffic; 0 when none is.
func (m *Model) Trace() int { return m.trace }

// step moves the trace for a cursor key and reports whether it did; a
// key it leaves alone scrolls. A trace needs two nodes to tell apart.
func (m *Model) step(k tea.KeyPressMsg) bool {
	keys := m.ctx.Keys
	m.Lines()
	nodes := m.nodeLines
	if len(nodes) < 2 {
		return false
	}
	shown := m.trace > 0 && m.visible(nodes[m.trace-1])
	switch {
	case key.Matches(k, keys.Down) && m.trace == 0 && m.visible(nodes[0]):
		m.trace = 1
	case key.Matches(k, keys.Down) && shown && m.trace < len(nodes):
		m.trace++
	case key.Matches(k, keys.Up) && shown && m.offset <= m.traceAt:
		// Past the last node j scrolled on; k scrolls back first.
		m.trace--
	default:
		return false
	}
	if m.trace > 0 {
		m.reveal(nodes[m.trace-1])
	}
	m.traceAt = m.offset
	return true
}

// rows is how many lines of the drawing show from the offset: one fewer
// when the last gives way to the "more lines" hint.
func (m *Model) rows() int {
	if m.offset+m.height < len(m.lines) {
		return max(m.height-1, 1)
	}
	return m.height
}

func (m *Model) visible(line int) bool { return line >= m.offset && line < m.offset+m.rows() }

// reveal scrolls the least that shows line.
func (m *Model) reveal(line int) {
	switch {
	case line < m.offset:
		m.offset = line
	case line >= m.offset+m.rows():
		m.offset = line - max(m.height-1, 1) + 1
	}
	m.offset = max(0, min(m.offset, m.maxOffset()))
}
