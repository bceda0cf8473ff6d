package cli

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/probes"
)

// observedOptions choose where observed traffic comes from. The TUI,
// predict and diff take them (one set of flags, registered on each), and
// show what was measured next to what was predicted.
type observedOptions struct {
	prometheus     string
	preset         string // --observed
	promql         string
	promConfig     string // --prometheus-config
	promTokenFile  string
	scrape         bool
	metric         string
	metricsPort    int
	metricsPath    string
	scrapeWait     time.Duration
	direct         bool
	observeTimeout time.Duration
	every          time.Duration // the TUI's refresh
}

// observedScrape is --observed's value that scrapes the pods themselves.
const observedScrape = "scrape"

func (o *observedOptions) addFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&o.prometheus, "prometheus", "", "Prometheus base `URL`: show observed per-pod traffic beside the prediction")
	fl.StringVar(&o.preset, "observed", "", "observed traffic from metrics you already have, no PromQL needed: "+probes.PresetNames()+" (with --prometheus), or "+observedScrape+" (each pod's /metrics, as --scrape-metrics)")
	fl.StringVar(&o.promql, "promql", "", "your own PromQL returning one rate per pod, instead of --observed; template fields {{.Namespace}}, {{.Name}}, {{.Service}}, {{.Pods}} (a regex of the endpoint pods); default "+probes.DefaultPromQL)
	fl.StringVar(&o.promConfig, "prometheus-config", "", "`FILE` with how to reach Prometheus, in Prometheus's own http_config format: bearer_token(_file), basic_auth, authorization, tls_config, proxy_url")
	fl.StringVar(&o.promTokenFile, "prometheus-token-file", "", "send the bearer token in `FILE` to Prometheus (re-read on every query)")
	fl.BoolVar(&o.scrape, "scrape-metrics", false, "measure observed traffic by scraping each endpoint pod's metrics twice (through the API server: needs get on pods/proxy)")
	fl.StringVar(&o.metric, "metric", probes.DefaultMetric, "counter to rate when scraping")
	fl.IntVar(&o.metricsPort, "metrics-port", 0, "pods' metrics port when scraping (default: the Service port's numeric targetPort)")
	fl.StringVar(&o.metricsPath, "metrics-path", probes.DefaultMetricsPath, "metrics path when scraping")
	fl.DurationVar(&o.scrapeWait, "scrape-interval", probes.DefaultScrapeInterval, "time between the two scrapes a rate needs")
	fl.BoolVar(&o.direct, "scrape-direct", false, "scrape pod IPs from here instead of through the API server")
	fl.DurationVar(&o.observeTimeout, "observe-timeout", 10*time.Second, "how long one Prometheus query or pod scrape may take")
	if cmd.Name() == defaultName { // the root: the TUI
		fl.DurationVar(&o.every, "observe-every", 30*time.Second, "how often the terminal UI measures observed traffic again")
	}
	_ = cmd.RegisterFlagCompletionFunc("observed", fixed(append(presetCompletions(), observedScrape+"\teach pod's /metrics")...))
}

func presetCompletions() []string {
	out := make([]string, len(probes.Presets))
	for i, p := range probes.Presets {
		out[i] = p.Name + "\t" + p.What
	}
	return out
}

// enabled says whether a metrics source was chosen.
func (o *observedOptions) enabled() bool {
	return o.prometheus != "" || o.scrape || o.preset != ""
}

// check refuses combinations that cannot mean anything, before any work.
func (o *observedOptions) check() error {
	if o.preset == observedScrape {
		o.scrape, o.preset = true, ""
	}
	switch {
	case o.prometheus != "" && o.scrape:
		return usagef("use either --prometheus or --scrape-metrics (--observed scrape), not both")
	case o.preset != "" && o.promql != "":
		return usagef("use either --observed %s or --promql, not both", o.preset)
	case o.preset != "" && o.prometheus == "":
		return usagef("--observed %s reads Prometheus: give its URL with --prometheus", o.preset)
	case o.prometheus == "" && (o.promql != "" || o.promConfig != "" || o.promTokenFile != ""):
		return usagef("--promql, --prometheus-config and --prometheus-token-file need --prometheus URL")
	}
	if o.preset != "" {
		if _, err := probes.PresetByName(o.preset); err != nil {
			return usageError{err}
		}
	}
	return nil
}

