package k8s

import (
	"context"
	"errors"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
)

// dialogApplier is the TUI's write path: apply.Applier over Applier. It
// holds a forcing Applier beside the plain one because forcing is the
// user's answer in the dialog, per apply, not a flag for the session.
type dialogApplier struct {
	plain, force *Applier
}

// NewDialogApplier adapts two Appliers, one forcing conflicts, to the
// UI's write port.
func NewDialogApplier(plain, force *Applier) apply.Applier {
	return &dialogApplier{plain: plain, force: force}
}

func (t *dialogApplier) Check(ctx context.Context, service string) error {
	ns, name, _ := strings.Cut(service, "/")
	return t.plain.CheckAccess(ctx, ns, name)
}

func (t *dialogApplier) DryRun(ctx context.Context, service string, o model.Overrides, force bool) (apply.Result, error) {
	ap, p, live, res, err := t.prepare(ctx, service, o, force)
	if err != nil || res.Nothing {
		return res, err
	}
	return t.dryRun(ctx, ap, p, live, res)
}

// Apply sends the patch the user confirmed and nothing else. It builds
// the patch again against the Service as it is now; when that differs
// from the confirmed one (someone changed the Service, or a field
// ktraffic manages, since the dry run), nothing is sent and the new patch
// goes back to the user, dry-run, to confirm again.
func (t *dialogApplier) Apply(ctx context.Context, service string, o model.Overrides, force bool, confirmed apply.Result) (apply.Result, error) {
	ap, p, live, res, err := t.prepare(ctx, service, o, force)
	switch {
	case err != nil:
		return apply.Result{}, err
	case res.Nothing:
		return apply.Result{}, &apply.PatchChangedError{DryRun: res}
	case res.Patch != confirmed.Patch:
		dry, err := t.dryRun(ctx, ap, p, live, res)
		if err != nil {
			return apply.Result{}, err
		}
		return apply.Result{}, &apply.PatchChangedError{DryRun: dry}
	}
	got, err := ap.Apply(ctx, p)
	var unknown *OutcomeUnknownError
	if errors.As(err, &unknown) {
		if unknown.Landed() {
			res.Effects = Outcome(live, unknown.Service)
		}
		return apply.Result{}, &apply.OutcomeUnknownError{Err: err, Landed: unknown.Landed(), Result: res}
	}
	if err != nil {
		return apply.Result{}, portError(err)
	}
	res.Effects = Outcome(live, got)
	return res, nil
}

// prepare reads the live Service and builds the patch against it, as the
// CLI does, so a dry run and the apply after it see what is there now.
// res holds the patch as the dialog shows it, and its changes.
func (t *dialogApplier) prepare(ctx context.Context, service string, o model.Overrides, force bool) (ap *Applier, p *Patch, live *corev1.Service, res apply.Result, err error) {
	ap = t.plain
	if force {
		ap = t.force
	}
	ns, name, _ := strings.Cut(service, "/")
	p, live, err = ap.Prepare(ctx, ns, name, o)
	if err != nil {
		return nil, nil, nil, apply.Result{}, portError(err)
	}
	if p.Empty() {
		return ap, p, live, apply.Result{Nothing: true}, nil
	}
	var b strings.Builder
	if err := writePatchYAML(&b, p); err != nil {
		return nil, nil, nil, apply.Result{}, err
	}
	return ap, p, live, apply.Result{Patch: b.String(), Changes: p.Summary()}, nil
}

func (t *dialogApplier) dryRun(ctx context.Context, ap *Applier, p *Patch, live *corev1.Service, res apply.Result) (apply.Result, error) {
	got, err := ap.DryRun(ctx, p)
	if err != nil {
		return apply.Result{}, portError(err)
	}
	res.Effects = Outcome(live, got)
	return res, nil
}

// writePatchYAML is the patch as the dialog shows it: what is sent, and
// why fields ktraffic set before are sent again.
func writePatchYAML(b *strings.Builder, p *Patch) error {
	y, err := p.YAML()
	if err != nil {
		return err
	}
	if len(p.Kept) > 0 {
		b.WriteString("# also sent unchanged (" + FieldManager + " set them before): " + strings.Join(p.Kept, ", ") + "\n")
	}
	b.WriteString(y)
	return nil
}

// portError hands a field-manager conflict to the dialog as data, so it can
// name the managers and offer force.
func portError(err error) error {
	var c *ConflictError
	if errors.As(err, &c) {
		return &apply.ConflictError{Fields: c.Fields, Err: err}
	}
	return err
}

// PatchPreview is the YAML an apply would send, from the snapshot's
// Service: shown on the what-if screen before anything is sent.
func PatchPreview(svc *model.Service, o model.Overrides) (string, error) {
	if svc == nil {
		return "", errors.New("the Service is not in this snapshot")
	}
	p, err := NewPatch(svc, o)
	if err != nil || p.Empty() {
		return "", err
	}
	return p.YAML()
}
