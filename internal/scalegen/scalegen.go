// Package scalegen writes big, deterministic cluster dumps shaped like
// `kubectl get nodes,pods,services,endpointslices -A -o json` (a v1 List
// whose items have their keys sorted, as kubectl prints them), for tests,
// benchmarks and scripts/bench-load.sh. The same Config and seed always
// give the same bytes.
package scalegen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// Config sizes a dump. Pods are spread evenly over Services, and each
// Service's pods over its slices; every pod is one endpoint.
type Config struct {
	Seed       uint64
	Nodes      int
	Pods       int
	Services   int
	Slices     int // at least one per Service
	Zones      int
	Namespaces int
	// YAML writes `-o yaml` output instead of JSON.
	YAML bool
}

// Default is the size issue 16 measures: 2,000 nodes, 50,000 pods, 5,000
// Services and 10,000 EndpointSlices in 3 zones.
func Default() Config {
	return Config{Seed: 1, Nodes: 2000, Pods: 50000, Services: 5000, Slices: 10000, Zones: 3, Namespaces: 50}
}

// Objects is how many items a dump of c holds.
func (c Config) Objects() int { return c.Nodes + c.Pods + c.Services + c.Slices }

func (c Config) check() error {
	switch {
	case c.Nodes < 1, c.Services < 1, c.Zones < 1, c.Namespaces < 1:
		return fmt.Errorf("scalegen: nodes, services, zones and namespaces must be at least 1")
	case c.Pods < 0, c.Slices < c.Services:
		return fmt.Errorf("scalegen: pods must not be negative and slices must be at least one per Service")
	}
	return nil
}

// base is every timestamp's origin: a fixed instant keeps output stable.
var base = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// Write writes the dump. Items are written one at a time, so memory stays
// small whatever the size.
func Write(w io.Writer, c Config) error {
	if err := c.check(); err != nil {
		return err
	}
	g := &gen{c: c, rnd: rand.New(rand.NewPCG(c.Seed, 0x6b74726166666963))}
	bw := bufio.NewWriterSize(w, 1<<20)
	out := &listWriter{w: bw, yaml: c.YAML}
	out.begin()
	for i := range c.Nodes {
		out.item(g.node(i))
	}
	for s := range c.Services {
		out.item(g.service(s))
	}
	for s := range c.Services {
		for k := range g.slicesOf(s) {
			out.item(g.slice(s, k))
		}
	}
	for i := range c.Pods {
		out.item(g.pod(i))
	}
	out.end()
	if out.err != nil {
		return out.err
	}
	return bw.Flush()
}

// listWriter prints a List around items the way kubectl does.
type listWriter struct {
	w     *bufio.Writer
	yaml  bool
	items int
	err   error
}

func (l *listWriter) write(s string) {
	if l.err == nil {
		_, l.err = l.w.WriteString(s)
	}
}

func (l *listWriter) begin() {
	if l.yaml {
		l.write("apiVersion: v1\nitems:\n")
		return
	}
	l.write("{\n    \"apiVersion\": \"v1\",\n    \"items\": [")
}

func (l *listWriter) end() {
	if l.yaml {
		if l.items == 0 {
			l.write("[]\n") // "items:" alone would be null
		}
		l.write("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
		return
	}
	l.write("\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n")
}

// item prints one object through the unstructured form kubectl prints
// from: keys sorted, unset fields left out.
func (l *listWriter) item(obj runtime.Object) {
	if l.err != nil {
		return
	}
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		l.err = err
		return
	}
	if l.yaml {
		b, err := yaml.Marshal(m)
		if err != nil {
			l.err = err
			return
		}
		for i, line := range strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n") {
			if i == 0 {
				l.write("- " + line)
			} else {
				l.write("  " + line)
			}
		}
		l.write("\n")
		l.items++
		return
	}
	b, err := json.MarshalIndent(m, "        ", "    ")
	if err != nil {
		l.err = err
		return
	}
	if l.items > 0 {
		l.write(",")
	}
	l.write("\n        ")
	l.write(string(b))
	l.items++
}

