package flow

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
)

// Observed is traffic measured for the prediction shown: the same
// prediction with model.AttachObserved applied, when it was measured,
// and what failed. The flow view draws it under the graph, pod by pod
// and node by node beside what it predicts.
type Observed struct {
	// From names the metrics ("istio metrics via Prometheus").
	From string
	// Pred is the prediction it was measured for, with Observed set; nil
	// while the first measurement runs.
	Pred  *model.Prediction
	At    time.Time
	Every time.Duration
	Err   error
}

// SetObserved shows o under the graph; nil shows nothing.
func (m *Model) SetObserved(o *Observed) { m.observed = o }

// ObservedShown is the measurement drawn with p, nil when none is.
func (m *Model) ObservedShown(p *model.Prediction) *Observed { return m.observedFor(p) }

// observedFor is the measurement that belongs to p: the same Service from
// the same source (an older one stays until a new one comes).
func (m *Model) observedFor(p *model.Prediction) *Observed {
	o := m.observed
	if o == nil || p == nil || (o.Pred != nil && (o.Pred.Service != p.Service || o.Pred.Source != p.Source)) {
		return nil
	}
	return o
}

// observedLines draws the measurement: a heading that says where it
// came from and when, then pods and nodes with predicted, observed, the
// gap and its grade, then the likely reasons for a gap.
func observedLines(p *model.Prediction, o *Observed, st *themes.Styles, width int) []string {
	if o == nil {
		return nil
	}
	sep := st.Faint.Render(" · ")
	head := st.Title.Render("Observed") + "  " + st.Muted.Render(o.From)
	switch {
	case o.Err != nil:
		// The reason is what the user acts on: it wraps whole, never cut.
		out := []string{"", head}
		for i, l := range common.Wrap("could not measure: "+model.Printable(o.Err.Error()), max(20, width-2)) {
			if i == 0 {
				out = append(out, "  "+st.ErrorMessage.Render("could not measure: ")+st.Text.Render(strings.TrimPrefix(l, "could not measure: ")))
				continue
			}
			out = append(out, "    "+st.Text.Render(l))
		}
		return out
	case o.Pred == nil || o.Pred.Observed == nil:
		return []string{"", head + sep + st.Muted.Render("measuring…")}
	}
	sum := o.Pred.Observed
	when := "at " + o.At.Format("15:04:05")
	if o.Every > 0 {
		when += ", again every " + o.Every.String()
	}
	if sum.WindowSeconds > 0 {
		head += sep + st.Muted.Render(fmt.Sprintf("%s window", time.Duration(sum.WindowSeconds*float64(time.Second))))
	}
	head += sep + st.Muted.Render(when) + sep + gapStyle(st, sum.Level).Render(string(sum.Level))
	out := []string{"", head}
	if sum.PodsWithData == 0 && sum.TotalRate > 0 {
		out = append(out, "  "+st.Text.Render(fmt.Sprintf("%.3g requests/s in total; this metric does not say which pod served them", sum.TotalRate)))
	}

	var predWithData float64
	for _, e := range o.Pred.Endpoints {
		if e.ObservedShare != nil {
			predWithData += e.Share
		}
	}
	nameW := 10
	for _, e := range o.Pred.Endpoints {
		nameW = max(nameW, len([]rune(e.Pod)))
	}
	nameW = min(nameW, max(10, width-48))
	row := func(name, pred, obs, gap string, level model.GapLevel) string {
		line := "  " + st.Text.Render(fmt.Sprintf("%-*s", nameW, clip(name, nameW))) + "  " + st.Muted.Render(fmt.Sprintf("%9s", pred)) +
			"  " + st.Bold.Render(fmt.Sprintf("%9s", obs)) + "  " + st.Text.Render(fmt.Sprintf("%10s", gap))
		if level != "" {
			line += "  " + gapStyle(st, level).Render(string(level))
		}
		return line
	}
	heading := func(name string) string {
		return "  " + st.ColumnHead.Render(fmt.Sprintf("%-*s  %9s  %9s  %10s", nameW, name, "predicted", "observed", "gap"))
	}
	if sum.PodsWithData > 0 {
		out = append(out, heading("pod"))
		for _, e := range o.Pred.Endpoints {
			obs, gap := "no data", ""
			if e.ObservedShare != nil && predWithData > 0 {
				obs, gap = pctText(*e.ObservedShare), pointsText(*e.ObservedShare-e.Share/predWithData)
			}
			out = append(out, row(e.Pod, pctText(e.Share), obs, gap, e.ObservedLevel))
		}
		if nodes := model.ObservedByNode(o.Pred); len(nodes) > 1 {
			out = append(out, heading("pods on node"))
			for _, n := range nodes {
				obs, gap := "no data", ""
				if n.Observed != nil {
					obs, gap = pctText(*n.Observed), pointsText(*n.Observed-n.Predicted)
				}
				out = append(out, row(n.Node, pctText(n.Predicted), obs, gap, n.Level))
			}
		}
	}
	for _, x := range sum.Explanations {
		for i, l := range common.Wrap("likely: "+x, max(20, width-4)) {
			if i == 0 {
				l = strings.TrimPrefix(l, "likely: ")
				out = append(out, "  "+st.Levels["warning"].Render("likely: ")+st.Text.Render(l))
				continue
			}
			out = append(out, "    "+st.Text.Render(l))
		}
	}
	return out
}

func gapStyle(st *themes.Styles, l model.GapLevel) lipgloss.Style {
	switch l {
	case model.GapHealthy:
		return st.Healthy
	case model.GapDegraded:
		return st.Levels["warning"]
	case model.GapFailure:
		return st.Levels["error"]
	}
	return st.Levels["unknown"]
}

func pctText(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

func pointsText(d float64) string {
	if d > -0.0005 && d < 0.0005 {
		return "±0.0 pts"
	}
	return fmt.Sprintf("%+.1f pts", 100*d)
}
