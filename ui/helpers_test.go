package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// newTestModel builds a sized model and runs its start-up commands, so it
// shows what a user would see once the first frame settles.
func newTestModel(tb testing.TB, opts Options, w, h int) *Model {
	tb.Helper()
	if opts.Theme == "" {
		opts.Theme = "dark"
	}
	opts.Now = func() time.Time { return testNow }
	m, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	drain(tb, m, m.Init())
	return m
}

// drain runs cmd and every command its messages lead to, feeding results
// back into Update the way the program loop would.
func drain(tb testing.TB, m *Model, cmd tea.Cmd) {
	tb.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 1000 {
			tb.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := run(c).(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// run calls a command, giving up on ones that wait for input that will
// not come in a test (a live feed with nothing more to say).
func run(c tea.Cmd) tea.Msg {
	out := make(chan tea.Msg, 1)
	go func() { out <- c() }()
	select {
	case msg := <-out:
		return msg
	case <-time.After(5 * time.Second):
		return nil
	}
}

// send delivers a key press and settles what it starts.
func send(tb testing.TB, m *Model, keys ...string) {
	tb.Helper()
	for _, k := range keys {
		_, cmd := m.Update(press(k))
		drain(tb, m, cmd)
	}
}

// press builds the key press String() would call s.
func press(s string) tea.KeyPressMsg {
	special := map[string]tea.KeyPressMsg{
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"backspace": {Code: tea.KeyBackspace},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"left":      {Code: tea.KeyLeft},
		"right":     {Code: tea.KeyRight},
		"pgup":      {Code: tea.KeyPgUp},
		"pgdown":    {Code: tea.KeyPgDown},
		"home":      {Code: tea.KeyHome},
		"end":       {Code: tea.KeyEnd},
		"space":     {Code: tea.KeySpace, Text: " "},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
		"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
		"ctrl+d":    {Code: 'd', Mod: tea.ModCtrl},
		"ctrl+b":    {Code: 'b', Mod: tea.ModCtrl},
		"ctrl+f":    {Code: 'f', Mod: tea.ModCtrl},
		"ctrl+w":    {Code: 'w', Mod: tea.ModCtrl},
		"ctrl+a":    {Code: 'a', Mod: tea.ModCtrl},
		"ctrl+e":    {Code: 'e', Mod: tea.ModCtrl},
		"ctrl+k":    {Code: 'k', Mod: tea.ModCtrl},
		"ctrl+n":    {Code: 'n', Mod: tea.ModCtrl},
		"ctrl+p":    {Code: 'p', Mod: tea.ModCtrl},
		"alt+b":     {Code: 'b', Mod: tea.ModAlt},
		"alt+f":     {Code: 'f', Mod: tea.ModAlt},
		"tab":       {Code: tea.KeyTab},
		"delete":    {Code: tea.KeyDelete},
	}
	if k, ok := special[s]; ok {
		return k
	}
	r := []rune(s)[0]
	k := tea.KeyPressMsg{Code: r, Text: s}
	if r >= 'A' && r <= 'Z' {
		k.Code, k.ShiftedCode, k.Mod = r+('a'-'A'), r, tea.ModShift
	}
	return k
}

// typeText types s into whatever has focus.
func typeText(tb testing.TB, m *Model, s string) {
	tb.Helper()
	for _, r := range s {
		if r == ' ' {
			send(tb, m, "space")
			continue
		}
		send(tb, m, string(r))
	}
}

// play sends keys in turn; one starting with "=" is text typed.
func play(tb testing.TB, m *Model, keys ...string) {
	tb.Helper()
	for _, k := range keys {
		if text, ok := strings.CutPrefix(k, "="); ok {
			typeText(tb, m, text)
		} else {
			send(tb, m, k)
		}
	}
}

// plain renders a screen with colour stripped, for layout goldens that
// read as text; colored keeps 24-bit colour, for theme goldens. Forcing
// the profile keeps goldens independent of the terminal running tests.
func plain(s string) string { return withProfile(s, colorprofile.NoTTY) }

func colored(s string) string { return withProfile(s, colorprofile.TrueColor) }

func withProfile(s string, p colorprofile.Profile) string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: p}
	_, _ = w.WriteString(s)
	return b.String()
}
