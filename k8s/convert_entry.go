package k8s

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ktraffic/ktraffic/model"
)

// Entry layers: Ingresses come typed from client-go's scheme; Gateway API
// objects are read into the small structs below, holding only the fields
// ktraffic follows, so the binary does not carry gateway-api's generated
// clientset (sigs.k8s.io/gateway-api v1.6.3's types are the reference).

// gatewayGroup is the Gateway API's group.
const gatewayGroup = "gateway.networking.k8s.io"

// FromIngress reduces an Ingress to its Service backends.
func FromIngress(ing *networkingv1.Ingress) model.Ingress {
	out := model.Ingress{Namespace: ing.Namespace, Name: ing.Name, Annotations: ing.Annotations}
	if ing.Spec.IngressClassName != nil {
		out.ClassName = *ing.Spec.IngressClassName
	} else {
		out.ClassName = ing.Annotations[model.AnnotationIngressClass]
	}
	for _, r := range ing.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for _, p := range r.HTTP.Paths {
			out.Backends = append(out.Backends, ingressBackend(r.Host, p.Path, p.Backend, false))
		}
	}
	if b := ing.Spec.DefaultBackend; b != nil {
		out.Backends = append(out.Backends, ingressBackend("", "", *b, true))
	}
	for _, in := range ing.Status.LoadBalancer.Ingress {
		out.LoadBalancerIngress = append(out.LoadBalancerIngress, model.LoadBalancerIngress{IP: printable(in.IP), Hostname: printable(in.Hostname)})
	}
	out.Namespace, out.Name, out.ClassName = printable(out.Namespace), printable(out.Name), printable(out.ClassName)
	out.Annotations = model.PrintableMap(out.Annotations)
	return out
}

func ingressBackend(host, path string, b networkingv1.IngressBackend, def bool) model.IngressBackend {
	out := model.IngressBackend{Host: printable(host), Path: printable(path), Default: def}
	if s := b.Service; s != nil {
		out.Service = printable(s.Name)
		if s.Port.Name != "" {
			out.Port = printable(s.Port.Name)
		} else if s.Port.Number != 0 {
			out.Port = strconv.Itoa(int(s.Port.Number))
		}
	}
	return out
}

// FromIngressClass reduces an IngressClass.
func FromIngressClass(c *networkingv1.IngressClass) model.IngressClass {
	return model.IngressClass{Name: printable(c.Name), Controller: printable(c.Spec.Controller),
		Default: strings.EqualFold(c.Annotations[model.AnnotationDefaultIngressClass], "true")}
}

// gatewayObject is a Gateway API object with the fields ktraffic reads;
// its JSON form matches the API's.
type gatewayObject struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       struct {
		// Gateway and GatewayClass.
		GatewayClassName string `json:"gatewayClassName"`
		ControllerName   string `json:"controllerName"`
		// HTTPRoute and GRPCRoute.
		ParentRefs []struct {
			Group     *string `json:"group"`
			Kind      *string `json:"kind"`
			Namespace *string `json:"namespace"`
			Name      string  `json:"name"`
		} `json:"parentRefs"`
		Rules []struct {
			Name    *string          `json:"name"`
			Matches []map[string]any `json:"matches"`
			// BackendRefs are read without their filters.
			BackendRefs []struct {
				Group     *string `json:"group"`
				Kind      *string `json:"kind"`
				Namespace *string `json:"namespace"`
				Name      string  `json:"name"`
				Port      *int32  `json:"port"`
				Weight    *int32  `json:"weight"`
			} `json:"backendRefs"`
		} `json:"rules"`
	} `json:"spec"`
	Status struct {
		Addresses []struct {
			Value string `json:"value"`
		} `json:"addresses"`
	} `json:"status"`
}

// gatewayKinds are the Gateway API kinds ktraffic reads.
var gatewayKinds = map[string]bool{"Gateway": true, "GatewayClass": true, model.KindHTTPRoute: true, model.KindGRPCRoute: true}

// isGatewayKind reports a Gateway API object ktraffic reads, by its
// apiVersion and kind.
func isGatewayKind(apiVersion, kind string) bool {
	group, _, _ := strings.Cut(apiVersion, "/")
	return group == gatewayGroup && gatewayKinds[kind]
}

