package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/ktraffic/ktraffic/e2e/cluster"
)

// startCluster starts a control plane for one test and stops it when the
// test ends, however it ends; with controllers, kube-controller-manager
// runs them. A failed test gets the end of every process log.
func startCluster(t *testing.T, controllers ...string) *cluster.Cluster {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no control plane")
	}
	c, err := cluster.Start(t.Context(), cluster.Options{Dir: t.TempDir(), Controllers: controllers, Log: testLog{t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(c.LogTails())
		}
		c.Stop()
	})
	return c
}

// testLog sends the harness's progress lines to t.Log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func client(t *testing.T, c *cluster.Cluster, user string) kubernetes.Interface {
	t.Helper()
	cs, err := c.Client(user)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// result is one ktraffic run.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// ktraffic runs the real binary as user (its kubeconfig is the only one
// it can find: KUBECONFIG names it and HOME is empty), with stdin.
func ktraffic(t *testing.T, c *cluster.Cluster, user, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Bin.Ktraffic, args...)
	cmd.Env = ktrafficEnv(t, c.Kubeconfig(user))
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("ktraffic %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// ktrafficEnv is a minimal environment: the kubeconfig given and nothing
// of the machine's own (no ~/.kube, no user config with readOnly).
func ktrafficEnv(t *testing.T, kubeconfig string) []string {
	home := filepath.Join(t.TempDir(), "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	return []string{
		"KUBECONFIG=" + kubeconfig,
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"PATH=" + os.Getenv("PATH"),
		"NO_COLOR=1",
		"TERM=xterm-256color",
	}
}

// repoRoot is ktraffic's repository: the parent of the e2e module.
func repoRoot(t *testing.T) string {
	t.Helper()
	mod, err := cluster.ModuleDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(mod)
}

// eventually polls f every 50ms until it returns nil or limit passes, and
// then fails with f's last error.
func eventually(t *testing.T, limit time.Duration, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s: %v", what, limit, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func auditMark(t *testing.T, c *cluster.Cluster) cluster.AuditMark {
	t.Helper()
	m, err := c.Mark()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// auditSince is every request user made after mark.
func auditSince(t *testing.T, c *cluster.Cluster, mark cluster.AuditMark, user string) []auditv1.Event {
	t.Helper()
	ev, err := c.EventsSince(mark, user)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}
