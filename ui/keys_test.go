package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
	"github.com/ktraffic/ktraffic/ui/list"
)

func TestPressMatchesKeyNames(t *testing.T) {
	for _, k := range []string{"enter", "esc", "j", "k", "G", "g", "?", ":", "/", "s", "S", "q", "ctrl+c", "space", "pgdown", "o", "O", "N", "F", "T", "R", "t"} {
		if got := press(k).String(); got != k {
			t.Errorf("press(%q).String() = %q", k, got)
		}
	}
}

func listModel(t *testing.T) *Model {
	t.Helper()
	return newTestModel(t, Options{Snapshot: uitest.ManyServices(100)}, 80, 24)
}

func TestListKeys(t *testing.T) {
	m := listModel(t)
	steps := []struct {
		key    string
		cursor int
	}{
		{"j", 1}, {"down", 2}, {"k", 1}, {"up", 0}, {"k", 0},
		{"G", 99}, {"g", 0}, {"end", 99}, {"home", 0},
		{"pgdown", 21}, {"ctrl+d", 42}, {"ctrl+f", 63}, {"space", 84}, {"pgup", 63}, {"ctrl+u", 42}, {"ctrl+b", 21},
	}
	for _, s := range steps {
		send(t, m, s.key)
		if got := m.list.Cursor(); got != s.cursor {
			t.Fatalf("after %q cursor = %d, want %d", s.key, got, s.cursor)
		}
	}
}

func TestOpenAndBack(t *testing.T) {
	for _, open := range []string{"enter", "right", "l"} {
		for _, back := range []string{"esc", "left", "h"} {
			m := newTestModel(t, kiadaOpts(), 80, 24)
			send(t, m, "j", open)
			if m.Page() != "flow" || m.flow.service != "default/kiada-cluster" {
				t.Fatalf("%s: page %s service %q", open, m.Page(), m.flow.service)
			}
			if m.flow.view.Prediction() == nil {
				t.Fatalf("%s: no prediction after opening", open)
			}
			send(t, m, back)
			if m.Page() != "list" || m.list.Selected() != "default/kiada-cluster" {
				t.Fatalf("%s: page %s selected %q", back, m.Page(), m.list.Selected())
			}
		}
	}
}

func TestSourceCycle(t *testing.T) {
	m := newTestModel(t, Options{Snapshot: uitest.KiadaPair(), Service: "default/kiada"}, 80, 24)
	source := func(step int, want string) {
		t.Helper()
		if got := m.flow.effectiveSource().String(); got != want {
			t.Fatalf("step %d: source %q, want %q", step, got, want)
		}
		if p := m.flow.view.Prediction(); p == nil || p.Source.String() != want {
			t.Fatalf("step %d: prediction for %v, want %s", step, p, want)
		}
	}
	// s cycles kinds, not nodes: a cluster's size never lengthens it.
	for i, w := range []string{"lb", "nodeport", "internal", "lb"} {
		if i > 0 {
			send(t, m, "s")
		}
		source(i, w)
	}
	send(t, m, "S")
	source(4, "internal")
	// A node source counts as its kind.
	send(t, m, ":")
	typeText(t, m, "from nodeport:node-b")
	send(t, m, "enter", "s")
	source(5, "internal")
	send(t, m, ":")
	typeText(t, m, "from nodeport:node-b")
	send(t, m, "enter", "S")
	source(6, "lb")
	// Local NodePort on a node without pods: the view shows the sink.
	m = newTestModel(t, Options{Snapshot: uitest.Build(uitest.Spec{Name: "web", Type: "NodePort", Policy: "Local",
		Zones: []string{"z1"}, Nodes: 2, Pods: []int{1, 0}}), Service: "default/web"}, 80, 24)
	send(t, m, ":")
	typeText(t, m, "from nodeport:node-b")
	send(t, m, "enter")
	if out := plain(m.Render()); !strings.Contains(out, "✗ dropped 100.0%") || !strings.Contains(out, "clients time out") {
		t.Errorf("no dropped sink:\n%s", out)
	}
}

func TestFlowScroll(t *testing.T) {
	// From one node there is one lane and no node to trace: j/k scroll
	// (flow's own tests step the trace over several).
	m := newTestModel(t, Options{Snapshot: bigSnapshot("Local"), Service: "default/big",
		From: model.TrafficSource{Kind: model.SourceInternal, Node: "node-00"}}, 80, 24)
	steps := []struct {
		key    string
		offset int
	}{{"j", 1}, {"down", 2}, {"k", 1}, {"up", 0}, {"k", 0}, {"pgdown", 21}, {"pgup", 0}, {"G", m.flow.view.Offset()}, {"g", 0}}
	last := len(m.flow.view.Lines()) - 22
	steps[7].offset = last
	for _, s := range steps {
		send(t, m, s.key)
		if got := m.flow.view.Offset(); got != s.offset {
			t.Fatalf("after %q offset = %d, want %d", s.key, got, s.offset)
		}
	}
	if !strings.Contains(plain(m.Render()), "more lines") {
		t.Error("no hint that the flow goes on below")
	}
}

