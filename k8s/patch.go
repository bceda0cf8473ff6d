package k8s

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/ktraffic/ktraffic/model"
)

// FieldManager is the name ktraffic's changes are recorded under in a
// Service's managedFields.
const FieldManager = "ktraffic"

// FieldChange is one Service field a patch changes. To is "" when the
// patch removes the field.
type FieldChange struct {
	Path string
	From string
	To   string
}

// Patch is a what-if turned into the Service apply configuration that
// server-side apply sends. It lives in k8s, not model, because its object
// is client-go's apply configuration and model stays free of API types.
type Patch struct {
	Namespace, Name string
	// Changes are the fields the user changes, in a stable order.
	Changes []FieldChange
	// Kept are fields ktraffic manages from an earlier apply, sent again
	// unchanged: server-side apply deletes a manager's fields that its next
	// apply leaves out.
	Kept []string
	// Config is the object sent.
	Config *corev1ac.ServiceApplyConfiguration
	// Holders maps a changed field's path to the other field managers that
	// hold it on the live Service: the ones an apply conflicts with, or
	// takes the field from under --force-conflicts.
	Holders map[string][]string
}

// Empty reports whether the patch changes nothing.
func (p *Patch) Empty() bool { return len(p.Changes) == 0 }

// NewPatch builds the patch of a what-if against a Service as a snapshot
// has it. Without managedFields it cannot know what ktraffic applied
// before; use NewLivePatch for what is sent.
func NewPatch(svc *model.Service, o model.Overrides) (*Patch, error) {
	return buildPatch(svc, nil, o)
}

// NewLivePatch builds the patch against the live Service, keeping the
// fields ktraffic already manages there.
func NewLivePatch(live *corev1.Service, o model.Overrides) (*Patch, error) {
	owned, err := corev1ac.ExtractService(live, FieldManager)
	if err != nil {
		return nil, fmt.Errorf("reading what %s manages on %s/%s: %w", FieldManager, live.Namespace, live.Name, err)
	}
	svc := FromService(live)
	p, err := buildPatch(&svc, owned, o)
	if err != nil {
		return nil, err
	}
	// Removing a field with server-side apply works only for fields no
	// other manager holds; say who holds it rather than send a no-op.
	for _, c := range p.Changes {
		others := otherManagers(live, c.Path)
		if len(others) > 0 {
			if p.Holders == nil {
				p.Holders = map[string][]string{}
			}
			p.Holders[c.Path] = others
		}
		if c.To == "" && len(others) > 0 {
			return nil, fmt.Errorf("cannot remove %s from %s/%s: it is set by %s, and server-side apply only removes fields %s alone manages; remove it where it is defined",
				c.Path, live.Namespace, live.Name, strings.Join(others, ", "), FieldManager)
		}
	}
	return p, nil
}

// current holds a Service's effective traffic settings (the model's
// OwnSettings: the API server's defaults filled in), in the Service's
// own spelling.
type current struct {
	etp, itp, affinity, distribution string
	timeout                          int32
}

func currentOf(svc *model.Service) current {
	s := model.OwnSettings(svc)
	return current{etp: string(s.ExternalTrafficPolicy), itp: string(s.InternalTrafficPolicy), affinity: string(s.SessionAffinity),
		distribution: s.TrafficDistribution, timeout: s.SessionAffinityTimeoutSeconds}
}

// Service field paths, as managedFields and validation errors name them.
const (
	pathETP          = "spec.externalTrafficPolicy"
	pathITP          = "spec.internalTrafficPolicy"
	pathAffinity     = "spec.sessionAffinity"
	pathTimeout      = "spec.sessionAffinityConfig.clientIP.timeoutSeconds"
	pathDistribution = "spec.trafficDistribution"
)

