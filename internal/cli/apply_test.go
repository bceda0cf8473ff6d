package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

	"github.com/ktraffic/ktraffic/internal/configdir"
	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
)

// isolateConfig points the user config directory at an empty temporary
// one, so a developer's own config.yaml never changes a test.
func isolateConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv(configdir.Env, "")
	return dir
}

var servicesResource = schema.GroupVersionResource{Version: "v1", Resource: "services"}

// applyCluster is a fake API server holding one Service: it allows access
// reviews, runs dry-run applies on a throwaway copy, and allocates a
// healthCheckNodePort when a LoadBalancer goes Local, as the real one does.
type applyCluster struct {
	*fake.Clientset
	patches []k8stesting.PatchActionImpl
}

func newApplyCluster(t *testing.T, svc *corev1.Service, manager string) *applyCluster {
	t.Helper()
	c := &applyCluster{Clientset: fake.NewClientset()}
	if _, err := c.CoreV1().Services(svc.Namespace).Create(context.Background(), svc, metav1.CreateOptions{FieldManager: manager}); err != nil {
		t.Fatal(err)
	}
	c.PrependReactor("create", "selfsubjectaccessreviews", func(a k8stesting.Action) (bool, runtime.Object, error) {
		r := a.(k8stesting.CreateAction).GetObject().(*authorizationv1.SelfSubjectAccessReview).DeepCopy()
		r.Status.Allowed = true
		return true, r, nil
	})
	c.PrependReactor("patch", "services", func(a k8stesting.Action) (bool, runtime.Object, error) {
		p := a.(k8stesting.PatchActionImpl)
		c.patches = append(c.patches, p)
		tracker := c.Tracker()
		dryRun := len(p.PatchOptions.DryRun) > 0
		if dryRun {
			cur, err := c.Tracker().Get(servicesResource, p.Namespace, p.Name)
			if err != nil {
				return true, nil, err
			}
			scratch := fake.NewClientset()
			if err := scratch.Tracker().Add(cur); err != nil {
				return true, nil, err
			}
			tracker = scratch.Tracker()
		}
		_, obj, err := k8stesting.ObjectReaction(tracker)(p)
		if err != nil {
			return true, nil, err
		}
		svc := obj.(*corev1.Service)
		if svc.Spec.Type == corev1.ServiceTypeLoadBalancer && svc.Spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal && svc.Spec.HealthCheckNodePort == 0 {
			svc.Spec.HealthCheckNodePort = 31845
			if err := tracker.Update(servicesResource, svc, svc.Namespace); err != nil {
				return true, nil, err
			}
		}
		return true, svc, nil
	})
	return c
}

func (c *applyCluster) dryRuns() (dry, real int) {
	for _, p := range c.patches {
		if len(p.PatchOptions.DryRun) > 0 {
			dry++
		} else {
			real++
		}
	}
	return dry, real
}

func kiadaClusterService(etp corev1.ServiceExternalTrafficPolicy) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "kiada-cluster"},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, ExternalTrafficPolicy: etp,
			Selector: map[string]string{"app": "kiada"}, Ports: []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP}}},
	}
}

func kiadaRequest(t *testing.T, set ...string) (*model.Snapshot, model.Request) {
	t.Helper()
	snap, err := k8s.LoadDemo("kiada")
	if err != nil {
		t.Fatal(err)
	}
	ov, err := model.ParseOverrides(set)
	if err != nil {
		t.Fatal(err)
	}
	return snap, model.Request{Service: "default/kiada-cluster", Overrides: ov}
}

