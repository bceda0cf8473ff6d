package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// checkResult is one Service's line in `check -o json`: its findings
// from every source it has, each with the sources that raise it.
type checkResult struct {
	Service  string                 `json:"service"`
	Type     model.ServiceType      `json:"type"`
	Error    string                 `json:"error,omitempty"`
	Findings []model.SourcedFinding `json:"findings"`
}

// checkCounts counts findings by level, shown and hidden by --min-level.
type checkCounts struct {
	shown, hidden map[model.Level]int
	failed        bool
}

// CheckOptions are what check needs: where the snapshot comes from, the
// namespace in scope, and how to print.
type CheckOptions struct {
	IO        IOStreams
	Snapshot  func(context.Context) (*model.Snapshot, error)
	Namespace string
	MinLevel  model.Level
	// FailOn is the least level that fails the check (exit 1); "" never
	// fails. Unknown never fails: it says what the input cannot tell.
	FailOn    model.Level
	Output    string
	NoHeaders bool
	// Files are the dumps read (-f), named in SARIF results.
	Files []string
	// failed is set when a finding at FailOn or above asks for exit code 1.
	failed func()
}

// NewCmdCheck is `ktraffic check`. runF, when set, runs instead of
// checkRun.
func NewCmdCheck(f *Factory, runF func(context.Context, *CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: f.IO, Snapshot: f.Snapshot, failed: func() { f.exitCode = 1 }}
	var out outputFlag
	var minLevel, failOn string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Run the findings over every Service in scope, from every traffic source (exit 1 on any error finding)",
		Long: `check predicts every Service in scope from every source of traffic it has — the
load balancer, NodePort clients on every node, in-cluster clients on every node —
and lists the findings, each with the sources that raise it. It exits 1 when any
finding is an error (--fail-on warning makes warnings fail too), so it can
guard a CI pipeline or a change window; -o sarif and -o junit annotate CI. A scope
that matches no Service is an error, not a green run. What the input lacks (a
dump without EndpointSlices, Nodes or Pods) is reported as unknown, never as
an error.`,
		Example: `  ktraffic check --demo aks-tcp
  ktraffic check -n shop -o json
  ktraffic check -f cluster-dump.yaml --min-level warning
  ktraffic check -f cluster-dump.yaml --fail-on warning -o sarif > ktraffic.sarif`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := out.check(); err != nil {
				return err
			}
			if !slices.Contains(model.Levels, model.Level(minLevel)) {
				return usagef("invalid --min-level %q: valid: %s", minLevel, levelNames())
			}
			switch {
			case failOn == "none":
				opts.FailOn = ""
			case failOn == string(model.LevelUnknown):
				return usagef("--fail-on unknown: unknown never fails a check (it marks what the input cannot tell); valid: info, warning, error, none")
			case slices.Contains(model.Levels, model.Level(failOn)):
				opts.FailOn = model.Level(failOn)
			default:
				return usagef("invalid --fail-on %q: valid: info, warning, error, none", failOn)
			}
			if f.demo == demoList {
				return listDemos(f.IO.Out)
			}
			opts.Namespace, opts.MinLevel, opts.Output, opts.NoHeaders, opts.Files = f.namespace(), model.Level(minLevel), out.format, out.noHeaders, f.files
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return checkRun(cmd.Context(), opts)
		},
	}
	out.add(cmd, "table", "wide", "json", "yaml", "name", "sarif", "junit")
	cmd.Flags().StringVar(&minLevel, "min-level", "info", "show findings at this level and above: "+levelNames()+" (the summary counts what it hides)")
	cmd.Flags().StringVar(&failOn, "fail-on", string(model.LevelError), "exit 1 when a finding is at this level or above: info, warning, error, or none (unknown never fails)")
	return cmd
}

func checkRun(ctx context.Context, opts *CheckOptions) error {
	snap, err := opts.Snapshot(ctx)
	if err != nil {
		return err
	}
	results, counts := checkSnapshot(snap, opts.Namespace, opts.MinLevel.Rank(), opts.FailOn)
	if len(results) == 0 {
		return noServiceError(snap, opts.Namespace)
	}
	if counts.failed {
		opts.failed()
	}
	w := opts.IO.Out
	switch opts.Output {
	case "table", "wide":
		return writeCheckTable(w, snap, results, counts, opts)
	case "name":
		return writeCheckNames(w, results)
	case "sarif":
		return writeSARIF(w, snap, results, opts)
	case "junit":
		return writeJUnit(w, snap, results, opts.FailOn)
	}
	return writeData(w, opts.Output, results)
}

