package k8s

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	apiresource "k8s.io/apimachinery/pkg/api/resource"

	"github.com/ktraffic/ktraffic/model"
)

// The lean decoder turns one object's JSON straight into a model type,
// reading only what FromService, FromEndpointSlice, FromPod and FromNode
// keep, and checking every other field against the schema (dump_schema.go)
// without building anything. It runs over JSON the stream reader has
// already checked for syntax.
//
// It answers only when it is sure the full decoder (decodeObject: the
// client-go scheme's deserializer, then the From* converters) would give
// the same result. Everything else — another kind or version, a value of
// the wrong type, a name met twice, a key that differs from a known one
// only in case (kind and metadata are also read case-insensitively), text
// with escapes where the lean decoder keeps it — makes it decline, and
// the full decoder decodes that object and words any error.

// leanDecode adds obj's model form to c and reports true, or reports
// false having changed nothing.
func (c *dumpContents) leanDecode(obj []byte, strs stringTable) bool {
	leanSchemas()
	s := leanScanner{b: obj, strs: strs}
	apiVersion, kind := s.typeMeta()
	if s.bad {
		return false
	}
	s.i = 0
	var add func()
	switch {
	case apiVersion == "v1" && kind == "Service":
		svc := s.service()
		add = func() { c.addService(svc) }
	case apiVersion == "discovery.k8s.io/v1" && kind == "EndpointSlice":
		sl := s.slice()
		add = func() { c.addSlice(sl) }
	case apiVersion == "v1" && kind == "Pod":
		p := s.pod()
		add = func() { c.addPod(p) }
	case apiVersion == "v1" && kind == "Node":
		n := s.node()
		add = func() { c.addNode(n) }
	}
	if add == nil || s.bad {
		return false
	}
	c.objects++
	add()
	return true
}

// leanScanner reads one JSON value that is known to be well formed. bad
// is set, never cleared, by anything the lean decoder declines.
type leanScanner struct {
	b   []byte
	i   int
	bad bool
	// strs shares the strings that repeat across objects (namespaces,
	// node names, zones, labels): one copy each instead of one per object.
	strs stringTable
}

// stringTable hands out one copy of each string it is asked for.
type stringTable map[string]string

func (t stringTable) get(b []byte) string {
	if s, ok := t[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(t) < 1<<20 { // a bound on an input of all-different values
		t[s] = s
	}
	return s
}

// shared reads a string field whose values repeat across objects.
func (s *leanScanner) shared() string {
	if s.isNull() {
		return ""
	}
	s.ws()
	start := s.i
	inner, escaped := s.rawString()
	if s.bad {
		return ""
	}
	if !escaped && utf8.Valid(inner) && s.strs != nil {
		return s.strs.get(inner)
	}
	s.i = start
	return s.text()
}

func (s *leanScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ':
			// Indentation comes in runs: kubectl indents by four.
			s.i++
			for s.i+8 <= len(s.b) && binary.LittleEndian.Uint64(s.b[s.i:]) == 0x2020202020202020 {
				s.i += 8
			}
		case '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next value's first byte (0 at the end).
func (s *leanScanner) peek() byte {
	s.ws()
	if s.i >= len(s.b) {
		s.bad = true
		return 0
	}
	return s.b[s.i]
}

// rawString reads a string token and returns what is between its quotes
// and whether it holds escapes.
func (s *leanScanner) rawString() (inner []byte, escaped bool) {
	if s.peek() != '"' {
		s.bad = true
		return nil, false
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch s.b[j] {
		case '"':
			s.i = j + 1
			return s.b[start:j], escaped
		case '\\':
			escaped = true
			j++
		}
	}
	s.bad = true
	s.i = len(s.b)
	return nil, false
}

// text decodes a string token as encoding/json does: escapes resolved,
// invalid UTF-8 replaced. The common case (neither) is one allocation.
func (s *leanScanner) text() string {
	s.ws()
	start := s.i
	inner, escaped := s.rawString()
	if s.bad {
		return ""
	}
	if !escaped && utf8.Valid(inner) {
		return string(inner)
	}
	var out string
	if json.Unmarshal(s.b[start:s.i], &out) != nil {
		s.bad = true
	}
	return out
}

// isNull consumes a null and reports whether there was one.
func (s *leanScanner) isNull() bool {
	if s.peek() == 'n' {
		s.i += 4
		return true
	}
	return false
}

// str reads a string field: null leaves it "", as encoding/json leaves
// a string it was never given.
func (s *leanScanner) str() string {
	if s.isNull() {
		return ""
	}
	return s.text()
}

// optStr reads a *string field: null is nil, which the converters turn
// into "" too, so the two need no telling apart here.
func (s *leanScanner) optStr() string { return s.str() }

func (s *leanScanner) boolean() (v, set bool) {
	switch s.peek() {
	case 't':
		s.i += 4
		return true, true
	case 'f':
		s.i += 5
		return false, true
	case 'n':
		s.i += 4
		return false, false
	}
	s.bad = true
	return false, false
}

// number returns a number token's text.
func (s *leanScanner) number() []byte {
	c := s.peek()
	if c != '-' && (c < '0' || c > '9') {
		s.bad = true
		return nil
	}
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			s.i++
		default:
			return s.b[start:s.i]
		}
	}
	return s.b[start:s.i]
}

