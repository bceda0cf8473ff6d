package e2e

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/fixture"
	"github.com/ktraffic/ktraffic/k8s"
)

// TestFiftyThousandPods loads 50,000 Pods in one namespace from the real
// API server and checks that ktraffic's live source gets every one of
// them through the path client-go takes with a server this size: a
// streaming watch-list (sendInitialEvents) when the server offers it,
// pages of a list otherwise, and never one unbounded list.
func TestFiftyThousandPods(t *testing.T) {
	const pods = 50_000
	c := startCluster(t)
	admin := client(t, c, cluster.AdminUser)
	start := time.Now()
	sizes := fixture.Sizes{Namespaces: 1, Nodes: 50, Services: 100, Slices: 100, Pods: pods}
	mustDo(t, fixture.Bulk(t.Context(), admin, sizes, 32, nil))
	t.Logf("created %d pods, %d services, %d slices, %d nodes in %v", sizes.Pods, sizes.Services, sizes.Slices, sizes.Nodes, time.Since(start).Round(time.Second))
	ns := fixture.BulkNamespace(0)

	mark := auditMark(t, c)
	t.Setenv("KUBECONFIG", c.Kubeconfig(cluster.KtrafficUser))
	flags := k8s.NewConfigFlags()
	*flags.KubeConfig = c.Kubeconfig(cluster.KtrafficUser)
	*flags.Namespace = ns
	start = time.Now()
	snap, err := k8s.LoadLive(t.Context(), flags, k8s.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ktraffic's live source loaded %d pods in %v", len(snap.Pods), time.Since(start).Round(time.Millisecond))
	if len(snap.Pods) != pods || len(snap.Services) != sizes.Services || len(snap.Slices) != sizes.Slices {
		t.Errorf("snapshot has %d pods, %d services, %d slices; want %d, %d, %d", len(snap.Pods), len(snap.Services), len(snap.Slices), pods, sizes.Services, sizes.Slices)
	}

	// How the pods came: the first contact lists one (limit=1, the
	// permission probe); then either a watch that sends the initial
	// events, or a list in pages.
	var watchList, pages, unbounded int
	for _, e := range auditSince(t, c, mark, cluster.KtrafficUser) {
		if e.ObjectRef == nil || e.ObjectRef.Resource != "pods" {
			continue
		}
		u, err := url.Parse(e.RequestURI)
		mustDo(t, err)
		q := u.Query()
		switch {
		case e.Verb == "watch" && q.Get("sendInitialEvents") == "true":
			watchList++
		case e.Verb == "list" && q.Get("limit") == "1":
		case e.Verb == "list" && q.Get("limit") != "":
			pages++
		case e.Verb == "list":
			unbounded++
			t.Errorf("an unbounded list of pods: %s", cluster.Describe(e))
		}
	}
	t.Logf("pods arrived by watch-list: %d request(s), by list pages: %d, unbounded lists: %d", watchList, pages, unbounded)
	if watchList == 0 && pages < pods/500 {
		t.Errorf("the pods came neither by watch-list nor in pages (%d pages)", pages)
	}

	// The binary too, within its default timeouts.
	r := ktraffic(t, c, cluster.KtrafficUser, "", "predict", "-n", ns, "--service", "svc-00000", "-o", "json")
	if r.code != 0 {
		t.Fatalf("predict: %s", r)
	}
	var p struct {
		Endpoints []json.RawMessage `json:"endpoints"`
	}
	mustDo(t, json.Unmarshal([]byte(r.stdout), &p))
	if want := pods / sizes.Services; len(p.Endpoints) != want {
		t.Errorf("svc-00000 has %d endpoints, want %d", len(p.Endpoints), want)
	}
}
