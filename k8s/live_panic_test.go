package k8s

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/ktraffic/ktraffic/model"
)

// TestLivePanicWhileRunningStopsTheSource: a panic in the source's own
// goroutine is recovered, never left to kill the process (and a raw
// terminal with it): Updates closes and Err names it.
func TestLivePanicWhileRunningStopsTheSource(t *testing.T) {
	client := fake.NewClientset(seedObjects()...)
	l := newTestLive(client, "shop")
	var armed atomic.Bool
	l.build.pods.keyOf = func(p *model.Pod) (string, string) {
		if armed.Load() {
			panic("boom in the builder")
		}
		return p.Namespace, p.Name
	}
	startLive(t, l)
	armed.Store(true)
	if _, err := client.CoreV1().Pods("shop").Create(t.Context(), fixturePod("shop", "web-ddddd", "node-a", true), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(guard)
	for open := true; open; {
		select {
		case _, open = <-l.Updates():
		case <-deadline:
			t.Fatal("the source went on after a panic")
		}
	}
	var pe *PanicError
	if err := l.Err(); !errors.As(err, &pe) || !strings.Contains(err.Error(), "panic: boom in the builder") || !strings.Contains(string(pe.Stack), "live_panic_test.go") {
		t.Fatalf("Err() = %v", err)
	}
	select {
	case <-l.done:
	case <-time.After(guard):
		t.Fatal("the source did not stop")
	}
}

// TestLivePanicWhileLoadingFailsStart: a panic in a goroutine of the
// first contact is Start's error, one line.
func TestLivePanicWhileLoadingFailsStart(t *testing.T) {
	client := fake.NewClientset(seedObjects()...)
	client.PrependReactor("list", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		panic("boom in a list\nwith a second line")
	})
	l := newTestLive(client, "shop")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	err := l.Start(ctx)
	var pe *PanicError
	if !errors.As(err, &pe) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "panic: boom in a list") {
		t.Fatalf("Start = %v", err)
	}
	if _, open := <-l.Updates(); open {
		t.Error("updates still open")
	}
	if l.Err() == nil {
		t.Error("Err() does not report the panic")
	}
}
