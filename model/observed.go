package model

import (
	"fmt"
	"math"
	"sort"
)

// GapLevel grades how far a pod's observed share strays from its predicted
// share, with Kiali's words for service health so operators read it the
// same way.
type GapLevel string

// Gap levels; GapUnknown when a pod had no data.
const (
	GapHealthy  GapLevel = "healthy"
	GapDegraded GapLevel = "degraded"
	GapFailure  GapLevel = "failure"
	GapUnknown  GapLevel = "unknown"
)

// Gap thresholds in share points (0.10 = ten percentage points of the
// delivered traffic). Below GapDegradedAt the difference is within what a
// few minutes of real traffic wobble; past GapFailureAt the prediction is
// plainly not what the datapath does.
const (
	GapDegradedAt = 0.10
	GapFailureAt  = 0.25
	// fewRequestsPerSecond is the total rate below which shares are too
	// lumpy to judge: a handful of clients decide them.
	fewRequestsPerSecond = 1.0
)

// LevelForGap grades an absolute share gap.
func LevelForGap(gap float64) GapLevel {
	switch g := math.Abs(gap); {
	case g >= GapFailureAt:
		return GapFailure
	case g >= GapDegradedAt:
		return GapDegraded
	}
	return GapHealthy
}

// ObservedSummary says where observed traffic came from and how far it
// strays from the prediction.
type ObservedSummary struct {
	// Source is "prometheus" or "scrape".
	Source string `json:"source"`
	// Preset names the metrics preset the query came from (istio,
	// linkerd, …); empty for a query of the user's own.
	Preset string `json:"preset,omitempty"`
	// Query is the PromQL sent, or the metric scraped.
	Query         string  `json:"query,omitempty"`
	WindowSeconds float64 `json:"windowSeconds,omitempty"`
	// TotalRate is the sum of the endpoints' rates, per second.
	TotalRate    float64 `json:"totalRate"`
	PodsWithData int     `json:"podsWithData"`
	// MaxGap is the largest |observed − predicted| share over pods with
	// data, predicted shares taken over the delivered traffic only.
	MaxGap       float64  `json:"maxGap"`
	Level        GapLevel `json:"level"`
	Explanations []string `json:"explanations,omitempty"`
	Warnings     []string `json:"warnings,omitempty"`
}

// AttachObserved sets observed rates, shares and gap levels on p's
// endpoints from per-pod rates keyed "namespace/name", and fills sum's
// totals, level and likely explanations before attaching it. Pods missing
// from rates stay unknown rather than counting as idle: a missing series
// usually means a missing metric, not a pod without traffic.
func AttachObserved(p *Prediction, rates map[string]float64, sum ObservedSummary) {
	var total, predWithData float64
	for i := range p.Endpoints {
		if r, ok := rates[p.Endpoints[i].Pod]; ok && !math.IsNaN(r) && r >= 0 {
			total += r
			predWithData += p.Endpoints[i].Share
		}
	}
	sum.TotalRate, sum.PodsWithData, sum.MaxGap = total, 0, 0
	var gaps []observedGap
	for i := range p.Endpoints {
		e := &p.Endpoints[i]
		r, ok := rates[e.Pod]
		if !ok || math.IsNaN(r) || r < 0 {
			e.ObservedLevel = GapUnknown
			sum.Warnings = append(sum.Warnings, fmt.Sprintf("no data for %s: the metric is missing on it or it was not scraped", e.Pod))
			continue
		}
		rate := r
		e.ObservedRate = &rate
		sum.PodsWithData++
		if total == 0 {
			e.ObservedLevel = GapUnknown
			continue
		}
		share := r / total
		e.ObservedShare = &share
		// Compare over the pods with data so one missing series does not
		// shift every other pod's share.
		pred := 0.0
		if predWithData > 0 {
			pred = e.Share / predWithData
		}
		diff := share - pred
		e.ObservedLevel = LevelForGap(diff)
		sum.MaxGap = math.Max(sum.MaxGap, math.Abs(diff))
		gaps = append(gaps, observedGap{e.Pod, pred, share})
	}
	for pod := range rates {
		if !p.hasEndpoint(pod) && rates[pod] > 0 {
			sum.Warnings = append(sum.Warnings, fmt.Sprintf("%s has traffic but is not an endpoint of %s", pod, p.Service))
		}
	}
	sort.Strings(sum.Warnings)
	switch {
	case sum.PodsWithData == 0 || total == 0:
		sum.Level = GapUnknown
	default:
		sum.Level = LevelForGap(sum.MaxGap)
	}
	sum.Explanations = explainGaps(p, sum, gaps)
	p.Observed = &sum
}

// AttachObservedTotal attaches what a metric that counts per Service,
// not per pod, can say: the total rate. Every pod's share stays unknown.
func AttachObservedTotal(p *Prediction, total float64, sum ObservedSummary) {
	for i := range p.Endpoints {
		p.Endpoints[i].ObservedLevel = GapUnknown
	}
	sum.TotalRate, sum.PodsWithData, sum.MaxGap, sum.Level = total, 0, 0, GapUnknown
	sum.Explanations = []string{"This metric counts requests per Service, not per pod: the total is known, how it spreads over the pods is not."}
	p.Observed = &sum
}

// observedGap is one pod's predicted and observed share of the traffic
// delivered to pods with data.
type observedGap struct {
	pod       string
	pred, obs float64
}

func (p *Prediction) hasEndpoint(pod string) bool {
	for _, e := range p.Endpoints {
		if e.Pod == pod {
			return true
		}
	}
	return false
}
