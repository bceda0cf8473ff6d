package main

import (
	"context"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
)

func (a *app) loadLive(ctx context.Context) (*model.Snapshot, error) {
	return k8s.LoadLive(ctx, a.config, a.namespace())
}
