package model

import (
	"runtime"
	"sync"
)

// ServiceSummary is one row of the service list and of `check`.
type ServiceSummary struct {
	Namespace             string
	Name                  string
	Type                  ServiceType
	ExternalTrafficPolicy TrafficPolicy
	InternalTrafficPolicy TrafficPolicy
	SessionAffinity       Affinity
	// LBMode is how the load balancer spreads (DetectLBMode); "" for a
	// Service without one.
	LBMode             string
	ReadyEndpoints     int
	TotalEndpoints     int
	NodesWithEndpoints int
	// Findings are those of every source the Service has (SourcesFor),
	// each once with the sources that raise it, most severe first; Worst
	// is the most severe (nil when there are none).
	Findings []SourcedFinding
	Worst    *Finding
	// Sources are the per-source totals, in SourcesFor's order.
	Sources []SourceOutcome
	// Err is set when the Service could not be predicted.
	Err string
}

// Key returns "namespace/name".
func (s *ServiceSummary) Key() string { return s.Namespace + "/" + s.Name }

// Summarize predicts every Service of the snapshot in the given namespace
// ("" for all) from every source it has, in the snapshot's order. The
// Service's default source gives the endpoint counts. Nodes that host
// none of a Service's endpoints are predicted once per class (fold.go),
// so a Service costs what its endpoints cost, whatever the cluster's
// size; Services are spread over the machine's cores.
func Summarize(snap *Snapshot, namespace string) []ServiceSummary {
	idx := newSnapIndex(snap)
	idx.indexClasses()
	var picked []int
	for i := range snap.Services {
		if namespace == "" || snap.Services[i].Namespace == namespace {
			picked = append(picked, i)
		}
	}
	out := make([]ServiceSummary, len(picked))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(picked)/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < len(picked); k += workers {
				out[k] = summarize(snap, &snap.Services[picked[k]], idx)
			}
		}()
	}
	wg.Wait()
	return out
}

// summarize is one Service's row.
func summarize(snap *Snapshot, svc *Service, idx *snapIndex) ServiceSummary {
	row := ServiceSummary{Namespace: svc.Namespace, Name: svc.Name, Type: svc.Type}
	def := DefaultSourceIn(snap, svc)
	for _, src := range SourcesIn(snap, svc, TrafficSource{}) {
		p, err := run(snap, Request{Service: svc.Key(), Source: src, OutcomeOnly: true}, idx, true)
		if err != nil {
			row.Err = err.Error()
			break
		}
		row.Sources = append(row.Sources, p.outcome())
		if src == def {
			row.fill(p.pred)
		}
	}
	row.Findings = MergeFindings(row.Sources)
	if len(row.Findings) > 0 {
		row.Worst = &row.Findings[0].Finding // most severe first
	}
	return row
}

// fill takes the settings and endpoint counts from a prediction.
func (row *ServiceSummary) fill(p *Prediction) {
	row.ExternalTrafficPolicy = p.Settings.ExternalTrafficPolicy
	row.InternalTrafficPolicy = p.Settings.InternalTrafficPolicy
	row.SessionAffinity = p.Settings.SessionAffinity
	row.LBMode = p.Settings.LBMode
	row.TotalEndpoints = len(p.Endpoints)
	nodes := map[string]bool{}
	for _, e := range p.Endpoints {
		if e.Ready {
			row.ReadyEndpoints++
		}
		if e.Node != "" {
			nodes[e.Node] = true
		}
	}
	row.NodesWithEndpoints = len(nodes)
}
