package e2e

import (
	"testing"

	"github.com/ktraffic/ktraffic/e2e/cluster"
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
