package k8s

import (
	"context"
	"errors"

	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/ktraffic/ktraffic/model"
)

// LoadLive lists the cluster once and returns a snapshot.
func LoadLive(ctx context.Context, flags *genericclioptions.ConfigFlags, namespace string) (*model.Snapshot, error) {
	return nil, errors.New("live source being written")
}