type gen struct {
	c   Config
	rnd *rand.Rand
}

func (g *gen) zone(i int) string { return fmt.Sprintf("eu-west-1%c", 'a'+rune(i%g.c.Zones)) }
func nodeName(i int) string {
	return fmt.Sprintf("ip-10-%d-%d-%d.eu-west-1.compute.internal", 20+i/65536, i/256%256, i%256)
}
func (g *gen) namespace(s int) string {
	return fmt.Sprintf("team-%02d", s%g.c.Namespaces)
}
func serviceName(s int) string { return fmt.Sprintf("svc-%05d", s) }

// uid is a stable, unique-looking UID for object n of a kind.
func uid(kind byte, n int) types.UID {
	return types.UID(fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", n, kind, n%4096, (n/4096)%4096, uint64(n)*2654435761%(1<<48)))
}

func stamp(minutes int) metav1.Time {
	return metav1.NewTime(base.Add(time.Duration(minutes) * time.Minute))
}

func (g *gen) node(i int) *corev1.Node {
	zone := g.zone(i)
	ready := corev1.ConditionTrue
	if g.rnd.IntN(200) == 0 {
		ready = corev1.ConditionFalse
	}
	cond := func(t corev1.NodeConditionType, s corev1.ConditionStatus, reason string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: s, Reason: reason, Message: "kubelet reports " + reason,
			LastHeartbeatTime: stamp(600 + i%60), LastTransitionTime: stamp(i % 600)}
	}
	n := &corev1.Node{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Node"},
		ObjectMeta: metav1.ObjectMeta{
			Name: nodeName(i), UID: uid('n', i), ResourceVersion: fmt.Sprint(100000 + i), CreationTimestamp: stamp(i % 600),
			Labels: map[string]string{
				"kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux", "kubernetes.io/hostname": nodeName(i),
				"node.kubernetes.io/instance-type": "m6i.2xlarge", "topology.kubernetes.io/region": "eu-west-1",
				"topology.kubernetes.io/zone": zone, "eks.amazonaws.com/nodegroup": fmt.Sprintf("workers-%d", i%4),
			},
			Annotations: map[string]string{"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
		},
		Spec: corev1.NodeSpec{PodCIDR: fmt.Sprintf("10.%d.%d.0/24", 100+i/256, i%256), ProviderID: "aws:///" + zone + fmt.Sprintf("/i-%017x", i)},
		Status: corev1.NodeStatus{
			Capacity: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("8"), corev1.ResourceMemory: resource.MustParse("32386524Ki"),
				corev1.ResourcePods: resource.MustParse("58"), corev1.ResourceEphemeralStorage: resource.MustParse("104845292Ki")},
			Allocatable: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("7910m"), corev1.ResourceMemory: resource.MustParse("31369692Ki"),
				corev1.ResourcePods: resource.MustParse("58"), corev1.ResourceEphemeralStorage: resource.MustParse("95551679124")},
			Conditions: []corev1.NodeCondition{
				cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory"),
				cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure"),
				cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID"),
				cond(corev1.NodeReady, ready, "KubeletReady"),
			},
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeInternalIP, Address: fmt.Sprintf("10.%d.%d.%d", 20+i/65536, i/256%256, i%256)},
				{Type: corev1.NodeHostName, Address: nodeName(i)},
			},
			NodeInfo: corev1.NodeSystemInfo{KubeletVersion: "v1.37.2", ContainerRuntimeVersion: "containerd://2.1.4", OperatingSystem: "linux",
				Architecture: "amd64", KernelVersion: "6.12.40", OSImage: "Amazon Linux 2023", MachineID: fmt.Sprintf("ec2%029x", i)},
		},
	}
	if i%50 == 49 {
		n.Spec.Taints = []corev1.Taint{{Key: "dedicated", Value: "batch", Effect: corev1.TaintEffectNoSchedule}}
	}
	return n
}

