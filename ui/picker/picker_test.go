package picker

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
)

func testPicker(t *testing.T, n int) *Model {
	t.Helper()
	th, err := themes.Load("mono", "")
	if err != nil {
		t.Fatal(err)
	}
	items := make([]Item, n)
	for i := range items {
		items[i] = Item{Value: fmt.Sprintf("node-%04d", i), Note: "z1"}
	}
	p := New(&common.Context{Styles: themes.NewStyles(th), Keys: common.DefaultKeyMap()}, "test", "Pick", items, "node-0002")
	p.SetSize(40, 8)
	return p
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

func plain(s string) string {
	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.NoTTY}
	_, _ = w.WriteString(s)
	return b.String()
}

func TestPickerKeys(t *testing.T) {
	p := testPicker(t, 2000)
	if p.Highlighted() != "node-0002" {
		t.Fatalf("opened on %q, want the current value", p.Highlighted())
	}
	// j and k are text here: node names hold letters.
	steps := []struct{ key, filter, highlighted string }{
		{"1", "1", "node-0001"},
		{"9", "19", "node-0019"},
		{"9", "199", "node-0199"},
		{"down", "199", "node-1199"},
		{"up", "199", "node-0199"},
		{"up", "199", "node-0199"},
		{"end", "199", "node-1999"},
		{"home", "199", "node-0199"},
		{"end", "199", "node-1999"},
		{"up", "199", "node-1998"},
		{"home", "199", "node-0199"},
		{"k", "199k", ""},
		{"end", "199k", ""},
		{"backspace", "199", "node-0199"},
	}
	for _, s := range steps {
		_, cmd := p.Update(press(s.key))
		if cmd != nil {
			t.Fatalf("%q answered early", s.key)
		}
		if p.Filter() != s.filter || p.Highlighted() != s.highlighted {
			t.Fatalf("after %q: filter %q highlighted %q, want %q %q", s.key, p.Filter(), p.Highlighted(), s.filter, s.highlighted)
		}
	}
	if p.Matches() != 12 { // node-0199, node-1199 and node-1990…node-1999
		t.Errorf("199 matches %d, want 12", p.Matches())
	}
	_, cmd := p.Update(press("enter"))
	if msg, ok := cmd().(PickedMsg); !ok || msg != (PickedMsg{ID: "test", Value: "node-0199"}) {
		t.Errorf("enter answered %#v", cmd())
	}
	_, cmd = p.Update(press("esc"))
	if msg, ok := cmd().(CancelledMsg); !ok || msg.ID != "test" {
		t.Errorf("esc answered %#v", cmd())
	}
}

// TestPickerWindow: whatever the list's length, the picker draws its
// height, and says how many more there are above and below.
func TestPickerWindow(t *testing.T) {
	p := testPicker(t, 2000)
	for range 7 {
		p.Update(press("down"))
	}
	lines := strings.Split(plain(p.View()), "\n")
	if len(lines) != 8 {
		t.Fatalf("%d lines, want the height, 8:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	want := []string{"Pick  2,000 of 2,000", "/█", "  node-0005  z1", "  node-0006  z1", "  node-0007  z1", "  node-0008  z1",
		"▸ node-0009  z1", "↑ 5 · ↓ 1,990 more: type to narrow"}
	for i, w := range want {
		if strings.TrimRight(lines[i], " ") != w {
			t.Errorf("line %d = %q, want %q", i, lines[i], w)
		}
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1994: "1,994", 50000: "50,000", 1234567: "1,234,567"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
