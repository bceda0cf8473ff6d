package ui

import (
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/applydialog"
	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/list"
)

type page int

const (
	pageList page = iota
	pageFlow
)

// Below this the layout cannot say anything useful; a message beats a
// scrambled screen.
const (
	minWidth  = 50
	minHeight = 10
)

// Messages from commands the root starts.
type (
	snapshotMsg  struct{ snap *model.Snapshot }
	feedEndedMsg struct{}
	progressMsg  string
	failedMsg    struct{ err error }
	summariesMsg struct {
		seq  int
		snap *model.Snapshot // the snapshot the rows are of
		rows []model.ServiceSummary
	}
	demoMsg struct {
		name string
		snap *model.Snapshot
		err  error
	}
	staleTickMsg struct{}
)

// staleEvery is how often the header redraws "stale since … (age)" while
// the snapshot is stale: the age counts seconds.
const staleEvery = time.Second

// Model is the root of the UI: it owns the shared context, routes keys to
// the prompt, the help screen or the page in front, and turns snapshots
// into summaries and predictions off the render path.
type Model struct {
	ctx  *common.Context
	opts Options

	snap     *model.Snapshot
	source   string
	list     *list.Model
	flow     *flowPage
	page     page
	showHelp bool
	help     helpScreen // help.go
	prompt   prompt
	obs      observer // observed traffic (observed.go)
	status   string
	statusOK bool
	// statusFromSnapshot marks a status that repeats a snapshot's warning,
	// which a later snapshot without warnings clears.
	statusFromSnapshot bool

	theme     string // name in use
	themeAuto bool   // follow the terminal's background until the user picks one
	summSeq   int
	// summed and summRows are the last summary shown: a live update
	// predicts again only the Services whose objects changed since.
	summed   *model.Snapshot
	summRows []model.ServiceSummary
	loading  string // live source progress before the first snapshot
	failed   error  // the live source could not load
	quitting bool
	ticking  bool // a staleTickMsg is on its way
	// quitAfterWrite is set when the user quit during an apply: the
	// program quits once its answer is in, and exitNote says it.
	quitAfterWrite bool
	exitNote       string
	keyHints       keyHints
}

// New builds the UI. A theme that cannot be loaded is an error here, so
// the CLI reports it before the screen is taken over.
func New(opts Options) (*Model, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := &Model{opts: opts, source: opts.Source}
	m.ctx = &common.Context{Keys: common.DefaultKeyMap(), ReadOnly: opts.ReadOnly}
	name := opts.Theme
	if name == "" || name == "auto" {
		m.themeAuto = true
		name = themes.Default
		if os.Getenv("NO_COLOR") != "" {
			// Without colour, selection by background would vanish; mono
			// marks it with reverse video instead.
			name, m.themeAuto = "mono", false
		}
	}
	if err := m.setTheme(name); err != nil {
		return nil, err
	}
	m.prompt.complete = m.completions
	m.list = list.New(m.ctx)
	m.list.SetNamespace(opts.Namespace)
	m.flow = newFlowPage(m.ctx, applydialog.Writer{Applier: opts.Applier, ReadOnly: opts.ReadOnly, Source: opts.Source}, opts.PatchPreview)
	m.snap = opts.Snapshot
	return m, nil
}

func (m *Model) setTheme(name string) error {
	t, err := themes.Load(name, m.opts.ThemeDir)
	if err != nil {
		return err
	}
	m.theme = name
	m.ctx.Styles = themes.NewStyles(t)
	return nil
}

// Init asks for the terminal background, starts listening to a live
// source, and computes the first summaries and prediction.
func (m *Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	if m.themeAuto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	cmds = append(cmds, m.waitFeed(), m.waitWarning())
	if m.snap != nil {
		cmds = append(cmds, m.summarize())
		if m.opts.Service != "" {
			m.page = pageFlow
			cmds = append(cmds, m.flow.show(m.snap, m.opts.Service, m.opts.From))
		}
	}
	return tea.Batch(cmds...)
}

// waitFeed waits for the live source's next snapshot or progress line.
// It is re-armed after each one, so a burst of updates costs one redraw
// per snapshot the source chose to publish.
func (m *Model) waitFeed() tea.Cmd {
	up, prog, failed := m.opts.Updates, m.opts.Progress, m.opts.Failed
	if up == nil && prog == nil && failed == nil {
		return nil
	}
	return func() tea.Msg {
		for {
			select {
			case s, ok := <-up:
				if !ok {
					return feedEndedMsg{}
				}
				return snapshotMsg{s}
			case p, ok := <-prog:
				if !ok {
					prog = nil // progress is over; keep waiting on the rest
					continue
				}
				return progressMsg(p)
			case err := <-failed:
				return failedMsg{err}
			}
		}
	}
}

