// Package cli is ktraffic's command line: the root command that starts the
// terminal UI, and predict, check, diff, apply and probe. Each command has
// an options struct, a constructor that registers its flags, and a run
// function; streams are injected, so tests drive it like main does.
package cli

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
)

// Main runs ktraffic with the process's arguments and streams, and
// returns the exit code.
func Main() int {
	name, complete := invokedAs(os.Args[0])
	args := os.Args[1:]
	if complete {
		args = append([]string{cobra.ShellCompRequestCmd}, args...)
	}
	return runAs(name, args, os.Stdin, os.Stdout, os.Stderr)
}

// run executes ktraffic with args and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runAs(defaultName, args, stdin, stdout, stderr)
}

// runAs executes ktraffic called as name ("ktraffic", "kubectl
// svc-traffic"). Errors are printed as one line on stderr; nothing panics
// out of here.
func runAs(name string, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			v, _, _ := strings.Cut(fmt.Sprint(r), "\n")
			e := newInternalError("panic: "+v, debug.Stack())
			fmt.Fprintf(stderr, "ktraffic: %s\n", model.Printable(e.Error()))
			code = 3
		}
	}()
	app := newFactory(stdin, stdout, stderr)
	cmd := app.rootCommand()
	nameCommands(cmd, name)
	var subcommands []string
	for _, c := range cmd.Commands() {
		subcommands = append(subcommands, c.Name())
	}
	cmd.SetArgs(joinDemoName(args, append(subcommands, "help", "completion")))
	err := cmd.Execute()
	if app.flushLog != nil {
		app.flushLog()
	}
	if err != nil {
		return app.reportError(err)
	}
	return app.exitCode
}

// joinDemoName lets "--demo kiada" mean "--demo=kiada": --demo may be
// given without a name, so the flag parser alone would take the name for
// a stray argument. A word that is a subcommand or a flag is left alone.
func joinDemoName(args []string, subcommands []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		if args[i] == "--demo" && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") && !slices.Contains(subcommands, args[i+1]) {
			out = append(out, "--demo="+args[i+1])
			i++
			continue
		}
		out = append(out, args[i])
	}
	return out
}
