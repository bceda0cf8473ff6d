package cli

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// PredictOptions are what predict needs: the request its flags make,
// where the snapshot comes from, and where observed traffic comes from.
type PredictOptions struct {
	IO       IOStreams
	Snapshot func(context.Context) (*model.Snapshot, error)
	Request  model.Request
	Output   string
	Observed observedOptions
	// attachObserved adds observed traffic to a prediction.
	attachObserved func(context.Context, *model.Snapshot, *model.Prediction) error
}

// NewCmdPredict is `ktraffic predict`. runF, when set, runs instead of
// predictRun, so tests can check what the flags make.
func NewCmdPredict(f *Factory, runF func(context.Context, *PredictOptions) error) *cobra.Command {
	opts := &PredictOptions{IO: f.IO, Snapshot: f.Snapshot}
	var svc serviceFlags
	var what whatIfFlags
	var out outputFlag
	var clients clientFlags
	cmd := &cobra.Command{
		Use:   "predict --service NAMESPACE/NAME [--from SOURCE] [--set KEY=VALUE]...",
		Short: "Predict how a Service's traffic spreads over nodes and pods",
		Example: `  ktraffic predict --demo kiada --service default/kiada
  ktraffic predict --demo kiada --service default/kiada-cluster --set externalTrafficPolicy=Local -o json
  kubectl get svc,endpointslices,pods,nodes -A -o yaml | ktraffic predict -f - --service shop/checkout --from internal`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := out.check(); err != nil {
				return err
			}
			if f.demo == demoList {
				return listDemos(f.IO.Out)
			}
			req, err := f.request(svc, what)
			if err != nil {
				return err
			}
			if err := clients.apply(&req); err != nil {
				return err
			}
			opts.Request, opts.Output = req, out.format
			opts.attachObserved = func(ctx context.Context, snap *model.Snapshot, p *model.Prediction) error {
				return opts.Observed.attach(ctx, f, snap, p)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return predictRun(cmd.Context(), opts)
		},
	}
	svc.add(cmd, "the Service", withFrom|withPort)
	what.add(cmd)
	clients.add(cmd)
	opts.Observed.addFlags(cmd)
	out.add(cmd, "table", "json", "yaml")
	return cmd
}

func predictRun(ctx context.Context, opts *PredictOptions) error {
	snap, err := opts.Snapshot(ctx)
	if err != nil {
		return err
	}
	p, outcomes, err := model.PredictSources(snap, opts.Request)
	if err != nil {
		return err
	}
	p.Sources = outcomes
	if err := opts.attachObserved(ctx, snap, p); err != nil {
		return err
	}
	return writePrediction(opts.IO.Out, opts.Output, p)
}

func writePrediction(w io.Writer, format string, p *model.Prediction) error {
	if format == "table" {
		return report.Table(w, p)
	}
	return writeData(w, format, p)
}
