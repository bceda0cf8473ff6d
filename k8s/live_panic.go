package k8s

import (
	"fmt"
	"runtime/debug"
	"strings"

	"k8s.io/client-go/tools/cache"
)

// A panic in the live source's code runs outside Bubble Tea's recovery:
// left alone it would kill the process with the terminal still raw, in
// the alternate screen, echo off. So every goroutine the source starts,
// and every callback it hands client-go (transform, event handlers, list
// and watch), recovers: the panic becomes a *PanicError, the source
// stops (Updates closes, or Start returns the error while loading), and
// Err says why, for the caller to restore the terminal and exit.

// PanicError is a panic inside the live source: an internal error.
type PanicError struct {
	// Where says what the source was doing: "listing pods".
	Where string
	Value any
	// Stack is the goroutine's stack at the panic, for the crash report.
	Stack []byte
}

func (e *PanicError) Error() string {
	v := strings.TrimSpace(fmt.Sprint(e.Value))
	if i := strings.IndexByte(v, '\n'); i >= 0 {
		v = v[:i]
	}
	return fmt.Sprintf("the live source crashed while %s (panic: %s)", e.Where, singleLine(v))
}

// StackTrace is the stack at the panic, for a crash report.
func (e *PanicError) StackTrace() []byte { return e.Stack }

// recoverPanic is deferred by the source's goroutines and callbacks; it
// must be the deferred function itself for recover to work.
func (l *Live) recoverPanic(where string) {
	if r := recover(); r != nil {
		l.panicked(where, r)
	}
}

// panicked records a recovered panic; called while the panic's frames are
// still on the stack, so the stack shows where it happened.
func (l *Live) panicked(where string, r any) *PanicError {
	err := &PanicError{Where: where, Value: r, Stack: debug.Stack()}
	l.crashed(err)
	return err
}

// guarded runs a callback client-go calls, turning a panic into an error
// for client-go and a crash of the source.
func guarded[T any](l *Live, where string, f func() (T, error)) (out T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = l.panicked(where, r)
		}
	}()
	return f()
}

// guardedHandler recovers in the event handlers, which run in client-go's
// goroutines.
type guardedHandler struct {
	l *Live
	h cache.ResourceEventHandler
}

func (g guardedHandler) OnAdd(obj any, initial bool) {
	defer g.l.recoverPanic("handling events")
	g.h.OnAdd(obj, initial)
}

func (g guardedHandler) OnUpdate(old, new any) {
	defer g.l.recoverPanic("handling events")
	g.h.OnUpdate(old, new)
}

func (g guardedHandler) OnDelete(obj any) {
	defer g.l.recoverPanic("handling events")
	g.h.OnDelete(obj)
}

// crashed records the first panic and stops the source.
func (l *Live) crashed(err *PanicError) {
	if !l.crash.CompareAndSwap(nil, err) {
		return
	}
	select {
	case l.fatal <- err: // while loading: Start returns it
	default:
	}
	if stop := l.stopRun.Load(); stop != nil {
		(*stop)()
	}
}

// Err is why the source stopped by itself: a *PanicError. It is nil while
// the source runs and after it stops because its context ended; read it
// once Updates is closed.
func (l *Live) Err() error {
	if err := l.crash.Load(); err != nil {
		return err
	}
	return nil
}
