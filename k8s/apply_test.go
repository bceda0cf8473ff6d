package k8s

import (
	"context"
	"errors"
	"strings"
	"testing"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

var servicesGVR = schema.GroupVersionResource{Version: "v1", Resource: "services"}

// fakeCluster is a fake clientset holding one Service, created by
// manager, that answers access reviews with allow, and runs dry-run
// applies against a throwaway copy of its state so they persist nothing,
// as the API server does.
type fakeCluster struct {
	*fake.Clientset
	allow   map[string]bool // verb → allowed; missing = allowed
	reason  string
	patches []k8stesting.PatchActionImpl
}

func newFakeCluster(t *testing.T, svc *corev1.Service, manager string) *fakeCluster {
	t.Helper()
	c := &fakeCluster{Clientset: fake.NewClientset(), allow: map[string]bool{}}
	if _, err := c.CoreV1().Services(svc.Namespace).Create(context.Background(), svc, metav1.CreateOptions{FieldManager: manager}); err != nil {
		t.Fatal(err)
	}
	c.PrependReactor("create", "selfsubjectaccessreviews", func(a k8stesting.Action) (bool, runtime.Object, error) {
		r := a.(k8stesting.CreateAction).GetObject().(*authorizationv1.SelfSubjectAccessReview).DeepCopy()
		allowed, set := c.allow[r.Spec.ResourceAttributes.Verb]
		r.Status.Allowed = !set || allowed
		if !r.Status.Allowed {
			r.Status.Reason = c.reason
		}
		return true, r, nil
	})
	c.PrependReactor("patch", "services", func(a k8stesting.Action) (bool, runtime.Object, error) {
		p := a.(k8stesting.PatchActionImpl)
		c.patches = append(c.patches, p)
		if len(p.PatchOptions.DryRun) == 0 {
			return false, nil, nil
		}
		cur, err := c.Tracker().Get(servicesGVR, p.Namespace, p.Name)
		if err != nil {
			return true, nil, err
		}
		scratch := fake.NewClientset()
		if err := scratch.Tracker().Add(cur); err != nil {
			return true, nil, err
		}
		obj, err := scratch.Invokes(p, &corev1.Service{})
		return true, obj, err
	})
	return c
}

func (c *fakeCluster) service(t *testing.T) *corev1.Service {
	t.Helper()
	s, err := c.CoreV1().Services("default").Get(context.Background(), "web", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func lbService() *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, SessionAffinity: corev1.ServiceAffinityNone,
			Ports: []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP}}},
	}
}

