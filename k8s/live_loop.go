package k8s

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"k8s.io/client-go/tools/cache"

	"github.com/ktraffic/ktraffic/model"
)

// progressEvery paces LoadProgress messages: often enough to look alive,
// rarely enough to cost nothing.
const progressEvery = 100 * time.Millisecond

// waitLoaded waits until every handler has seen its informer's initial
// list and every watch is established, sending progress meanwhile, so the
// first snapshot is complete and known to follow the cluster. It gives up
// on the first error a retry cannot fix (a forbidden watch included), or
// after syncTimeout.
func (l *Live) waitLoaded(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, l.syncTimeout)
	defer cancel()
	var checkers []cache.DoneChecker
	for i, reg := range l.regs {
		if reg != nil {
			checkers = append(checkers, reg.HasSyncedChecker(), l.res[i])
		}
	}
	loaded := make(chan bool, 1)
	go func() { loaded <- cache.WaitFor(ctx, "", checkers...) }()
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for {
		select {
		case ok := <-loaded:
			if ok {
				return nil
			}
			if errors.Is(ctx.Err(), context.Canceled) {
				return ctx.Err()
			}
			return l.loadTimedOut()
		case err := <-l.fatal:
			cancel()
			<-loaded
			return err
		case <-tick.C:
			l.sendProgress(false)
		}
	}
}

func (l *Live) loadTimedOut() error {
	var parts []string
	var cause error
	for i, r := range l.res {
		if l.regs[i] == nil || (l.regs[i].HasSynced() && cache.IsDone(r)) {
			continue
		}
		part := fmt.Sprintf("%s (%d loaded, not watching yet)", r.name, r.loaded.Load())
		if !l.regs[i].HasSynced() {
			part = fmt.Sprintf("%s (%d loaded)", r.name, r.loaded.Load())
		}
		if err := r.lastError(); err != nil {
			part += ": " + explain(err, l.request(i, "list")).Error()
			cause = err
		}
		parts = append(parts, part)
	}
	return newClusterError(cause, "the cluster did not finish loading within %s (raise --request-timeout to wait longer): %s", l.syncTimeout, strings.Join(parts, "; "))
}

// loop turns dirty marks into snapshots until ctx ends. The first mark of
// a burst starts a debounce wait; everything marked during it joins the
// same rebuild.
func (l *Live) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.dirty:
		}
		t := time.NewTimer(l.debounce)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		select {
		case <-l.dirty:
		default:
		}
		if s, changed := l.rebuild(); changed {
			l.publish(s)
		}
	}
}

// rebuild applies pending changes and assembles a snapshot; changed is
// false when neither data nor status moved since the last one.
func (l *Live) rebuild() (s *model.Snapshot, changed bool) {
	dataChanged := l.build.refresh()
	since, warnings := l.status()
	prev := l.latest.Load()
	if prev != nil && !dataChanged && prev.StaleSince.Equal(since) && slices.Equal(prev.Warnings, warnings) {
		return prev, false
	}
	s = l.build.snapshot(l.nodesKnown)
	s.Source, s.StaleSince, s.Warnings = l.source, since, warnings
	return s, true
}

// status is the snapshot's StaleSince (the oldest lost watch) and its
// warnings: nodes unknown, Service values ignored, watches lost.
func (l *Live) status() (since time.Time, warnings []string) {
	if !l.nodesKnown {
		warnings = append(warnings, nodesUnknown)
	}
	if w := l.entryWarning(); w != "" {
		warnings = append(warnings, w)
	}
	warnings = append(warnings, l.build.ignored...)
	for i, r := range l.res {
		t, err := r.stale()
		if t.IsZero() {
			continue
		}
		if since.IsZero() || t.Before(since) {
			since = t
		}
		why := "the watch was lost"
		var silent errWatchSilent
		switch {
		case errors.As(err, &silent):
			why = silent.Error()
		case err != nil:
			why = explain(err, l.request(i, "watch")).Error()
		}
		warnings = append(warnings, fmt.Sprintf("%s may be out of date since %s, retrying: %s", r.name, t.Format("15:04:05"), why))
	}
	return since, warnings
}

// publish makes s the newest snapshot. Updates holds at most one: an
// unread older snapshot is replaced, so the source never waits on a reader.
func (l *Live) publish(s *model.Snapshot) {
	l.latest.Store(s)
	for {
		select {
		case l.updates <- s:
			return
		default:
		}
		select {
		case <-l.updates:
		default:
		}
	}
}

func (l *Live) sendProgress(synced bool) {
	p := LoadProgress{Connected: l.connected, Synced: synced, Resources: make([]ResourceProgress, 0, numResources)}
	for i, r := range l.res {
		rp := ResourceProgress{Resource: r.name, Loaded: int(r.loaded.Load()), Skipped: r.skipped}
		if l.regs[i] != nil {
			rp.Synced = l.regs[i].HasSynced()
		}
		p.Resources = append(p.Resources, rp)
	}
	for {
		select {
		case l.progress <- p:
			return
		default:
		}
		select {
		case <-l.progress:
		default:
		}
	}
}
