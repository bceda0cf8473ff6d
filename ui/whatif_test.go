package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
	"github.com/ktraffic/ktraffic/ui/whatif"
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
	if !m.flow.active || !m.flow.wi.Open() || m.flow.wi.Comparison() == nil {
		t.Fatalf("w: active %v panel %v compared %v", m.flow.active, m.flow.wi.Open(), m.flow.wi.Comparison() != nil)
	}
	etp := func() string {
		v, _ := m.flow.wi.Edit().Override(model.KeyExternalTrafficPolicy)
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
	for range whatif.FirstDrillRow + 2 { // zone lost
		send(t, m, "j")
	}
	send(t, m, "k", "down")
	if out := plain(m.Render()); !strings.Contains(out, "▸ zone lost") {
		t.Fatalf("cursor not on zone lost:\n%s", out)
	}
	send(t, m, "l")
	if d, ok := m.flow.wi.Edit().Drill(model.DrillZoneDown); !ok || d.Target != "z1" {
		t.Fatalf("zone drill = %v %v", d, ok)
	}
	send(t, m, "up")
	send(t, m, "X")
	if !m.flow.wi.Edit().Empty() {
		t.Fatalf("X left %v", m.flow.wi.Edit().Words())
	}
	// w closes the panel and reopens it; esc closes it, then leaves the
	// what-if screen for the flow, not the list.
	send(t, m, "w")
	if m.flow.wi.Open() {
		t.Fatal("w did not close the panel")
	}
	send(t, m, "w", "esc")
	if m.flow.wi.Open() || !m.flow.active {
		t.Fatal("esc did not close only the panel")
	}
	send(t, m, "esc")
	if m.flow.active || m.Page() != "flow" {
		t.Fatalf("esc on the what-if screen: active %v page %s", m.flow.active, m.Page())
	}
	send(t, m, "esc")
	if m.Page() != "list" {
		t.Fatalf("esc on the flow went to %s", m.Page())
	}
}

func TestWhatIfEditSurvivesLeaving(t *testing.T) {
	m := whatIfModel(t, Options{}, 80, 24)
	send(t, m, "w", "l", "esc", "esc")
	if m.flow.active || m.flow.wi.Edit().Empty() {
		t.Fatal("the edit went with the screen")
	}
	if !strings.Contains(plain(m.Render()), "what-if") {
		t.Error("the header does not say a what-if is kept")
	}
	send(t, m, "w")
	if v, _ := m.flow.wi.Edit().Override(model.KeyExternalTrafficPolicy); v != "Local" {
		t.Errorf("reopened with %q", v)
	}
}

func TestWhatIfScrollKeys(t *testing.T) {
	m := whatIfModel(t, Options{}, 80, 24)
	send(t, m, "w", "l", "pgdown")
	if m.flow.pane.Offset() == 0 || m.flow.wi.Cursor() != 0 {
		t.Fatalf("pgdown with the panel open: offset %d cursor %d", m.flow.pane.Offset(), m.flow.wi.Cursor())
	}
	send(t, m, "pgup", "w")
	for _, s := range []struct {
		key    string
		offset int
	}{{"j", 1}, {"down", 2}, {"k", 1}, {"g", 0}, {"pgdown", 20}, {"pgup", 0}} {
		send(t, m, s.key)
		if m.flow.pane.Offset() != s.offset {
			t.Fatalf("after %q offset %d, want %d", s.key, m.flow.pane.Offset(), s.offset)
		}
	}
	send(t, m, "G")
	if m.flow.pane.Offset() == 0 || !strings.Contains(plain(m.Render()), "AFTER") {
		t.Errorf("G did not reach the flows:\n%s", plain(m.Render()))
	}
	// The source keys keep working, and the what-if follows the source.
	send(t, m, "s")
	if got := m.flow.wi.Comparison().Before.Source.String(); got != "nodeport" {
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
	if !m.flow.wi.Edit().Empty() {
		t.Errorf("refused change kept: %v", m.flow.wi.Edit().Words())
	}
	// The timeout needs ClientIP affinity: refused until it is set.
	send(t, m, "j", "j", "j", "l")
	if !strings.Contains(m.flow.wi.Refused(), "sessionAffinity is None") {
		t.Errorf("timeout without ClientIP: refused %q", m.flow.wi.Refused())
	}
	send(t, m, "k", "l", "j")
	if _, set := m.flow.wi.Edit().Override(model.KeySessionAffinityTimeoutSeconds); set || !strings.Contains(plain(m.Render()), "affinity timeout (s)   10800") {
		t.Errorf("ClientIP's default timeout not shown as a knock-on value:\n%s", plain(m.Render()))
	}
	send(t, m, "l")
	if m.flow.wi.Refused() != "" || strings.Join(m.flow.wi.Edit().Words(), " ") != "sessionAffinity=ClientIP sessionAffinityTimeoutSeconds=60" {
		t.Errorf("ClientIP then timeout: refused %q, edit %v", m.flow.wi.Refused(), m.flow.wi.Edit().Words())
	}
	// A drill that no longer fits (the node went away) is refused too.
	bad := m.flow.wi.Edit()
	if err := bad.SetDrill(model.DrillNodeDown, "node-z"); err != nil {
		t.Fatal(err)
	}
	drain(t, m, m.flow.wi.Propose(bad))
	if !strings.Contains(m.flow.wi.Refused(), `no node "node-z"`) || len(m.flow.wi.Edit().Drills) != 0 {
		t.Errorf("bad drill: refused %q, drills %v", m.flow.wi.Refused(), m.flow.wi.Edit().Drills)
	}
}

func TestWhatIfPatchSaysWhatIsNeverApplied(t *testing.T) {
	m := whatIfModel(t, Options{}, 120, 60)
	send(t, m, "w", "l")
	for range 5 {
		send(t, m, "j")
	}
	send(t, m, "l") // LB mode
	for range whatif.FirstDrillRow - 5 {
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
	if p := m.flow.wi.Comparison().Patch; strings.Contains(p, "lbMode") || strings.Contains(p, "drill") {
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
		// The panel's window on the drills, and the cordon explained.
		{"cordon", Options{}, []string{"w", "j", "j", "j", "j", "j", "j", "j", "j", "l"}},
		{"read-only", Options{ReadOnly: "--read-only"}, []string{"w", "l"}},
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
	for _, want := range []string{"w what-if", "a apply", "x reset row", "X reset what-if", "y yes, apply", "f take fields over",
		"n from node", "/ pick a value by name"} {
		if !strings.Contains(spaces(out), want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}

func spaces(s string) string { return strings.Join(strings.Fields(s), " ") }
