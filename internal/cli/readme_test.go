package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestReadmeConsoleBlocks: every `console` block of the README that runs
// `go run .` shows what ktraffic really prints. A line "…" stands for
// lines left out; the other lines must appear in order.
func TestReadmeConsoleBlocks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for _, block := range strings.Split(string(data), "```console\n")[1:] {
		body, _, _ := strings.Cut(block, "```")
		lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
		cmd, ok := strings.CutPrefix(lines[0], "$ go run . ")
		if !ok {
			continue
		}
		blocks++
		t.Run(cmd, func(t *testing.T) {
			_, out, _ := runCLI(t, "", strings.Fields(cmd)...)
			got := strings.Split(out, "\n")
			at := 0
			for _, want := range lines[1:] {
				if want == "…" {
					continue
				}
				for at < len(got) && got[at] != want {
					at++
				}
				if at == len(got) {
					t.Errorf("README shows a line ktraffic does not print (in this order):\n%s\n\nktraffic prints:\n%s", want, out)
					return
				}
				at++
			}
		})
	}
	if blocks == 0 {
		t.Fatal("no console block runs ktraffic: the README's tour is gone?")
	}
}

// TestReadmeK9sPlugin: the README's k9s plugin is valid YAML, and what
// k9s runs for it (kubectl svc-traffic with $CONTEXT, $NAMESPACE and
// $NAME filled in) shows that Service, here from a loopback cluster.
func TestReadmeK9sPlugin(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(data), "```yaml\nplugins:\n")
	if !ok {
		t.Fatal("the README has no k9s plugins block")
	}
	block, _, _ = strings.Cut(block, "```")
	var doc struct {
		Plugins map[string]struct {
			ShortCut    string   `json:"shortCut"`
			Description string   `json:"description"`
			Background  bool     `json:"background"`
			Scopes      []string `json:"scopes"`
			Command     string   `json:"command"`
			Args        []string `json:"args"`
		} `json:"plugins"`
	}
	if err := yaml.UnmarshalStrict([]byte("plugins:\n"+block), &doc); err != nil {
		t.Fatal(err)
	}
	p, ok := doc.Plugins["svc-traffic"]
	if !ok || p.Command != "kubectl" || len(p.Args) == 0 || p.Args[0] != "svc-traffic" || p.Scopes[0] != "services" {
		t.Fatalf("plugin %+v", p)
	}
	newLoopbackCluster(t)
	args := strings.Fields(strings.NewReplacer("$CONTEXT", "test", "$NAMESPACE", "default", "$NAME", "kiada").Replace(strings.Join(p.Args[1:], " ")))
	isolateConfig(t)
	var out, errb strings.Builder
	if code := runAs("kubectl svc-traffic", args, strings.NewReader(""), &out, &errb); code != 0 || !strings.Contains(out.String(), "Service:    default/kiada (LoadBalancer)") {
		t.Errorf("kubectl svc-traffic %s: exit %d, %s\n%s", strings.Join(args, " "), code, errb.String(), out.String())
	}
}
