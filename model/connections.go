package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
)

// kube-proxy balances connections, not requests: a node picks a pod when
// a connection opens and every request on it goes there. A prediction's
// shares are what many short connections average to; a client side of a
// few long-lived connections (HTTP/2, gRPC, a browser reusing one
// keep-alive connection) loads pods in lumps. ExpectConnections turns a
// prediction and a stated client side into each pod's expected load: the
// mean, and the spread the random assignment of few connections gives.

// Client profiles: how a client holds connections.
const (
	// ProfileHTTP2 and ProfileGRPC: one long-lived connection per client,
	// every request multiplexed on it.
	ProfileHTTP2 = "http2"
	ProfileGRPC  = "grpc"
	// ProfileBrowser: a browser keeps one HTTP/2 connection per site open
	// and reuses it for every request while it lives.
	ProfileBrowser = "browser"
	// ProfileHTTP11Pool: a pool of HTTP/1.1 keep-alive connections.
	ProfileHTTP11Pool = "http11-pool"
	// ProfilePerRequest: a new connection for every request (HTTP/1.0,
	// keep-alive off): connections are as many as requests.
	ProfilePerRequest = "per-request"
)

// ClientProfiles lists the profiles in the order the TUI cycles them.
var ClientProfiles = []string{ProfileBrowser, ProfileHTTP2, ProfileGRPC, ProfileHTTP11Pool, ProfilePerRequest}

// defaultConnections is a profile's connections per client: one for
// HTTP/2 and gRPC (a browser too, for one site), ten for a pool (the
// size of Python requests' and urllib3's pools; Go's transport keeps 2
// idle, Java's HttpClient 5: set --connections for yours).
func defaultConnections(profile string) int {
	if profile == ProfileHTTP11Pool {
		return 10
	}
	return 1
}

// Bounds of a client side: beyond them the band is the ideal share.
const (
	MaxClients           = 100000
	MaxConnectionsPerCli = 10000
)

// ClientSide is the client side a user states.
type ClientSide struct {
	Profile string
	// Clients is how many client instances (addresses) connect.
	Clients int
	// Connections is how many connections each keeps; 0 is the
	// profile's default.
	Connections int
}

// ParseClientSide checks a client side as flags give it.
func ParseClientSide(profile string, clients, connections int) (ClientSide, error) {
	if profile == "" {
		profile = ProfileHTTP2
	}
	if !slices.Contains(ClientProfiles, profile) {
		return ClientSide{}, fmt.Errorf("invalid client profile %q: valid profiles are %s", profile, strings.Join(ClientProfiles, ", "))
	}
	if clients < 1 || clients > MaxClients {
		return ClientSide{}, fmt.Errorf("invalid --clients %d: want 1..%d client instances", clients, MaxClients)
	}
	if connections < 0 || connections > MaxConnectionsPerCli {
		return ClientSide{}, fmt.Errorf("invalid --connections %d: want 1..%d connections per client (0: the profile's default)", connections, MaxConnectionsPerCli)
	}
	return ClientSide{Profile: profile, Clients: clients, Connections: connections}, nil
}

// PerClient is the connections each client keeps.
func (c ClientSide) PerClient() int {
	if c.Connections > 0 {
		return c.Connections
	}
	return defaultConnections(c.Profile)
}

// String is the client side in words: "3 http2 clients, 1 connection each".
func (c ClientSide) String() string {
	return fmt.Sprintf("%d %s %s, %d %s each", c.Clients, c.Profile, plural(c.Clients, "client"), c.PerClient(), plural(c.PerClient(), "connection"))
}

// Units of assignment (ConnectionLoad.Unit): what lands on one pod as a
// whole.
const (
	UnitConnection = "connection"
	UnitClient     = "client"
	UnitNode       = "node"
	UnitRequest    = "request"
)

// Methods of a band (ConnectionLoad.Method).
const (
	MethodExact      = "exact"
	MethodSimulation = "simulation"
	MethodIdeal      = "ideal"
)

