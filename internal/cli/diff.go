package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// DiffOptions are what diff needs: the what-if its flags make and where
// the snapshot comes from.
type DiffOptions struct {
	IO       IOStreams
	Snapshot func(context.Context) (*model.Snapshot, error)
	Request  model.Request
	Output   string
	// NoHeaders leaves out table headers (--no-headers).
	NoHeaders bool
	// attachObserved adds observed traffic to today's prediction, so the
	// change is judged against what the datapath does now.
	attachObserved observedAttacher
}

// NewCmdDiff is `ktraffic diff`. runF, when set, runs instead of diffRun.
func NewCmdDiff(f *Factory, runF func(context.Context, *DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{IO: f.IO, Snapshot: f.Snapshot}
	var tf trafficFlags
	var out outputFlag
	cmd := &cobra.Command{
		Use:   "diff --service NAMESPACE/NAME --set KEY=VALUE... [--drill DRILL]...",
		Short: "Compare a Service's traffic today with a what-if: changed settings and failure drills",
		Long: `diff predicts the Service twice, as it is and with the --set changes and --drill
failures applied, from every source of traffic it has (load balancer, NodePort
clients on every node, in-cluster clients on every node, and --from when it is
another), and leads with what changes for each source, the worst first. Then it
details one source (--from, default the Service type's own entry): per node,
per pod, dropped and rejected traffic, client IP, cross-node and cross-zone
shares, and findings that appear or clear; and how long the load balancer keeps
sending to nodes that now lose the traffic. Nothing is sent to the cluster.`,
		Example: `  ktraffic diff --demo kiada --service default/kiada-cluster --set externalTrafficPolicy=Local
  ktraffic diff --demo zones-prefer-close --service shop/checkout --drill zone-down=us-east-1c -o json
  ktraffic diff -n shop --service checkout --set trafficDistribution=PreferClose -o markdown >> pr-comment.md`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := out.check(); err != nil {
				return err
			}
			if len(tf.what.set) == 0 && len(tf.what.drills) == 0 {
				return usagef("nothing to compare: give at least one --set KEY=VALUE or --drill DRILL")
			}
			req, attach, err := tf.request(f)
			if err != nil {
				return err
			}
			opts.Request, opts.Output, opts.NoHeaders, opts.attachObserved = req, out.format, out.noHeaders, attach
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return diffRun(cmd.Context(), opts)
		},
	}
	tf.add(f, cmd)
	out.add(cmd, "table", "json", "yaml", "markdown")
	return cmd
}

// diffResult is `diff -o json`: the two predictions of the detailed
// source as predict prints them, the computed changes so scripts need not
// match nodes and pods themselves, and every source's before and after.
type diffResult = model.WhatIf

func diffRun(ctx context.Context, opts *DiffOptions) error {
	snap, err := opts.Snapshot(ctx)
	if err != nil {
		return err
	}
	w, err := model.EvaluateWhatIf(snap, opts.Request)
	if err != nil {
		return err
	}
	if opts.attachObserved != nil {
		if err := opts.attachObserved(ctx, snap, w.Before); err != nil {
			return err
		}
	}
	switch opts.Output {
	case "table":
		return report.DiffTableWith(opts.IO.Out, w, whatIfText(opts.Request), report.Options{NoHeaders: opts.NoHeaders})
	case "markdown": // for a change ticket or a pull-request comment
		return report.DiffMarkdown(opts.IO.Out, w, whatIfText(opts.Request))
	}
	return writeData(opts.IO.Out, opts.Output, w)
}

func whatIfText(req model.Request) []string {
	out := req.Overrides.Pairs()
	for _, d := range req.Drills {
		out = append(out, "drill "+d.String())
	}
	return out
}