func TestFilterKeys(t *testing.T) {
	m := listModel(t)
	send(t, m, "/")
	if !m.prompt.active() {
		t.Fatal("/ did not open the filter")
	}
	typeText(t, m, "svc-0004")
	if n := m.list.Len(); n != 10 {
		t.Errorf("filter svc-0004 shows %d rows, want 10", n)
	}
	send(t, m, "backspace")
	if got := m.list.Filter(); got != "svc-000" {
		t.Errorf("after backspace filter = %q", got)
	}
	send(t, m, "enter")
	if m.prompt.active() || m.list.Filter() != "svc-000" {
		t.Errorf("enter: prompt active %v filter %q", m.prompt.active(), m.list.Filter())
	}
	send(t, m, "esc")
	if m.list.Filter() != "" {
		t.Errorf("esc on the list kept filter %q", m.list.Filter())
	}
	send(t, m, "/")
	typeText(t, m, "team-01 x")
	send(t, m, "ctrl+w")
	if got := m.prompt.value(); got != "team-01 " {
		t.Errorf("ctrl+w left %q", got)
	}
	send(t, m, "ctrl+u")
	if got := m.prompt.value(); got != "" {
		t.Errorf("ctrl+u left %q", got)
	}
	send(t, m, "esc")
	if m.prompt.active() || m.list.Filter() != "" {
		t.Error("esc did not cancel the filter")
	}
}

// TestSortKeys: o and O cycle the sort column both ways; a column's
// shift+letter sorts by it and, pressed again, reverses it.
func TestSortKeys(t *testing.T) {
	m := listModel(t)
	steps := []struct {
		key  string
		sort list.SortKey
		desc bool
	}{
		{"o", list.SortFinding, true}, {"o", list.SortType, false}, {"o", list.SortReady, false}, {"o", list.SortName, false},
		{"O", list.SortReady, false}, {"O", list.SortType, false},
		{"N", list.SortName, false}, {"N", list.SortName, true}, {"N", list.SortName, false},
		{"F", list.SortFinding, true}, {"F", list.SortFinding, false},
		{"T", list.SortType, false}, {"R", list.SortReady, false}, {"R", list.SortReady, true},
	}
	for i, s := range steps {
		send(t, m, s.key)
		if got, desc := m.list.Sort(), m.list.Descending(); got != s.sort || desc != s.desc {
			t.Fatalf("step %d %q: sort %v descending %v, want %v %v", i, s.key, got, desc, s.sort, s.desc)
		}
	}
}

func TestHelpKeys(t *testing.T) {
	m := newTestModel(t, kiadaOpts(), 80, 24)
	for _, closeKey := range []string{"?", "esc", "q"} {
		send(t, m, "?")
		if out := plain(m.Render()); !m.showHelp || !strings.Contains(out, "Keys") {
			t.Fatalf("? did not show help:\n%s", out)
		}
		send(t, m, closeKey)
		if m.showHelp || m.Quitting() {
			t.Fatalf("%q: help shown %v, quitting %v", closeKey, m.showHelp, m.Quitting())
		}
	}
}

// TestHelpScrolls: at 80×24 help is longer than the screen; every key
// that scrolls elsewhere reaches its end (the legend), the footer says
// where it is and that q closes, and help opens again at its top.
func TestHelpScrolls(t *testing.T) {
	for _, keys := range [][]string{{"G"}, {"end"}, {"pgdown", "pgdown", "pgdown"}, {"space", "space", "space"},
		strings.Split(strings.Repeat("j", 40), "")} {
		m := newTestModel(t, Options{Snapshot: uitest.KiadaPair(), Service: "default/kiada"}, 80, 24)
		send(t, m, "?")
		out := plain(m.Render())
		last := lastLine(out)
		if strings.Contains(out, "Reading the flow view") || !strings.Contains(last, "lines 1–22 of") ||
			!strings.Contains(last, "esc/q close") || strings.Contains(last, "quit") {
			t.Fatalf("help's first page:\n%s", out)
		}
		send(t, m, keys...)
		out = plain(m.Render())
		if !strings.Contains(out, "✗ dropped") || strings.Contains(out, "…") {
			t.Errorf("%v: the legend is not reached, or a line is cut:\n%s", keys, out)
		}
		send(t, m, "g")
		if out := plain(m.Render()); !strings.Contains(out, "Keys") {
			t.Errorf("g did not go back to the top:\n%s", out)
		}
		send(t, m, "G", "q", "?")
		if out := plain(m.Render()); !strings.Contains(out, "Keys") {
			t.Errorf("help opened again where it was left:\n%s", out)
		}
	}
}

