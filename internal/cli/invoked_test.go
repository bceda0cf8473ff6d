package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestInvokedAs(t *testing.T) {
	tests := []struct {
		argv0    string
		name     string
		complete bool
	}{
		{"ktraffic", "ktraffic", false},
		{"/usr/local/bin/ktraffic", "ktraffic", false},
		{"/home/me/.krew/bin/kubectl-svc_traffic", "kubectl svc-traffic", false},
		{`C:\krew\bin\kubectl-svc_traffic.exe`, "kubectl svc-traffic", false},
		{"kubectl-traffic", "kubectl traffic", false},
		{"kubectl_complete-svc_traffic", "kubectl svc-traffic", true},
		{"kubectl-", "kubectl-", false},
		{"", "ktraffic", false},
	}
	for _, tt := range tests {
		argv0 := tt.argv0
		if strings.Contains(argv0, `\`) {
			argv0 = strings.ReplaceAll(argv0, `\`, string(filepath.Separator))
		}
		name, complete := invokedAs(argv0)
		if name != tt.name || complete != tt.complete {
			t.Errorf("invokedAs(%q) = %q, %v; want %q, %v", tt.argv0, name, complete, tt.name, tt.complete)
		}
	}
}

// TestKubectlPlugin runs the built binary through symlinks named as
// kubectl (and krew) install a plugin: help, usage, examples and
// --version say `kubectl svc-traffic`, and the completion helper answers
// cobra's __complete.
func TestKubectlPlugin(t *testing.T) {
	bin := builtBinary(t)
	dir := t.TempDir()
	plugin := filepath.Join(dir, "kubectl-svc_traffic")
	completer := filepath.Join(dir, "kubectl_complete-svc_traffic")
	for _, l := range []string{plugin, completer} {
		if err := os.Symlink(bin, l); err != nil {
			t.Fatal(err)
		}
	}
	runBin := func(path string, args ...string) string {
		t.Helper()
		cmd := exec.Command(path, args...)
		cmd.Env = append(os.Environ(), "KUBECONFIG="+filepath.Join(dir, "none"), "KTRAFFIC_CONFIG_DIR="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(path), strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	tests := []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"--help"}, []string{"Usage:\n  kubectl svc-traffic [flags]\n  kubectl svc-traffic [command]", "Use \"kubectl svc-traffic [command] --help\""}, []string{"ktraffic [flags]"}},
		{[]string{"predict", "--help"}, []string{"Usage:\n  kubectl svc-traffic predict --service", "  kubectl svc-traffic predict --demo kiada --service default/kiada"}, []string{"  ktraffic predict"}},
		{[]string{"--version"}, []string{"kubectl svc-traffic version " + testVersion}, nil},
		{[]string{"version"}, []string{"ktraffic " + testVersion, "client-go: " + goModVersion(t, "k8s.io/client-go") + "\n"}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out := runBin(plugin, tt.args...)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
		})
	}
	t.Run("completion helper", func(t *testing.T) {
		out := runBin(completer, "--demo", "ki")
		if !strings.Contains(out, "kiada\t") || !strings.Contains(out, ":4") {
			t.Errorf("kubectl_complete-svc_traffic --demo ki:\n%s", out)
		}
	})
}

// TestVersion reads the version from the build info when no -X set it.
func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, "", "version", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var b buildInfo
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	if b.Version == "" || !strings.HasPrefix(b.GoVersion, "go1.") || b.Platform == "" {
		t.Errorf("incomplete: %+v", b)
	}
	code, out, _ = runCLI(t, "", "--version")
	if code != 0 || !strings.HasPrefix(out, "ktraffic version ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
}

// goModVersion is the version go.mod requires of path. (A test binary's
// build info lists no dependencies, so only a built binary shows them.)
func goModVersion(t *testing.T, path string) string {
	t.Helper()
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(gomod), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == path {
			return f[1]
		}
	}
	t.Fatalf("go.mod does not require %s", path)
	return ""
}