// describe names the metrics source for a heading: "istio via
// prometheus", "pods' /metrics".
func (o *observedOptions) describe() string {
	switch {
	case o.scrape:
		return "scraping the pods' " + o.metric
	case o.preset != "":
		return o.preset + " metrics via Prometheus"
	case o.promql != "":
		return "your PromQL via Prometheus"
	}
	return "http_requests_total via Prometheus"
}

// prometheusConfig reads --prometheus-config and adds
// --prometheus-token-file, with one line naming what is wrong.
func (o *observedOptions) prometheusConfig() (*probes.PrometheusHTTPConfig, error) {
	cfg := &probes.PrometheusHTTPConfig{}
	if o.promConfig != "" {
		c, err := probes.LoadPrometheusHTTPConfig(o.promConfig)
		if err != nil {
			return nil, usagef("--prometheus-config %s: %v", o.promConfig, err)
		}
		cfg = c
	}
	if o.promTokenFile != "" {
		if cfg.Authorization != nil || cfg.BasicAuth != nil || cfg.BearerToken != "" || cfg.BearerTokenFile != "" {
			return nil, usagef("--prometheus-token-file: --prometheus-config already sets how to authenticate")
		}
		cfg.BearerTokenFile = o.promTokenFile
	}
	return cfg, nil
}

// attach adds observed traffic to p when a metrics source was chosen; it
// does nothing otherwise.
func (o *observedOptions) attach(ctx context.Context, f *Factory, snap *model.Snapshot, p *model.Prediction) error {
	if err := o.check(); err != nil {
		return err
	}
	var (
		rates map[string]float64
		sum   model.ObservedSummary
		err   error
	)
	switch {
	case o.prometheus != "":
		cfg, cerr := o.prometheusConfig()
		if cerr != nil {
			return cerr
		}
		client, cerr := cfg.Client()
		if cerr != nil {
			return usagef("--prometheus-config: %v", cerr)
		}
		q := probes.Prometheus{URL: o.prometheus, Query: o.promql, Client: client, Timeout: o.observeTimeout}
		if o.preset != "" {
			preset, _ := probes.PresetByName(o.preset)
			q.Preset = &preset
		}
		rates, sum, err = q.Rates(ctx, p)
		if err == nil && q.Preset != nil && q.Preset.TotalOnly {
			model.AttachObservedTotal(p, sum.TotalRate, sum)
			return nil
		}
	case o.scrape:
		port := int32(o.metricsPort)
		if port == 0 {
			port = targetPort(snap, p.Service)
		}
		if port == 0 {
			return usagef("--scrape-metrics needs --metrics-port: the Service's targetPort is not a number")
		}
		tr, terr := f.probeTransport(o.direct)
		if terr != nil {
			return terr
		}
		s := probes.Scraper{Transport: tr, Metric: o.metric, Port: port, Path: o.metricsPath, Interval: o.scrapeWait, Timeout: o.observeTimeout}
		rates, sum, err = s.Rates(ctx, probes.PodTargets(p))
	default:
		return nil
	}
	if err != nil {
		return fmt.Errorf("observed traffic: %w", err)
	}
	model.AttachObserved(p, rates, sum)
	return nil
}

// observeCopy measures observed traffic for a copy of p, leaving p as it
// was: the TUI draws p while the measurement runs.
func (o *observedOptions) observeCopy(ctx context.Context, f *Factory, snap *model.Snapshot, p *model.Prediction) (*model.Prediction, error) {
	c := *p
	c.Endpoints = slices.Clone(p.Endpoints)
	if err := o.attach(ctx, f, snap, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// targetPort is the first Service port's targetPort when it is a number:
// applications often serve /metrics on their traffic port.
func targetPort(snap *model.Snapshot, key string) int32 {
	svc := snap.Service(key)
	if svc == nil || len(svc.Ports) == 0 {
		return 0
	}
	n, err := strconv.Atoi(svc.Ports[0].TargetPort)
	if err != nil || n <= 0 || n > 65535 {
		return 0
	}
	return int32(n)
}
