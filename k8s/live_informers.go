package k8s

import (
	"context"
	"errors"
	"net"
	"reflect"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
)

// apiCalls is one resource's list and watch, in the Live's namespace
// (cluster-wide for Nodes). These are the only API calls the live source
// makes.
type apiCalls struct {
	list  func(context.Context, metav1.ListOptions) (runtime.Object, error)
	watch func(context.Context, metav1.ListOptions) (watch.Interface, error)
	obj   runtime.Object // the API type the informer receives
}

type listWatcher[L runtime.Object] interface {
	List(context.Context, metav1.ListOptions) (L, error)
	Watch(context.Context, metav1.ListOptions) (watch.Interface, error)
}

func callsOf[L runtime.Object](c listWatcher[L], obj runtime.Object) apiCalls {
	return apiCalls{
		list: func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
			l, err := c.List(ctx, opts)
			if err != nil {
				return nil, err // not a typed nil inside the interface
			}
			return l, nil
		},
		watch: c.Watch,
		obj:   obj,
	}
}

func (l *Live) calls(i int) apiCalls {
	switch i {
	case resServices:
		return callsOf[*corev1.ServiceList](l.client.CoreV1().Services(l.namespace), &corev1.Service{})
	case resSlices:
		return callsOf[*discoveryv1.EndpointSliceList](l.client.DiscoveryV1().EndpointSlices(l.namespace), &discoveryv1.EndpointSlice{})
	case resPods:
		return callsOf[*corev1.PodList](l.client.CoreV1().Pods(l.namespace), &corev1.Pod{})
	case resIngresses:
		return callsOf[*networkingv1.IngressList](l.client.NetworkingV1().Ingresses(l.namespace), &networkingv1.Ingress{})
	case resIngressClasses:
		return callsOf[*networkingv1.IngressClassList](l.client.NetworkingV1().IngressClasses(), &networkingv1.IngressClass{})
	case resGateways, resGatewayClasses, resHTTPRoutes, resGRPCRoutes:
		r := l.res[i]
		res := l.dyn.Resource(schema.GroupVersionResource{Group: gatewayGroup, Version: "v1", Resource: r.name})
		if r.namespaced {
			return callsOf[*unstructured.UnstructuredList](res.Namespace(l.namespace), &unstructured.Unstructured{})
		}
		return callsOf[*unstructured.UnstructuredList](res, &unstructured.Unstructured{})
	}
	return callsOf[*corev1.NodeList](l.client.CoreV1().Nodes(), &corev1.Node{})
}

// startInformers registers an informer per readable resource in one
// shared factory, with the converting transform, and starts them.
func (l *Live) startInformers(ctx context.Context) (informers.SharedInformerFactory, error) {
	factory := informers.NewSharedInformerFactoryWithOptions(l.client, 0, informers.WithTransform(l.transform))
	var own []cache.SharedIndexInformer
	for i, r := range l.res {
		if r.skipped != "" {
			continue
		}
		var inf cache.SharedIndexInformer
		if r.dynamic {
			// Every dynamic resource has the same Go type, which the
			// factory would share one informer for: run these here.
			inf = l.newInformer(i)(l.client, 0)
			if err := inf.SetTransform(l.transform); err != nil {
				return factory, err
			}
			own = append(own, inf)
		} else {
			inf = factory.InformerFor(l.calls(i).obj, l.newInformer(i))
		}
		err := inf.SetWatchErrorHandlerWithContext(func(_ context.Context, _ *cache.Reflector, err error) {
			l.failed(i, "watch", err)
		})
		if err != nil {
			return factory, err
		}
		var h cache.ResourceEventHandler
		switch i {
		case resServices:
			h = eventHandler(&l.build.services, l.markDirty)
		case resSlices:
			h = eventHandler(&l.build.slices, l.markDirty)
		case resPods:
			h = eventHandler(&l.build.pods, l.markDirty)
		case resNodes:
			h = eventHandler(&l.build.nodes, l.markDirty)
		case resIngresses:
			h = eventHandler(&l.build.ingresses, l.markDirty)
		case resIngressClasses:
			h = eventHandler(&l.build.ingressClasses, l.markDirty)
		case resGateways:
			h = eventHandler(&l.build.gateways, l.markDirty)
		case resGatewayClasses:
			h = eventHandler(&l.build.gatewayClasses, l.markDirty)
		case resHTTPRoutes:
			h = eventHandler(&l.build.httpRoutes, l.markDirty)
		case resGRPCRoutes:
			h = eventHandler(&l.build.grpcRoutes, l.markDirty)
		}
		if l.regs[i], err = inf.AddEventHandler(guardedHandler{l, h}); err != nil {
			return factory, err
		}
	}
	factory.StartWithContext(ctx)
	for _, inf := range own {
		l.running.Go(func() { inf.RunWithContext(ctx) })
	}
	return factory, nil
}

