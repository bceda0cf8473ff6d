package model

import (
	"fmt"
	"sort"
	"strings"
)

// AWS annotations and defaults. Three controllers read the same
// healthcheck annotations with different defaults:
//   - AWS Load Balancer Controller (kubernetes-sigs/aws-load-balancer-controller,
//     docs/guide/service/annotations.md; pkg/service/model_builder.go):
//     interval 10s, unhealthy threshold 3; for instance targets under
//     Local, HTTP healthCheckNodePort /healthz with threshold 2.
//   - cloud-provider-aws NLB (aws_loadbalancer.go, buildNLBHealthCheckConfiguration):
//     interval 30s, threshold 3; under Local 10s, 2, HTTP /healthz.
//   - cloud-provider-aws Classic ELB (defaultElbHC*): interval 10s,
//     unhealthy threshold 6.
const (
	awsLBType             = "service.beta.kubernetes.io/aws-load-balancer-type"
	awsTargetType         = "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"
	awsHCPort             = "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port"
	awsHCProtocol         = "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol"
	awsHCPath             = "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"
	awsHCInterval         = "service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval"
	awsHCUnhealthy        = "service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold"
	awsCLBIdleTimeout     = "service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout"
	awsListenerAttrPrefix = "service.beta.kubernetes.io/aws-load-balancer-listener-attributes."
	// An Ingress annotation; it turns up on Services copied from Ingress
	// manifests and still says what the ALB in front does.
	awsALBAttributes = "alb.ingress.kubernetes.io/load-balancer-attributes"
	awsNLBClass      = "service.k8s.aws/nlb"

	// Listener attribute of NLB TCP listeners (60-6000s, default 350s).
	awsNLBIdleKey           = "tcp.idle_timeout.seconds"
	awsNLBDefaultIdle       = 350
	awsALBIdleKey           = "idle_timeout.timeout_seconds"
	awsALBDefaultIdle       = 60
	awsCLBDefaultIdle       = 60
	awsHealthCheckTraffic   = "traffic-port"
	awsKubeProxyHealthzPath = "/healthz"
)

type awsDefaults struct {
	controller          string
	interval, unhealthy int
	localInterval       int
	localUnhealthy      int
	idle                int
}

var (
	awsALBC       = awsDefaults{"aws-load-balancer-controller", 10, 3, 10, 2, awsNLBDefaultIdle}
	awsInTreeNLB  = awsDefaults{"cloud-provider-aws (NLB)", 30, 3, 10, 2, awsNLBDefaultIdle}
	awsInTreeCLB  = awsDefaults{"cloud-provider-aws (Classic ELB)", 10, 6, 10, 6, awsCLBDefaultIdle}
	awsIngressALB = awsDefaults{"aws-load-balancer-controller (ALB)", 15, 2, 15, 2, awsALBDefaultIdle}
)

