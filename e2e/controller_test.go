package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/fixture"
	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
)

// followLimit is how soon ktraffic's live snapshot must show what the
// EndpointSlice controller published after a pod changed (the issue's
// 2 s; ktraffic's own debounce is 100 ms of it).
const followLimit = 2 * time.Second

// TestLiveFollowsEndpointSliceController runs the real EndpointSlice
// controller: pods change readiness and terminate through the API, the
// controller rewrites the slices, and ktraffic's live source (the one the
// TUI watches) must show the controller's slices within followLimit of
// each pod change.
func TestLiveFollowsEndpointSliceController(t *testing.T) {
	c := startCluster(t, cluster.DefaultControllers...)
	ctx := t.Context()
	admin := client(t, c, cluster.AdminUser)
	const ns = "shop"
	mustDo(t, fixture.Namespace(ctx, admin, ns))
	for i, zone := range []string{"z1", "z2", "z3"} {
		mustDo(t, fixture.Node(ctx, admin, "node-"+zone, zone, fmt.Sprintf("198.18.200.%d", i+1)))
	}
	web := map[string]string{"app": "web"}
	pods := []struct{ name, node, ip string }{
		{"web-1", "node-z1", "10.244.1.11"},
		{"web-2", "node-z2", "10.244.2.12"},
		{"web-3", "node-z3", "10.244.3.13"},
	}
	for _, p := range pods {
		mustDo(t, fixture.Pod(ctx, admin, ns, p.name, p.node, p.ip, web, false))
	}
	if _, err := admin.CoreV1().Services(ns).Create(ctx, fixture.Service(ns, "web", corev1.ServiceTypeClusterIP, "", web), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	eventually(t, 30*time.Second, "the controller's first slice", func() error {
		if got := controllerEndpoints(t, admin, ns, "web"); len(got) != len(pods) {
			return fmt.Errorf("endpoints %v", got)
		}
		return nil
	})
	live := startLive(t, c, cluster.KtrafficUser, ns)
	// Each step changes one pod; the controller then publishes its
	// endpoint as want says ("" when it leaves the slice).
	steps := []struct {
		name, ip, want string
		change         func() error
	}{
		{"web-1 ready", "10.244.1.11", "ready=true serving=true terminating=false", func() error { return fixture.SetReady(ctx, admin, ns, "web-1", true) }},
		{"web-2 ready", "10.244.2.12", "ready=true serving=true terminating=false", func() error { return fixture.SetReady(ctx, admin, ns, "web-2", true) }},
		{"web-3 ready", "10.244.3.13", "ready=true serving=true terminating=false", func() error { return fixture.SetReady(ctx, admin, ns, "web-3", true) }},
		{"web-1 not ready", "10.244.1.11", "ready=false serving=false terminating=false", func() error { return fixture.SetReady(ctx, admin, ns, "web-1", false) }},
		{"web-2 terminating", "10.244.2.12", "ready=false serving=true terminating=true", func() error {
			return admin.CoreV1().Pods(ns).Delete(ctx, "web-2", metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](300)})
		}},
		{"web-2 terminating, not serving", "10.244.2.12", "ready=false serving=false terminating=true", func() error { return fixture.SetReady(ctx, admin, ns, "web-2", false) }},
		{"web-3 deleted", "10.244.3.13", "", func() error {
			return admin.CoreV1().Pods(ns).Delete(ctx, "web-3", metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)})
		}},
	}
	for _, step := range steps {
		start := time.Now()
		mustDo(t, step.change())
		var published, followed time.Duration
		var want, got []string
		for deadline := start.Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			want = controllerEndpoints(t, admin, ns, "web")
			if published == 0 && endpointState(want, step.ip) == step.want {
				published = time.Since(start)
			}
			got = snapshotEndpoints(live.Snapshot(), ns, "web")
			if published > 0 && slices.Equal(got, want) {
				followed = time.Since(start)
				break
			}
		}
		switch {
		case published == 0:
			t.Fatalf("%s: the controller never published %s as %q: %v", step.name, step.ip, step.want, want)
		case followed == 0:
			t.Fatalf("%s: ktraffic's snapshot shows %v, the controller published %v", step.name, got, want)
		case followed > followLimit:
			t.Errorf("%s: ktraffic showed the controller's slices %v after the change (the controller took %v); want within %v", step.name, followed.Round(time.Millisecond), published.Round(time.Millisecond), followLimit)
		}
		t.Logf("%s: controller %v, ktraffic %v", step.name, published.Round(time.Millisecond), followed.Round(time.Millisecond))
	}
	// The terminating pod is in the snapshot as terminating.
	for _, p := range live.Snapshot().Pods {
		if p.Name == "web-2" && !p.Terminating {
			t.Errorf("web-2 is terminating, the snapshot says %+v", p)
		}
	}
}

