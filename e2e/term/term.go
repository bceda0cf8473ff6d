// Package term runs a program in a terminal that tests and benchmarks can
// read and type into: a detached tmux session on a socket of its own, so
// the user's tmux server is never touched.
package term

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Session is one program in a width×height terminal.
type Session struct {
	sock string
}

// Start runs argv with exactly env (nothing of this process's
// environment) in a new tmux server whose socket lives in dir. The pane
// stays after the program exits, so its last screen can be read.
func Start(dir string, width, height int, env []string, argv ...string) (*Session, error) {
	if _, err := exec.LookPath("tmux"); err != nil {
		return nil, errors.New("tmux is not installed")
	}
	s := &Session{sock: filepath.Join(dir, "tmux.sock")}
	cmd := append([]string{"new-session", "-d", "-s", "main", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), "env", "-i"}, env...)
	if _, err := s.tmux(append(cmd, argv...)...); err != nil {
		return nil, err
	}
	if _, err := s.tmux("set-option", "-t", "main", "remain-on-exit", "on"); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Session) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("tmux %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// Screen is what the terminal shows now, as text.
func (s *Session) Screen() (string, error) { return s.tmux("capture-pane", "-p", "-t", "main") }

// Keys types keys, in tmux's key names (Enter, Escape, w, …).
func (s *Session) Keys(keys ...string) error {
	_, err := s.tmux(append([]string{"send-keys", "-t", "main"}, keys...)...)
	return err
}

// PID is the program's process id, and whether it has exited.
func (s *Session) PID() (pid int, dead bool, err error) {
	out, err := s.tmux("display-message", "-p", "-t", "main", "#{pane_pid} #{pane_dead}")
	if err != nil {
		return 0, false, err
	}
	f := strings.Fields(out)
	if len(f) == 0 {
		return 0, false, fmt.Errorf("tmux gave no pid: %q", out)
	}
	pid, err = strconv.Atoi(f[0])
	return pid, len(f) > 1 && f[1] == "1", err
}

// Close ends the tmux server and the program in it.
func (s *Session) Close() { _ = exec.Command("tmux", "-S", s.sock, "kill-server").Run() }
