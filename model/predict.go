package model

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
)

// MaxFlows bounds how many node→pod flows a prediction lists one by one;
// above it, alike nodes are folded per zone (see Flow).
const MaxFlows = 10000

// entry is traffic entering the cluster at one node.
type entry struct {
	node  int // index into the prediction's node list
	share float64
}

// predictor carries one prediction's working state.
type predictor struct {
	snap     *Snapshot
	svc      *Service
	port     ServicePort
	settings Settings
	source   TrafficSource
	nodes    []Node
	nodeIdx  map[string]int
	topo     *topology
	// sliceIdx lists the Service's slices in Snapshot.Slices.
	sliceIdx []int
	// hcCount is each node's localEndpoints as its health check reports it.
	hcCount map[string]int
	pred    *Prediction
	// lbFailOpen is set when every load-balancer backend failed its health
	// check and the load balancer spread over all of them regardless.
	lbFailOpen bool
	// lbNodeAuto is set when the single announcing node was guessed.
	lbNodeAuto bool
	// probe is the load balancer's health probe for the predicted port.
	probe lbProbe
	// endpointsUnknown is set when the input holds no EndpointSlice for
	// the Service although it must have one (see endpointsKnown).
	endpointsUnknown bool
	// nodeLost is, per node, the part of the source's traffic entering
	// there that is lost; nil when nothing was routed through nodes.
	nodeLost []nodeLoss
	// outcomeOnly skips the node→pod flows (Request.OutcomeOnly).
	outcomeOnly bool
	// known maps every node of the snapshot by name, whatever nodes holds.
	known map[string]int
	// fold, set by Summarize, lets nodes that behave alike be predicted
	// once (see fold.go); weights, stands, special, classes and allNodes
	// describe the folded node list.
	fold     bool
	weights  []float64
	stands   []int
	special  map[int]bool
	classes  []nodeClass
	allNodes []Node
	// req is the request being predicted; entry the Ingress or route in
	// front when the source is one (entry_predict.go); datapath what
	// forwards on the nodes (datapath.go).
	req      Request
	entry    *entryRun
	datapath *DatapathView
}

type nodeLoss struct{ dropped, rejected float64 }

// Predict applies kube-proxy's rules to one Service of the snapshot and
// says where each share of the source's traffic goes.
func Predict(snap *Snapshot, req Request) (*Prediction, error) {
	return predict(snap, req, nil)
}

// snapIndex is what every prediction of one snapshot looks up; Summarize
// builds it once for all Services instead of once per Service.
type snapIndex struct {
	slices  sliceIndex
	nodes   []Node
	nodeIdx map[string]int
	// classes and classOf group nodes for folding (indexClasses); nil
	// unless a summary asked for them.
	classes []nodeClass
	classOf []int
}

func newSnapIndex(snap *Snapshot) *snapIndex {
	x := &snapIndex{slices: indexSlices(snap), nodes: nodesOf(snap)}
	x.nodeIdx = make(map[string]int, len(x.nodes))
	for i, n := range x.nodes {
		x.nodeIdx[n.Name] = i
	}
	return x
}

// zoneOf is a node's zone label ("" for a node the snapshot lacks).
func (x *snapIndex) zoneOf(node string) string {
	if i, ok := x.nodeIdx[node]; ok {
		return x.nodes[i].Zone
	}
	return ""
}

// predict is Predict with an optional index of the snapshot, for callers
// that predict many Services of one snapshot.
func predict(snap *Snapshot, req Request, idx *snapIndex) (*Prediction, error) {
	p, err := run(snap, req, idx, false)
	if err != nil {
		return nil, err
	}
	return p.pred, nil
}

