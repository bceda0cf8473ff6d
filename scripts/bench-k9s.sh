#!/usr/bin/env bash
# Peer benchmark: ktraffic against k9s on one big real cluster (50,000 Pods,
# 2,000 Nodes, 5,000 Services, 10,000 EndpointSlices loaded through the API
# of the e2e control plane on 127.0.0.1). Measures, in alternating runs,
# the time from start to the first complete screen and the peak RSS.
# Not a CI test: it takes several minutes. Flags go to e2e/cmd/bench
# (-runs, -pods, -nodes, -services, -slices, -settle).
set -euo pipefail
cd "$(dirname "$0")/../e2e"
K9S_VERSION=v0.50.16
if ! go version -m .cache/bin/k9s 2>/dev/null | grep -q "mod[[:space:]]*github.com/derailed/k9s[[:space:]]*${K9S_VERSION}"; then
	echo "bench: installing k9s ${K9S_VERSION} into e2e/.cache/bin" >&2
	GOBIN="$PWD/.cache/bin" nice -n 10 go install "github.com/derailed/k9s@${K9S_VERSION}"
fi
exec go run ./cmd/bench "$@"
