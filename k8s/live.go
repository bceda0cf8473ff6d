package k8s

// The live source: a cluster, read through informers, as a stream of
// immutable model.Snapshot values.
//
// One-shot (predict, check): LoadLive(ctx, flags, scope).
//
// Live mode, API for the TUI:
//
//	live, err := k8s.NewLive(flags, k8s.Scope{AllNamespaces: allNamespaces})
//	// err: bad kubeconfig, unknown context, no cluster configured; one line.
//	live.Source()    // "context:NAME", "server:URL" or "in-cluster", for the header
//	live.Namespace() // the namespace read, "" for all
//	live.Start(ctx)  // blocks until loaded (nil) or failed (one line); once
//	live.Progress()  // <-chan LoadProgress while Start runs; closed when it returns
//	live.Updates()   // <-chan *model.Snapshot; closed after ctx ends and informers stop
//	live.Snapshot()  // the newest snapshot, nil before Start succeeds
//
// In Bubble Tea, run Start in a tea.Cmd and wait on the channels with
// commands re-armed after each message (bubbletea examples/realtime):
//
//	func waitProgress(l *k8s.Live) tea.Cmd {
//		return func() tea.Msg { p, ok := <-l.Progress(); if !ok { return nil }; return p }
//	}
//	func waitSnapshot(l *k8s.Live) tea.Cmd {
//		return func() tea.Msg { s, ok := <-l.Updates(); if !ok { return liveEnded{} }; return s }
//	}
//
// Start probes the API server within --request-timeout (10s when unset),
// then starts informers for Services, EndpointSlices, Pods and Nodes and
// waits until they have loaded and are watching (at most 6 times the
// request timeout, and at least a minute), sending LoadProgress about
// every 100ms meanwhile. It returns nil once the first snapshot is
// ready (it is then on Updates and in Snapshot()), or one line saying what
// failed: the server cannot be reached or does not answer, TLS,
// credentials, or a missing permission named by verb, resource and
// namespace; Progress and Updates are then closed. After a successful
// Start the source runs until ctx is canceled: the first event of a burst
// starts a 100ms wait, and everything that changed meanwhile becomes one
// new snapshot on Updates. Updates holds only the newest unread snapshot,
// so a slow reader never blocks the source and never gets an outdated one.
//
// Degraded states are in the snapshot, not errors: without permission to
// list Nodes, NodesKnown is false, Nodes is derived from endpoints and
// pods (zones from the endpoints), and Warnings says so; while a watch is
// lost, StaleSince is set and Warnings says which resource and why, until
// the informer has resumed by itself. A watch the server accepted and then
// left silent counts as lost once it has delivered nothing, not even a
// bookmark, for 90s (live_watchdog.go); it is stale since the server was
// last heard. Every list and watch request is bounded in time, so nothing
// waits on a silent server for ever.
//
// Snapshots from Live are already normalized, and their slices are shared
// with later snapshots: never call Normalize on them or write to them.

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"

	"github.com/ktraffic/ktraffic/model"
)

// Scope says which namespaces to read; Nodes are always read cluster-wide.
type Scope struct {
	// AllNamespaces reads every namespace (-A).
	AllNamespaces bool
	// Namespace, when set, overrides the namespace the flags resolve to
	// (-n, else the context's namespace, else "default").
	Namespace string
}

// LoadProgress is the state of the initial load. The TUI can show it while
// Start runs.
type LoadProgress struct {
	// Connected is set once the API server has answered and the
	// permissions are known.
	Connected bool
	// Resources is services, endpointslices, pods, nodes, in that order.
	Resources []ResourceProgress
	// Synced is set on the last message: everything is loaded.
	Synced bool
}

// ResourceProgress is one resource's part of the initial load.
type ResourceProgress struct {
	Resource string // "pods"
	Loaded   int    // objects received so far
	Synced   bool
	// Skipped says why the resource is not read at all ("" when it is).
	Skipped string
}

// Live is a live source; see the comment at the top of this file.
type Live struct {
	client kubernetes.Interface
	// dyn reads the Gateway API's objects; nil leaves them out.
	dyn       dynamic.Interface
	namespace string // "" = all namespaces
	source    string
	host      string
	timeout   time.Duration // first contact
	// syncTimeout bounds the initial load once the server has answered.
	syncTimeout time.Duration
	// listTimeout bounds each list request; silence is how long a watch
	// may deliver nothing before it is ended (live_watchdog.go).
	listTimeout time.Duration
	silence     time.Duration
	debounce    time.Duration

	res        [numResources]*resource
	regs       [numResources]cache.ResourceEventHandlerRegistration
	build      *builder
	nodesKnown bool
	connected  bool // the probe passed
	syncing    atomic.Bool
	started    atomic.Bool

	dirty         chan struct{} // buffer 1: bursts of events collapse
	fatal         chan error    // permanent errors while loading
	progress      chan LoadProgress
	closeProgress sync.Once
	updates       chan *model.Snapshot
	latest        atomic.Pointer[model.Snapshot]
	done          chan struct{} // closed when everything has stopped

	// crash is the first panic recovered in the source (live_panic.go);
	// stopRun cancels the running source's context.
	crash   atomic.Pointer[PanicError]
	stopRun atomic.Pointer[context.CancelFunc]

	// entryDenied names the entry-layer resources the user may not read.
	entryDenied []string
	// informers run outside the shared factory (dynamic ones: the factory
	// keeps one informer per Go type); running counts them.
	running sync.WaitGroup
}

