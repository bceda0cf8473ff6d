package ui

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/report"
	"github.com/ktraffic/ktraffic/ui/common"
)

// startApply opens the apply dialog, or says in a note why there is
// nothing to apply, or nothing to apply to.
func (f *flowPage) startApply() tea.Cmd {
	f.wi.notes = nil
	o := f.wi.ed.o.ServiceFields()
	refuse := func(text string) tea.Cmd {
		f.wi.notes = []note{{text: text}}
		return nil
	}
	switch {
	case f.write.readOnly != "":
		return refuse("Read-only: nothing is applied (" + f.write.readOnly + ").")
	case f.write.applier == nil:
		src := f.write.source
		if src == "" {
			src = "a file"
		}
		return refuse("Nothing to apply to: the data comes from " + src + ", not a cluster. The patch below is what apply would send to a live Service.")
	case f.wi.pending != nil:
		return refuse("The what-if is still being predicted; press a again in a moment.")
	case o.Empty():
		return refuse("Nothing to apply: the what-if changes no Service field (lbMode, lbNode and drills are never applied).")
	}
	return f.wi.dialog.start(f.write.applier, f.service, o)
}

// dialogKey answers the dialog: y applies only once the dry run passed,
// f forces only after a conflict was shown, and everything else that is
// an answer is no.
func (f *flowPage) dialogKey(k tea.KeyPressMsg) tea.Cmd {
	keys := f.ctx.Keys
	d := &f.wi.dialog
	switch d.step {
	case applyConfirm:
		switch {
		case key.Matches(k, keys.Confirm):
			return d.call(f.write.applier, applyApplying)
		case key.Matches(k, keys.Decline):
			d.close()
			f.wi.notes = []note{{text: "Not applied: nothing was changed; the what-if is kept."}}
		}
	case applyConflict:
		switch {
		case key.Matches(k, keys.Force):
			return d.forceAgain(f.write.applier)
		case key.Matches(k, keys.Decline):
			d.close()
			f.wi.notes = []note{{text: "Not applied: nothing was changed; the what-if is kept."}}
		}
	case applyChecking, applyDryRunning:
		// Nothing is written yet, so leaving is safe; a late answer is
		// dropped by its sequence number.
		if key.Matches(k, keys.Decline) {
			d.seq++
			d.close()
		}
	case applyFailed:
		if key.Matches(k, keys.Decline, keys.Confirm) {
			d.close()
			f.wi.notes = []note{{text: "Not applied: " + firstLine(d.err.Error()) + " The what-if is kept."}}
		}
	case applyUnknown:
		if key.Matches(k, keys.Decline, keys.Confirm) {
			d.close()
			f.wi.notes = []note{{text: "Outcome unknown: " + firstLine(d.err.Error()) + " The what-if is kept."}}
		}
	case applyDone:
		if key.Matches(k, keys.Decline, keys.Confirm) {
			d.close()
			if !d.done.Nothing {
				o := d.o
				f.wi.applied = &o
				f.wi.notes = []note{{text: "Applied " + joinWords(d.done.Changes) + "; waiting for the live view to show it…", ok: true}}
			}
		}
	}
	// While the apply is in flight no key closes the dialog: its outcome
	// must be seen.
	return nil
}

