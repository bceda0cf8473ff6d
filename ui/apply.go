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
	// Apply sends it for real.
	Apply(ctx context.Context, service string, o model.Overrides, force bool) (ApplyResult, error)
}

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

// clusterTimeout bounds one cluster call, so a dialog cannot wait forever
// on an API server that stopped answering.
const clusterTimeout = 30 * time.Second

type applyStep int

const (
	applyClosed applyStep = iota
	applyChecking
	applyDryRunning
	applyConfirm // dry run passed: waiting for y or n
	applyConflict
	applyApplying
	applyFailed
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
	seq, svc, o, force := d.seq, d.service, d.o, d.force
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
		defer cancel()
		var r ApplyResult
		var err error
		if step == applyDryRunning {
			r, err = ap.DryRun(ctx, svc, o, force)
		} else {
			r, err = ap.Apply(ctx, svc, o, force)
		}
		return applyMsg{seq: seq, step: step, result: r, err: err}
	}
}

// answer moves the flow on with a cluster call's result.
func (d *applyDialog) answer(ap Applier, msg applyMsg) tea.Cmd {
	if msg.seq != d.seq || msg.step != d.step {
		return nil
	}
	if msg.err != nil {
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
		d.dry = msg.result
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
