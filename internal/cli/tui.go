package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui"
)

// tuiOptions are the flags the TUI reads: its theme, and the Service and
// source to open first, registered and read as every command does.
type tuiOptions struct {
	theme string
	svc   serviceFlags
}

func (f *Factory) tuiOptions() *tuiOptions { return &f.tui }

// addTUIFlags registers the TUI's flags on the root command.
func (f *Factory) addTUIFlags(root *cobra.Command) {
	o := f.tuiOptions()
	root.Flags().StringVar(&o.theme, "theme", "auto", "colour theme: auto (follows the terminal background), "+
		strings.Join(themes.Names(), ", ")+", or NAME for "+userThemePath("NAME"))
	o.svc.add(root, "the Service whose flow opens first", withFrom)
	f.observed.addFlags(root)
}

func userThemePath(name string) string {
	dir, err := themes.Dir()
	if err != nil {
		return "<user config dir>/ktraffic/themes/" + name + ".yaml"
	}
	return dir + string(os.PathSeparator) + name + ".yaml"
}

// tuiRun is the root command with no subcommand: the terminal UI, over
// the data the Factory's flags choose.
type tuiRun struct{ f *Factory }

// run starts the terminal UI, or prints the predict table of the
// featured Service when stdout is not a terminal (a pipe, a CI log).
func (t *tuiRun) run(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	src, err := t.f.dataSource()
	if err != nil {
		return err
	}
	o := t.f.tuiOptions()
	from, err := model.ParseSource(o.svc.from)
	if err != nil {
		return usageError{err}
	}
	service := ""
	if o.svc.service != "" {
		service = t.f.serviceKey(o.svc.service) // as predict reads --service
	}
	themeDir, _ := themes.Dir()
	opts := ui.Options{Theme: o.theme, ThemeDir: themeDir, From: from, Service: service, Namespace: t.f.namespace()}

	if err := t.f.observed.check(); err != nil {
		return err
	}
	if !t.f.IO.OutIsTerminal() {
		return t.printFeatured(ctx, src, service, from)
	}
	if t.f.observed.enabled() {
		opts.Observe = func(ctx context.Context, snap *model.Snapshot, p *model.Prediction) (*model.Prediction, error) {
			return t.f.observed.observeCopy(ctx, t.f, snap, p)
		}
		opts.ObservedFrom, opts.ObserveEvery = t.f.observed.describe(), t.f.observed.every
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	crashed := make(chan error, 1)
	var readFiles func(*tea.Program) <-chan error
	switch src.kind {
	case sourceDemo:
		if err := t.demoOptions(src, &opts); err != nil {
			return err
		}
	case sourceFiles:
		readFiles = t.fileOptions(runCtx, src, &opts, crashed)
	case sourceLive:
		// Warnings go to the status line: stderr is under the screen.
		warnings := make(chan string, 8)
		t.f.config.Warnings = k8s.NewWarnings(func(w string) {
			select {
			case warnings <- w:
			default: // the UI is behind: the status line shows one at a time anyway
			}
		})
		opts.Warnings = warnings
		if err := t.liveOptions(runCtx, &opts, crashed); err != nil {
			return err
		}
	}

	if err := t.writeOptions(src.isCluster(), &opts); err != nil {
		return err
	}

	m, err := ui.New(opts)
	if err != nil {
		return usageError{err}
	}
	p := tea.NewProgram(testCrashModel(m), tea.WithContext(runCtx), tea.WithOutput(t.f.IO.Out))
	var readErr <-chan error
	if readFiles != nil {
		readErr = readFiles(p)
	}
	final, err := runProgram(p, crashed, t.f.IO.ErrOut)
	if note := exitNote(final); note != "" {
		// Said after the screen is gone, so it stays in the terminal.
		fmt.Fprintf(t.f.IO.ErrOut, "ktraffic: %s\n", model.Printable(note))
	}
	if err != nil {
		return err
	}
	select {
	case err := <-readErr: // nil channel when no dump was read
		return err
	default:
		return nil
	}
}

// exitNote is what the UI still has to say once it is gone.
func exitNote(final tea.Model) string {
	if c, ok := final.(crashOnKey); ok {
		final = c.Model
	}
	if m, ok := final.(*ui.Model); ok {
		return m.ExitNote()
	}
	return ""
}

// fileOptions makes the UI wait for the -f dumps, showing how far the
// reading has come; the returned function starts the reading once the
// program exists. A dump that cannot be read ends the program and its
// error is printed as the CLI prints it, after the screen is restored.
func (t *tuiRun) fileOptions(ctx context.Context, src *dataSource, opts *ui.Options, crashed chan<- error) func(*tea.Program) <-chan error {
	progress := make(chan string, 1)
	updates := make(chan *model.Snapshot, 1)
	opts.Source, opts.Progress, opts.Updates, opts.OneShot = "file:"+strings.Join(src.files, ","), progress, updates, true
	progress <- "Reading " + strings.Join(src.files, ", ") + "…"
	return func(p *tea.Program) <-chan error {
		failed := make(chan error, 1)
		guardGo(crashed, "reading the dump", func() {
			defer close(progress)
			snap, err := t.f.load(ctx, src, func(fp k8s.FileProgress) {
				select {
				case <-progress: // only the newest line matters
				default:
				}
				progress <- fileProgressLine(fp)
			})
			if err != nil {
				if ctx.Err() == nil {
					failed <- err
					p.Quit()
				}
				return
			}
			updates <- snap
			close(updates)
		})
		return failed
	}
}

// fileProgressLine says how far reading the dumps has come.
func fileProgressLine(p k8s.FileProgress) string {
	mb := func(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
	if p.Done {
		return fmt.Sprintf("Read %s objects (%s); sorting them…", report.Count(p.Objects), mb(p.Bytes))
	}
	read := mb(p.Bytes)
	if p.Total > 0 {
		read = fmt.Sprintf("%s of %s (%d%%)", mb(p.Bytes), mb(p.Total), p.Bytes*100/p.Total)
	}
	return fmt.Sprintf("Reading %s: %s objects, %s", p.File, report.Count(p.Objects), read)
}

// demoOptions opens the named scenario, or the first one for a bare
// --demo, on its featured Service, with :demo able to switch.
func (t *tuiRun) demoOptions(src *dataSource, opts *ui.Options) error {
	name, featured, err := src.scenario()
	if err != nil {
		return err
	}
	snap, err := k8s.LoadDemo(name)
	if err != nil {
		return usageError{err}
	}
	opts.Snapshot, opts.Source = snap, "demo:"+name
	if opts.Service == "" {
		opts.Service = featured
	}
	for _, s := range k8s.DemoScenarios() {
		opts.Demos = append(opts.Demos, ui.Demo{Name: s.Name, Title: s.Title, Service: s.Service})
	}
	opts.LoadDemo = k8s.LoadDemo
	return nil
}

// liveOptions starts the live source; its first snapshot, its progress
// and its failure reach the UI through channels, so the screen is up
// while the cluster loads.
//
// These goroutines, and the source's own, run outside Bubble Tea's panic
// recovery: a panic in any of them reaches crashed (the live source's as
// its Err), and the TUI then quits, restoring the terminal, and exits 3.
func (t *tuiRun) liveOptions(ctx context.Context, opts *ui.Options, crashed chan<- error) error {
	live, err := k8s.NewLive(t.f.config, t.f.liveScope())
	if err != nil {
		return err
	}
	progress := make(chan string, 1)
	failed := make(chan error, 1)
	guardGo(crashed, "the live source's progress", func() {
		for p := range live.Progress() {
			select {
			case <-progress: // only the newest line matters
			default:
			}
			progress <- progressLine(p)
		}
	})
	// One goroutine orders what the UI hears: a failed Start closes the
	// source's Updates too, and the UI must see the failure, not an end.
	updates := make(chan *model.Snapshot, 1)
	guardGo(crashed, "the live source", func() {
		err := live.Start(ctx)
		var pe *k8s.PanicError
		switch {
		case errors.As(err, &pe):
			sendCrash(crashed, err)
			return
		case err != nil:
			failed <- err
			return
		}
		defer close(updates)
		for s := range live.Updates() {
			testCrashHook("live")
			select {
			case <-updates: // the UI has not read the older one: drop it
			default:
			}
			updates <- s
		}
		if err := live.Err(); err != nil {
			sendCrash(crashed, err)
		}
	})
	opts.Source, opts.Updates, opts.Progress, opts.Failed = live.Source(), updates, progress, failed
	if ns := live.Namespace(); ns != "" && opts.Namespace == "" {
		opts.Namespace = ns
	}
	return nil
}

func progressLine(p k8s.LoadProgress) string {
	if !p.Connected {
		return "Connecting to the cluster…"
	}
	parts := make([]string, 0, len(p.Resources))
	for _, r := range p.Resources {
		state := fmt.Sprintf("%d", r.Loaded)
		switch {
		case r.Skipped != "":
			state = "skipped (" + r.Skipped + ")"
		case r.Synced:
			state += " ✓"
		}
		parts = append(parts, r.Resource+" "+state)
	}
	return "Loading: " + strings.Join(parts, ", ")
}

// printFeatured prints the predict table for the Service the TUI would
// open first: --service, the demo's featured one, or the first listed.
func (t *tuiRun) printFeatured(ctx context.Context, src *dataSource, service string, from model.TrafficSource) error {
	if src.kind == sourceDemo {
		name, featured, err := src.scenario()
		if err != nil {
			return err
		}
		src = &dataSource{kind: sourceDemo, demo: name}
		if service == "" {
			service = featured
		}
	}
	snap, err := t.f.load(ctx, src, nil)
	if err != nil {
		return err
	}
	if service == "" {
		for i := range snap.Services {
			if ns := t.f.namespace(); ns == "" || snap.Services[i].Namespace == ns {
				service = snap.Services[i].Key()
				break
			}
		}
	}
	if service == "" {
		return errors.New("no Service to show: the source has none in scope")
	}
	p, err := model.Predict(snap, model.Request{Service: service, Source: from})
	if err != nil {
		return err
	}
	if err := t.f.observed.attach(ctx, t.f, snap, p); err != nil {
		return err
	}
	return report.Table(t.f.IO.Out, p)
}
