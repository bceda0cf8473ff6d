package model

import (
	"math"
	"strings"
	"testing"
)

// canarySnap: an HTTPRoute splits 90/10 between checkout-v1 (three pods
// on three nodes) and checkout-v2 (two pods), behind Gateway shop/public.
func canarySnap(w1, w2 int32) *Snapshot {
	nodes := []Node{mkNode("node-a", "z1"), mkNode("node-b", "z1"), mkNode("node-c", "z2")}
	v1 := mkSvc("shop/checkout-v1", TypeClusterIP)
	v2 := mkSvc("shop/checkout-v2", TypeClusterIP)
	v2.ClusterIP = "10.96.0.11"
	snap := mkSnap(v1, nodes,
		mkEP("shop/v1-a", "10.0.0.1", "node-a", "z1"),
		mkEP("shop/v1-b", "10.0.0.2", "node-b", "z1"),
		mkEP("shop/v1-c", "10.0.0.3", "node-c", "z2"))
	other := mkSnap(v2, nodes,
		mkEP("shop/v2-a", "10.0.1.1", "node-a", "z1"),
		mkEP("shop/v2-c", "10.0.1.2", "node-c", "z2"))
	snap.Services = append(snap.Services, other.Services...)
	snap.Slices = append(snap.Slices, other.Slices...)
	snap.Pods = append(snap.Pods, other.Pods...)
	snap.Gateways = []Gateway{{Namespace: "shop", Name: "public", ClassName: "eg"}}
	snap.GatewayClasses = []GatewayClass{{Name: "eg", Controller: "gateway.envoyproxy.io/gatewayclass-controller"}}
	snap.Routes = []Route{{Kind: KindHTTPRoute, Namespace: "shop", Name: "checkout",
		Parents: []ParentRef{{Name: "public"}},
		Rules: []RouteRule{{Matches: []string{"path /checkout"}, Backends: []RouteBackend{
			{Name: "checkout-v1", Port: 80, Weight: w1}, {Name: "checkout-v2", Port: 80, Weight: w2}}}}}}
	snap.Normalize()
	return snap
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestCanaryShowsEachPodsShareOfTheWhole(t *testing.T) {
	snap := canarySnap(90, 10)
	src := TrafficSource{Kind: SourceHTTPRoute, Entry: "shop/checkout"}
	p, err := Predict(snap, Request{Service: "shop/checkout-v1", Source: src})
	if err != nil {
		t.Fatal(err)
	}
	if p.Entry == nil || !near(p.Entry.Share, 0.9) || p.Entry.Hop != HopPods || p.Entry.Gateway != "shop/public" {
		t.Fatalf("entry = %+v", p.Entry)
	}
	sum := p.Dropped + p.Rejected
	for _, e := range p.Endpoints {
		if !near(e.Share, 0.3) {
			t.Errorf("%s share %v, want 0.3 (90%% over three pods)", e.Pod, e.Share)
		}
		sum += e.Share
	}
	if !near(sum, p.Entry.Share) {
		t.Errorf("endpoint shares + lost = %v, want the Service's share %v", sum, p.Entry.Share)
	}
	if p.ClientIPPreserved {
		t.Error("a proxy in front keeps the client IP?")
	}
	var v2 *EntryBackend
	for i := range p.Entry.Backends {
		if p.Entry.Backends[i].Service == "shop/checkout-v2" {
			v2 = &p.Entry.Backends[i]
		}
	}
	if v2 == nil || !near(v2.Share, 0.1) || len(v2.Pods) != 2 || !near(v2.Pods[0].Share, 0.05) || v2.Weight != 10 {
		t.Fatalf("v2 backend = %+v", v2)
	}
	if len(p.Flows) != 3 {
		t.Errorf("%d flows, want one per pod (no node hop)", len(p.Flows))
	}
}

func TestCanaryWeightZero(t *testing.T) {
	snap := canarySnap(100, 0)
	p, err := Predict(snap, Request{Service: "shop/checkout-v2", Source: TrafficSource{Kind: SourceHTTPRoute, Entry: "shop/checkout"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range p.Endpoints {
		if e.Share != 0 {
			t.Errorf("%s gets %v at weight 0", e.Pod, e.Share)
		}
	}
	if !hasCode(p, CodeEntryWeightZero) {
		t.Errorf("no %s finding: %v", CodeEntryWeightZero, codes(p))
	}
}

func TestRouteToMissingBackend(t *testing.T) {
	snap := canarySnap(50, 50)
	snap.Routes[0].Rules[0].Backends[1].Name = "checkout-gone"
	p, err := Predict(snap, Request{Service: "shop/checkout-v1", Source: TrafficSource{Kind: SourceHTTPRoute, Entry: "shop/checkout"}})
	if err != nil {
		t.Fatal(err)
	}
	var lost float64
	for _, b := range p.Entry.Backends {
		lost += b.Lost
	}
	if !near(lost, 0.5) || !hasCode(p, CodeEntryBackendInvalid) {
		t.Errorf("lost %v (want 0.5), findings %v", lost, codes(p))
	}
}

func TestEntryIsTheDefaultSource(t *testing.T) {
	snap := canarySnap(90, 10)
	svc := snap.Service("shop/checkout-v2")
	if got := DefaultSourceIn(snap, svc); got.String() != "httproute:shop/checkout" {
		t.Errorf("default source %s", got)
	}
	srcs := SourcesIn(snap, svc, TrafficSource{})
	if len(srcs) != 2 || srcs[0].String() != "httproute:shop/checkout" || srcs[1].Kind != SourceInternal {
		t.Errorf("sources %v", srcs)
	}
	for _, s := range []string{"httproute:shop/checkout", "ingress:a/b", "grpcroute:x/y"} {
		src, err := ParseSource(s)
		if err != nil || src.String() != s {
			t.Errorf("ParseSource(%q) = %v, %v", s, src, err)
		}
	}
	if _, err := ParseSource("ingress:nope"); err == nil {
		t.Error("ingress without a namespace accepted")
	}
	if _, err := Predict(snap, Request{Service: "shop/checkout-v1", Source: TrafficSource{Kind: SourceIngress, Entry: "shop/none"}}); err == nil {
		t.Error("a missing Ingress predicted")
	}
}

// albSnap: an ALB Ingress in front of server/server, two pods on node-b,
// none on node-a or node-c, gunicorn keeping idle connections 20 s.
func albSnap(svcType ServiceType, ingAnn map[string]string, mods ...func(*Service)) *Snapshot {
	nodes := []Node{mkNode("node-a", "z1"), mkNode("node-b", "z1"), mkNode("node-c", "z1")}
	svc := mkSvc("server/server", svcType, mods...)
	snap := mkSnap(svc, nodes,
		mkEP("server/server-1", "10.0.0.1", "node-b", "z1"),
		mkEP("server/server-2", "10.0.0.2", "node-b", "z1"))
	for i := range snap.Pods {
		snap.Pods[i].KeepAlive = DeclaredKeepAlive([]Container{{Name: "server", Command: []string{"gunicorn", "--keep-alive", "20", "app:app"}}})
	}
	ann := map[string]string{"alb.ingress.kubernetes.io/scheme": "internal"}
	for k, v := range ingAnn {
		ann[k] = v
	}
	snap.Ingresses = []Ingress{{Namespace: "server", Name: "server", ClassName: "alb", Annotations: ann,
		Backends: []IngressBackend{{Path: "/", Service: "server", Port: "80"}}}}
	snap.IngressClasses = []IngressClass{{Name: "alb", Controller: "ingress.k8s.aws/alb"}}
	return snap
}

func TestALBModes(t *testing.T) {
	src := TrafficSource{Kind: SourceIngress, Entry: "server/server"}
	tests := []struct {
		name      string
		snap      *Snapshot
		hop       string
		healthy   map[string]bool
		nodeShare map[string]float64
		dropped   float64
		rejected  float64
		code      string
	}{
		{name: "ip targets skip the node hop", snap: albSnap(TypeClusterIP, map[string]string{AnnotationALBTarget: "ip"}),
			hop: HopPods, nodeShare: map[string]float64{"node-b": 1}, code: CodeEntryHop},
		{name: "instance targets under Cluster cross nodes", snap: albSnap(TypeNodePort, nil),
			hop: HopNodes, healthy: map[string]bool{"node-a": true, "node-b": true, "node-c": true},
			nodeShare: map[string]float64{"node-a": 1.0 / 3, "node-b": 1.0 / 3, "node-c": 1.0 / 3}, code: CodeEntryHop},
		{name: "instance targets under Local: the traffic-port check leaves out empty nodes", snap: albSnap(TypeNodePort, nil, eTPLocal),
			hop: HopNodes, healthy: map[string]bool{"node-a": false, "node-b": true, "node-c": false},
			nodeShare: map[string]float64{"node-b": 1}, code: CodeEntryHop},
		{name: "the Service overrides the target type", snap: albSnap(TypeNodePort, nil, withAnn(AnnotationALBTarget, "ip")),
			hop: HopPods, code: CodeEntryHop},
		{name: "instance targets need a NodePort", snap: albSnap(TypeClusterIP, nil),
			hop: HopNodes, rejected: 1, code: CodeEntryBackendInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Predict(tt.snap, Request{Service: "server/server", Source: src})
			if err != nil {
				t.Fatal(err)
			}
			if p.Entry.Hop != tt.hop {
				t.Errorf("hop %s, want %s (%s)", p.Entry.Hop, tt.hop, p.Entry.HopReason)
			}
			for _, n := range p.Nodes {
				if want, ok := tt.healthy[n.Name]; ok && n.LBHealthy != want {
					t.Errorf("%s healthy %v, want %v", n.Name, n.LBHealthy, want)
				}
				if want := tt.nodeShare[n.Name]; tt.nodeShare != nil && !near(n.Share, want) {
					t.Errorf("%s share %v, want %v", n.Name, n.Share, want)
				}
			}
			if !near(p.Dropped, tt.dropped) || !near(p.Rejected, tt.rejected) {
				t.Errorf("dropped %v rejected %v", p.Dropped, p.Rejected)
			}
			if !hasCode(p, tt.code) {
				t.Errorf("no %s: %v", tt.code, codes(p))
			}
		})
	}
}

func TestALBIdleTimeoutAgainstKeepAlive(t *testing.T) {
	attr := "alb.ingress.kubernetes.io/load-balancer-attributes"
	src := TrafficSource{Kind: SourceIngress, Entry: "server/server"}
	tests := []struct {
		name string
		snap *Snapshot
		idle int
		want string // finding code, "" for neither
	}{
		{"default 60s against gunicorn 20s", albSnap(TypeClusterIP, map[string]string{AnnotationALBTarget: "ip"}), 60, CodeBackendKeepAliveShort},
		{"set on the Ingress", albSnap(TypeClusterIP, map[string]string{AnnotationALBTarget: "ip", attr: "idle_timeout.timeout_seconds=10"}), 10, ""},
	}
	group := albSnap(TypeClusterIP, map[string]string{AnnotationALBTarget: "ip", AnnotationALBGroup: "shared"})
	group.Ingresses = append(group.Ingresses, Ingress{Namespace: "other", Name: "front", ClassName: "alb",
		Annotations: map[string]string{AnnotationALBGroup: "shared", attr: "idle_timeout.timeout_seconds=120"}})
	tests = append(tests, struct {
		name string
		snap *Snapshot
		idle int
		want string
	}{"read from another Ingress of the IngressGroup", group, 120, CodeBackendKeepAliveShort})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Predict(tt.snap, Request{Service: "server/server", Source: src})
			if err != nil {
				t.Fatal(err)
			}
			if p.Entry.IdleTimeoutSeconds != tt.idle {
				t.Errorf("idle %d (%s), want %d", p.Entry.IdleTimeoutSeconds, p.Entry.IdleTimeoutSource, tt.idle)
			}
			if p.Entry.BackendKeepAlive == nil || p.Entry.BackendKeepAlive.Seconds != 20 {
				t.Errorf("keep-alive %+v", p.Entry.BackendKeepAlive)
			}
			got := hasCode(p, CodeBackendKeepAliveShort)
			if got != (tt.want != "") {
				t.Errorf("finding %s = %v: %v", CodeBackendKeepAliveShort, got, codes(p))
			}
		})
	}
	conflict := albSnap(TypeClusterIP, map[string]string{AnnotationALBGroup: "shared", attr: "idle_timeout.timeout_seconds=30"})
	conflict.Ingresses = append(conflict.Ingresses, Ingress{Namespace: "other", Name: "front", ClassName: "alb",
		Annotations: map[string]string{AnnotationALBGroup: "shared", attr: "idle_timeout.timeout_seconds=120"}})
	p, err := Predict(conflict, Request{Service: "server/server", Source: src})
	if err != nil {
		t.Fatal(err)
	}
	if !hasCode(p, CodeIngressGroupConflict) {
		t.Errorf("no group conflict: %v", codes(p))
	}
}

