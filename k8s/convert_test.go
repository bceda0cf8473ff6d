package k8s

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/ktraffic/ktraffic/model"
)

const hostile = "\x1b]0;pwned\x07\x1b[2J\u009b1m\u202e"

// TestConvertStripsControlCharacters: whatever a dump or a server puts in
// the strings ktraffic prints, nothing that drives a terminal survives
// conversion.
func TestConvertStripsControlCharacters(t *testing.T) {
	meta := metav1.ObjectMeta{Namespace: "shop" + hostile, Name: "web" + hostile,
		Labels:      map[string]string{"app" + hostile: "web" + hostile, discoveryv1.LabelServiceName: "web" + hostile},
		Annotations: map[string]string{"note": "hi" + hostile}}
	svc := FromService(&corev1.Service{ObjectMeta: meta, Spec: corev1.ServiceSpec{
		Type: corev1.ServiceTypeLoadBalancer, ExternalName: "x" + hostile, LoadBalancerClass: ptr.To("c" + hostile),
		Selector: meta.Labels, Ports: []corev1.ServicePort{{Name: "http" + hostile, Port: 80}}},
		Status: corev1.ServiceStatus{LoadBalancer: corev1.LoadBalancerStatus{Ingress: []corev1.LoadBalancerIngress{{IP: "1.2.3.4" + hostile, Hostname: "lb" + hostile}}}}})
	pod := FromPod(&corev1.Pod{ObjectMeta: meta, Spec: corev1.PodSpec{NodeName: "node" + hostile}, Status: corev1.PodStatus{PodIP: "10.0.0.1" + hostile, Phase: "Running" + hostile}})
	node := FromNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node" + hostile, Labels: map[string]string{corev1.LabelTopologyZone: "z1" + hostile}},
		Spec:   corev1.NodeSpec{Taints: []corev1.Taint{{Key: "t" + hostile}}},
		Status: corev1.NodeStatus{Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.1.0.1" + hostile}}}})
	addrs := []string{"10.0.0.1" + hostile}
	slice := FromEndpointSlice(&discoveryv1.EndpointSlice{ObjectMeta: meta, AddressType: discoveryv1.AddressTypeIPv4,
		Ports: []discoveryv1.EndpointPort{{Name: ptr.To("http" + hostile)}},
		Endpoints: []discoveryv1.Endpoint{{Addresses: addrs, NodeName: ptr.To("node" + hostile), Zone: ptr.To("z1" + hostile),
			Hints:     &discoveryv1.EndpointHints{ForZones: []discoveryv1.ForZone{{Name: "z1" + hostile}}, ForNodes: []discoveryv1.ForNode{{Name: "n" + hostile}}},
			TargetRef: &corev1.ObjectReference{Kind: "Pod", Name: "web" + hostile}}}})

	var texts []string
	collect := func(ss ...string) { texts = append(texts, ss...) }
	collectMap := func(m map[string]string) {
		for k, v := range m {
			collect(k, v)
		}
	}
	collect(svc.Namespace, svc.Name, svc.ExternalName, svc.LoadBalancerClass, svc.Ports[0].Name, svc.LoadBalancerIngress[0].IP, svc.LoadBalancerIngress[0].Hostname)
	collectMap(svc.Selector)
	collectMap(svc.Annotations)
	collect(pod.Namespace, pod.Name, pod.NodeName, pod.IP, pod.Phase)
	collectMap(pod.Labels)
	collect(node.Name, node.Zone, node.TaintKeys[0], node.Addresses[0].Address)
	collectMap(node.Labels)
	//lint:ignore SA1019 v1 Endpoints are what the mirroring reads
	mirrored := mirrorEndpoints(&corev1.Endpoints{ObjectMeta: meta, Subsets: []corev1.EndpointSubset{{
		Addresses: []corev1.EndpointAddress{{IP: "10.0.0.9", NodeName: ptr.To("node" + hostile), TargetRef: &corev1.ObjectReference{Kind: "Pod", Name: "web" + hostile}}},
		Ports:     []corev1.EndpointPort{{Name: "http" + hostile, Port: 80, Protocol: "TCP" + hostile}},
	}}})
	for _, m := range mirrored {
		me := m.Endpoints[0]
		collect(m.Namespace, m.Name, m.Service, m.Ports[0].Name, m.Ports[0].Protocol, me.NodeName, me.PodNamespace, me.PodName)
	}
	e := slice.Endpoints[0]
	collect(slice.Namespace, slice.Name, slice.Service, slice.Ports[0].Name, e.Addresses[0], e.NodeName, e.Zone, e.HintZones[0], e.HintNodes[0], e.PodNamespace, e.PodName)
	for _, s := range texts {
		if s != model.Printable(s) {
			t.Errorf("%q reached the model with control characters", s)
		}
	}
	if svc.Name != "web]0;pwned[2J1m" {
		t.Errorf("name = %q: want the visible text kept", svc.Name)
	}
	if addrs[0] != "10.0.0.1"+hostile {
		t.Error("conversion wrote to the API object")
	}
}

// TestConvertIgnoresWhatTheAPIServerRejects: each value the API server
// would refuse is left out, named, and not mistaken for another.
func TestConvertIgnoresWhatTheAPIServerRejects(t *testing.T) {
	base := func() *corev1.Service {
		return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web"}, Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeLoadBalancer, ExternalTrafficPolicy: corev1.ServiceExternalTrafficPolicyLocal, HealthCheckNodePort: 31000,
			Ports: []corev1.ServicePort{{Name: "http", Port: 80, NodePort: 30080}, {Name: "https", Port: 443, NodePort: 30443}}}}
	}
	tests := []struct {
		name   string
		mutate func(*corev1.Service)
		field  string
		check  func(model.Service) bool
	}{
		{"port 0", func(s *corev1.Service) { s.Spec.Ports[0].Port = 0 }, "spec.ports[0].port",
			func(m model.Service) bool { return len(m.Ports) == 1 && m.Ports[0].Port == 443 }},
		{"port 70000", func(s *corev1.Service) { s.Spec.Ports[1].Port = 70000 }, "spec.ports[1].port",
			func(m model.Service) bool { return len(m.Ports) == 1 && m.Ports[0].Port == 80 }},
		{"nodePort 70000", func(s *corev1.Service) { s.Spec.Ports[0].NodePort = 70000 }, "spec.ports[0].nodePort",
			func(m model.Service) bool { return m.Ports[0].NodePort == 0 && m.Ports[1].NodePort == 30443 }},
		{"negative healthCheckNodePort", func(s *corev1.Service) { s.Spec.HealthCheckNodePort = -1 }, "spec.healthCheckNodePort",
			func(m model.Service) bool { return m.HealthCheckNodePort == 0 }},
		{"externalTrafficPolicy Sideways", func(s *corev1.Service) { s.Spec.ExternalTrafficPolicy = "Sideways" }, "spec.externalTrafficPolicy",
			func(m model.Service) bool { return m.ExternalTrafficPolicy == "" }},
		{"internalTrafficPolicy local", func(s *corev1.Service) {
			s.Spec.InternalTrafficPolicy = ptr.To(corev1.ServiceInternalTrafficPolicy("local"))
		}, "spec.internalTrafficPolicy",
			func(m model.Service) bool { return m.InternalTrafficPolicy == "" }},
		{"type Teleport", func(s *corev1.Service) { s.Spec.Type = "Teleport" }, "spec.type",
			func(m model.Service) bool { return m.Type == model.TypeClusterIP }},
		{"sessionAffinity Sticky", func(s *corev1.Service) { s.Spec.SessionAffinity = "Sticky" }, "spec.sessionAffinity",
			func(m model.Service) bool { return m.SessionAffinity == "" }},
		{"affinity timeout too long", func(s *corev1.Service) {
			s.Spec.SessionAffinity = corev1.ServiceAffinityClientIP
			s.Spec.SessionAffinityConfig = &corev1.SessionAffinityConfig{ClientIP: &corev1.ClientIPConfig{TimeoutSeconds: ptr.To[int32](90000)}}
		}, "spec.sessionAffinityConfig.clientIP.timeoutSeconds", func(m model.Service) bool {
			return m.SessionAffinityTimeoutSeconds == 0 && m.SessionAffinity == "ClientIP"
		}},
		{"trafficDistribution none", func(s *corev1.Service) { s.Spec.TrafficDistribution = ptr.To("none") }, "spec.trafficDistribution",
			func(m model.Service) bool { return m.TrafficDistribution == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base()
			tt.mutate(s)
			got := FromService(s)
			var fields []string
			for _, f := range got.Ignored {
				fields = append(fields, f.Field)
			}
			if !slices.Equal(fields, []string{tt.field}) {
				t.Errorf("ignored %v, want [%s]", fields, tt.field)
			}
			if !tt.check(got) {
				t.Errorf("converted to %+v", got)
			}
			w := model.IgnoredWarnings([]model.Service{got})
			if len(w) != 1 || !strings.Contains(w[0], "shop/web") || !strings.Contains(w[0], tt.field) {
				t.Errorf("warning %q does not name the object and the field", w)
			}
		})
	}
	if got := FromService(base()); len(got.Ignored) != 0 {
		t.Errorf("a valid Service had %v ignored", got.Ignored)
	}
}
