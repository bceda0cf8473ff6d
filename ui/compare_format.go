package ui

import (
	"fmt"
	"math"

	"github.com/ktraffic/ktraffic/model"
)

// percent and points spell shares as `ktraffic diff` does.
func percent(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

func points(delta float64) string {
	if delta == 0 {
		return ""
	}
	p := 100 * delta
	if math.Abs(p) < 0.05 {
		if p > 0 {
			return "+<0.1 pts"
		}
		return "-<0.1 pts"
	}
	return fmt.Sprintf("%+.1f pts", p)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func sideShare(share float64, onlyIn, other model.Side) string {
	if onlyIn == other {
		return "absent"
	}
	return percent(share)
}

func healthChange(before, after *model.Prediction, n model.NodeChange) string {
	if before.Type != "LoadBalancer" {
		return "-"
	}
	for _, p := range []*model.Prediction{after, before} {
		for _, pn := range p.Nodes {
			if pn.Name == n.Name && !pn.LBBackend {
				return "excluded"
			}
		}
	}
	word := func(h bool) string {
		if h {
			return "healthy"
		}
		return "failing"
	}
	switch {
	case n.OnlyIn == model.SideBefore:
		return word(n.LBHealthy.Before) + " → absent"
	case n.OnlyIn == model.SideAfter:
		return "absent → " + word(n.LBHealthy.After)
	case n.LBHealthy.Changed():
		return word(n.LBHealthy.Before) + " → " + word(n.LBHealthy.After)
	}
	return word(n.LBHealthy.After)
}

func readyChange(e model.EndpointChange) string {
	word := func(r bool) string {
		if r {
			return "ready"
		}
		return "not ready"
	}
	switch {
	case e.OnlyIn == model.SideBefore:
		return "removed"
	case e.OnlyIn == model.SideAfter:
		return "added (" + word(e.Ready.After) + ")"
	case e.Ready.Changed():
		return word(e.Ready.Before) + " → " + word(e.Ready.After)
	}
	return word(e.Ready.After)
}
