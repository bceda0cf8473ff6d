package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

func kiadaOpts() Options {
	return Options{Snapshot: uitest.KiadaPair(), Source: "demo:kiada"}
}

func TestScreens(t *testing.T) {
	sizes := []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"250x70", 250, 70}}
	screens := []struct {
		name  string
		opts  Options
		keys  []string
		theme string
	}{
		{name: "list", opts: kiadaOpts()},
		{name: "flow-local", opts: Options{Snapshot: uitest.KiadaPair(), Source: "demo:kiada", Service: "default/kiada"}},
		{name: "flow-cluster", opts: Options{Snapshot: uitest.KiadaPair(), Source: "demo:kiada", Service: "default/kiada-cluster"}},
		{name: "flow-nodeport-node-a", opts: Options{Snapshot: uitest.KiadaPair(), Service: "default/kiada",
			From: model.TrafficSource{Kind: model.SourceNodePort, Node: "node-b"}}},
		{name: "flow-big", opts: Options{Snapshot: bigSnapshot("Cluster"), Service: "default/big"}},
		{name: "help", opts: kiadaOpts(), keys: []string{"?"}},
		// Help on the flow lists the most keys; its end is the legend.
		{name: "help-flow", opts: Options{Snapshot: uitest.KiadaPair(), Service: "default/kiada"}, keys: []string{"?"}},
		{name: "help-flow-end", opts: Options{Snapshot: uitest.KiadaPair(), Service: "default/kiada"}, keys: []string{"?", "G"}},
		// A source the Service does not have: the error page.
		{name: "flow-error", opts: Options{Snapshot: uitest.Canary(), Service: "shop/checkout-v1",
			From: model.TrafficSource{Kind: model.SourceLB}}},
		{name: "status-bad-from", opts: kiadaOpts(), keys: []string{":", "f", "r", "o", "m", "space", "b", "o", "g", "u", "s", "enter"}},
		{name: "list-many", opts: Options{Snapshot: uitest.ManyServices(500)}},
		{name: "flow-headless", opts: Options{Snapshot: headlessSnapshot(), Service: "default/db"}},
		{name: "flow-externalname", opts: Options{Snapshot: externalNameSnapshot(), Service: "default/api"}},
		{name: "flow-endpoints-unknown", opts: Options{Snapshot: noSlicesSnapshot(), Service: "default/kiada"}},
		// The entry stage: a route's backends above the graph, pods' shares
		// of the whole.
		{name: "flow-canary", opts: Options{Snapshot: uitest.Canary(), Service: "shop/checkout-v1"}},
		// Seed 001's browser "stickiness": one keep-alive connection.
		{name: "flow-browser", opts: Options{Snapshot: uitest.KiadaPair(), Service: "default/kiada-cluster"}, keys: []string{"c", "G"}},
	}
	for _, sc := range screens {
		for _, sz := range sizes {
			t.Run(sc.name+"/"+sz.name, func(t *testing.T) {
				m := newTestModel(t, sc.opts, sz.w, sz.h)
				send(t, m, sc.keys...)
				out := m.Render()
				checkFrame(t, out, sz.w, sz.h)
				golden.RequireEqual(t, plain(out))
			})
		}
	}
}

// headlessSnapshot: a headless Service with one ready and one not-ready
// pod: cluster DNS answers with the ready one only.
func headlessSnapshot() *model.Snapshot {
	snap := uitest.Build(uitest.Spec{Name: "db", Type: "ClusterIP", Zones: []string{"z1", "z2"}, Nodes: 2, Pods: []int{1}, NotReady: 1})
	snap.Services[0].ClusterIP = "None"
	return snap
}

func externalNameSnapshot() *model.Snapshot {
	snap := uitest.Kiada("Cluster")
	snap.Services = append(snap.Services, model.Service{Namespace: "default", Name: "api", Type: "ExternalName", ExternalName: "api.example.com"})
	snap.Normalize()
	return snap
}

// noSlicesSnapshot is a dump of Services, Pods and Nodes without slices.
func noSlicesSnapshot() *model.Snapshot {
	snap := uitest.KiadaPair()
	snap.Slices, snap.SlicesMissing = nil, true
	return snap
}

func bigSnapshot(policy model.TrafficPolicy) *model.Snapshot {
	return uitest.Build(uitest.Spec{Name: "big", Type: "LoadBalancer", Policy: policy, IngressIP: "198.51.100.7",
		Zones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, Nodes: 60, Pods: []int{5}})
}

// checkFrame asserts the screen fills the terminal exactly: garbage in a
// terminal usually starts as a line one column too wide.
func checkFrame(t *testing.T, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d columns wide, want ≤ %d: %q", i, n, w, ansi.Strip(l))
		}
	}
}

