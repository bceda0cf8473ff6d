package cli

import (
	"os"

	tea "charm.land/bubbletea/v2"
)

// crashHooks is set only in the tmux smoke test's build
// (-ldflags "-X github.com/ktraffic/ktraffic/internal/cli.crashHooks=on"). With it, KTRAFFIC_TEST_CRASH=tui
// makes the TUI panic on the key "!", and =live makes the live feed panic
// on its first snapshot, so the test can check that the terminal comes
// back and the exit code says so. Other builds cannot trigger either.
var crashHooks string

func testCrash() string {
	if crashHooks != "on" {
		return ""
	}
	return os.Getenv("KTRAFFIC_TEST_CRASH")
}

// testCrashHook panics where the test asked for it.
func testCrashHook(where string) {
	if testCrash() == where {
		panic("test crash in " + where + " (KTRAFFIC_TEST_CRASH)")
	}
}

// crashOnKey wraps the UI so the key "!" panics inside Bubble Tea.
type crashOnKey struct{ tea.Model }

func testCrashModel(m tea.Model) tea.Model {
	if testCrash() == "tui" {
		return crashOnKey{m}
	}
	return m
}

func (c crashOnKey) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "!" {
		testCrashHook("tui")
	}
	m, cmd := c.Model.Update(msg)
	return crashOnKey{m}, cmd
}
