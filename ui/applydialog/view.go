package applydialog

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/ktraffic/ktraffic/report"
	"github.com/ktraffic/ktraffic/ui/common"
)

// View draws the dialog in place of the what-if screen. Every line is
// wrapped to the width; when the whole does not fit the height, the
// patch gives up its head (apiVersion, kind, metadata come first, the
// changed fields last), never the question or the outcome below it; the
// what-if screen shows the whole patch.
func (d *Model) View() string {
	out, patch := d.lines()
	if over := len(out) - d.height; over > 0 && patch[1]-patch[0] > 2 {
		keep := max(1, patch[1]-patch[0]-over-1)
		hidden := patch[1] - patch[0] - keep
		note := d.ctx.Styles.Muted.Render("  … " + common.Counted(hidden, "line") + " above (the what-if screen shows the whole patch)")
		out = append(append(append([]string(nil), out[:patch[0]]...), note), out[patch[1]-keep:]...)
	}
	return strings.Join(common.FitLines(out, d.width), "\n")
}

// lines is the dialog line by line, and where the patch's own lines are.
func (d *Model) lines() (out []string, patch [2]int) {
	st := d.ctx.Styles
	k := d.ctx.Keys
	ok := func(s string) string { return st.Healthy.Render("✓ ") + st.Text.Render(s) }
	wait := func(s string) string { return st.Muted.Render("◌ " + s) }
	bad := func(s string) []string {
		var out []string
		for i, l := range common.Wrap(common.TUIWords(s), max(20, d.width-2)) {
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
	// indented wraps text under a lead of indent columns, in style.
	indented := func(indent int, style lipgloss.Style, text string) []string {
		var out []string
		for _, l := range common.Wrap(text, max(20, d.width-indent)) {
			out = append(out, strings.Repeat(" ", indent)+style.Render(l))
		}
		return out
	}
	head := "Apply the what-if to " + d.service
	for _, l := range common.Wrap(head+" ("+strings.Join(d.o.Pairs(), ", ")+")", d.width) {
		if rest, ok := strings.CutPrefix(l, head); ok {
			out = append(out, st.Title.Render(head)+st.Muted.Render(rest))
			continue
		}
		out = append(out, st.Muted.Render(l))
	}
	out = append(out, "")
	if d.step == checking {
		return append(out, wait("checking permissions (SelfSubjectAccessReview for get and patch)…"), "", hint(k.Decline)), patch
	}
	if d.step == failed && d.dry.Patch == "" {
		if d.checked {
			out = append(out, ok("you may get and patch the Service"))
		}
		return append(append(out, bad(d.err.Error())...), "", st.Muted.Render("Nothing was changed; the what-if is kept. ")+hint(closeKey(k))), patch
	}
	out = append(out, ok("you may get and patch the Service"))
	switch d.step {
	case dryRunning:
		return append(out, wait("server-side dry run (dryRun=All)…"), "", hint(k.Decline)), patch
	case conflicted:
		out = append(out, bad("conflict: other field managers hold fields this change sets")...)
		fields := make([]string, 0, len(d.conflict.Fields))
		for p := range d.conflict.Fields {
			fields = append(fields, p)
		}
		sort.Strings(fields)
		for _, p := range fields {
			out = append(out, indented(4, st.Text, strings.TrimPrefix(p, ".")+" is managed by "+strings.Join(d.conflict.Fields[p], ", "))...)
		}
		out = append(out, "")
		out = append(out, indented(0, st.Muted, "Forcing takes them over; the next apply by those managers may set them back, so change it there too.")...)
		return append(out, hint(k.Force, k.Decline)), patch
	}
	out = append(out, ok("dry run: the API server accepts the change"))
	for _, e := range d.dry.Effects {
		out = append(out, indented(4, st.Text, "would: "+e)...)
	}
	if d.force {
		out = append(out, "  "+st.Levels["warning"].Render("force: fields other managers hold are taken over"))
	}
	out = append(out, "", st.Title.Render("Patch")+st.Muted.Render(" (server-side apply, field manager ktraffic):"))
	patch[0] = len(out)
	for _, l := range strings.Split(strings.TrimRight(d.dry.Patch, "\n"), "\n") {
		out = append(out, "  "+st.Text.Render(l))
	}
	patch[1] = len(out)
	out = append(out, "")
	switch d.step {
	case confirming:
		out = append(out, d.effectLines()...)
		if d.changed {
			for _, l := range common.Wrap("The Service changed since you confirmed, so this patch differs from that one; nothing was sent. This is the new patch, checked by a new dry run.", max(20, d.width-2)) {
				out = append(out, st.Levels["warning"].Render(l))
			}
		}
		out = append(out, st.Bold.Render("Apply to "+d.service+"? ")+hint(k.Confirm, k.Decline))
	case applying:
		out = append(out, wait("applying…"))
	case failed:
		out = append(out, bad(d.err.Error())...)
		out = append(out, st.Muted.Render("The what-if is kept. ")+hint(closeKey(k)))
	case unknown:
		out = append(out, bad("outcome unknown: "+d.err.Error())...)
		out = append(out, st.Muted.Render("The what-if is kept. ")+hint(closeKey(k)))
	case done:
		if d.unknown != "" {
			for _, l := range common.Wrap(d.unknown, max(20, d.width-2)) {
				out = append(out, st.Levels["warning"].Render(l))
			}
		}
		if d.done.Nothing {
			out = append(out, ok("nothing to apply: the live Service already has these settings"))
		} else {
			out = append(out, ok("applied to "+d.service+" (field manager ktraffic):"))
			for _, c := range append(append([]string(nil), d.done.Changes...), d.done.Effects...) {
				out = append(out, indented(4, st.Text, c)...)
			}
			out = append(out, st.Muted.Render("The live view shows the change when its next update arrives."))
		}
		out = append(out, hint(closeKey(k)))
	}
	return out, patch
}

// effectLines name, above the question, the worst the change does to any
// source of the Service's traffic, as apply's CLI confirmation does.
func (d *Model) effectLines() []string {
	st := d.ctx.Styles
	wi := d.effect
	if wi == nil {
		return nil
	}
	wrap := func(label, text string) []string {
		var out []string
		for i, l := range common.Wrap(label+" "+text, max(20, d.width-2)) {
			if i == 0 {
				l = st.Bold.Render(label) + st.Text.Render(strings.TrimPrefix(l, label))
			} else {
				l = st.Text.Render("  " + l)
			}
			out = append(out, l)
		}
		return out
	}
	w := wi.Worst()
	if w == nil {
		return wrap("Effect:", "no source's traffic changes.")
	}
	out := wrap(report.EffectLabel(*w)+":", report.Effect(*w))
	if t := wi.Transition; t != nil {
		out = append(out, wrap("Meanwhile:", report.TransitionText(t))...)
	}
	return out
}
