package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
)

// reportURL is where internal errors are reported.
const reportURL = "https://github.com/ktraffic/ktraffic/issues"

// internalError is a bug in ktraffic (a panic), told in one line that says
// where to report it and where the details are. It exits with code 3.
type internalError struct {
	what   string // "the terminal UI crashed (panic: …)"
	report string // the crash report file, "" when none could be written
}

func (e *internalError) Error() string {
	if e.report == "" {
		return fmt.Sprintf("internal error: %s; please report it at %s", e.what, reportURL)
	}
	return fmt.Sprintf("internal error: %s; please report it at %s with %s", e.what, reportURL, e.report)
}

// newInternalError writes details (a stack) to a crash report in the
// temp dir and names it.
func newInternalError(what string, details []byte) *internalError {
	e := &internalError{what: what}
	if len(details) == 0 {
		return e
	}
	f, err := os.CreateTemp("", "ktraffic-crash-*.log")
	if err != nil {
		return e
	}
	defer f.Close()
	if _, err := f.Write(details); err == nil {
		e.report = f.Name()
	}
	return e
}

// stderrLimit bounds what is kept of stderr while the TUI runs.
const stderrLimit = 1 << 20

// stderrTap sits between os.Stderr and the real standard error, so that
// what is written there while the TUI is drawn goes into a buffer rather
// than over the screen: Bubble Tea prints a caught panic's stack there,
// and a stray library warning would scramble the frame. os.Stderr is
// swapped once, before any TUI goroutine exists, and never written again:
// Bubble Tea reads it from its own goroutines. (The runtime's fatal
// errors go to file descriptor 2 directly and still reach the terminal.)
var stderrTap struct {
	once    sync.Once
	mu      sync.Mutex
	real    *os.File
	buf     *bytes.Buffer // non-nil while a TUI runs
	written int           // bytes through the tap, to tell when it is quiet
}

func tapStderr() bool {
	stderrTap.once.Do(func() {
		r, w, err := os.Pipe()
		if err != nil {
			return
		}
		stderrTap.real = os.Stderr
		os.Stderr = w
		go func() {
			chunk := make([]byte, 32<<10)
			for {
				n, err := r.Read(chunk)
				stderrTap.mu.Lock()
				stderrTap.written += n
				switch {
				case stderrTap.buf == nil:
					_, _ = stderrTap.real.Write(chunk[:n])
				case stderrTap.buf.Len() < stderrLimit:
					stderrTap.buf.Write(chunk[:n])
				}
				stderrTap.mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	})
	return stderrTap.real != nil
}

// divertStderr buffers what is written to os.Stderr until restore, which
// returns it. restore first waits (a second at most) for the pipe to go
// quiet: Bubble Tea prints a panic's stack from the panicking goroutine,
// which may still be at it when the program has returned.
func divertStderr() (restore func() []byte) {
	if !tapStderr() {
		return func() []byte { return nil }
	}
	stderrTap.mu.Lock()
	stderrTap.buf = &bytes.Buffer{}
	stderrTap.mu.Unlock()
	return func() []byte {
		last := -1
		for i := 0; i < 20; i++ {
			stderrTap.mu.Lock()
			n := stderrTap.written
			stderrTap.mu.Unlock()
			if n == last {
				break
			}
			last = n
			time.Sleep(50 * time.Millisecond)
		}
		stderrTap.mu.Lock()
		defer stderrTap.mu.Unlock()
		out := stderrTap.buf.Bytes()
		stderrTap.buf = nil
		return out
	}
}

// runProgram runs the TUI. A panic inside it (Bubble Tea recovers those
// and restores the terminal) and a crash of the live source (crashed;
// the program is then told to quit, which restores the terminal) both end it
// with an *internalError, never with a clean exit: an error that wraps
// tea.ErrProgramKilled is checked for a panic first.
func runProgram(p *tea.Program, crashed <-chan error, stderr io.Writer) (tea.Model, error) {
	var crash error
	var mu sync.Mutex
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case err := <-crashed:
			mu.Lock()
			crash = err
			mu.Unlock()
			// Quit, not Kill: Quit waits until the program runs, so the
			// terminal it set up is always restored.
			p.Quit()
		case <-done:
		}
	}()
	restore := divertStderr()
	final, err := p.Run()
	captured := restore()

	mu.Lock()
	defer mu.Unlock()
	var pe interface{ StackTrace() []byte }
	switch {
	case errors.Is(err, tea.ErrProgramPanic):
		return final, newInternalError("the terminal UI crashed ("+panicLine(captured)+")", captured)
	case crash != nil:
		var details []byte
		if errors.As(crash, &pe) {
			details = pe.StackTrace()
		}
		return final, newInternalError(crash.Error(), details)
	}
	_, _ = stderr.Write(captured) // written while the screen was up: shown now
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return final, err
	}
	return final, nil
}

// panicLine is the panic's first line from Bubble Tea's report
// ("Caught panic:\r\n\r\nVALUE\r\n\r\nRestoring terminal...").
func panicLine(report []byte) string {
	s := strings.ReplaceAll(string(report), "\r", "")
	if _, after, ok := strings.Cut(s, "Caught panic:"); ok {
		for _, line := range strings.Split(after, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				return "panic: " + line
			}
		}
	}
	return "panic"
}

// guardGo runs f in a goroutine that turns a panic into a crash of the
// TUI (restored terminal, exit 3) instead of a dead process in raw mode.
func guardGo(crashed chan<- error, where string, f func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				sendCrash(crashed, &goPanic{where: where, value: r, stack: debug.Stack()})
			}
		}()
		f()
	}()
}

// goPanic is a panic in one of the TUI's own goroutines.
type goPanic struct {
	where string
	value any
	stack []byte
}

func (e *goPanic) Error() string {
	v, _, _ := strings.Cut(fmt.Sprint(e.value), "\n")
	return fmt.Sprintf("%s crashed (panic: %s)", e.where, v)
}

func (e *goPanic) StackTrace() []byte { return e.stack }

// sendCrash reports a crash; the first one is enough.
func sendCrash(crashed chan<- error, err error) {
	select {
	case crashed <- err:
	default:
	}
}
