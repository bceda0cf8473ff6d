package ui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
)

// Applier writes a what-if's Service fields to the cluster. The caller
// implements it over its API client; the ui only sequences the calls,
// each in a tea.Cmd so the screen never waits on the network.
type Applier interface {
	// Check asks whether the user may change the Service
	// ("namespace/name"), and explains a denial.
	Check(ctx context.Context, service string) error
	// DryRun sends the change with dryRun=All against the live Service.
	DryRun(ctx context.Context, service string, o model.Overrides, force bool) (ApplyResult, error)
	// Apply sends for real exactly the patch the dry run checked and the
	// user confirmed (confirmed, the DryRun result). When the live Service
	// has moved on so that the patch would now be different, it sends
	// nothing and returns a *PatchChangedError with the new patch's dry
	// run, for the user to confirm again. A write whose outcome is
	// unknown is an *OutcomeUnknownError.
	Apply(ctx context.Context, service string, o model.Overrides, force bool, confirmed ApplyResult) (ApplyResult, error)
}

// PatchChangedError says the Service changed between the dry run and the
// apply, so the confirmed patch is no longer the one to send. DryRun is
// the new patch, already dry-run.
type PatchChangedError struct{ DryRun ApplyResult }

func (e *PatchChangedError) Error() string {
	return "the Service changed since the dry run, so the patch would differ from the one confirmed; nothing was sent"
}

// OutcomeUnknownError is an apply that may or may not have reached the
// API server (no answer in time, interrupted in flight). Err says so and
// what reading the Service back found; Landed is set when it shows every
// change, and Result then describes it.
type OutcomeUnknownError struct {
	Err    error
	Landed bool
	Result ApplyResult
}

func (e *OutcomeUnknownError) Error() string { return e.Err.Error() }
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// ApplyResult is what the API server said to a dry run or an apply.
type ApplyResult struct {
	// Patch is the YAML sent, built against the live Service.
	Patch string
	// Changes are "spec.field: from → to", one per changed field.
	Changes []string
	// Effects are what the server did beyond the fields asked for, e.g. a
	// healthCheckNodePort allocated.
	Effects []string
	// Nothing is set when the live Service already has the settings.
	Nothing bool
}

// ConflictError is a field-manager conflict: fields the change touches
// that other managers (kubectl, Helm, Argo CD) hold. An Applier returns
// it so the dialog can name them and offer force.
type ConflictError struct {
	// Fields maps a field path to the managers holding it.
	Fields map[string][]string
	Err    error
}

func (e *ConflictError) Error() string { return e.Err.Error() }
func (e *ConflictError) Unwrap() error { return e.Err }

// clusterTimeout bounds one step of the dialog, so it cannot wait forever
// on an API server that stopped answering. It is a backstop: the Applier
// gives each API call its own, shorter deadline, and reads the Service
// back after a write of unknown outcome, which this must leave room for.
const clusterTimeout = 90 * time.Second

type applyStep int

const (
	applyClosed applyStep = iota
	applyChecking
	applyDryRunning
	applyConfirm // dry run passed: waiting for y or n
	applyConflict
	applyApplying
	applyFailed
	applyUnknown // the apply's outcome is not known: err says what was read back
	applyDone
)

// applyMsg is one cluster call's answer, tagged with the dialog it
// belongs to so an answer for a dialog the user closed is dropped.
type applyMsg struct {
	seq    int
	step   applyStep // the step that made the call
	result ApplyResult
	err    error
}

// applyDialog is the apply flow: RBAC check, dry run, confirmation,
// apply. It holds the overrides being applied; the edit itself stays in
// the panel, so nothing is lost whatever happens here.
type applyDialog struct {
	step    applyStep
	seq     int
	service string
	o       model.Overrides
	force   bool
	checked bool // the RBAC check passed
	dry     ApplyResult
	done    ApplyResult
	err     error
	// conflict names the managers when the server reports one.
	conflict *ConflictError
	// changed is set when the Service moved on after a confirmation and
	// dry shows the new patch, to be confirmed again.
	changed bool
	// unknown is what the read-back said when an apply without a clear
	// answer turned out to have landed.
	unknown string
	// cancel ends the call in flight (the user quit while applying).
	cancel context.CancelFunc
}

