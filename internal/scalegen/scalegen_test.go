package scalegen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ktraffic/ktraffic/internal/scalegen"
	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
)

func small() scalegen.Config {
	return scalegen.Config{Seed: 7, Nodes: 6, Pods: 31, Services: 5, Slices: 11, Zones: 3, Namespaces: 2}
}

func write(t *testing.T, c scalegen.Config) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := scalegen.Write(&b, c); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func load(t *testing.T, data []byte, name string) *model.Snapshot {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	snap, err := k8s.LoadFiles([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// TestDumpIsConsistent: the dump decodes, holds what was asked for, and
// every endpoint names a pod and a node that exist, on the pod's node.
func TestDumpIsConsistent(t *testing.T) {
	c := small()
	snap := load(t, write(t, c), "dump.json")
	if len(snap.Nodes) != c.Nodes || len(snap.Pods) != c.Pods || len(snap.Services) != c.Services || len(snap.Slices) != c.Slices {
		t.Fatalf("got %d nodes, %d pods, %d services, %d slices", len(snap.Nodes), len(snap.Pods), len(snap.Services), len(snap.Slices))
	}
	if len(snap.Warnings) > 0 {
		t.Errorf("warnings: %v", snap.Warnings)
	}
	pods := map[string]model.Pod{}
	for _, p := range snap.Pods {
		pods[p.Namespace+"/"+p.Name] = p
	}
	zones := map[string]bool{}
	for _, n := range snap.Nodes {
		zones[n.Zone] = true
	}
	if len(zones) != c.Zones {
		t.Errorf("zones %v, want %d", zones, c.Zones)
	}
	endpoints := 0
	for _, s := range snap.Slices {
		if snap.Service(s.Namespace+"/"+s.Service) == nil {
			t.Errorf("slice %s/%s belongs to no Service", s.Namespace, s.Name)
		}
		for _, e := range s.Endpoints {
			endpoints++
			p, ok := pods[e.PodNamespace+"/"+e.PodName]
			if !ok || p.NodeName != e.NodeName || p.IP != e.Addresses[0] {
				t.Errorf("endpoint %+v does not match its pod %+v", e, p)
			}
		}
	}
	if endpoints != c.Pods {
		t.Errorf("%d endpoints, want one per pod (%d)", endpoints, c.Pods)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := write(t, small()), write(t, small())
	if !bytes.Equal(a, b) {
		t.Error("the same config gave different dumps")
	}
	other := small()
	other.Seed++
	if bytes.Equal(a, write(t, other)) {
		t.Error("another seed gave the same dump")
	}
}

// TestYAMLMatchesJSON: -yaml is the same cluster, printed the other way.
func TestYAMLMatchesJSON(t *testing.T) {
	c := small()
	js := load(t, write(t, c), "dump.json")
	c.YAML = true
	ya := load(t, write(t, c), "dump.yaml")
	js.Source, ya.Source = "", ""
	if !reflect.DeepEqual(js, ya) {
		t.Error("the YAML dump decodes to another snapshot than the JSON one")
	}
}
