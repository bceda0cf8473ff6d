package model

import (
	"strings"
	"testing"
)

// TestCompareKeys: the order is that of the "namespace/name" strings,
// including where a namespace is a prefix of another and "-" sorts
// before "/".
func TestCompareKeys(t *testing.T) {
	keys := [][2]string{
		{"a", "x"}, {"a-b", "x"}, {"a", "x-1"}, {"a", "y"}, {"ab", ""}, {"", "z"}, {"a", ""},
		{"team-01", "svc"}, {"team-0", "svc"}, {"team", "0"}, {"a/b", "c"}, {"a", "b/c"}, {"a", "x"},
	}
	sign := func(n int) int { return min(max(n, -1), 1) }
	for _, a := range keys {
		for _, b := range keys {
			want := strings.Compare(a[0]+"/"+a[1], b[0]+"/"+b[1])
			if got := compareKeys(a[0], a[1], b[0], b[1]); sign(got) != want {
				t.Errorf("compareKeys(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}
