package probes

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// Finding codes of probe results.
const (
	CodeProbeDisagrees     = "ProbeDisagrees"
	CodeProbeUnreachable   = "ProbeUnreachable"
	CodeProbeForbidden     = "ProbeForbidden"
	CodeProbeEndpointCount = "ProbeEndpointCount"
	CodeProbeWrongService  = "ProbeWrongService"
	CodeProbeRedirect      = "ProbeRedirect"
	CodeProbeBadAddress    = "ProbeBadAddress"
)

// Compare sets each result's predicted health from pred (NodeShare.LBHealthy)
// and returns findings where what the node answers differs from what
// ktraffic predicted. Results are changed in place.
func Compare(results []Result, pred *model.Prediction) []model.Finding {
	byNode := map[string]model.NodeShare{}
	if pred != nil {
		for _, n := range pred.Nodes {
			byNode[n.Name] = n
		}
	}
	var out []model.Finding
	add := func(l model.Level, code, format string, a ...any) {
		out = append(out, model.Finding{Level: l, Code: code, Message: fmt.Sprintf(format, a...)})
	}
	var forbidden, unreachable []string
	for i := range results {
		r := &results[i]
		if r.ourSide != nil {
			if errors.Is(r.ourSide, ErrForbidden) {
				forbidden = append(forbidden, r.Node)
			}
			continue
		}
		switch {
		case r.badAddress:
			add(model.LevelWarning, CodeProbeBadAddress, "Node %s: %s. Its address in the snapshot is not an IP address, so nothing was sent to it.", r.Node, r.Error)
			continue
		case r.Redirect != "":
			add(model.LevelWarning, CodeProbeRedirect, "Node %s answers %d on %s with a redirect to %s, which was not followed: health checks do not follow redirects, so the load balancer counts the node as down. Something other than kube-proxy may hold the port.",
				r.Node, r.Status, r.where(), r.Redirect)
		case r.Error != "":
			unreachable = append(unreachable, r.Node)
		}
		if r.BodyError != "" && strings.HasPrefix(r.BodyError, "port ") {
			add(model.LevelWarning, CodeProbeWrongService, "Node %s: %s.", r.Node, r.BodyError)
		}
		ns, ok := byNode[r.Node]
		if !ok {
			continue
		}
		predicted, agree := ns.LBHealthy, ns.LBHealthy == r.Healthy
		r.PredictedHealthy, r.Agree = &predicted, &agree
		if r.Kind == KindService {
			n := ns.ReadyLocalEndpoints
			r.PredictedLocalEndpoints = &n
		}
		switch {
		case !agree && (r.Error != "" || r.Redirect != ""):
			// Reported once: with every unreachable node below, or above
			// as a redirect.
		case !agree && r.Healthy:
			add(model.LevelWarning, CodeProbeDisagrees, "Node %s answers 200 on %s but was predicted unhealthy: the load balancer sends it traffic the prediction gives to other nodes. %s",
				r.Node, r.where(), healthyCause(r))
		case !agree:
			add(model.LevelWarning, CodeProbeDisagrees, "Node %s answers %d on %s but was predicted healthy: the load balancer stops sending it new connections. %s",
				r.Node, r.Status, r.where(), unhealthyCause(r))
		case r.LocalEndpoints != nil && *r.LocalEndpoints != ns.ReadyLocalEndpoints:
			add(model.LevelInfo, CodeProbeEndpointCount, "Node %s: kube-proxy counts %s, the snapshot %d; shares within the node differ from the prediction until they match.",
				r.Node, model.Counted(*r.LocalEndpoints, "local endpoint", "local endpoints"), ns.ReadyLocalEndpoints)
		}
	}
	if len(forbidden) > 0 {
		add(model.LevelWarning, CodeProbeForbidden, "Could not probe %s through the API server: it needs get on nodes/proxy. Ask for that permission, or run with --direct from a machine that reaches the nodes' addresses.", model.Counted(len(forbidden), "node", "nodes"))
	}
	if len(unreachable) > 0 {
		add(model.LevelWarning, CodeProbeUnreachable, "No answer from %s (see each node's error). A load balancer that gets no answer counts the node as down; if the load balancer itself reaches it, this machine may be outside the nodes' network or blocked by a firewall that only admits the probes' source ranges.",
			strings.Join(unreachable, ", "))
	}
	return out
}

func (r *Result) where() string {
	host := r.Address
	if r.Transport == "apiserver" || host == "" {
		host = r.Node
	}
	return fmt.Sprintf("%s:%d%s", host, r.Port, r.Path)
}

func healthyCause(r *Result) string {
	if r.Kind == KindService {
		n := "some ready local endpoints"
		if r.LocalEndpoints != nil {
			n = model.Counted(*r.LocalEndpoints, "ready local endpoint", "ready local endpoints")
		}
		return fmt.Sprintf("kube-proxy there counts %s the snapshot does not; the snapshot may be stale.", n)
	}
	return "kube-proxy there is healthy though the snapshot shows the node not ready, being deleted or tainted for deletion; the snapshot may be stale."
}

func unhealthyCause(r *Result) string {
	switch {
	case r.Kind == KindService && r.LocalEndpoints != nil && *r.LocalEndpoints == 0:
		return "kube-proxy there sees no ready local endpoint: the pod may have just become unready, or kube-proxy lags behind the EndpointSlices."
	case r.Kind == KindService && r.ServiceProxyHealthy != nil && !*r.ServiceProxyHealthy:
		return "kube-proxy there has local endpoints but reports itself unhealthy (its rules are not in sync, or the node is being drained)."
	case r.Kind == KindProxy && r.NodeEligible != nil && !*r.NodeEligible:
		return "kube-proxy reports the node ineligible: it is being deleted or tainted ToBeDeletedByClusterAutoscaler."
	case r.Kind == KindProxy:
		return "kube-proxy there has not synced its rules recently; it may be restarting or stuck."
	}
	return "Something other than kube-proxy may hold the port."
}
