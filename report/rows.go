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
			if p.Settings.ExternalTrafficPolicy == model.PolicyLocal && health != "-" && health != "excluded" {
				health = "? unknown"
			}
		}
		rows = append(rows, []string{n.Name, OrDash(n.Zone), health, ready, share, lostText(n)})
	}
	if len(folded) > 0 {
		rows = append(rows, []string{fmt.Sprintf("%s more nodes", Count(len(folded))), zonesText(folded), healthSummary(p, folded), "0", Percent(0), ""})
	}
	return rows
}

// NodeChangeCells is a diff's node table: changed nodes first, the
// largest change first. Above FoldAbove rows, unchanged nodes fold into
// one line with their share range.
func NodeChangeCells(before, after *model.Prediction, d *model.Diff) [][]string {
	return foldChanges([]string{"NODE", "ZONE", "BEFORE", "AFTER", "CHANGE", "LB HEALTH"}, d.Nodes, "nodes",
		func(n model.NodeChange) (bool, model.NumberChange) {
			return n.OnlyIn != "" || n.LBHealthy.Changed(), n.Share
		},
		func(n model.NodeChange) []string {
			return []string{n.Name, OrDash(n.Zone), SideShare(n.Share.Before, n.OnlyIn, model.SideAfter),
				SideShare(n.Share.After, n.OnlyIn, model.SideBefore), Points(n.Share.Delta), HealthChange(before, after, n)}
		})
}

// PodChangeCells is a diff's pod table, folded like NodeChangeCells.
func PodChangeCells(d *model.Diff) [][]string {
	return foldChanges([]string{"POD", "NODE", "BEFORE", "AFTER", "CHANGE", "STATE"}, d.Endpoints, "pods",
		func(e model.EndpointChange) (bool, model.NumberChange) {
			return e.OnlyIn != "" || e.Ready.Changed(), e.Share
		},
		func(e model.EndpointChange) []string {
			return []string{e.Pod, OrDash(e.Node), SideShare(e.Share.Before, e.OnlyIn, model.SideAfter),
				SideShare(e.Share.After, e.OnlyIn, model.SideBefore), Points(e.Share.Delta), ReadyChange(e)}
		})
}

// foldChanges lays out a diff table: a heading, then a row per item.
// Above FoldAbove items, the rows that say something come first (the
// largest change first) and the rest fold into one line with their share
// range: unchanged rows, and rows whose only change is too small to show
// (under 0.05 points, which Points writes as "+<0.1 pts") — at 2,000
// nodes a node down moves every other node by that much.
//
// changed says whether an item changed in a way other than its share (it
// came or went, its health or readiness turned), and gives its share.
func foldChanges[T any](head []string, items []T, noun string, changed func(T) (bool, model.NumberChange), row func(T) []string) [][]string {
	rows := [][]string{head}
	fold := len(items) > FoldAbove
	tells := func(it T) bool {
		other, share := changed(it)
		return other || math.Abs(share.Delta) >= visibleShare
	}
	if fold {
		items = append([]T(nil), items...)
		sort.SliceStable(items, func(i, j int) bool {
			ti, tj := tells(items[i]), tells(items[j])
			if ti != tj {
				return ti
			}
			_, si := changed(items[i])
			_, sj := changed(items[j])
			return math.Abs(si.Delta) > math.Abs(sj.Delta)
		})
	}
	var quiet []T
	moved := false
	for _, it := range items {
		if fold && !tells(it) {
			quiet = append(quiet, it)
			_, share := changed(it)
			moved = moved || share.Delta != 0
			continue
		}
		rows = append(rows, row(it))
	}
	if len(quiet) > 0 {
		before := shareRange(quiet, func(it T) float64 { _, s := changed(it); return s.Before })
		after := shareRange(quiet, func(it T) float64 { _, s := changed(it); return s.After })
		what := "unchanged"
		if moved {
			what = "moving under 0.1 pts each"
		}
		rows = append(rows, []string{fmt.Sprintf("%s %s %s", Count(len(quiet)), noun, what), "", before, after, "", ""})
	}
	return rows
}

// visibleShare is the smallest share change a table shows in figures.
const visibleShare = 0.0005

// Count writes n with thousands separators: 2,000.
func Count(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
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
