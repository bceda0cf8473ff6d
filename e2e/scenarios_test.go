package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/scenario"
)

// TestScenariosLiveEqualDemo puts every demo scenario into a real API
// server through client-go and checks that, for every Service and every
// traffic source it has, `ktraffic predict -o json` on the live cluster
// prints exactly what `predict --demo` prints: the live path (kubeconfig,
// informers, conversion, the snapshot builder) loses nothing the dump
// path keeps. No probe or other traffic goes anywhere: predict only reads
// the API, and the audit log proves it.
func TestScenariosLiveEqualDemo(t *testing.T) {
	c := startCluster(t) // no EndpointSlice controller: the scenario's own slices are served
	admin, err := scenario.NewClients(c.Config(cluster.AdminUser))
	if err != nil {
		t.Fatal(err)
	}
	dir := scenario.Dir(repoRoot(t))
	names, err := scenario.Names(dir)
	if err != nil {
		t.Fatal(err)
	}
	if listed := demoNames(t, c); !slices.Equal(names, listed) {
		t.Fatalf("scenario files %v, but ktraffic predict --demo lists %v", names, listed)
	}
	mark, err := c.Mark()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			sc, err := scenario.Read(dir, name)
			if err != nil {
				t.Fatal(err)
			}
			if err := sc.Create(t.Context(), admin); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := sc.Delete(t.Context(), admin); err != nil {
					t.Fatalf("cleaning up: %v", err)
				}
			}()
			var cases []predictCase
			for _, svc := range sc.Services {
				for _, from := range sources(sc) {
					cases = append(cases, predictCase{service: svc.Namespace + "/" + svc.Name, from: from})
				}
			}
			compared := comparePredictions(t, c, name, cases)
			t.Logf("%d predictions equal (%d Services × %d sources)", compared, len(sc.Services), len(cases)/max(1, len(sc.Services)))
		})
	}
	t.Run("featured Service by NAMESPACE/NAME alone", func(t *testing.T) {
		featuredServiceByName(t, c, admin, dir)
	})
	events, err := c.EventsSince(mark, cluster.KtrafficUser)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 {
		t.Fatal("the audit log has no request from ktraffic: the live predictions did not read the cluster")
	}
	for _, e := range events {
		if cluster.IsWrite(e) {
			t.Errorf("predict sent a write: %s", cluster.Describe(e))
		}
	}
	// Unless Cilium replaces it, the live source asks each node's
	// kube-proxy for its mode through the node proxy: the egress guard
	// turned every such scenario address away.
	t.Logf("the egress guard refused %d scenario node addresses", len(c.EgressRefused()))
}

// predictCase is one prediction to compare.
type predictCase struct{ service, from string }

// sources lists every --from a Service can be asked about in the
// scenario: the default, each kind, each kind on each node, and each pod
// as a client. Sources a Service does not have (lb on a ClusterIP
// Service) are compared too: live and demo must refuse them alike.
func sources(sc *scenario.Scenario) []string {
	out := []string{"", "lb", "nodeport", "internal"}
	for _, n := range sc.Nodes {
		out = append(out, "nodeport:"+n.Name, "internal:"+n.Name)
	}
	for _, p := range sc.Pods {
		out = append(out, "pod:"+p.Namespace+"/"+p.Name)
	}
	return out
}

// comparePredictions runs demo and live predictions of every case, two
// at a time (the machine has two cores and a control plane on them), and
// returns how many were compared.
func comparePredictions(t *testing.T, c *cluster.Cluster, demo string, cases []predictCase) int {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	var mu sync.Mutex
	failures := 0
	for _, pc := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			args := []string{"predict", "--service", pc.service, "-o", "json"}
			if pc.from != "" {
				args = append(args, "--from", pc.from)
			}
			want := ktraffic(t, c, cluster.KtrafficUser, "", append([]string{"--demo", demo}, args...)...)
			got := ktraffic(t, c, cluster.KtrafficUser, "", append([]string{"-A"}, args...)...)
			if diff := predictionDiff(demo, want, got); diff != "" {
				mu.Lock()
				defer mu.Unlock()
				failures++
				if failures <= 5 {
					t.Errorf("predict --service %s --from %q: live differs from --demo %s: %s", pc.service, pc.from, demo, diff)
				}
			}
		}()
	}
	wg.Wait()
	if failures > 5 {
		t.Errorf("... and %d more differences", failures-5)
	}
	return len(cases) - failures
}

