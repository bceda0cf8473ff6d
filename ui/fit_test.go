package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

// TestFooterKeepsWhatMatters: at 80 columns the footer drops the page's
// least needed keys, never the way out (? help, q quit) nor, on the
// what-if screen, apply.
func TestFooterKeepsWhatMatters(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		keys []string
		want []string
	}{
		{"list", kiadaOpts(), nil, []string{"? help", "q quit"}},
		{"flow", Options{Snapshot: uitest.KiadaPair(), Service: "default/kiada"}, nil, []string{"w what-if", "? help", "q quit"}},
		{"what-if panel", Options{}, []string{"w", "l"}, []string{"a apply", "? help", "q quit"}},
		{"what-if screen", Options{}, []string{"w", "l", "w"}, []string{"a apply", "w panel", "? help", "q quit"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := whatIfModel(t, c.opts, 80, 24)
			if c.opts.Snapshot != nil && c.opts.Service == "" {
				m = newTestModel(t, c.opts, 80, 24)
			}
			send(t, m, c.keys...)
			foot := lastLine(plain(m.Render()))
			for _, want := range c.want {
				if !strings.Contains(foot, want) {
					t.Errorf("footer %q lacks %q", foot, want)
				}
			}
			if strings.Contains(foot, "…") {
				t.Errorf("footer cut: %q", foot)
			}
		})
	}
}

// TestWhatIfPanelLeavesRoomForResults: at 80×24 the panel above the
// results takes a bounded window of its rows, following the cursor, so
// the per-source summary starts on the first page.
func TestWhatIfPanelLeavesRoomForResults(t *testing.T) {
	m := whatIfModel(t, Options{}, 80, 24)
	send(t, m, "w", "l")
	out := plain(m.Render())
	lines := strings.Split(out, "\n")
	summary := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "load balancer ") {
			summary = i
			break
		}
	}
	if summary < 0 || !strings.Contains(out, "rows 1–7 of 12") {
		t.Fatalf("the per-source summary is not on the first page:\n%s", out)
	}
	// The window follows the cursor down to the drills, heading included.
	send(t, m, "j", "j", "j", "j", "j", "j", "j")
	out = plain(m.Render())
	if !strings.Contains(out, "▸ node down") || !strings.Contains(out, "Drills") || strings.Contains(out, "externalTrafficPolicy  Local") {
		t.Errorf("the window did not follow the cursor to the first drill:\n%s", out)
	}
	// And back up when the cursor wraps to the first row.
	send(t, m, "j", "j", "j", "j", "j")
	if out := plain(m.Render()); !strings.Contains(out, "▸ externalTrafficPolicy") || !strings.Contains(out, "rows 1–7 of 12") {
		t.Errorf("the window did not follow the cursor back to the top:\n%s", out)
	}
}

// TestWhatIfPanelTopAndBottom: with the panel open, g/G and Home/End
// move the results under it, as pgup/pgdn do.
func TestWhatIfPanelTopAndBottom(t *testing.T) {
	for _, k := range [][2]string{{"G", "g"}, {"end", "home"}} {
		m := whatIfModel(t, Options{}, 80, 24)
		send(t, m, "w", "l", k[0])
		if m.flow.pane.Offset() == 0 || !m.flow.wi.Open() {
			t.Fatalf("%s: offset %d, panel open %v", k[0], m.flow.pane.Offset(), m.flow.wi.Open())
		}
		if out := plain(m.Render()); strings.Contains(out, "more lines") {
			t.Errorf("%s did not reach the end:\n%s", k[0], out)
		}
		send(t, m, k[1])
		if m.flow.pane.Offset() != 0 {
			t.Errorf("%s: offset %d", k[1], m.flow.pane.Offset())
		}
	}
}

// TestWhatIfTitleStays: whatever the scroll position, a resize or a new
// edit, the results' first line says what the what-if is.
func TestWhatIfTitleStays(t *testing.T) {
	m := whatIfModel(t, Options{}, 250, 70)
	send(t, m, "w", "l", "w", "G")
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {250, 70}, {80, 24}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		lines := strings.Split(plain(m.Render()), "\n")
		if !strings.HasPrefix(lines[1], "What-if externalTrafficPolicy=Local") {
			t.Errorf("%dx%d: the title is gone:\n%s", sz[0], sz[1], strings.Join(lines, "\n"))
		}
	}
	send(t, m, "w", "j", "l")
	out := plain(m.Render())
	if !strings.Contains(out, "What-if externalTrafficPolicy=Local, internalTrafficPolicy=Local") {
		t.Errorf("a new edit hid the title:\n%s", out)
	}
}

// TestWhatIfEmptySaysWhatToPress: with the panel open the pane does not
// tell the user to press w to open it.
func TestWhatIfEmptySaysWhatToPress(t *testing.T) {
	m := whatIfModel(t, Options{}, 80, 24)
	send(t, m, "w")
	if out := plain(m.Render()); strings.Contains(out, "w opens the panel") || !strings.Contains(out, "pick a setting or a drill in the panel") {
		t.Errorf("panel open:\n%s", out)
	}
	send(t, m, "w")
	if out := plain(m.Render()); !strings.Contains(out, "w opens the panel") {
		t.Errorf("panel closed:\n%s", out)
	}
}

