package model

import (
	"reflect"
	"strings"
	"testing"
)

// clbSvc is seed 000's Service: one TCP port 9999 with NodePort 31573,
// Local policy, healthCheckNodePort 32100.
func clbSvc(policy TrafficPolicy, ann map[string]string) *Service {
	s := &Service{Namespace: "default", Name: "tcp", Type: "LoadBalancer",
		Ports:                 []ServicePort{{Name: "tcp-client", Protocol: "TCP", Port: 9999, TargetPort: "8888", NodePort: 31573}},
		ExternalTrafficPolicy: policy, Annotations: ann}
	if policy == "Local" {
		s.HealthCheckNodePort = 32100
	}
	return s
}

func TestDecodeCloudLB(t *testing.T) {
	tests := []struct {
		name        string
		svc         *Service
		provider    string
		port        int32 // HealthProbe.Port
		effective   int32
		protocol    string
		path        string
		interval    int
		threshold   int
		failover    int
		idle        int
		idleDefault int
		idleSource  string
		problems    int
	}{
		{
			name: "no cloud annotations", svc: clbSvc("Local", nil),
		},
		{
			// Seed 000: the probe is aimed at the NodePort, so every node
			// answers and Local's client-IP-preserving routing drops traffic.
			name: "azure seed 000: probe port pinned to the NodePort",
			svc: clbSvc("Local", map[string]string{
				"service.beta.kubernetes.io/port_9999_health-probe_protocol":           "TCP",
				"service.beta.kubernetes.io/port_9999_health-probe_port":               "31573",
				"service.beta.kubernetes.io/azure-load-balancer-health-probe-interval": "59",
			}),
			provider: "azure", port: 31573, effective: 31573, protocol: "TCP", interval: 59, threshold: 2, failover: 118, idleDefault: 240,
		},
		{
			name:     "azure local without port annotation probes healthCheckNodePort",
			svc:      clbSvc("Local", map[string]string{"service.beta.kubernetes.io/azure-load-balancer-internal": "true"}),
			provider: "azure", effective: 32100, protocol: "HTTP", path: "/healthz", interval: 5, threshold: 2, failover: 10, idleDefault: 240,
		},
		{
			name: "azure probe port given as the Service port resolves to its NodePort",
			svc: clbSvc("Cluster", map[string]string{
				"service.beta.kubernetes.io/port_9999_health-probe_port":          "9999",
				"service.beta.kubernetes.io/port_9999_health-probe_protocol":      "Http",
				"service.beta.kubernetes.io/port_9999_health-probe_request-path":  "/ready",
				"service.beta.kubernetes.io/port_9999_health-probe_interval":      "10",
				"service.beta.kubernetes.io/port_9999_health-probe_num-of-probe":  "3",
				"service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout": "30",
			}),
			provider: "azure", port: 31573, effective: 31573, protocol: "HTTP", path: "/ready", interval: 10, threshold: 3, failover: 30,
			idle: 1800, idleDefault: 240, idleSource: "service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout",
		},
		{
			name:     "azure probe port by name",
			svc:      clbSvc("Local", map[string]string{"service.beta.kubernetes.io/port_9999_health-probe_port": "tcp-client"}),
			provider: "azure", port: 31573, effective: 31573, protocol: "TCP", interval: 5, threshold: 2, failover: 10, idleDefault: 240,
		},
		{
			name: "azure garbage values are reported, defaults kept",
			svc: clbSvc("Cluster", map[string]string{
				"service.beta.kubernetes.io/port_9999_health-probe_port":               "nope",
				"service.beta.kubernetes.io/azure-load-balancer-health-probe-interval": "-3",
				"service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout":      "x",
			}),
			provider: "azure", effective: 0, protocol: "TCP", interval: 5, threshold: 2, failover: 10, idleDefault: 240, problems: 3,
		},
		{
			name: "azure interval times count at 120s is rejected by Azure",
			svc: clbSvc("Local", map[string]string{
				"service.beta.kubernetes.io/azure-load-balancer-health-probe-interval":     "60",
				"service.beta.kubernetes.io/azure-load-balancer-health-probe-num-of-probe": "2",
			}),
			provider: "azure", effective: 32100, protocol: "HTTP", path: "/healthz", interval: 60, threshold: 2, failover: 120, idleDefault: 240, problems: 1,
		},
		{
			name:     "aws classic ELB defaults and its idle annotation",
			svc:      clbSvc("Cluster", map[string]string{"service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout": "300"}),
			provider: "aws", effective: 31573, protocol: "TCP", interval: 10, threshold: 6, failover: 60,
			idle: 300, idleDefault: 60, idleSource: "service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout",
		},
		{
			name:     "aws load balancer controller, Local instance targets",
			svc:      clbSvc("Local", map[string]string{"service.beta.kubernetes.io/aws-load-balancer-type": "external"}),
			provider: "aws", effective: 32100, protocol: "HTTP", path: "/healthz", interval: 10, threshold: 2, failover: 20, idleDefault: 350,
		},
		{
			name: "aws traffic-port under Local misdirects the probe",
			svc: clbSvc("Local", map[string]string{
				"service.beta.kubernetes.io/aws-load-balancer-type":                            "external",
				"service.beta.kubernetes.io/aws-load-balancer-healthcheck-port":                "traffic-port",
				"service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol":            "tcp",
				"service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval":            "5",
				"service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold": "4",
				"service.beta.kubernetes.io/aws-load-balancer-listener-attributes.TCP-9999":    "tcp.idle_timeout.seconds=120",
			}),
			provider: "aws", port: 31573, effective: 31573, protocol: "TCP", interval: 5, threshold: 4, failover: 20,
			idle: 120, idleDefault: 350, idleSource: "service.beta.kubernetes.io/aws-load-balancer-listener-attributes.TCP-9999 tcp.idle_timeout.seconds",
		},
		{
			name:     "aws in-tree NLB Cluster defaults",
			svc:      clbSvc("Cluster", map[string]string{"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"}),
			provider: "aws", effective: 31573, protocol: "TCP", interval: 30, threshold: 3, failover: 90, idleDefault: 350,
		},
		{
			name: "aws IP targets probe pods, not nodes",
			svc: clbSvc("Local", map[string]string{
				"service.beta.kubernetes.io/aws-load-balancer-type":             "external",
				"service.beta.kubernetes.io/aws-load-balancer-nlb-target-type":  "ip",
				"service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/ignored-for-tcp",
			}),
			provider: "aws", effective: 0, protocol: "TCP", interval: 10, threshold: 3, failover: 30, idleDefault: 350,
		},
		{
			// Seed 004: the ALB keeps idle connections 60s, longer than
			// gunicorn's 20s keep-alive.
			name:     "aws ALB attributes from an Ingress-style annotation",
			svc:      clbSvc("Cluster", map[string]string{"alb.ingress.kubernetes.io/load-balancer-attributes": "deletion_protection.enabled=true, idle_timeout.timeout_seconds=60"}),
			provider: "aws", effective: 31573, protocol: "TCP", interval: 15, threshold: 2, failover: 30,
			idle: 60, idleDefault: 60, idleSource: "alb.ingress.kubernetes.io/load-balancer-attributes idle_timeout.timeout_seconds",
		},
		{
			name:     "gcp Cluster uses kube-proxy healthz",
			svc:      clbSvc("Cluster", map[string]string{"cloud.google.com/l4-rbs": "enabled"}),
			provider: "gcp", effective: 10256, protocol: "HTTP", path: "/healthz", interval: 8, threshold: 3, failover: 24, idleDefault: 600,
		},
		{
			name: "gcp Local by loadBalancerClass",
			svc: func() *Service {
				s := clbSvc("Local", nil)
				s.LoadBalancerClass = "networking.gke.io/l4-regional-external"
				return s
			}(),
			provider: "gcp", effective: 32100, protocol: "HTTP", path: "/healthz", interval: 3, threshold: 2, failover: 6, idleDefault: 600,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DecodeCloudLB(tt.svc)
			h := c.HealthProbe
			got := []any{c.Provider, h.Port, h.EffectivePort(), h.Protocol, h.Path, h.IntervalSeconds, h.UnhealthyThreshold, c.FailoverSeconds(),
				c.IdleTimeoutSeconds, c.DefaultIdleTimeoutSeconds, c.IdleTimeoutSource, len(c.Problems)}
			want := []any{tt.provider, tt.port, tt.effective, tt.protocol, tt.path, tt.interval, tt.threshold, tt.failover,
				tt.idle, tt.idleDefault, tt.idleSource, tt.problems}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("provider, port, effective, protocol, path, interval, threshold, failover, idle, idleDefault, idleSource, problems:\n got %v\nwant %v\nproblems: %s",
					got, want, strings.Join(c.Problems, "; "))
			}
			if tt.port != 0 && h.PortAnnotation == "" {
				t.Errorf("Port set without naming the annotation that set it")
			}
		})
	}
}

func TestDecodeCloudLBPicksAnnotatedPort(t *testing.T) {
	svc := clbSvc("Local", map[string]string{"service.beta.kubernetes.io/port_443_health-probe_port": "31000"})
	svc.Ports = append([]ServicePort{{Name: "http", Protocol: "TCP", Port: 80, NodePort: 30080}}, append(svc.Ports, ServicePort{Name: "https", Protocol: "TCP", Port: 443, NodePort: 30443})...)
	c := DecodeCloudLB(svc)
	if c.HealthProbe.ServicePort != 443 || c.HealthProbe.Port != 31000 {
		t.Errorf("probe for port %d at %d, want the annotated port 443 probed at 31000", c.HealthProbe.ServicePort, c.HealthProbe.Port)
	}
	if c := DecodeCloudLBForPort(svc, 80); c.HealthProbe.Port != 0 || c.HealthProbe.EffectivePort() != 32100 {
		t.Errorf("port 80 has no probe annotation: want healthCheckNodePort 32100, got port %d effective %d", c.HealthProbe.Port, c.HealthProbe.EffectivePort())
	}
}
