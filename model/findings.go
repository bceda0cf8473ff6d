package model

import (
	"fmt"
	"sort"
	"strings"
)

// Finding codes: stable identifiers operators and CI can match on.
const (
	CodeExternalName               = "ExternalName"
	CodeHeadless                   = "Headless"
	CodeNoEndpoints                = "NoEndpoints"
	CodeSelectorMatchesNoPods      = "SelectorMatchesNoPods"
	CodeNotReadyEndpointsExcluded  = "NotReadyEndpointsExcluded"
	CodeOnlyTerminatingEndpoints   = "OnlyTerminatingEndpoints"
	CodeLocalPolicyImbalance       = "LocalPolicyImbalance"
	CodeLocalNodesWithoutEndpoints = "LocalNodesWithoutEndpoints"
	CodeLBHealthCheckExcludesNodes = "LBHealthCheckExcludesNodes"
	CodeInternalLocalDrops         = "InternalLocalDrops"
	CodeAffinityPerNode            = "AffinityPerNode"
	CodeAffinityBypassed           = "AffinityBypassed"
	CodeAffinityFewClients         = "AffinityFewClients"
	CodeTrafficDistributionNoHints = "TrafficDistributionWithoutHints"
	CodeTrafficDistributionIgnored = "TrafficDistributionIgnored"
	CodeTopologyHintsIgnored       = "TopologyHintsIgnored"
	CodeCrossZoneTraffic           = "CrossZoneTraffic"
	CodeTopologyOverload           = "TopologyOverload"
	CodeClientIPLost               = "ClientIPLost"
	CodeAllLBBackendsUnhealthy     = "AllLBBackendsUnhealthy"
	CodeNoLBBackends               = "NoLBBackends"
	CodeSingleNodeLB               = "SingleNodeLB"
	CodeWeightedLBNeedsLocal       = "WeightedLBNeedsLocal"
	CodeHealthProbePortMismatch    = "HealthProbePortMismatch"
	CodeLBIdleTimeout              = "LBIdleTimeout"
	CodeConnectionReuse            = "ConnectionReuse"
	CodeNodesUnknown               = "NodesUnknown"
	CodeLBIPModeProxy              = "LBIPModeProxy"
	CodeLBPending                  = "LBPending"
	CodeSourceNodeDrops            = "SourceNodeDrops"
	CodeSliceWithoutPorts          = "EndpointSliceWithoutPorts"
	CodeCloudLBAnnotationProblem   = "CloudLBAnnotationProblem"
	CodeEndpointsOnUnknownNode     = "EndpointsOnUnknownNode"
	CodeEndpointsUnknown           = "EndpointsUnknown"
	CodeEndpointsMirrored          = "EndpointsMirrored"
)

// imbalanceRatio is how much more the busiest pod must get than the
// idlest before a Local policy's per-node split is worth a warning.
const imbalanceRatio = 1.5

// findings derives what an operator should know from a finished prediction.
func findings(p *predictor) []Finding {
	var out []Finding
	add := func(l Level, code, format string, a ...any) {
		out = append(out, Finding{Level: l, Code: code, Message: fmt.Sprintf(format, a...)})
	}
	svc, pred := p.svc, p.pred
	if svc.Type == TypeExternalName {
		add(LevelInfo, CodeExternalName, "ExternalName Service: cluster DNS answers %s with a CNAME to %s and clients connect there themselves; kube-proxy carries no traffic for it, so nodes, traffic policies, affinity and endpoints do not apply.", dnsName(svc), svc.ExternalName)
		return out
	}
	if !p.snap.NodesKnown {
		add(LevelUnknown, CodeNodesUnknown, "The input has no Node objects: nodes are assumed from the endpoints and pods, so nodes without pods (which drop under a Local policy), zones and load-balancer exclusions cannot be judged.")
	}
	if p.endpointsUnknown {
		p.endpointsUnknownFinding(add)
	} else if svc.Headless() {
		p.headlessFindings(add)
	} else {
		p.endpointFindings(add)
		p.policyFindings(add)
		p.topologyFindings(add)
		if pred.Dropped > 0 && p.source.Node != "" {
			if n := &p.nodes[p.nodeIdx[p.source.Node]]; !n.Ready {
				add(LevelError, CodeSourceNodeDrops, "Node %s is not Ready: its traffic goes nowhere and clients time out.", n.Name)
			} else {
				add(LevelError, CodeSourceNodeDrops, "Node %s has no local endpoint under a Local policy: %s of its traffic is dropped and clients time out.", p.source.Node, pct(pred.Dropped))
			}
		}
	}
	p.affinityFindings(add)
	p.lbFindings(add)
	p.entryFindings(add)
	p.datapathFindings(add)
	for _, sp := range svc.Ports {
		// An entry in front (an L7 proxy) balances requests itself.
		if reusesConnections(sp.Name) && p.entry == nil {
			add(LevelInfo, CodeConnectionReuse, "Port %s carries long-lived connections (HTTP/2, gRPC): kube-proxy balances connections, not requests, so a few clients can pin most requests to a few pods; balance per request in the client or a proxy.", sp.Name)
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Level.Rank() != out[j].Level.Rank() {
			return out[i].Level.Rank() > out[j].Level.Rank()
		}
		return out[i].Code < out[j].Code
	})
	return out
}