// TestReadOnlyOffersNoApply: under --read-only neither the footer nor
// help offers a, and the patch says it is never sent; a still explains.
func TestReadOnlyOffersNoApply(t *testing.T) {
	m := whatIfModel(t, Options{ReadOnly: "--read-only", Applier: &fakeApplier{}}, 80, 24)
	send(t, m, "w", "l")
	if foot := lastLine(plain(m.Render())); strings.Contains(foot, "apply") {
		t.Errorf("footer offers apply: %q", foot)
	}
	send(t, m, "w")
	if foot := lastLine(plain(m.Render())); strings.Contains(foot, "apply") {
		t.Errorf("footer offers apply: %q", foot)
	}
	send(t, m, "pgdown", "pgdown")
	if out := plain(m.Render()); !strings.Contains(spaces(out), "never sent: read-only") {
		t.Errorf("the patch does not say it is never sent:\n%s", out)
	}
	send(t, m, "?")
	if out := spaces(plain(m.Render())); strings.Contains(out, "a apply") || strings.Contains(out, "y yes, apply") {
		t.Errorf("help offers apply:\n%s", out)
	}
	send(t, m, "esc", "a")
	if notes := strings.Join(m.flow.wi.Notes(), " "); !strings.Contains(notes, "Read-only") {
		t.Errorf("a under read-only: notes %q", notes)
	}
}

// TestErrorPageOffersOnlyWorkingKeys: when the flow cannot be predicted
// the footer offers the keys that still act, w, n and a change nothing
// unseen, and the message is in the UI's words, wrapped whole.
func TestErrorPageOffersOnlyWorkingKeys(t *testing.T) {
	m := newTestModel(t, Options{Snapshot: uitest.Canary(), Service: "shop/checkout-v1"}, 80, 24)
	send(t, m, ":")
	typeText(t, m, "from lb")
	send(t, m, "enter")
	out := plain(m.Render())
	if m.flow.err == nil {
		t.Fatalf("no error from lb on a ClusterIP Service:\n%s", out)
	}
	if strings.Contains(out, "--from") || !strings.Contains(out, ":from lb") || strings.Contains(out, "…") {
		t.Errorf("error page:\n%s", out)
	}
	foot := lastLine(out)
	for _, dead := range []string{"what-if", "from node", "down"} {
		if strings.Contains(foot, dead) {
			t.Errorf("footer offers %q: %q", dead, foot)
		}
	}
	if !strings.Contains(foot, "s next source") || !strings.Contains(foot, "esc back") {
		t.Errorf("footer: %q", foot)
	}
	send(t, m, "w", "n", "a")
	if m.flow.active || m.flow.pick != nil || m.flow.dialog.Open() || m.flow.modal() {
		t.Errorf("a key acted unseen: active %v picker %v dialog %v", m.flow.active, m.flow.pick != nil, m.flow.dialog.Open())
	}
	send(t, m, "s")
	if m.flow.err != nil {
		t.Errorf("s did not move to a source that predicts: %v", m.flow.err)
	}
}

// TestStatusSpeaksTUI: a mistyped :from is answered with the UI's words,
// whole, however long.
func TestStatusSpeaksTUI(t *testing.T) {
	m := newTestModel(t, kiadaOpts(), 80, 24)
	send(t, m, ":")
	typeText(t, m, "from bogus")
	send(t, m, "enter")
	out := plain(m.Render())
	status := strings.Join(strings.Split(out, "\n")[20:], "\n") // the list's rows cut their own cells
	if strings.Contains(out, "--from") || !strings.Contains(spaces(status), `invalid :from "bogus"`) || strings.Contains(status, "…") {
		t.Errorf("status:\n%s", out)
	}
	checkFrame(t, m.Render(), 80, 24)
}

// TestCordonSaysWhyNothingChanges: the cordon drill explains why a
// cordoned node keeps its traffic.
func TestCordonSaysWhyNothingChanges(t *testing.T) {
	m := whatIfModel(t, Options{}, 80, 24)
	send(t, m, "w")
	for range 8 { // node cordoned
		send(t, m, "j")
	}
	send(t, m, "l")
	if d, ok := m.flow.wi.Edit().Drill(model.DrillNodeCordon); !ok {
		t.Fatalf("no cordon drill: %v", d)
	}
	out := spaces(plain(m.Render()))
	if !strings.Contains(out, "stays in the load balancer and keeps its endpoints") || !strings.Contains(out, "spec.unschedulable") {
		t.Errorf("the cordon is not explained:\n%s", plain(m.Render()))
	}
}

// TestClusterErrorPage: when the cluster cannot be read, the footer
// offers no list key (none acts), and the message wraps whole, a long
// address and a flag name included.
func TestClusterErrorPage(t *testing.T) {
	failed := make(chan error, 1)
	failed <- errors.New("cannot list services at https://kube-api.internal.example.com:6443/api/v1/services (check --kubeconfig and --context): connection refused")
	m := newTestModel(t, Options{Failed: failed}, 80, 24)
	out := plain(m.Render())
	checkFrame(t, m.Render(), 80, 24)
	if strings.Contains(out, "…") || !strings.Contains(spaces(out), "(check --kubeconfig and --context): connection refused") {
		t.Errorf("the error is cut or split:\n%s", out)
	}
	foot := lastLine(out)
	if strings.Contains(foot, "show flow") || strings.Contains(foot, "filter") || !strings.Contains(foot, "q quit") {
		t.Errorf("footer %q", foot)
	}
}