// fails says whether a finding at level l fails a check that fails on
// failOn: unknown never does, whatever the threshold.
func fails(l, failOn model.Level) bool {
	return failOn != "" && l != model.LevelUnknown && l.Rank() >= failOn.Rank()
}

func levelNames() string {
	names := make([]string, len(model.Levels))
	for i, l := range model.Levels {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// checkSnapshot runs the findings of every source over the Services of a
// namespace ("" = all), keeping those at minRank and above.
func checkSnapshot(snap *model.Snapshot, namespace string, minRank int, failOn model.Level) ([]checkResult, checkCounts) {
	results := []checkResult{}
	counts := checkCounts{shown: map[model.Level]int{}, hidden: map[model.Level]int{}}
	for _, row := range model.Summarize(snap, namespace) {
		r := checkResult{Service: row.Key(), Type: row.Type, Error: row.Err, Findings: []model.SourcedFinding{}}
		if row.Err != "" && fails(model.LevelError, failOn) {
			counts.failed = true
		}
		for _, f := range row.Findings {
			if fails(f.Level, failOn) {
				counts.failed = true
			}
			if f.Level.Rank() < minRank {
				counts.hidden[f.Level]++
				continue
			}
			counts.shown[f.Level]++
			r.Findings = append(r.Findings, f)
		}
		results = append(results, r)
	}
	return results, counts
}

// noServiceError says that the scope matched nothing, and where Services
// are, so a mistyped namespace is not a green run.
func noServiceError(snap *model.Snapshot, namespace string) error {
	switch {
	case len(snap.Services) == 0 && namespace == "":
		return fmt.Errorf("no Service in %s: nothing was checked", snap.Source)
	case len(snap.Services) == 0:
		// A live snapshot holds only the namespace asked for, so which
		// namespaces do have Services is not known here.
		return model.UnknownName("no Service in namespace %q in %s: nothing was checked", namespace, snap.Source)
	}
	var namespaces []string
	for _, s := range snap.Services {
		if len(namespaces) == 0 || namespaces[len(namespaces)-1] != s.Namespace {
			namespaces = append(namespaces, s.Namespace)
		}
	}
	return model.UnknownName("no Service in namespace %q in %s: nothing was checked (namespaces with Services: %s)",
		namespace, snap.Source, listWords(namespaces, 8))
}

func listWords(words []string, max int) string {
	if len(words) <= max {
		return strings.Join(words, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(words[:max], ", "), len(words)-max)
}

// writeCheckTable is one row per finding; -o wide adds a row for each
// Service without one, so the table is also the list of what was
// checked. --no-headers leaves out the header and the summary, for awk.
func writeCheckTable(w io.Writer, snap *model.Snapshot, results []checkResult, counts checkCounts, opts *CheckOptions) error {
	minLevel := string(opts.MinLevel)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if !opts.NoHeaders {
		fmt.Fprintln(tw, "SERVICE\tTYPE\tLEVEL\tCODE\tFROM\tMESSAGE")
	}
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Service, r.Type, "error", "PredictionFailed", "-", r.Error)
			continue
		}
		if len(r.Findings) == 0 && opts.Output == "wide" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Service, r.Type, "-", "-", "-", "no finding at "+minLevel+" or above")
			continue
		}
		for _, f := range r.Findings {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Service, r.Type, f.Level, f.Code, report.SourcesText(f.Sources, r.Type), f.Message)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if opts.NoHeaders {
		return nil
	}
	var parts []string
	for _, l := range slices.Backward(model.Levels) {
		parts = append(parts, fmt.Sprintf("%d %s", counts.shown[l], report.LevelNoun(l, counts.shown[l])))
	}
	summary := fmt.Sprintf("\n%s checked in %s, from every traffic source: %s", model.Counted(len(results), "Service", "services"), snap.Source, strings.Join(parts, ", "))
	var hidden []string
	for _, l := range slices.Backward(model.Levels) {
		if n := counts.hidden[l]; n > 0 {
			hidden = append(hidden, fmt.Sprintf("%d %s", n, report.LevelNoun(l, n)))
		}
	}
	if len(hidden) > 0 {
		summary += fmt.Sprintf(" (hidden by --min-level %s: %s)", minLevel, strings.Join(hidden, ", "))
	}
	_, err := fmt.Fprintln(w, summary)
	return err
}

// listDemos answers a bare --demo: the scenarios and their featured Service.
func listDemos(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tSERVICE\tWHAT IT SHOWS")
	for _, s := range k8s.DemoScenarios() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, s.Service, s.Title)
	}
	return tw.Flush()
}
