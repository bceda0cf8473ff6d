package model

import "fmt"

// probeKind is what a load balancer's health probe reaches on a node.
type probeKind uint8

const (
	// probeHealthCheckNodePort: kube-proxy's healthCheckNodePort server
	// (pkg/proxy/healthcheck), 200 only with a ready local endpoint.
	probeHealthCheckNodePort probeKind = iota
	// probeKubeProxy: kube-proxy's own /healthz on 10256, 200 while
	// kube-proxy runs, whatever the Service's endpoints.
	probeKubeProxy
	// probeNodePort: one of the Service's NodePorts; the probe connects
	// when kube-proxy on the node forwards it to an endpoint.
	probeNodePort
	// probeOther: a port that is none of those; what answers there is
	// unknown, and a Ready node is assumed to pass.
	probeOther
)

// lbProbe is the health probe of the load-balancer rule for the predicted
// Service port, as the cloud annotations (or the provider's default) aim
// it, with what it takes for a node to pass.
type lbProbe struct {
	kind probeKind
	// port is the node port probed; 0 for healthCheckNodePort before the
	// API server allocates it (a what-if to Local).
	port int32
	// annotation set the port; "" for the provider's default.
	annotation string
	// target is the Service port whose NodePort a probeNodePort hits, and
	// topo that port's endpoints.
	target ServicePort
	topo   *topology
}

// resolveProbe aims the probe as the cloud controller would for the
// effective (possibly what-if) external policy. Without a known provider,
// the probe is the one every cloud uses by default: healthCheckNodePort
// under Local, kube-proxy's health under Cluster.
func (p *predictor) resolveProbe(m endpointsMap, zoneOf func(string) string) lbProbe {
	svc := *p.svc
	svc.ExternalTrafficPolicy = p.settings.ExternalTrafficPolicy
	h := DecodeCloudLBForPort(&svc, p.port.Port).HealthProbe
	local := svc.ExternalTrafficPolicy == PolicyLocal
	port := h.EffectivePort()
	pr := lbProbe{port: port, annotation: h.PortAnnotation}
	switch {
	case port == 0 && local:
		pr.kind, pr.port = probeHealthCheckNodePort, svc.HealthCheckNodePort
	case port == 0:
		pr.kind, pr.port = probeKubeProxy, clbKubeProxyHealthzPort
	case local && port == svc.HealthCheckNodePort:
		pr.kind = probeHealthCheckNodePort
	case port == clbKubeProxyHealthzPort:
		pr.kind = probeKubeProxy
	default:
		pr.kind = probeOther
		for _, sp := range svc.Ports {
			if sp.NodePort != port {
				continue
			}
			pr.kind, pr.target = probeNodePort, sp
			if sp == p.port {
				pr.topo = p.topo
			} else {
				pr.topo = newTopology(gatherEndpoints(m, sp, zoneOf))
			}
			break
		}
	}
	return pr
}

// passes says whether the probe gets an answer from a node that is an
// up-and-running load-balancer backend.
func (pr *lbProbe) passes(p *predictor, n *Node) bool {
	switch pr.kind {
	case probeHealthCheckNodePort:
		return p.hcCount[n.Name] > 0
	case probeNodePort:
		// kube-proxy forwards the probe's connection as it would any
		// NodePort connection: to local endpoints under Local (ready ones,
		// else serving-terminating ones), to cluster endpoints otherwise.
		if p.settings.ExternalTrafficPolicy == PolicyLocal {
			_, set := pr.topo.localSet(n.Name)
			return len(set) > 0
		}
		_, set := pr.topo.clusterSet(n.Name, n.Zone)
		return len(set) > 0
	}
	return true
}

// describe names the probe for findings: the port actually probed and
// what aimed it there.
func (pr *lbProbe) describe(svc *Service) string {
	var what string
	switch pr.kind {
	case probeHealthCheckNodePort:
		if pr.port == 0 {
			return "healthCheckNodePort, allocated when Local is applied"
		}
		what = fmt.Sprintf("healthCheckNodePort %d", pr.port)
	case probeKubeProxy:
		what = fmt.Sprintf("kube-proxy's health port %d", clbKubeProxyHealthzPort)
	case probeNodePort:
		what = fmt.Sprintf("NodePort %d of port %d", pr.port, pr.target.Port)
	default:
		what = fmt.Sprintf("port %d", pr.port)
	}
	if pr.annotation != "" {
		what += ", set by " + pr.annotation
	}
	return what
}

// failingReason says why the probe fails on a backend node that is up.
func (pr *lbProbe) failingReason() string {
	if pr.kind == probeNodePort {
		return "without a local endpoint kube-proxy forwards to"
	}
	return "without a ready local endpoint"
}
