package model

// Prediction is how one Service's traffic from one source spreads. Field
// names of its JSON form are a public contract (DESIGN.md). Every share is
// a fraction of the source's traffic: the endpoint shares plus Dropped
// plus Rejected sum to 1, except for ExternalName Services, which
// kube-proxy never carries (all shares are 0 and a finding says why).
type Prediction struct {
	Service   string          `json:"service"`
	Type      ServiceType     `json:"type"`
	Source    TrafficSource   `json:"source"`
	Settings  Settings        `json:"settings"`
	Nodes     []NodeShare     `json:"nodes"`
	Endpoints []EndpointShare `json:"endpoints"`
	Flows     []Flow          `json:"flows"`
	Dropped   float64         `json:"dropped"`
	Rejected  float64         `json:"rejected"`
	// ClientIPPreserved says whether the backend pods see the client's own
	// source address.
	ClientIPPreserved bool `json:"clientIPPreserved"`
	// CrossNode and CrossZone are the shares of the source's traffic that
	// leave the node (or zone) where it entered.
	CrossNode float64   `json:"crossNode"`
	CrossZone float64   `json:"crossZone"`
	Findings  []Finding `json:"findings"`
	// NodesKnown is false when the snapshot had no Node objects, so zones
	// and node health are guesses.
	NodesKnown bool `json:"nodesKnown"`
	// InputMissing lists the kinds the input lacked entirely
	// ("EndpointSlices", "Pods", "Nodes").
	InputMissing []string `json:"inputMissing,omitempty"`
	// Unknown lists what this prediction could not judge for lack of
	// input: "endpoints" (no EndpointSlice for the Service: pods, shares,
	// dropped and rejected, and under Local the load balancer's health,
	// are not judged and stay 0), "nodes" (no Node objects: nodes are
	// assumed from endpoints and pods; nodes without pods, zones and
	// load-balancer exclusions are unknown).
	Unknown []string `json:"unknown,omitempty"`
	// DNS is what cluster DNS answers for a Service kube-proxy does not
	// carry (headless or ExternalName); nil otherwise.
	DNS *DNSAnswer `json:"dns,omitempty"`
	// Observed is how traffic really spread, when a metrics source was given.
	Observed *ObservedSummary `json:"observed,omitempty"`
	// Sources sums up every source the Service has, this one included
	// (PredictSources), when the caller asked for them.
	Sources []SourceOutcome `json:"sources,omitempty"`
	// Entry is the stage left of the nodes when the source is an Ingress
	// or a route (entry_predict.go); shares are then of everything that
	// entered through it.
	Entry *EntryStage `json:"entry,omitempty"`
	// Datapath is what forwards the traffic on the nodes (datapath.go).
	Datapath *DatapathView `json:"datapath,omitempty"`
	// Connections is the expected per-pod load for a stated client side
	// (connections.go), when one was given.
	Connections *ConnectionLoad `json:"connections,omitempty"`
}

// Settings are the effective traffic settings a prediction used, after
// API-server defaults and what-if overrides.
type Settings struct {
	ExternalTrafficPolicy         TrafficPolicy `json:"externalTrafficPolicy"`
	InternalTrafficPolicy         TrafficPolicy `json:"internalTrafficPolicy"`
	SessionAffinity               Affinity      `json:"sessionAffinity"`
	SessionAffinityTimeoutSeconds int32         `json:"sessionAffinityTimeoutSeconds"`
	TrafficDistribution           string        `json:"trafficDistribution"`
	LBMode                        string        `json:"lbMode"`
	// LBNode is the announcing node in single-node mode.
	LBNode string `json:"lbNode,omitempty"`
	// ProxyMode is the datapath (iptables, nftables, ipvs, or cilium for
	// Cilium's kube-proxy replacement), "" when the input cannot tell;
	// IPVSScheduler is set in ipvs mode, CiliumLBMode in cilium mode.
	ProxyMode     string `json:"proxyMode,omitempty"`
	IPVSScheduler string `json:"ipvsScheduler,omitempty"`
	CiliumLBMode  string `json:"ciliumLBMode,omitempty"`
}

