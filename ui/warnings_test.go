package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

// TestAPIWarningOnStatusLine: a warning from the API server shows on the
// footer until the next key, and the next one is waited for.
func TestAPIWarningOnStatusLine(t *testing.T) {
	warnings := make(chan string, 2)
	warnings <- "policy/v1beta1 PodDisruptionBudget is deprecated"
	close(warnings) // the feed ends: the test need not wait on it
	m := newTestModel(t, Options{Snapshot: uitest.KiadaPair(), Source: "demo:kiada", Warnings: warnings}, 100, 20)
	lines := strings.Split(plain(m.Render()), "\n")
	if got := lines[len(lines)-1]; !strings.Contains(got, "warning from the API server: policy/v1beta1 PodDisruptionBudget is deprecated") {
		t.Fatalf("footer %q", got)
	}
	m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	lines = strings.Split(plain(m.Render()), "\n")
	if strings.Contains(lines[len(lines)-1], "warning") {
		t.Errorf("the warning outlived a key press: %q", lines[len(lines)-1])
	}
}
