// Package k8s is ktraffic's cluster access: kubeconfig, informers, file
// dumps, the embedded demo scenarios, and the conversion of API objects
// into model types. It depends on model; model never depends on it.
package k8s

import (
	"fmt"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"

	"github.com/ktraffic/ktraffic/model"
)

// Every string converted here passes through model.Printable: names,
// annotations, addresses and zones come from a cluster or a file, and a
// dump can carry escape sequences that retitle or clear a terminal. This
// is the one place they are cleaned; printers trust model values.
var printable = model.Printable

// FromService reduces a Service to the fields the model uses, with the
// API server's defaults where a field is unset. Values the API server
// would reject (validate.go in model) are left out and listed in
// Ignored, never taken for something else without a word.
func FromService(s *corev1.Service) model.Service {
	out := model.Service{
		Namespace:                s.Namespace,
		Name:                     s.Name,
		Type:                     model.ServiceType(s.Spec.Type),
		ClusterIP:                s.Spec.ClusterIP,
		ExternalName:             s.Spec.ExternalName,
		Selector:                 s.Spec.Selector,
		ExternalTrafficPolicy:    model.TrafficPolicy(s.Spec.ExternalTrafficPolicy),
		SessionAffinity:          model.Affinity(s.Spec.SessionAffinity),
		HealthCheckNodePort:      s.Spec.HealthCheckNodePort,
		PublishNotReadyAddresses: s.Spec.PublishNotReadyAddresses,
		Annotations:              s.Annotations,
	}
	if s.Spec.InternalTrafficPolicy != nil {
		out.InternalTrafficPolicy = model.TrafficPolicy(*s.Spec.InternalTrafficPolicy)
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
		out.Ports = append(out.Ports, model.ServicePort{Name: p.Name, Protocol: string(p.Protocol), Port: p.Port, TargetPort: p.TargetPort.String(), NodePort: p.NodePort})
	}
	for _, in := range s.Status.LoadBalancer.Ingress {
		mode := ""
		if in.IPMode != nil {
			mode = string(*in.IPMode)
		}
		out.LoadBalancerIngress = append(out.LoadBalancerIngress, model.LoadBalancerIngress{IP: in.IP, Hostname: in.Hostname, IPMode: mode})
	}
	return finishService(out)
}

// finishService turns a Service as read (by FromService, or by the lean
// dump reader, which fills model types directly) into its final form:
// every string printable, the protocol defaulted, and the values the API
// server would reject left out and listed in Ignored.
func finishService(out model.Service) model.Service {
	for _, v := range []*string{&out.Namespace, &out.Name, &out.ClusterIP, &out.ExternalName, &out.TrafficDistribution, &out.LoadBalancerClass} {
		*v = printable(*v)
	}
	out.Type = model.ServiceType(printable(string(out.Type)))
	out.ExternalTrafficPolicy = model.TrafficPolicy(printable(string(out.ExternalTrafficPolicy)))
	out.InternalTrafficPolicy = model.TrafficPolicy(printable(string(out.InternalTrafficPolicy)))
	out.SessionAffinity = model.Affinity(printable(string(out.SessionAffinity)))
	out.Selector = model.PrintableMap(out.Selector)
	out.Annotations = model.PrintableMap(out.Annotations)
	var ports []model.ServicePort
	for i, p := range out.Ports {
		if !model.CheckPort(p.Port, false) {
			out.Ignored = append(out.Ignored, model.IgnoredField{Field: fmt.Sprintf("spec.ports[%d].port", i), Value: strconv.Itoa(int(p.Port)), Valid: model.ValidPorts, ReadAs: "absent (the port is left out)"})
			continue
		}
		p.Name, p.Protocol, p.TargetPort = printable(p.Name), printable(p.Protocol), printable(p.TargetPort)
		if p.Protocol == "" {
			p.Protocol = string(corev1.ProtocolTCP)
		}
		if !model.CheckPort(p.NodePort, true) {
			out.Ignored = append(out.Ignored, model.IgnoredField{Field: fmt.Sprintf("spec.ports[%d].nodePort", i), Value: strconv.Itoa(int(p.NodePort)), Valid: model.ValidNodePorts, ReadAs: "0 (none allocated)"})
			p.NodePort = 0
		}
		ports = append(ports, p)
	}
	out.Ports = ports
	for i, in := range out.LoadBalancerIngress {
		out.LoadBalancerIngress[i] = model.LoadBalancerIngress{IP: printable(in.IP), Hostname: printable(in.Hostname), IPMode: printable(in.IPMode)}
	}
	checkService(&out)
	return out
}

