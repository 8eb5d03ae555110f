#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/run.sh VIGIL - measure vigil's throughput and memory; see bench/README.md.
#
# 1. `VIGIL analyze --json LOG` on a generated 4M-line log, BENCH_RUNS times, pinned
#    to one core: median wall time, lines/s, MB/s, peak RSS;
# 2. the flood log (one distinct source per line): peak RSS, time, the "limits" object;
# 3. psad -A on the log's first 100,000 lines (when psad is installed), and the ratio;
# 4. the same log gzip'd;
# 5. signature matching: the main log with --no-signatures (ICMP tables and OS
#    fingerprints still on), with psad's 206 rules (tests/data/psad/signatures)
#    and with 10,000 generated rules (bench/gen-sigs.sh); the drop from the
#    first. Also with everything of section 5 off, for the cost of the ICMP
#    tables and fingerprints;
# 6. reputation lists (bench/rep-bench.c, linked with vigil's objects): load
#    time and ns per lookup for 10 to 1,000,000 networks;
# 7. flood shapes (gen -f / gen -F SHAPE): one dimension of the engine's memory
#    each (sources, destinations per source, pairs, ports, signatures), the
#    eviction case (a scan among 1x-4x spoofed DL 3 sources) and a sparse
#    table under a pair cap, at 1x, 2x and 4x BENCH_SHAPE_LINES: peak RSS, CPU
#    time and its ratio to 1x (linear: 2 and 4);
# 8. pathological lines ("IN=IN=IN=...", "IN=x IN=x ...", repeated keys) from
#    1 KiB to 1 MiB: MB/s per line length, flat when the parse is linear.
# 9. the NFLOG source's rate with zero loss (bench/nflog-rate.sh: network
#    namespaces, root; "n/a" without them).
# It is a measurement: it exits 0 whatever the figures, 1 only when a run fails.
set -eu