func (s *leanScanner) int32() int32 {
	if s.isNull() {
		return 0
	}
	n, err := strconv.ParseInt(string(s.number()), 10, 32)
	if err != nil {
		s.bad = true
	}
	return int32(n)
}

// skip passes over one value.
func (s *leanScanner) skip() {
	switch s.peek() {
	case '"':
		s.rawString()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				s.rawString()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return
				}
			}
			s.i++
		}
		s.bad = true
	case 't', 'n':
		s.i += 4
	case 'f':
		s.i += 5
	default:
		s.number()
	}
}

// raw passes over one value and returns its text.
func (s *leanScanner) raw() []byte {
	s.ws()
	start := s.i
	s.skip()
	return s.b[start:s.i]
}

// object reads an object of the struct schema n. read is called for each
// field n has and reads its value if it wants it, reporting true; the
// fields it leaves are checked against the schema, and names n does not
// have are skipped. A known name met twice is declined: the full decoder
// would merge the two values. foldCheck lists names read
// case-insensitively on the full path; a key that matches one of them
// only in case is declined. Null is an empty object.
func (s *leanScanner) object(n *schemaNode, foldCheck []string, read func(key []byte) bool) {
	if s.isNull() {
		return
	}
	if s.peek() != '{' {
		s.bad = true
		return
	}
	s.i++
	var seen [4]uint64
	for !s.bad {
		if s.peek() == '}' {
			s.i++
			return
		}
		if s.b[s.i] == ',' {
			s.i++
		}
		key, escaped := s.rawString()
		if escaped {
			s.bad = true // a key spelled with escapes: rare, let the full decoder match it
		}
		if s.peek() != ':' {
			s.bad = true
		}
		s.i++
		if s.bad {
			return
		}
		f := n.field(key)
		if f < 0 {
			for _, name := range foldCheck {
				if bytes.EqualFold(key, []byte(name)) {
					s.bad = true
				}
			}
			s.skip()
			continue
		}
		if f >= len(seen)*64 || seen[f/64]&(1<<(f%64)) != 0 {
			s.bad = true
			return
		}
		seen[f/64] |= 1 << (f % 64)
		if !read(key) {
			s.valid(n.fieldNodes[f])
		}
	}
}

// only reads an object of the struct schema n for its field name, which
// read reads, and checks the other fields.
func (s *leanScanner) only(n *schemaNode, name string, read func()) {
	s.object(n, nil, func(key []byte) bool {
		if string(key) != name {
			return false
		}
		read()
		return true
	})
}

// eachObject reads an array of objects of struct schema n into out,
// read taking each field as object's read does.
func eachObject[T any](s *leanScanner, n *schemaNode, out *[]T, read func(v *T, key []byte) bool) {
	s.array(func() {
		var v T
		s.object(n, nil, func(key []byte) bool { return read(&v, key) })
		*out = append(*out, v)
	})
}

// array calls each for every element of an array (none for null).
func (s *leanScanner) array(each func()) {
	if s.isNull() {
		return
	}
	if s.peek() != '[' {
		s.bad = true
		return
	}
	s.i++
	for !s.bad {
		if s.peek() == ']' {
			s.i++
			return
		}
		if s.b[s.i] == ',' {
			s.i++
		}
		each()
	}
}

// stringMap reads a map[string]string: null is nil, {} an empty map, a
// null value "" (the zero value encoding/json stores).
func (s *leanScanner) stringMap() map[string]string {
	if s.isNull() {
		return nil
	}
	if s.peek() != '{' {
		s.bad = true
		return nil
	}
	m := map[string]string{}
	s.i++
	for !s.bad {
		if s.peek() == '}' {
			s.i++
			return m
		}
		if s.b[s.i] == ',' {
			s.i++
		}
		k := s.shared()
		if s.peek() != ':' {
			s.bad = true
			return nil
		}
		s.i++
		m[k] = s.shared()
	}
	return nil
}

