package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

// k9sOpts is a list with something to find: the kiada pair's findings
// and 60 Services over 40 namespaces, a seventh of them Local.
func k9sOpts() Options {
	return Options{Snapshot: uitest.Merge(uitest.KiadaPair(), uitest.ManyServices(60)), Source: "demo:kiada",
		Demos: []Demo{{Name: "kiada"}, {Name: "aks-tcp"}, {Name: "alb-idle-timeout"}}}
}

// TestK9sScreens: the habits operators bring from k9s, as drawn — the
// row count and the filter in the header, the sort's direction in its
// column, the prompt's suggestions — at 80×24 and 120×40. Keys starting
// with "=" are text typed.
func TestK9sScreens(t *testing.T) {
	sizes := []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"120x40", 120, 40}}
	screens := []struct {
		name string
		keys []string
		want string // on the screen at every size
	}{
		{"count", nil, "services(all)[62]"},
		{"filter-typing", []string{"/", "=Local"}, "services(all)[7] │ </Local>"},
		{"filter", []string{"/", "=Local !team", "enter"}, "services(all)[1] │ </Local !team>"},
		{"filter-none", []string{"/", "=NoSuch", "enter"}, "No Services match “NoSuch”"},
		{"namespace-count", []string{":", "=ns team-01", "enter"}, "services(team-01)[2]"},
		{"sort-name-reversed", []string{"N", "g"}, "NAME↓"},
		{"sort-finding-reversed", []string{"F", "F", "g"}, "FINDING↑"},
		{"sort-back", []string{"O", "g"}, "READY↑"},
		{"prompt-empty", []string{":"}, "svc · ns · from · theme · demo · q"},
		{"prompt-suggestions", []string{":", "=svc default/k"}, "kiada · default/kiada-cluster"},
		{"prompt-next-suggestion", []string{":", "=ns team-0", "down", "down"}, "team-00 · team-01 · team-02"},
		{"theme-list", []string{":", "=theme", "enter"}, "themes: dark (in use), high-contrast, light, mono"},
	}
	for _, sc := range screens {
		for _, sz := range sizes {
			t.Run(sc.name+"/"+sz.name, func(t *testing.T) {
				m := newTestModel(t, k9sOpts(), sz.w, sz.h)
				play(t, m, sc.keys...)
				out := m.Render()
				checkFrame(t, out, sz.w, sz.h)
				if !strings.Contains(plain(out), sc.want) {
					t.Errorf("screen lacks %q:\n%s", sc.want, plain(out))
				}
				golden.RequireEqual(t, plain(out))
			})
		}
	}
}
