package ui

import (
	"testing"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

// A frame is what the program loop does per key: Update, then View.

func BenchmarkListFrame10000Services(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: uitest.ManyServices(10000)}, 250, 70)
	if m.list.Len() != 10000 {
		b.Fatalf("%d rows", m.list.Len())
	}
	keys := []string{"j", "pgdown", "k", "G", "g"}
	i := 0
	for b.Loop() {
		m.Update(press(keys[i%len(keys)]))
		_ = m.View()
		i++
	}
}

func BenchmarkFlowFrame300Pods60Nodes(b *testing.B) {
	m := newTestModel(b, Options{Snapshot: bigSnapshot("Local"), Service: "default/big"}, 250, 70)
	keys := []string{"j", "j", "k", "G", "g"}
	i := 0
	for b.Loop() {
		m.Update(press(keys[i%len(keys)]))
		_ = m.View()
		i++
	}
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
	keys := []string{"9", "backspace"}
	i := 0
	for b.Loop() {
		m.Update(press(keys[i%2]))
		_ = m.View()
		i++
	}
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
	keys := []string{"j", "j", "k", "G", "g"}
	i := 0
	for b.Loop() {
		m.Update(press(keys[i%len(keys)]))
		_ = m.View()
		i++
	}
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
