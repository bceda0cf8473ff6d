package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

// fakePreview stands in for k8s.NewPatch: the ui only shows the text.
func fakePreview(svc *model.Service, o model.Overrides) (string, error) {
	return "spec:\n  " + strings.Join(o.Pairs(), "\n  ") + "\n", nil
}

func whatIfModel(t *testing.T, opts Options, w, h int) *Model {
	t.Helper()
	if opts.Snapshot == nil {
		opts.Snapshot = uitest.KiadaPair()
	}
	if opts.Service == "" {
		opts.Service = "default/kiada-cluster"
	}
	if opts.PatchPreview == nil {
		opts.PatchPreview = fakePreview
	}
	return newTestModel(t, opts, w, h)
}

func TestWhatIfPanelKeys(t *testing.T) {
	m := whatIfModel(t, Options{Source: "demo:kiada"}, 80, 24)
	send(t, m, "w")
	if !m.flow.wi.active || !m.flow.wi.panelOpen || m.flow.wi.cmp == nil {
		t.Fatalf("w: active %v panel %v compared %v", m.flow.wi.active, m.flow.wi.panelOpen, m.flow.wi.cmp != nil)
	}
	etp := func() string {
		v, _ := m.flow.wi.ed.override(model.KeyExternalTrafficPolicy)
		return v
	}
	steps := []struct {
		key  string
		want string // externalTrafficPolicy override after the key
	}{
		{"l", "Local"}, {"l", ""}, {"right", "Local"}, {"h", ""}, {"left", "Local"}, {"x", ""},
		{"enter", "Local"}, {"space", ""}, {"space", "Local"},
	}
	for _, s := range steps {
		send(t, m, s.key)
		if got := etp(); got != s.want {
			t.Fatalf("after %q externalTrafficPolicy override = %q, want %q", s.key, got, s.want)
		}
	}
	// j/k and the arrows move between rows; a drill row changes drills.
	for range firstDrillRow + 2 { // zone lost
		send(t, m, "j")
	}
	send(t, m, "k", "down")
	if r := panelRows[m.flow.wi.cursor]; r.drill != model.DrillZoneDown {
		t.Fatalf("cursor on %q, want zone lost", r.label)
	}
	send(t, m, "l")
	if d, ok := m.flow.wi.ed.drill(model.DrillZoneDown); !ok || d.Target != "z1" {
		t.Fatalf("zone drill = %v %v", d, ok)
	}
	send(t, m, "up")
	send(t, m, "X")
	if !m.flow.wi.ed.empty() {
		t.Fatalf("X left %v", m.flow.wi.ed.words())
	}
	// w closes the panel and reopens it; esc closes it, then leaves the
	// what-if screen for the flow, not the list.
	send(t, m, "w")
	if m.flow.wi.panelOpen {
		t.Fatal("w did not close the panel")
	}
	send(t, m, "w", "esc")
	if m.flow.wi.panelOpen || !m.flow.wi.active {
		t.Fatal("esc did not close only the panel")
	}
	send(t, m, "esc")
	if m.flow.wi.active || m.Page() != "flow" {
		t.Fatalf("esc on the what-if screen: active %v page %s", m.flow.wi.active, m.Page())
	}
	send(t, m, "esc")
	if m.Page() != "list" {
		t.Fatalf("esc on the flow went to %s", m.Page())
	}
}

func TestWhatIfEditSurvivesLeaving(t *testing.T) {
	m := whatIfModel(t, Options{}, 80, 24)
	send(t, m, "w", "l", "esc", "esc")
	if m.flow.wi.active || m.flow.wi.ed.empty() {
		t.Fatal("the edit went with the screen")
	}
	if !strings.Contains(plain(m.Render()), "what-if") {
		t.Error("the header does not say a what-if is kept")
	}
	send(t, m, "w")
	if v, _ := m.flow.wi.ed.override(model.KeyExternalTrafficPolicy); v != "Local" {
		t.Errorf("reopened with %q", v)
	}
}

func TestWhatIfScrollKeys(t *testing.T) {
	m := whatIfModel(t, Options{}, 80, 24)
	send(t, m, "w", "l", "pgdown")
	if m.flow.wi.offset == 0 || m.flow.wi.cursor != 0 {
		t.Fatalf("pgdown with the panel open: offset %d cursor %d", m.flow.wi.offset, m.flow.wi.cursor)
	}
	send(t, m, "pgup", "w")
	for _, s := range []struct {
		key    string
		offset int
	}{{"j", 1}, {"down", 2}, {"k", 1}, {"g", 0}, {"pgdown", 21}, {"pgup", 0}} {
		send(t, m, s.key)
		if m.flow.wi.offset != s.offset {
			t.Fatalf("after %q offset %d, want %d", s.key, m.flow.wi.offset, s.offset)
		}
	}
	send(t, m, "G")
	if m.flow.wi.offset == 0 || !strings.Contains(plain(m.Render()), "AFTER") {
		t.Errorf("G did not reach the flows:\n%s", plain(m.Render()))
	}
	// The source keys keep working, and the what-if follows the source.
	send(t, m, "s")
	if got := m.flow.wi.cmp.before.Source.String(); got != "nodeport" {
		t.Errorf("before/after from %s after s, want nodeport", got)
	}
}

