package whatif

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ktraffic/ktraffic/model"
)

// row is one line of the panel: an override key or a drill kind.
type row struct {
	key   string
	label string
	drill model.DrillKind // "" for an override row
}

var rows = []row{
	{key: model.KeyExternalTrafficPolicy, label: "externalTrafficPolicy"},
	{key: model.KeyInternalTrafficPolicy, label: "internalTrafficPolicy"},
	{key: model.KeySessionAffinity, label: "sessionAffinity"},
	{key: model.KeySessionAffinityTimeoutSeconds, label: "affinity timeout (s)"},
	{key: model.KeyTrafficDistribution, label: "trafficDistribution"},
	{key: model.KeyLBMode, label: "LB mode"},
	{key: model.KeyLBNode, label: "LB announcing node"},
	{label: "node down", drill: model.DrillNodeDown},
	{label: "node cordoned", drill: model.DrillNodeCordon},
	{label: "zone lost", drill: model.DrillZoneDown},
	{label: "pod not ready", drill: model.DrillPodNotReady},
	{label: "scale pods on node", drill: model.DrillScale},
}

// FirstDrillRow is where the panel's drill section starts.
const FirstDrillRow = 7

// timeoutChoices are the affinity timeouts worth comparing: the default,
// short ones that behave like no affinity, and the API server's maximum.
var timeoutChoices = []string{"10800", "60", "600", "3600", strconv.Itoa(model.MaxSessionAffinityTimeout)}

// choices lists what a row cycles through. "" means "as is" for the LB
// node and "no drill" for drills.
func (r row) choices(snap *model.Snapshot, before *model.Prediction) []string {
	if r.drill == "" {
		switch r.key {
		case model.KeySessionAffinityTimeoutSeconds:
			return timeoutChoices
		case model.KeyLBNode:
			return append([]string{""}, nodeNames(snap)...)
		}
		return model.OverrideValues(r.key)
	}
	out := []string{""}
	switch r.drill {
	case model.DrillNodeDown, model.DrillNodeCordon:
		out = append(out, nodeNames(snap)...)
	case model.DrillZoneDown:
		var zones []string
		for _, n := range snap.Nodes {
			if n.Zone != "" && !slices.Contains(zones, n.Zone) {
				zones = append(zones, n.Zone)
			}
		}
		slices.Sort(zones)
		out = append(out, zones...)
	case model.DrillPodNotReady:
		if before != nil {
			for _, e := range before.Endpoints {
				if e.Pod != "" {
					out = append(out, e.Pod)
				}
			}
		}
	case model.DrillScale:
		have := map[string]int{}
		if before != nil {
			for _, e := range before.Endpoints {
				have[e.Node]++
			}
		}
		for _, n := range nodeNames(snap) {
			out = append(out, n+":+1", n+":+2")
			if have[n] > 0 {
				out = append(out, n+":-1")
			}
		}
	}
	return out
}

// value is what the row shows: the edit's value, else the Service's own.
func (r row) value(e Edit, base model.Settings) (v string, changed bool) {
	if r.drill != "" {
		d, ok := e.Drill(r.drill)
		if !ok {
			return "", false
		}
		if d.Kind == model.DrillScale {
			return fmt.Sprintf("%s:%+d", d.Target, d.Delta), true
		}
		return d.Target, true
	}
	if v, ok := e.Override(r.key); ok {
		return v, v != base.Value(r.key)
	}
	return base.Value(r.key), false
}

// step returns the edit with row r moved dir choices along. Landing on
// the Service's own value clears the override, so the patch carries only
// what really changes.
// shown, when known, is the what-if's own effective settings: stepping
// starts from the value on screen, knock-on ones included.
func (r row) step(e Edit, base model.Settings, shown *model.Settings, snap *model.Snapshot, before *model.Prediction, dir int) (Edit, error) {
	choices := r.choices(snap, before)
	if len(choices) == 0 {
		return e, nil
	}
	cur, changed := r.value(e, base)
	if !changed && r.drill == "" && shown != nil {
		cur = shown.Value(r.key)
	}
	i := slices.Index(choices, cur)
	switch {
	case i < 0 && dir < 0:
		i = len(choices) - 1
	case i < 0:
		i = 0
	default:
		i = (i + dir + len(choices)) % len(choices)
	}
	return r.set(e, base, choices[i])
}

func (r row) set(e Edit, base model.Settings, v string) (Edit, error) {
	e = e.clone()
	if r.drill != "" {
		return e, e.SetDrill(r.drill, v)
	}
	if v == base.Value(r.key) || v == "" {
		e.clearOverride(r.key)
		return e, nil
	}
	return e, e.Overrides.Set(r.key, v)
}

// reset clears the row's part of the edit.
func (r row) reset(e Edit) Edit {
	e = e.clone()
	if r.drill != "" {
		_ = e.SetDrill(r.drill, "")
		return e
	}
	e.clearOverride(r.key)
	return e
}

func nodeNames(snap *model.Snapshot) []string {
	if snap == nil {
		return nil
	}
	out := make([]string, 0, len(snap.Nodes))
	for _, n := range snap.Nodes {
		out = append(out, n.Name)
	}
	slices.Sort(out)
	return out
}
