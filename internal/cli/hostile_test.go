package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileDump is a dump whose names carry escape sequences (retitle the
// terminal, clear the screen, a C1 CSI) and whose Service holds values
// the API server would reject.
const hostileDump = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: "node-a\e]0;pwned\a"
    labels: {topology.kubernetes.io/zone: "z1\e[2J"}
- apiVersion: v1
  kind: Service
  metadata:
    name: "web\e[2J\e[H"
    namespace: shop
    annotations: {note: "\u009b31mred"}
  spec:
    type: Teleport
    externalTrafficPolicy: Sideways
    healthCheckNodePort: -1
    selector: {app: web}
    ports:
    - {name: http, port: 80, nodePort: 70000}
    - {name: bad, port: 0}
- apiVersion: v1
  kind: Pod
  metadata:
    name: "web-1\e]0;pwned\a"
    namespace: shop
    labels: {app: web}
  spec: {nodeName: "node-a\e]0;pwned\a"}
  status:
    podIP: 10.0.0.5
    phase: Running
    conditions: [{type: Ready, status: "True"}]
`

// TestHostileDumpNeverReachesTheTerminal: names with escape sequences come
// out as their visible text, on stdout and stderr alike, and every value
// the API server would reject is named in a warning.
func TestHostileDumpNeverReachesTheTerminal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hostile.yaml")
	if err := os.WriteFile(path, []byte(hostileDump), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"predict", "-f", path, "--service", "shop/web[2J[H"},
		{"predict", "-f", path, "--service", "shop/web[2J[H", "-o", "json"},
		{"check", "-f", path},
		{"predict", "-f", path, "--service", "shop/web\x1b[2J"},
	} {
		_, out, errOut := runCLI(t, "", args...)
		for _, s := range []string{out, errOut} {
			if strings.ContainsAny(s, "\x1b\x07\u009b") {
				t.Errorf("%v printed a control character:\n%q", args, s)
			}
		}
		if args[0] == "check" {
			for _, field := range []string{"spec.type \"Teleport\"", "spec.externalTrafficPolicy \"Sideways\"", "spec.healthCheckNodePort \"-1\"", "spec.ports[0].nodePort \"70000\"", "spec.ports[1].port \"0\""} {
				if !strings.Contains(errOut, field) {
					t.Errorf("no warning names %s:\n%s", field, errOut)
				}
			}
		}
	}
}
