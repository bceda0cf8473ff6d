package k8s

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// yamlLines reads lines as apimachinery's LineReader does (the line end,
// "\n" or "\r\n", dropped), with where each starts. A line holding a NUL
// byte, which YAML never accepts, is not kept: /dev/zero is one endless
// such line, and must cost no memory before the input bound stops it.
type yamlLines struct {
	r   *bufio.Reader
	off int64 // where the next line starts
	num int   // its number
	buf []byte
}

type yamlLine struct {
	text []byte // valid until the next call
	off  int64
	num  int
	nul  bool
}

func (l *yamlLines) next() (line yamlLine, eof bool, err error) {
	line.off, line.num = l.off, l.num
	l.buf = l.buf[:0]
	for {
		chunk, err := l.r.ReadSlice('\n')
		l.off += int64(len(chunk))
		if !line.nul {
			if bytes.IndexByte(chunk, 0) >= 0 {
				line.nul, l.buf = true, l.buf[:0]
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			if l.off == line.off {
				return line, true, nil
			}
			break // a last line without a line end
		}
		if err != nil {
			return line, false, err
		}
		l.buf = bytes.TrimSuffix(l.buf, []byte("\n"))
		l.buf = bytes.TrimSuffix(l.buf, []byte("\r"))
		break
	}
	l.num++
	line.text = l.buf
	return line, false, nil
}

// yamlDoc is the document being read. Lines go to text, as YAMLReader
// would hand them out, except a List's items, which are cut out and
// decoded one at a time into pending.
type yamlDoc struct {
	firstNum int
	firstOff int64
	lines    int
	text     bytes.Buffer
	// whole: give the document to the full decoder, re-read from the
	// input (a NUL byte, an item that does not convert on its own, a
	// List shaped other than kubectl writes it).
	whole bool

	mode      int // yamlPlain, yamlAfterItems or yamlInItems
	itemsLine []byte
	cut       bool // items were cut out
	indent    int  // of the items' "-"
	chunk     bytes.Buffer
	chunkNum  int         // the line the item's content starts on
	chunkBare bool        // its "-" line holds nothing else yet
	queue     []*yamlItem // items being converted, in order
	items     int
	pending   *dumpContents
	itemErr   error
	itemLine  int
}

// yamlItem is one List item, converted to JSON by a worker: go-yaml is
// most of the cost of reading YAML, and items convert independently.
type yamlItem struct {
	chunk []byte
	num   int
	done  chan struct{}
	js    []byte // the item's JSON; nil when it did not convert alone
}

// yamlWorkers convert items on every core; at most yamlQueue wait.
type yamlWorkers struct{ jobs chan *yamlItem }

const yamlQueue = 64

func startYAMLWorkers() *yamlWorkers {
	w := &yamlWorkers{jobs: make(chan *yamlItem, yamlQueue)}
	for range runtime.GOMAXPROCS(0) {
		go func() {
			for it := range w.jobs {
				it.js = convertItem(it.chunk)
				close(it.done)
			}
		}()
	}
	return w
}

func (w *yamlWorkers) stop() { close(w.jobs) }

// convertItem converts an item cut out of a List: a sequence of one
// entry. nil means it did not convert on its own (an anchor from another
// item, or a cut in the wrong place).
func convertItem(chunk []byte) []byte {
	js, err := utilyaml.ToJSON(chunk)
	var one []json.RawMessage
	if err != nil || json.Unmarshal(js, &one) != nil || len(one) != 1 {
		return nil
	}
	return one[0]
}

const (
	yamlPlain = iota
	yamlAfterItems
	yamlInItems
)

// yaml reads a YAML stream document by document, by YAMLReader's rule:
// a line starting with "---" and followed by nothing but spaces or a
// comment ends a document; one met before any content opens the next.
func (s *streamer) yaml() error {
	s.workers = startYAMLWorkers()
	defer s.workers.stop()
	lines := &yamlLines{r: s.r, num: 1}
	d := &yamlDoc{}
	for {
		line, eof, err := lines.next()
		if err != nil {
			return pathErrorOr(s.name, err)
		}
		if line.num%1024 == 0 {
			if err := s.canceled(); err != nil {
				return err
			}
		}
		if eof {
			if d.lines > 0 {
				return s.endYAMLDoc(d, line.off)
			}
			return nil
		}
		if !line.nul && bytes.HasPrefix(line.text, []byte("---")) {
			trimmed := strings.TrimSpace(string(line.text[3:]))
			if len(trimmed) > 0 && trimmed[0] != '#' {
				return dumpError(s.name, line.num, "invalid Yaml document separator: %s", trimmed)
			}
			if d.lines > 0 {
				if err := s.endYAMLDoc(d, line.off); err != nil {
					return err
				}
				d = &yamlDoc{}
				continue
			}
		}
		s.addYAMLLine(d, line)
	}
}

func (s *streamer) addYAMLLine(d *yamlDoc, line yamlLine) {
	if d.lines == 0 {
		d.firstNum, d.firstOff = line.num, line.off
	}
	d.lines++
	if line.nul || d.whole {
		d.whole = true
		return
	}
	text := line.text
	switch d.mode {
	case yamlPlain:
		if isItemsKey(text) {
			if d.cut {
				d.whole = true // items twice: the full decoder keeps the last
				return
			}
			d.mode, d.itemsLine = yamlAfterItems, bytes.Clone(text)
			return
		}
		d.text.Write(text)
		d.text.WriteByte('\n')
	case yamlAfterItems:
		if k, ok := itemStart(text, -1); ok {
			d.mode, d.cut, d.indent = yamlInItems, true, k
			d.pending = &dumpContents{}
			d.text.WriteByte('\n') // where "items:" was
			s.startItem(d, line)
			return
		}
		// Not kubectl's shape: keep the document whole.
		d.text.Write(d.itemsLine)
		d.text.WriteByte('\n')
		d.text.Write(text)
		d.text.WriteByte('\n')
		d.mode = yamlPlain
	case yamlInItems:
		if _, ok := itemStart(text, d.indent); ok {
			s.endItem(d)
			s.startItem(d, line)
			return
		}
		if ind, blank := indentOf(text); blank || ind > d.indent || text[ind] == '#' {
			d.chunk.Write(text)
			d.chunk.WriteByte('\n')
			if d.chunkBare && !blank && text[ind] != '#' {
				d.chunkNum, d.chunkBare = line.num, false
			}
			return
		} else if ind > 0 {
			d.whole = true // indented, but less than the items: not a shape to cut
			return
		}
		s.endItem(d)
		d.mode = yamlPlain
		s.addYAMLLineText(d, text)
	}
}

// addYAMLLineText adds a line already counted, in plain mode.
func (s *streamer) addYAMLLineText(d *yamlDoc, text []byte) {
	if isItemsKey(text) {
		d.whole = true
		return
	}
	d.text.Write(text)
	d.text.WriteByte('\n')
}

func isItemsKey(text []byte) bool {
	return string(bytes.TrimRight(text, " \t")) == "items:"
}

// itemStart reports whether text starts a sequence entry ("-" then a
// space or nothing) at indent k, or, for k < 0, at indent 0 or 2.
func itemStart(text []byte, k int) (int, bool) {
	if k < 0 {
		for _, k := range []int{0, 2} {
			if _, ok := itemStart(text, k); ok {
				return k, true
			}
		}
		return 0, false
	}
	if len(text) < k+1 || string(text[:k]) != strings.Repeat(" ", k) || text[k] != '-' {
		return 0, false
	}
	return k, len(text) == k+1 || text[k+1] == ' '
}

// indentOf counts leading spaces; blank is a line of spaces and tabs.
func indentOf(text []byte) (int, bool) {
	i := 0
	for i < len(text) && text[i] == ' ' {
		i++
	}
	return i, len(bytes.TrimLeft(text, " \t")) == 0
}

func (s *streamer) startItem(d *yamlDoc, line yamlLine) {
	d.chunk.Reset()
	d.chunk.Write(line.text)
	d.chunk.WriteByte('\n')
	rest := strings.TrimSpace(string(line.text[d.indent+1:]))
	d.chunkNum, d.chunkBare = line.num, rest == "" || rest[0] == '#'
}

// endItem hands the item read so far to the workers, and decodes those
// at the head of the queue that are ready (all of them when the queue is
// full), as the full decoder decodes an item.
func (s *streamer) endItem(d *yamlDoc) {
	if d.chunk.Len() == 0 || d.whole {
		d.chunk.Reset()
		return
	}
	it := &yamlItem{chunk: bytes.Clone(d.chunk.Bytes()), num: d.chunkNum, done: make(chan struct{})}
	d.chunk.Reset()
	s.workers.jobs <- it
	d.queue = append(d.queue, it)
	for len(d.queue) > 0 {
		if len(d.queue) < yamlQueue {
			select {
			case <-d.queue[0].done:
			default:
				return
			}
		}
		s.decodeItem(d)
	}
}

// decodeItem waits for the item at the head of the queue and decodes it.
func (s *streamer) decodeItem(d *yamlDoc) {
	it := d.queue[0]
	d.queue = d.queue[1:]
	<-it.done
	if it.js == nil {
		d.whole = true
	}
	if d.whole {
		return
	}
	d.items++
	if d.itemErr != nil {
		return
	}
	if err := s.decodeOne(d.pending, dumpDoc{line: 1, src: it.js, json: it.js}, fmt.Sprintf("item %d: ", d.items), it.js, 1); err != nil {
		d.itemErr, d.itemLine = err, it.num
	}
}

// endYAMLDoc decodes the document that ends at input offset end.
func (s *streamer) endYAMLDoc(d *yamlDoc, end int64) error {
	if d.mode == yamlInItems {
		s.endItem(d)
	}
	for len(d.queue) > 0 {
		s.decodeItem(d)
	}
	if d.mode == yamlAfterItems {
		d.text.Write(d.itemsLine)
		d.text.WriteByte('\n')
	}
	if !d.whole && d.cut {
		// What is left is the List without its items: it must be one.
		js, err := utilyaml.ToJSON(d.text.Bytes())
		if err == nil {
			var isList bool
			if isList, err = isV1List(js); err == nil && isList {
				if d.itemErr != nil {
					return atLine(d.itemErr, d.itemLine)
				}
				s.c.merge(d.pending)
				return nil
			}
		}
		d.whole = true
	}
	if d.whole {
		if d.pending != nil {
			s.pm.objects(-d.pending.objects)
		}
		return s.fallback(d.firstOff, end, d.firstNum, false)
	}
	doc, err := yamlDocument(s.name, d.text.Bytes(), d.firstNum)
	if err != nil {
		return err
	}
	return s.decodeOne(s.c, doc, "", doc.json, 0)
}
