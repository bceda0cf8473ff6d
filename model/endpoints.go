package model

import (
	"fmt"
	"sort"
	"strconv"
)

// epInfo is one endpoint as kube-proxy sees it, after de-duplication and
// with conditions resolved to kube-proxy's defaults.
type epInfo struct {
	ip, node, zone, pod       string
	ready, serving, terminate bool
	hintZones, hintNodes      []string
}

// servingTerminating is kube-proxy's fallback class: endpoints still
// serving while they shut down.
func (e *epInfo) servingTerminating() bool { return e.serving && e.terminate }

// selectPort picks the Service port the prediction is for: by name or
// number, or the first.
func selectPort(svc *Service, want string) (ServicePort, error) {
	if len(svc.Ports) == 0 {
		return ServicePort{}, nil
	}
	if want == "" {
		return svc.Ports[0], nil
	}
	for _, p := range svc.Ports {
		if p.Name == want || strconv.Itoa(int(p.Port)) == want {
			return p, nil
		}
	}
	var valid []string
	for _, p := range svc.Ports {
		if p.Name != "" {
			valid = append(valid, p.Name)
		}
		valid = append(valid, strconv.Itoa(int(p.Port)))
	}
	return ServicePort{}, fmt.Errorf("service %s has no port %q (ports: %v)", svc.Key(), want, valid)
}

// gatherEndpoints collects the Service's endpoints for one port the way
// kube-proxy's EndpointSliceCache does: slices labelled with the Service's
// name whose ports include the port's name, only addresses[0] of each
// endpoint, de-duplicated by address (the first slice in name order
// wins), missing ready/serving meaning true and missing terminating false.
func gatherEndpoints(snap *Snapshot, sliceIdx []int, svc *Service, port ServicePort, nodeZone map[string]string) []epInfo {
	n := 0
	for _, si := range sliceIdx {
		n += len(snap.Slices[si].Endpoints)
	}
	out := make([]epInfo, 0, n)
	seen := make(map[string]struct{}, n)
	for _, si := range sliceIdx {
		sl := &snap.Slices[si]
		if !slicePortMatches(sl, port) {
			continue
		}
		for ei := range sl.Endpoints {
			e := &sl.Endpoints[ei]
			if len(e.Addresses) == 0 {
				continue
			}
			if _, dup := seen[e.Addresses[0]]; dup {
				continue
			}
			seen[e.Addresses[0]] = struct{}{}
			info := epInfo{
				ip:        e.Addresses[0],
				node:      e.NodeName,
				zone:      e.Zone,
				ready:     e.Ready == nil || *e.Ready,
				serving:   e.Serving == nil || *e.Serving,
				terminate: e.Terminating != nil && *e.Terminating,
				hintZones: e.HintZones,
				hintNodes: e.HintNodes,
			}
			// The EndpointSlice controller marks every endpoint ready for
			// such Services; a hand-written dump may not have.
			if svc.PublishNotReadyAddresses {
				info.ready = true
			}
			if info.zone == "" {
				info.zone = nodeZone[info.node]
			}
			if e.PodName != "" {
				info.pod = e.PodNamespace + "/" + e.PodName
			}
			out = append(out, info)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].pod != out[j].pod {
			return out[i].pod < out[j].pod
		}
		return out[i].ip < out[j].ip
	})
	return out
}

// healthCheckCounts counts, per node, what kube-proxy's health check
// server reports as localEndpoints: distinct addresses of ready local
// endpoints across every port of the Service (LocalReadyEndpoints).
func healthCheckCounts(snap *Snapshot, sliceIdx []int, svc *Service) map[string]int {
	ips := map[string]map[string]struct{}{}
	for _, si := range sliceIdx {
		for _, e := range snap.Slices[si].Endpoints {
			ready := e.Ready == nil || *e.Ready || svc.PublishNotReadyAddresses
			if len(e.Addresses) == 0 || e.NodeName == "" || !ready {
				continue
			}
			if ips[e.NodeName] == nil {
				ips[e.NodeName] = map[string]struct{}{}
			}
			ips[e.NodeName][e.Addresses[0]] = struct{}{}
		}
	}
	counts := make(map[string]int, len(ips))
	for node, set := range ips {
		counts[node] = len(set)
	}
	return counts
}

// sliceIndex maps "namespace/service" to the indexes of its slices in
// Snapshot.Slices, in slice order.
type sliceIndex map[string][]int