// run is predict returning the predictor itself; fold lets a summary
// predict alike nodes once (fold.go), when idx has node classes.
func run(snap *Snapshot, req Request, idx *snapIndex, fold bool) (*predictor, error) {
	p, idx, err := newPredictor(snap, req, idx, fold)
	if err != nil {
		return nil, err
	}
	p.readEndpoints(req.Overrides, idx)
	p.start()
	switch {
	case p.svc.Type == TypeExternalName:
		p.fillNodes(nil)
		p.pred.DNS = &DNSAnswer{Name: dnsName(p.svc), CNAME: p.svc.ExternalName}
	case p.endpointsUnknown:
		p.fillNodes(nil)
		p.pred.ClientIPPreserved = p.clientIPPreserved()
	case p.svc.Headless():
		p.headless()
	default:
		p.spread()
	}
	p.finish()
	p.pred.Findings = findings(p)
	return p, nil
}

// drilled is the snapshot with the request's drills applied, and the
// request without them; it refuses a Service the snapshot lacks.
func drilled(snap *Snapshot, req Request) (*Snapshot, Request, error) {
	if snap.Service(req.Service) == nil {
		return nil, req, UnknownName("service %s not found in %s", req.Service, sourceName(snap))
	}
	if len(req.Drills) == 0 {
		return snap, req, nil
	}
	snap, err := ApplyDrills(snap, req.Service, req.Drills)
	req.Drills = nil
	return snap, req, err
}

// newPredictor checks the request against the snapshot (after its
// drills): the Service, the effective settings, the port and the source.
func newPredictor(snap *Snapshot, req Request, idx *snapIndex, fold bool) (*predictor, *snapIndex, error) {
	if len(req.Drills) > 0 {
		idx = nil // the drills change nodes and slices
	}
	snap, req, err := drilled(snap, req)
	if err != nil {
		return nil, nil, err
	}
	if idx == nil {
		idx = newSnapIndex(snap)
	}
	svc := snap.Service(req.Service)
	settings, err := resolveSettings(svc, req.Overrides)
	if err != nil {
		return nil, nil, err
	}
	datapathSettings(&settings, snap.Datapath, req.Overrides)
	port, err := selectPort(svc, req.Port)
	if err != nil {
		return nil, nil, err
	}
	src := req.Source
	if src.Kind == "" {
		src = DefaultSourceIn(snap, svc)
	}
	p := &predictor{snap: snap, svc: svc, port: port, settings: settings, source: src, nodes: idx.nodes, nodeIdx: idx.nodeIdx,
		outcomeOnly: req.OutcomeOnly, known: idx.nodeIdx, fold: fold && idx.classes != nil,
		req: req, datapath: datapathView(snap.Datapath, settings, req.Overrides)}
	if err := p.checkSource(); err != nil {
		return nil, nil, err
	}
	return p, idx, nil
}

// readEndpoints reads the Service's endpoints as kube-proxy's cache keeps
// them, with the hints a trafficDistribution what-if would bring, the
// load balancer's probe, and (in a summary) the folded nodes.
func (p *predictor) readEndpoints(o Overrides, idx *snapIndex) {
	svc := p.svc
	p.sliceIdx = idx.slices[svc.Key()]
	epMap := buildEndpointsMap(p.snap, p.sliceIdx, svc)
	eps := gatherEndpoints(epMap, p.port, idx.zoneOf)
	p.hcCount = epMap.localReadyCounts()
	// A trafficDistribution the Service already has changes nothing: the
	// hints are whatever the controller did (or did not) publish.
	if td := o.TrafficDistribution; td != nil && *td != svc.TrafficDistribution && !hintsAnnotationEnabled(svc.Annotations) {
		eps = simulateHints(eps, *td)
	}
	p.topo = newTopology(eps)
	p.topo.ignoreHints = svc.Headless()
	if svc.Type == TypeLoadBalancer {
		p.probe = p.resolveProbe(epMap, idx.zoneOf)
	}
	if p.foldable() {
		p.foldNodes(idx)
	}
	p.endpointsUnknown = !endpointsKnown(p.snap, svc, p.sliceIdx)
}

