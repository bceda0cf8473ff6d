package flow

import (
	"slices"
	"strings"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
)

// dnsLines draw a Service kube-proxy does not carry as what it is: a
// name cluster DNS answers, with a CNAME or the ready pods' addresses,
// and clients that connect on their own. No lane, share or node hop is
// drawn, because none exists.
func dnsLines(p *model.Prediction, st *themes.Styles, width int) []string {
	d := p.DNS
	name := st.Bold.Render(d.Name)
	arrow := st.EdgeLocal.Render
	if d.CNAME != "" {
		return append([]string{
			"  " + st.Muted.Render("DNS ") + name + " " + arrow("──CNAME──▶") + " " + st.Bold.Render(d.CNAME),
			"",
		}, wrapMuted(st, width, "Clients resolve the name and connect to "+d.CNAME+" themselves: no node, traffic policy, affinity or pod of this cluster is involved.")...)
	}
	out := []string{"  " + st.Muted.Render("DNS ") + name}
	pad := strings.Repeat(" ", len([]rune(d.Name))+6)
	if len(d.Addresses) == 0 {
		out = append(out, pad+st.Sink.Render("✗ no address: the name does not resolve"))
	}
	var notInDNS []string
	n := 0
	for _, e := range p.Endpoints {
		if !slices.Contains(d.Addresses, e.IP) {
			notInDNS = append(notInDNS, orIP(e))
			continue
		}
		lead := "├─▶ "
		if n == len(d.Addresses)-1 {
			lead = "└─▶ "
		}
		n++
		where := e.Node
		if e.Zone != "" {
			where += " (" + e.Zone + ")"
		}
		out = append(out, pad+arrow(lead)+st.Text.Render(e.IP)+"  "+st.Bold.Render(orIP(e))+"  "+st.Muted.Render(where))
	}
	if len(notInDNS) > 0 {
		out = append(out, "", "  "+st.Muted.Render("not in the answer (not ready): ")+st.Text.Render(strings.Join(notInDNS, ", ")))
	}
	out = append(out, "")
	return append(out, wrapMuted(st, width, "Clients pick an address themselves and connect straight to that pod: kube-proxy, traffic policies and affinity play no part, and the spread depends on how clients resolve and reuse connections.")...)
}

func orIP(e model.EndpointShare) string {
	if e.Pod != "" {
		return e.Pod
	}
	return e.IP
}

func wrapMuted(st *themes.Styles, width int, text string) []string {
	var out []string
	for _, l := range wrap(text, max(20, width-2)) {
		out = append(out, "  "+st.Muted.Render(l))
	}
	return out
}

// unknownLines stand where the graph would be when the input cannot tell
// the Service's endpoints.
func unknownLines(p *model.Prediction, st *themes.Styles, width int) []string {
	return append([]string{"  " + st.Levels["unknown"].Render("? endpoints unknown")},
		wrapMuted(st, width, "The input has no EndpointSlice for this Service, so which pods serve it and how its traffic spreads cannot be drawn. Read it from a cluster, or dump endpointslices too.")...)
}
