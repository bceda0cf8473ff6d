//lint:file-ignore SA1019 v1 Endpoints are deprecated; old dumps still hold them, and they are read on purpose.

package k8s

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"

	yaml "go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
)

// maxListDepth bounds Lists inside Lists: kubectl never nests them, and
// an input that does should not recurse without end.
const maxListDepth = 4

// deserializer decodes into the versioned types of client-go's scheme,
// without conversion or defaulting: a dump says what the API server said.
var deserializer = scheme.Codecs.UniversalDeserializer()

// lineError is a problem in one document of a dump, placed by line. It is
// a type so a List can move an item's error onto the item's own line.
type lineError struct {
	name string
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("%s: line %d: %s", e.name, e.line, e.msg) }

func dumpError(name string, line int, format string, args ...any) error {
	return &lineError{name: name, line: line, msg: squashLine(fmt.Sprintf(format, args...))}
}

// decodeDump decodes one file's worth of kubectl output: a JSON stream
// (kubectl get -o json) or multi-document YAML, each document an object or
// a List. Objects of kinds the model does not use are counted and skipped.
func decodeDump(name string, data []byte) (*dumpContents, error) {
	data, err := toUTF8(name, data)
	if err != nil {
		return nil, err
	}
	docs, err := splitDump(name, data, 1)
	if err != nil {
		return nil, err
	}
	c := &dumpContents{}
	return c, c.decodeDocs(name, docs)
}

// decodeDocs decodes split documents into c.
func (c *dumpContents) decodeDocs(name string, docs []dumpDoc) error {
	for _, d := range docs {
		if err := c.decodeObject(name, d, "", d.json, 0); err != nil {
			return err
		}
	}
	return nil
}

// toUTF8 undoes the byte-order marks editors and shells add. PowerShell's
// `kubectl get -o yaml > dump.yaml` writes UTF-16: go-yaml would read its
// first document and the "---" lines, being UTF-16 too, would go unseen,
// losing every later document without a word.
func toUTF8(name string, data []byte) ([]byte, error) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return data, nil
	}
	data = data[2:]
	if len(data)%2 != 0 {
		return nil, dumpError(name, 1, "UTF-16 text with an odd number of bytes; save the dump as UTF-8")
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	return []byte(string(utf16.Decode(units))), nil
}

// dumpDoc is one document of a dump: where it starts, its text as
// written (to place errors inside it), and its JSON form.
type dumpDoc struct {
	line int
	src  []byte
	json []byte
}

// splitDump splits data, which starts on line firstLine of the input.
func splitDump(name string, data []byte, firstLine int) ([]dumpDoc, error) {
	if utilyaml.IsJSONBuffer(data) {
		return splitJSON(name, data, firstLine)
	}
	return splitYAML(name, data, firstLine)
}

// splitJSON reads a stream of JSON values ({...}{...} or one List), placing
// syntax errors by the decoder's byte offset.
func splitJSON(name string, data []byte, firstLine int) ([]dumpDoc, error) {
	lines := newLineIndex(data, firstLine)
	dec := json.NewDecoder(bytes.NewReader(data))
	var docs []dumpDoc
	for {
		start := int(dec.InputOffset())
		start += len(data[start:]) - len(bytes.TrimLeft(data[start:], " \t\r\n"))
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) {
				return nil, dumpError(name, lines.lineAt(int(syn.Offset)), "invalid JSON: %s", syn.Error())
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, dumpError(name, lines.lineAt(len(data)), "invalid JSON: the document ends early")
			}
			return nil, dumpError(name, lines.lineAt(start), "invalid JSON: %s", err.Error())
		}
		docs = append(docs, dumpDoc{line: lines.lineAt(start), src: raw, json: raw})
	}
}

// yamlLineError finds the line go-yaml reports inside a document.
var yamlLineError = regexp.MustCompile(`line (\d+): `)

// splitYAML splits with apimachinery's YAMLReader (documents separated by
// lines starting with "---") and converts each document to JSON. The
// reader returns bare documents, so the line each starts on is counted
// alongside: every document but the last ends at a separator line the
// reader consumes, while a separator met before any content stays in the
// document it opens (go-yaml's line numbers then count it too).
func splitYAML(name string, data []byte, firstLine int) ([]dumpDoc, error) {
	lines := newLineIndex(data, firstLine)
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	next := 0 // index of the first input line not yet accounted for
	var docs []dumpDoc
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			// The reader only fails on a separator followed by text.
			bad := next
			for bad < lines.count()-1 && (!bytes.HasPrefix(lines.text(bad), []byte("---")) || lines.isSeparator(bad)) {
				bad++
			}
			return nil, dumpError(name, bad+lines.first, "%s", err.Error())
		}
		start := next + lines.first
		next += bytes.Count(doc, []byte("\n")) + 1
		d, err := yamlDocument(name, doc, start)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
}