// checkService drops the settings the API server would reject, with the
// rules --set applies to the same keys, recording each in Ignored.
func checkService(out *model.Service) {
	ignore := func(field, value, valid, readAs string) {
		out.Ignored = append(out.Ignored, model.IgnoredField{Field: field, Value: value, Valid: valid, ReadAs: readAs})
	}
	switch {
	case out.Type == "":
		out.Type = model.TypeClusterIP
	default:
		if valid, ok := model.CheckServiceType(string(out.Type)); !ok {
			ignore("spec.type", string(out.Type), valid, string(model.TypeClusterIP)+" (the default)")
			out.Type = model.TypeClusterIP
		}
	}
	checkSetting(&out.ExternalTrafficPolicy, model.KeyExternalTrafficPolicy, "spec.externalTrafficPolicy", ignore)
	checkSetting(&out.InternalTrafficPolicy, model.KeyInternalTrafficPolicy, "spec.internalTrafficPolicy", ignore)
	checkSetting(&out.SessionAffinity, model.KeySessionAffinity, "spec.sessionAffinity", ignore)
	checkSetting(&out.TrafficDistribution, model.KeyTrafficDistribution, "spec.trafficDistribution", ignore)
	if t := out.SessionAffinityTimeoutSeconds; t != 0 {
		if valid, ok := model.CheckSetting(model.KeySessionAffinityTimeoutSeconds, strconv.Itoa(int(t))); !ok {
			ignore("spec.sessionAffinityConfig.clientIP.timeoutSeconds", strconv.Itoa(int(t)), valid, "unset (the API server's default)")
			out.SessionAffinityTimeoutSeconds = 0
		}
	}
	if !model.CheckPort(out.HealthCheckNodePort, true) {
		ignore("spec.healthCheckNodePort", strconv.Itoa(int(out.HealthCheckNodePort)), model.ValidNodePorts, "0 (none allocated)")
		out.HealthCheckNodePort = 0
	}
}

// checkSetting clears a setting --set's rule for key refuses, and says so.
func checkSetting[T ~string](v *T, key, field string, ignore func(field, value, valid, readAs string)) {
	if *v == "" {
		return
	}
	if valid, ok := model.CheckSetting(key, string(*v)); !ok {
		ignore(field, string(*v), valid, "unset (the API server's default)")
		*v = ""
	}
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
	var podRefs []int
	for i, e := range s.Endpoints {
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
			podRefs = append(podRefs, i)
		}
		out.Endpoints = append(out.Endpoints, me)
	}
	return finishSlice(out, podRefs)
}

// finishSlice makes every string of a slice as read printable; podRefs
// are the endpoints whose targetRef is a Pod, which without a namespace
// is in the slice's.
func finishSlice(out model.EndpointSlice, podRefs []int) model.EndpointSlice {
	out.Namespace, out.Name, out.Service, out.AddressType = printable(out.Namespace), printable(out.Name), printable(out.Service), printable(out.AddressType)
	for i := range out.Ports {
		out.Ports[i].Name, out.Ports[i].Protocol = printable(out.Ports[i].Name), printable(out.Ports[i].Protocol)
	}
	for i := range out.Endpoints {
		e := &out.Endpoints[i]
		e.Addresses = model.PrintableAll(e.Addresses)
		e.NodeName, e.Zone, e.PodNamespace, e.PodName = printable(e.NodeName), printable(e.Zone), printable(e.PodNamespace), printable(e.PodName)
		for j := range e.HintZones {
			e.HintZones[j] = printable(e.HintZones[j])
		}
		for j := range e.HintNodes {
			e.HintNodes[j] = printable(e.HintNodes[j])
		}
	}
	for _, i := range podRefs {
		if out.Endpoints[i].PodNamespace == "" {
			out.Endpoints[i].PodNamespace = out.Namespace
		}
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
	out.KeepAlive = model.DeclaredKeepAlive(containersOf(p))
	return finishPod(out)
}

// finishPod makes every string of a Pod as read printable.
func finishPod(out model.Pod) model.Pod {
	out.Namespace, out.Name, out.NodeName, out.IP, out.Phase = printable(out.Namespace), printable(out.Name), printable(out.NodeName), printable(out.IP), printable(out.Phase)
	out.Labels = model.PrintableMap(out.Labels)
	out.KeepAlive.Source = printable(out.KeepAlive.Source)
	return out
}

// containersOf is what DeclaredKeepAlive reads of a pod's containers:
// literal env values only (valueFrom needs other objects).
func containersOf(p *corev1.Pod) []model.Container {
	out := make([]model.Container, 0, len(p.Spec.Containers))
	for _, c := range p.Spec.Containers {
		mc := model.Container{Name: c.Name, Image: c.Image, Command: c.Command, Args: c.Args}
		for _, e := range c.Env {
			if mc.Env == nil {
				mc.Env = map[string]string{}
			}
			mc.Env[e.Name] = e.Value
		}
		out = append(out, mc)
	}
	return out
}

// FromNode reduces a Node. A Node without a Ready condition counts as
// ready: nothing says otherwise.
func FromNode(n *corev1.Node) model.Node {
	out := model.Node{
		Name:          n.Name,
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
	return finishNode(out)
}

// finishNode takes a Node's zone from its labels and makes every string
// of it printable.
func finishNode(out model.Node) model.Node {
	out.Zone = printable(out.Labels[corev1.LabelTopologyZone])
	out.Name = printable(out.Name)
	out.Labels = model.PrintableMap(out.Labels)
	for i := range out.TaintKeys {
		out.TaintKeys[i] = printable(out.TaintKeys[i])
	}
	for i, a := range out.Addresses {
		out.Addresses[i] = model.NodeAddress{Type: printable(a.Type), Address: printable(a.Address)}
	}
	return out
}
