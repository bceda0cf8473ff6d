package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/ktraffic/ktraffic/internal/configdir"
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
	a := newFactory(strings.NewReader(""), &out, &errOut)
	a.demo = "kiada"
	o := a.tuiOptions()
	o.svc.service, o.svc.from = "default/kiada-cluster", "nodeport:node-a"
	if err := (&tuiRun{a}).run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "default/kiada-cluster") || !strings.Contains(s, "from nodeport:node-a") {
		t.Errorf("table for the wrong Service or source:\n%s", s)
	}
	o.svc.from = "sideways"
	if err := (&tuiRun{a}).run(t.Context()); err == nil || !strings.Contains(err.Error(), "invalid --from") {
		t.Errorf("bad --from: err = %v", err)
	}
}

// The tmux tests run the real binary, built once for all of them, with
// the crash hooks only a test build has (tui_testhooks.go).
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if realPrometheus.srv != nil {
		realPrometheus.srv.Stop()
	}
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func ktrafficBinary(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	return builtBinary(t)
}

// testVersion is the version the test binary is built with, as the
// release build sets it.
const testVersion = "v0.0.0-test"

// builtBinary is ktraffic built once per test run, with the crash hooks
// on and the version set by -X as goreleaser sets it.
func builtBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "ktraffic-tmux-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "ktraffic")
		out, err := exec.Command("go", "build", "-ldflags=-X github.com/ktraffic/ktraffic/internal/cli.crashHooks=on -X github.com/ktraffic/ktraffic/internal/cli.version="+testVersion, "-o", built.bin, repoRoot).CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// tmuxWait is how long a screen may take to show what a test waits for.
// It is a failure bound for a loaded machine, never the expected wait:
// every wait polls and returns as soon as the text is there.
const tmuxWait = 60 * time.Second

// tmuxSession is the binary running in a tmux pane of 100×30, followed by
// the shell printing its exit status and whether the terminal's settings
// are what they were before it ran.
type tmuxSession struct {
	t      *testing.T
	name   string
	screen string
}

