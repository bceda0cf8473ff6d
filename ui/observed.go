package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/flow"
)

// Observed traffic in the flow view: when the CLI hands the UI a way to
// measure (Options.Observe: Prometheus or the pods' /metrics), the flow
// of the Service in front is measured when it opens or its source
// changes, and again every ObserveEvery, off the render path. The flow
// view draws the result under the graph (flow/observed.go).

// observeTimeout bounds one measurement; scraping pods twice takes the
// scrape interval and more.
const observeTimeout = time.Minute

type (
	observeTickMsg struct{}
	observedMsg    struct {
		seq  int
		pred *model.Prediction
		err  error
		at   time.Time
	}
)

// observer is the measuring state: the request number (a slow answer for
// a flow already left is dropped), whether the timer runs, and what was
// measured last.
type observer struct {
	seq     int
	ticking bool
	service string
	source  model.TrafficSource
}

// observeChanged measures the flow in front when its Service or source
// is not the one measured last; the timer takes care of the rest.
func (m *Model) observeChanged() tea.Cmd {
	p := m.flow.view.Prediction()
	if m.opts.Observe == nil || p == nil || (p.Service == m.obs.service && p.Source == m.obs.source) {
		return nil
	}
	return m.observe()
}

// observe measures the prediction in front, and keeps the timer going.
func (m *Model) observe() tea.Cmd {
	p, snap, measure := m.flow.view.Prediction(), m.flow.snap, m.opts.Observe
	if measure == nil {
		return nil
	}
	cmds := []tea.Cmd{m.observeTick()}
	if p == nil || m.page != pageFlow {
		return tea.Batch(cmds...)
	}
	m.obs.seq++
	m.obs.service, m.obs.source = p.Service, p.Source
	if o := m.flow.view.ObservedShown(p); o == nil {
		m.flow.view.SetObserved(&flow.Observed{From: m.opts.ObservedFrom}) // "measuring…"
	}
	seq, now := m.obs.seq, m.opts.Now
	cmds = append(cmds, func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), observeTimeout)
		defer cancel()
		got, err := measure(ctx, snap, p)
		return observedMsg{seq: seq, pred: got, err: err, at: now()}
	})
	return tea.Batch(cmds...)
}

func (m *Model) observeTick() tea.Cmd {
	if m.obs.ticking || m.opts.ObserveEvery <= 0 {
		return nil
	}
	m.obs.ticking = true
	return tea.Tick(m.opts.ObserveEvery, func(time.Time) tea.Msg { return observeTickMsg{} })
}

func (m *Model) onObserveTick() tea.Cmd {
	m.obs.ticking = false
	return m.observe()
}

func (m *Model) onObserved(msg observedMsg) {
	if msg.seq != m.obs.seq {
		return
	}
	m.flow.view.SetObserved(&flow.Observed{From: m.opts.ObservedFrom, Pred: msg.pred, At: msg.at, Every: m.opts.ObserveEvery, Err: msg.err})
}
