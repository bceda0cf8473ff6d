package model

import "sort"

// Transition is what happens between a change and the moment the load
// balancer's health probes notice it: the load balancer keeps choosing
// targets by their old health, so targets that now lose their traffic
// still receive new connections for up to Seconds.
type Transition struct {
	// Seconds is the probe interval times the failures the load balancer
	// waits for (decoded from the cloud annotations or the provider's
	// default); 0 when the load balancer is not known.
	Seconds            int    `json:"seconds"`
	IntervalSeconds    int    `json:"intervalSeconds,omitempty"`
	UnhealthyThreshold int    `json:"unhealthyThreshold,omitempty"`
	Provider           string `json:"provider,omitempty"`
	// Dropped and Rejected are the parts of the load balancer's traffic
	// lost meanwhile; the after prediction has the steady state.
	Dropped  float64 `json:"dropped"`
	Rejected float64 `json:"rejected"`
	// Targets are the nodes (pods, for IP targets) still chosen while they
	// lose the traffic, most lost first; TargetKind says which.
	Targets    []string `json:"targets"`
	TargetKind string   `json:"targetKind"`
}

// transition works out the load balancer's catch-up window of a change
// from the before and after predictions of every source (PredictSources
// order): the load balancer still spreads as before, and what reaches a
// node is then handled as the after rules say — exactly what external
// clients of that node's NodePort get, so the after NodePort prediction
// tells each node's fate.
func transition(snap *Snapshot, req Request, before, after []*Prediction) *Transition {
	lbBefore, lbAfter, npAfter := bySource(before, SourceLB), bySource(after, SourceLB), bySource(after, SourceNodePort)
	if lbBefore == nil || lbAfter == nil {
		return nil
	}
	type loss struct {
		name              string
		dropped, rejected float64
	}
	var lost []loss
	kind := "nodes"
	switch lbBefore.Settings.LBMode {
	case LBModePods:
		kind = "pods"
		// A node-down or zone drill marks the pods there not ready.
		readyAfter := map[string]bool{}
		for _, e := range lbAfter.Endpoints {
			readyAfter[endpointKey(e)] = e.Ready
		}
		for _, e := range lbBefore.Endpoints {
			if k := endpointKey(e); e.Share > 0 && !readyAfter[k] {
				lost = append(lost, loss{name: k, dropped: e.Share})
			}
		}
	case LBModeNodes, LBModeNodesWeighted:
		if npAfter == nil {
			return nil
		}
		healthyAfter := map[string]bool{}
		for _, n := range lbAfter.Nodes {
			healthyAfter[n.Name] = n.LBHealthy
		}
		entering := map[string]NodeShare{}
		for _, n := range npAfter.Nodes {
			entering[n.Name] = n
		}
		for _, n := range lbBefore.Nodes {
			a, ok := entering[n.Name]
			if n.Share <= 0 || !ok || a.Share <= 0 || healthyAfter[n.Name] {
				continue // not chosen before, or still healthy: steady state
			}
			if f := (a.Dropped + a.Rejected) / a.Share; f > 0 {
				lost = append(lost, loss{n.Name, n.Share * a.Dropped / a.Share, n.Share * a.Rejected / a.Share})
			}
		}
	default:
		return nil
	}
	if len(lost) == 0 {
		return nil
	}
	sort.SliceStable(lost, func(i, j int) bool {
		return lost[i].dropped+lost[i].rejected > lost[j].dropped+lost[j].rejected
	})
	t := &Transition{TargetKind: kind}
	for _, l := range lost {
		t.Dropped += l.dropped
		t.Rejected += l.rejected
		t.Targets = append(t.Targets, l.name)
	}
	svc := *snap.Service(req.Service)
	svc.ExternalTrafficPolicy = lbAfter.Settings.ExternalTrafficPolicy
	port, _ := selectPort(&svc, req.Port)
	lb := DecodeCloudLBForPort(&svc, port.Port)
	t.Provider = lb.Provider
	if lb.Provider != "" {
		t.IntervalSeconds, t.UnhealthyThreshold = lb.HealthProbe.IntervalSeconds, lb.HealthProbe.UnhealthyThreshold
		t.Seconds = lb.FailoverSeconds()
	}
	return t
}

func bySource(ps []*Prediction, kind SourceKind) *Prediction {
	for _, p := range ps {
		if p.Source.Kind == kind && p.Source.Node == "" {
			return p
		}
	}
	return nil
}
