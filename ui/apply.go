package ui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
)

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
	result apply.Result
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
	dry     apply.Result
	done    apply.Result
	err     error
	// conflict names the managers when the server reports one.
	conflict *apply.ConflictError
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

func (d *applyDialog) start(ap apply.Applier, service string, o model.Overrides) tea.Cmd {
	d.seq++
	*d = applyDialog{seq: d.seq, step: applyChecking, service: service, o: o}
	seq := d.seq
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
		defer cancel()
		return applyMsg{seq: seq, step: applyChecking, err: ap.Check(ctx, service)}
	}
}

func (d *applyDialog) call(ap apply.Applier, step applyStep) tea.Cmd {
	d.step = step
	seq, svc, o, force, confirmed := d.seq, d.service, d.o, d.force, d.dry
	ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
	d.cancel = cancel
	return func() tea.Msg {
		defer cancel()
		var r apply.Result
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
		return "not applied to " + d.service + ": " + (&apply.PatchChangedError{}).Error()
	}
	return ""
}

// answer moves the flow on with a cluster call's result.
func (d *applyDialog) answer(ap apply.Applier, msg applyMsg) tea.Cmd {
	if msg.seq != d.seq || msg.step != d.step {
		return nil
	}
	var changed *apply.PatchChangedError
	var unknown *apply.OutcomeUnknownError
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
		var c *apply.ConflictError
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
func (d *applyDialog) forceAgain(ap apply.Applier) tea.Cmd {
	d.force, d.err, d.conflict = true, nil, nil
	return d.call(ap, applyDryRunning)
}

func (d *applyDialog) close() { d.step = applyClosed }
