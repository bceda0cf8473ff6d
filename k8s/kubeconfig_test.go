package k8s

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// secret is the token every test kubeconfig carries: no message may show it.
const secret = "SECRETTOKEN-do-not-print"

// isolate points every kubeconfig lookup at dir, so tests never read the
// user's ~/.kube/config or reach a real cluster, and rules out in-cluster
// config.
func isolate(t *testing.T, kubeconfig string) {
	t.Helper()
	t.Setenv("KUBECONFIG", kubeconfig)
	t.Setenv("HOME", t.TempDir())
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	t.Setenv("KUBERNETES_SERVICE_PORT", "")
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// kubeconfig has contexts "dev" (current, namespace prod) and "ops" (no
// namespace), both for server.
func kubeconfig(server, clusterExtra string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: %s
%s
users:
- name: u
  user:
    token: %s
contexts:
- name: dev
  context: {cluster: c, user: u, namespace: prod}
- name: ops
  context: {cluster: c, user: u}
current-context: dev
`, server, clusterExtra, secret)
}

func flagsWith(set func(f *ConfigFlags)) *ConfigFlags {
	f := NewConfigFlags()
	if set != nil {
		set(f)
	}
	return f
}

func TestConnectResolvesLikeKubectl(t *testing.T) {
	dir := t.TempDir()
	main := writeFile(t, dir, "main", kubeconfig("https://127.0.0.1:6443", ""))
	// A second KUBECONFIG file adds a context; the first file's
	// current-context still wins, as kubectl merges them.
	extra := writeFile(t, dir, "extra", `apiVersion: v1
kind: Config
clusters: [{name: c2, cluster: {server: "https://10.1.1.1:6443"}}]
users: [{name: u2, user: {token: `+secret+`}}]
contexts: [{name: z, context: {cluster: c2, user: u2, namespace: team}}]
`)
	isolate(t, main+string(os.PathListSeparator)+extra)

	tests := []struct {
		name   string
		flags  func(*ConfigFlags)
		scope  Scope
		source string
		host   string
		ns     string
	}{
		{"context's namespace", nil, Scope{}, "context:dev", "https://127.0.0.1:6443", "prod"},
		{"-n wins over the context", func(f *ConfigFlags) { *f.Namespace = "shop" }, Scope{}, "context:dev", "https://127.0.0.1:6443", "shop"},
		{"-A reads everything", func(f *ConfigFlags) { *f.Namespace = "shop" }, Scope{AllNamespaces: true}, "context:dev", "https://127.0.0.1:6443", ""},
		{"scope override", nil, Scope{Namespace: "ui"}, "context:dev", "https://127.0.0.1:6443", "ui"},
		{"context without namespace", func(f *ConfigFlags) { *f.Context = "ops" }, Scope{}, "context:ops", "https://127.0.0.1:6443", "default"},
		{"context from the second file", func(f *ConfigFlags) { *f.Context = "z" }, Scope{}, "context:z", "https://10.1.1.1:6443", "team"},
		{"--server with userinfo is redacted", func(f *ConfigFlags) { *f.APIServer = "https://admin:pw@10.2.2.2:443" }, Scope{}, "context:dev", "https://10.2.2.2:443", "prod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := connect(flagsWith(tt.flags), tt.scope)
			if err != nil {
				t.Fatal(err)
			}
			if c.source != tt.source || c.host != tt.host || c.namespace != tt.ns {
				t.Errorf("got source %q host %q namespace %q, want %q %q %q", c.source, c.host, c.namespace, tt.source, tt.host, tt.ns)
			}
			if c.timeout != defaultRequestTimeout || c.config.Timeout != 0 {
				t.Errorf("timeouts: first contact %v, client %v; want %v and none", c.timeout, c.config.Timeout, defaultRequestTimeout)
			}
		})
	}
}

func TestConnectErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good", kubeconfig("https://127.0.0.1:6443", ""))
	badYAML := writeFile(t, dir, "bad", "users:\n- name: u\n  user:\n    token: ["+secret+"\n")
	badType := writeFile(t, dir, "badtype", "users: "+secret+"\n")
	noCurrent := writeFile(t, dir, "nocurrent", strings.Replace(kubeconfig("https://127.0.0.1:6443", ""), "current-context: dev", "", 1))

	tests := []struct {
		name string
		env  string
		flag func(*ConfigFlags)
		want string
	}{
		{"missing --kubeconfig", good, func(f *ConfigFlags) { *f.KubeConfig = filepath.Join(dir, "nope") }, `kubeconfig "` + filepath.Join(dir, "nope") + `" does not exist`},
		{"broken YAML", badYAML, nil, `cannot read kubeconfig "` + badYAML + `": invalid YAML at line 4`},
		{"wrong types", badType, nil, `cannot read kubeconfig "` + badType + `": field Config.users has the wrong type`},
		{"unknown context", good, func(f *ConfigFlags) { *f.Context = "nope" }, `context "nope" is not in the kubeconfig (contexts: dev, ops)`},
		{"no current context", noCurrent, nil, `the kubeconfig has no current context: pass --context (one of: dev, ops)`},
		{"no kubeconfig at all", filepath.Join(dir, "absent"), nil, `no cluster configured: no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a pod; pass --kubeconfig or --server, or try --demo`},
		{"bad --request-timeout", good, func(f *ConfigFlags) { *f.Timeout = "soon" }, `--request-timeout wants whole seconds or a duration like 5s or 2m`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t, tt.env)
			_, err := NewLive(flagsWith(tt.flag), Scope{})
			if err == nil {
				t.Fatal("NewLive succeeded")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.want) {
				t.Errorf("error =\n  %s\nwant\n  %s", msg, tt.want)
			}
			if strings.Contains(msg, secret) || strings.Contains(msg, "\n") {
				t.Errorf("error leaks the token or spans lines: %q", msg)
			}
		})
	}
}

// Connection failures end LoadLive with one line, within the request
// timeout, never a hang.
func TestLoadLiveFailsFast(t *testing.T) {
	closedPort := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		return "https://" + addr
	}
	silent := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				t.Cleanup(func() { c.Close() })
			}
		}()
		return "https://" + ln.Addr().String()
	}
	tlsServer := func(h http.HandlerFunc) func(t *testing.T) string {
		return func(t *testing.T) string {
			s := httptest.NewUnstartedServer(h)
			s.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshakes are the point
			s.StartTLS()
			t.Cleanup(s.Close)
			return s.URL
		}
	}
	unauthorized := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}`)
	}

	tests := []struct {
		name    string
		server  func(t *testing.T) string
		cluster string // extra cluster fields
		timeout string // --request-timeout
		want    string // %s is the server
	}{
		{"nothing listening", closedPort, "", "", "cannot reach the API server at %s: connection refused (is the cluster running, and is this the right context?)"},
		{"server never answers", silent, "", "1s", "the API server at %s did not answer within 1s (check the address and network, or raise --request-timeout)"},
		{"unknown certificate authority", tlsServer(unauthorized), "", "", "TLS error talking to %s: its certificate is signed by an unknown authority (check the kubeconfig's certificate-authority, or pass --certificate-authority)"},
		{"credentials rejected", tlsServer(unauthorized), "    insecure-skip-tls-verify: true", "", "the API server at %s rejected the credentials (401 Unauthorized): log in again or refresh the kubeconfig's token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := tt.server(t)
			isolate(t, writeFile(t, t.TempDir(), "config", kubeconfig(server, tt.cluster)))
			flags := flagsWith(func(f *ConfigFlags) {
				if tt.timeout != "" {
					*f.Timeout = tt.timeout
				}
			})
			start := time.Now()
			_, err := LoadLive(t.Context(), flags, Scope{})
			elapsed := time.Since(start)
			if err == nil {
				t.Fatal("LoadLive succeeded")
			}
			if want := fmt.Sprintf(tt.want, server); err.Error() != want {
				t.Errorf("error =\n  %s\nwant\n  %s", err, want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Error("error shows the token")
			}
			// A hang detector, not a speed target (those are benchmarks):
			// without the bounded first contact this waits for minutes.
			if limit := 30 * time.Second; elapsed > limit {
				t.Errorf("took %v: the first contact is not bounded", elapsed)
			}
		})
	}
}

