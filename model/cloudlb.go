package model

import (
	"fmt"
	"strconv"
	"strings"
)

// CloudLB is what a Service's annotations say about the cloud load balancer
// in front of it: how it probes nodes and how long it keeps an idle
// connection. Values are effective ones: an annotation when present, the
// provider's documented default otherwise.
type CloudLB struct {
	// Provider is "azure", "aws", "gcp", or "" when nothing on the Service
	// names one.
	Provider string `json:"provider"`
	// Controller names whose defaults apply, since AWS has three with
	// different ones.
	Controller  string      `json:"controller,omitempty"`
	HealthProbe HealthProbe `json:"healthProbe"`
	// IdleTimeoutSeconds is 0 when no annotation sets it.
	IdleTimeoutSeconds int    `json:"idleTimeoutSeconds,omitempty"`
	IdleTimeoutSource  string `json:"idleTimeoutSource,omitempty"`
	// DefaultIdleTimeoutSeconds is the provider's default, 0 when unknown.
	DefaultIdleTimeoutSeconds int `json:"defaultIdleTimeoutSeconds,omitempty"`
	// Problems are annotations the cloud controller would reject; it then
	// refuses the whole update, so the load balancer keeps older settings.
	Problems []string `json:"problems,omitempty"`
}

// HealthProbe is the health check the load balancer sends to every
// backend node for one Service port.
type HealthProbe struct {
	// ServicePort is the Service port whose probe this is (Azure and AWS
	// build one per port).
	ServicePort int32 `json:"servicePort,omitempty"`
	// Port is the node port an annotation aims the probe at, already
	// resolved from a Service port number or name; 0 = provider default.
	Port           int32  `json:"port,omitempty"`
	PortAnnotation string `json:"portAnnotation,omitempty"`
	// DefaultPort is what the provider probes without a port annotation:
	// healthCheckNodePort under Local, the NodePort or kube-proxy's 10256
	// under Cluster; 0 when unknown (IP targets probe pods, not nodes).
	DefaultPort        int32  `json:"defaultPort,omitempty"`
	Protocol           string `json:"protocol,omitempty"`
	Path               string `json:"path,omitempty"`
	IntervalSeconds    int    `json:"intervalSeconds,omitempty"`
	UnhealthyThreshold int    `json:"unhealthyThreshold,omitempty"`
	// Annotations lists the annotations that shaped the probe, for display.
	Annotations []string `json:"annotations,omitempty"`
}

// EffectivePort is the node port the probe really hits.
func (h HealthProbe) EffectivePort() int32 {
	if h.Port != 0 {
		return h.Port
	}
	return h.DefaultPort
}

// FailoverSeconds is how long a dead node keeps receiving new connections
// before the load balancer stops choosing it: the probe interval times the
// failures it waits for. 0 when the provider is unknown.
func (c CloudLB) FailoverSeconds() int {
	return c.HealthProbe.IntervalSeconds * c.HealthProbe.UnhealthyThreshold
}

// Provider names.
const (
	ProviderAzure = "azure"
	ProviderAWS   = "aws"
	ProviderGCP   = "gcp"
)

// DecodeCloudLB reads the cloud load-balancer settings for the Service port
// most likely to matter: the first one carrying a per-port probe
// annotation, else the first TCP port.
func DecodeCloudLB(svc *Service) CloudLB {
	return DecodeCloudLBForPort(svc, clbPickPort(svc))
}

// DecodeCloudLBForPort reads the settings for one Service port number (0
// when the Service has none).
func DecodeCloudLBForPort(svc *Service, port int32) CloudLB {
	var sp ServicePort
	for _, p := range svc.Ports {
		if p.Port == port {
			sp = p
			break
		}
	}
	switch clbProvider(svc) {
	case ProviderAzure:
		return decodeAzure(svc, sp)
	case ProviderAWS:
		return decodeAWS(svc, sp)
	case ProviderGCP:
		return decodeGCP(svc, sp)
	}
	return CloudLB{HealthProbe: HealthProbe{ServicePort: sp.Port}}
}

func clbPickPort(svc *Service) int32 {
	for _, p := range svc.Ports {
		prefix := fmt.Sprintf(azurePortProbePrefix, p.Port)
		for k := range svc.Annotations {
			if strings.HasPrefix(k, prefix) {
				return p.Port
			}
		}
	}
	for _, p := range svc.Ports {
		if p.Protocol == "" || strings.EqualFold(p.Protocol, "TCP") {
			return p.Port
		}
	}
	if len(svc.Ports) > 0 {
		return svc.Ports[0].Port
	}
	return 0
}

// clbProvider guesses the cloud from annotation prefixes and
// loadBalancerClass: a Service carries no other trace of it.
func clbProvider(svc *Service) string {
	class := strings.ToLower(svc.LoadBalancerClass)
	switch {
	case class == awsNLBClass:
		return ProviderAWS
	case strings.HasPrefix(class, "networking.gke.io/"):
		return ProviderGCP
	}
	found := map[string]bool{}
	for k := range svc.Annotations {
		switch {
		case strings.HasPrefix(k, "service.beta.kubernetes.io/azure-"), strings.HasPrefix(k, "service.beta.kubernetes.io/port_"):
			found[ProviderAzure] = true
		case strings.HasPrefix(k, "service.beta.kubernetes.io/aws-"), strings.HasPrefix(k, "alb.ingress.kubernetes.io/"):
			found[ProviderAWS] = true
		case strings.HasPrefix(k, "cloud.google.com/"), strings.HasPrefix(k, "networking.gke.io/"):
			found[ProviderGCP] = true
		}
	}
	// Annotations of two clouds on one Service (copied manifests) say
	// nothing reliable; prefer the most specific (Azure's per-port keys
	// are unmistakable), then a fixed order so output is stable.
	for _, p := range []string{ProviderAzure, ProviderAWS, ProviderGCP} {
		if found[p] {
			return p
		}
	}
	return ""
}

func clbLocal(svc *Service) bool { return svc.ExternalTrafficPolicy == PolicyLocal }

// clbNodePort resolves a probe-port annotation value the way the cloud
// controllers do: a Service port's name or number means that port's
// NodePort; any other number is taken literally.
func clbNodePort(svc *Service, v string) (int32, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 32); err == nil {
		if n < 1 || n > 65535 {
			return 0, false
		}
		for _, p := range svc.Ports {
			if int64(p.Port) == n && p.NodePort != 0 {
				return p.NodePort, true
			}
		}
		return int32(n), true
	}
	for _, p := range svc.Ports {
		if p.Name != "" && strings.EqualFold(p.Name, v) {
			return p.NodePort, p.NodePort != 0
		}
	}
	return 0, false
}

// clbInt reads a positive integer annotation; ok is false when it is
// absent, and a problem is recorded when it is present but unusable.
func clbInt(c *CloudLB, ann map[string]string, key string) (int, bool) {
	v, present := ann[key]
	if !present {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		c.Problems = append(c.Problems, fmt.Sprintf("%s: %q is not a positive whole number", key, v))
		return 0, false
	}
	return n, true
}

// clbStringMap parses the "k1=v1,k2=v2" values AWS annotations use.
func clbStringMap(v string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(kv, "=")
		if ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(val)
		}
	}
	return out
}