// start opens the prediction with what is known before any traffic is
// spread: who, from where, with which settings, and what the input lacks.
func (p *predictor) start() {
	p.pred = &Prediction{
		Service:      p.svc.Key(),
		Type:         p.svc.Type,
		Source:       p.source,
		Settings:     p.settings,
		Nodes:        []NodeShare{},
		Endpoints:    []EndpointShare{},
		Flows:        []Flow{},
		Findings:     []Finding{},
		NodesKnown:   p.snap.NodesKnown,
		InputMissing: p.snap.MissingKinds(),
		Datapath:     p.datapath,
	}
	if p.endpointsUnknown {
		p.pred.Unknown = append(p.pred.Unknown, UnknownEndpoints)
	}
	if !p.snap.NodesKnown {
		p.pred.Unknown = append(p.pred.Unknown, UnknownNodes)
	}
}

func sourceName(snap *Snapshot) string {
	if snap.Source == "" {
		return "the snapshot"
	}
	return snap.Source
}

// nodesOf returns the snapshot's nodes, derived from endpoints and pods
// when the source had no Node objects.
func nodesOf(snap *Snapshot) []Node {
	if snap.NodesKnown {
		return snap.Nodes
	}
	nodes := mergeDerivedNodes(slices.Clone(snap.Nodes), snap.Slices, snap.Pods)
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].Name < nodes[j].Name })
	return nodes
}

// checkSource refuses sources the Service cannot have.
func (p *predictor) checkSource() error {
	svc, src := p.svc, p.source
	switch src.Kind {
	case SourceLB:
		if svc.Type != TypeLoadBalancer {
			return UnknownName("--from lb: %s has no load balancer; use --from internal%s", describeKind(svc), nodePortHint(svc))
		}
	case SourceNodePort:
		if svc.Type != TypeLoadBalancer && svc.Type != TypeNodePort {
			return UnknownName("--from nodeport: %s has no NodePort; use --from internal", describeKind(svc))
		}
	case SourceIngress, SourceHTTPRoute, SourceGRPCRoute:
		if err := p.checkEntry(); err != nil {
			return err
		}
	case SourcePod:
		pod := findPod(p.snap, src.Pod)
		if pod == nil {
			return UnknownName("--from pod:%s: no such pod in %s", src.Pod, sourceName(p.snap))
		}
		if pod.NodeName == "" {
			return fmt.Errorf("--from pod:%s: the pod is not scheduled on a node yet", src.Pod)
		}
	}
	if src.Node != "" {
		if _, ok := p.nodeIdx[src.Node]; !ok {
			return UnknownName("--from %s: no node %q in %s", src, src.Node, sourceName(p.snap))
		}
	}
	if p.settings.LBNode != "" {
		if _, ok := p.nodeIdx[p.settings.LBNode]; !ok {
			return UnknownName("lbNode %q is not a node of %s", p.settings.LBNode, sourceName(p.snap))
		}
	}
	return nil
}

func nodePortHint(svc *Service) string {
	if svc.Type == TypeNodePort {
		return " or --from nodeport"
	}
	return ""
}

func findPod(snap *Snapshot, key string) *Pod {
	for i := range snap.Pods {
		if snap.Pods[i].Namespace+"/"+snap.Pods[i].Name == key {
			return &snap.Pods[i]
		}
	}
	return nil
}

// What a prediction can leave unjudged (Prediction.Unknown).
const (
	UnknownEndpoints = "endpoints"
	UnknownNodes     = "nodes"
)

// endpointsKnown says whether the input can tell the Service's endpoints.
// The EndpointSlice controller writes at least one slice (a placeholder
// when no pod matches) for every Service with a selector, so a selector
// Service without any slice means the slices are missing from the input,
// not that the Service has no endpoint. A Service without a selector has
// only the slices someone wrote (or the mirroring controller copied):
// none means none, unless the input held no slices at all.
func endpointsKnown(snap *Snapshot, svc *Service, sliceIdx []int) bool {
	if svc.Type == TypeExternalName || len(sliceIdx) > 0 {
		return true
	}
	return !snap.SlicesMissing && len(svc.Selector) == 0
}

