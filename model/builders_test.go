package model

import "strings"

// Test builders: small snapshots written the way an operator describes a
// cluster ("node-a in z1 with kiada-001").

func bptr(b bool) *bool { return &b }

func mkNode(name, zone string, mods ...func(*Node)) Node {
	n := Node{Name: name, Zone: zone, Ready: true, Labels: map[string]string{}}
	if zone != "" {
		n.Labels["topology.kubernetes.io/zone"] = zone
	}
	for _, m := range mods {
		m(&n)
	}
	return n
}

func notReadyNode(n *Node) { n.Ready = false }
func excluded(n *Node)     { n.Labels[LabelExcludeFromLB] = "" }
func labelExclude(v string) func(*Node) {
	return func(n *Node) { n.Labels[LabelExcludeFromLB] = v }
}
func taintedToBeDeleted(n *Node) { n.TaintKeys = append(n.TaintKeys, TaintToBeDeletedByCA) }

// mkEP builds a ready endpoint for pod "ns/name" on a node; mods change it.
func mkEP(pod, ip, node, zone string, mods ...func(*Endpoint)) Endpoint {
	ns, name, _ := strings.Cut(pod, "/")
	e := Endpoint{Addresses: []string{ip}, Ready: bptr(true), Serving: bptr(true), Terminating: bptr(false),
		NodeName: node, Zone: zone, PodNamespace: ns, PodName: name}
	for _, m := range mods {
		m(&e)
	}
	return e
}

func epNotReady(e *Endpoint) { e.Ready, e.Serving = bptr(false), bptr(false) }
func epTerminating(e *Endpoint) {
	e.Ready, e.Serving, e.Terminating = bptr(false), bptr(true), bptr(true)
}
func epTermNotServ(e *Endpoint) {
	e.Ready, e.Serving, e.Terminating = bptr(false), bptr(false), bptr(true)
}
func epNoConditions(e *Endpoint) { e.Ready, e.Serving, e.Terminating = nil, nil, nil }
func epZoneHintOwn(e *Endpoint)  { e.HintZones = []string{e.Zone} }
func epNodeHintOwn(e *Endpoint)  { e.HintNodes = []string{e.NodeName} }

func mkSvc(key string, typ ServiceType, mods ...func(*Service)) Service {
	ns, name, _ := strings.Cut(key, "/")
	s := Service{Namespace: ns, Name: name, Type: typ, ClusterIP: "10.96.0.10",
		Selector: map[string]string{"app": name},
		Ports:    []ServicePort{{Name: "http", Protocol: "TCP", Port: 80, TargetPort: "8080"}}}
	if typ == "NodePort" || typ == "LoadBalancer" {
		s.Ports[0].NodePort = 30080
		s.ExternalTrafficPolicy = "Cluster"
	}
	if typ != "ExternalName" {
		s.InternalTrafficPolicy = "Cluster"
	}
	for _, m := range mods {
		m(&s)
	}
	return s
}

func eTPLocal(s *Service) { s.ExternalTrafficPolicy = "Local"; s.HealthCheckNodePort = 32000 }
func iTPLocal(s *Service) { s.InternalTrafficPolicy = "Local" }
func headless(s *Service) { s.ClusterIP = "None" }
func withAnn(k, v string) func(*Service) {
	return func(s *Service) {
		if s.Annotations == nil {
			s.Annotations = map[string]string{}
		}
		s.Annotations[k] = v
	}
}

// mkSnap puts one Service with its endpoints (one slice) on the nodes.
func mkSnap(svc Service, nodes []Node, eps ...Endpoint) *Snapshot {
	snap := &Snapshot{Source: "test", Services: []Service{svc}, Nodes: nodes, NodesKnown: len(nodes) > 0,
		Slices: []EndpointSlice{{Namespace: svc.Namespace, Name: svc.Name + "-abcde", Service: svc.Name,
			Ports: []EndpointPort{{Name: "http", Port: 8080, Protocol: "TCP"}}, Endpoints: eps}}}
	for _, e := range eps {
		if e.PodName != "" {
			snap.Pods = append(snap.Pods, Pod{Namespace: e.PodNamespace, Name: e.PodName, NodeName: e.NodeName,
				IP: e.Addresses[0], Labels: map[string]string{"app": svc.Name}, Ready: e.Ready == nil || *e.Ready})
		}
	}
	snap.Normalize()
	return snap
}
