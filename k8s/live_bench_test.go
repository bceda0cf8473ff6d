package k8s

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"

	"github.com/ktraffic/ktraffic/model"
)

// The size the issue asks to hold: a big cluster, read cluster-wide.
const (
	benchPods       = 50_000
	benchNodes      = 2_000
	benchServices   = 5_000
	benchSlices     = 10_000 // two per Service, five endpoints each
	benchNamespaces = 50
)

// decoded copies s as a decoder does: every object has its own strings,
// so interning is measured, not assumed.
func decoded(s string) string { return strings.Clone(s) }

func benchNode(i int) string { return fmt.Sprintf("node-%04d", i%benchNodes) }
func benchZone(i int) string { return fmt.Sprintf("zone-%d", i%benchNodes%3) }
func benchNS(svc int) string { return fmt.Sprintf("team-%02d", svc%benchNamespaces) }

// benchPod is pod i of Service i/10, with a realistic share of unique and
// repeated strings.
func benchPod(i int) *corev1.Pod {
	svc := i / (benchPods / benchServices)
	name := fmt.Sprintf("svc-%04d-7d9f8c6b5-%05d", svc, i)
	p := fixturePod(decoded(benchNS(svc)), name, decoded(benchNode(i)), i%7 != 0)
	p.Labels = map[string]string{
		decoded("app"):               decoded(fmt.Sprintf("svc-%04d", svc)),
		decoded("pod-template-hash"): decoded("7d9f8c6b5"),
		decoded("tier"):              decoded("backend"),
	}
	p.Status.PodIP = fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
	p.ResourceVersion = fmt.Sprint(1_000_000 + i)
	return p
}

// benchCaches fills informer-like stores with converted objects and
// records every one as changed, as the initial list leaves them.
func benchCaches(b *testing.B) (*Live, [numResources]cache.Indexer) {
	b.Helper()
	l := newTestLive(fake.NewClientset(), "")
	stores := [numResources]cache.Indexer{}
	for i := range stores {
		stores[i] = cache.NewIndexer(cache.DeletionHandlingMetaNamespaceKeyFunc, cache.Indexers{})
	}
	add := func(i int, obj any) {
		c, _ := l.transform(obj)
		if err := stores[i].Add(c); err != nil {
			b.Fatal(err)
		}
	}
	for i := range benchNodes {
		add(resNodes, fixtureNode(benchNode(i), benchZone(i)))
	}
	for i := range benchServices {
		add(resServices, fixtureService(benchNS(i), fmt.Sprintf("svc-%04d", i)))
	}
	for i := range benchSlices {
		svc := i / 2
		pods, nodes, zones := make([]string, 5), make([]string, 5), make([]string, 5)
		for e := range 5 {
			pod := svc*10 + (i%2)*5 + e
			pods[e], nodes[e], zones[e] = fmt.Sprintf("svc-%04d-7d9f8c6b5-%05d", svc, pod), benchNode(pod), benchZone(pod)
		}
		add(resSlices, fixtureSlice(benchNS(svc), fmt.Sprintf("svc-%04d-%d", svc, i%2), fmt.Sprintf("svc-%04d", svc), pods, nodes, zones))
	}
	for i := range benchPods {
		add(resPods, benchPod(i))
	}
	markAll(l, stores)
	return l, stores
}

// markAll does what the handlers do for the initial list.
func markAll(l *Live, stores [numResources]cache.Indexer) {
	for _, obj := range stores[resServices].List() {
		l.build.services.mark(obj, false)
	}
	for _, obj := range stores[resSlices].List() {
		l.build.slices.mark(obj, false)
	}
	for _, obj := range stores[resPods].List() {
		l.build.pods.mark(obj, false)
	}
	for _, obj := range stores[resNodes].List() {
		l.build.nodes.mark(obj, false)
	}
}

// BenchmarkLiveFullBuild is the first snapshot after the initial list:
// every key is dirty. Target: ≤ 150 ms.
func BenchmarkLiveFullBuild(b *testing.B) {
	l, stores := benchCaches(b)
	runtime.GC() // the fixtures' garbage is not the build's cost
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		l.build = newBuilder()
		l.latest.Store(nil)
		markAll(l, stores)
		b.StartTimer()
		s, _ := l.rebuild()
		l.latest.Store(s)
	}
	b.StopTimer()
	s := l.Snapshot()
	if len(s.Pods) != benchPods || len(s.Slices) != benchSlices || len(s.Services) != benchServices || len(s.Nodes) != benchNodes {
		b.Fatalf("snapshot has %d pods, %d slices, %d services, %d nodes", len(s.Pods), len(s.Slices), len(s.Services), len(s.Nodes))
	}
}

// BenchmarkLiveRebuildOneSlice is the steady state: one EndpointSlice
// changed (an endpoint flips readiness). Target: ≤ 5 ms.
func BenchmarkLiveRebuildOneSlice(b *testing.B) {
	l, stores := benchCaches(b)
	s, _ := l.rebuild()
	l.latest.Store(s)
	store := stores[resSlices]
	obj, _, _ := store.GetByKey("team-07/svc-0007-1")
	orig := obj.(*cached[model.EndpointSlice])
	flipped := *orig
	flipped.value.Endpoints = append([]model.Endpoint(nil), orig.value.Endpoints...)
	flipped.value.Endpoints[0].Ready = ptr.To(false)
	versions := []*cached[model.EndpointSlice]{&flipped, orig}
	runtime.GC() // the fixtures' garbage is not the rebuild's cost
	b.ResetTimer()
	for i := range b.N {
		if err := store.Update(versions[i%2]); err != nil {
			b.Fatal(err)
		}
		l.build.slices.mark(versions[i%2], false)
		s, changed := l.rebuild()
		if !changed {
			b.Fatal("rebuild saw no change")
		}
		l.latest.Store(s)
	}
}

// BenchmarkLivePodMemory measures the heap the live source keeps per pod
// once real-looking pods (managedFields, containers, statuses) went
// through the transform: the informer store entry and key, the converted
// value, and the snapshot's slice. Target: ≤ 1.5 KB per pod.
func BenchmarkLivePodMemory(b *testing.B) {
	for range b.N {
		l := newTestLive(fake.NewClientset(), "")
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)

		store := cache.NewIndexer(cache.DeletionHandlingMetaNamespaceKeyFunc, cache.Indexers{})
		for i := range benchPods {
			c, _ := l.transform(benchPod(i))
			if err := store.Add(c); err != nil {
				b.Fatal(err)
			}
		}
		for _, obj := range store.List() {
			l.build.pods.mark(obj, false)
		}
		l.build.pods.refresh(nil)

		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/benchPods, "B/pod")
		runtime.KeepAlive(store)
		runtime.KeepAlive(l)
	}
}
