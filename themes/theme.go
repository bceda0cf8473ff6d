// Package themes names the colours ktraffic's screens use by role, ships
// the built-in themes, reads user themes, and turns a theme into the
// lipgloss styles widgets draw with. Widgets never see a raw colour.
package themes

import (
	"fmt"
	"sort"
	"strings"
)

// Theme names colours by role. Each value is "#rrggbb", an ANSI colour
// number "0".."255", or "" for the terminal's default colour. Mono themes
// leave every colour empty and rely on bold, faint, reverse and underline.
type Theme struct {
	Name string `json:"name"`
	// Dark says the theme is meant for a dark background.
	Dark bool `json:"dark"`

	Text      string `json:"text"`      // body text
	Muted     string `json:"muted"`     // secondary text: zones, node names next to pods
	Faint     string `json:"faint"`     // borders, idle edges, empty bar cells
	Accent    string `json:"accent"`    // titles, keys in help, the selected row
	Selection string `json:"selection"` // background of the selected row
	Success   string `json:"success"`   // healthy, local hops, client IP kept
	Warning   string `json:"warning"`   // warnings, cross-node hops
	Error     string `json:"error"`     // errors, dropped and rejected traffic
	Info      string `json:"info"`      // info findings, cross-zone hops' partner
	CrossZone string `json:"crossZone"` // hops that leave the zone (they cost money)
	Bar       string `json:"bar"`       // filled part of share bars
}

var builtin = map[string]Theme{
	"dark": {
		Name: "dark", Dark: true,
		Text: "#e4e4e7", Muted: "#a1a1aa", Faint: "#52525b", Accent: "#7dd3fc",
		Selection: "#1e3a5f", Success: "#4ade80", Warning: "#facc15", Error: "#f87171",
		Info: "#93c5fd", CrossZone: "#e879f9", Bar: "#38bdf8",
	},
	"light": {
		Name: "light", Dark: false,
		Text: "#18181b", Muted: "#52525b", Faint: "#a1a1aa", Accent: "#0369a1",
		Selection: "#dbeafe", Success: "#15803d", Warning: "#a16207", Error: "#b91c1c",
		Info: "#1d4ed8", CrossZone: "#a21caf", Bar: "#0284c7",
	},
	// high-contrast uses the 16 basic ANSI colours so it follows the
	// terminal's own palette, which users with low vision tune.
	"high-contrast": {
		Name: "high-contrast", Dark: true,
		Text: "15", Muted: "15", Faint: "7", Accent: "14",
		Selection: "4", Success: "10", Warning: "11", Error: "9",
		Info: "12", CrossZone: "13", Bar: "14",
	},
	"mono": {Name: "mono", Dark: true},
}

// Default is the theme used when none is chosen and the background is
// unknown or dark.
const Default = "dark"

// Names lists the built-in theme names, sorted.
func Names() []string {
	names := make([]string, 0, len(builtin))
	for n := range builtin {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Builtin returns a built-in theme.
func Builtin(name string) (Theme, bool) {
	t, ok := builtin[name]
	return t, ok
}

// Mono reports whether the theme uses no colour at all.
func (t Theme) Mono() bool {
	for _, c := range t.colors() {
		if *c.value != "" {
			return false
		}
	}
	return true
}

type namedColor struct {
	field string
	value *string
}

// colors lists the colour fields by their YAML names, for validation and
// for filling a user theme's gaps from its base.
func (t *Theme) colors() []namedColor {
	return []namedColor{
		{"text", &t.Text}, {"muted", &t.Muted}, {"faint", &t.Faint},
		{"accent", &t.Accent}, {"selection", &t.Selection}, {"success", &t.Success},
		{"warning", &t.Warning}, {"error", &t.Error}, {"info", &t.Info},
		{"crossZone", &t.CrossZone}, {"bar", &t.Bar},
	}
}

// Validate checks every colour, naming the first bad field.
func (t Theme) Validate() error {
	for _, c := range t.colors() {
		if err := checkColor(*c.value); err != nil {
			return fmt.Errorf("field %q: %w", c.field, err)
		}
	}
	return nil
}

func checkColor(s string) error {
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, "#") {
		if len(s) != 7 {
			return fmt.Errorf("%q is not a colour: want #rrggbb, 0-255, or empty", s)
		}
		for _, r := range s[1:] {
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return fmt.Errorf("%q is not a colour: want #rrggbb, 0-255, or empty", s)
			}
		}
		return nil
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > 255 {
			return fmt.Errorf("%q is not a colour: want #rrggbb, 0-255, or empty", s)
		}
		n = n*10 + int(r-'0')
	}
	if n > 255 {
		return fmt.Errorf("%q is not a colour: want #rrggbb, 0-255, or empty", s)
	}
	return nil
}
