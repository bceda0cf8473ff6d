package k8s

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"

	"github.com/ktraffic/ktraffic/model"
)

// guard bounds every wait: it is a failure timeout, never the expected path.
const guard = 10 * time.Second

func newTestLive(client *fake.Clientset, namespace string) *Live {
	l := newLive(client, &connection{namespace: namespace, source: "context:test", host: "https://test:6443", timeout: guard})
	l.debounce = 5 * time.Millisecond
	return l
}

// startLive starts l and waits until every watch is established: the fake
// clientset drops events made between an informer's list and its watch.
func startLive(t *testing.T, l *Live) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(func() {
		cancel()
		<-l.done
	})
	if err := l.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	for _, r := range l.res {
		if r.skipped != "" {
			continue
		}
		select {
		case <-r.watching:
		case <-time.After(guard):
			t.Fatalf("no watch on %s", r.name)
		}
	}
}

// awaitSnapshot returns the first snapshot, the current one included, that
// satisfies ok.
func awaitSnapshot(t *testing.T, l *Live, what string, ok func(*model.Snapshot) bool) *model.Snapshot {
	t.Helper()
	if s := l.Snapshot(); s != nil && ok(s) {
		return s
	}
	timeout := time.After(guard)
	for {
		select {
		case s, open := <-l.Updates():
			if !open {
				t.Fatalf("updates closed waiting for %s", what)
			}
			if ok(s) {
				return s
			}
		case <-timeout:
			t.Fatalf("no snapshot with %s", what)
		}
	}
}

func seedObjects() []runtime.Object {
	return []runtime.Object{
		fixtureNode("node-a", "z1"), fixtureNode("node-b", "z2"),
		fixtureService("shop", "web"), fixtureService("other", "db"),
		fixturePod("shop", "web-aaaaa", "node-a", true), fixturePod("shop", "web-bbbbb", "node-b", false),
		fixturePod("other", "db-ccccc", "node-b", true),
		fixtureSlice("shop", "web-x1", "web", []string{"web-aaaaa", "web-bbbbb"}, []string{"node-a", "node-b"}, []string{"z1", "z2"}),
		fixtureSlice("other", "db-x1", "db", []string{"db-ccccc"}, []string{"node-b"}, []string{"z2"}),
	}
}

func keys[T any](items []T, key func(*T) string) []string {
	out := make([]string, len(items))
	for i := range items {
		out[i] = key(&items[i])
	}
	return out
}

func svcKeys(s *model.Snapshot) []string {
	return keys(s.Services, func(v *model.Service) string { return v.Key() })
}
func podKeys(s *model.Snapshot) []string {
	return keys(s.Pods, func(v *model.Pod) string { return v.Namespace + "/" + v.Name })
}
func sliceKeys(s *model.Snapshot) []string {
	return keys(s.Slices, func(v *model.EndpointSlice) string { return v.Namespace + "/" + v.Name })
}
func nodeNames(s *model.Snapshot) []string {
	return keys(s.Nodes, func(v *model.Node) string { return v.Name + "@" + v.Zone })
}

func TestLiveInitialListAndScope(t *testing.T) {
	tests := []struct {
		name      string
		namespace string
		services  []string
		pods      []string
		slices    []string
	}{
		{"one namespace", "shop", []string{"shop/web"}, []string{"shop/web-aaaaa", "shop/web-bbbbb"}, []string{"shop/web-x1"}},
		{"all namespaces", "", []string{"other/db", "shop/web"}, []string{"other/db-ccccc", "shop/web-aaaaa", "shop/web-bbbbb"}, []string{"other/db-x1", "shop/web-x1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLive(fake.NewClientset(seedObjects()...), tt.namespace)
			startLive(t, l)
			s := l.Snapshot()
			if s == nil {
				t.Fatal("no snapshot after Start")
			}
			check := func(what string, got, want []string) {
				if !slices.Equal(got, want) {
					t.Errorf("%s = %v, want %v", what, got, want)
				}
			}
			check("services", svcKeys(s), tt.services)
			check("pods", podKeys(s), tt.pods)
			check("slices", sliceKeys(s), tt.slices)
			check("nodes", nodeNames(s), []string{"node-a@z1", "node-b@z2"}) // cluster-scoped whatever the scope
			if !s.NodesKnown || s.Source != "context:test" || !s.StaleSince.IsZero() || len(s.Warnings) > 0 {
				t.Errorf("snapshot status = known %v, source %q, stale %v, warnings %v", s.NodesKnown, s.Source, s.StaleSince, s.Warnings)
			}
			if web := s.Service("shop/web"); web != nil {
				if _, ok := web.Annotations[lastApplied]; ok || web.Annotations["service.beta.kubernetes.io/aws-load-balancer-type"] != "nlb" {
					t.Errorf("service annotations = %v, want the LB annotation without last-applied", web.Annotations)
				}
			}
		})
	}
}

