// Command cluster starts, describes and stops a real Kubernetes control
// plane on 127.0.0.1 for trying ktraffic by hand; scripts/cluster.sh runs
// it. The cluster outlives the command: up starts it in the background,
// down stops it.
//
//	cluster build                  build the binaries (CI does this before the tests)
//	cluster up [--scenario NAME]   start (building the binaries the first time)
//	cluster env                    print the export line for the kubeconfig
//	cluster down                   stop it and delete its data
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/ktraffic/ktraffic/e2e/cluster"
	"github.com/ktraffic/ktraffic/e2e/scenario"
)

const usage = `usage: scripts/cluster.sh up [--scenario NAME] | env | down | build

up      starts etcd, kube-apiserver and kube-controller-manager on 127.0.0.1
        (the first run builds them from the Go module proxy: minutes);
        --scenario NAME loads a demo scenario (k8s/scenarios/NAME.yaml) and
        leaves the EndpointSlice controller off, so its slices stay as shipped;
        the API server's node proxy reaches no address at all (a scenario's
        Nodes carry real clusters' addresses), so probes through it fail
env     prints: export KUBECONFIG=... (use: eval "$(scripts/cluster.sh env)")
down    stops the cluster and deletes its data
build   only builds the binaries into e2e/.cache/bin
`

// state is what up leaves for env and down.
type state struct {
	Server     string         `json:"server"`
	Kubeconfig string         `json:"kubeconfig"`
	PIDs       map[string]int `json:"pids"`
	Binaries   map[string]string
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return errors.New("no command")
	}
	mod, err := cluster.ModuleDir()
	if err != nil {
		return err
	}
	dir := filepath.Join(mod, ".cache", "cluster")
	switch args[0] {
	case "up":
		fs := flag.NewFlagSet("up", flag.ContinueOnError)
		name := fs.String("scenario", "", "load this demo scenario")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return up(mod, dir, *name)
	case "env":
		st, err := readState(dir)
		if err != nil {
			return err
		}
		fmt.Printf("export KUBECONFIG=%s\n", st.Kubeconfig)
		return nil
	case "down":
		return down(dir)
	case "build":
		b, err := cluster.Build(context.Background(), os.Stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "cluster: built %s, %s, %s and %s\n", b.Etcd, b.APIServer, b.ControllerManager, b.Ktraffic)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func up(mod, dir, name string) error {
	if st, err := readState(dir); err == nil {
		return fmt.Errorf("a cluster is already up at %s (kubeconfig %s); run down first", st.Server, st.Kubeconfig)
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var sc *scenario.Scenario
	controllers := cluster.DefaultControllers
	if name != "" {
		var err error
		if sc, err = scenario.Read(scenario.Dir(filepath.Dir(mod)), name); err != nil {
			return err
		}
		controllers = nil
	}
	c, err := cluster.Start(ctx, cluster.Options{Dir: dir, Controllers: controllers, Detached: true, Log: os.Stderr})
	if err != nil {
		return err
	}
	if sc != nil {
		cl, err := scenario.NewClients(c.Config(cluster.AdminUser))
		if err == nil {
			err = sc.Create(ctx, cl)
		}
		if err != nil {
			c.Stop()
			return fmt.Errorf("loading scenario %s: %w", name, err)
		}
		fmt.Fprintf(os.Stderr, "cluster: loaded scenario %s\n", name)
	}
	st := state{Server: c.Server, Kubeconfig: c.Kubeconfig(cluster.AdminUser), PIDs: c.PIDs(), Binaries: map[string]string{
		"etcd": c.Bin.Etcd, "kube-apiserver": c.Bin.APIServer, "kube-controller-manager": c.Bin.ControllerManager,
	}}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		c.Stop()
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "state.json"), data, 0o600); err != nil {
		c.Stop()
		return err
	}
	fmt.Fprintf(os.Stderr, `cluster: up at %s; everything it writes is in %s
Point ktraffic at it (the kubeconfig's user is a cluster admin):
  eval "$(scripts/cluster.sh env)"
  go run . -A
Stop it with: scripts/cluster.sh down
`, c.Server, dir)
	return nil
}

func down(dir string) error {
	st, err := readState(dir)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "cluster: nothing is up")
		return nil
	}
	if err != nil {
		return err
	}
	var failed []string
	for _, name := range []string{"kube-controller-manager", "kube-apiserver", "etcd"} {
		if pid, ok := st.PIDs[name]; ok {
			if err := cluster.StopPID(pid, st.Binaries[name]); err != nil {
				failed = append(failed, fmt.Sprintf("%s (pid %d): %v", name, pid, err))
			}
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("could not stop %s; %s is kept", strings.Join(failed, ", "), dir)
	}
	fmt.Fprintln(os.Stderr, "cluster: stopped")
	return os.RemoveAll(dir)
}

func readState(dir string) (state, error) {
	var st state
	data, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil {
		return st, err
	}
	err = json.Unmarshal(data, &st)
	return st, err
}
