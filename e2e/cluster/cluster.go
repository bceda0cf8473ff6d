// Package cluster runs a real Kubernetes control plane for ktraffic's
// end-to-end tests and for people who want one by hand: etcd,
// kube-apiserver and, when asked, kube-controller-manager, built from the
// Go module proxy (see binaries.go), on 127.0.0.1 only.
//
// The API server authenticates static bearer tokens (users.go), authorizes
// with RBAC, and writes an audit log with one Metadata-level event per
// request, which tests read to prove what ktraffic did and did not send.
// There is no kubelet, scheduler or kube-proxy: tests create Nodes and
// Pods and set their status themselves. There is no node lifecycle
// controller either, which would taint and evict pods on nodes whose
// kubelet never reports.
package cluster

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Controllers the tests use: the EndpointSlice controllers that turn Pods
// into the slices kube-proxy reads, and the service-account controller
// that creates each namespace's "default" account (Pods need it).
var (
	ControllerEndpointSlice          = "endpointslice-controller"
	ControllerEndpointSliceMirroring = "endpointslice-mirroring-controller"
	ControllerServiceAccount         = "serviceaccount-controller"
	// DefaultControllers is the set a realistic cluster needs for
	// ktraffic: slices follow pods.
	DefaultControllers = []string{ControllerEndpointSlice, ControllerEndpointSliceMirroring, ControllerServiceAccount}
)

// ServiceCIDR is the primary service IP range. Tests that need other
// ClusterIPs add ServiceCIDR objects.
const ServiceCIDR = "10.96.0.0/16"

// Options say what to start.
type Options struct {
	// Dir receives certificates, tokens, kubeconfigs, etcd's data, the
	// audit log and every process's log. It must exist.
	Dir string
	// Controllers are kube-controller-manager's --controllers; none means
	// kube-controller-manager is not started.
	Controllers []string
	// Detached processes outlive the harness (scripts/cluster.sh up);
	// otherwise the kernel kills them with it.
	Detached bool
	// Log receives progress lines; nil means io.Discard.
	Log io.Writer
}

// Cluster is a running control plane.
type Cluster struct {
	// Dir holds everything the cluster wrote.
	Dir string
	// Server is the API server's URL, https://127.0.0.1:PORT.
	Server string
	// CAFile verifies Server's certificate.
	CAFile string
	// AuditLog is the API server's audit log (one JSON event per line).
	AuditLog string
	// Bin are the binaries in use, ktraffic's included.
	Bin Binaries

	opts    Options
	users   []User
	apiArgs []string
	etcd    *process
	api     *process
	kcm     *process
	kcmPort int
	egress  *egressGuard // nil when detached (egress.go)
}

