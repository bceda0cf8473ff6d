package model

import "testing"

// The summary carries the load-balancer mode the prediction used, so the
// list can find Services by it (a MetalLB L2 Service as single-node).
func TestSummaryLBMode(t *testing.T) {
	nodes := []Node{mkNode("node-a", "z1")}
	ep := mkEP("default/web-1", "10.0.0.5", "node-a", "z1")
	tests := []struct {
		name string
		svc  Service
		want string
	}{
		{"cloud LB", mkSvc("default/web", TypeLoadBalancer), LBModeNodes},
		{"MetalLB L2", mkSvc("default/web", TypeLoadBalancer, withAnn("metallb.io/address-pool", "pool")), LBModeSingleNode},
		{"AWS IP targets", mkSvc("default/web", TypeLoadBalancer, withAnn(AnnotationAWSNLBTargetType, "ip")), LBModePods},
		{"no load balancer", mkSvc("default/web", TypeClusterIP), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := Summarize(mkSnap(tt.svc, nodes, ep), "")
			if len(rows) != 1 || rows[0].LBMode != tt.want {
				t.Fatalf("LBMode %q, want %q (rows %d)", rows[0].LBMode, tt.want, len(rows))
			}
		})
	}
}