// startLive starts ktraffic's live source as user in namespace ns, as the
// TUI does, and stops it when the test ends.
func startLive(t *testing.T, c *cluster.Cluster, user, ns string) *k8s.Live {
	t.Helper()
	t.Setenv("KUBECONFIG", c.Kubeconfig(user))
	flags := k8s.NewConfigFlags()
	*flags.KubeConfig = c.Kubeconfig(user)
	*flags.Namespace = ns
	live, err := k8s.NewLive(flags, k8s.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := live.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		for range live.Updates() { // closed once everything has stopped
		}
	})
	return live
}

// endpointState is the conditions part of ip's line in endpoints, ""
// when ip is not there.
func endpointState(endpoints []string, ip string) string {
	for _, e := range endpoints {
		if addr, rest, _ := strings.Cut(e, " "); addr == ip {
			state, _, _ := strings.Cut(rest, " node=")
			return state
		}
	}
	return ""
}

// controllerEndpoints is what the EndpointSlice controller published for
// a Service, one line per endpoint, sorted.
func controllerEndpoints(t *testing.T, cs kubernetes.Interface, ns, svc string) []string {
	t.Helper()
	list, err := cs.DiscoveryV1().EndpointSlices(ns).List(t.Context(), metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=" + svc})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sl := range list.Items {
		for _, e := range sl.Endpoints {
			var zones []string
			if e.Hints != nil {
				for _, z := range e.Hints.ForZones {
					zones = append(zones, z.Name)
				}
			}
			out = append(out, endpointLine(e.Addresses, e.Conditions.Ready, e.Conditions.Serving, e.Conditions.Terminating, ptr.Deref(e.NodeName, ""), ptr.Deref(e.Zone, ""), zones))
		}
	}
	slices.Sort(out)
	return out
}

// snapshotEndpoints is the same for ktraffic's snapshot.
func snapshotEndpoints(s *model.Snapshot, ns, svc string) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, sl := range s.Slices {
		if sl.Namespace != ns || sl.Service != svc {
			continue
		}
		for _, e := range sl.Endpoints {
			out = append(out, endpointLine(e.Addresses, e.Ready, e.Serving, e.Terminating, e.NodeName, e.Zone, e.HintZones))
		}
	}
	slices.Sort(out)
	return out
}

