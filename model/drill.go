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
func ApplyDrills(snap *Snapshot, svcKey string, drills []Drill) (*Snapshot, error) {
	if len(drills) == 0 {
		return snap, nil
	}
	out := *snap
	out.Nodes = slices.Clone(snap.Nodes)
	out.Slices = slices.Clone(snap.Slices)
	svcNS, svcName, _ := strings.Cut(svcKey, "/")
	ownSlice := func(i int) bool {
		return out.Slices[i].Namespace == svcNS && out.Slices[i].Service == svcName
	}
	// editEndpoints copies a slice's endpoints before the first change.
	editEndpoints := func(fn func(e *Endpoint)) {
		for i := range out.Slices {
			if !ownSlice(i) {
				continue
			}
			eps := slices.Clone(out.Slices[i].Endpoints)
			for j := range eps {
				fn(&eps[j])
			}
			out.Slices[i].Endpoints = eps
		}
	}
	notReady := func(e *Endpoint) {
		f := false
		e.Ready, e.Serving = &f, &f
	}
	for _, d := range drills {
		switch d.Kind {
		case DrillNodeDown, DrillNodeCordon, DrillZoneDown:
			if d.Kind != DrillZoneDown && !hasNode(out.Nodes, d.Target) {
				return nil, fmt.Errorf("drill %s: no node %q", d, d.Target)
			}
			var down []string
			for i := range out.Nodes {
				n := &out.Nodes[i]
				if n.Name != d.Target && (d.Kind != DrillZoneDown || n.Zone != d.Target) {
					continue
				}
				if d.Kind == DrillNodeCordon {
					n.Unschedulable = true
					continue
				}
				n.Ready = false
				down = append(down, n.Name)
			}
			if d.Kind == DrillZoneDown && len(down) == 0 {
				return nil, fmt.Errorf("drill %s: no node in zone %q", d, d.Target)
			}
			editEndpoints(func(e *Endpoint) {
				if slices.Contains(down, e.NodeName) {
					notReady(e)
				}
			})
		case DrillPodNotReady:
			ns, name, _ := strings.Cut(d.Target, "/")
			found := false
			editEndpoints(func(e *Endpoint) {
				if e.PodNamespace == ns && e.PodName == name {
					notReady(e)
					found = true
				}
			})
			if !found {
				return nil, fmt.Errorf("drill %s: pod %s is not an endpoint of %s", d, d.Target, svcKey)
			}
		case DrillScale:
			if !hasNode(out.Nodes, d.Target) {
				return nil, fmt.Errorf("drill %s: no node %q", d, d.Target)
			}
			if err := scaleOnNode(&out, svcNS, svcName, d); err != nil {
				return nil, err
			}
		}
	}
	return &out, nil
}

func hasNode(nodes []Node, name string) bool {
	for i := range nodes {
		if nodes[i].Name == name {
			return true
		}
	}
	return false
}

// scaleOnNode adds ready endpoints on a node (new pods named after the
// drill) or removes the node's last endpoints.
func scaleOnNode(out *Snapshot, ns, svc string, d Drill) error {
	zone := ""
	for _, n := range out.Nodes {
		if n.Name == d.Target {
			zone = n.Zone
		}
	}
	if d.Delta > 0 {
		t := true
		var added []Endpoint
		for i := 0; i < d.Delta; i++ {
			added = append(added, Endpoint{
				Addresses:    []string{fmt.Sprintf("drill.%s.%d", d.Target, i+1)},
				Ready:        &t,
				NodeName:     d.Target,
				Zone:         zone,
				PodNamespace: ns,
				PodName:      fmt.Sprintf("%s-drill-%s-%d", svc, d.Target, i+1),
			})
		}
		var ports []EndpointPort
		for _, s := range out.Slices {
			if s.Namespace == ns && s.Service == svc {
				ports = s.Ports
				break
			}
		}
		out.Slices = append(out.Slices, EndpointSlice{Namespace: ns, Name: svc + "-drill-" + d.Target, Service: svc, Ports: ports, Endpoints: added})
		return nil
	}
	remove := -d.Delta
	for i := len(out.Slices) - 1; i >= 0 && remove > 0; i-- {
		s := &out.Slices[i]
		if s.Namespace != ns || s.Service != svc {
			continue
		}
		var kept []Endpoint
		for j := len(s.Endpoints) - 1; j >= 0; j-- {
			if remove > 0 && s.Endpoints[j].NodeName == d.Target {
				remove--
				continue
			}
			kept = append([]Endpoint{s.Endpoints[j]}, kept...)
		}
		s.Endpoints = kept
	}
	if remove == -d.Delta {
		return fmt.Errorf("drill %s: %s/%s has no endpoint on node %q", d, ns, svc, d.Target)
	}
	return nil
}