// dnsName is the Service's name as cluster DNS serves it.
func dnsName(svc *Service) string { return svc.Name + "." + svc.Namespace + ".svc" }

// headless answers for a Service without a cluster IP: cluster DNS
// returns the ready endpoints' addresses and clients connect to one of
// them on their own. No node, policy, affinity or share is involved, so
// none is invented.
func (p *predictor) headless() {
	p.fillEndpoints(make([]float64, len(p.topo.eps)))
	p.fillNodes(nil)
	dns := &DNSAnswer{Name: dnsName(p.svc), Addresses: []string{}}
	for _, i := range p.topo.ready {
		dns.Addresses = append(dns.Addresses, p.topo.eps[i].ip)
	}
	p.pred.DNS = dns
	p.pred.ClientIPPreserved = true
}

// spread works out the entries for the source, then where each goes.
func (p *predictor) spread() {
	p.pred.ClientIPPreserved = p.clientIPPreserved()
	var entries []entry
	switch p.source.Kind {
	case SourceLB:
		if p.settings.LBMode == LBModePods {
			p.spreadDirect(p.topo.ready)
			return
		}
		entries = p.lbEntries(p.usesLocal())
	case SourceNodePort, SourceInternal:
		entries = p.everyNodeOr(p.source.Node)
	case SourcePod:
		entries = p.everyNodeOr(findPod(p.snap, p.source.Pod).NodeName)
	case SourceIngress, SourceHTTPRoute, SourceGRPCRoute:
		p.spreadEntry()
		return
	}
	p.route(entries, p.usesLocal())
	if !p.pred.ClientIPPreserved && p.datapath.keepsClientIPUnderCluster() {
		p.pred.ClientIPPreserved = true // DSR: the backend answers the client directly
	}
}

// usesLocal says whether the source's traffic policy is Local: the
// external one for traffic from outside, the internal one for clients
// in the cluster.
func (p *predictor) usesLocal() bool {
	switch p.source.Kind {
	case SourceLB, SourceNodePort:
		return p.settings.ExternalTrafficPolicy == PolicyLocal
	}
	return p.settings.InternalTrafficPolicy == PolicyLocal
}

// clientIPPreserved: external traffic keeps the client's address only
// under Local (Cluster SNATs it at the entry node), or with an IP-target
// load balancer that keeps it; in-cluster clients always keep theirs.
func (p *predictor) clientIPPreserved() bool {
	switch p.source.Kind {
	case SourceLB:
		if p.settings.LBMode == LBModePods {
			return preservesClientIPInPodMode(p.svc)
		}
		return p.usesLocal()
	case SourceNodePort:
		return p.usesLocal()
	}
	return true
}

// everyNodeOr is one node, or every node evenly. In-cluster clients live
// only on Ready nodes; external clients hitting a NodePort on a node that
// is down are counted in its share, and route drops it.
func (p *predictor) everyNodeOr(node string) []entry {
	if node != "" {
		return []entry{{node: p.nodeIdx[node], share: 1}}
	}
	var clients []int
	total := 0.0
	for i := range p.nodes {
		if p.nodes[i].Ready || p.source.Kind == SourceNodePort {
			clients = append(clients, i)
			total += p.weight(i)
		}
	}
	if len(clients) == 0 {
		return nil
	}
	out := make([]entry, len(clients))
	for k, i := range clients {
		out[k] = entry{node: i, share: p.weight(i) / total}
	}
	return out
}