func indexSlices(snap *Snapshot) sliceIndex {
	idx := make(sliceIndex, len(snap.Services))
	for i := range snap.Slices {
		k := snap.Slices[i].Namespace + "/" + snap.Slices[i].Service
		idx[k] = append(idx[k], i)
	}
	return idx
}

// slicePortMatches mirrors kube-proxy, which files endpoints under the
// slice's port names and ignores ports without a number. A slice with no
// ports at all (seen in hand-made dumps) is taken as serving every port.
func slicePortMatches(sl *EndpointSlice, port ServicePort) bool {
	if len(sl.Ports) == 0 {
		return true
	}
	for _, p := range sl.Ports {
		if p.Name == port.Name {
			return p.Port != 0
		}
	}
	return false
}

// topology holds, for one Service, what kube-proxy's CategorizeEndpoints
// needs to decide any node's endpoints, computed once so that nodes which
// behave alike share their work.
type topology struct {
	eps []epInfo
	// ready and servingTerm index eps; servingTerm is the cluster-wide
	// fallback used only when nothing is ready.
	ready, servingTerm []int
	// allNodeHints / allZoneHints: every ready endpoint carries such a hint.
	allNodeHints, allZoneHints bool
	byHintNode, byHintZone     map[string][]int
	localReady, localTerm      map[string][]int
	// ignoreHints is set for headless Services: no kube-proxy involved.
	ignoreHints bool
}

func newTopology(eps []epInfo) *topology {
	t := &topology{
		eps:          eps,
		allNodeHints: true,
		allZoneHints: true,
		ready:        make([]int, 0, len(eps)),
		byHintNode:   map[string][]int{},
		byHintZone:   map[string][]int{},
		localReady:   make(map[string][]int, len(eps)),
		localTerm:    map[string][]int{},
	}
	for i := range eps {
		e := &eps[i]
		switch {
		case e.ready:
			t.ready = append(t.ready, i)
			if e.node != "" {
				t.localReady[e.node] = append(t.localReady[e.node], i)
			}
			if len(e.hintNodes) == 0 {
				t.allNodeHints = false
			}
			for _, n := range e.hintNodes {
				t.byHintNode[n] = append(t.byHintNode[n], i)
			}
			if len(e.hintZones) == 0 {
				t.allZoneHints = false
			}
			for _, z := range e.hintZones {
				t.byHintZone[z] = append(t.byHintZone[z], i)
			}
		case e.servingTerminating():
			t.servingTerm = append(t.servingTerm, i)
			if e.node != "" {
				t.localTerm[e.node] = append(t.localTerm[e.node], i)
			}
		}
	}
	if len(t.ready) == 0 {
		t.allNodeHints, t.allZoneHints = false, false
	}
	return t
}

// hasAny is kube-proxy's hasEndpoints: some endpoint anywhere is usable.
// Without it every node rejects; with it, a node lacking local endpoints
// under a Local policy drops.
func (t *topology) hasAny() bool { return len(t.ready)+len(t.servingTerm) > 0 }

// setKind says how a node's endpoint set was chosen.
type setKind uint8

const (
	setNone setKind = iota
	setReady
	setTerminating
	setSameNode
	setSameZone
	setLocal
	setLocalTerminating
)

// setKey names an endpoint set; nodes with equal keys get the same set.
type setKey struct {
	kind setKind
	name string // the node or zone for per-node and per-zone sets
}

// clusterSet returns a node's cluster endpoints and the key of that set.
func (t *topology) clusterSet(node, zone string) (setKey, []int) {
	if len(t.ready) == 0 {
		if len(t.servingTerm) == 0 {
			return setKey{}, nil
		}
		return setKey{kind: setTerminating}, t.servingTerm
	}
	if !t.ignoreHints {
		if s := t.byHintNode[node]; t.allNodeHints && len(s) > 0 {
			return setKey{setSameNode, node}, s
		}
		if s := t.byHintZone[zone]; t.allZoneHints && len(s) > 0 {
			return setKey{setSameZone, zone}, s
		}
	}
	return setKey{kind: setReady}, t.ready
}

// localSet returns a node's local endpoints: ready ones, else the
// serving-terminating ones.
func (t *topology) localSet(node string) (setKey, []int) {
	if s := t.localReady[node]; len(s) > 0 {
		return setKey{setLocal, node}, s
	}
	if s := t.localTerm[node]; len(s) > 0 {
		return setKey{setLocalTerminating, node}, s
	}
	return setKey{}, nil
}
