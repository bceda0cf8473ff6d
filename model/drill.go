package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// DrillKind names a failure drill: a change to the snapshot that is
// simulated, never applied to the cluster.
type DrillKind string

// Failure drills.
const (
	// DrillNodeDown: the node stops (NotReady); its endpoints go not-ready
	// and load-balancer health checks against it fail.
	DrillNodeDown DrillKind = "node-down"
	// DrillNodeCordon: the node is cordoned. Cordoning does not take a node
	// out of load balancers or endpoints; the drill shows exactly that.
	DrillNodeCordon DrillKind = "node-cordon"
	// DrillZoneDown: every node of the zone is down.
	DrillZoneDown DrillKind = "zone-down"
	// DrillPodNotReady: one pod fails its readiness probe.
	DrillPodNotReady DrillKind = "pod-not-ready"
	// DrillScale: the Service gains (or loses) ready pods on one node.
	DrillScale DrillKind = "scale"
)

// DrillKinds lists the drills with their argument forms, for help and errors.
const DrillKinds = "node-down=NODE, node-cordon=NODE, zone-down=ZONE, pod-not-ready=NAMESPACE/NAME, scale=NODE:+N|-N"

// Drill is one failure drill.
type Drill struct {
	Kind   DrillKind
	Target string
	// Delta is the pod count change for DrillScale.
	Delta int
}

// String returns the --drill spelling.
func (d Drill) String() string {
	if d.Kind == DrillScale {
		return fmt.Sprintf("%s=%s:%+d", d.Kind, d.Target, d.Delta)
	}
	return string(d.Kind) + "=" + d.Target
}

// ParseDrill parses a --drill value.
func ParseDrill(s string) (Drill, error) {
	kind, target, ok := strings.Cut(s, "=")
	if !ok || target == "" {
		return Drill{}, fmt.Errorf("invalid --drill %q: valid: %s", s, DrillKinds)
	}
	d := Drill{Kind: DrillKind(kind), Target: target}
	switch d.Kind {
	case DrillNodeDown, DrillNodeCordon, DrillZoneDown:
	case DrillPodNotReady:
		if ns, name, ok := strings.Cut(target, "/"); !ok || ns == "" || name == "" {
			return Drill{}, fmt.Errorf("invalid --drill %q: pod-not-ready needs NAMESPACE/NAME", s)
		}
	case DrillScale:
		node, delta, ok := strings.Cut(target, ":")
		n, err := strconv.Atoi(delta)
		if !ok || node == "" || err != nil || n == 0 {
			return Drill{}, fmt.Errorf("invalid --drill %q: scale needs NODE:+N or NODE:-N", s)
		}
		d.Target, d.Delta = node, n
	default:
		return Drill{}, fmt.Errorf("invalid --drill %q: unknown drill %q; valid: %s", s, kind, DrillKinds)
	}
	return d, nil
}

// ApplyDrills returns a copy of snap with the drills applied to the
// cluster and to the Service svcKey's endpoints. snap is not changed.
// Endpoint conditions change the way the EndpointSlice controller would
// change them, so the predictor needs no knowledge of drills.
func ApplyDrills(snap *Snapshot, svcKey string, drills []Drill) (*Snapshot, error) {
	if len(drills) == 0 {
		return snap, nil
	}
	svc := snap.Service(svcKey)
	if svc == nil {
		return nil, fmt.Errorf("no Service %s", svcKey)
	}
	out := *snap
	out.Nodes = slices.Clone(snap.Nodes)
	out.Slices = slices.Clone(snap.Slices)
	out.Pods = slices.Clone(snap.Pods)
	ed := drillEditor{out: &out, svc: svc}
	for _, d := range drills {
		if err := ed.apply(d); err != nil {
			return nil, err
		}
	}
	return &out, nil
}

// drillEditor changes one snapshot copy. Slices of endpoints are cloned
// before each change so the original snapshot is never touched.
type drillEditor struct {
	out *Snapshot
	svc *Service
}

func (ed drillEditor) apply(d Drill) error {
	switch d.Kind {
	case DrillNodeDown, DrillNodeCordon:
		i := ed.nodeIndex(d.Target)
		if i < 0 {
			return UnknownName("drill %s: no node %q", d, d.Target)
		}
		if d.Kind == DrillNodeCordon {
			ed.out.Nodes[i].Unschedulable = true
			return nil
		}
		ed.nodesDown([]string{d.Target})
	case DrillZoneDown:
		var down []string
		for _, n := range ed.out.Nodes {
			if n.Zone == d.Target {
				down = append(down, n.Name)
			}
		}
		if len(down) == 0 {
			return UnknownName("drill %s: no node in zone %q", d, d.Target)
		}
		ed.nodesDown(down)
	case DrillPodNotReady:
		ns, name, _ := strings.Cut(d.Target, "/")
		found := ed.podsNotReady(func(e *Endpoint) bool { return e.PodNamespace == ns && e.PodName == name })
		if !found {
			return UnknownName("drill %s: pod %s is not an endpoint of %s", d, d.Target, ed.svc.Key())
		}
	case DrillScale:
		if ed.nodeIndex(d.Target) < 0 {
			return UnknownName("drill %s: no node %q", d, d.Target)
		}
		if d.Delta > 0 {
			ed.scaleUp(d)
			return nil
		}
		return ed.scaleDown(d)
	default:
		return fmt.Errorf("drill %s: unknown drill %q; valid: %s", d, d.Kind, DrillKinds)
	}
	return nil
}

