// Package report renders predictions and check results as plain text for
// terminals, pipes and logs: the `predict` and `check` tables.
package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// barWidth is the width of the share bars in the pod table.
const barWidth = 20

// Table writes a prediction the way an operator reads it: settings, then
// every source at a glance, nodes, pods, and what is lost and why. What
// the input cannot tell is said, never shown as 0.
func Table(w io.Writer, p *model.Prediction) error { return TableWith(w, p, Options{}) }

// Options are kubectl's printing choices a table follows: -o wide adds
// detail, --no-headers leaves out the tables' column headers.
type Options struct {
	Wide      bool
	NoHeaders bool
}

// TableWith is Table with kubectl's printing options; wide adds every
// node-to-pod flow.
func TableWith(w io.Writer, p *model.Prediction, o Options) error {
	ew := &errWriter{w: w, noHeaders: o.NoHeaders}
	s := p.Settings
	ew.printf("Service:    %s (%s)\n", p.Service, typeText(p))
	if p.DNS != nil {
		writeDNS(ew, p)
		writeFindingList(ew, "Findings", p.Findings)
		return ew.err
	}
	ew.printf("Traffic:    from %s%s\n", p.Source, lbModeText(p))
	ew.printf("Settings:   externalTrafficPolicy=%s internalTrafficPolicy=%s sessionAffinity=%s%s trafficDistribution=%s\n",
		OrDash(s.ExternalTrafficPolicy), OrDash(s.InternalTrafficPolicy), s.SessionAffinity, timeoutText(s), OrDash(s.TrafficDistribution))
	ew.printf("Client IP:  %s\n", clientIPText(p))
	if t := DatapathText(p.Datapath); t != "" {
		ew.printf("Datapath:   %s\n", t)
	}
	endpointsUnknown := slices.Contains(p.Unknown, model.UnknownEndpoints)
	if endpointsUnknown {
		ew.printf("Lost:       unknown (no EndpointSlice for this Service in the input)\n")
	} else {
		ew.printf("Lost:       dropped %s, rejected %s    Cross-node %s, cross-zone %s\n",
			Percent(p.Dropped), Percent(p.Rejected), Percent(p.CrossNode), Percent(p.CrossZone))
	}
	writeBeyond(ew, p)
	if len(p.Sources) > 1 {
		ew.printf("\nEvery source of traffic:\n")
		writeTable(ew, outcomeRows(p.Sources, "  "))
	}

	if len(p.Nodes) > 0 {
		ew.printf("\n")
		writeTable(ew, tabRows(NodeCells(p, endpointsUnknown)))
	}
	if len(p.Endpoints) > 0 {
		observed := p.Observed != nil
		header := []string{"POD", "IP", "NODE", "ZONE", "STATE", "SHARE"}
		if observed {
			header = append(header, "OBSERVED", "GAP")
		}
		rows := []string{cells(header...)}
		for _, e := range p.Endpoints {
			row := []string{OrDash(e.Pod), e.IP, OrDash(e.Node), OrDash(e.Zone), StateText(e), Percent(e.Share)}
			if observed {
				row = append(row, observedText(e), string(e.ObservedLevel))
			}
			rows = append(rows, cells(append(row, Bar(e.Share, barWidth))...))
		}
		ew.printf("\n")
		writeTable(ew, rows)
	}
	if o.Wide && len(p.Flows) > 0 {
		ew.printf("\n")
		writeTable(ew, flowRows(p.Flows))
	}
	writeObserved(ew, p)
	writeFindingList(ew, "Findings", p.Findings)
	writeFindingList(ew, "Findings from the other sources", otherSourceFindings(p))
	return ew.err
}

func writeFindingList(ew *errWriter, title string, fs []model.Finding) {
	if len(fs) == 0 {
		return
	}
	ew.printf("\n%s:\n", title)
	for _, f := range fs {
		ew.printf("  %-7s  %s: %s\n", f.Level, f.Code, f.Message)
	}
}

// otherSourceFindings are the findings other sources raise that the
// prediction's own does not, each once, with its source named.
func otherSourceFindings(p *model.Prediction) []model.Finding {
	if len(p.Sources) < 2 {
		return nil
	}
	own := map[string]bool{}
	for _, f := range p.Findings {
		own[f.Code+"\x00"+f.Message] = true
	}
	var others []model.SourceOutcome
	for _, o := range p.Sources {
		if o.Source != p.Source {
			others = append(others, o)
		}
	}
	var out []model.Finding
	for _, f := range model.MergeFindings(others) {
		if own[f.Code+"\x00"+f.Message] {
			continue
		}
		f.Finding.Message = "(from " + sourceList(f.Sources) + ") " + f.Message
		out = append(out, f.Finding)
	}
	return out
}

func sourceList(srcs []model.TrafficSource) string {
	words := make([]string, len(srcs))
	for i, s := range srcs {
		words[i] = s.String()
	}
	return strings.Join(words, ", ")
}

