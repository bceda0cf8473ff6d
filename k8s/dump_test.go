package k8s

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/ktraffic/ktraffic/model"
)

// dumpSummary is the part of a snapshot the dump tests compare: what was kept,
// and what the reader said about it.
type dumpSummary struct {
	Source     string
	Services   []string
	Slices     []string
	Pods       []string
	Nodes      []string
	NodesKnown bool
	Warnings   []string
}

func summarizeDump(s *model.Snapshot) dumpSummary {
	out := dumpSummary{Source: s.Source, NodesKnown: s.NodesKnown, Warnings: s.Warnings}
	for _, v := range s.Services {
		out.Services = append(out.Services, v.Key())
	}
	for _, v := range s.Slices {
		out.Slices = append(out.Slices, v.Namespace+"/"+v.Name)
	}
	for _, v := range s.Pods {
		out.Pods = append(out.Pods, v.Namespace+"/"+v.Name)
	}
	for _, v := range s.Nodes {
		out.Nodes = append(out.Nodes, v.Name)
	}
	return out
}

func fixture(name string) string { return filepath.Join("testdata", name) }

func TestLoadFiles(t *testing.T) {
	listSummary := func(src string) dumpSummary {
		return dumpSummary{
			Source:     src,
			Services:   []string{"shop/web"},
			Slices:     []string{"shop/web-abcde"},
			Pods:       []string{"shop/web-1", "shop/web-2"},
			Nodes:      []string{"node-a", "node-b"},
			NodesKnown: true,
			Warnings:   []string{"skipped 3 objects of other kinds (Deployment, ConfigMap)"},
		}
	}
	tests := []struct {
		name  string
		paths []string
		stdin string
		want  dumpSummary
	}{
		{"v1 List in YAML", []string{fixture("list.yaml")}, "", listSummary("file:" + fixture("list.yaml"))},
		{"v1 List in JSON", []string{fixture("list.json")}, "", listSummary("file:" + fixture("list.json"))},
		{"List on stdin", []string{"-"}, readFixture(t, fixture("list.yaml")), listSummary("file:-")},
		{"multi-document YAML with a typed list", []string{fixture("multidoc.yaml")}, "", dumpSummary{
			Source:     "file:" + fixture("multidoc.yaml"),
			Services:   []string{"prod/api", "prod/api-headless"},
			Slices:     []string{"prod/api-x1"},
			Pods:       []string{"prod/api-1"},
			Nodes:      []string{"node-a"},
			NodesKnown: true,
		}},
		{"folder, recursive, hidden entries and other extensions ignored", []string{fixture("folder")}, "", dumpSummary{
			Source:     "file:" + fixture("folder"),
			Services:   []string{"default/web"},
			Pods:       []string{"default/web-1"},
			Nodes:      []string{"node-a", "node-b"},
			NodesKnown: true,
		}},
		{"no Nodes: derived from endpoints and pods", []string{fixture("no-nodes.yaml")}, "", dumpSummary{
			Source:   "file:" + fixture("no-nodes.yaml"),
			Services: []string{"default/web"},
			Slices:   []string{"default/web-abcde"},
			Pods:     []string{"default/batch-1", "default/web-1", "default/web-2"},
			Nodes:    []string{"worker-1", "worker-2", "worker-3"},
		}},
		{"other kinds, unregistered kinds and retired versions skipped", []string{fixture("other-kinds.yaml")}, "", dumpSummary{
			Source:   "file:" + fixture("other-kinds.yaml"),
			Services: []string{"default/web"},
			// v1 Endpoints are read (and mirrored where a Service has no
			// EndpointSlice), so they are not among the skipped.
			Warnings: []string{"skipped 5 objects of other kinds (Deployment, ConfigMap, IPAddressPool, EndpointSlice discovery.k8s.io/v1beta1)"},
		}},
		{"several paths merge; a repeated object keeps the later copy", []string{fixture("no-nodes.yaml"), fixture("folder")}, "", dumpSummary{
			Source:   "file:" + fixture("no-nodes.yaml") + "," + fixture("folder"),
			Services: []string{"default/web"},
			Slices:   []string{"default/web-abcde"},
			Pods:     []string{"default/batch-1", "default/web-1", "default/web-2"},
			// Node objects were read, so the nodes only pods name (worker-*)
			// are not assumed: no kube-proxy the input knows runs there.
			Nodes:      []string{"node-a", "node-b"},
			NodesKnown: true,
			Warnings:   []string{"2 objects appeared more than once; the copy read last was kept"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, err := LoadFiles(tt.paths, strings.NewReader(tt.stdin))
			if err != nil {
				t.Fatalf("LoadFiles: %v", err)
			}
			if got := summarizeDump(snap); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func readFixture(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLoadFilesFields checks that the reader hands every field through
// the converters, and fills in what manifests leave out.
func TestLoadFilesFields(t *testing.T) {
	snap, err := LoadFiles([]string{fixture("list.yaml")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := snap.Service("shop/web")
	if svc == nil || svc.Type != "NodePort" || svc.ExternalTrafficPolicy != "Local" || svc.HealthCheckNodePort != 32000 ||
		len(svc.Ports) != 1 || svc.Ports[0].NodePort != 30080 || svc.Ports[0].TargetPort != "8080" {
		t.Errorf("service = %+v", svc)
	}
	if n := snap.Nodes[1]; n.Name != "node-b" || n.Zone != "z2" || n.Ready {
		t.Errorf("node-b = %+v, want zone z2, not ready", n)
	}
	ep := snap.Slices[0].Endpoints[1]
	if ep.Ready == nil || *ep.Ready || ep.NodeName != "node-b" || ep.PodName != "web-2" || ep.Zone != "z2" {
		t.Errorf("endpoint = %+v", ep)
	}
	if p := snap.Pods[1]; p.Ready || p.IP != "10.0.2.6" || p.NodeName != "node-b" {
		t.Errorf("pod web-2 = %+v", p)
	}

	snap, err = LoadFiles([]string{fixture("folder")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := snap.Pods[0]; p.Namespace != "default" || !p.Ready || p.IP != "10.0.2.3" {
		t.Errorf("namespace-less pod = %+v, want it in default", p)
	}

	snap, err = LoadFiles([]string{fixture("no-nodes.yaml")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	zones := map[string]string{}
	for _, n := range snap.Nodes {
		zones[n.Name] = n.Zone
	}
	want := map[string]string{"worker-1": "eu-west-1a", "worker-2": "eu-west-1b", "worker-3": ""}
	if !reflect.DeepEqual(zones, want) {
		t.Errorf("derived node zones = %v, want %v", zones, want)
	}
}

func TestLoadFilesErrors(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		stdin string
		want  string
	}{
		{"malformed YAML names file and line", []string{fixture("malformed.yaml")}, "",
			fixture("malformed.yaml") + ": line 15: invalid YAML: mapping values are not allowed in this context"},
		{"malformed JSON names file and line", []string{fixture("malformed.json")}, "",
			fixture("malformed.json") + ": line 9: invalid JSON: invalid character '}' looking for beginning of object key string"},
		{"missing file", []string{fixture("nope.yaml")}, "",
			fixture("nope.yaml") + ": no such file or directory"},
		{"empty file", []string{fixture("empty.yaml")}, "",
			"no Kubernetes objects found in " + fixture("empty.yaml")},
		{"comments only", []string{fixture("comments-only.yaml")}, "",
			"no Kubernetes objects found in " + fixture("comments-only.yaml")},
		{"empty stdin", []string{"-"}, "",
			"no Kubernetes objects found in standard input"},
		{"valid YAML that is not an object", []string{fixture("scalar.yaml")}, "",
			fixture("scalar.yaml") + ": line 1: the document is text, not a Kubernetes object (was it saved with kubectl get -o yaml or -o json?)"},
		{"only kinds the model does not use", []string{fixture("only-other-kinds.yaml")}, "",
			"no Services, EndpointSlices, Pods or Nodes in " + fixture("only-other-kinds.yaml") + ": skipped 2 objects of other kinds (Deployment)"},
		{"an empty file among good ones still fails", []string{fixture("list.yaml"), fixture("empty.yaml")}, "",
			"no Kubernetes objects found in " + fixture("empty.yaml")},
		{"only other kinds on stdin", []string{"-"}, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
			"no Services, EndpointSlices, Pods or Nodes in standard input: skipped 1 object of other kinds (ConfigMap)"},
		{"stdin twice", []string{"-", "-"}, "apiVersion: v1\nkind: Node\nmetadata: {name: a}\n",
			`"-" (standard input) given more than once`},
		{"no paths", nil, "", "no dump file given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, err := LoadFiles(tt.paths, strings.NewReader(tt.stdin))
			if err == nil {
				t.Fatalf("LoadFiles = %+v, want error %q", summarizeDump(snap), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %q\nwant %q", err.Error(), tt.want)
			}
		})
	}
	_, err := LoadFiles([]string{fixture("nope.yaml")}, nil)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file error %v does not wrap fs.ErrNotExist", err)
	}
}

// TestLoadFilesSymlinkedFolder: dumps often live behind a symlink (a
// "latest" link to the newest capture), which WalkDir alone would not enter.
func TestLoadFilesSymlinkedFolder(t *testing.T) {
	target, err := filepath.Abs(fixture("folder"))
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "latest")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	snap, err := LoadFiles([]string{link}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := summarizeDump(snap); len(got.Services) != 1 || len(got.Pods) != 1 || len(got.Nodes) != 2 {
		t.Errorf("through the link: %+v", got)
	}
}

func TestLoadFilesEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFiles([]string{dir}, nil)
	if want := dir + ": no .yaml, .yml or .json files in this folder"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// TestDecodeDumpLines pins the line each error reports, since users jump
// to it in an editor: separators, comments and CRLF must not shift it.
func TestDecodeDumpLines(t *testing.T) {
	pod := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"
	yamlList := "apiVersion: v1\nkind: List\nitems:\n" +
		"- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n" +
		"- apiVersion: v1\n  kind: Service\n  metadata: {name: s, namespace: prod}\n  spec: {ports: [{port: http}]}\n"
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"error inside the first document", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   x: y\n",
			"d.yaml: line 5: invalid YAML: mapping values are not allowed in this context"},
		{"error after leading separators and comments", "---\n# c\n---\n---\n" + pod + "   x: y\n",
			"d.yaml: line 9: invalid YAML: mapping values are not allowed in this context"},
		{"error in the third document", pod + "---\n" + pod + "--- # end of b\n" + "kind: [\n",
			"d.yaml: line 11: invalid YAML: did not find expected node content"},
		{"CRLF line ends", strings.ReplaceAll(pod+"---\n"+pod+"  x: [\n", "\n", "\r\n"),
			"d.yaml: line 10: invalid YAML: did not find expected node content"},
		{"line longer than the reader's buffer", pod + "  annotations: {a: \"" + strings.Repeat("x", 70000) + "\"}\n---\n" + pod + "   x: y\n",
			"d.yaml: line 11: invalid YAML: mapping values are not allowed in this context"},
		{"no final newline", pod + "---\nkind: [", "d.yaml: line 6: invalid YAML: did not find expected node content"},
		{"bad separator", pod + "---\n" + pod + "--- trailing\n" + pod, "d.yaml: line 10: invalid Yaml document separator: trailing"},
		{"document that is a list", pod + "---\n- a\n- b\n", "d.yaml: line 6: the document is a list, not a Kubernetes object"},
		{"object without kind", pod + "---\n\nmetadata: {name: x}\n", "d.yaml: line 6: an object without kind (expected kubectl get -o yaml or -o json output)"},
		{"object without apiVersion", "kind: Pod\nmetadata: {name: x, namespace: ns}\n", "d.yaml: line 1: Pod ns/x has no apiVersion"},
		{"field of the wrong type", pod + "---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: http}]}\n",
			"d.yaml: line 6: Service s: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"},
		{"list item that is not an object", "apiVersion: v1\nkind: List\nitems:\n- " + "5\n",
			"d.yaml: line 4: item 1: the document is a number, not a Kubernetes object"},
		{"bad item of a YAML List, after another document", pod + "---\n" + yamlList,
			"d.yaml: line 12: item 2: Service prod/s: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"},
		{"bad item of a JSON List", "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n" +
			"  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}},\n" +
			"  {\"apiVersion\": \"v1\",\n   \"kind\": \"Pod\", \"spec\": {\"containers\": 5}}\n]}\n",
			"d.yaml: line 3: item 2: Pod: json: cannot unmarshal number into Go struct field PodSpec.spec.containers of type []v1.Container"},
		{"JSON stream, second value broken", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"a\"}}\n\n{\"kind\": nope}\n",
			"d.yaml: line 3: invalid JSON: invalid character 'o' in literal null (expecting 'u')"},
		{"JSON cut short", "{\n\"apiVersion\": \"v1\",\n", "d.yaml: line 2: invalid JSON: the document ends early"},
		{"nested Lists", strings.Repeat("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[", 6) + strings.Repeat("]}", 6),
			"d.yaml: line 1: item 1: item 1: item 1: item 1: Lists nested more than 4 deep"},
	}
	for _, tt := range tests {
		for _, d := range decoders {
			t.Run(tt.name+"/"+d.name, func(t *testing.T) {
				_, err := d.decode("d.yaml", []byte(tt.in))
				if err == nil || err.Error() != tt.want {
					t.Errorf("error\n got %v\nwant %s", err, tt.want)
				}
			})
		}
	}
}

// TestDecodeDumpEncodings covers dumps saved by Windows tools: a UTF-8
// byte-order mark, and PowerShell's UTF-16 redirect, whose "---" lines a
// byte-wise split would not see.
func TestDecodeDumpEncodings(t *testing.T) {
	doc := "apiVersion: v1\r\nkind: Node\r\nmetadata:\r\n  name: %s\r\n"
	two := fmt.Sprintf(doc, "a") + "---\r\n" + fmt.Sprintf(doc, "b")
	utf16le := func(s string, bom []byte) []byte {
		out := append([]byte(nil), bom...)
		for _, u := range utf16.Encode([]rune(s)) {
			out = binary.LittleEndian.AppendUint16(out, u)
		}
		return out
	}
	utf16be := func(s string) []byte {
		out := []byte{0xFE, 0xFF}
		for _, u := range utf16.Encode([]rune(s)) {
			out = binary.BigEndian.AppendUint16(out, u)
		}
		return out
	}
	tests := []struct {
		name string
		in   []byte
		want []string
		err  string
	}{
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, two...), []string{"a", "b"}, ""},
		{"JSON with BOM", append([]byte{0xEF, 0xBB, 0xBF}, `{"apiVersion":"v1","kind":"Node","metadata":{"name":"j"}}`...), []string{"j"}, ""},
		{"UTF-16LE", utf16le(two, []byte{0xFF, 0xFE}), []string{"a", "b"}, ""},
		{"UTF-16BE", utf16be(two), []string{"a", "b"}, ""},
		{"UTF-16 cut mid-character", utf16le(two, []byte{0xFF, 0xFE})[:11], nil,
			"d.yaml: line 1: UTF-16 text with an odd number of bytes; save the dump as UTF-8"},
	}
	for _, tt := range tests {
		for _, d := range decoders {
			t.Run(tt.name+"/"+d.name, func(t *testing.T) {
				c, err := d.decode("d.yaml", tt.in)
				if tt.err != "" {
					if err == nil || err.Error() != tt.err {
						t.Fatalf("error = %v, want %s", err, tt.err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, n := range c.nodes {
					got = append(got, n.Name)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("nodes = %v, want %v", got, tt.want)
				}
			})
		}
	}
}

func TestSquashLine(t *testing.T) {
	long := strings.Repeat("é", 400)
	got := squashLine("a\n\tb  c\r\n" + long)
	if strings.ContainsAny(got, "\n\r\t") || !strings.HasPrefix(got, "a b c é") || len(got) > 310 || !strings.HasSuffix(got, "…") {
		t.Errorf("oneLine = %q", got)
	}
}
