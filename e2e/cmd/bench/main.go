// Command bench compares ktraffic with k9s on one big real cluster: it
// starts the e2e control plane, loads it through the API (parallel
// client-go creates), then runs the two tools in turn, each in a fresh
// terminal, measuring the time from start to the first complete screen
// (ktraffic: the service list, live; k9s: the pod list with every pod
// counted) and the peak resident memory. scripts/bench-k9s.sh installs
// k9s and runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/fixture"
	"github.com/ktraffic/ktraffic/e2e/term"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// tool is one program under measurement.
type tool struct {
	name string
	argv []string
	// ready tells the first complete screen.
	ready func(screen string) bool
}

// sample is one run of one tool.
type sample struct {
	firstFrame time.Duration
	peakRSS    int64
}

func run() error {
	sizes := fixture.Sizes{Namespaces: 50, PodStatus: true}
	flag.IntVar(&sizes.Pods, "pods", 50_000, "Pods to create")
	flag.IntVar(&sizes.Nodes, "nodes", 2_000, "Nodes to create")
	flag.IntVar(&sizes.Services, "services", 5_000, "Services to create")
	flag.IntVar(&sizes.Slices, "slices", 10_000, "EndpointSlices to create")
	runs := flag.Int("runs", 5, "runs of each tool, alternating")
	workers := flag.Int("workers", 64, "parallel creates")
	settle := flag.Duration("settle", 5*time.Second, "how long a tool keeps running after its first complete screen before its peak RSS is read")
	k9s := flag.String("k9s", "", "the k9s binary (default: e2e/.cache/bin/k9s)")
	flag.Parse()

	mod, err := cluster.ModuleDir()
	if err != nil {
		return err
	}
	if *k9s == "" {
		*k9s = filepath.Join(cluster.BinDir(mod), "k9s")
	}
	if _, err := os.Stat(*k9s); err != nil {
		return fmt.Errorf("k9s: %w (scripts/bench-k9s.sh installs it)", err)
	}
	dir, err := os.MkdirTemp(filepath.Join(mod, ".cache"), "bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	c, err := cluster.Start(ctx, cluster.Options{Dir: filepath.Join(dir), Log: os.Stderr})
	if err != nil {
		return err
	}
	defer c.Stop()
	admin, err := c.Client(cluster.AdminUser)
	if err != nil {
		return err
	}
	start := time.Now()
	err = fixture.Bulk(ctx, admin, sizes, *workers, func(kind string, done int) {
		fmt.Fprintf(os.Stderr, "\rbench: %s %d   ", kind, done)
	})
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	fmt.Printf("Loaded %d Pods (with status), %d Nodes, %d Services, %d EndpointSlices in %d namespaces in %v (%d parallel creates)\n",
		sizes.Pods, sizes.Nodes, sizes.Services, sizes.Slices, sizes.Namespaces, time.Since(start).Round(time.Second), *workers)

	podCount := "[" + thousands(sizes.Pods) + "]"
	tools := []tool{
		{
			name: "ktraffic",
			argv: []string{c.Bin.Ktraffic, "-A"},
			// The service list is drawn once every informer has loaded;
			// "● live" says the snapshot is complete and current.
			ready: func(s string) bool { return strings.Contains(s, "● live") && strings.Contains(s, "svc-") },
		},
		{
			name: "k9s",
			argv: []string{*k9s, "-A", "-c", "pods", "--readonly", "--logoless", "--splashless"},
			// The title counts the pods listed, pods(all)[50,000], and
			// the rows follow.
			ready: func(s string) bool {
				return strings.Contains(s, podCount) && strings.Contains(s, "│ "+fixture.BulkNamespace(0))
			},
		},
	}
	results := map[string][]sample{}
	for r := range *runs {
		order := slices.Clone(tools)
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, t := range order {
			s, err := measure(ctx, dir, c, t, *settle)
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", t.name, r+1, err)
			}
			fmt.Fprintf(os.Stderr, "bench: run %d %-8s first complete screen %6.2fs, peak RSS %4.0f MiB\n", r+1, t.name, s.firstFrame.Seconds(), float64(s.peakRSS)/(1<<20))
			results[t.name] = append(results[t.name], s)
		}
	}
	report(tools, results, *settle)
	return nil
}

