package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/ktraffic/ktraffic/model"
)

// DiffTable writes a what-if the way an operator checks a change: the
// two predictions' key numbers side by side with the change, then nodes,
// pods, and the findings that appear or clear. whatIf lists the user's
// changes and drills as typed ("externalTrafficPolicy=Local",
// "drill zone-down=z1").
func DiffTable(w io.Writer, before, after *model.Prediction, d *model.Diff, whatIf []string) error {
	ew := &errWriter{w: w}
	ew.printf("Service:    %s (%s)\n", before.Service, before.Type)
	ew.printf("Traffic:    from %s%s\n", before.Source, lbModeText(before))
	ew.printf("What-if:    %s\n", strings.Join(whatIf, ", "))
	if !d.Changed() {
		ew.printf("\nNo change: the what-if spreads traffic exactly as today.\n")
		return ew.err
	}

	ew.printf("\n")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tBEFORE\tAFTER\tCHANGE\t")
	for _, s := range d.Settings {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\t\n", s.Key, orDash(s.Before), orDash(s.After))
	}
	ip := func(kept bool) string {
		if kept {
			return "preserved"
		}
		return "lost (SNAT)"
	}
	fmt.Fprintf(tw, "client IP\t%s\t%s\t%s\t\n", ip(d.ClientIPPreserved.Before), ip(d.ClientIPPreserved.After), changedMark(d.ClientIPPreserved.Changed()))
	for _, row := range []struct {
		name string
		c    model.NumberChange
	}{{"dropped", d.Dropped}, {"rejected", d.Rejected}, {"cross-node", d.CrossNode}, {"cross-zone", d.CrossZone}} {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", row.name, Percent(row.c.Before), Percent(row.c.After), Points(row.c.Delta))
	}
	ew.err = firstErr(ew.err, tw.Flush())

	if len(d.Nodes) > 0 {
		ew.printf("\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "NODE\tZONE\tBEFORE\tAFTER\tCHANGE\tLB HEALTH\t")
		for _, n := range d.Nodes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", n.Name, orDash(n.Zone), sideShare(n.Share.Before, n.OnlyIn, model.SideAfter),
				sideShare(n.Share.After, n.OnlyIn, model.SideBefore), Points(n.Share.Delta), healthChange(before, after, n))
		}
		ew.err = firstErr(ew.err, tw.Flush())
	}
	if len(d.Endpoints) > 0 {
		ew.printf("\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "POD\tNODE\tBEFORE\tAFTER\tCHANGE\tSTATE\t")
		for _, e := range d.Endpoints {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", e.Pod, orDash(e.Node), sideShare(e.Share.Before, e.OnlyIn, model.SideAfter),
				sideShare(e.Share.After, e.OnlyIn, model.SideBefore), Points(e.Share.Delta), readyChange(e))
		}
		ew.err = firstErr(ew.err, tw.Flush())
	}
	writeFindings(ew, "Findings that appear", "+", d.FindingsAppeared)
	writeFindings(ew, "Findings that clear", "-", d.FindingsCleared)
	return ew.err
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
func sideShare(share float64, onlyIn, other model.Side) string {
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

func healthChange(before, after *model.Prediction, n model.NodeChange) string {
	if before.Type != "LoadBalancer" {
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

func readyChange(e model.EndpointChange) string {
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