func TestRunApply(t *testing.T) {
	tests := []struct {
		name      string
		stdin     string
		yes       bool
		wantErr   error
		wantReal  int
		wantOut   []string
		wantNoOut []string
	}{
		{
			name: "confirmed", stdin: "y\n", wantReal: 1,
			wantOut: []string{"default/kiada-001  node-a  33.3%   50.0%", "externalTrafficPolicy: Local", "Dry run: the API server accepts the change.",
				"would: healthCheckNodePort 31845 allocated", "Apply to default/kiada-cluster? [y/N]", "Applied to default/kiada-cluster (field manager ktraffic)",
				"spec.externalTrafficPolicy: Cluster → Local", "  healthCheckNodePort 31845 allocated"},
		},
		{name: "yes flag asks nothing", yes: true, wantReal: 1, wantOut: []string{"Applied to"}, wantNoOut: []string{"[y/N]"}},
		{name: "declined", stdin: "n\n", wantErr: errNotConfirmed, wantOut: []string{"[y/N]"}, wantNoOut: []string{"Applied"}},
		{name: "no answer", stdin: "", wantErr: errNotConfirmed, wantNoOut: []string{"Applied"}},
		{name: "anything but yes", stdin: "sure\n", wantErr: errNotConfirmed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newApplyCluster(t, kiadaClusterService(""), "kubectl-create")
			var out bytes.Buffer
			a := newFactory(strings.NewReader(tt.stdin), &out, &out)
			snap, req := kiadaRequest(t, "externalTrafficPolicy=Local")
			err := runApply(context.Background(), a.IO, k8s.NewApplier(c, k8s.ApplyOptions{}), snap, req, tt.yes)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			dry, real := c.dryRuns()
			if dry != 1 || real != tt.wantReal {
				t.Errorf("sent %d dry runs and %d applies, want 1 and %d", dry, real, tt.wantReal)
			}
			if len(c.patches) > 0 && len(c.patches[0].PatchOptions.DryRun) == 0 {
				t.Error("the first request was not a dry run")
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tt.wantNoOut {
				if strings.Contains(out.String(), w) {
					t.Errorf("output has %q:\n%s", w, out.String())
				}
			}
			svc, _ := c.CoreV1().Services("default").Get(context.Background(), "kiada-cluster", metav1.GetOptions{})
			if applied := svc.Spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal; applied != (tt.wantReal == 1) {
				t.Errorf("Service has externalTrafficPolicy %q after %s", svc.Spec.ExternalTrafficPolicy, tt.name)
			}
		})
	}
}

func TestRunApplyConflictStopsBeforeConfirmation(t *testing.T) {
	c := newApplyCluster(t, kiadaClusterService(corev1.ServiceExternalTrafficPolicyCluster), "helm")
	var out bytes.Buffer
	a := newFactory(strings.NewReader("y\n"), &out, &out)
	snap, req := kiadaRequest(t, "externalTrafficPolicy=Local")
	err := runApply(context.Background(), a.IO, k8s.NewApplier(c, k8s.ApplyOptions{}), snap, req, false)
	if err == nil || !strings.Contains(err.Error(), `spec.externalTrafficPolicy is managed by "helm"`) || !strings.Contains(err.Error(), "--force-conflicts") {
		t.Fatalf("error = %v", err)
	}
	if dry, real := c.dryRuns(); dry != 1 || real != 0 {
		t.Errorf("sent %d dry runs and %d applies after a conflict", dry, real)
	}
	if strings.Contains(out.String(), "[y/N]") {
		t.Error("asked for confirmation after a failed dry run")
	}
}

func TestRunApplyForceConflictsSaysWhoLoses(t *testing.T) {
	c := newApplyCluster(t, kiadaClusterService(corev1.ServiceExternalTrafficPolicyCluster), "helm")
	var out bytes.Buffer
	a := newFactory(strings.NewReader("yes\n"), &out, &out)
	snap, req := kiadaRequest(t, "externalTrafficPolicy=Local")
	if err := runApply(context.Background(), a.IO, k8s.NewApplier(c, k8s.ApplyOptions{ForceConflicts: true}), snap, req, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "--force-conflicts: spec.externalTrafficPolicy is taken over from helm (Update)") {
		t.Errorf("output does not name the manager that loses the field:\n%s", out.String())
	}
	for _, p := range c.patches {
		if p.PatchOptions.Force == nil || !*p.PatchOptions.Force {
			t.Error("a request went without force")
		}
	}
	if dry, real := c.dryRuns(); dry != 1 || real != 1 {
		t.Errorf("sent %d dry runs and %d applies", dry, real)
	}
}

