package k8s

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"

	"k8s.io/client-go/tools/cache"
)

// kindCache keeps one resource's model values as a slice sorted by
// "namespace/name", the order model.Snapshot.Normalize gives. Event
// handlers only record which objects changed (pointers to the converted
// values the informer already holds); a rebuild splices just those into a
// copy of the slice, so one changed EndpointSlice costs one copy of the
// slices' slice, not a pass over the cluster.
type kindCache[T any] struct {
	keyOf func(*T) (namespace, name string)

	mu sync.Mutex
	// dirty holds the newest value per changed object, nil once deleted.
	// Keys are the objects' own strings: marking allocates nothing.
	dirty map[objKey]*cached[T]

	// items belongs to the last published snapshot too: it is replaced,
	// never written.
	items []T
}

type objKey struct{ namespace, name string }

type pending[T any] struct {
	key objKey
	obj *cached[T] // nil: deleted
}

// mark records obj (a converted value, or the tombstone of one) as changed.
func (k *kindCache[T]) mark(obj any, deleted bool) {
	c, ok := obj.(*cached[T])
	if tomb, isTomb := obj.(cache.DeletedFinalStateUnknown); isTomb {
		c, ok = tomb.Obj.(*cached[T])
	}
	if !ok {
		return
	}
	key := objKey{c.namespace, c.name}
	if deleted {
		c = nil
	}
	k.mu.Lock()
	if k.dirty == nil {
		k.dirty = make(map[objKey]*cached[T])
	}
	k.dirty[key] = c
	k.mu.Unlock()
}

func (k *kindCache[T]) takeDirty() []pending[T] {
	k.mu.Lock()
	out := make([]pending[T], 0, len(k.dirty))
	for key, obj := range k.dirty {
		out = append(out, pending[T]{key, obj})
	}
	k.dirty = nil
	k.mu.Unlock()
	slices.SortFunc(out, func(a, b pending[T]) int {
		return compareNames(a.key.namespace, a.key.name, b.key.namespace, b.key.name)
	})
	return out
}

// refresh applies the recorded changes and reports whether there were any.
// change, when set, sees each value that leaves (old) and enters (new).
func (k *kindCache[T]) refresh(change func(old, new *T)) bool {
	todo := k.takeDirty()
	if len(todo) == 0 {
		return false
	}
	old := k.items
	out := make([]T, 0, len(old)+len(todo))
	i := 0
	for _, p := range todo {
		at := func(x int) int {
			ns, name := k.keyOf(&old[x])
			return compareNames(ns, name, p.key.namespace, p.key.name)
		}
		j := i + sort.Search(len(old)-i, func(x int) bool { return at(i+x) >= 0 })
		out = append(out, old[i:j]...)
		i = j
		var prev, next *T
		if i < len(old) && at(i) == 0 {
			prev = &old[i]
			i++
		}
		if p.obj != nil {
			out = append(out, p.obj.value)
			next = &out[len(out)-1]
		}
		if change != nil && (prev != nil || next != nil) {
			change(prev, next)
		}
	}
	out = append(out, old[i:]...)
	k.items = out
	return true
}

// compareNames orders objects as strings.Compare orders their keys
// (namespace+"/"+name, or the name alone when cluster-scoped) without
// building the keys. Tuple order would differ: "a-b/x" sorts before "a/x".
func compareNames(ans, an, bns, bn string) int {
	if ans == bns {
		return strings.Compare(an, bn)
	}
	m := min(len(ans), len(bns))
	if c := strings.Compare(ans[:m], bns[:m]); c != 0 {
		return c
	}
	// One namespace is a prefix of the other: the shorter key continues
	// with '/', which no namespace contains.
	if len(ans) < len(bns) {
		return cmp.Compare('/', bns[m])
	}
	return cmp.Compare(ans[m], '/')
}
