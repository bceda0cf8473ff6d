package probes

import (
	"fmt"
	"strings"
)

// Preset is a query for metrics users already have, so --observed NAME
// needs no PromQL. Each returns requests (or flows) per second per pod of
// the Service over two minutes.
type Preset struct {
	Name string
	// What says which metric it reads, for help.
	What string
	// Query is PromQL with {{.Namespace}}, {{.Name}} and {{.Pods}}.
	Query string
	// PodLabel is the series label naming the pod: "pod" (with a
	// "namespace" label), or a label holding "namespace/pod".
	PodLabel string
	// TotalOnly marks a metric that counts per Service, not per pod
	// (ingress-nginx): the total is shown, the spread cannot be judged.
	TotalOnly bool
}

// Presets are the meshes', ingress controllers' and applications'
// metrics ktraffic knows, in the order help lists them.
var Presets = []Preset{
	{Name: "istio", What: "Istio's istio_requests_total, reported by the destination pods' sidecars",
		Query: `sum by (namespace, pod) (rate(istio_requests_total{reporter="destination", destination_service_namespace="{{.Namespace}}", destination_service_name="{{.Name}}"}[2m]))`},
	{Name: "linkerd", What: "Linkerd's request_total, inbound at the pods' proxies",
		Query: `sum by (namespace, pod) (rate(request_total{direction="inbound", namespace="{{.Namespace}}", pod=~"{{.Pods}}"}[2m]))`},
	{Name: "ingress-nginx", What: "ingress-nginx's nginx_ingress_controller_requests (per Service: the total only)", TotalOnly: true,
		Query: `sum(rate(nginx_ingress_controller_requests{exported_namespace="{{.Namespace}}", exported_service="{{.Name}}"}[2m])) or sum(rate(nginx_ingress_controller_requests{namespace="{{.Namespace}}", service="{{.Name}}"}[2m]))`},
	{Name: "cilium", What: "Hubble's hubble_http_requests_total with destinationContext=pod", PodLabel: "destination",
		Query: `sum by (destination) (rate(hubble_http_requests_total{destination=~"{{.Namespace}}/({{.Pods}})"}[2m]))`},
	{Name: "cilium-flows", What: "Hubble's hubble_flows_processed_total (forwarded flows, for TCP Services) with destinationContext=pod", PodLabel: "destination",
		Query: `sum by (destination) (rate(hubble_flows_processed_total{verdict="FORWARDED", destination=~"{{.Namespace}}/({{.Pods}})"}[2m]))`},
	{Name: "http", What: "the application's own http_requests_total, scraped with pod and namespace labels",
		Query: `sum by (namespace, pod) (rate(http_requests_total{namespace="{{.Namespace}}", pod=~"{{.Pods}}"}[2m]))`},
}

// PresetByName finds a preset.
func PresetByName(name string) (Preset, error) {
	for _, p := range Presets {
		if p.Name == name {
			return p, nil
		}
	}
	return Preset{}, fmt.Errorf("unknown --observed %q: valid: %s", name, PresetNames())
}

// PresetNames lists the presets, for help and errors.
func PresetNames() string {
	names := make([]string, len(Presets))
	for i, p := range Presets {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}
