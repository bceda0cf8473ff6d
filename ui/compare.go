package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
)

// compareMsg is a what-if's two predictions and their diff, computed
// off the render path and tagged like predictionMsg.
type compareMsg struct {
	seq int
	// candidate marks a change the user just made, which a refusal undoes.
	candidate bool
	ed        edit
	result    *comparison
	// err is the model refusing the what-if (a policy the Service type
	// does not take, a drill naming no node): one line, shown in the panel.
	err error
}

// comparison is what the before/after screen draws.
type comparison struct {
	service string
	snap    *model.Snapshot
	ed      edit
	// wi is the what-if judged from every source; before, after and diff
	// are its detailed source's (the one the flow view shows).
	wi     *model.WhatIf
	before *model.Prediction
	after  *model.Prediction
	diff   *model.Diff
	// patch is the YAML a server-side apply would send for the Service
	// fields of the edit; patchErr says why there is none.
	patch    string
	patchErr error
	// lines is the screen drawn ahead, off the render path, for the width
	// and styles the command was made with; View uses it if they still hold.
	lines   []string
	linesW  int
	linesSt *themes.Styles
}

// compareCmd judges the edit the way `ktraffic diff` does: from every
// source the Service has, with src (the flow view's) in detail; same
// port, no overrides and no drills on the before side.
func compareCmd(seq int, candidate bool, snap *model.Snapshot, svc string, src model.TrafficSource, ed edit, preview apply.Preview, st *themes.Styles, width int) tea.Cmd {
	return func() tea.Msg {
		req := model.Request{Service: svc, Source: src, Overrides: ed.o, Drills: ed.drills}
		wi, err := model.EvaluateWhatIf(snap, req)
		if err != nil {
			return compareMsg{seq: seq, candidate: candidate, ed: ed, err: err}
		}
		c := &comparison{service: svc, snap: snap, ed: ed, wi: wi, before: wi.Before, after: wi.After, diff: wi.Diff}
		if o := ed.o.ServiceFields(); !o.Empty() && preview != nil {
			c.patch, c.patchErr = preview(findService(snap, svc), o)
		}
		if width > 0 {
			c.lines, c.linesW, c.linesSt = fitLines(compareLines(c, st, width), width), width, st
		}
		return compareMsg{seq: seq, candidate: candidate, ed: ed, result: c}
	}
}
