package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// How an entry's proxy reaches a Service's pods (EntryStage.Hop).
const (
	// HopPods: straight to the endpoints' IPs, as IP targets, ingress-nginx
	// and Gateway API implementations do: no node hop, no kube-proxy.
	HopPods = "pods"
	// HopNodes: to the NodePort of the nodes (instance targets), where
	// kube-proxy and externalTrafficPolicy decide.
	HopNodes = "nodes"
	// HopClusterIP: to the Service's cluster IP from proxies in the
	// cluster, where kube-proxy and internalTrafficPolicy decide.
	HopClusterIP = "cluster-ip"
)

// Entry implementations ktraffic knows the behaviour of.
const (
	ImplALB     = "aws-load-balancer-controller"
	ImplNginx   = "ingress-nginx"
	ImplGKE     = "gke"
	ImplAGIC    = "application-gateway"
	ImplGateway = "gateway-api"
	ImplUnknown = "unknown"
)

// Annotations the entry stage reads.
const (
	annALBPrefix        = "alb.ingress.kubernetes.io/"
	AnnotationALBTarget = "alb.ingress.kubernetes.io/target-type"
	AnnotationALBGroup  = "alb.ingress.kubernetes.io/group.name"
	annALBHCPort        = "alb.ingress.kubernetes.io/healthcheck-port"
	annALBHCInterval    = "alb.ingress.kubernetes.io/healthcheck-interval-seconds"
	annALBUnhealthy     = "alb.ingress.kubernetes.io/unhealthy-threshold-count"
	annALBActionsPrefix = "alb.ingress.kubernetes.io/actions."
	annNginxPrefix      = "nginx.ingress.kubernetes.io/"
	annNginxUpstream    = "nginx.ingress.kubernetes.io/service-upstream"
	annAGICPrefix       = "appgw.ingress.kubernetes.io/"
	annGKEStaticIP      = "kubernetes.io/ingress.global-static-ip-name"
	annGCPPrefix        = "ingress.gcp.kubernetes.io/"
	AnnotationGKENEG    = "cloud.google.com/neg"
	// AnnotationIngressClass is the class annotation older Ingresses use.
	AnnotationIngressClass = "kubernetes.io/ingress.class"
	// AnnotationDefaultIngressClass marks the IngressClass that Ingresses
	// without a class get.
	AnnotationDefaultIngressClass = "ingressclass.kubernetes.io/is-default-class"
)

// Idle timeouts of the proxies in front, toward the backends: the ALB's
// idle_timeout.timeout_seconds (60 s by default), ingress-nginx's
// upstream-keepalive-timeout (60 s), and the Google Front End's fixed
// 600 s keep-alive to backends (Google recommends backends keep 620 s).
const (
	albDefaultIdle   = 60
	nginxDefaultIdle = 60
	gkeBackendIdle   = 600
)

// entryRef is an Ingress or a route, resolved: its controller, how it
// reaches backends, and its rules' weighted backends.
type entryRef struct {
	src     TrafficSource
	kind    string
	ing     *Ingress
	route   *Route
	gateway *Gateway
	class   string
	// controller is the controller name the class names; impl what
	// ktraffic makes of it; implWhy how it was told.
	controller, impl, implWhy string
	rules                     []entryRule
	annotations               map[string]string
}

type entryRule struct {
	match    string
	backends []entryBackendRef
}

type entryBackendRef struct {
	service string // "namespace/name"
	port    string
	weight  int32
	// problem is why the backend cannot take traffic, "" when it can.
	problem string
}

// findEntry resolves a source's Ingress or route.
func findEntry(snap *Snapshot, src TrafficSource) (*entryRef, error) {
	e := &entryRef{src: src}
	switch src.Kind {
	case SourceIngress:
		for i := range snap.Ingresses {
			if snap.Ingresses[i].Key() == src.Entry {
				e.kind, e.ing, e.annotations = KindIngress, &snap.Ingresses[i], snap.Ingresses[i].Annotations
				e.resolveIngress(snap)
				return e, nil
			}
		}
		return nil, fmt.Errorf("--from %s: no Ingress %s in %s", src, src.Entry, sourceName(snap))
	case SourceHTTPRoute, SourceGRPCRoute:
		kind := KindHTTPRoute
		if src.Kind == SourceGRPCRoute {
			kind = KindGRPCRoute
		}
		for i := range snap.Routes {
			if r := &snap.Routes[i]; r.Kind == kind && r.Key() == src.Entry {
				e.kind, e.route, e.annotations = kind, r, r.Annotations
				e.resolveRoute(snap)
				return e, nil
			}
		}
		return nil, fmt.Errorf("--from %s: no %s %s in %s", src, kind, src.Entry, sourceName(snap))
	}
	return nil, fmt.Errorf("--from %s: not an entry", src)
}