func TestRunApplyReadOnlySendsNoPatch(t *testing.T) {
	c := newApplyCluster(t, kiadaClusterService(""), "kubectl-create")
	var out bytes.Buffer
	a := newFactory(strings.NewReader("y\n"), &out, &out)
	snap, req := kiadaRequest(t, "externalTrafficPolicy=Local")
	err := runApply(context.Background(), a.IO, k8s.NewApplier(c, k8s.ApplyOptions{ReadOnly: true}), snap, req, true)
	if !errors.Is(err, k8s.ErrReadOnly) {
		t.Fatalf("error = %v", err)
	}
	if len(c.patches) != 0 {
		t.Errorf("read-only sent %d patches", len(c.patches))
	}
}

func TestRunApplyNothingToDo(t *testing.T) {
	c := newApplyCluster(t, kiadaClusterService(corev1.ServiceExternalTrafficPolicyLocal), "helm")
	var out bytes.Buffer
	a := newFactory(strings.NewReader(""), &out, &out)
	snap, req := kiadaRequest(t, "externalTrafficPolicy=Local")
	if err := runApply(context.Background(), a.IO, k8s.NewApplier(c, k8s.ApplyOptions{}), snap, req, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Nothing to apply: default/kiada-cluster already has these settings.") || len(c.patches) != 0 {
		t.Errorf("patches %d, output:\n%s", len(c.patches), out.String())
	}
}

// TestRunApplyServerVerdict: where the model refuses a change, the dry
// run still runs so the API server's own words are shown.
func TestRunApplyServerVerdict(t *testing.T) {
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "kiada-cluster"}, Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeClusterIP}}
	c := newApplyCluster(t, svc, "kubectl-create")
	c.PrependReactor("patch", "services", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewInvalid(schema.GroupKind{Kind: "Service"}, "kiada-cluster", field.ErrorList{
			field.Invalid(field.NewPath("spec", "externalTrafficPolicy"), "Local", "may only be set for externally-accessible services")})
	})
	snap, req := kiadaRequest(t, "externalTrafficPolicy=Local")
	snap.Services = append([]model.Service(nil), snap.Services...)
	for i := range snap.Services {
		if snap.Services[i].Key() == "default/kiada-cluster" {
			snap.Services[i].Type, snap.Services[i].ExternalTrafficPolicy = "ClusterIP", ""
		}
	}
	var out bytes.Buffer
	a := newFactory(strings.NewReader("y\n"), &out, &out)
	err := runApply(context.Background(), a.IO, k8s.NewApplier(c, k8s.ApplyOptions{}), snap, req, false)
	if err == nil || !strings.Contains(err.Error(), `spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services`) {
		t.Fatalf("error = %v", err)
	}
	if !strings.Contains(out.String(), "Prediction: cannot set externalTrafficPolicy on ClusterIP Service") {
		t.Errorf("output lacks the model's reason:\n%s", out.String())
	}
}

