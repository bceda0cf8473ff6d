package scenario

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"

	"github.com/ktraffic/ktraffic/e2e/fixture"
)

// Clients are what a scenario is created with: typed clients for the
// built-in kinds, the dynamic client for the Gateway API, and the
// apiextensions client that installs its CRDs.
type Clients struct {
	Kube       kubernetes.Interface
	Dynamic    dynamic.Interface
	Extensions apiextensions.Interface
}

// NewClients makes Clients from one config.
func NewClients(cfg *rest.Config) (*Clients, error) {
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	ext, err := apiextensions.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Clients{Kube: kube, Dynamic: dyn, Extensions: ext}, nil
}

// Create makes the scenario's objects: namespaces and their service
// accounts, Nodes, Services, EndpointSlices and Pods, kube-system's
// ConfigMaps and DaemonSets, IngressClasses and Ingresses, and the
// Gateway API's objects (installing its CRDs first), then the status of
// Nodes, Services, Pods, Ingresses and Gateway API objects through their
// status subresources (the API server ignores status on create).
// ClusterIPs outside the cluster's service range get a ServiceCIDR of
// their own first, so every Service keeps the address the file gives it.
func (s *Scenario) Create(ctx context.Context, cl *Clients) error {
	cs := cl.Kube
	if err := ensureServiceCIDRs(ctx, cs, s.clusterIPs()); err != nil {
		return err
	}
	for _, ns := range s.Namespaces() {
		// With its "default" service account: no controller may be
		// running to create it, and Pods cannot be created without it.
		if err := fixture.Namespace(ctx, cs, ns); err != nil {
			return err
		}
	}
	for _, n := range s.Nodes {
		want := n.Status
		n.ObjectMeta = fresh(n.ObjectMeta)
		got, err := cs.CoreV1().Nodes().Create(ctx, &n, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("creating Node %s: %w", n.Name, err)
		}
		got.Status = want
		if _, err := cs.CoreV1().Nodes().UpdateStatus(ctx, got, metav1.UpdateOptions{}); err != nil {
			return fmt.Errorf("setting the status of Node %s: %w", n.Name, err)
		}
	}
	for _, svc := range s.Services {
		want := svc.Status
		svc.ObjectMeta = fresh(svc.ObjectMeta)
		svc.Status = corev1.ServiceStatus{}
		got, err := createService(ctx, cs, &svc)
		if err != nil {
			return err
		}
		if len(want.LoadBalancer.Ingress) > 0 {
			got.Status = want
			if _, err := cs.CoreV1().Services(svc.Namespace).UpdateStatus(ctx, got, metav1.UpdateOptions{}); err != nil {
				return fmt.Errorf("setting the status of Service %s/%s: %w", svc.Namespace, svc.Name, err)
			}
		}
	}
	for _, sl := range s.Slices {
		sl.ObjectMeta = fresh(sl.ObjectMeta)
		if _, err := cs.DiscoveryV1().EndpointSlices(sl.Namespace).Create(ctx, &sl, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating EndpointSlice %s/%s: %w", sl.Namespace, sl.Name, err)
		}
	}
	for _, p := range s.Pods {
		want := p.Status
		p.ObjectMeta = fresh(p.ObjectMeta)
		p.Status = corev1.PodStatus{}
		got, err := cs.CoreV1().Pods(p.Namespace).Create(ctx, &p, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("creating Pod %s/%s: %w", p.Namespace, p.Name, err)
		}
		got.Status = want
		if _, err := cs.CoreV1().Pods(p.Namespace).UpdateStatus(ctx, got, metav1.UpdateOptions{}); err != nil {
			return fmt.Errorf("setting the status of Pod %s/%s: %w", p.Namespace, p.Name, err)
		}
	}
	if err := s.createEntries(ctx, cl); err != nil {
		return err
	}
	return nil
}

