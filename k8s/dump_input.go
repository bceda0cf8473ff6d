package k8s

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	apiresource "k8s.io/apimachinery/pkg/api/resource"
)

// DefaultMaxInputBytes bounds what LoadFiles reads when LoadOptions does
// not say: far above a 100,000-pod dump, and a stop for -f /dev/zero.
const DefaultMaxInputBytes = 1 << 30

// LoadOptions tune LoadFiles.
type LoadOptions struct {
	// MaxBytes bounds the bytes read from all inputs together; 0 means
	// DefaultMaxInputBytes.
	MaxBytes int64
	// Progress, when set, is called about every 100ms while reading, and
	// once at the end with Done set, from the reading goroutine.
	Progress func(FileProgress)
}

// FileProgress says how far reading dumps has come.
type FileProgress struct {
	File    string // the input being read
	Objects int    // objects read so far, from every input
	Bytes   int64  // bytes read so far, from every input
	// Total is the size of every input, or 0 when one of them cannot
	// tell (standard input).
	Total int64
	Done  bool
}

// inputTooBig is the error for an input past the bound.
type inputTooBig struct {
	name  string
	limit int64
}

func (e *inputTooBig) Error() string {
	return fmt.Sprintf("%s: stopped after %s, the most ktraffic reads; --max-input-size raises it",
		e.name, apiresource.NewQuantity(e.limit, apiresource.BinarySI))
}

// budget counts what every input reads against the bound.
type budget struct {
	limit int64
	used  int64
	pm    *progressMeter
}

// countingReader reads one input within the budget.
type countingReader struct {
	r    io.Reader
	name string
	b    *budget
	n    int64 // read from this input
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.b.used >= c.b.limit {
		// One byte more tells a file of exactly the limit from a bigger one.
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, &inputTooBig{name: c.name, limit: c.b.limit}
	}
	if room := c.b.limit - c.b.used; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.b.used += int64(n)
	c.b.pm.read(int64(n))
	return n, err
}

// progressMeter sends FileProgress at most every 100ms.
type progressMeter struct {
	fn    func(FileProgress)
	p     FileProgress
	last  time.Time
	calls int
}

func (m *progressMeter) file(name string) {
	m.p.File = name
	m.send(true)
}

func (m *progressMeter) read(n int64) {
	m.p.Bytes += n
	m.send(false)
}

func (m *progressMeter) objects(n int) {
	m.p.Objects += n
	m.send(false)
}

func (m *progressMeter) done() {
	m.p.Done = true
	m.send(true)
}

func (m *progressMeter) send(now bool) {
	if m.fn == nil {
		return
	}
	m.calls++
	if !now && m.calls%64 != 0 {
		return // time.Now is dear at a call per object
	}
	if t := time.Now(); now || t.Sub(m.last) >= 100*time.Millisecond {
		m.last = t
		m.fn(m.p)
	}
}

// spool keeps what is read from standard input when it is a pipe, for
// the fallback to read again: a pipe cannot seek. It grows in chunks, so
// it holds the text once, without the copies a growing slice makes.
type spool struct {
	mu     sync.Mutex
	chunks [][]byte
	size   int64
}

const spoolChunk = 1 << 20

func (s *spool) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		if len(s.chunks) == 0 || len(s.chunks[len(s.chunks)-1]) == spoolChunk {
			s.chunks = append(s.chunks, make([]byte, 0, spoolChunk))
		}
		last := &s.chunks[len(s.chunks)-1]
		k := copy((*last)[len(*last):spoolChunk], p)
		*last = (*last)[:len(*last)+k]
		p = p[k:]
	}
	s.size += int64(n)
	return n, nil
}

func (s *spool) ReadAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for n < len(p) && off < s.size {
		c := s.chunks[off/spoolChunk]
		k := copy(p[n:], c[off%spoolChunk:])
		n += k
		off += int64(k)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// stdinInput streams standard input: a redirected file is read in place,
// a pipe is spooled as it is read.
func stdinInput(stdin io.Reader, b *budget) dumpInput {
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			if cur, err := f.Seek(0, io.SeekCurrent); err == nil {
				size := fi.Size() - cur
				cr := &countingReader{r: io.NewSectionReader(f, cur, size), name: stdinName, b: b}
				return dumpInput{name: stdinName, r: cr, at: io.NewSectionReader(f, cur, size), size: size, read: &cr.n}
			}
		}
	}
	sp := &spool{}
	cr := &countingReader{r: io.TeeReader(stdin, sp), name: stdinName, b: b}
	return dumpInput{name: stdinName, r: cr, at: sp, size: -1, read: &cr.n}
}

// fileInput streams a file. A FIFO, which cannot be read again, is
// spooled; a device that can (/dev/zero) is read in place.
func fileInput(path string, b *budget) (dumpInput, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return dumpInput{}, nil, pathError(path, err)
	}
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	cr := &countingReader{r: f, name: path, b: b}
	in := dumpInput{name: path, r: cr, at: f, size: size, read: &cr.n}
	if _, err := f.ReadAt(make([]byte, 1), 0); size < 0 && err != nil && err != io.EOF {
		sp := &spool{}
		cr.r, in.at = io.TeeReader(f, sp), sp
	}
	return in, f.Close, nil
}
