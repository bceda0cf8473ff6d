package k8s

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// The resources the live source reads, in the order progress reports
// them. Nothing else is ever listed or watched. The four core ones must
// be readable (Nodes degrade); the entry layers after them are optional:
// a missing permission or API leaves them out with one warning line.
const (
	resServices = iota
	resSlices
	resPods
	resNodes
	resIngresses
	resIngressClasses
	resGateways
	resGatewayClasses
	resHTTPRoutes
	resGRPCRoutes
	numResources
)

// firstEntryResource is where the optional entry layers start.
const firstEntryResource = resIngresses

// resource tracks one watched resource: how much of it has loaded, and
// whether its watch is currently lost.
type resource struct {
	name       string // as RBAC and kubectl name it: "endpointslices"
	group      string // API group, for messages about missing APIs
	namespaced bool
	// dynamic resources (Gateway API) are read as unstructured objects.
	dynamic bool

	loaded atomic.Int64 // objects converted so far

	// skipped says why the resource is not watched at all ("" = watched).
	skipped string

	mu         sync.Mutex
	staleSince time.Time // zero while the watch is healthy
	lastErr    error
	heard      time.Time // the server's last sign of life: a watch opened, an event
	watchOnce  sync.Once
	watching   chan struct{} // closed at the first established watch
}

func newResources() [numResources]*resource {
	mk := func(name, group string, namespaced bool) *resource {
		return &resource{name: name, group: group, namespaced: namespaced, watching: make(chan struct{})}
	}
	dyn := func(name string, namespaced bool) *resource {
		r := mk(name, gatewayGroup, namespaced)
		r.dynamic = true
		return r
	}
	return [numResources]*resource{
		resServices:       mk("services", "", true),
		resSlices:         mk("endpointslices", "discovery.k8s.io", true),
		resPods:           mk("pods", "", true),
		resNodes:          mk("nodes", "", false),
		resIngresses:      mk("ingresses", "networking.k8s.io", true),
		resIngressClasses: mk("ingressclasses", "networking.k8s.io", false),
		resGateways:       dyn("gateways", true),
		resGatewayClasses: dyn("gatewayclasses", false),
		resHTTPRoutes:     dyn("httproutes", true),
		resGRPCRoutes:     dyn("grpcroutes", true),
	}
}

// failed records a list or watch failure; it reports whether this turned a
// healthy resource stale. Failures caused by our own shutdown don't count.
func (r *resource) failed(err error, now time.Time) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastErr = err
	if r.staleSince.IsZero() {
		r.staleSince = now
		return true
	}
	return false
}

// watched records an established watch; it reports whether this ended a
// stale period.
func (r *resource) watched(now time.Time) bool {
	r.watchOnce.Do(func() { close(r.watching) })
	return r.heardFrom(now)
}

// heardFrom records a sign of life from the server: a watch opened, or an
// event on one (bookmarks included). It reports whether this ended a
// stale period.
func (r *resource) heardFrom(now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.heard = now
	if r.staleSince.IsZero() {
		return false
	}
	r.staleSince = time.Time{}
	return true
}

// silent records a watch that went quiet: the data is stale since the
// server was last heard, not since we noticed. It reports whether this
// turned a healthy resource stale.
func (r *resource) silent(err error, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastErr = err
	if !r.staleSince.IsZero() {
		return false
	}
	r.staleSince = r.heard
	if r.staleSince.IsZero() {
		r.staleSince = now
	}
	return true
}

// Name and Done make the first established watch something the initial
// load can wait for (cache.DoneChecker).
func (r *resource) Name() string          { return r.name + " watch" }
func (r *resource) Done() <-chan struct{} { return r.watching }

func (r *resource) stale() (time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.staleSince, r.lastErr
}

func (r *resource) lastError() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastErr
}