func TestApplyDryRunFirstWithOnlyTheChange(t *testing.T) {
	ctx := context.Background()
	c := newFakeCluster(t, lbService(), "helm")
	a := NewApplier(c, ApplyOptions{})
	if err := a.CheckAccess(ctx, "default", "web"); err != nil {
		t.Fatal(err)
	}
	p, live, err := a.Prepare(ctx, "default", "web", overrides(t, "externalTrafficPolicy=Local"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DryRun(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got := c.service(t).Spec.ExternalTrafficPolicy; got != "" {
		t.Fatalf("dry run persisted externalTrafficPolicy %q", got)
	}
	updated, err := a.Apply(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyLocal || c.service(t).Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyLocal {
		t.Fatalf("apply did not set Local: returned %q", updated.Spec.ExternalTrafficPolicy)
	}
	if len(c.patches) != 2 {
		t.Fatalf("sent %d patches, want a dry run and an apply", len(c.patches))
	}
	want := `{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default"},"spec":{"externalTrafficPolicy":"Local"}}`
	for i, p := range c.patches {
		if string(p.Patch) != want {
			t.Errorf("patch %d body = %s, want only the change: %s", i, p.Patch, want)
		}
		if p.PatchType != "application/apply-patch+yaml" {
			t.Errorf("patch %d type = %s, want server-side apply", i, p.PatchType)
		}
		if p.PatchOptions.FieldManager != "ktraffic" {
			t.Errorf("patch %d field manager = %q", i, p.PatchOptions.FieldManager)
		}
		if f := p.PatchOptions.Force; f != nil && *f {
			t.Errorf("patch %d forced without --force-conflicts", i)
		}
	}
	if d := c.patches[0].PatchOptions.DryRun; len(d) != 1 || d[0] != "All" {
		t.Errorf("first patch dryRun = %q, want [All]", d)
	}
	if d := c.patches[1].PatchOptions.DryRun; len(d) != 0 {
		t.Errorf("second patch dryRun = %q, want none", d)
	}
	// Access is reviewed for the Service itself, for get and patch.
	var verbs []string
	for _, act := range c.Actions() {
		if act.GetResource().Resource == "selfsubjectaccessreviews" {
			attrs := act.(k8stesting.CreateAction).GetObject().(*authorizationv1.SelfSubjectAccessReview).Spec.ResourceAttributes
			if attrs.Namespace != "default" || attrs.Name != "web" || attrs.Resource != "services" {
				t.Errorf("access review for %+v", attrs)
			}
			verbs = append(verbs, attrs.Verb)
		}
	}
	if strings.Join(verbs, ",") != "get,patch" {
		t.Errorf("reviewed verbs %q, want get,patch", verbs)
	}
	if live.Spec.HealthCheckNodePort != 0 {
		t.Fatal("fixture has a health check port")
	}
}

func TestApplyConflictNamesManagersAndIsNotForced(t *testing.T) {
	ctx := context.Background()
	svc := lbService()
	svc.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyCluster
	c := newFakeCluster(t, svc, "kubectl-client-side-apply")
	a := NewApplier(c, ApplyOptions{})
	p, _, err := a.Prepare(ctx, "default", "web", overrides(t, "externalTrafficPolicy=Local"))
	if err != nil {
		t.Fatal(err)
	}
	if h := p.Holders["spec.externalTrafficPolicy"]; strings.Join(h, ",") != "kubectl-client-side-apply (Update)" {
		t.Errorf("Holders = %v", p.Holders)
	}
	_, err = a.DryRun(ctx, p)
	var conflict *ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("dry run error = %v, want a conflict", err)
	}
	for _, want := range []string{`spec.externalTrafficPolicy is managed by "kubectl-client-side-apply"`, "--force-conflicts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}

	forced := NewApplier(c, ApplyOptions{ForceConflicts: true})
	if _, err := forced.DryRun(ctx, p); err != nil {
		t.Fatalf("forced dry run: %v", err)
	}
	if _, err := forced.Apply(ctx, p); err != nil {
		t.Fatalf("forced apply: %v", err)
	}
	last := c.patches[len(c.patches)-1]
	if last.PatchOptions.Force == nil || !*last.PatchOptions.Force {
		t.Error("--force-conflicts did not set force")
	}
	if got := fieldManagers(c.service(t), "spec.externalTrafficPolicy"); strings.Join(got, ",") != "ktraffic (Apply)" {
		t.Errorf("after a forced apply the field is held by %q", got)
	}
}

func TestApplyKeepsFieldsKtrafficManages(t *testing.T) {
	ctx := context.Background()
	c := newFakeCluster(t, lbService(), "helm")
	a := NewApplier(c, ApplyOptions{})
	first, _, err := a.Prepare(ctx, "default", "web", overrides(t, "externalTrafficPolicy=Local"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(ctx, first); err != nil {
		t.Fatal(err)
	}
	second, _, err := a.Prepare(ctx, "default", "web", overrides(t, "internalTrafficPolicy=Local"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(second.Kept, ",") != "spec.externalTrafficPolicy" {
		t.Errorf("Kept = %q", second.Kept)
	}
	svc, err := a.Apply(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if svc.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyLocal || svc.Spec.InternalTrafficPolicy == nil || *svc.Spec.InternalTrafficPolicy != corev1.ServiceInternalTrafficPolicyLocal {
		t.Errorf("second apply left externalTrafficPolicy=%q internalTrafficPolicy=%v", svc.Spec.ExternalTrafficPolicy, svc.Spec.InternalTrafficPolicy)
	}
}

func TestApplyRemovesTrafficDistribution(t *testing.T) {
	ctx := context.Background()
	svc := lbService()
	pc := "PreferClose"
	svc.Spec.TrafficDistribution = &pc

	// Set by another manager: server-side apply cannot remove it.
	c := newFakeCluster(t, svc.DeepCopy(), "helm")
	_, _, err := NewApplier(c, ApplyOptions{}).Prepare(ctx, "default", "web", overrides(t, "trafficDistribution=none"))
	if err == nil || !strings.Contains(err.Error(), `cannot remove spec.trafficDistribution from default/web: it is set by helm (Update)`) {
		t.Fatalf("error = %v", err)
	}

	// Set by ktraffic: leaving it out removes it.
	c = newFakeCluster(t, lbService(), "helm")
	a := NewApplier(c, ApplyOptions{})
	p, _, err := a.Prepare(ctx, "default", "web", overrides(t, "trafficDistribution=PreferClose"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(ctx, p); err != nil {
		t.Fatal(err)
	}
	p, _, err = a.Prepare(ctx, "default", "web", overrides(t, "trafficDistribution=none"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.Apply(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Spec.TrafficDistribution != nil {
		t.Errorf("trafficDistribution still %q", *got.Spec.TrafficDistribution)
	}
}

func TestApplyForbiddenAndInvalid(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{
			name: "forbidden",
			err:  apierrors.NewForbidden(servicesGVR.GroupResource(), "web", errors.New(`User "dev" cannot patch resource "services"`)),
			want: `forbidden: services "web" is forbidden: User "dev" cannot patch resource "services" (ask your cluster admin for get and patch on services in this namespace)`,
		},
		{
			name: "invalid",
			err: apierrors.NewInvalid(schema.GroupKind{Kind: "Service"}, "web", field.ErrorList{
				field.Invalid(field.NewPath("spec", "externalTrafficPolicy"), "Local", "may only be set for externally-accessible services"),
			}),
			want: `the API server refuses the change: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newFakeCluster(t, lbService(), "helm")
			c.PrependReactor("patch", "services", func(k8stesting.Action) (bool, runtime.Object, error) { return true, nil, tt.err })
			a := NewApplier(c, ApplyOptions{})
			p, _, err := a.Prepare(ctx, "default", "web", overrides(t, "externalTrafficPolicy=Local"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = a.DryRun(ctx, p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v\nwant it to contain %s", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "dry run of Service default/web failed: ") {
				t.Errorf("error does not say which step failed: %v", err)
			}
		})
	}
}

func TestCheckAccessDenied(t *testing.T) {
	c := newFakeCluster(t, lbService(), "helm")
	c.allow["patch"] = false
	c.reason = `RBAC: role "viewer" allows get, list, watch`
	err := NewApplier(c, ApplyOptions{}).CheckAccess(context.Background(), "default", "web")
	if err == nil {
		t.Fatal("denied access passed")
	}
	for _, want := range []string{"you may not patch Service default/web", "kubectl create role ktraffic-apply --verb=get,patch --resource=services -n default", `the API server says: RBAC: role "viewer"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestReadOnlySendsNothing(t *testing.T) {
	ctx := context.Background()
	c := newFakeCluster(t, lbService(), "helm")
	a := NewApplier(c, ApplyOptions{ReadOnly: true, ForceConflicts: true})
	p, _, err := a.Prepare(ctx, "default", "web", overrides(t, "externalTrafficPolicy=Local"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DryRun(ctx, p); !errors.Is(err, ErrReadOnly) {
		t.Errorf("dry run under read-only: %v", err)
	}
	if _, err := a.Apply(ctx, p); !errors.Is(err, ErrReadOnly) {
		t.Errorf("apply under read-only: %v", err)
	}
	for _, act := range c.Actions() {
		if v := act.GetVerb(); v != "get" && v != "list" && v != "watch" && !(v == "create" && act.GetResource().Resource == "selfsubjectaccessreviews") {
			if act.GetResource().Resource == "services" && v == "create" && act.GetNamespace() == "default" && len(c.patches) == 0 {
				continue // the fixture's own Service
			}
			t.Errorf("read-only sent %s %s", v, act.GetResource().Resource)
		}
	}
	if len(c.patches) != 0 {
		t.Errorf("read-only sent %d patches", len(c.patches))
	}
}

func TestApplyRefusesEmptyPatch(t *testing.T) {
	ctx := context.Background()
	c := newFakeCluster(t, lbService(), "helm")
	a := NewApplier(c, ApplyOptions{})
	p, _, err := a.Prepare(ctx, "default", "web", overrides(t, "externalTrafficPolicy=Cluster"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DryRun(ctx, p); err == nil || !strings.Contains(err.Error(), "nothing to apply") {
		t.Fatalf("error = %v", err)
	}
	if len(c.patches) != 0 {
		t.Fatal("an empty patch was sent")
	}
}

func TestApplyNoticesIgnoredChange(t *testing.T) {
	ctx := context.Background()
	c := newFakeCluster(t, lbService(), "helm")
	// A webhook (say) that resets the policy.
	c.PrependReactor("patch", "services", func(k8stesting.Action) (bool, runtime.Object, error) { return true, lbService(), nil })
	a := NewApplier(c, ApplyOptions{})
	p, _, err := a.Prepare(ctx, "default", "web", overrides(t, "externalTrafficPolicy=Local"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.DryRun(ctx, p)
	if err == nil || !strings.Contains(err.Error(), "accepted the request but spec.externalTrafficPolicy stays Cluster") {
		t.Fatalf("error = %v", err)
	}
}

func TestOutcome(t *testing.T) {
	before, after := lbService(), lbService()
	after.Spec.HealthCheckNodePort = 31845
	if got := Outcome(before, after); len(got) != 1 || !strings.HasPrefix(got[0], "healthCheckNodePort 31845 allocated") {
		t.Errorf("allocated: %q", got)
	}
	if got := Outcome(after, before); len(got) != 1 || !strings.HasPrefix(got[0], "healthCheckNodePort 31845 released") {
		t.Errorf("released: %q", got)
	}
	if got := Outcome(before, before); len(got) != 0 {
		t.Errorf("unchanged: %q", got)
	}
}