func endpointLine(addrs []string, ready, serving, terminating *bool, node, zone string, hints []string) string {
	cond := func(b *bool) string {
		if b == nil {
			return "unset"
		}
		return fmt.Sprint(*b)
	}
	return fmt.Sprintf("%s ready=%s serving=%s terminating=%s node=%s zone=%s hints=%s",
		strings.Join(addrs, ","), cond(ready), cond(serving), cond(terminating), node, zone, strings.Join(hints, ","))
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestPreferCloseWhatIfEqualsController asks ktraffic what
// trafficDistribution: PreferClose would do (it simulates the hints the
// EndpointSlice controller writes), applies it for real with ktraffic
// apply, waits for the real controller's hints, and checks that the live
// prediction for every source is exactly the what-if's.
func TestPreferCloseWhatIfEqualsController(t *testing.T) {
	c := startCluster(t, cluster.DefaultControllers...)
	ctx := t.Context()
	admin := client(t, c, cluster.AdminUser)
	const ns, svc = "zones", "zones/checkout"
	mustDo(t, fixture.Namespace(ctx, admin, ns))
	nodes := []struct{ name, zone string }{{"node-a1", "zone-a"}, {"node-a2", "zone-a"}, {"node-b1", "zone-b"}, {"node-c1", "zone-c"}}
	for i, n := range nodes {
		mustDo(t, fixture.Node(ctx, admin, n.name, n.zone, fmt.Sprintf("198.18.201.%d", i+1)))
	}
	app := map[string]string{"app": "checkout"}
	pods := []struct {
		name, node, ip string
		ready          bool
	}{
		{"checkout-1", "node-a1", "10.244.1.21", true},
		{"checkout-2", "node-a1", "10.244.1.22", true},
		{"checkout-3", "node-a2", "10.244.2.23", true},
		{"checkout-4", "node-a2", "10.244.2.24", false},
		{"checkout-5", "node-b1", "10.244.3.25", true},
		{"checkout-6", "node-c1", "10.244.4.26", true},
	}
	for _, p := range pods {
		mustDo(t, fixture.Pod(ctx, admin, ns, p.name, p.node, p.ip, app, p.ready))
	}
	s := fixture.Service(ns, "checkout", corev1.ServiceTypeNodePort, corev1.ServiceExternalTrafficPolicyCluster, app)
	if _, err := admin.CoreV1().Services(ns).Create(ctx, s, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the controller's slices", func() error {
		if got := controllerEndpoints(t, admin, ns, "checkout"); len(got) != len(pods) {
			return fmt.Errorf("endpoints %v", got)
		}
		return nil
	})

	froms := []string{"", "nodeport", "internal"}
	for _, n := range nodes {
		froms = append(froms, "nodeport:"+n.name, "internal:"+n.name)
	}
	for _, p := range pods {
		froms = append(froms, "pod:"+ns+"/"+p.name)
	}
	predict := func(from string, set ...string) result {
		args := []string{"predict", "-n", ns, "--service", svc, "-o", "json"}
		if from != "" {
			args = append(args, "--from", from)
		}
		for _, s := range set {
			args = append(args, "--set", s)
		}
		r := ktraffic(t, c, cluster.KtrafficUser, "", args...)
		if r.code != 0 {
			t.Fatalf("predict %v: %s", args, r)
		}
		return r
	}
	whatIf := map[string]result{}
	changed := 0
	for _, from := range froms {
		whatIf[from] = predict(from, "trafficDistribution=PreferClose")
		if jsonDiff(predict(from).stdout, whatIf[from].stdout) != "" {
			changed++
		}
	}
	// Without hints, zone-a's nodes would spread over every zone.
	if changed < 2*len(nodes) {
		t.Fatalf("the what-if changes only %d of %d predictions: the test would not notice hints being ignored", changed, len(froms))
	}

	if r := ktraffic(t, c, cluster.KtrafficUser, "", "apply", "-n", ns, "--service", svc, "--set", "trafficDistribution=PreferClose", "--yes"); r.code != 0 {
		t.Fatalf("apply: %s", r)
	}
	eventually(t, 30*time.Second, "the controller's hints", func() error {
		for _, e := range controllerEndpoints(t, admin, ns, "checkout") {
			// The controller hints ready endpoints only.
			if strings.Contains(e, " ready=true ") && strings.HasSuffix(e, "hints=") {
				return fmt.Errorf("no hint yet: %s", e)
			}
		}
		return nil
	})
	t.Logf("the controller's slices: %v", controllerEndpoints(t, admin, ns, "checkout"))
	for _, from := range froms {
		if diff := jsonDiff(whatIf[from].stdout, predict(from).stdout); diff != "" {
			t.Errorf("--from %q: the live prediction with the controller's hints differs from the what-if: %s", from, diff)
		}
	}
}
