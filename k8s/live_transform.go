package k8s

import (
	"unique"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/ktraffic/ktraffic/model"
)

// cached is what the live informers keep for each object: the model value,
// converted once when the object arrives, plus the three metadata fields the
// informer machinery itself reads (namespace and name for keys, the
// resourceVersion to tell a relist from a change).
//
// Keeping the converted value instead of a trimmed API object is what makes
// big clusters affordable: an empty corev1.Pod struct alone is 1.2 KB, while
// a cached model.Pod is 160 bytes plus its strings. It also makes the
// informer store the converted cache, so nothing is held twice.
type cached[T any] struct {
	namespace, name, resourceVersion string
	value                            T
}

// GetObjectKind, DeepCopyObject and GetObjectMeta let the informer's FIFO
// and store handle cached values like API objects.
func (c *cached[T]) GetObjectKind() schema.ObjectKind { return schema.EmptyObjectKind }

// DeepCopyObject copies shallowly: the model values' maps and slices are
// never written after conversion, so sharing them is safe.
func (c *cached[T]) DeepCopyObject() runtime.Object {
	cp := *c
	return &cp
}

func (c *cached[T]) GetObjectMeta() metav1.Object {
	return &metav1.ObjectMeta{Namespace: c.namespace, Name: c.name, ResourceVersion: c.resourceVersion}
}

func newCached[T any](m *metav1.ObjectMeta, v T) *cached[T] {
	return &cached[T]{namespace: intern(m.Namespace), name: m.Name, resourceVersion: m.ResourceVersion, value: v}
}

// lastApplied is kubectl's copy of the whole object: often the largest
// annotation, and of no use to a prediction.
const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// transform converts API objects into cached model values as they enter the
// informers, so managedFields, container specs and status details are
// dropped before anything holds on to them. It is idempotent, as client-go
// requires: the watch-list path runs it twice on the same object.
func (l *Live) transform(obj any) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, l.panicked("converting objects", r)
		}
	}()
	switch o := obj.(type) {
	case *corev1.Pod:
		l.res[resPods].loaded.Add(1)
		return newCached(&o.ObjectMeta, livePod(o)), nil
	case *discoveryv1.EndpointSlice:
		l.res[resSlices].loaded.Add(1)
		return newCached(&o.ObjectMeta, liveSlice(o)), nil
	case *corev1.Service:
		l.res[resServices].loaded.Add(1)
		return newCached(&o.ObjectMeta, liveService(o)), nil
	case *corev1.Node:
		l.res[resNodes].loaded.Add(1)
		return newCached(&o.ObjectMeta, liveNode(o)), nil
	case *networkingv1.Ingress:
		l.res[resIngresses].loaded.Add(1)
		ing := FromIngress(o)
		delete(ing.Annotations, lastApplied)
		return newCached(&o.ObjectMeta, ing), nil
	case *networkingv1.IngressClass:
		l.res[resIngressClasses].loaded.Add(1)
		return newCached(&o.ObjectMeta, FromIngressClass(o)), nil
	case *unstructured.Unstructured:
		return l.transformGateway(o)
	}
	// Already converted, or a tombstone wrapping a converted value.
	return obj, nil
}

// livePod converts a Pod, sharing the strings many pods repeat (namespace,
// node, phase, label keys and values) so 50,000 pods do not carry 50,000
// copies of "kube-system".
func livePod(p *corev1.Pod) model.Pod {
	out := FromPod(p)
	out.Namespace = intern(out.Namespace)
	out.NodeName = intern(out.NodeName)
	out.Phase = intern(out.Phase)
	out.Labels = internMap(out.Labels)
	return out
}

func liveSlice(s *discoveryv1.EndpointSlice) model.EndpointSlice {
	out := FromEndpointSlice(s)
	out.Namespace = intern(out.Namespace)
	out.Service = intern(out.Service)
	for i := range out.Endpoints {
		e := &out.Endpoints[i]
		e.NodeName = intern(e.NodeName)
		e.Zone = intern(e.Zone)
		e.PodNamespace = intern(e.PodNamespace)
	}
	return out
}

// liveService keeps the Service's annotations (load balancer mode and
// health-probe detection read them) except kubectl's last-applied copy.
func liveService(s *corev1.Service) model.Service {
	out := FromService(s)
	out.Namespace = intern(out.Namespace)
	if _, ok := out.Annotations[lastApplied]; ok {
		kept := make(map[string]string, len(out.Annotations)-1)
		for k, v := range out.Annotations {
			if k != lastApplied {
				kept[k] = v
			}
		}
		out.Annotations = kept
	}
	return out
}

func liveNode(n *corev1.Node) model.Node {
	out := FromNode(n)
	out.Zone = intern(out.Zone)
	out.Labels = internMap(out.Labels)
	return out
}

// intern returns the canonical copy of s. unique's table is weak, so
// strings nobody holds any more are collected.
func intern(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}

// internMap rebuilds m with interned keys and values, sized exactly, so the
// decoder's map and strings become garbage.
func internMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[intern(k)] = intern(v)
	}
	return out
}

// transformGateway converts a Gateway API object, read as unstructured,
// through its JSON: the same small structs a dump is read into.
func (l *Live) transformGateway(u *unstructured.Unstructured) (any, error) {
	js, err := u.MarshalJSON()
	if err != nil {
		return nil, err
	}
	g, err := decodeGateway(js)
	if err != nil {
		return nil, err
	}
	delete(g.Metadata.Annotations, lastApplied)
	m := &g.Metadata
	switch g.Kind {
	case "Gateway":
		l.res[resGateways].loaded.Add(1)
		return newCached(m, fromGateway(g)), nil
	case "GatewayClass":
		l.res[resGatewayClasses].loaded.Add(1)
		return newCached(m, fromGatewayClass(g)), nil
	case model.KindGRPCRoute:
		l.res[resGRPCRoutes].loaded.Add(1)
		return newCached(m, fromRoute(g)), nil
	}
	l.res[resHTTPRoutes].loaded.Add(1)
	return newCached(m, fromRoute(g)), nil
}
