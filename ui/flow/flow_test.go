package flow

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

func predict(tb testing.TB, snap *model.Snapshot, from string) *model.Prediction {
	tb.Helper()
	src, err := model.ParseSource(from)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := model.Predict(snap, model.Request{Service: snap.Services[0].Key(), Source: src})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func big(policy model.TrafficPolicy) *model.Snapshot {
	return uitest.Build(uitest.Spec{Name: "big", Type: "LoadBalancer", Policy: policy, IngressIP: "198.51.100.7",
		Zones: []string{"eu-1a", "eu-1b", "eu-1c"}, Nodes: 60, Pods: []int{5}})
}

var mono = themes.NewStyles(themes.Theme{Name: "mono"})

func text(p *model.Prediction, width int) string {
	return ansi.Strip(strings.Join(Render(p, mono, Options{Width: width}), "\n"))
}

// The seeds' example must read at a glance: under Local each node feeds
// only its own pods (one lane, no dashes), under Cluster both nodes feed
// all three pods through dashed cross-node lanes.
func TestKiadaAtAGlance(t *testing.T) {
	local := layout(predict(t, uitest.Kiada("Local"), ""))
	if n, _ := assignLanes(local); n != 1 {
		t.Errorf("Local needs %d lanes, want 1", n)
	}
	out := text(predict(t, uitest.Kiada("Local"), ""), 80)
	for _, want := range []string{"client IP kept", "node-a ✓", "50.0% ───▶ kiada-001", "25.0%", "cross-node 0.0%"} {
		if !strings.Contains(out, want) {
			t.Errorf("Local flow lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "╌") {
		t.Errorf("Local flow shows cross-node hops:\n%s", out)
	}

	cluster := layout(predict(t, uitest.Kiada("Cluster"), ""))
	if n, _ := assignLanes(cluster); n != 2 {
		t.Errorf("Cluster needs %d lanes, want 2", n)
	}
	out = text(predict(t, uitest.Kiada("Cluster"), ""), 80)
	for _, want := range []string{"client IP lost", "33.3%", "cross-node 50.0%", "╌"} {
		if !strings.Contains(out, want) {
			t.Errorf("Cluster flow lacks %q:\n%s", want, out)
		}
	}
}

func TestSink(t *testing.T) {
	snap := uitest.Build(uitest.Spec{Name: "web", Type: "NodePort", Policy: "Local", Zones: []string{"z1"}, Nodes: 3, Pods: []int{1, 0, 0}})
	p := predict(t, snap, "nodeport")
	g := layout(p)
	if g.sinkRow < 0 {
		t.Fatal("no sink row for traffic dropped on nodes without pods")
	}
	toSink := 0
	for _, e := range g.edges {
		if e.to == sinkTarget {
			toSink++
		}
	}
	if toSink != 2 {
		t.Errorf("%d nodes send to the sink, want 2", toSink)
	}
	out := text(p, 80)
	if !strings.Contains(out, "✗ dropped 66.7%") || !strings.Contains(out, "clients time out") {
		t.Errorf("sink not drawn:\n%s", out)
	}

	snap = uitest.Build(uitest.Spec{Name: "web", Type: "NodePort", Policy: "Cluster", Zones: []string{"z1"}, Nodes: 2, Pods: []int{1}, NotReady: 2})
	out = text(predict(t, snap, "nodeport:node-a"), 80)
	if !strings.Contains(out, "rejected 100.0%") || !strings.Contains(out, "connection refused") || !strings.Contains(out, "not ready") {
		t.Errorf("rejected sink not drawn:\n%s", out)
	}
}

func TestPodTargets(t *testing.T) {
	snap := uitest.Build(uitest.Spec{Name: "nlb", Type: "LoadBalancer", Zones: []string{"z1", "z2"}, Nodes: 3, Pods: []int{2, 1, 0},
		Annotations: map[string]string{model.AnnotationAWSNLBTargetType: "ip"}})
	p := predict(t, snap, "")
	out := text(p, 100)
	if !strings.Contains(out, "no node hop") || strings.Contains(out, "LB probe") {
		t.Errorf("IP-target LB drawn with a node hop:\n%s", out)
	}
	// Three pods, the headline, and zone z2 (its one pod): with no node
	// hop a zone's share is its pods'.
	if c := strings.Count(out, "33.3%"); c != 5 {
		t.Errorf("33.3%% shows %d times, want 5:\n%s", c, out)
	}
	if !strings.Contains(out, "zone z1 · 2 nodes  66.7%") {
		t.Errorf("zone z1's heading lacks its pods' share:\n%s", out)
	}
}

func TestCollapsesLongTails(t *testing.T) {
	p := predict(t, big("Local"), "")
	g := layout(p)
	if len(g.nodes) > 3*(keepNodesPerZone+1) {
		t.Errorf("%d node rows for 60 nodes, want at most %d", len(g.nodes), 3*(keepNodesPerZone+1))
	}
	out := text(p, 120)
	if !strings.Contains(out, "+16 nodes") || !strings.Contains(out, "+2 pods") {
		t.Errorf("tails not collapsed:\n%s", out)
	}
}

func TestWidths(t *testing.T) {
	preds := []*model.Prediction{
		predict(t, uitest.Kiada("Local"), ""), predict(t, uitest.Kiada("Cluster"), "internal:node-a"),
		predict(t, big("Cluster"), ""), predict(t, big("Local"), "nodeport"),
	}
	for _, p := range preds {
		for w := 40; w <= 260; w += 7 {
			head := len(headline(p, mono, w))
			for i, l := range Render(p, mono, Options{Width: w, Entry: []string{"a-very-long-hostname.elb.amazonaws.com"}}) {
				// Headline and findings are cut by the caller; the graph
				// must fit by itself.
				if n := ansi.StringWidth(l); n > w && i >= head && !strings.HasPrefix(ansi.Strip(l), "  ") {
					t.Fatalf("%s width %d: line %d is %d wide: %q", p.Source, w, i, n, ansi.Strip(l))
				}
			}
		}
	}
}

func BenchmarkRender300Pods60Nodes(b *testing.B) {
	for _, policy := range []model.TrafficPolicy{model.PolicyCluster, model.PolicyLocal} {
		p := predict(b, big(policy), "")
		st := themes.NewStyles(mustTheme("dark"))
		b.Run(string(policy), func(b *testing.B) {
			for b.Loop() {
				Render(p, st, Options{Width: 250})
			}
		})
	}
}

func mustTheme(n string) themes.Theme {
	t, _ := themes.Builtin(n)
	return t
}

// A Service kube-proxy never carries (ExternalName) or one without pods
// still draws: the entry, an empty graph, and the findings that say why.
func TestEmptyPredictions(t *testing.T) {
	snap := uitest.Build(uitest.Spec{Name: "ext", Type: "ExternalName", Zones: []string{"z1"}, Nodes: 2, Pods: []int{0}})
	snap.Services[0].ExternalName = "db.example.com"
	snap.Services[0].ClusterIP = ""
	preds := []*model.Prediction{{}, predict(t, snap, "")}
	for _, p := range preds {
		for _, w := range []int{20, 80, 250} {
			if lines := Render(p, mono, Options{Width: w}); len(lines) == 0 {
				t.Errorf("width %d: nothing drawn for %+v", w, p)
			}
		}
	}
}

// The canary's pods show their share of the whole, the other backend its
// weight and pods, and the box is the Gateway, not a load balancer.
func TestEntryStage(t *testing.T) {
	snap := uitest.Canary()
	p, err := model.Predict(snap, model.Request{Service: "shop/checkout-v1"})
	if err != nil {
		t.Fatal(err)
	}
	out := text(p, 120)
	for _, want := range []string{"HTTPRoute checkout", "▶ checkout-v1 w90", "90.0%  drawn below", "checkout-v2 w10", "1 pod · 10.0%",
		"Gateway", "to pod IPs", "hosts (no node hop)", "30.0%", "3 pods, 30.0% each", "X-Forwarded-For"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if g := layout(p); !g.direct || g.showHealth {
		t.Errorf("direct %v, health %v: a Gateway sends straight to pods", g.direct, g.showHealth)
	}
}

// Seed 001: a browser reuses one connection; the band says so.
func TestConnectionsBand(t *testing.T) {
	p := predict(t, uitest.Kiada("Cluster"), "")
	side := model.ClientSide{Profile: model.ProfileBrowser, Clients: 1}
	out := ansi.Strip(strings.Join(Render(p, mono, Options{Width: 100, Clients: &side}), "\n"))
	for _, want := range []string{"Connections  1 browser client × 1 connection each", "on average 2.0 pods idle",
		"band 0.0%–100.0%", "ideal 33.3%", "connection reuse, not sessionAffinity"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(text(p, 100), "Connections") {
		t.Error("a band without a client side")
	}
}

func TestClientKeys(t *testing.T) {
	keys := common.DefaultKeyMap()
	press := func(c *model.ClientSide, s string) *model.ClientSide {
		return nextClients(c, tea.KeyPressMsg{Code: []rune(s)[0], Text: s}, keys)
	}
	var c *model.ClientSide
	c = press(c, "c")
	if c == nil || c.Profile != model.ProfileBrowser || c.Clients != 1 {
		t.Fatalf("first c: %+v", c)
	}
	c = press(press(c, "+"), "+")
	if c.Clients != 3 {
		t.Errorf("+ twice: %d clients", c.Clients)
	}
	for range len(model.ClientProfiles) - 1 {
		c = press(c, "c")
	}
	if c == nil || c.Profile != model.ProfilePerRequest || c.Clients != 3 {
		t.Errorf("last profile: %+v", c)
	}
	if c = press(c, "c"); c != nil {
		t.Errorf("c past the last profile: %+v, want off", c)
	}
	if c = press(nil, "-"); c != nil {
		t.Errorf("- with none: %+v", c)
	}
}

// A node's note goes on the line below it, the last node's too.
func TestLastNodeNote(t *testing.T) {
	snap := uitest.Build(uitest.Spec{Name: "web", Type: "LoadBalancer", Policy: "Local", IngressIP: "198.51.100.9",
		Zones: []string{"z1"}, Nodes: 3, Pods: []int{1, 1, 0}})
	out := text(predict(t, snap, ""), 100)
	if !strings.Contains(out, "LB probe fails: no pod") {
		t.Errorf("node-c's note is cut:\n%s", out)
	}
}
