package k8s

import (
	"context"
	"errors"
	"strings"
	"testing"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
)

// dialogFakeCluster holds one LoadBalancer Service whose
// externalTrafficPolicy kubectl set, allows every access review, and
// runs dry-run applies on a scratch copy so they persist nothing.
func dialogFakeCluster(t *testing.T) (*fake.Clientset, *[]k8stesting.PatchActionImpl) {
	t.Helper()
	c := fake.NewClientset()
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, SessionAffinity: corev1.ServiceAffinityNone,
			ExternalTrafficPolicy: corev1.ServiceExternalTrafficPolicyCluster,
			Ports:                 []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP}}}}
	if _, err := c.CoreV1().Services("default").Create(context.Background(), svc, metav1.CreateOptions{FieldManager: "kubectl"}); err != nil {
		t.Fatal(err)
	}
	c.PrependReactor("create", "selfsubjectaccessreviews", func(a k8stesting.Action) (bool, runtime.Object, error) {
		r := a.(k8stesting.CreateAction).GetObject().(*authorizationv1.SelfSubjectAccessReview).DeepCopy()
		r.Status.Allowed = true
		return true, r, nil
	})
	var patches []k8stesting.PatchActionImpl
	gvr := schema.GroupVersionResource{Version: "v1", Resource: "services"}
	c.PrependReactor("patch", "services", func(a k8stesting.Action) (bool, runtime.Object, error) {
		p := a.(k8stesting.PatchActionImpl)
		patches = append(patches, p)
		if len(p.PatchOptions.DryRun) == 0 {
			return false, nil, nil
		}
		cur, err := c.Tracker().Get(gvr, p.Namespace, p.Name)
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
	return c, &patches
}

// TestDialogApplierConflictThenForce drives the adapter the way the dialog
// does: check, dry run (a conflict with kubectl, handed over as data),
// forced dry run, forced apply.
func TestDialogApplierConflictThenForce(t *testing.T) {
	ctx := context.Background()
	c, patches := dialogFakeCluster(t)
	ap := NewDialogApplier(NewApplier(c, ApplyOptions{}), NewApplier(c, ApplyOptions{ForceConflicts: true}))
	var o model.Overrides
	if err := o.Set(model.KeyExternalTrafficPolicy, "Local"); err != nil {
		t.Fatal(err)
	}
	if err := ap.Check(ctx, "default/web"); err != nil {
		t.Fatal(err)
	}
	_, err := ap.DryRun(ctx, "default/web", o, false)
	var conflict *apply.ConflictError
	if !errors.As(err, &conflict) || strings.Join(conflict.Fields[".spec.externalTrafficPolicy"], ",") != "kubectl" {
		t.Fatalf("dry run: err %v, conflict %+v", err, conflict)
	}
	dry, err := ap.DryRun(ctx, "default/web", o, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dry.Patch, "externalTrafficPolicy: Local") || strings.Contains(dry.Patch, "sessionAffinity") {
		t.Errorf("dry-run patch is not only the change:\n%s", dry.Patch)
	}
	live, _ := c.CoreV1().Services("default").Get(ctx, "web", metav1.GetOptions{})
	if live.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyCluster {
		t.Fatal("the dry run changed the Service")
	}
	done, err := ap.Apply(ctx, "default/web", o, true, dry)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(done.Changes, ";") != "spec.externalTrafficPolicy: Cluster → Local" {
		t.Errorf("changes %v", done.Changes)
	}
	for i, p := range *patches {
		dryRun := len(p.PatchOptions.DryRun) > 0
		if p.PatchOptions.FieldManager != FieldManager || dryRun != (i < len(*patches)-1) {
			t.Errorf("patch %d: manager %q dryRun %v", i, p.PatchOptions.FieldManager, p.PatchOptions.DryRun)
		}
	}
	again, err := ap.DryRun(ctx, "default/web", o, false)
	if err != nil || !again.Nothing {
		t.Errorf("already Local: %+v, %v", again, err)
	}
}

// TestDialogApplierSendsOnlyTheConfirmedPatch: when the Service changes
// between the dry run the user confirmed and the apply, so that the patch
// would differ, no real PATCH is sent: the new patch comes back, dry-run,
// to be confirmed. Confirming that one sends exactly it.
func TestDialogApplierSendsOnlyTheConfirmedPatch(t *testing.T) {
	ctx := context.Background()
	c, patches := dialogFakeCluster(t)
	ap := NewDialogApplier(NewApplier(c, ApplyOptions{}), NewApplier(c, ApplyOptions{ForceConflicts: true}))
	o, err := model.ParseOverrides([]string{"externalTrafficPolicy=Local", "internalTrafficPolicy=Local"})
	if err != nil {
		t.Fatal(err)
	}
	confirmed, err := ap.DryRun(ctx, "default/web", o, true)
	if err != nil {
		t.Fatal(err)
	}
	// Meanwhile someone sets externalTrafficPolicy: Local themselves.
	svc, _ := c.CoreV1().Services("default").Get(ctx, "web", metav1.GetOptions{})
	svc.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyLocal
	if _, err := c.CoreV1().Services("default").Update(ctx, svc, metav1.UpdateOptions{FieldManager: "kubectl"}); err != nil {
		t.Fatal(err)
	}
	_, err = ap.Apply(ctx, "default/web", o, true, confirmed)
	var changed *apply.PatchChangedError
	if !errors.As(err, &changed) {
		t.Fatalf("apply after the Service changed: %v, want the new patch back", err)
	}
	if strings.Contains(changed.DryRun.Patch, "externalTrafficPolicy") || !strings.Contains(changed.DryRun.Patch, "internalTrafficPolicy: Local") {
		t.Errorf("new patch:\n%s", changed.DryRun.Patch)
	}
	sent := func() (real []string) {
		for _, p := range *patches {
			if len(p.PatchOptions.DryRun) == 0 {
				real = append(real, string(p.Patch))
			}
		}
		return real
	}
	if len(sent()) != 0 {
		t.Fatalf("a patch the user did not confirm was sent: %q", sent())
	}
	if _, err := ap.Apply(ctx, "default/web", o, true, changed.DryRun); err != nil {
		t.Fatal(err)
	}
	if got := sent(); len(got) != 1 || strings.Contains(got[0], "externalTrafficPolicy") || !strings.Contains(got[0], `"internalTrafficPolicy":"Local"`) {
		t.Errorf("sent %q, want exactly the confirmed patch", got)
	}
}

func TestPatchPreviewOnlyServiceFields(t *testing.T) {
	svc := &model.Service{Namespace: "default", Name: "web", Type: "LoadBalancer", ExternalTrafficPolicy: "Cluster"}
	var o model.Overrides
	_ = o.Set(model.KeyExternalTrafficPolicy, "Local")
	y, err := PatchPreview(svc, o)
	if err != nil || !strings.Contains(y, "externalTrafficPolicy: Local") || strings.Contains(y, "internalTrafficPolicy") {
		t.Errorf("preview %q, %v", y, err)
	}
	_ = o.Set(model.KeyExternalTrafficPolicy, "Cluster")
	if y, err := PatchPreview(svc, o); y != "" || err != nil {
		t.Errorf("no-op preview %q, %v", y, err)
	}
}
