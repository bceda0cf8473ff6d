package k8s

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/utils/ptr"
)

// A watch the API server accepted can still go quiet for good: a proxy
// or load balancer in front of the server that stops forwarding, a
// half-dead connection that TCP has not noticed. client-go's reflector
// waits on such a watch forever, and a quiet cluster looks exactly like
// it. What tells them apart is the bookmark: the reflector always asks
// for bookmarks (AllowWatchBookmarks), and the API server's watch cache
// sends one on every such watch about once a minute
// (defaultBookmarkFrequency in k8s.io/apiserver's cacher) even when
// nothing changes. So every watch gets a liveness deadline: no event, not
// even a bookmark, for watchSilence, and the watch is ended with a
// Timeout error, which makes the reflector relist (each list bounded
// too) and watch again; the resource counts as stale, since the last
// time the server was heard, until a watch is back.
//
// watchSilence leaves a missed bookmark's worth of slack, as the API
// server does for its own cache (DefaultEventFreshDuration, 75s).
const watchSilence = 90 * time.Second

// errWatchSilent is the error a silent watch is ended with, and the
// reason a stale resource gives.
type errWatchSilent struct{ after time.Duration }

func (e errWatchSilent) Error() string {
	return fmt.Sprintf("the API server sent nothing on the watch for %s, not even the bookmark it sends every minute (a proxy in between may have stopped forwarding)", e.after.Round(time.Second))
}

// watchDeadline bounds a watch request on our side: the timeout the
// reflector asked the server for, plus the silence allowed. A server that
// ignores timeoutSeconds is cut off then.
func watchDeadline(opts metav1.ListOptions, silence time.Duration) time.Duration {
	return time.Duration(ptr.Deref(opts.TimeoutSeconds, 0))*time.Second + silence
}

// guardedWatch passes a watch's events through and ends it when the
// server has been silent for too long. heard is called on every event;
// silent once, when the deadline passes.
type guardedWatch struct {
	inner  watch.Interface
	cancel context.CancelFunc // ends the HTTP request
	out    chan watch.Event
	stop   chan struct{}
	once   sync.Once
}

func guardWatch(inner watch.Interface, cancel context.CancelFunc, silence time.Duration, heard func(), silent func(error), onPanic func(any)) *guardedWatch {
	g := &guardedWatch{inner: inner, cancel: cancel, out: make(chan watch.Event), stop: make(chan struct{})}
	go g.run(silence, heard, silent, onPanic)
	return g
}

func (g *guardedWatch) run(silence time.Duration, heard func(), silent func(error), onPanic func(any)) {
	defer close(g.out)
	defer g.cancel()
	defer g.inner.Stop()
	defer func() {
		if r := recover(); r != nil {
			onPanic(r)
		}
	}()
	t := time.NewTimer(silence)
	defer t.Stop()
	for {
		select {
		case ev, ok := <-g.inner.ResultChan():
			if !ok {
				return
			}
			heard()
			select {
			case g.out <- ev:
			case <-g.stop:
				return
			}
			// Counted from here: time the reflector spends on an event
			// is not the server's silence.
			t.Reset(silence)
		case <-t.C:
			err := errWatchSilent{silence}
			silent(err)
			status := &metav1.Status{Status: metav1.StatusFailure, Code: http.StatusGatewayTimeout, Reason: metav1.StatusReasonTimeout, Message: err.Error()}
			select {
			case g.out <- watch.Event{Type: watch.Error, Object: status}:
			case <-g.stop:
			}
			return
		case <-g.stop:
			return
		}
	}
}

// Stop implements watch.Interface.
func (g *guardedWatch) Stop() { g.once.Do(func() { close(g.stop) }) }

// ResultChan implements watch.Interface.
func (g *guardedWatch) ResultChan() <-chan watch.Event { return g.out }

// watch opens one watch of resource i for the reflector: bounded on our
// side (watchDeadline) and guarded against silence (guardWatch).
func (l *Live) watch(ctx context.Context, i int, calls apiCalls, opts metav1.ListOptions) (watch.Interface, error) {
	r := l.res[i]
	wctx, cancel := context.WithTimeout(ctx, watchDeadline(opts, l.silence))
	w, err := calls.watch(wctx, opts)
	if err != nil {
		cancel()
		// A server without streaming lists refuses them; the reflector
		// falls back to list and watch, nothing is lost.
		refused := ptr.Deref(opts.SendInitialEvents, false) && (apierrors.IsInvalid(err) || apierrors.IsBadRequest(err))
		if !refused {
			l.failed(i, "watch", err)
		}
		return nil, err
	}
	if r.watched(time.Now()) {
		l.markDirty() // the snapshot is no longer stale
	}
	heard := func() {
		if r.heardFrom(time.Now()) {
			l.markDirty()
		}
	}
	silent := func(err error) {
		if r.silent(err, time.Now()) {
			l.markDirty()
		}
	}
	onPanic := func(v any) { l.panicked("watching "+r.name, v) }
	return guardWatch(w, cancel, l.silence, heard, silent, onPanic), nil
}