// ConnectionLoad is the expected per-pod load of a client side.
type ConnectionLoad struct {
	Profile              string `json:"profile"`
	Clients              int    `json:"clients"`
	ConnectionsPerClient int    `json:"connectionsPerClient"`
	Connections          int    `json:"connections"`
	// Unit is what a pod receives as a whole: a connection, all of a
	// client's connections (ClientIP affinity, IPVS sh), all of a node's
	// (IPVS dh), or single requests (an L7 proxy in front, or a new
	// connection per request): the band is then the ideal share.
	Unit string `json:"unit"`
	Pick string `json:"pick"`
	// Method is exact (binomial arithmetic), simulation (seeded, Trials
	// runs) or ideal.
	Method string `json:"method"`
	Trials int    `json:"trials,omitempty"`
	// PodsReached counts the pods with a share above 0;
	// ExpectedIdlePods how many of them get no connection on average.
	PodsReached      int       `json:"podsReached"`
	ExpectedIdlePods float64   `json:"expectedIdlePods"`
	Pods             []PodLoad `json:"pods"`
	// Summary says the band in one sentence; Explanation why.
	Summary     string   `json:"summary"`
	Explanation []string `json:"explanation"`
}

// PodLoad is one pod's connections: the mean, the 10th and 90th
// percentiles, and how likely it gets none. LoadLow and LoadHigh are the
// percentiles as parts of all connections, beside the ideal Share.
type PodLoad struct {
	Pod             string  `json:"pod"`
	Share           float64 `json:"share"`
	MeanConnections float64 `json:"meanConnections"`
	P10             int     `json:"p10"`
	P90             int     `json:"p90"`
	IdleProbability float64 `json:"idleProbability"`
	LoadLow         float64 `json:"loadLow"`
	LoadHigh        float64 `json:"loadHigh"`
}

// entryDist is where one entry (a node, or the whole source when it
// sends straight to pods) sends a connection: weight w of the source's
// traffic, and per pod the probability q of a connection entering there.
type entryDist struct {
	w   float64
	pod []int
	q   []float64
}

// simTrials bounds the simulation's work (trials × connections).
const (
	simWork      = 2_000_000
	simMinTrials = 200
	simMaxTrials = 2000
	simSeed      = 15
)

// ExpectConnections spreads a client side's connections over the pods of
// a prediction, with the datapath's way of picking and the Service's
// affinity. The prediction needs its flows (not OutcomeOnly).
func ExpectConnections(p *Prediction, c ClientSide) *ConnectionLoad {
	per := c.PerClient()
	l := &ConnectionLoad{Profile: c.Profile, Clients: c.Clients, ConnectionsPerClient: per, Connections: c.Clients * per, Pods: []PodLoad{}}
	pick := PickRandom
	if p.Datapath != nil {
		pick = p.Datapath.Pick
	}
	direct := (p.Source.IsLB() && p.Settings.LBMode == LBModePods)
	switch {
	case p.Entry != nil || c.Profile == ProfilePerRequest:
		pick = PickPerRequest
	case direct:
		pick = PickRandom // the load balancer hashes each connection
	}
	l.Pick = pick
	unit := UnitConnection
	affinity := p.Settings.SessionAffinity == AffinityClientIP && !direct
	switch {
	case pick == PickPerRequest:
		unit = UnitRequest
	case pick == PickPerNode:
		unit = UnitNode
	case pick == PickPerClient || affinity:
		unit = UnitClient
	}
	l.Unit = unit
	shares := make([]float64, len(p.Endpoints))
	for i, e := range p.Endpoints {
		shares[i] = e.Share
		if e.Share > 1e-12 {
			l.PodsReached++
		}
	}
	switch {
	case unit == UnitRequest || l.Connections > MaxClients:
		l.Method = MethodIdeal
		for i, e := range p.Endpoints {
			mean := e.Share * float64(l.Connections)
			l.Pods = append(l.Pods, PodLoad{Pod: endpointKey(e), Share: e.Share, MeanConnections: mean,
				P10: int(math.Floor(mean)), P90: int(math.Ceil(mean)), LoadLow: shares[i], LoadHigh: shares[i]})
		}
	case exactCase(p, unit, pick, per):
		l.Method = MethodExact
		units := l.Connections
		if unit == UnitClient {
			units = c.Clients
		}
		scale := l.Connections / units
		for i, e := range p.Endpoints {
			lo, hi := binomialQuantile(units, shares[i], 0.1), binomialQuantile(units, shares[i], 0.9)
			idle := math.Pow(1-shares[i], float64(units))
			if shares[i] > 1e-12 {
				l.ExpectedIdlePods += idle
			}
			l.Pods = append(l.Pods, PodLoad{Pod: endpointKey(e), Share: e.Share, MeanConnections: shares[i] * float64(l.Connections),
				P10: lo * scale, P90: hi * scale, IdleProbability: idle,
				LoadLow: float64(lo*scale) / float64(l.Connections), LoadHigh: float64(hi*scale) / float64(l.Connections)})
		}
	default:
		l.Method = MethodSimulation
		simulate(p, l, unit, pick, c.Clients, per)
	}
	l.Summary = loadSummary(p, l)
	l.Explanation = loadExplanation(p, l, affinity)
	return l
}