func (g *gen) service(s int) *corev1.Service {
	ns, name := g.namespace(s), serviceName(s)
	svc := &corev1.Service{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: uid('s', s), ResourceVersion: fmt.Sprint(200000 + s),
			CreationTimestamp: stamp(s % 900), Labels: map[string]string{"app": name, "team": ns}},
		Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeClusterIP, Selector: map[string]string{"app": name},
			ClusterIP: fmt.Sprintf("172.20.%d.%d", s/256%256, s%256), ClusterIPs: []string{fmt.Sprintf("172.20.%d.%d", s/256%256, s%256)},
			IPFamilies: []corev1.IPFamily{corev1.IPv4Protocol}, IPFamilyPolicy: ptr(corev1.IPFamilyPolicySingleStack),
			SessionAffinity: corev1.ServiceAffinityNone, InternalTrafficPolicy: ptr(corev1.ServiceInternalTrafficPolicyCluster),
			Ports: []corev1.ServicePort{{Name: "http", Protocol: corev1.ProtocolTCP, Port: 80, TargetPort: intstr.FromInt32(8080)}},
		},
	}
	switch s % 10 {
	case 7: // a NodePort
		svc.Spec.Type = corev1.ServiceTypeNodePort
		svc.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyCluster
		svc.Spec.Ports[0].NodePort = int32(30000 + s%2700)
	case 9: // a load balancer, every other one with Local
		svc.Spec.Type = corev1.ServiceTypeLoadBalancer
		svc.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyCluster
		svc.Spec.Ports[0].NodePort = int32(30000 + s%2700)
		if s%20 == 19 {
			svc.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyLocal
			svc.Spec.HealthCheckNodePort = int32(32700 + s%60)
		}
		svc.Annotations = map[string]string{"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"}
		svc.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{Hostname: fmt.Sprintf("a%x-%d.elb.eu-west-1.amazonaws.com", s, s)}}
	}
	if s%25 == 3 {
		svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{Name: "metrics", Protocol: corev1.ProtocolTCP, Port: 9090, TargetPort: intstr.FromString("metrics")})
	}
	return svc
}

// podsOf gives Service s's pods as a range of pod numbers.
func (g *gen) podsOf(s int) (from, to int) {
	return s * g.c.Pods / g.c.Services, (s + 1) * g.c.Pods / g.c.Services
}

// serviceOf is the Service whose pods range holds pod i.
func (g *gen) serviceOf(i int) int {
	s := i * g.c.Services / g.c.Pods
	for {
		from, to := g.podsOf(s)
		switch {
		case i >= to:
			s++
		case i < from:
			s--
		default:
			return s
		}
	}
}

func (g *gen) slicesOf(s int) int {
	return (s+1)*g.c.Slices/g.c.Services - s*g.c.Slices/g.c.Services
}

func podName(s, i int) string { return fmt.Sprintf("%s-7d9f8c6b5-%05x", serviceName(s), i) }

// podNode places pod i: spread over nodes, neighbours apart.
func (g *gen) podNode(i int) int { return (i*7 + i/g.c.Nodes) % g.c.Nodes }

func (g *gen) podReady(i int) bool { return i%53 != 11 }

