package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

// runCLI runs ktraffic in-process, with KUBECONFIG pointing at a file that
// does not exist so no test can ever reach a real cluster.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "no-such-kubeconfig"))
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestPredictDemoGolden pins the JSON and table of every Service of every
// demo scenario, from its default source.
func TestPredictDemoGolden(t *testing.T) {
	scenarios := k8s.DemoScenarios()
	if len(scenarios) < 7 {
		t.Fatalf("want at least 7 demo scenarios, got %d", len(scenarios))
	}
	for _, sc := range scenarios {
		snap, err := k8s.LoadDemo(sc.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, svc := range snap.Services {
			name := sc.Name + "_" + svc.Namespace + "_" + svc.Name
			t.Run(name, func(t *testing.T) {
				code, out, errOut := runCLI(t, "", "predict", "--demo", sc.Name, "--service", svc.Key(), "-o", "json")
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				golden(t, name+".json", out)
				code, out, errOut = runCLI(t, "", "predict", "--demo", sc.Name, "--service", svc.Key())
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				golden(t, name+".txt", out)
			})
		}
	}
}

// TestSeedExample is the seeds' promise, end to end through the CLI.
func TestSeedExample(t *testing.T) {
	tests := []struct {
		args []string
		want map[string]float64
	}{
		{[]string{"--service", "default/kiada-cluster"}, map[string]float64{"default/kiada-001": 1.0 / 3, "default/kiada-002": 1.0 / 3, "default/kiada-003": 1.0 / 3}},
		{[]string{"--service", "default/kiada"}, map[string]float64{"default/kiada-001": .5, "default/kiada-002": .25, "default/kiada-003": .25}},
		{[]string{"--service", "default/kiada-cluster", "--set", "externalTrafficPolicy=Local"}, map[string]float64{"default/kiada-001": .5, "default/kiada-002": .25, "default/kiada-003": .25}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			args := append([]string{"predict", "--demo", "kiada", "-o", "json"}, tt.args...)
			code, out, errOut := runCLI(t, "", args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var p model.Prediction
			if err := json.Unmarshal([]byte(out), &p); err != nil {
				t.Fatal(err)
			}
			for _, e := range p.Endpoints {
				if w, ok := tt.want[e.Pod]; !ok || math.Abs(e.Share-w) > 1e-9 {
					t.Errorf("%s share = %v, want %v", e.Pod, e.Share, w)
				}
			}
		})
	}
}

// TestCLIErrors: bad input gives one line on stderr and a non-zero exit.
func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   namespace: y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	noServices := filepath.Join(dir, "no-services.yaml")
	if err := os.WriteFile(noServices, []byte("apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\n  namespace: default\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s1\n  namespace: default\naddressType: IPv4\nendpoints: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		// As a live snapshot scoped to -n holds no Service at all.
		{"check of a namespace when no Service is known", []string{"check", "-f", noServices, "-n", "typo"}, 2, `no Service in namespace "typo"`},
		{"check of an input without Services", []string{"check", "-f", noServices}, 1, "no Service in file:"},
		{"missing service", []string{"predict", "--demo", "kiada", "--service", "default/nope"}, 2, "service default/nope not found in demo:kiada"},
		{"no --service", []string{"predict", "--demo", "kiada"}, 2, "--service is required"},
		{"bad --from", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "--from", "elsewhere"}, 2, `invalid --from "elsewhere"`},
		{"lb on ClusterIP", []string{"predict", "--demo", "session-affinity", "--service", "default/sample-clusterip", "--from", "lb"}, 2, "has no load balancer"},
		{"unknown --set key", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "--set", "foo=bar"}, 2, "unknown --set key \"foo\": valid keys are"},
		{"bad --set value", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "--set", "externalTrafficPolicy=local"}, 2, "valid values are Cluster, Local"},
		{"bad -o", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "-o", "xml"}, 2, `invalid -o "xml"`},
		{"unknown demo", []string{"predict", "--demo", "nope", "--service", "default/kiada"}, 2, `unknown demo scenario "nope"`},
		{"both sources", []string{"predict", "--demo", "kiada", "-f", bad, "--service", "default/kiada"}, 2, "either -f/--file or --demo"},
		{"malformed dump", []string{"predict", "-f", bad, "--service", "y/x"}, 1, "bad.yaml"},
		{"missing dump", []string{"predict", "-f", filepath.Join(dir, "none.yaml"), "--service", "y/x"}, 2, "none.yaml"},
		{"unknown node in --from", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "--from", "nodeport:node-z"}, 2, `no node "node-z"`},
		{"unknown pod in --from", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "--from", "pod:default/nope"}, 2, "no such pod"},
		{"unknown lbNode", []string{"predict", "--demo", "metallb-l2", "--service", "default/kiada", "--set", "lbNode=node-z"}, 2, `lbNode "node-z"`},
		{"unknown zone in a drill", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "--drill", "zone-down=mars"}, 2, `no node in zone "mars"`},
		{"unknown command", []string{"predcit"}, 2, `unknown command "predcit"`},
		{"stray argument", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "extra"}, 2, `unknown command "extra"`},
		{"unknown shell", []string{"completion", "tcsh"}, 2, `unknown shell "tcsh"`},
		{"check matches no namespace", []string{"check", "--demo", "kiada", "-n", "typo"}, 2, `no Service in namespace "typo"`},
		{"probe of an unknown Service", []string{"probe", "--demo", "kiada", "--service", "default/nope"}, 2, "probe needs a cluster"},
		{"unknown flag", []string{"predict", "--bogus"}, 2, "unknown flag: --bogus"},
		{"bad drill", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "--drill", "meteor=node-a"}, 2, "unknown drill"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "ktraffic: ") {
				t.Errorf("stderr = %q, want one line starting with 'ktraffic: '", errOut)
			}
			if !strings.Contains(errOut, tt.contains) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.contains)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	code, out, errOut := runCLI(t, "", "check", "--demo", "kiada")
	if code != 0 {
		t.Fatalf("check on kiada: exit %d (%s)", code, errOut)
	}
	if !strings.Contains(out, "LocalPolicyImbalance") {
		t.Errorf("check output lacks the Local imbalance finding:\n%s", out)
	}
	golden(t, "check_kiada.txt", out)

	code, out, _ = runCLI(t, "", "check", "--demo", "eks-nlb-ip", "-o", "json")
	var results []checkResult
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("check -o json: %v\n%s", err, out)
	}
	hasError := false
	for _, r := range results {
		for _, f := range r.Findings {
			hasError = hasError || f.Level == model.LevelError
		}
	}
	if want := map[bool]int{true: 1, false: 0}[hasError]; code != want {
		t.Errorf("exit code %d with error findings = %v", code, hasError)
	}
}

func TestDemoList(t *testing.T) {
	code, out, _ := runCLI(t, "", "predict", "--demo")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, name := range k8s.DemoNames() {
		if !strings.Contains(out, name) {
			t.Errorf("demo list lacks %s:\n%s", name, out)
		}
	}
}

// TestDumpWarningsReachStderr: what the reader skipped is said, once, and
// the prediction still comes out.
func TestDumpWarningsReachStderr(t *testing.T) {
	dir := t.TempDir()
	scenario, err := os.ReadFile(filepath.Join(repoRoot, "k8s", "scenarios", "kiada.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	extra := "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kiada\n  namespace: default\n"
	path := filepath.Join(dir, "dump.yaml")
	if err := os.WriteFile(path, append(scenario, extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "predict", "-f", path, "--service", "default/kiada", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(errOut, "ktraffic: warning: ") || !strings.Contains(errOut, "Deployment") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("stderr = %q, want one warning naming the skipped Deployment", errOut)
	}
	if !strings.Contains(out, `"service": "default/kiada"`) {
		t.Errorf("no prediction on stdout:\n%s", out)
	}
}

// repoRoot is the repository's top, where the fixtures other packages own
// (demo scenarios, dumps) and the README live.
const repoRoot = "../.."
