package report

import (
	"fmt"
	"math"
	"sort"

	"github.com/ktraffic/ktraffic/model"
)

// FoldAbove is how many node or pod rows a table lists before it folds
// the rows with nothing to say into one line: a 2,000-node cluster's
// tables keep their pods and findings on the first screen.
const FoldAbove = 12

// NodeCells is the node table of one prediction, a heading then one row
// per node: nodes that take or lose traffic or host endpoints first, the
// largest share first. Above FoldAbove rows, nodes with nothing to say
// (no share, nothing lost, no local endpoint) fold into one line.
func NodeCells(p *model.Prediction, endpointsUnknown bool) [][]string {
	rows := [][]string{{"NODE", "ZONE", "LB HEALTH", "READY LOCAL", "SHARE", "LOST"}}
	nodes := p.Nodes
	quiet := func(n model.NodeShare) bool {
		return n.Share == 0 && n.Dropped+n.Rejected == 0 && n.ReadyLocalEndpoints == 0
	}
	fold := len(nodes) > FoldAbove
	if fold {
		nodes = append([]model.NodeShare(nil), nodes...)
		sort.SliceStable(nodes, func(i, j int) bool {
			a, b := nodes[i], nodes[j]
			if a.Share != b.Share {
				return a.Share > b.Share
			}
			if la, lb := a.Dropped+a.Rejected, b.Dropped+b.Rejected; la != lb {
				return la > lb
			}
			return a.ReadyLocalEndpoints > b.ReadyLocalEndpoints
		})
	}
	var folded []model.NodeShare
	for _, n := range nodes {
		if fold && quiet(n) && !endpointsUnknown {
			folded = append(folded, n)
			continue
		}
		share, health, ready := Percent(n.Share), healthText(p, n), fmt.Sprint(n.ReadyLocalEndpoints)
		if endpointsUnknown {
			share, ready = "?", "?"
			if p.Settings.ExternalTrafficPolicy == "Local" && health != "-" && health != "excluded" {
				health = "? unknown"
			}
		}
		rows = append(rows, []string{n.Name, OrDash(n.Zone), health, ready, share, lostText(n)})
	}
	if len(folded) > 0 {
		rows = append(rows, []string{fmt.Sprintf("%d more nodes", len(folded)), zonesText(folded), healthSummary(p, folded), "0", Percent(0), ""})
	}
	return rows
}

// NodeChangeCells is a diff's node table: changed nodes first, the
// largest change first. Above FoldAbove rows, unchanged nodes fold into
// one line with their share range.
func NodeChangeCells(before, after *model.Prediction, d *model.Diff) [][]string {
	rows := [][]string{{"NODE", "ZONE", "BEFORE", "AFTER", "CHANGE", "LB HEALTH"}}
	nodes := d.Nodes
	fold := len(nodes) > FoldAbove
	changed := func(n model.NodeChange) bool { return n.OnlyIn != "" || n.Share.Changed() || n.LBHealthy.Changed() }
	if fold {
		nodes = append([]model.NodeChange(nil), nodes...)
		sort.SliceStable(nodes, func(i, j int) bool {
			ci, cj := changed(nodes[i]), changed(nodes[j])
			if ci != cj {
				return ci
			}
			return math.Abs(nodes[i].Share.Delta) > math.Abs(nodes[j].Share.Delta)
		})
	}
	var same []model.NodeChange
	for _, n := range nodes {
		if fold && !changed(n) {
			same = append(same, n)
			continue
		}
		rows = append(rows, []string{n.Name, OrDash(n.Zone), SideShare(n.Share.Before, n.OnlyIn, model.SideAfter),
			SideShare(n.Share.After, n.OnlyIn, model.SideBefore), Points(n.Share.Delta), HealthChange(before, after, n)})
	}
	if len(same) > 0 {
		r := shareRange(same, func(n model.NodeChange) float64 { return n.Share.After })
		rows = append(rows, []string{fmt.Sprintf("%d nodes unchanged", len(same)), "", r, r, "", ""})
	}
	return rows
}

// PodChangeCells is a diff's pod table, folded like NodeChangeCells.
func PodChangeCells(d *model.Diff) [][]string {
	rows := [][]string{{"POD", "NODE", "BEFORE", "AFTER", "CHANGE", "STATE"}}
	pods := d.Endpoints
	fold := len(pods) > FoldAbove
	changed := func(e model.EndpointChange) bool { return e.OnlyIn != "" || e.Share.Changed() || e.Ready.Changed() }
	if fold {
		pods = append([]model.EndpointChange(nil), pods...)
		sort.SliceStable(pods, func(i, j int) bool {
			ci, cj := changed(pods[i]), changed(pods[j])
			if ci != cj {
				return ci
			}
			return math.Abs(pods[i].Share.Delta) > math.Abs(pods[j].Share.Delta)
		})
	}
	var same []model.EndpointChange
	for _, e := range pods {
		if fold && !changed(e) {
			same = append(same, e)
			continue
		}
		rows = append(rows, []string{e.Pod, OrDash(e.Node), SideShare(e.Share.Before, e.OnlyIn, model.SideAfter),
			SideShare(e.Share.After, e.OnlyIn, model.SideBefore), Points(e.Share.Delta), ReadyChange(e)})
	}
	if len(same) > 0 {
		r := shareRange(same, func(e model.EndpointChange) float64 { return e.Share.After })
		rows = append(rows, []string{fmt.Sprintf("%d pods unchanged", len(same)), "", r, r, "", ""})
	}
	return rows
}

// shareRange is the shares of rows as one cell: "0.0%" when they are all
// alike, else "0.5%–2.0%".
func shareRange[T any](rows []T, share func(T) float64) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		lo, hi = math.Min(lo, share(r)), math.Max(hi, share(r))
	}
	if Percent(lo) == Percent(hi) {
		return Percent(lo)
	}
	return Percent(lo) + "–" + Percent(hi)
}

// zonesText names the zones of folded nodes with how many in each.
func zonesText(nodes []model.NodeShare) string {
	count := map[string]int{}
	var order []string
	for _, n := range nodes {
		if count[n.Zone] == 0 {
			order = append(order, n.Zone)
		}
		count[n.Zone]++
	}
	sort.Strings(order)
	if len(order) == 1 {
		return OrDash(order[0])
	}
	return fmt.Sprintf("%d zones", len(order))
}

// healthSummary says what the load balancer sees on folded nodes.
func healthSummary(p *model.Prediction, nodes []model.NodeShare) string {
	first := healthText(p, nodes[0])
	for _, n := range nodes[1:] {
		if healthText(p, n) != first {
			return "mixed"
		}
	}
	return first
}
