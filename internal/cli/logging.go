package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/spf13/pflag"
	"k8s.io/klog/v2"
)

// logFlags are kubectl's -v and --log-file: client-go logs through klog,
// so -v 6 shows every request to the API server with its status and
// time, -v 8 their bodies (tokens are never logged).
type logFlags struct {
	verbosity int
	file      string
}

func (f *Factory) addLogFlags(fs *pflag.FlagSet) {
	fs.IntVarP(&f.log.verbosity, "v", "v", 0, "log verbosity (klog, as kubectl): 6 shows each request to the API server, 8 their bodies")
	fs.StringVar(&f.log.file, "log-file", "", "write the log to this `FILE` instead of stderr (while the terminal UI runs, logs go only here, or nowhere)")
}

// startLogging points klog where this run's logs belong: the log file
// when given; stderr for the commands; nowhere for the terminal UI
// without a log file, since a line on stderr would scramble the screen.
// It returns a function that flushes what is buffered.
func (f *Factory) startLogging(tui bool) (flush func(), err error) {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	klog.InitFlags(fs)
	set := map[string]string{
		"v":               strconv.Itoa(f.log.verbosity),
		"logtostderr":     "true",
		"alsologtostderr": "false",
		"log_file":        "",
		// Errors go where the log goes, not to stderr as well.
		"stderrthreshold": "FATAL",
	}
	klog.SetOutput(os.Stderr) // undo an earlier run's redirection (tests run many)
	switch {
	case f.log.file != "":
		logFile, err := os.OpenFile(f.log.file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return nil, usagef("--log-file: %v", err)
		}
		set["logtostderr"] = "false"
		// klog writes every severity to one writer when given one, and
		// opens no files of its own.
		klog.SetOutput(logFile)
		defer func() {
			if err != nil {
				logFile.Close()
			}
		}()
		flush = func() { klog.Flush(); logFile.Close() }
	case tui:
		set["logtostderr"] = "false"
		klog.SetOutput(io.Discard)
	}
	for k, v := range set {
		if err := fs.Set(k, v); err != nil {
			return nil, fmt.Errorf("klog %s: %v", k, err)
		}
	}
	if flush == nil {
		flush = klog.Flush
	}
	if f.log.verbosity < 0 {
		return nil, usagef("-v wants a level of 0 or more, not %d", f.log.verbosity)
	}
	return flush, nil
}
