package cli

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
)

// TestPredictClientsGolden pins the load band of stated client sides:
// seed 001's browser on the kiada example, and few HTTP/2 clients over
// IPVS sh.
func TestPredictClientsGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"predict_kiada_browser", []string{"--demo", "kiada", "--service", "default/kiada-cluster", "--client-profile", "browser"}},
		{"predict_ipvs_sh_http2", []string{"--demo", "ipvs-sh", "--service", "default/my-service", "--clients", "3", "--client-profile", "http2"}},
		{"predict_canary_grpc", []string{"--demo", "gateway-canary", "--service", "shop/cart", "--clients", "2", "--client-profile", "grpc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{"json", "table"} {
				code, out, errOut := runCLI(t, "", append([]string{"predict", "-o", format}, tt.args...)...)
				if code != 0 {
					t.Fatalf("-o %s: exit %d: %s", format, code, errOut)
				}
				golden(t, tt.name+map[string]string{"json": ".json", "table": ".txt"}[format], out)
			}
		})
	}
	code, _, errOut := runCLI(t, "", "predict", "--demo", "kiada", "--service", "default/kiada", "--client-profile", "websocket")
	if code != 2 || !strings.Contains(errOut, "invalid client profile \"websocket\"") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// TestDiffGolden pins `diff` on the seeds' Cluster→Local change and on a
// zone loss, in both output forms.
func TestDiffGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"diff_kiada_cluster_to_local", []string{"--demo", "kiada", "--service", "default/kiada-cluster", "--set", "externalTrafficPolicy=Local"}},
		{"diff_zones_prefer_close_zone_down", []string{"--demo", "zones-prefer-close", "--service", "shop/checkout", "--drill", "zone-down=us-east-1c"}},
		// Pods on one side only, and a node whose health check starts failing.
		{"diff_kiada_scale_and_node_down", []string{"--demo", "kiada", "--service", "default/kiada", "--drill", "scale=node-a:+1", "--drill", "node-down=node-b"}},
		// The load balancer's view is untouched; in-cluster clients on the
		// pod-less node are dropped, and that source leads.
		{"diff_aks_tcp_internal_local", []string{"--demo", "aks-tcp", "--service", "tcp/tcp-server", "--set", "internalTrafficPolicy=Local"}},
		// The Azure probe's 59 s × 2 window while a node is down.
		{"diff_aks_tcp_node_down", []string{"--demo", "aks-tcp", "--service", "tcp/tcp-server", "--drill", "node-down=aks-nodepool1-38190472-vmss000000"}},
		// A value the Service already has: no gain promised, the missing hints named.
		{"diff_catalog_already_set", []string{"--demo", "zones-prefer-close", "--service", "shop/catalog", "--set", "trafficDistribution=PreferClose"}},
		// A node behind the canary goes down: the route's shares move, and
		// the v2 backend, whose one pod ran there, loses its 10%.
		{"diff_gateway_canary_node_down", []string{"--demo", "gateway-canary", "--service", "shop/checkout-v1", "--drill", "node-down=gke-shop-pool-1-e5f6a7b8-2h4t"}},
		// Instance targets under Local: the empty node fails the ALB's check.
		{"diff_alb_instance_to_local", []string{"--demo", "alb-ingress-modes", "--service", "web/web-instance", "--set", "externalTrafficPolicy=Local"}},
		// The scheduler that runs changes how 3 clients' connections lump.
		{"diff_ipvs_sh_to_rr", []string{"--demo", "ipvs-sh", "--service", "default/my-service", "--set", "ipvsScheduler=rr", "--clients", "3", "--client-profile", "http11-pool", "--connections", "2"}},
		// A cordon moves nothing, and says why.
		{"diff_kiada_cordon", []string{"--demo", "kiada", "--service", "default/kiada", "--drill", "node-cordon=node-a"}},
		// Without DSR, Cilium SNATs like kube-proxy under Cluster.
		{"diff_cilium_dsr_to_snat", []string{"--demo", "cilium", "--service", "default/web", "--set", "ciliumLBMode=snat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{"json", "table"} {
				code, out, errOut := runCLI(t, "", append([]string{"diff", "-o", format}, tt.args...)...)
				if code != 0 {
					t.Fatalf("-o %s: exit %d: %s", format, code, errOut)
				}
				ext := map[string]string{"json": ".json", "table": ".txt"}[format]
				golden(t, tt.name+ext, out)
			}
		})
	}
}