func lastLine(s string) string { return s[strings.LastIndexByte(s, '\n')+1:] }

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m := newTestModel(t, kiadaOpts(), 80, 24)
		_, cmd := m.Update(press(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok || !m.Quitting() {
			t.Errorf("%s did not quit", k)
		}
	}
	// ctrl+c quits from the help screen too; q there only closes help.
	m := newTestModel(t, kiadaOpts(), 80, 24)
	send(t, m, "?")
	_, cmd := m.Update(press("ctrl+c"))
	if cmd == nil || !m.Quitting() {
		t.Error("ctrl+c in help did not quit")
	}
}

func TestThemeKey(t *testing.T) {
	m := newTestModel(t, kiadaOpts(), 80, 24)
	seen := []string{m.Theme()}
	for range themes.Names() {
		send(t, m, "t")
		seen = append(seen, m.Theme())
	}
	if seen[0] != seen[len(seen)-1] || len(seen) != len(themes.Names())+1 {
		t.Errorf("t cycles %v", seen)
	}
}

func TestCommands(t *testing.T) {
	loaded := ""
	opts := kiadaOpts()
	opts.Demos = []Demo{{Name: "kiada", Service: "default/kiada"}, {Name: "big", Service: "default/big"}}
	opts.LoadDemo = func(name string) (*model.Snapshot, error) {
		loaded = name
		if name == "big" {
			return bigSnapshot("Local"), nil
		}
		return nil, errors.New(`unknown demo "` + name + `"`)
	}
	m := newTestModel(t, opts, 100, 30)
	command := func(line string) {
		t.Helper()
		send(t, m, ":")
		typeText(t, m, line)
		send(t, m, "enter")
	}
	command("svc kiada-cluster")
	if m.Page() != "flow" || m.flow.service != "default/kiada-cluster" {
		t.Fatalf(":svc NAME opened %s %q", m.Page(), m.flow.service)
	}
	command("from nodeport:node-a")
	if got := m.flow.view.Prediction().Source.String(); got != "nodeport:node-a" {
		t.Fatalf(":from gave %q", got)
	}
	command("from nowhere")
	if !strings.Contains(m.status, "invalid --from") {
		t.Errorf(":from nowhere status %q", m.status)
	}
	command("svc")
	if m.Page() != "list" {
		t.Fatal(":svc did not go back to the list")
	}
	command("ns kube-system")
	if m.list.Namespace() != "kube-system" || !strings.Contains(plain(m.Render()), "No Services in namespace kube-system") {
		t.Errorf(":ns kube-system: %q\n%s", m.list.Namespace(), plain(m.Render()))
	}
	command("ns all")
	if m.list.Namespace() != "" || m.list.Len() != 2 {
		t.Errorf(":ns all shows %d rows in %q", m.list.Len(), m.list.Namespace())
	}
	command("theme light")
	if m.Theme() != "light" {
		t.Errorf(":theme light gave %q", m.Theme())
	}
	command("theme nope")
	if !strings.Contains(m.status, `unknown theme "nope"`) {
		t.Errorf(":theme nope status %q", m.status)
	}
	command("demo")
	if !strings.Contains(m.status, "demos: kiada, big") {
		t.Errorf(":demo status %q", m.status)
	}
	command("demo big")
	if loaded != "big" || m.flow.service != "default/big" || m.Page() != "flow" || m.source != "demo:big" {
		t.Errorf(":demo big: loaded %q, %s %q, source %q", loaded, m.Page(), m.flow.service, m.source)
	}
	command("demo nope")
	if !strings.Contains(m.status, `unknown demo "nope"`) {
		t.Errorf(":demo nope status %q", m.status)
	}
	command("bogus")
	if !strings.Contains(m.status, "unknown command :bogus") {
		t.Errorf(":bogus status %q", m.status)
	}
	command("help")
	if !m.showHelp {
		t.Error(":help did not show help")
	}
	send(t, m, "esc")
	send(t, m, ":")
	typeText(t, m, "q")
	_, cmd := m.Update(press("enter"))
	if cmd == nil || !m.Quitting() {
		t.Error(":q did not quit")
	}
}

func TestCommandPromptCancel(t *testing.T) {
	m := newTestModel(t, kiadaOpts(), 80, 24)
	send(t, m, ":")
	typeText(t, m, "ns x")
	send(t, m, "esc")
	if m.prompt.active() || m.list.Namespace() != "" {
		t.Error("esc did not cancel the command")
	}
	send(t, m, ":", "backspace")
	if m.prompt.active() {
		t.Error("backspace on an empty prompt did not close it")
	}
	// Keys typed into the prompt never reach the page: q is text here.
	send(t, m, ":", "q")
	if m.Quitting() || m.prompt.value() != "q" {
		t.Error("q in the prompt quit")
	}
}

func TestNoDemoCommandOutsideDemo(t *testing.T) {
	m := newTestModel(t, kiadaOpts(), 80, 24)
	send(t, m, ":")
	typeText(t, m, "demo kiada")
	send(t, m, "enter")
	if !strings.Contains(m.status, "--demo") {
		t.Errorf("status %q", m.status)
	}
}
