package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/ktraffic/ktraffic/model"
)

// bigCluster: 2,000 nodes in 3 zones, and a LoadBalancer Service with 6
// pods on 3 of them.
func bigCluster() *model.Snapshot {
	zones := []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
	snap := &model.Snapshot{Source: "test", NodesKnown: true}
	for i := range 2000 {
		z := zones[i%3]
		snap.Nodes = append(snap.Nodes, model.Node{Name: fmt.Sprintf("node-%04d", i), Zone: z, Ready: true,
			Labels: map[string]string{"topology.kubernetes.io/zone": z}})
	}
	t := true
	var eps []model.Endpoint
	for p := range 6 {
		n := snap.Nodes[p%3*500]
		eps = append(eps, model.Endpoint{Addresses: []string{fmt.Sprintf("10.0.%d.%d", p%3, p)}, Ready: &t, NodeName: n.Name, Zone: n.Zone,
			PodNamespace: "shop", PodName: fmt.Sprintf("web-%d", p)})
	}
	snap.Services = []model.Service{{Namespace: "shop", Name: "web", Type: "LoadBalancer", ClusterIP: "10.96.0.9",
		Selector: map[string]string{"app": "web"}, ExternalTrafficPolicy: "Local", InternalTrafficPolicy: "Cluster", HealthCheckNodePort: 32000,
		Ports: []model.ServicePort{{Name: "http", Protocol: "TCP", Port: 80, NodePort: 30080}}}}
	snap.Slices = []model.EndpointSlice{{Namespace: "shop", Name: "web-x", Service: "web", AddressType: "IPv4",
		Ports: []model.EndpointPort{{Name: "http", Port: 8080, Protocol: "TCP"}}, Endpoints: eps}}
	snap.Normalize()
	return snap
}

// At 2,000 nodes the tables fold the nodes with nothing to say, so the
// pods and findings stay on the first screen.
func TestTablesFoldAt2000Nodes(t *testing.T) {
	snap := bigCluster()
	p, outcomes, err := model.PredictSources(snap, model.Request{Service: "shop/web"})
	if err != nil {
		t.Fatal(err)
	}
	p.Sources = outcomes
	var b bytes.Buffer
	if err := Table(&b, p); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if i := strings.Index(out, "POD "); i < 0 || strings.Count(out[:i], "\n") > 30 {
		t.Errorf("the pod table starts after line 30:\n%s", out)
	}
	if !strings.Contains(out, "1,997 more nodes") {
		t.Errorf("the 1,997 nodes without pods are not folded:\n%s", out)
	}
	t.Run("predict", func(t *testing.T) { golden.RequireEqual(t, out) })

	w, err := model.EvaluateWhatIf(snap, model.Request{Service: "shop/web", Drills: []model.Drill{{Kind: model.DrillNodeDown, Target: "node-0000"}}})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := DiffTable(&b, w, []string{"drill node-down=node-0000"}); err != nil {
		t.Fatal(err)
	}
	out = b.String()
	if strings.Count(out, "\n") > 60 || !strings.Contains(out, "nodes unchanged") {
		t.Errorf("the diff lists every node:\n%s", out)
	}
	t.Run("diff", func(t *testing.T) { golden.RequireEqual(t, out) })
}
