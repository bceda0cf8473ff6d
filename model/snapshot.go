// Package model is ktraffic's pure domain: cluster snapshots reduced to the
// fields that decide where traffic goes, the predictor that applies
// kube-proxy's rules to them, findings, what-if overrides and diffs.
// It performs no I/O and knows nothing of where a snapshot came from.
package model

import "time"

// Snapshot is an immutable view of the objects that decide a Service's
// traffic. Sources (live informers, file dumps, demo scenarios) build one;
// nothing in model mutates it.
type Snapshot struct {
	// Source names where the snapshot came from, for headers and errors:
	// "demo:kiada", "file:dump.yaml", "context:prod".
	Source   string
	Services []Service
	Slices   []EndpointSlice
	Pods     []Pod
	Nodes    []Node
	// Entry layers in front of Services (entry.go): Ingresses with their
	// classes, Gateway API Gateways, classes and routes.
	Ingresses      []Ingress
	IngressClasses []IngressClass
	Gateways       []Gateway
	GatewayClasses []GatewayClass
	Routes         []Route
	// Datapath is what forwards Service traffic on the nodes, as far as
	// the source could tell (datapath.go).
	Datapath Datapath
	// NodesKnown is false when Node objects could not be read (no
	// permission, or a dump without them). Nodes then holds the nodes named
	// by endpoints and pods, without zones or labels.
	NodesKnown bool
	// SlicesMissing is set when the input held no EndpointSlices at all
	// (nor v1 Endpoints to mirror), as in a `kubectl get svc -o yaml` dump:
	// endpoints, shares and losses then cannot be judged.
	SlicesMissing bool
	// PodsMissing is set when the input held no Pods at all: whether a
	// selector matches anything cannot be judged.
	PodsMissing bool
	// StaleSince is set while a live source has lost its watch; zero when
	// the snapshot is current.
	StaleSince time.Time
	// Warnings are problems met while building the snapshot that did not
	// stop it (a skipped object, a forbidden namespace).
	Warnings []string
}

// Service holds the Service fields that matter for traffic.
type Service struct {
	Namespace string
	Name      string
	// Type is ClusterIP, NodePort, LoadBalancer or ExternalName.
	Type         ServiceType
	ClusterIP    string // "None" for headless Services
	ExternalName string
	// Selector is nil for Services without one (endpoints managed by hand).
	Selector map[string]string
	Ports    []ServicePort
	// ExternalTrafficPolicy and InternalTrafficPolicy are as the API
	// server defaults them ("" where a policy does not apply).
	ExternalTrafficPolicy         TrafficPolicy
	InternalTrafficPolicy         TrafficPolicy
	SessionAffinity               Affinity
	SessionAffinityTimeoutSeconds int32 // 0 unless ClientIP
	TrafficDistribution           string
	HealthCheckNodePort           int32
	LoadBalancerClass             string
	LoadBalancerIngress           []LoadBalancerIngress
	PublishNotReadyAddresses      bool
	Annotations                   map[string]string
	// Ignored lists the values the source held that the API server would
	// reject; each was left out (validate.go) and is read as its
	// IgnoredField.ReadAs.
	Ignored []IgnoredField
}

// ServicePort is one port of a Service.
type ServicePort struct {
	Name       string
	Protocol   string
	Port       int32
	TargetPort string
	NodePort   int32
}

// LoadBalancerIngress is one entry of status.loadBalancer.ingress.
type LoadBalancerIngress struct {
	IP       string
	Hostname string
	// IPMode is "VIP" (default) or "Proxy".
	IPMode string
}

// Key returns "namespace/name".
func (s *Service) Key() string { return s.Namespace + "/" + s.Name }

// Headless reports whether the Service has no cluster IP.
func (s *Service) Headless() bool { return s.ClusterIP == "None" }

// EndpointSlice holds one EndpointSlice of a Service.
type EndpointSlice struct {
	Namespace string
	Name      string
	// Service is the kubernetes.io/service-name label.
	Service     string
	AddressType string
	Ports       []EndpointPort
	Endpoints   []Endpoint
	// Mirrored is set for a slice built from a v1 Endpoints object, as the
	// EndpointSlice mirroring controller would, because the input had no
	// EndpointSlice for the Service.
	Mirrored bool
}

// EndpointPort is one port of an EndpointSlice.
type EndpointPort struct {
	Name     string
	Port     int32
	Protocol string
}

// Endpoint is one endpoint of a slice. Conditions are kept as the API has
// them (nil = unset) because kube-proxy gives unset conditions meaning.
type Endpoint struct {
	Addresses   []string
	Ready       *bool
	Serving     *bool
	Terminating *bool
	NodeName    string
	Zone        string
	// HintZones and HintNodes are hints.forZones and hints.forNodes; nil when
	// the endpoint has no hints of that kind.
	HintZones    []string
	HintNodes    []string
	PodNamespace string // targetRef, when it is a Pod
	PodName      string
}

// Pod holds the Pod fields that matter: identity, placement, readiness.
type Pod struct {
	Namespace   string
	Name        string
	NodeName    string
	IP          string
	Labels      map[string]string
	Ready       bool
	Phase       string
	Terminating bool
	// KeepAlive is how long the pod's server keeps an idle connection
	// open, as its command, arguments or environment declare it (zero
	// Seconds when nothing tells; see DeclaredKeepAlive).
	KeepAlive KeepAlive
}

// Node holds the Node fields that matter.
type Node struct {
	Name   string
	Zone   string
	Labels map[string]string
	// Ready is the node's Ready condition (true when unknown).
	Ready         bool
	Unschedulable bool
	// Deleting is set when the Node has a deletionTimestamp.
	Deleting  bool
	TaintKeys []string
	Addresses []NodeAddress
}

// NodeAddress is one entry of status.addresses.
type NodeAddress struct {
	Type    string
	Address string
}

// Kind names, as the API spells them, for saying what an input lacked.
const (
	KindEndpointSlices = "EndpointSlices"
	KindPods           = "Pods"
	KindNodes          = "Nodes"
)

// MissingKinds lists the kinds the input lacked entirely, in a fixed
// order; nil when it had them all.
func (s *Snapshot) MissingKinds() []string {
	var out []string
	if s.SlicesMissing {
		out = append(out, KindEndpointSlices)
	}
	if s.PodsMissing {
		out = append(out, KindPods)
	}
	if !s.NodesKnown {
		out = append(out, KindNodes)
	}
	return out
}
