package cli

import (
	"github.com/spf13/cobra"
)

// rootCommand is ktraffic itself: the terminal UI without a subcommand,
// the persistent flags every command shares (where data comes from and
// how to reach the cluster, --read-only, --max-input-size), and the
// subcommands.
func (f *Factory) rootCommand() *cobra.Command {
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
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return (&tuiRun{f}).run(cmd.Context())
		},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			flush, err := f.startLogging(!cmd.HasParent())
			if err != nil {
				return err
			}
			f.flushLog = flush
			return f.checkConfig(cmd)
		},
	}
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })

	pf := root.PersistentFlags()
	pf.StringArrayVarP(&f.files, "file", "f", nil, "read objects from a kubectl get -o yaml|json dump at `PATH`: a file, a folder, or - for stdin (repeatable)")
	pf.StringVar(&f.demo, "demo", "", "use the built-in demo scenario `NAME` (no cluster needed); --demo alone lists them, and opens the first in the TUI")
	pf.Lookup("demo").NoOptDefVal = demoList
	pf.BoolVarP(&f.allNamespaces, "all-namespaces", "A", false, "look at every namespace")
	f.config.AddFlags(pf)
	f.addInputFlags(pf)
	f.addWriteFlags(pf)
	f.addLogFlags(pf)
	f.addTUIFlags(root)

	// cobra's default --version line ("NAME version V"): a custom
	// template would run text/template, see scripts/check-size.sh.
	root.Version = readBuildInfo().short()
	root.AddCommand(NewCmdPredict(f, nil), NewCmdCheck(f, nil), NewCmdDiff(f, nil), NewCmdApply(f, nil), NewCmdProbe(f, nil), NewCmdVersion(f))
	(&completer{f}).registerCompletions(root)
	documentExitCodes(root)
	return root
}
