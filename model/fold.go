package model

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Folding makes a Service's summary cost depend on its endpoints, not on
// the cluster's size. A node that hosts none of the Service's endpoints,
// is named by no hint, and is not the source's or the load balancer's
// chosen node behaves, for that Service, exactly like every other such
// node with the same zone, readiness and load-balancer eligibility: its
// local endpoint set is empty, its health-check count 0, and its
// cluster endpoints depend on its zone alone. Summarize predicts each
// such class once, weighted by its size, and the findings count and name
// nodes through the weights.

// nodeClass groups the snapshot's nodes by what decides their behaviour
// for a Service that has no endpoint on them.
type nodeClass struct {
	zone           string
	ready, backend bool
	members        []int // indexes in snapIndex.nodes, in name order
}

type classKey struct {
	zone           string
	ready, backend bool
}

// indexClasses sorts the snapshot's nodes into classes once per snapshot.
func (x *snapIndex) indexClasses() {
	at := map[classKey]int{}
	x.classOf = make([]int, len(x.nodes))
	for i := range x.nodes {
		n := &x.nodes[i]
		k := classKey{n.Zone, n.Ready, lbBackend(n)}
		c, ok := at[k]
		if !ok {
			c = len(x.classes)
			at[k] = c
			x.classes = append(x.classes, nodeClass{zone: k.zone, ready: k.ready, backend: k.backend})
		}
		x.classOf[i] = c
		x.classes[c].members = append(x.classes[c].members, i)
	}
}

// foldable says whether a prediction may fold nodes: only a summary, and
// not where the order of all nodes decides (the announcing node a
// single-node load balancer is guessed by).
func (p *predictor) foldable() bool {
	return p.fold && !(p.source.Kind == SourceLB && p.settings.LBMode == LBModeSingleNode)
}

// foldNodes replaces the predictor's node list with the Service's own
// nodes (those its endpoints, hints, source or load balancer name) and
// one stand-in per class of the others, weighted by how many it stands
// for. Call it once the topology is known, before the traffic is spread.
func (p *predictor) foldNodes(x *snapIndex) {
	special := map[int]bool{}
	mark := func(name string) {
		if i, ok := x.nodeIdx[name]; ok {
			special[i] = true
		}
	}
	for _, e := range p.topo.eps {
		mark(e.node)
		for _, n := range e.hintNodes {
			mark(n)
		}
	}
	if p.probe.topo != nil {
		for _, e := range p.probe.topo.eps {
			mark(e.node)
		}
	}
	for n := range p.hcCount {
		mark(n)
	}
	mark(p.source.Node)
	mark(p.settings.LBNode)
	if p.source.Kind == SourcePod {
		mark(findPod(p.snap, p.source.Pod).NodeName)
	}

	ids := make([]int, 0, len(special))
	for i := range special {
		ids = append(ids, i)
	}
	sort.Ints(ids)
	nodes := make([]Node, 0, len(ids)+len(x.classes))
	p.weights = make([]float64, 0, cap(nodes))
	p.stands = make([]int, 0, cap(nodes))
	vIdx := make(map[string]int, len(ids))
	for _, i := range ids {
		vIdx[x.nodes[i].Name] = len(nodes)
		nodes = append(nodes, x.nodes[i])
		p.weights = append(p.weights, 1)
		p.stands = append(p.stands, -1)
	}
	perClass := make([]int, len(x.classes))
	for _, i := range ids {
		perClass[x.classOf[i]]++
	}
	for c := range x.classes {
		cl := &x.classes[c]
		rest := len(cl.members) - perClass[c]
		if rest == 0 {
			continue
		}
		stand := x.nodes[cl.members[0]] // same zone, readiness and eligibility
		stand.Name = fmt.Sprintf("\x00class %d", c)
		nodes = append(nodes, stand)
		p.weights = append(p.weights, float64(rest))
		p.stands = append(p.stands, c)
	}
	p.special, p.classes, p.allNodes = special, x.classes, x.nodes
	p.nodes, p.nodeIdx = nodes, vIdx
}

// weight is how many nodes the predictor's node i stands for.
func (p *predictor) weight(i int) float64 {
	if p.weights == nil {
		return 1
	}
	return p.weights[i]
}

// nodeCount is how many nodes the prediction covers.
func (p *predictor) nodeCount() int {
	if p.weights == nil {
		return len(p.nodes)
	}
	total := 0.0
	for _, w := range p.weights {
		total += w
	}
	return int(total)
}

// nodesWhere counts the nodes that match and names the first max of
// them in name order, as label formats a node (its name, or more).
func (p *predictor) nodesWhere(match func(i int) bool, max int, label func(n *Node) string) (count int, names []string) {
	type named struct{ name, text string }
	var found []named
	for i := range p.nodes {
		if !match(i) {
			continue
		}
		count += int(p.weight(i))
		if p.stands == nil || p.stands[i] < 0 {
			found = append(found, named{p.nodes[i].Name, label(&p.nodes[i])})
			continue
		}
		taken := 0
		for _, m := range p.classes[p.stands[i]].members {
			if taken == max {
				break
			}
			if !p.special[m] {
				n := &p.allNodes[m]
				found = append(found, named{n.Name, label(n)})
				taken++
			}
		}
	}
	sort.Slice(found, func(a, b int) bool { return found[a].name < found[b].name })
	for k := 0; k < len(found) && k < max; k++ {
		names = append(names, found[k].text)
	}
	return count, names
}

func nodeName(n *Node) string { return n.Name }

// countedNames lists names and how many more there are than listed.
func countedNames(names []string, count int) string {
	if count <= len(names) {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names, ", "), count-len(names))
}

// outcome sums the prediction up as its source's outcome, counting and
// naming losing nodes through the weights of a folded prediction.
func (p *predictor) outcome() SourceOutcome {
	o := OutcomeOf(p.pred)
	if p.weights == nil {
		return o
	}
	type cand struct {
		loss float64
		name string
	}
	var cands []cand
	o.NodesLosing = 0
	for i, n := range p.pred.Nodes {
		lost := n.Dropped + n.Rejected
		if lost <= 0 {
			continue
		}
		o.NodesLosing += int(p.weight(i))
		each := lost / p.weight(i)
		_, names := p.nodesWhere(func(j int) bool { return j == i }, MaxLosingNodes, nodeName)
		for _, name := range names {
			cands = append(cands, cand{each, name})
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if math.Abs(cands[a].loss-cands[b].loss) > diffEpsilon {
			return cands[a].loss > cands[b].loss
		}
		return cands[a].name < cands[b].name
	})
	o.LosingNodes = nil
	for k := 0; k < len(cands) && k < MaxLosingNodes; k++ {
		o.LosingNodes = append(o.LosingNodes, cands[k].name)
	}
	return o
}
