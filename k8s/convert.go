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
		Namespace:                printable(s.Namespace),
		Name:                     printable(s.Name),
		Type:                     printable(string(s.Spec.Type)),
		ClusterIP:                printable(s.Spec.ClusterIP),
		ExternalName:             printable(s.Spec.ExternalName),
		Selector:                 model.PrintableMap(s.Spec.Selector),
		ExternalTrafficPolicy:    printable(string(s.Spec.ExternalTrafficPolicy)),
		SessionAffinity:          printable(string(s.Spec.SessionAffinity)),
		HealthCheckNodePort:      s.Spec.HealthCheckNodePort,
		PublishNotReadyAddresses: s.Spec.PublishNotReadyAddresses,
		Annotations:              model.PrintableMap(s.Annotations),
	}
	if s.Spec.InternalTrafficPolicy != nil {
		out.InternalTrafficPolicy = printable(string(*s.Spec.InternalTrafficPolicy))
	}
	if c := s.Spec.SessionAffinityConfig; c != nil && c.ClientIP != nil && c.ClientIP.TimeoutSeconds != nil {
		out.SessionAffinityTimeoutSeconds = *c.ClientIP.TimeoutSeconds
	}
	if s.Spec.TrafficDistribution != nil {
		out.TrafficDistribution = printable(*s.Spec.TrafficDistribution)
	}
	if s.Spec.LoadBalancerClass != nil {
		out.LoadBalancerClass = printable(*s.Spec.LoadBalancerClass)
	}
	for i, p := range s.Spec.Ports {
		if !model.CheckPort(p.Port, false) {
			out.Ignored = append(out.Ignored, model.IgnoredField{Field: fmt.Sprintf("spec.ports[%d].port", i), Value: strconv.Itoa(int(p.Port)), Valid: model.ValidPorts, ReadAs: "absent (the port is left out)"})
			continue
		}
		proto := printable(string(p.Protocol))
		if proto == "" {
			proto = string(corev1.ProtocolTCP)
		}
		sp := model.ServicePort{
			Name:       printable(p.Name),
			Protocol:   proto,
			Port:       p.Port,
			TargetPort: printable(p.TargetPort.String()),
			NodePort:   p.NodePort,
		}
		if !model.CheckPort(p.NodePort, true) {
			out.Ignored = append(out.Ignored, model.IgnoredField{Field: fmt.Sprintf("spec.ports[%d].nodePort", i), Value: strconv.Itoa(int(p.NodePort)), Valid: model.ValidNodePorts, ReadAs: "0 (none allocated)"})
			sp.NodePort = 0
		}
		out.Ports = append(out.Ports, sp)
	}
	for _, in := range s.Status.LoadBalancer.Ingress {
		mode := ""
		if in.IPMode != nil {
			mode = printable(string(*in.IPMode))
		}
		out.LoadBalancerIngress = append(out.LoadBalancerIngress, model.LoadBalancerIngress{IP: printable(in.IP), Hostname: printable(in.Hostname), IPMode: mode})
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
		if valid, ok := model.CheckServiceType(out.Type); !ok {
			ignore("spec.type", out.Type, valid, model.TypeClusterIP+" (the default)")
			out.Type = model.TypeClusterIP
		}
	}
	settings := []struct {
		key, field string
		v          *string
	}{
		{model.KeyExternalTrafficPolicy, "spec.externalTrafficPolicy", &out.ExternalTrafficPolicy},
		{model.KeyInternalTrafficPolicy, "spec.internalTrafficPolicy", &out.InternalTrafficPolicy},
		{model.KeySessionAffinity, "spec.sessionAffinity", &out.SessionAffinity},
		{model.KeyTrafficDistribution, "spec.trafficDistribution", &out.TrafficDistribution},
	}
	for _, st := range settings {
		if *st.v == "" {
			continue
		}
		if valid, ok := model.CheckSetting(st.key, *st.v); !ok {
			ignore(st.field, *st.v, valid, "unset (the API server's default)")
			*st.v = ""
		}
	}
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

// FromEndpointSlice reduces an EndpointSlice, keeping conditions as they
// are (unset stays unset: kube-proxy gives that its own meaning).
func FromEndpointSlice(s *discoveryv1.EndpointSlice) model.EndpointSlice {
	out := model.EndpointSlice{
		Namespace:   printable(s.Namespace),
		Name:        printable(s.Name),
		Service:     printable(s.Labels[discoveryv1.LabelServiceName]),
		AddressType: printable(string(s.AddressType)),
	}
	for _, p := range s.Ports {
		var ep model.EndpointPort
		if p.Name != nil {
			ep.Name = printable(*p.Name)
		}
		if p.Port != nil {
			ep.Port = *p.Port
		}
		if p.Protocol != nil {
			ep.Protocol = printable(string(*p.Protocol))
		}
		out.Ports = append(out.Ports, ep)
	}
	out.Endpoints = make([]model.Endpoint, 0, len(s.Endpoints))
	for _, e := range s.Endpoints {
		me := model.Endpoint{
			Addresses:   model.PrintableAll(e.Addresses),
			Ready:       e.Conditions.Ready,
			Serving:     e.Conditions.Serving,
			Terminating: e.Conditions.Terminating,
		}
		if e.NodeName != nil {
			me.NodeName = printable(*e.NodeName)
		}
		if e.Zone != nil {
			me.Zone = printable(*e.Zone)
		}
		if e.Hints != nil {
			for _, z := range e.Hints.ForZones {
				me.HintZones = append(me.HintZones, printable(z.Name))
			}
			for _, n := range e.Hints.ForNodes {
				me.HintNodes = append(me.HintNodes, printable(n.Name))
			}
		}
		if r := e.TargetRef; r != nil && (r.Kind == "Pod" || r.Kind == "") {
			me.PodNamespace, me.PodName = printable(r.Namespace), printable(r.Name)
			if me.PodNamespace == "" {
				me.PodNamespace = out.Namespace
			}
		}
		out.Endpoints = append(out.Endpoints, me)
	}
	return out
}

// FromPod reduces a Pod to identity, placement and readiness.
func FromPod(p *corev1.Pod) model.Pod {
	out := model.Pod{
		Namespace:   printable(p.Namespace),
		Name:        printable(p.Name),
		NodeName:    printable(p.Spec.NodeName),
		IP:          printable(p.Status.PodIP),
		Labels:      model.PrintableMap(p.Labels),
		Phase:       printable(string(p.Status.Phase)),
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
		Name:          printable(n.Name),
		Zone:          printable(n.Labels[corev1.LabelTopologyZone]),
		Labels:        model.PrintableMap(n.Labels),
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
		out.TaintKeys = append(out.TaintKeys, printable(t.Key))
	}
	for _, a := range n.Status.Addresses {
		out.Addresses = append(out.Addresses, model.NodeAddress{Type: printable(string(a.Type)), Address: printable(a.Address)})
	}
	return out
}
