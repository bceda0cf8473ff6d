package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/fixture"
)

// csaManager is the field manager kubectl apply (client-side) records.
const csaManager = "kubectl-client-side-apply"

// TestApplyOverServerSideApply runs ktraffic apply against the real
// server-side apply machinery: a field another manager holds is a
// conflict, --force-conflicts takes it over, and the dry run persists
// nothing. The audit log proves which requests went out: after "no", only
// access reviews and the dry run; with --read-only, a demo or a dump,
// nothing at all.
func TestApplyOverServerSideApply(t *testing.T) {
	c := startCluster(t, cluster.DefaultControllers...)
	ctx := t.Context()
	admin := client(t, c, cluster.AdminUser)
	const ns = "shop"
	shopFixture(t, c, ns)
	// api is created with externalTrafficPolicy: Cluster, then set to
	// Local by a kubectl-apply-style update: that manager owns the field.
	api := fixture.Service(ns, "api", corev1.ServiceTypeLoadBalancer, corev1.ServiceExternalTrafficPolicyCluster, map[string]string{"app": "web"})
	created, err := admin.CoreV1().Services(ns).Create(ctx, api, metav1.CreateOptions{})
	mustDo(t, err)
	created.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyLocal
	_, err = admin.CoreV1().Services(ns).Update(ctx, created, metav1.UpdateOptions{FieldManager: csaManager})
	mustDo(t, err)
	waitEndpoints(t, c, ns, "api", 3)

	toCluster := []string{"apply", "-n", ns, "--service", "api", "--set", "externalTrafficPolicy=Cluster"}
	// unchanged runs ktraffic and checks that the Service is as before
	// and that ktraffic's only writes were access reviews and dry runs.
	unchanged := func(t *testing.T, stdin string, args ...string) result {
		t.Helper()
		before, err := admin.CoreV1().Services(ns).Get(ctx, "api", metav1.GetOptions{})
		mustDo(t, err)
		mark := auditMark(t, c)
		r := ktraffic(t, c, cluster.KtrafficUser, stdin, args...)
		dryRuns := 0
		for _, e := range auditSince(t, c, mark, cluster.KtrafficUser) {
			switch {
			case cluster.IsAccessReview(e):
			case cluster.IsWrite(e) && cluster.IsDryRun(e):
				dryRuns++
			case cluster.IsWrite(e):
				t.Errorf("a write reached the server: %s", cluster.Describe(e))
			}
		}
		if dryRuns != 1 {
			t.Errorf("%d dry runs reached the server, want the one before the question", dryRuns)
		}
		after, err := admin.CoreV1().Services(ns).Get(ctx, "api", metav1.GetOptions{})
		mustDo(t, err)
		if after.ResourceVersion != before.ResourceVersion || after.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyLocal {
			t.Errorf("the Service changed: resourceVersion %s → %s, externalTrafficPolicy %s", before.ResourceVersion, after.ResourceVersion, after.Spec.ExternalTrafficPolicy)
		}
		return r
	}

	t.Run("a field another manager holds is a conflict", func(t *testing.T) {
		r := unchanged(t, "", append(toCluster, "--yes")...)
		want := `conflict: spec.externalTrafficPolicy is managed by "` + csaManager + `"`
		if r.code != 1 || !strings.Contains(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("want exit 1 and one line with %q, got %s", want, r)
		}
	})

	t.Run("answering no changes nothing; the dry run persisted nothing", func(t *testing.T) {
		for _, answer := range []string{"n\n", "", "maybe\n"} {
			r := unchanged(t, answer, append(toCluster, "--force-conflicts")...)
			if r.code != 1 || !strings.Contains(r.stderr, "not applied") || !strings.Contains(r.stdout, "Dry run: the API server accepts the change.") {
				t.Errorf("answer %q: want the accepted dry run, the question and a refusal, got %s", answer, r)
			}
			// The dry run's outcome is the server's: under Cluster the
			// healthCheckNodePort would be released.
			if !strings.Contains(r.stdout, "would: healthCheckNodePort") {
				t.Errorf("answer %q: the dry run's outcome is missing: %s", answer, r)
			}
		}
	})

	t.Run("--force-conflicts takes the field over", func(t *testing.T) {
		r := ktraffic(t, c, cluster.KtrafficUser, "", append(toCluster, "--force-conflicts", "--yes")...)
		if r.code != 0 || !strings.Contains(r.stdout, "taken over from "+csaManager) {
			t.Fatalf("want the apply to take the field over, got %s", r)
		}
		after, err := admin.CoreV1().Services(ns).Get(ctx, "api", metav1.GetOptions{})
		mustDo(t, err)
		if after.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyCluster || after.Spec.HealthCheckNodePort != 0 {
			t.Errorf("externalTrafficPolicy %s, healthCheckNodePort %d; want Cluster and none", after.Spec.ExternalTrafficPolicy, after.Spec.HealthCheckNodePort)
		}
		owners := fieldOwners(after, "f:externalTrafficPolicy")
		if len(owners) != 1 || owners[0] != "ktraffic/Apply" {
			t.Errorf("externalTrafficPolicy is owned by %v, want ktraffic/Apply only", owners)
		}
	})

	t.Run("read-only, demo and dump send nothing", func(t *testing.T) {
		dump := filepath.Join(t.TempDir(), "kiada.yaml")
		data, err := os.ReadFile(filepath.Join(repoRoot(t), "k8s", "scenarios", "kiada.yaml"))
		mustDo(t, err)
		mustDo(t, os.WriteFile(dump, data, 0o644))
		for _, args := range [][]string{
			append([]string{"--read-only"}, append(toCluster, "--yes")...),
			{"--demo", "kiada", "apply", "--service", "default/kiada", "--set", "externalTrafficPolicy=Cluster", "--yes"},
			{"-f", dump, "apply", "--service", "default/kiada", "--set", "externalTrafficPolicy=Cluster", "--yes"},
			{"--demo", "kiada", "predict", "--service", "default/kiada"},
			{"--demo", "kiada", "diff", "--service", "default/kiada", "--set", "externalTrafficPolicy=Cluster"},
			{"--demo", "kiada", "check"},
			{"--demo", "kiada"}, // the TUI, which prints the featured Service's table when stdout is not a terminal
			{"-f", dump, "predict", "--service", "default/kiada"},
			{"-f", dump, "diff", "--service", "default/kiada", "--set", "externalTrafficPolicy=Cluster"},
			{"-f", dump, "check"},
		} {
			mark := auditMark(t, c)
			r := ktraffic(t, c, cluster.KtrafficUser, "y\n", args...)
			apply := strings.Contains(strings.Join(args, " "), " apply ")
			if apply && (r.code == 0 || !strings.Contains(r.stderr, "read-only") && !strings.Contains(r.stderr, "nothing to apply to")) {
				t.Errorf("%v: want a refusal, got %s", args, r)
			}
			if ev := auditSince(t, c, mark, cluster.KtrafficUser); len(ev) > 0 {
				t.Errorf("%v: %d requests reached the API server, want none; the first: %s", args, len(ev), cluster.Describe(ev[0]))
			}
		}
	})
}

// fieldOwners lists "manager/operation" of every managedFields entry
// whose fields mention field under spec.
func fieldOwners(s *corev1.Service, field string) []string {
	var out []string
	for _, m := range s.ManagedFields {
		if m.FieldsV1 != nil && strings.Contains(m.FieldsV1.GetRawString(), `"`+field+`"`) {
			out = append(out, m.Manager+"/"+string(m.Operation))
		}
	}
	return out
}
