package applydialog

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"

	"github.com/ktraffic/ktraffic/report"
	"github.com/ktraffic/ktraffic/ui/common"
)

// View draws the dialog in place of the what-if screen.
func (d *Model) View() string { return strings.Join(common.FitLines(d.lines(), d.width), "\n") }

func (d *Model) lines() []string {
	st := d.ctx.Styles
	k := d.ctx.Keys
	ok := func(s string) string { return st.Healthy.Render("✓ ") + st.Text.Render(s) }
	wait := func(s string) string { return st.Muted.Render("◌ " + s) }
	bad := func(s string) []string {
		var out []string
		for i, l := range common.Wrap(s, max(20, d.width-2)) {
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
	out := []string{st.Title.Render("Apply the what-if to "+d.service) + st.Muted.Render(" ("+strings.Join(d.o.Pairs(), ", ")+")"), ""}
	if d.step == checking {
		return append(out, wait("checking permissions (SelfSubjectAccessReview for get and patch)…"), "", hint(k.Decline))
	}
	if d.step == failed && d.dry.Patch == "" {
		if d.checked {
			out = append(out, ok("you may get and patch the Service"))
		}
		return append(append(out, bad(d.err.Error())...), "", st.Muted.Render("Nothing was changed; the what-if is kept. ")+hint(closeKey(k)))
	}
	out = append(out, ok("you may get and patch the Service"))
	switch d.step {
	case dryRunning:
		return append(out, wait("server-side dry run (dryRun=All)…"), "", hint(k.Decline))
	case conflicted:
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
		for _, l := range common.Wrap("Forcing takes them over; the next apply by those managers may set them back, so change it there too.", d.width) {
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