func TestIngressControllers(t *testing.T) {
	tests := []struct {
		class string
		ann   map[string]string
		impl  string
		hop   string
	}{
		{class: "nginx", impl: ImplNginx, hop: HopPods},
		{class: "nginx", ann: map[string]string{annNginxUpstream: "true"}, impl: ImplNginx, hop: HopClusterIP},
		{ann: map[string]string{"nginx.ingress.kubernetes.io/rewrite-target": "/"}, impl: ImplNginx, hop: HopPods},
		{class: "gce", impl: ImplGKE, hop: HopNodes},
		{class: "azure-application-gateway", impl: ImplAGIC, hop: HopPods},
		{class: "mystery", impl: ImplUnknown, hop: HopPods},
	}
	for _, tt := range tests {
		snap := albSnap(TypeNodePort, nil)
		snap.IngressClasses = nil
		snap.Ingresses[0].ClassName = tt.class
		snap.Ingresses[0].Annotations = tt.ann
		p, err := Predict(snap, Request{Service: "server/server", Source: TrafficSource{Kind: SourceIngress, Entry: "server/server"}})
		if err != nil {
			t.Fatal(err)
		}
		if p.Entry.Implementation != tt.impl || p.Entry.Hop != tt.hop {
			t.Errorf("class %q %v: %s/%s, want %s/%s", tt.class, tt.ann, p.Entry.Implementation, p.Entry.Hop, tt.impl, tt.hop)
		}
	}
}

