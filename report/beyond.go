package report

import (
	"fmt"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// What lies beyond the Service in a prediction: the entry in front of it,
// the datapath on the nodes, and the load a stated client side puts on
// each pod.

// EntryLine is the entry in one line: "HTTPRoute shop/checkout via
// Gateway shop/public (gateway-api), straight to the pods: 90.0% of
// /checkout to this Service".
func EntryLine(e *model.EntryStage) string {
	via := ""
	if e.Gateway != "" {
		via = " via Gateway " + e.Gateway
	}
	return fmt.Sprintf("%s %s%s (%s), %s; this Service takes %s of %s",
		e.Kind, e.Name, via, e.Implementation, HopWords(e.Hop), Percent(e.Share), strings.Join(e.Rules, "; "))
}

// HopWords says how an entry reaches the pods.
func HopWords(hop string) string {
	switch hop {
	case model.HopPods:
		return "straight to the pods"
	case model.HopNodes:
		return "through every node's NodePort"
	case model.HopClusterIP:
		return "through the cluster IP"
	}
	return hop
}

// EntryBackendCells is the table of an entry's backends with their
// weights, shares of the whole and pods.
func EntryBackendCells(e *model.EntryStage) [][]string {
	rows := [][]string{{"BACKEND", "WEIGHT", "SHARE", "LOST", "PODS"}}
	for _, b := range e.Backends {
		pods := PodsText(b.Pods, ", ")
		if b.Problem != "" {
			pods = b.Problem
		}
		rows = append(rows, []string{b.Service, fmt.Sprint(b.Weight), Percent(b.Share), Percent(b.Lost), pods})
	}
	return rows
}

// PodsText sums up a backend's pods and their shares of the whole, sep
// between count and shares: "3 pods, 30.0% each", "2 pods, 5.0%–10.0%".
func PodsText(pods []model.EntryPod, sep string) string {
	var n int
	lo, hi := 2.0, 0.0
	for _, p := range pods {
		if p.Share > 0 {
			n++
			lo, hi = min(lo, p.Share), max(hi, p.Share)
		}
	}
	switch {
	case n == 0:
		return fmt.Sprintf("%d %s, none reached", len(pods), plural(len(pods), "pod"))
	case n == 1:
		return "1 pod" + sep + Percent(hi)
	case hi-lo < 0.0005:
		return fmt.Sprintf("%d pods%s%s each", n, sep, Percent(hi))
	}
	return fmt.Sprintf("%d pods%s%s–%s", n, sep, Percent(lo), Percent(hi))
}

// IdleText compares the entry's idle timeout with the pods' keep-alive.
func IdleText(e *model.EntryStage) string {
	if e.IdleTimeoutSeconds == 0 {
		return ""
	}
	s := fmt.Sprintf("idle timeout %ds (%s)", e.IdleTimeoutSeconds, e.IdleTimeoutSource)
	if k := e.BackendKeepAlive; k != nil {
		verdict := "longer: fine"
		if k.Seconds <= e.IdleTimeoutSeconds {
			verdict = "shorter: 502s when a request races the close"
		}
		s += fmt.Sprintf("; the pods keep idle connections %ds (%s), %s", k.Seconds, k.Source, verdict)
	} else {
		s += "; the pods' keep-alive is not declared"
	}
	return s
}

// DatapathText is the datapath line: what runs, how a node picks, and
// what was assumed.
func DatapathText(v *model.DatapathView) string {
	if v == nil {
		return ""
	}
	s := v.Text() + ": " + v.DescribePick()
	if v.Source != "" {
		s += "; read from " + v.Source
	}
	if !v.Known {
		s += "; " + v.Assumed
	}
	return s
}

// ConnectionCells is the per-pod band of a client side.
func ConnectionCells(c *model.ConnectionLoad) [][]string {
	rows := [][]string{{"POD", "SHARE", "MEAN CONN", "P10–P90", "LOAD BAND", "IDLE"}}
	for _, p := range c.Pods {
		rows = append(rows, []string{p.Pod, Percent(p.Share), fmt.Sprintf("%.2f", p.MeanConnections),
			fmt.Sprintf("%d–%d", p.P10, p.P90), Percent(p.LoadLow) + "–" + Percent(p.LoadHigh), Percent(p.IdleProbability)})
	}
	return rows
}

// ConnectionsHead says which client side a band is for and how it was
// worked out.
func ConnectionsHead(c *model.ConnectionLoad) string {
	how := "exact binomial arithmetic"
	switch c.Method {
	case model.MethodSimulation:
		how = fmt.Sprintf("%d seeded simulated runs", c.Trials)
	case model.MethodIdeal:
		how = "the ideal shares"
	}
	return fmt.Sprintf("%d %s %s × %d %s each, assigned per %s (%s)", c.Clients, c.Profile, plural(c.Clients, "client"),
		c.ConnectionsPerClient, plural(c.ConnectionsPerClient, "connection"), c.Unit, how)
}

func writeBeyond(ew *errWriter, p *model.Prediction) {
	if e := p.Entry; e != nil {
		ew.printf("\nEntry:      %s\n", EntryLine(e))
		ew.printf("            %s: %s; implementation from %s\n", HopWords(e.Hop), e.HopReason, e.ImplementationFrom)
		if t := IdleText(e); t != "" {
			ew.printf("            %s\n", t)
		}
		writeTable(ew, indentRows(tabRows(EntryBackendCells(e)), "  "))
	}
	if c := p.Connections; c != nil {
		ew.printf("\nConnections: %s\n", ConnectionsHead(c))
		ew.printf("  %s\n", c.Summary)
		writeTable(ew, indentRows(tabRows(ConnectionCells(c)), "  "))
		for _, x := range c.Explanation {
			ew.printf("  why: %s\n", x)
		}
	}
}

func indentRows(rows []string, indent string) []string {
	for i := range rows {
		rows[i] = indent + rows[i]
	}
	return rows
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// EntryBackendChangeCells compares an entry's backends before and after:
// a what-if on one backend can move the others' pods too.
func EntryBackendChangeCells(before, after *model.EntryStage) [][]string {
	rows := [][]string{{"BACKEND", "SHARE", "LOST BEFORE", "LOST AFTER", "PODS AFTER"}}
	was := map[string]model.EntryBackend{}
	for _, b := range before.Backends {
		was[b.Service] = b
	}
	for _, b := range after.Backends {
		pods := PodsText(b.Pods, ", ")
		if b.Problem != "" {
			pods = b.Problem
		}
		rows = append(rows, []string{b.Service, Percent(b.Share), Percent(was[b.Service].Lost), Percent(b.Lost), pods})
	}
	return rows
}