// TestDiffSeedExample: the numbers a new user reads off the demo.
func TestDiffSeedExample(t *testing.T) {
	code, out, errOut := runCLI(t, "", "diff", "--demo", "kiada", "--service", "default/kiada-cluster", "--set", "externalTrafficPolicy=Local", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res diffResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{"default/kiada-001": {1.0 / 3, .5}, "default/kiada-002": {1.0 / 3, .25}, "default/kiada-003": {1.0 / 3, .25}}
	for _, e := range res.Diff.Endpoints {
		w, ok := want[e.Pod]
		if !ok || math.Abs(e.Share.Before-w[0]) > 1e-9 || math.Abs(e.Share.After-w[1]) > 1e-9 {
			t.Errorf("%s: %v → %v, want %v → %v", e.Pod, e.Share.Before, e.Share.After, w[0], w[1])
		}
	}
	if res.Before.Settings.ExternalTrafficPolicy != "Cluster" || res.After.Settings.ExternalTrafficPolicy != "Local" {
		t.Errorf("settings %s → %s", res.Before.Settings.ExternalTrafficPolicy, res.After.Settings.ExternalTrafficPolicy)
	}
	if !res.Diff.ClientIPPreserved.After || res.Diff.ClientIPPreserved.Before {
		t.Errorf("client IP %+v, want lost → preserved", res.Diff.ClientIPPreserved)
	}
	// The top level is the prediction pair, as predict prints them.
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatal(err)
	}
	// The old keys stay as they were; the per-source summary is beside them.
	for _, k := range []string{"before", "after", "changes", "sources"} {
		if _, ok := top[k]; !ok || len(top) != 4 {
			t.Errorf("top-level keys %v, want before, after, changes, sources", keys(top))
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestDiffFromDump: a dump file gives the same diff as the demo.
func TestDiffFromDump(t *testing.T) {
	args := []string{"diff", "--service", "default/kiada-cluster", "--set", "externalTrafficPolicy=Local"}
	_, fromDemo, _ := runCLI(t, "", append(args, "--demo", "kiada")...)
	code, fromFile, errOut := runCLI(t, "", append(args, "-f", repoRoot+"/k8s/scenarios/kiada.yaml")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if fromDemo != fromFile {
		t.Errorf("-f and --demo differ:\n%s\n---\n%s", fromFile, fromDemo)
	}
}

func TestDiffErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"nothing to compare", []string{"--service", "default/kiada"}, 2, "nothing to compare"},
		{"bad drill", []string{"--service", "default/kiada", "--drill", "node-down"}, 2, "invalid --drill"},
		{"drill on unknown node", []string{"--service", "default/kiada", "--drill", "node-down=node-z"}, 2, `no node "node-z"`},
		{"bad output", []string{"--service", "default/kiada", "--set", "internalTrafficPolicy=Local", "--set", "externalTrafficPolicy=Cluster", "-o", "xml"}, 2, `invalid -o "xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"diff", "--demo", "kiada"}, tt.args...)...)
			if code != tt.code || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.contains) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and one line with %q", code, out, errOut, tt.code, tt.contains)
			}
		})
	}
}

// TestDiffSpellsNothingOneWay: an unset setting reads "-" in diff as in
// predict and the TUI, even where --set spells it "none".
func TestDiffSpellsNothingOneWay(t *testing.T) {
	code, out, errOut := runCLI(t, "", "diff", "--demo", "kiada", "--service", "default/kiada", "--set", "trafficDistribution=PreferClose")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := regexp.MustCompile(`(?m)^trafficDistribution +- +PreferClose`)
	if !want.MatchString(out) {
		t.Errorf("diff does not show trafficDistribution - → PreferClose:\n%s", out)
	}
}