func TestLiveFollowsChanges(t *testing.T) {
	client := fake.NewClientset(seedObjects()...)
	l := newTestLive(client, "shop")
	startLive(t, l)
	ctx := t.Context()
	pods := client.CoreV1().Pods("shop")
	eps := client.DiscoveryV1().EndpointSlices("shop")
	nodes := client.CoreV1().Nodes()

	podReady := func(name string) func(*model.Snapshot) bool {
		return func(s *model.Snapshot) bool {
			i := slices.IndexFunc(s.Pods, func(p model.Pod) bool { return p.Name == name })
			return i >= 0 && s.Pods[i].Ready
		}
	}
	steps := []struct {
		name   string
		change func() error
		ok     func(*model.Snapshot) bool
	}{
		{"pod added", func() error {
			_, err := pods.Create(ctx, fixturePod("shop", "web-ddddd", "node-a", true), metav1.CreateOptions{})
			return err
		}, func(s *model.Snapshot) bool { return slices.Contains(podKeys(s), "shop/web-ddddd") }},
		{"pod becomes ready", func() error {
			_, err := pods.Update(ctx, fixturePod("shop", "web-bbbbb", "node-b", true), metav1.UpdateOptions{})
			return err
		}, podReady("web-bbbbb")},
		{"pod deleted", func() error {
			return pods.Delete(ctx, "web-aaaaa", metav1.DeleteOptions{})
		}, func(s *model.Snapshot) bool { return !slices.Contains(podKeys(s), "shop/web-aaaaa") }},
		{"slice added", func() error {
			_, err := eps.Create(ctx, fixtureSlice("shop", "web-x2", "web", []string{"web-ddddd"}, []string{"node-a"}, []string{"z1"}), metav1.CreateOptions{})
			return err
		}, func(s *model.Snapshot) bool {
			return slices.Equal(sliceKeys(s), []string{"shop/web-x1", "shop/web-x2"})
		}},
		{"slice endpoint goes not-ready", func() error {
			sl := fixtureSlice("shop", "web-x2", "web", []string{"web-ddddd"}, []string{"node-a"}, []string{"z1"})
			sl.Endpoints[0].Conditions.Ready = ptr.To(false)
			_, err := eps.Update(ctx, sl, metav1.UpdateOptions{})
			return err
		}, func(s *model.Snapshot) bool {
			i := slices.IndexFunc(s.Slices, func(sl model.EndpointSlice) bool { return sl.Name == "web-x2" })
			return i >= 0 && !*s.Slices[i].Endpoints[0].Ready
		}},
		{"slice deleted", func() error {
			return eps.Delete(ctx, "web-x1", metav1.DeleteOptions{})
		}, func(s *model.Snapshot) bool { return slices.Equal(sliceKeys(s), []string{"shop/web-x2"}) }},
		{"node added", func() error {
			_, err := nodes.Create(ctx, fixtureNode("node-c", "z3"), metav1.CreateOptions{})
			return err
		}, func(s *model.Snapshot) bool { return slices.Contains(nodeNames(s), "node-c@z3") }},
		{"node moves zone", func() error {
			_, err := nodes.Update(ctx, fixtureNode("node-a", "z9"), metav1.UpdateOptions{})
			return err
		}, func(s *model.Snapshot) bool { return slices.Contains(nodeNames(s), "node-a@z9") }},
		{"node deleted", func() error {
			return nodes.Delete(ctx, "node-b", metav1.DeleteOptions{})
		}, func(s *model.Snapshot) bool {
			// Pod web-bbbbb still names node-b, but Node objects are known:
			// no kube-proxy runs on a deleted node, so it is not listed.
			return slices.Equal(nodeNames(s), []string{"node-a@z9", "node-c@z3"})
		}},
		{"other namespace ignored, service added", func() error {
			if _, err := client.CoreV1().Services("other").Create(ctx, fixtureService("other", "cache"), metav1.CreateOptions{}); err != nil {
				return err
			}
			_, err := client.CoreV1().Services("shop").Create(ctx, fixtureService("shop", "api"), metav1.CreateOptions{})
			return err
		}, func(s *model.Snapshot) bool { return slices.Equal(svcKeys(s), []string{"shop/api", "shop/web"}) }},
	}
	for _, st := range steps {
		if err := st.change(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		s := awaitSnapshot(t, l, st.name, st.ok)
		if slices.Contains(svcKeys(s), "other/cache") {
			t.Fatalf("%s: a Service from another namespace leaked in", st.name)
		}
	}
}

// A burst of events is one rebuild, not one per event.
func TestLiveDebouncesBursts(t *testing.T) {
	const burst = 50
	client := fake.NewClientset(seedObjects()...)
	// The test feeds the pods watch itself, so the burst arrives in
	// microseconds whatever the fake tracker's speed.
	podWatch := watch.NewFakeWithChanSize(burst, false)
	client.PrependWatchReactor("pods", func(k8stesting.Action) (bool, watch.Interface, error) {
		return true, podWatch, nil
	})
	l := newTestLive(client, "shop")
	l.debounce = 500 * time.Millisecond
	startLive(t, l)
	<-l.Updates() // the initial snapshot

	for i := range burst {
		p := fixturePod("shop", fmt.Sprintf("web-n%04d", i), "node-a", true)
		p.ResourceVersion = fmt.Sprint(200000 + i)
		podWatch.Add(p)
	}
	snapshots := 0 // with some of the burst in them
	awaitSnapshot(t, l, "the whole burst", func(s *model.Snapshot) bool {
		if len(s.Pods) > 2 {
			snapshots++
		}
		return len(s.Pods) == 2+burst
	})
	if snapshots != 1 {
		t.Errorf("%d pods added at once gave %d snapshots, want 1", burst, snapshots)
	}
}

func TestLiveNodesForbiddenDegrades(t *testing.T) {
	client := fake.NewClientset(seedObjects()...)
	client.PrependReactor("list", "nodes", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "nodes"}, "", errors.New("namespace-scoped user"))
	})
	l := newTestLive(client, "shop")
	progress := make(chan LoadProgress, 1)
	go func() {
		var last LoadProgress
		for p := range l.Progress() {
			last = p
		}
		progress <- last
	}()
	startLive(t, l)
	if last := <-progress; last.Resources[resNodes].Skipped == "" {
		t.Errorf("progress for nodes = %+v, want it marked skipped", last.Resources[resNodes])
	}
	s := l.Snapshot()
	if s.NodesKnown {
		t.Error("NodesKnown = true without permission on nodes")
	}
	if got, want := nodeNames(s), []string{"node-a@z1", "node-b@z2"}; !slices.Equal(got, want) {
		t.Errorf("derived nodes = %v, want %v (from the endpoints, zones included)", got, want)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "node set and zones are unknown and derived from endpoints") {
		t.Errorf("warnings = %q", s.Warnings)
	}
	// A pod on a new node shows up as a derived node too.
	if _, err := client.CoreV1().Pods("shop").Create(t.Context(), fixturePod("shop", "web-eeeee", "node-e", true), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	awaitSnapshot(t, l, "derived node-e", func(s *model.Snapshot) bool { return slices.Contains(nodeNames(s), "node-e@") })
}