func buildPatch(svc *model.Service, owned *corev1ac.ServiceApplyConfiguration, o model.Overrides) (*Patch, error) {
	if keys := o.NotServiceFields(); len(keys) > 0 {
		return nil, fmt.Errorf("%s: not a Service field (ktraffic's model of the load balancer), so there is nothing to apply; use it with predict or diff", strings.Join(keys, ", "))
	}
	cur := currentOf(svc)
	ac := owned
	if ac == nil || ac.Name == nil {
		ac = corev1ac.Service(svc.Name, svc.Namespace)
	}
	spec := ac.Spec
	if spec == nil {
		spec = corev1ac.ServiceSpec()
	}
	p := &Patch{Namespace: svc.Namespace, Name: svc.Name}
	change := func(path, from, to string) {
		p.Changes = append(p.Changes, FieldChange{Path: path, From: from, To: to})
	}

	if v := o.ExternalTrafficPolicy; v != nil && *v != cur.etp {
		spec.WithExternalTrafficPolicy(corev1.ServiceExternalTrafficPolicy(*v))
		change(pathETP, cur.etp, *v)
	}
	if v := o.InternalTrafficPolicy; v != nil && *v != cur.itp {
		spec.WithInternalTrafficPolicy(corev1.ServiceInternalTrafficPolicy(*v))
		change(pathITP, cur.itp, *v)
	}
	affinity := cur.affinity
	if v := o.SessionAffinity; v != nil && *v != cur.affinity {
		affinity = *v
		spec.WithSessionAffinity(corev1.ServiceAffinity(*v))
		change(pathAffinity, cur.affinity, *v)
	}
	if affinity == string(corev1.ServiceAffinityNone) {
		// The API server drops sessionAffinityConfig under None; a timeout
		// ktraffic sent before would contradict that.
		spec.SessionAffinityConfig = nil
	} else if v := o.SessionAffinityTimeoutSeconds; v != nil && *v != cur.timeout {
		spec.WithSessionAffinityConfig(corev1ac.SessionAffinityConfig().WithClientIP(corev1ac.ClientIPConfig().WithTimeoutSeconds(*v)))
		change(pathTimeout, strconv.Itoa(int(cur.timeout)), strconv.Itoa(int(*v)))
	}
	if v := o.TrafficDistribution; v != nil && *v != cur.distribution {
		if *v == "" {
			spec.TrafficDistribution = nil
		} else {
			spec.WithTrafficDistribution(*v)
		}
		change(pathDistribution, cur.distribution, *v)
	}
	ac.Spec = nil
	if !reflect.ValueOf(*spec).IsZero() {
		ac.WithSpec(spec)
	}
	p.Config = ac
	if owned != nil {
		var err error
		if p.Kept, err = keptFields(owned, p.Changes); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// keptFields lists the leaf fields of ac that no change touches, as
// dotted paths.
func keptFields(ac *corev1ac.ServiceApplyConfiguration, changes []FieldChange) ([]string, error) {
	raw, err := json.Marshal(ac)
	if err != nil {
		return nil, err
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	delete(obj, "apiVersion")
	delete(obj, "kind")
	if md, ok := obj["metadata"].(map[string]any); ok {
		delete(md, "name")
		delete(md, "namespace")
	}
	changed := map[string]bool{}
	for _, c := range changes {
		changed[c.Path] = true
	}
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		if m, ok := v.(map[string]any); ok && len(m) > 0 {
			for k, child := range m {
				walk(strings.TrimPrefix(prefix+"."+k, "."), child)
			}
			return
		}
		if m, ok := v.(map[string]any); ok && len(m) == 0 {
			return
		}
		if !changed[prefix] {
			out = append(out, prefix)
		}
	}
	walk("", obj)
	sort.Strings(out)
	return out, nil
}

// YAML renders the object sent, with a comment line per removed field
// (a removal is an absence, which YAML cannot show).
func (p *Patch) YAML() (string, error) {
	b, err := yaml.Marshal(p.Config)
	if err != nil {
		return "", err
	}
	var head strings.Builder
	for _, c := range p.Changes {
		if c.To == "" {
			fmt.Fprintf(&head, "# removes %s (was %s)\n", c.Path, c.From)
		}
	}
	return head.String() + string(b), nil
}

// Summary is one line per change, "spec.externalTrafficPolicy: Cluster → Local".
func (p *Patch) Summary() []string {
	var out []string
	for _, c := range p.Changes {
		from, to := c.From, c.To
		if from == "" {
			from = "(unset)"
		}
		if to == "" {
			to = "(removed)"
		}
		out = append(out, fmt.Sprintf("%s: %s → %s", c.Path, from, to))
	}
	return out
}
