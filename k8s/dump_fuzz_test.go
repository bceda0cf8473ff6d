package k8s

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzDecodeDump feeds the dump decoders arbitrary bytes: they must never
// panic, their errors must stay one line naming the input, because the
// CLI prints them as they are, and the stream reader must agree with the
// full decoder: the same contents, or both an error.
func FuzzDecodeDump(f *testing.F) {
	err := fs.WalkDir(scenarioFiles, "scenarios", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := scenarioFiles.ReadFile(path)
		for _, item := range listItems(data) {
			f.Add(item)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	err = filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, string(filepath.Separator)+"fuzz"+string(filepath.Separator)) {
			return err
		}
		data, err := os.ReadFile(path)
		f.Add(data)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		full, ferr := decodeDump("in.yaml", data)
		stream, serr := streamDump("in.yaml", data)
		for _, err := range []error{ferr, serr} {
			if err == nil {
				continue
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error spans lines: %q", msg)
			}
			if !strings.HasPrefix(msg, "in.yaml: line ") {
				t.Fatalf("error does not say where: %q", msg)
			}
		}
		switch {
		case ferr != nil && serr != nil:
			return
		case ferr != nil:
			t.Fatalf("the stream reader took what the full decoder refuses (%v)", ferr)
		case serr != nil:
			t.Fatalf("the stream reader refused what the full decoder takes: %v", serr)
		}
		full.index, stream.index = nil, nil
		if !reflect.DeepEqual(full, stream) {
			t.Fatalf("the decoders differ:\nfull   %+v\nstream %+v", full, stream)
		}
		c := full
		kept := len(c.services) + len(c.slices) + len(c.pods) + len(c.nodes) + len(c.endpoints) +
			len(c.ingresses) + len(c.ingressClasses) + len(c.gateways) + len(c.gatewayClasses) + len(c.routes) +
			len(c.datapath.configMaps) + len(c.datapath.daemonSets)
		skipped := 0
		for _, n := range c.skipped {
			skipped += n
		}
		if kept+skipped+c.duplicates != c.objects {
			t.Fatalf("objects %d != kept %d + skipped %d + duplicates %d", c.objects, kept, skipped, c.duplicates)
		}
	})
}

// listItems cuts a scenario List into one-item Lists. Whole scenario files
// (20-50 kB) make poor seeds: each input the fuzzer finds from one is
// minimized for up to a minute, which uses up a short -fuzztime on one find.
func listItems(data []byte) [][]byte {
	const head = "apiVersion: v1\nkind: List\nitems:\n"
	var items [][]byte
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			items = append(items, []byte(head+cur.String()))
			cur.Reset()
		}
	}
	for _, line := range strings.SplitAfter(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "- "):
			flush()
			cur.WriteString(line)
		case strings.HasPrefix(line, "  ") && cur.Len() > 0:
			cur.WriteString(line)
		default:
			flush()
		}
	}
	flush()
	return items
}
