package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/fixture"
	"github.com/ktraffic/ktraffic/e2e/scenario"
)

// TestRBACOverRealAuthorizer runs ktraffic as users the real RBAC
// authorizer limits: what they may not read degrades the snapshot or
// stops ktraffic with one line, impersonation (--as) is honoured, and an
// apply without patch permission stops at the access review, before any
// dry run reaches the server.
func TestRBACOverRealAuthorizer(t *testing.T) {
	c := startCluster(t, cluster.DefaultControllers...)
	ctx := t.Context()
	admin := client(t, c, cluster.AdminUser)
	const ns = "shop"
	shopFixture(t, c, ns)
	// With the Gateway API served, reading it is a permission like any
	// other (without it, ktraffic has nothing to say about it).
	gw, err := scenario.NewClients(c.Config(cluster.AdminUser))
	mustDo(t, err)
	mustDo(t, scenario.InstallGatewayAPI(ctx, gw.Extensions))

	readVerbs := []string{"get", "list", "watch"}
	viewable := []rbacv1.PolicyRule{
		{APIGroups: []string{""}, Resources: []string{"services", "pods"}, Verbs: readVerbs},
		{APIGroups: []string{"discovery.k8s.io"}, Resources: []string{"endpointslices"}, Verbs: readVerbs},
	}
	// viewer: Services, Pods and EndpointSlices in shop; no Nodes.
	if _, err := admin.RbacV1().Roles(ns).Create(ctx, &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "viewer"}, Rules: viewable}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	bindRole(t, c, ns, "viewer", "Role", cluster.ViewerUser)
	// reader: everything ktraffic reads, cluster-wide, and no patch: the
	// entry layers too (without them, one warning line says they are not
	// shown). kube-system's datapath objects and the node proxy are only
	// tried: without them the datapath is assumed, silently.
	readAll := append(viewable, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"nodes"}, Verbs: readVerbs},
		rbacv1.PolicyRule{APIGroups: []string{"networking.k8s.io"}, Resources: []string{"ingresses", "ingressclasses"}, Verbs: readVerbs},
		rbacv1.PolicyRule{APIGroups: []string{"gateway.networking.k8s.io"}, Resources: []string{"gateways", "gatewayclasses", "httproutes", "grpcroutes"}, Verbs: readVerbs})
	if _, err := admin.RbacV1().ClusterRoles().Create(ctx, &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "reader"}, Rules: readAll}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.RbacV1().ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "reader"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "reader"},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: cluster.ReaderUser}},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	predict := []string{"predict", "-n", ns, "--service", "web", "-o", "json"}
	full := ktraffic(t, c, cluster.ReaderUser, "", predict...)
	if full.code != 0 || full.stderr != "" {
		t.Fatalf("reader may read everything: %s", full)
	}
	// kube-system's ConfigMaps and DaemonSets and the node proxy are only
	// tried: the prediction says why the datapath is assumed, and stderr
	// stays quiet.
	var reader struct {
		Datapath struct {
			Known   bool   `json:"known"`
			Assumed string `json:"assumed"`
		} `json:"datapath"`
	}
	mustDo(t, json.Unmarshal([]byte(full.stdout), &reader))
	if dp := reader.Datapath; dp.Known || !strings.Contains(dp.Assumed, "cannot get configmaps or daemonsets in kube-system (forbidden)") {
		t.Errorf("reader without kube-system's objects: datapath %+v, want it assumed because they are forbidden", dp)
	}

	t.Run("no nodes: zones come from the endpoints, with a warning", func(t *testing.T) {
		for _, tc := range []struct {
			name, user string
			as         []string
		}{
			{"as viewer", cluster.ViewerUser, nil},
			{"admin --as viewer", cluster.AdminUser, []string{"--as", cluster.ViewerUser}},
		} {
			mark := auditMark(t, c)
			r := ktraffic(t, c, tc.user, "", append(tc.as, predict...)...)
			if r.code != 0 {
				t.Fatalf("%s: %s", tc.name, r)
			}
			// One line for Nodes, one for every entry layer it may not
			// list; nothing else.
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if len(lines) != 2 || !strings.HasPrefix(lines[0], "ktraffic: warning: cannot list nodes: forbidden") ||
				!strings.HasPrefix(lines[1], "ktraffic: warning: cannot list ingresses, ingressclasses, gateways, gatewayclasses, httproutes, grpcroutes: ") {
				t.Errorf("%s: want two warning lines, one for nodes and one for the entry layers, got stderr %q", tc.name, r.stderr)
			}
			var got, want prediction
			mustDo(t, json.Unmarshal([]byte(r.stdout), &got))
			mustDo(t, json.Unmarshal([]byte(full.stdout), &want))
			if got.NodesKnown || !want.NodesKnown {
				t.Errorf("%s: nodesKnown %v (with nodes readable: %v)", tc.name, got.NodesKnown, want.NodesKnown)
			}
			// The endpoints carry the zones: the node list and its zones
			// are those of the nodes that host endpoints.
			if g, w := nodeZones(got), nodeZones(want); g != w {
				t.Errorf("%s: nodes and zones %s, with nodes readable %s", tc.name, g, w)
			}
			if tc.as != nil {
				impersonated := false
				for _, e := range auditSince(t, c, mark, tc.user) {
					if e.ImpersonatedUser == nil || e.ImpersonatedUser.Username != cluster.ViewerUser {
						t.Errorf("--as %s: a request went out as %s itself: %s", cluster.ViewerUser, tc.user, cluster.Describe(e))
					}
					impersonated = true
				}
				if !impersonated {
					t.Error("--as: the audit log has no request")
				}
			}
		}
	})

	t.Run("no access: one line naming what is forbidden", func(t *testing.T) {
		for _, tc := range []struct {
			name, user string
			args       []string
			want       string
		}{
			{"nobody", cluster.NobodyUser, predict, `ktraffic: cannot list services in namespace "shop": forbidden`},
			{"admin --as nobody", cluster.AdminUser, append([]string{"--as", cluster.NobodyUser}, predict...), `ktraffic: cannot list services in namespace "shop": forbidden`},
			{"viewer -A", cluster.ViewerUser, []string{"predict", "-A", "--service", "shop/web"}, "pass -n NAMESPACE"},
		} {
			r := ktraffic(t, c, tc.user, "", tc.args...)
			if r.code != 1 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "ktraffic: ") || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("%s: want exit 1 and one line with %q, got %s", tc.name, tc.want, r)
			}
		}
	})

	t.Run("a name the cluster does not hold is a usage error, a refusal is not", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			args []string
			code int
			want string
		}{
			{"unknown Service", []string{"predict", "-n", ns, "--service", "nope"}, 2, "service shop/nope not found in"},
			{"unknown node", []string{"predict", "-n", ns, "--service", "web", "--from", "nodeport:no-such-node"}, 2, `no node "no-such-node"`},
			{"namespace without Services", []string{"check", "-n", "no-such-namespace"}, 2, `no Service in namespace "no-such-namespace"`},
		} {
			r := ktraffic(t, c, cluster.ReaderUser, "", tc.args...)
			if r.code != tc.code || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("%s: want exit %d and one line with %q, got %s", tc.name, tc.code, tc.want, r)
			}
		}
	})

	t.Run("apply without patch stops at the access review", func(t *testing.T) {
		before, err := admin.CoreV1().Services(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		mark := auditMark(t, c)
		r := ktraffic(t, c, cluster.ReaderUser, "", "apply", "-n", ns, "--service", "web", "--set", "externalTrafficPolicy=Cluster", "--yes")
		if r.code != 1 || !strings.Contains(r.stderr, "you may not patch Service shop/web") {
			t.Errorf("want the access review's refusal, got %s", r)
		}
		reviews := 0
		for _, e := range auditSince(t, c, mark, cluster.ReaderUser) {
			switch {
			case cluster.IsAccessReview(e):
				reviews++
			case cluster.IsWrite(e):
				t.Errorf("a write reached the server after a refused access review: %s", cluster.Describe(e))
			}
		}
		if reviews == 0 {
			t.Error("no access review reached the server")
		}
		after, err := admin.CoreV1().Services(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if after.ResourceVersion != before.ResourceVersion {
			t.Errorf("the Service changed: resourceVersion %s → %s", before.ResourceVersion, after.ResourceVersion)
		}
	})
}

// shopFixture is two zones, two nodes, three ready pods (one on node-a,
// two on node-b) and the LoadBalancer Service web with
// externalTrafficPolicy Local: the seeds' 50/25/25 case. Nodes' addresses
// are from 198.18.0.0/15 and never contacted here.
func shopFixture(t *testing.T, c *cluster.Cluster, ns string) {
	t.Helper()
	ctx := t.Context()
	admin := client(t, c, cluster.AdminUser)
	mustDo(t, fixture.Namespace(ctx, admin, ns))
	mustDo(t, fixture.Node(ctx, admin, "node-a", "z1", "198.18.202.1"))
	mustDo(t, fixture.Node(ctx, admin, "node-b", "z2", "198.18.202.2"))
	web := map[string]string{"app": "web"}
	mustDo(t, fixture.Pod(ctx, admin, ns, "web-1", "node-a", "10.244.1.5", web, true))
	mustDo(t, fixture.Pod(ctx, admin, ns, "web-2", "node-b", "10.244.2.7", web, true))
	mustDo(t, fixture.Pod(ctx, admin, ns, "web-3", "node-b", "10.244.2.8", web, true))
	svc := fixture.Service(ns, "web", corev1.ServiceTypeLoadBalancer, corev1.ServiceExternalTrafficPolicyLocal, web)
	if _, err := admin.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if controllersRun(c) {
		waitEndpoints(t, c, ns, "web", 3)
	}
}

func controllersRun(c *cluster.Cluster) bool {
	_, ok := c.PIDs()["kube-controller-manager"]
	return ok
}

// waitEndpoints waits until the controller has published n endpoints.
func waitEndpoints(t *testing.T, c *cluster.Cluster, ns, svc string, n int) {
	t.Helper()
	admin := client(t, c, cluster.AdminUser)
	eventually(t, 30*time.Second, "the controller's slices for "+svc, func() error {
		if got := controllerEndpoints(t, admin, ns, svc); len(got) != n {
			return fmt.Errorf("endpoints %v", got)
		}
		return nil
	})
}

func bindRole(t *testing.T, c *cluster.Cluster, ns, role, kind, user string) {
	t.Helper()
	admin := client(t, c, cluster.AdminUser)
	_, err := admin.RbacV1().RoleBindings(ns).Create(t.Context(), &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: role + "-" + user},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: kind, Name: role},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
	}, metav1.CreateOptions{})
	mustDo(t, err)
}

// prediction is the part of predict's JSON these tests read; the rest is
// compared as a whole elsewhere.
type prediction struct {
	NodesKnown bool `json:"nodesKnown"`
	Nodes      []struct {
		Name      string  `json:"name"`
		Zone      string  `json:"zone"`
		Share     float64 `json:"share"`
		LBHealthy bool    `json:"lbHealthy"`
	} `json:"nodes"`
}

func nodeZones(p prediction) string {
	var parts []string
	for _, n := range p.Nodes {
		parts = append(parts, n.Name+"@"+n.Zone)
	}
	return strings.Join(parts, " ")
}
