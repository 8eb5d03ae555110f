#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh - run libFuzzer targets for a fixed time each.
#
#   fuzz/run.sh SECONDS build-fuzz/fuzz-NAME...
#
# Target fuzz-NAME starts from a copy of fuzz/corpus-NAME in a temporary
# directory, so what it finds does not grow the repository's seeds; the parse
# target also gets one seed per line (up to 200 per file) of
# tests/data/capture/*. Inputs are capped at 8192 bytes. Every target runs
# even if one fails; the exit status is non-zero if any crashed, leaked, timed
# out, hit undefined behaviour or is missing, and the reproducer's path is
# printed (its temporary directory is kept). Called by `make fuzz-brief` and
# `make fuzz-long`.
set -u

prog=run.sh
usage() {
	echo "usage: $0 SECONDS FUZZ-BINARY..." >&2
	exit 2
}

[ $# -ge 2 ] || usage
secs=$1
shift
case $secs in
'' | *[!0-9]*) usage ;;
esac
[ "$secs" -ge 1 ] || usage

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
capture=$root/tests/data/capture
failed=0
# The fuzz build recovers from UBSan reports; make each one a failure here.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS

# One seed file per line of the capture files (plain or gzip), bounded.
seed_from_captures() {
	dir=$1
	[ -d "$capture" ] || return 0
	for f in "$capture"/*; do
		[ -f "$f" ] || continue
		base=$(basename "$f")
		case $f in
		*.gz) reader="gzip -dc" ;;
		*) reader="cat" ;;
		esac
		$reader "$f" 2>/dev/null | head -n 200 |
			awk -v d="$dir" -v b="$base" '{
				f = sprintf("%s/capture-%s-%03d", d, b, NR)
				print > f
				close(f)
			}'
	done
}

for bin in "$@"; do
	name=$(basename "$bin")
	name=${name#fuzz-}
	if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
		echo "$prog: $bin: no such fuzz binary (build it with 'make $bin'; needs clang)" >&2
		failed=1
		continue
	fi

	work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-fuzz-$name.XXXXXX") || exit 1
	mkdir "$work/corpus" "$work/artifacts"
	if [ -d "$here/corpus-$name" ]; then
		cp "$here/corpus-$name"/* "$work/corpus/" 2>/dev/null
	fi
	[ "$name" = parse ] && seed_from_captures "$work/corpus"
	nseeds=$(ls "$work/corpus" | wc -l)

	echo "$prog: fuzz-$name for ${secs}s from $nseeds seeds"
	"$bin" -max_total_time="$secs" -max_len=8192 -timeout=25 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/artifacts/" \
		"$work/corpus" >"$work/fuzz.log" 2>&1
	rc=$?

	if [ $rc -ne 0 ]; then
		failed=1
		tail -n 40 "$work/fuzz.log" >&2
		repro=$(ls "$work/artifacts"/crash-* "$work/artifacts"/leak-* \
			"$work/artifacts"/timeout-* "$work/artifacts"/oom-* 2>/dev/null | head -n 1)
		echo "$prog: fuzz-$name FAILED (exit $rc); log: $work/fuzz.log" >&2
		if [ -n "$repro" ]; then
			echo "$prog: reproducer: $repro" >&2
			echo "$prog: replay with: $bin $repro" >&2
		fi
		continue
	fi

	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -n 1)
	found=$(ls "$work/corpus" | wc -l)
	echo "$prog: fuzz-$name ok: ${runs:-?} runs, corpus $nseeds -> $found"
	rm -rf "$work"
done

exit $failed
