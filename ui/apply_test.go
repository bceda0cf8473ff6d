package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
	"github.com/ktraffic/ktraffic/ui/whatif"
)

// fakeApplier records the calls the dialog makes, in order, and answers
// with the errors a test sets.
type fakeApplier struct {
	mu       sync.Mutex
	calls    []string
	checkErr error
	dryErr   func(force bool) error
	applyErr error
	// applyHook runs inside Apply, with its context; a non-nil error is
	// Apply's answer.
	applyHook func(ctx context.Context) error
	// confirmed records the patch each Apply was told to send.
	confirmed []string
	// dry, when set, is the dry run's answer.
	dry *apply.Result
}

func (f *fakeApplier) record(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
}

func (f *fakeApplier) Calls() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.calls, " ")
}

func (f *fakeApplier) Check(_ context.Context, svc string) error {
	f.record("check " + svc)
	return f.checkErr
}

func (f *fakeApplier) DryRun(_ context.Context, svc string, o model.Overrides, force bool) (apply.Result, error) {
	f.record(fmt.Sprintf("dry-run %s force=%v", strings.Join(o.Pairs(), ","), force))
	if f.dryErr != nil {
		if err := f.dryErr(force); err != nil {
			return apply.Result{}, err
		}
	}
	if f.dry != nil {
		return *f.dry, nil
	}
	return apply.Result{Patch: "spec:\n  externalTrafficPolicy: Local\n", Changes: []string{"spec.externalTrafficPolicy: Cluster → Local"},
		Effects: []string{"healthCheckNodePort 31234 allocated"}}, nil
}

func (f *fakeApplier) Apply(ctx context.Context, svc string, o model.Overrides, force bool, confirmed apply.Result) (apply.Result, error) {
	f.record(fmt.Sprintf("apply %s force=%v", strings.Join(o.Pairs(), ","), force))
	f.mu.Lock()
	f.confirmed = append(f.confirmed, confirmed.Patch)
	f.mu.Unlock()
	if f.applyHook != nil {
		if err := f.applyHook(ctx); err != nil {
			return apply.Result{}, err
		}
	}
	if f.applyErr != nil {
		return apply.Result{}, f.applyErr
	}
	return apply.Result{Changes: []string{"spec.externalTrafficPolicy: Cluster → Local"},
		Effects: []string{"healthCheckNodePort 31234 allocated"}}, nil
}

// editedWithApplier is kiada-cluster switched to Local in the panel,
// with the panel closed, ready for "a".
func editedWithApplier(t *testing.T, ap *fakeApplier, opts Options) *Model {
	t.Helper()
	if ap != nil {
		opts.Applier = ap
	}
	m := whatIfModel(t, opts, 100, 40)
	send(t, m, "w", "l", "w")
	return m
}

const etpLocal = "externalTrafficPolicy=Local"

func TestApplyDryRunThenConfirm(t *testing.T) {
	ap := &fakeApplier{}
	m := editedWithApplier(t, ap, Options{})
	send(t, m, "a")
	if got := ap.Calls(); got != "check default/kiada-cluster dry-run "+etpLocal+" force=false" {
		t.Fatalf("calls before confirming: %q", got)
	}
	out := plain(m.Render())
	for _, want := range []string{"dry run: the API server accepts", "would: healthCheckNodePort 31234 allocated",
		"externalTrafficPolicy: Local", "Apply to default/kiada-cluster?"} {
		if !strings.Contains(out, want) {
			t.Errorf("dialog lacks %q:\n%s", want, out)
		}
	}
	// Keys that are not an answer change nothing; y applies.
	send(t, m, "j", "a", "w")
	if strings.Contains(ap.Calls(), "apply ") {
		t.Fatal("applied without a yes")
	}
	send(t, m, "y")
	if !strings.HasSuffix(ap.Calls(), "apply "+etpLocal+" force=false") {
		t.Fatalf("y: calls %q", ap.Calls())
	}
	if out := plain(m.Render()); !strings.Contains(out, "applied to default/kiada-cluster") {
		t.Errorf("no outcome:\n%s", out)
	}
	send(t, m, "esc")
	if m.flow.dialog.Open() || !m.flow.wi.Awaiting() {
		t.Error("closing the outcome did not start waiting for the change")
	}
}

func TestApplyDeclineSendsNothing(t *testing.T) {
	for _, no := range []string{"n", "N", "esc", "enter"} {
		ap := &fakeApplier{}
		m := editedWithApplier(t, ap, Options{})
		send(t, m, "a", no)
		if strings.Contains(ap.Calls(), "apply ") || m.flow.dialog.Open() {
			t.Errorf("%s: calls %q, dialog open %v", no, ap.Calls(), m.flow.dialog.Open())
		}
		if m.flow.wi.Edit().Empty() {
			t.Errorf("%s: declining dropped the edit", no)
		}
	}
}