usage() {
	echo "usage: sh bench/run.sh VIGIL" >&2
	exit 2
}
[ $# -eq 1 ] || usage
VIGIL=$1
case $VIGIL in /*) ;; *) VIGIL=$(pwd)/$VIGIL ;; esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LINES=${BENCH_LINES:-4000000}
SOURCES=${BENCH_SOURCES:-5000}
SEED=${BENCH_SEED:-1}
FLOOD=${BENCH_FLOOD:-1000000}
RUNS=${BENCH_RUNS:-5}
FLOOD_RUNS=${BENCH_FLOOD_RUNS:-3}
PSAD_LINES=${BENCH_PSAD_LINES:-100000}
PSAD_RUNS=${BENCH_PSAD_RUNS:-2}
CPU=${BENCH_CPU:-1}
TIMEOUT=${BENCH_TIMEOUT:-600}
PSAD_TIMEOUT=${BENCH_PSAD_TIMEOUT:-300}
DIR=${BENCH_DIR:-$ROOT/build/bench}
SHAPE_LINES=${BENCH_SHAPE_LINES:-500000}
SHAPES=${BENCH_SHAPES:-sources dsts pairs ports sigs evict sparse}

# Targets.
T_LPS=2000000
T_MBS=500
T_RATIO=300
T_FLOOD_MIB=256
T_LINEAR=5 # the most CPU time 4x the input may take, in units of 1x's

START=$(date +%s)
if [ "$(date +%N)" = "N" ] || [ -z "$(date +%N)" ]; then
	echo "run.sh: date +%N is not supported (need GNU date)" >&2
	exit 1
fi
if [ ! -x "$VIGIL" ]; then
	echo "run.sh: $VIGIL: not an executable (build it first: make build/vigil)" >&2
	exit 1
fi
for t in cc awk sort gzip head timeout; do
	command -v "$t" > /dev/null 2>&1 || {
		echo "run.sh: $t is needed" >&2
		exit 1
	}
done

mkdir -p "$DIR"
W=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
FAILED=0

# Measure a private copy: the binary under test may be rebuilt while we run.
VIGIL_SRC=$VIGIL
cp "$VIGIL_SRC" "$W/vigil"
VIGIL=$W/vigil
VIGIL_ID=$( (sha1sum "$VIGIL" 2> /dev/null || cksum "$VIGIL") | awk '{print substr($1, 1, 12)}')

say() { printf '%s\n' "$*"; }

# ---- tools -------------------------------------------------------------------

PIN=""
NCPU=$(getconf _NPROCESSORS_ONLN 2> /dev/null || echo 1)
if command -v taskset > /dev/null 2>&1 && [ "$CPU" -lt "$NCPU" ]; then
	PIN="taskset -c $CPU"
fi

# Peak RSS: GNU time's %M, else getrusage(RUSAGE_CHILDREN) from python3, else none.
TIMEBIN=""
[ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$W/t" true 2> /dev/null && TIMEBIN=/usr/bin/time
PY=""
for p in /usr/bin/python3 python3; do
	if command -v "$p" > /dev/null 2>&1; then
		PY=$(command -v "$p")
		break
	fi
done
RUSAGE_PY='import resource, subprocess, sys
r = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(r if r >= 0 else 128 - r)'

JQ=""
command -v jq > /dev/null 2>&1 && JQ=jq

# measure OUT TIMEOUT CMD... : runs CMD pinned, stdout to OUT, stderr to $W/err.
# Sets T_NS (wall, ns), RSS_KB (peak, KiB, or "" if unknown), RC.
measure() {
	m_out=$1
	m_to=$2
	shift 2
	rm -f "$W/rss"
	m_t0=$(date +%s%N)
	set +e
	if [ -n "$TIMEBIN" ]; then
		# shellcheck disable=SC2086
		timeout -k 10 "$m_to" $PIN "$TIMEBIN" -f %M -o "$W/rss" "$@" > "$m_out" 2> "$W/err"
	elif [ -n "$PY" ]; then
		# shellcheck disable=SC2086
		timeout -k 10 "$m_to" $PIN "$PY" -c "$RUSAGE_PY" "$W/rss" "$@" > "$m_out" 2> "$W/err"
	else
		# shellcheck disable=SC2086
		timeout -k 10 "$m_to" $PIN "$@" > "$m_out" 2> "$W/err"
	fi
	RC=$?
	set -e
	m_t1=$(date +%s%N)
	T_NS=$((m_t1 - m_t0))
	RSS_KB=""
	[ -s "$W/rss" ] && RSS_KB=$(tail -n 1 "$W/rss" | tr -cd 0-9)
	return 0
}

# median FILE (one number per line); max FILE
median() { sort -n "$1" | awk '{a[NR]=$1} END{if(NR==0){print ""}else if(NR%2){print a[(NR+1)/2]}else{print (a[NR/2]+a[NR/2+1])/2}}'; }
maxof() { sort -n "$1" | tail -n 1; }
minof() { sort -n "$1" | head -n 1; }
secs() { awk -v n="$1" 'BEGIN{printf "%.3f", n/1e9}'; }
mib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN{printf "%.1f MiB", k/1024}' || printf 'n/a'; }
human_lps() { awk -v v="$1" 'BEGIN{ if (v>=1e6) printf "%.2f Mlines/s", v/1e6; else if (v>=1e3) printf "%.1f klines/s", v/1e3; else printf "%.0f lines/s", v }'; }
fsize() { wc -c < "$1" | tr -d ' '; }

# fail WHAT: report a failed run (stderr shown), remember it, go on.
fail() {
	say "  FAILED: $1 (exit $RC)"
	sed -n '1,10p' "$W/err" | sed 's/^/    | /'
	FAILED=1
}

# ---- the logs (cached under $DIR, keyed by generator source and parameters) ---

GEN="$DIR/gen"
SUM=$(cksum < "$ROOT/bench/gen.c" | awk '{print $1}')
if [ ! -x "$GEN" ] || [ "$(cat "$DIR/gen.sum" 2> /dev/null)" != "$SUM" ]; then
	say "building the generator: cc -O2 bench/gen.c"
	cc -O2 -std=c11 -D_GNU_SOURCE -o "$GEN" "$ROOT/bench/gen.c" -lm
	rm -f "$DIR"/*.log "$DIR"/*.log.gz
	echo "$SUM" > "$DIR/gen.sum"
fi

LOG="$DIR/mixed-$LINES-$SOURCES-s$SEED.log"
FLOODLOG="$DIR/flood-$FLOOD-s$SEED.log"
GZ="$LOG.gz"
PSADLOG="$DIR/mixed-$LINES-$SOURCES-s$SEED.head$PSAD_LINES.log"

if [ ! -s "$LOG" ]; then
	say "generating $LOG"
	"$GEN" -n "$LINES" -S "$SOURCES" -s "$SEED" -o "$LOG.tmp"
	mv "$LOG.tmp" "$LOG"
fi
if [ ! -s "$FLOODLOG" ]; then
	say "generating $FLOODLOG"
	"$GEN" -f -n "$FLOOD" -s "$SEED" -o "$FLOODLOG.tmp"
	mv "$FLOODLOG.tmp" "$FLOODLOG"
fi
if [ ! -s "$GZ" ]; then
	say "compressing $GZ (gzip -6)"
	gzip -6 -c "$LOG" > "$GZ.tmp"
	mv "$GZ.tmp" "$GZ"
fi
if [ ! -s "$PSADLOG" ]; then
	head -n "$PSAD_LINES" "$LOG" > "$PSADLOG.tmp"
	mv "$PSADLOG.tmp" "$PSADLOG"
fi

NLINES=$(wc -l < "$LOG" | tr -d ' ')
BYTES=$(fsize "$LOG")
GZBYTES=$(fsize "$GZ")
FLINES=$(wc -l < "$FLOODLOG" | tr -d ' ')
PLINES=$(wc -l < "$PSADLOG" | tr -d ' ')

say ""
say "vigil benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')"
say "  machine: $NCPU cores ($(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo 2> /dev/null)), $(uname -sr)"
say "  vigil:   $VIGIL_SRC ($("$VIGIL" --version 2> /dev/null | head -n 1 || echo 'no --version'), sha1 $VIGIL_ID, run from a copy)"
if [ -n "$TIMEBIN" ]; then RSSVIA="GNU time %M"; elif [ -n "$PY" ]; then RSSVIA="python3 getrusage"; else RSSVIA="nothing (n/a)"; fi
say "  pinning: ${PIN:-none}; peak RSS via $RSSVIA"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo '?')
say "  load:    $LOAD0 (1/5/15-min load averages at start; above ~0.5 the figures are noisy)"
say "  log:     $NLINES lines, $(awk -v b="$BYTES" 'BEGIN{printf "%.2f GB", b/1e9}'), $SOURCES sources, seed $SEED"
say ""

# input_counts JSONFILE: "lines=.. events=.. ignored=.. malformed=.."
input_counts() {
	if [ -n "$JQ" ] && $JQ -e . "$1" > /dev/null 2>&1; then
		$JQ -r '.input | "lines=\(.lines) events=\(.events) ignored=\(.ignored) malformed=\(.malformed)"' "$1" 2> /dev/null || echo "(no input object)"
	else
		echo "(output is not JSON, or jq is missing)"
	fi
}

# ---- 1. the main log ---------------------------------------------------------

# run_series NAME COUNT FIRST_OUT FILE [OPTION...]: COUNT timed runs of
# `vigil analyze --json [OPTION...] FILE`; the first run's JSON goes to
# FIRST_OUT, times (ns) to $W/t.NAME, peak RSS (KB) to $W/r.NAME. Leaves RC
# non-zero on a failed run.
run_series() {
	name=$1 count=$2 first=$3 file=$4
	shift 4
	: > "$W/t.$name"
	: > "$W/r.$name"
	i=1
	while [ "$i" -le "$count" ]; do
		if [ "$i" -eq 1 ]; then o=$first; else o=/dev/null; fi
		measure "$o" "$TIMEOUT" "$VIGIL" analyze --json "$@" "$file"
		if [ "$RC" -ne 0 ]; then
			fail "$name run $i"
			return
		fi
		echo "$T_NS" >> "$W/t.$name"
		[ -n "$RSS_KB" ] && echo "$RSS_KB" >> "$W/r.$name"
		say "  run $i: $(secs "$T_NS") s, peak RSS $(mib "$RSS_KB")"
		i=$((i + 1))
	done
}

say "[1] vigil analyze --json $(basename "$LOG"), $RUNS runs"
measure "$W/main.json" "$TIMEOUT" "$VIGIL" analyze --json "$LOG"
V_OK=0
if [ "$RC" -ne 0 ]; then
	fail "warm-up run"
else
	say "  warm-up: $(secs "$T_NS") s; input: $(input_counts "$W/main.json")"
	if [ -n "$JQ" ]; then
		got=$($JQ -r '.input.lines // empty' "$W/main.json" 2> /dev/null || true)
		[ -n "$got" ] && [ "$got" != "$NLINES" ] && say "  WARNING: vigil counted $got lines, the file has $NLINES"
		mal=$($JQ -r '.input.malformed // 0' "$W/main.json" 2> /dev/null || echo 0)
		[ "$mal" != 0 ] && say "  WARNING: $mal generated lines were malformed to vigil"
		say "  sources reported: $($JQ -r '.sources | length' "$W/main.json" 2> /dev/null || echo '?')"
	fi
	run_series main "$RUNS" /dev/null "$LOG"
	[ "$RC" -eq 0 ] && V_OK=1
fi
if [ "$V_OK" = 1 ]; then
	V_MED=$(median "$W/t.main")
	V_LPS=$(awk -v n="$NLINES" -v t="$V_MED" 'BEGIN{printf "%.0f", n/(t/1e9)}')
	V_MBS=$(awk -v b="$BYTES" -v t="$V_MED" 'BEGIN{printf "%.0f", b/1e6/(t/1e9)}')
	V_RSS=$(maxof "$W/r.main")
	say "  median $(secs "$V_MED") s (min $(secs "$(minof "$W/t.main")"), max $(secs "$(maxof "$W/t.main")"))"
fi
say ""

# ---- 2. the flood ------------------------------------------------------------

say "[2] flood: vigil analyze --json $(basename "$FLOODLOG") ($FLINES distinct sources), $FLOOD_RUNS runs"
F_OK=0
run_series flood "$FLOOD_RUNS" "$W/flood.json" "$FLOODLOG"
if [ "$RC" -eq 0 ]; then
	F_OK=1
	F_MED=$(median "$W/t.flood")
	F_RSS=$(maxof "$W/r.flood")
	say "  input: $(input_counts "$W/flood.json")"
	if [ -n "$JQ" ]; then
		F_LIMITS=$($JQ -c '.limits // empty' "$W/flood.json" 2> /dev/null || true)
		say "  limits: ${F_LIMITS:-(no \"limits\" object in the JSON)}"
		say "  sources reported: $($JQ -r '.sources | length' "$W/flood.json" 2> /dev/null || echo '?')"
	fi
fi
say ""

# ---- 3. psad -----------------------------------------------------------------

P_OK=0
PSAD=$(command -v psad 2> /dev/null || true)
[ -z "$PSAD" ] && [ -x /usr/sbin/psad ] && PSAD=/usr/sbin/psad
if [ -n "$PSAD" ] && [ -r /etc/psad/psad.conf ]; then
	say "[3] psad -A on the first $PLINES lines, $PSAD_RUNS runs (timeout ${PSAD_TIMEOUT}s each)"
	: > "$W/t.psad"
	i=1
	while [ "$i" -le "$PSAD_RUNS" ]; do
		# A private config per run (psad-behaviour.md, Appendix): nothing touches the system.
		P=$W/psad$i
		mkdir -p "$P/log" "$P/run" "$P/lib"
		sed -e 's|^HOSTNAME .*|HOSTNAME vigil-test;|' \
			-e 's|^ALERTING_METHODS .*|ALERTING_METHODS noemail,nosyslog;|' \
			-e 's|^ENABLE_WHOIS_LOOKUPS .*|ENABLE_WHOIS_LOOKUPS N;|' \
			-e 's|^ENABLE_DNS_LOOKUPS .*|ENABLE_DNS_LOOKUPS N;|' \
			-e "s|^PSAD_DIR .*|PSAD_DIR $P/log;|" -e "s|^PSAD_RUN_DIR .*|PSAD_RUN_DIR $P/run;|" \
			-e "s|^PSAD_FIFO_DIR .*|PSAD_FIFO_DIR $P/lib;|" /etc/psad/psad.conf > "$P/psad.conf"
		measure "$P/out" "$PSAD_TIMEOUT" "$PSAD" -A -m "$PSADLOG" -c "$P/psad.conf"
		if [ "$RC" -ne 0 ]; then
			say "  psad run $i failed (exit $RC; 124 = timed out); psad figures skipped"
			sed -n '1,5p' "$W/err" | sed 's/^/    | /'
			break
		fi
		echo "$T_NS" >> "$W/t.psad"
		say "  run $i: $(secs "$T_NS") s, peak RSS $(mib "$RSS_KB")  ($(grep -m 1 'Found' "$P/out" | sed 's/^\[+\] //' || true))"
		rm -rf "$P"
		i=$((i + 1))
	done
	if [ "$RC" -eq 0 ]; then
		P_OK=1
		P_MED=$(median "$W/t.psad")
		P_LPS=$(awk -v n="$PLINES" -v t="$P_MED" 'BEGIN{printf "%.0f", n/(t/1e9)}')
		# vigil on the very same lines, for a same-input comparison.
		: > "$W/t.vsame"
		i=1
		while [ "$i" -le "$RUNS" ]; do
			measure /dev/null "$TIMEOUT" "$VIGIL" analyze --json "$PSADLOG"
			if [ "$RC" -ne 0 ]; then
				fail "vigil on the psad lines, run $i"
				break
			fi
			echo "$T_NS" >> "$W/t.vsame"
			i=$((i + 1))
		done
		[ -s "$W/t.vsame" ] && VS_MED=$(median "$W/t.vsame")
	fi
else
	say "[3] psad is not installed: no comparison"
fi
say ""

# ---- 4. gzip'd ---------------------------------------------------------------

say "[4] vigil analyze --json $(basename "$GZ") ($(awk -v b="$GZBYTES" 'BEGIN{printf "%.0f MB", b/1e6}') compressed), $RUNS runs"
G_OK=0
run_series gz "$RUNS" "$W/gz.json" "$GZ"
if [ "$RC" -eq 0 ]; then
	G_OK=1
	G_MED=$(median "$W/t.gz")
	G_LPS=$(awk -v n="$NLINES" -v t="$G_MED" 'BEGIN{printf "%.0f", n/(t/1e9)}')
	G_MBS=$(awk -v b="$BYTES" -v t="$G_MED" 'BEGIN{printf "%.0f", b/1e6/(t/1e9)}')
	say "  input: $(input_counts "$W/gz.json")"
	if [ -n "$JQ" ] && [ "$V_OK" = 1 ] && ! cmp -s "$W/main.json" "$W/gz.json"; then
		say "  NOTE: the report differs from the plain log's (file names or times may legitimately differ)"
	fi
fi
say ""

# ---- 5. signatures ------------------------------------------------------------

SIGS10K="$DIR/sigs-10000"
if [ ! -s "$SIGS10K" ] || [ "$ROOT/bench/gen-sigs.sh" -nt "$SIGS10K" ]; then
	sh "$ROOT/bench/gen-sigs.sh" 10000 > "$SIGS10K.tmp"
	mv "$SIGS10K.tmp" "$SIGS10K"
fi
say "[5] signature matching on $(basename "$LOG"), $RUNS runs each"
S_OK=1
say "  no signatures, ICMP tables or OS fingerprints (--no-signatures --no-icmp-types --no-os-guess):"
run_series bare "$RUNS" /dev/null "$LOG" --no-signatures --no-icmp-types --no-os-guess
[ "$RC" -eq 0 ] || S_OK=0
say "  no signatures (--no-signatures):"
run_series nosig "$RUNS" /dev/null "$LOG" --no-signatures
[ "$RC" -eq 0 ] || S_OK=0
say "  psad's signatures (tests/data/psad/signatures, 206 rules):"
run_series psadsig "$RUNS" "$W/psadsig.json" "$LOG" --signatures "$ROOT/tests/data/psad/signatures"
[ "$RC" -eq 0 ] || S_OK=0
say "  10,000 generated rules (bench/gen-sigs.sh):"
run_series sig10k "$RUNS" "$W/sig10k.json" "$LOG" --signatures "$SIGS10K"
[ "$RC" -eq 0 ] || S_OK=0
if [ "$S_OK" = 1 ]; then
	S_BARE=$(median "$W/t.bare")
	S_NOSIG=$(median "$W/t.nosig")
	S_PSAD=$(median "$W/t.psadsig")
	S_10K=$(median "$W/t.sig10k")
	if [ -n "$JQ" ]; then
		say "  matches with psad's set: $($JQ '[.sources[].signatures[]?.count] | add // 0' "$W/psadsig.json") over $($JQ '[.sources[] | select((.signatures | length) > 0)] | length' "$W/psadsig.json") sources; with 10,000 rules: $($JQ '[.sources[].signatures[]?.count] | add // 0' "$W/sig10k.json")"
	fi
fi
say ""

# ---- 6. reputation lists -----------------------------------------------------

say "[6] reputation lists: bench/rep-bench.c (load time, ns per lookup)"
R_OK=0
# the objects of the modules that exist now: build/ may still hold the .o of
# a module since removed, which would define its symbols twice
OBJS=$(for c in "$ROOT"/src/*/*.c; do
	case $c in *-test.c) continue ;; esac
	o=$ROOT/build/${c#"$ROOT"/}
	[ -f "${o%.c}.o" ] && echo "${o%.c}.o"
done; ls "$ROOT"/build/build-gen/*.o 2> /dev/null || true)
if [ -n "$OBJS" ] && cc -O2 -std=c11 -D_GNU_SOURCE -I"$ROOT/src" -o "$W/rep-bench" \
	"$ROOT/bench/rep-bench.c" $OBJS ${VIGIL_LIBS:--lz -llzma -lbz2 -lzstd} 2> "$W/err"; then
	measure "$W/rep.txt" "$TIMEOUT" "$W/rep-bench" "$SEED"
	if [ "$RC" -eq 0 ]; then
		R_OK=1
		sed 's/^/  /' "$W/rep.txt"
	else
		fail "rep-bench"
	fi
else
	RC=1
	fail "building rep-bench (needs the objects of make build/vigil)"
fi
say ""

# ---- 7. flood shapes -----------------------------------------------------------

# One log per shape and size, generated into $W and removed after its run (the
# largest is about 0.6 GB at the default size). Each is read once: peak RSS,
# wall and CPU (user + system) time. CPU time is the linearity figure: it moves
# less than wall time on a shared machine.
say "[7] flood shapes at $SHAPE_LINES, $((2 * SHAPE_LINES)), $((4 * SHAPE_LINES)) lines (1x, 2x, 4x): $SHAPES"
X_OK=0
X_RSS_MAX=0
X_LINEAR=1
X_KEPT=""
X_TABLE=$W/shapes.txt
: > "$X_TABLE"
# The rules the sigs and evict shapes need: a DL 2 rule per port 1..1024, and
# the DL 3 backdoor port the spoofed sources of "evict" hit.
awk 'BEGIN {
	for (p = 1; p <= 1024; p++)
		printf "alert tcp any any -> any %d (msg:\"bench port %d\"; flags:S,12; psad_id:%d; psad_dl:2;)\n", p, p, 400000 + p
}' > "$W/sigs-ports"
echo 'alert tcp any any -> any 31337 (msg:"BACKDOOR elite port, tcp/31337"; flags:S,12; psad_id:300069; psad_dl:3;)' > "$W/sigs-dl3"
# sparse: a pair cap the flood fills, then one source with room for 1M pairs
printf 'MAX_SCAN_IP_PAIRS 100000;\nMAX_DSTS_PER_SOURCE 1000000;\nMEMORY_LIMIT 4095G;\n' > "$W/sparse.conf"
if [ -z "$(echo $SHAPES)" ]; then
	say "  skipped: BENCH_SHAPES is empty"
elif [ -n "$TIMEBIN" ]; then
	printf '  %-8s %9s %8s %8s %10s %9s %10s %6s\n' shape lines "wall s" "cpu s" "peak RSS" evicted untracked "cpu/1x" | tee -a "$X_TABLE"
	for shape in $SHAPES; do
		c1=""
		for mult in 1 2 4; do
			n=$((SHAPE_LINES * mult))
			f=$W/shape-$shape-$n.log
			if [ "$shape" = sources ]; then
				"$GEN" -f -n "$n" -s "$SEED" -o "$f" 2> /dev/null
			else
				"$GEN" -F "$shape" -n "$n" -o "$f" 2> /dev/null
			fi
			set --
			case $shape in
			sigs) set -- --signatures "$W/sigs-ports" ;;
			evict) set -- --signatures "$W/sigs-dl3" ;;
			sparse) set -- --config "$W/sparse.conf" ;;
			esac
			t0=$(date +%s%N)
			set +e
			# shellcheck disable=SC2086
			timeout -k 10 "$TIMEOUT" $PIN "$TIMEBIN" -f '%M %U %S' -o "$W/xt" "$VIGIL" analyze --json "$@" "$f" > "$W/x.json" 2> "$W/err"
			RC=$?
			set -e
			t1=$(date +%s%N)
			rm -f "$f"
			if [ "$RC" -ne 0 ]; then
				fail "shape $shape, $n lines"
				X_LINEAR=0
				continue
			fi
			rss=$(tail -n 1 "$W/xt" | awk '{print $1}')
			cpu=$(tail -n 1 "$W/xt" | awk '{printf "%.2f", $2 + $3}')
			[ "$rss" -gt "$X_RSS_MAX" ] && X_RSS_MAX=$rss
			ev="?" un="?"
			if [ -n "$JQ" ]; then
				ev=$($JQ -r '.limits.sources_evicted' "$W/x.json" 2> /dev/null || echo '?')
				un=$($JQ -r '.limits.dsts_untracked' "$W/x.json" 2> /dev/null || echo '?')
				if [ "$shape" = evict ]; then
					k=$($JQ -r '[.sources[] | select(.src == "198.51.100.7")] | length' "$W/x.json" 2> /dev/null || echo 0)
					[ "$k" = 1 ] && X_KEPT="$X_KEPT ${mult}x:kept" || X_KEPT="$X_KEPT ${mult}x:LOST"
				fi
			fi
			[ -z "$c1" ] && c1=$cpu
			ratio=$(awk -v a="$cpu" -v b="$c1" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else printf "n/a" }')
			if [ "$mult" = 4 ] && awk -v r="$ratio" -v t="$T_LINEAR" 'BEGIN{exit !(r == "n/a" || r > t)}'; then
				X_LINEAR=0
			fi
			printf '  %-8s %9s %8s %8s %10s %9s %10s %6s\n' "$shape" "$n" "$(secs $((t1 - t0)))" "$cpu" "$(mib "$rss")" "$ev" "$un" "$ratio" | tee -a "$X_TABLE"
		done
	done
	X_OK=1
	[ -n "$X_KEPT" ] && say "  evict: the 100-port scan from 198.51.100.7 among the spoofed DL 3 sources:$X_KEPT"
else
	say "  skipped: needs GNU time (/usr/bin/time) for peak RSS and CPU time"
fi

# ---- 8. pathological lines: the record search is linear ----------------------
# Lines made of one unit repeated (bench/gen.c -P): "IN=IN=IN=..." (the record
# search's worst case: a candidate every 3 bytes, no space), "IN=x IN=x ..."
# (a candidate every 5 bytes, never followed by OUT=) and a record of
# repeated "SRC=..." keys. About 32 MiB per file, lines from 1 KiB to 1 MiB
# (MAX_LINE_LENGTH raised by a private config). Linear time: MB/s stays flat
# as the lines grow; a search that rescanned the tail per candidate would
# fall with the line length (measured before the fix: 103 s for 32 MiB of
# 1 MiB "IN=" lines).
say "[8] pathological lines: the record search (MB/s should not fall as lines grow)"
P_TOTAL=${BENCH_PATHO_BYTES:-33554432}
printf 'MAX_LINE_LENGTH 1048576;\n' > "$W/patho.conf"
PATHO_SUM=""
for shape in i s k; do
	row=""
	for len in 1024 8192 65536 1048576; do
		PLOG="$DIR/patho-$shape-$len.log"
		[ -s "$PLOG" ] || "$GEN" -P "$shape" -L "$len" -n "$P_TOTAL" -o "$PLOG"
		PB=$(fsize "$PLOG")
		: > "$W/pt"
		for i in 1 2 3; do
			measure "$W/patho.json" "$TIMEOUT" "$VIGIL" analyze --config "$W/patho.conf" --json "$PLOG"
			[ "$RC" -eq 0 ] || { fail "patho $shape $len"; break; }
			echo "$T_NS" >> "$W/pt"
		done
		PM=$(median "$W/pt")
		[ -n "$PM" ] || continue
		row="$row $(awk -v b="$PB" -v t="$PM" 'BEGIN{printf "%7.0f", b/1e6/(t/1e9)}')"
	done
	say "  shape $shape  MB/s at 1 KiB, 8 KiB, 64 KiB, 1 MiB lines:$row"
	PATHO_SUM="$PATHO_SUM
patho: shape $shape MB/s (1K 8K 64K 1M lines):$row"
done
say ""

say "[9] NFLOG source: packets/s decoded with zero loss (bench/nflog-rate.sh)"
NFLOG_SUM=""
if [ "${BENCH_NFLOG:-1}" = 1 ]; then
	BENCH_CPU=$CPU timeout "$TIMEOUT" sh "$ROOT/bench/nflog-rate.sh" "$VIGIL_SRC" > "$W/nflog.txt" 2>&1 || true
	sed 's/^/  /' "$W/nflog.txt"
	NFLOG_SUM=$(grep '^nflog: ' "$W/nflog.txt" | tail -n 1)
fi
say ""

# ---- summary -----------------------------------------------------------------

verdict() { # verdict OK(1/0) EXPR-with-v
	[ "$1" = 1 ] || {
		printf 'n/a'
		return
	}
	awk "BEGIN{ if ($2) printf \"PASS\"; else printf \"MISS\" }"
}

PINNED="not pinned"
[ -n "$PIN" ] && PINNED="pinned to cpu $CPU"
{
	say "==== summary ($(date -u '+%Y-%m-%d'), $NCPU cores, medians of $RUNS runs, $PINNED) ===="
	if [ "$V_OK" = 1 ]; then
		say "vigil: $NLINES lines, $(awk -v b="$BYTES" 'BEGIN{printf "%.2f GB", b/1e9}'), median $(awk -v t="$V_MED" 'BEGIN{printf "%.2f", t/1e9}') s, $(human_lps "$V_LPS"), $V_MBS MB/s, peak RSS $(mib "$V_RSS")"
		say "  lines/s >= 2,000,000:  $(verdict 1 "$V_LPS >= $T_LPS")"
		say "  MB/s    >= 500:        $(verdict 1 "$V_MBS >= $T_MBS")"
	else
		say "vigil: FAILED"
	fi
	if [ "$F_OK" = 1 ]; then
		say "flood: $FLINES lines, $FLINES distinct sources, median $(awk -v t="$F_MED" 'BEGIN{printf "%.2f", t/1e9}') s, peak RSS $(mib "$F_RSS")${F_LIMITS:+, limits $F_LIMITS}"
		if [ -n "$F_RSS" ]; then
			say "  peak RSS < 256 MiB:    $(verdict 1 "$F_RSS < $T_FLOOD_MIB * 1024")"
		else
			say "  peak RSS < 256 MiB:    n/a (no RSS measurement available)"
		fi
	else
		say "flood: FAILED"
	fi
	if [ "$P_OK" = 1 ]; then
		say "psad:  $PLINES lines, median $(awk -v t="$P_MED" 'BEGIN{printf "%.2f", t/1e9}') s, $(human_lps "$P_LPS") ($($PSAD -V 2> /dev/null | grep -o 'psad v[0-9.]*' | head -n 1 || true))"
		if [ "$V_OK" = 1 ]; then
			R=$(awk -v a="$V_LPS" -v b="$P_LPS" 'BEGIN{printf "%.0f", a/b}')
			say "ratio: ${R}x  (vigil lines/s on the full log / psad lines/s on its first $PLINES lines)"
			say "  ratio >= 300x:         $(verdict 1 "$R >= $T_RATIO")"
		fi
		if [ -n "${VS_MED:-}" ]; then
			say "  same $PLINES lines: vigil $(awk -v t="$VS_MED" 'BEGIN{printf "%.3f", t/1e9}') s vs psad $(awk -v t="$P_MED" 'BEGIN{printf "%.2f", t/1e9}') s = $(awk -v a="$P_MED" -v b="$VS_MED" 'BEGIN{printf "%.0f", a/b}')x (includes start-up)"
		fi
	else
		say "psad:  n/a"
	fi
	if [ "$G_OK" = 1 ]; then
		say "gzip:  $(awk -v b="$GZBYTES" 'BEGIN{printf "%.0f MB", b/1e6}') .gz, median $(awk -v t="$G_MED" 'BEGIN{printf "%.2f", t/1e9}') s, $(human_lps "$G_LPS"), $G_MBS MB/s uncompressed"
	else
		say "gzip:  FAILED"
	fi
	if [ "$S_OK" = 1 ]; then
		say "sigs:  without signatures, ICMP tables and fingerprints median $(awk -v t="$S_BARE" 'BEGIN{printf "%.2f", t/1e9}') s; ICMP tables and fingerprints cost $(awk -v a="$S_BARE" -v b="$S_NOSIG" 'BEGIN{printf "%.1f%%", (1 - a/b) * 100}')"
		for pair in "default set:$V_MED" "psad's 206 rules:$S_PSAD" "10,000 rules:$S_10K"; do
			label=${pair%%:*} t=${pair#*:}
			[ -n "$t" ] || continue
			say "sigs:  $label median $(awk -v t="$t" 'BEGIN{printf "%.2f", t/1e9}') s, $(human_lps "$(awk -v n="$NLINES" -v t="$t" 'BEGIN{printf "%.0f", n/(t/1e9)}')"), $(awk -v a="$S_NOSIG" -v b="$t" 'BEGIN{printf "%.1f%%", (1 - a/b) * 100}') slower than without signatures ($(awk -v t="$S_NOSIG" 'BEGIN{printf "%.2f", t/1e9}') s)"
			say "  drop <= 20%:           $(verdict 1 "$S_NOSIG / $t >= 0.8")"
		done
	else
		say "sigs:  FAILED"
	fi
	if [ "$R_OK" = 1 ]; then
		say "rep:   $(grep -E '^ *100000 ' "$W/rep.txt" | awk '{printf "100,000 networks load in %s ms", $4}'); $(tail -n 1 "$W/rep.txt")"
	fi
	if [ "$X_OK" = 1 ]; then
		say "shapes: $SHAPES at ${SHAPE_LINES}-$((4 * SHAPE_LINES)) lines, peak RSS $(mib "$X_RSS_MAX") at most${X_KEPT:+; evict:$X_KEPT}"
		say "  peak RSS < 256 MiB:    $(verdict 1 "$X_RSS_MAX < $T_FLOOD_MIB * 1024")"
		say "  cpu 4x/1x <= $T_LINEAR:        $(verdict 1 "$X_LINEAR == 1")"
		sed 's/^/       /' "$X_TABLE"
	fi
	[ -n "$PATHO_SUM" ] && say "${PATHO_SUM#?}"
	[ -n "$NFLOG_SUM" ] && say "$NFLOG_SUM"
	say "load averages: $LOAD0 at start, $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo '?') at end"
	say "bench took $(($(date +%s) - START)) s"
} | tee "$DIR/summary.txt"

exit "$FAILED"