// createEntries makes what configures the datapath and what sits in
// front of Services. A DaemonSet's status is left to the API server: no
// prediction reads it, and no controller runs to make it true.
func (s *Scenario) createEntries(ctx context.Context, cl *Clients) error {
	cs := cl.Kube
	for _, cm := range s.ConfigMaps {
		cm.ObjectMeta = fresh(cm.ObjectMeta)
		if _, err := cs.CoreV1().ConfigMaps(cm.Namespace).Create(ctx, &cm, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating ConfigMap %s/%s: %w", cm.Namespace, cm.Name, err)
		}
	}
	for _, ds := range s.DaemonSets {
		ds.ObjectMeta = fresh(ds.ObjectMeta)
		ds.Status = appsv1.DaemonSetStatus{}
		if _, err := cs.AppsV1().DaemonSets(ds.Namespace).Create(ctx, &ds, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating DaemonSet %s/%s: %w", ds.Namespace, ds.Name, err)
		}
	}
	for _, ic := range s.IngressClasses {
		ic.ObjectMeta = fresh(ic.ObjectMeta)
		if _, err := cs.NetworkingV1().IngressClasses().Create(ctx, &ic, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("creating IngressClass %s: %w", ic.Name, err)
		}
	}
	for _, ing := range s.Ingresses {
		want := ing.Status
		ing.ObjectMeta = fresh(ing.ObjectMeta)
		ing.Status = networkingv1.IngressStatus{}
		got, err := cs.NetworkingV1().Ingresses(ing.Namespace).Create(ctx, &ing, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("creating Ingress %s/%s: %w", ing.Namespace, ing.Name, err)
		}
		if len(want.LoadBalancer.Ingress) > 0 {
			got.Status = want
			if _, err := cs.NetworkingV1().Ingresses(ing.Namespace).UpdateStatus(ctx, got, metav1.UpdateOptions{}); err != nil {
				return fmt.Errorf("setting the status of Ingress %s/%s: %w", ing.Namespace, ing.Name, err)
			}
		}
	}
	if len(s.Gateway) == 0 {
		return nil
	}
	if err := InstallGatewayAPI(ctx, cl.Extensions); err != nil {
		return err
	}
	for _, o := range s.Gateway {
		o = *o.DeepCopy()
		freshUnstructured(&o)
		want, hasStatus := o.Object["status"]
		delete(o.Object, "status")
		res := cl.resource(&o)
		got, err := res.Create(ctx, &o, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("creating %s: %w", describe(&o), err)
		}
		if hasStatus {
			got.Object["status"] = want
			if _, err := res.UpdateStatus(ctx, got, metav1.UpdateOptions{}); err != nil {
				return fmt.Errorf("setting the status of %s: %w", describe(&o), err)
			}
		}
	}
	return nil
}

// Delete removes the scenario's objects, newest kinds first, and waits
// until they are gone. Pods go with a zero grace period: no kubelet will
// ever confirm a graceful deletion. Finalizers the file gives an object
// (an AWS controller's on an Ingress) are removed first: no controller
// runs to remove them. Namespaces and the Gateway API's CRDs stay:
// without the namespace controller a deleted namespace never finishes
// terminating, and an empty namespace or an unused API changes no
// prediction.
func (s *Scenario) Delete(ctx context.Context, cl *Clients) error {
	now := metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)}
	objs := s.objects()
	for _, o := range objs {
		res := cl.resource(o)
		if len(o.GetFinalizers()) > 0 {
			_, err := res.Patch(ctx, o.GetName(), types.MergePatchType, []byte(`{"metadata":{"finalizers":null}}`), metav1.PatchOptions{})
			if err := ignoreNotFound(err); err != nil {
				return fmt.Errorf("removing the finalizers of %s: %w", describe(o), err)
			}
		}
		if err := ignoreNotFound(res.Delete(ctx, o.GetName(), now)); err != nil {
			return fmt.Errorf("deleting %s: %w", describe(o), err)
		}
	}
	return poll(ctx, time.Minute, func() (bool, error) {
		for _, o := range objs {
			if _, err := cl.resource(o).Get(ctx, o.GetName(), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				return false, ignoreNotFound(err)
			}
		}
		return true, nil
	})
}

// objects lists every object of the scenario as the dynamic client sees
// it, in the order Delete removes them: the reverse of Create's.
func (s *Scenario) objects() []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for i := range slices.Backward(s.Gateway) {
		out = append(out, &s.Gateway[i])
	}
	return slices.Concat(out,
		refs("networking.k8s.io/v1", "Ingress", s.Ingresses),
		refs("networking.k8s.io/v1", "IngressClass", s.IngressClasses),
		refs("apps/v1", "DaemonSet", s.DaemonSets),
		refs("v1", "ConfigMap", s.ConfigMaps),
		refs("v1", "Pod", s.Pods),
		refs("discovery.k8s.io/v1", "EndpointSlice", s.Slices),
		refs("v1", "Service", s.Services),
		refs("v1", "Node", s.Nodes),
	)
}

