package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	yaml "go.yaml.in/yaml/v3"

	"github.com/ktraffic/ktraffic/internal/configdir"
)

// addWriteFlags registers --read-only on the root command, so it holds for
// the TUI and every subcommand alike.
func (f *Factory) addWriteFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&f.readOnlyFlag, "read-only", false, "never change the cluster: no apply, no dry run (also readOnly: true in "+configPathText()+", for every context or per context)")
}

// userConfig is config.yaml:
//
//	readOnly: true          # every context
//	contexts:
//	  prod-admin:
//	    readOnly: true      # this kubeconfig context only (as k9s does)
//
// A context cannot turn off a global readOnly: the safe setting wins.
type userConfig struct {
	path     string
	readOnly bool
	// contexts holds the contexts with readOnly: true.
	contexts map[string]bool
}

// configKeys lists every key config.yaml may hold, per level, with the
// spellings accepted for it: the documented one, and for readOnly also the
// flag's spelling, since writing it so plainly means "keep me safe". Any
// other key is an error: a misspelt safety setting must never be
// ignored quietly.
var configKeys = map[string][]string{
	"readOnly": {"readOnly", "read-only"},
	"contexts": {"contexts"},
}

var contextKeys = map[string][]string{
	"readOnly": {"readOnly", "read-only"},
}

func configPath() (string, error) {
	dir, err := configdir.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "config.yaml"), nil
}

func configPathText() string {
	if p, err := configPath(); err == nil {
		return p
	}
	return "$" + configdir.Env + "/config.yaml"
}

// checkConfig reads config.yaml before any command runs, so a file with
// a mistake in it stops everything with one line naming file, line and
// key, instead of quietly leaving writes on.
func (f *Factory) checkConfig(cmd *cobra.Command) error {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Name() == "completion" || c.Name() == "help" {
			return nil
		}
	}
	_, err := loadUserConfig()
	return err
}

// loadUserConfig reads config.yaml; a missing file is an empty config.
func loadUserConfig() (*userConfig, error) {
	path, err := configPath()
	if err != nil {
		return &userConfig{}, nil
	}
	c := &userConfig{path: path, contexts: map[string]bool{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config %s cannot be read: %w", path, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("config %s is not valid YAML: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 {
		return c, nil // empty file
	}
	p := configParser{path: path}
	err = p.mapping(doc.Content[0], configKeys, func(key string, v *yaml.Node) error {
		switch key {
		case "readOnly":
			return p.boolean(v, key, &c.readOnly)
		case "contexts":
			return p.contexts(v, c.contexts)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// configParser walks config.yaml's nodes, so every error can name the
// file, the line and the key.
type configParser struct{ path string }

func (p configParser) errorf(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("config %s:%d: %s", p.path, n.Line, fmt.Sprintf(format, args...))
}

// mapping calls set for each key of n, by its documented name; unknown
// keys and two spellings of one key are errors.
func (p configParser) mapping(n *yaml.Node, keys map[string][]string, set func(key string, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "want keys and values (%s), not %s", knownKeys(keys), nodeKind(n))
	}
	seen := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := canonicalKey(k.Value, keys)
		if key == "" {
			if s := suggestKey(k.Value, keys); s != "" {
				return p.errorf(k, "unknown key %q (did you mean %s?)", k.Value, s)
			}
			return p.errorf(k, "unknown key %q (known keys: %s)", k.Value, knownKeys(keys))
		}
		if prev, dup := seen[key]; dup {
			return p.errorf(k, "%s is given twice (as %s and %s); keep one", key, prev, k.Value)
		}
		seen[key] = k.Value
		if err := set(key, v); err != nil {
			return err
		}
	}
	return nil
}

func (p configParser) boolean(v *yaml.Node, key string, out *bool) error {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		return p.errorf(v, "%s wants true or false, not %q", key, v.Value)
	}
	return v.Decode(out)
}

func (p configParser) contexts(v *yaml.Node, out map[string]bool) error {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return p.errorf(v, "contexts wants one entry per kubeconfig context, not %s", nodeKind(v))
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		name, body := v.Content[i].Value, v.Content[i+1]
		err := p.mapping(body, contextKeys, func(key string, n *yaml.Node) error {
			var ro bool
			if err := p.boolean(n, key, &ro); err != nil {
				return err
			}
			out[name] = ro
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func canonicalKey(k string, keys map[string][]string) string {
	for name, spellings := range keys {
		if slices.Contains(spellings, k) {
			return name
		}
	}
	return ""
}

// suggestKey finds the key k was probably meant to be: the same letters
// up to case and separators, or one or two typing slips away.
func suggestKey(k string, keys map[string][]string) string {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "", ".", "").Replace(s))
	}
	best, bestDist := "", 3
	for name := range keys {
		if d := editDistance(norm(k), norm(name)); d < bestDist || d == bestDist && name < best {
			best, bestDist = name, d
		}
	}
	return best
}

// editDistance is Levenshtein's distance between two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func knownKeys(keys map[string][]string) string {
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "that"
}

// readOnly reports whether writes are off, and why, in words for the
// user. A config file that cannot be read counts as read-only: when the
// user's safety setting cannot be checked, the safe answer is no.
func (f *Factory) readOnly() (bool, string) {
	if f.readOnlyFlag {
		return true, "--read-only is set"
	}
	c, err := loadUserConfig()
	if err != nil {
		return true, err.Error() + ", so its readOnly setting cannot be checked"
	}
	if c.readOnly {
		return true, "readOnly: true in " + c.path
	}
	if len(c.contexts) > 0 {
		if ctx := f.contextName(); c.contexts[ctx] {
			return true, fmt.Sprintf("readOnly: true for context %q in %s", ctx, c.path)
		}
	}
	return false, ""
}

// contextName is the kubeconfig context a write would go to: --context,
// else the kubeconfig's current context.
func (f *Factory) contextName() string {
	if f.config.Context != nil && *f.config.Context != "" {
		return *f.config.Context
	}
	raw, err := f.config.ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return ""
	}
	return raw.CurrentContext
}
