package main

import (
	"context"
	"fmt"
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

func (a *app) loadFiles() (*model.Snapshot, error) {
	return k8s.LoadFiles(a.files, a.stdin)
}

func (a *app) loadLive(ctx context.Context) (*model.Snapshot, error) {
	snap, err := k8s.LoadLive(ctx, a.config, a.namespace())
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return snap, nil
}
