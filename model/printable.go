package model

import (
	"strings"
	"unicode/utf8"
)

// Printable returns s without the characters a terminal acts on instead
// of showing: C0 controls (ESC starts every escape sequence, BEL ends an
// OSC title change, CR overwrites a line), DEL, C1 controls (U+009B is a
// one-byte CSI), and the bidirectional overrides that make text read
// differently from what it is. Sources call it on every string they take
// from a cluster or a file, once, so nothing downstream has to; newlines
// and tabs go too, since a name or a message is always one line here.
// Invalid UTF-8 is replaced, as a terminal would otherwise guess at it.
func Printable(s string) string {
	// Fast path, no allocation: plain ASCII and the common multi-byte text
	// pass through. 0xC2 leads every C1 control and 0xE2 every bidi one.
	clean, ascii := true, true
	for i := 0; i < len(s) && clean; i++ {
		b := s[i]
		clean = b >= 0x20 && b != 0x7f && b != 0xc2 && b != 0xe2
		ascii = ascii && b < 0x80
	}
	if clean && (ascii || utf8.ValidString(s)) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unprintable(r) {
			continue
		}
		b.WriteRune(r) // utf8.RuneError for invalid bytes: shown as �
	}
	return b.String()
}

// unprintable reports the runes Printable drops.
func unprintable(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
		return true
	}
	return false
}

// PrintableMap returns m with Printable keys and values; m itself when
// nothing needed cleaning, so clean data costs no copy.
func PrintableMap(m map[string]string) map[string]string {
	dirty := false
	for k, v := range m {
		if Printable(k) != k || Printable(v) != v {
			dirty = true
			break
		}
	}
	if !dirty {
		return m
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[Printable(k)] = Printable(v)
	}
	return out
}

// PrintableAll returns list with every string Printable; list itself
// when nothing needed cleaning.
func PrintableAll(list []string) []string {
	for i, s := range list {
		if Printable(s) == s {
			continue
		}
		out := append([]string(nil), list...)
		for j := i; j < len(out); j++ {
			out[j] = Printable(out[j])
		}
		return out
	}
	return list
}
