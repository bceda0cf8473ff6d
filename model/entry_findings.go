package model

import (
	"fmt"
	"strings"
)

// Finding codes of the entry stage.
const (
	CodeEntryBackendInvalid    = "EntryBackendInvalid"
	CodeEntryBackendLoses      = "EntryBackendLoses"
	CodeEntryWeightZero        = "EntryWeightZero"
	CodeEntryHop               = "EntryHop"
	CodeEntryControllerUnknown = "EntryControllerUnknown"
	CodeEntryRulesShare        = "EntryRulesShare"
	CodeEntryIdleTimeout       = "EntryIdleTimeout"
	CodeBackendKeepAliveShort  = "BackendKeepAliveShorterThanIdleTimeout"
	CodeIngressGroupConflict   = "IngressGroupConflict"
	CodeAffinityBehindProxy    = "AffinityBehindProxy"
)

// entryFindings says what the entry in front does to the Service's
// traffic.
func (p *predictor) entryFindings(add addFunc) {
	e, st := p.entry, p.pred.Entry
	if e == nil || st == nil {
		return
	}
	ref, key := e.ref, p.svc.Key()
	proxy := ref.proxyWord()
	if e.problem != "" {
		add(LevelError, CodeEntryBackendInvalid, "%s cannot send to %s: %s. Its requests for %s get an error response.", ref.name(), key, e.problem, key)
	}
	for _, b := range st.Backends {
		switch {
		case b.Service == key:
		case b.Problem != "":
			add(LevelWarning, CodeEntryBackendInvalid, "%s of the rules' traffic goes to backend %s, which cannot take it: %s.", pct(b.Share), b.Service, b.Problem)
		case b.Lost > 1e-9:
			add(LevelWarning, CodeEntryBackendLoses, "%s of the rules' traffic goes to backend %s and reaches none of its pods (%s of its %s).", pct(b.Lost), b.Service, pct(b.Lost/b.Share), pct(b.Share))
		}
	}
	if e.share == 0 && e.problem == "" {
		add(LevelInfo, CodeEntryWeightZero, "%s gives %s weight 0: the Service receives none of the rules' traffic (a canary at 0%%, or a backend being drained).", ref.name(), key)
	}
	switch ref.impl {
	case ImplUnknown:
		class := "no class"
		if ref.class != "" {
			class = "class " + ref.class + ", which no IngressClass in the input describes"
		}
		add(LevelUnknown, CodeEntryControllerUnknown, "The controller serving %s is unknown (%s): ktraffic assumes it proxies straight to the pods, as most do.", ref.name(), class)
	case ImplGateway:
		if ref.gateway == nil {
			add(LevelUnknown, CodeEntryControllerUnknown, "%s attaches to no Gateway in the input: its implementation is unknown; ktraffic assumes its proxies send straight to the pods.", ref.name())
		}
	}
	p.entryHopFinding(add, proxy)
	if len(e.rules) > 1 || len(e.rules) < len(ref.rules) {
		add(LevelInfo, CodeEntryRulesShare, "Shares are of the traffic of the %s %s (%s); how requests divide between %s's %d rules depends on the requests, so several rules are taken as equally busy.",
			Agree(len(e.rules), "rule that reaches", "rules that reach"), key, strings.Join(st.Rules, "; "), ref.kind+" "+ref.src.Entry, len(ref.rules))
	}
	if e.problem == "" && e.share > 0 {
		add(LevelInfo, CodeClientIPLost, "Pods see %s's address, not the client's: the proxy ends the client's connection and opens its own; the client's address travels in the X-Forwarded-For header (trust it only from the proxy).", proxy)
	}
	p.idleFindings(add, proxy)
	p.groupFindings(add)
	if p.settings.SessionAffinity == AffinityClientIP && e.hop != HopPods && e.problem == "" {
		add(LevelWarning, CodeAffinityBehindProxy, "sessionAffinity: ClientIP pins the addresses of %s, not the clients': each of its addresses stays on one pod per node for %s, so a few proxy addresses load a few pods. Use the proxy's own stickiness (cookies) instead.",
			proxy, durationText(p.settings.SessionAffinityTimeoutSeconds))
	}
}

