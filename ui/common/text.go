package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
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

// Wrap breaks s into lines of at most w columns at spaces only, so a
// flag, a name or a hyphenated word is never split across lines (ansi's
// Wordwrap also breaks at hyphens: "--from" became "-" and "-from"). A
// word wider than w alone is cut hard. Each paragraph keeps its leading
// indentation on its first line; runs of spaces inside it become one.
func Wrap(s string, w int) []string {
	w = max(1, w)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		body := strings.TrimLeft(para, " ")
		line := para[:len(para)-len(body)]
		n, words := ansi.StringWidth(line), 0
		for _, word := range strings.Fields(body) {
			ww := ansi.StringWidth(word)
			if words > 0 && n+1+ww > w {
				out = append(out, line)
				line, n, words = "", 0, 0
			}
			switch {
			case words > 0:
				line, n = line+" ", n+1
			case n+ww > w:
				// Too wide for any line: cut it hard (dropping the
				// indentation), and go on after its end.
				parts := strings.Split(ansi.Hardwrap(word, w, true), "\n")
				out = append(out, parts[:len(parts)-1]...)
				word, line, n = parts[len(parts)-1], "", 0
				ww = ansi.StringWidth(word)
			}
			line, n, words = line+word, n+ww, words+1
		}
		out = append(out, line)
	}
	return out
}

// Counted is a count and its noun, "1 pod", "2,000 nodes": model.Counted
// with the thousands separators the UI's figures have, for nouns that
// take a plain s.
func Counted(n int, word string) string {
	return report.Count(n) + " " + model.Agree(n, word, word+"s")
}
