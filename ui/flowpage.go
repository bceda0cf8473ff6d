package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/flow"
)

// predictionMsg carries a prediction back, tagged with the request number
// so a slow answer for a source the user has already left is dropped.
type predictionMsg struct {
	seq  int
	pred *model.Prediction
	err  error
}

// flowPage is the flow view of one Service from one traffic source. It
// owns the choice of Service and source; flow.Model only draws.
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

	wi    whatIf
	write writeOptions
}

func newFlowPage(ctx *common.Context) *flowPage {
	return &flowPage{ctx: ctx, view: flow.New(ctx)}
}

// show asks for the prediction of svc from src on snap.
func (f *flowPage) show(snap *model.Snapshot, svc string, src model.TrafficSource) tea.Cmd {
	switch {
	case svc != f.service:
		f.view.SetPrediction(nil, nil)
		// A what-if belongs to its Service.
		f.wi = whatIf{}
	case f.snap != nil && snap != f.snap:
		f.rebase(f.snap, snap)
	}
	f.snap, f.service, f.source = snap, svc, src
	return f.predict()
}

// predict asks for the flow, and for the before/after too while it is
// shown, so a live update or a new source redraws both.
func (f *flowPage) predict() tea.Cmd {
	f.seq++
	f.pending = true
	seq, snap, req := f.seq, f.snap, f.request()
	cmd := func() tea.Msg {
		p, err := model.Predict(snap, req)
		return predictionMsg{seq: seq, pred: p, err: err}
	}
	if f.wi.active {
		return tea.Batch(cmd, f.compare(f.wi.ed, false))
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
	if svc := findService(f.snap, f.service); svc != nil {
		return model.DefaultSource(svc)
	}
	return model.TrafficSource{}
}

// cycle moves to the next (or previous) traffic source.
func (f *flowPage) cycle(step int) tea.Cmd {
	svc := findService(f.snap, f.service)
	if svc == nil {
		return nil
	}
	all := sourcesFor(svc, f.snap)
	cur := f.effectiveSource()
	i := 0
	for j, s := range all {
		if s == cur {
			i = j
		}
	}
	f.source = all[(i+step+len(all))%len(all)]
	return f.predict()
}

func (f *flowPage) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case predictionMsg:
		if msg.seq != f.seq {
			return f, nil
		}
		f.pending = false
		f.err = msg.err
		if msg.err == nil {
			var entry []string
			if svc := findService(f.snap, f.service); svc != nil {
				entry = entryLines(svc, f.effectiveSource())
			}
			f.view.SetPrediction(msg.pred, entry)
		}
		return f, nil
	case compareMsg:
		f.onCompare(msg)
		return f, nil
	case applyMsg:
		return f, f.wi.dialog.answer(f.write.applier, msg)
	case tea.KeyPressMsg:
		if ok, cmd := f.whatIfKey(msg); ok {
			return f, cmd
		}
		keys := f.ctx.Keys
		switch {
		case key.Matches(msg, keys.Source):
			return f, f.cycle(1)
		case key.Matches(msg, keys.SourceBack):
			return f, f.cycle(-1)
		}
		if f.wi.active {
			return f, nil
		}
	}
	_, cmd := f.view.Update(msg)
	return f, cmd
}

func (f *flowPage) View() string {
	st := f.ctx.Styles
	switch {
	case f.err != nil:
		return st.ErrorMessage.Render("Cannot predict "+f.service+": ") + st.Text.Render(f.err.Error())
	case f.view.Prediction() == nil:
		return st.Muted.Render("Predicting " + f.service + "…")
	case f.wi.active:
		return f.whatIfView()
	}
	return f.view.View()
}

func (f *flowPage) SetSize(w, h int) {
	f.width, f.height = w, h
	f.view.SetSize(w, h)
}

func (f *flowPage) ShortHelp() []key.Binding {
	k := f.ctx.Keys
	switch {
	case f.wi.dialog.open():
		switch f.wi.dialog.step {
		case applyConflict:
			return []key.Binding{k.Force, k.Decline}
		case applyConfirm:
			return []key.Binding{k.Confirm, k.Decline}
		case applyApplying:
			return nil
		}
		return []key.Binding{closeKey(k)}
	case f.wi.active && f.wi.panelOpen:
		return []key.Binding{k.Down, k.ValueNext, k.ValuePrev, k.ResetRow, k.WhatIf, k.Apply}
	case f.wi.active:
		return []key.Binding{k.WhatIf, k.Apply, k.ResetAll, k.Down, k.Back}
	}
	return []key.Binding{k.WhatIf, k.Source, k.Back, k.Down}
}

func (f *flowPage) FullHelp() [][]key.Binding {
	k := f.ctx.Keys
	return append([][]key.Binding{{k.Source, k.SourceBack},
		// One column for the what-if and its dialog, so a narrow help
		// screen that drops columns keeps y/n/f beside a and w.
		{k.WhatIf, k.ValueNext, k.ValuePrev, k.ResetRow, k.ResetAll, k.Apply, k.Confirm, k.Decline, k.Force}}, f.view.FullHelp()...)
}
