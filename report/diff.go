package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/ktraffic/ktraffic/model"
)

// DiffTable writes a what-if the way an operator checks a change: first
// what it does to every source of traffic the Service has, the worst
// first, with the load balancer's catch-up window; then the detailed
// source's key numbers side by side, nodes, pods, and the findings that
// appear or clear. whatIf lists the user's changes and drills as typed
// ("externalTrafficPolicy=Local", "drill zone-down=z1").
func DiffTable(w io.Writer, wi *model.WhatIf, whatIf []string) error {
	return DiffTableWith(w, wi, whatIf, Options{})
}

// DiffTableWith is DiffTable with kubectl's printing options.
func DiffTableWith(w io.Writer, wi *model.WhatIf, whatIf []string, o Options) error {
	ew := &errWriter{w: w, noHeaders: o.NoHeaders}
	before, after, d := wi.Before, wi.After, wi.Diff
	ew.printf("Service:    %s (%s)\n", before.Service, typeText(before))
	ew.printf("What-if:    %s\n", strings.Join(whatIf, ", "))
	for _, a := range wi.AlreadySet {
		ew.printf("Already:    %s\n", AlreadySetText(a))
	}
	for _, node := range wi.Cordoned {
		ew.printf("Cordon:     %s\n", model.CordonText(node))
	}
	if !wi.Changed() {
		ew.printf("\nNo change: the what-if spreads traffic exactly as today, from every source.\n")
		return ew.err
	}
	ew.printf("\nEvery source of traffic, worst change first:\n")
	writeTable(ew, sourceChangeRows(wi.Sources))
	if worst := wi.Worst(); worst != nil {
		ew.printf("\n%-11s %s\n", EffectLabel(*worst)+":", Effect(*worst))
	}
	if t := wi.Transition; t != nil {
		ew.printf("Meanwhile:  %s\n", TransitionText(t))
	}

	ew.printf("\nFrom %s%s:\n", before.Source, lbModeText(before))
	writeObservedChange(ew, before, after)
	if !d.Changed() {
		ew.printf("  no change for this source; the rows above show which sources change (--from picks one).\n")
		return ew.err
	}
	ew.printf("\n")
	writeDiffDetail(ew, before, after, d)
	return ew.err
}

// totalsCells is one source's settings and totals before and after, a
// heading first: the first table of its detail.
func totalsCells(before, after *model.Prediction, d *model.Diff) [][]string {
	rows := [][]string{{"", "BEFORE", "AFTER", "CHANGE"}}
	for _, s := range d.Settings {
		rows = append(rows, []string{s.Key, SettingText(s.Key, s.Before), SettingText(s.Key, s.After), ""})
	}
	rows = append(rows, []string{"client IP", ipWord(before.Source, d.ClientIPPreserved.Before), ipWord(after.Source, d.ClientIPPreserved.After), changedMark(d.ClientIPPreserved.Changed())})
	for _, row := range []struct {
		name string
		c    model.NumberChange
	}{{"dropped", d.Dropped}, {"rejected", d.Rejected}, {"cross-node", d.CrossNode}, {"cross-zone", d.CrossZone}} {
		rows = append(rows, []string{row.name, Percent(row.c.Before), Percent(row.c.After), Points(row.c.Delta)})
	}
	return rows
}

// writeDiffDetail is one source's before and after: totals, nodes, pods,
// findings that appear or clear.
func writeDiffDetail(ew *errWriter, before, after *model.Prediction, d *model.Diff) {
	writeTable(ew, tabRows(totalsCells(before, after, d)))

	if len(d.Nodes) > 0 {
		ew.printf("\n")
		writeTable(ew, tabRows(NodeChangeCells(before, after, d)))
	}
	if len(d.Endpoints) > 0 {
		ew.printf("\n")
		writeTable(ew, tabRows(PodChangeCells(d)))
	}
	if before.Entry != nil && after.Entry != nil {
		ew.printf("\n")
		writeTable(ew, tabRows(EntryBackendChangeCells(before.Entry, after.Entry)))
	}
	writeFindings(ew, "Findings that appear", "+", d.FindingsAppeared)
	writeFindings(ew, "Findings that clear", "-", d.FindingsCleared)
	if c := d.Connections; c != nil {
		ew.printf("\nConnections (%s):\n  before: %s\n  after:  %s\n", ConnectionsHead(after.Connections), c.Summary.Before, c.Summary.After)
	}
}

