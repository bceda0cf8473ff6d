package cli

import (
	"bytes"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runApplyCLI runs ktraffic apply in-process against c, with the write
// deadline shortened, and fails the test if it does not end: a write that
// hangs is the bug.
func runApplyCLI(t *testing.T, writeTimeout time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	isolateConfig(t)
	var out, errb bytes.Buffer
	a := newFactory(strings.NewReader(""), &out, &errb)
	a.writeTimeout = writeTimeout
	done := make(chan int, 1)
	go func() {
		cmd := a.rootCommand()
		cmd.SetArgs(append([]string{"apply", "--service", "default/kiada-cluster", "--set", "externalTrafficPolicy=Local", "--yes"}, args...))
		if err := cmd.Execute(); err != nil {
			done <- a.reportError(err)
			return
		}
		done <- a.exitCode
	}()
	select {
	case code = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("apply still waiting on a silent API server after 30s")
	}
	return code, out.String(), errb.String()
}

// TestApplyCLIDeadlineAndReadBack: a PATCH the server never answers ends
// after the write deadline, says plainly that the outcome is unknown, and
// reports what reading the Service back found.
func TestApplyCLIDeadlineAndReadBack(t *testing.T) {
	tests := []struct {
		name       string
		applyFirst bool
		code       int
		stdout     []string
		stderr     []string
	}{
		{name: "the change did not land", code: 1,
			stderr: []string{"the apply of Service default/kiada-cluster got no answer within 500ms, so whether it reached the API server is unknown",
				"the Service does not have the change (spec.externalTrafficPolicy is Cluster, not Local)"}},
		{name: "the change landed, the answer was lost", applyFirst: true, code: 0,
			stdout: []string{"Note: the apply of Service default/kiada-cluster got no answer within 500ms", "the Service has the change: spec.externalTrafficPolicy is Local, as asked.",
				"Applied to default/kiada-cluster"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newLoopbackCluster(t)
			c.hangApply, c.applyFirst = true, tt.applyFirst
			code, out, errOut := runApplyCLI(t, 500*time.Millisecond)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, errOut)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(errOut, w) || strings.Count(errOut, "\n") != 1 {
					t.Errorf("stderr lacks %q in one line:\n%s", w, errOut)
				}
			}
		})
	}
}

// TestApplyCLIInterruptedInFlight: ctrl-c while the PATCH is in flight
// does not kill ktraffic with the change's fate unknown: it cancels the
// request, reads the Service back and says what is there.
func TestApplyCLIInterruptedInFlight(t *testing.T) {
	for _, applyFirst := range []bool{false, true} {
		c := newLoopbackCluster(t)
		c.hangApply, c.applyFirst = true, applyFirst
		go func() {
			<-c.applying
			_ = syscall.Kill(os.Getpid(), syscall.SIGINT)
		}()
		code, out, errOut := runApplyCLI(t, time.Minute)
		all := out + errOut
		if !strings.Contains(all, "was interrupted while in flight, so whether it reached the API server is unknown") {
			t.Errorf("applied first %v: exit %d, output does not say the outcome is unknown:\n%s", applyFirst, code, all)
		}
		landed := strings.Contains(all, "the Service has the change")
		if landed != applyFirst || (code == 0) != applyFirst {
			t.Errorf("applied first %v: exit %d, says landed %v:\n%s", applyFirst, code, landed, all)
		}
	}
}
