// Package scenario puts ktraffic's demo scenarios (k8s/scenarios/*.yaml,
// `kubectl get -o yaml` Lists) into a real cluster through client-go, as
// faithfully as the API allows: the same namespaces, names, labels,
// annotations, ClusterIPs, node ports, Node and Pod status, the
// EndpointSlices exactly as the file has them, kube-system's datapath
// ConfigMaps and DaemonSets, Ingresses with their load-balancer status,
// and Gateway API objects (on the Gateway API's own CRDs, installed first)
// with theirs.
//
// The cluster must not run the EndpointSlice controller: it would rewrite
// the scenario's slices from the pods, and the point is to serve the very
// slices the demo reads.
package scenario

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// Scenario is the objects of one scenario file, by kind.
type Scenario struct {
	Name     string
	Nodes    []corev1.Node
	Services []corev1.Service
	Slices   []discoveryv1.EndpointSlice
	Pods     []corev1.Pod
	// ConfigMaps and DaemonSets are kube-system's objects that configure
	// the datapath (kube-proxy's, Cilium's).
	ConfigMaps     []corev1.ConfigMap
	DaemonSets     []appsv1.DaemonSet
	Ingresses      []networkingv1.Ingress
	IngressClasses []networkingv1.IngressClass
	// Gateway holds the Gateway API objects (GatewayClass, Gateway,
	// HTTPRoute, GRPCRoute) in file order, as the dynamic client sends
	// them: the e2e module does not carry the Gateway API's Go types.
	Gateway []unstructured.Unstructured
}

// Dir is the folder of the scenario files in the repository at root.
func Dir(root string) string { return filepath.Join(root, "k8s", "scenarios") }

// Names lists the scenarios in dir by file name.
func Names(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".yaml"))
	}
	slices.Sort(names)
	return names, nil
}

// Read decodes the scenario file dir/name.yaml. Kinds this package does
// not know are an error: a scenario that grows a new kind needs this
// package to learn how to create it.
func Read(dir, name string) (*Scenario, error) {
	path := filepath.Join(dir, name+".yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var list struct {
		Kind  string            `json:"kind"`
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(js, &list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if list.Kind != "List" {
		return nil, fmt.Errorf("%s: kind %q, want a List", path, list.Kind)
	}
	s := &Scenario{Name: name}
	for i, raw := range list.Items {
		var tm metav1.TypeMeta
		if err := json.Unmarshal(raw, &tm); err != nil {
			return nil, fmt.Errorf("%s: item %d: %w", path, i, err)
		}
		var err error
		switch tm.Kind {
		case "Node":
			err = decodeInto(raw, &s.Nodes)
		case "Service":
			err = decodeInto(raw, &s.Services)
		case "EndpointSlice":
			err = decodeInto(raw, &s.Slices)
		case "Pod":
			err = decodeInto(raw, &s.Pods)
		case "ConfigMap":
			err = decodeInto(raw, &s.ConfigMaps)
		case "DaemonSet":
			err = decodeInto(raw, &s.DaemonSets)
		case "Ingress":
			err = decodeInto(raw, &s.Ingresses)
		case "IngressClass":
			err = decodeInto(raw, &s.IngressClasses)
		default:
			if _, ok := gatewayResource(tm); ok {
				err = decodeInto(raw, &s.Gateway)
			} else {
				err = fmt.Errorf("%s %q: the e2e scenario loader does not create this kind (see e2e/scenario)", tm.APIVersion, tm.Kind)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: item %d: %w", path, i, err)
		}
	}
	return s, nil
}

func decodeInto[T any](raw json.RawMessage, into *[]T) error {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	*into = append(*into, v)
	return nil
}

// Namespaces are the namespaces the scenario's objects live in, sorted.
func (s *Scenario) Namespaces() []string {
	seen := map[string]bool{}
	for _, o := range s.objects() {
		if ns := o.GetNamespace(); ns != "" {
			seen[ns] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// fresh clears what the API server sets itself on create: identity,
// versions, timestamps and the field-manager record. Everything else is
// sent as the file has it.
func fresh(m metav1.ObjectMeta) metav1.ObjectMeta {
	m.UID = ""
	m.ResourceVersion = ""
	m.Generation = 0
	m.CreationTimestamp = metav1.Time{}
	m.DeletionTimestamp = nil
	m.DeletionGracePeriodSeconds = nil
	m.ManagedFields = nil
	return m
}

// freshUnstructured is fresh for an object the dynamic client sends.
func freshUnstructured(u *unstructured.Unstructured) {
	u.SetUID("")
	u.SetResourceVersion("")
	u.SetGeneration(0)
	u.SetCreationTimestamp(metav1.Time{})
	u.SetDeletionTimestamp(nil)
	u.SetDeletionGracePeriodSeconds(nil)
	u.SetManagedFields(nil)
}
