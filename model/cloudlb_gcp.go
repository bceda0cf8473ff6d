package model

// GKE's L4 load balancers take no health-check annotations on the Service;
// ingress-gce (pkg/healthchecksl4/healthchecksl4.go) sets them:
// a Cluster Service shares one check on kube-proxy's 10256 /healthz every
// 8s, 3 failures (24s); a Local Service gets its own on
// healthCheckNodePort /healthz every 3s, 2 failures (6s).
const (
	gcpSharedInterval, gcpSharedUnhealthy = 8, 3
	gcpLocalInterval, gcpLocalUnhealthy   = 3, 2
	clbKubeProxyHealthzPort               = 10256
	// Passthrough Network Load Balancers track TCP connections and forget
	// idle ones after 600s (Google Cloud, "Connection tracking" of backend
	// services); a Service cannot change it.
	gcpDefaultIdleSeconds = 600
)

func decodeGCP(svc *Service, sp ServicePort) CloudLB {
	c := CloudLB{Provider: ProviderGCP, Controller: "ingress-gce (L4)", DefaultIdleTimeoutSeconds: gcpDefaultIdleSeconds}
	h := &c.HealthProbe
	h.ServicePort = sp.Port
	h.Protocol, h.Path = "HTTP", "/healthz"
	if clbLocal(svc) {
		h.DefaultPort, h.IntervalSeconds, h.UnhealthyThreshold = svc.HealthCheckNodePort, gcpLocalInterval, gcpLocalUnhealthy
	} else {
		h.DefaultPort, h.IntervalSeconds, h.UnhealthyThreshold = clbKubeProxyHealthzPort, gcpSharedInterval, gcpSharedUnhealthy
	}
	return c
}
