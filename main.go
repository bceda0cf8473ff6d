// Command ktraffic predicts how a Kubernetes Service spreads traffic, from
// the load balancer or NodePort to nodes to pods, with kube-proxy's rules.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes ktraffic with args and returns the exit code. Errors are
// printed as one line on stderr; nothing panics out of here.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "ktraffic: internal error: %v (please report it)\n", r)
			code = 3
		}
	}()
	app := newApp(stdin, stdout, stderr)
	cmd := app.rootCommand()
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		return app.reportError(err)
	}
	return app.exitCode
}