// Start builds what is missing and starts the control plane, returning
// once the API server's /readyz passes (and kube-controller-manager's
// /healthz, when it runs). On error everything started is stopped again.
func Start(ctx context.Context, opts Options) (c *Cluster, err error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	bins, err := Build(ctx, opts.Log)
	if err != nil {
		return nil, err
	}
	c = &Cluster{Dir: opts.Dir, Bin: bins, opts: opts, users: defaultUsers()}
	defer func() {
		if err != nil {
			c.Stop()
			err = fmt.Errorf("%w%s", err, c.logTails())
		}
	}()
	pki, err := writePKI(c.Dir)
	if err != nil {
		return c, fmt.Errorf("certificates: %w", err)
	}
	c.CAFile = pki.caFile
	c.AuditLog = filepath.Join(c.Dir, "audit.log")
	ports, err := freePorts(4)
	if err != nil {
		return c, err
	}
	etcdClient, etcdPeer, apiPort := ports[0], ports[1], ports[2]
	c.kcmPort = ports[3]
	c.Server = "https://127.0.0.1:" + strconv.Itoa(apiPort)
	if err := c.writeUsers(); err != nil {
		return c, err
	}
	policy := filepath.Join(c.Dir, "audit-policy.yaml")
	if err := os.WriteFile(policy, []byte(auditPolicy), 0o644); err != nil {
		return c, err
	}
	egressConfig, egressSocket, err := writeEgressConfig(c.Dir)
	if err != nil {
		return c, err
	}
	if !opts.Detached {
		if c.egress, err = startEgressGuard(egressSocket); err != nil {
			return c, err
		}
	}

	fmt.Fprintf(opts.Log, "cluster: starting etcd on 127.0.0.1:%d\n", etcdClient)
	clientURL := fmt.Sprintf("http://127.0.0.1:%d", etcdClient)
	peerURL := fmt.Sprintf("http://127.0.0.1:%d", etcdPeer)
	c.etcd, err = startProcess("etcd", bins.Etcd, []string{
		"--name=e2e",
		"--data-dir=" + filepath.Join(c.Dir, "etcd"),
		"--listen-client-urls=" + clientURL,
		"--advertise-client-urls=" + clientURL,
		"--listen-peer-urls=" + peerURL,
		"--initial-advertise-peer-urls=" + peerURL,
		"--initial-cluster=e2e=" + peerURL,
		// A test cluster is thrown away; fsync only makes it slow.
		"--unsafe-no-fsync",
		"--log-level=warn",
	}, filepath.Join(c.Dir, "etcd.log"), opts.Detached)
	if err != nil {
		return c, err
	}
	if err := c.waitHTTP(ctx, c.etcd, clientURL+"/health", nil, time.Minute); err != nil {
		return c, fmt.Errorf("etcd did not become healthy: %w", err)
	}

	c.apiArgs = []string{
		"--etcd-servers=" + clientURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(apiPort),
		"--tls-cert-file=" + pki.certFile,
		"--tls-private-key-file=" + pki.keyFile,
		"--cert-dir=" + filepath.Join(c.Dir, "apiserver-certs"),
		"--token-auth-file=" + filepath.Join(c.Dir, "tokens.csv"),
		"--anonymous-auth=false",
		"--authorization-mode=Node,RBAC",
		"--service-cluster-ip-range=" + ServiceCIDR,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + pki.saPubFile,
		"--service-account-signing-key-file=" + pki.saKeyFile,
		"--audit-log-path=" + c.AuditLog,
		"--audit-policy-file=" + policy,
		// Every event is written before the response: a test reading the
		// log after a command sees all of that command's requests.
		"--audit-log-mode=blocking",
		// The endpoint reconciler would publish 127.0.0.1 for the
		// kubernetes Service, which Endpoints validation refuses.
		"--endpoint-reconciler-type=none",
		// The node proxy dials a Node's InternalIP and nothing else: tests
		// give the Nodes they probe addresses in their own network namespace.
		"--kubelet-preferred-address-types=InternalIP",
		// ... and only through the egress guard, which lets nothing else
		// through (egress.go).
		"--egress-selector-config-file=" + egressConfig,
		"--allow-privileged=true",
		"--profiling=false",
	}
	if err := c.StartAPIServer(ctx); err != nil {
		return c, err
	}
	if len(opts.Controllers) > 0 {
		if err := c.startControllerManager(ctx); err != nil {
			return c, err
		}
	}
	return c, nil
}

// StartAPIServer starts kube-apiserver, again after KillAPIServer, with
// the same address, certificates and etcd, and waits for /readyz.
func (c *Cluster) StartAPIServer(ctx context.Context) error {
	if c.api != nil {
		if done, _ := c.api.exited(); !done {
			return errors.New("kube-apiserver is already running")
		}
	}
	fmt.Fprintf(c.opts.Log, "cluster: starting kube-apiserver on %s\n", c.Server)
	var err error
	c.api, err = startProcess("kube-apiserver", c.Bin.APIServer, c.apiArgs, filepath.Join(c.Dir, "kube-apiserver.log"), c.opts.Detached)
	if err != nil {
		return err
	}
	if err := c.waitHTTP(ctx, c.api, c.Server+"/readyz", c.token(AdminUser), 3*time.Minute); err != nil {
		return fmt.Errorf("kube-apiserver did not become ready: %w", err)
	}
	return nil
}

// KillAPIServer stops kube-apiserver at once (SIGKILL, as a crash or an
// OOM kill would), leaving etcd and the controllers running. A SIGTERM
// would make it drain open watches for up to a minute, keeping clients
// connected and the test waiting; a kill breaks every connection now.
func (c *Cluster) KillAPIServer() {
	if c.api != nil {
		c.api.stop(0)
	}
}

