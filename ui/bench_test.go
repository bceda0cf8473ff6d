package ui

import (
	"testing"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

// A frame is what the program loop does per key: Update, then View.

// frames presses keys in turn, a frame each, for as long as b runs.
func frames(b *testing.B, m *Model, keys ...string) {
	i := 0
	for b.Loop() {
		m.Update(press(keys[i%len(keys)]))
		_ = m.View()
		i++
	}
}

func BenchmarkListFrame10000Services(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: uitest.ManyServices(10000)}, 250, 70)
	if m.list.Len() != 10000 {
		b.Fatalf("%d rows", m.list.Len())
	}
	frames(b, m, "j", "pgdown", "k", "G", "g")
}

func BenchmarkFlowFrame300Pods60Nodes(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: bigSnapshot("Local"), Service: "default/big"}, 250, 70)
	frames(b, m, "j", "j", "k", "G", "g")
}

// BenchmarkKeyToFrameSourceSwitch is the slowest key there is: "s" runs a
// new prediction and the flow is drawn from scratch.
func BenchmarkKeyToFrameSourceSwitch(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: bigSnapshot("Cluster"), Service: "default/big"}, 250, 70)
	for b.Loop() {
		_, cmd := m.Update(press("s"))
		m.Update(cmd())
		_ = m.View()
	}
}

func BenchmarkKeyToFrameFilter10000Services(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: uitest.ManyServices(10000)}, 250, 70)
	send(b, m, "/")
	frames(b, m, "9", "backspace")
}

// BenchmarkSummarize10000Services is the work Init hands to a command so
// the first frames never wait for it.
func BenchmarkSummarize10000Services(b *testing.B) {
	snap := uitest.ManyServices(10000)
	for b.Loop() {
		model.Summarize(snap, "")
	}
}

// BenchmarkWhatIfFrame300Pods60Nodes scrolls the before/after screen:
// two flows and the diff's tables, drawn once and then only cut.
func BenchmarkWhatIfFrame300Pods60Nodes(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: bigSnapshot("Cluster"), Service: "default/big"}, 250, 70)
	send(b, m, "w", "l", "w")
	frames(b, m, "j", "j", "k", "G", "g")
}

// BenchmarkKeyToFrameWhatIfChange is a value change in the panel: two
// predictions, the diff, and both flows drawn from scratch, in a command.
func BenchmarkKeyToFrameWhatIfChange(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: bigSnapshot("Cluster"), Service: "default/big"}, 250, 70)
	send(b, m, "w")
	for b.Loop() {
		_, cmd := m.Update(press("l"))
		m.Update(cmd())
		_ = m.View()
	}
}

// BenchmarkWhatIfChangeFrame is the frame after that command: the screen
// was drawn in the command, so the frame only takes it.
func BenchmarkWhatIfChangeFrame(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: bigSnapshot("Cluster"), Service: "default/big"}, 250, 70)
	send(b, m, "w")
	for b.Loop() {
		b.StopTimer()
		_, cmd := m.Update(press("l"))
		msg := cmd()
		b.StartTimer()
		m.Update(msg)
		_ = m.View()
	}
}

// BenchmarkFlowFrame2000Nodes scrolls the flow of a Service on a
// 2,000-node cluster: the nodes fold per zone, so a frame costs what
// it costs at 60.
func BenchmarkFlowFrame2000Nodes(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: uitest.BigCluster(), Service: "default/web"}, 250, 70)
	frames(b, m, "j", "j", "k", "G", "g")
}

// BenchmarkWhatIfFrame2000Nodes moves the panel's cursor over the node
// rows of a 2,000-node cluster, whose choices are listed once per row.
func BenchmarkWhatIfFrame2000Nodes(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: uitest.BigCluster(), Service: "default/web"}, 250, 70)
	send(b, m, "w", "k", "k", "k", "k")
	frames(b, m, "k", "j")
}

// BenchmarkKeyToFramePicker2000Nodes types into the node picker: each
// key filters 2,000 names and draws the window.
func BenchmarkKeyToFramePicker2000Nodes(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: uitest.BigCluster(), Service: "default/web"}, 250, 70)
	send(b, m, "n")
	frames(b, m, "1", "backspace")
}

// BenchmarkKeyToFrameCommandSuggest10000Services types into ":svc ",
// whose suggestions are every Service: each key narrows 10,000 lines.
func BenchmarkKeyToFrameCommandSuggest10000Services(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: uitest.ManyServices(10000)}, 250, 70)
	send(b, m, ":")
	typeText(b, m, "svc team-01/")
	frames(b, m, "s", "backspace")
}
