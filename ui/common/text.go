package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// FitLines cuts each line to w columns, in place, marking a cut with "…".
func FitLines(lines []string, w int) []string {
	for i, l := range lines {
		// No character is wider than its encoding, so a line of no more
		// bytes than columns fits without measuring its graphemes.
		if len(l) > w && ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	return lines
}

// Pad fills s with spaces to w columns.
func Pad(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// FirstLine is s up to its first newline: an error's headline, for the
// one line a panel or a note has room for.
func FirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Beside sets two columns side by side: left padded to w, then sep, then
// right, for as many rows as the longer one has.
func Beside(left, right []string, w int, sep string) []string {
	out := make([]string, 0, max(len(left), len(right)))
	for i := range max(len(left), len(right)) {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out = append(out, Pad(l, w)+sep+r)
	}
	return out
}
