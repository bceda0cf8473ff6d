package whatif

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/picker"
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

// choices lists what a row offers, in the order l steps through them:
// nodes hosting the Service's endpoints first (before is the Service's
// own prediction), then the others, so the first node with a pod is one
// press away whatever the cluster's size; hosting counts those first
// nodes. An item's note says why it is where it is; the picker shows it.
func (r row) choices(snap *model.Snapshot, before *model.Prediction) (items []picker.Item, hosting int) {
	values := func(vs []string) []picker.Item {
		out := make([]picker.Item, len(vs))
		for i, v := range vs {
			out[i] = picker.Item{Value: v}
		}
		return out
	}
	switch {
	case r.key == model.KeySessionAffinityTimeoutSeconds:
		return values(timeoutChoices), 0
	case r.key == model.KeyLBNode, r.drill == model.DrillNodeDown, r.drill == model.DrillNodeCordon:
		return picker.NodeItems(snap, before)
	case r.drill == model.DrillZoneDown:
		return zoneItems(snap), 0
	case r.drill == model.DrillPodNotReady:
		var out []picker.Item
		if before != nil {
			for _, e := range before.Endpoints {
				if e.Pod != "" {
					out = append(out, picker.Item{Value: e.Pod, Note: e.Node})
				}
			}
		}
		return out, 0
	case r.drill == model.DrillScale:
		nodes, hosting := picker.NodeItems(snap, before)
		out := make([]picker.Item, 0, 2*len(nodes)+hosting)
		for i, n := range nodes {
			out = append(out, picker.Item{Value: n.Value + ":+1", Note: n.Note}, picker.Item{Value: n.Value + ":+2", Note: n.Note})
			if i < hosting {
				out = append(out, picker.Item{Value: n.Value + ":-1", Note: n.Note})
			}
		}
		return out, hosting
	}
	return values(model.OverrideValues(r.key)), 0
}

// cycle is what l and h step through: the choices, after "" (as is, for
// the LB node; no drill, for drills) where the row has one.
func (r row) cycle(items []picker.Item) []string {
	out := make([]string, 0, len(items)+1)
	if r.drill != "" || r.key == model.KeyLBNode {
		out = append(out, "")
	}
	for _, it := range items {
		out = append(out, it.Value)
	}
	return out
}

// noun names a row's choices in the hint that offers the picker.
func (r row) noun() string {
	switch {
	case r.key == model.KeyLBNode, r.drill == model.DrillNodeDown, r.drill == model.DrillNodeCordon:
		return "nodes"
	case r.drill == model.DrillPodNotReady:
		return "pods"
	case r.drill == model.DrillZoneDown:
		return "zones"
	case r.drill == model.DrillScale:
		return "changes"
	}
	return "choices"
}

func zoneItems(snap *model.Snapshot) []picker.Item {
	if snap == nil {
		return nil
	}
	nodes := map[string]int{}
	var zones []string
	for _, n := range snap.Nodes {
		if n.Zone == "" {
			continue
		}
		if nodes[n.Zone] == 0 {
			zones = append(zones, n.Zone)
		}
		nodes[n.Zone]++
	}
	slices.Sort(zones)
	out := make([]picker.Item, len(zones))
	for i, z := range zones {
		out[i] = picker.Item{Value: z, Note: common.Counted(nodes[z], "node")}
	}
	return out
}

// text is how the panel shows a value: a load balancer left to pick
// its node is "auto", and anything else unset is what every other
// screen shows (report.SettingText).
func (r row) text(v string) string {
	if v == "" && r.key == model.KeyLBNode {
		return "auto"
	}
	return report.SettingText(r.key, v)
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
func (r row) step(e Edit, base model.Settings, shown *model.Settings, choices []string, dir int) (Edit, error) {
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