func (c *Cluster) startControllerManager(ctx context.Context) error {
	fmt.Fprintf(c.opts.Log, "cluster: starting kube-controller-manager (%s)\n", strings.Join(c.opts.Controllers, ","))
	admin := c.Kubeconfig(AdminUser)
	var err error
	c.kcm, err = startProcess("kube-controller-manager", c.Bin.ControllerManager, []string{
		"--kubeconfig=" + admin,
		"--authentication-kubeconfig=" + admin,
		"--authorization-kubeconfig=" + admin,
		// The API server has no client CA or front proxy to look up.
		"--authentication-skip-lookup",
		"--controllers=" + strings.Join(c.opts.Controllers, ","),
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(c.kcmPort),
		"--cert-dir=" + filepath.Join(c.Dir, "kcm-certs"),
		"--root-ca-file=" + c.CAFile,
		"--service-account-private-key-file=" + filepath.Join(c.Dir, "sa.key"),
		"--use-service-account-credentials=false",
		"--profiling=false",
	}, filepath.Join(c.Dir, "kube-controller-manager.log"), c.opts.Detached)
	if err != nil {
		return err
	}
	url := fmt.Sprintf("https://127.0.0.1:%d/healthz", c.kcmPort)
	if err := c.waitHTTP(ctx, c.kcm, url, nil, 2*time.Minute); err != nil {
		return fmt.Errorf("kube-controller-manager did not become healthy: %w", err)
	}
	return nil
}

// Stop stops every process, controllers first, and waits for them, then
// the egress guard.
func (c *Cluster) Stop() {
	for _, p := range []*process{c.kcm, c.api, c.etcd} {
		if p != nil {
			p.stop(15 * time.Second)
		}
	}
	if c.egress != nil {
		c.egress.stop()
	}
}

// EgressRefused lists the host:port the API server tried to reach
// towards the cluster and the egress guard refused, in order.
func (c *Cluster) EgressRefused() []string {
	if c.egress == nil {
		return nil
	}
	return c.egress.Refused()
}

// PIDs are the running processes by name, for the detached state file
// and for tests that check what listens where.
func (c *Cluster) PIDs() map[string]int {
	out := map[string]int{}
	for _, p := range []*process{c.etcd, c.api, c.kcm} {
		if p == nil {
			continue
		}
		if done, _ := p.exited(); !done {
			out[p.name] = p.cmd.Process.Pid
		}
	}
	return out
}

// waitHTTP polls url until it answers 200, the process exits, or the
// deadline passes. TLS is verified against the cluster's CA; a
// controller-manager's self-signed certificate is not, and it serves
// only /healthz to us.
func (c *Cluster) waitHTTP(ctx context.Context, p *process, url string, token *string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	client, err := c.httpClient(p == c.kcm)
	if err != nil {
		return err
	}
	var last error
	for {
		if done, err := p.exited(); done {
			return fmt.Errorf("%s exited: %v", p.name, err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if token != nil {
			req.Header.Set("Authorization", "Bearer "+*token)
		}
		resp, err := client.Do(req)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Errorf("%s answered %d: %s", url, resp.StatusCode, lastLines(string(body), 3))
		} else {
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (c *Cluster) httpClient(skipVerify bool) (*http.Client, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if skipVerify {
		tlsConfig.InsecureSkipVerify = true //nolint:gosec // kube-controller-manager's own self-signed loopback cert
	} else if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tlsConfig.RootCAs = pool
	}
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConfig, Proxy: nil}}, nil
}

// freePorts finds n free TCP ports on 127.0.0.1. They are released before
// use, so another process could take one meanwhile; startup then fails
// with a clear "address in use" in the log rather than silently.
func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for len(ports) < n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		port := l.Addr().(*net.TCPAddr).Port
		if !slices.Contains(ports, port) {
			ports = append(ports, port)
		}
	}
	return ports, nil
}

// logTails is the end of every process log, for errors: a control plane
// that does not start says why in its log, not in its exit code.
func (c *Cluster) logTails() string {
	var b strings.Builder
	for _, name := range []string{"etcd", "kube-apiserver", "kube-controller-manager"} {
		data, err := os.ReadFile(filepath.Join(c.Dir, name+".log"))
		if err != nil || len(data) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n--- last lines of %s.log:\n%s", name, lastLines(string(data), 15))
	}
	return b.String()
}

// LogTails is logTails for tests that failed with a running cluster.
func (c *Cluster) LogTails() string { return c.logTails() }

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// auditPolicy logs every request at Metadata level: who, what verb, which
// object, the request URI (dryRun shows there), the response code.
const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: Metadata
`
