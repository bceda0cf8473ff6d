package picker

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/ktraffic/ktraffic/model"
)

// NodeItems lists snap's nodes in the order a node is most likely
// sought: those hosting the Service's endpoints (read from p, a
// prediction of it; nil for none) first, then the rest, each by name.
// The note says how many of the Service's pods a node runs, and its zone;
// hosting is how many nodes come first.
func NodeItems(snap *model.Snapshot, p *model.Prediction) (items []Item, hosting int) {
	if snap == nil {
		return nil, 0
	}
	pods := map[string]int{}
	if p != nil {
		for _, e := range p.Endpoints {
			pods[e.Node]++
		}
	}
	nodes := slices.Clone(snap.Nodes)
	slices.SortFunc(nodes, func(a, b model.Node) int {
		if ha, hb := pods[a.Name] > 0, pods[b.Name] > 0; ha != hb {
			if ha {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	items = make([]Item, len(nodes))
	for i, n := range nodes {
		note := n.Zone
		if c := pods[n.Name]; c > 0 {
			hosting++
			note = podsNote(c)
			if n.Zone != "" {
				note += " · " + n.Zone
			}
		}
		items[i] = Item{Value: n.Name, Note: note}
	}
	return items, hosting
}

func podsNote(n int) string {
	if n == 1 {
		return "1 pod"
	}
	return strconv.Itoa(n) + " pods"
}