func (f *flowPage) dialogLines() []string {
	st := f.ctx.Styles
	k := f.ctx.Keys
	d := &f.wi.dialog
	ok := func(s string) string { return st.Healthy.Render("✓ ") + st.Text.Render(s) }
	wait := func(s string) string { return st.Muted.Render("◌ " + s) }
	bad := func(s string) []string {
		var out []string
		for i, l := range strings.Split(ansi.Wordwrap(s, max(20, f.width-2), ""), "\n") {
			lead := "  "
			if i == 0 {
				lead = st.Unhealthy.Render("✗ ")
			}
			out = append(out, lead+st.Text.Render(l))
		}
		return out
	}
	hint := func(bs ...key.Binding) string {
		var parts []string
		for _, b := range bs {
			parts = append(parts, st.Key.Render(b.Help().Key)+" "+st.Muted.Render(b.Help().Desc))
		}
		return strings.Join(parts, st.Faint.Render(" · "))
	}
	out := []string{st.Title.Render("Apply the what-if to "+f.service) + st.Muted.Render(" ("+strings.Join(f.wi.ed.o.ServiceFields().Pairs(), ", ")+")"), ""}
	if d.step == applyChecking {
		return append(out, wait("checking permissions (SelfSubjectAccessReview for get and patch)…"), "", hint(k.Decline))
	}
	if d.step == applyFailed && d.dry.Patch == "" {
		if d.checked {
			out = append(out, ok("you may get and patch the Service"))
		}
		return append(append(out, bad(d.err.Error())...), "", st.Muted.Render("Nothing was changed; the what-if is kept. ")+hint(closeKey(k)))
	}
	out = append(out, ok("you may get and patch the Service"))
	switch d.step {
	case applyDryRunning:
		return append(out, wait("server-side dry run (dryRun=All)…"), "", hint(k.Decline))
	case applyConflict:
		out = append(out, bad("conflict: other field managers hold fields this change sets")...)
		fields := make([]string, 0, len(d.conflict.Fields))
		for p := range d.conflict.Fields {
			fields = append(fields, p)
		}
		sort.Strings(fields)
		for _, p := range fields {
			out = append(out, "    "+st.Text.Render(strings.TrimPrefix(p, ".")+" is managed by "+strings.Join(d.conflict.Fields[p], ", ")))
		}
		out = append(out, "")
		for _, l := range strings.Split(ansi.Wordwrap("Forcing takes them over; the next apply by those managers may set them back, so change it there too.", f.width, ""), "\n") {
			out = append(out, st.Muted.Render(l))
		}
		return append(out, hint(k.Force, k.Decline))
	}
	out = append(out, ok("dry run: the API server accepts the change"))
	for _, e := range d.dry.Effects {
		out = append(out, "    "+st.Text.Render("would: "+e))
	}
	if d.force {
		out = append(out, "  "+st.Levels["warning"].Render("force: fields other managers hold are taken over"))
	}
	out = append(out, "", st.Title.Render("Patch")+st.Muted.Render(" (server-side apply, field manager ktraffic):"))
	for _, l := range strings.Split(strings.TrimRight(d.dry.Patch, "\n"), "\n") {
		out = append(out, "  "+st.Text.Render(l))
	}
	out = append(out, "")
	switch d.step {
	case applyConfirm:
		out = append(out, f.effectLines()...)
		if d.changed {
			for _, l := range strings.Split(ansi.Wordwrap("The Service changed since you confirmed, so this patch differs from that one; nothing was sent. This is the new patch, checked by a new dry run.", max(20, f.width-2), ""), "\n") {
				out = append(out, st.Levels["warning"].Render(l))
			}
		}
		out = append(out, st.Bold.Render("Apply to "+f.service+"? ")+hint(k.Confirm, k.Decline))
	case applyApplying:
		out = append(out, wait("applying…"))
	case applyFailed:
		out = append(out, bad(d.err.Error())...)
		out = append(out, st.Muted.Render("The what-if is kept. ")+hint(closeKey(k)))
	case applyUnknown:
		out = append(out, bad("outcome unknown: "+d.err.Error())...)
		out = append(out, st.Muted.Render("The what-if is kept. ")+hint(closeKey(k)))
	case applyDone:
		if d.unknown != "" {
			for _, l := range strings.Split(ansi.Wordwrap(d.unknown, max(20, f.width-2), ""), "\n") {
				out = append(out, st.Levels["warning"].Render(l))
			}
		}
		if d.done.Nothing {
			out = append(out, ok("nothing to apply: the live Service already has these settings"))
		} else {
			out = append(out, ok("applied to "+f.service+" (field manager ktraffic):"))
			for _, c := range d.done.Changes {
				out = append(out, "    "+st.Text.Render(c))
			}
			for _, e := range d.done.Effects {
				out = append(out, "    "+st.Text.Render(e))
			}
			out = append(out, st.Muted.Render("The live view shows the change when its next update arrives."))
		}
		out = append(out, hint(closeKey(k)))
	}
	return out
}

// effectLines name, above the question, the worst the change does to any
// source of the Service's traffic, as apply's CLI confirmation does.
func (f *flowPage) effectLines() []string {
	st := f.ctx.Styles
	c := f.wi.cmp
	if c == nil || c.wi == nil {
		return nil
	}
	wrap := func(label, text string) []string {
		var out []string
		for i, l := range strings.Split(ansi.Wordwrap(label+" "+text, max(20, f.width-2), ""), "\n") {
			if i == 0 {
				l = st.Bold.Render(label) + st.Text.Render(strings.TrimPrefix(l, label))
			} else {
				l = st.Text.Render("  " + l)
			}
			out = append(out, l)
		}
		return out
	}
	w := c.wi.Worst()
	if w == nil {
		return wrap("Effect:", "no source's traffic changes.")
	}
	out := wrap(report.EffectLabel(*w)+":", report.Effect(*w))
	if t := c.wi.Transition; t != nil {
		out = append(out, wrap("Meanwhile:", report.TransitionText(t))...)
	}
	return out
}

// closeKey is Decline as a dialog that asks nothing more shows it.
func closeKey(k *common.KeyMap) key.Binding {
	return key.NewBinding(key.WithKeys(k.Decline.Keys()...), key.WithHelp(k.Decline.Help().Key, "close"))
}
