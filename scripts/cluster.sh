#!/usr/bin/env bash
# A real Kubernetes control plane on 127.0.0.1 to point ktraffic at:
# etcd, kube-apiserver and kube-controller-manager, built from the Go
# module proxy the first time (minutes), then kept in e2e/.cache.
#
#   scripts/cluster.sh up [--scenario kiada]   start it (optionally with a demo scenario's objects)
#   eval "$(scripts/cluster.sh env)"            point KUBECONFIG at it
#   scripts/cluster.sh down                     stop it and delete its data
set -euo pipefail
cd "$(dirname "$0")/../e2e"
exec go run ./cmd/cluster "$@"