// label reads a labels map (schema n) for one label's value, the last
// copy winning as in a map, and checks the others.
func (s *leanScanner) label(n *schemaNode, name string) string {
	if s.isNull() {
		return ""
	}
	if s.peek() != '{' {
		s.bad = true
		return ""
	}
	v := ""
	s.i++
	for !s.bad {
		if s.peek() == '}' {
			s.i++
			break
		}
		if s.b[s.i] == ',' {
			s.i++
		}
		k := s.text()
		if s.peek() != ':' {
			s.bad = true
			break
		}
		s.i++
		if k == name {
			v = s.shared()
		} else {
			s.valid(n.elem)
		}
	}
	return v
}

// valid checks one value against n without keeping it.
func (s *leanScanner) valid(n *schemaNode) {
	c := s.peek()
	if s.bad {
		return
	}
	if c == 'n' {
		s.i += 4
		if n.kind == schemaCustom || n.kind == schemaRefuse {
			s.bad = true // a custom UnmarshalJSON sees null too: let the full decoder call it
		}
		return
	}
	switch n.kind {
	case schemaAny:
		s.skip()
	case schemaString:
		if c != '"' {
			s.bad = true
		}
		s.rawString()
	case schemaBool:
		s.boolean()
	case schemaInt:
		if _, err := strconv.ParseInt(string(s.number()), 10, n.bits); err != nil {
			s.bad = true
		}
	case schemaUint:
		if _, err := strconv.ParseUint(string(s.number()), 10, n.bits); err != nil {
			s.bad = true
		}
	case schemaFloat:
		if _, err := strconv.ParseFloat(string(s.number()), n.bits); err != nil {
			s.bad = true
		}
	case schemaBytes:
		inner, escaped := s.rawString()
		if _, err := base64.StdEncoding.DecodeString(string(inner)); err != nil || escaped {
			s.bad = true
		}
	case schemaStruct:
		s.object(n, nil, func([]byte) bool { return false })
	case schemaSlice:
		s.array(func() { s.valid(n.elem) })
	case schemaMap:
		if c != '{' {
			s.bad = true
			return
		}
		s.i++
		for !s.bad {
			if s.peek() == '}' {
				s.i++
				return
			}
			if s.b[s.i] == ',' {
				s.i++
			}
			s.rawString()
			if s.peek() != ':' {
				s.bad = true
				return
			}
			s.i++
			s.valid(n.elem)
		}
	case schemaPtr:
		s.valid(n.elem)
	case schemaTime:
		s.time()
	case schemaQuantity:
		// As Quantity.UnmarshalJSON: the bytes between the quotes, not
		// unescaped, trimmed, parsed.
		v := s.raw()
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		if _, err := apiresource.ParseQuantity(strings.TrimSpace(string(v))); err != nil {
			s.bad = true
		}
	case schemaIntOrStr:
		if c == '"' {
			s.rawString()
			return
		}
		if _, err := strconv.ParseInt(string(s.number()), 10, 32); err != nil {
			s.bad = true
		}
	case schemaCustom:
		v := s.raw()
		u := reflect.New(n.typ).Interface().(json.Unmarshaler)
		if u.UnmarshalJSON(v) != nil {
			s.bad = true
		}
	default:
		s.bad = true
	}
}

// time checks a metav1.Time as its UnmarshalJSON does (RFC 3339 text)
// and reports whether it was set (not null).
func (s *leanScanner) time() bool {
	if s.isNull() {
		return false
	}
	inner, escaped := s.rawString()
	if escaped {
		s.bad = true
		return true
	}
	if _, err := time.Parse(time.RFC3339, string(inner)); err != nil {
		s.bad = true
	}
	return true
}

// typeMeta finds apiVersion and kind, which may come after anything.
func (s *leanScanner) typeMeta() (apiVersion, kind string) {
	var av, k []byte
	var gotAV, gotK bool
	if s.peek() != '{' {
		s.bad = true
		return
	}
	s.i++
	for !s.bad && !(gotAV && gotK) {
		if s.peek() == '}' {
			break
		}
		if s.b[s.i] == ',' {
			s.i++
		}
		key, _ := s.rawString()
		if s.peek() != ':' {
			s.bad = true
			return
		}
		s.i++
		switch string(key) {
		case "apiVersion":
			av, _ = s.rawString()
			gotAV = true
		case "kind":
			k, _ = s.rawString()
			gotK = true
		default:
			s.skip()
		}
	}
	return string(av), string(k)
}

