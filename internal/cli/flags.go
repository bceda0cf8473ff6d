package cli

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
)

// serviceFlags pick a Service and what to look at: registered once here
// and read the same way by predict, diff, apply, probe and the TUI.
type serviceFlags struct {
	service string
	from    string
	port    string
}

// Which of serviceFlags a command takes besides --service.
const (
	withFrom = 1 << iota
	withPort
)

// add registers --service, and --from and --port as with asks; what says
// what --service is for ("the Service").
func (s *serviceFlags) add(cmd *cobra.Command, what string, with int) {
	fl := cmd.Flags()
	fl.StringVar(&s.service, "service", "", what+", as NAMESPACE/NAME (or NAME in the -n namespace)")
	if with&withFrom != 0 {
		fl.StringVar(&s.from, "from", "", "traffic source: "+model.ValidSources+" (default: the Service type's own entry)")
	}
	if with&withPort != 0 {
		fl.StringVar(&s.port, "port", "", "the Service port, by name or number (default: the first)")
	}
}

// trafficFlags are what predict and diff both take: the Service and its
// source, the what-if, the client side, and (on the Factory) where
// observed traffic comes from.
type trafficFlags struct {
	svc     serviceFlags
	what    whatIfFlags
	clients clientFlags
}

func (t *trafficFlags) add(f *Factory, cmd *cobra.Command) {
	t.svc.add(cmd, "the Service", withFrom|withPort)
	t.what.add(cmd)
	t.clients.add(cmd)
	f.observed.addFlags(cmd)
}

// request reads the flags into a request, and gives the function that
// adds observed traffic to a prediction.
func (t *trafficFlags) request(f *Factory) (model.Request, observedAttacher, error) {
	req, err := f.request(t.svc, t.what)
	if err != nil {
		return model.Request{}, nil, err
	}
	if err := t.clients.apply(&req); err != nil {
		return model.Request{}, nil, err
	}
	if err := f.observed.check(); err != nil {
		return model.Request{}, nil, err
	}
	attach := func(ctx context.Context, snap *model.Snapshot, p *model.Prediction) error {
		return f.observed.attach(ctx, f, snap, p)
	}
	return req, attach, nil
}

// observedAttacher adds observed traffic to a prediction, when a metrics
// source was chosen.
type observedAttacher func(context.Context, *model.Snapshot, *model.Prediction) error

// whatIfFlags are the changes and failure drills a what-if tries.
type whatIfFlags struct {
	set    []string
	drills []string
}

func (w *whatIfFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&w.set, "set", nil, "what-if override KEY=VALUE (repeatable); keys: "+strings.Join(model.OverrideKeys(), ", "))
	fl.StringArrayVar(&w.drills, "drill", nil, "failure drill (repeatable): "+model.DrillKinds)
}

// request turns the flags into a model.Request, refusing bad values with
// one line that lists the valid ones.
func (f *Factory) request(s serviceFlags, w whatIfFlags) (model.Request, error) {
	if s.service == "" {
		return model.Request{}, usagef("--service is required (NAMESPACE/NAME)")
	}
	src, err := model.ParseSource(s.from)
	if err != nil {
		return model.Request{}, usageError{err}
	}
	ov, err := model.ParseOverrides(w.set)
	if err != nil {
		return model.Request{}, usageError{err}
	}
	req := model.Request{Service: f.serviceKey(s.service), Source: src, Overrides: ov, Port: s.port}
	for _, d := range w.drills {
		drill, err := model.ParseDrill(d)
		if err != nil {
			return model.Request{}, usageError{err}
		}
		req.Drills = append(req.Drills, drill)
	}
	return req, nil
}

// serviceKey completes NAME to NAMESPACE/NAME as kubectl picks a
// namespace: -n, else (on a cluster) the kubeconfig context's, else
// default. Every command and the TUI read --service through it.
//
// The live source then reads the Service's namespace (liveScope).
func (f *Factory) serviceKey(s string) string {
	key := f.completeKey(s)
	f.serviceNamespace, _, _ = strings.Cut(key, "/")
	return key
}

func (f *Factory) completeKey(s string) string {
	if strings.Contains(s, "/") {
		return s
	}
	ns := f.namespace()
	if src, err := f.dataSource(); ns == "" && err == nil && src.isCluster() {
		if n, _, err := f.config.ToRawKubeConfigLoader().Namespace(); err == nil {
			ns = n
		}
	}
	if ns == "" {
		ns = "default"
	}
	return ns + "/" + s
}

// outputFlag is kubectl's -o (and --no-headers where a command prints
// tables): the named formats a command prints, and jsonpath=EXPR, which
// every command that prints data takes (writeData).
type outputFlag struct {
	format    string
	valid     []string
	noHeaders bool
}

func (o *outputFlag) add(cmd *cobra.Command, valid ...string) {
	o.valid = valid
	names := append(slices.Clone(valid), "jsonpath=EXPR")
	cmd.Flags().StringVarP(&o.format, "output", "o", valid[0], "output format: "+strings.Join(names[:len(names)-1], ", ")+" or "+names[len(names)-1]+" (kubectl's JSONPath over the JSON form)")
	if slices.Contains(valid, "table") || slices.Contains(valid, "wide") {
		cmd.Flags().BoolVar(&o.noHeaders, "no-headers", false, "leave out the tables' column headers (-o table or wide)")
	}
	_ = cmd.RegisterFlagCompletionFunc("output", fixed(append(slices.Clone(valid), "jsonpath=")...))
}

func (o *outputFlag) check() error {
	if slices.Contains(o.valid, o.format) {
		return nil
	}
	kind, expr, hasExpr := strings.Cut(o.format, "=")
	switch kind {
	case "jsonpath":
		if !hasExpr || strings.TrimSpace(expr) == "" {
			return usagef("-o jsonpath needs an expression: -o jsonpath='{.service}'")
		}
		_, err := parseJSONPath(expr)
		return err
	case "go-template", "go-template-file", "template", "templatefile":
		return usageError{errGoTemplate}
	}
	return usagef("invalid -o %q: valid: %s, jsonpath=EXPR", o.format, strings.Join(o.valid, ", "))
}
