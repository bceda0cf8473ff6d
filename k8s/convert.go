// Package k8s is ktraffic's cluster access: kubeconfig, informers, file
// dumps, the embedded demo scenarios, and the conversion of API objects
// into model types. It depends on model; model never depends on it.
package k8s

import (
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"

	"github.com/ktraffic/ktraffic/model"
)

// FromService reduces a Service to the fields the model uses, with the
// API server's defaults where a field is unset.
func FromService(s *corev1.Service) model.Service {
	out := model.Service{
		Namespace:                s.Namespace,
		Name:                     s.Name,
		Type:                     string(s.Spec.Type),
		ClusterIP:                s.Spec.ClusterIP,
		ExternalName:             s.Spec.ExternalName,
		Selector:                 s.Spec.Selector,
		ExternalTrafficPolicy:    string(s.Spec.ExternalTrafficPolicy),
		SessionAffinity:          string(s.Spec.SessionAffinity),
		HealthCheckNodePort:      s.Spec.HealthCheckNodePort,
		PublishNotReadyAddresses: s.Spec.PublishNotReadyAddresses,
		Annotations:              s.Annotations,
	}
	if out.Type == "" {
		out.Type = string(corev1.ServiceTypeClusterIP)
	}
	if s.Spec.InternalTrafficPolicy != nil {
		out.InternalTrafficPolicy = string(*s.Spec.InternalTrafficPolicy)
	}
	if c := s.Spec.SessionAffinityConfig; c != nil && c.ClientIP != nil && c.ClientIP.TimeoutSeconds != nil {
		out.SessionAffinityTimeoutSeconds = *c.ClientIP.TimeoutSeconds
	}
	if s.Spec.TrafficDistribution != nil {
		out.TrafficDistribution = *s.Spec.TrafficDistribution
	}
	if s.Spec.LoadBalancerClass != nil {
		out.LoadBalancerClass = *s.Spec.LoadBalancerClass
	}
	for _, p := range s.Spec.Ports {
		proto := string(p.Protocol)
		if proto == "" {
			proto = string(corev1.ProtocolTCP)
		}
		out.Ports = append(out.Ports, model.ServicePort{
			Name:       p.Name,
			Protocol:   proto,
			Port:       p.Port,
			TargetPort: p.TargetPort.String(),
			NodePort:   p.NodePort,
		})
	}
	for _, in := range s.Status.LoadBalancer.Ingress {
		mode := ""
		if in.IPMode != nil {
			mode = string(*in.IPMode)
		}
		out.LoadBalancerIngress = append(out.LoadBalancerIngress, model.LoadBalancerIngress{IP: in.IP, Hostname: in.Hostname, IPMode: mode})
	}
	return out
}

// FromEndpointSlice reduces an EndpointSlice, keeping conditions as they
// are (unset stays unset: kube-proxy gives that its own meaning).
func FromEndpointSlice(s *discoveryv1.EndpointSlice) model.EndpointSlice {
	out := model.EndpointSlice{
		Namespace:   s.Namespace,
		Name:        s.Name,
		Service:     s.Labels[discoveryv1.LabelServiceName],
		AddressType: string(s.AddressType),
	}
	for _, p := range s.Ports {
		var ep model.EndpointPort
		if p.Name != nil {
			ep.Name = *p.Name
		}
		if p.Port != nil {
			ep.Port = *p.Port
		}
		if p.Protocol != nil {
			ep.Protocol = string(*p.Protocol)
		}
		out.Ports = append(out.Ports, ep)
	}
	out.Endpoints = make([]model.Endpoint, 0, len(s.Endpoints))
	for _, e := range s.Endpoints {
		me := model.Endpoint{
			Addresses:   e.Addresses,
			Ready:       e.Conditions.Ready,
			Serving:     e.Conditions.Serving,
			Terminating: e.Conditions.Terminating,
		}
		if e.NodeName != nil {
			me.NodeName = *e.NodeName
		}
		if e.Zone != nil {
			me.Zone = *e.Zone
		}
		if e.Hints != nil {
			for _, z := range e.Hints.ForZones {
				me.HintZones = append(me.HintZones, z.Name)
			}
			for _, n := range e.Hints.ForNodes {
				me.HintNodes = append(me.HintNodes, n.Name)
			}
		}
		if r := e.TargetRef; r != nil && (r.Kind == "Pod" || r.Kind == "") {
			me.PodNamespace, me.PodName = r.Namespace, r.Name
			if me.PodNamespace == "" {
				me.PodNamespace = s.Namespace
			}
		}
		out.Endpoints = append(out.Endpoints, me)
	}
	return out
}

// FromPod reduces a Pod to identity, placement and readiness.
func FromPod(p *corev1.Pod) model.Pod {
	out := model.Pod{
		Namespace:   p.Namespace,
		Name:        p.Name,
		NodeName:    p.Spec.NodeName,
		IP:          p.Status.PodIP,
		Labels:      p.Labels,
		Phase:       string(p.Status.Phase),
		Terminating: p.DeletionTimestamp != nil,
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			out.Ready = c.Status == corev1.ConditionTrue
		}
	}
	return out
}

// FromNode reduces a Node. A Node without a Ready condition counts as
// ready: nothing says otherwise.
func FromNode(n *corev1.Node) model.Node {
	out := model.Node{
		Name:          n.Name,
		Zone:          n.Labels[corev1.LabelTopologyZone],
		Labels:        n.Labels,
		Ready:         true,
		Unschedulable: n.Spec.Unschedulable,
		Deleting:      n.DeletionTimestamp != nil,
	}
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			out.Ready = c.Status == corev1.ConditionTrue
		}
	}
	for _, t := range n.Spec.Taints {
		out.TaintKeys = append(out.TaintKeys, t.Key)
	}
	for _, a := range n.Status.Addresses {
		out.Addresses = append(out.Addresses, model.NodeAddress{Type: string(a.Type), Address: a.Address})
	}
	return out
}