// topFold are the names the full path also reads case-insensitively at
// the top of an object (the type sniffing and dumpTypeMeta).
var topFold = []string{"apiVersion", "kind", "metadata"}

// metaFold are those inside metadata.
var metaFold = []string{"name", "namespace"}

// leanMeta is the part of metadata the model keeps.
type leanMeta struct {
	name, namespace string
	labels          map[string]string
	annotations     map[string]string
	deleting        bool
}

// meta reads metadata; labels and annotations are kept when asked for,
// and otherwise only checked.
func (s *leanScanner) meta(n *schemaNode, labels, annotations bool) leanMeta {
	var m leanMeta
	s.object(n, metaFold, func(key []byte) bool {
		switch string(key) {
		case "name":
			m.name = s.str()
		case "namespace":
			m.namespace = s.shared()
		case "labels":
			if !labels {
				return false
			}
			m.labels = s.stringMap()
		case "annotations":
			if !annotations {
				return false
			}
			m.annotations = s.stringMap()
		case "deletionTimestamp":
			m.deleting = s.time()
		default:
			return false
		}
		return true
	})
	return m
}

// sub is the schema of struct n's field name.
func sub(n *schemaNode, name string) *schemaNode {
	sn := n.fieldNodes[n.fields[name]]
	for sn.kind == schemaPtr || sn.kind == schemaSlice {
		sn = sn.elem
	}
	return sn
}

func (s *leanScanner) service() model.Service {
	n := serviceSchema
	var out model.Service
	s.object(n, topFold, func(key []byte) bool {
		switch string(key) {
		case "metadata":
			m := s.meta(sub(n, "metadata"), false, true)
			out.Namespace, out.Name, out.Annotations = m.namespace, m.name, m.annotations
		case "spec":
			s.serviceSpec(sub(n, "spec"), &out)
		case "status":
			st := sub(n, "status")
			lb := sub(st, "loadBalancer")
			in := sub(lb, "ingress")
			s.only(st, "loadBalancer", func() {
				s.only(lb, "ingress", func() {
					eachObject(s, in, &out.LoadBalancerIngress, func(e *model.LoadBalancerIngress, key []byte) bool {
						switch string(key) {
						case "ip":
							e.IP = s.str()
						case "hostname":
							e.Hostname = s.str()
						case "ipMode":
							e.IPMode = s.optStr()
						default:
							return false
						}
						return true
					})
				})
			})
		default:
			return false
		}
		return true
	})
	defaultNamespace(&out.Namespace)
	return finishService(out)
}

func (s *leanScanner) serviceSpec(n *schemaNode, out *model.Service) {
	s.object(n, nil, func(key []byte) bool {
		switch string(key) {
		case "type":
			out.Type = model.ServiceType(s.shared())
		case "clusterIP":
			out.ClusterIP = s.str()
		case "externalName":
			out.ExternalName = s.str()
		case "selector":
			out.Selector = s.stringMap()
		case "externalTrafficPolicy":
			out.ExternalTrafficPolicy = model.TrafficPolicy(s.shared())
		case "sessionAffinity":
			out.SessionAffinity = model.Affinity(s.shared())
		case "healthCheckNodePort":
			out.HealthCheckNodePort = s.int32()
		case "publishNotReadyAddresses":
			out.PublishNotReadyAddresses, _ = s.boolean()
		case "internalTrafficPolicy":
			out.InternalTrafficPolicy = model.TrafficPolicy(s.shared())
		case "trafficDistribution":
			out.TrafficDistribution = s.optStr()
		case "loadBalancerClass":
			out.LoadBalancerClass = s.optStr()
		case "sessionAffinityConfig":
			cfg := sub(n, "sessionAffinityConfig")
			cip := sub(cfg, "clientIP")
			s.only(cfg, "clientIP", func() {
				s.only(cip, "timeoutSeconds", func() { out.SessionAffinityTimeoutSeconds = s.int32() })
			})
		case "ports":
			pn := sub(n, "ports")
			s.array(func() {
				p := model.ServicePort{TargetPort: "0"} // IntOrString's zero value
				s.object(pn, nil, func(key []byte) bool {
					switch string(key) {
					case "name":
						p.Name = s.shared()
					case "protocol":
						p.Protocol = s.shared()
					case "port":
						p.Port = s.int32()
					case "nodePort":
						p.NodePort = s.int32()
					case "targetPort":
						p.TargetPort = s.intOrString()
					default:
						return false
					}
					return true
				})
				out.Ports = append(out.Ports, p)
			})
		default:
			return false
		}
		return true
	})
}

