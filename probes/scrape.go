package probes

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ktraffic/ktraffic/model"
)

// Defaults for Scraper.
const (
	DefaultMetric         = "http_requests_total"
	DefaultMetricsPath    = "/metrics"
	DefaultScrapeInterval = 10 * time.Second
)

// PodTarget is one endpoint pod to scrape.
type PodTarget struct {
	// Key is "namespace/name", as in model.EndpointShare.Pod.
	Key, Namespace, Name, IP string
}

// PodTargets lists the prediction's endpoint pods.
func PodTargets(pred *model.Prediction) []PodTarget {
	var out []PodTarget
	for _, e := range pred.Endpoints {
		ns, name, ok := strings.Cut(e.Pod, "/")
		if !ok {
			continue
		}
		out = append(out, PodTarget{Key: e.Pod, Namespace: ns, Name: name, IP: e.IP})
	}
	return out
}

// Scraper measures per-pod request rates from each pod's own /metrics:
// two scrapes Interval apart, the counters' increase over the time between.
type Scraper struct {
	Transport Transport
	Metric    string
	Port      int32
	Path      string
	Interval  time.Duration
	// Timeout and Concurrency bound each scrape as they bound probes.
	Timeout     time.Duration
	Concurrency int
}

type scrape struct {
	at     time.Time
	series map[string]float64
	err    error
}

// Rates scrapes pods twice and returns requests per second per pod key,
// with a summary for model.AttachObserved. It fails only when no pod could
// be measured; pods that failed are named in the summary's warnings.
func (s Scraper) Rates(ctx context.Context, pods []PodTarget) (map[string]float64, model.ObservedSummary, error) {
	metric, path, interval := s.Metric, s.Path, s.Interval
	if metric == "" {
		metric = DefaultMetric
	}
	if path == "" {
		path = DefaultMetricsPath
	}
	if interval <= 0 {
		interval = DefaultScrapeInterval
	}
	sum := model.ObservedSummary{Source: "scrape", Query: fmt.Sprintf("%s from :%d%s", metric, s.Port, path), WindowSeconds: interval.Seconds()}
	if s.Port == 0 {
		return nil, sum, errors.New("scraping needs the pods' metrics port")
	}
	first := s.scrapeAll(ctx, pods, metric, path)
	select {
	case <-time.After(interval):
	case <-ctx.Done():
		return nil, sum, ctx.Err()
	}
	second := s.scrapeAll(ctx, pods, metric, path)

	rates := map[string]float64{}
	var firstErr error
	for i, p := range pods {
		a, b := first[i], second[i]
		err := a.err
		if err == nil {
			err = b.err
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			sum.Warnings = append(sum.Warnings, fmt.Sprintf("could not scrape %s: %v", p.Key, err))
			continue
		}
		elapsed := b.at.Sub(a.at).Seconds()
		if elapsed <= 0 {
			continue
		}
		rates[p.Key] = Increase(a.series, b.series) / elapsed
	}
	sort.Strings(sum.Warnings)
	if len(rates) == 0 && firstErr != nil {
		return nil, sum, fmt.Errorf("no pod could be scraped: %w", firstErr)
	}
	return rates, sum, nil
}

func (s Scraper) scrapeAll(ctx context.Context, pods []PodTarget, metric, path string) []scrape {
	out := make([]scrape, len(pods))
	for i := range out {
		out[i].err = ctx.Err()
	}
	limit := s.Concurrency
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	forEach(ctx, len(pods), limit, func(i int) {
		p := pods[i]
		cctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		resp, err := s.Transport.Pod(cctx, p.Namespace, p.Name, p.IP, s.Port, path)
		at := time.Now()
		var sc scrape
		switch {
		case err != nil:
			sc.err = err
		case resp.Status != 200:
			sc.err = fmt.Errorf("%s answered %d", path, resp.Status)
		default:
			sc.series, sc.err = CounterSeries(resp.Body, resp.ContentType, metric)
		}
		sc.at = at
		out[i] = sc
	})
	return out
}
