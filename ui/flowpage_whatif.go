package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/whatif"
)

// The what-if screen puts the panel beside the before/after pane when
// both fit, above it otherwise.
const panelBesideMin = 150

func (f *flowPage) panelBeside() bool { return f.width >= panelBesideMin }

// paneWidth is the width the before/after pane gets.
func (f *flowPage) paneWidth() int {
	if f.wi.Open() && f.panelBeside() {
		return f.width - whatif.Width - 3
	}
	return f.width
}

// openWhatIf shows the what-if screen with the panel open.
func (f *flowPage) openWhatIf() tea.Cmd {
	if !f.ready() {
		return nil
	}
	f.active = true
	f.wi.SetOpen(true)
	return f.wi.Check()
}

// startApply clears the notes and opens the dialog; the dialog says in a
// ClosedMsg why there is nothing to apply, or nothing to apply to.
func (f *flowPage) startApply() tea.Cmd {
	f.wi.ClearNotes()
	return f.dialog.Start(f.service, f.wi.Edit().Overrides, f.wi.Pending())
}

// captures reports whether the what-if screen takes k before the root's
// global keys: the dialog takes every key, the panel its editing keys,
// and the screen esc (back to the flow, not the list).
func (f *flowPage) captures(k tea.KeyPressMsg) bool {
	keys := f.ctx.Keys
	switch {
	case f.modal():
		return k.String() != "ctrl+c"
	case !f.active:
		return false
	}
	return key.Matches(k, keys.Back, keys.WhatIf, keys.Apply) || f.wi.Captures(k)
}

// whatIfKey routes a key on the what-if screen to the part that owns it,
// or outside it takes the keys that open it. It reports false for keys
// it leaves to the flow page.
func (f *flowPage) whatIfKey(k tea.KeyPressMsg) (bool, tea.Cmd) {
	keys := f.ctx.Keys
	if f.dialog.Open() {
		_, cmd := f.dialog.Update(k)
		return true, cmd
	}
	if !f.active {
		switch {
		case key.Matches(k, keys.WhatIf):
			return true, f.openWhatIf()
		case key.Matches(k, keys.Apply):
			if !f.ready() {
				return true, nil
			}
			cmd := f.openWhatIf()
			f.wi.SetOpen(false)
			return true, tea.Batch(cmd, f.startApply())
		}
		return false, nil
	}
	switch {
	case f.wi.Picking():
		// Typed text is the picker's, whatever else the letter means.
		_, cmd := f.wi.Update(k)
		return true, cmd
	case key.Matches(k, keys.Apply):
		return true, f.startApply()
	case key.Matches(k, keys.WhatIf):
		f.wi.SetOpen(!f.wi.Open())
		return true, nil
	case f.wi.Captures(k):
		_, cmd := f.wi.Update(k)
		return true, cmd
	case f.wi.Open():
		// Paging, top and bottom still move the pane beside or under the
		// panel, as its hint says; space and j/k are the panel's. The
		// panel's 12 rows wrap around, so g/G are worth more to the
		// results, which run to a hundred lines.
		if key.Matches(k, keys.PageDown, keys.PageUp, keys.Top, keys.Bottom) {
			f.scroll(k)
			return true, nil
		}
		return false, nil
	case key.Matches(k, keys.Back):
		f.active = false
		return true, nil
	case f.pane.Scrolls(k):
		f.scroll(k)
		return true, nil
	}
	return false, nil
}

// scroll hands k to the pane, sized first: it pages by the height it
// has now, which the notes and a panel above it take from.
func (f *flowPage) scroll(k tea.KeyPressMsg) {
	f.layout()
	f.pane.Update(k)
}

// panelAbove is the height the panel gets above the results in a body
// h rows tall: two fifths, so at 80×24 the comparison's per-source
// summary starts on the first page under it; a picker open on a row,
// where the user's eyes are, gets what it needs.
func panelAbove(h int, picking bool) int {
	if picking {
		return h
	}
	return max(6, h*2/5)
}

// layout sizes the panel and the pane for what is shown now: the notes
// take the top rows, and the panel sits beside the pane or above it. It
// returns the notes and the panel's lines it measured them by.
func (f *flowPage) layout() (notes, panel []string) {
	notes = f.wi.NoteLines(f.width)
	h := f.height - len(notes)
	if f.wi.Open() {
		if f.panelBeside() {
			f.wi.SetSize(whatif.Width, h)
			panel = f.wi.Lines()
		} else {
			f.wi.SetSize(f.width, panelAbove(h, f.wi.Picking()))
			panel = f.wi.Lines()
			h -= len(panel)
		}
	}
	f.pane.SetSize(f.paneWidth(), max(1, h))
	f.pane.ShareKeys(f.wi.Open())
	return notes, panel
}

func (f *flowPage) whatIfView() string {
	if f.dialog.Open() {
		return f.dialog.View()
	}
	out, panel := f.layout()
	body := f.pane.Lines()
	switch {
	case !f.wi.Open():
		out = append(out, body...)
	case f.panelBeside():
		out = append(out, common.Beside(panel, body, whatif.Width, f.ctx.Styles.Faint.Render(" │ "))...)
	default:
		out = append(out, panel...)
		out = append(out, body...)
	}
	return strings.Join(out, "\n")
}
