//lint:file-ignore SA1019 v1 Endpoints are deprecated, and reading them from old dumps is the point here.

package k8s

import (
	"fmt"
	"net"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/ktraffic/ktraffic/model"
)

// Labels and annotations the EndpointSlice mirroring controller reads
// (pkg/controller/endpointslicemirroring: shouldMirror).
const (
	labelSkipMirror       = "endpointslice.kubernetes.io/skip-mirror"
	annotationLeaderElect = "control-plane.alpha.kubernetes.io/leader"
	// maxEndpointsPerSubset is the controller's default
	// --mirroring-max-endpoints-per-subset.
	maxEndpointsPerSubset = 1000
)

// mirrorEndpoints turns a v1 Endpoints object into the EndpointSlices the
// mirroring controller would write (reconciler.go reconcile,
// utils.go addressToEndpoint): one slice per subset's port set and
// address family; addresses ready, notReadyAddresses not ready, no other
// condition; addresses that are not IPs skipped; at most 1000 addresses
// per subset. It returns nil for Endpoints the controller leaves alone
// (the skip-mirror label, a leader-election lock).
func mirrorEndpoints(ep *corev1.Endpoints) []model.EndpointSlice {
	if ep.Labels[labelSkipMirror] == "true" {
		return nil
	}
	if _, lock := ep.Annotations[annotationLeaderElect]; lock {
		return nil
	}
	type group struct {
		ports []model.EndpointPort
		eps   []model.Endpoint
		fam   string
	}
	groups := map[string]*group{}
	var order []string
	for _, ss := range ep.Subsets {
		ports := make([]model.EndpointPort, 0, len(ss.Ports))
		for _, p := range ss.Ports {
			ports = append(ports, model.EndpointPort{Name: printable(p.Name), Port: p.Port, Protocol: printable(string(p.Protocol))})
		}
		added := 0
		add := func(a corev1.EndpointAddress, ready bool) {
			if added >= maxEndpointsPerSubset {
				return
			}
			ip := net.ParseIP(a.IP)
			if ip == nil {
				return
			}
			added++
			fam := "IPv4"
			if ip.To4() == nil {
				fam = "IPv6"
			}
			key := fam + "|" + portsKey(ports)
			g := groups[key]
			if g == nil {
				g = &group{ports: ports, fam: fam}
				groups[key] = g
				order = append(order, key)
			}
			r := ready
			e := model.Endpoint{Addresses: []string{ip.String()}, Ready: &r}
			if a.NodeName != nil {
				e.NodeName = printable(*a.NodeName)
			}
			if t := a.TargetRef; t != nil && t.Kind == "Pod" {
				e.PodNamespace, e.PodName = printable(t.Namespace), printable(t.Name)
				if e.PodNamespace == "" {
					e.PodNamespace = printable(ep.Namespace)
				}
			}
			g.eps = append(g.eps, e)
		}
		for _, a := range ss.Addresses {
			add(a, true)
		}
		for _, a := range ss.NotReadyAddresses {
			add(a, false)
		}
	}
	out := make([]model.EndpointSlice, 0, len(order))
	for i, key := range order {
		g := groups[key]
		out = append(out, model.EndpointSlice{
			// Strings pass through printable, as in convert.go.
			Namespace: printable(ep.Namespace), Name: printable(fmt.Sprintf("%s-mirrored-%d", ep.Name, i)), Service: printable(ep.Name),
			AddressType: g.fam, Ports: g.ports, Endpoints: g.eps, Mirrored: true,
		})
	}
	return out
}

func portsKey(ports []model.EndpointPort) string {
	keys := make([]string, len(ports))
	for i, p := range ports {
		keys[i] = fmt.Sprintf("%s/%d/%s", p.Name, p.Port, p.Protocol)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

// mirrorMissing adds mirrored slices for every Service the input holds no
// EndpointSlice for but a v1 Endpoints object, and says so once.
func mirrorMissing(services []model.Service, slices []model.EndpointSlice, endpoints []*corev1.Endpoints) ([]model.EndpointSlice, string) {
	if len(endpoints) == 0 {
		return slices, ""
	}
	have := map[string]bool{}
	for _, sl := range slices {
		have[sl.Namespace+"/"+sl.Service] = true
	}
	byKey := map[string]*corev1.Endpoints{}
	for _, ep := range endpoints {
		byKey[ep.Namespace+"/"+ep.Name] = ep
	}
	var mirrored []string
	for _, svc := range services {
		ep := byKey[svc.Key()]
		if ep == nil || have[svc.Key()] || svc.Type == model.TypeExternalName {
			continue
		}
		if m := mirrorEndpoints(ep); len(m) > 0 {
			slices = append(slices, m...)
			mirrored = append(mirrored, svc.Key())
		}
	}
	if len(mirrored) == 0 {
		return slices, ""
	}
	names := strings.Join(mirrored, ", ")
	if len(mirrored) > 5 {
		names = fmt.Sprintf("%s and %d more", strings.Join(mirrored[:5], ", "), len(mirrored)-5)
	}
	return slices, fmt.Sprintf("no EndpointSlice for %s in the input (%s): their v1 Endpoints were read instead, as the EndpointSlice mirroring controller would (readiness only: no serving, terminating, zone or hints)", model.Counted(len(mirrored), "Service", "Services"), names)
}
