package cli

import (
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// defaultName is the command's name when it runs under its own name.
const defaultName = "ktraffic"

// invokedAs names the command the way the user called it, from the
// executable's name (os.Args[0]), and says whether kubectl asked for
// completions.
//
// kubectl runs a plugin `kubectl foo-bar` from an executable named
// kubectl-foo_bar (a dash in the file name would make "bar" a
// subcommand), and, since kubectl 1.26, completes it by running
// kubectl_complete-foo_bar with cobra's __complete arguments. Installed
// as kubectl-svc_traffic (krew does it) help says `kubectl svc-traffic`;
// a symlink named kubectl_complete-svc_traffic answers completions.
func invokedAs(argv0 string) (name string, complete bool) {
	base := filepath.Base(argv0)
	if ext := filepath.Ext(base); strings.EqualFold(ext, ".exe") {
		base = strings.TrimSuffix(base, ext)
	}
	for _, prefix := range []string{"kubectl_complete-", "kubectl-"} {
		if plugin, ok := strings.CutPrefix(base, prefix); ok && plugin != "" {
			return "kubectl " + strings.ReplaceAll(plugin, "_", "-"), prefix == "kubectl_complete-"
		}
	}
	if base == "" || base == "." || base == string(filepath.Separator) {
		return defaultName, false
	}
	return base, false
}

// nameCommands makes help and usage say name: cobra's display name for
// the root (the Use line stays one word, which cobra needs), and name in
// every example.
func nameCommands(root *cobra.Command, name string) {
	if name == defaultName {
		return
	}
	if root.Annotations == nil {
		root.Annotations = map[string]string{}
	}
	root.Annotations[cobra.CommandDisplayNameAnnotation] = name
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Example = strings.ReplaceAll(c.Example, defaultName+" ", name+" ")
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