// predictionDiff compares two runs as wholes: exit code, stderr, and
// stdout as JSON values (whatever fields the prediction has now or
// later). Two differences are legitimate, and only these are normalised:
//   - the name of the data source, which errors and warnings may quote:
//     "demo:NAME" for the demo, "context:ktraffic-e2e" for the cluster;
//   - why kube-proxy's mode is unknown (datapath.assumed), where neither
//     source knows it: a demo's input lacks kube-proxy's ConfigMap, while
//     the live source also asked each node's kube-proxy for /proxyMode
//     through the API server, and no kube-proxy runs here (the egress
//     guard refuses the scenario's node addresses). Both must still
//     assume, and assume the same mode: only the reason is replaced.
func predictionDiff(demo string, want, got result) string {
	norm := func(s string) string {
		s = strings.ReplaceAll(s, "demo:"+demo, "SOURCE")
		return strings.ReplaceAll(s, "context:"+cluster.ContextName, "SOURCE")
	}
	if want.code != got.code || norm(want.stderr) != norm(got.stderr) {
		return fmt.Sprintf("\ndemo: %s\nlive: %s", want, got)
	}
	if want.code != 0 {
		return ""
	}
	return jsonDiff(want.stdout, got.stdout, normaliseAssumed)
}

// normaliseAssumed replaces the reason in every datapath.assumed.
func normaliseAssumed(v any) {
	switch v := v.(type) {
	case map[string]any:
		if dp, ok := v["datapath"].(map[string]any); ok {
			if _, ok := dp["assumed"].(string); ok {
				dp["assumed"] = "(why kube-proxy's mode is unknown)"
			}
		}
		for _, x := range v {
			normaliseAssumed(x)
		}
	case []any:
		for _, x := range v {
			normaliseAssumed(x)
		}
	}
}

// jsonDiff compares two JSON documents as values, after norms change
// both alike; "" when equal, else the paths that differ.
func jsonDiff(want, got string, norms ...func(any)) string {
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		return "expected output is not JSON: " + err.Error()
	}
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		return "output is not JSON: " + err.Error()
	}
	for _, n := range norms {
		n(w)
		n(g)
	}
	var diffs []string
	valueDiff("", w, g, &diffs)
	if len(diffs) == 0 {
		return ""
	}
	if len(diffs) > 8 {
		diffs = append(diffs[:8], fmt.Sprintf("... and %d more", len(diffs)-8))
	}
	return "\n  " + strings.Join(diffs, "\n  ")
}

// valueDiff appends "path: want X, got Y" for every leaf that differs.
func valueDiff(path string, w, g any, out *[]string) {
	wm, wok := w.(map[string]any)
	gm, gok := g.(map[string]any)
	if wok && gok {
		keys := map[string]bool{}
		for k := range wm {
			keys[k] = true
		}
		for k := range gm {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			valueDiff(path+"."+k, wm[k], gm[k], out)
		}
		return
	}
	wl, wok := w.([]any)
	gl, gok := g.([]any)
	if wok && gok && len(wl) == len(gl) {
		for i := range wl {
			valueDiff(fmt.Sprintf("%s[%d]", path, i), wl[i], gl[i], out)
		}
		return
	}
	if !reflect.DeepEqual(w, g) {
		wj, _ := json.Marshal(w)
		gj, _ := json.Marshal(g)
		*out = append(*out, fmt.Sprintf("%s: want %s, got %s", strings.TrimPrefix(path, "."), wj, gj))
	}
}

// demoNames is the SCENARIO column of `ktraffic predict --demo`, sorted.
func demoNames(t *testing.T, c *cluster.Cluster) []string {
	r := ktraffic(t, c, cluster.KtrafficUser, "", "predict", "--demo")
	if r.code != 0 {
		t.Fatalf("predict --demo: %s", r)
	}
	var names []string
	for i, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if f := strings.Fields(line); i > 0 && len(f) > 0 {
			names = append(names, f[0])
		}
	}
	slices.Sort(names)
	return names
}

// featuredServiceByName runs the README's live example: `ktraffic predict
// --service NS/NAME`, no -n and no -A, with a kubeconfig whose namespace
// is default. The Service's namespace is named in --service, so the live
// prediction must equal the demo's.
func featuredServiceByName(t *testing.T, c *cluster.Cluster, admin *scenario.Clients, dir string) {
	// --service NS/NAME reads NS on a live cluster whatever the context's
	// namespace is, as kubectl reads NS/NAME (this once said "not found"
	// for every Service outside the context's namespace).
	r := ktraffic(t, c, cluster.KtrafficUser, "", "predict", "--demo")
	for i, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		f := strings.Fields(line)
		if i == 0 || len(f) < 2 {
			continue
		}
		name, svc := f[0], f[1]
		sc, err := scenario.Read(dir, name)
		mustDo(t, err)
		mustDo(t, sc.Create(t.Context(), admin))
		want := ktraffic(t, c, cluster.KtrafficUser, "", "--demo", name, "predict", "--service", svc, "-o", "json")
		got := ktraffic(t, c, cluster.KtrafficUser, "", "predict", "--service", svc, "-o", "json")
		mustDo(t, sc.Delete(t.Context(), admin))
		if diff := predictionDiff(name, want, got); diff != "" {
			t.Errorf("predict --service %s: live differs from --demo %s: %s", svc, name, diff)
		}
	}
}