// NewLive resolves kubectl's flags (kubeconfig, context, namespace,
// credentials) without touching the network.
func NewLive(flags *ConfigFlags, scope Scope) (*Live, error) {
	conn, err := connect(flags, scope)
	if err != nil {
		return nil, err
	}
	client, err := kubernetes.NewForConfig(conn.config)
	if err != nil {
		return nil, newClusterError(err, "kubeconfig: %s", err)
	}
	dyn, err := dynamic.NewForConfig(conn.config)
	if err != nil {
		return nil, newClusterError(err, "kubeconfig: %s", err)
	}
	l := newLive(client, conn)
	l.dyn = dyn
	return l, nil
}

func newLive(client kubernetes.Interface, conn *connection) *Live {
	return &Live{
		client:      client,
		namespace:   conn.namespace,
		source:      conn.source,
		host:        conn.host,
		timeout:     conn.timeout,
		syncTimeout: max(time.Minute, 6*conn.timeout),
		listTimeout: max(time.Minute, 6*conn.timeout),
		silence:     watchSilence,
		debounce:    100 * time.Millisecond,
		res:         newResources(),
		build:       newBuilder(),
		nodesKnown:  true,
		dirty:       make(chan struct{}, 1),
		fatal:       make(chan error, 2*numResources),
		progress:    make(chan LoadProgress, 1),
		updates:     make(chan *model.Snapshot, 1),
		done:        make(chan struct{}),
	}
}

// Source names the cluster: "context:NAME", "server:URL" or "in-cluster".
func (l *Live) Source() string { return l.source }

// Namespace is the namespace read, "" for all.
func (l *Live) Namespace() string { return l.namespace }

// Progress reports the initial load; closed when Start returns.
func (l *Live) Progress() <-chan LoadProgress { return l.progress }

// Updates delivers each new snapshot, newest only; closed after the source
// stops.
func (l *Live) Updates() <-chan *model.Snapshot { return l.updates }

// Snapshot is the newest snapshot, nil before Start succeeds.
func (l *Live) Snapshot() *model.Snapshot { return l.latest.Load() }

// Start connects, loads and keeps the snapshot current until ctx ends.
func (l *Live) Start(ctx context.Context) error {
	if !l.started.CompareAndSwap(false, true) {
		return errors.New("the live source is already started")
	}
	ctx = quietContext(ctx)
	l.sendProgress(false)
	if err := l.probe(ctx); err != nil {
		l.stopped()
		return err
	}
	l.sendProgress(false)

	runCtx, stop := context.WithCancel(ctx)
	l.stopRun.Store(&stop)
	l.syncing.Store(true)
	datapath := l.readDatapath(runCtx)
	factory, err := l.startInformers(runCtx)
	shutdown := func() {
		stop()
		factory.Shutdown()
		l.running.Wait()
		l.stopped()
	}
	if err == nil {
		err = l.waitLoaded(runCtx)
	}
	if err == nil {
		l.build.datapath = <-datapath
	}
	if crash := l.crash.Load(); crash != nil {
		err = crash
	}
	if err != nil {
		shutdown()
		return err
	}
	l.syncing.Store(false)
	select { // the first build covers every mark so far
	case <-l.dirty:
	default:
	}
	if s, _ := l.rebuild(); s != nil {
		l.publish(s)
	}
	l.sendProgress(true)
	l.closeProgress.Do(func() { close(l.progress) })
	go func() {
		defer shutdown()
		defer l.recoverPanic("building snapshots")
		l.loop(runCtx)
	}()
	return nil
}

// stopped closes what readers wait on.
func (l *Live) stopped() {
	l.closeProgress.Do(func() { close(l.progress) })
	close(l.updates)
	close(l.done)
}

// LoadLive reads the cluster once: start, wait for the informers to load,
// take one snapshot, stop.
func LoadLive(ctx context.Context, flags *ConfigFlags, scope Scope) (*model.Snapshot, error) {
	l, err := NewLive(flags, scope)
	if err != nil {
		return nil, err
	}
	return l.loadOnce(ctx)
}

func (l *Live) loadOnce(ctx context.Context) (*model.Snapshot, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := l.Start(ctx); err != nil {
		return nil, err
	}
	snap := l.Snapshot()
	cancel()
	<-l.done
	return snap, nil
}
