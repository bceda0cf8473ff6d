//lint:file-ignore SA1019 v1 Endpoints are deprecated, and reading them from old dumps is the point here.

package k8s

import (
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ktraffic/ktraffic/model"
)

func TestMirrorEndpoints(t *testing.T) {
	node := "node-a"
	ep := &corev1.Endpoints{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web"},
		Subsets: []corev1.EndpointSubset{{
			Addresses: []corev1.EndpointAddress{
				{IP: "10.0.0.1", NodeName: &node, TargetRef: &corev1.ObjectReference{Kind: "Pod", Name: "web-1"}},
				{IP: "fd00::1"},
				{IP: "not-an-ip"},
			},
			NotReadyAddresses: []corev1.EndpointAddress{{IP: "10.0.0.2"}},
			Ports:             []corev1.EndpointPort{{Name: "http", Port: 8080, Protocol: corev1.ProtocolTCP}},
		}},
	}
	got := mirrorEndpoints(ep)
	type row struct {
		family string
		eps    string
	}
	var rows []row
	for _, sl := range got {
		if !sl.Mirrored || sl.Service != "web" || !reflect.DeepEqual(sl.Ports, []model.EndpointPort{{Name: "http", Port: 8080, Protocol: "TCP"}}) {
			t.Errorf("slice %+v: want mirrored, service web, port http/8080/TCP", sl)
		}
		var eps []string
		for _, e := range sl.Endpoints {
			s := e.Addresses[0]
			if !*e.Ready {
				s += " not-ready"
			}
			if e.NodeName != "" {
				s += " on " + e.NodeName + " pod " + e.PodNamespace + "/" + e.PodName
			}
			if e.Serving != nil || e.Terminating != nil {
				t.Errorf("%s: the mirroring controller writes only ready", s)
			}
			eps = append(eps, s)
		}
		rows = append(rows, row{sl.AddressType, strings.Join(eps, ", ")})
	}
	want := []row{{"IPv4", "10.0.0.1 on node-a pod shop/web-1, 10.0.0.2 not-ready"}, {"IPv6", "fd00::1"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %v, want %v", rows, want)
	}

	for _, skip := range []*corev1.Endpoints{
		{ObjectMeta: metav1.ObjectMeta{Name: "a", Labels: map[string]string{labelSkipMirror: "true"}}, Subsets: ep.Subsets},
		{ObjectMeta: metav1.ObjectMeta{Name: "b", Annotations: map[string]string{annotationLeaderElect: "{}"}}, Subsets: ep.Subsets},
	} {
		if got := mirrorEndpoints(skip); got != nil {
			t.Errorf("%s: mirrored %v, the controller skips it", skip.Name, got)
		}
	}
}

func TestMirrorMissingOnlyWhereNoSliceExists(t *testing.T) {
	svcs := []model.Service{{Namespace: "shop", Name: "web"}, {Namespace: "shop", Name: "api"}}
	slices := []model.EndpointSlice{{Namespace: "shop", Name: "api-x", Service: "api"}}
	eps := []*corev1.Endpoints{
		{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web"}, Subsets: []corev1.EndpointSubset{{Addresses: []corev1.EndpointAddress{{IP: "10.0.0.1"}}}}},
		{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "api"}, Subsets: []corev1.EndpointSubset{{Addresses: []corev1.EndpointAddress{{IP: "10.0.0.9"}}}}},
	}
	out, warning := mirrorMissing(svcs, slices, eps)
	if len(out) != 2 || out[1].Service != "web" || !out[1].Mirrored {
		t.Errorf("slices %+v: want api's own and web's mirrored", out)
	}
	if !strings.Contains(warning, "1 Service in the input (shop/web)") {
		t.Errorf("warning %q does not name shop/web", warning)
	}
}
