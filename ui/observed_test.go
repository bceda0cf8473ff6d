package ui

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

// fakeObserve measures kiada's pods at 50/25/25 requests per second, as
// the istio preset would, counting the calls.
func fakeObserve(calls *atomic.Int32, err error) func(context.Context, *model.Snapshot, *model.Prediction) (*model.Prediction, error) {
	return func(_ context.Context, _ *model.Snapshot, p *model.Prediction) (*model.Prediction, error) {
		calls.Add(1)
		if err != nil {
			return nil, err
		}
		c := *p
		c.Endpoints = append([]model.EndpointShare(nil), p.Endpoints...)
		model.AttachObserved(&c, map[string]float64{"default/kiada-001": 50, "default/kiada-002": 25, "default/kiada-003": 25},
			model.ObservedSummary{Source: "prometheus", Preset: "istio", WindowSeconds: 120})
		return &c, nil
	}
}

// TestObservedScreens: the flow view shows observed next to predicted
// per pod and per node, with the gap, its grade and the likely reason;
// or why it could not measure.
func TestObservedScreens(t *testing.T) {
	for _, tt := range []struct {
		name    string
		service string
		err     error
	}{
		{"cluster-degraded", "default/kiada-cluster", nil},
		{"local-healthy", "default/kiada", nil},
		{"error", "default/kiada", errors.New("querying prometheus at http://127.0.0.1:9: connection refused")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			m := newTestModel(t, Options{Snapshot: uitest.KiadaPair(), Source: "demo:kiada", Service: tt.service,
				Observe: fakeObserve(&calls, tt.err), ObservedFrom: "istio metrics via Prometheus"}, 100, 48)
			out := m.Render()
			checkFrame(t, out, 100, 48)
			golden.RequireEqual(t, plain(out))
			if calls.Load() != 1 {
				t.Errorf("measured %d times on opening, want 1", calls.Load())
			}
		})
	}
}

// runQuick runs a command and the commands of a batch it returns, giving
// each 200 ms: a timer's tick never answers in that time.
func runQuick(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	out := make(chan tea.Msg, 1)
	go func() { out <- cmd() }()
	select {
	case msg := <-out:
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				runQuick(m, c)
			}
			return
		}
		if msg != nil {
			_, next := m.Update(msg)
			runQuick(m, next)
		}
	case <-time.After(200 * time.Millisecond):
	}
}

// TestObservedRefreshes: the timer measures the flow in front again; a
// measurement for a flow already left is dropped; another source is
// measured when it opens.
func TestObservedRefreshes(t *testing.T) {
	var calls atomic.Int32
	m := newTestModel(t, Options{Snapshot: uitest.KiadaPair(), Source: "demo:kiada", Service: "default/kiada",
		Observe: fakeObserve(&calls, nil), ObservedFrom: "istio metrics via Prometheus"}, 100, 48)
	m.opts.ObserveEvery = time.Hour
	runQuick(m, func() tea.Msg { return observeTickMsg{} })
	if calls.Load() != 2 {
		t.Fatalf("measured %d times after a tick, want 2", calls.Load())
	}
	if !strings.Contains(plain(m.Render()), "again every 1h0m0s") {
		t.Errorf("the heading does not say when it measures again:\n%s", plain(m.Render()))
	}
	// A stale answer (an older request number) is dropped.
	stale := observedMsg{seq: m.obs.seq - 1, err: errors.New("stale")}
	m.Update(stale)
	if strings.Contains(plain(m.Render()), "stale") {
		t.Error("a stale measurement was drawn")
	}
	// s cycles the source: the new flow is measured at once.
	_, cmd := m.Update(press("s"))
	runQuick(m, cmd)
	if m.obs.source.Kind != model.SourceNodePort {
		t.Errorf("measured %v after switching to the NodePort, calls %d", m.obs.source, calls.Load())
	}
}
