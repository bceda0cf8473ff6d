package ui

import (
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

func shopOpts() Options {
	snap := uitest.KiadaPair()
	snap.Services = append(snap.Services,
		model.Service{Namespace: "shop", Name: "checkout", Type: model.TypeClusterIP},
		model.Service{Namespace: "shop", Name: "catalog", Type: model.TypeClusterIP})
	return Options{Snapshot: snap, Source: "demo:kiada", Demos: []Demo{{Name: "kiada"}, {Name: "aks-tcp"}, {Name: "alb-idle-timeout"}}}
}

func footer(m *Model) string {
	lines := strings.Split(plain(m.Render()), "\n")
	return lines[len(lines)-1]
}

// TestPromptCompletes: the ":" line suggests whole lines from what is
// loaded. The footer names the matches; Tab takes their common part, then
// the one shown; ↓/↑ (ctrl+n/ctrl+p) choose another.
func TestPromptCompletes(t *testing.T) {
	tests := []struct {
		name  string
		typed string
		hint  string // the footer once typed
		keys  []string
		want  string
	}{
		{"a command", "n", "", []string{"tab"}, "ns "},
		{"nothing typed: the commands", "", "svc · ns · from · theme · demo · q", []string{"tab"}, ""},
		{"a namespace", "ns s", "", []string{"tab"}, "ns shop"},
		{"namespaces: the first", "ns ", "", []string{"tab"}, "ns all"},
		{"namespaces: the next", "ns ", "", []string{"down", "tab"}, "ns default"},
		{"namespaces: ctrl+n, ctrl+p", "ns ", "", []string{"ctrl+n", "ctrl+n", "ctrl+p", "tab"}, "ns default"},
		{"a Service", "svc shop/c", "checkout · shop/catalog", []string{"tab"}, "svc shop/checkout"},
		{"another Service", "svc shop/c", "", []string{"down", "tab"}, "svc shop/catalog"},
		{"back round", "svc shop/c", "", []string{"up", "tab"}, "svc shop/catalog"},
		{"the common part first", "svc default/k", "kiada · default/kiada-cluster", []string{"tab"}, "svc default/kiada"},
		{"then the one shown", "svc default/k", "", []string{"tab", "down", "tab"}, "svc default/kiada-cluster"},
		{"a demo", "demo al", "", []string{"tab"}, "demo alb-idle-timeout"},
		{"demos", "demo a", "aks-tcp · alb-idle-timeout", []string{"tab"}, "demo aks-tcp"},
		{"a theme", "theme hi", "", []string{"tab"}, "theme high-contrast"},
		{"nothing matches", "demo zz", "", []string{"tab"}, "demo zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, shopOpts(), 100, 20)
			play(t, m, ":", "="+tt.typed)
			if f := footer(m); tt.hint != "" && !strings.Contains(f, tt.hint) {
				t.Errorf("footer %q lacks %q", f, tt.hint)
			}
			send(t, m, tt.keys...)
			if got := m.prompt.value(); got != tt.want {
				t.Errorf("line %q, want %q", got, tt.want)
			}
		})
	}
}

// In a namespace, :svc suggests its bare names first.
func TestPromptCompletesInTheNamespaceShown(t *testing.T) {
	m := newTestModel(t, shopOpts(), 100, 20)
	play(t, m, ":", "=ns shop", "enter", ":", "=svc ")
	if f := footer(m); !strings.Contains(f, "checkout · catalog · default/kiada") {
		t.Errorf("footer %q", f)
	}
	play(t, m, "=ca", "tab", "enter")
	if m.Page() != "flow" || m.flow.service != "shop/catalog" {
		t.Errorf("opened %s %q", m.Page(), m.flow.service)
	}
}

// TestPromptFromAndEnter: :from completes the sources of the Service in
// front, and the completed line runs.
func TestPromptFromAndEnter(t *testing.T) {
	m := newTestModel(t, Options{Snapshot: uitest.KiadaPair(), Source: "demo:kiada", Service: "default/kiada"}, 100, 30)
	send(t, m, ":")
	typeText(t, m, "from nodeport:")
	if f := footer(m); !strings.Contains(f, "nodeport:node-a · nodeport:node-b") {
		t.Fatalf("footer %q", f)
	}
	send(t, m, "tab")
	if got := m.prompt.value(); got != "from nodeport:node-" {
		t.Fatalf("line %q after tab", got)
	}
	send(t, m, "down", "tab", "enter")
	if got := m.flow.source; got != (model.TrafficSource{Kind: model.SourceNodePort, Node: "node-b"}) {
		t.Errorf("source %v after :from", got)
	}
}

// TestPromptEditsLikeAShell: the cursor moves and deletes by character,
// word and line, in the ":" and the "/" prompt alike.
func TestPromptEditsLikeAShell(t *testing.T) {
	steps := []struct {
		key  string // a key, or "=text" typed
		line string
		pos  int
	}{
		{"=ns default", "ns default", 10},
		{"left", "ns default", 9},
		{"ctrl+a", "ns default", 0},
		{"right", "ns default", 1},
		{"end", "ns default", 10},
		{"home", "ns default", 0},
		{"ctrl+e", "ns default", 10},
		{"alt+b", "ns default", 3},
		{"=x", "ns xdefault", 4},
		{"delete", "ns xefault", 4},
		{"backspace", "ns efault", 3},
		{"alt+f", "ns efault", 9},
		{"ctrl+w", "ns ", 3},
		{"=shop", "ns shop", 7},
		{"alt+b", "ns shop", 3},
		{"ctrl+k", "ns ", 3},
		{"ctrl+u", "", 0},
	}
	for _, kind := range []string{":", "/"} {
		m := newTestModel(t, shopOpts(), 100, 20)
		send(t, m, kind)
		for i, s := range steps {
			play(t, m, s.key)
			if got, pos := m.prompt.value(), m.prompt.input.Position(); got != s.line || pos != s.pos {
				t.Fatalf("%s step %d %q: line %q at %d, want %q at %d", kind, i, s.key, got, pos, s.line, s.pos)
			}
		}
	}
}

// A line longer than the footer scrolls under the cursor instead of
// losing its end.
func TestPromptLongLineKeepsTheCursorInView(t *testing.T) {
	m := newTestModel(t, shopOpts(), 60, 20)
	send(t, m, "/")
	typeText(t, m, strings.Repeat("abcdefghij", 8)+"END")
	if f := footer(m); !strings.Contains(f, "END") || strings.Contains(f, "…") {
		t.Errorf("footer %q", f)
	}
	send(t, m, "home")
	if f := footer(m); !strings.HasPrefix(f, "/abcdefghij") {
		t.Errorf("after home, footer %q", f)
	}
}

// :theme alone lists the themes and the one in use; it picks none.
func TestThemeCommandAlone(t *testing.T) {
	m := newTestModel(t, shopOpts(), 120, 20)
	play(t, m, ":", "=theme light", "enter", ":", "=theme", "enter")
	if m.Theme() != "light" {
		t.Errorf(":theme switched to %q", m.Theme())
	}
	if want := "themes: dark, high-contrast, light (in use), mono"; !strings.Contains(m.status, want) {
		t.Errorf("status %q lacks %q", m.status, want)
	}
}
