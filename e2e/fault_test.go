package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/fixture"
)

// The TUI's header says whether what it shows is current (ui/view.go,
// syncState).
const (
	tuiLive  = "● live"
	tuiStale = "stale since"
)

// TestAPIServerRestartUnderTUI kills kube-apiserver while the real TUI
// watches a live Service with a what-if edit open, and starts it again:
// the TUI must mark what it shows as stale, then recover by itself (the
// same process, no key pressed), keep the what-if edit, and follow a
// change made after the restart.
func TestAPIServerRestartUnderTUI(t *testing.T) {
	c := startCluster(t, cluster.DefaultControllers...)
	const ns = "shop"
	shopFixture(t, c, ns)
	u := startTUI(t, c, cluster.KtrafficUser, "-n", ns, "--service", ns+"/web")
	u.waitFor(time.Minute, tuiLive, "web-1", "web-3")
	pid, _ := u.pid()

	// A what-if edit: externalTrafficPolicy Local → Cluster.
	u.keys("w")
	u.waitFor(10*time.Second, "What-if panel", "externalTrafficPolicy")
	u.keys("Enter")
	u.waitFor(10*time.Second, "(was Local)", "│ what-if")

	stopped := time.Now()
	c.KillAPIServer()
	s := u.waitFor(time.Minute, tuiStale)
	t.Logf("stale %v after kube-apiserver was killed", time.Since(stopped).Round(100*time.Millisecond))
	if !strings.Contains(s, "(was Local)") {
		t.Errorf("the what-if edit is gone while the snapshot is stale:\n%s", s)
	}

	mustDo(t, c.StartAPIServer(t.Context()))
	ready := time.Now()
	// Recovery is the informers' own: their retries back off up to about
	// 30s while the API server is away, so the deadline is generous.
	s = u.waitFor(2*time.Minute, tuiLive, "(was Local)", "│ what-if")
	t.Logf("live again %v after kube-apiserver was ready (%v after it was killed)", time.Since(ready).Round(100*time.Millisecond), time.Since(stopped).Round(100*time.Millisecond))
	if strings.Contains(s, tuiStale) {
		t.Errorf("live and stale at once:\n%s", s)
	}
	// The footer drops the warning the lost watch put there: live
	// everywhere, not only in the header.
	if strings.Contains(s, "may be out of date") {
		t.Errorf("after the recovery the header says %q while the footer still says the pods %q:\n%s", tuiLive, "may be out of date", s)
	}
	// Back to the flow: the edit outlives the what-if screen.
	u.keys("Escape")
	u.waitFor(10*time.Second, "│ what-if", "web-1", tuiLive)
	// The watches are back: a pod created now shows up.
	admin := client(t, c, cluster.AdminUser)
	mustDo(t, fixture.Pod(t.Context(), admin, ns, "web-4", "node-a", "10.244.1.6", map[string]string{"app": "web"}, true))
	u.waitFor(30*time.Second, "web-4", "│ what-if", tuiLive)
	u.keys("w")
	u.waitFor(10*time.Second, "What-if panel", "(was Local)")
	if now, dead := u.pid(); now != pid || dead {
		t.Errorf("ktraffic was restarted or exited: pid %s, then %s (dead %v)", pid, now, dead)
	}
}
