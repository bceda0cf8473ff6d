package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// ownSettings are a Service's traffic fields with the API server's
// defaults, keyed as overrides are, so a live update can be compared with
// the edit in one vocabulary.
func ownSettings(svc *model.Service) map[string]string {
	etp, itp, aff := svc.ExternalTrafficPolicy, svc.InternalTrafficPolicy, svc.SessionAffinity
	if etp == "" && (svc.Type == "NodePort" || svc.Type == "LoadBalancer") {
		etp = "Cluster"
	}
	if itp == "" && svc.Type != "ExternalName" {
		itp = "Cluster"
	}
	if aff == "" {
		aff = "None"
	}
	timeout := ""
	if aff == "ClientIP" {
		t := svc.SessionAffinityTimeoutSeconds
		if t == 0 {
			t = model.DefaultSessionAffinityTimeout
		}
		timeout = strconv.Itoa(int(t))
	}
	td := svc.TrafficDistribution
	if td == "" {
		td = "none"
	}
	return map[string]string{
		model.KeyExternalTrafficPolicy:         etp,
		model.KeyInternalTrafficPolicy:         itp,
		model.KeySessionAffinity:               aff,
		model.KeySessionAffinityTimeoutSeconds: timeout,
		model.KeyTrafficDistribution:           td,
	}
}

var ownKeys = []string{model.KeyExternalTrafficPolicy, model.KeyInternalTrafficPolicy, model.KeySessionAffinity,
	model.KeySessionAffinityTimeoutSeconds, model.KeyTrafficDistribution}

// settingChanges lists what changed in a Service between two snapshots,
// "externalTrafficPolicy Cluster → Local", including what the API server
// allocates on such a change.
func settingChanges(was, now *model.Service) []string {
	var out []string
	if was.Type != now.Type {
		out = append(out, fmt.Sprintf("type %s → %s", was.Type, now.Type))
	}
	a, b := ownSettings(was), ownSettings(now)
	for _, k := range ownKeys {
		if a[k] != b[k] {
			out = append(out, fmt.Sprintf("%s %s → %s", k, report.OrDash(a[k]), report.OrDash(b[k])))
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
	own := ownSettings(svc)
	var gone []string
	for _, k := range ownKeys {
		if v, ok := ed.override(k); ok && v == own[k] {
			ed.clearOverride(k)
			gone = append(gone, k+"="+v)
		}
	}
	return gone
}

func joinWords(w []string) string { return strings.Join(w, ", ") }
