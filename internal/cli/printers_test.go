package cli

import (
	"encoding/json"
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrinterGoldens pins every printer kubectl's -o offers here, and the
// CI formats of check, on the demos.
func TestPrinterGoldens(t *testing.T) {
	dump := filepath.Join(repoRoot, "k8s", "scenarios", "aks-tcp.yaml")
	tests := []struct {
		golden string
		args   []string
		code   int
	}{
		{"predict_wide.txt", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "-o", "wide"}, 0},
		{"predict_no_headers.txt", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "--no-headers"}, 0},
		{"predict_name.txt", []string{"predict", "--demo", "aks-tcp", "--service", "tcp/tcp-server", "--from", "nodeport:aks-nodepool1-38190472-vmss000000", "-o", "name"}, 0},
		{"predict_yaml.yaml", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "-o", "yaml"}, 0},
		{"predict_jsonpath.txt", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "-o", `jsonpath={range .endpoints[*]}{.pod}{"\t"}{.share}{"\n"}{end}`}, 0},
		{"predict_jsonpath_relaxed.txt", []string{"predict", "--demo", "kiada", "--service", "default/kiada", "-o", "jsonpath=.settings.externalTrafficPolicy"}, 0},
		{"diff_markdown.md", []string{"diff", "--demo", "aks-tcp", "--service", "tcp/tcp-server", "--set", "internalTrafficPolicy=Local"}, 0},
		{"diff_no_headers.txt", []string{"diff", "--demo", "kiada", "--service", "default/kiada-cluster", "--set", "externalTrafficPolicy=Local", "--no-headers"}, 0},
		{"check_wide.txt", []string{"check", "--demo", "eks-nlb-ip", "-o", "wide"}, 0},
		{"check_no_headers.txt", []string{"check", "--demo", "kiada", "--no-headers"}, 0},
		{"check_name.txt", []string{"check", "--demo", "zones-prefer-close", "--min-level", "warning", "-o", "name"}, 0},
		{"check_sarif.json", []string{"check", "-f", dump, "--fail-on", "warning", "-o", "sarif"}, 1},
		{"check_junit.xml", []string{"check", "--demo", "aks-tcp", "--fail-on", "warning", "-o", "junit"}, 1},
		{"check_jsonpath.txt", []string{"check", "--demo", "zones-prefer-close", "-o", `jsonpath={range [*]}{.service}{" "}{.findings[*].code}{"\n"}{end}`}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			args := tt.args
			if strings.HasPrefix(tt.golden, "diff_markdown") {
				args = append(args, "-o", "markdown")
			}
			code, out, errOut := runCLI(t, "", args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			golden(t, filepath.Join("printers", tt.golden), out)
		})
	}
}

// TestCIFormatsParse: SARIF is 2.1.0 JSON with a rule for every result,
// JUnit is XML whose failures are the findings at --fail-on.
func TestCIFormatsParse(t *testing.T) {
	_, out, _ := runCLI(t, "", "check", "--demo", "aks-tcp", "-o", "sarif")
	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("not a SARIF 2.1.0 log with results: %s", out)
	}
	rules := map[string]bool{}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		rules[r.ID] = true
	}
	for _, r := range log.Runs[0].Results {
		if !rules[r.RuleID] {
			t.Errorf("result %s has no rule", r.RuleID)
		}
		if len(r.Locations) == 0 || len(r.Locations[0].LogicalLocations) == 0 {
			t.Errorf("result %s has no location", r.RuleID)
		}
	}
	for _, failOn := range []string{"error", "warning"} {
		_, out, _ = runCLI(t, "", "check", "--demo", "aks-tcp", "-o", "junit", "--fail-on", failOn)
		var doc junitSuites
		if err := xml.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		failed := 0
		for _, c := range doc.Suites[0].Cases {
			for _, f := range c.Failures {
				if failOn == "error" && !strings.HasPrefix(f.Message, "error") {
					t.Errorf("--fail-on error failed on %q", f.Message)
				}
			}
			if len(c.Failures) > 0 {
				failed++
			}
		}
		if failed != doc.Failures {
			t.Errorf("--fail-on %s: %d failed cases, the suite says %d", failOn, failed, doc.Failures)
		}
	}
}

// TestFailOn: the exit code follows --fail-on, and unknown never fails.
func TestFailOn(t *testing.T) {
	noSlices := filepath.Join(repoRoot, "k8s", "testdata", "no-nodes.yaml")
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"check", "--demo", "kiada"}, 0, ""},
		{[]string{"check", "--demo", "kiada", "--fail-on", "warning"}, 1, ""},
		{[]string{"check", "--demo", "kiada", "--fail-on", "info"}, 1, ""},
		{[]string{"check", "--demo", "aks-tcp", "--fail-on", "none"}, 0, ""},
		{[]string{"check", "--demo", "kiada", "--fail-on", "unknown"}, 2, "unknown never fails a check"},
		{[]string{"check", "--demo", "kiada", "--fail-on", "bad"}, 2, `invalid --fail-on "bad"`},
		{[]string{"check", "-f", noSlices, "--fail-on", "info", "-o", "json"}, -1, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tt.args...)
			if tt.code >= 0 && code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			if tt.err != "" && !strings.Contains(errOut, tt.err) {
				t.Errorf("stderr %q lacks %q", errOut, tt.err)
			}
			if tt.code == -1 {
				// Only unknown findings may be left when info is the
				// threshold and nothing else fails: exit 1 must come from a
				// finding that is not unknown.
				var results []checkResult
				if err := json.Unmarshal([]byte(out), &results); err != nil {
					t.Fatal(err)
				}
				failing := false
				for _, r := range results {
					for _, f := range r.Findings {
						if f.Level != "unknown" {
							failing = true
						}
					}
				}
				if want := map[bool]int{true: 1, false: 0}[failing]; code != want {
					t.Errorf("exit %d, want %d (findings that can fail: %v)", code, want, failing)
				}
			}
		})
	}
}

// TestOutputErrors: bad -o values are refused in one line; go-template
// is refused with why and what to use instead.
func TestOutputErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"predict", "--demo", "kiada", "--service", "default/kiada", "-o", "go-template={{.service}}"}, "ktraffic: -o go-template is not supported: Go templates would nearly double the binary (35 to 62 MB); use -o jsonpath='{.field}' or -o json | jq\n"},
		{[]string{"check", "--demo", "kiada", "-o", "template={{.}}"}, "-o go-template is not supported"},
		{[]string{"predict", "--demo", "kiada", "--service", "default/kiada", "-o", "jsonpath={.endpoints[}"}, "ktraffic: -o jsonpath: "},
		{[]string{"predict", "--demo", "kiada", "--service", "default/kiada", "-o", "jsonpath="}, "-o jsonpath needs an expression"},
		{[]string{"predict", "--demo", "kiada", "--service", "default/kiada", "-o", "jsonpath={.nosuchfield}"}, "ktraffic: -o jsonpath: nosuchfield is not found"},
		{[]string{"diff", "--demo", "kiada", "--service", "default/kiada", "--set", "externalTrafficPolicy=Cluster", "-o", "wide"}, `invalid -o "wide": valid: table, json, yaml, markdown, jsonpath=EXPR`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[len(tt.args)-2:], " "), func(t *testing.T) {
			code, _, errOut := runCLI(t, "", tt.args...)
			if code == 0 || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q, want one line with %q", code, errOut, tt.want)
			}
		})
	}
}
