// Package compare is the before/after pane of a what-if: the numbers
// `ktraffic diff` prints, from the same rows in package report, then the
// patch an apply would send, then both flows. The pane scrolls; the
// drawing is made ahead, in the command that computes the comparison.
package compare

import (
	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
)

// Request is a what-if to judge: a Service on a snapshot, the source the
// flow view shows, and the edit.
type Request struct {
	Snap      *model.Snapshot
	Service   string
	Source    model.TrafficSource
	Overrides model.Overrides
	Drills    []model.Drill
}

// Empty reports whether the edit changes nothing.
func (r Request) Empty() bool { return r.Overrides.Empty() && len(r.Drills) == 0 }

// Words is an edit as `ktraffic diff` arguments, for titles.
func Words(o model.Overrides, drills []model.Drill) []string {
	out := o.Pairs()
	for _, d := range drills {
		out = append(out, "drill "+d.String())
	}
	return out
}

// Layout is what a drawing depends on besides the comparison: drawn
// ahead for one layout, it is reused only while the pane still has it.
type Layout struct {
	Styles *themes.Styles
	Width  int
	// PanelOpen says the what-if panel is shown with the pane, and
	// ReadOnly that writes are off: both change what the pane tells the
	// user to press.
	PanelOpen bool
	ReadOnly  bool
}

// Comparison is what the pane draws.
type Comparison struct {
	Request
	// WhatIf is the what-if judged from every source; Before, After and
	// Diff are its detailed source's (the one the flow view shows).
	WhatIf *model.WhatIf
	Before *model.Prediction
	After  *model.Prediction
	Diff   *model.Diff
	// Patch is the YAML a server-side apply would send for the Service
	// fields of the edit; PatchErr says why there is none.
	Patch    string
	PatchErr error

	lines  []string
	drawAt Layout
}

// Evaluate judges the edit the way `ktraffic diff` does: from every
// source the Service has, with req.Source in detail; same port, no
// overrides and no drills on the before side. With a width in at, it
// draws the pane too, so the frame that shows it only cuts lines.
// It runs in a command, off the render path.
func Evaluate(req Request, preview apply.Preview, at Layout) (*Comparison, error) {
	wi, err := model.EvaluateWhatIf(req.Snap, model.Request{Service: req.Service, Source: req.Source,
		Overrides: req.Overrides, Drills: req.Drills})
	if err != nil {
		return nil, err
	}
	c := &Comparison{Request: req, WhatIf: wi, Before: wi.Before, After: wi.After, Diff: wi.Diff}
	if o := req.Overrides.ServiceFields(); !o.Empty() && preview != nil {
		c.Patch, c.PatchErr = preview(req.Snap.Service(req.Service), o)
	}
	if at.Width > 0 {
		c.lines, c.drawAt = common.FitLines(Lines(c, at), at.Width), at
	}
	return c, nil
}
