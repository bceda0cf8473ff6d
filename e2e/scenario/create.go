package scenario

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/ktraffic/ktraffic/e2e/fixture"
)

// Create makes the scenario's objects: namespaces and their service
// accounts, Nodes, Services, EndpointSlices and Pods, then the status of
// Nodes, Services and Pods through their status subresources (the API
// server ignores status on create). ClusterIPs outside the cluster's
// service range get a ServiceCIDR of their own first, so every Service
// keeps the address the file gives it.
func (s *Scenario) Create(ctx context.Context, cs kubernetes.Interface) error {
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
	return nil
}

// Delete removes the scenario's Pods, EndpointSlices, Services and Nodes
// and waits until they are gone. Pods go with a zero grace period: no
// kubelet will ever confirm a graceful deletion. Namespaces stay: without
// the namespace controller a deleted namespace never finishes
// terminating, and an empty namespace changes no prediction.
func (s *Scenario) Delete(ctx context.Context, cs kubernetes.Interface) error {
	now := metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)}
	for _, p := range s.Pods {
		if err := ignoreNotFound(cs.CoreV1().Pods(p.Namespace).Delete(ctx, p.Name, now)); err != nil {
			return fmt.Errorf("deleting Pod %s/%s: %w", p.Namespace, p.Name, err)
		}
	}
	for _, sl := range s.Slices {
		if err := ignoreNotFound(cs.DiscoveryV1().EndpointSlices(sl.Namespace).Delete(ctx, sl.Name, now)); err != nil {
			return fmt.Errorf("deleting EndpointSlice %s/%s: %w", sl.Namespace, sl.Name, err)
		}
	}
	for _, svc := range s.Services {
		if err := ignoreNotFound(cs.CoreV1().Services(svc.Namespace).Delete(ctx, svc.Name, now)); err != nil {
			return fmt.Errorf("deleting Service %s/%s: %w", svc.Namespace, svc.Name, err)
		}
	}
	for _, n := range s.Nodes {
		if err := ignoreNotFound(cs.CoreV1().Nodes().Delete(ctx, n.Name, now)); err != nil {
			return fmt.Errorf("deleting Node %s: %w", n.Name, err)
		}
	}
	return poll(ctx, time.Minute, func() (bool, error) {
		for _, p := range s.Pods {
			if _, err := cs.CoreV1().Pods(p.Namespace).Get(ctx, p.Name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				return false, ignoreNotFound(err)
			}
		}
		return true, nil
	})
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