// intOrString reads an IntOrString as its String method prints it; null
// and absent are the zero value, the int 0.
func (s *leanScanner) intOrString() string {
	switch s.peek() {
	case 'n':
		s.i += 4
		return "0"
	case '"':
		return s.text()
	}
	return strconv.Itoa(int(s.int32()))
}

func (s *leanScanner) slice() model.EndpointSlice {
	n := sliceSchema
	var out model.EndpointSlice
	var endpoints []model.Endpoint
	var podRefs []int
	s.object(n, topFold, func(key []byte) bool {
		switch string(key) {
		case "metadata":
			mn := sub(n, "metadata")
			var m leanMeta
			s.object(mn, metaFold, func(key []byte) bool {
				switch string(key) {
				case "name":
					m.name = s.str()
				case "namespace":
					m.namespace = s.shared()
				case "labels":
					out.Service = s.label(mn.fieldNodes[mn.fields["labels"]], "kubernetes.io/service-name")
				default:
					return false
				}
				return true
			})
			out.Namespace, out.Name = m.namespace, m.name
		case "addressType":
			out.AddressType = s.shared()
		case "ports":
			eachObject(s, sub(n, "ports"), &out.Ports, func(p *model.EndpointPort, key []byte) bool {
				switch string(key) {
				case "name":
					p.Name = s.shared()
				case "port":
					p.Port = s.int32()
				case "protocol":
					p.Protocol = s.shared()
				default:
					return false
				}
				return true
			})
		case "endpoints":
			podRefs = podRefs[:0]
			endpoints = s.endpoints(sub(n, "endpoints"), &podRefs)
		default:
			return false
		}
		return true
	})
	defaultNamespace(&out.Namespace)
	out.Endpoints = endpoints
	if out.Endpoints == nil {
		out.Endpoints = []model.Endpoint{}
	}
	return finishSlice(out, podRefs)
}

// endpoints reads a slice's endpoints; podRefs collects those whose
// targetRef is a Pod.
func (s *leanScanner) endpoints(en *schemaNode, podRefs *[]int) []model.Endpoint {
	var out []model.Endpoint
	// The conditions of a slice's endpoints share one allocation.
	var conds []bool
	cond := func() *bool {
		v, set := s.boolean()
		if !set {
			return nil
		}
		if len(conds) == cap(conds) {
			conds = make([]bool, 0, 96)
		}
		conds = append(conds, v)
		return &conds[len(conds)-1]
	}
	s.array(func() {
		var e model.Endpoint
		s.object(en, nil, func(key []byte) bool {
			switch string(key) {
			case "addresses":
				if s.isNull() {
					return true
				}
				e.Addresses = []string{}
				s.array(func() { e.Addresses = append(e.Addresses, s.str()) })
			case "conditions":
				cn := sub(en, "conditions")
				s.object(cn, nil, func(key []byte) bool {
					switch string(key) {
					case "ready":
						e.Ready = cond()
					case "serving":
						e.Serving = cond()
					case "terminating":
						e.Terminating = cond()
					default:
						return false
					}
					return true
				})
			case "nodeName":
				e.NodeName = s.shared()
			case "zone":
				e.Zone = s.shared()
			case "hints":
				hn := sub(en, "hints")
				s.object(hn, nil, func(key []byte) bool {
					var dst *[]string
					switch string(key) {
					case "forZones":
						dst = &e.HintZones
					case "forNodes":
						dst = &e.HintNodes
					default:
						return false
					}
					zn := sub(hn, string(key))
					s.array(func() {
						name := ""
						s.only(zn, "name", func() { name = s.shared() })
						*dst = append(*dst, name)
					})
					return true
				})
			case "targetRef":
				if s.isNull() {
					return true
				}
				rn := sub(en, "targetRef")
				var kind, ns, name string
				s.object(rn, nil, func(key []byte) bool {
					switch string(key) {
					case "kind":
						kind = s.str()
					case "namespace":
						ns = s.shared()
					case "name":
						name = s.str()
					default:
						return false
					}
					return true
				})
				if kind == "Pod" || kind == "" {
					e.PodNamespace, e.PodName = ns, name
					*podRefs = append(*podRefs, len(out))
				}
			default:
				return false
			}
			return true
		})
		out = append(out, e)
	})
	return out
}

