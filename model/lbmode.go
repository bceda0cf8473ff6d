package model

import "strings"

// Annotations and classes that reveal how a load balancer spreads traffic.
// Each rule names the controller whose documented behaviour it encodes.
const (
	// AWS Load Balancer Controller: "ip" registers pod IPs as targets, so the
	// NLB sends straight to pods; "instance" (its default) targets nodes.
	AnnotationAWSNLBTargetType = "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"
	// AWS target group attributes; preserve_client_ip.enabled=true keeps
	// the client address for IP targets (off by default for TCP/TLS).
	AnnotationAWSTargetGroupAttributes = "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"
	// GKE weighted load balancing: backends weighted by serving pods per node
	// (only effective with externalTrafficPolicy: Local).
	AnnotationGKEWeightedLB = "networking.gke.io/weighted-load-balancing"
	// Label that removes a node from every cloud load balancer's backends.
	LabelExcludeFromLB = "node.kubernetes.io/exclude-from-external-load-balancers"
	// Cluster autoscaler's taint on a node it is about to delete; kube-proxy's
	// /healthz fails on such nodes so load balancers drain them.
	TaintToBeDeletedByCA = "ToBeDeletedByClusterAutoscaler"
	// Topology-aware routing annotations; when "Auto", the EndpointSlice
	// controller ignores trafficDistribution.
	AnnotationTopologyMode       = "service.kubernetes.io/topology-mode"
	AnnotationTopologyAwareHints = "service.kubernetes.io/topology-aware-hints"
)

// singleNodeMarkers are annotation prefixes and class names of load-balancer
// implementations that announce a Service IP from one node at a time (ARP /
// NDP): MetalLB in L2 mode (its most common set-up; BGP spreads like
// "nodes": override with lbMode=nodes) and kube-vip.
var (
	singleNodeAnnotationPrefixes = []string{"metallb.universe.tf/", "metallb.io/", "kube-vip.io/"}
	singleNodeClassWords         = []string{"metallb", "kube-vip"}
)

// DetectLBMode infers the load-balancer mode from a Service's annotations
// and loadBalancerClass, and says which rule decided it.
func DetectLBMode(svc *Service) (mode, reason string) {
	if svc.Type != TypeLoadBalancer {
		return "", ""
	}
	if v := strings.ToLower(strings.TrimSpace(svc.Annotations[AnnotationAWSNLBTargetType])); v == "ip" {
		return LBModePods, AnnotationAWSNLBTargetType + ": ip (the NLB targets pod IPs directly)"
	}
	if v := svc.Annotations[AnnotationGKEWeightedLB]; strings.EqualFold(v, "pods-per-node") {
		return LBModeNodesWeighted, AnnotationGKEWeightedLB + ": " + v + " (backends weighted by pods per node)"
	}
	class := strings.ToLower(svc.LoadBalancerClass)
	for _, w := range singleNodeClassWords {
		if strings.Contains(class, w) {
			return LBModeSingleNode, "loadBalancerClass " + svc.LoadBalancerClass + " (one node announces the IP, as in MetalLB L2; use lbMode=nodes for BGP)"
		}
	}
	for _, k := range sortedKeys(svc.Annotations) {
		for _, p := range singleNodeAnnotationPrefixes {
			if strings.HasPrefix(k, p) {
				return LBModeSingleNode, "annotation " + k + " (one node announces the IP, as in MetalLB L2; use lbMode=nodes for BGP)"
			}
		}
	}
	return LBModeNodes, "default: the load balancer spreads evenly over healthy nodes"
}

// hintsAnnotationEnabled mirrors the EndpointSlice controller's
// hintsEnabled: topology-aware routing (the annotation) wins over
// trafficDistribution.
func hintsAnnotationEnabled(annotations map[string]string) bool {
	v, ok := annotations[AnnotationTopologyAwareHints]
	if !ok {
		v, ok = annotations[AnnotationTopologyMode]
		if !ok {
			return false
		}
	}
	return v == "Auto" || v == "auto"
}

// preservesClientIPInPodMode reports whether an IP-target load balancer
// keeps the client address (AWS: preserve_client_ip.enabled=true).
func preservesClientIPInPodMode(svc *Service) bool {
	attrs := strings.ReplaceAll(svc.Annotations[AnnotationAWSTargetGroupAttributes], " ", "")
	return strings.Contains(attrs, "preserve_client_ip.enabled=true")
}
