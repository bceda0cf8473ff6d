package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/term"
)

// tui is the real ktraffic binary in a terminal (package term).
type tui struct {
	t *testing.T
	s *term.Session
}

// startTUI runs ktraffic with args as user in a 120×40 terminal, and ends
// it when the test ends.
func startTUI(t *testing.T, c *cluster.Cluster, user string, args ...string) *tui {
	t.Helper()
	s, err := term.Start(t.TempDir(), 120, 40, ktrafficEnv(t, c.Kubeconfig(user)), append([]string{c.Bin.Ktraffic}, args...)...)
	if err != nil {
		t.Skipf("no terminal for the TUI: %v", err)
	}
	t.Cleanup(s.Close)
	return &tui{t: t, s: s}
}

func (u *tui) screen() string {
	u.t.Helper()
	s, err := u.s.Screen()
	if err != nil {
		u.t.Fatal(err)
	}
	return s
}

// pid is ktraffic's process id; dead is set once it has exited.
func (u *tui) pid() (pid string, dead bool) {
	u.t.Helper()
	p, dead, err := u.s.PID()
	if err != nil {
		u.t.Fatal(err)
	}
	return strconv.Itoa(p), dead
}

func (u *tui) keys(keys ...string) {
	u.t.Helper()
	if err := u.s.Keys(keys...); err != nil {
		u.t.Fatal(err)
	}
}

// waitFor waits until the screen shows every one of want, and returns
// the screen; the deadline is generous, the wait usually short.
func (u *tui) waitFor(limit time.Duration, want ...string) string {
	u.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		s := u.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			u.t.Fatalf("the TUI did not show %q within %v; the screen:\n%s", missing, limit, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
