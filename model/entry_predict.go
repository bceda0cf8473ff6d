package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// EntryStage is the stage left of the nodes when traffic comes through
// an Ingress or a Gateway API route: the entry, the rules that reach the
// predicted Service, and every backend of those rules with its weight.
// A prediction from an entry gives every share as a fraction of all the
// traffic of those rules, so the pods of a 90/10 canary show their part
// of the whole: the predicted Service's endpoint shares plus its dropped
// and rejected add up to its Share, and Backends hold the rest.
type EntryStage struct {
	// Kind is Ingress, HTTPRoute or GRPCRoute; Name its "namespace/name".
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Gateway is the route's parent Gateway, "namespace/name".
	Gateway string `json:"gateway,omitempty"`
	// Class is the IngressClass or GatewayClass, Controller its
	// controller name, when the input has the class.
	Class      string `json:"class,omitempty"`
	Controller string `json:"controller,omitempty"`
	// Implementation is what ktraffic takes the controller for
	// (aws-load-balancer-controller, ingress-nginx, gke,
	// application-gateway, gateway-api, unknown), and ImplementationFrom
	// how it told.
	Implementation     string `json:"implementation"`
	ImplementationFrom string `json:"implementationFrom,omitempty"`
	// Hop is how the entry reaches the Service's pods: pods (straight to
	// endpoint IPs, no node hop), nodes (every node's NodePort, then
	// kube-proxy under externalTrafficPolicy) or cluster-ip (kube-proxy
	// under internalTrafficPolicy); HopReason says why.
	Hop       string `json:"hop"`
	HopReason string `json:"hopReason"`
	// Rules are the matches of the rules that send to the Service.
	Rules []string `json:"rules"`
	// Share is the Service's part of those rules' traffic (its weight
	// over the rule's total; the mean when several rules reach it).
	Share float64 `json:"share"`
	// Backends are every backend of those rules, the Service included.
	Backends []EntryBackend `json:"backends"`
	// IdleTimeoutSeconds is how long the proxy keeps an idle connection
	// to a backend, with where that was read; 0 when unknown.
	IdleTimeoutSeconds int    `json:"idleTimeoutSeconds,omitempty"`
	IdleTimeoutSource  string `json:"idleTimeoutSource,omitempty"`
	// BackendKeepAlive is the shortest keep-alive the Service's ready
	// pods declare (nil when none does).
	BackendKeepAlive *KeepAlive `json:"backendKeepAlive,omitempty"`
	// Addresses are the entry's published addresses.
	Addresses []string `json:"addresses,omitempty"`
}

// EntryBackend is one backend of the entry's rules.
type EntryBackend struct {
	Service string `json:"service"`
	Port    string `json:"port,omitempty"`
	Weight  int32  `json:"weight"`
	// Share is the backend's part of the rules' traffic, by weight.
	Share float64 `json:"share"`
	// Lost is the part of the rules' traffic sent to this backend that
	// reaches no pod: an invalid backend (the proxy answers with an
	// error), or what the backend's own prediction drops or rejects.
	Lost    float64 `json:"lost"`
	Problem string  `json:"problem,omitempty"`
	// Pods are the backend's pods with their share of the whole.
	Pods []EntryPod `json:"pods"`
}

// EntryPod is one pod of a backend and its share of the whole.
type EntryPod struct {
	Pod   string  `json:"pod"`
	Node  string  `json:"node,omitempty"`
	Share float64 `json:"share"`
}

// entryRun is the entry of one prediction.
type entryRun struct {
	ref    *entryRef
	rules  []entryRule
	hop    string
	hopWhy string
	share  float64
	// problem keeps the Service itself from taking the entry's traffic.
	problem string
}

