package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/pflag"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/ui"
)

// TestDemoScreens renders the flow view of every demo scenario's featured
// Service at the two sizes the UI promises, through a forced colourless
// profile so the goldens read as text and do not depend on the terminal.
// It uses this package's golden helper: x/exp/golden registers the same
// -update flag, and one test binary cannot hold both.
func TestDemoScreens(t *testing.T) {
	for _, sc := range k8s.DemoScenarios() {
		for _, sz := range [][2]int{{80, 24}, {250, 70}} {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.Name, sz[0], sz[1]), func(t *testing.T) {
				snap, err := k8s.LoadDemo(sc.Name)
				if err != nil {
					t.Fatal(err)
				}
				m, err := ui.New(ui.Options{Snapshot: snap, Source: "demo:" + sc.Name, Service: sc.Service, Theme: "dark",
					Now: func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }})
				if err != nil {
					t.Fatal(err)
				}
				m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				settle(m, m.Init())
				if m.Page() != "flow" {
					t.Fatalf("opened on %s, want the flow of %s", m.Page(), sc.Service)
				}
				var b bytes.Buffer
				w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.NoTTY}
				_, _ = w.WriteString(m.Render())
				out := b.String()
				if strings.Contains(out, "Cannot predict") {
					t.Fatalf("prediction failed:\n%s", out)
				}
				golden(t, fmt.Sprintf("tui/%s-%dx%d.txt", sc.Name, sz[0], sz[1]), out)
			})
		}
	}
}

// settle runs commands to completion as the program loop would. Demo
// models have no live feed, so every command returns.
func settle(m tea.Model, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil, tea.QuitMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

func TestNotATerminalPrintsTheTable(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--demo"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	first := k8s.DemoScenarios()[0]
	if !strings.Contains(out.String(), "Service:    "+first.Service) || !strings.Contains(out.String(), "SHARE") {
		t.Errorf("no predict table for %s:\n%s", first.Service, out.String())
	}
	if strings.Contains(out.String(), "\x1b[") {
		t.Error("escape sequences written to a pipe")
	}
}

func TestNotATerminalWithServiceAndSource(t *testing.T) {
	var out, errOut bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errOut)
	a.demo = "kiada"
	o := a.tuiOptions()
	o.service, o.from = "default/kiada-cluster", "nodeport:node-a"
	if err := a.runTUI(t.Context()); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "default/kiada-cluster") || !strings.Contains(s, "from nodeport:node-a") {
		t.Errorf("table for the wrong Service or source:\n%s", s)
	}
	o.from = "sideways"
	if err := a.runTUI(t.Context()); err == nil || !strings.Contains(err.Error(), "invalid --from") {
		t.Errorf("bad --from: err = %v", err)
	}
}

// TestTmuxSmoke drives the real binary in tmux: it opens on the demo's
// featured Service, goes back to the list, opens another Service, switches
// the traffic source, and quits with exit status 0.
func TestTmuxSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	bin := filepath.Join(t.TempDir(), "ktraffic")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	session := fmt.Sprintf("ktraffic-smoke-%d", os.Getpid())
	tmux := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("tmux", append([]string{"-L", session}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30",
		"env -u NO_COLOR TERM=xterm-256color "+bin+" --demo; echo EXIT=$?; sleep 30")
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", session, "kill-server").Run() })

	screen := ""
	waitFor := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			screen = tmux("capture-pane", "-p", "-t", session)
			if strings.Contains(screen, want) {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("never saw %q; screen:\n%s", want, screen)
	}
	keys := func(k ...string) { tmux(append([]string{"send-keys", "-t", session}, k...)...) }

	first := k8s.DemoScenarios()[0]
	waitFor("│ " + first.Service + " │ from lb")
	waitFor("client IP kept")
	keys("Escape")
	waitFor("NAMESPACE")
	keys("/", "cluster", "Enter")
	waitFor("kiada-cluster")
	keys("Enter")
	waitFor("default/kiada-cluster │ from lb")
	waitFor("client IP lost")
	keys("s")
	waitFor("from nodeport ")
	keys("s")
	waitFor("from nodeport:node-a")
	keys("?")
	waitFor("Reading the flow view")
	// Separate sends: ESC followed at once by q reads as alt+q.
	keys("Escape")
	waitFor("esc back • ↓/j down")
	keys("q")
	waitFor("EXIT=0")
}

func TestTUIFlags(t *testing.T) {
	a := newApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	fs := pflag.NewFlagSet("ktraffic", pflag.ContinueOnError)
	a.addTUIFlags(fs)
	if err := fs.Parse([]string{"--theme", "light", "--service", "default/kiada", "--from", "nodeport:node-a"}); err != nil {
		t.Fatal(err)
	}
	o := a.tuiOptions()
	if o.theme != "light" || o.service != "default/kiada" || o.from != "nodeport:node-a" {
		t.Errorf("flags parsed into %+v", o)
	}
	if other := newApp(nil, nil, nil).tuiOptions(); other == o || other.theme != "" {
		t.Error("two apps share TUI options")
	}
}
