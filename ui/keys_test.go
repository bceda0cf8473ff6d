package ui

import "testing"

func TestPressMatchesKeyNames(t *testing.T) {
	for _, k := range []string{"enter", "esc", "j", "k", "G", "g", "?", ":", "/", "s", "S", "q", "ctrl+c", "space", "pgdown", "o", "t"} {
		if got := press(k).String(); got != k {
			t.Errorf("press(%q).String() = %q", k, got)
		}
	}
}
