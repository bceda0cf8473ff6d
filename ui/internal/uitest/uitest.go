// Package uitest builds snapshots for the UI's tests and benchmarks, so
// they need no source package (the UI must not import k8s).
package uitest

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ktraffic/ktraffic/model"
)

func bptr(b bool) *bool { return &b }

// Kiada is the seeds' example: one LoadBalancer Service with the given
// externalTrafficPolicy, node-a running one pod and node-b two.
func Kiada(policy model.TrafficPolicy) *model.Snapshot {
	return Build(Spec{Name: "kiada", Type: "LoadBalancer", Policy: policy, IngressIP: "203.0.113.10",
		Zones: []string{"z1"}, Nodes: 2, Pods: []int{1, 2}})
}

// Spec describes one synthetic Service and the cluster around it.
type Spec struct {
	Namespace string
	Name      string
	Type      model.ServiceType
	Policy    model.TrafficPolicy // externalTrafficPolicy
	IngressIP string
	Zones     []string
	Nodes     int   // spread round-robin over Zones
	Pods      []int // pods per node, cycled over the nodes
	// PodNodes, when set, are the only nodes (by index) that run pods;
	// Pods is cycled over them.
	PodNodes    []int
	NotReady    int // the last NotReady pods are not ready
	Annotations map[string]string
}

// Build makes a normalized snapshot from a Spec.
func Build(s Spec) *model.Snapshot {
	if s.Namespace == "" {
		s.Namespace = "default"
	}
	snap := &model.Snapshot{Source: "test", NodesKnown: true}
	svc := Service(s)
	snap.Services = append(snap.Services, svc)
	var eps []model.Endpoint
	n := 0
	// Names sort in index order, as a cluster's generated names do.
	digits := max(2, len(strconv.Itoa(s.Nodes-1)))
	for i := range s.Nodes {
		zone := s.Zones[i%len(s.Zones)]
		name := fmt.Sprintf("node-%c", 'a'+i)
		if s.Nodes > 26 {
			name = fmt.Sprintf("node-%0*d", digits, i)
		}
		snap.Nodes = append(snap.Nodes, model.Node{Name: name, Zone: zone, Ready: true,
			Labels: map[string]string{"topology.kubernetes.io/zone": zone}})
		pods := s.Pods[i%len(s.Pods)]
		if s.PodNodes != nil {
			pods = 0
			if j := slices.Index(s.PodNodes, i); j >= 0 {
				pods = s.Pods[j%len(s.Pods)]
			}
		}
		for range pods {
			n++
			pod := fmt.Sprintf("%s-%03d", s.Name, n)
			ip := fmt.Sprintf("10.%d.%d.%d", i/250, i%250, n%250)
			eps = append(eps, model.Endpoint{Addresses: []string{ip}, Ready: bptr(true), Serving: bptr(true),
				Terminating: bptr(false), NodeName: name, Zone: zone, PodNamespace: s.Namespace, PodName: pod})
			snap.Pods = append(snap.Pods, model.Pod{Namespace: s.Namespace, Name: pod, NodeName: name, IP: ip,
				Labels: map[string]string{"app": s.Name}, Ready: true, Phase: "Running"})
		}
	}
	for i := len(eps) - s.NotReady; i < len(eps); i++ {
		eps[i].Ready, eps[i].Serving = bptr(false), bptr(false)
		snap.Pods[i].Ready = false
	}
	snap.Slices = append(snap.Slices, model.EndpointSlice{Namespace: s.Namespace, Name: s.Name + "-abcde",
		Service: s.Name, AddressType: "IPv4", Ports: []model.EndpointPort{{Name: "http", Port: 8080, Protocol: "TCP"}},
		Endpoints: eps})
	snap.Normalize()
	return snap
}

