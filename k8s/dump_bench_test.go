package k8s

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ktraffic/ktraffic/internal/scalegen"
)

// BenchmarkLoadFilesGenerated reads a generated kubectl-shaped dump, as
// `check -f` does before it summarises. BENCH_DUMP names an existing
// dump to read instead (scripts/bench-load.sh makes the big ones).
func BenchmarkLoadFilesGenerated(b *testing.B) {
	path := os.Getenv("BENCH_DUMP")
	if path == "" {
		path = filepath.Join(b.TempDir(), "dump.json")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		c := scalegen.Config{Seed: 1, Nodes: 200, Pods: 5000, Services: 500, Slices: 1000, Zones: 3, Namespaces: 10}
		if err := scalegen.Write(f, c); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadFiles([]string{path}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
