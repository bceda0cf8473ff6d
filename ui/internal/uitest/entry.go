package uitest

import "github.com/ktraffic/ktraffic/model"

// Canary is a 90/10 canary: HTTPRoute shop/checkout behind Gateway
// shop/public sends 90 to checkout-v1 (three pods on three nodes) and 10
// to checkout-v2 (one pod).
func Canary() *model.Snapshot {
	v1 := Build(Spec{Namespace: "shop", Name: "checkout-v1", Type: "ClusterIP", Zones: []string{"z1", "z2"}, Nodes: 3, Pods: []int{1}})
	v2 := Build(Spec{Namespace: "shop", Name: "checkout-v2", Type: "ClusterIP", Zones: []string{"z1", "z2"}, Nodes: 1, Pods: []int{1}})
	snap := Merge(v1, v2)
	snap.Gateways = []model.Gateway{{Namespace: "shop", Name: "public", ClassName: "eg", Addresses: []string{"203.0.113.40"}}}
	snap.GatewayClasses = []model.GatewayClass{{Name: "eg", Controller: "gateway.envoyproxy.io/gatewayclass-controller"}}
	snap.Routes = []model.Route{{Kind: model.KindHTTPRoute, Namespace: "shop", Name: "checkout",
		Parents: []model.ParentRef{{Name: "public"}},
		Rules: []model.RouteRule{{Matches: []string{"path /checkout"}, Backends: []model.RouteBackend{
			{Name: "checkout-v1", Port: 80, Weight: 90}, {Name: "checkout-v2", Port: 80, Weight: 10}}}}}}
	snap.Datapath = model.Datapath{Proxy: model.ProxyKubeProxy, Mode: model.ModeNFTables, Source: "test"}
	return snap
}
