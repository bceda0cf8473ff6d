package model

import (
	"reflect"
	"runtime"
	"sync"
)

// Resummarize is Summarize for a snapshot that follows prev, whose rows
// were prevRows: a live update usually touches a few objects, so only
// the Services whose own objects changed are predicted again — the
// Service itself or its EndpointSlices; every Service when Nodes (or what
// the input holds) changed; and, when Pods changed, the Services whose
// findings read pods (no usable endpoint: the selector check). The other
// rows are taken as they were.
func Resummarize(prev *Snapshot, prevRows []ServiceSummary, snap *Snapshot, namespace string) []ServiceSummary {
	if prev == nil || prevRows == nil || !sameInputKinds(prev, snap) || !sameList(prev.Nodes, snap.Nodes) || !sameBeyond(prev, snap) {
		return Summarize(snap, namespace)
	}
	rows := make(map[string]*ServiceSummary, len(prevRows))
	for i := range prevRows {
		rows[prevRows[i].Key()] = &prevRows[i]
	}
	prevSvc := make(map[string]*Service, len(prev.Services))
	for i := range prev.Services {
		prevSvc[prev.Services[i].Key()] = &prev.Services[i]
	}
	before, after := slicesByService(prev), slicesByService(snap)
	podsChanged := !sameList(prev.Pods, snap.Pods)
	// A Service behind an entry is summed up with the entry's other
	// backends and its pods' keep-alive: any slice or pod change counts.
	entryChanged := podsChanged || !sameList(prev.Slices, snap.Slices)

	var picked []int
	for i := range snap.Services {
		if namespace == "" || snap.Services[i].Namespace == namespace {
			picked = append(picked, i)
		}
	}
	out := make([]ServiceSummary, len(picked))
	var redo []int // indexes in out
	for k, i := range picked {
		svc := &snap.Services[i]
		key := svc.Key()
		row, had := rows[key]
		old := prevSvc[key]
		switch {
		case !had || old == nil || !reflect.DeepEqual(*old, *svc),
			!sameSliceSet(before[key], after[key]),
			podsChanged && row.ReadyEndpoints == 0,
			entryChanged && len(EntrySources(snap, svc)) > 0:
			redo = append(redo, k)
		default:
			out[k] = *row
		}
	}
	if len(redo) == 0 {
		return out
	}
	idx := newSnapIndex(snap)
	idx.indexClasses()
	workers := min(runtime.GOMAXPROCS(0), max(1, len(redo)/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := w; j < len(redo); j += workers {
				k := redo[j]
				out[k] = summarize(snap, &snap.Services[picked[k]], idx)
			}
		}()
	}
	wg.Wait()
	return out
}

// sameBeyond: the entry layers and the datapath are the same, so no
// Service's entry sources or datapath moved.
func sameBeyond(a, b *Snapshot) bool {
	return sameList(a.Ingresses, b.Ingresses) && sameList(a.IngressClasses, b.IngressClasses) && sameList(a.Gateways, b.Gateways) &&
		sameList(a.GatewayClasses, b.GatewayClasses) && sameList(a.Routes, b.Routes) && reflect.DeepEqual(a.Datapath, b.Datapath)
}

// sameInputKinds: the two snapshots hold the same kinds of input.
func sameInputKinds(a, b *Snapshot) bool {
	return a.NodesKnown == b.NodesKnown && a.SlicesMissing == b.SlicesMissing && a.PodsMissing == b.PodsMissing
}

// sameList compares two lists of snapshot objects; the live source shares
// a kind's list between snapshots while nothing of that kind changes, so
// the common case costs nothing.
func sameList[T any](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return reflect.DeepEqual(a, b)
}

func slicesByService(s *Snapshot) map[string][]*EndpointSlice {
	out := make(map[string][]*EndpointSlice, len(s.Services))
	for i := range s.Slices {
		sl := &s.Slices[i]
		k := sl.Namespace + "/" + sl.Service
		out[k] = append(out[k], sl)
	}
	return out
}

func sameSliceSet(a, b []*EndpointSlice) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !reflect.DeepEqual(*a[i], *b[i]) {
			return false
		}
	}
	return true
}
