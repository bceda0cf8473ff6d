package model

import (
	"slices"
	"sort"
	"strings"
)

// Normalize puts a freshly built snapshot in canonical order (Services,
// slices, pods and nodes sorted by namespace and name) and, when Node
// objects were not available at all, adds the nodes that endpoints and
// pods name, taking zones from the endpoints. It also adds a warning per
// Service that had values ignored. Sources call it once, before handing
// the snapshot out.
//
// When Node objects are known, a node that only an endpoint names (a
// deleted node whose pods linger in the slices) is not added: no
// kube-proxy the snapshot knows runs there, so it is neither a
// load-balancer backend nor a client node (see the EndpointsOnUnknownNode
// finding).
func (s *Snapshot) Normalize() {
	s.Warnings = append(s.Warnings, IgnoredWarnings(s.Services)...)
	slices.SortFunc(s.Services, func(a, b Service) int { return compareKeys(a.Namespace, a.Name, b.Namespace, b.Name) })
	slices.SortFunc(s.Slices, func(a, b EndpointSlice) int { return compareKeys(a.Namespace, a.Name, b.Namespace, b.Name) })
	slices.SortFunc(s.Pods, func(a, b Pod) int { return compareKeys(a.Namespace, a.Name, b.Namespace, b.Name) })
	if !s.NodesKnown {
		s.Nodes = mergeDerivedNodes(s.Nodes, s.Slices, s.Pods)
	}
	sort.Slice(s.Nodes, func(i, j int) bool { return s.Nodes[i].Name < s.Nodes[j].Name })
	slices.SortFunc(s.Ingresses, func(a, b Ingress) int { return compareKeys(a.Namespace, a.Name, b.Namespace, b.Name) })
	slices.SortFunc(s.Gateways, func(a, b Gateway) int { return compareKeys(a.Namespace, a.Name, b.Namespace, b.Name) })
	slices.SortFunc(s.Routes, func(a, b Route) int {
		if a.Kind != b.Kind {
			return strings.Compare(a.Kind, b.Kind)
		}
		return compareKeys(a.Namespace, a.Name, b.Namespace, b.Name)
	})
	slices.SortFunc(s.IngressClasses, func(a, b IngressClass) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(s.GatewayClasses, func(a, b GatewayClass) int { return strings.Compare(a.Name, b.Name) })
}

// compareKeys orders "ans/an" against "bns/bn" as strings, without
// building them: at 50,000 pods the concatenations were most of the sort.
func compareKeys(ans, an, bns, bn string) int {
	if ans == bns {
		return strings.Compare(an, bn)
	}
	a, b := [3]string{ans, "/", an}, [3]string{bns, "/", bn}
	ai, aj, bi, bj := 0, 0, 0, 0
	for {
		for ai < 3 && aj == len(a[ai]) {
			ai, aj = ai+1, 0
		}
		for bi < 3 && bj == len(b[bi]) {
			bi, bj = bi+1, 0
		}
		switch {
		case ai == 3 && bi == 3:
			return 0
		case ai == 3:
			return -1
		case bi == 3:
			return 1
		}
		if ca, cb := a[ai][aj], b[bi][bj]; ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
		aj, bj = aj+1, bj+1
	}
}

// mergeDerivedNodes adds a Node for every node name endpoints or pods
// mention that nodes lacks. Derived nodes are Ready, with the zone the
// endpoints report.
func mergeDerivedNodes(nodes []Node, slices []EndpointSlice, pods []Pod) []Node {
	seen := make(map[string]int, len(nodes))
	for i, n := range nodes {
		seen[n.Name] = i
	}
	known := len(nodes)
	add := func(name, zone string) {
		if name == "" {
			return
		}
		if i, ok := seen[name]; ok {
			// A real Node's zone is its label, or none: kube-proxy never
			// borrows one from endpoints.
			if i >= known && nodes[i].Zone == "" {
				nodes[i].Zone = zone
			}
			return
		}
		seen[name] = len(nodes)
		nodes = append(nodes, Node{Name: name, Zone: zone, Ready: true})
	}
	for _, sl := range slices {
		for _, e := range sl.Endpoints {
			add(e.NodeName, e.Zone)
		}
	}
	for _, p := range pods {
		add(p.NodeName, "")
	}
	return nodes
}

// Service returns the Service "namespace/name", or nil.
func (s *Snapshot) Service(key string) *Service {
	i := sort.Search(len(s.Services), func(i int) bool {
		return s.Services[i].Namespace+"/"+s.Services[i].Name >= key
	})
	if i < len(s.Services) && s.Services[i].Key() == key {
		return &s.Services[i]
	}
	for i := range s.Services { // not normalized: fall back to a scan
		if s.Services[i].Key() == key {
			return &s.Services[i]
		}
	}
	return nil
}
