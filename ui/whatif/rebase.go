package whatif

import (
	"fmt"
	"strings"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// Rebase keeps the edit across a live update of the same Service, from
// was to now: it drops overrides the Service now has itself and says
// what changed under the user, or that an applied change arrived.
func (m *Model) Rebase(was, now *model.Service) {
	if was == nil || now == nil {
		return
	}
	changes := settingChanges(was, now)
	if len(changes) == 0 {
		return
	}
	dropped := pruneOverrides(&m.ed, now)
	if m.pending != nil {
		pruneOverrides(m.pending, now)
	}
	text := strings.Join(changes, ", ")
	switch {
	case m.applied != nil:
		m.notes = []note{{text: "Your change arrived: " + text, ok: true}}
		m.applied = nil
	default:
		m.notes = []note{{text: "The Service changed underneath: " + text + "; the what-if now compares against it"}}
	}
	if len(dropped) > 0 {
		m.notes = append(m.notes, note{text: "now the Service's own, so no longer a what-if: " + strings.Join(dropped, ", "), ok: true})
	}
}

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
			out = append(out, fmt.Sprintf("%s %s → %s", k, report.SettingText(k, a.Value(k)), report.SettingText(k, b.Value(k))))
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
func pruneOverrides(ed *Edit, svc *model.Service) []string {
	own := model.OwnSettings(svc)
	var gone []string
	for _, k := range model.ServiceFieldKeys {
		if v, ok := ed.Override(k); ok && v == own.Value(k) {
			ed.clearOverride(k)
			gone = append(gone, k+"="+v)
		}
	}
	return gone
}
