package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

var (
	wheelDown = tea.MouseWheelMsg{Button: tea.MouseWheelDown, X: 10, Y: 5}
	wheelUp   = tea.MouseWheelMsg{Button: tea.MouseWheelUp, X: 10, Y: 5}
)

func wheelTo(t *testing.T, m *Model, msgs ...tea.Msg) {
	t.Helper()
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		drain(t, m, cmd)
	}
}

// TestWheelScrolls: a notch of the wheel moves what is in front three
// lines, as its arrow keys would; the program asks for wheel events.
func TestWheelScrolls(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		wheel []tea.Msg
		want  int
		at    func(*Model) int
	}{
		{"list down", Options{Snapshot: uitest.ManyServices(100)}, []tea.Msg{wheelDown, wheelDown}, 6, func(m *Model) int { return m.list.Cursor() }},
		{"list back up", Options{Snapshot: uitest.ManyServices(100)}, []tea.Msg{wheelDown, wheelDown, wheelUp}, 3, func(m *Model) int { return m.list.Cursor() }},
		{"list top", Options{Snapshot: uitest.ManyServices(100)}, []tea.Msg{wheelUp}, 0, func(m *Model) int { return m.list.Cursor() }},
		{"flow", Options{Snapshot: bigSnapshot("Local"), Service: "default/big"}, []tea.Msg{wheelDown}, 3, func(m *Model) int { return m.flow.view.Offset() }},
		{"flow back up", Options{Snapshot: bigSnapshot("Local"), Service: "default/big"}, []tea.Msg{wheelDown, wheelDown, wheelUp}, 3, func(m *Model) int { return m.flow.view.Offset() }},
		{"a sideways wheel does nothing", Options{Snapshot: uitest.ManyServices(100)}, []tea.Msg{tea.MouseWheelMsg{Button: tea.MouseWheelRight}}, 0, func(m *Model) int { return m.list.Cursor() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, tt.opts, 80, 24)
			wheelTo(t, m, tt.wheel...)
			if got := tt.at(m); got != tt.want {
				t.Errorf("at %d, want %d", got, tt.want)
			}
		})
	}
	m := newTestModel(t, kiadaOpts(), 80, 24)
	if mode := m.View().MouseMode; mode != tea.MouseModeCellMotion {
		t.Errorf("mouse mode %v: the terminal sends no wheel events", mode)
	}
}

// While the prompt is open the wheel leaves it and the list alone.
func TestWheelLeavesThePrompt(t *testing.T) {
	m := newTestModel(t, shopOpts(), 80, 24)
	send(t, m, ":")
	typeText(t, m, "ns ")
	wheelTo(t, m, wheelDown, wheelDown)
	send(t, m, "tab")
	if got := m.prompt.value(); got != "ns all" || m.list.Cursor() != 0 {
		t.Errorf("line %q, cursor %d", got, m.list.Cursor())
	}
}

// A paste goes into the open prompt at the cursor, and filters.
func TestPasteIntoThePrompt(t *testing.T) {
	m := newTestModel(t, shopOpts(), 80, 24)
	wheelTo(t, m, tea.PasteMsg{Content: "ignored"})
	send(t, m, "/")
	typeText(t, m, "shop")
	send(t, m, "ctrl+a")
	wheelTo(t, m, tea.PasteMsg{Content: "check"})
	if got := m.prompt.value(); got != "checkshop" {
		t.Errorf("line %q", got)
	}
	send(t, m, "ctrl+k")
	if got := m.list.Filter(); got != "check" || m.list.Len() != 1 {
		t.Errorf("filter %q shows %d", got, m.list.Len())
	}
}
