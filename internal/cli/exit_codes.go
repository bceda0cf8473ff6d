package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// exitCodesHelp ends every command's --help: scripts branch on the code,
// so what each one means is part of the contract.
const exitCodesHelp = `

Exit codes:
  0  done (check: no finding at --fail-on or above)
  1  the work failed: a cluster or file could not be read, the server
     refused a write, or check found a finding at --fail-on or above
  2  the command line is wrong: an unknown command, flag or value, or a
     name the input does not hold (Service, node, pod, zone, namespace,
     demo, context, file)
  3  a bug in ktraffic: the message says where to report it`

// noArgs refuses stray words as a usage error (exit 2), suggesting the
// subcommand that was probably meant.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return usageError{errors.New(msg)}
}

// documentExitCodes appends exitCodesHelp to every command's long help,
// and makes cobra's completion command refuse a shell it does not know
// instead of printing its help and exiting 0.
func documentExitCodes(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Name() == "completion" && c.HasParent() {
			c.Args = func(cmd *cobra.Command, args []string) error {
				if len(args) == 0 {
					return nil
				}
				return usagef("unknown shell %q for %q: valid: bash, zsh, fish, powershell", args[0], cmd.CommandPath())
			}
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		}
		if c.Long == "" {
			c.Long = c.Short
		}
		c.Long += exitCodesHelp
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
