#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/nflog-rate.sh VIGIL - the NFLOG source's sustained rate with zero
# loss (issue 10: at least 200,000 packets/s on one core).
#
# Two network namespaces made here (vh5-*, a veth pair on 198.18.8.0/24),
# an iptables NFLOG rule on the receiver's INPUT; the receiver is
# source-dump (release build, beside VIGIL) reading nflog:GROUP with the
# default 8 MiB receive buffer, pinned to one CPU (BENCH_CPU, default 1);
# the sender is bench/nflog-send.c (raw socket, sendmmsg, paced) pinned to
# another (BENCH_SEND_CPU, default 0). For each offered rate of
# NFLOG_RATES (packets/s) it sends NFLOG_SECONDS worth of SYNs and checks
# the receiver decoded every one the rule logged (records = rule counter,
# lost = 0). Then one unpaced run: what the sender can offer, and what
# the source decoded. Last, the source's own capacity: the sender fills a
# 256 MiB receive buffer while the source sleeps, then the source drains
# it flat out on its one CPU (records / time from first to last). Prints
# one line per step and, last, the summary:
#   nflog: decodes D pkt/s on one CPU (...); zero loss end to end up to R pkt/s ...
# It is a measurement: exit 0 whatever the figures, 1 if it cannot run
# (not root, no netns, no NFLOG), with the reason.
set -u
VIGIL=${1:?usage: nflog-rate.sh VIGIL}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DUMP=$(cd "$(dirname "$VIGIL")" && pwd)/source-dump
RATES=${NFLOG_RATES:-50000 100000 200000 300000 400000 600000}
SECS=${NFLOG_SECONDS:-1}
CPU=${BENCH_CPU:-1}
SCPU=${BENCH_SEND_CPU:-0}

die() { echo "nflog-rate: $*" >&2; echo "nflog: n/a ($*)"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, NFLOG)"
[ -x "$DUMP" ] || die "$DUMP missing (make build/source-dump)"
for t in ip iptables taskset cc; do command -v $t >/dev/null 2>&1 || die "$t missing"; done
[ "$(nproc)" -ge 2 ] || { CPU=0; SCPU=0; }

W=$(mktemp -d "${TMPDIR:-/tmp}/vigil-nflog.XXXXXX")
R=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
A=vh5-ra$R B=vh5-rb$R VA=vh5ra$R VB=vh5rb$R G=$((2000 + R % 1000))
cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cc -O2 -std=c11 -D_GNU_SOURCE -o "$W/send" "$ROOT/bench/nflog-send.c" || die "cannot build nflog-send"
ip netns add "$A" && ip netns add "$B" || die "cannot create network namespaces"
ip link add "$VA" type veth peer name "$VB" || die "no veth"
ip link set "$VA" netns "$A"
ip link set "$VB" netns "$B"
ip -n "$A" addr add 198.18.8.1/24 dev "$VA"
ip -n "$B" addr add 198.18.8.2/24 dev "$VB"
ip -n "$A" link set "$VA" up
ip -n "$B" link set "$VB" up
# the receiver answers nothing (RSTs would double the sender's work)
ip netns exec "$B" iptables -A INPUT -s 198.18.8.1 -p tcp -j NFLOG --nflog-group "$G" ||
	die "no NFLOG target"
ip netns exec "$B" iptables -A INPUT -s 198.18.8.1 -p tcp -j DROP
ip netns exec "$A" ping -c 1 198.18.8.2 >/dev/null 2>&1 # ARP, if ping exists

counter() {
	ip netns exec "$B" iptables -vxnL INPUT | awk '/NFLOG/ { print $1; exit }'
}

# run RATE COUNT [DUMP-OPTIONS] -> "logged records lost seconds_sent seconds_decoding"
run() {
	ip netns exec "$B" iptables -Z INPUT
	ip netns exec "$B" taskset -c "$CPU" "$DUMP" -q -t 1 ${3:-} "nflog:$G" > "$W/rx" 2> "$W/rx.err" &
	pid=$!
	for _ in $(seq 50); do grep -q ready "$W/rx.err" && break; sleep 0.1; done
	ip netns exec "$A" taskset -c "$SCPU" "$W/send" 198.18.8.1 198.18.8.2 "$2" "$1" > "$W/tx"
	wait $pid
	logged=$(counter)
	rec=$(sed -n 's/^counters records=\([0-9]*\) .*/\1/p' "$W/rx")
	lost=$(sed -n 's/^counters .* lost=\([0-9]*\) .*/\1/p' "$W/rx")
	dsecs=$(sed -n 's/^rate records=[0-9]* seconds=\([0-9.]*\)/\1/p' "$W/rx")
	ssecs=$(awk '{ print $4 }' "$W/tx")
	echo "${logged:-0} ${rec:-0} ${lost:-0} ${ssecs:-0} ${dsecs:-0}"
}

best=0
echo "nflog-rate: receiver on CPU $CPU, sender on CPU $SCPU, $SECS s per rate"
for rate in $RATES; do
	count=$(awk -v r="$rate" -v s="$SECS" 'BEGIN { printf "%d", r * s }')
	set -- $(run "$rate" "$count")
	achieved=$(awk -v n="$1" -v s="$4" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
	verdict=ok
	if [ "$2" -ne "$1" ] || [ "$3" -ne 0 ] || [ "$1" -lt "$count" ]; then verdict=LOSS; fi
	echo "nflog-rate: offered $rate pkt/s ($count): logged $1 at $achieved pkt/s, decoded $2, lost $3 -> $verdict"
	if [ "$verdict" = ok ] && [ "$achieved" -gt "$best" ]; then best=$achieved; fi
done
count=$(awk -v s="$SECS" 'BEGIN { printf "%d", 1000000 * s }')
set -- $(run 0 "$count")
offered=$(awk -v n="$1" -v s="$4" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
decoded=$(awk -v n="$2" -v s="$5" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
echo "nflog-rate: unpaced: logged $1 at $offered pkt/s, decoded $2 at $decoded pkt/s, lost $3"
ulost=$3 ulogged=$1
# The source's own capacity: the sender fills a 256 MiB receive buffer
# while the source sleeps, then the source drains it flat out on its CPU.
dcount=${NFLOG_DRAIN:-200000}
set -- $(run 0 "$dcount" "-d $(awk -v n="$dcount" 'BEGIN { printf "%d", n / 40000 + 2 }') -b 268435456")
drain=$(awk -v n="$2" -v s="$5" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
echo "nflog-rate: drain: $2 of $1 queued packets decoded at $drain pkt/s on one CPU, lost $3"
echo "nflog: decodes $drain pkt/s on one CPU (drain of $2 queued, lost $3); zero loss end to end up to $best pkt/s offered here (the sender's CPU, which runs the kernel's NFLOG path, is the limit: unpaced $offered offered, $decoded decoded/s, lost $ulost of $ulogged)"
