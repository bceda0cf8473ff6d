// Package report renders predictions and check results as plain text for
// terminals, pipes and logs: the `predict` and `check` tables.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// barWidth is the width of the share bars in the pod table.
const barWidth = 20

// Table writes a prediction the way an operator reads it: settings, then
// nodes, then pods, then what is lost and why.
func Table(w io.Writer, p *model.Prediction) error {
	ew := &errWriter{w: w}
	s := p.Settings
	ew.printf("Service:    %s (%s)\n", p.Service, p.Type)
	ew.printf("Traffic:    from %s%s\n", p.Source, lbModeText(p))
	ew.printf("Settings:   externalTrafficPolicy=%s internalTrafficPolicy=%s sessionAffinity=%s%s trafficDistribution=%s\n",
		OrDash(s.ExternalTrafficPolicy), OrDash(s.InternalTrafficPolicy), s.SessionAffinity, timeoutText(s), OrDash(s.TrafficDistribution))
	ew.printf("Client IP:  %s\n", clientIPText(p))
	ew.printf("Lost:       dropped %s, rejected %s    Cross-node %s, cross-zone %s\n",
		Percent(p.Dropped), Percent(p.Rejected), Percent(p.CrossNode), Percent(p.CrossZone))

	if len(p.Nodes) > 0 {
		rows := []string{cells("NODE", "ZONE", "LB HEALTH", "READY LOCAL", "SHARE")}
		for _, n := range p.Nodes {
			rows = append(rows, cells(n.Name, OrDash(n.Zone), healthText(p, n), fmt.Sprint(n.ReadyLocalEndpoints), Percent(n.Share)))
		}
		ew.printf("\n")
		writeTable(ew, rows)
	}
	if len(p.Endpoints) > 0 {
		observed := p.Observed != nil
		header := []string{"POD", "IP", "NODE", "ZONE", "STATE", "SHARE"}
		if observed {
			header = append(header, "OBSERVED", "GAP")
		}
		rows := []string{cells(header...)}
		for _, e := range p.Endpoints {
			row := []string{OrDash(e.Pod), e.IP, OrDash(e.Node), OrDash(e.Zone), StateText(e), Percent(e.Share)}
			if observed {
				row = append(row, observedText(e), string(e.ObservedLevel))
			}
			rows = append(rows, cells(append(row, Bar(e.Share, barWidth))...))
		}
		ew.printf("\n")
		writeTable(ew, rows)
	}
	if o := p.Observed; o != nil {
		ew.printf("\nObserved:   %s, %d pods with data, largest gap %.1f pts (%s)\n", o.Source, o.PodsWithData, 100*o.MaxGap, o.Level)
		for _, x := range o.Explanations {
			ew.printf("  likely: %s\n", x)
		}
		for _, w := range o.Warnings {
			ew.printf("  note: %s\n", w)
		}
	}
	if len(p.Findings) > 0 {
		ew.printf("\nFindings:\n")
		for _, f := range p.Findings {
			ew.printf("  %-7s  %s: %s\n", f.Level, f.Code, f.Message)
		}
	}
	return ew.err
}

// Percent formats a share as "33.3%".
func Percent(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

// Bar draws a share as a horizontal bar of full and partial blocks.
func Bar(share float64, width int) string {
	if share <= 0 {
		return ""
	}
	eighths := int(share*float64(width*8) + 0.5)
	if eighths == 0 {
		eighths = 1
	}
	partial := []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}
	return strings.Repeat("█", eighths/8) + partial[eighths%8]
}

// StateText says an endpoint's conditions in kubectl's words.
func StateText(e model.EndpointShare) string {
	switch {
	case e.Terminating && e.Serving:
		return "terminating (serving)"
	case e.Terminating:
		return "terminating"
	case e.Ready:
		return "ready"
	}
	return "not ready"
}

func healthText(p *model.Prediction, n model.NodeShare) string {
	switch {
	case p.Type != "LoadBalancer" || p.Settings.LBMode == model.LBModePods:
		return "-"
	case !n.LBBackend:
		return "excluded"
	case p.Settings.LBMode == model.LBModeSingleNode:
		if n.Name == p.Settings.LBNode {
			return "announces IP"
		}
		return "standby"
	case n.LBHealthy:
		return "✓ healthy"
	}
	return "✗ failing"
}

func lbModeText(p *model.Prediction) string {
	if !p.Source.IsLB() || p.Settings.LBMode == "" {
		return ""
	}
	if p.Settings.LBNode != "" {
		return fmt.Sprintf(" (load balancer mode %s, announced by %s)", p.Settings.LBMode, p.Settings.LBNode)
	}
	return fmt.Sprintf(" (load balancer mode %s)", p.Settings.LBMode)
}

func clientIPText(p *model.Prediction) string {
	if p.Type == "ExternalName" {
		return "not applicable (no proxying: a DNS CNAME)"
	}
	if p.ClientIPPreserved {
		return "preserved (pods see the client's address)"
	}
	return "lost (SNAT: pods see a node or load-balancer address)"
}

func timeoutText(s model.Settings) string {
	if s.SessionAffinity != "ClientIP" {
		return ""
	}
	return fmt.Sprintf(" (timeout %ds)", s.SessionAffinityTimeoutSeconds)
}

// OrDash stands "-" in for an empty cell.
func OrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// errWriter keeps the first write error so the table code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, a ...any) { fmt.Fprintf(e, format, a...) }

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func observedText(e model.EndpointShare) string {
	if e.ObservedShare == nil {
		return "no data"
	}
	return Percent(*e.ObservedShare)
}
