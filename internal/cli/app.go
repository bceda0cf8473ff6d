package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// app holds what every command shares: streams, the source flags and the
// exit code a command wants when it succeeds (check exits 1 on errors).
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	exitCode       int

	files         []string
	demo          string
	allNamespaces bool
	config        *k8s.ConfigFlags
	// readOnlyFlag is --read-only; readOnly() also reads the config file.
	readOnlyFlag bool
	// writeTimeout bounds each write call when --request-timeout is not
	// given; 0 is k8s.DefaultWriteTimeout. Tests shorten it.
	writeTimeout time.Duration
	tui          tuiOptions
	maxInput     byteSize // --max-input-size
}

// demoList is --demo's value when given without a name: list the scenarios.
const demoList = "list"

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, config: k8s.NewConfigFlags()}
}

// usageError marks errors in what the user typed (exit code 2).
type usageError struct{ error }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func (a *app) reportError(err error) int {
	var crash interface{ StackTrace() []byte } // a recovered panic: a bug
	var ie *internalError
	if errors.As(err, &crash) && !errors.As(err, &ie) {
		err = newInternalError(err.Error(), crash.StackTrace())
	}
	msg := strings.TrimSpace(err.Error())
	msg = strings.ReplaceAll(msg, "\n", "; ")
	// The last gate before the terminal: an error can quote a file or a
	// server, and neither may send it escape sequences.
	msg = model.Printable(msg)
	fmt.Fprintf(a.stderr, "ktraffic: %s\n", msg)
	var ue usageError
	switch {
	case errors.As(err, &ue):
		return 2
	case errors.As(err, &ie):
		return 3
	}
	return 1
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "ktraffic",
		Short: "Predict how a Kubernetes Service spreads traffic, with kube-proxy's own rules",
		Long: `ktraffic shows how a Service really spreads traffic: from the load balancer or
NodePort, to nodes, to pods. It predicts each node's and pod's share with
kube-proxy's rules, and lets you try a policy change before you apply it.

With no subcommand it starts the terminal UI. Data comes from the current
kubeconfig context, from a dump (-f), or from a built-in demo (--demo).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runTUI(cmd.Context())
		},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return a.checkConfig(cmd) },
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })

	pf := root.PersistentFlags()
	pf.StringArrayVarP(&a.files, "file", "f", nil, "read objects from a kubectl get -o yaml|json dump at `PATH`: a file, a folder, or - for stdin (repeatable)")
	pf.StringVar(&a.demo, "demo", "", "use the built-in demo scenario `NAME` (no cluster needed); --demo alone lists them, and opens the first in the TUI")
	pf.Lookup("demo").NoOptDefVal = demoList
	pf.BoolVarP(&a.allNamespaces, "all-namespaces", "A", false, "look at every namespace")
	a.config.AddFlags(pf)
	a.addInputFlags(pf)
	a.addWriteFlags(pf)
	a.addTUIFlags(root.Flags())

	root.AddCommand(a.predictCommand(), a.checkCommand(), a.diffCommand(), a.applyCommand(), a.probeCommand())
	return root
}

// checkSourceFlags refuses source flags that contradict each other.
func (a *app) checkSourceFlags() error {
	if len(a.files) > 0 && a.demo != "" {
		return usagef("use either -f/--file or --demo, not both")
	}
	return nil
}

// namespace is the namespace a command looks at ("" = all).
func (a *app) namespace() string {
	if a.allNamespaces {
		return ""
	}
	if a.config.Namespace != nil && *a.config.Namespace != "" {
		return *a.config.Namespace
	}
	return ""
}

// loadSnapshot reads one snapshot from the chosen source.
func (a *app) loadSnapshot(ctx context.Context) (*model.Snapshot, error) {
	if err := a.checkSourceFlags(); err != nil {
		return nil, err
	}
	var snap *model.Snapshot
	var err error
	switch {
	case a.demo != "":
		snap, err = a.loadDemo()
	case len(a.files) > 0:
		snap, err = a.loadFiles(ctx, nil)
	default:
		snap, err = a.loadLive(ctx)
	}
	if err != nil {
		return nil, err
	}
	for _, w := range snap.Warnings {
		fmt.Fprintf(a.stderr, "ktraffic: warning: %s\n", model.Printable(w))
	}
	if n := report.InputNotice(snap); n != "" {
		fmt.Fprintf(a.stderr, "ktraffic: note: %s\n", n)
	}
	return snap, nil
}
