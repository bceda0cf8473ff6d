package flow

import (
	"fmt"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

func drawBox(c *canvas, top, w int, title string, details []string) {
	inner := w - 2
	c.text(top, 0, "╭"+strings.Repeat("─", inner)+"╮", stBox)
	lines := append([]string{title}, details...)
	for i, l := range lines {
		r := top + 1 + i
		c.text(r, 0, "│", stBox)
		st := stMuted
		if i == 0 {
			st = stTitle
		}
		c.text(r, 2, clip(l, inner-2), st)
		c.text(r, w-1, "│", stBox)
	}
	c.text(top+1+len(lines), 0, "╰"+strings.Repeat("─", inner)+"╯", stBox)
}

// look is how a node row is drawn while a node is traced.
type look uint8

const (
	lookPlain  look = iota // nothing traced
	lookTraced             // the traced node
	lookDimmed             // another node
)

func traceLook(traced, i int) look {
	switch traced {
	case noOwner:
		return lookPlain
	case i:
		return lookTraced
	}
	return lookDimmed
}

func drawNode(c *canvas, g *graph, geo geometry, n nodeRow, spaced bool, lk look) {
	labelSt := stBold
	if n.share <= 1e-9 && !g.direct {
		labelSt = stFaint
	}
	if n.folded || g.direct {
		labelSt = stMuted
	}
	switch lk {
	case lookTraced:
		labelSt = stSelected
	case lookDimmed:
		labelSt = stFaint
	}
	x := c.text(n.row, geo.nodeX, pad(clipMiddle(n.label, geo.nodeW), geo.nodeW), labelSt) + 1
	if geo.markW > 0 {
		mark, st := healthMark(g.p, n)
		x = c.text(n.row, x, mark, st) + 1
	}
	if g.direct {
		return
	}
	x = drawBar(c, n.row, x, geo.barW, n.share) + 1
	c.text(n.row, x, pct(n.share), stText)

	// Say why a node gets nothing, or what it does for an L2 announcer,
	// on the line below when it is free.
	if why := nodeNote(g, n); why != "" && (len(n.pods) > 1 || spaced) {
		c.text(n.row+1, geo.nodeX+2, clip(why, geo.nodeTextW()-2), stMuted)
	}
}

// healthMark is what the load balancer makes of a node row: ✓ its health
// check passes, ✗ fails, ± for a folded row where some fail. A single-node
// (L2) load balancer has no health check to show: one node announces the
// address (●) and the others stand by (○), as predict says.
func healthMark(p *model.Prediction, n nodeRow) (string, styleID) {
	l2 := p.Settings.LBMode == model.LBModeSingleNode
	switch {
	case !n.backend || !l2 && n.healthy == 0:
		return "✗", stUnhealthy
	case l2 && n.share > 1e-9:
		return "●", stHealthy
	case l2:
		return "○", stMuted
	case n.healthy < n.nodes:
		return "±", stBad
	}
	return "✓", stHealthy
}

// nodeNote says why a node row gets nothing, or an L2 node's part, in
// predict's words.
func nodeNote(g *graph, n nodeRow) string {
	l2 := g.p.Settings.LBMode == model.LBModeSingleNode
	switch {
	case !g.showHealth:
	case !n.backend:
		return "excluded from LBs"
	case l2 && n.share > 1e-9:
		return "announces IP"
	case l2:
		return "standby"
	case n.healthy > 0:
	case g.p.Settings.ExternalTrafficPolicy == model.PolicyLocal && len(n.pods) == 0:
		return "LB probe fails: no pod"
	default:
		return "LB probe fails"
	}
	return ""
}

func drawPod(c *canvas, geo geometry, pr podRow) {
	labelSt := stText
	if pr.count > 1 {
		labelSt = stMuted
	}
	if pr.share <= 1e-9 {
		labelSt = stFaint
	}
	x := c.text(pr.row, geo.podX, pad(clipMiddle(pr.label, geo.podW), geo.podW), labelSt) + 1
	x = drawBar(c, pr.row, x, geo.barW, pr.share) + 1
	x = c.text(pr.row, x, pct(pr.share), stText)
	if geo.stateW > 0 {
		state, st := "", stFaint
		switch {
		case pr.count > 1:
		case pr.terminating && pr.serving:
			state, st = "terminating", stBad
		case pr.terminating:
			state, st = "terminated", stBad
		case !pr.ready:
			state, st = "not ready", stBad
		}
		if state != "" {
			x = c.text(pr.row, x+1, clip(state, geo.stateW), st)
		}
	}
	if geo.hostW > 0 && pr.node != "" {
		c.text(pr.row, x+1, "on "+pr.node, stFaint)
	}
}

func drawSink(c *canvas, geo geometry, g *graph) {
	p := g.p
	var parts []string
	if p.Dropped > 1e-9 {
		parts = append(parts, "dropped "+strings.TrimSpace(pct(p.Dropped)))
	}
	if p.Rejected > 1e-9 {
		parts = append(parts, "rejected "+strings.TrimSpace(pct(p.Rejected)))
	}
	x := c.text(g.sinkRow, geo.podX, "✗ "+strings.Join(parts, " · "), stSink)
	why := "clients time out"
	switch {
	case p.Rejected > 1e-9 && p.Dropped > 1e-9:
		why = "time-outs and refused connections"
	case p.Rejected > 1e-9:
		why = "connection refused"
	}
	c.text(g.sinkRow, x+2, why, stMuted)
}

// eighths draw a bar's partial last cell, so 0.4% still shows.
var eighths = []rune(" ▏▎▍▌▋▊▉")

func drawBar(c *canvas, row, x, w int, share float64) int {
	if w <= 0 {
		return x
	}
	units := int(share*float64(w*8) + 0.5)
	if share > 1e-9 && units == 0 {
		units = 1
	}
	full, part := units/8, units%8
	x = c.text(row, x, strings.Repeat("█", min(full, w)), stBarFull)
	n := full
	if part > 0 && n < w {
		x = c.text(row, x, string(eighths[part]), stBarFull)
		n++
	}
	return c.text(row, x, strings.Repeat("░", w-n), stBarEmpty)
}

func pct(f float64) string {
	if f > 1e-9 && f < 0.0005 {
		return " <0.1%"
	}
	return fmt.Sprintf("%5.1f%%", f*100)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func clip(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	if w <= 1 {
		return string(r[:max(w, 0)])
	}
	return string(r[:w-1]) + "…"
}

// stripDomain drops the DNS domain all node names share
// (".ec2.internal"): it is the same on every row and crowds out the part
// that tells nodes apart. It returns the domain it dropped.
func stripDomain(g *graph) string {
	domain := ""
	for _, n := range g.nodes {
		if n.folded {
			continue
		}
		i := strings.IndexByte(n.label, '.')
		if i < 0 {
			return ""
		}
		switch d := n.label[i:]; {
		case domain == "":
			domain = d
		case d != domain:
			return ""
		}
	}
	if domain == "" {
		return ""
	}
	for i := range g.nodes {
		if !g.nodes[i].folded {
			g.nodes[i].label = strings.TrimSuffix(g.nodes[i].label, domain)
		}
	}
	for i := range g.pods {
		g.pods[i].node = strings.TrimSuffix(g.pods[i].node, domain)
	}
	return domain
}

// clipMiddle shortens a name by cutting its middle: node and pod names
// differ at the end (vmss000001, -7f9c5-x2x8q) and say what they are at
// the start, so both ends carry the meaning.
func clipMiddle(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	if w < 5 {
		return clip(s, w)
	}
	head := (w - 1) * 2 / 5
	tail := w - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

func pad(s string, w int) string {
	if n := len([]rune(s)); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
