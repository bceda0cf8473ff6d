package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// sourceChangeRows is SourceChangeCells as indented table rows.
func sourceChangeRows(cs []model.SourceChange) []string {
	var rows []string
	for _, r := range SourceChangeCells(cs) {
		rows = append(rows, "  "+cells(r...))
	}
	return rows
}

// SourceChangeCells is the per-source summary of a what-if, a heading
// and one row per source in the order given (worst first): what diff
// prints and the TUI's before/after screen draws.
func SourceChangeCells(cs []model.SourceChange) [][]string {
	rows := [][]string{{"SOURCE", "CHANGE", "DROPPED", "REJECTED", "CROSS-ZONE", "CLIENT IP", "NODES LOSING TRAFFIC"}}
	for _, c := range cs {
		drop, rej, cz := changeText(c.Dropped), changeText(c.Rejected), changeText(c.CrossZone)
		if slices.Contains(c.Unknown, model.UnknownEndpoints) {
			drop, rej, cz = "?", "?", "?"
		}
		ip := ipWord(c.Source, c.ClientIPPreserved.After)
		if c.ClientIPPreserved.Changed() {
			ip = ipWord(c.Source, c.ClientIPPreserved.Before) + " → " + ipWord(c.Source, c.ClientIPPreserved.After)
		}
		losing := losingText(c.NodesLosing.After, c.LosingNodes)
		if c.NodesLosing.Before != c.NodesLosing.After {
			losing = fmt.Sprintf("%d → %s", c.NodesLosing.Before, losing)
		}
		rows = append(rows, []string{SourceName(c.Source), c.Verdict, drop, rej, cz, ip, losing})
	}
	return rows
}

// changeText is "0.0%" when a share does not move, "0.0% → 33.3%" when it
// does.
func changeText(c model.NumberChange) string {
	if !c.Changed() {
		return Percent(c.After)
	}
	return Percent(c.Before) + " → " + Percent(c.After)
}

// EffectLabel heads Effect's sentence: "Worst" when a source gets worse,
// "Effect" when the change only moves or improves things.
func EffectLabel(c model.SourceChange) string {
	if c.Verdict == model.VerdictWorse || c.Verdict == model.VerdictMixed {
		return "Worst"
	}
	return "Effect"
}

// Effect says in one sentence what a change does to one source, the
// worst of it first: what the confirmation of an apply names.
func Effect(c model.SourceChange) string {
	who := SourceName(c.Source)
	lost := c.Lost()
	switch {
	case lost.Delta > 0:
		verb := "dropped (clients time out)"
		switch {
		case c.Rejected.Delta > 0 && c.Dropped.Delta <= 0:
			verb = "refused"
		case c.Rejected.Delta > 0:
			verb = "dropped or refused"
		}
		where := ""
		switch n := c.NodesLosing.After; {
		case n == 1:
			where = ", at " + c.LosingNodes[0]
		case n > 1:
			where = fmt.Sprintf(", at %d nodes (%s)", n, strings.TrimPrefix(losingText(n, c.LosingNodes), fmt.Sprintf("%d: ", n)))
		}
		return fmt.Sprintf("%s: %s of this traffic %s, was %s%s", who, Percent(lost.After), verb, Percent(lost.Before), where)
	case c.ClientIPPreserved.Before && !c.ClientIPPreserved.After:
		return who + ": the client IP is lost (pods see a node address)"
	case worstFinding(c.FindingsAppeared) != nil:
		f := worstFinding(c.FindingsAppeared)
		s := fmt.Sprintf("%s: new %s %s", who, f.Level, f.Code)
		if c.MaxPodShift > 0 {
			s += ", pod shares move by up to " + strings.TrimPrefix(Points(c.MaxPodShift), "+")
		}
		return s
	case c.CrossZone.Delta > 0:
		return fmt.Sprintf("%s: cross-zone traffic %s", who, changeText(c.CrossZone))
	case c.Verdict == model.VerdictUnchanged:
		return who + ": no change"
	case lost.Delta < 0:
		return fmt.Sprintf("%s: lost traffic falls from %s to %s", who, Percent(lost.Before), Percent(lost.After))
	case !c.ClientIPPreserved.Before && c.ClientIPPreserved.After:
		return who + ": the client IP is kept"
	case c.CrossZone.Delta < 0:
		return fmt.Sprintf("%s: cross-zone traffic %s", who, changeText(c.CrossZone))
	}
	return fmt.Sprintf("%s: pod shares move by up to %s", who, strings.TrimPrefix(Points(c.MaxPodShift), "+"))
}

// TransitionText says what the load balancer does until its probes
// notice the change.
func TransitionText(t *model.Transition) string {
	targets := strings.Join(t.Targets, ", ")
	if len(t.Targets) > 5 {
		targets = fmt.Sprintf("%s and %d more", strings.Join(t.Targets[:5], ", "), len(t.Targets)-5)
	}
	if t.TargetKind == "pods" {
		targets = "pod targets " + targets
	}
	how := "dropped there: clients time out"
	if t.Rejected > 0 && t.Dropped == 0 {
		how = "refused there"
	}
	them := "them"
	if len(t.Targets) == 1 {
		them = "it"
	}
	window := "until its health probe marks " + them + " down (probe interval × unhealthy threshold, not known for this load balancer)"
	if t.Seconds > 0 {
		window = fmt.Sprintf("for up to %ds (%s probe every %ds × %d failures)", t.Seconds, providerName(t.Provider), t.IntervalSeconds, t.UnhealthyThreshold)
	}
	return fmt.Sprintf("the load balancer keeps sending new connections to %s %s: %s of its traffic, %s.",
		targets, window, Percent(t.Dropped+t.Rejected), how)
}

// worstFinding is the most severe warning or error among fs, nil when
// there is none.
func worstFinding(fs []model.Finding) *model.Finding {
	var worst *model.Finding
	for i := range fs {
		if fs[i].Level.Rank() >= model.LevelWarning.Rank() && (worst == nil || fs[i].Level.Rank() > worst.Level.Rank()) {
			worst = &fs[i]
		}
	}
	return worst
}

func providerName(p string) string {
	switch p {
	case model.ProviderAzure:
		return "Azure"
	case model.ProviderAWS:
		return "AWS"
	case model.ProviderGCP:
		return "GCP"
	}
	return p
}

// AlreadySetText says that an override is the Service's own value, and
// what is really missing when that is known.
func AlreadySetText(a model.AlreadySet) string {
	s := fmt.Sprintf("%s=%s is already the Service's value: applying it changes nothing", a.Key, a.Value)
	if a.Missing != "" {
		s += "; what is missing: " + a.Missing
	}
	return s + "."
}
