package model

import (
	"fmt"
	"sort"
)

// resolveSettings applies API-server defaults and the overrides to a
// Service, refusing overrides the API server would refuse.
func resolveSettings(svc *Service, o Overrides) (Settings, error) {
	s := Settings{
		ExternalTrafficPolicy:         svc.ExternalTrafficPolicy,
		InternalTrafficPolicy:         svc.InternalTrafficPolicy,
		SessionAffinity:               svc.SessionAffinity,
		SessionAffinityTimeoutSeconds: svc.SessionAffinityTimeoutSeconds,
		TrafficDistribution:           svc.TrafficDistribution,
	}
	external := svc.Type.HasNodePorts()
	if external && s.ExternalTrafficPolicy == "" {
		s.ExternalTrafficPolicy = PolicyCluster
	}
	if svc.Type != TypeExternalName && s.InternalTrafficPolicy == "" {
		s.InternalTrafficPolicy = PolicyCluster
	}
	if s.SessionAffinity == "" {
		s.SessionAffinity = AffinityNone
	}
	s.LBMode, _ = DetectLBMode(svc)

	if o.ExternalTrafficPolicy != nil {
		if !external {
			return Settings{}, fmt.Errorf("cannot set externalTrafficPolicy on %s Service %s: it applies only to NodePort and LoadBalancer Services", svc.Type, svc.Key())
		}
		s.ExternalTrafficPolicy = TrafficPolicy(*o.ExternalTrafficPolicy)
	}
	if o.InternalTrafficPolicy != nil {
		if svc.Type == TypeExternalName {
			return Settings{}, fmt.Errorf("cannot set internalTrafficPolicy on ExternalName Service %s", svc.Key())
		}
		s.InternalTrafficPolicy = TrafficPolicy(*o.InternalTrafficPolicy)
	}
	if o.SessionAffinity != nil {
		if svc.Type == TypeExternalName || svc.Headless() {
			return Settings{}, fmt.Errorf("cannot set sessionAffinity on %s: kube-proxy does not carry its traffic", describeKind(svc))
		}
		s.SessionAffinity = Affinity(*o.SessionAffinity)
	}
	if o.SessionAffinityTimeoutSeconds != nil {
		s.SessionAffinityTimeoutSeconds = *o.SessionAffinityTimeoutSeconds
		if o.SessionAffinity == nil && s.SessionAffinity != AffinityClientIP {
			return Settings{}, fmt.Errorf("cannot set sessionAffinityTimeoutSeconds on %s: sessionAffinity is %s (add --set sessionAffinity=ClientIP)", svc.Key(), s.SessionAffinity)
		}
	}
	if s.SessionAffinity == AffinityClientIP && s.SessionAffinityTimeoutSeconds == 0 {
		s.SessionAffinityTimeoutSeconds = DefaultSessionAffinityTimeout
	}
	if s.SessionAffinity != AffinityClientIP {
		s.SessionAffinityTimeoutSeconds = 0
	}
	if o.TrafficDistribution != nil {
		if svc.Type == TypeExternalName {
			return Settings{}, fmt.Errorf("cannot set trafficDistribution on ExternalName Service %s", svc.Key())
		}
		s.TrafficDistribution = *o.TrafficDistribution
	}
	if o.LBMode != nil {
		if svc.Type != TypeLoadBalancer {
			return Settings{}, fmt.Errorf("cannot set lbMode on %s Service %s: it has no load balancer", svc.Type, svc.Key())
		}
		s.LBMode = *o.LBMode
	}
	if o.LBNode != nil {
		if svc.Type != TypeLoadBalancer {
			return Settings{}, fmt.Errorf("cannot set lbNode on %s Service %s: it has no load balancer", svc.Type, svc.Key())
		}
		if o.LBMode == nil && s.LBMode != LBModeSingleNode {
			s.LBMode = LBModeSingleNode
		}
		s.LBNode = *o.LBNode
	}
	return s, nil
}

func describeKind(svc *Service) string {
	if svc.Headless() {
		return "headless Service " + svc.Key()
	}
	return string(svc.Type) + " Service " + svc.Key()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
