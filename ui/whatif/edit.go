package whatif

import (
	"slices"
	"strings"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/compare"
)

// Edit is a what-if in progress: setting overrides and failure drills.
// It is a value: the panel builds a candidate, and only a candidate the
// model accepts replaces the edit, so a refused change loses nothing.
type Edit struct {
	Overrides model.Overrides
	Drills    []model.Drill // at most one per kind: the panel has a row per kind
}

// Empty reports whether the edit changes nothing.
func (e Edit) Empty() bool { return e.Overrides.Empty() && len(e.Drills) == 0 }

// Words is the edit as `ktraffic diff` arguments.
func (e Edit) Words() []string { return compare.Words(e.Overrides, e.Drills) }

func (e Edit) clone() Edit {
	e.Drills = slices.Clone(e.Drills)
	return e
}

// Drill is the edit's drill of kind, if it has one.
func (e Edit) Drill(kind model.DrillKind) (model.Drill, bool) {
	for _, d := range e.Drills {
		if d.Kind == kind {
			return d, true
		}
	}
	return model.Drill{}, false
}

// SetDrill replaces the drill of kind; "" removes it.
func (e *Edit) SetDrill(kind model.DrillKind, value string) error {
	e.Drills = slices.DeleteFunc(e.Drills, func(d model.Drill) bool { return d.Kind == kind })
	if value == "" {
		return nil
	}
	d, err := model.ParseDrill(string(kind) + "=" + value)
	if err != nil {
		return err
	}
	e.Drills = append(e.Drills, d)
	return nil
}

// Override is the edit's value for key, if it sets one.
func (e Edit) Override(key string) (string, bool) {
	for _, p := range e.Overrides.Pairs() {
		if k, v, _ := strings.Cut(p, "="); k == key {
			return v, true
		}
	}
	return "", false
}

func (e *Edit) clearOverride(key string) {
	o := &e.Overrides
	switch key {
	case model.KeyExternalTrafficPolicy:
		o.ExternalTrafficPolicy = nil
	case model.KeyInternalTrafficPolicy:
		o.InternalTrafficPolicy = nil
	case model.KeySessionAffinity:
		o.SessionAffinity = nil
	case model.KeySessionAffinityTimeoutSeconds:
		o.SessionAffinityTimeoutSeconds = nil
	case model.KeyTrafficDistribution:
		o.TrafficDistribution = nil
	case model.KeyLBMode:
		o.LBMode = nil
	case model.KeyLBNode:
		o.LBNode = nil
	}
}