// entryHopFinding says how the entry reaches the pods, and what that
// makes of the Service's own settings.
func (p *predictor) entryHopFinding(add addFunc, proxy string) {
	e := p.entry
	if e.problem != "" {
		return
	}
	switch e.hop {
	case HopPods:
		add(LevelInfo, CodeEntryHop, "%s sends straight to the pods (%s): no node hop, so kube-proxy and the Service's traffic policies play no part, and it balances requests itself, so clients' long-lived connections do not pin pods.", upperFirst(proxy), e.hopWhy)
	case HopNodes:
		policy := "Cluster: each node spreads over every pod, crossing nodes and zones"
		if p.settings.ExternalTrafficPolicy == PolicyLocal {
			policy = "Local: nodes without a ready local pod fail the health check and get nothing, and each node keeps its traffic on its own pods"
		}
		add(LevelInfo, CodeEntryHop, "%s sends to NodePort %d on every node (%s); health check %s. kube-proxy then spreads under externalTrafficPolicy: %s.",
			upperFirst(proxy), p.port.NodePort, e.hopWhy, p.probe.describe(p.svc), policy)
	case HopClusterIP:
		add(LevelInfo, CodeEntryHop, "%s sends to the Service's cluster IP (%s): kube-proxy on the proxy's nodes spreads each of its connections, under internalTrafficPolicy: %s.", upperFirst(proxy), e.hopWhy, p.settings.InternalTrafficPolicy)
	}
}

// idleFindings compares the proxy's idle timeout with the keep-alive the
// pods declare. AWS documents the rule for ALBs ("make sure the target's
// keep-alive timeout is longer than the load balancer's idle timeout");
// every proxy that pools connections to backends needs the same.
func (p *predictor) idleFindings(add addFunc, proxy string) {
	st := p.pred.Entry
	idle, ka := st.IdleTimeoutSeconds, st.BackendKeepAlive
	if idle <= 0 || p.entry.problem != "" {
		return
	}
	switch {
	case ka != nil && ka.Seconds <= idle:
		add(LevelWarning, CodeBackendKeepAliveShort, "%s keeps idle connections to the pods open for %ds (%s), but the pods close them after %ds (%s): a pod can close a connection just as %s sends the next request on it, and that client gets a 502. Make the pods' keep-alive longer than the idle timeout (above %ds), or lower the idle timeout below %ds.",
			upperFirst(proxy), idle, st.IdleTimeoutSource, ka.Seconds, ka.Source, proxy, idle, ka.Seconds)
	case ka == nil:
		add(LevelInfo, CodeEntryIdleTimeout, "%s keeps idle connections to the pods open for %ds (%s): the pods' servers must keep idle keep-alive connections longer than that (gunicorn --keep-alive, nginx keepalive_timeout, Node.js server.keepAliveTimeout), or requests that race their close get 502s; the pod specs do not say what they keep.",
			upperFirst(proxy), idle, st.IdleTimeoutSource)
	}
}

// groupFindings: the Ingresses of an IngressGroup share one ALB, so
// their load-balancer attributes must agree; the controller refuses the
// group's update when they conflict.
func (p *predictor) groupFindings(add addFunc) {
	ref := p.entry.ref
	if ref.impl != ImplALB || ref.ing == nil {
		return
	}
	members := albGroup(p.snap, ref.ing)
	if len(members) < 2 {
		return
	}
	seen := map[int][]string{}
	var order []int
	for _, m := range members {
		if n, ok := albIdleOf(m); ok {
			if seen[n] == nil {
				order = append(order, n)
			}
			seen[n] = append(seen[n], m.Key())
		}
	}
	if len(order) < 2 {
		return
	}
	var parts []string
	for _, n := range order {
		parts = append(parts, fmt.Sprintf("%ds on %s", n, strings.Join(seen[n], ", ")))
	}
	add(LevelWarning, CodeIngressGroupConflict, "The Ingresses of IngressGroup %s share one ALB but set different idle timeouts (%s): the AWS Load Balancer Controller refuses conflicting load-balancer attributes, so the ALB keeps what it had.",
		strings.TrimSpace(ref.ing.Annotations[AnnotationALBGroup]), strings.Join(parts, "; "))
}

// upperFirst starts a sentence with a proxy's name: "the ALB" → "The
// ALB"; names that are spelled in lower case (ingress-nginx) stay so.
func upperFirst(s string) string {
	if rest, ok := strings.CutPrefix(s, "the "); ok {
		return "The " + rest
	}
	return s
}
