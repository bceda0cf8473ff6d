package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/apply"
)

// TestApplySendsOnlyTheConfirmedPatch: the apply is told which patch was
// confirmed; when the Service moved on and the Applier answers that the
// patch changed, nothing is applied until the user confirms the new one.
func TestApplySendsOnlyTheConfirmedPatch(t *testing.T) {
	changed := apply.Result{Patch: "spec:\n  internalTrafficPolicy: Local\n", Changes: []string{"spec.internalTrafficPolicy: Cluster → Local"}}
	first := true
	ap := &fakeApplier{applyHook: func(context.Context) error {
		if first {
			first = false
			return &apply.PatchChangedError{DryRun: changed}
		}
		return nil
	}}
	m := editedWithApplier(t, ap, Options{})
	send(t, m, "a", "y")
	out := plain(m.Render())
	if !strings.Contains(out, "The Service changed since you confirmed") || !strings.Contains(out, "internalTrafficPolicy: Local") || !strings.Contains(out, "Apply to default/kiada-cluster?") {
		t.Fatalf("the new patch is not put to the user:\n%s", out)
	}
	if !m.flow.dialog.Confirming() {
		t.Fatal("not asking again to confirm")
	}
	send(t, m, "y")
	if len(ap.confirmed) != 2 || ap.confirmed[0] != "spec:\n  externalTrafficPolicy: Local\n" || ap.confirmed[1] != changed.Patch {
		t.Errorf("patches confirmed to the Applier: %q", ap.confirmed)
	}
	if out := plain(m.Render()); !strings.Contains(out, "applied to default/kiada-cluster") {
		t.Errorf("no outcome after the second yes:\n%s", out)
	}
}

// TestApplyOfUnknownOutcome: an apply without a clear answer is never
// called "not applied": the dialog says the outcome is unknown and what
// was read back, and a read-back that shows the change counts as applied.
func TestApplyOfUnknownOutcome(t *testing.T) {
	readBack := errors.New("the apply of Service default/kiada-cluster got no answer within 30s, so whether it reached the API server is unknown; read back at 12:00:31, the Service does not have the change")
	ap := &fakeApplier{applyErr: &apply.OutcomeUnknownError{Err: readBack}}
	m := editedWithApplier(t, ap, Options{})
	send(t, m, "a", "y")
	if out := plain(m.Render()); !strings.Contains(out, "outcome unknown: the apply of Service") || strings.Contains(out, "Not applied") {
		t.Errorf("unknown outcome not said plainly:\n%s", out)
	}
	send(t, m, "esc")
	if out := plain(m.Render()); !strings.Contains(out, "Outcome unknown: the apply of Service") || m.flow.wi.Awaiting() {
		t.Errorf("after closing: awaiting %v\n%s", m.flow.wi.Awaiting(), out)
	}

	landed := &apply.OutcomeUnknownError{Err: errors.New("the apply … got no answer within 30s …; read back at 12:00:31, the Service has the change"), Landed: true,
		Result: apply.Result{Changes: []string{"spec.externalTrafficPolicy: Cluster → Local"}}}
	ap = &fakeApplier{applyErr: landed}
	m = editedWithApplier(t, ap, Options{})
	send(t, m, "a", "y")
	if out := plain(m.Render()); !strings.Contains(out, "the Service has the change") || !strings.Contains(out, "applied to default/kiada-cluster") {
		t.Errorf("a landed change is not shown as applied:\n%s", out)
	}
	send(t, m, "esc")
	if !m.flow.wi.Awaiting() {
		t.Error("a landed change is not awaited in the live view")
	}
}

// TestQuitWhileApplyingWaitsForTheOutcome: ctrl+c while the PATCH is in
// flight cancels it and quits once the Applier has said what is there,
// leaving that as the exit note; a second ctrl+c quits at once.
func TestQuitWhileApplyingWaitsForTheOutcome(t *testing.T) {
	cancelled := make(chan struct{})
	ap := &fakeApplier{applyHook: func(ctx context.Context) error {
		select {
		case <-ctx.Done():
			close(cancelled)
			return &apply.OutcomeUnknownError{Err: errors.New("the apply of Service default/kiada-cluster was interrupted while in flight, so whether it reached the API server is unknown; read back at 12:00:03, the Service does not have the change")}
		case <-time.After(5 * time.Second):
			return errors.New("never cancelled")
		}
	}}
	m := editedWithApplier(t, ap, Options{})
	send(t, m, "a")
	_, applyCmd := m.Update(press("y"))
	if !m.flow.dialog.Writing() {
		t.Fatal("not applying")
	}
	if cmd := m.handleKey(press("ctrl+c")); cmd != nil || m.Quitting() {
		t.Fatal("quit at once while the PATCH was in flight")
	}
	if !strings.Contains(plain(m.Render()), "Quitting once the apply's outcome is known") {
		t.Errorf("no word on why it waits:\n%s", plain(m.Render()))
	}
	msg := run(applyCmd)
	select {
	case <-cancelled:
	default:
		t.Fatal("the request in flight was not cancelled")
	}
	_, cmd := m.Update(msg)
	if _, ok := run(cmd).(tea.QuitMsg); !ok || !m.Quitting() {
		t.Fatal("did not quit once the outcome was known")
	}
	if note := m.ExitNote(); !strings.Contains(note, "was interrupted while in flight") || !strings.Contains(note, "does not have the change") {
		t.Errorf("exit note %q", note)
	}

	// A second ctrl+c does not wait.
	ap = &fakeApplier{applyHook: func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }}
	m = editedWithApplier(t, ap, Options{})
	send(t, m, "a")
	m.Update(press("y"))
	m.handleKey(press("ctrl+c"))
	if cmd := m.handleKey(press("ctrl+c")); cmd == nil || !m.Quitting() {
		t.Fatal("a second ctrl+c did not quit")
	}
	if note := m.ExitNote(); !strings.Contains(note, "its outcome is unknown; check it with kubectl get service kiada-cluster -n default -o yaml") {
		t.Errorf("exit note %q", note)
	}
}
