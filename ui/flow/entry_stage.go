package flow

import (
	"fmt"
	"strings"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
	"github.com/ktraffic/ktraffic/themes"
)

// The entry stage: when traffic comes through an Ingress or a Gateway
// API route, the graph's left box is that entry (the ALB, the Gateway),
// and a band above the graph shows the route's backends with their
// weights and their pods' shares of the whole, so a 90/10 canary reads
// as 30% per v1 pod and 10% for the v2 one. The Service drawn below is
// the one the user opened.

// entryBox is the left box's title and lines for an entry source.
func entryBox(p *model.Prediction) (string, []string) {
	e := p.Entry
	if e == nil {
		return p.Source.String(), nil
	}
	title := e.Kind
	switch e.Implementation {
	case model.ImplALB:
		title = "ALB"
	case model.ImplNginx:
		title = "ingress-nginx"
	case model.ImplGKE:
		title = "GKE LB"
	case model.ImplAGIC:
		title = "App Gateway"
	case model.ImplGateway:
		title = "Gateway"
	}
	var details []string
	if len(e.Addresses) > 0 {
		details = append(details, e.Addresses[0])
	}
	if e.Gateway != "" {
		details = append(details, shortName(e.Gateway, p.Service))
	}
	kind := "route"
	if e.Kind == model.KindIngress {
		kind = "ingress"
	}
	details = append(details, kind+" "+shortName(e.Name, p.Service))
	switch e.Hop {
	case model.HopPods:
		details = append(details, "to pod IPs")
	case model.HopNodes:
		details = append(details, "to NodePorts")
	case model.HopClusterIP:
		details = append(details, "to the cluster IP")
	}
	return title, details
}

// shortName drops the namespace the Service shares.
func shortName(key, service string) string {
	ns, name, ok := strings.Cut(key, "/")
	if ok && strings.HasPrefix(service, ns+"/") {
		return name
	}
	return key
}

// entryLines is the band above the graph: the rules, the proxy's idle
// timeout against the pods' keep-alive, and every backend by weight.
func entryLines(p *model.Prediction, st *themes.Styles, width int) []string {
	e := p.Entry
	if e == nil {
		return nil
	}
	sep := st.Faint.Render(" · ")
	head := []string{st.Muted.Render(e.Kind+" ") + st.Bold.Render(shortName(e.Name, p.Service))}
	if len(e.Rules) > 0 {
		head = append(head, st.Muted.Render(strings.Join(e.Rules, "; ")))
	}
	head = append(head, st.Muted.Render(hopPhrase(e)))
	if e.IdleTimeoutSeconds > 0 {
		idle := fmt.Sprintf("idle %ds", e.IdleTimeoutSeconds)
		switch k := e.BackendKeepAlive; {
		case k == nil:
			head = append(head, st.Muted.Render(idle+", pods' keep-alive unknown"))
		case k.Seconds <= e.IdleTimeoutSeconds:
			head = append(head, st.Bad.Render(fmt.Sprintf("%s > pods' keep-alive %ds: 502s", idle, k.Seconds)))
		default:
			head = append(head, st.Good.Render(fmt.Sprintf("%s < pods' keep-alive %ds", idle, k.Seconds)))
		}
	}
	out := flowWords(head, sep, width)
	if len(e.Backends) < 2 && e.Share > 0.9995 {
		return append(out, "")
	}
	nameW := 8
	for _, b := range e.Backends {
		nameW = max(nameW, len([]rune(shortName(b.Service, p.Service))))
	}
	nameW = min(nameW, 28)
	for _, b := range e.Backends {
		name := shortName(b.Service, p.Service)
		mark := "  "
		nameSt := st.Text
		if b.Service == p.Service {
			mark, nameSt = st.EdgeLocal.Render("▶ "), st.Bold
		}
		line := "  " + mark + nameSt.Render(pad(clipMiddle(name, nameW), nameW)) + " " +
			st.Muted.Render(fmt.Sprintf("w%-4d", b.Weight)) + " " + barString(st, b.Share, 10) + " " + st.Text.Render(pct(b.Share))
		switch {
		case b.Problem != "":
			line += "  " + st.Sink.Render("✗ "+b.Problem)
		case b.Service == p.Service:
			line += "  " + st.Muted.Render("drawn below")
		default:
			line += "  " + st.Muted.Render(report.PodsText(b.Pods, " · "))
		}
		if b.Lost > 1e-9 && b.Problem == "" {
			line += "  " + st.Sink.Render("lost "+strings.TrimSpace(pct(b.Lost)))
		}
		out = append(out, line)
	}
	return append(out, "")
}

func hopPhrase(e *model.EntryStage) string {
	switch e.Hop {
	case model.HopPods:
		return "straight to the pods (no node hop)"
	case model.HopNodes:
		return "through every node's NodePort"
	}
	return "through the cluster IP"
}

// barString is drawBar for styled text outside the canvas.
func barString(st *themes.Styles, share float64, w int) string {
	units := int(share*float64(w*8) + 0.5)
	if share > 1e-9 && units == 0 {
		units = 1
	}
	full, part := units/8, units%8
	s := strings.Repeat("█", min(full, w))
	n := min(full, w)
	if part > 0 && n < w {
		s += string(eighths[part])
		n++
	}
	return st.BarFull.Render(s) + st.BarEmpty.Render(strings.Repeat("░", w-n))
}