// refs names typed objects for the dynamic client: kind, namespace, name
// and the finalizers Delete must clear.
func refs[T any, P interface {
	*T
	metav1.Object
}](apiVersion, kind string, items []T) []*unstructured.Unstructured {
	out := make([]*unstructured.Unstructured, 0, len(items))
	for i := range items {
		o := P(&items[i])
		u := &unstructured.Unstructured{}
		u.SetAPIVersion(apiVersion)
		u.SetKind(kind)
		u.SetNamespace(o.GetNamespace())
		u.SetName(o.GetName())
		u.SetFinalizers(o.GetFinalizers())
		out = append(out, u)
	}
	return out
}

// builtinResources are the resources of the built-in kinds a scenario
// holds, by kind.
var builtinResources = map[string]string{
	"Node": "nodes", "Service": "services", "EndpointSlice": "endpointslices", "Pod": "pods",
	"ConfigMap": "configmaps", "DaemonSet": "daemonsets", "Ingress": "ingresses", "IngressClass": "ingressclasses",
}

// resource is the dynamic client for o's resource, in its namespace.
func (cl *Clients) resource(o *unstructured.Unstructured) dynamic.ResourceInterface {
	gvr, ok := gatewayResource(metav1.TypeMeta{APIVersion: o.GetAPIVersion(), Kind: o.GetKind()})
	if !ok {
		gvr = o.GroupVersionKind().GroupVersion().WithResource(builtinResources[o.GetKind()])
	}
	if o.GetNamespace() == "" {
		return cl.Dynamic.Resource(gvr)
	}
	return cl.Dynamic.Resource(gvr).Namespace(o.GetNamespace())
}

// describe names an object in errors: "HTTPRoute shop/checkout".
func describe(o *unstructured.Unstructured) string {
	if o.GetNamespace() == "" {
		return o.GetKind() + " " + o.GetName()
	}
	return o.GetKind() + " " + o.GetNamespace() + "/" + o.GetName()
}

func ignoreNotFound(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// createService creates svc, retrying while a ServiceCIDR just created
// is not yet known to the API server's allocator.
func createService(ctx context.Context, cs kubernetes.Interface, svc *corev1.Service) (*corev1.Service, error) {
	var got *corev1.Service
	var last error
	err := poll(ctx, 30*time.Second, func() (bool, error) {
		got, last = cs.CoreV1().Services(svc.Namespace).Create(ctx, svc, metav1.CreateOptions{})
		if apierrors.IsInvalid(last) && strings.Contains(last.Error(), "range") {
			return false, nil
		}
		return last == nil, last
	})
	if err != nil {
		if last != nil {
			err = last
		}
		return nil, fmt.Errorf("creating Service %s/%s: %w", svc.Namespace, svc.Name, err)
	}
	return got, nil
}

func (s *Scenario) clusterIPs() []string {
	var out []string
	for _, svc := range s.Services {
		for _, ip := range svc.Spec.ClusterIPs {
			if ip != "" && ip != corev1.ClusterIPNone {
				out = append(out, ip)
			}
		}
		if svc.Spec.ClusterIP != "" && svc.Spec.ClusterIP != corev1.ClusterIPNone {
			out = append(out, svc.Spec.ClusterIP)
		}
	}
	return out
}

// ensureServiceCIDRs adds a ServiceCIDR (a /16, or a /112 for IPv6) for
// every ClusterIP no existing one covers. Without kube-controller-manager
// the allocator takes a new ServiceCIDR as ready at once.
func ensureServiceCIDRs(ctx context.Context, cs kubernetes.Interface, ips []string) error {
	list, err := cs.NetworkingV1().ServiceCIDRs().List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing ServiceCIDRs: %w", err)
	}
	var have []netip.Prefix
	for _, sc := range list.Items {
		for _, c := range sc.Spec.CIDRs {
			if p, err := netip.ParsePrefix(c); err == nil {
				have = append(have, p)
			}
		}
	}
	for _, s := range ips {
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return fmt.Errorf("ClusterIP %q: %w", s, err)
		}
		if covered(have, ip) {
			continue
		}
		bits := 16
		if ip.Is6() {
			bits = 112
		}
		p, _ := ip.Prefix(bits)
		name := "e2e-" + strings.NewReplacer(".", "-", ":", "-", "/", "-").Replace(p.String())
		sc := &networkingv1.ServiceCIDR{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: networkingv1.ServiceCIDRSpec{CIDRs: []string{p.String()}}}
		if _, err := cs.NetworkingV1().ServiceCIDRs().Create(ctx, sc, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating ServiceCIDR %s: %w", p, err)
		}
		have = append(have, p)
	}
	return nil
}

func covered(prefixes []netip.Prefix, ip netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// poll calls f every 100ms until it reports done, fails, or limit passes.
func poll(ctx context.Context, limit time.Duration, f func() (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		done, err := f()
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("gave up after %s", limit)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
