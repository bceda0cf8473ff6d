package main

import (
	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// diffResult is `diff -o json`: the two predictions as predict prints
// them, and the computed changes so scripts need not match nodes and pods
// themselves.
type diffResult struct {
	Before  *model.Prediction `json:"before"`
	After   *model.Prediction `json:"after"`
	Changes *model.Diff       `json:"changes"`
}

func (a *app) diffCommand() *cobra.Command {
	var o predictOptions
	cmd := &cobra.Command{
		Use:   "diff --service NAMESPACE/NAME --set KEY=VALUE... [--drill DRILL]...",
		Short: "Compare a Service's traffic today with a what-if: changed settings and failure drills",
		Long: `diff predicts the Service twice, as it is and with the --set changes and --drill
failures applied, and prints both with what changes: per node, per pod, dropped
and rejected traffic, client IP, cross-node and cross-zone shares, and findings
that appear or clear. Nothing is sent to the cluster.`,
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
			before, after, err := predictBoth(snap, req)
			if err != nil {
				return err
			}
			d := model.NewDiff(before, after)
			if o.output == "table" {
				return report.DiffTable(a.stdout, before, after, d, whatIfText(req))
			}
			return writeData(a.stdout, o.output, diffResult{Before: before, After: after, Changes: d})
		},
	}
	o.addFlags(cmd, true)
	cmd.Flags().StringVarP(&o.output, "output", "o", "table", "output format: table, json or yaml")
	return cmd
}

// predictBoth predicts the Service as it is (same source and port, no
// overrides, no drills) and as the request would have it.
func predictBoth(snap *model.Snapshot, req model.Request) (before, after *model.Prediction, err error) {
	base := model.Request{Service: req.Service, Source: req.Source, Port: req.Port}
	if before, err = model.Predict(snap, base); err != nil {
		return nil, nil, err
	}
	if after, err = model.Predict(snap, req); err != nil {
		return nil, nil, err
	}
	return before, after, nil
}

func whatIfText(req model.Request) []string {
	out := req.Overrides.Pairs()
	for _, d := range req.Drills {
		out = append(out, "drill "+d.String())
	}
	return out
}
