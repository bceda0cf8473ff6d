#!/usr/bin/env bash
# Fails when the static release build grows past LIMIT_MB (45 by default).
# It was 116 MB while cli-runtime's genericclioptions linked kustomize and,
# through it, the std plugin package, which with text/template makes the
# linker keep every exported method: a jump like that is what this catches.
set -euo pipefail
cd "$(dirname "$0")/.."
limit_mb=${LIMIT_MB:-45}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$out/ktraffic" .
bytes=$(stat -c %s "$out/ktraffic")
echo "static release build: $((bytes / 1000000)) MB ($bytes bytes), limit $limit_mb MB"
if [ "$bytes" -gt $((limit_mb * 1000000)) ]; then
	echo "check-size.sh: the binary grew past $limit_mb MB; see which packages it links with: go list -deps . | grep -E '^(plugin|text/template)$'" >&2
	exit 1
fi
