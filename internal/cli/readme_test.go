package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
