package k8s

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"k8s.io/client-go/tools/cache"
)

// kindCache keeps one resource's model values as a slice sorted by
// "namespace/name", the order model.Snapshot.Normalize gives. Event
// handlers only mark keys; a rebuild re-reads just those keys from the
// informer's store and splices them in, so one changed EndpointSlice costs
// one copy of the slices' slice, not a pass over the cluster.
type kindCache[T any] struct {
	store cache.Store
	keyOf func(*T) (namespace, name string)

	mu    sync.Mutex
	dirty map[string]struct{}

	// items belongs to the last published snapshot too: it is replaced,
	// never written.
	items []T
}

func (k *kindCache[T]) mark(key string) {
	k.mu.Lock()
	if k.dirty == nil {
		k.dirty = make(map[string]struct{})
	}
	k.dirty[key] = struct{}{}
	k.mu.Unlock()
}

func (k *kindCache[T]) takeDirty() []string {
	k.mu.Lock()
	keys := make([]string, 0, len(k.dirty))
	for key := range k.dirty {
		keys = append(keys, key)
	}
	k.dirty = nil
	k.mu.Unlock()
	slices.Sort(keys)
	return keys
}

// refresh applies the marked keys and reports whether items changed.
// change, when set, sees each value that leaves (old) and enters (new).
func (k *kindCache[T]) refresh(change func(old, new *T)) bool {
	keys := k.takeDirty()
	if len(keys) == 0 || k.store == nil {
		return false
	}
	old := k.items
	out := make([]T, 0, len(old)+len(keys))
	i := 0
	for _, key := range keys {
		j := i + sort.Search(len(old)-i, func(x int) bool {
			ns, name := k.keyOf(&old[i+x])
			return compareKey(ns, name, key) >= 0
		})
		out = append(out, old[i:j]...)
		i = j
		var prev, next *T
		if i < len(old) {
			if ns, name := k.keyOf(&old[i]); compareKey(ns, name, key) == 0 {
				prev = &old[i]
				i++
			}
		}
		if obj, ok, _ := k.store.GetByKey(key); ok {
			if c, ok := obj.(*cached[T]); ok {
				out = append(out, c.value)
				next = &out[len(out)-1]
			}
		}
		if change != nil && (prev != nil || next != nil) {
			change(prev, next)
		}
	}
	out = append(out, old[i:]...)
	k.items = out
	return true
}

// compareKey compares namespace+"/"+name with key, as strings.Compare
// would, without building the string. Cluster-scoped objects have no
// namespace and their key is the name.
func compareKey(namespace, name, key string) int {
	if namespace == "" {
		return strings.Compare(name, key)
	}
	m := min(len(namespace), len(key))
	if c := strings.Compare(namespace[:m], key[:m]); c != 0 {
		return c
	}
	if len(key) == m {
		return 1 // key is a prefix of namespace+"/"+name
	}
	rest := key[m:] // m == len(namespace) here
	switch {
	case rest[0] > '/':
		return -1
	case rest[0] < '/':
		return 1
	}
	return strings.Compare(name, rest[1:])
}
