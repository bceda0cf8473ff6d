package common

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// EditText applies an editing key to a one-line input: typed text,
// space, backspace, ctrl+u (clear) and ctrl+w (last word). It reports
// whether k edits; the ":" prompt and the pickers share it, so their
// inputs edit alike.
func EditText(v string, k tea.KeyPressMsg) (string, bool) {
	switch k.String() {
	case "backspace", "ctrl+h":
		r := []rune(v)
		if len(r) == 0 {
			return v, true
		}
		return string(r[:len(r)-1]), true
	case "ctrl+u":
		return "", true
	case "ctrl+w":
		w := strings.TrimRight(v, " ")
		if i := strings.LastIndexByte(w, ' '); i >= 0 {
			return w[:i+1], true
		}
		return "", true
	case "space":
		return v + " ", true
	}
	if k.Text != "" && k.Mod&^tea.ModShift == 0 {
		return v + k.Text, true
	}
	return v, false
}
