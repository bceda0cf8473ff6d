package cluster

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Everything kube-apiserver dials towards the cluster — the node and
// service proxies ktraffic asks for kube-proxy's /proxyMode and for
// health checks, the kubelet client — goes through an egress guard: an
// HTTP CONNECT proxy on a unix socket (the API server's egress selector,
// "cluster" network context) that lets through only test hosts a test
// made itself in a network namespace (an address of 198.18.0.0/15 on a
// subnet this machine is directly attached to, which is the namespace's
// veth), and refuses every other address. Scenario Nodes carry real
// clusters' addresses (10.x, 192.168.x, …) that nothing may contact, and
// fixtures' 198.18.x addresses without a namespace would leave through
// the default route. A detached cluster (scripts/cluster.sh up) outlives
// the guard: its socket then has no listener, and every such dial fails.

// testHostRange is the only range a test host may use.
var testHostRange = netip.MustParsePrefix("198.18.0.0/15")

// egressConfig routes the "cluster" network context through the guard.
const egressConfig = `apiVersion: apiserver.k8s.io/v1beta1
kind: EgressSelectorConfiguration
egressSelections:
- name: cluster
  connection:
    proxyProtocol: HTTPConnect
    transport:
      uds:
        udsName: %s
`

// egressGuard is the proxy; Refused lists the addresses it turned away.
type egressGuard struct {
	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	seen []string // refused host:port, in order, once each
	open map[net.Conn]bool
}

// writeEgressConfig writes the egress selector configuration and
// returns its path and the guard's socket path.
func writeEgressConfig(dir string) (config, socket string, err error) {
	socket = filepath.Join(dir, "egress.sock")
	config = filepath.Join(dir, "egress-selector.yaml")
	return config, socket, os.WriteFile(config, fmt.Appendf(nil, egressConfig, socket), 0o644)
}

// startEgressGuard listens on socket until stop.
func startEgressGuard(socket string) (*egressGuard, error) {
	_ = os.Remove(socket) // a previous guard's, in a reused folder
	ln, err := net.Listen("unix", socket)
	if err != nil {
		return nil, fmt.Errorf("egress guard: %w", err)
	}
	g := &egressGuard{ln: ln, open: map[net.Conn]bool{}}
	g.wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			if !g.track(conn, true) {
				conn.Close()
				return
			}
			g.wg.Go(func() {
				defer g.track(conn, false)
				defer conn.Close()
				g.serve(conn)
			})
		}
	})
	return g, nil
}

// track records open connections so stop can end them; it reports false
// once the guard is stopping.
func (g *egressGuard) track(c net.Conn, add bool) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open == nil {
		return false
	}
	if add {
		g.open[c] = true
	} else {
		delete(g.open, c)
	}
	return true
}

// serve answers one CONNECT: a tunnel to an allowed test host, or 403.
func (g *egressGuard) serve(conn net.Conn) {
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	_ = conn.SetReadDeadline(time.Time{})
	target := req.Host
	own, _ := net.InterfaceAddrs() // none on error: then nothing is allowed
	if req.Method != http.MethodConnect || !allowedTestHost(target, own) {
		g.refuse(target)
		fmt.Fprintf(conn, "HTTP/1.1 403 Forbidden\r\n\r\nthe e2e egress guard lets the API server reach only test hosts in a network namespace, not %s\n", target)
		return
	}
	up, err := net.DialTimeout("tcp", target, 5*time.Second)
	if err != nil {
		fmt.Fprintf(conn, "HTTP/1.1 502 Bad Gateway\r\n\r\n%v\n", err)
		return
	}
	defer up.Close()
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, br); done <- struct{}{} }()
	go func() { _, _ = io.Copy(conn, up); done <- struct{}{} }()
	<-done // either side ending ends the tunnel
}

func (g *egressGuard) refuse(target string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, s := range g.seen {
		if s == target {
			return
		}
	}
	g.seen = append(g.seen, target)
}

// Refused lists the host:port the guard turned away.
func (g *egressGuard) Refused() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.seen...)
}

// stop closes the socket and every tunnel, and waits for them.
func (g *egressGuard) stop() {
	g.ln.Close()
	g.mu.Lock()
	for c := range g.open {
		c.Close()
	}
	g.open = nil
	g.mu.Unlock()
	g.wg.Wait()
}

// allowedTestHost: an IP address (no name is ever resolved) of the test
// host range, on a subnet that one of this machine's own addresses of
// that range is on (own: net.InterfaceAddrs), which only a test's network
// namespace gives it.
func allowedTestHost(hostport string, own []net.Addr) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return false
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !testHostRange.Contains(ip) {
		return false
	}
	for _, a := range own {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		mine, ok := netip.AddrFromSlice(n.IP)
		if !ok {
			continue
		}
		mine = mine.Unmap()
		ones, _ := n.Mask.Size()
		if testHostRange.Contains(mine) && mine != ip && netip.PrefixFrom(mine, ones).Contains(ip) {
			return true
		}
	}
	return false
}
