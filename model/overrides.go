package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Overrides are what-if changes to a Service's traffic settings. A nil
// field keeps the Service's own value.
type Overrides struct {
	ExternalTrafficPolicy         *string
	InternalTrafficPolicy         *string
	SessionAffinity               *string
	SessionAffinityTimeoutSeconds *int32
	// TrafficDistribution "" removes it (hints are cleared).
	TrafficDistribution *string
	LBMode              *string
	LBNode              *string
	// The datapath (datapath.go): kube-proxy's mode, its IPVS scheduler,
	// Cilium's load-balancer mode. Like lbMode they describe the cluster,
	// not the Service, and are never applied.
	ProxyMode     *string
	IPVSScheduler *string
	CiliumLBMode  *string
}

// Load-balancer modes (DESIGN.md): how a load balancer spreads over nodes.
const (
	LBModeNodes         = "nodes"
	LBModeNodesWeighted = "nodes-weighted"
	LBModePods          = "pods"
	LBModeSingleNode    = "single-node"
)

// Override keys, as --set spells them.
const (
	KeyExternalTrafficPolicy         = "externalTrafficPolicy"
	KeyInternalTrafficPolicy         = "internalTrafficPolicy"
	KeySessionAffinity               = "sessionAffinity"
	KeySessionAffinityTimeoutSeconds = "sessionAffinityTimeoutSeconds"
	KeyTrafficDistribution           = "trafficDistribution"
	KeyLBMode                        = "lbMode"
	KeyLBNode                        = "lbNode"
	KeyProxyMode                     = "proxyMode"
	KeyIPVSScheduler                 = "ipvsScheduler"
	KeyCiliumLBMode                  = "ciliumLBMode"
)

// MaxSessionAffinityTimeout is the API server's limit (one day).
const MaxSessionAffinityTimeout = 86400

// DefaultSessionAffinityTimeout is the API server's default (3 hours).
const DefaultSessionAffinityTimeout = 10800

var overrideValues = map[string][]string{
	KeyExternalTrafficPolicy:         {"Cluster", "Local"},
	KeyInternalTrafficPolicy:         {"Cluster", "Local"},
	KeySessionAffinity:               {"None", "ClientIP"},
	KeySessionAffinityTimeoutSeconds: {"1.." + strconv.Itoa(MaxSessionAffinityTimeout)},
	KeyTrafficDistribution:           {"PreferClose", "PreferSameZone", "PreferSameNode", "none"},
	KeyLBMode:                        {LBModeNodes, LBModeNodesWeighted, LBModePods, LBModeSingleNode},
	KeyLBNode:                        {"NODE"},
	KeyProxyMode:                     {ModeIPTables, ModeNFTables, ModeIPVS, ModeCilium},
	KeyIPVSScheduler:                 {SchedRoundRobin, SchedLeastConn, SchedDestHash, SchedSourceHash, SchedShortestDelay, SchedNeverQueue, SchedMaglev},
	KeyCiliumLBMode:                  {CiliumLBSNAT, CiliumLBDSR, CiliumLBHybrid},
}

// OverrideKeys returns the valid --set keys, sorted.
func OverrideKeys() []string {
	keys := make([]string, 0, len(overrideValues))
	for k := range overrideValues {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// OverrideValues returns the valid values of a key (nil for an unknown key).
func OverrideValues(key string) []string { return overrideValues[key] }

// ParseOverrides parses repeated KEY=VALUE arguments.
func ParseOverrides(args []string) (Overrides, error) {
	var o Overrides
	for _, a := range args {
		key, value, ok := strings.Cut(a, "=")
		if !ok {
			return Overrides{}, fmt.Errorf("invalid --set %q: want KEY=VALUE with KEY one of %s", a, strings.Join(OverrideKeys(), ", "))
		}
		if err := o.Set(key, value); err != nil {
			return Overrides{}, err
		}
	}
	return o, nil
}

// Set applies one KEY=VALUE override, checking the value.
func (o *Overrides) Set(key, value string) error {
	valid, known := overrideValues[key]
	if !known {
		return fmt.Errorf("unknown --set key %q: valid keys are %s", key, strings.Join(OverrideKeys(), ", "))
	}
	bad := func() error {
		return fmt.Errorf("invalid value %q for %s: valid values are %s", value, key, strings.Join(valid, ", "))
	}
	oneOf := func() (*string, error) {
		for _, v := range valid {
			if v == value {
				return &v, nil
			}
		}
		return nil, bad()
	}
	var err error
	switch key {
	case KeyExternalTrafficPolicy:
		o.ExternalTrafficPolicy, err = oneOf()
	case KeyInternalTrafficPolicy:
		o.InternalTrafficPolicy, err = oneOf()
	case KeySessionAffinity:
		o.SessionAffinity, err = oneOf()
	case KeyTrafficDistribution:
		var v *string
		if v, err = oneOf(); err == nil {
			if *v == "none" {
				*v = ""
			}
			o.TrafficDistribution = v
		}
	case KeyLBMode:
		o.LBMode, err = oneOf()
	case KeyProxyMode:
		o.ProxyMode, err = oneOf()
	case KeyIPVSScheduler:
		o.IPVSScheduler, err = oneOf()
	case KeyCiliumLBMode:
		o.CiliumLBMode, err = oneOf()
	case KeyLBNode:
		if value == "" {
			return fmt.Errorf("invalid value %q for %s: want a node name", value, key)
		}
		o.LBNode = &value
	case KeySessionAffinityTimeoutSeconds:
		n, perr := strconv.ParseInt(value, 10, 32)
		if perr != nil || n < 1 || n > MaxSessionAffinityTimeout {
			return bad()
		}
		t := int32(n)
		o.SessionAffinityTimeoutSeconds = &t
	}
	return err
}

// Empty reports whether no override is set.
func (o Overrides) Empty() bool { return o == (Overrides{}) }

// Pairs returns the overrides as KEY=VALUE strings in key order, the
// inverse of ParseOverrides.
func (o Overrides) Pairs() []string {
	var out []string
	add := func(k string, v *string) {
		if v != nil {
			s := *v
			if k == KeyTrafficDistribution && s == "" {
				s = "none"
			}
			out = append(out, k+"="+s)
		}
	}
	add(KeyExternalTrafficPolicy, o.ExternalTrafficPolicy)
	add(KeyInternalTrafficPolicy, o.InternalTrafficPolicy)
	add(KeyLBMode, o.LBMode)
	add(KeyLBNode, o.LBNode)
	add(KeyProxyMode, o.ProxyMode)
	add(KeyIPVSScheduler, o.IPVSScheduler)
	add(KeyCiliumLBMode, o.CiliumLBMode)
	add(KeySessionAffinity, o.SessionAffinity)
	if o.SessionAffinityTimeoutSeconds != nil {
		out = append(out, KeySessionAffinityTimeoutSeconds+"="+strconv.Itoa(int(*o.SessionAffinityTimeoutSeconds)))
	}
	add(KeyTrafficDistribution, o.TrafficDistribution)
	sort.Strings(out)
	return out
}
