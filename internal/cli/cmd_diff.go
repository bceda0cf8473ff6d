package cli

import (
	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// diffResult is `diff -o json`: the two predictions of the detailed
// source as predict prints them, the computed changes so scripts need not
// match nodes and pods themselves, and every source's before and after.
type diffResult = model.WhatIf

func (a *app) diffCommand() *cobra.Command {
	var o predictOptions
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
  ktraffic diff --demo zones-prefer-close --service shop/checkout --drill zone-down=us-east-1c -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(o.output, "table", "json", "yaml"); err != nil {
				return err
			}
			if len(o.set) == 0 && len(o.drills) == 0 {
				return usagef("nothing to compare: give at least one --set KEY=VALUE or --drill DRILL")
			}
			req, err := o.request(a)
			if err != nil {
				return err
			}
			snap, err := a.loadSnapshot(cmd.Context())
			if err != nil {
				return err
			}
			w, err := model.EvaluateWhatIf(snap, req)
			if err != nil {
				return err
			}
			if o.output == "table" {
				return report.DiffTable(a.stdout, w, whatIfText(req))
			}
			return writeData(a.stdout, o.output, w)
		},
	}
	o.addFlags(cmd, true)
	cmd.Flags().StringVarP(&o.output, "output", "o", "table", "output format: table, json or yaml")
	return cmd
}

func whatIfText(req model.Request) []string {
	out := req.Overrides.Pairs()
	for _, d := range req.Drills {
		out = append(out, "drill "+d.String())
	}
	return out
}
