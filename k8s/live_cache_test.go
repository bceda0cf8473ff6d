package k8s

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"k8s.io/client-go/tools/cache"

	"github.com/ktraffic/ktraffic/model"
)

func TestCompareNames(t *testing.T) {
	tests := []struct{ ans, an, bns, bn string }{
		{"a", "x", "a", "x"},
		{"a", "x", "a-b", "y"}, // '-' sorts before '/': tuple order would differ
		{"a-b", "y", "a", "x"},
		{"a", "x", "ab", "x"},
		{"ab", "x", "a", "zz"},
		{"a", "xy", "a", "x"},
		{"a", "x", "a", "xy"},
		{"a", "x", "a0", "x"},
		{"kube-system", "coredns", "kube-system", "coredns-x"},
		{"", "node-1", "", "node-10"},
		{"", "node-2", "", "node-10"},
	}
	key := func(ns, name string) string {
		if ns == "" {
			return name
		}
		return ns + "/" + name
	}
	for _, tt := range tests {
		want := strings.Compare(key(tt.ans, tt.an), key(tt.bns, tt.bn))
		if got := compareNames(tt.ans, tt.an, tt.bns, tt.bn); got != want {
			t.Errorf("compareNames(%q, %q, %q, %q) = %d, want %d", tt.ans, tt.an, tt.bns, tt.bn, got, want)
		}
	}
}

// The live builder must produce exactly what Normalize makes of the same
// objects, after any sequence of adds, updates and deletes, while only
// splicing in what changed.
func TestBuilderMatchesNormalize(t *testing.T) {
	for _, nodesKnown := range []bool{true, false} {
		t.Run(fmt.Sprintf("nodesKnown=%v", nodesKnown), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(fmt.Sprint(nodesKnown)))))
			b := newBuilder()
			stores := [numResources]cache.Store{}
			for i := range stores {
				stores[i] = cache.NewStore(cache.DeletionHandlingMetaNamespaceKeyFunc)
			}
			namespaces := []string{"a", "a-b", "a.b", "ab", "kube-system"}
			nodes := []string{"n1", "n10", "n2", "n3"}
			zoneOf := map[string]string{"n1": "z1", "n10": "z1", "n2": "z2", "n3": ""}
			apply := func(i int, obj any, del bool) {
				var err error
				if del {
					err = stores[i].Delete(obj)
				} else {
					err = stores[i].Update(obj)
				}
				if err != nil {
					t.Fatal(err)
				}
				switch i {
				case resServices:
					b.services.mark(obj, del)
				case resSlices:
					b.slices.mark(obj, del)
				case resPods:
					b.pods.mark(obj, del)
				case resNodes:
					b.nodes.mark(obj, del)
				}
			}
			for round := range 30 {
				for range 1 + rng.IntN(40) {
					ns := namespaces[rng.IntN(len(namespaces))]
					name := fmt.Sprintf("o%d", rng.IntN(12))
					node := nodes[rng.IntN(len(nodes))]
					del := rng.IntN(4) == 0
					switch rng.IntN(4) {
					case 0:
						apply(resServices, newCached(&fixtureService(ns, name).ObjectMeta, liveService(fixtureService(ns, name))), del)
					case 1:
						on := []string{node, nodes[rng.IntN(len(nodes))]}
						s := fixtureSlice(ns, name, "svc", []string{"p1", "p2"}, on, []string{zoneOf[on[0]], zoneOf[on[1]]})
						apply(resSlices, newCached(&s.ObjectMeta, liveSlice(s)), del)
					case 2:
						p := fixturePod(ns, name, node, rng.IntN(2) == 0)
						apply(resPods, newCached(&p.ObjectMeta, livePod(p)), del)
					case 3:
						if nodesKnown {
							n := fixtureNode(node, zoneOf[node])
							apply(resNodes, newCached(&n.ObjectMeta, liveNode(n)), del && rng.IntN(2) == 0)
						}
					}
				}
				b.refresh()
				got := b.snapshot(nodesKnown)

				want := &model.Snapshot{NodesKnown: nodesKnown}
				for _, o := range stores[resServices].List() {
					want.Services = append(want.Services, o.(*cached[model.Service]).value)
				}
				for _, o := range stores[resSlices].List() {
					want.Slices = append(want.Slices, o.(*cached[model.EndpointSlice]).value)
				}
				for _, o := range stores[resPods].List() {
					want.Pods = append(want.Pods, o.(*cached[model.Pod]).value)
				}
				for _, o := range stores[resNodes].List() {
					want.Nodes = append(want.Nodes, o.(*cached[model.Node]).value)
				}
				want.Normalize()
				if !reflect.DeepEqual(nilIfEmpty(got), nilIfEmpty(want)) {
					t.Fatalf("round %d: live build differs from Normalize\n got nodes %v\nwant nodes %v\n got pods %d, want %d", round, got.Nodes, want.Nodes, len(got.Pods), len(want.Pods))
				}
			}
		})
	}
}

// nilIfEmpty makes empty and nil slices compare equal.
func nilIfEmpty(s *model.Snapshot) model.Snapshot {
	c := *s
	if len(c.Services) == 0 {
		c.Services = nil
	}
	if len(c.Slices) == 0 {
		c.Slices = nil
	}
	if len(c.Pods) == 0 {
		c.Pods = nil
	}
	if len(c.Nodes) == 0 {
		c.Nodes = nil
	}
	return c
}