// summarize computes the list's rows off the render path: for ten
// thousand Services it takes long enough to drop frames.
func (m *Model) summarize() tea.Cmd {
	m.summSeq++
	seq, snap, prev, prevRows := m.summSeq, m.snap, m.summed, m.summRows
	return func() tea.Msg {
		return summariesMsg{seq: seq, snap: snap, rows: model.Resummarize(prev, prevRows, snap, "")}
	}
}

// Update routes one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.Width, m.ctx.Height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.BackgroundColorMsg:
		if m.themeAuto {
			name := "light"
			if msg.IsDark() {
				name = "dark"
			}
			_ = m.setTheme(name)
		}
		return m, nil
	case snapshotMsg:
		return m, tea.Batch(m.setSnapshot(msg.snap), m.waitFeed())
	case progressMsg:
		m.loading = string(msg)
		return m, m.waitFeed()
	case feedEndedMsg:
		m.opts.Updates, m.opts.Progress, m.opts.Failed = nil, nil, nil
		return m, nil
	case failedMsg:
		m.failed = msg.err
		m.opts.Updates, m.opts.Progress, m.opts.Failed = nil, nil, nil
		return m, nil
	case staleTickMsg:
		m.ticking = false
		return m, m.tickStale()
	case summariesMsg:
		if msg.seq == m.summSeq {
			m.list.SetRows(msg.rows)
			m.summed, m.summRows = msg.snap, msg.rows
		}
		return m, nil
	case demoMsg:
		return m, m.switchDemo(msg)
	case warningMsg:
		return m, m.onWarning(msg)
	case list.OpenMsg:
		return m, m.openFlow(msg.Service, model.TrafficSource{})
	case predictionMsg:
		// The flow page's, and then observed traffic for it (observed.go).
		_, cmd := m.flow.Update(msg)
		return m, tea.Batch(cmd, m.observeChanged())
	case observeTickMsg:
		return m, m.onObserveTick()
	case observedMsg:
		m.onObserved(msg)
		return m, nil
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.MouseWheelMsg:
		return m, m.wheel(msg)
	case tea.PasteMsg:
		m.paste(msg)
		return m, nil
	}
	// The rest are the flow page's: its predictions, the what-if's
	// comparisons and the apply dialog's answers, which arrive whichever
	// page is in front.
	_, cmd := m.flow.Update(msg)
	if quit := m.afterWrite(); quit != nil {
		return m, quit
	}
	return m, cmd
}

func (m *Model) setSnapshot(s *model.Snapshot) tea.Cmd {
	if s == nil {
		return nil
	}
	m.snap = s
	m.loading = ""
	switch n := len(s.Warnings); {
	case n > 0:
		w := s.Warnings[0]
		if n > 1 {
			w += fmt.Sprintf(" (+%d more)", n-1)
		}
		m.setStatus(w, false)
		m.statusFromSnapshot = true
	case m.statusFromSnapshot:
		// The source recovered: what the last snapshot warned of is over.
		m.setStatus("", false)
	}
	cmds := []tea.Cmd{m.summarize(), m.tickStale()}
	if m.opts.Service != "" && m.flow.service == "" {
		m.page = pageFlow
		cmds = append(cmds, m.flow.show(s, m.opts.Service, m.opts.From))
	} else if m.flow.service != "" {
		cmds = append(cmds, m.flow.show(s, m.flow.service, m.flow.source))
	}
	return tea.Batch(cmds...)
}

// tickStale keeps the header's stale age current without any event from
// the source (a silent server sends none): one tick a second while the
// snapshot is stale, and none at all otherwise.
func (m *Model) tickStale() tea.Cmd {
	if m.ticking || m.snap == nil || m.snap.StaleSince.IsZero() {
		return nil
	}
	m.ticking = true
	return tea.Tick(staleEvery, func(time.Time) tea.Msg { return staleTickMsg{} })
}

func (m *Model) openFlow(svc string, src model.TrafficSource) tea.Cmd {
	if m.snap == nil {
		return nil
	}
	if m.snap.Service(svc) == nil {
		m.setStatus("no Service "+svc+" in this snapshot", false)
		return nil
	}
	m.page = pageFlow
	m.list.Select(svc)
	m.resize()
	return m.flow.show(m.snap, svc, src)
}

func (m *Model) setStatus(s string, ok bool) {
	m.status, m.statusOK, m.statusFromSnapshot = s, ok, false
}

func (m *Model) active() common.Component {
	if m.page == pageFlow {
		return m.flow
	}
	return m.list
}

// resize gives the page in front the body's size.
func (m *Model) resize() {
	w, h := m.ctx.Width, max(0, m.ctx.Height-2)
	m.list.SetSize(w, h)
	m.flow.SetSize(w, h)
}

// Page names the page in front: "list" or "flow".
func (m *Model) Page() string {
	if m.page == pageFlow {
		return "flow"
	}
	return "list"
}

// Theme is the theme in use.
func (m *Model) Theme() string { return m.theme }

// Quitting reports whether the user asked to quit.
func (m *Model) Quitting() bool { return m.quitting }
