package flow

import (
	"fmt"

	"github.com/ktraffic/ktraffic/model"
)

// EntryLines describe the entry point under its title: the load
// balancer's address, the NodePort, the ClusterIP. The flow page and the
// before/after pane both draw flows, so the words live with the drawing.
func EntryLines(svc *model.Service, src model.TrafficSource) []string {
	switch src.Kind {
	case model.SourceLB:
		for _, in := range svc.LoadBalancerIngress {
			if in.IP != "" {
				return []string{in.IP}
			}
			if in.Hostname != "" {
				return []string{in.Hostname}
			}
		}
		return []string{"(no address yet)"}
	case model.SourceNodePort:
		for _, p := range svc.Ports {
			if p.NodePort != 0 {
				return []string{fmt.Sprintf("port %d", p.NodePort)}
			}
		}
	case model.SourceInternal:
		if svc.ClusterIP != "" && svc.ClusterIP != "None" {
			return []string{svc.ClusterIP}
		}
	}
	return nil
}