func TestApplyRefusedWithoutACluster(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"read-only", Options{ReadOnly: "--read-only is set"}, "Read-only: nothing is applied (--read-only is set)"},
		{"demo", Options{Source: "demo:kiada"}, "Nothing to apply to: the data comes from demo:kiada, not a cluster"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ap := &fakeApplier{}
			var m *Model
			if c.name == "read-only" {
				m = editedWithApplier(t, ap, c.opts)
			} else {
				m = editedWithApplier(t, nil, c.opts)
			}
			send(t, m, "a")
			if got := ap.Calls(); got != "" {
				t.Errorf("calls under %s: %q", c.name, got)
			}
			if m.flow.dialog.Open() {
				t.Error("dialog opened")
			}
			if out := plain(m.Render()); !strings.Contains(out, c.want) {
				t.Errorf("missing %q:\n%s", c.want, out)
			}
		})
	}
	// Only Service fields can be applied.
	ap := &fakeApplier{}
	m := whatIfModel(t, Options{Applier: ap}, 100, 40)
	send(t, m, "w")
	for range whatif.FirstDrillRow {
		send(t, m, "j")
	}
	send(t, m, "l", "a")
	if ap.Calls() != "" || !strings.Contains(plain(m.Render()), "changes no Service field") {
		t.Errorf("drill-only apply: calls %q\n%s", ap.Calls(), plain(m.Render()))
	}
}

func TestApplyForbiddenStopsBeforeTheDryRun(t *testing.T) {
	ap := &fakeApplier{checkErr: errors.New("you may not patch Service default/kiada-cluster: applying needs get and patch")}
	m := editedWithApplier(t, ap, Options{})
	send(t, m, "a")
	if got := ap.Calls(); got != "check default/kiada-cluster" {
		t.Fatalf("calls %q", got)
	}
	if out := plain(m.Render()); !strings.Contains(out, "you may not patch Service") {
		t.Errorf("denial not explained:\n%s", out)
	}
	send(t, m, "esc")
	if m.flow.wi.Edit().Empty() {
		t.Error("edit lost")
	}
}

func TestApplyFailureKeepsTheEdit(t *testing.T) {
	ap := &fakeApplier{applyErr: errors.New(`apply of Service default/kiada-cluster failed: not found`)}
	m := editedWithApplier(t, ap, Options{})
	send(t, m, "a", "y")
	if out := plain(m.Render()); !strings.Contains(out, "failed: not found") || !strings.Contains(out, "The what-if is kept") {
		t.Errorf("failure not shown:\n%s", out)
	}
	send(t, m, "esc")
	if v, _ := m.flow.wi.Edit().Override(model.KeyExternalTrafficPolicy); v != "Local" || m.flow.wi.Awaiting() {
		t.Errorf("after a failed apply: override %q, awaiting %v", v, m.flow.wi.Awaiting())
	}
	// The dry run can fail too (validation): nothing is applied.
	ap = &fakeApplier{dryErr: func(bool) error {
		return errors.New("the API server refuses the change: spec.externalTrafficPolicy: Invalid value")
	}}
	m = editedWithApplier(t, ap, Options{})
	send(t, m, "a", "y")
	if strings.Contains(ap.Calls(), "apply ") {
		t.Fatal("applied after a failed dry run")
	}
	if !strings.Contains(plain(m.Render()), "refuses the change") {
		t.Errorf("validation error not shown:\n%s", plain(m.Render()))
	}
}

func TestApplyConflictNeedsExplicitForce(t *testing.T) {
	conflict := &apply.ConflictError{Fields: map[string][]string{".spec.externalTrafficPolicy": {"helm (Update)"}},
		Err: errors.New(`conflict: spec.externalTrafficPolicy is managed by "helm"`)}
	ap := &fakeApplier{dryErr: func(force bool) error {
		if force {
			return nil
		}
		return conflict
	}}
	m := editedWithApplier(t, ap, Options{})
	send(t, m, "a")
	out := plain(m.Render())
	if !strings.Contains(out, "spec.externalTrafficPolicy is managed by helm (Update)") {
		t.Errorf("managers not shown:\n%s", out)
	}
	send(t, m, "y") // not an answer to a conflict
	if strings.Contains(ap.Calls(), "apply ") || strings.Contains(ap.Calls(), "force=true") {
		t.Fatalf("y forced or applied: %q", ap.Calls())
	}
	send(t, m, "f")
	if !strings.HasSuffix(ap.Calls(), "dry-run "+etpLocal+" force=true") {
		t.Fatalf("f: calls %q", ap.Calls())
	}
	if !strings.Contains(plain(m.Render()), "force: fields other managers hold are taken over") {
		t.Errorf("force not said:\n%s", plain(m.Render()))
	}
	send(t, m, "y")
	if !strings.HasSuffix(ap.Calls(), "apply "+etpLocal+" force=true") {
		t.Errorf("calls %q", ap.Calls())
	}
}