// NodeShare is one node's part: the share of the source's traffic that
// enters through it, and what a load balancer's health check sees there.
type NodeShare struct {
	Name  string  `json:"name"`
	Zone  string  `json:"zone"`
	Share float64 `json:"share"`
	// LBHealthy is what the load balancer's health check would report:
	// healthCheckNodePort under Local, kube-proxy /healthz under Cluster.
	LBHealthy bool `json:"lbHealthy"`
	// LBBackend is false for nodes excluded from load balancers.
	LBBackend           bool `json:"lbBackend"`
	ReadyLocalEndpoints int  `json:"readyLocalEndpoints"`
	// Dropped and Rejected are the parts of the source's traffic that
	// enter at this node and are lost there (the node is down, or has no
	// endpoint to send to); they add up to the prediction's own.
	Dropped  float64 `json:"dropped,omitempty"`
	Rejected float64 `json:"rejected,omitempty"`
}

// EndpointShare is one endpoint's (pod's) part of the traffic.
type EndpointShare struct {
	Pod         string  `json:"pod"`
	IP          string  `json:"ip"`
	Node        string  `json:"node"`
	Zone        string  `json:"zone"`
	Ready       bool    `json:"ready"`
	Serving     bool    `json:"serving"`
	Terminating bool    `json:"terminating"`
	Share       float64 `json:"share"`
	// Observed values are set only when a metrics source was given (see
	// AttachObserved); nil means no data for this pod, not zero traffic.
	ObservedRate  *float64 `json:"observedRate,omitempty"`
	ObservedShare *float64 `json:"observedShare,omitempty"`
	ObservedLevel GapLevel `json:"observedLevel,omitempty"`
}

// Flow is the traffic from an entry node to one pod. When a Service has
// too many node×pod pairs to list (see MaxFlows), nodes that behave alike
// and host none of the pods they send to are folded into one flow per
// zone: Node is then empty and NodeGroup says which nodes it stands for.
type Flow struct {
	Node      string `json:"node"`
	NodeGroup string `json:"nodeGroup,omitempty"`
	// GroupZone is the zone of a NodeGroup's nodes ("" when unknown).
	GroupZone string  `json:"groupZone,omitempty"`
	Pod       string  `json:"pod"`
	Share     float64 `json:"share"`
	CrossNode bool    `json:"crossNode"`
	CrossZone bool    `json:"crossZone"`
}

// Level is a finding's severity.
type Level string

// Finding levels, from least to most severe. Unknown marks what the
// input cannot tell (a kind it lacks): never an error, never a green light.
const (
	LevelInfo    Level = "info"
	LevelUnknown Level = "unknown"
	LevelWarning Level = "warning"
	LevelError   Level = "error"
)

// Levels lists the finding levels from least to most severe.
var Levels = []Level{LevelInfo, LevelUnknown, LevelWarning, LevelError}

// Rank orders levels: info < unknown < warning < error.
func (l Level) Rank() int {
	switch l {
	case LevelError:
		return 4
	case LevelWarning:
		return 3
	case LevelUnknown:
		return 2
	case LevelInfo:
		return 1
	}
	return 0
}

// Finding is one thing an operator should know, with a stable code.
type Finding struct {
	Level   Level  `json:"level"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// DNSAnswer is what a client gets from cluster DNS for a Service whose
// traffic kube-proxy does not carry: a headless Service's pod addresses,
// or an ExternalName Service's CNAME. Clients then connect on their own;
// no node, policy or share is involved.
type DNSAnswer struct {
	// Name is the Service's DNS name in the cluster domain.
	Name string `json:"name"`
	// CNAME is the ExternalName target.
	CNAME string `json:"cname,omitempty"`
	// Addresses are the A/AAAA records a headless Service's name returns:
	// ready endpoints (and not-ready ones when publishNotReadyAddresses).
	Addresses []string `json:"addresses,omitempty"`
}