func (g *gen) slice(s, k int) *discoveryv1.EndpointSlice {
	ns, name := g.namespace(s), serviceName(s)
	from, to := g.podsOf(s)
	n := g.slicesOf(s)
	lo, hi := from+k*(to-from)/n, from+(k+1)*(to-from)/n
	es := &discoveryv1.EndpointSlice{
		TypeMeta: metav1.TypeMeta{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice"},
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-%05x", name, k), Namespace: ns, UID: uid('e', s*16+k),
			ResourceVersion: fmt.Sprint(300000 + s*16 + k), CreationTimestamp: stamp(s % 900), GenerateName: name + "-",
			Labels: map[string]string{discoveryv1.LabelServiceName: name, discoveryv1.LabelManagedBy: "endpointslice-controller.k8s.io"},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "Service", Name: name, UID: uid('s', s),
				Controller: ptr(true), BlockOwnerDeletion: ptr(true)}},
		},
		AddressType: discoveryv1.AddressTypeIPv4,
		Ports:       []discoveryv1.EndpointPort{{Name: ptr("http"), Protocol: ptr(corev1.ProtocolTCP), Port: ptr(int32(8080))}},
	}
	for i := lo; i < hi; i++ {
		node := g.podNode(i)
		ready := g.podReady(i)
		es.Endpoints = append(es.Endpoints, discoveryv1.Endpoint{
			Addresses:  []string{podIP(i)},
			Conditions: discoveryv1.EndpointConditions{Ready: ptr(ready), Serving: ptr(ready), Terminating: ptr(false)},
			NodeName:   ptr(nodeName(node)), Zone: ptr(g.zone(node)),
			TargetRef: &corev1.ObjectReference{Kind: "Pod", Namespace: ns, Name: podName(s, i), UID: uid('p', i)},
		})
	}
	return es
}

func podIP(i int) string { return fmt.Sprintf("10.%d.%d.%d", 128+i/65536, i/256%256, i%256) }

func (g *gen) pod(i int) *corev1.Pod {
	s := g.serviceOf(i)
	ns, name := g.namespace(s), serviceName(s)
	node := g.podNode(i)
	ready := corev1.ConditionTrue
	if !g.podReady(i) {
		ready = corev1.ConditionFalse
	}
	started := stamp(1000 + i%500)
	cond := func(t corev1.PodConditionType, st corev1.ConditionStatus) corev1.PodCondition {
		return corev1.PodCondition{Type: t, Status: st, LastTransitionTime: started}
	}
	p := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: podName(s, i), Namespace: ns, UID: uid('p', i), ResourceVersion: fmt.Sprint(400000 + i),
			CreationTimestamp: started, GenerateName: name + "-7d9f8c6b5-",
			Labels: map[string]string{"app": name, "pod-template-hash": "7d9f8c6b5"},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: name + "-7d9f8c6b5",
				UID: uid('r', s), Controller: ptr(true), BlockOwnerDeletion: ptr(true)}},
		},
		Spec: corev1.PodSpec{
			NodeName: nodeName(node), ServiceAccountName: "default", RestartPolicy: corev1.RestartPolicyAlways,
			Containers: []corev1.Container{{
				Name: "app", Image: fmt.Sprintf("registry.example.com/%s/%s:1.%d.0", ns, name, s%7),
				Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
				Resources: corev1.ResourceRequirements{
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")},
					Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")},
				},
				ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("http")}},
					PeriodSeconds: 5},
			}},
			Tolerations: []corev1.Toleration{
				{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
				{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
			},
		},
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning, PodIP: podIP(i), PodIPs: []corev1.PodIP{{IP: podIP(i)}},
			HostIP: fmt.Sprintf("10.%d.%d.%d", 20+node/65536, node/256%256, node%256), StartTime: &started, QOSClass: corev1.PodQOSBurstable,
			Conditions: []corev1.PodCondition{
				cond(corev1.PodInitialized, corev1.ConditionTrue), cond(corev1.PodReady, ready),
				cond(corev1.ContainersReady, ready), cond(corev1.PodScheduled, corev1.ConditionTrue),
			},
			ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Ready: ready == corev1.ConditionTrue, RestartCount: int32(g.rnd.IntN(3)),
				Image: fmt.Sprintf("registry.example.com/%s/%s:1.%d.0", ns, name, s%7), ContainerID: fmt.Sprintf("containerd://%064x", uint64(i)*0x9e3779b97f4a7c15),
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: started}}}},
		},
	}
	return p
}

func ptr[T any](v T) *T { return &v }
