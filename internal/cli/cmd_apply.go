package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/client-go/kubernetes"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

type applyOptions struct {
	predictOptions
	yes            bool
	forceConflicts bool
}

func (a *app) applyCommand() *cobra.Command {
	var o applyOptions
	cmd := &cobra.Command{
		Use:   "apply --service NAMESPACE/NAME --set KEY=VALUE... [--yes] [--force-conflicts]",
		Short: "Apply a what-if to the live Service: diff, patch, server-side dry run, confirm, apply",
		Long: `apply changes the live Service's traffic settings with server-side apply (field
manager "ktraffic"). It first shows what the change does to the traffic and the
exact patch, checks your permissions, runs a server-side dry run and shows its
outcome, and asks for confirmation before anything is changed.

Only Service fields can be applied: externalTrafficPolicy, internalTrafficPolicy,
sessionAffinity, sessionAffinityTimeoutSeconds and trafficDistribution. lbMode
and lbNode describe the load balancer, and drills are simulated failures: use
them with diff. Fields another manager (kubectl, Helm, Argo CD) holds are not
taken over unless you pass --force-conflicts.`,
		Example: `  ktraffic apply --service default/kiada-cluster --set externalTrafficPolicy=Local
  ktraffic apply --service shop/checkout --set trafficDistribution=PreferClose --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := a.applyRequest(cmd, &o)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			snap, err := a.loadSnapshot(ctx)
			if err != nil {
				return err
			}
			ap, err := a.newApplier(k8s.ApplyOptions{ForceConflicts: o.forceConflicts})
			if err != nil {
				return err
			}
			return a.runApply(ctx, ap, snap, req, o.yes)
		},
	}
	o.addFlags(cmd, true)
	cmd.Flags().BoolVarP(&o.yes, "yes", "y", false, "apply without asking (the dry run still runs first)")
	cmd.Flags().BoolVar(&o.forceConflicts, "force-conflicts", false, "take over fields other field managers hold (their next apply may set them back)")
	return cmd
}

// applyRequest checks everything that makes an apply impossible before
// any cluster access: read-only, a source that is not a cluster, and
// changes that are not Service fields.
func (a *app) applyRequest(cmd *cobra.Command, o *applyOptions) (model.Request, error) {
	if ro, why := a.readOnly(); ro {
		return model.Request{}, fmt.Errorf("read-only: nothing is applied (%s)", why)
	}
	if a.demo != "" || len(a.files) > 0 {
		return model.Request{}, usagef("nothing to apply to: the data comes from %s, not a cluster; use ktraffic diff to see the change, or drop --demo/-f to apply to the current kubeconfig context", a.sourceText())
	}
	if len(o.drills) > 0 {
		return model.Request{}, usagef("drills are simulated failures and are never applied: use ktraffic diff --drill to see them")
	}
	if len(o.set) == 0 {
		return model.Request{}, usagef("nothing to apply: give at least one --set KEY=VALUE")
	}
	req, err := o.request(a)
	if err != nil {
		return model.Request{}, err
	}
	if keys := req.Overrides.NotServiceFields(); len(keys) > 0 {
		return model.Request{}, usagef("%s cannot be applied: it describes the load balancer, not a Service field; use it with ktraffic diff", strings.Join(keys, " and "))
	}
	return req, nil
}

// newApplier connects with kubectl's flags. The read-only check has
// passed by now; the Applier checks again on every write.
func (a *app) newApplier(opts k8s.ApplyOptions) (*k8s.Applier, error) {
	cfg, err := a.config.ToRESTConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	cfg.UserAgent = "ktraffic"
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	opts.ReadOnly, _ = a.readOnly()
	opts.Timeout = cfg.Timeout // --request-timeout
	if opts.Timeout == 0 {
		opts.Timeout = a.writeTimeout // 0: the Applier's default
	}
	return k8s.NewApplier(client, opts), nil
}

func (a *app) sourceText() string {
	if a.demo != "" {
		return "the demo " + a.demo
	}
	return "a dump (-f)"
}

// errNotConfirmed is returned when the user does not say yes.
var errNotConfirmed = errors.New("not applied: the change was not confirmed (nothing was changed; --yes skips the question)")

// runApply is apply after the flags: show, dry-run, confirm, apply. The
// predictions come from snap; the patch is built against the live
// Service, which may have moved on since.
func (a *app) runApply(ctx context.Context, ap *k8s.Applier, snap *model.Snapshot, req model.Request, yes bool) error {
	ns, name, _ := strings.Cut(req.Service, "/")
	out := a.stdout

	// A prediction can fail where the API server would too (a policy the
	// Service type does not take); the dry run below gives its verdict.
	w, err := model.EvaluateWhatIf(snap, req)
	if err != nil {
		fmt.Fprintf(out, "Prediction: %v\n\n", err)
	} else if err := report.DiffTable(out, w, whatIfText(req)); err != nil {
		return err
	}

	if err := ap.CheckAccess(ctx, ns, name); err != nil {
		return err
	}
	p, live, err := ap.Prepare(ctx, ns, name, req.Overrides)
	if err != nil {
		return err
	}
	if p.Empty() {
		fmt.Fprintf(out, "\nNothing to apply: %s already has these settings.\n", req.Service)
		return nil
	}
	if err := writePatch(out, p); err != nil {
		return err
	}
	if ap.Forcing() {
		for _, c := range p.Changes {
			if h := p.Holders[c.Path]; len(h) > 0 {
				fmt.Fprintf(out, "--force-conflicts: %s is taken over from %s; their next apply may set it back, so change it there too.\n", c.Path, strings.Join(h, ", "))
			}
		}
	}

	dry, err := ap.DryRun(ctx, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nDry run: the API server accepts the change.\n")
	for _, line := range k8s.Outcome(live, dry) {
		fmt.Fprintf(out, "  would: %s\n", line)
	}

	if !yes {
		ok, err := confirm(a.stdin, out, fmt.Sprintf("\n%s\nApply to %s? [y/N] ", confirmEffect(w), req.Service))
		if err != nil {
			return err
		}
		if !ok {
			return errNotConfirmed
		}
	}
	updated, err := applyInterruptibly(ctx, ap, p)
	if landed, ok := landedAfterAll(err); ok {
		fmt.Fprintf(out, "\nNote: %s.\n", err)
		updated, err = landed, nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nApplied to %s (field manager %s):\n", req.Service, k8s.FieldManager)
	for _, line := range p.Summary() {
		fmt.Fprintf(out, "  %s\n", line)
	}
	for _, line := range k8s.Outcome(live, updated) {
		fmt.Fprintf(out, "  %s\n", line)
	}
	return nil
}

func writePatch(w io.Writer, p *k8s.Patch) error {
	y, err := p.YAML()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nPatch (server-side apply, field manager %s):\n", k8s.FieldManager)
	if len(p.Kept) > 0 {
		fmt.Fprintf(w, "# also sent unchanged, because %s set them before and server-side apply would remove them otherwise: %s\n",
			k8s.FieldManager, strings.Join(p.Kept, ", "))
	}
	_, err = io.WriteString(w, y)
	return err
}

// confirmEffect names, above the question, the worst the change does to
// any source of the Service's traffic.
func confirmEffect(w *model.WhatIf) string {
	switch {
	case w == nil:
		return "Effect:     not predicted (see above)."
	case w.Worst() == nil:
		return "Effect:     no source's traffic changes."
	}
	line := fmt.Sprintf("%-11s %s", report.EffectLabel(*w.Worst())+":", report.Effect(*w.Worst()))
	if t := w.Transition; t != nil {
		line += "\nMeanwhile:  " + report.TransitionText(t)
	}
	return line
}

// confirm asks a yes/no question; anything but y or yes, or no answer at
// all (stdin closed, as in a script), is no.
func confirm(in io.Reader, out io.Writer, question string) (bool, error) {
	fmt.Fprint(out, question)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	fmt.Fprintln(out)
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}
