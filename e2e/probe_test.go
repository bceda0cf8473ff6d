package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/fixture"
	"github.com/ktraffic/ktraffic/e2e/netns"
)

// TestProbeThroughNodeProxy probes health servers on test hosts of the
// test's own (198.18.0.0/15 addresses in a network namespace it makes),
// through the real API server's node proxy and directly, and checks
// that ktraffic's probe agrees with its prediction where the hosts answer
// as kube-proxy would, and disagrees where one lies.
func TestProbeThroughNodeProxy(t *testing.T) {
	hosts, err := netns.New(2)
	if errors.Is(err, netns.ErrUnavailable) {
		t.Skipf("no network namespace for the test hosts (needs root and iproute2): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hosts.Close)
	c := startCluster(t, cluster.DefaultControllers...)
	ctx := t.Context()
	admin := client(t, c, cluster.AdminUser)
	const ns = "shop"
	mustDo(t, fixture.Namespace(ctx, admin, ns))
	nodeA, nodeB := hosts.Addrs[0], hosts.Addrs[1]
	mustDo(t, fixture.Node(ctx, admin, "node-a", "z1", nodeA))
	mustDo(t, fixture.Node(ctx, admin, "node-b", "z2", nodeB))
	web := map[string]string{"app": "web"}
	// node-a has a ready pod, node-b only a pod that is not ready: under
	// Local only node-a passes the load balancer's health check.
	mustDo(t, fixture.Pod(ctx, admin, ns, "web-1", "node-a", "10.244.1.5", web, true))
	mustDo(t, fixture.Pod(ctx, admin, ns, "web-2", "node-b", "10.244.2.7", web, false))
	hcnp := map[string]int32{}
	for _, name := range []string{"web", "web-lying"} {
		s := fixture.Service(ns, name, corev1.ServiceTypeLoadBalancer, corev1.ServiceExternalTrafficPolicyLocal, web)
		got, err := admin.CoreV1().Services(ns).Create(ctx, s, metav1.CreateOptions{})
		mustDo(t, err)
		hcnp[name] = got.Spec.HealthCheckNodePort
	}
	s := fixture.Service(ns, "web-cluster", corev1.ServiceTypeLoadBalancer, corev1.ServiceExternalTrafficPolicyCluster, web)
	_, err = admin.CoreV1().Services(ns).Create(ctx, s, metav1.CreateOptions{})
	mustDo(t, err)
	for _, name := range []string{"web", "web-lying", "web-cluster"} {
		waitEndpoints(t, c, ns, name, 2)
	}

	// What kube-proxy would answer: the service health server with the
	// node's ready local endpoints (200 with at least one, 503 without),
	// and its own /healthz on 10256. web-lying's server on node-b claims
	// an endpoint it does not have.
	serviceBody := func(svc string, n int) string {
		return fmt.Sprintf(`{"service":{"namespace":%q,"name":%q},"localEndpoints":%d,"serviceProxyHealthy":true}`, ns, svc, n)
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	proxyBody := fmt.Sprintf(`{"lastUpdated":%q,"currentTime":%q,"nodeEligible":true}`, now, now)
	at := func(addr string, port int32) string { return net.JoinHostPort(addr, strconv.Itoa(int(port))) }
	mustDo(t, hosts.Serve([]netns.Route{
		{Addr: at(nodeA, hcnp["web"]), Status: 200, Body: serviceBody("web", 1)},
		{Addr: at(nodeB, hcnp["web"]), Status: 503, Body: serviceBody("web", 0)},
		{Addr: at(nodeA, hcnp["web-lying"]), Status: 200, Body: serviceBody("web-lying", 1)},
		{Addr: at(nodeB, hcnp["web-lying"]), Status: 200, Body: serviceBody("web-lying", 1)},
		{Addr: at(nodeA, 10256), Status: 200, Body: proxyBody},
		{Addr: at(nodeB, 10256), Status: 200, Body: proxyBody},
	}))

	for _, tc := range []struct {
		service string
		port    map[string]int32
		healthy map[string]bool
		agree   map[string]bool
	}{
		{"web", map[string]int32{"node-a": hcnp["web"], "node-b": hcnp["web"]}, map[string]bool{"node-a": true, "node-b": false}, map[string]bool{"node-a": true, "node-b": true}},
		{"web-cluster", map[string]int32{"node-a": 10256, "node-b": 10256}, map[string]bool{"node-a": true, "node-b": true}, map[string]bool{"node-a": true, "node-b": true}},
		{"web-lying", map[string]int32{"node-a": hcnp["web-lying"], "node-b": hcnp["web-lying"]}, map[string]bool{"node-a": true, "node-b": true}, map[string]bool{"node-a": true, "node-b": false}},
	} {
		for _, transport := range []string{"apiserver", "direct"} {
			args := []string{"probe", "-n", ns, "--service", tc.service, "-o", "json"}
			if transport == "direct" {
				args = append(args, "--direct")
			}
			r := ktraffic(t, c, cluster.KtrafficUser, "", args...)
			if r.code != 0 {
				t.Errorf("%s over %s: %s", tc.service, transport, r)
				continue
			}
			var rep probeReport
			mustDo(t, json.Unmarshal([]byte(r.stdout), &rep))
			if rep.Transport != transport || len(rep.Results) != 2 {
				t.Errorf("%s over %s: transport %q, %d results: %s", tc.service, transport, rep.Transport, len(rep.Results), r.stdout)
				continue
			}
			for _, res := range rep.Results {
				if res.Error != "" || res.BodyError != "" || res.Port != tc.port[res.Node] || res.Healthy != tc.healthy[res.Node] ||
					res.Agree == nil || *res.Agree != tc.agree[res.Node] {
					t.Errorf("%s over %s, %s: %+v; want port %d, healthy %v, agree %v", tc.service, transport, res.Node, res, tc.port[res.Node], tc.healthy[res.Node], tc.agree[res.Node])
				}
			}
			disagree := false
			for _, a := range tc.agree {
				disagree = disagree || !a
			}
			if disagree != (len(rep.Findings) > 0) {
				t.Errorf("%s over %s: findings %v", tc.service, transport, rep.Findings)
			}
		}
	}
}

// probeReport is the part of probe's JSON the test reads.
type probeReport struct {
	Transport string `json:"transport"`
	Results   []struct {
		Node      string `json:"node"`
		Port      int32  `json:"port"`
		Status    int    `json:"status"`
		Healthy   bool   `json:"healthy"`
		Agree     *bool  `json:"agree"`
		Error     string `json:"error"`
		BodyError string `json:"bodyError"`
	} `json:"results"`
	Findings []struct {
		Code string `json:"code"`
	} `json:"findings"`
}
