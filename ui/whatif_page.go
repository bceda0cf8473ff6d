package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
)

// writeOptions are the UI's answers about writing to the cluster, from
// Options: who writes, whether writing is off, and how to preview.
type writeOptions struct {
	applier  apply.Applier
	readOnly string // why writes are off; "" when they are on
	source   string // where data comes from, for "nothing to apply to"
	preview  apply.Preview
}

// whatIf is the flow page's what-if mode: the panel, the before/after
// screen and the apply dialog. The edit lives here, not in the panel or
// the dialog, so closing either, a refused change, a failed apply or a
// live update never loses it.
type whatIf struct {
	active    bool // the before/after screen is shown instead of the flow
	panelOpen bool
	cursor    int

	ed      edit
	pending *edit // a candidate the model is checking
	seq     int
	cmp     *comparison
	// refused is the model's one-line refusal of the last change; stale
	// is the current edit failing on a newer snapshot.
	refused string
	stale   string
	notes   []note
	offset  int
	dialog  applyDialog
	// applied is the change last applied, until a snapshot shows it.
	applied *model.Overrides

	lines    []string
	linesFor *comparison
	linesW   int
	linesSt  *themes.Styles
}

// note is a line above the before/after screen: what happened that the
// user did not do on this screen (a live update, an apply arriving).
type note struct {
	text string
	ok   bool
}

// current is the edit the next change starts from: the candidate being
// checked, if any, so quick key presses add up.
func (w *whatIf) current() edit {
	if w.pending != nil {
		return *w.pending
	}
	return w.ed
}

func (f *flowPage) baseSettings() (model.Settings, *model.Prediction) {
	if c := f.wi.cmp; c != nil {
		return c.before.Settings, c.before
	}
	if p := f.view.Prediction(); p != nil {
		return p.Settings, p
	}
	return model.Settings{}, nil
}

// shownSettings are the what-if's effective settings, when the screen
// shows the current edit.
func (f *flowPage) shownSettings() *model.Settings {
	if c := f.wi.cmp; c != nil && f.wi.pending == nil {
		return &c.after.Settings
	}
	return nil
}

// compare asks for the before/after of ed; candidate marks a change the
// user just made, which a refusal undoes.
func (f *flowPage) compare(ed edit, candidate bool) tea.Cmd {
	f.wi.seq++
	if candidate {
		c := ed
		f.wi.pending = &c
	}
	return compareCmd(f.wi.seq, candidate, f.snap, f.service, f.source, ed, f.write.preview, f.ctx.Styles, f.compareWidth())
}

func (f *flowPage) onCompare(msg compareMsg) {
	if msg.seq != f.wi.seq {
		return
	}
	f.wi.pending = nil
	if msg.err != nil {
		if msg.candidate {
			f.wi.refused = firstLine(msg.err.Error())
		} else {
			f.wi.stale = firstLine(msg.err.Error())
		}
		return
	}
	f.wi.ed, f.wi.cmp = msg.ed, msg.result
	f.wi.refused, f.wi.stale = "", ""
	if msg.candidate {
		// Notes answer what came before this change; they would now
		// describe a what-if that is gone.
		f.wi.notes = nil
	}
}

// openWhatIf shows the before/after screen with the panel open.
func (f *flowPage) openWhatIf() tea.Cmd {
	if f.service == "" || f.view.Prediction() == nil {
		return nil
	}
	f.wi.active, f.wi.panelOpen = true, true
	return f.compare(f.wi.ed, false)
}

// captures reports whether the what-if mode takes k before the root's
// global keys: the dialog takes every key, the panel its editing keys,
// and the before/after screen esc (back to the flow, not the list).
func (f *flowPage) captures(k tea.KeyPressMsg) bool {
	keys := f.ctx.Keys
	switch {
	case f.wi.dialog.open():
		return k.String() != "ctrl+c"
	case !f.wi.active:
		return false
	case f.wi.panelOpen:
		return key.Matches(k, keys.Up, keys.Down, keys.ValueNext, keys.ValuePrev, keys.ResetRow, keys.ResetAll,
			keys.WhatIf, keys.Apply, keys.Back)
	}
	return key.Matches(k, keys.Back, keys.WhatIf, keys.Apply, keys.ResetAll)
}

