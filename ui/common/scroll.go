package common

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Scroll is where k moves the first line shown of a view height rows
// tall over total lines, kept in range; ok is false for a key that does
// not scroll. Every scrolling view pages the same way.
func Scroll(keys *KeyMap, k tea.KeyPressMsg, offset, height, total int) (next int, ok bool) {
	switch {
	case key.Matches(k, keys.Down):
		offset++
	case key.Matches(k, keys.Up):
		offset--
	case key.Matches(k, keys.PageDown):
		offset += max(1, height-1)
	case key.Matches(k, keys.PageUp):
		offset -= max(1, height-1)
	case key.Matches(k, keys.Top):
		offset = 0
	case key.Matches(k, keys.Bottom):
		offset = total
	default:
		return offset, false
	}
	return max(0, min(offset, total-height)), true
}
