package model

// ServiceSummary is one row of the service list and of `check`.
type ServiceSummary struct {
	Namespace             string
	Name                  string
	Type                  string
	ExternalTrafficPolicy string
	InternalTrafficPolicy string
	SessionAffinity       string
	ReadyEndpoints        int
	TotalEndpoints        int
	NodesWithEndpoints    int
	// Findings are those of the prediction from the Service's default
	// source; Worst is the most severe of them (nil when there are none).
	Findings []Finding
	Worst    *Finding
	// Err is set when the Service could not be predicted.
	Err string
}

// Key returns "namespace/name".
func (s *ServiceSummary) Key() string { return s.Namespace + "/" + s.Name }

// Summarize predicts every Service of the snapshot in the given namespace
// ("" for all) from its default source, in the snapshot's order.
func Summarize(snap *Snapshot, namespace string) []ServiceSummary {
	idx := newSnapIndex(snap)
	out := make([]ServiceSummary, 0, len(snap.Services))
	for i := range snap.Services {
		svc := &snap.Services[i]
		if namespace != "" && svc.Namespace != namespace {
			continue
		}
		row := ServiceSummary{Namespace: svc.Namespace, Name: svc.Name, Type: svc.Type}
		p, err := predict(snap, Request{Service: svc.Key()}, idx)
		if err != nil {
			row.Err = err.Error()
			out = append(out, row)
			continue
		}
		row.ExternalTrafficPolicy = p.Settings.ExternalTrafficPolicy
		row.InternalTrafficPolicy = p.Settings.InternalTrafficPolicy
		row.SessionAffinity = p.Settings.SessionAffinity
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
		row.Findings = p.Findings
		if len(p.Findings) > 0 {
			row.Worst = &row.Findings[0] // findings come sorted, most severe first
		}
		out = append(out, row)
	}
	return out
}