func (d *applyDialog) open() bool { return d.step != applyClosed }

func (d *applyDialog) start(ap Applier, service string, o model.Overrides) tea.Cmd {
	d.seq++
	*d = applyDialog{seq: d.seq, step: applyChecking, service: service, o: o}
	seq := d.seq
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
		defer cancel()
		return applyMsg{seq: seq, step: applyChecking, err: ap.Check(ctx, service)}
	}
}

func (d *applyDialog) call(ap Applier, step applyStep) tea.Cmd {
	d.step = step
	seq, svc, o, force, confirmed := d.seq, d.service, d.o, d.force, d.dry
	ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
	d.cancel = cancel
	return func() tea.Msg {
		defer cancel()
		var r ApplyResult
		var err error
		if step == applyDryRunning {
			r, err = ap.DryRun(ctx, svc, o, force)
		} else {
			r, err = ap.Apply(ctx, svc, o, force, confirmed)
		}
		return applyMsg{seq: seq, step: step, result: r, err: err}
	}
}

// writing reports whether a real apply is in flight.
func (d *applyDialog) writing() bool { return d.step == applyApplying }

// interrupt cancels the call in flight; its answer still arrives, with
// what the Applier read back.
func (d *applyDialog) interrupt() {
	if d.cancel != nil {
		d.cancel()
	}
}

// outcome is the dialog's last answer in one line, for a user who quit
// while it was on its way.
func (d *applyDialog) outcome() string {
	switch d.step {
	case applyDone:
		if d.done.Nothing {
			return "nothing to apply to " + d.service + ": it already has these settings"
		}
		if d.unknown != "" {
			return d.unknown
		}
		return "applied to " + d.service + ": " + joinWords(d.done.Changes)
	case applyUnknown:
		return d.err.Error()
	case applyFailed, applyConflict:
		return "not applied to " + d.service + ": " + d.err.Error()
	case applyConfirm:
		return "not applied to " + d.service + ": " + (&PatchChangedError{}).Error()
	}
	return ""
}

// answer moves the flow on with a cluster call's result.
func (d *applyDialog) answer(ap Applier, msg applyMsg) tea.Cmd {
	if msg.seq != d.seq || msg.step != d.step {
		return nil
	}
	var changed *PatchChangedError
	var unknown *OutcomeUnknownError
	switch {
	case errors.As(msg.err, &changed):
		// Nothing was sent: show the new patch and ask again.
		d.dry, d.changed = changed.DryRun, true
		d.step = applyConfirm
		if changed.DryRun.Nothing {
			d.done, d.step = changed.DryRun, applyDone
		}
		return nil
	case errors.As(msg.err, &unknown) && unknown.Landed:
		d.done, d.unknown, d.step = unknown.Result, unknown.Error(), applyDone
		return nil
	case unknown != nil:
		d.err, d.step = msg.err, applyUnknown
		return nil
	case msg.err != nil:
		d.err = msg.err
		d.step = applyFailed
		var c *ConflictError
		if errors.As(msg.err, &c) && !d.force {
			d.conflict = c
			d.step = applyConflict
		}
		return nil
	}
	switch msg.step {
	case applyChecking:
		d.checked = true
		return d.call(ap, applyDryRunning)
	case applyDryRunning:
		d.dry, d.changed = msg.result, false
		if msg.result.Nothing {
			d.step = applyDone
			d.done = msg.result
			return nil
		}
		d.step = applyConfirm
	case applyApplying:
		d.done = msg.result
		d.step = applyDone
	}
	return nil
}

// forceAgain runs the dry run again taking the conflicting fields over;
// the user still confirms after it.
func (d *applyDialog) forceAgain(ap Applier) tea.Cmd {
	d.force, d.err, d.conflict = true, nil, nil
	return d.call(ap, applyDryRunning)
}

func (d *applyDialog) close() { d.step = applyClosed }
