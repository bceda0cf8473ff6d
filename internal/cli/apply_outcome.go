package cli

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"

	corev1 "k8s.io/api/core/v1"

	"github.com/ktraffic/ktraffic/k8s"
)

// applyInterruptibly sends the confirmed patch with ctrl-c and SIGTERM
// caught while the PATCH is in flight: dying then would leave the user
// not knowing whether the change landed. The request is cancelled
// instead, the Applier reads the Service back, and the error says what is
// there. A second ctrl-c, during that read, ends ktraffic at once.
func applyInterruptibly(ctx context.Context, ap *k8s.Applier, p *k8s.Patch) (*corev1.Service, error) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // the next signal gets the default: exit
	}()
	return ap.Apply(ctx, p)
}

// landedAfterAll returns the Service read back after an apply of unknown
// outcome when it shows every change: the user's question, "is it
// there?", then has a yes.
func landedAfterAll(err error) (*corev1.Service, bool) {
	var unknown *k8s.OutcomeUnknownError
	if errors.As(err, &unknown) && unknown.Landed() {
		return unknown.Service, true
	}
	return nil, false
}
