package flow

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

func press(m *Model, keys ...string) {
	for _, k := range keys {
		code := []rune(k)[0]
		switch k {
		case "down":
			code = tea.KeyDown
		case "up":
			code = tea.KeyUp
		case "pgdown":
			code = tea.KeyPgDown
		}
		text := ""
		if len([]rune(k)) == 1 {
			text = k
		}
		m.Update(tea.KeyPressMsg{Code: code, Text: text})
	}
}

// j/k step a trace over the sending nodes while the graph shows, then
// scroll on past it; k retraces the same way back, and before the first
// node clears the trace.
func TestTraceKeys(t *testing.T) {
	snap := uitest.Build(uitest.Spec{Name: "web", Type: "NodePort", Policy: "Cluster", Zones: []string{"z1"}, Nodes: 3, Pods: []int{1}})
	m := New(&common.Context{Styles: mono, Keys: common.DefaultKeyMap()})
	m.SetSize(100, 10)
	m.SetPrediction(predict(t, snap, "nodeport"), nil)
	if m.Lines(); len(m.nodeLines) != 3 || m.nodeLines[2] < 10 {
		t.Fatalf("nodes on lines %v: the test needs the last below a 10-line view", m.nodeLines)
	}
	steps := []struct {
		key           string
		trace, offset int
		pods          string // the pod column's heading, when on screen
	}{
		{"j", 1, 0, "pods · from node-a"}, {"down", 2, 1, ""}, {"j", 3, 3, ""},
		{"j", 3, 4, ""}, {"j", 3, 5, ""}, {"k", 3, 4, ""}, {"up", 3, 3, ""},
		{"k", 2, 3, ""}, {"k", 1, 3, ""}, {"k", 0, 3, ""}, {"k", 0, 2, ""}, {"k", 0, 1, ""}, {"up", 0, 0, "pods · 3/3 ready"},
		{"k", 0, 0, ""}, {"j", 1, 0, "pods · from node-a"},
	}
	for i, s := range steps {
		press(m, s.key)
		if m.Trace() != s.trace || m.Offset() != s.offset {
			t.Fatalf("step %d %q: trace %d offset %d, want trace %d offset %d", i, s.key, m.Trace(), m.Offset(), s.trace, s.offset)
		}
		if view := ansi.Strip(m.View()); s.pods != "" && !strings.Contains(view, s.pods) {
			t.Errorf("step %d %q: no %q:\n%s", i, s.key, s.pods, view)
		}
	}

	// Under trace the pod column shows the traced node's part.
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "11.1%") || strings.Contains(view, "33.3% on") {
		t.Errorf("tracing node-a, the pods do not show its 11.1%% each:\n%s", view)
	}

	// One sending node has nothing to tell apart: j scrolls.
	m.SetPrediction(predict(t, snap, "nodeport:node-b"), nil)
	press(m, "g", "j")
	if m.Trace() != 0 || m.Offset() != 1 {
		t.Errorf("one sender: trace %d offset %d, want a plain scroll", m.Trace(), m.Offset())
	}
}

// A new source draws another picture: the trace starts over.
func TestTraceResetsWithTheSource(t *testing.T) {
	snap := uitest.Build(uitest.Spec{Name: "web", Type: "NodePort", Policy: "Cluster", Zones: []string{"z1"}, Nodes: 3, Pods: []int{1}})
	m := New(&common.Context{Styles: mono, Keys: common.DefaultKeyMap()})
	m.SetSize(100, 40)
	m.SetPrediction(predict(t, snap, "nodeport"), nil)
	press(m, "j", "j")
	m.SetPrediction(predict(t, snap, "nodeport"), nil) // a live update
	if m.Trace() != 2 {
		t.Errorf("a live update moved the trace to %d", m.Trace())
	}
	m.SetPrediction(predict(t, snap, "internal"), nil)
	if m.Trace() != 0 {
		t.Errorf("another source kept trace %d", m.Trace())
	}
}