func (s *leanScanner) pod() model.Pod {
	n := podSchema
	var out model.Pod
	s.object(n, topFold, func(key []byte) bool {
		switch string(key) {
		case "metadata":
			m := s.meta(sub(n, "metadata"), true, false)
			out.Namespace, out.Name, out.Labels, out.Terminating = m.namespace, m.name, m.labels, m.deleting
		case "spec":
			out.NodeName, out.KeepAlive = s.podSpec(sub(n, "spec"))
		case "status":
			st := sub(n, "status")
			s.object(st, nil, func(key []byte) bool {
				switch string(key) {
				case "podIP":
					out.IP = s.str()
				case "phase":
					out.Phase = s.shared()
				case "conditions":
					s.conditions(sub(st, "conditions"), "Ready", &out.Ready)
				default:
					return false
				}
				return true
			})
		default:
			return false
		}
		return true
	})
	defaultNamespace(&out.Namespace)
	return finishPod(out)
}

// podSpec reads a pod's node and, from its containers' command lines
// and environment, the keep-alive it declares (FromPod's rule).
func (s *leanScanner) podSpec(n *schemaNode) (node string, ka model.KeepAlive) {
	var containers []model.Container
	s.object(n, nil, func(key []byte) bool {
		switch string(key) {
		case "nodeName":
			node = s.shared()
		case "containers":
			cn := sub(n, "containers")
			eachObject(s, cn, &containers, func(c *model.Container, key []byte) bool {
				switch string(key) {
				case "name":
					c.Name = s.str()
				case "image":
					c.Image = s.str()
				case "command":
					c.Command = s.stringList()
				case "args":
					c.Args = s.stringList()
				case "env":
					en := sub(cn, "env")
					s.array(func() {
						var name, value string
						s.object(en, nil, func(key []byte) bool {
							switch string(key) {
							case "name":
								name = s.str()
							case "value":
								value = s.str()
							default:
								return false
							}
							return true
						})
						if c.Env == nil {
							c.Env = map[string]string{}
						}
						c.Env[name] = value
					})
				default:
					return false
				}
				return true
			})
		default:
			return false
		}
		return true
	})
	return node, model.DeclaredKeepAlive(containers)
}

// stringList reads a []string.
func (s *leanScanner) stringList() []string {
	var out []string
	s.array(func() { out = append(out, s.str()) })
	return out
}

// conditions sets *ready from the last condition of type want, as the
// converters' loops do.
func (s *leanScanner) conditions(cn *schemaNode, want string, ready *bool) {
	s.array(func() {
		var typ, status string
		s.object(cn, nil, func(key []byte) bool {
			switch string(key) {
			case "type":
				typ = s.shared()
			case "status":
				status = s.shared()
			default:
				return false
			}
			return true
		})
		if typ == want {
			*ready = status == "True"
		}
	})
}

func (s *leanScanner) node() model.Node {
	n := nodeSchema
	out := model.Node{Ready: true}
	s.object(n, topFold, func(key []byte) bool {
		switch string(key) {
		case "metadata":
			m := s.meta(sub(n, "metadata"), true, false)
			out.Name, out.Labels, out.Deleting = m.name, m.labels, m.deleting
		case "spec":
			sn := sub(n, "spec")
			s.object(sn, nil, func(key []byte) bool {
				switch string(key) {
				case "unschedulable":
					out.Unschedulable, _ = s.boolean()
				case "taints":
					tn := sub(sn, "taints")
					s.array(func() {
						k := ""
						s.only(tn, "key", func() { k = s.shared() })
						out.TaintKeys = append(out.TaintKeys, k)
					})
				default:
					return false
				}
				return true
			})
		case "status":
			st := sub(n, "status")
			s.object(st, nil, func(key []byte) bool {
				switch string(key) {
				case "conditions":
					s.conditions(sub(st, "conditions"), "Ready", &out.Ready)
				case "addresses":
					eachObject(s, sub(st, "addresses"), &out.Addresses, func(a *model.NodeAddress, key []byte) bool {
						switch string(key) {
						case "type":
							a.Type = s.shared()
						case "address":
							a.Address = s.str()
						default:
							return false
						}
						return true
					})
				default:
					return false
				}
				return true
			})
		default:
			return false
		}
		return true
	})
	return finishNode(out)
}
