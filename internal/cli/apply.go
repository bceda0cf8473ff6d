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

// ApplyOptions are what apply needs: the change, the Applier that
// writes it (built only once every check before cluster access passed),
// and whether to ask.
type ApplyOptions struct {
	IO       IOStreams
	Snapshot func(context.Context) (*model.Snapshot, error)
	// Applier connects to the cluster; forcing takes over conflicts.
	Applier func(forceConflicts bool) (*k8s.Applier, error)
	Request model.Request
	Yes     bool
	Force   bool
}

// NewCmdApply is `ktraffic apply`. runF, when set, runs instead of
// applyRun.
func NewCmdApply(f *Factory, runF func(context.Context, *ApplyOptions) error) *cobra.Command {
	opts := &ApplyOptions{IO: f.IO, Snapshot: f.Snapshot,
		Applier: func(force bool) (*k8s.Applier, error) { return f.newApplier(k8s.ApplyOptions{ForceConflicts: force}) }}
	var svc serviceFlags
	var what whatIfFlags
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
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := f.applyRequest(svc, what)
			if err != nil {
				return err
			}
			opts.Request = req
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			if runF != nil {
				return runF(ctx, opts)
			}
			return applyRun(ctx, opts)
		},
	}
	svc.add(cmd, "the Service", withFrom|withPort)
	what.add(cmd)
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "apply without asking (the dry run still runs first)")
	cmd.Flags().BoolVar(&opts.Force, "force-conflicts", false, "take over fields other field managers hold (their next apply may set them back)")
	return cmd
}

// applyRequest checks everything that makes an apply impossible before
// any cluster access: read-only, a source that is not a cluster, and
// changes that are not Service fields.
func (f *Factory) applyRequest(svc serviceFlags, what whatIfFlags) (model.Request, error) {
	if ro, why := f.readOnly(); ro {
		return model.Request{}, fmt.Errorf("read-only: nothing is applied (%s)", why)
	}
	src, err := f.dataSource()
	if err != nil {
		return model.Request{}, err
	}
	if !src.isCluster() {
		return model.Request{}, usagef("nothing to apply to: the data comes from %s, not a cluster; use ktraffic diff to see the change, or drop --demo/-f to apply to the current kubeconfig context", src.text())
	}
	if len(what.drills) > 0 {
		return model.Request{}, usagef("drills are simulated failures and are never applied: use ktraffic diff --drill to see them")
	}
	if len(what.set) == 0 {
		return model.Request{}, usagef("nothing to apply: give at least one --set KEY=VALUE")
	}
	req, err := f.request(svc, what)
	if err != nil {
		return model.Request{}, err
	}
	if keys := req.Overrides.NotServiceFields(); len(keys) > 0 {
		return model.Request{}, usagef("%s cannot be applied: it describes the load balancer, not a Service field; use it with ktraffic diff", strings.Join(keys, " and "))
	}
	return req, nil
}

// applyRun is apply after the flags: read the snapshot, connect, then
// show, dry-run, confirm, apply.
func applyRun(ctx context.Context, opts *ApplyOptions) error {
	snap, err := opts.Snapshot(ctx)
	if err != nil {
		return err
	}
	ap, err := opts.Applier(opts.Force)
	if err != nil {
		return err
	}
	return runApply(ctx, opts.IO, ap, snap, opts.Request, opts.Yes)
}

// newApplier connects with kubectl's flags. The read-only check has
// passed by now; the Applier checks again on every write.
func (f *Factory) newApplier(opts k8s.ApplyOptions) (*k8s.Applier, error) {
	cfg, err := f.config.ToRESTConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	cfg.UserAgent = "ktraffic"
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	opts.ReadOnly, _ = f.readOnly()
	opts.Timeout = cfg.Timeout // --request-timeout
	if opts.Timeout == 0 {
		opts.Timeout = f.writeTimeout // 0: the Applier's default
	}
	return k8s.NewApplier(client, opts), nil
}

// errNotConfirmed is returned when the user does not say yes.
var errNotConfirmed = errors.New("not applied: the change was not confirmed (nothing was changed; --yes skips the question)")

// runApply is apply after the flags: show, dry-run, confirm, apply. The
// predictions come from snap; the patch is built against the live
// Service, which may have moved on since.
func runApply(ctx context.Context, streams IOStreams, ap *k8s.Applier, snap *model.Snapshot, req model.Request, yes bool) error {
	ns, name, _ := strings.Cut(req.Service, "/")
	out := streams.Out

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
		ok, err := confirm(streams.In, out, fmt.Sprintf("\n%s\nApply to %s? [y/N] ", confirmEffect(w), req.Service))
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
