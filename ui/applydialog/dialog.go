// Package applydialog is the apply dialog: RBAC check, server-side dry
// run, confirmation, apply. It owns the cluster calls and their answers;
// the edit stays with the what-if, so nothing is lost whatever happens
// here, and what the user must hear once the dialog closes goes back to
// the parent in a ClosedMsg.
package applydialog

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/common"
)

// clusterTimeout bounds one step of the dialog, so it cannot wait forever
// on an API server that stopped answering. It is a backstop: the Applier
// gives each API call its own, shorter deadline, and reads the Service
// back after a write of unknown outcome, which this must leave room for.
const clusterTimeout = 90 * time.Second

type step int

const (
	closed step = iota
	checking
	dryRunning
	confirming // dry run passed: waiting for y or n
	conflicted
	applying
	failed
	unknown // the apply's outcome is not known: err says what was read back
	done
)

// Writer is the UI's answers about writing to the cluster: who writes,
// whether writing is off, and where the data comes from.
type Writer struct {
	Applier  apply.Applier
	ReadOnly string // why writes are off; "" when they are on
	Source   string // where data comes from, for "nothing to apply to"
}

// AnswerMsg is one cluster call's answer, tagged with the dialog it
// belongs to so an answer for a dialog the user closed is dropped.
type AnswerMsg struct {
	seq    int
	step   step // the step that made the call
	result apply.Result
	err    error
}

// ClosedMsg tells the parent the dialog closed or never opened: Note is
// what to tell the user ("" for nothing), OK marks good news, and
// Applied is the change that was applied, to await in the live view.
type ClosedMsg struct {
	Note    string
	OK      bool
	Applied *model.Overrides
}

// Model is the dialog.
type Model struct {
	ctx     *common.Context
	w       Writer
	width   int
	height  int
	step    step
	seq     int
	service string
	o       model.Overrides
	force   bool
	checked bool // the RBAC check passed
	dry     apply.Result
	done    apply.Result
	err     error
	// effect is the what-if judged from every source, named above the
	// question; nil when not known.
	effect *model.WhatIf
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

// New returns a closed dialog.
func New(ctx *common.Context, w Writer) *Model { return &Model{ctx: ctx, w: w} }

// Open reports whether the dialog is shown.
func (d *Model) Open() bool { return d.step != closed }

// Confirming reports whether the dialog waits for y or n.
func (d *Model) Confirming() bool { return d.step == confirming }

// Writing reports whether a real apply is in flight.
func (d *Model) Writing() bool { return d.step == applying }

// Service is the Service the dialog applies to.
func (d *Model) Service() string { return d.service }

// SetEffect gives the what-if's current judgement, named above the
// question as apply's CLI confirmation does.
func (d *Model) SetEffect(wi *model.WhatIf) { d.effect = wi }

func closedCmd(note string) tea.Cmd {
	return func() tea.Msg { return ClosedMsg{Note: note} }
}

// Start opens the dialog for the Service fields of o, or says in a
// ClosedMsg why there is nothing to apply, or nothing to apply to. busy
// says the what-if is still being predicted.
func (d *Model) Start(service string, o model.Overrides, busy bool) tea.Cmd {
	o = o.ServiceFields()
	switch {
	case d.w.ReadOnly != "":
		return closedCmd("Read-only: nothing is applied (" + d.w.ReadOnly + ").")
	case d.w.Applier == nil:
		src := d.w.Source
		if src == "" {
			src = "a file"
		}
		return closedCmd("Nothing to apply to: the data comes from " + src + ", not a cluster. The patch below is what apply would send to a live Service.")
	case busy:
		return closedCmd("The what-if is still being predicted; press a again in a moment.")
	case o.Empty():
		return closedCmd("Nothing to apply: the what-if changes no Service field (lbMode, lbNode and drills are never applied).")
	}
	d.seq++
	*d = Model{ctx: d.ctx, w: d.w, width: d.width, height: d.height, effect: d.effect,
		seq: d.seq, step: checking, service: service, o: o}
	seq, ap := d.seq, d.w.Applier
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
		defer cancel()
		return AnswerMsg{seq: seq, step: checking, err: ap.Check(ctx, service)}
	}
}

func (d *Model) call(s step) tea.Cmd {
	d.step = s
	ap, seq, svc, o, force, confirmed := d.w.Applier, d.seq, d.service, d.o, d.force, d.dry
	ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
	d.cancel = cancel
	return func() tea.Msg {
		defer cancel()
		var r apply.Result
		var err error
		if s == dryRunning {
			r, err = ap.DryRun(ctx, svc, o, force)
		} else {
			r, err = ap.Apply(ctx, svc, o, force, confirmed)
		}
		return AnswerMsg{seq: seq, step: s, result: r, err: err}
	}
}

// Interrupt cancels the call in flight; its answer still arrives, with
// what the Applier read back.
func (d *Model) Interrupt() {
	if d.cancel != nil {
		d.cancel()
	}
}

// Close closes the dialog; a late answer is dropped by its sequence number.
func (d *Model) Close() {
	d.seq++
	d.step = closed
}