type addFunc func(l Level, code, format string, a ...any)

// endpointsUnknownFinding says once what a missing EndpointSlice hides,
// in place of every finding that would need it.
func (p *predictor) endpointsUnknownFinding(add addFunc) {
	why := fmt.Sprintf("the input has no EndpointSlice for %s", p.svc.Key())
	if p.snap.SlicesMissing {
		why = "the input has no EndpointSlices (nor v1 Endpoints) at all"
	}
	add(LevelUnknown, CodeEndpointsUnknown, "Endpoints unknown: %s, so which pods serve it, their shares, and what is dropped or refused cannot be judged. Include them in the dump: kubectl get svc,endpointslices,pods,nodes -A -o yaml.", why)
}

// headlessFindings: a headless Service is a DNS answer, not a route.
func (p *predictor) headlessFindings(add addFunc) {
	ready := len(p.topo.ready)
	if ready == 0 {
		add(LevelError, CodeNoEndpoints, "Headless Service %s has no ready endpoint: cluster DNS returns no address for %s, so clients fail to resolve it.", p.svc.Key(), dnsName(p.svc))
		return
	}
	add(LevelInfo, CodeHeadless, "Headless Service (clusterIP: None): cluster DNS answers %s with the %d ready pod address(es) and clients connect to one directly; kube-proxy is not involved, so traffic policies and affinity do not apply and the spread depends on the clients' DNS resolution and connection reuse.", dnsName(p.svc), ready)
}