// newInformer builds the informer itself rather than through the
// factory's typed accessors, for two reasons: its list and watch calls
// report failures and recoveries (the reflector retries a refused watch
// without telling the watch error handler, so that alone would miss a
// server going away), and it skips the namespace index nobody here reads.
func (l *Live) newInformer(i int) func(kubernetes.Interface, time.Duration) cache.SharedIndexInformer {
	calls, r := l.calls(i), l.res[i]
	return func(typed kubernetes.Interface, resync time.Duration) cache.SharedIndexInformer {
		// The client tells whether lists may stream (watch-list semantics).
		var client any = typed
		if r.dynamic {
			client = l.dyn
		}
		lw := &cache.ListWatch{
			// Each list is bounded: a server (or proxy) that accepts the
			// request and never answers would hold the reflector forever.
			ListWithContextFunc: func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
				return guarded(l, "listing "+r.name, func() (runtime.Object, error) {
					ctx, cancel := context.WithTimeout(ctx, l.listTimeout)
					defer cancel()
					obj, err := calls.list(ctx, opts)
					if err != nil {
						l.failed(i, "list", err)
					}
					return obj, err
				})
			},
			// Each watch is bounded too (watchDeadline), and guarded: a
			// watch silent for l.silence is ended (live_watchdog.go).
			WatchFuncWithContext: func(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
				return guarded(l, "watching "+r.name, func() (watch.Interface, error) { return l.watch(ctx, i, calls, opts) })
			},
		}
		return cache.NewSharedIndexInformerWithOptions(
			cache.ToListWatcherWithWatchListSemantics(lw, client),
			calls.obj,
			cache.SharedIndexInformerOptions{ResyncPeriod: resync, ObjectDescription: r.name},
		)
	}
}

// eventHandler records changed objects for the next rebuild and wakes the
// loop; it never builds anything itself. Updates that leave the model
// value as it was (status heartbeats, fields the model drops) are ignored.
func eventHandler[T any](k *kindCache[T], dirty func()) cache.ResourceEventHandler {
	return cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			k.mark(obj, false)
			dirty()
		},
		UpdateFunc: func(old, new any) {
			o, ok1 := old.(*cached[T])
			n, ok2 := new.(*cached[T])
			if ok1 && ok2 && reflect.DeepEqual(o.value, n.value) {
				return
			}
			k.mark(new, false)
			dirty()
		},
		DeleteFunc: func(obj any) {
			k.mark(obj, true)
			dirty()
		},
	}
}

// markDirty never blocks: if a wake-up is already pending, this event
// joins it.
func (l *Live) markDirty() {
	select {
	case l.dirty <- struct{}{}:
	default:
	}
}

// failed handles a list or watch error. While loading, errors that
// retrying cannot fix end Start with one line; afterwards every error only
// marks the resource stale until its watch is back.
func (l *Live) failed(i int, verb string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	if l.syncing.Load() && hopeless(err) {
		select {
		case l.fatal <- explain(err, l.request(i, verb)):
		default:
		}
	}
	if l.res[i].failed(err, time.Now()) {
		l.markDirty()
	}
}

// hopeless reports errors a retry will not fix: permissions, credentials,
// TLS, nothing listening, no such host.
func hopeless(err error) bool {
	var dnsErr *net.DNSError
	return apierrors.IsForbidden(err) || apierrors.IsUnauthorized(err) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dnsErr) || isTLS(err)
}

func (l *Live) request(i int, verb string) request {
	r := l.res[i]
	rq := request{verb: verb, resource: r.name, group: r.group, namespaced: r.namespaced, namespace: l.namespace, host: l.host}
	if verb == "list" {
		rq.timeout = l.listTimeout
	}
	return rq
}

// quietContext gives client-go a logger that drops everything unless
// the user asked for logs (-v 1 or more, which the CLI routes to
// --log-file, stderr, or nowhere while the TUI is drawn): at the default
// level its retry chatter would only repeat what the snapshot and
// Start's error tell the user.
func quietContext(ctx context.Context) context.Context {
	if klog.V(1).Enabled() {
		return ctx
	}
	return klog.NewContext(ctx, logr.Discard())
}