// resolveIngress finds the Ingress's controller (its class's, the
// default class's, or the one its annotations are written for) and
// turns its paths into one-backend rules.
func (e *entryRef) resolveIngress(snap *Snapshot) {
	ing := e.ing
	e.class = ing.ClassName
	if e.class == "" {
		for _, c := range snap.IngressClasses {
			if c.Default {
				e.class, e.implWhy = c.Name, "the default IngressClass "+c.Name
			}
		}
	}
	for _, c := range snap.IngressClasses {
		if c.Name == e.class {
			e.controller = c.Controller
		}
	}
	e.impl = ingressImpl(e.controller, e.class)
	switch {
	case e.impl != ImplUnknown && e.controller != "":
		e.implWhy = fmt.Sprintf("IngressClass %s (controller %s)", e.class, e.controller)
	case e.impl != ImplUnknown:
		e.implWhy = "class " + e.class
	default:
		if impl, ann := implFromAnnotations(ing.Annotations); impl != ImplUnknown {
			e.impl, e.implWhy = impl, "its "+ann+" annotations"
		}
	}
	for _, b := range ing.Backends {
		match := "default backend"
		if !b.Default {
			match = strings.TrimSpace(b.Host + b.Path)
			if match == "" {
				match = "every request"
			}
		}
		rule := entryRule{match: match}
		switch {
		case b.Service == "":
			rule.backends = []entryBackendRef{{service: "(resource backend)", weight: 1, problem: "a resource backend, not a Service"}}
		case e.impl == ImplALB && b.Port == "use-annotation":
			rule.backends = albActionBackends(ing, b.Service)
		default:
			rule.backends = []entryBackendRef{{service: ing.Namespace + "/" + b.Service, port: b.Port, weight: 1}}
		}
		e.rules = append(e.rules, rule)
	}
}

// ingressImpl maps an IngressClass controller (or a well-known class
// name) to the implementation.
func ingressImpl(controller, class string) string {
	switch {
	case controller == "ingress.k8s.aws/alb" || (controller == "" && class == "alb"):
		return ImplALB
	case controller == "k8s.io/ingress-nginx" || (controller == "" && class == "nginx"):
		return ImplNginx
	case strings.HasPrefix(controller, "azure/application-gateway") || (controller == "" && class == "azure-application-gateway"):
		return ImplAGIC
	case strings.Contains(controller, "ingress-gce") || class == "gce" || class == "gce-internal":
		return ImplGKE
	}
	return ImplUnknown
}

// implFromAnnotations guesses the controller from the annotations an
// Ingress was written for, when its class says nothing ktraffic knows.
func implFromAnnotations(ann map[string]string) (impl, prefix string) {
	for _, k := range sortedKeys(ann) {
		switch {
		case strings.HasPrefix(k, annALBPrefix):
			return ImplALB, annALBPrefix + "*"
		case strings.HasPrefix(k, annNginxPrefix):
			return ImplNginx, annNginxPrefix + "*"
		case strings.HasPrefix(k, annAGICPrefix):
			return ImplAGIC, annAGICPrefix + "*"
		case k == annGKEStaticIP || strings.HasPrefix(k, annGCPPrefix):
			return ImplGKE, k
		}
	}
	return ImplUnknown, ""
}

// albActionBackends expands an ALB forward action (the annotation
// alb.ingress.kubernetes.io/actions.NAME a "use-annotation" backend
// names) into its weighted target groups: the ALB's canary.
func albActionBackends(ing *Ingress, action string) []entryBackendRef {
	raw, ok := ing.Annotations[annALBActionsPrefix+action]
	if !ok {
		return []entryBackendRef{{service: ing.Namespace + "/" + action, weight: 1, problem: "port use-annotation names no " + annALBActionsPrefix + action + " annotation"}}
	}
	var act struct {
		Type          string `json:"type"`
		ForwardConfig struct {
			TargetGroups []struct {
				ServiceName string          `json:"serviceName"`
				ServicePort json.RawMessage `json:"servicePort"`
				Weight      *int32          `json:"weight"`
			} `json:"targetGroups"`
		} `json:"forwardConfig"`
	}
	if err := json.Unmarshal([]byte(raw), &act); err != nil || act.Type != "forward" || len(act.ForwardConfig.TargetGroups) == 0 {
		return []entryBackendRef{{service: ing.Namespace + "/" + action, weight: 1, problem: "action " + action + " is not a forward to Services ktraffic can read"}}
	}
	var out []entryBackendRef
	for _, tg := range act.ForwardConfig.TargetGroups {
		w := int32(1)
		if tg.Weight != nil {
			w = *tg.Weight
		}
		port := strings.Trim(string(tg.ServicePort), `"`)
		ref := entryBackendRef{service: ing.Namespace + "/" + tg.ServiceName, port: port, weight: w}
		if tg.ServiceName == "" {
			ref.problem = "a target group ARN, not a Service"
		}
		out = append(out, ref)
	}
	return out
}

