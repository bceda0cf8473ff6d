package common

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/model"
)

func TestWrapBreaksOnlyAtSpaces(t *testing.T) {
	cases := []struct {
		name string
		s    string
		w    int
		want []string
	}{
		{"a flag stays whole", "use --from internal or --from nodeport", 12,
			[]string{"use --from", "internal or", "--from", "nodeport"}},
		{"a hyphenated word stays whole", "the what-if no longer predicts", 12,
			[]string{"the what-if", "no longer", "predicts"}},
		{"fits as is", "short line", 40, []string{"short line"}},
		{"paragraphs and indentation", "  indented text\nnext", 10, []string{"  indented", "text", "next"}},
		{"a word wider than the line is cut", "x abcdefghij y", 4, []string{"x", "abcd", "efgh", "ij y"}},
		{"empty", "", 10, []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Wrap(c.s, c.w)
			if !slices.Equal(got, c.want) {
				t.Errorf("Wrap(%q, %d) = %q, want %q", c.s, c.w, got, c.want)
			}
			for _, l := range got {
				if ansi.StringWidth(l) > c.w {
					t.Errorf("line %q is wider than %d", l, c.w)
				}
			}
		})
	}
}

// TestWrapNeverSplitsAFlag wraps a CLI-like sentence at every width and
// checks no line ends in a dash or starts inside a flag.
func TestWrapNeverSplitsAFlag(t *testing.T) {
	s := "cannot set sessionAffinityTimeoutSeconds on default/kiada: sessionAffinity is None (set --from nodeport:node-a first)"
	for w := 20; w <= 90; w++ {
		for _, l := range Wrap(s, w) {
			if strings.HasSuffix(l, "-") || strings.HasPrefix(l, "-from") || strings.HasPrefix(l, "from") {
				t.Fatalf("width %d splits a word: %q", w, Wrap(s, w))
			}
		}
	}
}

func TestPlural(t *testing.T) {
	cases := []struct {
		n    int
		word string
		want string
	}{
		{0, "pod", "0 pods"}, {1, "pod", "1 pod"}, {2, "warning", "2 warnings"}, {1, "Service", "1 Service"},
		{2000, "node", "2,000 nodes"},
	}
	for _, c := range cases {
		if got := Counted(c.n, c.word); got != c.want {
			t.Errorf("Counted(%d, %q) = %q, want %q", c.n, c.word, got, c.want)
		}
	}
}

// TestTUIWords: the model's errors, which name CLI flags, read in the
// UI's words.
func TestTUIWords(t *testing.T) {
	_, err := model.ParseSource("bogus")
	cases := []struct{ in, want string }{
		{err.Error(), `invalid :from "bogus": Tab after :from lists the valid sources`},
		{"--from lb: ClusterIP Service shop/x has no load balancer; use --from internal", ":from lb: ClusterIP Service shop/x has no load balancer; use :from internal"},
		{"cannot set sessionAffinityTimeoutSeconds on a/b: sessionAffinity is None (add --set sessionAffinity=ClientIP)",
			"cannot set sessionAffinityTimeoutSeconds on a/b: sessionAffinity is None (add sessionAffinity=ClientIP)"},
		{"the what-if is kept", "the what-if is kept"},
	}
	for _, c := range cases {
		if got := TUIWords(c.in); got != c.want {
			t.Errorf("TUIWords(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
