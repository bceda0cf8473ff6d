package model

import (
	"fmt"
	"strings"
)

// Azure annotations and defaults, as kubernetes-sigs/cloud-provider-azure
// reads them (pkg/consts/consts.go; pkg/provider/azure_loadbalancer_healthprobe.go,
// buildHealthProbeRulesForPort).
const (
	// Per-port keys, keyed by the Service port number (not the NodePort):
	// port_<port>_health-probe_port|protocol|request-path|interval|num-of-probe.
	azurePortProbePrefix = "service.beta.kubernetes.io/port_%d_health-probe_"

	azureProbeProtocol    = "service.beta.kubernetes.io/azure-load-balancer-health-probe-protocol"
	azureProbeRequestPath = "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path"
	azureProbeInterval    = "service.beta.kubernetes.io/azure-load-balancer-health-probe-interval"
	azureProbeNumOfProbe  = "service.beta.kubernetes.io/azure-load-balancer-health-probe-num-of-probe"
	// In minutes, unlike every other idle timeout here.
	azureIdleTimeout = "service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout"

	// consts.HealthProbeDefaultProbeInterval and HealthProbeDefaultNumOfProbe.
	azureDefaultInterval   = 5
	azureDefaultNumOfProbe = 2
	// consts.HealthProbeDefaultRequestPath, used when a port annotation
	// moves the probe off healthCheckNodePort.
	azureDefaultRequestPath = "/"
	// Azure Load Balancer's documented default TCP idle timeout: 4 minutes.
	azureDefaultIdleSeconds = 4 * 60
)

// decodeAzure follows buildHealthProbeRulesForPort: a port annotation wins
// and builds its own probe; without one, a Local Service gets the
// healthCheckNodePort probe (HTTP /healthz) and a Cluster Service a probe
// on the port's NodePort. (A cluster configured with
// clusterServiceLoadBalancerHealthProbeMode=shared probes kube-proxy's
// 10256 instead; that lives in the cloud config, not on the Service.)
func decodeAzure(svc *Service, sp ServicePort) CloudLB {
	c := CloudLB{Provider: ProviderAzure, Controller: "cloud-provider-azure", DefaultIdleTimeoutSeconds: azureDefaultIdleSeconds}
	h := &c.HealthProbe
	h.ServicePort = sp.Port
	ann := svc.Annotations
	perPort := func(param string) string { return fmt.Sprintf(azurePortProbePrefix, sp.Port) + param }
	lookup := func(keys ...string) (string, string, bool) {
		for _, k := range keys {
			if v, ok := ann[k]; ok {
				return strings.TrimSpace(v), k, true
			}
		}
		return "", "", false
	}

	if v, key, ok := lookup(perPort("port")); ok {
		h.PortAnnotation = key
		h.Annotations = append(h.Annotations, key)
		if p, ok := clbNodePort(svc, v); ok {
			h.Port = p
		} else {
			c.Problems = append(c.Problems, fmt.Sprintf("%s: %q is neither a port number nor a port name of the Service", key, v))
		}
	}

	switch {
	case h.PortAnnotation == "" && clbLocal(svc):
		h.DefaultPort = svc.HealthCheckNodePort
		h.Protocol = "HTTP"
		h.Path = "/healthz"
	default:
		if h.PortAnnotation == "" {
			h.DefaultPort = sp.NodePort
		}
		h.Protocol = "TCP"
		if v, key, ok := lookup(perPort("protocol"), azureProbeProtocol); ok {
			h.Annotations = append(h.Annotations, key)
			switch strings.ToUpper(v) {
			case "HTTP", "HTTPS", "TCP":
				h.Protocol = strings.ToUpper(v)
			default:
				// The controller falls back to TCP for anything else.
				c.Problems = append(c.Problems, fmt.Sprintf("%s: %q is not Tcp, Http or Https; Azure falls back to Tcp", key, v))
			}
		}
		if h.Protocol != "TCP" {
			h.Path = azureDefaultRequestPath
			if v, key, ok := lookup(perPort("request-path"), azureProbeRequestPath); ok {
				h.Path = v
				h.Annotations = append(h.Annotations, key)
			}
		}
	}

	h.IntervalSeconds = azureDefaultInterval
	for _, k := range []string{perPort("interval"), azureProbeInterval} {
		if n, ok := clbInt(&c, ann, k); ok {
			h.IntervalSeconds = n
			h.Annotations = append(h.Annotations, k)
			break
		}
	}
	h.UnhealthyThreshold = azureDefaultNumOfProbe
	for _, k := range []string{perPort("num-of-probe"), azureProbeNumOfProbe} {
		if n, ok := clbInt(&c, ann, k); ok {
			h.UnhealthyThreshold = n
			h.Annotations = append(h.Annotations, k)
			break
		}
	}
	if h.IntervalSeconds < 5 {
		c.Problems = append(c.Problems, fmt.Sprintf("probe interval %ds is below Azure's minimum of 5s", h.IntervalSeconds))
	}
	if h.IntervalSeconds*h.UnhealthyThreshold >= 120 {
		c.Problems = append(c.Problems, fmt.Sprintf("probe interval × count is %ds; Azure requires under 120s and rejects the update", h.IntervalSeconds*h.UnhealthyThreshold))
	}

	if n, ok := clbInt(&c, ann, azureIdleTimeout); ok {
		c.IdleTimeoutSeconds = n * 60
		c.IdleTimeoutSource = azureIdleTimeout
	}
	return c
}
