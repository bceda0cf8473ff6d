package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/applydialog"
	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/compare"
	"github.com/ktraffic/ktraffic/ui/flow"
	"github.com/ktraffic/ktraffic/ui/picker"
	"github.com/ktraffic/ktraffic/ui/whatif"
)

// predictionMsg carries a prediction back, tagged with the request number
// so a slow answer for a source the user has already left is dropped.
type predictionMsg struct {
	seq  int
	pred *model.Prediction
	err  error
}

// flowPage is the flow view of one Service from one traffic source. It
// owns the choice of Service and source and routes everything else: the
// flow view draws, the what-if panel owns the edit and its results, the
// before/after pane scrolls a comparison, and the apply dialog owns the
// cluster calls. Each takes its own messages; the page only lays them out.
type flowPage struct {
	ctx     *common.Context
	view    *flow.Model
	snap    *model.Snapshot
	service string
	source  model.TrafficSource // zero: the Service's natural entry
	seq     int
	pending bool
	err     error
	width   int
	height  int

	// active puts the what-if screen (panel, pane, or dialog) in front
	// of the flow.
	active  bool
	wi      *whatif.Model
	pane    *compare.Pane
	dialog  *applydialog.Model
	preview apply.Preview
	// pick is the picker of the node traffic comes from, nil when closed.
	pick *picker.Model
}

func newFlowPage(ctx *common.Context, w applydialog.Writer, preview apply.Preview) *flowPage {
	f := &flowPage{ctx: ctx, view: flow.New(ctx), pane: compare.NewPane(ctx), dialog: applydialog.New(ctx, w), preview: preview}
	f.wi = f.newWhatIf()
	return f
}

func (f *flowPage) newWhatIf() *whatif.Model {
	return whatif.New(f.ctx, whatif.Options{Preview: f.preview,
		DrawAt: func() compare.Layout {
			return compare.Layout{Styles: f.ctx.Styles, Width: f.paneWidth(), PanelOpen: f.wi.Open(), ReadOnly: f.ctx.ReadOnly != ""}
		}})
}

// show asks for the prediction of svc from src on snap.
func (f *flowPage) show(snap *model.Snapshot, svc string, src model.TrafficSource) tea.Cmd {
	switch {
	case svc != f.service:
		f.view.SetPrediction(nil, nil)
		// A what-if belongs to its Service.
		f.active, f.pick = false, nil
		f.wi, f.pane = f.newWhatIf(), compare.NewPane(f.ctx)
		f.dialog.Close()
	case f.snap != nil && snap != f.snap:
		f.wi.Rebase(f.snap.Service(f.service), snap.Service(f.service))
	}
	f.snap, f.service, f.source = snap, svc, src
	return f.predict()
}

// predict asks for the flow, and for the before/after too while it is
// shown, so a live update or a new source redraws both.
func (f *flowPage) predict() tea.Cmd {
	f.seq++
	f.pending = true
	f.wi.SetTarget(whatif.Target{Snap: f.snap, Service: f.service, Source: f.source})
	seq, snap, req := f.seq, f.snap, f.request()
	cmd := func() tea.Msg {
		p, err := model.Predict(snap, req)
		return predictionMsg{seq: seq, pred: p, err: err}
	}
	if f.active {
		return tea.Batch(cmd, f.wi.Check())
	}
	return cmd
}

// request is the one place a prediction request is built, so what-if
// overrides and drills can join it without touching the drawing.
func (f *flowPage) request() model.Request {
	return model.Request{Service: f.service, Source: f.source}
}

// effectiveSource is the source shown: the chosen one or the Service's
// natural entry.
func (f *flowPage) effectiveSource() model.TrafficSource {
	if f.source.Kind != "" {
		return f.source
	}
	if svc := f.shownService(); svc != nil {
		return model.DefaultSourceIn(f.snap, svc)
	}
	return model.TrafficSource{}
}

// shownService is the Service shown, or nil.
func (f *flowPage) shownService() *model.Service {
	if f.snap == nil {
		return nil
	}
	return f.snap.Service(f.service)
}

// editing reports whether a what-if is kept, shown or not.
func (f *flowPage) editing() bool { return !f.wi.Edit().Empty() }

// Update routes a message to the part that owns it.
func (f *flowPage) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case predictionMsg:
		if msg.seq != f.seq {
			return f, nil
		}
		f.pending = false
		f.err = msg.err
		if msg.err != nil {
			// The what-if screen cannot stand on a flow that fails; its
			// edit stays, for w once a source predicts again.
			f.active = false
		}
		if msg.err == nil {
			var entry []string
			if svc := f.shownService(); svc != nil {
				entry = flow.EntryLines(svc, f.effectiveSource())
			}
			f.view.SetPrediction(msg.pred, entry)
			f.wi.SetFlow(msg.pred)
		}
		return f, nil
	case whatif.ResultMsg:
		f.wi.Update(msg)
		f.showComparison()
		return f, nil
	case applydialog.AnswerMsg:
		_, cmd := f.dialog.Update(msg)
		return f, cmd
	case picker.PickedMsg:
		if msg.ID == sourcePickerID && f.pick != nil {
			return f, f.picked(msg.Value)
		}
		_, cmd := f.wi.Update(msg)
		return f, cmd
	case picker.CancelledMsg:
		if msg.ID == sourcePickerID {
			f.pick = nil
			return f, nil
		}
		f.wi.Update(msg)
		return f, nil
	case applydialog.ClosedMsg:
		if msg.Note != "" {
			f.wi.Note(msg.Note, msg.OK)
		}
		if msg.Applied != nil {
			f.wi.AwaitApplied(*msg.Applied)
		}
		return f, nil
	case tea.KeyPressMsg:
		if f.pick != nil {
			_, cmd := f.pick.Update(msg)
			return f, cmd
		}
		if ok, cmd := f.whatIfKey(msg); ok {
			return f, cmd
		}
		keys := f.ctx.Keys
		switch {
		case key.Matches(msg, keys.Source):
			return f, f.cycle(1)
		case key.Matches(msg, keys.SourceBack):
			return f, f.cycle(-1)
		case key.Matches(msg, keys.FromNode):
			f.pickNode()
			return f, nil
		}
		if f.active {
			return f, nil
		}
	}
	_, cmd := f.view.Update(msg)
	return f, cmd
}