func (p *predictor) endpointFindings(add addFunc) {
	svc := p.svc
	portless := 0
	for _, si := range p.sliceIdx {
		// The controller's placeholder slice has neither ports nor
		// endpoints: nothing is ignored there.
		if sl := &p.snap.Slices[si]; len(sl.Ports) == 0 && len(sl.Endpoints) > 0 {
			portless++
		}
	}
	for _, si := range p.sliceIdx {
		if p.snap.Slices[si].Mirrored {
			add(LevelInfo, CodeEndpointsMirrored, "The input has no EndpointSlice for %s: its endpoints were read from its v1 Endpoints object, as the EndpointSlice mirroring controller would, so only readiness is known (no serving or terminating state, zones or topology hints).", svc.Key())
			break
		}
	}
	if portless > 0 {
		add(LevelWarning, CodeSliceWithoutPorts, "%s of %s %s no ports: kube-proxy files endpoints under their slice's ports, so it ignores them.", Counted(portless, "EndpointSlice", "EndpointSlices"), svc.Key(), Agree(portless, "lists", "list"))
	}
	if !p.topo.hasAny() {
		add(LevelError, CodeNoEndpoints, "%s has no ready or serving endpoint: every connection is refused (kube-proxy installs a REJECT rule).", svc.Key())
		if len(svc.Selector) > 0 && len(p.snap.Pods) > 0 && !selectorMatchesAny(p.snap, svc) {
			add(LevelError, CodeSelectorMatchesNoPods, "Selector %s matches no pod in namespace %s: check the Service's selector against the pods' labels.", selectorString(svc.Selector), svc.Namespace)
		}
	} else if len(p.topo.ready) == 0 {
		add(LevelWarning, CodeOnlyTerminatingEndpoints, "No endpoint is ready: traffic goes to %s that %s shutting down.", Counted(len(p.topo.servingTerm), "serving-but-terminating endpoint", "serving-but-terminating endpoints"), Agree(len(p.topo.servingTerm), "is", "are"))
	}
	p.unknownNodeFinding(add)
	// Not ready is not the same as terminating: a serving-terminating
	// endpoint still gets new connections on a node with no ready local
	// endpoint under a Local policy (CategorizeEndpoints' local fallback).
	var idle, fallback []string
	for i := range p.topo.eps {
		e := &p.topo.eps[i]
		switch {
		case e.ready:
		case i < len(p.pred.Endpoints) && p.pred.Endpoints[i].Share > 0:
			fallback = append(fallback, endpointName(e))
		default:
			idle = append(idle, endpointName(e))
		}
	}
	if notReady := len(idle) + len(fallback); notReady > 0 && len(p.topo.ready) > 0 {
		level := LevelInfo
		if 2*notReady >= len(p.topo.eps) {
			level = LevelWarning
		}
		var parts []string
		if len(idle) > 0 {
			parts = append(parts, fmt.Sprintf("%d %s no new connections (%s)", len(idle), Agree(len(idle), "gets", "get"), listNames(idle, 5)))
		}
		if len(fallback) > 0 {
			parts = append(parts, fmt.Sprintf("%d terminating but still serving %s getting new connections from %s own node, which has no ready local endpoint under a Local policy (%s)", len(fallback), Agree(len(fallback), "keeps", "keep"), Agree(len(fallback), "its", "their"), listNames(fallback, 5)))
		}
		add(level, CodeNotReadyEndpointsExcluded, "%d of %d endpoints %s not ready: %s.", notReady, len(p.topo.eps), Agree(notReady, "is", "are"), strings.Join(parts, "; "))
	}
}

// unknownNodeFinding: with Node objects known, an endpoint on a node the
// cluster does not list (deleted while its pods linger in the slices) is
// still a target of every other node's kube-proxy, but no kube-proxy the
// snapshot knows runs on that node.
func (p *predictor) unknownNodeFinding(add addFunc) {
	if !p.snap.NodesKnown {
		return
	}
	count := map[string]int{}
	var ghosts []string
	for i := range p.topo.eps {
		n := p.topo.eps[i].node
		if _, known := p.known[n]; n == "" || known {
			continue
		}
		if count[n] == 0 {
			ghosts = append(ghosts, n)
		}
		count[n]++
	}
	if len(ghosts) == 0 {
		return
	}
	total := 0
	for _, c := range count {
		total += c
	}
	add(LevelWarning, CodeEndpointsOnUnknownNode, "%s of %s %s on %s the cluster does not list (%s; deleted?): no kube-proxy runs there as far as the input shows, so %s no load-balancer or client traffic, while every other node still sends connections to %s.",
		Counted(total, "endpoint", "endpoints"), p.svc.Key(), Agree(total, "is", "are"), Agree(len(ghosts), "a node", "nodes"), listNames(ghosts, 5),
		Agree(len(ghosts), "that node takes", "those nodes take"), Agree(total, "this endpoint", "these endpoints"))
}

