package k8s

import (
	"slices"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// nodeRefs derives the node set from endpoints and pods, as
// model.Snapshot.Normalize does, but incrementally: it counts who mentions
// each node, so a changed slice touches a few counters instead of a scan
// of every endpoint and pod.
type nodeRefs struct {
	refs    map[string]*nodeRef
	touched map[string]struct{}
	list    []model.Node // sorted by name; replaced, never written
}

type nodeRef struct {
	count int
	zones map[string]int // endpoints reporting each zone
	// What list holds for the node, to tell whether a change shows.
	listed     bool
	listedZone string
}

func (r *nodeRefs) add(node, zone string, d int) {
	if node == "" {
		return
	}
	if r.refs == nil {
		r.refs = make(map[string]*nodeRef)
		r.touched = make(map[string]struct{})
	}
	ref := r.refs[node]
	if ref == nil {
		ref = &nodeRef{}
		r.refs[node] = ref
	}
	ref.count += d
	if zone != "" {
		if ref.zones == nil {
			ref.zones = make(map[string]int)
		}
		ref.zones[zone] += d
		if ref.zones[zone] <= 0 {
			delete(ref.zones, zone)
		}
	}
	r.touched[node] = struct{}{}
}

func (r *nodeRefs) pod(old, new *model.Pod) {
	if old != nil {
		r.add(old.NodeName, "", -1)
	}
	if new != nil {
		r.add(new.NodeName, "", 1)
	}
}

func (r *nodeRefs) slice(old, new *model.EndpointSlice) {
	if old != nil {
		for _, e := range old.Endpoints {
			r.add(e.NodeName, e.Zone, -1)
		}
	}
	if new != nil {
		for _, e := range new.Endpoints {
			r.add(e.NodeName, e.Zone, 1)
		}
	}
}

// nodes returns the derived node set, rebuilt (changed) only when a
// touched node appeared, disappeared or changed zone.
func (r *nodeRefs) nodes() (list []model.Node, changed bool) {
	for name := range r.touched {
		ref := r.refs[name]
		present, zone := ref.count > 0, ref.zone()
		if present != ref.listed || zone != ref.listedZone {
			changed = true
			ref.listed, ref.listedZone = present, zone
		}
		if !present {
			delete(r.refs, name)
		}
	}
	clear(r.touched)
	if !changed {
		return r.list, false
	}
	list = make([]model.Node, 0, len(r.refs))
	for name, ref := range r.refs {
		list = append(list, model.Node{Name: name, Zone: ref.listedZone, Ready: true})
	}
	slices.SortFunc(list, func(a, b model.Node) int { return strings.Compare(a.Name, b.Name) })
	r.list = list
	return list, true
}

// zone is the zone most endpoints on the node report; ties go to the
// first by name so rebuilds are stable.
func (n *nodeRef) zone() string {
	best, bestCount := "", 0
	for z, c := range n.zones {
		if c > bestCount || (c == bestCount && z < best) {
			best, bestCount = z, c
		}
	}
	return best
}