// lbBackend mirrors the cloud-provider service controller's stable node
// set (KEP-3458): a node is a load-balancer backend unless it is being
// deleted, is tainted ToBeDeletedByClusterAutoscaler, or carries the
// exclude label with a value that is not "false".
func lbBackend(n *Node) bool {
	if n.Deleting || slices.Contains(n.TaintKeys, TaintToBeDeletedByCA) {
		return false
	}
	v, labelled := n.Labels[LabelExcludeFromLB]
	if !labelled {
		return true
	}
	exclude, err := strconv.ParseBool(v)
	return err == nil && !exclude
}

// lbHealthy is what the load balancer's health probe sees on a backend
// (see lbProbe): by default, under Local kube-proxy's healthCheckNodePort
// answers 200 only with a ready local endpoint, and under Cluster
// kube-proxy's /healthz answers 200; a cloud annotation can aim the probe
// elsewhere. A NotReady node is taken as not answering at all.
func (p *predictor) lbHealthy(n *Node) bool {
	if !lbBackend(n) || !n.Ready {
		return false
	}
	return p.probe.passes(p, n)
}

// lbEntries spreads load-balancer traffic over nodes per the LB mode.
func (p *predictor) lbEntries(local bool) []entry {
	if p.settings.LBMode == LBModeSingleNode {
		node := p.settings.LBNode
		if node == "" {
			node = p.pickAnnouncer(local)
			p.lbNodeAuto = node != ""
			p.pred.Settings.LBNode = node
		}
		if node == "" {
			return nil
		}
		return []entry{{node: p.nodeIdx[node], share: 1}}
	}
	var backends, healthy []int
	for i := range p.nodes {
		n := &p.nodes[i]
		if !lbBackend(n) {
			continue
		}
		backends = append(backends, i)
		if p.lbHealthy(n) {
			healthy = append(healthy, i)
		}
	}
	if len(healthy) == 0 {
		// Cloud load balancers fail open: with every target unhealthy they
		// spread over all of them (kube-proxy's graceful termination relies
		// on this to reach serving-terminating endpoints).
		healthy = backends
		p.lbFailOpen = len(backends) > 0
	}
	weight := p.weight // a folded node stands for several
	if p.settings.LBMode == LBModeNodesWeighted && local && !p.lbFailOpen {
		// GKE reads the weight from the health check's
		// X-Load-Balancing-Endpoint-Weight header: the localEndpoints count.
		weight = func(i int) float64 { return p.weight(i) * float64(p.hcCount[p.nodes[i].Name]) }
	}
	total := 0.0
	for _, i := range healthy {
		total += weight(i)
	}
	out := make([]entry, 0, len(healthy))
	for _, i := range healthy {
		out = append(out, entry{node: i, share: weight(i) / total})
	}
	return out
}

// pickAnnouncer guesses the node that announces a single-node LB IP: the
// first eligible node by name (MetalLB elects by hash; the real one is in
// the Service's "nodeAssigned" event). Under Local, MetalLB announces only
// from nodes with a ready local endpoint.
func (p *predictor) pickAnnouncer(local bool) string {
	for i := range p.nodes {
		n := &p.nodes[i]
		if lbBackend(n) && n.Ready && (!local || p.hcCount[n.Name] > 0) {
			return n.Name
		}
	}
	return ""
}

// spreadDirect sends the traffic straight to pods, evenly (IP-target load
// balancers): no node hop, no kube-proxy.
func (p *predictor) spreadDirect(targets []int) {
	shares := make([]float64, len(p.topo.eps))
	nodeShare := make([]float64, len(p.nodes))
	if len(targets) == 0 {
		p.pred.Dropped = 1
	}
	for _, i := range targets {
		s := 1 / float64(len(targets))
		shares[i] = s
		e := &p.topo.eps[i]
		if ni, ok := p.nodeIdx[e.node]; ok {
			nodeShare[ni] += s
		}
		p.pred.Flows = append(p.pred.Flows, Flow{Node: e.node, Pod: e.pod, Share: s})
	}
	p.fillEndpoints(shares)
	p.fillNodes(nodeShare)
}