// TestWhatIfRefusals: a combination the API server would refuse is
// refused in the panel with the model's sentence, and the edit stays.
func TestWhatIfRefusals(t *testing.T) {
	snap := uitest.Build(uitest.Spec{Name: "web", Type: "ClusterIP", Zones: []string{"z1"}, Nodes: 2, Pods: []int{1}})
	m := whatIfModel(t, Options{Snapshot: snap, Service: "default/web"}, 80, 24)
	send(t, m, "w", "l")
	out := plain(m.Render())
	if !strings.Contains(out, "cannot set externalTrafficPolicy on ClusterIP Service default/web") {
		t.Errorf("no refusal shown:\n%s", out)
	}
	if !m.flow.wi.ed.empty() {
		t.Errorf("refused change kept: %v", m.flow.wi.ed.words())
	}
	// The timeout needs ClientIP affinity: refused until it is set.
	send(t, m, "j", "j", "j", "l")
	if !strings.Contains(m.flow.wi.refused, "sessionAffinity is None") {
		t.Errorf("timeout without ClientIP: refused %q", m.flow.wi.refused)
	}
	send(t, m, "k", "l", "j")
	if v, _ := panelRows[3].value(m.flow.wi.ed, m.flow.wi.cmp.before.Settings); v != "" || !strings.Contains(plain(m.Render()), "affinity timeout (s)   10800") {
		t.Errorf("ClientIP's default timeout not shown as a knock-on value:\n%s", plain(m.Render()))
	}
	send(t, m, "l")
	if m.flow.wi.refused != "" || strings.Join(m.flow.wi.ed.words(), " ") != "sessionAffinity=ClientIP sessionAffinityTimeoutSeconds=60" {
		t.Errorf("ClientIP then timeout: refused %q, edit %v", m.flow.wi.refused, m.flow.wi.ed.words())
	}
	// A drill that no longer fits (the node went away) is refused too.
	r := panelRows[firstDrillRow]
	bad, err := r.set(m.flow.wi.ed, model.Settings{}, "node-z")
	if err != nil {
		t.Fatal(err)
	}
	drain(t, m, m.flow.compare(bad, true))
	if !strings.Contains(m.flow.wi.refused, `no node "node-z"`) || len(m.flow.wi.ed.drills) != 0 {
		t.Errorf("bad drill: refused %q, drills %v", m.flow.wi.refused, m.flow.wi.ed.drills)
	}
}

func TestWhatIfPatchSaysWhatIsNeverApplied(t *testing.T) {
	m := whatIfModel(t, Options{}, 120, 60)
	send(t, m, "w", "l")
	for range 5 {
		send(t, m, "j")
	}
	send(t, m, "l") // LB mode
	for range firstDrillRow - 5 {
		send(t, m, "j")
	}
	send(t, m, "l") // node down
	send(t, m, "w", "G")
	out := plain(m.Render())
	for _, want := range []string{"externalTrafficPolicy=Local", "Not in the patch, never applied: lbMode (how the load balancer spreads, not a Service field), drills"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q:\n%s", want, out)
		}
	}
	if p := m.flow.wi.cmp.patch; strings.Contains(p, "lbMode") || strings.Contains(p, "drill") {
		t.Errorf("patch carries what is never applied: %q", p)
	}
}

func TestWhatIfScreens(t *testing.T) {
	zones := uitest.Build(uitest.Spec{Name: "checkout", Type: "ClusterIP", Zones: []string{"z1", "z2", "z3"}, Nodes: 3, Pods: []int{2}})
	screens := []struct {
		name string
		opts Options
		keys []string
	}{
		{"panel", Options{}, []string{"w", "l"}},
		{"cluster-to-local", Options{}, []string{"w", "l", "w"}},
		{"zone-down", Options{Snapshot: zones, Service: "default/checkout"},
			[]string{"w", "k", "k", "k", "l", "l", "l", "w"}},
	}
	for _, sc := range screens {
		for _, sz := range [][2]int{{80, 24}, {250, 70}} {
			t.Run(sc.name+"/"+sizeName(sz), func(t *testing.T) {
				m := whatIfModel(t, sc.opts, sz[0], sz[1])
				send(t, m, sc.keys...)
				out := m.Render()
				checkFrame(t, out, sz[0], sz[1])
				golden.RequireEqual(t, plain(out))
			})
		}
	}
}

func sizeName(sz [2]int) string { return fmt.Sprintf("%dx%d", sz[0], sz[1]) }

func TestHelpListsWhatIfKeys(t *testing.T) {
	m := whatIfModel(t, Options{}, 80, 30)
	send(t, m, "?")
	out := plain(m.Render())
	for _, want := range []string{"w what-if", "a apply", "x reset row", "X reset what-if", "y yes, apply", "f take fields over"} {
		if !strings.Contains(spaces(out), want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}

func spaces(s string) string { return strings.Join(strings.Fields(s), " ") }
