package e2e

import (
	"slices"
	"testing"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/fixture"
)

// TestControlPlaneListensOnLoopbackOnly checks every socket the control
// plane's processes listen on (TCP and UDP, IPv4 and IPv6): each must be
// bound to a loopback address, never to a wildcard or a real interface.
func TestControlPlaneListensOnLoopbackOnly(t *testing.T) {
	c := startCluster(t, cluster.DefaultControllers...)
	pids := c.PIDs()
	if len(pids) != 3 {
		t.Fatalf("running: %v, want etcd, kube-apiserver and kube-controller-manager", pids)
	}
	for name, pid := range pids {
		sockets, err := cluster.Sockets(pid)
		if err != nil {
			t.Fatal(err)
		}
		listening := 0
		for _, s := range sockets {
			if !s.Listening {
				continue
			}
			listening++
			if !s.Local.IP.IsLoopback() {
				t.Errorf("%s (pid %d) listens on %s (%s)", name, pid, s.Local.String(), s.Proto)
			}
		}
		if listening == 0 {
			t.Errorf("%s (pid %d) listens nowhere: the check found none of its sockets", name, pid)
		}
	}
}

// TestAPIServerReachesOnlyTestHosts asks the API server's node proxy for
// a Node whose address is in the test range but on no test host's
// subnet, as ktraffic's /proxyMode asking does for every Node it lists:
// the egress guard refuses it, so no scenario's or fixture's address is
// ever contacted through the API server.
func TestAPIServerReachesOnlyTestHosts(t *testing.T) {
	c := startCluster(t)
	admin := client(t, c, cluster.AdminUser)
	// 198.19.255.0/24: the test range, never a network namespace's
	// subnet (netns uses 198.18.1–250.0/24).
	const addr = "198.19.255.1"
	mustDo(t, fixture.Node(t.Context(), admin, "far", "z1", addr))
	_, err := admin.CoreV1().RESTClient().Get().Resource("nodes").Name("far:10249").SubResource("proxy").Suffix("proxyMode").DoRaw(t.Context())
	if err == nil {
		t.Fatal("the node proxy reached a Node outside every test host's subnet")
	}
	if got := c.EgressRefused(); !slices.Contains(got, addr+":10249") {
		t.Errorf("the egress guard refused %v, want %s:10249 among them (error: %v)", got, addr, err)
	}
}