// route sends each entry's share to its node's endpoints (cluster or
// local), accumulating per shared endpoint set so that nodes which behave
// alike cost one pass over their endpoints.
func (p *predictor) route(entries []entry, local bool) {
	type group struct {
		set   []int
		share float64
	}
	if len(entries) == 0 && p.snap.NodesKnown {
		// No node takes the traffic in (no load-balancer backend, no
		// announcing node, no node up): all of it is lost. Without Node
		// objects that cannot be told.
		p.pred.Dropped = 1
	}
	groups := map[setKey]*group{}
	keys := make([]setKey, len(entries))
	nodeShare := make([]float64, len(p.nodes))
	p.nodeLost = make([]nodeLoss, len(p.nodes))
	pairs := 0
	for k, en := range entries {
		n := &p.nodes[en.node]
		nodeShare[en.node] += en.share
		if !n.Ready {
			p.pred.Dropped += en.share // a node that is down answers nothing
			p.nodeLost[en.node].dropped += en.share
			continue
		}
		var key setKey
		var set []int
		if local {
			key, set = p.topo.localSet(n.Name)
			if len(set) == 0 && p.datapath.ipvsLocalFallback() && !p.source.IsLB() && p.source.Kind != SourceNodePort && !p.entryExternal() {
				key, set = p.topo.clusterSet(n.Name, n.Zone) // IPVS: see ipvsLocalFallback
			}
		} else {
			key, set = p.topo.clusterSet(n.Name, n.Zone)
		}
		if len(set) == 0 {
			if p.topo.hasAny() {
				p.pred.Dropped += en.share
				p.nodeLost[en.node].dropped += en.share
			} else {
				p.pred.Rejected += en.share
				p.nodeLost[en.node].rejected += en.share
			}
			continue
		}
		keys[k] = key
		g := groups[key]
		if g == nil {
			g = &group{set: set}
			groups[key] = g
		}
		g.share += en.share
		pairs += len(set)
	}
	shares := make([]float64, len(p.topo.eps))
	for _, g := range groups {
		each := g.share / float64(len(g.set))
		for _, i := range g.set {
			shares[i] += each
		}
	}
	p.fillEndpoints(shares)
	p.fillNodes(nodeShare)
	p.crossShares(entries, keys, func(key setKey) []int { return groups[key].set })
	switch {
	case p.outcomeOnly:
	case pairs <= MaxFlows:
		p.exactFlows(entries, keys, func(key setKey) []int { return groups[key].set })
	default:
		p.foldedFlows(entries, keys, func(key setKey) []int { return groups[key].set })
	}
}

func (p *predictor) fillEndpoints(shares []float64) {
	p.pred.Endpoints = slices.Grow(p.pred.Endpoints, len(p.topo.eps))
	for i := range p.topo.eps {
		e := &p.topo.eps[i]
		p.pred.Endpoints = append(p.pred.Endpoints, EndpointShare{
			Pod: e.pod, IP: e.ip, Node: e.node, Zone: e.zone,
			Ready: e.ready, Serving: e.serving, Terminating: e.terminate,
			Share: shares[i],
		})
	}
}

func (p *predictor) fillNodes(shares []float64) {
	p.pred.Nodes = slices.Grow(p.pred.Nodes, len(p.nodes))
	for i := range p.nodes {
		n := &p.nodes[i]
		ns := NodeShare{
			Name:                n.Name,
			Zone:                n.Zone,
			LBBackend:           lbBackend(n),
			ReadyLocalEndpoints: p.hcCount[n.Name],
		}
		if p.svc.Type == TypeLoadBalancer || p.entryProbesNodes() {
			ns.LBHealthy = p.lbHealthy(n)
		}
		if shares != nil {
			ns.Share = shares[i]
		}
		if p.nodeLost != nil {
			ns.Dropped, ns.Rejected = p.nodeLost[i].dropped, p.nodeLost[i].rejected
		}
		p.pred.Nodes = append(p.pred.Nodes, ns)
	}
}

