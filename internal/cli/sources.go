package cli

import (
	"context"
	"strings"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
)

func (a *app) loadDemo() (*model.Snapshot, error) {
	if a.demo == demoList {
		return nil, usagef("--demo needs a scenario name here: %s", strings.Join(k8s.DemoNames(), ", "))
	}
	return k8s.LoadDemo(a.demo)
}

// loadFiles reads the -f dumps within --max-input-size; progress, when
// set, hears how far the reading has come.
func (a *app) loadFiles(ctx context.Context, progress func(k8s.FileProgress)) (*model.Snapshot, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	return k8s.LoadFilesWith(ctx, a.files, a.stdin, k8s.LoadOptions{MaxBytes: a.maxInput.n, Progress: progress})
}