// resolveRoute finds the route's Gateway and class, and its rules.
func (e *entryRef) resolveRoute(snap *Snapshot) {
	r := e.route
	for _, pr := range r.Parents {
		if pr.Kind != "" && pr.Kind != "Gateway" {
			continue
		}
		ns := pr.Namespace
		if ns == "" {
			ns = r.Namespace
		}
		for i := range snap.Gateways {
			if g := &snap.Gateways[i]; g.Namespace == ns && g.Name == pr.Name {
				e.gateway = g
				break
			}
		}
		if e.gateway != nil {
			break
		}
	}
	e.impl, e.implWhy = ImplGateway, "a Gateway API route"
	if g := e.gateway; g != nil {
		e.class = g.ClassName
		for _, c := range snap.GatewayClasses {
			if c.Name == g.ClassName {
				e.controller = c.Controller
			}
		}
		e.implWhy = "Gateway " + g.Key()
		if e.controller != "" {
			e.implWhy += " (controller " + e.controller + ")"
		}
	}
	for _, rule := range r.Rules {
		er := entryRule{match: strings.Join(rule.Matches, ", ")}
		if er.match == "" {
			er.match = "every request"
		}
		if rule.Name != "" {
			er.match = rule.Name + ": " + er.match
		}
		for _, b := range rule.Backends {
			ns := b.Namespace
			if ns == "" {
				ns = r.Namespace
			}
			ref := entryBackendRef{service: ns + "/" + b.Name, weight: b.Weight}
			if b.Port != 0 {
				ref.port = strconv.Itoa(int(b.Port))
			}
			// A backend in another namespace needs a ReferenceGrant there;
			// ktraffic does not read them and takes it as granted.
			if b.Kind != "" && b.Kind != "Service" {
				ref.problem = "a " + b.Kind + ", not a Service"
			}
			er.backends = append(er.backends, ref)
		}
		e.rules = append(e.rules, er)
	}
}

// hop is how the entry reaches svc, with the reason in words.
func (e *entryRef) hop(svc *Service) (hop, why string) {
	switch e.impl {
	case ImplALB:
		target, where := e.albAnnotation(svc, AnnotationALBTarget)
		switch strings.ToLower(strings.TrimSpace(target)) {
		case "ip":
			return HopPods, "target-type ip, " + where
		case "", "instance":
			if target == "" {
				return HopNodes, "target-type instance, the AWS Load Balancer Controller's default"
			}
			return HopNodes, "target-type instance, " + where
		}
		return HopNodes, "target-type " + target + " is neither ip nor instance; instance assumed"
	case ImplNginx:
		if strings.EqualFold(strings.TrimSpace(e.annotations[annNginxUpstream]), "true") {
			return HopClusterIP, annNginxUpstream + ": true"
		}
		return HopPods, "ingress-nginx's default: it reads the endpoints and sends to their IPs"
	case ImplGKE:
		if v := svc.Annotations[AnnotationGKENEG]; strings.Contains(strings.ReplaceAll(v, " ", ""), `"ingress":true`) {
			return HopPods, AnnotationGKENEG + " on the Service: container-native load balancing"
		}
		return HopNodes, "no " + AnnotationGKENEG + " ingress annotation on the Service: instance groups"
	case ImplAGIC:
		return HopPods, "Application Gateway's backend pools hold pod IPs"
	case ImplGateway:
		return HopPods, "Gateway API implementations send to the endpoints' IPs"
	}
	return HopPods, "assumed: the controller is unknown, and most send to the endpoints' IPs"
}

// albAnnotation reads an ALB annotation the Service may override, as the
// AWS Load Balancer Controller does for per-target-group settings.
func (e *entryRef) albAnnotation(svc *Service, key string) (value, where string) {
	if v, ok := svc.Annotations[key]; ok {
		return v, "set on Service " + svc.Key()
	}
	if v, ok := e.annotations[key]; ok {
		return v, "set on " + e.kind + " " + e.src.Entry
	}
	return "", ""
}

