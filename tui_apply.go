package main

import (
	"context"
	"errors"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui"
)

// writeOptions gives the TUI its write path: an Applier in live mode
// unless writes are off, and the patch preview everywhere.
func (a *app) writeOptions(live bool, opts *ui.Options) error {
	opts.PatchPreview = patchPreview
	if !live {
		// Only a cluster can be written to; the UI says there is nothing
		// to apply to, which is plainer than calling a demo read-only.
		return nil
	}
	if ro, why := a.readOnly(); ro {
		opts.ReadOnly = why
		return nil
	}
	ap, err := a.tuiApplier()
	if err != nil {
		return err
	}
	opts.Applier = ap
	return nil
}

// tuiApplier is the TUI's write path: ui.Applier over k8s.Applier. It
// holds a forcing Applier beside the plain one because forcing is the
// user's answer in the dialog, per apply, not a flag for the session.
type tuiApplier struct {
	plain, force *k8s.Applier
}

func (a *app) tuiApplier() (*tuiApplier, error) {
	plain, err := a.newApplier(k8s.ApplyOptions{})
	if err != nil {
		return nil, err
	}
	force, err := a.newApplier(k8s.ApplyOptions{ForceConflicts: true})
	if err != nil {
		return nil, err
	}
	return &tuiApplier{plain: plain, force: force}, nil
}

func (t *tuiApplier) Check(ctx context.Context, service string) error {
	ns, name, _ := strings.Cut(service, "/")
	return t.plain.CheckAccess(ctx, ns, name)
}

func (t *tuiApplier) DryRun(ctx context.Context, service string, o model.Overrides, force bool) (ui.ApplyResult, error) {
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
func (t *tuiApplier) Apply(ctx context.Context, service string, o model.Overrides, force bool, confirmed ui.ApplyResult) (ui.ApplyResult, error) {
	ap, p, live, res, err := t.prepare(ctx, service, o, force)
	switch {
	case err != nil:
		return ui.ApplyResult{}, err
	case res.Nothing:
		return ui.ApplyResult{}, &ui.PatchChangedError{DryRun: res}
	case res.Patch != confirmed.Patch:
		dry, err := t.dryRun(ctx, ap, p, live, res)
		if err != nil {
			return ui.ApplyResult{}, err
		}
		return ui.ApplyResult{}, &ui.PatchChangedError{DryRun: dry}
	}
	got, err := ap.Apply(ctx, p)
	var unknown *k8s.OutcomeUnknownError
	if errors.As(err, &unknown) {
		if unknown.Landed() {
			res.Effects = k8s.Outcome(live, unknown.Service)
		}
		return ui.ApplyResult{}, &ui.OutcomeUnknownError{Err: err, Landed: unknown.Landed(), Result: res}
	}
	if err != nil {
		return ui.ApplyResult{}, uiError(err)
	}
	res.Effects = k8s.Outcome(live, got)
	return res, nil
}

// prepare reads the live Service and builds the patch against it, as the
// CLI does, so a dry run and the apply after it see what is there now.
// res holds the patch as the dialog shows it, and its changes.
func (t *tuiApplier) prepare(ctx context.Context, service string, o model.Overrides, force bool) (ap *k8s.Applier, p *k8s.Patch, live *corev1.Service, res ui.ApplyResult, err error) {
	ap = t.plain
	if force {
		ap = t.force
	}
	ns, name, _ := strings.Cut(service, "/")
	p, live, err = ap.Prepare(ctx, ns, name, o)
	if err != nil {
		return nil, nil, nil, ui.ApplyResult{}, uiError(err)
	}
	if p.Empty() {
		return ap, p, live, ui.ApplyResult{Nothing: true}, nil
	}
	var b strings.Builder
	if err := writePatchYAML(&b, p); err != nil {
		return nil, nil, nil, ui.ApplyResult{}, err
	}
	return ap, p, live, ui.ApplyResult{Patch: b.String(), Changes: p.Summary()}, nil
}

func (t *tuiApplier) dryRun(ctx context.Context, ap *k8s.Applier, p *k8s.Patch, live *corev1.Service, res ui.ApplyResult) (ui.ApplyResult, error) {
	got, err := ap.DryRun(ctx, p)
	if err != nil {
		return ui.ApplyResult{}, uiError(err)
	}
	res.Effects = k8s.Outcome(live, got)
	return res, nil
}

// writePatchYAML is the patch as the dialog shows it: what is sent, and
// why fields ktraffic set before are sent again.
func writePatchYAML(b *strings.Builder, p *k8s.Patch) error {
	y, err := p.YAML()
	if err != nil {
		return err
	}
	if len(p.Kept) > 0 {
		b.WriteString("# also sent unchanged (" + k8s.FieldManager + " set them before): " + strings.Join(p.Kept, ", ") + "\n")
	}
	b.WriteString(y)
	return nil
}

// uiError hands a field-manager conflict to the dialog as data, so it can
// name the managers and offer force.
func uiError(err error) error {
	var c *k8s.ConflictError
	if errors.As(err, &c) {
		return &ui.ConflictError{Fields: c.Fields, Err: err}
	}
	return err
}

// patchPreview is the YAML an apply would send, from the snapshot's
// Service: shown on the what-if screen before anything is sent.
func patchPreview(svc *model.Service, o model.Overrides) (string, error) {
	if svc == nil {
		return "", errors.New("the Service is not in this snapshot")
	}
	p, err := k8s.NewPatch(svc, o)
	if err != nil || p.Empty() {
		return "", err
	}
	return p.YAML()
}
