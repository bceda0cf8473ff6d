package cli

import (
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// IOStreams are the streams a command reads and writes, injected so that
// tests drive commands as main does (the gh CLI's iostreams, kept small).
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// OutIsTerminal reports whether Out is a terminal the TUI can draw on.
func (s IOStreams) OutIsTerminal() bool { return isTerminal(s.Out) }

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