// kubectl's credential, impersonation, TLS and timeout flags reach the
// client the informers use.
func TestConnectHonoursKubectlFlags(t *testing.T) {
	dir := t.TempDir()
	ca := writeFile(t, dir, "ca.crt", "")
	isolate(t, writeFile(t, dir, "config", kubeconfig("https://127.0.0.1:6443", "")))
	flags := flagsWith(func(f *ConfigFlags) {
		*f.Impersonate = "alice"
		*f.ImpersonateGroup = []string{"devs", "oncall"}
		*f.BearerToken = "flag-" + secret
		*f.CAFile = ca
		*f.TLSServerName = "api.internal"
		*f.Timeout = "3s"
	})
	c, err := connect(flags, Scope{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := c.config
	got := fmt.Sprintf("as=%s groups=%v token=%v ca=%s sni=%s first-contact=%v client-timeout=%v",
		cfg.Impersonate.UserName, cfg.Impersonate.Groups, cfg.BearerToken == "flag-"+secret, cfg.CAFile, cfg.ServerName, c.timeout, cfg.Timeout)
	want := fmt.Sprintf("as=alice groups=[devs oncall] token=true ca=%s sni=api.internal first-contact=3s client-timeout=0s", ca)
	if got != want {
		t.Errorf("config:\n got %s\nwant %s", got, want)
	}
}