// policyFindings covers what Local traffic policies do to the spread.
func (p *predictor) policyFindings(add addFunc) {
	pred, src := p.pred, p.source
	externalLocal := p.settings.ExternalTrafficPolicy == PolicyLocal
	internalLocal := p.settings.InternalTrafficPolicy == PolicyLocal
	spreadOverNodes := (src.Kind == SourceLB && (p.settings.LBMode == LBModeNodes || p.settings.LBMode == LBModeNodesWeighted)) ||
		((src.Kind == SourceNodePort || src.Kind == SourceInternal) && src.Node == "")
	localHere := (externalLocal && (src.Kind == SourceLB || src.Kind == SourceNodePort)) ||
		(internalLocal && (src.Kind == SourceInternal || src.Kind == SourcePod))
	if localHere && spreadOverNodes && !p.svc.Headless() {
		busiest, idlest := -1, -1
		for i, e := range pred.Endpoints {
			if e.Share <= 0 {
				continue
			}
			if busiest < 0 || e.Share > pred.Endpoints[busiest].Share {
				busiest = i
			}
			if idlest < 0 || e.Share < pred.Endpoints[idlest].Share {
				idlest = i
			}
		}
		if busiest >= 0 && pred.Endpoints[busiest].Share >= imbalanceRatio*pred.Endpoints[idlest].Share {
			b, i := pred.Endpoints[busiest], pred.Endpoints[idlest]
			policy := "externalTrafficPolicy"
			if src.Kind == SourceInternal {
				policy = "internalTrafficPolicy"
			}
			add(LevelWarning, CodeLocalPolicyImbalance, "%s: Local splits traffic per node, then per pod: %s on %s gets %s while %s on %s gets %s. Spread pods evenly over nodes (topologySpreadConstraints) or weight the load balancer by pods.",
				policy, shareName(b), b.Node, pct(b.Share), shareName(i), i.Node, pct(i.Share))
		}
	}
	emptyCount, empty := p.nodesWhere(func(i int) bool {
		_, set := p.topo.localSet(p.nodes[i].Name)
		return len(set) == 0
	}, 5, nodeName)
	if emptyCount == 0 || !p.topo.hasAny() {
		return
	}
	switch {
	case externalLocal && src.Kind == SourceNodePort && src.Node == "":
		add(LevelWarning, CodeLocalNodesWithoutEndpoints, "%d of %d nodes %s no local endpoint: under externalTrafficPolicy: Local, connections to NodePort %d on them are dropped and clients time out (%s).",
			emptyCount, p.nodeCount(), Agree(emptyCount, "has", "have"), p.port.NodePort, countedNames(empty, emptyCount))
	case externalLocal && src.Kind == SourceLB && spreadOverNodes && !p.lbFailOpen:
		backends, _ := p.nodesWhere(func(i int) bool { return pred.Nodes[i].LBBackend }, 0, nodeName)
		nDown, down := p.nodesWhere(func(i int) bool { return pred.Nodes[i].LBBackend && !p.nodes[i].Ready }, 5, nodeName)
		nFailing, failing := p.nodesWhere(func(i int) bool {
			return pred.Nodes[i].LBBackend && p.nodes[i].Ready && !pred.Nodes[i].LBHealthy
		}, 5, nodeName)
		if nFailing+nDown > 0 {
			var why []string
			if nFailing > 0 {
				why = append(why, fmt.Sprintf("%d %s (%s)", nFailing, p.probe.failingReason(), countedNames(failing, nFailing)))
			}
			if nDown > 0 {
				why = append(why, fmt.Sprintf("%d not Ready, answering nothing (%s)", nDown, countedNames(down, nDown)))
			}
			add(LevelInfo, CodeLBHealthCheckExcludesNodes, "The load balancer's health probe (%s) fails on %d of %d backend nodes, so they get no traffic: %s.",
				p.probe.describe(p.svc), nFailing+nDown, backends, strings.Join(why, "; "))
		}
	case internalLocal && src.Kind == SourceInternal && src.Node == "" && !p.datapath.ipvsLocalFallback():
		add(LevelError, CodeInternalLocalDrops, "internalTrafficPolicy: Local: in-cluster clients on %d of %d nodes have no local endpoint to reach, so their connections are dropped and time out (%s). Run a pod on every node that has clients (a DaemonSet), or use Cluster.",
			emptyCount, p.nodeCount(), countedNames(empty, emptyCount))
	}
}

