package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/k8s"
)

// crashModel panics on its first message, in Update or in a command.
type crashModel struct{ inCmd bool }

type goMsg struct{}

func (c crashModel) Init() tea.Cmd {
	if c.inCmd {
		return func() tea.Msg { panic("boom in a command\nsecond line") }
	}
	return func() tea.Msg { return goMsg{} }
}

func (c crashModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(goMsg); ok {
		panic("boom in Update")
	}
	return c, nil
}

func (crashModel) View() tea.View { return tea.NewView("crash test") }

// idleModel runs until told otherwise.
type idleModel struct{}

func (idleModel) Init() tea.Cmd                         { return nil }
func (m idleModel) Update(tea.Msg) (tea.Model, tea.Cmd) { return m, nil }
func (idleModel) View() tea.View                        { return tea.NewView("idle") }

func testProgram(m tea.Model, out *bytes.Buffer) *tea.Program {
	return tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(out), tea.WithoutSignalHandler())
}

// checkInternalError: one line, exit 3, where to report, and a crash
// report holding the details.
func checkInternalError(t *testing.T, err error, what, inReport string) {
	t.Helper()
	var ie *internalError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an internal error", err)
	}
	a := newFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
	var stderr bytes.Buffer
	a.IO.ErrOut = &stderr
	if code := a.reportError(err); code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
	line := stderr.String()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, what) || !strings.Contains(line, reportURL) {
		t.Errorf("stderr %q: want one line with %q and %s", line, what, reportURL)
	}
	data, rerr := os.ReadFile(ie.report)
	if rerr != nil || !strings.Contains(string(data), inReport) {
		t.Errorf("crash report %q (%v) lacks %q:\n%s", ie.report, rerr, inReport, data)
	}
}

// TestTUIPanicIsAnInternalError: a panic Bubble Tea recovers (in Update
// or in a command) ends ktraffic with exit 3 and one line, never as a
// clean quit; the stack goes to a crash report, not over the screen.
func TestTUIPanicIsAnInternalError(t *testing.T) {
	for _, inCmd := range []bool{false, true} {
		t.Setenv("TMPDIR", t.TempDir())
		var out, stderr bytes.Buffer
		_, err := runProgram(testProgram(crashModel{inCmd: inCmd}, &out), nil, &stderr)
		want := "the terminal UI crashed (panic: boom in Update)"
		if inCmd {
			want = "the terminal UI crashed (panic: boom in a command)"
		}
		checkInternalError(t, err, want, "goroutine")
		if stderr.Len() != 0 {
			t.Errorf("stack trace on stderr: %q", stderr.String())
		}
		if reports, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "ktraffic-crash-*.log")); len(reports) != 1 {
			t.Errorf("crash reports: %v", reports)
		}
	}
}

// TestLiveCrashQuitsTheTUI: a panic in a goroutine outside Bubble Tea
// (the live source's) makes the running TUI quit, which restores the
// terminal, and ktraffic exit 3.
func TestLiveCrashQuitsTheTUI(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	crashed := make(chan error, 1)
	guardGo(crashed, "the live source", func() {
		time.Sleep(50 * time.Millisecond)
		panic("boom in the live feed")
	})
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() {
		_, err := runProgram(testProgram(idleModel{}, &out), crashed, &bytes.Buffer{})
		done <- err
	}()
	select {
	case err := <-done:
		checkInternalError(t, err, "the live source crashed (panic: boom in the live feed)", "tui_crash_test.go")
	case <-time.After(10 * time.Second):
		t.Fatal("the TUI kept running after the live source crashed")
	}
}

// TestStderrWrittenUnderTheTUIComesAfter: what is written to stderr while
// the screen is drawn is shown once it is gone, not over it.
func TestStderrWrittenUnderTheTUIComesAfter(t *testing.T) {
	var out, stderr bytes.Buffer
	p := testProgram(idleModel{}, &out)
	go func() {
		time.Sleep(50 * time.Millisecond)
		os.Stderr.WriteString("a library warning\n")
		p.Quit()
	}()
	if _, err := runProgram(p, nil, &stderr); err != nil {
		t.Fatal(err)
	}
	if stderr.String() != "a library warning\n" || strings.Contains(out.String(), "library warning") {
		t.Errorf("stderr %q, screen %q", stderr.String(), out.String())
	}
}

// TestRecoveredPanicIsReportedAsABug: a panic the live source recovered
// and returned as an error (from predict, check, apply alike) exits 3 with
// where to report it, not 1 as if the cluster were at fault.
func TestRecoveredPanicIsReportedAsABug(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	err := fmt.Errorf("loading: %w", &k8s.PanicError{Where: "listing pods", Value: "boom", Stack: []byte("goroutine 7 [running]:\nk8s.(*Live).list")})
	var stderr bytes.Buffer
	a := newFactory(nil, &bytes.Buffer{}, &stderr)
	if code := a.reportError(err); code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
	line := stderr.String()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, "internal error: loading: the live source crashed while listing pods (panic: boom)") || !strings.Contains(line, reportURL) {
		t.Fatalf("stderr %q", line)
	}
	report := strings.TrimSpace(line[strings.LastIndex(line, " ")+1:])
	if data, err := os.ReadFile(report); err != nil || !strings.Contains(string(data), "goroutine 7") {
		t.Errorf("crash report %s: %v %q", report, err, data)
	}
}
