package ui

import (
	tea "charm.land/bubbletea/v2"

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
	before  *model.Prediction
	after   *model.Prediction
	diff    *model.Diff
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

// PatchPreview turns a what-if's Service fields into the YAML server-side
// apply would send. The caller provides it: the ui does not know the API
// types.
type PatchPreview func(svc *model.Service, o model.Overrides) (string, error)

// compareCmd predicts the Service as it is and with the edit, the same
// pair `ktraffic diff` compares: same source and port, no overrides and
// no drills on the before side.
func compareCmd(seq int, candidate bool, snap *model.Snapshot, svc string, src model.TrafficSource, ed edit, preview PatchPreview, st *themes.Styles, width int) tea.Cmd {
	return func() tea.Msg {
		base := model.Request{Service: svc, Source: src}
		before, err := model.Predict(snap, base)
		if err != nil {
			return compareMsg{seq: seq, candidate: candidate, ed: ed, err: err}
		}
		req := base
		req.Overrides, req.Drills = ed.o, ed.drills
		after, err := model.Predict(snap, req)
		if err != nil {
			return compareMsg{seq: seq, candidate: candidate, ed: ed, err: err}
		}
		c := &comparison{service: svc, snap: snap, ed: ed, before: before, after: after, diff: model.NewDiff(before, after)}
		if o := ed.serviceFields(); !o.Empty() && preview != nil {
			c.patch, c.patchErr = preview(findService(snap, svc), o)
		}
		if width > 0 {
			c.lines, c.linesW, c.linesSt = fitLines(compareLines(c, st, width), width), width, st
		}
		return compareMsg{seq: seq, candidate: candidate, ed: ed, result: c}
	}
}
