package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// predictOptions are the flags that describe one prediction; diff and
// apply share them.
type predictOptions struct {
	service string
	from    string
	set     []string
	drills  []string
	port    string
	output  string
}

func (o *predictOptions) addFlags(cmd *cobra.Command, withDrills bool) {
	f := cmd.Flags()
	f.StringVar(&o.service, "service", "", "the Service, as NAMESPACE/NAME (or NAME in the -n namespace)")
	f.StringVar(&o.from, "from", "", "traffic source: "+model.ValidSources+" (default: the Service type's own entry)")
	f.StringArrayVar(&o.set, "set", nil, "what-if override KEY=VALUE (repeatable); keys: "+strings.Join(model.OverrideKeys(), ", "))
	f.StringVar(&o.port, "port", "", "the Service port, by name or number (default: the first)")
	if withDrills {
		f.StringArrayVar(&o.drills, "drill", nil, "failure drill (repeatable): "+model.DrillKinds)
	}
}

// request turns the flags into a model.Request, refusing bad values with
// one line that lists the valid ones.
func (o *predictOptions) request(a *app) (model.Request, error) {
	if o.service == "" {
		return model.Request{}, usagef("--service is required (NAMESPACE/NAME)")
	}
	src, err := model.ParseSource(o.from)
	if err != nil {
		return model.Request{}, usageError{err}
	}
	ov, err := model.ParseOverrides(o.set)
	if err != nil {
		return model.Request{}, usageError{err}
	}
	req := model.Request{Service: a.serviceKey(o.service), Source: src, Overrides: ov, Port: o.port}
	for _, d := range o.drills {
		drill, err := model.ParseDrill(d)
		if err != nil {
			return model.Request{}, usageError{err}
		}
		req.Drills = append(req.Drills, drill)
	}
	return req, nil
}

// serviceKey completes NAME to NAMESPACE/NAME with the namespace flag.
func (a *app) serviceKey(s string) string {
	if strings.Contains(s, "/") {
		return s
	}
	ns := a.namespace()
	if ns == "" {
		ns = "default"
	}
	return ns + "/" + s
}

func checkOutput(output string, valid ...string) error {
	for _, v := range valid {
		if output == v {
			return nil
		}
	}
	return usagef("invalid -o %q: valid: %s", output, strings.Join(valid, ", "))
}

func (a *app) predictCommand() *cobra.Command {
	var o predictOptions
	var obs observedOptions
	cmd := &cobra.Command{
		Use:   "predict --service NAMESPACE/NAME [--from SOURCE] [--set KEY=VALUE]...",
		Short: "Predict how a Service's traffic spreads over nodes and pods",
		Example: `  ktraffic predict --demo kiada --service default/kiada
  ktraffic predict --demo kiada --service default/kiada-cluster --set externalTrafficPolicy=Local -o json
  kubectl get svc,endpointslices,pods,nodes -A -o yaml | ktraffic predict -f - --service shop/checkout --from internal`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(o.output, "table", "json", "yaml"); err != nil {
				return err
			}
			if a.demo == demoList {
				return a.listDemos()
			}
			req, err := o.request(a)
			if err != nil {
				return err
			}
			snap, err := a.loadSnapshot(cmd.Context())
			if err != nil {
				return err
			}
			p, outcomes, err := model.PredictSources(snap, req)
			if err != nil {
				return err
			}
			p.Sources = outcomes
			if err := obs.attach(cmd.Context(), a, snap, p); err != nil {
				return err
			}
			return writePrediction(a.stdout, o.output, p)
		},
	}
	o.addFlags(cmd, true)
	obs.addFlags(cmd)
	cmd.Flags().StringVarP(&o.output, "output", "o", "table", "output format: table, json or yaml")
	return cmd
}

// writeData writes v as indented JSON or as YAML with the same field names.
func writeData(w io.Writer, format string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if format == "yaml" {
		if data, err = yaml.JSONToYAML(data); err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

func writePrediction(w io.Writer, format string, p *model.Prediction) error {
	if format == "table" {
		return report.Table(w, p)
	}
	return writeData(w, format, p)
}
