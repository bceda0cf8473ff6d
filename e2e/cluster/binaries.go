package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// The control plane's binaries are the e2e module's tools (go.mod's tool
// directive): `go tool -n` builds one if Go's build cache does not hold it
// yet and prints where the cached executable is, so a clean clone on a
// machine with a warm GOCACHE links nothing and compiles nothing. The
// executables are then linked into BinDir, the ignored .cache/bin folder,
// where they survive a trimmed build cache and where people find them.
const (
	toolEtcd              = "go.etcd.io/etcd/server/v3"
	toolAPIServer         = "k8s.io/kubernetes/cmd/kube-apiserver"
	toolControllerManager = "k8s.io/kubernetes/cmd/kube-controller-manager"
)

// Binaries are the paths of the executables a cluster runs.
type Binaries struct {
	Etcd, APIServer, ControllerManager string
	// Ktraffic is the binary under test, built from the parent module.
	Ktraffic string
}

var (
	binOnce sync.Once
	binVal  Binaries
	binErr  error
)

// Build resolves (building when needed) every binary once per process.
// Progress goes to log, which may be io.Discard.
func Build(ctx context.Context, log io.Writer) (Binaries, error) {
	binOnce.Do(func() { binVal, binErr = build(ctx, log) })
	return binVal, binErr
}

func build(ctx context.Context, log io.Writer) (Binaries, error) {
	mod, err := ModuleDir()
	if err != nil {
		return Binaries{}, err
	}
	bin := BinDir(mod)
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return Binaries{}, err
	}
	var b Binaries
	for _, t := range []struct {
		tool, name string
		dst        *string
	}{
		{toolEtcd, "etcd", &b.Etcd},
		{toolAPIServer, "kube-apiserver", &b.APIServer},
		{toolControllerManager, "kube-controller-manager", &b.ControllerManager},
	} {
		fmt.Fprintf(log, "cluster: resolving %s (a first build takes minutes)\n", t.name)
		out, err := goCmd(ctx, mod, "tool", "-n", t.tool)
		if err != nil {
			return Binaries{}, fmt.Errorf("building %s: %w", t.name, err)
		}
		cached := strings.TrimSpace(out)
		dst := filepath.Join(bin, t.name)
		if err := linkInto(cached, dst); err != nil {
			return Binaries{}, fmt.Errorf("copying %s into %s: %w", t.name, bin, err)
		}
		*t.dst = dst
	}
	b.Ktraffic = filepath.Join(bin, "ktraffic")
	fmt.Fprintf(log, "cluster: building ktraffic from %s\n", filepath.Dir(mod))
	if _, err := goCmd(ctx, filepath.Dir(mod), "build", "-o", b.Ktraffic, "."); err != nil {
		return Binaries{}, fmt.Errorf("building ktraffic: %w", err)
	}
	return b, nil
}

// goCmd runs the go command niced (the machine is shared) and returns
// its stdout; stderr becomes part of the error.
func goCmd(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "nice", append([]string{"-n", "10", "go"}, args...)...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// linkInto makes dst the same file as src: a hard link when both are on
// one file system, a copy otherwise. An up-to-date dst is left alone.
func linkInto(src, dst string) error {
	si, err := os.Stat(src)
	if err != nil {
		return err
	}
	if di, err := os.Stat(dst); err == nil && os.SameFile(si, di) {
		return nil
	}
	tmp := dst + ".tmp"
	_ = os.Remove(tmp)
	if err := os.Link(src, tmp); err != nil {
		if err := copyFile(src, tmp); err != nil {
			return err
		}
	}
	return os.Rename(tmp, dst)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ModuleDir is the e2e module's folder, found from the working directory
// upwards (tests run in their package folder, the script anywhere inside
// the repository).
func ModuleDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(data, []byte("module github.com/ktraffic/ktraffic/e2e\n")) {
			return dir, nil
		}
		if sub := filepath.Join(dir, "e2e", "go.mod"); fileExists(sub) {
			return filepath.Join(dir, "e2e"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the e2e module (e2e/go.mod) from the working directory")
		}
		dir = parent
	}
}

// BinDir is where the binaries are kept: ignored by git, kept between runs.
func BinDir(moduleDir string) string { return filepath.Join(moduleDir, ".cache", "bin") }

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