// yamlDocument converts one YAML document, which starts on line start, to
// JSON, placing a syntax error by the line go-yaml names.
func yamlDocument(name string, doc []byte, start int) (dumpDoc, error) {
	js, err := utilyaml.ToJSON(doc)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")
		msg = strings.TrimPrefix(msg, "yaml: ")
		line := start
		if m := yamlLineError.FindStringSubmatchIndex(msg); m != nil {
			if n, err := strconv.Atoi(msg[m[2]:m[3]]); err == nil && n >= 1 {
				line = start + n - 1
			}
			msg = msg[:m[0]] + msg[m[1]:]
		}
		return dumpDoc{}, dumpError(name, line, "invalid YAML: %s", msg)
	}
	return dumpDoc{line: start, src: doc, json: js}, nil
}

// dumpTypeMeta is read before decoding, to name objects in errors and to
// count kinds the scheme does not know.
type dumpTypeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

// decodeObject decodes one object of doc, which may be a List: js is doc
// itself or, below depth 0, an item of it; where names the item in errors
// ("item 3: ").
func (c *dumpContents) decodeObject(name string, doc dumpDoc, where string, js []byte, depth int) error {
	line := doc.line
	js = bytes.TrimSpace(js)
	if len(js) == 0 || string(js) == "null" {
		return nil // an empty document, as between two "---"
	}
	if js[0] != '{' {
		msg := "%sthe document is %s, not a Kubernetes object"
		if js[0] == '"' {
			msg += " (was it saved with kubectl get -o yaml or -o json?)"
		}
		return dumpError(name, line, msg, where, jsonKind(js[0]))
	}
	var tm dumpTypeMeta
	if err := json.Unmarshal(js, &tm); err != nil {
		return dumpError(name, line, "%snot a Kubernetes object: %s", where, err.Error())
	}
	if tm.Kind == "" {
		return dumpError(name, line, "%san object without kind (expected kubectl get -o yaml or -o json output)", where)
	}
	what := tm.Kind
	if tm.Metadata.Name != "" {
		what += " " + strings.TrimPrefix(tm.Metadata.Namespace+"/"+tm.Metadata.Name, "/")
	}
	if tm.APIVersion == "" {
		return dumpError(name, line, "%s%s has no apiVersion", where, what)
	}
	if isGatewayKind(tm.APIVersion, tm.Kind) {
		g, err := decodeGateway(js)
		if err != nil {
			return dumpError(name, line, "%s%s", where, err.Error())
		}
		c.objects++
		c.keepGateway(g)
		return nil
	}
	obj, _, err := deserializer.Decode(js, nil, nil)
	if runtime.IsNotRegisteredError(err) {
		c.objects++
		c.skip(skippedLabel(tm), 1)
		return nil
	}
	if err != nil {
		return dumpError(name, line, "%s%s: %s", where, what, err.Error())
	}
	return c.keep(name, doc, where, obj, tm, depth)
}

// keep adds a decoded object, or walks a list of them.
func (c *dumpContents) keep(name string, doc dumpDoc, where string, obj runtime.Object, tm dumpTypeMeta, depth int) error {
	line := doc.line
	switch o := obj.(type) {
	case *corev1.Service:
		c.objects++
		defaultNamespace(&o.Namespace)
		c.addService(FromService(o))
	case *discoveryv1.EndpointSlice:
		c.objects++
		defaultNamespace(&o.Namespace)
		c.addSlice(FromEndpointSlice(o))
	case *corev1.Pod:
		c.objects++
		defaultNamespace(&o.Namespace)
		c.addPod(FromPod(o))
	case *corev1.Node:
		c.objects++
		c.addNode(FromNode(o))
	case *corev1.Endpoints:
		c.objects++
		defaultNamespace(&o.Namespace)
		c.addEndpoints(o)
	case *networkingv1.Ingress:
		c.objects++
		defaultNamespace(&o.Namespace)
		c.addIngress(FromIngress(o))
	case *networkingv1.IngressClass:
		c.objects++
		c.addIngressClass(FromIngressClass(o))
	case *corev1.ConfigMap:
		c.objects++
		if !wantConfigMap(o.Namespace, o.Name) {
			c.skip("ConfigMap", 1)
			break
		}
		c.slot("ConfigMap", o.Namespace, o.Name, 0) // counts a repeat
		c.datapath.addConfigMap(o)
	case *appsv1.DaemonSet:
		c.objects++
		if !wantDaemonSet(o.Namespace, o.Name) {
			c.skip("DaemonSet", 1)
			break
		}
		c.slot("DaemonSet", o.Namespace, o.Name, 0)
		c.datapath.addDaemonSet(o)
	case *corev1.List:
		if depth >= maxListDepth {
			return dumpError(name, line, "%sLists nested more than %d deep", where, maxListDepth)
		}
		for i, item := range o.Items {
			if err := c.decodeObject(name, doc, fmt.Sprintf("%sitem %d: ", where, i+1), item.Raw, depth+1); err != nil {
				var le *lineError
				if depth == 0 && errors.As(err, &le) {
					if n := itemLine(doc.src, i); n > 0 {
						le.line = line + n - 1
					}
				}
				return err
			}
		}
	case *corev1.ServiceList:
		for i := range o.Items {
			c.keepTyped(&o.Items[i])
		}
	case *discoveryv1.EndpointSliceList:
		for i := range o.Items {
			c.keepTyped(&o.Items[i])
		}
	case *corev1.PodList:
		for i := range o.Items {
			c.keepTyped(&o.Items[i])
		}
	case *corev1.NodeList:
		for i := range o.Items {
			c.keepTyped(&o.Items[i])
		}
	case *corev1.EndpointsList:
		for i := range o.Items {
			c.keepTyped(&o.Items[i])
		}
	case *networkingv1.IngressList:
		for i := range o.Items {
			c.keepTyped(&o.Items[i])
		}
	case *networkingv1.IngressClassList:
		for i := range o.Items {
			c.keepTyped(&o.Items[i])
		}
	case *corev1.ConfigMapList:
		for i := range o.Items {
			c.keepTyped(&o.Items[i])
		}
	case *appsv1.DaemonSetList:
		for i := range o.Items {
			c.keepTyped(&o.Items[i])
		}
	default:
		if meta.IsListType(obj) {
			items, err := meta.ExtractList(obj)
			if err != nil {
				return dumpError(name, line, "%s%s: %s", where, tm.Kind, err.Error())
			}
			c.objects += len(items)
			if len(items) > 0 {
				c.skip(strings.TrimSuffix(tm.Kind, "List"), len(items))
			}
			return nil
		}
		c.objects++
		c.skip(skippedLabel(tm), 1)
	}
	return nil
}

