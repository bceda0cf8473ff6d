package k8s

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode"
	"unicode/utf8"

	jsontext "github.com/go-json-experiment/json/jsontext"
	corev1 "k8s.io/api/core/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// The stream reader decodes a dump in one pass over its text, holding one
// object (one List item, one YAML document) at a time, so memory follows
// the snapshot, not the file. It is the fast path in front of the full
// decoder (dump_decode.go), which still decides everything unusual:
//
//   - JSON is tokenized by go-json-experiment's jsontext, the module form
//     of encoding/json/v2's jsontext (the standard library's needs
//     GOEXPERIMENT=jsonv2 on every build, test and install in Go 1.26).
//     Each item of a List is read as one raw value and handed to the lean
//     decoder (dump_lean.go); what it declines goes to decodeObject, as
//     the full path would have sent it.
//   - YAML is cut into documents by the rules of apimachinery's
//     YAMLReader. A document that is a List (kubectl's "items:" followed
//     by "- " entries) is cut further into its items, each converted to
//     JSON on its own; any other document is converted whole.
//   - kubectl writes "items" before "kind", so a List's items are decoded
//     before it is known to be one. They wait in a pending set, which is
//     kept once the rest of the document proves to be a v1 List.
//   - Anything else (a typed PodList, a syntax error, a YAML List that does
//     not split cleanly, a text with NUL bytes) re-reads that document
//     from the input (dumpInput.at) and gives it to the full decoder,
//     which words the error exactly as before.

// dumpInput is one input's bytes, streamed, and again by offset for the
// fallback.
type dumpInput struct {
	name string
	r    io.Reader
	at   io.ReaderAt
	size int64 // of at; -1 when unknown
	// read counts what has been read from r so far.
	read *int64
}

type streamer struct {
	ctx  context.Context
	name string
	r    *bufio.Reader
	at   io.ReaderAt
	size int64
	c    *dumpContents
	pm   *progressMeter
	strs stringTable
	// workers convert YAML List items (dump_stream_yaml.go).
	workers *yamlWorkers
	// read counts the bytes read from the input, of which skipped (a
	// byte-order mark) are not in at.
	read    *int64
	skipped int64
	// lines caches a line count for lineAt, which re-reads the input.
	linesOff  int64
	linesSeen int
}

// streamBuffer is the read buffer; a JSON sniff looks no further.
const streamBuffer = 256 << 10

// decodeStream decodes one input into c.
func decodeStream(ctx context.Context, in dumpInput, c *dumpContents, pm *progressMeter) error {
	s := &streamer{ctx: ctx, name: in.name, at: in.at, size: in.size, c: c, pm: pm, read: in.read, strs: stringTable{}}
	s.r = bufio.NewReaderSize(in.r, streamBuffer)
	head, _ := s.r.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		if _, err := s.r.Discard(3); err != nil {
			return pathErrorOr(in.name, err)
		}
		s.at, s.size, s.skipped = io.NewSectionReader(in.at, 3, math.MaxInt64-3), in.size-3, 3
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		// UTF-16 (PowerShell's redirect) is rare: convert it whole.
		data, err := io.ReadAll(s.r)
		if err != nil {
			return pathErrorOr(in.name, err)
		}
		if data, err = toUTF8(in.name, data); err != nil {
			return err
		}
		s.r, s.at, s.size = bufio.NewReaderSize(bytes.NewReader(data), streamBuffer), bytes.NewReader(data), int64(len(data))
		converted := int64(len(data))
		s.read, s.skipped = &converted, 0
	}
	isJSON, known := s.sniffJSON()
	if !known {
		// A quarter megabyte of blanks before anything: let the full
		// decoder have it all.
		data, err := io.ReadAll(s.r)
		if err != nil {
			return pathErrorOr(in.name, err)
		}
		docs, err := splitDump(s.name, data, 1)
		if err != nil {
			return err
		}
		return c.decodeDocs(s.name, docs)
	}
	if isJSON {
		return s.json()
	}
	return s.yaml()
}

