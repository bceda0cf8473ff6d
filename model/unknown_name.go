package model

import "fmt"

// UnknownNameError is an error about a name the user gave — a Service, a
// node, a pod, a zone, a namespace, a scenario, a context — that the input
// does not hold. The command as typed cannot run, so the command line
// reports it as a usage error (exit code 2), not as a failure of the
// cluster or of the traffic.
type UnknownNameError struct{ Err error }

func (e *UnknownNameError) Error() string { return e.Err.Error() }
func (e *UnknownNameError) Unwrap() error { return e.Err }

// UnknownName formats an UnknownNameError.
func UnknownName(format string, a ...any) error {
	return &UnknownNameError{Err: fmt.Errorf(format, a...)}
}
