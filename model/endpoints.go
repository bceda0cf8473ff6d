package model

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
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
	// As kubectl prints them, name first: either names the port here.
	valid := make([]string, 0, len(svc.Ports))
	for _, p := range svc.Ports {
		s := strconv.Itoa(int(p.Port)) + "/" + protocolOrTCP(p.Protocol)
		if p.Name != "" {
			s = p.Name + ":" + s
		}
		valid = append(valid, s)
	}
	return ServicePort{}, fmt.Errorf("service %s has no port %q (ports: %s)", svc.Key(), want, strings.Join(valid, ", "))
}

// gatherEndpoints lists the endpoints kube-proxy's endpoint-slice cache
// keeps for one Service port (see endpointsMap), with conditions resolved
// to kube-proxy's defaults: missing ready/serving mean true, missing
// terminating false.
func gatherEndpoints(m endpointsMap, port ServicePort, zoneOf func(node string) string) []epInfo {
	cached := m.forPort(port)
	out := make([]epInfo, 0, len(cached))
	for _, c := range cached {
		e := c.e
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
		if info.zone == "" {
			info.zone = zoneOf(info.node)
		}
		if e.PodName != "" {
			info.pod = e.PodNamespace + "/" + e.PodName
		}
		out = append(out, info)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].pod != out[j].pod {
			return out[i].pod < out[j].pod
		}
		return out[i].ip < out[j].ip
	})
	return out
}

// IP families of EndpointSlices, as addressType spells them.
const (
	familyIPv4 = "IPv4"
	familyIPv6 = "IPv6"
	familyFQDN = "FQDN"
)

// sliceFamily is the slice's addressType, inferred from its first address
// when a hand-made dump leaves it out.
func sliceFamily(sl *EndpointSlice) string {
	if sl.AddressType != "" {
		return sl.AddressType
	}
	for _, e := range sl.Endpoints {
		if len(e.Addresses) > 0 {
			return addressFamily(e.Addresses[0])
		}
	}
	return familyIPv4
}

func addressFamily(addr string) string {
	ip := net.ParseIP(addr)
	switch {
	case ip == nil:
		return familyFQDN
	case ip.To4() != nil:
		return familyIPv4
	}
	return familyIPv6
}

// serviceFamily is the family of the proxier that carries traffic to the
// Service's cluster IP. Headless Services (and dumps without a cluster IP)
// take the first IP family their slices use, IPv4 first.
func serviceFamily(snap *Snapshot, sliceIdx []int, svc *Service) string {
	if f := addressFamily(svc.ClusterIP); f != familyFQDN {
		return f
	}
	family := ""
	for _, si := range sliceIdx {
		switch f := sliceFamily(&snap.Slices[si]); {
		case f == familyIPv4:
			return f
		case f == familyIPv6:
			family = f
		}
	}
	if family == "" {
		return familyIPv4
	}
	return family
}

func protocolOrTCP(p string) string {
	if p == "" {
		return "TCP"
	}
	return p
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