// measure runs t once in a fresh terminal and environment: its own HOME
// and config folders, the kubeconfig of a cluster-admin user.
func measure(ctx context.Context, dir string, c *cluster.Cluster, t tool, settle time.Duration) (sample, error) {
	home, err := os.MkdirTemp(dir, t.name+"-")
	if err != nil {
		return sample{}, err
	}
	defer os.RemoveAll(home)
	// k9s would ask GitHub for its latest release: this benchmark talks
	// to the loopback API server only.
	k9sConfig := filepath.Join(home, "k9s")
	if err := os.MkdirAll(k9sConfig, 0o700); err != nil {
		return sample{}, err
	}
	if err := os.WriteFile(filepath.Join(k9sConfig, "config.yaml"), []byte("k9s:\n  skipLatestRevCheck: true\n"), 0o600); err != nil {
		return sample{}, err
	}
	env := []string{
		"KUBECONFIG=" + c.Kubeconfig(cluster.KtrafficUser),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"K9S_CONFIG_DIR=" + k9sConfig,
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
	}
	start := time.Now()
	s, err := term.Start(home, 200, 50, env, t.argv...)
	if err != nil {
		return sample{}, err
	}
	defer s.Close()
	deadline := start.Add(5 * time.Minute)
	var screen string
	for {
		if screen, err = s.Screen(); err != nil {
			return sample{}, err
		}
		if t.ready(screen) {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return sample{}, fmt.Errorf("no complete screen within 5 minutes; the screen:\n%s", screen)
		}
		time.Sleep(20 * time.Millisecond)
	}
	out := sample{firstFrame: time.Since(start)}
	pid, dead, err := s.PID()
	if err != nil || dead {
		return out, fmt.Errorf("the process is gone (%v); the screen:\n%s", err, screen)
	}
	time.Sleep(settle)
	if out.peakRSS, err = cluster.PeakRSS(pid); err != nil {
		return out, err
	}
	// Nothing but the loopback API server: check every connection.
	sockets, err := cluster.Sockets(pid)
	if err != nil {
		return out, err
	}
	for _, so := range sockets {
		if !so.Listening && !so.Remote.IP.IsUnspecified() && !so.Remote.IP.IsLoopback() {
			return out, fmt.Errorf("connected to %s: the benchmark must stay on loopback", so.Remote.String())
		}
	}
	return out, nil
}

func report(tools []tool, results map[string][]sample, settle time.Duration) {
	median := func(s []sample, f func(sample) float64) float64 {
		v := make([]float64, len(s))
		for i, x := range s {
			v[i] = f(x)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	secs := func(s sample) float64 { return s.firstFrame.Seconds() }
	mib := func(s sample) float64 { return float64(s.peakRSS) / (1 << 20) }
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nTOOL\tFIRST COMPLETE SCREEN (s)\t\tPEAK RSS (MiB)\t")
	for _, t := range tools {
		s := results[t.name]
		var frames, rss []string
		for _, x := range s {
			frames = append(frames, fmt.Sprintf("%.2f", secs(x)))
			rss = append(rss, fmt.Sprintf("%.0f", mib(x)))
		}
		fmt.Fprintf(tw, "%s\t%.2f median\t(%s)\t%.0f median\t(%s)\n", t.name, median(s, secs), strings.Join(frames, " "), median(s, mib), strings.Join(rss, " "))
	}
	tw.Flush()
	k, o := results[tools[0].name], results[tools[1].name]
	fmt.Printf("\nktraffic/k9s: time %.2f×, peak RSS %.2f× (medians; peak RSS read %v after the first complete screen)\n",
		median(k, secs)/median(o, secs), median(k, mib)/median(o, mib), settle)
}

// thousands writes n as k9s does in titles: 50,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