func TestThemes(t *testing.T) {
	for _, name := range themes.Names() {
		t.Run(name, func(t *testing.T) {
			opts := Options{Snapshot: uitest.KiadaPair(), Source: "demo:kiada", Service: "default/kiada-cluster", Theme: name}
			m := newTestModel(t, opts, 80, 24)
			golden.RequireEqual(t, colored(m.Render()))
		})
	}
}

func TestTinyTerminal(t *testing.T) {
	for _, sz := range [][2]int{{30, 8}, {49, 30}, {120, 9}, {1, 1}} {
		m := newTestModel(t, kiadaOpts(), sz[0], sz[1])
		out := plain(m.Render())
		if !strings.Contains(out, "ktraffic needs at least") && sz[0] > 20 {
			t.Errorf("%dx%d: no size message:\n%s", sz[0], sz[1], out)
		}
		checkFrame(t, m.Render(), sz[0], sz[1])
	}
}

func TestResizeKeepsFrame(t *testing.T) {
	m := newTestModel(t, Options{Snapshot: uitest.KiadaPair(), Service: "default/kiada-cluster"}, 250, 70)
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {60, 12}, {250, 70}, {81, 25}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		checkFrame(t, m.Render(), sz[0], sz[1])
	}
}

func TestNotReadyBeforeSize(t *testing.T) {
	m, err := New(kiadaOpts())
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Render(); got != "" {
		t.Errorf("render before the first size = %q, want empty", got)
	}
}

