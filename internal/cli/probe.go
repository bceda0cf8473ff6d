package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/probes"
)

// ProbeOptions are what probe needs: the Service, how to reach the
// nodes, and how to print.
type ProbeOptions struct {
	IO          IOStreams
	Snapshot    func(context.Context) (*model.Snapshot, error)
	Transport   func(direct bool) (probes.Transport, error)
	Service     string // NAMESPACE/NAME
	Direct      bool
	Timeout     time.Duration
	Concurrency int
	Output      string
	Yes         bool
	// fromDump is set when the nodes come from a dump: their addresses are
	// listed and the user asked before anything is sent; dumpOnStdin when
	// that dump is standard input, where the question cannot be asked.
	fromDump, dumpOnStdin bool
}

// probeReport is probe's JSON and YAML output.
type probeReport struct {
	Service   string              `json:"service"`
	Policy    model.TrafficPolicy `json:"externalTrafficPolicy"`
	Transport string              `json:"transport"`
	Results   []probes.Result     `json:"results"`
	Findings  []model.Finding     `json:"findings"`
}

// NewCmdProbe is `ktraffic probe`. runF, when set, runs instead of
// probeRun.
func NewCmdProbe(f *Factory, runF func(context.Context, *ProbeOptions) error) *cobra.Command {
	opts := &ProbeOptions{IO: f.IO, Snapshot: f.Snapshot, Transport: f.probeTransport}
	var svc serviceFlags
	var out outputFlag
	cmd := &cobra.Command{
		Use:   "probe --service NAMESPACE/NAME [--direct]",
		Short: "Ask every node's kube-proxy what the load balancer's health check sees, beside the prediction",
		Long: `probe sends each node the health check a cloud load balancer sends: GET
healthCheckNodePort/healthz under externalTrafficPolicy: Local (200 only while
the node has a ready local endpoint), kube-proxy's :10256/healthz otherwise.
It prints what each node answered beside ktraffic's predicted health.

By default probes go through the API server's node proxy, which needs get on
nodes/proxy; --direct probes the nodes' InternalIPs from this machine, the way
the load balancer does.

A demo has no cluster to ask, so probe refuses it. With a dump (-f), only
--direct can reach the nodes, and their addresses are real networks wherever
the dump was taken: probe lists every address it would contact and asks before
sending anything (--yes answers for you).`,
		Example: `  ktraffic probe --service shop/web
  ktraffic probe --service shop/web --direct -o json
  ktraffic probe -f dump.yaml --service shop/web --direct --yes`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := out.check(); err != nil {
				return err
			}
			if svc.service == "" {
				return usagef("--service is required (NAMESPACE/NAME)")
			}
			src, err := f.dataSource()
			if err != nil {
				return err
			}
			switch {
			case src.kind == sourceDemo:
				return usagef("probe needs a cluster to ask: the demo %s is made up, and its node addresses belong to real networks on other machines, so nothing was sent; ktraffic predict --demo %s shows the predicted health", src.demo, src.demo)
			case src.kind == sourceFiles && !opts.Direct:
				return usagef("probe -f needs --direct: the dump's nodes are not behind the current kubeconfig's API server; --direct probes their addresses from this machine after asking")
			}
			opts.Service, opts.Output = f.serviceKey(svc.service), out.format
			opts.fromDump, opts.dumpOnStdin = src.kind == sourceFiles, slices.Contains(src.files, "-")
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return probeRun(cmd.Context(), opts)
		},
	}
	svc.add(cmd, "the Service", 0)
	fl := cmd.Flags()
	fl.BoolVar(&opts.Direct, "direct", false, "probe the nodes' InternalIPs from here instead of through the API server's node proxy")
	fl.DurationVar(&opts.Timeout, "timeout", probes.DefaultTimeout, "how long each probe may take; a node that does not answer in time counts as down, as it would for the load balancer")
	fl.IntVar(&opts.Concurrency, "concurrency", probes.DefaultConcurrency, "probes in flight at once")
	out.add(cmd, "table", "json", "yaml")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "with -f --direct: probe the dump's node addresses without asking")
	return cmd
}

func probeRun(ctx context.Context, opts *ProbeOptions) error {
	rep, err := runProbe(ctx, opts)
	if err != nil {
		return err
	}
	if opts.Output == "table" {
		return writeProbeTable(opts.IO.Out, rep)
	}
	return writeData(opts.IO.Out, opts.Output, rep)
}

