package model

import "strconv"

// What a Service's traffic fields mean, in one place: the values the API
// accepts, the defaults the API server fills in, and which what-if keys
// are Service fields at all.

// ServiceType is spec.type.
type ServiceType string

// Service types.
const (
	TypeClusterIP    ServiceType = "ClusterIP"
	TypeNodePort     ServiceType = "NodePort"
	TypeLoadBalancer ServiceType = "LoadBalancer"
	TypeExternalName ServiceType = "ExternalName"
)

// HasNodePorts reports whether the type opens a NodePort on every node
// (and so takes an externalTrafficPolicy).
func (t ServiceType) HasNodePorts() bool { return t == TypeNodePort || t == TypeLoadBalancer }

// TrafficPolicy is spec.externalTrafficPolicy or internalTrafficPolicy.
type TrafficPolicy string

// Traffic policies.
const (
	PolicyCluster TrafficPolicy = "Cluster"
	PolicyLocal   TrafficPolicy = "Local"
)

// Affinity is spec.sessionAffinity.
type Affinity string

// Session affinities.
const (
	AffinityNone     Affinity = "None"
	AffinityClientIP Affinity = "ClientIP"
)

// OwnSettings are the Service's own traffic settings as the API server
// has them after defaulting: externalTrafficPolicy Cluster for NodePort
// and LoadBalancer, internalTrafficPolicy Cluster for all but
// ExternalName, sessionAffinity None, and the 3-hour ClientIP timeout.
// The load-balancer mode is the detected one.
func OwnSettings(svc *Service) Settings {
	s, _ := resolveSettings(svc, Overrides{}) // no override, nothing to refuse
	return s
}

// Value is a setting in --set's spelling ("none" for no
// trafficDistribution, "" for a timeout without ClientIP affinity).
func (s Settings) Value(key string) string {
	switch key {
	case KeyExternalTrafficPolicy:
		return string(s.ExternalTrafficPolicy)
	case KeyInternalTrafficPolicy:
		return string(s.InternalTrafficPolicy)
	case KeySessionAffinity:
		return string(s.SessionAffinity)
	case KeySessionAffinityTimeoutSeconds:
		if s.SessionAffinityTimeoutSeconds == 0 {
			return ""
		}
		return strconv.Itoa(int(s.SessionAffinityTimeoutSeconds))
	case KeyTrafficDistribution:
		if s.TrafficDistribution == "" {
			return "none"
		}
		return s.TrafficDistribution
	case KeyLBMode:
		return s.LBMode
	case KeyLBNode:
		return s.LBNode
	case KeyProxyMode:
		return s.ProxyMode
	case KeyIPVSScheduler:
		return s.IPVSScheduler
	case KeyCiliumLBMode:
		return s.CiliumLBMode
	}
	return ""
}

// ServiceFieldKeys are the what-if keys that are Service fields, in the
// order a patch or a rebase lists them; lbMode and lbNode describe the
// load balancer, proxyMode, ipvsScheduler and ciliumLBMode the datapath,
// and are never applied.
var ServiceFieldKeys = []string{KeyExternalTrafficPolicy, KeyInternalTrafficPolicy, KeySessionAffinity,
	KeySessionAffinityTimeoutSeconds, KeyTrafficDistribution}

// ServiceFields keeps only the overrides a Service object can carry.
func (o Overrides) ServiceFields() Overrides {
	o.LBMode, o.LBNode = nil, nil
	o.ProxyMode, o.IPVSScheduler, o.CiliumLBMode = nil, nil, nil
	return o
}

// NotServiceFields names the overrides that are ktraffic's model of the
// load balancer or of the datapath rather than Service fields, so no
// apply can carry them.
func (o Overrides) NotServiceFields() []string {
	var keys []string
	if o.LBMode != nil {
		keys = append(keys, KeyLBMode)
	}
	if o.LBNode != nil {
		keys = append(keys, KeyLBNode)
	}
	if o.ProxyMode != nil {
		keys = append(keys, KeyProxyMode)
	}
	if o.IPVSScheduler != nil {
		keys = append(keys, KeyIPVSScheduler)
	}
	if o.CiliumLBMode != nil {
		keys = append(keys, KeyCiliumLBMode)
	}
	return keys
}