// writeDNS draws a Service kube-proxy does not carry: what cluster DNS
// answers, and the endpoints behind a headless name.
func writeDNS(ew *errWriter, p *model.Prediction) {
	d := p.DNS
	if d.CNAME != "" {
		ew.printf("DNS:        %s is a CNAME to %s\n", d.Name, d.CNAME)
		ew.printf("Traffic:    clients resolve the name and connect to %s themselves; no node, traffic policy, affinity or pod is involved\n", d.CNAME)
		return
	}
	answer := "no address (the name does not resolve)"
	if len(d.Addresses) > 0 {
		answer = strings.Join(d.Addresses, ", ")
	}
	ew.printf("DNS:        %s answers %s\n", d.Name, answer)
	ew.printf("Traffic:    clients pick an address themselves and connect to that pod directly; kube-proxy, traffic policies and affinity play no part\n")
	if len(p.Endpoints) > 0 {
		rows := []string{cells("POD", "IP", "NODE", "ZONE", "STATE", "IN DNS")}
		for _, e := range p.Endpoints {
			in := "no"
			if slices.Contains(d.Addresses, e.IP) {
				in = "yes"
			}
			rows = append(rows, cells(OrDash(e.Pod), e.IP, OrDash(e.Node), OrDash(e.Zone), StateText(e), in))
		}
		ew.printf("\n")
		writeTable(ew, rows)
	}
}

func typeText(p *model.Prediction) string {
	if p.DNS != nil && p.DNS.CNAME == "" {
		return string(p.Type) + ", headless"
	}
	return string(p.Type)
}

// tabRows turns cells into the tab-separated rows writeTable aligns.
func tabRows(rows [][]string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = cells(r...)
	}
	return out
}

// lostText is a node's lost part of the source's traffic, "" when none.
func lostText(n model.NodeShare) string {
	switch {
	case n.Dropped > 0 && n.Rejected > 0:
		return Percent(n.Dropped+n.Rejected) + " lost"
	case n.Dropped > 0:
		return Percent(n.Dropped) + " dropped"
	case n.Rejected > 0:
		return Percent(n.Rejected) + " refused"
	}
	return ""
}

// outcomeRows is the per-source table: one row per source, its totals.
func outcomeRows(outs []model.SourceOutcome, indent string) []string {
	rows := []string{indent + cells("SOURCE", "DROPPED", "REJECTED", "CROSS-ZONE", "CLIENT IP", "NODES LOSING TRAFFIC")}
	for _, o := range outs {
		drop, rej, cz := Percent(o.Dropped), Percent(o.Rejected), Percent(o.CrossZone)
		if slices.Contains(o.Unknown, model.UnknownEndpoints) {
			drop, rej, cz = "?", "?", "?"
		}
		rows = append(rows, indent+cells(SourceName(o.Source), drop, rej, cz, ipWord(o.Source, o.ClientIPPreserved), losingText(o.NodesLosing, o.LosingNodes)))
	}
	return rows
}

// ipWord says whether a source's client IP survives: behind a proxy in
// front it is lost to the proxy, not to SNAT.
func ipWord(src model.TrafficSource, kept bool) string {
	switch {
	case kept:
		return "preserved"
	case src.IsEntry():
		return "lost (proxy)"
	}
	return "lost (SNAT)"
}

// losingText is a count of losing nodes with the first three named.
func losingText(n int, names []string) string {
	if n == 0 {
		return "-"
	}
	names = names[:min(len(names), 3)]
	text := strings.Join(names, ", ")
	if n > len(names) {
		text += fmt.Sprintf(" and %d more", n-len(names))
	}
	return fmt.Sprintf("%d: %s", n, text)
}

// Percent formats a share as "33.3%".
func Percent(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

// Bar draws a share as a horizontal bar of full and partial blocks.
func Bar(share float64, width int) string {
	if share <= 0 {
		return ""
	}
	eighths := int(share*float64(width*8) + 0.5)
	if eighths == 0 {
		eighths = 1
	}
	partial := []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}
	return strings.Repeat("█", eighths/8) + partial[eighths%8]
}

// StateText says an endpoint's conditions in kubectl's words.
func StateText(e model.EndpointShare) string {
	switch {
	case e.Terminating && e.Serving:
		return "terminating (serving)"
	case e.Terminating:
		return "terminating"
	case e.Ready:
		return "ready"
	}
	return "not ready"
}

func healthText(p *model.Prediction, n model.NodeShare) string {
	switch {
	case p.Entry != nil && p.Entry.Hop == model.HopNodes:
		// The entry's load balancer probes the nodes.
	case p.Entry != nil, p.Type != model.TypeLoadBalancer || p.Settings.LBMode == model.LBModePods:
		return "-"
	case !n.LBBackend:
		return "excluded"
	case p.Settings.LBMode == model.LBModeSingleNode:
		if n.Name == p.Settings.LBNode {
			return "announces IP"
		}
		return "standby"
	case n.LBHealthy:
		return "✓ healthy"
	}
	return "✗ failing"
}