// crossShares sums the traffic that leaves its entry node, and its zone.
func (p *predictor) crossShares(entries []entry, keys []setKey, setOf func(setKey) []int) {
	type counts struct {
		byNode, byZone map[string]int
	}
	memo := map[setKey]*counts{}
	for k, en := range entries {
		if kind := keys[k].kind; kind == setNone || kind == setLocal || kind == setLocalTerminating {
			continue // local endpoints never leave the node
		}
		c := memo[keys[k]]
		set := setOf(keys[k])
		if c == nil {
			c = &counts{byNode: map[string]int{}, byZone: map[string]int{}}
			for _, i := range set {
				c.byNode[p.topo.eps[i].node]++
				c.byZone[p.topo.eps[i].zone]++
			}
			memo[keys[k]] = c
		}
		n := &p.nodes[en.node]
		total := float64(len(set))
		p.pred.CrossNode += en.share * (1 - float64(c.byNode[n.Name])/total)
		if n.Zone != "" {
			p.pred.CrossZone += en.share * (1 - float64(c.byZone[n.Zone]+c.byZone[""])/total)
		}
	}
}

// crossZone: both zones known and different.
func crossZone(a, b string) bool { return a != "" && b != "" && a != b }

func (p *predictor) exactFlows(entries []entry, keys []setKey, setOf func(setKey) []int) {
	total := 0
	for k := range entries {
		if keys[k].kind != setNone {
			total += len(setOf(keys[k]))
		}
	}
	p.pred.Flows = slices.Grow(p.pred.Flows, total)
	for k, en := range entries {
		if keys[k].kind == setNone {
			continue
		}
		n := &p.nodes[en.node]
		set := setOf(keys[k])
		each := en.share / float64(len(set))
		for _, i := range set {
			e := &p.topo.eps[i]
			p.pred.Flows = append(p.pred.Flows, Flow{
				Node: n.Name, Pod: e.pod, Share: each,
				CrossNode: e.node != n.Name, CrossZone: crossZone(n.Zone, e.zone),
			})
		}
	}
}

// foldedFlows folds nodes that share an endpoint set and a zone into one
// flow per pod.
func (p *predictor) foldedFlows(entries []entry, keys []setKey, setOf func(setKey) []int) {
	type fold struct {
		key   setKey
		zone  string
		first string // the only node's name when count is 1
		count int
		share float64
	}
	var order []*fold
	type foldID struct {
		key  setKey
		zone string
	}
	folds := map[foldID]*fold{}
	for k, en := range entries {
		if keys[k].kind == setNone {
			continue
		}
		n := &p.nodes[en.node]
		id := foldID{keys[k], n.Zone}
		f := folds[id]
		if f == nil {
			f = &fold{key: keys[k], zone: n.Zone}
			folds[id] = f
			order = append(order, f)
		}
		if f.count == 0 {
			f.first = n.Name
		}
		f.count++
		f.share += en.share
	}
	total := 0
	for _, f := range order {
		total += len(setOf(f.key))
	}
	p.pred.Flows = slices.Grow(p.pred.Flows, total)
	for _, f := range order {
		set := setOf(f.key)
		each := f.share / float64(len(set))
		node, group, groupZone := "", "", ""
		if f.count == 1 {
			node = f.first
		} else {
			group = fmt.Sprintf("%d nodes in zone %s", f.count, zoneLabel(f.zone))
			groupZone = f.zone
		}
		for _, i := range set {
			e := &p.topo.eps[i]
			p.pred.Flows = append(p.pred.Flows, Flow{
				Node: node, NodeGroup: group, Pod: e.pod, Share: each,
				GroupZone: groupZone,
				CrossNode: f.count > 1 || e.node != node,
				CrossZone: crossZone(f.zone, e.zone),
			})
		}
	}
}

func zoneLabel(z string) string {
	if z == "" {
		return "(none)"
	}
	return z
}