// sniffJSON applies IsJSONBuffer's rule (the first non-space is "{") to
// the buffered start of the input.
func (s *streamer) sniffJSON() (isJSON, known bool) {
	buf, err := s.r.Peek(streamBuffer)
	trimmed := bytes.TrimLeftFunc(buf, unicode.IsSpace)
	if len(trimmed) == 0 && err == nil {
		return false, false
	}
	if len(trimmed) > 0 && len(trimmed) < utf8.UTFMax && !utf8.FullRune(trimmed) && err == nil {
		return false, false
	}
	return utilyaml.IsJSONBuffer(buf), true
}

func (s *streamer) canceled() error {
	return s.ctx.Err()
}

// readRange re-reads input bytes [from, to); to < 0 means to the end.
func (s *streamer) readRange(from, to int64) ([]byte, error) {
	if to < 0 {
		to = s.size
		if to < 0 {
			to = math.MaxInt64
		}
	}
	var b bytes.Buffer
	if _, err := io.Copy(&b, io.NewSectionReader(s.at, from, to-from)); err != nil {
		return nil, pathError(s.name, err)
	}
	return b.Bytes(), nil
}

// lineAt is the line holding input offset off, counted by re-reading the
// input: only errors need it.
func (s *streamer) lineAt(off int64) int {
	if off < s.linesOff {
		s.linesOff, s.linesSeen = 0, 0
	}
	buf := make([]byte, 64<<10)
	r := io.NewSectionReader(s.at, s.linesOff, off-s.linesOff)
	for {
		n, err := r.Read(buf)
		s.linesSeen += bytes.Count(buf[:n], []byte("\n"))
		s.linesOff += int64(n)
		if err != nil {
			break
		}
	}
	return s.linesSeen + 1
}

// atLine moves an error of the full decoder, which numbered lines from 1
// for the text it was given, to where that text starts in the input.
func atLine(err error, first int) error {
	var le *lineError
	if errors.As(err, &le) {
		le.line += first - 1
	}
	return err
}

// fallback gives the full decoder the input from offset from to offset
// to (-1: the end), which starts on line first, as JSON or YAML.
func (s *streamer) fallback(from, to int64, first int, isJSON bool) error {
	data, err := s.readRange(from, to)
	if err != nil {
		return err
	}
	var docs []dumpDoc
	if isJSON {
		docs, err = splitJSON(s.name, data, first)
	} else {
		docs, err = splitYAML(s.name, data, first)
	}
	if err != nil {
		return err
	}
	before := s.c.objects
	err = s.c.decodeDocs(s.name, docs)
	s.pm.objects(s.c.objects - before)
	return err
}

// decodeOne decodes one object (not a List item) the lean way or else
// the full way; doc.line is where its text starts.
func (s *streamer) decodeOne(c *dumpContents, doc dumpDoc, where string, js []byte, depth int) error {
	before := c.objects
	defer func() { s.pm.objects(c.objects - before) }()
	if c.leanDecode(js, s.strs) {
		return nil
	}
	return c.decodeObject(s.name, doc, where, js, depth)
}

// ---- JSON ----

