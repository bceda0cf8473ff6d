package k8s

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"reflect"
	"testing"

	"github.com/ktraffic/ktraffic/internal/scalegen"
)

// objectsOf returns every object of a dump as JSON, Lists opened.
func objectsOf(t testing.TB, data []byte) [][]byte {
	t.Helper()
	docs, err := splitDump("t", data, 1)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	var walk func(js []byte)
	walk = func(js []byte) {
		var l struct {
			Kind  string            `json:"kind"`
			Items []json.RawMessage `json:"items"`
		}
		if json.Unmarshal(js, &l) == nil && l.Kind == "List" {
			for _, it := range l.Items {
				walk(it)
			}
			return
		}
		out = append(out, js)
	}
	for _, d := range docs {
		walk(d.json)
	}
	return out
}

// leanVsFull decodes js both ways and fails when the lean decoder
// answers differently from the full one. It reports whether the lean
// decoder answered at all.
func leanVsFull(t testing.TB, js []byte) bool {
	t.Helper()
	var lean, full dumpContents
	ok := lean.leanDecode(js, stringTable{})
	err := full.decodeObject("t", dumpDoc{line: 1, src: js, json: js}, "", js, 0)
	if !ok {
		if lean.objects != 0 || len(lean.services)+len(lean.slices)+len(lean.pods)+len(lean.nodes) != 0 {
			t.Fatalf("declined but changed the contents: %+v", lean)
		}
		return false
	}
	if err != nil {
		t.Fatalf("lean decoder accepted what the full one refuses (%v):\n%s", err, js)
	}
	lean.index, full.index = nil, nil
	if !reflect.DeepEqual(lean, full) {
		t.Fatalf("lean and full decoders differ on\n%s\nlean %+v\nfull %+v", js, lean, full)
	}
	return true
}

func TestLeanMatchesFull(t *testing.T) {
	var inputs [][]byte
	err := fs.WalkDir(scenarioFiles, "scenarios", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := scenarioFiles.ReadFile(path)
		inputs = append(inputs, data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"list.yaml", "list.json", "multidoc.yaml", "no-nodes.yaml"} {
		inputs = append(inputs, []byte(readFixture(t, fixture(f))))
	}
	var gen bytes.Buffer
	if err := scalegen.Write(&gen, scalegen.Config{Seed: 3, Nodes: 20, Pods: 200, Services: 20, Slices: 40, Zones: 3, Namespaces: 3}); err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, gen.Bytes())
	// Values that need cleaning or dropping take the lean path too.
	inputs = append(inputs, []byte(`{"apiVersion":"v1","kind":"Service","metadata":{"name":"s\u001b[2J","annotations":{"a":"\u0007"}},`+
		`"spec":{"type":"Teleport","externalTrafficPolicy":"Sideways","ports":[{"port":0},{"port":80,"nodePort":99999}]}}`),
		[]byte(`{"apiVersion":"v1","kind":"Node","metadata":{"name":"n","labels":{"topology.kubernetes.io/zone":"z\u0085","k\u0001":"v"}}}`))
	answered, declined := 0, 0
	for _, in := range inputs {
		for _, js := range objectsOf(t, in) {
			if leanVsFull(t, js) {
				answered++
			} else {
				declined++
				t.Logf("declined: %.160s", js)
			}
		}
	}
	// Everything a scenario or a generated dump holds of the four kinds
	// should take the lean path; a decline there is a slowdown to find.
	t.Logf("lean decoder answered %d objects, declined %d", answered, declined)
	if answered < 380 {
		t.Errorf("only %d objects took the lean path", answered)
	}
}