// showComparison hands the what-if's accepted comparison to the pane and
// its judgement to the dialog.
func (f *flowPage) showComparison() {
	c := f.wi.Comparison()
	f.pane.Show(c)
	if c != nil {
		f.dialog.SetEffect(c.WhatIf)
	}
}

func (f *flowPage) View() string {
	st := f.ctx.Styles
	switch {
	case f.dialog.Open():
		return f.dialog.View()
	case f.pick != nil:
		return f.pick.View()
	case f.err != nil:
		lines := common.Wrap("Cannot predict "+f.service+": "+common.TUIWords(f.err.Error()), f.width)
		for i, l := range lines {
			lines[i] = st.ErrorMessage.Render(l)
		}
		return strings.Join(lines, "\n")
	case f.view.Prediction() == nil:
		return st.Muted.Render("Predicting " + f.service + "…")
	case f.active:
		return f.whatIfView()
	}
	return f.view.View()
}

// ready reports whether a flow is shown: the what-if, the apply and the
// node picker all start from one.
func (f *flowPage) ready() bool { return f.err == nil && f.view.Prediction() != nil }

// errorKeys are the keys that still do something while the flow cannot
// be predicted: another source, if the Service is there, and back.
func (f *flowPage) errorKeys() []key.Binding {
	k := f.ctx.Keys
	if f.err != nil && f.shownService() != nil {
		return []key.Binding{k.Source, k.SourceBack, k.Back}
	}
	return []key.Binding{k.Back}
}

func (f *flowPage) SetSize(w, h int) {
	f.width, f.height = w, h
	f.view.SetSize(w, h)
	f.dialog.SetSize(w, h)
	if f.pick != nil {
		f.pick.SetSize(w, h)
	}
}

// modal reports whether a dialog or a picker takes every key, so the
// footer offers none of the global ones.
func (f *flowPage) modal() bool { return f.dialog.Open() || f.pick != nil || f.wi.Picking() }

// ShortHelp is the footer's keys, most needed first: the footer drops
// them from the end when the terminal is narrow, so apply stays in view
// on the what-if screen.
func (f *flowPage) ShortHelp() []key.Binding {
	k := f.ctx.Keys
	switch {
	case f.dialog.Open():
		return f.dialog.ShortHelp()
	case f.pick != nil:
		return f.pick.ShortHelp()
	case f.active && f.wi.Picking():
		return f.wi.ShortHelp()
	case f.active && f.wi.Open():
		closePanel := key.NewBinding(key.WithKeys(k.WhatIf.Keys()...), key.WithHelp(k.WhatIf.Help().Key, "close panel"))
		return append(append(f.applyKey(), f.wi.ShortHelp()...), closePanel)
	case f.active:
		openPanel := key.NewBinding(key.WithKeys(k.WhatIf.Keys()...), key.WithHelp(k.WhatIf.Help().Key, "panel"))
		return append(append(f.applyKey(), openPanel, k.ResetAll), append(f.pane.ShortHelp(), k.Back)...)
	case f.err != nil || f.view.Prediction() == nil:
		return f.errorKeys()
	}
	// ↓/j trace a node's lanes before they scroll (flow/trace.go).
	trace := key.NewBinding(key.WithKeys(k.Down.Keys()...), key.WithHelp(k.Down.Help().Key, "trace"))
	return []key.Binding{k.WhatIf, k.Source, trace, k.FromNode, k.Back}
}

// applyKey is the apply key, unless writes are off: offering it under
// --read-only would only lead to a refusal.
func (f *flowPage) applyKey() []key.Binding {
	if f.ctx.ReadOnly != "" {
		return nil
	}
	return []key.Binding{f.ctx.Keys.Apply}
}

func (f *flowPage) FullHelp() [][]key.Binding {
	k := f.ctx.Keys
	// One column for the what-if and its dialog, so a narrow help screen
	// that drops columns keeps y/n/f beside a and w.
	whatIf := append([]key.Binding{k.WhatIf}, f.wi.FullHelp()[0]...)
	if apply := f.applyKey(); apply != nil {
		whatIf = append(append(whatIf, apply...), f.dialog.FullHelp()[0]...)
	}
	return append([][]key.Binding{{k.Source, k.SourceBack, k.FromNode}, whatIf}, f.view.FullHelp()...)
}
