package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

var tab = tea.KeyPressMsg{Code: tea.KeyTab}

// TestPromptTabCompletes: Tab completes ":" commands and their argument
// from what is loaded: the common prefix first, then each candidate in
// turn, named on the prompt line.
func TestPromptTabCompletes(t *testing.T) {
	snap := uitest.KiadaPair()
	snap.Services = append(snap.Services,
		model.Service{Namespace: "shop", Name: "checkout", Type: model.TypeClusterIP},
		model.Service{Namespace: "shop", Name: "catalog", Type: model.TypeClusterIP})
	opts := Options{Snapshot: snap, Source: "demo:kiada", Demos: []Demo{{Name: "kiada"}, {Name: "aks-tcp"}, {Name: "alb-idle-timeout"}}}
	tests := []struct {
		name  string
		typed string
		tabs  int
		want  string
		hint  string
	}{
		{"a command", "n", 1, "ns ", ""},
		{"two commands share nothing more", "", 1, "svc ", "svc · ns · from · theme · demo · help · q"},
		{"a namespace", "ns s", 1, "ns shop", ""},
		{"namespaces cycle", "ns ", 2, "ns default", "all · default · shop"},
		{"a Service: the common prefix", "svc shop/c", 1, "svc shop/checkout", "shop/checkout · shop/catalog"},
		{"then the next", "svc shop/c", 2, "svc shop/catalog", ""},
		{"a demo", "demo al", 1, "demo alb-idle-timeout", ""},
		{"no longer prefix: the first candidate", "demo a", 1, "demo aks-tcp", "aks-tcp · alb-idle-timeout"},
		{"no candidate leaves the line", "demo zz", 1, "demo zz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, opts, 100, 20)
			send(t, m, ":")
			typeText(t, m, tt.typed)
			for range tt.tabs {
				m.Update(tab)
			}
			if m.prompt.value != tt.want {
				t.Errorf("line %q, want %q", m.prompt.value, tt.want)
			}
			lines := strings.Split(plain(m.Render()), "\n")
			if footer := lines[len(lines)-1]; tt.hint != "" && !strings.Contains(footer, tt.hint) {
				t.Errorf("footer %q lacks %q", footer, tt.hint)
			}
		})
	}
}

// TestPromptTabFromAndEnter: :from completes the sources of the Service
// in front, and the completed line runs.
func TestPromptTabFromAndEnter(t *testing.T) {
	m := newTestModel(t, Options{Snapshot: uitest.KiadaPair(), Source: "demo:kiada", Service: "default/kiada"}, 100, 30)
	send(t, m, ":")
	typeText(t, m, "from nodeport:")
	m.Update(tab)
	if m.prompt.value != "from nodeport:node-" || strings.Join(m.prompt.cands, ",") != "from nodeport:node-a,from nodeport:node-b" {
		t.Fatalf("line %q, candidates %q", m.prompt.value, m.prompt.cands)
	}
	m.Update(tab)
	m.Update(tab)
	if m.prompt.value != "from nodeport:node-b" {
		t.Fatalf("line %q after cycling", m.prompt.value)
	}
	send(t, m, "enter")
	if got := m.flow.source; got != (model.TrafficSource{Kind: model.SourceNodePort, Node: "node-b"}) {
		t.Errorf("source %v after :from", got)
	}
}
