package k8s

import (
	"context"
	"strings"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// nodesUnknown is the warning a snapshot carries when Nodes cannot be read.
const nodesUnknown = "cannot list nodes: forbidden; the node set and zones are unknown and derived from endpoints, so per-node and per-zone results are approximate (ask for get/list/watch on nodes)"

// probe lists one object of each resource, in parallel, within the request
// timeout. It is how an unreachable server, bad credentials or a missing
// permission become one line before any informer starts: an informer
// would retry them forever. Forbidden Nodes is not an error: the source
// degrades instead.
func (l *Live) probe(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, l.timeout)
	defer cancel()
	var errs [numResources]error
	var wg sync.WaitGroup
	for i := range l.res {
		if l.res[i].dynamic && l.dyn == nil {
			l.res[i].skipped = "no client for the Gateway API"
			continue
		}
		calls := l.calls(i)
		wg.Go(func() {
			defer l.recoverPanic("making first contact")
			_, errs[i] = calls.list(ctx, metav1.ListOptions{Limit: 1})
		})
	}
	wg.Wait()
	if crash := l.crash.Load(); crash != nil {
		return crash
	}
	if err := parent.Err(); err != nil {
		return err
	}
	for i, err := range errs {
		switch {
		case err == nil:
		case i == resNodes && apierrors.IsForbidden(err):
			l.res[i].skipped = "forbidden: nodes are derived from endpoints"
			l.nodesKnown = false
		case i >= firstEntryResource:
			l.skipEntry(i, err)
		default:
			rq := l.request(i, "list")
			rq.timeout = l.timeout
			return explain(err, rq)
		}
	}
	l.connected = true
	return nil
}

// skipEntry leaves an entry-layer resource out: the user may not read
// it (said once, in the snapshot's warnings), or the cluster does not
// serve it (the Gateway API is not installed: nothing to say).
func (l *Live) skipEntry(i int, err error) {
	r := l.res[i]
	switch {
	case apierrors.IsForbidden(err):
		r.skipped = "forbidden"
		l.entryDenied = append(l.entryDenied, r.name)
	case apierrors.IsNotFound(err) || meta.IsNoMatchError(err):
		r.skipped = "not served by this cluster"
	default:
		r.skipped = squashLine(err.Error())
		l.entryDenied = append(l.entryDenied, r.name)
	}
}

// entryWarning is the one line a snapshot carries when entry layers
// could not be read.
func (l *Live) entryWarning() string {
	if len(l.entryDenied) == 0 {
		return ""
	}
	return "cannot list " + strings.Join(l.entryDenied, ", ") + ": Ingresses and Gateway API routes in front of Services are not shown for them (ask for get/list/watch on them)"
}