func runProbe(ctx context.Context, opts *ProbeOptions) (*probeReport, error) {
	key := opts.Service
	snap, err := opts.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	svc := snap.Service(key)
	if svc == nil {
		return nil, usagef("service %s not found in %s", key, snap.Source)
	}
	tr, err := opts.Transport(opts.Direct)
	if err != nil {
		return nil, err
	}
	// The prediction that matters is the load balancer's: it is what the
	// health checks steer. Other Service types still have node health.
	req := model.Request{Service: key}
	if svc.Type == model.TypeLoadBalancer {
		req.Source = model.TrafficSource{Kind: model.SourceLB}
	}
	pred, err := model.Predict(snap, req)
	if err != nil {
		return nil, err
	}
	targets := probes.Targets(snap, svc)
	if opts.fromDump {
		if err := confirmDumpTargets(opts, targets); err != nil {
			return nil, err
		}
	}
	results := probes.Prober{Transport: tr, Timeout: opts.Timeout, Concurrency: opts.Concurrency}.Probe(ctx, targets)
	if err := probes.OurSideError(results); err != nil {
		return nil, err
	}
	findings := probes.Compare(results, pred)
	if findings == nil {
		findings = []model.Finding{}
	}
	return &probeReport{Service: key, Policy: svc.ExternalTrafficPolicy, Transport: tr.Name(), Results: results, Findings: findings}, nil
}

// confirmDumpTargets lists the addresses a probe of a dump would contact
// and asks before anything is sent: they come from a file, and are real
// networks wherever it was taken. The list and question go to stderr, so
// -o json stays clean.
func confirmDumpTargets(opts *ProbeOptions, targets []probes.Target) error {
	fmt.Fprintf(opts.IO.ErrOut, "probe --direct would send %s from this machine to addresses read from the dump:\n", model.Counted(len(targets), "HTTP GET request", "HTTP GET requests"))
	for _, t := range targets {
		fmt.Fprintf(opts.IO.ErrOut, "  %s  %s\n", t.Node, net.JoinHostPort(probeDash(t.Address), strconv.Itoa(int(t.Port)))+t.Path)
	}
	if opts.Yes {
		return nil
	}
	if opts.dumpOnStdin {
		return usagef("not probed: the dump came from standard input, so the question cannot be asked there; check the addresses above and pass --yes")
	}
	ok, err := confirm(opts.IO.In, opts.IO.ErrOut, "These addresses are real networks wherever the dump was taken. Send the probes? [y/N] ")
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("not probed: nothing was sent (--yes skips the question)")
	}
	return nil
}

// probeTransport is the direct transport, or the API server's proxy built
// from the kubeconfig flags.
func (f *Factory) probeTransport(direct bool) (probes.Transport, error) {
	if direct {
		return probes.Direct{}, nil
	}
	cfg, err := f.config.ToRESTConfig()
	if err != nil {
		return nil, fmt.Errorf("probing through the API server needs a kubeconfig (or use --direct): %w", err)
	}
	return probes.NewAPIServer(cfg)
}

func writeProbeTable(w io.Writer, rep *probeReport) error {
	fmt.Fprintf(w, "Service %s (externalTrafficPolicy %s), probed %s\n\n", rep.Service, probeDash(string(rep.Policy)), rep.Transport)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tADDRESS\tPORT\tPATH\tSTATUS\tLOCAL-EPS\tHEALTHY\tPREDICTED\tAGREE")
	for _, r := range rep.Results {
		status := strconv.Itoa(r.Status)
		if r.Status == 0 {
			status = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Node, probeDash(r.Address), r.Port, r.Path, status,
			probeInt(r.LocalEndpoints), probeYesNo(r.Healthy), probeBool(r.PredictedHealthy), probeBool(r.Agree))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rep.Results {
		switch {
		case r.Error != "":
			fmt.Fprintf(w, "  %s: %s\n", r.Node, r.Error)
		case r.BodyError != "":
			fmt.Fprintf(w, "  %s: %s\n", r.Node, r.BodyError)
		}
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintln(w)
		for _, f := range rep.Findings {
			fmt.Fprintf(w, "%-7s %s: %s\n", f.Level, f.Code, f.Message)
		}
	}
	return nil
}

func probeDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func probeInt(n *int) string {
	if n == nil {
		return "-"
	}
	return strconv.Itoa(*n)
}

func probeYesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func probeBool(b *bool) string {
	if b == nil {
		return "-"
	}
	return probeYesNo(*b)
}
