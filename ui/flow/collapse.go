package flow

import (
	"cmp"
	"slices"

	"github.com/ktraffic/ktraffic/ui/common"
)

// collapse folds long tails: per zone the nodes carrying least traffic,
// per node the pods carrying least.
func (g *graph) collapse() {
	plain := 0
	zones := map[string]bool{}
	for _, n := range g.nodes {
		if !n.groupOnly {
			plain++
		}
		zones[n.zone] = true
	}
	if plain > collapseNodesOver {
		keepN := keepNodesPerZone
		if len(zones) == 1 {
			keepN = keepNodesSingleZone
		}
		g.collapseNodes(keepN)
	}
	if len(g.pods) > collapsePodsOver {
		g.collapsePods(keepPodsPerNode)
	}
}

func weight(g *graph, n nodeRow) float64 {
	w := n.share
	for _, pi := range n.pods {
		w += g.pods[pi].share
	}
	return w
}

func (g *graph) collapseNodes(keepN int) {
	byZone := map[string][]int{}
	var zoneOrder []string
	for i, n := range g.nodes {
		if _, ok := byZone[n.zone]; !ok {
			zoneOrder = append(zoneOrder, n.zone)
		}
		byZone[n.zone] = append(byZone[n.zone], i)
	}
	remap := make([]int, len(g.nodes))
	var out []nodeRow
	for _, z := range zoneOrder {
		idx := byZone[z]
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmp.Compare(weight(g, g.nodes[b]), weight(g, g.nodes[a]))
		})
		tail := nodeRow{zone: z, backend: true, folded: true}
		for rank, i := range idx {
			n := g.nodes[i]
			if rank < keepN || len(idx) == keepN+1 {
				remap[i] = len(out)
				out = append(out, n)
				continue
			}
			remap[i] = -1
			tail.nodes += n.nodes
			tail.healthy += n.healthy
			tail.share += n.share
			tail.pods = append(tail.pods, n.pods...)
			tail.hasFlows = tail.hasFlows || n.hasFlows
		}
		if tail.nodes > 0 {
			tail.label = "+" + common.Counted(tail.nodes, "node")
			for _, i := range idx {
				if remap[i] == -1 {
					remap[i] = len(out)
				}
			}
			out = append(out, tail)
		}
	}
	g.nodes = out
	g.remapEdges(remap, nil)
}

func (g *graph) collapsePods(keepP int) {
	remap := make([]int, len(g.pods))
	var out []podRow
	for ni := range g.nodes {
		n := &g.nodes[ni]
		idx := slices.Clone(n.pods)
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(g.pods[b].share, g.pods[a].share) })
		var kept []int
		tail := podRow{ready: true, serving: true}
		tailAt := -1
		for rank, pi := range idx {
			p := g.pods[pi]
			if rank < keepP || len(idx) == keepP+1 {
				remap[pi] = len(out)
				kept = append(kept, len(out))
				out = append(out, p)
				continue
			}
			if tailAt < 0 {
				tailAt = len(out)
				out = append(out, podRow{})
			}
			remap[pi] = tailAt
			tail.count += p.count
			tail.share += p.share
			if tail.node == "" || tail.node == p.node {
				tail.node = p.node
			} else {
				tail.node = "several nodes"
			}
		}
		if tailAt >= 0 {
			tail.label = "+" + common.Counted(tail.count, "pod")
			out[tailAt] = tail
			kept = append(kept, tailAt)
		}
		n.pods = kept
	}
	g.pods = out
	g.remapEdges(nil, remap)
}

// remapEdges points edges at collapsed rows and merges the duplicates.
func (g *graph) remapEdges(nodeMap, podMap []int) {
	type key struct{ from, to int }
	agg := map[key]int{}
	var out []edge
	for _, e := range g.edges {
		if nodeMap != nil {
			e.from = nodeMap[e.from]
		}
		if podMap != nil && e.to != sinkTarget {
			e.to = podMap[e.to]
		}
		k := key{e.from, e.to}
		if i, ok := agg[k]; ok {
			out[i].share += e.share
			out[i].class = max(out[i].class, e.class)
			continue
		}
		agg[k] = len(out)
		out = append(out, e)
	}
	g.edges = out
}
