#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real binary: each screen is driven
# in a detached tmux session, captured with its colours (capture-pane -e),
# turned into HTML by aha and photographed by headless Chromium.
#
# Needs: go, tmux, aha, chromium and a monospace font with box drawing
# (Debian: apt-get install -y tmux aha chromium fonts-dejavu-core), and
# for the observed-traffic shot Debian's prometheus.
#
# scripts/screenshots.sh NAME... retakes only those shots.
set -euo pipefail
only=("$@")

cd "$(dirname "$0")/.."
out=screenshots
work=$(mktemp -d)
sock="ktraffic-shots-$$"
prom_pid=
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; [ -z "$prom_pid" ] || { kill "$prom_pid" 2>/dev/null; wait "$prom_pid" 2>/dev/null; }; rm -rf "$work"' EXIT

for tool in tmux aha chromium; do
	command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing (apt-get install -y tmux aha chromium)" >&2; exit 1; }
done

go build -o "$work/ktraffic" .
mkdir -p "$out"

# wait_for SESSION TEXT: poll the pane until TEXT shows (5 s at most).
wait_for() {
	for _ in $(seq 100); do
		tmux -L "$sock" capture-pane -p -t "$1" | grep -qF -- "$2" && return 0
		sleep 0.05
	done
	echo "screenshots.sh: $1 never showed '$2'" >&2
	tmux -L "$sock" capture-pane -p -t "$1" >&2
	return 1
}

# keys SESSION KEY...: send keys one at a time, so ESC is never read as a
# prefix of the next key (alt+key).
keys() {
	local s=$1
	shift
	for k in "$@"; do
		tmux -L "$sock" send-keys -t "$s" "$k"
		sleep 0.15
	done
}

# shot NAME COLS ROWS READY ARGS -- KEYS... : start ktraffic with ARGS,
# wait for READY, send KEYS, wait for the last screen to settle, capture.
shot() {
	local name=$1 cols=$2 rows=$3 ready=$4
	shift 4
	if [[ ${#only[@]} -gt 0 && ! " ${only[*]} " =~ " $name " ]]; then return 0; fi
	local args=()
	while [[ $# -gt 0 && $1 != -- ]]; do args+=("$1"); shift; done
	[[ $# -gt 0 ]] && shift
	tmux -L "$sock" new-session -d -s "$name" -x "$cols" -y "$rows" \
		"env -u NO_COLOR TERM=xterm-256color COLORTERM=truecolor $work/ktraffic ${args[*]}; sleep 60"
	tmux -L "$sock" set-option -t "$name" -g default-terminal "tmux-256color" >/dev/null
	wait_for "$name" "$ready"
	keys "$name" "$@"
	sleep 0.5
	tmux -L "$sock" capture-pane -e -p -t "$name" >"$work/$name.ans"
	tmux -L "$sock" kill-session -t "$name"
	render "$name" "$cols" "$rows"
}

# render NAME COLS ROWS: ANSI → HTML → PNG, the page sized to the grid.
render() {
	local name=$1 cols=$2 rows=$3
	local cw=8.43 lh=17 pad=14
	local w h
	w=$(awk -v c="$cols" -v cw="$cw" -v p="$pad" 'BEGIN { printf "%d", c * cw + 2 * p + 1 }')
	h=$(awk -v r="$rows" -v lh="$lh" -v p="$pad" 'BEGIN { printf "%d", r * lh + 2 * p }')
	{
		cat <<-HTML
		<!doctype html><meta charset="utf-8">
		<style>
		html, body { margin: 0; background: ${BG:-#18181b}; }
		pre { margin: 0; padding: ${pad}px; color: ${FG:-#e4e4e7}; font: 14px/${lh}px "DejaVu Sans Mono", monospace; }
		</style><pre>
		HTML
		aha --no-header <"$work/$name.ans"
		echo "</pre>"
	} >"$work/$name.html"
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d -p "$work")" --hide-scrollbars \
		--window-size="$w,$h" --screenshot="$PWD/$out/$name.png" "file://$work/$name.html" >/dev/null 2>&1
	echo "$out/$name.png"
}

# The seeds' example: Local first (ktraffic --demo opens on it), then the
# same pods behind a Cluster Service, then the list that holds both.
shot kiada-local 100 26 "client IP kept" --demo --
shot kiada-cluster 100 26 "client IP kept" --demo -- Escape / kiada-cluster Enter Enter
shot service-list 100 12 "client IP kept" --demo -- Escape
# A Local NodePort on a node without pods: the traffic is dropped.
shot aks-nodeport-drop 110 30 "tcp/tcp-server" --demo=aks-tcp -- s s s s
# Topology hints across three zones, wide terminal.
shot zones-prefer-close 180 34 "shop/checkout" --demo=zones-prefer-close --
shot help 100 30 "client IP kept" --demo -- '?'
# Three nodes under Cluster with session affinity: j traces worker1's
# lanes alone, with its part of each pod's share.
shot trace-node 100 16 "sample-session-affinity" --demo=session-affinity -- j
# A what-if judged by every source: internalTrafficPolicy=Local leaves the
# load balancer alone but drops in-cluster clients on the pod-less node.
shot whatif-every-source 120 40 "tcp/tcp-server" --demo=aks-tcp -- w j l
# Beyond the Service: a 90/10 canary behind a Gateway, one ALB in instance
# mode through the nodes, and the load band of a browser's one connection
# and of three HTTP/2 clients under IPVS sh.
shot gateway-canary 110 30 "shop/checkout-v1" --demo=gateway-canary --
shot alb-instance-local 130 26 "web/web-instance-local" --demo=alb-ingress-modes --
shot browser-band 120 34 "client IP kept" --demo -- Escape / kiada-cluster Enter Enter c G
shot ipvs-sh-band 120 34 "default/my-service" --demo=ipvs-sh -- c c + + G
# The light theme, on a light terminal.
BG='#fafafa' FG='#18181b' shot kiada-light 100 26 "client IP kept" --demo -- : 'theme light' Enter

# Observed next to predicted: a real Prometheus on loopback scraping
# counters that grow 55/22.5/22.5 per second on kiada's pods, read through
# the istio preset, beside the Cluster policy's 33/33/33.
if [[ ${#only[@]} -eq 0 || " ${only[*]} " =~ " observed " ]]; then
	command -v prometheus >/dev/null || { echo "screenshots.sh: prometheus is missing (apt-get install -y prometheus)" >&2; exit 1; }
	go build -o "$work/observeddemo" ./scripts/observeddemo
	"$work/observeddemo" >"$work/prometheus.url" &
	prom_pid=$!
	for _ in $(seq 600); do [ -s "$work/prometheus.url" ] && break; sleep 0.1; done
	[ -s "$work/prometheus.url" ] || { echo "screenshots.sh: the demo Prometheus did not start" >&2; exit 1; }
	shot observed 100 40 "+21.7 pts" --demo=kiada --service default/kiada-cluster \
		--prometheus "$(cat "$work/prometheus.url")" --observed istio --
fi
