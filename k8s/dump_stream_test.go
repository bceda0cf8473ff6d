package k8s

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/internal/scalegen"
)

// streamDump runs the stream reader over data as one input.
func streamDump(name string, data []byte) (*dumpContents, error) {
	c := &dumpContents{}
	pm := &progressMeter{}
	b := &budget{limit: DefaultMaxInputBytes, pm: pm}
	cr := &countingReader{r: bytes.NewReader(data), name: name, b: b}
	in := dumpInput{name: name, r: cr, at: bytes.NewReader(data), size: int64(len(data)), read: &cr.n}
	return c, decodeStream(context.Background(), in, c, pm)
}

// decoders are the two readers of a dump's text, which must agree.
var decoders = []struct {
	name   string
	decode func(name string, data []byte) (*dumpContents, error)
}{{"full", decodeDump}, {"stream", streamDump}}

// TestStreamMatchesFull: on inputs that take the stream reader's detours
// (Lists cut into items, documents handed back to the full decoder), both
// readers give the same contents, or the same error.
func TestStreamMatchesFull(t *testing.T) {
	pod := func(name string) string {
		return `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"` + name + `","namespace":"ns"},"spec":{"nodeName":"n1"},"status":{"podIP":"10.0.0.1","conditions":[{"type":"Ready","status":"True"}]}}`
	}
	yamlPod := func(name string) string {
		return "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: " + name + "\n    namespace: ns\n  spec:\n    nodeName: n1\n"
	}
	var gen, genYAML bytes.Buffer
	c := scalegen.Config{Seed: 5, Nodes: 9, Pods: 40, Services: 6, Slices: 12, Zones: 3, Namespaces: 2}
	if err := scalegen.Write(&gen, c); err != nil {
		t.Fatal(err)
	}
	c.YAML = true
	if err := scalegen.Write(&genYAML, c); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, in string }{
		{"generated JSON List", gen.String()},
		{"generated YAML List", genYAML.String()},
		{"JSON List, kind first", `{"kind":"List","apiVersion":"v1","items":[` + pod("a") + `,` + pod("b") + `]}`},
		{"JSON typed list, items before kind", `{"apiVersion":"v1","items":[{"metadata":{"name":"a"}}],"kind":"PodList"}`},
		{"JSON List of another version", `{"apiVersion":"v2","items":[` + pod("a") + `],"kind":"List"}`},
		{"JSON List with bad metadata", `{"apiVersion":"v1","items":[` + pod("a") + `],"kind":"List","metadata":{"resourceVersion":5}}`},
		{"JSON List with items twice", `{"apiVersion":"v1","items":[` + pod("a") + `],"kind":"List","items":[` + pod("b") + `]}`},
		{"JSON List whose Kind differs in case", `{"apiVersion":"v1","items":[` + pod("a") + `],"kind":"List","Kind":"Pod"}`},
		{"JSON List with a bad item", "{\"apiVersion\":\"v1\",\"items\":[\n" + pod("a") + ",\n{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"containers\":5}}],\"kind\":\"List\"}"},
		{"JSON stream of objects", pod("a") + "\n" + pod("b") + "\n" + pod("a")},
		{"JSON syntax error inside a List", "{\"apiVersion\":\"v1\",\"items\":[\n" + pod("a") + ",\n{\"kind\": nope}]}"},
		{"JSON stream with a number", pod("a") + " 5"},
		{"YAML List, indented items", "apiVersion: v1\nitems:\n  - apiVersion: v1\n    kind: Node\n    metadata: {name: n1}\nkind: List\n"},
		{"YAML List with an anchor across items", "apiVersion: v1\nitems:\n- &p\n  apiVersion: v1\n  kind: Node\n  metadata: {name: n1}\n- *p\nkind: List\n"},
		{"YAML List with a bad item", "apiVersion: v1\nitems:\n" + yamlPod("a") + "- apiVersion: v1\n  kind: Pod\n  spec: {containers: 5}\nkind: List\n"},
		{"YAML List with a syntax error", "apiVersion: v1\nitems:\n" + yamlPod("a") + "- apiVersion: v1\n  kind: [\nkind: List\n"},
		{"YAML List then documents", "apiVersion: v1\nitems:\n" + yamlPod("a") + yamlPod("b") + "kind: List\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n2}\n"},
		{"YAML typed list", "apiVersion: v1\nitems:\n- metadata: {name: a}\nkind: PodList\n"},
		{"YAML List with a bare dash", "apiVersion: v1\nitems:\n-\n  apiVersion: v1\n  kind: Node\n  metadata: {name: n1}\n- null\nkind: List\n"},
		{"YAML items that are not a sequence", "apiVersion: v1\nitems:\n  apiVersion: v1\nkind: List\n"},
		{"YAML with NUL bytes", "apiVersion: v1\nkind: Node\nmetadata: {name: \x00}\n"},
		{"YAML separators and comments", "---\n# c\n---\n" + "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n--- # x\napiVersion: v1\nkind: Node\nmetadata: {name: n2}\n---\n"},
		{"CRLF YAML List", strings.ReplaceAll("apiVersion: v1\nitems:\n"+yamlPod("a")+"kind: List\n", "\n", "\r\n")},
		{"values the API server would reject", `{"apiVersion":"v1","items":[{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},` +
			`"spec":{"type":"Teleport","externalTrafficPolicy":"Sideways","healthCheckNodePort":-3,` +
			`"ports":[{"port":0},{"port":80,"nodePort":99999,"protocol":"UDP"},{"port":70000},{"port":443,"targetPort":"https"}]}}],"kind":"List"}`},
		{"terminal controls in names and labels", `{"apiVersion":"v1","items":[` +
			`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p\u001b]0;owned\u0007","namespace":"\u0007","labels":{"a\u001b[2J":"b","c":"\u009bd"}}},` +
			`{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"e","namespace":"ns","labels":{"kubernetes.io/service-name":"s\u001b"}},` +
			`"endpoints":[{"addresses":["10.0.0.1\u202e"],"nodeName":"n\u0000","zone":"z\u200f","targetRef":{"kind":"Pod","name":"p","namespace":"\u0001"},` +
			`"hints":{"forZones":[{"name":"z\u0002"}]}}],"ports":[{"name":"h\u0003","protocol":"TCP"}]},` +
			`{"apiVersion":"v1","kind":"Node","metadata":{"name":"n\u001b","labels":{"topology.kubernetes.io/zone":"z\u0085"}},` +
			`"spec":{"taints":[{"key":"k\u0004","effect":"NoSchedule"}]},"status":{"addresses":[{"type":"InternalIP","address":"1.2.3.4\u0005"}]}}` +
			`],"kind":"List"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full, ferr := decodeDump("d", []byte(tt.in))
			stream, serr := streamDump("d", []byte(tt.in))
			if ferr != nil || serr != nil {
				if fmt.Sprint(ferr) != fmt.Sprint(serr) {
					t.Fatalf("errors differ:\nfull   %v\nstream %v", ferr, serr)
				}
				return
			}
			full.index, stream.index = nil, nil
			if !reflect.DeepEqual(full, stream) {
				t.Fatalf("contents differ:\nfull   %+v\nstream %+v", full, stream)
			}
		})
	}
}

func TestLoadFilesBound(t *testing.T) {
	dir := t.TempDir()
	node := "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n"
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(node+"# "+strings.Repeat("x", 2000)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	exact := filepath.Join(dir, "exact.yaml")
	if err := os.WriteFile(exact, []byte(node+strings.Repeat("#", 1024-len(node))), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		paths []string
		stdin io.Reader
		want  string
	}{
		{"a file past the bound", []string{big}, nil, big + ": stopped after 1Ki, the most ktraffic reads; --max-input-size raises it"},
		{"a file of exactly the bound", []string{exact}, nil, ""},
		{"the bound counts every input", []string{exact, exact}, nil, exact + ": stopped after 1Ki, the most ktraffic reads; --max-input-size raises it"},
		{"a pipe past the bound", []string{"-"}, io.MultiReader(strings.NewReader(node), strings.NewReader(strings.Repeat("#", 2000))),
			"standard input: stopped after 1Ki, the most ktraffic reads; --max-input-size raises it"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests, struct {
			name  string
			paths []string
			stdin io.Reader
			want  string
		}{"/dev/zero", []string{"/dev/zero"}, nil, "/dev/zero: stopped after 1Ki, the most ktraffic reads; --max-input-size raises it"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFilesWith(context.Background(), tt.paths, tt.stdin, LoadOptions{MaxBytes: 1024})
			if fmt.Sprint(err) != tt.want && !(err == nil && tt.want == "") {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestLoadFilesDevZero: the default bound stops /dev/zero without the
// endless line costing memory.
func TestLoadFilesDevZero(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the default bound's worth of zeros")
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := LoadFiles([]string{"/dev/zero"}, nil)
	runtime.ReadMemStats(&after)
	if want := "/dev/zero: stopped after 1Gi, the most ktraffic reads; --max-input-size raises it"; fmt.Sprint(err) != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Errorf("reading zeros allocated %d MB", grew>>20)
	}
}

func TestLoadFilesProgress(t *testing.T) {
	var gen bytes.Buffer
	c := scalegen.Config{Seed: 2, Nodes: 10, Pods: 300, Services: 30, Slices: 60, Zones: 3, Namespaces: 3}
	if err := scalegen.Write(&gen, c); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dump.json")
	if err := os.WriteFile(path, gen.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []FileProgress
	if _, err := LoadFilesWith(context.Background(), []string{path}, nil, LoadOptions{Progress: func(p FileProgress) { got = append(got, p) }}); err != nil {
		t.Fatal(err)
	}
	if len(got) < 2 || got[0].File != path {
		t.Fatalf("progress %+v", got)
	}
	last := got[len(got)-1]
	size := int64(gen.Len())
	if want := (FileProgress{File: path, Objects: c.Objects(), Bytes: size, Total: size, Done: true}); last != want {
		t.Errorf("last progress %+v, want %+v", last, want)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Bytes < got[i-1].Bytes || got[i].Objects < got[i-1].Objects {
			t.Errorf("progress went back: %+v then %+v", got[i-1], got[i])
		}
	}

	// Standard input has no size to tell.
	got = nil
	if _, err := LoadFilesWith(context.Background(), []string{"-"}, bytes.NewReader(gen.Bytes()), LoadOptions{Progress: func(p FileProgress) { got = append(got, p) }}); err != nil {
		t.Fatal(err)
	}
	if last := got[len(got)-1]; last.Total != 0 || last.Bytes != size || last.Objects != c.Objects() {
		t.Errorf("stdin progress %+v", last)
	}
}

func TestLoadFilesCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := LoadFilesWith(ctx, []string{fixture("list.json")}, nil, LoadOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestSpool(t *testing.T) {
	var sp spool
	data := make([]byte, 3*spoolChunk+123)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for rest := data; len(rest) > 0; {
		n := min(len(rest), 999_999)
		if _, err := sp.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	for _, r := range [][2]int64{{0, 10}, {spoolChunk - 5, spoolChunk + 5}, {5, 3*spoolChunk + 123}, {3 * spoolChunk, 3*spoolChunk + 123}} {
		got := make([]byte, r[1]-r[0])
		if n, err := sp.ReadAt(got, r[0]); n != len(got) || (err != nil && err != io.EOF) || !bytes.Equal(got, data[r[0]:r[1]]) {
			t.Errorf("ReadAt %v: %d, %v", r, n, err)
		}
	}
	if n, err := sp.ReadAt(make([]byte, 10), int64(len(data))-4); n != 4 || err != io.EOF {
		t.Errorf("ReadAt past the end: %d, %v", n, err)
	}
}

// TestLoadFilesStdinFile: standard input redirected from a file is read
// in place, from where it stands, and a fallback reads it again there.
func TestLoadFilesStdinFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.json")
	typed := `{"apiVersion":"v1","items":[{"metadata":{"name":"a","namespace":"x"}}],"kind":"PodList"}`
	if err := os.WriteFile(path, []byte("{}"+typed), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(2, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	snap, err := LoadFiles([]string{"-"}, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Pods) != 1 || snap.Pods[0].Name != "a" {
		t.Errorf("pods %+v", snap.Pods)
	}
}