func (p *predictor) affinityFindings(add addFunc) {
	if p.settings.SessionAffinity != AffinityClientIP || p.svc.Headless() {
		return
	}
	src := p.source
	if (src.Kind == SourceLB && p.settings.LBMode == LBModePods) || (p.entry != nil && p.entry.hop == HopPods) {
		add(LevelInfo, CodeAffinityBypassed, "sessionAffinity: ClientIP has no effect here: the load balancer sends straight to pods, bypassing kube-proxy; use the load balancer's own stickiness.")
		return
	}
	entryNodes, _ := p.nodesWhere(func(i int) bool { return p.pred.Nodes[i].Share > 0 }, 0, nodeName)
	if (src.Kind == SourceLB || src.Kind == SourceNodePort) && entryNodes > 1 {
		add(LevelWarning, CodeAffinityPerNode, "sessionAffinity: ClientIP is kept per node: each node's kube-proxy pins a client for %s, so a client sent to another node (by the load balancer or another NodePort) can land on another pod.",
			durationText(p.settings.SessionAffinityTimeoutSeconds))
	}
	add(LevelInfo, CodeAffinityFewClients, "With ClientIP affinity each client stays on one pod for %s: the shares above are averages over many clients; with few clients (or clients behind one NAT) some pods get most of the traffic.",
		durationText(p.settings.SessionAffinityTimeoutSeconds))
}

func (p *predictor) topologyFindings(add addFunc) {
	svc, td := p.svc, p.settings.TrafficDistribution
	if svc.Headless() {
		return
	}
	annotated := hintsAnnotationEnabled(svc.Annotations)
	if td != "" && annotated {
		add(LevelWarning, CodeTrafficDistributionIgnored, "trafficDistribution: %s is ignored: the topology-mode annotation (Auto) takes precedence in the EndpointSlice controller.", td)
	}
	hinted, readyCount := 0, len(p.topo.ready)
	for _, i := range p.topo.ready {
		if e := &p.topo.eps[i]; len(e.hintZones)+len(e.hintNodes) > 0 {
			hinted++
		}
	}
	if td != "" && !annotated && hinted == 0 && readyCount > 0 {
		add(LevelWarning, CodeTrafficDistributionNoHints, "trafficDistribution: %s is set but no endpoint carries hints: the EndpointSlice controller has not published any (a control plane older than the field, or its feature gate off), so kube-proxy spreads cluster-wide.", td)
	}
	if hinted > 0 && hinted < readyCount {
		add(LevelWarning, CodeTopologyHintsIgnored, "Topology hints are ignored: %d of %d ready endpoints carry no hint, and kube-proxy uses hints only when every ready endpoint has one.", readyCount-hinted, readyCount)
	} else if p.topo.allZoneHints && !p.topo.allNodeHints {
		nCold, cold := p.nodesWhere(func(i int) bool {
			return p.nodes[i].Ready && len(p.topo.byHintZone[p.nodes[i].Zone]) == 0
		}, 5, func(n *Node) string { return n.Name + " (" + zoneLabel(n.Zone) + ")" })
		if nCold > 0 {
			add(LevelInfo, CodeTopologyHintsIgnored, "%s no endpoint hinted for %s zone (or no zone label) and %s cluster-wide: %s.", Counted(nCold, "node has", "nodes have"), Agree(nCold, "its", "their"), Agree(nCold, "spreads", "spread"), countedNames(cold, nCold))
		}
	}
	p.overloadFinding(add)
	zones := map[string]bool{}
	for _, n := range p.nodes {
		if n.Zone != "" {
			zones[n.Zone] = true
		}
	}
	if p.pred.CrossZone > 0.005 && len(zones) > 1 && td == "" && hinted == 0 {
		add(LevelInfo, CodeCrossZoneTraffic, "%s of this traffic crosses zones (latency and cross-zone cost); trafficDistribution: PreferClose keeps it in-zone where endpoints exist.", pct(p.pred.CrossZone))
	}
}

// overloadFinding: same-zone (or same-node) routing keeps traffic close
// even when the local endpoints are few, so one pod can carry a zone.
func (p *predictor) overloadFinding(add addFunc) {
	if !(p.topo.allZoneHints || p.topo.allNodeHints) || len(p.topo.ready) < 2 {
		return
	}
	even := 1 / float64(len(p.topo.ready))
	busiest := -1
	for i, e := range p.pred.Endpoints {
		if busiest < 0 || e.Share > p.pred.Endpoints[busiest].Share {
			busiest = i
		}
	}
	if b := p.pred.Endpoints[busiest]; b.Share >= imbalanceRatio*even {
		add(LevelWarning, CodeTopologyOverload, "Topology hints keep traffic close even where endpoints are few: %s in zone %s gets %s, against %s for an even spread; add endpoints in that zone or drop trafficDistribution.",
			shareName(b), zoneLabel(b.Zone), pct(b.Share), pct(even))
	}
}

