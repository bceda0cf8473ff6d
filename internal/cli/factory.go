package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
)

// Factory is what every command shares, built once per run: the
// streams, the flags that choose and reach the data (kubectl's connection
// flags, -f, --demo, -n/-A), the write settings, and the exit code a
// command wants when it succeeds (check exits 1 on errors). Commands take
// what they need from it into their own options, as functions, so tests
// can hand them something else.
type Factory struct {
	IO       IOStreams
	exitCode int

	files         []string
	demo          string
	allNamespaces bool
	config        *k8s.ConfigFlags
	// readOnlyFlag is --read-only; readOnly() also reads the config file.
	readOnlyFlag bool
	// writeTimeout bounds each write call when --request-timeout is not
	// given; 0 is k8s.DefaultWriteTimeout. Tests shorten it.
	writeTimeout time.Duration
	tui          tuiOptions
	maxInput     byteSize // --max-input-size
	log          logFlags
	// observed is where observed traffic comes from (--prometheus,
	// --observed, --scrape-metrics): the TUI, predict and diff take it.
	observed observedOptions
	// flushLog, set once logging has started, flushes it at exit.
	flushLog func()
	// source is the data source the flags chose, resolved once
	// (dataSource()).
	source *dataSource
	// serviceNamespace is the namespace of the Service a command is about,
	// once --service is read: the live source reads that namespace.
	serviceNamespace string
}

// demoList is --demo's value when given without a name: list the scenarios.
const demoList = "list"

// newFactory is the Factory for one run over the given streams.
func newFactory(stdin io.Reader, stdout, stderr io.Writer) *Factory {
	f := &Factory{IO: IOStreams{In: stdin, Out: stdout, ErrOut: stderr}, config: k8s.NewConfigFlags()}
	// The API server's warnings, once each, on stderr as kubectl prints
	// them; the TUI routes them to its status line instead (runTUI).
	var mu sync.Mutex
	f.config.Warnings = k8s.NewWarnings(func(w string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(f.IO.ErrOut, "ktraffic: warning from the API server: %s\n", w)
	})
	return f
}

// usageError marks errors in what the user typed (exit code 2).
type usageError struct{ error }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func (f *Factory) reportError(err error) int {
	var crash interface{ StackTrace() []byte } // a recovered panic: a bug
	var ie *internalError
	if errors.As(err, &crash) && !errors.As(err, &ie) {
		err = newInternalError(err.Error(), crash.StackTrace())
	}
	msg := strings.TrimSpace(err.Error())
	msg = strings.ReplaceAll(msg, "\n", "; ")
	// The last gate before the terminal: an error can quote a file or a
	// server, and neither may send it escape sequences.
	msg = model.Printable(msg)
	fmt.Fprintf(f.IO.ErrOut, "ktraffic: %s\n", msg)
	var ue usageError
	var unknown *model.UnknownNameError
	var missing *fs.PathError
	switch {
	case errors.As(err, &ue), errors.As(err, &unknown):
		return 2
	case errors.As(err, &missing) && errors.Is(err, fs.ErrNotExist):
		return 2 // a file named on the command line that is not there
	case errors.As(err, &ie):
		return 3
	}
	return 1
}

// namespace is the namespace a command looks at ("" = all).
func (f *Factory) namespace() string {
	if f.allNamespaces {
		return ""
	}
	if f.config.Namespace != nil && *f.config.Namespace != "" {
		return *f.config.Namespace
	}
	return ""
}
