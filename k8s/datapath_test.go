package k8s

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/model"
)

func TestDatapathFromObjects(t *testing.T) {
	kubeadm := func(conf string) map[string]map[string]string {
		return map[string]map[string]string{"kube-proxy": {"config.conf": conf}}
	}
	tests := []struct {
		name string
		d    datapathObjects
		want model.Datapath
	}{
		{"kubeadm ipvs sh", datapathObjects{configMaps: kubeadm("apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs:\n  scheduler: sh\n")},
			model.Datapath{Proxy: "kube-proxy", Mode: "ipvs", IPVSScheduler: "sh", Source: "ConfigMap kube-system/kube-proxy, config.conf"}},
		{"kubeadm empty mode is iptables", datapathObjects{configMaps: kubeadm("kind: KubeProxyConfiguration\nmode: \"\"\n")},
			model.Datapath{Proxy: "kube-proxy", Mode: "iptables", Source: "ConfigMap kube-system/kube-proxy, config.conf"}},
		{"EKS kube-proxy-config", datapathObjects{configMaps: map[string]map[string]string{"kube-proxy-config": {"config": "mode: \"nftables\"\n"}}},
			model.Datapath{Proxy: "kube-proxy", Mode: "nftables", Source: "ConfigMap kube-system/kube-proxy-config, config"}},
		{"the file wins over flags", datapathObjects{configMaps: kubeadm("mode: ipvs\n"), daemonSets: map[string][]string{"kube-proxy": {"kube-proxy", "--proxy-mode=iptables"}}},
			model.Datapath{Proxy: "kube-proxy", Mode: "ipvs", Source: "ConfigMap kube-system/kube-proxy, config.conf"}},
		{"flags", datapathObjects{daemonSets: map[string][]string{"kube-proxy": {"/usr/local/bin/kube-proxy", "--proxy-mode", "ipvs", "--ipvs-scheduler=lc"}}},
			model.Datapath{Proxy: "kube-proxy", Mode: "ipvs", IPVSScheduler: "lc", Source: "DaemonSet kube-system/kube-proxy, --proxy-mode ipvs"}},
		{"cilium replaces kube-proxy", datapathObjects{configMaps: map[string]map[string]string{"cilium-config": {"kube-proxy-replacement": "true", "bpf-lb-algorithm": "maglev", "bpf-lb-mode": "dsr"}}},
			model.Datapath{Proxy: "cilium", LBAlgorithm: "maglev", LBMode: "dsr", Source: "ConfigMap kube-system/cilium-config, kube-proxy-replacement: true"}},
		{"cilium beside kube-proxy", datapathObjects{configMaps: map[string]map[string]string{"cilium-config": {"kube-proxy-replacement": "false"}}, daemonSets: map[string][]string{"kube-proxy": nil, "cilium": nil}},
			model.Datapath{Proxy: "kube-proxy", Mode: "iptables", Source: "DaemonSet kube-system/kube-proxy without --proxy-mode (iptables, the default)"}},
		{"cilium without kube-proxy", datapathObjects{daemonSets: map[string][]string{"cilium": nil}},
			model.Datapath{Proxy: "cilium", Source: "DaemonSet kube-system/cilium, and no kube-proxy DaemonSet"}},
		{"nodes only", datapathObjects{nodeModes: map[string]string{"a": "ipvs", "b": "ipvs", "c": "iptables"}},
			model.Datapath{Proxy: "kube-proxy", Mode: "ipvs", Source: "kube-proxy's /proxyMode on 3 nodes"}},
		{"nothing", datapathObjects{notes: []string{"cannot get configmaps in kube-system (forbidden)"}}, model.Datapath{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.d.datapath()
			got.NodeModes, got.Notes = nil, nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// A dump holds entry layers and the datapath's objects beside the four
// core kinds; the ConfigMaps and DaemonSets it does not need are counted
// as skipped.
func TestDumpReadsEntriesAndDatapath(t *testing.T) {
	dump := `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: shop}
  spec: {type: ClusterIP, clusterIP: 10.96.0.10, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata: {name: web, namespace: shop, annotations: {alb.ingress.kubernetes.io/target-type: ip}}
  spec:
    ingressClassName: alb
    rules:
    - host: shop.example
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
- apiVersion: networking.k8s.io/v1
  kind: IngressClass
  metadata: {name: alb}
  spec: {controller: ingress.k8s.aws/alb}
- apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata: {name: web, namespace: shop}
  spec:
    parentRefs: [{name: public}]
    rules:
    - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-canary, value: "1"}]}]
      backendRefs: [{name: web, port: 80, weight: 9}, {name: web-next, port: 80}]
- apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata: {name: public, namespace: shop}
  spec: {gatewayClassName: eg}
- apiVersion: gateway.networking.k8s.io/v1
  kind: GatewayClass
  metadata: {name: eg}
  spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: kube-proxy, namespace: kube-system}
  data:
    config.conf: |
      kind: KubeProxyConfiguration
      mode: ipvs
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: coredns, namespace: kube-system}
  data: {Corefile: ".:53 {}"}
`
	c, err := decodeDump("dump.yaml", []byte(dump))
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.snapshot("file:dump.yaml", "dump.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Ingresses) != 1 || s.Ingresses[0].Backends[0].Host != "shop.example" || s.Ingresses[0].ClassName != "alb" {
		t.Errorf("ingresses %+v", s.Ingresses)
	}
	if len(s.IngressClasses) != 1 || len(s.Gateways) != 1 || len(s.GatewayClasses) != 1 || len(s.Routes) != 1 {
		t.Fatalf("classes %v gateways %v gateway classes %v routes %v", s.IngressClasses, s.Gateways, s.GatewayClasses, s.Routes)
	}
	r := s.Routes[0]
	if r.Rules[0].Matches[0] != "path /api, header x-canary=1" || r.Rules[0].Backends[1].Weight != 1 || r.Parents[0].Name != "public" {
		t.Errorf("route %+v", r)
	}
	if s.Datapath.Mode != model.ModeIPVS {
		t.Errorf("datapath %+v", s.Datapath)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "skipped 1 object of other kinds (ConfigMap)") {
		t.Errorf("warnings %q", s.Warnings)
	}
	// The streaming reader takes the same path.
	streamed, err := LoadFiles([]string{writeFile(t, t.TempDir(), "dump.yaml", dump)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(streamed.Routes) != 1 || len(streamed.Ingresses) != 1 || streamed.Datapath.Mode != model.ModeIPVS {
		t.Errorf("streamed: routes %v ingresses %v datapath %+v", streamed.Routes, streamed.Ingresses, streamed.Datapath)
	}
}