func decodeAWS(svc *Service, sp ServicePort) CloudLB {
	ann := svc.Annotations
	d := awsInTreeCLB
	lbType := strings.ToLower(strings.TrimSpace(ann[awsLBType]))
	switch {
	case lbType == "external" || lbType == "nlb-ip" || strings.EqualFold(svc.LoadBalancerClass, awsNLBClass):
		d = awsALBC
	case lbType == "nlb":
		d = awsInTreeNLB
	case ann[awsALBAttributes] != "":
		d = awsIngressALB
	}
	ipTargets := lbType == "nlb-ip" || strings.EqualFold(strings.TrimSpace(ann[awsTargetType]), "ip")

	c := CloudLB{Provider: ProviderAWS, Controller: d.controller, DefaultIdleTimeoutSeconds: d.idle}
	h := &c.HealthProbe
	h.ServicePort = sp.Port
	h.Protocol, h.IntervalSeconds, h.UnhealthyThreshold = "TCP", d.interval, d.unhealthy
	switch {
	case ipTargets:
		// The probe goes to pod IPs on the target port: no node port at all.
	case clbLocal(svc):
		h.DefaultPort = svc.HealthCheckNodePort
		h.Protocol, h.Path = "HTTP", awsKubeProxyHealthzPath
		h.IntervalSeconds, h.UnhealthyThreshold = d.localInterval, d.localUnhealthy
	default:
		h.DefaultPort = sp.NodePort
	}

	if v, ok := ann[awsHCPort]; ok {
		v = strings.TrimSpace(v)
		h.Annotations = append(h.Annotations, awsHCPort)
		switch {
		case strings.EqualFold(v, awsHealthCheckTraffic):
			// "traffic-port" is the NodePort for instance targets, even under
			// Local: exactly the misdirected probe Local cannot afford.
			if !ipTargets {
				h.Port, h.PortAnnotation = sp.NodePort, awsHCPort
			}
		default:
			if p, ok := clbNodePort(svc, v); ok {
				h.Port, h.PortAnnotation = p, awsHCPort
			} else {
				c.Problems = append(c.Problems, fmt.Sprintf("%s: %q is neither traffic-port, a port number nor a port name", awsHCPort, v))
			}
		}
	}
	if v, ok := ann[awsHCProtocol]; ok {
		h.Annotations = append(h.Annotations, awsHCProtocol)
		switch p := strings.ToUpper(strings.TrimSpace(v)); p {
		case "TCP", "HTTP", "HTTPS":
			h.Protocol = p
		default:
			c.Problems = append(c.Problems, fmt.Sprintf("%s: %q is not tcp, http or https", awsHCProtocol, v))
		}
	}
	switch h.Protocol {
	case "TCP":
		h.Path = ""
	default:
		if h.Path == "" {
			h.Path = "/"
		}
		if v, ok := ann[awsHCPath]; ok {
			h.Path = strings.TrimSpace(v)
			h.Annotations = append(h.Annotations, awsHCPath)
		}
	}
	if n, ok := clbInt(&c, ann, awsHCInterval); ok {
		h.IntervalSeconds = n
		h.Annotations = append(h.Annotations, awsHCInterval)
	}
	if n, ok := clbInt(&c, ann, awsHCUnhealthy); ok {
		h.UnhealthyThreshold = n
		h.Annotations = append(h.Annotations, awsHCUnhealthy)
	}

	decodeAWSIdle(&c, svc, sp, d)
	return c
}

// decodeAWSIdle finds the idle timeout in whichever annotation the
// load balancer kind reads: the Classic ELB's own annotation, an NLB
// listener attribute (one annotation per listener, PROTOCOL-PORT), or an
// ALB's load-balancer attributes.
func decodeAWSIdle(c *CloudLB, svc *Service, sp ServicePort, d awsDefaults) {
	ann := svc.Annotations
	fromMap := func(key, attr string) bool {
		v, ok := ann[key]
		if !ok {
			return false
		}
		raw, ok := clbStringMap(v)[attr]
		if !ok {
			return false
		}
		m := map[string]string{key: raw}
		if n, ok := clbInt(c, m, key); ok {
			c.IdleTimeoutSeconds, c.IdleTimeoutSource = n, key+" "+attr
			return true
		}
		return false
	}
	switch d {
	case awsInTreeCLB:
		if n, ok := clbInt(c, ann, awsCLBIdleTimeout); ok {
			c.IdleTimeoutSeconds, c.IdleTimeoutSource = n, awsCLBIdleTimeout
		}
	case awsIngressALB:
		fromMap(awsALBAttributes, awsALBIdleKey)
	default:
		proto := strings.ToUpper(sp.Protocol)
		if proto == "" {
			proto = "TCP"
		}
		if fromMap(fmt.Sprintf("%s%s-%d", awsListenerAttrPrefix, proto, sp.Port), awsNLBIdleKey) {
			return
		}
		for _, k := range clbSortedKeys(ann) {
			if strings.HasPrefix(k, awsListenerAttrPrefix) && fromMap(k, awsNLBIdleKey) {
				return
			}
		}
	}
}

func clbSortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