func (p *predictor) lbFindings(add addFunc) {
	svc, src, s := p.svc, p.source, p.settings
	external := src.Kind == SourceLB || src.Kind == SourceNodePort
	if external && !p.pred.ClientIPPreserved {
		if src.Kind == SourceLB && s.LBMode == LBModePods {
			add(LevelInfo, CodeClientIPLost, "The load balancer targets pod IPs but does not keep client addresses (AWS: set preserve_client_ip.enabled=true in the target group attributes, or use PROXY protocol).")
		} else {
			add(LevelInfo, CodeClientIPLost, "Client IPs are lost: under externalTrafficPolicy: Cluster the node SNATs connections, so pods see node addresses. Set it to Local (or use PROXY protocol / X-Forwarded-For) to keep them.")
		}
	}
	p.cloudLBFindings(add)
	if svc.Type != TypeLoadBalancer {
		return
	}
	if len(svc.LoadBalancerIngress) == 0 {
		add(LevelInfo, CodeLBPending, "No load-balancer address yet (status.loadBalancer.ingress is empty): the load balancer may still be provisioning.")
	}
	for _, in := range svc.LoadBalancerIngress {
		if in.IPMode == "Proxy" {
			add(LevelInfo, CodeLBIPModeProxy, "ipMode: Proxy: in-cluster clients that use the load-balancer address go out through the load balancer instead of straight to the endpoints.")
			break
		}
	}
	if src.Kind != SourceLB {
		return
	}
	if s.LBMode == LBModeNodesWeighted && s.ExternalTrafficPolicy != PolicyLocal {
		add(LevelInfo, CodeWeightedLBNeedsLocal, "Weighted load balancing only weights nodes under externalTrafficPolicy: Local; under Cluster nodes get equal weight.")
	}
	if s.LBMode == LBModeSingleNode {
		if !p.endpointsUnknown {
			p.singleNodeFinding(add)
		}
	} else if s.LBMode != LBModePods {
		backends, _ := p.nodesWhere(func(i int) bool { return p.pred.Nodes[i].LBBackend }, 0, nodeName)
		switch {
		case backends == 0 && p.snap.NodesKnown:
			add(LevelError, CodeNoLBBackends, "No node is a load-balancer backend (every node carries the %s label, is tainted %s or is being deleted): all traffic is lost.", LabelExcludeFromLB, TaintToBeDeletedByCA)
		case p.lbFailOpen:
			add(LevelError, CodeAllLBBackendsUnhealthy, "The load balancer's health check fails on all %d backend nodes: most load balancers then send to all of them anyway (fail open); %s of the traffic finds no endpoint.", backends, pct(p.pred.Dropped+p.pred.Rejected))
		}
	}
}

// cloudLBFindings reads the cloud load balancer's annotations with the
// effective (possibly what-if) traffic policy.
func (p *predictor) cloudLBFindings(add addFunc) {
	svc := *p.svc
	svc.ExternalTrafficPolicy = p.settings.ExternalTrafficPolicy
	lb := DecodeCloudLB(&svc)
	for _, problem := range lb.Problems {
		add(LevelWarning, CodeCloudLBAnnotationProblem, "%s", problem)
	}
	if svc.Type == TypeLoadBalancer && svc.ExternalTrafficPolicy == PolicyLocal && p.probe.kind != probeHealthCheckNodePort {
		p.probeMismatchFinding(add)
	}
	if lb.IdleTimeoutSeconds > 0 {
		add(LevelWarning, CodeLBIdleTimeout, "The load balancer drops connections idle for %ds (%s): backends must keep idle keep-alive connections open longer than that (gunicorn --keep-alive, nginx keepalive_timeout, Node.js keepAliveTimeout), or requests that race the backend's close get 502s or resets.",
			lb.IdleTimeoutSeconds, lb.IdleTimeoutSource)
	}
}

