#!/usr/bin/env bash
# Runs the pinned goreleaser with the given arguments (CI: check).
#
# goreleaser comes from the Go module proxy like every other tool here,
# built once into $GOPATH/bin/goreleaser-VERSION and reused: building it
# takes about 5 minutes on a 2-core machine (3 of CPU; it has several
# hundred dependencies), running `check` then takes a second. It is not a
# go.mod tool: its dependencies would join ktraffic's module graph.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v2.15.1
bin="$(go env GOPATH)/bin/goreleaser-$version"
if [ ! -x "$bin" ]; then
	echo "goreleaser.sh: building goreleaser $version once (a few minutes)" >&2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	GOBIN="$tmp" nice go install "github.com/goreleaser/goreleaser/v2@$version"
	mkdir -p "$(dirname "$bin")"
	mv "$tmp/goreleaser" "$bin"
fi
exec "$bin" "$@"
