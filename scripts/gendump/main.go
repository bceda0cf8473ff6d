// Command gendump writes a big, deterministic cluster dump shaped like
// `kubectl get nodes,pods,services,endpointslices -A -o json`, for
// measuring ktraffic at scale (scripts/bench-load.sh uses it):
//
//	go run ./scripts/gendump -pods 100000 -o /tmp/dump-100k.json
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ktraffic/ktraffic/internal/scalegen"
)

func main() {
	c := scalegen.Default()
	flag.Uint64Var(&c.Seed, "seed", c.Seed, "random seed: the same seed and sizes give the same bytes")
	flag.IntVar(&c.Nodes, "nodes", c.Nodes, "number of Nodes")
	flag.IntVar(&c.Pods, "pods", c.Pods, "number of Pods (spread evenly over the Services)")
	flag.IntVar(&c.Services, "services", c.Services, "number of Services")
	flag.IntVar(&c.Slices, "slices", c.Slices, "number of EndpointSlices (at least one per Service)")
	flag.IntVar(&c.Zones, "zones", c.Zones, "number of zones")
	flag.IntVar(&c.Namespaces, "namespaces", c.Namespaces, "number of namespaces")
	flag.BoolVar(&c.YAML, "yaml", false, "write -o yaml output instead of JSON")
	out := flag.String("o", "-", "output file, - for stdout")
	flag.Parse()
	if err := run(c, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gendump:", err)
		os.Exit(1)
	}
}

func run(c scalegen.Config, out string) error {
	var w io.Writer = os.Stdout
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := scalegen.Write(w, c); err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && out != "-" {
		return f.Close()
	}
	return nil
}