// decodeGateway reads a Gateway API object's JSON.
func decodeGateway(js []byte) (*gatewayObject, error) {
	var g gatewayObject
	if err := json.Unmarshal(js, &g); err != nil {
		return nil, fmt.Errorf("%s: %s", strings.TrimSpace(g.Kind+" "+g.Metadata.Name), squashLine(err.Error()))
	}
	return &g, nil
}

func fromGateway(g *gatewayObject) model.Gateway {
	out := model.Gateway{Namespace: printable(g.Metadata.Namespace), Name: printable(g.Metadata.Name),
		ClassName: printable(g.Spec.GatewayClassName), Annotations: model.PrintableMap(g.Metadata.Annotations)}
	for _, a := range g.Status.Addresses {
		out.Addresses = append(out.Addresses, printable(a.Value))
	}
	return out
}

func fromGatewayClass(g *gatewayObject) model.GatewayClass {
	return model.GatewayClass{Name: printable(g.Metadata.Name), Controller: printable(g.Spec.ControllerName)}
}

// fromRoute reduces an HTTPRoute or a GRPCRoute. A backendRef's weight
// defaults to 1, as the API's does.
func fromRoute(g *gatewayObject) model.Route {
	out := model.Route{Kind: g.Kind, Namespace: printable(g.Metadata.Namespace), Name: printable(g.Metadata.Name),
		Annotations: model.PrintableMap(g.Metadata.Annotations)}
	for _, p := range g.Spec.ParentRefs {
		out.Parents = append(out.Parents, model.ParentRef{Kind: printable(deref(p.Kind)), Namespace: printable(deref(p.Namespace)), Name: printable(p.Name)})
	}
	for _, r := range g.Spec.Rules {
		rule := model.RouteRule{Name: printable(deref(r.Name))}
		for _, m := range r.Matches {
			rule.Matches = append(rule.Matches, printable(matchText(g.Kind, m)))
		}
		for _, b := range r.BackendRefs {
			ref := model.RouteBackend{Kind: printable(deref(b.Kind)), Namespace: printable(deref(b.Namespace)), Name: printable(b.Name), Weight: 1}
			if b.Port != nil {
				ref.Port = *b.Port
			}
			if b.Weight != nil {
				ref.Weight = *b.Weight
			}
			rule.Backends = append(rule.Backends, ref)
		}
		out.Rules = append(out.Rules, rule)
	}
	return out
}

// matchText says a route match in words: "path /checkout", "exact path
// /x, header x-canary=1", "method shop.Cart/Add".
func matchText(kind string, m map[string]any) string {
	var parts []string
	str := func(v any) string { s, _ := v.(string); return s }
	if p, ok := m["path"].(map[string]any); ok {
		word := "path"
		switch str(p["type"]) {
		case "Exact":
			word = "exact path"
		case "RegularExpression":
			word = "path regex"
		}
		v := str(p["value"])
		if v == "" {
			v = "/"
		}
		parts = append(parts, word+" "+v)
	}
	if meth, ok := m["method"].(map[string]any); ok && kind == model.KindGRPCRoute {
		svc, name := str(meth["service"]), str(meth["method"])
		parts = append(parts, "method "+strings.Trim(svc+"/"+name, "/"))
	} else if meth := str(m["method"]); meth != "" {
		parts = append(parts, "method "+meth)
	}
	if hs, ok := m["headers"].([]any); ok {
		for _, h := range hs {
			if hm, ok := h.(map[string]any); ok {
				parts = append(parts, "header "+str(hm["name"])+"="+str(hm["value"]))
			}
		}
	}
	if qs, ok := m["queryParams"].([]any); ok {
		for _, q := range qs {
			if qm, ok := q.(map[string]any); ok {
				parts = append(parts, "query "+str(qm["name"])+"="+str(qm["value"]))
			}
		}
	}
	if len(parts) == 0 {
		return "every request"
	}
	return strings.Join(parts, ", ")
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// keepGateway adds a decoded Gateway API object.
func (c *dumpContents) keepGateway(g *gatewayObject) {
	if g.Metadata.Namespace == "" && g.Kind != "GatewayClass" {
		g.Metadata.Namespace = "default"
	}
	switch g.Kind {
	case "Gateway":
		c.addGateway(fromGateway(g))
	case "GatewayClass":
		c.addGatewayClass(fromGatewayClass(g))
	default:
		c.addRoute(fromRoute(g))
	}
}