// whatIfKey handles a key in what-if mode, or outside it the keys that
// enter it. It reports false for keys it leaves to the page.
func (f *flowPage) whatIfKey(k tea.KeyPressMsg) (bool, tea.Cmd) {
	keys := f.ctx.Keys
	if f.wi.dialog.open() {
		return true, f.dialogKey(k)
	}
	if !f.wi.active {
		switch {
		case key.Matches(k, keys.WhatIf):
			return true, f.openWhatIf()
		case key.Matches(k, keys.Apply):
			cmd := f.openWhatIf()
			f.wi.panelOpen = false
			return true, tea.Batch(cmd, f.startApply())
		}
		return false, nil
	}
	switch {
	case key.Matches(k, keys.Apply):
		return true, f.startApply()
	case key.Matches(k, keys.ResetAll):
		f.wi.notes = nil
		return true, f.compare(edit{}, true)
	case key.Matches(k, keys.WhatIf):
		f.wi.panelOpen = !f.wi.panelOpen
		return true, nil
	}
	if f.wi.panelOpen {
		if ok, cmd := f.panelKey(k); ok {
			return true, cmd
		}
		// Paging still moves the screen beside or under the panel, as
		// its hint says; space is taken by the panel.
		if key.Matches(k, keys.PageDown, keys.PageUp) {
			return f.scroll(k), nil
		}
		return false, nil
	}
	if key.Matches(k, keys.Back) {
		f.wi.active = false
		return true, nil
	}
	return f.scroll(k), nil
}

func (f *flowPage) panelKey(k tea.KeyPressMsg) (bool, tea.Cmd) {
	keys := f.ctx.Keys
	r := panelRows[f.wi.cursor]
	base, before := f.baseSettings()
	// ValuePrev shares left and h with Back, and wins here: in the panel
	// they move a value, and esc alone closes it.
	switch {
	case key.Matches(k, keys.Back) && !key.Matches(k, keys.ValuePrev):
		f.wi.panelOpen = false
	case key.Matches(k, keys.Up):
		f.wi.cursor = (f.wi.cursor + len(panelRows) - 1) % len(panelRows)
	case key.Matches(k, keys.Down):
		f.wi.cursor = (f.wi.cursor + 1) % len(panelRows)
	case key.Matches(k, keys.ValueNext, keys.ValuePrev):
		dir := 1
		if key.Matches(k, keys.ValuePrev) {
			dir = -1
		}
		next, err := r.step(f.wi.current(), base, f.shownSettings(), f.snap, before, dir)
		if err != nil {
			f.wi.refused = firstLine(err.Error())
			return true, nil
		}
		return true, f.compare(next, true)
	case key.Matches(k, keys.ResetRow):
		return true, f.compare(r.reset(f.wi.current()), true)
	default:
		return false, nil
	}
	return true, nil
}

// scroll moves the before/after screen; it reports whether k scrolls.
func (f *flowPage) scroll(k tea.KeyPressMsg) bool {
	keys := f.ctx.Keys
	h := f.compareHeight()
	switch {
	case key.Matches(k, keys.Down):
		f.wi.offset++
	case key.Matches(k, keys.Up):
		f.wi.offset--
	case key.Matches(k, keys.PageDown):
		f.wi.offset += max(1, h-1)
	case key.Matches(k, keys.PageUp):
		f.wi.offset -= max(1, h-1)
	case key.Matches(k, keys.Top):
		f.wi.offset = 0
	case key.Matches(k, keys.Bottom):
		f.wi.offset = len(f.compareLines())
	default:
		return false
	}
	f.wi.offset = max(0, min(f.wi.offset, len(f.compareLines())-h))
	return true
}

// rebase keeps the edit across a live update of the same Service: it
// drops overrides the Service now has itself and says what changed under
// the user, or that an applied change arrived.
func (f *flowPage) rebase(old, cur *model.Snapshot) {
	was, now := findService(old, f.service), findService(cur, f.service)
	if was == nil || now == nil {
		return
	}
	changes := settingChanges(was, now)
	if len(changes) == 0 {
		return
	}
	dropped := pruneOverrides(&f.wi.ed, now)
	text := joinWords(changes)
	switch {
	case f.wi.applied != nil:
		f.wi.notes = []note{{text: "Your change arrived: " + text, ok: true}}
		f.wi.applied = nil
	default:
		f.wi.notes = []note{{text: "The Service changed underneath: " + text + "; the what-if now compares against it"}}
	}
	if len(dropped) > 0 {
		f.wi.notes = append(f.wi.notes, note{text: "now the Service's own, so no longer a what-if: " + joinWords(dropped), ok: true})
	}
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
