// Package probes checks a prediction against the cluster: it asks every
// node's kube-proxy health servers what a cloud load balancer's health
// check would hear, and measures how traffic really spread over a
// Service's pods, from Prometheus or from the pods' own /metrics.
package probes

import (
	"encoding/json"
	"fmt"
)

// KubeProxyHealthzPort is kube-proxy's default --healthz-bind-address
// port; under externalTrafficPolicy: Cluster load balancers probe its
// /healthz, which fails while the node is being drained or deleted.
const KubeProxyHealthzPort = 10256

// Kind says which kube-proxy health server a target is.
type Kind string

// Kinds of health server.
const (
	// KindService is the per-Service server on healthCheckNodePort: 200 only
	// while the node has a ready local endpoint (externalTrafficPolicy: Local).
	KindService Kind = "service"
	// KindProxy is kube-proxy's own /healthz on port 10256.
	KindProxy Kind = "proxy"
)

// serviceHealthBody is what kube-proxy's service health server writes
// (pkg/proxy/healthcheck/service_health.go, hcPayload).
type serviceHealthBody struct {
	Service struct {
		Namespace string `json:"namespace"`
		Name      string `json:"name"`
	} `json:"service"`
	LocalEndpoints      *int  `json:"localEndpoints"`
	ServiceProxyHealthy *bool `json:"serviceProxyHealthy"`
}

// proxyHealthBody is what kube-proxy's /healthz writes
// (pkg/proxy/healthcheck/proxy_health.go, healthzHandler). nodeEligible
// appeared in 1.28; older releases omit it.
type proxyHealthBody struct {
	LastUpdated  string `json:"lastUpdated"`
	CurrentTime  string `json:"currentTime"`
	NodeEligible *bool  `json:"nodeEligible"`
}

// decodeBody fills r from a health server's body. A load balancer only
// looks at the status code, so a body that does not parse is reported but
// does not change Healthy.
func decodeBody(r *Result, t Target, body []byte) {
	switch t.Kind {
	case KindService:
		var b serviceHealthBody
		if err := json.Unmarshal(body, &b); err != nil || b.LocalEndpoints == nil {
			r.BodyError = notKubeProxy(body, err)
			return
		}
		r.LocalEndpoints, r.ServiceProxyHealthy = b.LocalEndpoints, b.ServiceProxyHealthy
		if got := b.Service.Namespace + "/" + b.Service.Name; t.Service != "" && got != t.Service {
			r.BodyError = fmt.Sprintf("port %d answers for %s, not %s", t.Port, got, t.Service)
		}
	case KindProxy:
		var b proxyHealthBody
		if err := json.Unmarshal(body, &b); err != nil || b.LastUpdated == "" {
			r.BodyError = notKubeProxy(body, err)
			return
		}
		r.NodeEligible = b.NodeEligible
	}
}

func notKubeProxy(body []byte, err error) string {
	const show = 60
	snippet := string(body)
	if len(snippet) > show {
		snippet = snippet[:show] + "…"
	}
	if err != nil {
		return fmt.Sprintf("not kube-proxy's JSON (%v): %q", err, snippet)
	}
	return fmt.Sprintf("not kube-proxy's JSON: %q", snippet)
}