func TestApplyDialogScreens(t *testing.T) {
	conflict := &apply.ConflictError{Fields: map[string][]string{".spec.externalTrafficPolicy": {"helm (Update)"}},
		Err: errors.New("conflict")}
	cases := []struct {
		name string
		ap   *fakeApplier
		keys []string
	}{
		{"confirm", &fakeApplier{}, []string{"a"}},
		{"conflict", &fakeApplier{dryErr: func(bool) error { return conflict }}, []string{"a"}},
		{"done", &fakeApplier{}, []string{"a", "y"}},
		{"long-patch", &fakeApplier{dry: &apply.Result{Patch: longPatch, Effects: []string{longEffect}}}, []string{"a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := whatIfModel(t, Options{Applier: c.ap}, 80, 24)
			send(t, m, "w", "l", "w")
			send(t, m, c.keys...)
			out := m.Render()
			checkFrame(t, out, 80, 24)
			golden.RequireEqual(t, plain(out))
		})
	}
}

// TestLiveUpdateRebasesTheEdit sends new snapshots while the user edits:
// the edit survives, a change to the Service itself is named, and an
// applied change arriving is said and leaves the what-if.
func TestLiveUpdateRebasesTheEdit(t *testing.T) {
	ap := &fakeApplier{}
	m := editedWithApplier(t, ap, Options{})
	send(t, m, "w", "j") // panel open on internalTrafficPolicy
	update := func(change func(*model.Service)) {
		t.Helper()
		snap := uitest.KiadaPair()
		for i := range snap.Services {
			if snap.Services[i].Key() == "default/kiada-cluster" {
				change(&snap.Services[i])
			}
		}
		drain(t, m, m.setSnapshot(snap))
	}
	// Something else changes: the edit stays, nothing is said.
	update(func(s *model.Service) { s.Annotations = map[string]string{"x": "y"} })
	if v, _ := m.flow.wi.Edit().Override(model.KeyExternalTrafficPolicy); v != "Local" || len(m.flow.wi.Notes()) != 0 {
		t.Fatalf("unrelated update: override %q notes %v", v, m.flow.wi.Notes())
	}
	if !m.flow.wi.Open() || m.flow.wi.Cursor() != 1 {
		t.Error("the panel lost its place")
	}
	// The Service's own setting changes underneath.
	update(func(s *model.Service) { s.InternalTrafficPolicy = "Local" })
	out := plain(m.Render())
	if !strings.Contains(out, "The Service changed underneath: internalTrafficPolicy Cluster → Local") {
		t.Errorf("base change not said:\n%s", out)
	}
	if v, _ := m.flow.wi.Edit().Override(model.KeyExternalTrafficPolicy); v != "Local" {
		t.Error("edit lost on a base change")
	}
	if got := m.flow.wi.Comparison().Before.Settings.InternalTrafficPolicy; got != "Local" {
		t.Errorf("before side not rebased: internalTrafficPolicy %s", got)
	}
	// Apply, then the change arrives.
	send(t, m, "esc", "a", "y", "esc")
	update(func(s *model.Service) {
		s.InternalTrafficPolicy = "Local"
		s.ExternalTrafficPolicy, s.HealthCheckNodePort = "Local", 31234
	})
	out = plain(m.Render())
	if !strings.Contains(out, "Your change arrived: externalTrafficPolicy Cluster → Local, healthCheckNodePort 31234 allocated") {
		t.Errorf("arrival not said:\n%s", out)
	}
	if !m.flow.wi.Edit().Empty() {
		t.Errorf("applied override still a what-if: %v", m.flow.wi.Edit().Words())
	}
}

// longEffect and longPatch are what a dry run of several fields on a
// live cluster answers: more than an 80×24 dialog holds.
const (
	longEffect = "healthCheckNodePort 31234 allocated: load balancers probe it on every node, and only nodes with a ready local pod answer 200"
	longPatch  = "apiVersion: v1\nkind: Service\nmetadata:\n  name: kiada-cluster\n  namespace: default\nspec:\n" +
		"  externalTrafficPolicy: Local\n  internalTrafficPolicy: Local\n  sessionAffinity: ClientIP\n" +
		"  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 600\n  trafficDistribution: PreferClose\n" +
		"  field: value\n  field: value\n  field: value\n"
)

// TestApplyDialogFits: at 80×24 a long patch and a long effect neither
// push the question off the screen nor get cut at the edge: the effect
// wraps, and the patch gives up its head, saying so.
func TestApplyDialogFits(t *testing.T) {
	long := longEffect
	ap := &fakeApplier{dry: &apply.Result{Patch: longPatch, Effects: []string{long}}}
	m := whatIfModel(t, Options{Applier: ap}, 80, 24)
	send(t, m, "w", "l", "w", "a")
	out := plain(m.Render())
	checkFrame(t, m.Render(), 80, 24)
	if !strings.Contains(out, "Apply to default/kiada-cluster? y yes, apply") {
		t.Errorf("the question is off the screen:\n%s", out)
	}
	if !strings.Contains(spaces(out), "would: "+long) {
		t.Errorf("the effect is cut:\n%s", out)
	}
	if !strings.Contains(out, "lines above (the what-if screen shows the whole patch)") || strings.Contains(out, "apiVersion: v1") ||
		!strings.Contains(out, "trafficDistribution: PreferClose") {
		t.Errorf("the patch is not shortened, or not said to be:\n%s", out)
	}
	if strings.Count(out, "…") != 1 {
		t.Errorf("a line is cut:\n%s", out)
	}
}
