package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/probes"
)

// observedOptions choose where observed traffic comes from, for commands
// that show it beside a prediction.
type observedOptions struct {
	prometheus     string
	promql         string
	scrape         bool
	metric         string
	metricsPort    int
	metricsPath    string
	scrapeWait     time.Duration
	direct         bool
	observeTimeout time.Duration
}

func (o *observedOptions) addFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&o.prometheus, "prometheus", "", "Prometheus base URL: show observed per-pod traffic beside the prediction")
	fl.StringVar(&o.promql, "promql", probes.DefaultPromQL, "PromQL returning one rate per pod; template fields {{.Namespace}}, {{.Name}}, {{.Service}}, {{.Pods}} (a regex of the endpoint pods)")
	fl.BoolVar(&o.scrape, "scrape-metrics", false, "measure observed traffic by scraping each endpoint pod's metrics twice (through the API server: needs get on pods/proxy)")
	fl.StringVar(&o.metric, "metric", probes.DefaultMetric, "counter to rate when scraping")
	fl.IntVar(&o.metricsPort, "metrics-port", 0, "pods' metrics port when scraping (default: the Service port's numeric targetPort)")
	fl.StringVar(&o.metricsPath, "metrics-path", probes.DefaultMetricsPath, "metrics path when scraping")
	fl.DurationVar(&o.scrapeWait, "scrape-interval", probes.DefaultScrapeInterval, "time between the two scrapes a rate needs")
	fl.BoolVar(&o.direct, "scrape-direct", false, "scrape pod IPs from here instead of through the API server")
	fl.DurationVar(&o.observeTimeout, "observe-timeout", 10*time.Second, "how long one Prometheus query or pod scrape may take")
}

// attach adds observed traffic to p when a metrics source was chosen; it
// does nothing otherwise.
func (o *observedOptions) attach(ctx context.Context, f *Factory, snap *model.Snapshot, p *model.Prediction) error {
	if o.prometheus != "" && o.scrape {
		return usagef("use either --prometheus or --scrape-metrics, not both")
	}
	var (
		rates map[string]float64
		sum   model.ObservedSummary
		err   error
	)
	switch {
	case o.prometheus != "":
		rates, sum, err = probes.Prometheus{URL: o.prometheus, Query: o.promql, Timeout: o.observeTimeout}.Rates(ctx, p)
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
