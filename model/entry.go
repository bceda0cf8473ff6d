package model

// Entry layers: what sits in front of a Service and sends it traffic — an
// Ingress, or a Gateway API route attached to a Gateway. Sources reduce
// the objects to the fields that decide where traffic goes: which
// Services a rule sends to, with what weight, through which controller.

// Ingress is a networking.k8s.io/v1 Ingress.
type Ingress struct {
	Namespace string
	Name      string
	// ClassName is spec.ingressClassName, else the legacy
	// kubernetes.io/ingress.class annotation ("" when neither is set).
	ClassName   string
	Annotations map[string]string
	// Backends are the Service backends of the rules' paths, in order,
	// then the default backend.
	Backends            []IngressBackend
	LoadBalancerIngress []LoadBalancerIngress
}

// IngressBackend is one path of an Ingress rule, or its default backend.
type IngressBackend struct {
	Host string // "" matches every host
	Path string
	// Service is the backend Service's name, in the Ingress's namespace;
	// "" for a resource backend, which ktraffic does not follow.
	Service string
	// Port is the Service port's number or name.
	Port    string
	Default bool
}

// Key returns "namespace/name".
func (i *Ingress) Key() string { return i.Namespace + "/" + i.Name }

// IngressClass is a networking.k8s.io/v1 IngressClass.
type IngressClass struct {
	Name       string
	Controller string
	// Default is the ingressclass.kubernetes.io/is-default-class annotation.
	Default bool
}

// Gateway is a gateway.networking.k8s.io Gateway.
type Gateway struct {
	Namespace   string
	Name        string
	ClassName   string
	Annotations map[string]string
	// Addresses are status.addresses' values.
	Addresses []string
}

// Key returns "namespace/name".
func (g *Gateway) Key() string { return g.Namespace + "/" + g.Name }

// GatewayClass is a gateway.networking.k8s.io GatewayClass.
type GatewayClass struct {
	Name       string
	Controller string
}

// Route kinds ktraffic follows.
const (
	KindHTTPRoute = "HTTPRoute"
	KindGRPCRoute = "GRPCRoute"
	KindIngress   = "Ingress"
)

// Route is an HTTPRoute or a GRPCRoute.
type Route struct {
	Kind        string
	Namespace   string
	Name        string
	Annotations map[string]string
	Parents     []ParentRef
	Rules       []RouteRule
}

// Key returns "namespace/name".
func (r *Route) Key() string { return r.Namespace + "/" + r.Name }

// ParentRef is one spec.parentRefs entry: the Gateway a route attaches to.
type ParentRef struct {
	// Kind is "Gateway" unless the route names another kind.
	Kind      string
	Namespace string
	Name      string
}

// RouteRule is one rule: the requests it matches and the backends it
// spreads them over by weight.
type RouteRule struct {
	Name string
	// Matches are the rule's matches in words ("path /checkout",
	// "method shop.Cart/Add"); empty matches everything.
	Matches  []string
	Backends []RouteBackend
}

// RouteBackend is one backendRef.
type RouteBackend struct {
	// Kind is "Service" unless the ref names another kind.
	Kind      string
	Namespace string
	Name      string
	Port      int32
	// Weight is the ref's weight; the API defaults it to 1.
	Weight int32
}
