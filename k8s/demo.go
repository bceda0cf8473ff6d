package k8s

import (
	"embed"
	"fmt"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// Scenario describes one embedded demo scenario.
type Scenario struct {
	Name        string
	Title       string
	Description string
	// Service is the featured Service, "namespace/name".
	Service string
}

// scenarioFiles holds one `kubectl get -o yaml` List per scenario, read by
// the same decoder as user dumps so the demo exercises the real path.
//
//go:embed scenarios/*.yaml
var scenarioFiles embed.FS

// scenarios is in the order the TUI lists them; the first opens by default,
// so it is the seeds' canonical Cluster-vs-Local example.
var scenarios = []Scenario{
	{
		Name:    "kiada",
		Title:   "Two nodes, three pods: Cluster vs Local",
		Service: "default/kiada",
		Description: "Kubernetes in Action's example that every seed retells: node-a runs kiada-001, node-b runs " +
			"kiada-002 and kiada-003. The load balancer splits traffic 50/50 between the nodes either way. " +
			"With externalTrafficPolicy: Cluster (Service kiada-cluster) each node spreads over all three pods, " +
			"so each gets 33%, at the price of an extra hop and a SNATed client IP. With Local (Service kiada) " +
			"each node keeps its traffic: kiada-001 takes 50% while the two pods on node-b take 25% each, " +
			"and the client IP survives.",
	},
	{
		Name:    "aks-tcp",
		Title:   "AKS TCP server with Azure health-probe annotations",
		Service: "tcp/tcp-server",
		Description: "A stateful TCP server on AKS (port 9999 → 8888, NodePort 31573) switched to " +
			"externalTrafficPolicy: Local to keep sessions on one node and the client IP intact. Its two pods run " +
			"on two of three zonal nodes. The seed's annotations make the Azure load balancer probe TCP on the " +
			"traffic NodePort 31573 instead of the healthCheckNodePort kube-proxy serves for Local Services, so " +
			"the load balancer judges nodes by a handshake on the data path rather than by kube-proxy's view of " +
			"local endpoints: check which nodes the prediction marks healthy.",
	},
	{
		Name:    "eks-nlb-ip",
		Title:   "EKS NLB in IP target mode, ExternalName and headless",
		Service: "apps/your-app",
		Description: "An AWS NLB with nlb-target-type: ip registers pod IPs directly, so traffic skips the node hop " +
			"and kube-proxy altogether: the three pods share evenly even though two of them sit on one node and " +
			"externalTrafficPolicy does not matter. The namespace also holds an ExternalName Service " +
			"(my-service → api.google.com, a DNS CNAME with no proxying) and a headless Service, whose clients " +
			"resolve pod IPs themselves.",
	},
	{
		Name:    "metallb-l2",
		Title:   "Bare metal with MetalLB layer 2",
		Service: "default/kiada",
		Description: "A kubeadm cluster without a cloud: MetalLB in layer-2 mode answers ARP for the Service IP " +
			"from one node at a time, so that node receives every external connection. With Cluster (kiada) it " +
			"forwards to all three pods, across nodes when it has to. With Local (kiada-local) MetalLB announces " +
			"only from a node running a ready pod, and only that node's pods serve: one or two of the three pods " +
			"take everything. kubeadm labels the control-plane node to keep it out of load balancers.",
	},
	{
		Name:    "session-affinity",
		Title:   "ClientIP session affinity behind a NodePort",
		Service: "default/sample-session-affinity",
		Description: "Three echo-nginx replicas, one per node, behind a NodePort Service with sessionAffinity: " +
			"ClientIP (timeout 10800 s). Stickiness lives in each node's kube-proxy rules: a client that reaches " +
			"worker1:30080 and later worker2:30080 can land on different pods, so affinity is not guaranteed " +
			"without a load balancer that keeps clients on one node. sample-clusterip shows the in-cluster case " +
			"that the seed's curl from sample-pod exercises; sample-nodeport-local the Local NodePort.",
	},
	{
		Name:    "alb-idle-timeout",
		Title:   "ALB idle timeout vs backend keep-alive",
		Service: "server/server",
		Description: "EKS with infra, server and client node groups in one zone. An internal ALB, built by the AWS " +
			"Load Balancer Controller from Ingress server/server (target-type ip, so it sends to the pod and skips " +
			"the node hop), keeps idle connections for 60 s (load-balancer-attributes on the Ingress), while the pod " +
			"runs gunicorn --keep-alive 20: the backend closes idle connections before the load balancer does, which " +
			"AWS documents as a cause of 502s. The backend's keep-alive must be longer than the idle timeout; the " +
			"client namespace holds the test client.",
	},
	{
		Name:    "zones-prefer-close",
		Title:   "Three zones with trafficDistribution: PreferClose",
		Service: "shop/checkout",
		Description: "Six nodes in three zones run seven checkout pods unevenly (four in us-east-1a, one of them " +
			"not ready, two in b, one in c). checkout sets trafficDistribution: PreferClose and carries the zone " +
			"hints the EndpointSlice controller writes, so kube-proxy keeps traffic in the client's zone, and the " +
			"single pod in us-east-1c takes all of its zone's traffic. catalog sets the same field but has no " +
			"hints published, as when the controller predates the feature: kube-proxy ignores the field and " +
			"spreads cluster-wide.",
	},
	{
		Name:    "gateway-canary",
		Title:   "A 90/10 HTTPRoute canary behind a Gateway",
		Service: "shop/checkout-v1",
		Description: "An Envoy Gateway (Gateway shop/public) routes /checkout by HTTPRoute shop/checkout: weight 90 " +
			"to checkout-v1 (three pods on three nodes in two zones) and 10 to checkout-v2 (one pod). Every share is " +
			"a part of the route's traffic: each v1 pod takes 30%, the lone v2 pod 10%. The Gateway's proxies send " +
			"straight to the pods and balance requests, so kube-proxy and the Services' policies play no part. A " +
			"GRPCRoute sends the Cart gRPC service to cart; kube-proxy runs in nftables mode.",
	},
	{
		Name:    "alb-ingress-modes",
		Title:   "One ALB in ip and instance target modes",
		Service: "web/web-instance-local",
		Description: "Three Ingresses of IngressGroup web share one ALB over three pods of web (two on one node, one on " +
			"another, none on the third node). /ip targets pod IPs: 33% each, no node hop. /instance goes through " +
			"NodePort 31080 on every node under externalTrafficPolicy: Cluster: even, but two thirds cross nodes. " +
			"/local goes through NodePort 31081 under Local: the traffic-port health check fails on the empty node, " +
			"the lone pod takes half. The group's 120 s idle timeout is set on one Ingress, and nginx keeps idle " +
			"connections only 75 s.",
	},
	{
		Name:    "ipvs-sh",
		Title:   "kube-proxy in IPVS mode with source hashing",
		Service: "default/my-service",
		Description: "A kubeadm cluster whose kube-proxy runs in ipvs mode with ipvs.scheduler: sh. my-service " +
			"carries the service.beta.kubernetes.io/ipvs-scheduler: rr annotation a blog post suggests; upstream " +
			"kube-proxy never reads it, so the cluster-wide sh applies: each client address sticks to one pod, and a " +
			"few clients load a few pods (try the client profiles). node-cache sets internalTrafficPolicy: Local " +
			"with pods on two of three nodes: IPVS sends the third node's clients to the other nodes instead of " +
			"dropping them.",
	},
	{
		Name:    "cilium",
		Title:   "Cilium replacing kube-proxy, with Maglev and DSR",
		Service: "default/web",
		Description: "AKS with Cilium's eBPF dataplane: cilium-config sets kube-proxy-replacement, Maglev hashing and " +
			"DSR, and no kube-proxy runs. The web LoadBalancer Service keeps externalTrafficPolicy: Cluster, yet pods " +
			"see the client's address, because with DSR the backend answers the client directly and no SNAT is " +
			"needed. Maglev picks the same backend for a connection on every node. api is a gRPC NodePort Service: " +
			"its few long-lived connections are what kube-proxy or Cilium balance, not its requests.",
	},
}

// DemoScenarios lists the embedded scenarios in a stable order.
func DemoScenarios() []Scenario {
	return append([]Scenario(nil), scenarios...)
}

// DemoNames lists the scenario names.
func DemoNames() []string {
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.Name
	}
	return names
}

// LoadDemo builds the snapshot of one scenario.
func LoadDemo(name string) (*model.Snapshot, error) {
	for _, s := range scenarios {
		if s.Name != name {
			continue
		}
		path := "scenarios/" + name + ".yaml"
		data, err := scenarioFiles.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("demo %s: %w", name, err)
		}
		c, err := decodeDump(path, data)
		if err != nil {
			return nil, err
		}
		return c.snapshot("demo:"+name, path)
	}
	return nil, model.UnknownName("unknown demo scenario %q; valid names: %s", name, strings.Join(DemoNames(), ", "))
}
