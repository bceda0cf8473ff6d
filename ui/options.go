// Package ui is ktraffic's terminal UI: a shell (header, body, footer,
// help, ":" commands and "/" filter) around the service list and the flow
// view. It reads snapshots and draws predictions; where the snapshots
// come from is the caller's business (the ui never imports k8s).
package ui

import (
	"context"
	"time"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
)

// Demo is one built-in scenario the ":demo" command can switch to.
type Demo struct {
	Name    string
	Title   string
	Service string // the featured Service, opened on switch
}

// Options configure the UI.
type Options struct {
	// Snapshot is the data to show first; nil while a live source loads.
	Snapshot *model.Snapshot
	// Updates delivers newer snapshots from a live source; nil for static
	// sources. Progress says what is loading before the first one.
	Updates  <-chan *model.Snapshot
	Progress <-chan string
	// OneShot says Updates brings one snapshot and closes (a dump being
	// read), so the header never calls it live.
	OneShot bool
	// Failed reports a live source that could not load; the error is
	// shown in place of the list.
	Failed <-chan error
	// Source names where data comes from, for the header ("demo kiada",
	// "file dump.yaml", "context prod").
	Source string
	// Namespace limits the list ("" for all).
	Namespace string
	// Service opens this Service's flow first ("namespace/name").
	Service string
	// From is the traffic source to start with; zero means the Service's
	// natural entry.
	From model.TrafficSource
	// Theme is the theme name; "" or "auto" follows the terminal's
	// background. ThemeDir holds user themes.
	Theme    string
	ThemeDir string
	// Demos and LoadDemo enable ":demo NAME".
	Demos    []Demo
	LoadDemo func(name string) (*model.Snapshot, error)
	// Applier writes a what-if to the cluster ("a"); nil when the data
	// is not a cluster's (a demo, a dump), and then there is nothing to
	// apply to.
	Applier apply.Applier
	// ReadOnly, when set, says why writes are off (--read-only, the
	// config file); "a" is refused with it.
	ReadOnly string
	// PatchPreview shows the YAML an apply would send; nil shows none.
	PatchPreview apply.Preview
	// Warnings are the API server's warnings, each once; the status line
	// shows them as they come.
	Warnings <-chan string
	// Observe measures the traffic of a prediction and returns a copy
	// with it attached (model.AttachObserved); nil when no metrics source
	// was given. ObservedFrom names the source for the heading, and
	// ObserveEvery is how often the flow in front is measured again.
	Observe      func(ctx context.Context, snap *model.Snapshot, p *model.Prediction) (*model.Prediction, error)
	ObservedFrom string
	ObserveEvery time.Duration
	// Now is the clock for "stale since"; tests pin it.
	Now func() time.Time
}
