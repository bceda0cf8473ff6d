package flow

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"charm.land/lipgloss/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
)

var palettes sync.Map // *themes.Styles → *palette

func paletteFor(st *themes.Styles) *palette {
	if p, ok := palettes.Load(st); ok {
		return p.(*palette)
	}
	p, _ := palettes.LoadOrStore(st, newPalette(st))
	return p.(*palette)
}

// headline says in words what the graph shows: which settings decide the
// traffic, whether pods see the client's address, and how much of it hops.
func headline(p *model.Prediction, st *themes.Styles, width int) []string {
	sep := st.Faint.Render(" · ")
	title := st.Title.Render(p.Service) + "  " + st.Muted.Render(string(p.Type))
	if p.DNS != nil {
		kind := "headless: a DNS answer, not a route"
		if p.DNS.CNAME != "" {
			kind = "a DNS CNAME, not a route"
		}
		return []string{title + st.Muted.Render(" · "+kind)}
	}

	var settings []string
	kv := func(k, v string) { settings = append(settings, st.Muted.Render(k+" ")+st.Bold.Render(v)) }
	s := p.Settings
	if s.ExternalTrafficPolicy != "" {
		kv("externalTrafficPolicy", string(s.ExternalTrafficPolicy))
	}
	if s.InternalTrafficPolicy != "" {
		kv("internalTrafficPolicy", string(s.InternalTrafficPolicy))
	}
	if s.SessionAffinity != "" && s.SessionAffinity != model.AffinityNone {
		kv("sessionAffinity", fmt.Sprintf("%s %ds", s.SessionAffinity, s.SessionAffinityTimeoutSeconds))
	}
	if s.TrafficDistribution != "" {
		kv("trafficDistribution", s.TrafficDistribution)
	}
	if d := p.Datapath; d != nil {
		settings = append(settings, st.Muted.Render("datapath ")+datapathWord(d, st))
	}

	ip := st.Good.Render("client IP kept") + st.Muted.Render(" (pods see the real source)")
	if !p.ClientIPPreserved {
		why := " (SNAT: pods see a node IP)"
		switch {
		case p.Source.IsLB() && p.Settings.LBMode == model.LBModePods:
			why = " (the load balancer's own address replaces it)"
		case p.Entry != nil:
			why = " (the proxy's address; X-Forwarded-For carries it)"
		}
		ip = st.Bad.Render("client IP lost") + st.Muted.Render(why)
	}
	verdict := []string{ip}
	if slices.Contains(p.Unknown, model.UnknownEndpoints) {
		verdict = append(verdict, st.Levels["unknown"].Render("shares and losses unknown: no EndpointSlice in the input"))
		return append(append([]string{title}, flowWords(settings, sep, width)...), flowWords(verdict, sep, width)...)
	}
	if sp := spread(p, st); sp != "" {
		verdict = append(verdict, sp)
	}
	verdict = append(verdict, hop("cross-node", p.CrossNode, st.EdgeCrossNode, st), hop("cross-zone", p.CrossZone, st.EdgeCrossZone, st))
	if p.Dropped > 1e-9 {
		verdict = append(verdict, st.Sink.Render("dropped "+strings.TrimSpace(pct(p.Dropped))))
	}
	if p.Rejected > 1e-9 {
		verdict = append(verdict, st.Sink.Render("rejected "+strings.TrimSpace(pct(p.Rejected))))
	}
	if !p.NodesKnown {
		verdict = append(verdict, st.Muted.Render("nodes unknown: zones and health are guesses"))
	}

	var out []string
	out = append(out, title)
	out = append(out, flowWords(settings, sep, width)...)
	out = append(out, flowWords(verdict, sep, width)...)
	return out
}

// spread says in one phrase whether pods share the load evenly, the
// first thing the seeds' Cluster-vs-Local example asks: 33.3% each, or
// 25.0%–50.0%.
func spread(p *model.Prediction, st *themes.Styles) string {
	lo, hi, n := 2.0, 0.0, 0
	for _, e := range p.Endpoints {
		if e.Share > 1e-9 {
			lo, hi, n = min(lo, e.Share), max(hi, e.Share), n+1
		}
	}
	switch {
	case n == 0:
		return ""
	case n == 1:
		return st.Muted.Render("one pod takes " + strings.TrimSpace(pct(hi)))
	case hi-lo < 0.0005:
		return st.Good.Render(fmt.Sprintf("%d pods, %s each", n, strings.TrimSpace(pct(hi))))
	case hi/lo >= 1.5:
		return st.Bad.Render(fmt.Sprintf("%d pods, uneven: %s–%s", n, strings.TrimSpace(pct(lo)), strings.TrimSpace(pct(hi))))
	}
	return st.Muted.Render(fmt.Sprintf("%d pods, %s–%s", n, strings.TrimSpace(pct(lo)), strings.TrimSpace(pct(hi))))
}

func hop(name string, share float64, hot lipgloss.Style, st *themes.Styles) string {
	v := strings.TrimSpace(pct(share))
	if share > 1e-9 {
		return hot.Render(name + " " + v)
	}
	return st.Muted.Render(name + " " + v)
}

// flowWords joins styled items with sep, breaking lines before an item
// that would overflow width.
func flowWords(items []string, sep string, width int) []string {
	var out []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case lipgloss.Width(cur+sep+it) > width:
			out = append(out, cur)
			cur = it
		default:
			cur += sep + it
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

var levelMark = map[model.Level]string{model.LevelError: "✗", model.LevelWarning: "▲", model.LevelUnknown: "?", model.LevelInfo: "●"}

// findings lists what an operator should act on, most severe first, each
// wrapped under its own marker.
func findings(p *model.Prediction, st *themes.Styles, width int) []string {
	if len(p.Findings) == 0 {
		return nil
	}
	fs := append([]model.Finding(nil), p.Findings...)
	sortFindings(fs)
	out := []string{st.Title.Render("Findings")}
	for _, f := range fs {
		ls := st.Levels[string(f.Level)]
		head := ls.Render(levelMark[f.Level]+" "+string(f.Level)) + " " + st.Muted.Render(f.Code)
		out = append(out, head)
		for _, l := range wrap(f.Message, max(width-4, 20)) {
			out = append(out, "  "+st.Text.Render(l))
		}
	}
	return out
}

func sortFindings(fs []model.Finding) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Level.Rank() > fs[j-1].Level.Rank(); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// wrap breaks plain text at spaces; a word longer than width is cut.
func wrap(s string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		for len([]rune(w)) > width {
			if line != "" {
				out = append(out, line)
				line = ""
			}
			r := []rune(w)
			out = append(out, string(r[:width]))
			w = string(r[width:])
		}
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) > width:
			out = append(out, line)
			line = w
		default:
			line += " " + w
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// datapathWord is the datapath in the settings line: what runs, muted
// when it is only assumed.
func datapathWord(d *model.DatapathView, st *themes.Styles) string {
	if !d.Known {
		return st.Muted.Render(d.Proxy + " " + d.Mode + " (assumed)")
	}
	return st.Bold.Render(d.Text())
}
