package whatif

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

func newModel(t *testing.T) *Model {
	t.Helper()
	th, err := themes.Load("mono", "")
	if err != nil {
		t.Fatal(err)
	}
	m := New(&common.Context{Styles: themes.NewStyles(th), Keys: common.DefaultKeyMap()}, Options{})
	snap := uitest.Kiada(model.PolicyCluster)
	m.SetTarget(Target{Snap: snap, Service: "default/kiada"})
	p, err := model.Predict(snap, model.Request{Service: "default/kiada"})
	if err != nil {
		t.Fatal(err)
	}
	m.SetFlow(p)
	m.SetOpen(true)
	return m
}

// TestResultsAreRoutedBySequence: a comparison answers the request that
// asked for it; one overtaken by a later change is dropped, so quick key
// presses never show an edit the user has already moved past.
func TestResultsAreRoutedBySequence(t *testing.T) {
	m := newModel(t)
	next := tea.KeyPressMsg{Code: 'l', Text: "l"}
	_, first := m.Update(next)  // externalTrafficPolicy Local
	_, second := m.Update(next) // and back to the Service's own
	late, last := first(), second()
	m.Update(last)
	m.Update(late)
	if !m.Edit().Empty() || m.Pending() {
		t.Fatalf("a late result replaced the edit: %v (pending %v)", m.Edit().Words(), m.Pending())
	}
}

// TestRefusalKeepsTheEdit: a change the model refuses is said in the
// panel and undone; the accepted edit stays.
func TestRefusalKeepsTheEdit(t *testing.T) {
	m := newModel(t)
	_, cmd := m.Update(tea.KeyPressMsg{Code: 'l', Text: "l"})
	m.Update(cmd())
	bad := m.Edit()
	if err := bad.SetDrill(model.DrillNodeDown, "node-z"); err != nil {
		t.Fatal(err)
	}
	m.Update(m.Propose(bad)())
	if v, _ := m.Edit().Override(model.KeyExternalTrafficPolicy); v != "Local" || len(m.Edit().Drills) != 0 {
		t.Errorf("edit after a refusal: %v", m.Edit().Words())
	}
	if m.Refused() == "" {
		t.Error("the refusal is not said")
	}
}

// TestCheckKeepsAPendingChange: a new snapshot or source asks for a
// comparison while the user's last change is still being checked; that
// change survives, and clears the notes (an apply's) it answers.
func TestCheckKeepsAPendingChange(t *testing.T) {
	m := newModel(t)
	m.Note("Applied spec.externalTrafficPolicy: Cluster → Local; waiting for the live view to show it…", true)
	_, change := m.Update(tea.KeyPressMsg{Code: 'l', Text: "l"})
	check := m.Check() // a live update arrives before the change's answer
	m.Update(change())
	m.Update(check())
	if v, _ := m.Edit().Override(model.KeyExternalTrafficPolicy); v != "Local" || m.Pending() {
		t.Fatalf("the change was lost: %v (pending %v)", m.Edit().Words(), m.Pending())
	}
	if len(m.Notes()) != 0 {
		t.Errorf("the apply's note outlived a later edit: %v", m.Notes())
	}
}

// TestPanelWindow: given less height than its rows, the panel shows a
// window of them around the cursor and says which.
func TestPanelWindow(t *testing.T) {
	m := newModel(t)
	m.SetSize(80, 8)
	for i := range rows {
		lines := m.Lines()
		if len(lines) > 8 {
			t.Fatalf("cursor %d: %d lines in 8", i, len(lines))
		}
		if !strings.Contains(strings.Join(lines, "\n"), "▸ "+rows[i].label) {
			t.Fatalf("cursor %d not shown:\n%s", i, strings.Join(lines, "\n"))
		}
		m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	}
	m.SetSize(80, 40)
	if lines := m.Lines(); len(lines) != len(rows)+2 || strings.Contains(lines[0], "rows") {
		t.Errorf("room for all: %d lines, title %q", len(lines), lines[0])
	}
}

// TestStaleEditIsSaidWhole: an edit a newer snapshot no longer takes is
// said in full, wrapped, in the UI's words.
func TestStaleEditIsSaidWhole(t *testing.T) {
	m := newModel(t)
	ed := m.Edit()
	if err := ed.SetDrill(model.DrillNodeDown, "node-b"); err != nil {
		t.Fatal(err)
	}
	m.Update(m.Propose(ed)())
	gone := uitest.Kiada(model.PolicyCluster)
	gone.Nodes = gone.Nodes[:1]
	m.SetTarget(Target{Snap: gone, Service: "default/kiada"})
	m.Update(m.Check()())
	lines := m.NoteLines(40)
	text := ansi.Strip(strings.Join(lines, " "))
	if len(lines) < 2 || strings.Contains(text, "…") || !strings.Contains(text, `no node "node-b"`) || !strings.HasSuffix(text, "X all)") {
		t.Errorf("stale edit said as:\n%s", strings.Join(lines, "\n"))
	}
}