// TestApplyRefusals: every refusal is one line, before any cluster access.
func TestApplyRefusals(t *testing.T) {
	svc := []string{"--service", "default/kiada-cluster"}
	tests := []struct {
		name     string
		config   string // config.yaml content, "" for none
		args     []string
		code     int
		contains string
	}{
		{"read-only flag", "", []string{"--read-only", "--set", "externalTrafficPolicy=Local"}, 1, "read-only: nothing is applied (--read-only is set)"},
		{"read-only config", "readOnly: true\n", []string{"--set", "externalTrafficPolicy=Local"}, 1, "read-only: nothing is applied (readOnly: true in "},
		{"unreadable config", "readOnly: [\n", []string{"--set", "externalTrafficPolicy=Local"}, 1, "is not valid YAML"},
		{"misspelt key", "readonly: true\n", []string{"--set", "externalTrafficPolicy=Local"}, 1, `config.yaml:1: unknown key "readonly" (did you mean readOnly?)`},
		{"read-only spelt like the flag", "read-only: true\n", []string{"--set", "externalTrafficPolicy=Local"}, 1, "read-only: nothing is applied (readOnly: true in "},
		{"read-only wins over --yes and --force-conflicts", "", []string{"--read-only", "--yes", "--force-conflicts", "--set", "externalTrafficPolicy=Local"}, 1, "read-only"},
		{"demo", "", []string{"--demo", "kiada", "--set", "externalTrafficPolicy=Local"}, 2, "nothing to apply to: the data comes from the demo kiada, not a cluster"},
		{"dump", "", []string{"-f", repoRoot + "/k8s/scenarios/kiada.yaml", "--set", "externalTrafficPolicy=Local"}, 2, "nothing to apply to: the data comes from a dump (-f)"},
		{"lbMode", "", []string{"--set", "lbMode=pods"}, 2, "lbMode cannot be applied: it describes the load balancer, not a Service field"},
		{"lbNode", "", []string{"--set", "externalTrafficPolicy=Local", "--set", "lbNode=node-a"}, 2, "lbNode cannot be applied"},
		{"drill", "", []string{"--set", "externalTrafficPolicy=Local", "--drill", "node-down=node-a"}, 2, "drills are simulated failures and are never applied"},
		{"no change", "", nil, 2, "nothing to apply: give at least one --set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := isolateConfig(t)
			if tt.config != "" {
				if err := os.MkdirAll(filepath.Join(dir, "ktraffic"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "ktraffic", "config.yaml"), []byte(tt.config), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := append(append([]string{"apply"}, svc...), tt.args...)
			code, out, errOut := runCLI(t, "y\n", args...)
			if code != tt.code || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.contains) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and one line with %q", code, out, errOut, tt.code, tt.contains)
			}
		})
	}
}

func TestReadOnlyFromConfig(t *testing.T) {
	dir := isolateConfig(t)
	a := newFactory(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if ro, why := a.readOnly(); ro {
		t.Fatalf("no config file: read-only (%s)", why)
	}
	if err := os.MkdirAll(filepath.Join(dir, "ktraffic"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ktraffic", "config.yaml")
	if err := os.WriteFile(path, []byte("readOnly: false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ro, _ := a.readOnly(); ro {
		t.Fatal("readOnly: false counted as read-only")
	}
	if err := os.WriteFile(path, []byte("readOnly: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ro, why := a.readOnly(); !ro || !strings.Contains(why, path) {
		t.Fatalf("readOnly: true gave %v (%s)", ro, why)
	}
}

// TestNewApplierUsesKubeconfig: apply reaches the cluster the kubeconfig
// flags name (here a local test server), as ktraffic.
func TestNewApplierUsesKubeconfig(t *testing.T) {
	var agent string
	var methods []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent = r.UserAgent()
		methods = append(methods, r.Method)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","status":{"allowed":true}}`)
	}))
	defer srv.Close()
	kubeconfig := filepath.Join(t.TempDir(), "config")
	cfg := fmt.Sprintf("apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: %s\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: test\ncurrent-context: test\nusers:\n- name: test\n  user:\n    token: t\n", srv.URL)
	if err := os.WriteFile(kubeconfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", kubeconfig)
	dir := isolateConfig(t)
	a := newFactory(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	ap, err := a.newApplier(k8s.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ap.CheckAccess(context.Background(), "default", "web"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(agent, "ktraffic") {
		t.Errorf("user agent %q", agent)
	}

	// The Applier itself is read-only when the config says so, whatever
	// path reaches it.
	if err := os.MkdirAll(filepath.Join(dir, "ktraffic"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ktraffic", "config.yaml"), []byte("readOnly: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ro, err := a.newApplier(k8s.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := k8s.NewPatch(&model.Service{Namespace: "default", Name: "web", Type: "LoadBalancer"}, model.Overrides{ExternalTrafficPolicy: ptr("Local")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.DryRun(context.Background(), p); !errors.Is(err, k8s.ErrReadOnly) {
		t.Errorf("dry run under readOnly: true: %v", err)
	}
	for _, m := range methods {
		if m != http.MethodPost { // the access review
			t.Errorf("sent a %s request", m)
		}
	}
}

func ptr[T any](v T) *T { return &v }
