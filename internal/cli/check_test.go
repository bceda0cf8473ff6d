package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// scenarioDump writes a demo scenario to a temp file as a dump, after
// edit changes its List (items whose kind drop names are removed).
func scenarioDump(t *testing.T, name string, drop []string, edit func(string) string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "k8s", "scenarios", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		APIVersion string           `json:"apiVersion"`
		Kind       string           `json:"kind"`
		Items      []map[string]any `json:"items"`
	}
	if err := yaml.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	kept := list.Items[:0]
	for _, it := range list.Items {
		if k, _ := it["kind"].(string); !contains(drop, k) {
			kept = append(kept, it)
		}
	}
	list.Items = kept
	out, err := yaml.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	if edit != nil {
		text = edit(text)
	}
	path := filepath.Join(t.TempDir(), name+".yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestCheckEverySource(t *testing.T) {
	itpLocal := func(s string) string {
		return strings.Replace(s, "internalTrafficPolicy: Cluster", "internalTrafficPolicy: Local", 1)
	}
	tests := []struct {
		name     string
		args     func(t *testing.T) []string
		code     int
		contains []string
		absent   []string
		stderr   string
	}{
		{
			name: "internalTrafficPolicy: Local with a pod-less node fails check, from the in-cluster source",
			args: func(t *testing.T) []string {
				return []string{"-f", scenarioDump(t, "aks-tcp", nil, itpLocal)}
			},
			code:     1,
			contains: []string{"InternalLocalDrops", "internal", "aks-nodepool1-38190472-vmss000002"},
		},
		{
			name: "a dump without EndpointSlices is unknown, not an outage",
			args: func(t *testing.T) []string {
				return []string{"-f", scenarioDump(t, "kiada", []string{"EndpointSlice"}, nil)}
			},
			code:     0,
			contains: []string{"EndpointsUnknown", "unknown"},
			absent:   []string{"NoEndpoints", "NoLBBackends"},
			stderr:   "ktraffic: note: the input has no EndpointSlices",
		},
		{
			name: "a dump of Services only: one note names every missing kind",
			args: func(t *testing.T) []string {
				return []string{"-f", scenarioDump(t, "kiada", []string{"EndpointSlice", "Pod", "Node"}, nil)}
			},
			code:   0,
			absent: []string{" error "},
			stderr: "ktraffic: note: the input has no EndpointSlices, no Pods, no Nodes",
		},
		{
			name:     "--min-level hides and the summary counts what it hid",
			args:     func(*testing.T) []string { return []string{"--demo", "kiada", "--min-level", "warning"} },
			code:     0,
			contains: []string{"LocalPolicyImbalance", "hidden by --min-level warning: 3 info"},
			absent:   []string{"ClientIPLost"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"check"}, tt.args(t)...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			for _, s := range tt.contains {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(out, s) {
					t.Errorf("output has %q:\n%s", s, out)
				}
			}
			if tt.stderr != "" && (!strings.HasPrefix(errOut, tt.stderr) || strings.Count(errOut, "\n") != 1) {
				t.Errorf("stderr = %q, want one line starting %q", errOut, tt.stderr)
			}
		})
	}
}

func TestCheckMatchingNothingIsAnError(t *testing.T) {
	code, out, errOut := runCLI(t, "", "check", "--demo", "kiada", "-n", "typo")
	if code == 0 || out != "" {
		t.Errorf("exit %d, stdout %q: want an error and nothing checked", code, out)
	}
	if want := `ktraffic: no Service in namespace "typo" in demo:kiada: nothing was checked (namespaces with Services: default)`; strings.TrimSpace(errOut) != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
}

func TestCheckJSONNamesSources(t *testing.T) {
	_, out, _ := runCLI(t, "", "check", "--demo", "kiada", "-o", "json")
	var results []struct {
		Service  string `json:"service"`
		Findings []struct {
			Code    string   `json:"code"`
			Sources []string `json:"sources"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range results {
		for _, f := range r.Findings {
			got[r.Service+" "+f.Code] = strings.Join(f.Sources, ",")
		}
	}
	want := map[string]string{
		"default/kiada LocalPolicyImbalance":     "lb,nodeport",
		"default/kiada-cluster ClientIPLost":     "lb,nodeport",
		"default/kiada-cluster CrossZoneTraffic": "lb,nodeport,internal",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s from %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// A dump with v1 Endpoints instead of EndpointSlices (kubectl get
// svc,endpoints): the Endpoints are read as the mirroring controller
// would, and the output says so.
func TestDumpWithEndpointsInsteadOfSlices(t *testing.T) {
	endpoints := `
---
apiVersion: v1
kind: Endpoints
metadata: {name: kiada, namespace: default}
subsets:
- addresses:
  - {ip: 10.0.0.5, nodeName: node-a, targetRef: {kind: Pod, name: kiada-001, namespace: default}}
  - {ip: 10.0.1.7, nodeName: node-b, targetRef: {kind: Pod, name: kiada-002, namespace: default}}
  notReadyAddresses:
  - {ip: 10.0.1.8, nodeName: node-b, targetRef: {kind: Pod, name: kiada-003, namespace: default}}
  ports:
  - {name: http, port: 8080, protocol: TCP}
  - {name: https, port: 8443, protocol: TCP}
`
	dump := scenarioDump(t, "kiada", []string{"EndpointSlice"}, func(s string) string { return s + endpoints })
	code, out, errOut := runCLI(t, "", "predict", "-f", dump, "--service", "default/kiada", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "their v1 Endpoints were read instead, as the EndpointSlice mirroring controller would") ||
		strings.Contains(errOut, "the input has no EndpointSlices") {
		t.Errorf("stderr = %q: want the mirroring said, and no missing-slices note", errOut)
	}
	var p struct {
		Endpoints []struct {
			Pod   string  `json:"pod"`
			Ready bool    `json:"ready"`
			Share float64 `json:"share"`
		} `json:"endpoints"`
		Findings []struct {
			Code string `json:"code"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, e := range p.Endpoints {
		got[e.Pod] = e.Share
	}
	// Local: node-a's pod takes half, node-b's ready pod the other half;
	// kiada-003 is not ready.
	want := map[string]float64{"default/kiada-001": .5, "default/kiada-002": .5, "default/kiada-003": 0}
	for pod, w := range want {
		if g, ok := got[pod]; !ok || g != w {
			t.Errorf("%s share %v (present %v), want %v", pod, g, ok, w)
		}
	}
	found := false
	for _, f := range p.Findings {
		found = found || f.Code == "EndpointsMirrored"
	}
	if !found {
		t.Errorf("no EndpointsMirrored finding: %+v", p.Findings)
	}
}
