package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLogFile: -v 6 --log-file shows the requests made, as kubectl's
// -v 6 does, in the file and not on the terminal.
func TestLogFile(t *testing.T) {
	c := newLoopbackCluster(t)
	log := filepath.Join(t.TempDir(), "ktraffic.log")
	code, _, errOut := runLive(t, "predict", "--service", "default/kiada", "-v", "6", "--log-file", log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{c.url + "/api/v1/namespaces/default/services", `status="200 OK"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("log lacks %q:\n%s", want, data)
		}
	}
	if strings.Contains(errOut, "/api/v1") {
		t.Errorf("requests were logged to stderr too: %s", errOut)
	}
	// Without -v the file holds no request lines.
	quiet := filepath.Join(t.TempDir(), "quiet.log")
	if code, _, errOut := runLive(t, "predict", "--service", "default/kiada", "--log-file", quiet); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if data, _ := os.ReadFile(quiet); strings.Contains(string(data), "/api/v1") {
		t.Errorf("requests logged at -v 0:\n%s", data)
	}
}

func TestLogFlagsErrors(t *testing.T) {
	code, _, errOut := runCLI(t, "", "predict", "--demo", "kiada", "--service", "default/kiada", "--log-file", filepath.Join(t.TempDir(), "no", "such", "dir", "x.log"))
	if code != 2 || !strings.HasPrefix(errOut, "ktraffic: --log-file: ") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestTmuxLogsStayOffTheScreen: the TUI on a live cluster at -v 9 draws
// no log line; with --log-file the requests are in the file.
func TestTmuxLogsStayOffTheScreen(t *testing.T) {
	newLoopbackCluster(t)
	log := filepath.Join(t.TempDir(), "tui.log")
	for name, args := range map[string][]string{"stderr": {"-v", "9"}, "file": {"-v", "9", "--log-file", log}} {
		t.Run(name, func(t *testing.T) {
			s := startTmux(t, []string{"KUBECONFIG=" + os.Getenv("KUBECONFIG")}, args...)
			s.waitFor("kiada-cluster")
			s.keys("q")
			s.waitFor("EXIT=0")
			for _, noise := range []string{"/api/v1", "round_trippers", "I11", "I12", "GET "} {
				if strings.Contains(s.screen, noise) {
					t.Errorf("screen shows log output %q:\n%s", noise, s.screen)
				}
			}
		})
	}
	data, err := os.ReadFile(log)
	if err != nil || !strings.Contains(string(data), "/api/v1/namespaces/default/services") {
		t.Errorf("the TUI's log file lacks its requests (%v):\n%.2000s", err, data)
	}
}
