package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runLive runs ktraffic in-process against whatever KUBECONFIG the test
// set (a loopback cluster's, in the test's temp dir).
func runLive(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	isolateConfig(t)
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// completions parses cobra's __complete answer: the candidates, and the
// directive line (":4").
func completions(t *testing.T, out string) (cands []string, directive string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], ":") {
		t.Fatalf("no directive line in %q", out)
	}
	return lines[:len(lines)-1], lines[len(lines)-1]
}

func TestCompletion(t *testing.T) {
	dump := filepath.Join(repoRoot, "k8s", "scenarios", "zones-prefer-close.yaml")
	tests := []struct {
		name      string
		args      []string
		want      []string
		directive string
	}{
		{"demo names", []string{"--demo", "ki"}, []string{"kiada\tTwo nodes, three pods: Cluster vs Local"}, ":4"},
		{"demo names after a subcommand", []string{"predict", "--demo", "me"}, []string{"metallb-l2\t"}, ":4"},
		{"service from the demo, qualified", []string{"predict", "--demo", "kiada", "--service", ""},
			[]string{"default/kiada\tLoadBalancer", "default/kiada-cluster\tLoadBalancer"}, ":4"},
		{"service in -n, bare", []string{"diff", "--demo", "kiada", "-n", "default", "--service", "kiada-c"},
			[]string{"kiada-cluster\tLoadBalancer"}, ":4"},
		{"service with a namespace typed", []string{"predict", "--demo", "zones-prefer-close", "--service", "shop/ch"},
			[]string{"shop/checkout\t"}, ":4"},
		{"service from a dump", []string{"predict", "-f", dump, "--service", "shop/"},
			[]string{"shop/catalog\t", "shop/checkout\t"}, ":4"},
		{"service in the TUI", []string{"--demo", "kiada", "--service", "default/kiada-"},
			[]string{"default/kiada-cluster\t"}, ":4"},
		{"from kinds", []string{"predict", "--demo", "kiada", "--from", "n"},
			[]string{"nodeport\t", "nodeport:\t"}, ":6"},
		{"from nodes", []string{"predict", "--demo", "kiada", "--from", "internal:"},
			[]string{"internal:node-a\tzone z1", "internal:node-b\tzone z2"}, ":4"},
		{"from pods", []string{"predict", "--demo", "kiada", "--from", "pod:default/kiada-00"},
			[]string{"pod:default/kiada-001\tnode-a", "pod:default/kiada-002\tnode-b", "pod:default/kiada-003\tnode-b"}, ":4"},
		{"set keys", []string{"diff", "--demo", "kiada", "--set", "ext"}, []string{"externalTrafficPolicy="}, ":6"},
		{"set values", []string{"diff", "--demo", "kiada", "--set", "sessionAffinity="},
			[]string{"sessionAffinity=None", "sessionAffinity=ClientIP"}, ":4"},
		{"set lbNode from the nodes", []string{"diff", "--demo", "kiada", "--set", "lbNode="},
			[]string{"lbNode=node-a\tzone z1", "lbNode=node-b\tzone z2"}, ":4"},
		{"set a range offers nothing", []string{"diff", "--demo", "kiada", "--set", "sessionAffinityTimeoutSeconds="}, nil, ":4"},
		{"drill zones", []string{"diff", "--demo", "zones-prefer-close", "--drill", "zone-down=us-east-1"},
			[]string{"zone-down=us-east-1a", "zone-down=us-east-1b", "zone-down=us-east-1c"}, ":4"},
		{"namespaces in the demo", []string{"check", "--demo", "eks-nlb-ip", "-n", ""}, []string{"apps"}, ":4"},
		{"min-level", []string{"check", "--min-level", "w"}, []string{"warning"}, ":4"},
		{"a source that cannot be read offers nothing", []string{"predict", "-f", "/nonexistent/dump.yaml", "--service", ""}, nil, ":4"},
		{"a demo that does not exist offers nothing", []string{"predict", "--demo=nope", "--service", ""}, nil, ":4"},
		{"no cluster offers nothing, quietly", []string{"predict", "--service", ""}, nil, ":4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"__complete"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if strings.Contains(errOut, "ktraffic:") {
				t.Errorf("completion was loud on stderr: %q", errOut)
			}
			got, directive := completions(t, out)
			if directive != tt.directive {
				t.Errorf("directive %s, want %s", directive, tt.directive)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("candidate %d = %q, want %q…", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestCompletionCluster completes from a loopback API server through a
// kubeconfig in the test's temp dir: Services of the context's namespace,
// the kubeconfig's contexts.
func TestCompletionCluster(t *testing.T) {
	newLoopbackCluster(t)
	kc := os.Getenv("KUBECONFIG")
	data, err := os.ReadFile(kc)
	if err != nil {
		t.Fatal(err)
	}
	extra := strings.Replace(string(data), "contexts:\n", "contexts:\n- name: prod-admin\n  context: {cluster: loop, user: u, namespace: shop}\n", 1)
	if err := os.WriteFile(kc, []byte(extra), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"predict", "--service", ""}, []string{"kiada\tLoadBalancer", "kiada-cluster\tLoadBalancer"}},
		{[]string{"predict", "--service", "default/kiada-c"}, []string{"default/kiada-cluster\tLoadBalancer"}},
		{[]string{"--context", ""}, []string{"prod-admin\tcluster loop, namespace shop", "test\tcluster loop, namespace default"}},
		{[]string{"predict", "--from", "nodeport:node-"}, []string{"nodeport:node-a\tzone z1", "nodeport:node-b\tzone z2"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runLive(t, append([]string{"__complete"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got, _ := completions(t, out)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
