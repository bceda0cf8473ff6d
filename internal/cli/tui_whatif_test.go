package cli

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/ui"
)

// whatIfScreen opens a demo Service, types keys, and returns the screen
// as text. The patch preview is the real one (k8s.NewPatch).
func whatIfScreen(t *testing.T, demo, service string, w, h int, keys ...string) string {
	t.Helper()
	snap, err := k8s.LoadDemo(demo)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ui.New(ui.Options{Snapshot: snap, Source: "demo:" + demo, Service: service, Theme: "dark",
		PatchPreview: k8s.PatchPreview, Now: func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	settle(m, m.Init())
	for _, k := range keys {
		_, cmd := m.Update(tea.KeyPressMsg{Code: []rune(k)[0], Text: k})
		settle(m, cmd)
	}
	var b bytes.Buffer
	cw := &colorprofile.Writer{Forward: &b, Profile: colorprofile.NoTTY}
	_, _ = cw.WriteString(m.Render())
	return b.String()
}

// Keys: w opens the panel on externalTrafficPolicy; k three times wraps
// to "zone lost"; l steps through the zones in order; w closes the panel.
var whatIfCases = []struct {
	name, demo, service string
	keys                []string
	want                string
}{
	{"kiada-cluster-to-local", "kiada", "default/kiada-cluster", []string{"w", "l", "w"}, "What-if externalTrafficPolicy=Local"},
	{"zones-prefer-close-zone-down", "zones-prefer-close", "shop/checkout",
		[]string{"w", "k", "k", "k", "l", "l", "l", "w"}, "What-if drill zone-down=us-east-1c"},
}

// TestWhatIfDemoScreens pins the before/after screen of the seeds'
// Cluster→Local change and of a zone-loss drill at both promised sizes.
func TestWhatIfDemoScreens(t *testing.T) {
	for _, c := range whatIfCases {
		for _, sz := range [][2]int{{80, 24}, {250, 70}} {
			t.Run(fmt.Sprintf("%s/%dx%d", c.name, sz[0], sz[1]), func(t *testing.T) {
				out := whatIfScreen(t, c.demo, c.service, sz[0], sz[1], c.keys...)
				if !strings.Contains(out, c.want) {
					t.Fatalf("not the what-if meant (%q):\n%s", c.want, out)
				}
				golden(t, fmt.Sprintf("tui/whatif-%s-%dx%d.txt", c.name, sz[0], sz[1]), out)
			})
		}
	}
}

var spaces = regexp.MustCompile(`\s+`)

// TestWhatIfAgreesWithDiff: every row of `ktraffic diff`'s tables is on
// the TUI's before/after screen with the same numbers, for both cases.
func TestWhatIfAgreesWithDiff(t *testing.T) {
	args := map[string][]string{
		"kiada-cluster-to-local":       {"--set", "externalTrafficPolicy=Local"},
		"zones-prefer-close-zone-down": {"--drill", "zone-down=us-east-1c"},
	}
	for _, c := range whatIfCases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			cli := append([]string{"diff", "--demo", c.demo, "--service", c.service}, args[c.name]...)
			if code := run(cli, strings.NewReader(""), &out, &errOut); code != 0 {
				t.Fatalf("diff exit %d: %s", code, errOut.String())
			}
			screen := whatIfScreen(t, c.demo, c.service, 250, 70, c.keys...)
			var tui []string
			for _, l := range strings.Split(screen, "\n") {
				// At 250 columns the tables come whole before the flows.
				tui = append(tui, strings.TrimSpace(spaces.ReplaceAllString(l, " ")))
			}
			joined := "\n" + strings.Join(tui, "\n") + "\n"
			rows := 0
			inTable := false
			for _, l := range strings.Split(out.String(), "\n") {
				switch {
				case strings.HasPrefix(l, "NODE") || strings.HasPrefix(l, "POD") || strings.Contains(l, "BEFORE"):
					inTable = true
					continue
				case strings.TrimSpace(l) == "":
					inTable = false
					continue
				}
				if !inTable {
					continue
				}
				want := strings.TrimSpace(spaces.ReplaceAllString(l, " "))
				rows++
				if !strings.Contains(joined, "\n"+want+"\n") {
					t.Errorf("diff row %q is not on the TUI screen", want)
				}
			}
			if rows < 5 {
				t.Fatalf("read only %d rows from diff:\n%s", rows, out.String())
			}
			if c.demo == "kiada" {
				for _, pod := range []string{"33.3% 50.0% +16.7 pts", "33.3% 25.0% -8.3 pts"} {
					if !strings.Contains(joined, pod) {
						t.Errorf("the seeds' 33/33/33 → 50/25/25 is not on screen (%q)", pod)
					}
				}
			}
		})
	}
}