// keepTyped adds one item of a typed list (ServiceList and the like).
func (c *dumpContents) keepTyped(obj runtime.Object) {
	_ = c.keep("", dumpDoc{}, "", obj, dumpTypeMeta{}, maxListDepth)
}

// itemLine finds the line, counted from the start of src, where item i of
// a List document begins. Decoding loses positions, so this re-reads the
// text with go-yaml's node API (JSON is YAML too), and only on the error
// path; 0 when it cannot tell.
func itemLine(src []byte, i int) int {
	var root yaml.Node
	if yaml.Unmarshal(src, &root) != nil || root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return 0
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return 0
	}
	for k := 0; k+1 < len(top.Content); k += 2 {
		if items := top.Content[k+1]; top.Content[k].Value == "items" && items.Kind == yaml.SequenceNode && i < len(items.Content) {
			return items.Content[i].Line
		}
	}
	return 0
}

// skippedLabel names a skipped kind; a kind the model uses but in another
// version (EndpointSlice discovery.k8s.io/v1beta1) says which, or the
// warning would read as if EndpointSlices were ignored.
func skippedLabel(tm dumpTypeMeta) string {
	switch tm.Kind {
	case "Service", "EndpointSlice", "Pod", "Node":
		return tm.Kind + " " + tm.APIVersion
	}
	return tm.Kind
}

// defaultNamespace puts namespace-less manifests where kubectl apply would
// (the default namespace), so NS/NAME keys work on hand-written files.
func defaultNamespace(ns *string) {
	if *ns == "" {
		*ns = corev1.NamespaceDefault
	}
}

func jsonKind(first byte) string {
	switch {
	case first == '[':
		return "a list"
	case first == '"':
		return "text" // kubectl get without -o yaml, most likely
	case first == 't' || first == 'f':
		return "a boolean"
	case first == '-' || (first >= '0' && first <= '9'):
		return "a number"
	}
	return "not an object"
}

// oneLine keeps an error to one short line whatever a decoder put in it.
func squashLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const maxLen = 300
	if len(s) > maxLen {
		cut := maxLen
		for cut > 0 && (s[cut]&0xC0) == 0x80 {
			cut-- // do not split a UTF-8 sequence
		}
		s = s[:cut] + "…"
	}
	return s
}

// lineIndex maps byte offsets to line numbers, counted from first.
type lineIndex struct {
	data   []byte
	starts []int
	first  int
}

func newLineIndex(data []byte, first int) lineIndex {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' && i+1 < len(data) {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{data: data, starts: starts, first: first}
}

func (l lineIndex) count() int {
	if len(l.data) == 0 {
		return 0
	}
	return len(l.starts)
}

// lineAt returns the line holding byte offset off.
func (l lineIndex) lineAt(off int) int {
	lo, hi := 0, len(l.starts)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if l.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + l.first
}

func (l lineIndex) text(i int) []byte {
	end := len(l.data)
	if i+1 < len(l.starts) {
		end = l.starts[i+1]
	}
	return l.data[l.starts[i]:end]
}

// isSeparator matches YAMLReader's rule: a line starting with "---" and
// followed only by spaces or a comment ends a document.
func (l lineIndex) isSeparator(i int) bool {
	t := l.text(i)
	if !bytes.HasPrefix(t, []byte("---")) {
		return false
	}
	rest := strings.TrimSpace(string(t[3:]))
	return rest == "" || rest[0] == '#'
}
