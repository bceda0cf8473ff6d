package k8s

import (
	"testing"
	"unsafe"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/ktraffic/ktraffic/model"
)

func TestTransform(t *testing.T) {
	l := newTestLive(fake.NewClientset(), "")
	tests := []struct {
		name string
		in   any
		// annotations the converted value keeps (nil: none are kept)
		annotations map[string]string
	}{
		{"pod", fixturePod("shop", "web-aaaaa", "node-a", true), nil},
		{"node", fixtureNode("node-a", "z1"), nil},
		{"slice", fixtureSlice("shop", "web-x1", "web", []string{"p"}, []string{"node-a"}, []string{"z1"}), nil},
		{"service keeps its annotations but kubectl's last-applied copy", fixtureService("shop", "web"),
			map[string]string{"kubectl.kubernetes.io/restartedAt": "2026-11-20T10:00:00Z", "service.beta.kubernetes.io/aws-load-balancer-type": "nlb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := meta.Accessor(tt.in)
			if err != nil || len(in.GetManagedFields()) == 0 {
				t.Fatalf("fixture has no managedFields to drop (%v)", err)
			}
			out, err := l.transform(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			m, err := meta.Accessor(out)
			if err != nil {
				t.Fatalf("transformed %T has no metadata for the informer: %v", out, err)
			}
			if m.GetNamespace() != in.GetNamespace() || m.GetName() != in.GetName() || m.GetResourceVersion() != in.GetResourceVersion() {
				t.Errorf("metadata = %s/%s@%s, want %s/%s@%s", m.GetNamespace(), m.GetName(), m.GetResourceVersion(), in.GetNamespace(), in.GetName(), in.GetResourceVersion())
			}
			if len(m.GetManagedFields()) != 0 || len(m.GetAnnotations()) != 0 || len(m.GetLabels()) != 0 {
				t.Errorf("the informer copy keeps metadata beyond keys: %+v", m)
			}
			if svc, ok := out.(*cached[model.Service]); ok {
				if !equalMaps(svc.value.Annotations, tt.annotations) {
					t.Errorf("service annotations = %v, want %v", svc.value.Annotations, tt.annotations)
				}
			}
			again, _ := l.transform(out)
			if again != out {
				t.Error("transform is not idempotent")
			}
		})
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestTransformSharesRepeatedStrings(t *testing.T) {
	a := livePod(fixturePod("shop", "web-aaaaa", "node-a", true))
	b := livePod(fixturePod("shop", "web-bbbbb", "node-a", true))
	same := func(x, y string) bool { return unsafe.StringData(x) == unsafe.StringData(y) }
	if !same(a.Namespace, b.Namespace) || !same(a.NodeName, b.NodeName) || !same(a.Labels["pod-template-hash"], b.Labels["pod-template-hash"]) {
		t.Error("pods in one namespace on one node do not share their namespace, node and label strings")
	}
}