// checkEntry resolves the source's entry and checks it sends to the
// Service; the backend's port becomes the predicted port unless --port
// names one.
func (p *predictor) checkEntry() error {
	e, err := findEntry(p.snap, p.source)
	if err != nil {
		return err
	}
	key := p.svc.Key()
	rules := e.rulesFor(key)
	if len(rules) == 0 {
		return UnknownName("--from %s: %s sends no traffic to %s", p.source, e.name(), key)
	}
	p.entry = &entryRun{ref: e, rules: rules}
	p.entry.hop, p.entry.hopWhy = e.hop(p.svc)
	if p.req.Port == "" {
		for _, b := range rules[0].backends {
			if b.service == key && b.port != "" {
				if sp, err := selectPort(p.svc, b.port); err == nil {
					p.port = sp
				} else {
					p.entry.problem = fmt.Sprintf("the backend's port %s is not a port of the Service", b.port)
				}
				break
			}
		}
	}
	p.entry.share = backendShare(rules, key)
	return nil
}

// backendShare is a backend's part of the rules' traffic: its weight
// over each rule's total, averaged over the rules, since how requests
// divide between rules depends on the requests. A rule whose weights are
// all zero sends nothing anywhere (the proxy answers 500).
func backendShare(rules []entryRule, svc string) float64 {
	if len(rules) == 0 {
		return 0
	}
	total := 0.0
	for _, r := range rules {
		var sum, mine int64
		for _, b := range r.backends {
			sum += int64(max(b.weight, 0))
			if b.service == svc {
				mine += int64(max(b.weight, 0))
			}
		}
		if sum > 0 {
			total += float64(mine) / float64(sum)
		}
	}
	return total / float64(len(rules))
}

// entryExternal: the entry reaches the nodes from outside the cluster.
func (p *predictor) entryExternal() bool { return p.entry != nil && p.entry.hop == HopNodes }

// entryProbesNodes: the entry's load balancer health-checks the nodes.
func (p *predictor) entryProbesNodes() bool { return p.entryExternal() && p.port.NodePort != 0 }

// spreadEntry spreads the entry's traffic for the Service the way its
// hop goes, then scales everything to the Service's share of the whole.
func (p *predictor) spreadEntry() {
	e := p.entry
	switch {
	case e.problem == "" && e.hop == HopNodes && p.port.NodePort == 0:
		e.problem = fmt.Sprintf("%s targets instances (NodePorts), but %s has no NodePort: the controller registers no targets", e.ref.proxyWord(), p.svc.Key())
	}
	switch {
	case e.problem != "":
		// The proxy has no target for the Service and answers with an
		// error (503) itself.
		p.fillEndpoints(make([]float64, len(p.topo.eps)))
		p.fillNodes(nil)
		p.pred.Rejected = 1
	case e.hop == HopPods:
		p.spreadDirect(p.upTargets())
	case e.hop == HopNodes:
		p.probe = p.entryProbe()
		// The entry's load balancer spreads evenly over healthy nodes,
		// whatever the Service's own load balancer does.
		p.settings.LBMode = LBModeNodes
		local := p.settings.ExternalTrafficPolicy == PolicyLocal
		p.route(p.lbEntries(local), local)
	default: // HopClusterIP
		p.route(p.everyNodeOr(""), p.settings.InternalTrafficPolicy == PolicyLocal)
	}
	// A proxy ends the client's connection and opens its own: pods see
	// the proxy's address, the client's travels in X-Forwarded-For.
	p.pred.ClientIPPreserved = false
	p.pred.scale(e.share)
	p.pred.Entry = p.entryStage()
}

// upTargets are the ready endpoints whose node is not down: a proxy's
// health checks fail a pod on a node that does not answer, whatever its
// EndpointSlice still says (a node-down drill marks only the predicted
// Service's endpoints).
func (p *predictor) upTargets() []int {
	out := make([]int, 0, len(p.topo.ready))
	for _, i := range p.topo.ready {
		if n, ok := p.nodeIdx[p.topo.eps[i].node]; ok && !p.nodes[n].Ready {
			continue
		}
		out = append(out, i)
	}
	return out
}