// probeMismatchFinding: under Local, only healthCheckNodePort fails a
// node as soon as it has no ready local endpoint. What a probe aimed
// elsewhere does instead depends on where it lands.
func (p *predictor) probeMismatchFinding(add addFunc) {
	hc := fmt.Sprintf("healthCheckNodePort %d", p.svc.HealthCheckNodePort)
	if p.svc.HealthCheckNodePort == 0 {
		hc = "healthCheckNodePort (allocated when Local is applied)"
	}
	probe := p.probe.describe(p.svc)
	switch p.probe.kind {
	case probeNodePort:
		add(LevelWarning, CodeHealthProbePortMismatch, "The load balancer's health probe targets %s, not %s. Under externalTrafficPolicy: Local kube-proxy forwards the probe to a local endpoint, so it fails on nodes without one (as %s would), but it keeps passing on a node whose local pods are all terminating yet still serving: that node keeps receiving new connections until its pods stop, where %s would have failed it as soon as no local pod was ready and let it drain.",
			probe, hc, hc, hc)
	case probeKubeProxy:
		add(LevelError, CodeHealthProbePortMismatch, "The load balancer's health probe targets %s, not %s: it passes on every node whose kube-proxy runs, including nodes without a local endpoint, which drop what they receive under externalTrafficPolicy: Local.",
			probe, hc)
	default:
		add(LevelWarning, CodeHealthProbePortMismatch, "The load balancer's health probe targets %s, which is neither %s nor a NodePort of this Service: whether it fails on nodes without a local endpoint cannot be told; ktraffic assumes it passes on every Ready node, so those nodes receive traffic and drop it under externalTrafficPolicy: Local.",
			probe, hc)
	}
}

func (p *predictor) singleNodeFinding(add addFunc) {
	node := p.pred.Settings.LBNode
	if node == "" {
		add(LevelError, CodeSingleNodeLB, "No node can announce the load-balancer IP (none is ready%s): the address does not answer.", map[bool]string{true: " with a ready local endpoint", false: ""}[p.settings.ExternalTrafficPolicy == PolicyLocal])
		return
	}
	guess := ""
	if p.lbNodeAuto {
		guess = " (assumed: the first eligible node; the real one is in the Service's nodeAssigned event — set lbNode=NODE)"
	}
	msg := fmt.Sprintf("One node announces the load-balancer IP (L2/ARP mode), so %s%s receives all of it", node, guess)
	if p.settings.ExternalTrafficPolicy == PolicyLocal {
		other := 0
		for _, e := range p.pred.Endpoints {
			if e.Node != node && e.Ready {
				other++
			}
		}
		if other > 0 {
			msg += fmt.Sprintf(", and under Local only its own pods serve: %s on other nodes %s nothing", Counted(other, "ready pod", "ready pods"), Agree(other, "gets", "get"))
		}
	}
	add(LevelWarning, CodeSingleNodeLB, "%s.", msg)
}

func selectorMatchesAny(snap *Snapshot, svc *Service) bool {
	for i := range snap.Pods {
		pod := &snap.Pods[i]
		if pod.Namespace != svc.Namespace {
			continue
		}
		match := true
		for k, v := range svc.Selector {
			if pod.Labels[k] != v {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func selectorString(sel map[string]string) string {
	parts := make([]string, 0, len(sel))
	for _, k := range sortedKeys(sel) {
		parts = append(parts, k+"="+sel[k])
	}
	return strings.Join(parts, ",")
}

func reusesConnections(portName string) bool {
	n := strings.ToLower(portName)
	return strings.HasPrefix(n, "grpc") || strings.HasPrefix(n, "h2") || strings.Contains(n, "http2")
}

func endpointName(e *epInfo) string {
	if e.pod != "" {
		return e.pod
	}
	return e.ip
}

func shareName(e EndpointShare) string {
	if e.Pod != "" {
		return e.Pod
	}
	return e.IP
}

func listNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

// pct formats a share as a percentage with one decimal.
func pct(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

func durationText(seconds int32) string {
	h, m, s := seconds/3600, seconds%3600/60, seconds%60
	switch {
	case h > 0 && m == 0 && s == 0:
		return fmt.Sprintf("%dh (%ds)", h, seconds)
	case h == 0 && m > 0 && s == 0:
		return fmt.Sprintf("%dm (%ds)", m, seconds)
	}
	return fmt.Sprintf("%ds", seconds)
}
