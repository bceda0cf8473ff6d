package cli

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
)

// Shell completion completes real things: the Services, namespaces,
// nodes and pods of the source the other flags choose (a demo, a dump or
// the cluster), the kubeconfig's contexts, the demos, and every value a
// flag takes. It runs while the user waits at a prompt, so it is bounded
// (completionTimeout, one List per question on a cluster) and it never
// fails loudly: when the source cannot answer, it offers nothing.

// completionTimeout bounds reading a dump for a completion.
const completionTimeout = 3 * time.Second

type completeFunc = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)

const noFiles = cobra.ShellCompDirectiveNoFileComp

// completer answers shell completion from the data the flags choose:
// the Factory's, read as the commands read it.
type completer struct{ f *Factory }

// registerCompletions attaches a completion to every flag of every
// command that has one, by flag name: the flags are registered in
// several places (serviceFlags, whatIfFlags, outputFlag, the connection
// flags), and this is the one place that knows what each one completes.
func (c *completer) registerCompletions(root *cobra.Command) {
	byName := map[string]completeFunc{
		"service":   c.completeService,
		"demo":      completeDemo,
		"from":      c.completeFrom,
		"set":       c.completeSet,
		"drill":     c.completeDrill,
		"context":   c.completeContext,
		"namespace": c.completeNamespace,
		"theme":     fixed(themes.Names()...),
		"min-level": fixed(levelStrings()...),
		"fail-on":   fixed(levelStrings()...),
	}
	seen := map[*pflag.Flag]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		register := func(fl *pflag.Flag) {
			if seen[fl] {
				return
			}
			seen[fl] = true
			if fn, ok := byName[fl.Name]; ok {
				_ = c.RegisterFlagCompletionFunc(fl.Name, fn)
			}
		}
		c.PersistentFlags().VisitAll(register)
		c.LocalNonPersistentFlags().VisitAll(register)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func levelStrings() []string {
	out := make([]string, len(model.Levels))
	for i, l := range model.Levels {
		out[i] = string(l)
	}
	return out
}

// fixed completes a flag from a list of values, each optionally with a
// description after a tab.
func fixed(values ...string) completeFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return withPrefix(values, toComplete), noFiles
	}
}

// withPrefix keeps the candidates that start with prefix (the text
// before a candidate's tab, its description, is what counts).
func withPrefix(candidates []string, prefix string) []string {
	var out []string
	for _, c := range candidates {
		if v, _, _ := strings.Cut(c, "\t"); strings.HasPrefix(v, prefix) {
			out = append(out, c)
		}
	}
	return out
}

func completeDemo(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, s := range k8s.DemoScenarios() {
		out = append(out, s.Name+"\t"+s.Title)
	}
	return withPrefix(out, toComplete), noFiles
}

// completionNames lists names of one kind from the source the flags
// chose. A demo or a dump is read as any command reads it (bounded in
// time); a cluster is asked with one List. Errors yield nothing.
func (c *completer) completionNames(ctx context.Context, kind k8s.NameKind, namespace string) []k8s.Name {
	src, err := c.f.dataSource()
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	if src.isCluster() {
		names, err := k8s.ListNames(ctx, c.f.config, kind, namespace)
		if err != nil {
			cobra.CompDebugln("ktraffic: completion: "+err.Error(), false)
			return nil
		}
		return names
	}
	if src.kind == sourceDemo && src.demo == demoList {
		return nil
	}
	snap, err := c.f.load(ctx, src, nil)
	if err != nil {
		cobra.CompDebugln("ktraffic: completion: "+err.Error(), false)
		return nil
	}
	return snapshotNames(snap, kind, namespace)
}

func snapshotNames(snap *model.Snapshot, kind k8s.NameKind, namespace string) []k8s.Name {
	var out []k8s.Name
	in := func(ns string) bool { return namespace == "" || ns == namespace }
	switch kind {
	case k8s.NamesServices:
		for _, s := range snap.Services {
			if in(s.Namespace) {
				out = append(out, k8s.Name{Namespace: s.Namespace, Name: s.Name, Note: string(s.Type)})
			}
		}
	case k8s.NamesNamespaces:
		seen := map[string]bool{}
		add := func(ns string) {
			if ns != "" && !seen[ns] {
				seen[ns] = true
				out = append(out, k8s.Name{Name: ns})
			}
		}
		for _, s := range snap.Services {
			add(s.Namespace)
		}
		for _, p := range snap.Pods {
			add(p.Namespace)
		}
	case k8s.NamesNodes:
		for _, n := range snap.Nodes {
			out = append(out, k8s.Name{Name: n.Name, Note: n.Zone})
		}
	case k8s.NamesPods:
		for _, p := range snap.Pods {
			if in(p.Namespace) {
				out = append(out, k8s.Name{Namespace: p.Namespace, Name: p.Name, Note: p.NodeName})
			}
		}
	}
	return out
}

// completionNamespace is the namespace a bare NAME is looked up in: -n,
// else on a cluster the context's; "" when neither says (all, and names
// are then offered as NAMESPACE/NAME).
func (c *completer) completionNamespace() string {
	if ns := c.f.namespace(); ns != "" || c.f.allNamespaces {
		return ns
	}
	if src, err := c.f.dataSource(); err == nil && src.isCluster() {
		if ns, _, err := c.f.config.ToRawKubeConfigLoader().Namespace(); err == nil {
			return ns
		}
	}
	return ""
}