func TestUnknownThemeIsAnError(t *testing.T) {
	_, err := New(Options{Theme: "nope"})
	if err == nil || !strings.Contains(err.Error(), `unknown theme "nope"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestBackgroundPicksTheme(t *testing.T) {
	m := newTestModel(t, Options{Snapshot: uitest.KiadaPair(), Theme: "auto"}, 80, 24)
	m.Update(tea.BackgroundColorMsg{Color: whiteish{}})
	if m.Theme() != "light" {
		t.Errorf("theme on a light background = %q, want light", m.Theme())
	}
	m.Update(tea.BackgroundColorMsg{Color: blackish{}})
	if m.Theme() != "dark" {
		t.Errorf("theme on a dark background = %q, want dark", m.Theme())
	}
	// A theme chosen by the user stays.
	m = newTestModel(t, Options{Snapshot: uitest.KiadaPair(), Theme: "high-contrast"}, 80, 24)
	m.Update(tea.BackgroundColorMsg{Color: whiteish{}})
	if m.Theme() != "high-contrast" {
		t.Errorf("explicit theme replaced by %q", m.Theme())
	}
}

type whiteish struct{}

func (whiteish) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

type blackish struct{}

func (blackish) RGBA() (r, g, b, a uint32) { return 0, 0, 0x1000, 0xffff }

func TestNoColorPicksMono(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	m, err := New(Options{Snapshot: uitest.KiadaPair()})
	if err != nil {
		t.Fatal(err)
	}
	if m.Theme() != "mono" {
		t.Errorf("theme with NO_COLOR = %q, want mono", m.Theme())
	}
}

func TestLiveFeed(t *testing.T) {
	up := make(chan *model.Snapshot, 1)
	prog := make(chan string, 1)
	m, err := New(Options{Updates: up, Progress: prog, Source: "context:test", Theme: "dark", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	// step delivers what the feed has now, as the program loop would.
	step := func() {
		t.Helper()
		_, next := m.Update(m.waitFeed()())
		if next == nil {
			t.Fatal("the feed was not re-armed")
		}
	}
	prog <- "Loading: services 3"
	step()
	if !strings.Contains(plain(m.Render()), "Loading: services 3") {
		t.Errorf("progress not shown:\n%s", plain(m.Render()))
	}
	snap := uitest.KiadaPair()
	up <- snap
	step()
	drain(t, m, m.summarize())
	out := plain(m.Render())
	if !strings.Contains(out, "kiada-cluster") || !strings.Contains(out, "● live") {
		t.Errorf("snapshot not shown as live:\n%s", out)
	}
	stale := *snap
	stale.StaleSince = testNow.Add(-90 * time.Second)
	up <- &stale
	step()
	if out := plain(m.Render()); !strings.Contains(out, "stale since 11:58:30 (1m30s)") {
		t.Errorf("stale state not shown:\n%s", out)
	}
	// On the flow page the header carries more; at 80 columns the rest
	// gives way, never the stale state.
	play(t, m, "/", "kiada-cluster", "enter", "enter")
	if header := strings.SplitN(plain(m.Render()), "\n", 2)[0]; !strings.Contains(header, "default/kiada-cluster") || !strings.HasSuffix(strings.TrimRight(header, " "), "stale since 11:58:30 (1m30s)") {
		t.Errorf("the flow's header at 80 columns lost the stale state or the Service:\n%s", header)
	}
	close(up)
	close(prog)
	if _, ok := m.waitFeed()().(feedEndedMsg); !ok {
		t.Error("a closed feed does not end")
	}
}

func TestLiveFailure(t *testing.T) {
	failed := make(chan error, 1)
	failed <- errors.New("cannot reach https://10.0.0.1:6443: connection refused")
	m := newTestModel(t, Options{Failed: failed}, 80, 24)
	out := plain(m.Render())
	if !strings.Contains(out, "Cannot read the cluster") || !strings.Contains(out, "connection refused") {
		t.Errorf("failure not shown:\n%s", out)
	}
}

func TestSnapshotWarningsShow(t *testing.T) {
	snap := uitest.KiadaPair()
	snap.Warnings = []string{"cannot list nodes: forbidden; zones come from endpoints", "namespace kube-system skipped"}
	m := newTestModel(t, Options{Snapshot: snap}, 120, 24)
	drain(t, m, m.setSnapshot(snap))
	if out := plain(m.Render()); !strings.Contains(out, "cannot list nodes: forbidden; zones come from endpoints (+1 more)") {
		t.Errorf("warning not shown:\n%s", out)
	}
}

// TestStaleAgeTicks: while the snapshot is stale the header's age goes up
// by itself, with no event from the source (a silent server sends none),
// and the ticking stops once the source is live again.
func TestStaleAgeTicks(t *testing.T) {
	now := testNow
	m, err := New(Options{Source: "context:test", Theme: "dark", Updates: make(chan *model.Snapshot), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	stale := *uitest.KiadaPair()
	stale.StaleSince = testNow.Add(-90 * time.Second)
	if !hasTick(m.setSnapshot(&stale)) {
		t.Fatal("a stale snapshot starts no tick")
	}
	if hasTick(m.setSnapshot(&stale)) {
		t.Error("a second stale snapshot starts a second tick")
	}
	for _, want := range []string{"(1m31s)", "(1m32s)"} {
		now = now.Add(time.Second)
		_, next := m.Update(staleTickMsg{})
		if !hasTick(next) {
			t.Fatal("the tick was not re-armed while stale")
		}
		if out := plain(m.Render()); !strings.Contains(out, "stale since 11:58:30 "+want) {
			t.Errorf("header does not show %s:\n%s", want, out)
		}
	}
	m.setSnapshot(uitest.KiadaPair())
	if _, next := m.Update(staleTickMsg{}); next != nil {
		t.Error("still ticking once live")
	}
	if out := plain(m.Render()); !strings.Contains(out, "● live") {
		t.Errorf("not live again:\n%s", out)
	}
}

// hasTick reports whether cmd, or a command batched in it, delivers a
// staleTickMsg. Ticks wait a second; other commands run and their
// messages are dropped.
func hasTick(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := run(cmd).(type) {
	case staleTickMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if hasTick(c) {
				return true
			}
		}
	}
	return false
}

// TestOneShotFeed: a dump read in the background comes through the feed,
// but the header must not call it live, even before the feed closes.
func TestOneShotFeed(t *testing.T) {
	up := make(chan *model.Snapshot, 1)
	m, err := New(Options{Updates: up, OneShot: true, Source: "file:dump.json", Theme: "dark", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if out := plain(m.Render()); !strings.Contains(out, "◌ loading") {
		t.Errorf("not loading:\n%s", out)
	}
	up <- uitest.KiadaPair()
	m.Update(m.waitFeed()())
	if out := plain(m.Render()); strings.Contains(out, "live") || !strings.Contains(out, "snapshot") {
		t.Errorf("a dump shown as live:\n%s", out)
	}
}

// A warning the source put on a snapshot (a lost watch) leaves the footer
// once a snapshot without warnings arrives: the header says live, and so
// must the rest of the screen. A status the user caused stays.
func TestSnapshotWarningClearsOnRecovery(t *testing.T) {
	m, err := New(Options{Source: "context:test", Theme: "dark", Updates: make(chan *model.Snapshot)})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	stale := *uitest.KiadaPair()
	stale.StaleSince = testNow
	stale.Warnings = []string{"pods may be out of date: cannot reach the API server"}
	m.setSnapshot(&stale)
	if out := plain(m.Render()); !strings.Contains(out, "pods may be out of date") {
		t.Fatalf("the warning is not shown:\n%s", out)
	}
	m.setSnapshot(uitest.KiadaPair())
	if out := plain(m.Render()); strings.Contains(out, "pods may be out of date") {
		t.Errorf("the warning stays after the recovery:\n%s", out)
	}
	m.setStatus("no Service x in this snapshot", false)
	m.setSnapshot(uitest.KiadaPair())
	if out := plain(m.Render()); !strings.Contains(out, "no Service x") {
		t.Errorf("a live update cleared the user's own status:\n%s", out)
	}
}