// Outcome is the dialog's last answer in one line, for a user who quit
// while it was on its way.
func (d *Model) Outcome() string {
	switch d.step {
	case done:
		if d.done.Nothing {
			return "nothing to apply to " + d.service + ": it already has these settings"
		}
		if d.unknown != "" {
			return d.unknown
		}
		return "applied to " + d.service + ": " + strings.Join(d.done.Changes, ", ")
	case unknown:
		return d.err.Error()
	case failed, conflicted:
		return "not applied to " + d.service + ": " + d.err.Error()
	case confirming:
		return "not applied to " + d.service + ": " + (&apply.PatchChangedError{}).Error()
	}
	return ""
}

// Update takes the cluster's answers and the user's.
func (d *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case AnswerMsg:
		return d, d.answer(msg)
	case tea.KeyPressMsg:
		return d, d.key(msg)
	}
	return d, nil
}

// answer moves the flow on with a cluster call's result.
func (d *Model) answer(msg AnswerMsg) tea.Cmd {
	if msg.seq != d.seq || msg.step != d.step {
		return nil
	}
	var changed *apply.PatchChangedError
	var unsure *apply.OutcomeUnknownError
	switch {
	case errors.As(msg.err, &changed):
		// Nothing was sent: show the new patch and ask again.
		d.dry, d.changed = changed.DryRun, true
		d.step = confirming
		if changed.DryRun.Nothing {
			d.done, d.step = changed.DryRun, done
		}
		return nil
	case errors.As(msg.err, &unsure) && unsure.Landed:
		d.done, d.unknown, d.step = unsure.Result, unsure.Error(), done
		return nil
	case unsure != nil:
		d.err, d.step = msg.err, unknown
		return nil
	case msg.err != nil:
		d.err = msg.err
		d.step = failed
		var c *apply.ConflictError
		if errors.As(msg.err, &c) && !d.force {
			d.conflict = c
			d.step = conflicted
		}
		return nil
	}
	switch msg.step {
	case checking:
		d.checked = true
		return d.call(dryRunning)
	case dryRunning:
		d.dry, d.changed = msg.result, false
		if msg.result.Nothing {
			d.step = done
			d.done = msg.result
			return nil
		}
		d.step = confirming
	case applying:
		d.done = msg.result
		d.step = done
	}
	return nil
}

// key answers the dialog: y applies only once the dry run passed, f
// forces only after a conflict was shown, and everything else that is
// an answer is no.
func (d *Model) key(k tea.KeyPressMsg) tea.Cmd {
	keys := d.ctx.Keys
	const kept = "Not applied: nothing was changed; the what-if is kept."
	switch d.step {
	case confirming:
		switch {
		case key.Matches(k, keys.Confirm):
			return d.call(applying)
		case key.Matches(k, keys.Decline):
			return d.closeWith(ClosedMsg{Note: kept})
		}
	case conflicted:
		switch {
		case key.Matches(k, keys.Force):
			// Run the dry run again taking the conflicting fields over;
			// the user still confirms after it.
			d.force, d.err, d.conflict = true, nil, nil
			return d.call(dryRunning)
		case key.Matches(k, keys.Decline):
			return d.closeWith(ClosedMsg{Note: kept})
		}
	case checking, dryRunning:
		// Nothing is written yet, so leaving is safe; a late answer is
		// dropped by its sequence number.
		if key.Matches(k, keys.Decline) {
			d.Close()
		}
	case failed:
		if key.Matches(k, keys.Decline, keys.Confirm) {
			return d.closeWith(ClosedMsg{Note: "Not applied: " + common.FirstLine(d.err.Error()) + " The what-if is kept."})
		}
	case unknown:
		if key.Matches(k, keys.Decline, keys.Confirm) {
			return d.closeWith(ClosedMsg{Note: "Outcome unknown: " + common.FirstLine(d.err.Error()) + " The what-if is kept."})
		}
	case done:
		if key.Matches(k, keys.Decline, keys.Confirm) {
			if d.done.Nothing {
				return d.closeWith(ClosedMsg{})
			}
			o := d.o
			return d.closeWith(ClosedMsg{Note: "Applied " + strings.Join(d.done.Changes, ", ") + "; waiting for the live view to show it…", OK: true, Applied: &o})
		}
	}
	// While the apply is in flight no key closes the dialog: its outcome
	// must be seen.
	return nil
}

func (d *Model) closeWith(msg ClosedMsg) tea.Cmd {
	d.step = closed
	return func() tea.Msg { return msg }
}

// SetSize sets the area the dialog draws in.
func (d *Model) SetSize(w, h int) { d.width, d.height = w, h }

// ShortHelp offers the answers the step takes.
func (d *Model) ShortHelp() []key.Binding {
	k := d.ctx.Keys
	switch d.step {
	case conflicted:
		return []key.Binding{k.Force, k.Decline}
	case confirming:
		return []key.Binding{k.Confirm, k.Decline}
	case applying:
		return nil
	}
	return []key.Binding{closeKey(k)}
}

// FullHelp groups every answer.
func (d *Model) FullHelp() [][]key.Binding {
	k := d.ctx.Keys
	return [][]key.Binding{{k.Confirm, k.Decline, k.Force}}
}

// closeKey is Decline as a dialog that asks nothing more shows it.
func closeKey(k *common.KeyMap) key.Binding {
	return key.NewBinding(key.WithKeys(k.Decline.Keys()...), key.WithHelp(k.Decline.Help().Key, "close"))
}
