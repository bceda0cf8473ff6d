package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
)

// checkResult is one Service's line in `check -o json`.
type checkResult struct {
	Service  string          `json:"service"`
	Type     string          `json:"type"`
	Error    string          `json:"error,omitempty"`
	Findings []model.Finding `json:"findings"`
}

func (a *app) checkCommand() *cobra.Command {
	var output, minLevel string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Run the findings over every Service in scope (exit 1 on any error finding)",
		Long: `check predicts every Service in scope from its own entry point (load balancer,
NodePort or ClusterIP) and lists the findings. It exits 1 when any finding is
an error, so it can guard a CI pipeline or a change window.`,
		Example: `  ktraffic check --demo aks-tcp
  ktraffic check -n shop -o json
  ktraffic check -f cluster-dump.yaml --min-level warning`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output, "table", "json", "yaml"); err != nil {
				return err
			}
			if err := checkOutput(minLevel, "info", "warning", "error"); err != nil {
				return usagef("invalid --min-level %q: valid: info, warning, error", minLevel)
			}
			if a.demo == demoList {
				return a.listDemos()
			}
			snap, err := a.loadSnapshot(cmd.Context())
			if err != nil {
				return err
			}
			results, failed := checkSnapshot(snap, a.namespace(), model.Level(minLevel).Rank())
			if failed {
				a.exitCode = 1
			}
			if output != "table" {
				return writeData(a.stdout, output, results)
			}
			return writeCheckTable(a, snap, results)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or yaml")
	cmd.Flags().StringVar(&minLevel, "min-level", "info", "show findings at this level and above: info, warning, error")
	return cmd
}

// checkSnapshot runs the findings over the Services of a namespace ("" =
// all), keeping those at minRank and above; failed is true when any
// finding is an error.
func checkSnapshot(snap *model.Snapshot, namespace string, minRank int) (results []checkResult, failed bool) {
	results = []checkResult{}
	for _, row := range model.Summarize(snap, namespace) {
		r := checkResult{Service: row.Key(), Type: row.Type, Error: row.Err, Findings: []model.Finding{}}
		for _, f := range row.Findings {
			if f.Level == model.LevelError {
				failed = true
			}
			if f.Level.Rank() >= minRank {
				r.Findings = append(r.Findings, f)
			}
		}
		results = append(results, r)
	}
	return results, failed
}

func writeCheckTable(a *app, snap *model.Snapshot, results []checkResult) error {
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tTYPE\tLEVEL\tCODE\tMESSAGE")
	counts := map[model.Level]int{}
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Service, r.Type, "error", "PredictionFailed", r.Error)
			continue
		}
		for _, f := range r.Findings {
			counts[f.Level]++
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Service, r.Type, f.Level, f.Code, f.Message)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(a.stdout, "\n%d services checked in %s: %d errors, %d warnings, %d info\n",
		len(results), snap.Source, counts[model.LevelError], counts[model.LevelWarning], counts[model.LevelInfo])
	return err
}

// listDemos answers a bare --demo: the scenarios and their featured Service.
func (a *app) listDemos() error {
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tSERVICE\tWHAT IT SHOWS")
	for _, s := range k8s.DemoScenarios() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, s.Service, s.Title)
	}
	return tw.Flush()
}
