package ui

import (
	"fmt"
	"strings"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// settingChanges lists what changed in a Service between two snapshots,
// "externalTrafficPolicy Cluster → Local", including what the API server
// allocates on such a change.
func settingChanges(was, now *model.Service) []string {
	var out []string
	if was.Type != now.Type {
		out = append(out, fmt.Sprintf("type %s → %s", was.Type, now.Type))
	}
	a, b := model.OwnSettings(was), model.OwnSettings(now)
	for _, k := range model.ServiceFieldKeys {
		if a.Value(k) != b.Value(k) {
			out = append(out, fmt.Sprintf("%s %s → %s", k, report.OrDash(a.Value(k)), report.OrDash(b.Value(k))))
		}
	}
	switch h0, h1 := was.HealthCheckNodePort, now.HealthCheckNodePort; {
	case h0 == 0 && h1 != 0:
		out = append(out, fmt.Sprintf("healthCheckNodePort %d allocated", h1))
	case h0 != 0 && h1 == 0:
		out = append(out, fmt.Sprintf("healthCheckNodePort %d released", h0))
	}
	return out
}

// pruneOverrides drops the edit's overrides that the Service now has
// itself, and names them.
func pruneOverrides(ed *edit, svc *model.Service) []string {
	own := model.OwnSettings(svc)
	var gone []string
	for _, k := range model.ServiceFieldKeys {
		if v, ok := ed.override(k); ok && v == own.Value(k) {
			ed.clearOverride(k)
			gone = append(gone, k+"="+v)
		}
	}
	return gone
}

func joinWords(w []string) string { return strings.Join(w, ", ") }
