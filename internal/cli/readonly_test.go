package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/internal/configdir"
)

// writeConfig writes config.yaml into an isolated config directory and
// returns its path.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	dir := filepath.Join(isolateConfig(t), "ktraffic")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// twoContexts is a kubeconfig with contexts dev (current) and prod.
func twoContexts(t *testing.T) {
	t.Helper()
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	cfg := "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: dev\n  context: {cluster: c, user: u}\n- name: prod\n  context: {cluster: c, user: u}\ncurrent-context: dev\nusers:\n- name: u\n  user: {token: t}\n"
	if err := os.WriteFile(kc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", kc)
}

func TestConfigFile(t *testing.T) {
	tests := []struct {
		name    string
		config  string
		context string // --context; "" = the kubeconfig's current (dev)
		ro      bool
		why     string // part of the reason, or of the error
		err     bool
	}{
		{name: "empty", config: ""},
		{name: "readOnly false", config: "readOnly: false\n"},
		{name: "readOnly true", config: "readOnly: true\n", ro: true, why: "readOnly: true in "},
		{name: "the flag's spelling counts", config: "read-only: true\n", ro: true, why: "readOnly: true in "},
		{name: "misspelt", config: "# safety first\nreadonly: true\n", err: true, why: `config.yaml:2: unknown key "readonly" (did you mean readOnly?)`},
		{name: "snake case", config: "read_only: true\n", err: true, why: `unknown key "read_only" (did you mean readOnly?)`},
		{name: "unrelated key", config: "colour: blue\n", err: true, why: `config.yaml:1: unknown key "colour" (known keys: contexts, readOnly)`},
		{name: "both spellings", config: "readOnly: false\nread-only: true\n", err: true, why: "config.yaml:2: readOnly is given twice (as readOnly and read-only)"},
		{name: "not a boolean", config: "readOnly: yes\n", err: true, why: `config.yaml:1: readOnly wants true or false, not "yes"`},
		{name: "not a mapping", config: "- readOnly\n", err: true, why: "want keys and values"},
		{name: "other context read-only", config: "contexts:\n  prod:\n    readOnly: true\n"},
		{name: "this context read-only", config: "contexts:\n  prod:\n    readOnly: true\n", context: "prod", ro: true, why: `readOnly: true for context "prod" in `},
		{name: "current context read-only", config: "contexts:\n  dev:\n    read-only: true\n", ro: true, why: `for context "dev"`},
		{name: "a context cannot undo the global setting", config: "readOnly: true\ncontexts:\n  dev:\n    readOnly: false\n", ro: true, why: "readOnly: true in "},
		{name: "misspelt in a context", config: "contexts:\n  prod:\n    readOnyl: true\n", err: true, why: `config.yaml:3: unknown key "readOnyl" (did you mean readOnly?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			twoContexts(t)
			path := writeConfig(t, tt.config)
			_, err := loadUserConfig()
			if (err != nil) != tt.err || err != nil && (!strings.Contains(err.Error(), tt.why) || !strings.Contains(err.Error(), path)) {
				t.Fatalf("load: %v, want error %v naming %s and %q", err, tt.err, path, tt.why)
			}
			a := newFactory(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
			*a.config.Context = tt.context
			ro, why := a.readOnly()
			if ro != (tt.ro || tt.err) || !strings.Contains(why, tt.why) {
				t.Errorf("readOnly() = %v, %q; want %v with %q", ro, why, tt.ro || tt.err, tt.why)
			}
		})
	}
}

// TestConfigErrorStopsEveryCommand: a mistake in the config file is one
// line naming file, line and key, before anything runs.
func TestConfigErrorStopsEveryCommand(t *testing.T) {
	path := writeConfig(t, "read_only: true\n")
	for _, args := range [][]string{{"predict", "--demo", "kiada", "--service", "default/kiada"}, {"--demo", "kiada"}} {
		code, out, errOut := runCLI(t, "", args...)
		if code == 0 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, path+":1: unknown key \"read_only\"") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if code, _, errOut := runCLI(t, "", "completion", "bash"); code != 0 {
		t.Errorf("completion refused over the config: %s", errOut)
	}
}

// TestConfigDirEverywhere: the config and the themes come from the same
// directory, the XDG one (macOS included) or the override.
func TestConfigDirEverywhere(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv(configdir.Env, "")
	if p, _ := configPath(); p != filepath.Join(home, ".config", "ktraffic", "config.yaml") {
		t.Errorf("config path %s", p)
	}
	override := t.TempDir()
	t.Setenv(configdir.Env, override)
	if p, _ := configPath(); p != filepath.Join(override, "config.yaml") {
		t.Errorf("config path with %s set: %s", configdir.Env, p)
	}
	if p := userThemePath("mine"); p != filepath.Join(override, "themes", "mine.yaml") {
		t.Errorf("theme path with %s set: %s", configdir.Env, p)
	}
}