// exactCase: every unit lands on a pod independently with the
// prediction's shares, so a pod's count is Binomial(units, share).
// Connections are independent when each picks its entry node itself (a
// load balancer or NodePort clients hash every connection) or every node
// spreads alike; a client's connections move as one when it is pinned to
// a node and the node keeps it on one pod.
func exactCase(p *Prediction, unit, pick string, per int) bool {
	perConnEntry := p.Source.IsLB() || (p.Source.Kind == SourceNodePort && p.Source.Node == "")
	switch unit {
	case UnitConnection:
		if pick != PickRandom && pick != PickConsistent {
			return false
		}
		return perConnEntry || per == 1 || nodesAlike(p)
	case UnitClient:
		return !perConnEntry || len(entryDists(p)) == 1
	}
	return false
}

// nodesAlike: every entry node spreads over the same pods alike.
func nodesAlike(p *Prediction) bool {
	ds := entryDists(p)
	for _, d := range ds[min(1, len(ds)):] {
		if !slices.Equal(d.pod, ds[0].pod) || !slicesNear(d.q, ds[0].q) {
			return false
		}
	}
	return true
}

func slicesNear(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

// entryDists reads the prediction's flows as one distribution per entry
// node (or node group); a source straight to pods is one entry.
func entryDists(p *Prediction) []entryDist {
	podIdx := make(map[string]int, len(p.Endpoints))
	for i, e := range p.Endpoints {
		podIdx[e.Pod] = i
	}
	byNode := map[string]*entryDist{}
	var order []string
	for _, f := range p.Flows {
		key := f.Node
		if key == "" {
			key = "\x00" + f.NodeGroup
		}
		if p.Source.IsLB() && p.Settings.LBMode == LBModePods {
			key = "" // IP targets: one entry, the load balancer
		}
		d := byNode[key]
		if d == nil {
			d = &entryDist{}
			byNode[key] = d
			order = append(order, key)
		}
		if i, ok := podIdx[f.Pod]; ok {
			d.pod = append(d.pod, i)
			d.q = append(d.q, f.Share)
		}
		d.w += f.Share
	}
	// Entry weights include what a node loses.
	for _, n := range p.Nodes {
		if d := byNode[n.Name]; d != nil {
			d.w += n.Dropped + n.Rejected
		}
	}
	out := make([]entryDist, 0, len(order))
	for _, k := range order {
		d := byNode[k]
		for i := range d.q {
			d.q[i] /= d.w
		}
		out = append(out, *d)
	}
	return out
}

// simulate runs seeded trials of the client side: each client enters at
// a node (per connection for a load balancer or NodePort clients, once
// for in-cluster clients), and each node picks pods the datapath's way.
func simulate(p *Prediction, l *ConnectionLoad, unit, pick string, clients, per int) {
	dists := entryDists(p)
	total := 0.0
	for _, d := range dists {
		total += d.w
	}
	lost := 1 - total // traffic no entry node carries (down nodes, no backend)
	perConnEntry := p.Source.IsLB() || (p.Source.Kind == SourceNodePort && p.Source.Node == "")
	conns := clients * per
	trials := max(simMinTrials, min(simMaxTrials, simWork/max(conns, 1)))
	l.Trials = trials
	rng := rand.New(rand.NewPCG(simSeed, uint64(conns)))
	npods := len(p.Endpoints)
	counts := make([][]int, npods)
	for i := range counts {
		counts[i] = make([]int, trials)
	}
	pickEntry := func() int {
		u := rng.Float64() * (total + max(lost, 0))
		for j, d := range dists {
			if u < d.w {
				return j
			}
			u -= d.w
		}
		return -1 // lost before any node
	}
	draw := func(d *entryDist) int {
		u := rng.Float64()
		for k, q := range d.q {
			if u < q {
				return d.pod[k]
			}
			u -= q
		}
		return -1 // lost at the node
	}
	for t := range trials {
		turn := make([]int, len(dists))
		for j := range turn {
			turn[j] = rng.IntN(max(len(dists[j].pod), 1))
		}
		nodePod := make([]int, len(dists))
		for j := range nodePod {
			nodePod[j] = -2
		}
		for range clients {
			home := -1
			if !perConnEntry {
				home = pickEntry()
			}
			sticky := map[int]int{}
			for range per {
				j := home
				if perConnEntry {
					j = pickEntry()
				}
				if j < 0 {
					continue
				}
				d := &dists[j]
				pod := -1
				switch {
				case unit == UnitNode:
					if nodePod[j] == -2 {
						nodePod[j] = draw(d)
					}
					pod = nodePod[j]
				case unit == UnitClient:
					if v, ok := sticky[j]; ok {
						pod = v
					} else {
						pod = draw(d)
						sticky[j] = pod
					}
				case pick == PickInTurn && len(d.pod) > 0:
					pod = d.pod[turn[j]%len(d.pod)]
					turn[j]++
				default:
					pod = draw(d)
				}
				if pod >= 0 {
					counts[pod][t]++
				}
			}
		}
	}
	for i, e := range p.Endpoints {
		c := counts[i]
		sum, idle := 0, 0
		for _, v := range c {
			sum += v
			if v == 0 {
				idle++
			}
		}
		sort.Ints(c)
		lo, hi := c[int(0.1*float64(trials-1))], c[int(math.Ceil(0.9*float64(trials-1)))]
		pl := PodLoad{Pod: endpointKey(e), Share: e.Share, MeanConnections: float64(sum) / float64(trials),
			P10: lo, P90: hi, IdleProbability: float64(idle) / float64(trials),
			LoadLow: float64(lo) / float64(conns), LoadHigh: float64(hi) / float64(conns)}
		if e.Share > 1e-12 {
			l.ExpectedIdlePods += pl.IdleProbability
		}
		l.Pods = append(l.Pods, pl)
	}
}

// binomialQuantile is the smallest k with P(X ≤ k) ≥ q for X ~
// Binomial(n, p), summed in log space so large n does not underflow.
func binomialQuantile(n int, p, q float64) int {
	switch {
	case p <= 0:
		return 0
	case p >= 1:
		return n
	}
	mean, sd := float64(n)*p, math.Sqrt(float64(n)*p*(1-p))
	start := max(0, int(mean-12*sd-1))
	lgN, _ := math.Lgamma(float64(n + 1))
	lp, lq := math.Log(p), math.Log1p(-p)
	cdf := 0.0
	for k := start; k <= n; k++ {
		a, _ := math.Lgamma(float64(k + 1))
		b, _ := math.Lgamma(float64(n - k + 1))
		cdf += math.Exp(lgN - a - b + float64(k)*lp + float64(n-k)*lq)
		if cdf >= q-1e-12 {
			return k
		}
	}
	return n
}

// loadSummary: "3 http2 clients (3 connections) over 6 pods: on average
// 3.5 pods get none; each pod carries 0–1 connections (10th–90th
// percentile) against an ideal 0.5."
func loadSummary(p *Prediction, l *ConnectionLoad) string {
	head := fmt.Sprintf("%d %s %s (%d %s) over %d %s", l.Clients, l.Profile, plural(l.Clients, "client"), l.Connections, plural(l.Connections, "connection"), l.PodsReached, plural(l.PodsReached, "pod"))
	if l.Method == MethodIdeal {
		if l.Unit == UnitRequest {
			return head + ": requests are balanced one by one, so every pod gets its ideal share"
		}
		return head + ": so many connections even out; every pod gets close to its ideal share"
	}
	lo, hi := math.MaxInt, 0
	for i, pl := range l.Pods {
		if p.Endpoints[i].Share <= 1e-12 {
			continue
		}
		lo, hi = min(lo, pl.P10), max(hi, pl.P90)
	}
	if lo == math.MaxInt {
		return head + ": no pod receives any"
	}
	ideal := float64(l.Connections) / float64(max(l.PodsReached, 1))
	idle := "pods"
	if math.Abs(l.ExpectedIdlePods-1) < 0.05 {
		idle = "pod"
	}
	return fmt.Sprintf("%s: on average %.1f %s idle; a pod carries %d–%d connections (10th–90th percentile) where an even spread gives %.1f",
		head, l.ExpectedIdlePods, idle, lo, hi, ideal)
}

// loadExplanation says why connections lump, in the operator's terms,
// and what the browser "stickiness" of seed 001 really is.
func loadExplanation(p *Prediction, l *ConnectionLoad, affinity bool) []string {
	var out []string
	switch {
	case l.Unit == UnitRequest && p.Entry != nil:
		out = append(out, "The "+p.Entry.Kind+" in front ends the clients' connections and balances their requests over the pods itself, so how many connections the clients keep does not matter.")
	case l.Unit == UnitRequest:
		out = append(out, "A new connection for every request: kube-proxy's per-connection pick is a per-request pick, and the shares hold.")
	default:
		out = append(out, "kube-proxy balances connections, not requests: a node picks a pod when a connection opens, and every request on it goes to that pod.")
	}
	switch l.Profile {
	case ProfileBrowser:
		out = append(out, "A browser keeps one HTTP/2 connection to a site open and sends every request over it (keep-alive), so reloads land on the same pod until the connection closes: that looks like stickiness, but it is connection reuse"+
			map[bool]string{true: ", on top of this Service's ClientIP affinity.", false: ", not sessionAffinity (this Service has none)."}[affinity]+
			" A private window, another browser or waiting out the idle timeout opens a new connection and may reach another pod.")
	case ProfileHTTP2, ProfileGRPC:
		if l.Unit != UnitRequest {
			out = append(out, fmt.Sprintf("Each %s client multiplexes all its requests on one connection, so %d %s load at most %d %s; balance per request in the client (gRPC round_robin over a headless Service) or put an L7 proxy in front.",
				l.Profile, l.Clients, plural(l.Clients, "client"), l.Clients, plural(l.Clients, "pod")))
		}
	}
	switch {
	case l.Unit == UnitClient && affinity:
		out = append(out, "sessionAffinity: ClientIP keeps all of a client's connections on one pod (per node), so clients, not connections, are what spread.")
	case l.Unit == UnitClient:
		out = append(out, "IPVS "+p.Settings.IPVSScheduler+" hashes the client's address, so all of a client's connections reach one pod (per node).")
	case l.Unit == UnitNode:
		out = append(out, "IPVS dh sends every connection entering a node to one pod, so nodes, not connections, are what spread.")
	case l.Pick == PickInTurn:
		out = append(out, "IPVS "+p.Settings.IPVSScheduler+" hands a node's connections to its pods in turn, so the spread is tighter than a random pick.")
	}
	if p.Datapath != nil && !p.Datapath.Known && l.Unit != UnitRequest {
		out = append(out, "kube-proxy's mode is unknown: a random pick per connection (iptables, nftables) is assumed.")
	}
	if l.Method == MethodSimulation {
		out = append(out, fmt.Sprintf("Spread from %d seeded simulated runs.", l.Trials))
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// ConnectionsChange is a client side's load before and after a what-if:
// a datapath or affinity change can lump connections without moving any
// share.
type ConnectionsChange struct {
	ExpectedIdlePods NumberChange `json:"expectedIdlePods"`
	Unit             StringChange `json:"unit"`
	Pick             StringChange `json:"pick"`
	Summary          StringChange `json:"summary"`
}

// StringChange is a word before and after.
type StringChange struct {
	Before string `json:"before"`
	After  string `json:"after"`
}

func connectionsChange(before, after *ConnectionLoad) *ConnectionsChange {
	if before == nil || after == nil {
		return nil
	}
	return &ConnectionsChange{
		ExpectedIdlePods: numberChange(before.ExpectedIdlePods, after.ExpectedIdlePods),
		Unit:             StringChange{before.Unit, after.Unit},
		Pick:             StringChange{before.Pick, after.Pick},
		Summary:          StringChange{before.Summary, after.Summary},
	}
}

func (c *ConnectionsChange) changed() bool {
	return c != nil && (c.ExpectedIdlePods.Changed() || c.Unit.Before != c.Unit.After || c.Pick.Before != c.Pick.After)
}
