package k8s

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// OutcomeUnknownError is an apply that may or may not have reached the
// API server, with what reading the Service back right after found: the
// one honest answer to "did it land?".
type OutcomeUnknownError struct {
	Namespace, Name string
	// Cause is why the outcome is unknown: a timeout, a cancellation, a
	// dropped connection.
	Cause   error
	Timeout time.Duration
	// At is when the Service was read back. Service is what it held, nil
	// when the read failed too (ReadErr).
	At      time.Time
	Service *corev1.Service
	ReadErr error
	// Found is each change's field as read back: "spec.x is Local (as
	// asked)". Missing counts the changes it does not show.
	Found   []string
	Missing int
	Changes int
}

// Landed reports whether the read-back shows every change of the patch.
func (e *OutcomeUnknownError) Landed() bool { return e.Service != nil && e.Missing == 0 }

// Error is one line: what happened, then what is there now.
func (e *OutcomeUnknownError) Error() string {
	what := fmt.Sprintf("the apply of Service %s/%s %s, so whether it reached the API server is unknown", e.Namespace, e.Name, e.why())
	at := e.At.Format("15:04:05")
	switch {
	case e.Service == nil:
		return fmt.Sprintf("%s; reading the Service back failed too (%s): check it with kubectl get service %s -n %s -o yaml before trying again",
			what, e.ReadErr, e.Name, e.Namespace)
	case e.Landed():
		return fmt.Sprintf("%s; read back at %s, the Service has the change: %s", what, at, strings.Join(e.Found, "; "))
	case e.Missing == e.Changes:
		return fmt.Sprintf("%s; read back at %s, the Service does not have the change (%s): it did not land, unless the request is still on its way, so read it again before retrying",
			what, at, strings.Join(e.Found, "; "))
	}
	return fmt.Sprintf("%s; read back at %s, the Service has part of the change: %s", what, at, strings.Join(e.Found, "; "))
}

func (e *OutcomeUnknownError) Unwrap() error { return e.Cause }

func (e *OutcomeUnknownError) why() string {
	var netErr net.Error
	switch {
	case errors.Is(e.Cause, context.Canceled):
		return "was interrupted while in flight"
	case errors.Is(e.Cause, context.DeadlineExceeded) || errors.As(e.Cause, &netErr) && netErr.Timeout():
		return fmt.Sprintf("got no answer within %s", e.Timeout)
	case apierrors.IsTimeout(e.Cause) || apierrors.IsServerTimeout(e.Cause):
		return "timed out in the API server"
	}
	return "failed in flight (" + explainAPIError(e.Cause).Error() + ")"
}

// refusedBeforeWriting reports errors that prove a write changed nothing:
// the API server answered and refused (a 4xx status other than a
// timeout), or the request never left (nothing listening, no such host,
// TLS). Any other failure may have come after the server acted.
func refusedBeforeWriting(err error) bool {
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		code := status.Status().Code
		return code >= 400 && code < 500 && !apierrors.IsTimeout(err)
	}
	var dnsErr *net.DNSError
	return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dnsErr) || isTLS(err)
}

// readBack reads the Service after a write of unknown outcome and says,
// change by change, what it holds. It runs on a fresh context, with the
// same deadline as the write: the write's own has run out, or the user
// cancelled it.
func (a *Applier) readBack(p *Patch, cause error) *OutcomeUnknownError {
	e := &OutcomeUnknownError{Namespace: p.Namespace, Name: p.Name, Cause: cause, Timeout: a.opts.Timeout, Changes: len(p.Changes)}
	ctx, cancel := context.WithTimeout(context.Background(), a.opts.Timeout)
	defer cancel()
	svc, err := a.client.CoreV1().Services(p.Namespace).Get(ctx, p.Name, metav1.GetOptions{})
	e.At = time.Now()
	if err != nil {
		e.ReadErr = a.explain(err)
		return e
	}
	e.Service = svc
	got := currentOf(ptrTo(FromService(svc)))
	for _, c := range p.Changes {
		have, _ := got.field(c.Path)
		want := c.To
		if have == "" {
			have = "unset"
		}
		if want == "" {
			want = "unset"
		}
		if have == want {
			e.Found = append(e.Found, fmt.Sprintf("%s is %s, as asked", c.Path, have))
			continue
		}
		e.Missing++
		e.Found = append(e.Found, fmt.Sprintf("%s is %s, not %s", c.Path, have, want))
	}
	return e
}
