package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

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
	// NoHeaders leaves out table headers (--no-headers).
	NoHeaders bool
	// attachObserved adds observed traffic to a prediction (--prometheus,
	// --observed, --scrape-metrics); it does nothing when none was asked.
	attachObserved observedAttacher
}

// NewCmdPredict is `ktraffic predict`. runF, when set, runs instead of
// predictRun, so tests can check what the flags make.
func NewCmdPredict(f *Factory, runF func(context.Context, *PredictOptions) error) *cobra.Command {
	opts := &PredictOptions{IO: f.IO, Snapshot: f.Snapshot}
	var tf trafficFlags
	var out outputFlag
	cmd := &cobra.Command{
		Use:   "predict --service NAMESPACE/NAME [--from SOURCE] [--set KEY=VALUE]...",
		Short: "Predict how a Service's traffic spreads over nodes and pods",
		Example: `  ktraffic predict --demo kiada --service default/kiada
  ktraffic predict --demo kiada --service default/kiada-cluster --set externalTrafficPolicy=Local -o json
  kubectl get svc,endpointslices,pods,nodes -A -o yaml | ktraffic predict -f - --service shop/checkout --from internal`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := out.check(); err != nil {
				return err
			}
			if f.demo == demoList {
				return listDemos(f.IO.Out)
			}
			req, attach, err := tf.request(f)
			if err != nil {
				return err
			}
			opts.Request, opts.Output, opts.NoHeaders, opts.attachObserved = req, out.format, out.noHeaders, attach
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return predictRun(cmd.Context(), opts)
		},
	}
	tf.add(f, cmd)
	out.add(cmd, "table", "wide", "json", "yaml", "name")
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
	return writePrediction(opts.IO.Out, opts.Output, opts.NoHeaders, p)
}

// writePrediction prints a prediction: the report (wide adds every
// flow), the data, or with -o name the pods that get traffic, as
// pod/NAME the way kubectl names objects, to pipe into kubectl.
func writePrediction(w io.Writer, format string, noHeaders bool, p *model.Prediction) error {
	switch format {
	case "table", "wide":
		return report.TableWith(w, p, report.Options{Wide: format == "wide", NoHeaders: noHeaders})
	case "name":
		for _, e := range p.Endpoints {
			if _, name, ok := strings.Cut(e.Pod, "/"); ok && e.Share > 0 {
				if _, err := fmt.Fprintf(w, "pod/%s\n", name); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return writeData(w, format, p)
}