func lbModeText(p *model.Prediction) string {
	if !p.Source.IsLB() || p.Settings.LBMode == "" {
		return ""
	}
	if p.Settings.LBNode != "" {
		return fmt.Sprintf(" (load balancer mode %s, announced by %s)", p.Settings.LBMode, p.Settings.LBNode)
	}
	return fmt.Sprintf(" (load balancer mode %s)", p.Settings.LBMode)
}

func clientIPText(p *model.Prediction) string {
	if p.Type == model.TypeExternalName {
		return "not applicable (no proxying: a DNS CNAME)"
	}
	if p.ClientIPPreserved {
		return "preserved (pods see the client's address)"
	}
	if p.Entry != nil {
		return "lost (the proxy ends the client's connection; its address travels in X-Forwarded-For)"
	}
	return "lost (SNAT: pods see a node or load-balancer address)"
}

func timeoutText(s model.Settings) string {
	if s.SessionAffinity != model.AffinityClientIP {
		return ""
	}
	return fmt.Sprintf(" (timeout %ds)", s.SessionAffinityTimeoutSeconds)
}

// SettingText is a setting's value as every screen shows it: "-" when it
// is unset or means nothing (a timeout without ClientIP affinity, no
// trafficDistribution, which --set spells "none"), as predict's table
// and kubectl's columns do, so "nothing" is spelled one way in diff, in
// predict and in the TUI.
func SettingText(key, v string) string {
	if v == "" || key == model.KeyTrafficDistribution && v == "none" {
		return "-"
	}
	return v
}

// OrDash stands "-" in for an empty cell.
func OrDash[T ~string](s T) string {
	if s == "" {
		return "-"
	}
	return string(s)
}

// errWriter keeps the first write error so the table code stays linear.
type errWriter struct {
	w   io.Writer
	err error
	// noHeaders leaves out the first row of every table (--no-headers).
	noHeaders bool
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, a ...any) { fmt.Fprintf(e, format, a...) }

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func observedText(e model.EndpointShare) string {
	if e.ObservedShare == nil {
		return "no data"
	}
	return Percent(*e.ObservedShare)
}

// flowRows lists every flow, node to pod (-o wide).
func flowRows(flows []model.Flow) []string {
	rows := []string{cells("FROM NODE", "TO POD", "SHARE", "CROSS-NODE", "CROSS-ZONE")}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "-"
	}
	for _, f := range flows {
		node := f.Node
		if node == "" {
			node = f.NodeGroup
		}
		rows = append(rows, cells(OrDash(node), OrDash(f.Pod), Percent(f.Share), yes(f.CrossNode), yes(f.CrossZone)))
	}
	return rows
}

// writeObserved says where observed traffic came from, how far it
// strays from the prediction, per node where traffic lands, and why.
func writeObserved(ew *errWriter, p *model.Prediction) {
	o := p.Observed
	if o == nil {
		return
	}
	ew.printf("\nObserved:   %s, %s\n", ObservedSourceText(o), ObservedTotals(o))
	if nodes := model.ObservedByNode(p); len(nodes) > 1 {
		rows := []string{"  " + cells("PODS ON NODE", "PREDICTED", "OBSERVED", "GAP", "")}
		for _, n := range nodes {
			obs, gap := "no data", ""
			if n.Observed != nil {
				obs, gap = Percent(*n.Observed), Points(*n.Observed-n.Predicted)
			}
			rows = append(rows, "  "+cells(OrDash(n.Node), Percent(n.Predicted), obs, gap, string(n.Level)))
		}
		writeTable(ew, rows)
	}
	for _, x := range o.Explanations {
		ew.printf("  likely: %s\n", x)
	}
	for _, w := range o.Warnings {
		ew.printf("  note: %s\n", w)
	}
}

// ObservedSourceText names where observed traffic came from: "prometheus
// (istio)", "scrape".
func ObservedSourceText(o *model.ObservedSummary) string {
	if o.Preset != "" {
		return o.Source + " (" + o.Preset + ")"
	}
	return o.Source
}

// ObservedTotals is the one-line summary of observed traffic.
func ObservedTotals(o *model.ObservedSummary) string {
	if o.PodsWithData == 0 && o.TotalRate > 0 {
		return fmt.Sprintf("%.3g requests/s in total, not per pod (%s)", o.TotalRate, o.Level)
	}
	return fmt.Sprintf("%s with data, %.3g requests/s, largest gap %.1f pts (%s)", model.Counted(o.PodsWithData, "pod", "pods"), o.TotalRate, 100*o.MaxGap, o.Level)
}