func (s *streamer) json() error {
	dec := jsontext.NewDecoder(s.r, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	for {
		if err := s.canceled(); err != nil {
			return err
		}
		start := valueStart(dec)
		switch dec.PeekKind() {
		case 0:
			_, err := dec.ReadToken()
			if errors.Is(err, io.EOF) {
				return nil
			}
			return done(s.jsonFailed(err, start))
		case '{':
			if err := s.jsonObject(dec, start); err != nil {
				return done(err)
			}
		default:
			v, err := dec.ReadValue()
			if err != nil {
				return done(s.jsonFailed(err, start))
			}
			if err := s.c.decodeObject(s.name, dumpDoc{line: 1, src: v, json: v}, "", v, 0); err != nil {
				return atLine(err, s.lineAt(start))
			}
		}
	}
}

func done(err error) error {
	if errors.Is(err, errStreamDone) {
		return nil
	}
	return err
}

// valueStart is the input offset of the next value, past separators.
func valueStart(dec *jsontext.Decoder) int64 {
	off := dec.InputOffset()
	for _, b := range dec.UnreadBuffer() {
		switch b {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// errStreamDone ends a stream the full decoder has read to its end.
var errStreamDone = errors.New("the full decoder read the rest")

// jsonFailed handles a tokenizer error met in the document starting at
// from: the full decoder re-reads what was read from there and words it.
// Should it take the text after all, its reading stands.
func (s *streamer) jsonFailed(err error, from int64) error {
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return pathErrorOr(s.name, err)
	}
	if ferr := s.fallback(from, s.readEnd(), s.lineAt(from), true); ferr != nil {
		return ferr
	}
	return errStreamDone
}

// readEnd is the offset, in at, up to which the stream has read.
func (s *streamer) readEnd() int64 {
	end := *s.read - s.skipped
	if s.size >= 0 && end > s.size {
		end = s.size
	}
	return end
}

// pathErrorOr keeps errors that are already worded (the input bound,
// cancellation) and words the rest as file errors.
func pathErrorOr(name string, err error) error {
	var tb *inputTooBig
	if errors.As(err, &tb) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return pathError(name, err)
}

type jsonMember struct{ name, value []byte }

// jsonObject reads one top-level object, streaming the items of a List.
func (s *streamer) jsonObject(dec *jsontext.Decoder, start int64) error {
	if _, err := dec.ReadToken(); err != nil {
		return s.jsonFailed(err, start)
	}
	var (
		members  []jsonMember
		kind     []byte
		pending  *dumpContents
		itemErr  error
		errAt    int64
		twice    bool // a second "items": the full decoder keeps the last
		streamed bool
	)
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return s.jsonFailed(err, start)
		}
		name = bytes.Clone(name)
		if string(name) == `"items"` && dec.PeekKind() == '[' && !streamed && (kind == nil || string(kind) == `"List"`) {
			streamed = true
			pending = &dumpContents{}
			if _, err := dec.ReadToken(); err != nil {
				return s.jsonFailed(err, start)
			}
			for i := 1; dec.PeekKind() != ']'; i++ {
				if i%256 == 0 {
					if err := s.canceled(); err != nil {
						return err
					}
				}
				at := valueStart(dec)
				v, err := dec.ReadValue()
				if err != nil {
					return s.jsonFailed(err, start)
				}
				if itemErr != nil {
					continue
				}
				if err := s.decodeOne(pending, dumpDoc{line: 1, src: v, json: v}, fmt.Sprintf("item %d: ", i), v, 1); err != nil {
					itemErr, errAt = err, at
				}
			}
			if _, err := dec.ReadToken(); err != nil {
				return s.jsonFailed(err, start)
			}
			continue
		}
		if string(name) == `"items"` && streamed {
			twice = true
		}
		v, err := dec.ReadValue()
		if err != nil {
			return s.jsonFailed(err, start)
		}
		v = bytes.Clone(v)
		if string(name) == `"kind"` {
			kind = v
		}
		members = append(members, jsonMember{name, v})
	}
	if _, err := dec.ReadToken(); err != nil {
		return s.jsonFailed(err, start)
	}
	end := dec.InputOffset()

	js := joinMembers(members)
	if !streamed {
		if err := s.decodeOne(s.c, dumpDoc{line: 1, src: js, json: js}, "", js, 0); err != nil {
			return atLine(err, s.lineAt(start))
		}
		return nil
	}
	// js is the List without its items: decoding it checks the rest of
	// the document as the full decoder would, and says what it is.
	isList, err := isV1List(js)
	if err != nil || !isList || twice {
		s.pm.objects(-pending.objects)
		return s.fallback(start, end, s.lineAt(start), true)
	}
	if itemErr != nil {
		return atLine(itemErr, s.lineAt(errAt))
	}
	s.c.merge(pending)
	return nil
}

// joinMembers writes an object back from its members.
func joinMembers(members []jsonMember) []byte {
	n := 2
	for _, m := range members {
		n += len(m.name) + len(m.value) + 2
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, m := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, m.name...)
		b = append(b, ':')
		b = append(b, m.value...)
	}
	return append(b, '}')
}

// isV1List reports whether js (a document without items) is what the full
// decoder takes for a v1 List, and whether it would refuse it.
func isV1List(js []byte) (bool, error) {
	var tm dumpTypeMeta
	if err := json.Unmarshal(js, &tm); err != nil {
		return false, err
	}
	if tm.APIVersion != "v1" || tm.Kind != "List" {
		return false, nil
	}
	obj, _, err := deserializer.Decode(js, nil, nil)
	if err != nil {
		return false, err
	}
	_, ok := obj.(*corev1.List)
	return ok, nil
}