func TestALBWeightedActions(t *testing.T) {
	snap := canarySnap(1, 1)
	snap.Routes = nil
	snap.Ingresses = []Ingress{{Namespace: "shop", Name: "checkout", ClassName: "alb",
		Annotations: map[string]string{AnnotationALBTarget: "ip", "alb.ingress.kubernetes.io/actions.split": `{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"checkout-v1","servicePort":"80","weight":80},{"serviceName":"checkout-v2","servicePort":80,"weight":20}]}}`},
		Backends:    []IngressBackend{{Path: "/", Service: "split", Port: "use-annotation"}}}}
	svc := snap.Service("shop/checkout-v2")
	if got := DefaultSourceIn(snap, svc); got.String() != "ingress:shop/checkout" {
		t.Fatalf("default source %s", got)
	}
	p, err := Predict(snap, Request{Service: svc.Key()})
	if err != nil {
		t.Fatal(err)
	}
	if !near(p.Entry.Share, 0.2) || !near(p.Endpoints[0].Share, 0.1) {
		t.Errorf("share %v, pod %v", p.Entry.Share, p.Endpoints[0].Share)
	}
}

func hasCode(p *Prediction, code string) bool {
	for _, f := range p.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

func codes(p *Prediction) string {
	var out []string
	for _, f := range p.Findings {
		out = append(out, f.Code)
	}
	return strings.Join(out, ",")
}