// Service is the model.Service a Spec describes.
func Service(s Spec) model.Service {
	if s.Namespace == "" {
		s.Namespace = "default"
	}
	svc := model.Service{Namespace: s.Namespace, Name: s.Name, Type: s.Type, ClusterIP: "10.96.0.10",
		Selector: map[string]string{"app": s.Name}, SessionAffinity: "None", InternalTrafficPolicy: "Cluster",
		Ports: []model.ServicePort{{Name: "http", Protocol: "TCP", Port: 80, TargetPort: "8080"}}}
	if s.Type == model.TypeNodePort || s.Type == model.TypeLoadBalancer {
		svc.Ports[0].NodePort = 30080
		svc.ExternalTrafficPolicy = "Cluster"
		if s.Policy != "" {
			svc.ExternalTrafficPolicy = s.Policy
		}
		if svc.ExternalTrafficPolicy == model.PolicyLocal {
			svc.HealthCheckNodePort = 32000
		}
	}
	svc.Annotations = s.Annotations
	if s.IngressIP != "" {
		svc.LoadBalancerIngress = []model.LoadBalancerIngress{{IP: s.IngressIP}}
	}
	return svc
}

// ManyServices is a snapshot of n small Services over a few nodes, for the
// service list at scale.
func ManyServices(n int) *model.Snapshot {
	snap := Build(Spec{Name: "seed", Type: "ClusterIP", Zones: []string{"z1", "z2", "z3"}, Nodes: 6, Pods: []int{1}})
	types := []model.ServiceType{model.TypeClusterIP, model.TypeNodePort, model.TypeLoadBalancer}
	for i := range n - 1 {
		s := Spec{Namespace: fmt.Sprintf("team-%02d", i%40), Name: fmt.Sprintf("svc-%05d", i), Type: types[i%3]}
		if i%7 == 0 {
			s.Policy = "Local"
		}
		snap.Services = append(snap.Services, Service(s))
		// The EndpointSlice controller's placeholder: a Service whose
		// selector matches no pod still has one empty slice.
		snap.Slices = append(snap.Slices, model.EndpointSlice{Namespace: s.Namespace, Name: s.Name + "-placeholder",
			Service: s.Name, AddressType: "IPv4"})
	}
	snap.Normalize()
	return snap
}

// Merge joins snapshots into one, keeping the first of each node and pod.
func Merge(snaps ...*model.Snapshot) *model.Snapshot {
	out := &model.Snapshot{Source: "test", NodesKnown: true}
	nodes, pods := map[string]bool{}, map[string]bool{}
	for _, s := range snaps {
		out.Services = append(out.Services, s.Services...)
		out.Slices = append(out.Slices, s.Slices...)
		for _, n := range s.Nodes {
			if !nodes[n.Name] {
				nodes[n.Name] = true
				out.Nodes = append(out.Nodes, n)
			}
		}
		for _, p := range s.Pods {
			if k := p.Namespace + "/" + p.Name; !pods[k] {
				pods[k] = true
				out.Pods = append(out.Pods, p)
			}
		}
	}
	out.Normalize()
	return out
}

// KiadaPair is the seeds' example twice, as the kiada demo has it:
// Service kiada with Local and kiada-cluster with Cluster, same pods.
func KiadaPair() *model.Snapshot {
	local := Kiada("Local")
	cluster := Build(Spec{Name: "kiada-cluster", Type: "LoadBalancer", Policy: "Cluster", IngressIP: "203.0.113.11",
		Zones: []string{"z1"}, Nodes: 2, Pods: []int{1, 2}})
	// Same pods behind both Services, as one Deployment would be.
	cluster.Slices[0].Endpoints = local.Slices[0].Endpoints
	cluster.Services[0].Selector = local.Services[0].Selector
	cluster.Pods = nil
	return Merge(local, cluster)
}

// BigCluster is a 2,000-node cluster in three zones, as issue 16 sizes
// it, with one LoadBalancer Service "web" (externalTrafficPolicy Cluster)
// whose 12 pods run on six nodes spread through the name order: the
// first of them is the 301st node, so stepping through nodes one key at
// a time would take 301 presses to reach it.
func BigCluster() *model.Snapshot {
	return Build(Spec{Name: "web", Type: model.TypeLoadBalancer, Policy: model.PolicyCluster, IngressIP: "198.51.100.20",
		Zones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, Nodes: 2000, Pods: []int{2},
		PodNodes: BigClusterPodNodes})
}

// BigClusterPodNodes are the indexes of BigCluster's nodes with pods.
var BigClusterPodNodes = []int{300, 301, 777, 1250, 1800, 1999}