func (ed drillEditor) nodeIndex(name string) int {
	for i := range ed.out.Nodes {
		if ed.out.Nodes[i].Name == name {
			return i
		}
	}
	return -1
}

// nodesDown marks nodes NotReady; the node lifecycle controller then
// marks their pods not ready, and the endpoints follow.
func (ed drillEditor) nodesDown(names []string) {
	for i := range ed.out.Nodes {
		if slices.Contains(names, ed.out.Nodes[i].Name) {
			ed.out.Nodes[i].Ready = false
		}
	}
	ed.podsNotReady(func(e *Endpoint) bool { return slices.Contains(names, e.NodeName) })
}

// podsNotReady marks the matching endpoints (and their pods) not ready and
// reports whether any matched. Under publishNotReadyAddresses the
// EndpointSlice controller keeps ready=true and only serving follows the
// pod: traffic keeps flowing to the failed pod, which is the point of
// showing it.
func (ed drillEditor) podsNotReady(match func(*Endpoint) bool) bool {
	found := false
	f := false
	ready := &f
	if ed.svc.PublishNotReadyAddresses {
		t := true
		ready = &t
	}
	ed.editEndpoints(func(eps []Endpoint) []Endpoint {
		for j := range eps {
			if match(&eps[j]) {
				eps[j].Ready, eps[j].Serving = ready, &f
				ed.setPodReady(eps[j].PodNamespace, eps[j].PodName, false)
				found = true
			}
		}
		return eps
	})
	return found
}

// editEndpoints lets fn rewrite a clone of each of the Service's slices'
// endpoints.
func (ed drillEditor) editEndpoints(fn func([]Endpoint) []Endpoint) {
	for i := range ed.out.Slices {
		s := &ed.out.Slices[i]
		if s.Namespace == ed.svc.Namespace && s.Service == ed.svc.Name {
			s.Endpoints = fn(slices.Clone(s.Endpoints))
		}
	}
}

func (ed drillEditor) setPodReady(ns, name string, ready bool) {
	for i := range ed.out.Pods {
		if p := &ed.out.Pods[i]; p.Namespace == ns && p.Name == name {
			p.Ready = ready
		}
	}
}

// scaleUp adds ready pods on a node, in a slice of their own, as a
// ReplicaSet scaled up and scheduled there would. Pods get the Service's
// selector as labels so findings that count selected pods see them.
func (ed drillEditor) scaleUp(d Drill) {
	ns, svc := ed.svc.Namespace, ed.svc.Name
	zone := ed.out.Nodes[ed.nodeIndex(d.Target)].Zone
	prefix := fmt.Sprintf("%s-drill-%s-", svc, d.Target)
	first := 1
	for _, p := range ed.out.Pods {
		if p.Namespace == ns && strings.HasPrefix(p.Name, prefix) {
			first++
		}
	}
	sl := EndpointSlice{Namespace: ns, Service: svc, AddressType: "IPv4"}
	for _, s := range ed.out.Slices {
		if s.Namespace == ns && s.Service == svc {
			sl.Ports, sl.AddressType = s.Ports, s.AddressType
			break
		}
	}
	sl.Name = fmt.Sprintf("%s%d", prefix, first)
	t := true
	for i := first; i < first+d.Delta; i++ {
		name := fmt.Sprintf("%s%d", prefix, i)
		// Not an IP on purpose: a simulated pod has none, and a made-up
		// one could be mistaken for a real pod's.
		addr := fmt.Sprintf("drill:%s:%d", d.Target, i)
		sl.Endpoints = append(sl.Endpoints, Endpoint{
			Addresses: []string{addr}, Ready: &t, NodeName: d.Target, Zone: zone,
			PodNamespace: ns, PodName: name,
		})
		ed.out.Pods = append(ed.out.Pods, Pod{
			Namespace: ns, Name: name, NodeName: d.Target, IP: addr,
			Labels: ed.svc.Selector, Ready: true, Phase: "Running",
		})
	}
	ed.out.Slices = append(ed.out.Slices, sl)
}

// scaleDown removes the node's last endpoints (newest first, as a
// ReplicaSet prefers deleting its youngest pods) and their pods.
func (ed drillEditor) scaleDown(d Drill) error {
	ns, svc := ed.svc.Namespace, ed.svc.Name
	have := 0
	for _, s := range ed.out.Slices {
		if s.Namespace == ns && s.Service == svc {
			for _, e := range s.Endpoints {
				if e.NodeName == d.Target {
					have++
				}
			}
		}
	}
	if have < -d.Delta {
		return fmt.Errorf("drill %s: %s has %s on node %q, cannot remove %d", d, ed.svc.Key(), Counted(have, "endpoint", "endpoints"), d.Target, -d.Delta)
	}
	remove := -d.Delta
	var gone []Endpoint
	for i := len(ed.out.Slices) - 1; i >= 0 && remove > 0; i-- {
		s := &ed.out.Slices[i]
		if s.Namespace != ns || s.Service != svc {
			continue
		}
		var kept []Endpoint
		for j := len(s.Endpoints) - 1; j >= 0; j-- {
			if e := s.Endpoints[j]; remove > 0 && e.NodeName == d.Target {
				remove--
				gone = append(gone, e)
				continue
			}
			kept = append(kept, s.Endpoints[j])
		}
		slices.Reverse(kept)
		s.Endpoints = kept
	}
	ed.out.Pods = slices.DeleteFunc(ed.out.Pods, func(p Pod) bool {
		return slices.ContainsFunc(gone, func(e Endpoint) bool {
			return e.PodName != "" && e.PodNamespace == p.Namespace && e.PodName == p.Name
		})
	})
	return nil
}