func cells(c ...string) string { return strings.Join(c, "\t") }

// writeTable aligns rows of tab-separated cells and drops the padding
// tabwriter leaves where a row's last cells are empty.
func writeTable(ew *errWriter, rows []string) {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	for i, r := range rows {
		if i == 0 && ew.noHeaders {
			continue
		}
		fmt.Fprintln(tw, r)
	}
	ew.err = firstErr(ew.err, tw.Flush())
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line != "" {
			ew.printf("%s\n", strings.TrimRight(line, " \n"))
		}
	}
}

func writeFindings(ew *errWriter, title, mark string, fs []model.Finding) {
	if len(fs) == 0 {
		return
	}
	ew.printf("\n%s:\n", title)
	for _, f := range fs {
		ew.printf("  %s %-7s  %s: %s\n", mark, f.Level, f.Code, f.Message)
	}
}

// Points formats a share change in percentage points, "+16.7 pts"; empty
// when nothing changed, so the eye lands on the rows that did.
func Points(delta float64) string {
	if delta == 0 {
		return ""
	}
	p := 100 * delta
	if math.Abs(p) < 0.05 {
		if p > 0 {
			return "+<0.1 pts"
		}
		return "-<0.1 pts"
	}
	return fmt.Sprintf("%+.1f pts", p)
}

// sideShare is a share, or "absent" on the side where the node or pod
// does not exist (onlyIn names the other side).
// SideShare is a share, or "absent" when the row exists only on the
// other side.
func SideShare(share float64, onlyIn, other model.Side) string {
	if onlyIn == other {
		return "absent"
	}
	return Percent(share)
}

func changedMark(changed bool) string {
	if changed {
		return "changed"
	}
	return ""
}

// HealthChange says what the load balancer's health check sees on a node,
// before → after.
func HealthChange(before, after *model.Prediction, n model.NodeChange) string {
	if (before.Type != model.TypeLoadBalancer || before.Entry != nil) && !(before.Entry != nil && before.Entry.Hop == model.HopNodes) {
		return "-"
	}
	for _, p := range []*model.Prediction{after, before} {
		for _, pn := range p.Nodes {
			if pn.Name == n.Name && !pn.LBBackend {
				return "excluded"
			}
		}
	}
	word := func(h bool) string {
		if h {
			return "healthy"
		}
		return "failing"
	}
	switch {
	case n.OnlyIn == model.SideBefore:
		return word(n.LBHealthy.Before) + " → absent"
	case n.OnlyIn == model.SideAfter:
		return "absent → " + word(n.LBHealthy.After)
	case n.LBHealthy.Changed():
		return word(n.LBHealthy.Before) + " → " + word(n.LBHealthy.After)
	}
	return word(n.LBHealthy.After)
}

// ReadyChange says how a pod's readiness changes, or that it came or went.
func ReadyChange(e model.EndpointChange) string {
	word := func(r bool) string {
		if r {
			return "ready"
		}
		return "not ready"
	}
	switch {
	case e.OnlyIn == model.SideBefore:
		return "removed"
	case e.OnlyIn == model.SideAfter:
		return "added (" + word(e.Ready.After) + ")"
	case e.Ready.Changed():
		return word(e.Ready.Before) + " → " + word(e.Ready.After)
	}
	return word(e.Ready.After)
}

// writeObservedChange sets observed traffic today beside the prediction
// today and after the change, per pod: a prediction that already misses
// what the datapath does is a prediction to read with care.
func writeObservedChange(ew *errWriter, before, after *model.Prediction) {
	o := before.Observed
	if o == nil {
		return
	}
	ew.printf("Observed:   %s, %s\n", ObservedSourceText(o), ObservedTotals(o))
	afterShare := map[string]float64{}
	for _, e := range after.Endpoints {
		afterShare[e.Pod] = e.Share
	}
	rows := []string{"  " + cells("POD", "PREDICTED NOW", "OBSERVED NOW", "GAP", "AFTER")}
	for _, e := range before.Endpoints {
		rows = append(rows, "  "+cells(OrDash(e.Pod), Percent(e.Share), observedText(e), string(e.ObservedLevel), Percent(afterShare[e.Pod])))
	}
	writeTable(ew, rows)
	for _, x := range o.Explanations {
		ew.printf("  likely: %s\n", x)
	}
	ew.printf("\n")
}
