#!/usr/bin/env bash
# Measures how fast ktraffic reads a big dump, side by side with the floor:
# a program that only decodes the same file (scripts/decodefloor, the
# standard library's encoding/json into generic values). The runs
# alternate, so both see the same machine load, and the medians of
# ROUNDS runs are compared: wall time ratio and peak RSS.
#
#   scripts/bench-load.sh            # the 50k-pod dump, then the 100k one
#   ROUNDS=5 SIZES=50k scripts/bench-load.sh
#   BEFORE=/tmp/ktraffic-old scripts/bench-load.sh   # also an older build, alternating
#   COMMANDS=predict scripts/bench-load.sh           # only the load, not check
#
# Dumps come from scripts/gendump (deterministic) and are kept in
# BENCH_DIR (default: a cache folder under the system temp dir), so a
# second run does not generate them again. `ktraffic predict` reads the
# dump and predicts one Service: that is the load cost. `ktraffic check`
# also summarises every Service. Needs go and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${ROUNDS:-3}
commands=${COMMANDS:-"predict check"}
before=${BEFORE:-}
sizes=${SIZES:-"50k 100k"}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/ktraffic-bench}
mkdir -p "$dir"
[ -x /usr/bin/time ] || { echo "bench-load.sh: needs GNU time at /usr/bin/time (apt-get install -y time)" >&2; exit 1; }

go build -o "$dir/ktraffic" .
go build -o "$dir/decodefloor" ./scripts/decodefloor
go build -o "$dir/gendump" ./scripts/gendump

dump_for() {
	local f="$dir/dump-$1.json"
	if [ ! -s "$f" ]; then
		case $1 in
		50k) "$dir/gendump" -o "$f.tmp" ;;
		100k) "$dir/gendump" -pods 100000 -services 10000 -slices 20000 -o "$f.tmp" ;;
		*) echo "bench-load.sh: unknown size $1 (50k or 100k)" >&2; exit 2 ;;
		esac
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# run NAME CMD...: one timed run, appending "seconds kilobytes" to NAME's file.
run() {
	local name=$1
	shift
	local t
	t=$(mktemp)
	# check exits 1 when it finds errors: that is its answer, not a failure.
	/usr/bin/time -f "%e %M" -o "$t" "$@" >/dev/null 2>"$t.err" || [ $? -eq 1 ] || { cat "$t.err" >&2; exit 1; }
	cat "$t" >>"$dir/$name.runs"
	rm -f "$t" "$t.err"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for size in $sizes; do
	f=$(dump_for "$size")
	svc=$(grep -m1 -o '"name": "svc-[0-9]*"' "$f" | cut -d'"' -f4)
	ns=$(grep -m1 -o '"namespace": "team-[0-9]*"' "$f" | cut -d'"' -f4)
	rm -f "$dir"/*.runs
	rows=""
	for _ in $(seq "$rounds"); do
		run floor "$dir/decodefloor" "$f"
		for bin in "$before" "$dir/ktraffic"; do
			[ -n "$bin" ] || continue
			tag=""
			[ "$bin" = "$before" ] && tag="before-"
			for c in $commands; do
				case $c in
				predict) run "${tag}predict" "$bin" predict -f "$f" --service "$ns/$svc" ;;
				check) run "${tag}check" "$bin" check -f "$f" ;;
				esac
				case " $rows " in *" ${tag}$c "*) ;; *) rows="$rows ${tag}$c" ;; esac
			done
		done
	done
	echo "== $size pods: $(du -m "$f" | cut -f1) MB, median of $rounds alternating runs"
	fw=$(cut -d' ' -f1 "$dir/floor.runs" | median)
	fr=$(cut -d' ' -f2 "$dir/floor.runs" | median)
	printf '%-34s %8s s %8s MB\n' "floor (encoding/json into any)" "$fw" "$((fr / 1024))"
	for name in $rows; do
		w=$(cut -d' ' -f1 "$dir/$name.runs" | median)
		r=$(cut -d' ' -f2 "$dir/$name.runs" | median)
		label="ktraffic ${name#before-} -f"
		[ "$name" = "${name#before-}" ] || label="$label (before)"
		printf '%-34s %8s s %8s MB   %sx the floor'"'"'s time, %sx its RSS\n' "$label" "$w" "$((r / 1024))" \
			"$(awk -v a="$w" -v b="$fw" 'BEGIN {printf "%.2f", a / b}')" "$(awk -v a="$r" -v b="$fr" 'BEGIN {printf "%.2f", a / b}')"
	done
done
