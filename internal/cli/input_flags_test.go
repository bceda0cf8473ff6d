package cli

import (
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/k8s"
)

func TestMaxInputSizeFlag(t *testing.T) {
	list := repoRoot + "/k8s/testdata/list.yaml"
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"a dump within the default bound", []string{"check", "-f", list}, 1, ""},
		{"a dump past the bound", []string{"check", "-f", list, "--max-input-size", "1Ki"}, 1,
			"ktraffic: " + list + ": stopped after 1Ki, the most ktraffic reads; --max-input-size raises it\n"},
		{"raised to fit", []string{"check", "-f", list, "--max-input-size=1M"}, 1, ""},
		{"not a size", []string{"check", "-f", list, "--max-input-size", "lots"}, 2,
			`ktraffic: invalid argument "lots" for "--max-input-size" flag: want a size such as 512Mi or 2Gi` + "\n"},
		{"not positive", []string{"check", "-f", list, "--max-input-size", "0"}, 2,
			`ktraffic: invalid argument "0" for "--max-input-size" flag: want a positive size such as 512Mi or 2Gi` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tt.args...)
			if tt.stderr == "" {
				// check exits 1 on error findings; only the bound matters here.
				if strings.Contains(stderr, "--max-input-size") {
					t.Errorf("stderr %q", stderr)
				}
				return
			}
			if code != tt.code || stderr != tt.stderr {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
}

func TestFileProgressLine(t *testing.T) {
	tests := []struct {
		p    k8s.FileProgress
		want string
	}{
		{k8s.FileProgress{File: "dump.json", Objects: 12345, Bytes: 20_200_000, Total: 315_600_000}, "Reading dump.json: 12,345 objects, 20.2 MB of 315.6 MB (6%)"},
		{k8s.FileProgress{File: "standard input", Objects: 7, Bytes: 1500}, "Reading standard input: 7 objects, 0.0 MB"},
		{k8s.FileProgress{File: "dump.json", Objects: 1234567, Bytes: 315_600_000, Total: 315_600_000, Done: true}, "Read 1,234,567 objects (315.6 MB); sorting them…"},
	}
	for _, tt := range tests {
		if got := fileProgressLine(tt.p); got != tt.want {
			t.Errorf("fileProgressLine(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}