func startTmux(t *testing.T, env []string, args ...string) *tmuxSession {
	t.Helper()
	bin := ktrafficBinary(t)
	s := &tmuxSession{t: t, name: fmt.Sprintf("ktraffic-%d-%s", os.Getpid(), strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()))}
	env = append([]string{"TERM=xterm-256color", configdir.Env + "=" + t.TempDir()}, env...)
	script := fmt.Sprintf(`before=$(stty -g); env -u NO_COLOR %s %s %s; echo EXIT=$?; if [ "$(stty -g)" = "$before" ]; then echo TTY=restored; else echo TTY=changed; fi; sleep 120`,
		strings.Join(env, " "), bin, strings.Join(args, " "))
	s.tmux("new-session", "-d", "-s", s.name, "-x", "100", "-y", "30", script)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.name, "kill-server").Run() })
	return s
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.name}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// waitFor polls the screen until it shows want.
func (s *tmuxSession) waitFor(want string) {
	s.t.Helper()
	deadline := time.Now().Add(tmuxWait)
	for time.Now().Before(deadline) {
		s.screen = s.tmux("capture-pane", "-p", "-t", s.name)
		if strings.Contains(s.screen, want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("never saw %q within %v; screen:\n%s", want, tmuxWait, s.screen)
}

func (s *tmuxSession) keys(k ...string) { s.tmux(append([]string{"send-keys", "-t", s.name}, k...)...) }

// restored checks the terminal is as it was: the shell's tty settings
// (raw mode off, echo on) and the main screen, not the alternate one.
func (s *tmuxSession) restored() {
	s.t.Helper()
	s.waitFor("TTY=")
	if !strings.Contains(s.screen, "TTY=restored") {
		s.t.Errorf("terminal settings not restored:\n%s", s.screen)
	}
	if alt := strings.TrimSpace(s.tmux("display-message", "-p", "-t", s.name, "#{alternate_on}")); alt != "0" {
		s.t.Errorf("still in the alternate screen (alternate_on=%s)", alt)
	}
}

// TestTmuxSmoke drives the real binary in tmux: it opens on the demo's
// featured Service, goes back to the list, opens another Service, switches
// the traffic source, and quits with exit status 0.
func TestTmuxSmoke(t *testing.T) {
	s := startTmux(t, nil, "--demo")
	first := k8s.DemoScenarios()[0]
	s.waitFor("│ " + first.Service + " │ from lb")
	s.waitFor("client IP kept")
	s.keys("Escape")
	s.waitFor("NAMESPACE")
	// The filter reads policies too: "cluster" alone matches both.
	s.keys("/", "kiada-cluster", "Enter")
	s.waitFor("kiada-cluster")
	s.keys("Enter")
	s.waitFor("default/kiada-cluster │ from lb")
	s.waitFor("client IP lost")
	s.keys("s")
	s.waitFor("from nodeport ")
	s.keys("n")
	s.waitFor("Traffic from one node: nodeport:NODE")
	s.keys("Enter")
	s.waitFor("from nodeport:node-a")
	s.keys("?")
	s.waitFor("esc/q close")
	s.keys("G") // help scrolls; the legend is at its end
	s.waitFor("Reading the flow view")
	// Separate sends: ESC followed at once by q reads as alt+q.
	s.keys("Escape")
	s.waitFor("↓/j trace • n from node • esc back")
	s.keys("q")
	s.waitFor("EXIT=0")
	s.restored()
}

// TestTmuxPanicInTheTUI: a panic inside the TUI ends ktraffic with exit
// 3 and one line saying where to report it, and leaves the terminal as
// it found it.
func TestTmuxPanicInTheTUI(t *testing.T) {
	tmp := t.TempDir()
	s := startTmux(t, []string{"KTRAFFIC_TEST_CRASH=tui", "TMPDIR=" + tmp}, "--demo")
	s.waitFor("client IP kept")
	s.keys("!")
	s.waitFor("EXIT=3")
	s.restored()
	for _, want := range []string{"ktraffic: internal error: the terminal UI crashed (panic: test crash in tui", reportURL, "ktraffic-crash-"} {
		if !strings.Contains(s.screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, s.screen)
		}
	}
	if strings.Contains(s.screen, "goroutine ") {
		t.Errorf("a stack trace reached the terminal:\n%s", s.screen)
	}
}

// TestTmuxPanicInTheLiveSource: a panic in the live source's goroutines,
// outside Bubble Tea, still restores the terminal (no raw mode, echo on,
// main screen) and exits 3 with one line.
func TestTmuxPanicInTheLiveSource(t *testing.T) {
	newLoopbackCluster(t) // and KUBECONFIG pointing at it
	tmp := t.TempDir()
	s := startTmux(t, []string{"KTRAFFIC_TEST_CRASH=live", "TMPDIR=" + tmp, "KUBECONFIG=" + os.Getenv("KUBECONFIG"), "HOME=" + tmp})
	s.waitFor("EXIT=3")
	s.restored()
	if want := "ktraffic: internal error: the live source crashed (panic: test crash in live"; !strings.Contains(s.screen, want) {
		t.Errorf("screen lacks %q:\n%s", want, s.screen)
	}
}

func TestTUIFlags(t *testing.T) {
	a := newFactory(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	root := a.rootCommand()
	if err := root.ParseFlags([]string{"--theme", "light", "--service", "default/kiada", "--from", "nodeport:node-a"}); err != nil {
		t.Fatal(err)
	}
	o := a.tuiOptions()
	if o.theme != "light" || o.svc.service != "default/kiada" || o.svc.from != "nodeport:node-a" {
		t.Errorf("flags parsed into %+v", o)
	}
	if other := newFactory(nil, nil, nil).tuiOptions(); other == o || other.theme != "" {
		t.Error("two apps share TUI options")
	}
}

// --service reads the same everywhere: NAME is completed with -n (or the
// default namespace) in the TUI exactly as predict completes it. Both
// of these once failed in the TUI only.
func TestServiceFlagReadsAlikeEverywhere(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--demo", "kiada", "--service", "kiada-cluster"}, "Service:    default/kiada-cluster"},
		{[]string{"--demo", "zones-prefer-close", "-n", "shop", "--service", "catalog"}, "Service:    shop/catalog"},
	} {
		for _, cmd := range [][]string{nil, {"predict"}} {
			args := append(append([]string{}, cmd...), tt.args...)
			code, out, errOut := runCLI(t, "", args...)
			if code != 0 || !strings.Contains(out, tt.want) {
				t.Errorf("ktraffic %s: exit %d, stderr %q; want the table of %s:\n%s", strings.Join(args, " "), code, errOut, tt.want, out)
			}
		}
	}
}
