package cli

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ktraffic/ktraffic/probes"
)

// loopbackNodes listens on 127.0.0.1:P and 127.0.0.2:P for one free P, as
// the two nodes of probes/testdata/loopback-local.yaml.
func loopbackNodes(t *testing.T) (a, b net.Listener, port int) {
	t.Helper()
	for range 20 {
		la, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port = la.Addr().(*net.TCPAddr).Port
		lb, err := net.Listen("tcp", net.JoinHostPort("127.0.0.2", strconv.Itoa(port)))
		if err == nil {
			return la, lb, port
		}
		la.Close()
		if !strings.Contains(err.Error(), "address already in use") {
			t.Skipf("cannot listen on 127.0.0.2 here: %v", err)
		}
	}
	t.Fatal("no port free on both 127.0.0.1 and 127.0.0.2")
	return nil, nil, 0
}

// serveHealth answers on l like kube-proxy's health server for shop/web
// with n local endpoints, until the test ends.
func serveHealth(t *testing.T, l net.Listener, n int) {
	t.Helper()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if n == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprintf(w, `{"service":{"namespace":"shop","name":"web"},"localEndpoints":%d,"serviceProxyHealthy":true}`, n)
	})}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
}

// loopbackDump is the testdata dump with its healthCheckNodePort moved to port.
func loopbackDump(t *testing.T, port int) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "probes", "testdata", "loopback-local.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dump.yaml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(data), "31999", strconv.Itoa(port))), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestProbeDirectLoopbackCluster(t *testing.T) {
	tests := []struct {
		name         string
		epsA, epsB   int
		healthy      map[string]bool
		agree        map[string]bool
		findingCodes []string
	}{
		{
			name: "matches the prediction", epsA: 1, epsB: 0,
			healthy: map[string]bool{"node-a": true, "node-b": false},
			agree:   map[string]bool{"node-a": true, "node-b": true},
		},
		{
			// kube-proxy on node-b counts an endpoint the dump does not have.
			name: "node-b answers healthy against the prediction", epsA: 1, epsB: 1,
			healthy:      map[string]bool{"node-a": true, "node-b": true},
			agree:        map[string]bool{"node-a": true, "node-b": false},
			findingCodes: []string{probes.CodeProbeDisagrees},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			la, lb, port := loopbackNodes(t)
			serveHealth(t, la, tt.epsA)
			serveHealth(t, lb, tt.epsB)
			dump := loopbackDump(t, port)

			code, stdout, stderr := runCLI(t, "", "probe", "-f", dump, "--service", "shop/web", "--direct", "--yes", "-o", "json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep probeReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			if len(rep.Results) != 2 || rep.Transport != "direct" {
				t.Fatalf("report %+v", rep)
			}
			for _, r := range rep.Results {
				if r.Port != int32(port) || r.Healthy != tt.healthy[r.Node] || r.Agree == nil || *r.Agree != tt.agree[r.Node] {
					t.Errorf("%s: port %d healthy %v agree %v error %q, want %d %v %v", r.Node, r.Port, r.Healthy, r.Agree, r.Error, port, tt.healthy[r.Node], tt.agree[r.Node])
				}
			}
			var codes []string
			for _, f := range rep.Findings {
				codes = append(codes, f.Code)
			}
			if strings.Join(codes, ",") != strings.Join(tt.findingCodes, ",") {
				t.Errorf("findings %+v, want codes %v", rep.Findings, tt.findingCodes)
			}

			code, table, stderr := runCLI(t, "y\n", "probe", "-f", dump, "--service", "shop/web", "--direct")
			if code != 0 {
				t.Fatalf("table: exit %d: %s", code, stderr)
			}
			for _, want := range []string{"node-a  127.0.0.1", "node-b  127.0.0.2", "probed direct"} {
				if !strings.Contains(table, want) {
					t.Errorf("table lacks %q:\n%s", want, table)
				}
			}
		})
	}
}

func TestProbeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"probe", "--demo", "kiada"},
		{"probe", "--demo", "kiada", "--service", "default/kiada", "-o", "xml"},
	} {
		if code, _, _ := runCLI(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, _, stderr := runCLI(t, "", "probe", "--demo", "kiada", "--service", "default/kiada", "--direct")
	if code != 2 || !strings.Contains(stderr, "probe needs a cluster to ask") {
		t.Errorf("demo: exit %d %q, want a refusal", code, stderr)
	}
}

// A dump's addresses are real networks: probe lists them and sends
// nothing until asked, and a dump read from stdin needs --yes.
func TestProbeDumpAsksFirst(t *testing.T) {
	la, lb, port := loopbackNodes(t)
	var hits atomic.Int32
	for _, l := range []net.Listener{la, lb} {
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits.Add(1) })}
		go func() { _ = srv.Serve(l) }()
		t.Cleanup(func() { _ = srv.Close() })
	}
	dump := loopbackDump(t, port)
	data, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"answered no", "n\n", []string{"-f", dump}, "not probed: nothing was sent"},
		{"no answer at all", "", []string{"-f", dump}, "not probed: nothing was sent"},
		{"dump on stdin", string(data), []string{"-f", "-"}, "not probed: the dump came from standard input"},
		{"without --direct", "y\n", []string{"-f", dump, "--no-direct"}, "probe -f needs --direct"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"probe", "--service", "shop/web", "--direct"}, tt.args...)
			if args[len(args)-1] == "--no-direct" {
				args = append([]string{"probe", "--service", "shop/web"}, tt.args[:2]...)
			}
			code, _, stderr := runCLI(t, tt.stdin, args...)
			if code == 0 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q: want a refusal saying %q", code, stderr, tt.want)
			}
			if strings.Contains(tt.want, "sent") && !strings.Contains(stderr, "127.0.0.2:"+strconv.Itoa(port)+"/healthz") {
				t.Errorf("stderr %q does not list the addresses it would contact", stderr)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d probe(s) reached the nodes without a yes", n)
	}
}