// entryProbe is the health check of an instance-target load balancer:
// the ALB's healthcheck-port (traffic-port, its default, is the
// NodePort), or the NodePort for GKE's instance groups.
func (p *predictor) entryProbe() lbProbe {
	pr := lbProbe{kind: probeNodePort, port: p.port.NodePort, target: p.port, topo: p.topo}
	if p.entry.ref.impl != ImplALB {
		return pr
	}
	v, _ := p.entry.ref.albAnnotation(p.svc, annALBHCPort)
	v = strings.TrimSpace(v)
	if v == "" || strings.EqualFold(v, "traffic-port") {
		return pr
	}
	pr.annotation = annALBHCPort
	if n, err := strconv.Atoi(v); err == nil {
		pr.port = int32(n)
		for _, sp := range p.svc.Ports {
			if sp.NodePort == pr.port {
				return pr
			}
		}
		pr.kind, pr.topo = probeOther, nil
		if pr.port == p.svc.HealthCheckNodePort {
			pr.kind = probeHealthCheckNodePort
		}
	}
	return pr
}

// scale makes every share of a prediction a part of f of the whole.
func (pr *Prediction) scale(f float64) {
	if f == 1 {
		return
	}
	for i := range pr.Nodes {
		pr.Nodes[i].Share *= f
		pr.Nodes[i].Dropped *= f
		pr.Nodes[i].Rejected *= f
	}
	for i := range pr.Endpoints {
		pr.Endpoints[i].Share *= f
	}
	for i := range pr.Flows {
		pr.Flows[i].Share *= f
	}
	pr.Dropped *= f
	pr.Rejected *= f
	pr.CrossNode *= f
	pr.CrossZone *= f
}

// entryStage describes the entry, with every backend of its rules: the
// Service's own from this prediction, the others predicted from the same
// entry, flows left out.
func (p *predictor) entryStage() *EntryStage {
	e := p.entry
	ref := e.ref
	st := &EntryStage{
		Kind: ref.kind, Name: ref.src.Entry, Class: ref.class, Controller: ref.controller,
		Implementation: ref.impl, ImplementationFrom: ref.implWhy,
		Hop: e.hop, HopReason: e.hopWhy, Share: e.share, Rules: []string{}, Backends: []EntryBackend{},
	}
	if ref.gateway != nil {
		st.Gateway = ref.gateway.Key()
		st.Addresses = ref.gateway.Addresses
	}
	if ref.ing != nil {
		for _, in := range ref.ing.LoadBalancerIngress {
			st.Addresses = append(st.Addresses, in.Hostname+in.IP)
		}
	}
	for _, r := range e.rules {
		st.Rules = append(st.Rules, r.match)
	}
	st.IdleTimeoutSeconds, st.IdleTimeoutSource = ref.idleTimeout(p.snap)
	if k := p.backendKeepAlive(); k.Known() {
		st.BackendKeepAlive = &k
	}
	key := p.svc.Key()
	seen := map[string]bool{}
	for _, r := range e.rules {
		for _, b := range r.backends {
			if seen[b.service] {
				continue
			}
			seen[b.service] = true
			eb := EntryBackend{Service: b.service, Port: b.port, Weight: b.weight, Share: backendShare(e.rules, b.service), Problem: b.problem, Pods: []EntryPod{}}
			switch {
			case b.service == key:
				eb.Problem = e.problem
				eb.Lost = p.pred.Dropped + p.pred.Rejected
				eb.Pods = entryPods(p.pred)
			case p.req.entryBackend:
				// One level is enough: a backend's own stage lists no others.
			case eb.Problem != "":
				eb.Lost = eb.Share
			default:
				p.otherBackend(&eb)
			}
			st.Backends = append(st.Backends, eb)
		}
	}
	return st
}

// otherBackend predicts another backend of the entry, for its pods and
// losses as parts of the whole.
func (p *predictor) otherBackend(eb *EntryBackend) {
	if p.snap.Service(eb.Service) == nil {
		eb.Problem = "no such Service in the input: " + p.entry.ref.proxyWord() + " answers these requests with an error (500 or 503)"
		eb.Lost = eb.Share
		return
	}
	sub, err := run(p.snap, Request{Service: eb.Service, Source: p.source, OutcomeOnly: true, Overrides: p.req.Overrides, entryBackend: true}, nil, false)
	if err != nil {
		eb.Problem = err.Error()
		eb.Lost = eb.Share
		return
	}
	eb.Lost = sub.pred.Dropped + sub.pred.Rejected
	eb.Pods = entryPods(sub.pred)
	if sub.entry != nil && sub.entry.problem != "" {
		eb.Problem = sub.entry.problem
	}
}

