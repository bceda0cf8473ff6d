package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/pflag"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui"
)

// tuiOptions are the flags only the TUI reads.
type tuiOptions struct {
	theme   string
	service string
	from    string
}

func (a *app) tuiOptions() *tuiOptions { return &a.tui }

// addTUIFlags registers the TUI's flags on the root command.
func (a *app) addTUIFlags(fs *pflag.FlagSet) {
	o := a.tuiOptions()
	fs.StringVar(&o.theme, "theme", "auto", "colour theme: auto (follows the terminal background), "+
		strings.Join(themes.Names(), ", ")+", or NAME for "+userThemePath("NAME"))
	fs.StringVar(&o.service, "service", "", "open this Service's flow first (`NAMESPACE/NAME`)")
	fs.StringVar(&o.from, "from", "", "traffic source to start with: "+model.ValidSources)
}

func userThemePath(name string) string {
	dir, err := themes.Dir()
	if err != nil {
		return "<user config dir>/ktraffic/themes/" + name + ".yaml"
	}
	return dir + string(os.PathSeparator) + name + ".yaml"
}

// runTUI starts the terminal UI, or prints the predict table of the
// featured Service when stdout is not a terminal (a pipe, a CI log).
func (a *app) runTUI(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := a.checkSourceFlags(); err != nil {
		return err
	}
	o := a.tuiOptions()
	from, err := model.ParseSource(o.from)
	if err != nil {
		return usageError{err}
	}
	themeDir, _ := themes.Dir()
	opts := ui.Options{Theme: o.theme, ThemeDir: themeDir, From: from, Service: o.service, Namespace: a.namespace()}

	live := len(a.files) == 0 && a.demo == ""
	if !isTerminal(a.stdout) {
		return a.printFeatured(ctx, o.service, from)
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	crashed := make(chan error, 1)
	var readFiles func(*tea.Program) <-chan error
	switch {
	case a.demo != "":
		if err := a.demoOptions(&opts); err != nil {
			return err
		}
	case len(a.files) > 0:
		readFiles = a.fileOptions(runCtx, &opts, crashed)
	case live:
		if err := a.liveOptions(runCtx, &opts, crashed); err != nil {
			return err
		}
	}

	if err := a.writeOptions(live, &opts); err != nil {
		return err
	}

	m, err := ui.New(opts)
	if err != nil {
		return usageError{err}
	}
	p := tea.NewProgram(testCrashModel(m), tea.WithContext(runCtx), tea.WithOutput(a.stdout))
	var readErr <-chan error
	if readFiles != nil {
		readErr = readFiles(p)
	}
	final, err := runProgram(p, crashed, a.stderr)
	if note := exitNote(final); note != "" {
		// Said after the screen is gone, so it stays in the terminal.
		fmt.Fprintf(a.stderr, "ktraffic: %s\n", model.Printable(note))
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
func (a *app) fileOptions(ctx context.Context, opts *ui.Options, crashed chan<- error) func(*tea.Program) <-chan error {
	progress := make(chan string, 1)
	updates := make(chan *model.Snapshot, 1)
	opts.Source, opts.Progress, opts.Updates, opts.OneShot = "file:"+strings.Join(a.files, ","), progress, updates, true
	progress <- "Reading " + strings.Join(a.files, ", ") + "…"
	return func(p *tea.Program) <-chan error {
		failed := make(chan error, 1)
		guardGo(crashed, "reading the dump", func() {
			defer close(progress)
			snap, err := a.loadFiles(ctx, func(fp k8s.FileProgress) {
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
		return fmt.Sprintf("Read %s objects (%s); sorting them…", thousands(p.Objects), mb(p.Bytes))
	}
	read := mb(p.Bytes)
	if p.Total > 0 {
		read = fmt.Sprintf("%s of %s (%d%%)", mb(p.Bytes), mb(p.Total), p.Bytes*100/p.Total)
	}
	return fmt.Sprintf("Reading %s: %s objects, %s", p.File, thousands(p.Objects), read)
}

// thousands writes n with thousands separators: 67,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// demoOptions opens the named scenario, or the first one for a bare
// --demo, on its featured Service, with :demo able to switch.
func (a *app) demoOptions(opts *ui.Options) error {
	scenarios := k8s.DemoScenarios()
	name := a.demo
	if name == demoList {
		if len(scenarios) == 0 {
			return errors.New("no demo scenarios are built in")
		}
		name = scenarios[0].Name
	}
	snap, err := k8s.LoadDemo(name)
	if err != nil {
		return usageError{err}
	}
	opts.Snapshot, opts.Source = snap, "demo:"+name
	for _, s := range scenarios {
		opts.Demos = append(opts.Demos, ui.Demo{Name: s.Name, Title: s.Title, Service: s.Service})
		if s.Name == name && opts.Service == "" {
			opts.Service = s.Service
		}
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
func (a *app) liveOptions(ctx context.Context, opts *ui.Options, crashed chan<- error) error {
	live, err := k8s.NewLive(a.config, k8s.Scope{AllNamespaces: a.allNamespaces})
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
func (a *app) printFeatured(ctx context.Context, service string, from model.TrafficSource) error {
	var snap *model.Snapshot
	var err error
	if a.demo != "" {
		name := a.demo
		scenarios := k8s.DemoScenarios()
		if name == demoList && len(scenarios) > 0 {
			name = scenarios[0].Name
		}
		for _, s := range scenarios {
			if s.Name == name && service == "" {
				service = s.Service
			}
		}
		snap, err = k8s.LoadDemo(name)
	} else {
		snap, err = a.loadSnapshot(ctx)
	}
	if err != nil {
		return err
	}
	if service == "" {
		for i := range snap.Services {
			if ns := a.namespace(); ns == "" || snap.Services[i].Namespace == ns {
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
	return report.Table(a.stdout, p)
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