func TestLiveForbiddenResourceFails(t *testing.T) {
	tests := []struct {
		name      string
		resource  string
		namespace string
		want      string
	}{
		{"pods in a namespace", "pods", "prod", `cannot list pods in namespace "prod": forbidden (ask for get/list/watch on pods)`},
		{"pods everywhere", "pods", "", `cannot list pods in all namespaces: forbidden (ask for get/list/watch on pods cluster-wide, or pass -n NAMESPACE)`},
		{"services", "services", "prod", `cannot list services in namespace "prod": forbidden (ask for get/list/watch on services)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := fake.NewClientset()
			client.PrependReactor("list", tt.resource, func(k8stesting.Action) (bool, runtime.Object, error) {
				return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: tt.resource}, "", errors.New("RBAC"))
			})
			l := newTestLive(client, tt.namespace)
			err := l.Start(t.Context())
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Start() = %v, want %s", err, tt.want)
			}
			if _, open := <-l.Updates(); open {
				t.Error("Updates not closed after a failed Start")
			}
		})
	}
}

// A forbidden watch is only seen once the informers run (the probe lists):
// it must end the load with the same kind of line, not a wait until the
// sync timeout.
func TestLiveForbiddenWatchFailsLoad(t *testing.T) {
	client := fake.NewClientset(seedObjects()...)
	client.PrependWatchReactor("endpointslices", func(k8stesting.Action) (bool, watch.Interface, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "discovery.k8s.io", Resource: "endpointslices"}, "", errors.New("RBAC"))
	})
	l := newTestLive(client, "shop")
	err := l.Start(t.Context())
	want := `cannot watch endpointslices in namespace "shop": forbidden (ask for get/list/watch on endpointslices)`
	if err == nil || err.Error() != want {
		t.Fatalf("Start() = %v, want %s", err, want)
	}
}

// A load that keeps failing on errors a retry might fix ends, after the
// sync timeout, with what is missing and why.
func TestLiveLoadTimesOut(t *testing.T) {
	client := fake.NewClientset(seedObjects()...)
	var lists atomic.Int32
	client.PrependReactor("list", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		if lists.Add(1) == 1 {
			return false, nil, nil // the probe gets through
		}
		return true, nil, apierrors.NewInternalError(errors.New("etcdserver: leader changed"))
	})
	l := newTestLive(client, "shop")
	l.syncTimeout = 300 * time.Millisecond
	err := l.Start(t.Context())
	want := `the cluster did not finish loading within 300ms (raise --request-timeout to wait longer): pods (0 loaded): cannot list pods in namespace "shop": Internal error occurred: etcdserver: leader changed`
	if err == nil || err.Error() != want {
		t.Fatalf("Start() = %v\nwant %s", err, want)
	}
}

func TestLiveWatchDropMarksStale(t *testing.T) {
	client := fake.NewClientset(seedObjects()...)
	var down atomic.Bool
	watchers := make(chan *watch.FakeWatcher, 8)
	client.PrependWatchReactor("pods", func(k8stesting.Action) (bool, watch.Interface, error) {
		if down.Load() {
			return true, nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
		}
		w := watch.NewFake()
		watchers <- w
		return true, w, nil
	})
	l := newTestLive(client, "shop")
	startLive(t, l)

	down.Store(true)
	(<-watchers).Stop() // the connection drops
	s := awaitSnapshot(t, l, "StaleSince", func(s *model.Snapshot) bool { return !s.StaleSince.IsZero() })
	if !slices.ContainsFunc(s.Warnings, func(w string) bool {
		return strings.HasPrefix(w, "pods may be out of date since") && strings.Contains(w, "connection refused")
	}) {
		t.Errorf("warnings = %q, want one about the pods watch", s.Warnings)
	}
	down.Store(false)
	s = awaitSnapshot(t, l, "the watch resumed", func(s *model.Snapshot) bool { return s.StaleSince.IsZero() })
	if len(s.Warnings) != 0 {
		t.Errorf("warnings after resuming = %q", s.Warnings)
	}
}

func TestLiveProgress(t *testing.T) {
	l := newTestLive(fake.NewClientset(seedObjects()...), "")
	got := make(chan []LoadProgress, 1)
	go func() {
		var all []LoadProgress
		for p := range l.Progress() {
			all = append(all, p)
		}
		got <- all
	}()
	startLive(t, l)
	var all []LoadProgress
	select {
	case all = <-got:
	case <-time.After(guard):
		t.Fatal("Progress not closed after Start")
	}
	last := all[len(all)-1]
	if !last.Synced || !last.Connected {
		t.Fatalf("last progress = %+v, want connected and synced", last)
	}
	want := map[string]int{"services": 2, "endpointslices": 2, "pods": 3, "nodes": 2}
	for _, r := range last.Resources {
		if r.Skipped != "" && (r.Resource == "gateways" || r.Resource == "gatewayclasses" || r.Resource == "httproutes" || r.Resource == "grpcroutes") {
			continue // the fake clientset has no dynamic client: the Gateway API is left out
		}
		if r.Loaded != want[r.Resource] || !r.Synced {
			t.Errorf("%s: loaded %d synced %v, want %d synced", r.Resource, r.Loaded, r.Synced, want[r.Resource])
		}
	}
}

func TestLoadOnceStops(t *testing.T) {
	l := newTestLive(fake.NewClientset(seedObjects()...), "shop")
	s, err := l.loadOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(podKeys(s)); got != "[shop/web-aaaaa shop/web-bbbbb]" {
		t.Errorf("pods = %s", got)
	}
	select {
	case <-l.done:
	default:
		t.Error("loadOnce returned before the informers stopped")
	}
}

// TestLiveWarnsAboutRejectedValues: a Service value no API server would
// accept, served anyway, is left out and named in the snapshot's
// warnings, and the warning goes once the Service is fixed.
func TestLiveWarnsAboutRejectedValues(t *testing.T) {
	bad := fixtureService("shop", "web")
	bad.Spec.ExternalTrafficPolicy = "Sideways"
	client := fake.NewClientset(append(seedObjects()[:2], bad)...)
	l := newTestLive(client, "shop")
	startLive(t, l)
	s := l.Snapshot()
	if web := s.Service("shop/web"); web == nil || web.ExternalTrafficPolicy != "" {
		t.Fatalf("web = %+v", web)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], `Service shop/web: ignored what the API server would reject: spec.externalTrafficPolicy "Sideways"`) {
		t.Fatalf("warnings = %q", s.Warnings)
	}
	if _, err := client.CoreV1().Services("shop").Update(t.Context(), fixtureService("shop", "web"), metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	awaitSnapshot(t, l, "no warnings", func(s *model.Snapshot) bool { return len(s.Warnings) == 0 })
}

// Entry layers are read when allowed and served; a missing permission
// costs one warning line, a missing Gateway API nothing, and the load
// goes on either way.
func TestLiveEntryLayers(t *testing.T) {
	gvr := func(r string) schema.GroupVersionResource {
		return schema.GroupVersionResource{Group: gatewayGroup, Version: "v1", Resource: r}
	}
	route := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
		"metadata": map[string]any{"namespace": "shop", "name": "web"},
		"spec": map[string]any{"rules": []any{map[string]any{"backendRefs": []any{
			map[string]any{"name": "web", "port": int64(80), "weight": int64(90)},
			map[string]any{"name": "web-canary", "port": int64(80), "weight": int64(10)}}}}},
	}}
	newDyn := func() *dynamicfake.FakeDynamicClient {
		return dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
			gvr("gateways"): "GatewayList", gvr("gatewayclasses"): "GatewayClassList", gvr("httproutes"): "HTTPRouteList", gvr("grpcroutes"): "GRPCRouteList",
		}, route)
	}
	t.Run("read", func(t *testing.T) {
		client := fake.NewClientset(append(seedObjects(), fixtureIngress("shop", "web", "web"))...)
		l := newTestLive(client, "shop")
		dyn := newDyn()
		l.dyn = dyn
		startLive(t, l)
		s := l.Snapshot()
		if len(s.Ingresses) != 1 || len(s.Routes) != 1 || s.Routes[0].Rules[0].Backends[0].Weight != 90 || len(s.Warnings) != 0 {
			t.Fatalf("ingresses %+v routes %+v warnings %q", s.Ingresses, s.Routes, s.Warnings)
		}
		grpc := route.DeepCopy()
		grpc.SetKind("GRPCRoute")
		if _, err := dyn.Resource(gvr("grpcroutes")).Namespace("shop").Create(t.Context(), grpc, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		s = awaitSnapshot(t, l, "a GRPCRoute", func(s *model.Snapshot) bool { return len(s.Routes) == 2 })
		if s.Routes[0].Kind != model.KindGRPCRoute || s.Routes[1].Kind != model.KindHTTPRoute {
			t.Errorf("routes not in Normalize's order: %s, %s", s.Routes[0].Kind, s.Routes[1].Kind)
		}
	})
	t.Run("forbidden", func(t *testing.T) {
		client := fake.NewClientset(seedObjects()...)
		client.PrependReactor("list", "ingresses", func(k8stesting.Action) (bool, runtime.Object, error) {
			return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "networking.k8s.io", Resource: "ingresses"}, "", errors.New("RBAC"))
		})
		l := newTestLive(client, "shop")
		dyn := newDyn()
		dyn.PrependReactor("list", "httproutes", func(k8stesting.Action) (bool, runtime.Object, error) {
			return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: gatewayGroup, Resource: "httproutes"}, "", errors.New("RBAC"))
		})
		dyn.PrependReactor("list", "grpcroutes", func(k8stesting.Action) (bool, runtime.Object, error) {
			return true, nil, apierrors.NewNotFound(schema.GroupResource{Group: gatewayGroup, Resource: "grpcroutes"}, "")
		})
		l.dyn = dyn
		startLive(t, l)
		s := l.Snapshot()
		if len(s.Warnings) != 1 || !strings.HasPrefix(s.Warnings[0], "cannot list ingresses, httproutes: ") {
			t.Errorf("warnings = %q, want one line naming ingresses and httproutes", s.Warnings)
		}
		if len(s.Services) != 1 || len(s.Routes) != 0 {
			t.Errorf("services %v routes %v", svcKeys(s), s.Routes)
		}
	})
}