func entryPods(pr *Prediction) []EntryPod {
	out := []EntryPod{}
	for _, e := range pr.Endpoints {
		out = append(out, EntryPod{Pod: endpointKey(e), Node: e.Node, Share: e.Share})
	}
	return out
}

// backendKeepAlive is the shortest keep-alive the Service's ready pods
// declare.
func (p *predictor) backendKeepAlive() KeepAlive {
	want := map[string]bool{}
	for _, i := range p.topo.ready {
		if e := &p.topo.eps[i]; e.pod != "" {
			want[e.pod] = true
		}
	}
	var best KeepAlive
	for i := range p.snap.Pods {
		pod := &p.snap.Pods[i]
		if !pod.KeepAlive.Known() || !want[pod.Namespace+"/"+pod.Name] {
			continue
		}
		if !best.Known() || pod.KeepAlive.Seconds < best.Seconds {
			best = pod.KeepAlive
			best.Source += " of pod " + pod.Namespace + "/" + pod.Name
		}
	}
	return best
}

// idleTimeout is how long the entry's proxy keeps an idle connection to
// a backend: for an ALB, idle_timeout.timeout_seconds from the
// load-balancer-attributes of the Ingress or, in an IngressGroup, of any
// Ingress of the group (they share one ALB); the documented defaults
// otherwise.
func (e *entryRef) idleTimeout(snap *Snapshot) (int, string) {
	switch e.impl {
	case ImplALB:
		if n, src := albGroupIdle(snap, e.ing); n > 0 {
			return n, src
		}
		return albDefaultIdle, "the ALB's default idle timeout"
	case ImplNginx:
		return nginxDefaultIdle, "ingress-nginx's default upstream-keepalive-timeout (its ConfigMap may set another)"
	case ImplGKE:
		return gkeBackendIdle, "the Google Front End's keep-alive to backends"
	}
	return 0, ""
}

// albGroupIdle reads the ALB idle timeout an Ingress's ALB has: its own
// attribute, else the first of its IngressGroup's members that sets one.
func albGroupIdle(snap *Snapshot, ing *Ingress) (int, string) {
	if ing == nil {
		return 0, ""
	}
	for _, m := range albGroup(snap, ing) {
		if n, ok := albIdleOf(m); ok {
			return n, fmt.Sprintf("%s idle_timeout.timeout_seconds=%d on Ingress %s", awsALBAttributes, n, m.Key())
		}
	}
	return 0, ""
}

// albGroup is the Ingress and, first, then the other members of its
// IngressGroup, by key. An explicit group (group.name) spans namespaces;
// an Ingress without one is its own group.
func albGroup(snap *Snapshot, ing *Ingress) []*Ingress {
	out := []*Ingress{ing}
	group := strings.TrimSpace(ing.Annotations[AnnotationALBGroup])
	if group == "" {
		return out
	}
	for i := range snap.Ingresses {
		m := &snap.Ingresses[i]
		if m.Key() != ing.Key() && strings.TrimSpace(m.Annotations[AnnotationALBGroup]) == group {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out[1:], func(a, b *Ingress) int { return strings.Compare(a.Key(), b.Key()) })
	return out
}

func albIdleOf(ing *Ingress) (int, bool) {
	v, ok := clbStringMap(ing.Annotations[awsALBAttributes])[awsALBIdleKey]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil && n > 0
}

// finish completes a prediction once its traffic is spread: a DNS
// answer involves no datapath; a stated client side gets its load band.
func (p *predictor) finish() {
	switch {
	case p.pred.DNS != nil:
		p.pred.Datapath = nil
	case p.req.Clients != nil && !p.outcomeOnly && !p.endpointsUnknown:
		p.pred.Connections = ExpectConnections(p.pred, *p.req.Clients)
	}
}
