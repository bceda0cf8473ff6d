// Package netns makes test hosts the API server can reach: a network
// namespace joined to this machine by a veth pair, holding addresses from
// the benchmarking range 198.18.0.0/15 only, with small HTTP servers
// inside. kube-apiserver refuses to proxy to loopback (its node proxy
// wants global-unicast addresses), so probes through the node proxy need
// hosts like these; nothing outside the namespace is ever contacted.
//
// It needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) and iproute2; New
// returns ErrUnavailable where a namespace cannot be made, so tests skip.
package netns

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// ErrUnavailable means no network namespace can be made here.
var ErrUnavailable = errors.New("network namespaces are not available")

// Hosts is a network namespace with addresses 198.18.S.2, .3, … on one
// veth; this machine's end of the pair is 198.18.S.1.
type Hosts struct {
	// Addrs are the test hosts' addresses.
	Addrs []string

	name, hostIf string
	server       *exec.Cmd
}

// New makes a namespace with n addresses.
func New(n int) (*Hosts, error) {
	if _, err := exec.LookPath("ip"); err != nil {
		return nil, fmt.Errorf("%w: no ip command (iproute2)", ErrUnavailable)
	}
	pid := os.Getpid()
	h := &Hosts{name: fmt.Sprintf("ktraffic-e2e-%d", pid), hostIf: fmt.Sprintf("kte%dh", pid%100000)}
	peer := fmt.Sprintf("kte%dn", pid%100000)
	if out, err := exec.Command("ip", "netns", "add", h.name).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%w: ip netns add: %v: %s", ErrUnavailable, err, strings.TrimSpace(string(out)))
	}
	subnet, err := freeSubnet(pid)
	if err != nil {
		h.Close()
		return nil, err
	}
	inNS := func(args ...string) []string { return append([]string{"netns", "exec", h.name, "ip"}, args...) }
	steps := [][]string{
		{"link", "add", h.hostIf, "type", "veth", "peer", "name", peer},
		{"link", "set", peer, "netns", h.name},
		{"addr", "add", subnet + ".1/24", "dev", h.hostIf},
		{"link", "set", h.hostIf, "up"},
		inNS("link", "set", "lo", "up"),
	}
	for i := range n {
		addr := fmt.Sprintf("%s.%d", subnet, i+2)
		h.Addrs = append(h.Addrs, addr)
		steps = append(steps, inNS("addr", "add", addr+"/24", "dev", peer))
	}
	steps = append(steps, inNS("link", "set", peer, "up"))
	for _, s := range steps {
		if out, err := exec.Command("ip", s...).CombinedOutput(); err != nil {
			h.Close()
			return nil, fmt.Errorf("ip %s: %v: %s", strings.Join(s, " "), err, strings.TrimSpace(string(out)))
		}
	}
	return h, nil
}

// freeSubnet picks 198.18.S for S from the pid, skipping subnets this
// machine already routes (another test run's namespace).
func freeSubnet(pid int) (string, error) {
	out, err := exec.Command("ip", "-4", "route", "show").Output()
	if err != nil {
		return "", fmt.Errorf("ip route show: %w", err)
	}
	for i := range 250 {
		s := fmt.Sprintf("198.18.%d", 1+(pid+i)%250)
		if !strings.Contains(string(out), s+".0/24") {
			return s, nil
		}
	}
	return "", errors.New("no free /24 in 198.18.0.0/16")
}

// Close stops the servers and removes the veth pair and the namespace.
func (h *Hosts) Close() {
	if h.server != nil && h.server.Process != nil {
		_ = h.server.Process.Kill()
		_ = h.server.Wait()
	}
	_ = exec.Command("ip", "link", "del", h.hostIf).Run() // takes its peer along
	_ = exec.Command("ip", "netns", "del", h.name).Run()
}

// Route is one HTTP server in the namespace: every request to Addr
// (host:port) gets Status and Body.
type Route struct {
	Addr   string `json:"addr"`
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// serveEnv carries the routes to the server process.
const serveEnv = "KTRAFFIC_E2E_NETNS_SERVE"

// Serve starts one process inside the namespace serving routes, and
// returns once all of them listen. The process is this test binary again
// (its TestMain calls MaybeServe first); the kernel kills it if the test
// dies without Close.
func (h *Hosts) Serve(routes []Route) error {
	if h.server != nil {
		return errors.New("already serving")
	}
	spec, err := json.Marshal(routes)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command("ip", "netns", "exec", h.name, exe)
	cmd.Env = append(os.Environ(), serveEnv+"="+string(spec))
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	h.server = cmd
	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err == nil && strings.TrimSpace(line) != "listening" {
			err = fmt.Errorf("server said %q", line)
		}
		ready <- err
	}()
	select {
	case err := <-ready:
		return err
	case <-time.After(30 * time.Second):
		return errors.New("the servers in the namespace did not start within 30s")
	}
}

// MaybeServe runs the servers and never returns when this process was
// started by Serve; otherwise it returns at once.
func MaybeServe() {
	spec := os.Getenv(serveEnv)
	if spec == "" {
		return
	}
	var routes []Route
	if err := json.Unmarshal([]byte(spec), &routes); err != nil {
		fmt.Fprintln(os.Stderr, "netns server:", err)
		os.Exit(2)
	}
	errs := make(chan error, len(routes))
	for _, r := range routes {
		l, err := net.Listen("tcp", r.Addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "netns server:", err)
			os.Exit(2)
		}
		go func() {
			errs <- http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(r.Status)
				_, _ = w.Write([]byte(r.Body))
			}))
		}()
	}
	fmt.Println("listening")
	fmt.Fprintln(os.Stderr, "netns server:", <-errs)
	os.Exit(1)
}
