package common

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Paint is a style reduced to the escape sequences around its text.
// Screens that style thousands of cells per frame use it instead of
// lipgloss.Render, which re-resolves the style on every call.
type Paint struct{ pre, post string }

// NewPaint captures st's sequences. Only colour and attributes survive;
// padding, width and borders are not for cells.
func NewPaint(st lipgloss.Style) Paint {
	out := st.Render("X")
	i := strings.LastIndexByte(out, 'X')
	return Paint{out[:i], out[i+1:]}
}

// Render wraps s.
func (p Paint) Render(s string) string { return p.pre + s + p.post }

// Write appends s wrapped to b.
func (p Paint) Write(b *strings.Builder, s string) {
	b.WriteString(p.pre)
	b.WriteString(s)
	b.WriteString(p.post)
}
