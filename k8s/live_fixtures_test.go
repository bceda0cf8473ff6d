package k8s

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// Fixtures shaped like what a real API server returns, managedFields and
// container specs included, so transforms and memory figures see the
// weight they will meet in a cluster.

func fixtureMeta(ns, name string, labels map[string]string) metav1.ObjectMeta {
	return metav1.ObjectMeta{
		Namespace:       ns,
		Name:            name,
		UID:             "0b8f1e7c-3f0a-4c55-9d0e-4a8c1f2b7e61",
		ResourceVersion: "123456",
		Labels:          labels,
		Annotations: map[string]string{
			"kubectl.kubernetes.io/restartedAt": "2026-11-20T10:00:00Z",
		},
		ManagedFields: []metav1.ManagedFieldsEntry{{
			Manager: "kube-controller-manager", Operation: metav1.ManagedFieldsOperationUpdate, APIVersion: "v1",
			FieldsType: "FieldsV1", FieldsV1: metav1.NewFieldsV1(`{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{}}}`),
		}},
	}
}

func fixturePod(ns, name, node string, ready bool) *corev1.Pod {
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	app := name
	if i := len(name) - 6; i > 0 {
		app = name[:i]
	}
	return &corev1.Pod{
		ObjectMeta: fixtureMeta(ns, name, map[string]string{"app": app, "pod-template-hash": "7d9f8c6b5"}),
		Spec: corev1.PodSpec{
			NodeName: node,
			Containers: []corev1.Container{{
				Name: "app", Image: "registry.example/app:1.2.3",
				Ports: []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
				Env:   []corev1.EnvVar{{Name: "MODE", Value: "production"}, {Name: "LOG_LEVEL", Value: "info"}},
			}},
		},
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning,
			PodIP: "10.244.1.17",
			Conditions: []corev1.PodCondition{
				{Type: corev1.PodScheduled, Status: corev1.ConditionTrue},
				{Type: corev1.PodReady, Status: status},
			},
			ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Ready: ready, Image: "registry.example/app:1.2.3", ImageID: "sha256:4f2a", ContainerID: "containerd://9a1b"}},
		},
	}
}

func fixtureNode(name, zone string) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: fixtureMeta("", name, map[string]string{corev1.LabelTopologyZone: zone, corev1.LabelHostname: name}),
		Status: corev1.NodeStatus{
			Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}},
			Addresses:  []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "192.168.0.10"}},
		},
	}
}

func fixtureService(ns, name string) *corev1.Service {
	meta := fixtureMeta(ns, name, map[string]string{"app": name})
	meta.Annotations[lastApplied] = `{"apiVersion":"v1","kind":"Service","metadata":{"name":"` + name + `"}}`
	meta.Annotations["service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb"
	return &corev1.Service{
		ObjectMeta: meta,
		Spec: corev1.ServiceSpec{
			Type:                  corev1.ServiceTypeLoadBalancer,
			ClusterIP:             "10.96.0.10",
			Selector:              map[string]string{"app": name},
			ExternalTrafficPolicy: corev1.ServiceExternalTrafficPolicyLocal,
			Ports:                 []corev1.ServicePort{{Name: "http", Port: 80, TargetPort: intstr.FromInt32(8080), NodePort: 30080}},
		},
	}
}

// fixtureSlice is a slice of service svc with one endpoint per pod name,
// each on the matching node of nodes and in that node's zone.
func fixtureSlice(ns, name, svc string, pods, nodes, zones []string) *discoveryv1.EndpointSlice {
	s := &discoveryv1.EndpointSlice{
		ObjectMeta:  fixtureMeta(ns, name, map[string]string{discoveryv1.LabelServiceName: svc}),
		AddressType: discoveryv1.AddressTypeIPv4,
		Ports:       []discoveryv1.EndpointPort{{Name: ptr.To("http"), Port: ptr.To[int32](8080), Protocol: ptr.To(corev1.ProtocolTCP)}},
	}
	for i, p := range pods {
		s.Endpoints = append(s.Endpoints, discoveryv1.Endpoint{
			Addresses:  []string{fmt.Sprintf("10.244.%d.%d", i/250, i%250+1)},
			Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true), Serving: ptr.To(true), Terminating: ptr.To(false)},
			NodeName:   ptr.To(nodes[i]),
			Zone:       ptr.To(zones[i]),
			TargetRef:  &corev1.ObjectReference{Kind: "Pod", Namespace: ns, Name: p},
		})
	}
	return s
}

func fixtureIngress(ns, name, svc string) *networkingv1.Ingress {
	class := "alb"
	return &networkingv1.Ingress{
		ObjectMeta: fixtureMeta(ns, name, nil),
		Spec: networkingv1.IngressSpec{IngressClassName: &class, Rules: []networkingv1.IngressRule{{
			IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{Paths: []networkingv1.HTTPIngressPath{{
				Path: "/", Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: svc, Port: networkingv1.ServiceBackendPort{Number: 80}}},
			}}}},
		}}},
	}
}
