package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestConnectionExitCodes: a context or kubeconfig the user names that is
// not there is a usage error (2); a server that cannot be reached is a
// failure (1). Nothing is sent anywhere: the server is a closed loopback
// port.
func TestConnectionExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"unknown context", []string{"--context", "nope"}, 2, `context "nope" is not in the kubeconfig (contexts: ctx)`},
		{"missing --kubeconfig", []string{"--kubeconfig", "/nonexistent/kubeconfig"}, 2, `kubeconfig "/nonexistent/kubeconfig" does not exist`},
		{"unreachable server", []string{"--request-timeout", "2s"}, 1, "127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeKubeconfig(t, "    server: https://127.0.0.1:1\n", "    token: t\n")
			var out, errb bytes.Buffer
			code := run(append([]string{"predict", "--service", "default/web"}, tt.args...), strings.NewReader(""), &out, &errb)
			if code != tt.code || strings.Count(errb.String(), "\n") != 1 || !strings.Contains(errb.String(), tt.contains) {
				t.Errorf("exit %d, stderr %q; want exit %d and one line with %q", code, errb.String(), tt.code, tt.contains)
			}
		})
	}
}

// TestHelpDocumentsExitCodes: every command's --help says what its exit
// codes mean.
func TestHelpDocumentsExitCodes(t *testing.T) {
	for _, cmd := range [][]string{{}, {"predict"}, {"check"}, {"diff"}, {"apply"}, {"probe"}, {"version"}, {"completion"}} {
		t.Run(strings.Join(append([]string{"ktraffic"}, cmd...), " "), func(t *testing.T) {
			t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
			var out, errb bytes.Buffer
			if code := run(append(cmd, "--help"), strings.NewReader(""), &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			for _, want := range []string{"Exit codes:", "  2  the command line is wrong"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("--help lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
}