// completeService offers NAME in the namespace in scope, or
// NAMESPACE/NAME when none is (or when the user started typing one).
func (c *completer) completeService(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	ns := c.completionNamespace()
	qualified := ns == ""
	if before, _, ok := strings.Cut(toComplete, "/"); ok {
		ns, qualified = before, true
	}
	var out []string
	for _, s := range c.completionNames(cmd.Context(), k8s.NamesServices, ns) {
		name := s.Name
		if qualified {
			name = s.Namespace + "/" + s.Name
		}
		out = append(out, name+"\t"+s.Note)
	}
	return withPrefix(out, toComplete), noFiles
}

func (c *completer) completeNamespace(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, n := range c.completionNames(cmd.Context(), k8s.NamesNamespaces, "") {
		out = append(out, n.Name)
	}
	return withPrefix(out, toComplete), noFiles
}

// nodeNames lists the source's nodes, each with its zone as description.
func (c *completer) nodeNames(ctx context.Context, prefix string) []string {
	var out []string
	for _, n := range c.completionNames(ctx, k8s.NamesNodes, "") {
		c := prefix + n.Name
		if n.Note != "" {
			c += "\tzone " + n.Note
		}
		out = append(out, c)
	}
	return out
}

// completeFrom offers the source kinds, then KIND:NODE with the
// source's nodes and pod:NAMESPACE/NAME with its pods.
func (c *completer) completeFrom(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	kind, _, hasArg := strings.Cut(toComplete, ":")
	if !hasArg {
		return withPrefix([]string{
			"lb\tthrough the load balancer",
			"nodeport\tNodePort clients on every node",
			"nodeport:\tNodePort clients on one node",
			"internal\tin-cluster clients on every node",
			"internal:\tin-cluster clients on one node",
			"pod:\tone client pod",
		}, toComplete), noFiles | cobra.ShellCompDirectiveNoSpace
	}
	switch model.SourceKind(kind) {
	case model.SourceNodePort, model.SourceInternal:
		return withPrefix(c.nodeNames(cmd.Context(), kind+":"), toComplete), noFiles
	case model.SourcePod:
		var out []string
		for _, p := range c.completionNames(cmd.Context(), k8s.NamesPods, c.f.namespace()) {
			out = append(out, "pod:"+p.Namespace+"/"+p.Name+"\t"+p.Note)
		}
		return withPrefix(out, toComplete), noFiles
	}
	return nil, noFiles
}

// completeSet offers KEY= for each what-if key, then KEY=VALUE with the
// values the key takes (nodes for lbNode).
func (c *completer) completeSet(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	key, _, hasValue := strings.Cut(toComplete, "=")
	if !hasValue {
		var out []string
		for _, k := range model.OverrideKeys() {
			out = append(out, k+"=")
		}
		return withPrefix(out, toComplete), noFiles | cobra.ShellCompDirectiveNoSpace
	}
	if key == model.KeyLBNode {
		return withPrefix(c.nodeNames(cmd.Context(), key+"="), toComplete), noFiles
	}
	var out []string
	for _, v := range model.OverrideValues(key) {
		if strings.Contains(v, "..") { // a range such as 1..86400: nothing to offer
			return nil, noFiles
		}
		out = append(out, key+"="+v)
	}
	return withPrefix(out, toComplete), noFiles
}

// completeDrill offers the drill kinds, then the nodes or zones each one
// takes.
func (c *completer) completeDrill(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	kind, _, hasArg := strings.Cut(toComplete, "=")
	if !hasArg {
		var out []string
		for _, d := range strings.Split(model.DrillKinds, ", ") {
			k, _, _ := strings.Cut(d, "=")
			out = append(out, k+"=\t"+d)
		}
		return withPrefix(out, toComplete), noFiles | cobra.ShellCompDirectiveNoSpace
	}
	ctx := cmd.Context()
	var out []string
	switch kind {
	case "node-down", "node-cordon":
		out = c.nodeNames(ctx, kind+"=")
	case "scale":
		out = c.nodeNames(ctx, kind+"=")
		for i := range out {
			n, _, _ := strings.Cut(out[i], "\t")
			out[i] = n + ":"
		}
		return withPrefix(out, toComplete), noFiles | cobra.ShellCompDirectiveNoSpace
	case "zone-down":
		var zones []string
		for _, n := range c.completionNames(ctx, k8s.NamesNodes, "") {
			if n.Note != "" && !slices.Contains(zones, kind+"="+n.Note) {
				zones = append(zones, kind+"="+n.Note)
			}
		}
		out = zones
	case "pod-not-ready":
		for _, p := range c.completionNames(ctx, k8s.NamesPods, c.f.namespace()) {
			out = append(out, kind+"="+p.Namespace+"/"+p.Name+"\t"+p.Note)
		}
	}
	return withPrefix(out, toComplete), noFiles
}

// completeContext offers the kubeconfig's contexts, read without
// contacting any cluster.
func (c *completer) completeContext(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	raw, err := c.f.config.ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return nil, noFiles
	}
	var out []string
	for name, c := range raw.Contexts {
		desc := "cluster " + c.Cluster
		if c.Namespace != "" {
			desc += ", namespace " + c.Namespace
		}
		out = append(out, model.Printable(name)+"\t"+model.Printable(desc))
	}
	slices.Sort(out)
	return withPrefix(out, toComplete), noFiles
}
