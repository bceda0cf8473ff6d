package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ktraffic/ktraffic/e2e/cluster"
)

// tui is the real ktraffic binary in a terminal: a tmux session on a
// socket of the test's own (never the user's tmux server), read with
// capture-pane and typed into with send-keys.
type tui struct {
	t    *testing.T
	sock string
}

// startTUI runs ktraffic with args as user in a 120×40 terminal and ends
// the tmux server, and ktraffic with it, when the test ends.
func startTUI(t *testing.T, c *cluster.Cluster, user string, args ...string) *tui {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the TUI test drives the real binary in tmux")
	}
	u := &tui{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	cmd := append([]string{"env", "-i"}, ktrafficEnv(t, c.Kubeconfig(user))...)
	cmd = append(cmd, c.Bin.Ktraffic)
	cmd = append(cmd, args...)
	u.tmux(append([]string{"new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40"}, cmd...)...)
	u.tmux("set-option", "-t", "e2e", "remain-on-exit", "on")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", u.sock, "kill-server").Run() })
	return u
}

func (u *tui) tmux(args ...string) string {
	u.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", u.sock}, args...)...).CombinedOutput()
	if err != nil {
		u.t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// screen is what the terminal shows now.
func (u *tui) screen() string { return u.tmux("capture-pane", "-p", "-t", "e2e") }

// pid is ktraffic's process id; dead is set once it has exited.
func (u *tui) pid() (pid string, dead bool) {
	f := strings.Fields(u.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid} #{pane_dead}"))
	return f[0], len(f) > 1 && f[1] == "1"
}

// keys types keys (tmux key names: Enter, Escape, w, …).
func (u *tui) keys(keys ...string) {
	u.t.Helper()
	u.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
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
