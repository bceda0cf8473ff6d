package k8s

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// writeServer is an API server, over real HTTP, holding Service
// default/web, that can fail a write the ways a real one does: answer
// nothing at all, or apply the change and lose the answer.
type writeServer struct {
	mu  sync.Mutex
	svc *corev1.Service
	// hang names the requests that get no answer until the client gives
	// up: "review", "get", "dry-run", "apply".
	hang map[string]bool
	// applyThenHang applies a real PATCH and then answers nothing.
	applyThenHang bool
	// received is signalled when a real PATCH has arrived (and, with
	// applyThenHang, been applied).
	received chan struct{}
}

func newWriteServer(t *testing.T) (*writeServer, kubernetes.Interface) {
	t.Helper()
	ws := &writeServer{svc: lbService(), hang: map[string]bool{}, received: make(chan struct{}, 10)}
	ws.svc.TypeMeta = metav1.TypeMeta{Kind: "Service", APIVersion: "v1"}
	srv := httptest.NewServer(ws)
	t.Cleanup(srv.Close)
	client, err := kubernetes.NewForConfig(&rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return ws, client
}

func (ws *writeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	what := map[string]string{http.MethodPost: "review", http.MethodGet: "get", http.MethodPatch: "apply"}[r.Method]
	if r.Method == http.MethodPatch && r.URL.Query().Get("dryRun") != "" {
		what = "dry-run"
	}
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	ws.mu.Lock()
	out := ws.svc.DeepCopy()
	if what == "apply" && ws.applyThenHang || what == "dry-run" {
		var patch corev1.Service
		_ = json.Unmarshal(body, &patch)
		if patch.Spec.ExternalTrafficPolicy != "" {
			out.Spec.ExternalTrafficPolicy = patch.Spec.ExternalTrafficPolicy
		}
		if what == "apply" {
			ws.svc = out.DeepCopy()
		}
	}
	hang := ws.hang[what] || what == "apply" && ws.applyThenHang
	ws.mu.Unlock()
	if what == "apply" {
		ws.received <- struct{}{} // after the change, if any, is stored
	}
	if hang {
		<-r.Context().Done()
		return
	}
	if what == "review" {
		_, _ = io.WriteString(w, `{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","status":{"allowed":true}}`)
		return
	}
	_ = json.NewEncoder(w).Encode(out)
}

// TestWritesHaveADeadline: no call of a write waits on a silent server
// for longer than the Applier's deadline, and none is reported as done.
func TestWritesHaveADeadline(t *testing.T) {
	const timeout = 300 * time.Millisecond
	for _, step := range []string{"review", "get", "dry-run"} {
		t.Run(step, func(t *testing.T) {
			ws, client := newWriteServer(t)
			ws.hang[step] = true
			a := NewApplier(client, ApplyOptions{Timeout: timeout})
			// The server never answers: only the Applier's own deadline
			// ends the call, which its error names. A call without one would
			// hang; the watchdog turns that into a failure, not a verdict on
			// speed.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			err := a.CheckAccess(ctx, "default", "web")
			if err == nil {
				var p *Patch
				p, _, err = a.Prepare(ctx, "default", "web", overrides(t, "externalTrafficPolicy=Local"))
				if err == nil {
					_, err = a.DryRun(ctx, p)
				}
			}
			if ctx.Err() != nil {
				t.Fatalf("the %s waited for the watchdog: no deadline of its own", step)
			}
			if err == nil || !strings.Contains(err.Error(), "did not answer within 300ms") {
				t.Errorf("error = %v, want no answer within the deadline", err)
			}
			var unknown *OutcomeUnknownError
			if errors.As(err, &unknown) {
				t.Errorf("a %s that changes nothing reported as a write of unknown outcome", step)
			}
		})
	}
	if NewApplier(nil, ApplyOptions{}).opts.Timeout != DefaultWriteTimeout {
		t.Error("no default deadline")
	}
}

// TestApplyOfUnknownOutcomeReadsBack: when the real PATCH gets no answer
// or is interrupted, the error says the outcome is unknown and reports
// what reading the Service back found, landed or not.
func TestApplyOfUnknownOutcomeReadsBack(t *testing.T) {
	const timeout = 300 * time.Millisecond
	tests := []struct {
		name          string
		applyThenHang bool // the server applies and then says nothing
		interrupt     bool // ctx cancelled once the PATCH is in flight
		hangGet       bool // the read-back gets no answer either
		landed        bool
		want          []string
	}{
		{name: "applied, answer lost", applyThenHang: true, landed: true,
			want: []string{"got no answer within 300ms, so whether it reached the API server is unknown", "the Service has the change: spec.externalTrafficPolicy is Local, as asked"}},
		{name: "not applied, no answer", want: []string{"got no answer within 300ms", "does not have the change (spec.externalTrafficPolicy is Cluster, not Local): it did not land"}},
		{name: "interrupted", interrupt: true, want: []string{"was interrupted while in flight", "does not have the change"}},
		{name: "interrupted after it applied", interrupt: true, applyThenHang: true, landed: true, want: []string{"was interrupted while in flight", "has the change"}},
		{name: "cannot read back", hangGet: true, want: []string{"reading the Service back failed too (the API server did not answer within 300ms)", "kubectl get service web -n default -o yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, client := newWriteServer(t)
			ws.applyThenHang = tt.applyThenHang
			ws.hang["apply"] = true
			a := NewApplier(client, ApplyOptions{Timeout: timeout})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p, _, err := a.Prepare(ctx, "default", "web", overrides(t, "externalTrafficPolicy=Local"))
			if err != nil {
				t.Fatal(err)
			}
			ws.hang["get"] = tt.hangGet
			if tt.interrupt {
				a.opts.Timeout = time.Minute
				go func() {
					<-ws.received
					cancel()
				}()
			}
			_, err = a.Apply(ctx, p)
			var unknown *OutcomeUnknownError
			if !errors.As(err, &unknown) {
				t.Fatalf("error = %v, want an outcome-unknown error", err)
			}
			if unknown.Landed() != tt.landed {
				t.Errorf("landed = %v, want %v", unknown.Landed(), tt.landed)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}
