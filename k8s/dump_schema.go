package k8s

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The lean decoder (dump_lean.go) reads only the fields the model uses,
// but it must refuse exactly what the full decoder refuses: a Pod whose
// spec.containers is a number is an error even though ktraffic never
// looks at containers. A schema, built once by reflection from the API
// types the full decoder fills, says what JSON each field accepts, so the
// fields the lean decoder skips are still checked for their kind of value.
// Anything the schema cannot vouch for sends the object to the full
// decoder, which then words the error.

type schemaKind uint8

const (
	schemaAny      schemaKind = iota // interface{}, RawExtension: any value
	schemaString                     // also named string types
	schemaBool                       //
	schemaInt                        // bits in schemaNode.bits
	schemaUint                       //
	schemaFloat                      //
	schemaBytes                      // []byte: base64 text
	schemaStruct                     //
	schemaSlice                      //
	schemaMap                        // string keys
	schemaPtr                        // null is nil; else elem
	schemaTime                       // metav1.Time: RFC 3339 text
	schemaQuantity                   // resource.Quantity
	schemaIntOrStr                   // intstr.IntOrString
	schemaCustom                     // another json.Unmarshaler: called as is
	schemaRefuse                     // nothing here is vouched for (",string" fields, arrays, odd map keys)
)

// schemaNode is what one Go type accepts.
type schemaNode struct {
	kind schemaKind
	bits int
	elem *schemaNode
	// fields maps a struct's JSON names (as the case-sensitive decoder
	// matches them) to indexes into fieldNodes.
	fields     map[string]int
	fieldNodes []*schemaNode
	typ        reflect.Type // for schemaCustom
}

// field returns the index of a struct's field named by key, or -1.
func (n *schemaNode) field(key []byte) int {
	if i, ok := n.fields[string(key)]; ok {
		return i
	}
	return -1
}

var (
	schemaOnce    sync.Once
	serviceSchema *schemaNode
	sliceSchema   *schemaNode
	podSchema     *schemaNode
	nodeSchema    *schemaNode
)

func leanSchemas() {
	schemaOnce.Do(func() {
		b := schemaBuilder{seen: map[reflect.Type]*schemaNode{}}
		serviceSchema = b.node(reflect.TypeFor[corev1.Service]())
		sliceSchema = b.node(reflect.TypeFor[discoveryv1.EndpointSlice]())
		podSchema = b.node(reflect.TypeFor[corev1.Pod]())
		nodeSchema = b.node(reflect.TypeFor[corev1.Node]())
	})
}

type schemaBuilder struct {
	seen map[reflect.Type]*schemaNode // recursive types share their node
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// specialTypes have their own UnmarshalJSON, which the lean decoder
// follows without calling.
var specialTypes = map[reflect.Type]schemaKind{
	reflect.TypeFor[metav1.Time]():          schemaTime,
	reflect.TypeFor[apiresource.Quantity](): schemaQuantity,
	reflect.TypeFor[intstr.IntOrString]():   schemaIntOrStr,
	reflect.TypeFor[runtime.RawExtension](): schemaAny,
}

func (b *schemaBuilder) node(t reflect.Type) *schemaNode {
	if n, ok := b.seen[t]; ok {
		return n
	}
	n := &schemaNode{}
	b.seen[t] = n
	if k, ok := specialTypes[t]; ok {
		n.kind = k
		return n
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(unmarshalerType) {
		n.kind, n.typ = schemaCustom, t
		return n
	}
	switch t.Kind() {
	case reflect.Interface:
		n.kind = schemaAny
	case reflect.String:
		n.kind = schemaString
	case reflect.Bool:
		n.kind = schemaBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n.kind, n.bits = schemaInt, t.Bits()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n.kind, n.bits = schemaUint, t.Bits()
	case reflect.Float32, reflect.Float64:
		n.kind, n.bits = schemaFloat, t.Bits()
	case reflect.Pointer:
		n.kind, n.elem = schemaPtr, b.node(t.Elem())
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(unmarshalerType) {
			n.kind = schemaBytes
		} else {
			n.kind, n.elem = schemaSlice, b.node(t.Elem())
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			n.kind = schemaRefuse
		} else {
			n.kind, n.elem = schemaMap, b.node(t.Elem())
		}
	case reflect.Struct:
		n.kind = schemaStruct
		b.structFields(n, t)
	default:
		n.kind = schemaRefuse
	}
	return n
}

// schemaField is a candidate for a JSON name, before encoding/json's rule
// for names met twice is applied: the shallowest wins, a tagged one
// before an untagged one, and a tie hides the name altogether.
type schemaField struct {
	name   string
	depth  int
	tagged bool
	node   *schemaNode
}

func (b *schemaBuilder) structFields(n *schemaNode, t reflect.Type) {
	var all []schemaField
	b.collect(t, 0, &all, map[reflect.Type]bool{})
	best := map[string][]schemaField{}
	for _, f := range all {
		cur := best[f.name]
		switch {
		case len(cur) == 0 || f.depth < cur[0].depth:
			best[f.name] = []schemaField{f}
		case f.depth == cur[0].depth:
			best[f.name] = append(cur, f)
		}
	}
	n.fields = map[string]int{}
	for name, fs := range best {
		var pick []schemaField
		for _, f := range fs {
			if f.tagged {
				pick = append(pick, f)
			}
		}
		if len(pick) == 0 {
			pick = fs
		}
		if len(pick) != 1 {
			continue // ambiguous: encoding/json ignores the name
		}
		n.fields[name] = len(n.fieldNodes)
		n.fieldNodes = append(n.fieldNodes, pick[0].node)
	}
}

func (b *schemaBuilder) collect(t reflect.Type, depth int, out *[]schemaField, visiting map[reflect.Type]bool) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	defer delete(visiting, t)
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := sf.Type
		if sf.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				b.collect(et, depth+1, out, visiting)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		f := schemaField{name: name, depth: depth, tagged: name != ""}
		if name == "" {
			f.name = sf.Name
		}
		if strings.Contains(","+opts+",", ",string,") {
			f.node = &schemaNode{kind: schemaRefuse}
		} else {
			f.node = b.node(ft)
		}
		*out = append(*out, f)
	}
}
