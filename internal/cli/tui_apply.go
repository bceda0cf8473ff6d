package cli

import (
	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/ui"
)

// writeOptions gives the TUI its write path: an Applier in live mode
// unless writes are off, and the patch preview everywhere.
func (t *tuiRun) writeOptions(live bool, opts *ui.Options) error {
	opts.PatchPreview = k8s.PatchPreview
	if !live {
		// Only a cluster can be written to; the UI says there is nothing
		// to apply to, which is plainer than calling a demo read-only.
		return nil
	}
	if ro, why := t.f.readOnly(); ro {
		opts.ReadOnly = why
		return nil
	}
	// Forcing is the user's answer in the dialog, per apply, not a flag
	// for the session: the adapter holds a forcing Applier beside.
	plain, err := t.f.newApplier(k8s.ApplyOptions{})
	if err != nil {
		return err
	}
	force, err := t.f.newApplier(k8s.ApplyOptions{ForceConflicts: true})
	if err != nil {
		return err
	}
	opts.Applier = k8s.NewDialogApplier(plain, force)
	return nil
}