// name is the entry in words: "Ingress server/server (ALB)".
func (e *entryRef) name() string {
	s := e.kind + " " + e.src.Entry
	if w := implWords[e.impl]; w != "" {
		s += " (" + w + ")"
	}
	return s
}

var implWords = map[string]string{ImplALB: "ALB", ImplNginx: "ingress-nginx", ImplGKE: "GKE load balancer", ImplAGIC: "Application Gateway"}

// proxyWord names the proxy for sentences: "the ALB", "ingress-nginx".
func (e *entryRef) proxyWord() string {
	switch e.impl {
	case ImplALB:
		return "the ALB"
	case ImplNginx:
		return "ingress-nginx"
	case ImplGKE:
		return "the Google load balancer"
	case ImplAGIC:
		return "Application Gateway"
	case ImplGateway:
		if e.gateway != nil {
			return "Gateway " + e.gateway.Key()
		}
		return "the Gateway"
	}
	return "the Ingress controller"
}

// rulesFor lists the rules that send to svc.
func (e *entryRef) rulesFor(svc string) []entryRule {
	var out []entryRule
	for _, r := range e.rules {
		if slices.ContainsFunc(r.backends, func(b entryBackendRef) bool { return b.service == svc }) {
			out = append(out, r)
		}
	}
	return out
}

// EntrySources lists the entries that send to svc: Ingresses, then
// HTTPRoutes, then GRPCRoutes, each by key.
func EntrySources(snap *Snapshot, svc *Service) []TrafficSource {
	key := svc.Key()
	var out []TrafficSource
	for i := range snap.Ingresses {
		ing := &snap.Ingresses[i]
		if ing.Namespace != svc.Namespace {
			continue
		}
		for _, b := range ing.Backends {
			if b.Service == svc.Name || (b.Port == "use-annotation" && albActionNames(ing, b.Service, svc.Name)) {
				out = append(out, TrafficSource{Kind: SourceIngress, Entry: ing.Key()})
				break
			}
		}
	}
	for _, kind := range []string{KindHTTPRoute, KindGRPCRoute} {
		for i := range snap.Routes {
			r := &snap.Routes[i]
			if r.Kind != kind || !routeSendsTo(r, key) {
				continue
			}
			src := TrafficSource{Kind: SourceHTTPRoute, Entry: r.Key()}
			if kind == KindGRPCRoute {
				src.Kind = SourceGRPCRoute
			}
			out = append(out, src)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return entryKindOrder(out[i].Kind) < entryKindOrder(out[j].Kind)
		}
		return out[i].Entry < out[j].Entry
	})
	return out
}

func entryKindOrder(k SourceKind) int {
	switch k {
	case SourceIngress:
		return 0
	case SourceHTTPRoute:
		return 1
	}
	return 2
}

func albActionNames(ing *Ingress, action, svc string) bool {
	for _, b := range albActionBackends(ing, action) {
		if b.service == ing.Namespace+"/"+svc {
			return true
		}
	}
	return false
}

func routeSendsTo(r *Route, key string) bool {
	for _, rule := range r.Rules {
		for _, b := range rule.Backends {
			ns := b.Namespace
			if ns == "" {
				ns = r.Namespace
			}
			if (b.Kind == "" || b.Kind == "Service") && ns+"/"+b.Name == key {
				return true
			}
		}
	}
	return false
}

// DefaultSourceIn is the entry a Service's traffic most likely takes: an
// Ingress or route in front of it (the first, when several are), else
// DefaultSource. A LoadBalancer Service keeps its own load balancer.
func DefaultSourceIn(snap *Snapshot, svc *Service) TrafficSource {
	if svc.Type != TypeLoadBalancer && svc.Type != TypeExternalName && !svc.Headless() {
		if entries := EntrySources(snap, svc); len(entries) > 0 {
			return entries[0]
		}
	}
	return DefaultSource(svc)
}

// SourcesIn is SourcesFor with the entries that send to the Service
// first: every way traffic reaches it in this snapshot.
func SourcesIn(snap *Snapshot, svc *Service, extra TrafficSource) []TrafficSource {
	var out []TrafficSource
	if svc.Type != TypeExternalName && !svc.Headless() {
		out = EntrySources(snap, svc)
	}
	for _, s := range SourcesFor(svc, extra) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
