package k8s

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/ktraffic/ktraffic/model"
)

// ErrReadOnly is returned by every write when ktraffic runs read-only.
var ErrReadOnly = errors.New("read-only mode: ktraffic changes nothing (--read-only, or readOnly: true in the config file)")

// DefaultWriteTimeout bounds each call of a write (the access review, the
// read, the dry run, the apply) when ApplyOptions.Timeout is not set: an
// API server that stops answering must not hold a write open for ever,
// leaving the user unsure whether it landed.
const DefaultWriteTimeout = 30 * time.Second

// ApplyOptions are the user's choices for a write.
type ApplyOptions struct {
	// ReadOnly refuses every write, dry runs included: they are PATCH
	// requests, and read-only promises none are sent.
	ReadOnly bool
	// ForceConflicts takes fields over from other field managers. Only
	// on the user's explicit request.
	ForceConflicts bool
	// Timeout bounds each API call; 0 means DefaultWriteTimeout.
	Timeout time.Duration
}

// Applier changes Services with server-side apply, as FieldManager.
type Applier struct {
	client kubernetes.Interface
	opts   ApplyOptions
}

// NewApplier returns an Applier over client.
func NewApplier(client kubernetes.Interface, opts ApplyOptions) *Applier {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultWriteTimeout
	}
	return &Applier{client: client, opts: opts}
}

// explain words an error of one call, naming the deadline when it ran out.
func (a *Applier) explain(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return newClusterError(err, "the API server did not answer within %s", a.opts.Timeout)
	}
	return explainAPIError(err)
}

// bounded is ctx with the Applier's deadline for one call.
func (a *Applier) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, a.opts.Timeout)
}

// Forcing reports whether applies take fields over from other managers.
func (a *Applier) Forcing() bool { return a.opts.ForceConflicts }

// CheckAccess asks the API server whether the current user may read and
// patch the Service, before anything is attempted, and explains a denial.
func (a *Applier) CheckAccess(ctx context.Context, ns, name string) error {
	ctx, cancel := a.bounded(ctx)
	defer cancel()
	var denied []string
	reason := ""
	for _, verb := range []string{"get", "patch"} {
		review := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{
			ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: ns, Verb: verb, Resource: "services", Name: name},
		}}
		res, err := a.client.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, review, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("checking permissions for Service %s/%s: %w", ns, name, a.explain(err))
		}
		if !res.Status.Allowed {
			denied = append(denied, verb)
			if reason == "" {
				reason = singleLine(res.Status.Reason)
			}
		}
	}
	if len(denied) == 0 {
		return nil
	}
	msg := fmt.Sprintf("you may not %s Service %s/%s: applying needs get and patch on services in namespace %s (for example: kubectl create role ktraffic-apply --verb=get,patch --resource=services -n %s, and a rolebinding to it)",
		strings.Join(denied, " or "), ns, name, ns, ns)
	if reason != "" {
		msg += "; the API server says: " + reason
	}
	return errors.New(msg)
}

// Prepare reads the live Service and builds the patch against it.
func (a *Applier) Prepare(ctx context.Context, ns, name string, o model.Overrides) (*Patch, *corev1.Service, error) {
	ctx, cancel := a.bounded(ctx)
	defer cancel()
	live, err := a.client.CoreV1().Services(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("reading Service %s/%s: %w", ns, name, a.explain(err))
	}
	p, err := NewLivePatch(live, o)
	if err != nil {
		return nil, nil, err
	}
	return p, live, nil
}

// DryRun sends the patch with dryRun=All: the API server validates,
// defaults, checks conflicts and admission, and persists nothing. It
// returns the Service as it would be.
func (a *Applier) DryRun(ctx context.Context, p *Patch) (*corev1.Service, error) {
	return a.send(ctx, p, true)
}

// Apply sends the patch for real and returns the updated Service. When
// the request may or may not have reached the API server (no answer in
// time, ctx cancelled while it was in flight, the connection dropped),
// the error is an *OutcomeUnknownError holding what reading the Service
// back found.
func (a *Applier) Apply(ctx context.Context, p *Patch) (*corev1.Service, error) {
	return a.send(ctx, p, false)
}

func (a *Applier) send(ctx context.Context, p *Patch, dryRun bool) (*corev1.Service, error) {
	if a.opts.ReadOnly {
		return nil, ErrReadOnly
	}
	if p.Empty() {
		return nil, fmt.Errorf("nothing to apply: Service %s/%s already has these settings", p.Namespace, p.Name)
	}
	opts := metav1.ApplyOptions{FieldManager: FieldManager, Force: a.opts.ForceConflicts}
	what := "apply"
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
		what = "dry run"
	}
	callCtx, cancel := a.bounded(ctx)
	defer cancel()
	svc, err := a.client.CoreV1().Services(p.Namespace).Apply(callCtx, p.Config, opts)
	if err != nil && !dryRun && !refusedBeforeWriting(err) {
		return nil, a.readBack(p, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s of Service %s/%s failed: %w", what, p.Namespace, p.Name, a.explain(err))
	}
	if unmet := unmetChanges(p, svc); len(unmet) > 0 {
		return svc, fmt.Errorf("%s of Service %s/%s: the API server accepted the request but %s", what, p.Namespace, p.Name, strings.Join(unmet, "; "))
	}
	return svc, nil
}

// unmetChanges lists the changes the returned Service does not show,
// so a silent no-op (a field another manager keeps) never passes for
// success.
func unmetChanges(p *Patch, svc *corev1.Service) []string {
	got := currentOf(ptrTo(FromService(svc)))
	var out []string
	for _, c := range p.Changes {
		have, known := got.field(c.Path)
		if known && have != c.To {
			if have == "" {
				have = "unset"
			}
			out = append(out, fmt.Sprintf("%s stays %s (held by %s)", c.Path, have, strings.Join(fieldManagers(svc, c.Path), ", ")))
		}
	}
	return out
}

func ptrTo[T any](v T) *T { return &v }

// field is the value of a patch's field path, in FieldChange's spelling.
func (c current) field(path string) (string, bool) {
	switch path {
	case pathETP:
		return c.etp, true
	case pathITP:
		return c.itp, true
	case pathAffinity:
		return c.affinity, true
	case pathTimeout:
		return fmt.Sprint(c.timeout), true
	case pathDistribution:
		return c.distribution, true
	}
	return "", false
}

// Outcome describes, one line each, what the API server did (or would
// do) beyond the requested fields: ports it allocates or releases.
func Outcome(before, after *corev1.Service) []string {
	var out []string
	b, a := before.Spec.HealthCheckNodePort, after.Spec.HealthCheckNodePort
	switch {
	case b == 0 && a != 0:
		out = append(out, fmt.Sprintf("healthCheckNodePort %d allocated: load balancers probe it on every node, and only nodes with a ready local pod answer 200", a))
	case b != 0 && a == 0:
		out = append(out, fmt.Sprintf("healthCheckNodePort %d released: load balancers go back to probing kube-proxy's health on every node", b))
	}
	return out
}
