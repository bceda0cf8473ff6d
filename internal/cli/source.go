package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// sourceKind is where a run's data comes from.
type sourceKind int

const (
	sourceLive  sourceKind = iota // the kubeconfig's cluster
	sourceDemo                    // a built-in scenario
	sourceFiles                   // kubectl dumps (-f)
)

// dataSource is the choice the flags make, resolved once per run
// (Factory.dataSource) so every command and the TUI read the same way.
type dataSource struct {
	kind sourceKind
	// demo is the scenario name; demoList for a bare --demo.
	demo  string
	files []string
}

// dataSource resolves -f, --demo and the kubeconfig flags into one
// source, refusing flags that contradict each other.
func (f *Factory) dataSource() (*dataSource, error) {
	if f.source != nil {
		return f.source, nil
	}
	switch {
	case len(f.files) > 0 && f.demo != "":
		return nil, usagef("use either -f/--file or --demo, not both")
	case f.demo != "":
		f.source = &dataSource{kind: sourceDemo, demo: f.demo}
	case len(f.files) > 0:
		f.source = &dataSource{kind: sourceFiles, files: f.files}
	default:
		f.source = &dataSource{kind: sourceLive}
	}
	return f.source, nil
}

// isCluster says whether the source is a cluster one can write to.
func (s *dataSource) isCluster() bool { return s.kind == sourceLive }

// text names the source in a sentence: "the demo kiada", "a dump (-f)".
func (s *dataSource) text() string {
	switch s.kind {
	case sourceDemo:
		return "the demo " + s.demo
	case sourceFiles:
		return "a dump (-f)"
	}
	return "the current kubeconfig context"
}

// scenario is the demo to open: the named one, or the first for a bare
// --demo; featured is the Service it is about.
func (s *dataSource) scenario() (name, featured string, err error) {
	scenarios := k8s.DemoScenarios()
	name = s.demo
	if name == demoList {
		if len(scenarios) == 0 {
			return "", "", fmt.Errorf("no demo scenarios are built in")
		}
		name = scenarios[0].Name
	}
	for _, sc := range scenarios {
		if sc.Name == name {
			return name, sc.Service, nil
		}
	}
	return name, "", nil
}

// load reads one snapshot from the source. progress, when set, hears how
// far reading dumps has come.
func (f *Factory) load(ctx context.Context, s *dataSource, progress func(k8s.FileProgress)) (*model.Snapshot, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	switch s.kind {
	case sourceDemo:
		if s.demo == demoList {
			return nil, usagef("--demo needs a scenario name here: %s", strings.Join(k8s.DemoNames(), ", "))
		}
		return k8s.LoadDemo(s.demo)
	case sourceFiles:
		return k8s.LoadFilesWith(ctx, s.files, f.IO.In, k8s.LoadOptions{MaxBytes: f.maxInput.n, Progress: progress})
	}
	return k8s.LoadLive(ctx, f.config, f.liveScope())
}

// liveScope passes -A through. A command about one Service reads that
// Service's namespace, as kubectl reads NS/NAME whatever the context's
// namespace; otherwise the k8s package resolves the namespace from the
// config flags as kubectl does (-n, then the context's namespace, then
// "default"), because namespace() cannot tell -A from "no -n given".
func (f *Factory) liveScope() k8s.Scope {
	if f.allNamespaces {
		return k8s.Scope{AllNamespaces: true}
	}
	return k8s.Scope{Namespace: f.serviceNamespace}
}

// Snapshot reads one snapshot from the chosen source and says, on
// stderr, what reading it left out and what the input lacks.
func (f *Factory) Snapshot(ctx context.Context) (*model.Snapshot, error) {
	src, err := f.dataSource()
	if err != nil {
		return nil, err
	}
	snap, err := f.load(ctx, src, nil)
	if err != nil {
		return nil, err
	}
	for _, w := range snap.Warnings {
		fmt.Fprintf(f.IO.ErrOut, "ktraffic: warning: %s\n", model.Printable(w))
	}
	// A cluster lacks a kind only when reading it is forbidden, and the
	// live source's own warning says that, with the permission to ask for.
	if n := report.InputNotice(snap); n != "" && !src.isCluster() {
		fmt.Fprintf(f.IO.ErrOut, "ktraffic: note: %s\n", n)
	}
	return snap, nil
}
