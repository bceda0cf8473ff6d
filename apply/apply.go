// Package apply is the write port between the terminal UI and whatever
// writes to a cluster: the UI sequences the calls of its apply dialog
// through an Applier and reads the answers as the types here; the k8s
// package implements it over server-side apply. Neither side knows the
// other.
package apply

import (
	"context"

	"github.com/ktraffic/ktraffic/model"
)

// Applier writes a what-if's Service fields to the cluster. Each call may
// take a while; the UI makes them off its render path.
type Applier interface {
	// Check asks whether the user may change the Service
	// ("namespace/name"), and explains a denial.
	Check(ctx context.Context, service string) error
	// DryRun sends the change with dryRun=All against the live Service.
	DryRun(ctx context.Context, service string, o model.Overrides, force bool) (Result, error)
	// Apply sends for real exactly the patch the dry run checked and the
	// user confirmed (confirmed, the DryRun result). When the live Service
	// has moved on so that the patch would now be different, it sends
	// nothing and returns a *PatchChangedError with the new patch's dry
	// run, for the user to confirm again. A write whose outcome is
	// unknown is an *OutcomeUnknownError.
	Apply(ctx context.Context, service string, o model.Overrides, force bool, confirmed Result) (Result, error)
}

// Preview turns a what-if's Service fields into the YAML server-side apply
// would send, from the snapshot's Service: shown before anything is sent.
type Preview func(svc *model.Service, o model.Overrides) (string, error)

// Result is what the API server said to a dry run or an apply.
type Result struct {
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
// that other managers (kubectl, Helm, Argo CD) hold, so the dialog can
// name them and offer force.
type ConflictError struct {
	// Fields maps a field path to the managers holding it.
	Fields map[string][]string
	Err    error
}

func (e *ConflictError) Error() string { return e.Err.Error() }
func (e *ConflictError) Unwrap() error { return e.Err }

// PatchChangedError says the Service changed between the dry run and the
// apply, so the confirmed patch is no longer the one to send. DryRun is
// the new patch, already dry-run.
type PatchChangedError struct{ DryRun Result }

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
	Result Result
}

func (e *OutcomeUnknownError) Error() string { return e.Err.Error() }
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }
