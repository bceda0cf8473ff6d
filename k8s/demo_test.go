package k8s

import (
	"io/fs"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/model"
)

func loadAllDemos(t *testing.T) map[string]*model.Snapshot {
	t.Helper()
	out := map[string]*model.Snapshot{}
	for _, sc := range DemoScenarios() {
		snap, err := LoadDemo(sc.Name)
		if err != nil {
			t.Fatalf("LoadDemo(%s): %v", sc.Name, err)
		}
		out[sc.Name] = snap
	}
	return out
}

func TestDemoScenariosLoad(t *testing.T) {
	wantOrder := []string{"kiada", "aks-tcp", "eks-nlb-ip", "metallb-l2", "session-affinity", "alb-idle-timeout", "zones-prefer-close",
		"gateway-canary", "alb-ingress-modes", "ipvs-sh", "cilium"}
	if got := DemoNames(); !reflect.DeepEqual(got, wantOrder) {
		t.Fatalf("DemoNames = %v, want %v", got, wantOrder)
	}
	snaps := loadAllDemos(t)
	for _, sc := range DemoScenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			snap := snaps[sc.Name]
			if snap.Source != "demo:"+sc.Name {
				t.Errorf("Source = %q", snap.Source)
			}
			if sc.Title == "" || len(sc.Description) < 200 || strings.Contains(sc.Description, "\n") {
				t.Errorf("title %q / description %q: want a title and one paragraph", sc.Title, sc.Description)
			}
			if snap.Service(sc.Service) == nil {
				t.Errorf("featured Service %s missing", sc.Service)
			}
			if !snap.NodesKnown || len(snap.Warnings) != 0 {
				t.Errorf("NodesKnown = %v, warnings %v: scenarios ship whole clusters", snap.NodesKnown, snap.Warnings)
			}
		})
	}
}

// TestDemoFilesMatchScenarios keeps the embedded folder and the list in
// step: a file without an entry would never be offered.
func TestDemoFilesMatchScenarios(t *testing.T) {
	entries, err := fs.ReadDir(scenarioFiles, "scenarios")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	names := DemoNames()
	slices.Sort(names)
	if !reflect.DeepEqual(files, names) {
		t.Errorf("files %v, scenarios %v", files, names)
	}
}

// TestDemoSlicesMatchPods checks each scenario is a cluster that could
// exist: every endpoint points at a real pod on the same node with the
// same IP and readiness, in its node's zone, and every ready selected pod
// is an endpoint of the Services selecting it.
func TestDemoSlicesMatchPods(t *testing.T) {
	for name, snap := range loadAllDemos(t) {
		t.Run(name, func(t *testing.T) {
			pods := map[string]model.Pod{}
			for _, p := range snap.Pods {
				pods[p.Namespace+"/"+p.Name] = p
			}
			zones := map[string]string{}
			for _, n := range snap.Nodes {
				zones[n.Name] = n.Zone
			}
			endpointsOf := map[string]map[string]bool{} // service key → pod keys
			for _, sl := range snap.Slices {
				key := sl.Namespace + "/" + sl.Service
				if snap.Service(key) == nil {
					t.Errorf("slice %s/%s belongs to no Service", sl.Namespace, sl.Name)
				}
				if endpointsOf[key] == nil {
					endpointsOf[key] = map[string]bool{}
				}
				for _, ep := range sl.Endpoints {
					pk := ep.PodNamespace + "/" + ep.PodName
					p, ok := pods[pk]
					switch {
					case !ok:
						t.Errorf("%s: endpoint %v names missing pod %s", sl.Name, ep.Addresses, pk)
						continue
					case len(ep.Addresses) != 1 || ep.Addresses[0] != p.IP:
						t.Errorf("%s: endpoint %v, pod %s has IP %s", sl.Name, ep.Addresses, pk, p.IP)
					case ep.NodeName != p.NodeName:
						t.Errorf("%s: endpoint on %s, pod %s on %s", sl.Name, ep.NodeName, pk, p.NodeName)
					case ep.Ready == nil || *ep.Ready != p.Ready || ep.Serving == nil || *ep.Serving != p.Ready:
						t.Errorf("%s: endpoint for %s ready/serving disagree with pod ready %v", sl.Name, pk, p.Ready)
					case ep.Zone != zones[p.NodeName]:
						t.Errorf("%s: endpoint zone %q, node %s is in %q", sl.Name, ep.Zone, p.NodeName, zones[p.NodeName])
					case ep.Terminating == nil || *ep.Terminating:
						t.Errorf("%s: endpoint for %s should be terminating: false", sl.Name, pk)
					}
					endpointsOf[key][pk] = true
				}
			}
			for _, svc := range snap.Services {
				if svc.Selector == nil {
					continue
				}
				for _, p := range snap.Pods {
					selected := p.Namespace == svc.Namespace
					for k, v := range svc.Selector {
						selected = selected && p.Labels[k] == v
					}
					if selected != endpointsOf[svc.Key()][p.Namespace+"/"+p.Name] {
						t.Errorf("Service %s selects pod %s: %v, has it as endpoint: %v", svc.Key(), p.Name, selected, !selected)
					}
				}
			}
		})
	}
}

// TestDemoScenarioFacts pins what each scenario exists to show, so an edit
// to a file cannot quietly remove its lesson.
func TestDemoScenarioFacts(t *testing.T) {
	snaps := loadAllDemos(t)
	podsPerNode := func(snap *model.Snapshot, selector string) map[string]int {
		out := map[string]int{}
		for _, p := range snap.Pods {
			if p.Labels["app"] == selector {
				out[p.NodeName]++
			}
		}
		return out
	}
	t.Run("kiada", func(t *testing.T) {
		s := snaps["kiada"]
		if got := podsPerNode(s, "kiada"); !reflect.DeepEqual(got, map[string]int{"node-a": 1, "node-b": 2}) {
			t.Errorf("pods per node = %v", got)
		}
		local, cluster := s.Service("default/kiada"), s.Service("default/kiada-cluster")
		if local.Type != "LoadBalancer" || local.ExternalTrafficPolicy != "Local" || local.HealthCheckNodePort == 0 {
			t.Errorf("kiada = %+v", local)
		}
		if cluster.ExternalTrafficPolicy != "Cluster" || !reflect.DeepEqual(cluster.Selector, local.Selector) {
			t.Errorf("kiada-cluster = %+v", cluster)
		}
	})
	t.Run("aks-tcp", func(t *testing.T) {
		s := snaps["aks-tcp"]
		svc := s.Service("tcp/tcp-server")
		want := map[string]string{
			"service.beta.kubernetes.io/azure-load-balancer-resource-group":        "rg-network",
			"service.beta.kubernetes.io/azure-pip-name":                            "kimmap-tcp-pip",
			"service.beta.kubernetes.io/port_9999_health-probe_protocol":           "TCP",
			"service.beta.kubernetes.io/port_9999_health-probe_port":               "31573",
			"service.beta.kubernetes.io/azure-load-balancer-health-probe-interval": "59",
		}
		if !reflect.DeepEqual(svc.Annotations, want) {
			t.Errorf("annotations = %v", svc.Annotations)
		}
		p := svc.Ports[0]
		if p.Port != 9999 || p.TargetPort != "8888" || p.NodePort != 31573 || svc.ExternalTrafficPolicy != "Local" ||
			svc.HealthCheckNodePort == 0 || svc.HealthCheckNodePort == 31573 {
			t.Errorf("service = %+v", svc)
		}
		if len(s.Nodes) != 3 || distinctZones(s) != 3 || len(podsPerNode(s, "tcp-server")) != 2 {
			t.Errorf("want 3 nodes in 3 zones, pods on 2: %+v", s.Nodes)
		}
	})
	t.Run("eks-nlb-ip", func(t *testing.T) {
		s := snaps["eks-nlb-ip"]
		if mode, _ := model.DetectLBMode(s.Service("apps/your-app")); mode != model.LBModePods {
			t.Errorf("LB mode = %q, want pods", mode)
		}
		if en := s.Service("apps/my-service"); en == nil || en.Type != "ExternalName" || en.ExternalName != "api.google.com" {
			t.Errorf("ExternalName service = %+v", en)
		}
		if h := s.Service("apps/your-app-headless"); h == nil || !h.Headless() {
			t.Errorf("headless service = %+v", h)
		}
		counts := podsPerNode(s, "your-app")
		if len(s.Nodes) != 3 || distinctZones(s) != 2 || len(counts) != 2 || slices.Max(mapValues(counts)) != 2 {
			t.Errorf("want 3 nodes in 2 AZs, pods 2+1: %v", counts)
		}
	})
	t.Run("metallb-l2", func(t *testing.T) {
		s := snaps["metallb-l2"]
		for _, key := range []string{"default/kiada", "default/kiada-local"} {
			if mode, _ := model.DetectLBMode(s.Service(key)); mode != model.LBModeSingleNode {
				t.Errorf("%s LB mode = %q, want single-node", key, mode)
			}
		}
		if s.Service("default/kiada-local").ExternalTrafficPolicy != "Local" || s.Service("default/kiada").ExternalTrafficPolicy != "Cluster" {
			t.Error("want one Cluster and one Local Service")
		}
		if distinctZones(s) != 0 || len(s.Nodes) != 3 || len(podsPerNode(s, "kiada")) != 2 {
			t.Errorf("want 3 zoneless nodes, pods on 2")
		}
	})
	t.Run("session-affinity", func(t *testing.T) {
		s := snaps["session-affinity"]
		for _, key := range []string{"default/sample-session-affinity", "default/sample-clusterip"} {
			svc := s.Service(key)
			if svc.SessionAffinity != "ClientIP" || svc.SessionAffinityTimeoutSeconds != 10800 {
				t.Errorf("%s affinity = %s/%d", key, svc.SessionAffinity, svc.SessionAffinityTimeoutSeconds)
			}
		}
		if svc := s.Service("default/sample-session-affinity"); svc.Type != "NodePort" || svc.Ports[0].Port != 8080 {
			t.Errorf("sample-session-affinity = %+v", svc)
		}
		if got := podsPerNode(s, "sample-app"); len(got) != 3 {
			t.Errorf("want one replica per node, got %v", got)
		}
	})
	t.Run("alb-idle-timeout", func(t *testing.T) {
		s := snaps["alb-idle-timeout"]
		svc := s.Service("server/server")
		if len(svc.Annotations) != 0 || svc.Ports[0].Port != 80 || svc.Ports[0].TargetPort != "8000" {
			t.Errorf("server = %+v", svc)
		}
		if len(s.Ingresses) != 1 || s.Ingresses[0].Annotations["alb.ingress.kubernetes.io/load-balancer-attributes"] != "idle_timeout.timeout_seconds=60" ||
			s.Ingresses[0].Backends[0].Service != "server" || s.Datapath.Mode != model.ModeIPTables {
			t.Errorf("ingresses %+v, datapath %+v", s.Ingresses, s.Datapath)
		}
		for _, p := range s.Pods {
			if p.Namespace == "server" && p.KeepAlive.Seconds != 20 {
				t.Errorf("server keep-alive %+v", p.KeepAlive)
			}
		}
		roles := map[string]string{}
		for _, n := range s.Nodes {
			roles[n.Labels["role"]] = n.Name
			if n.Zone != "ap-northeast-2a" {
				t.Errorf("node %s in %s", n.Name, n.Zone)
			}
		}
		for _, p := range s.Pods {
			if (p.Namespace == "server" && p.NodeName != roles["server"]) || (p.Namespace == "client" && p.NodeName != roles["client"]) {
				t.Errorf("pod %s/%s on %s", p.Namespace, p.Name, p.NodeName)
			}
		}
		if s.Service("client/client") == nil {
			t.Error("client Service missing")
		}
	})
	t.Run("zones-prefer-close", func(t *testing.T) {
		s := snaps["zones-prefer-close"]
		perZone := map[string]int{}
		notReady := 0
		for _, sl := range s.Slices {
			for _, ep := range sl.Endpoints {
				switch {
				case sl.Service == "checkout" && *ep.Ready:
					perZone[ep.Zone]++
					if !reflect.DeepEqual(ep.HintZones, []string{ep.Zone}) || ep.HintNodes != nil {
						t.Errorf("checkout endpoint %v hints %v/%v, want its own zone", ep.Addresses, ep.HintZones, ep.HintNodes)
					}
				case sl.Service == "checkout":
					notReady++
					if ep.HintZones != nil {
						t.Errorf("not-ready endpoint %v has hints", ep.Addresses)
					}
					perZone[ep.Zone]++
				case ep.HintZones != nil || ep.HintNodes != nil:
					t.Errorf("%s endpoint %v has hints", sl.Service, ep.Addresses)
				}
			}
		}
		if want := map[string]int{"us-east-1a": 4, "us-east-1b": 2, "us-east-1c": 1}; !reflect.DeepEqual(perZone, want) || notReady != 1 {
			t.Errorf("checkout endpoints per zone = %v (%d not ready)", perZone, notReady)
		}
		for _, key := range []string{"shop/checkout", "shop/catalog"} {
			if td := s.Service(key).TrafficDistribution; td != "PreferClose" {
				t.Errorf("%s trafficDistribution = %q", key, td)
			}
		}
		if len(s.Nodes) != 6 || distinctZones(s) != 3 {
			t.Errorf("want 6 nodes in 3 zones")
		}
	})
}

// TestNewDemoFacts pins what the entry-layer and datapath scenarios
// show, through the predictions they exist for.
func TestNewDemoFacts(t *testing.T) {
	snaps := loadAllDemos(t)
	predict := func(t *testing.T, demo, svc string) *model.Prediction {
		t.Helper()
		p, err := model.Predict(snaps[demo], model.Request{Service: svc})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("gateway-canary", func(t *testing.T) {
		p := predict(t, "gateway-canary", "shop/checkout-v1")
		if p.Source.String() != "httproute:shop/checkout" || p.Entry == nil || len(p.Entry.Backends) != 2 {
			t.Fatalf("source %s entry %+v", p.Source, p.Entry)
		}
		for _, e := range p.Endpoints {
			if d := e.Share - 0.3; d > 1e-9 || d < -1e-9 {
				t.Errorf("%s share %v, want 30%%", e.Pod, e.Share)
			}
		}
		if b := p.Entry.Backends[1]; b.Service != "shop/checkout-v2" || len(b.Pods) != 1 || b.Pods[0].Share < 0.0999 || b.Pods[0].Share > 0.1001 {
			t.Errorf("v2 backend %+v", b)
		}
		if g := predict(t, "gateway-canary", "shop/cart"); g.Source.String() != "grpcroute:shop/cart" || snaps["gateway-canary"].Datapath.Mode != model.ModeNFTables {
			t.Errorf("cart from %s", g.Source)
		}
	})
	t.Run("alb-ingress-modes", func(t *testing.T) {
		hops := map[string]string{"web/web-ip": model.HopPods, "web/web-instance": model.HopNodes, "web/web-instance-local": model.HopNodes}
		for svc, hop := range hops {
			p := predict(t, "alb-ingress-modes", svc)
			if p.Entry == nil || p.Entry.Hop != hop || p.Entry.IdleTimeoutSeconds != 120 || p.Entry.BackendKeepAlive == nil || p.Entry.BackendKeepAlive.Seconds != 75 {
				t.Errorf("%s: entry %+v", svc, p.Entry)
			}
		}
		local := predict(t, "alb-ingress-modes", "web/web-instance-local")
		max := 0.0
		for _, e := range local.Endpoints {
			max = math.Max(max, e.Share)
		}
		if max < 0.4999 || local.Dropped != 0 {
			t.Errorf("Local through instance targets: busiest pod %v, dropped %v", max, local.Dropped)
		}
	})
	t.Run("ipvs-sh", func(t *testing.T) {
		s := snaps["ipvs-sh"]
		if s.Datapath.Mode != model.ModeIPVS || s.Datapath.IPVSScheduler != "sh" {
			t.Errorf("datapath %+v", s.Datapath)
		}
		p := predict(t, "ipvs-sh", "default/my-service")
		found := false
		for _, f := range p.Findings {
			found = found || f.Code == model.CodeIPVSSchedulerAnnotationIgnored
		}
		if !found {
			t.Errorf("findings %v", p.Findings)
		}
		if c := predict(t, "ipvs-sh", "default/node-cache"); c.Dropped != 0 {
			t.Errorf("node-cache drops %v under IPVS", c.Dropped)
		}
	})
	t.Run("cilium", func(t *testing.T) {
		s := snaps["cilium"]
		if s.Datapath.Proxy != model.ProxyCilium || s.Datapath.LBAlgorithm != "maglev" || s.Datapath.LBMode != "dsr" {
			t.Errorf("datapath %+v", s.Datapath)
		}
		if p := predict(t, "cilium", "default/web"); !p.ClientIPPreserved || p.Settings.ExternalTrafficPolicy != model.PolicyCluster {
			t.Errorf("client IP kept %v under %s", p.ClientIPPreserved, p.Settings.ExternalTrafficPolicy)
		}
	})
}

func distinctZones(s *model.Snapshot) int {
	z := map[string]bool{}
	for _, n := range s.Nodes {
		if n.Zone != "" {
			z[n.Zone] = true
		}
	}
	return len(z)
}

func mapValues(m map[string]int) []int {
	var out []int
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestLoadDemoUnknown(t *testing.T) {
	_, err := LoadDemo("nope")
	want := `unknown demo scenario "nope"; valid names: kiada, aks-tcp, eks-nlb-ip, metallb-l2, session-affinity, alb-idle-timeout, zones-prefer-close, gateway-canary, alb-ingress-modes, ipvs-sh, cilium`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

// TestDemoScenariosIsACopy guards the default scenario: a caller sorting
// or editing the list must not change what the TUI opens first.
func TestDemoScenariosIsACopy(t *testing.T) {
	DemoScenarios()[0].Name = "changed"
	if DemoScenarios()[0].Name != "kiada" {
		t.Error("DemoScenarios exposes its backing array")
	}
}
