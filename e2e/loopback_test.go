package e2e

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"strings"
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
		inodes := socketInodes(t, pid)
		listening := 0
		for _, table := range []string{"tcp", "tcp6", "udp", "udp6"} {
			for _, s := range listeners(t, pid, table) {
				if !inodes[s.inode] {
					continue
				}
				listening++
				if !s.ip.IsLoopback() {
					t.Errorf("%s (pid %d) listens on %s:%d (%s)", name, pid, s.ip, s.port, table)
				}
			}
		}
		if listening == 0 {
			t.Errorf("%s (pid %d) listens nowhere: the check found none of its sockets", name, pid)
		}
	}
}

// socketInodes are the inodes of pid's open sockets.
func socketInodes(t *testing.T, pid int) map[string]bool {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, e := range entries {
		link, err := os.Readlink(dir + "/" + e.Name())
		if inode, ok := strings.CutPrefix(link, "socket:["); err == nil && ok {
			out[strings.TrimSuffix(inode, "]")] = true
		}
	}
	return out
}

type listener struct {
	ip    net.IP
	port  int
	inode string
}

// listeners parses /proc/PID/net/TABLE: TCP sockets in LISTEN state
// (0A), and every bound UDP socket (07, "closed", is how an unconnected
// UDP socket shows).
func listeners(t *testing.T, pid int, table string) []listener {
	f, err := os.Open(fmt.Sprintf("/proc/%d/net/%s", pid, table))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []listener
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 {
			continue
		}
		state := f[3]
		if strings.HasPrefix(table, "tcp") && state != "0A" || strings.HasPrefix(table, "udp") && state != "07" {
			continue
		}
		addr, port, _ := strings.Cut(f[1], ":")
		raw, err := hex.DecodeString(addr)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		// The kernel prints each 32-bit word in host (little-endian) order.
		for i := 0; i+4 <= len(raw); i += 4 {
			raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
		}
		var p int
		fmt.Sscanf(port, "%X", &p)
		out = append(out, listener{ip: net.IP(raw), port: p, inode: f[9]})
	}
	return out
}
