package model

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"web-7d9f", "web-7d9f"},
		{"zone → us-east-1a…", "zone → us-east-1a…"},
		{"\x1b]0;pwned\x07web", "]0;pwnedweb"},       // OSC title change
		{"\x1b[2J\x1b[Hweb", "[2J[Hweb"},             // clear screen, cursor home
		{"a\u009b31mb", "a31mb"},                     // C1 CSI
		{"evil\u202egnp.exe", "evilgnp.exe"},         // right-to-left override
		{"line1\r\nline2\ttab\x7f", "line1line2tab"}, // CR, LF, tab, DEL
		{"bad\xffutf8", "bad\ufffdutf8"},             // invalid UTF-8 shown, not guessed at
		{"", ""},
	}
	for _, tt := range tests {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPrintableCleanInputIsNotCopied(t *testing.T) {
	m := map[string]string{"app": "web"}
	if got := PrintableMap(m); reflect.ValueOf(got).UnsafePointer() != reflect.ValueOf(m).UnsafePointer() {
		t.Error("a clean map was copied")
	}
	list := []string{"10.0.0.1", "10.0.0.2"}
	if got := PrintableAll(list); &got[0] != &list[0] {
		t.Error("a clean list was copied")
	}
	dirty := []string{"10.0.0.1", "10.0.0.2\x1b[2J"}
	got := PrintableAll(dirty)
	if got[1] != "10.0.0.2[2J" || dirty[1] != "10.0.0.2\x1b[2J" {
		t.Errorf("PrintableAll = %q, input now %q: want a cleaned copy and the input untouched", got, dirty)
	}
	if got := PrintableMap(map[string]string{"k\x1b": "v\x07"}); got["k"] != "v" {
		t.Errorf("PrintableMap kept controls: %q", got)
	}
}

func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"web", "\x1b]0;t\x07", "\u009b2J", "a\u202eb", "\xff\xfe", "é→…"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Printable(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Printable(%q) = %q: invalid UTF-8", s, got)
		}
		for _, r := range got {
			if unprintable(r) {
				t.Fatalf("Printable(%q) = %q keeps %U", s, got, r)
			}
		}
		if again := Printable(got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", s, got, again)
		}
		if !strings.ContainsFunc(s, unprintable) && utf8.ValidString(s) && got != s {
			t.Fatalf("clean %q changed to %q", s, got)
		}
	})
}
