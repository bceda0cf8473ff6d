package cli

import (
	"context"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
)

// liveScope passes -A through; the namespace itself is resolved from the
// config flags by the k8s package as kubectl does (-n, then the context's
// namespace, then "default"), because a.namespace() cannot tell -A from
// "no -n given".
func (a *app) liveScope() k8s.Scope {
	return k8s.Scope{AllNamespaces: a.allNamespaces}
}

func (a *app) loadLive(ctx context.Context) (*model.Snapshot, error) {
	return k8s.LoadLive(ctx, a.config, a.liveScope())
}
