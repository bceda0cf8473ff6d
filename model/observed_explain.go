package model

import (
	"fmt"
	"sort"
	"strings"
)

// explainGaps names the likely reasons observed traffic differs from the
// prediction. kube-proxy picks a backend per connection, so anything that
// makes connections few or long-lived, or pins clients, bends the shares
// without the rules being wrong.
func explainGaps(p *Prediction, sum ObservedSummary, gaps []observedGap) []string {
	if sum.Level == GapUnknown {
		return nil
	}
	var out []string
	if sum.TotalRate < fewRequestsPerSecond {
		out = append(out, fmt.Sprintf("Only %.2g requests/s reach the pods: at this rate a handful of clients or connections decide the shares; judge again under real load.", sum.TotalRate))
	}
	if p.Settings.SessionAffinity == AffinityClientIP {
		out = append(out, fmt.Sprintf("sessionAffinity: ClientIP keeps each client on one pod for %ds, so shares follow how many clients each pod drew, not connections; with few clients they stay lumpy.", p.Settings.SessionAffinityTimeoutSeconds))
	}
	if sum.Level == GapHealthy {
		return out
	}
	var hot, starved, unexpected []string
	for _, g := range gaps {
		switch {
		case g.pred == 0 && g.obs >= GapDegradedAt/2:
			unexpected = append(unexpected, fmt.Sprintf("%s (%s)", g.pod, sharePct(g.obs)))
		case g.pred > 0 && g.obs >= 1.5*g.pred && g.obs-g.pred >= GapDegradedAt:
			hot = append(hot, fmt.Sprintf("%s (%s observed, %s predicted)", g.pod, sharePct(g.obs), sharePct(g.pred)))
		case g.pred > 0 && g.obs <= 0.2*g.pred:
			starved = append(starved, g.pod)
		}
	}
	sort.Strings(hot)
	sort.Strings(starved)
	sort.Strings(unexpected)
	if len(hot) > 0 || len(starved) > 0 {
		msg := "Requests concentrate"
		if len(hot) > 0 {
			msg += " on " + strings.Join(hot, ", ")
		}
		if len(starved) > 0 {
			msg += "; " + strings.Join(starved, ", ") + " get almost none"
		}
		out = append(out, msg+": kube-proxy balances connections, not requests, so long-lived keep-alive, HTTP/2 or gRPC connections keep sending to the pods they first reached. Balance per request in the client or a proxy, or cap connection lifetime.")
	}
	if len(unexpected) > 0 {
		out = append(out, "Traffic reaches "+strings.Join(unexpected, ", ")+" though kube-proxy would send it none: something reaches it another way (its pod IP, another Service, an ingress controller that targets endpoints), or the snapshot is newer than the metrics window.")
	}
	if len(out) == 0 {
		out = append(out, "No single cause stands out: the metrics window may include traffic from before the last endpoint change, or some clients reach the pods without this Service.")
	}
	return out
}

// sharePct formats a share as a whole percentage.
func sharePct(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }
