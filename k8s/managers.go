package k8s

import (
	"bytes"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"
)

// fieldManagers names the managers that hold path (dotted, e.g.
// "spec.trafficDistribution") or anything below it on the object,
// with their operation: `helm (Update)`.
func fieldManagers(live *corev1.Service, path string) []string {
	want := "." + path
	var out []string
	for _, mf := range live.ManagedFields {
		if mf.FieldsV1 == nil || mf.Subresource != "" {
			continue
		}
		var set fieldpath.Set
		if err := set.FromJSON(bytes.NewReader(mf.FieldsV1.GetRawBytes())); err != nil {
			continue
		}
		holds := false
		set.Iterate(func(p fieldpath.Path) {
			s := p.String()
			if s == want || strings.HasPrefix(s, want+".") {
				holds = true
			}
		})
		if holds {
			out = append(out, mf.Manager+" ("+string(mf.Operation)+")")
		}
	}
	sort.Strings(out)
	return out
}

// otherManagers is fieldManagers without ktraffic's own apply.
func otherManagers(live *corev1.Service, path string) []string {
	var out []string
	for _, m := range fieldManagers(live, path) {
		if m != FieldManager+" (Apply)" {
			out = append(out, m)
		}
	}
	return out
}
