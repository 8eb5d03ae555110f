#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/daemon.sh VIGIL - measure `vigil run` (make bench-daemon; root): the
# network and the private daemons of tests/daemon-lib.sh, vigil driven through
# its contract only (config keys, syslog line, status --json).
#
# 1. Alert latency: from the packet that crosses a threshold to the syslog
#    alert line. DANGER_LEVEL1 is 1, so a new source's second packet to
#    another port raises DL 1 (psad's gate: a port range of at least 1);
#    BENCH_TRIALS (200) sources each send two UDP datagrams (ports 9, 10), 20
#    ms apart, the second timestamped by the sender just before sendto(); the
#    kernel logs it in the same system call. The alert's time is when the syslog datagram
#    reaches the test's listener (what a log watcher sees). Median, p99 and
#    max, for kmsg (iptables LOG) and nflog (NFLOG), target: median < 10 ms,
#    p99 < 50 ms. Also from the JSON alert's own `time`.
# 2a. kmsg: BENCH_KRATES packets/s to a LOG rule: the rule's count, vigil's,
#    and the overruns vigil counted as lost (the kernel's ring overwrote
#    records before anyone read them): the rate where the ring, not vigil,
#    is the bottleneck.
# 2. Sustained NFLOG rate: bench/udpflood sends BENCH_RATES packets/s
#    (paced, sendmmsg) for BENCH_RATE_S seconds each to a NFLOG + DROP rule;
#    vigil's count for the source against the rule's counter, and `lost`.
#    Target: zero loss at 200,000/s.
# 3. Idle: voluntary + involuntary context switches of the idle daemon
#    over BENCH_IDLE_S (30) seconds (/proc/PID/status): wake-ups per second.
# 4. 100,000 sources (BENCH_SOURCES): bench/gen -f lines (each a distinct
#    source) appended to a followed file; time until status counts them all,
#    VmRSS and VmHWM, then SIGTERM (time to save and exit, state size) and a
#    restart (time until status answers with every source back).
# It measures: exits 0 whatever the figures, 1 when a step cannot run.
set -u
vigil=${1:?usage: sh bench/daemon.sh VIGIL}
case $vigil in /*) ;; *) vigil=$(pwd)/$vigil ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TRIALS=${BENCH_TRIALS:-200}
RATES=${BENCH_RATES:-50000 100000 200000 300000}
RATE_S=${BENCH_RATE_S:-3}
KRATES=${BENCH_KRATES:-5000 20000 50000 100000}
IDLE_S=${BENCH_IDLE_S:-30}
NSRC=${BENCH_SOURCES:-100000}
[ "$TRIALS" -le 200 ] || { echo "daemon.sh: BENCH_TRIALS is at most 200" >&2; exit 2; }

. "$ROOT/tests/lib.sh"
. "$ROOT/tests/daemon-lib.sh"
dl_init cc python3 ip iptables
dl_need_daemon
say() { echo "daemon.sh: $*"; }
fail_step() { echo "daemon.sh: $*" >&2; exit 1; }

cc -O2 -std=c11 -o "$tmp/udpflood" "$ROOT/bench/udpflood.c" || fail_step "cannot build udpflood"
cc -O2 -std=c11 -D_GNU_SOURCE -o "$tmp/gen" "$ROOT/bench/gen.c" -lm || fail_step "cannot build gen"
dl_netns_up || fail_step "namespaces"
dl_syslog_listen || fail_step "syslog listener"
echo "vigil: $vigil ($(sha1sum < "$vigil" | cut -c1-12)), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. latency
# trial sources: 198.18.R.10.. for kmsg, 198.19.R.10.. for nflog
ip -n "$NS_A" addr add "198.19.$R.254/24" dev "$VA" || fail_step "address"
i=0
while [ $i -lt "$TRIALS" ]; do
	echo "addr add 198.18.$R.$((10 + i))/32 dev $VA"
	echo "addr add 198.19.$R.$((10 + i))/32 dev $VA"
	i=$((i + 1))
done > "$tmp/addrs"
ip -n "$NS_A" -b "$tmp/addrs" || fail_step "trial addresses"
dl_ns_t iptables -w -A INPUT -s "198.18.$R.0/24" -d "$T4" -p udp --dport 9:10 -j LOG --log-prefix "$ID " || fail_step "LOG rule"
G=$((R + 100))
dl_ns_t iptables -w -A INPUT -s "198.19.$R.0/24" -d "$T4" -p udp --dport 9:10 -j NFLOG --nflog-group $G || fail_step "NFLOG rule"
dl_ns_t iptables -w -A INPUT -d "$T4" -p udp --dport 9:10 -j DROP

# trials NET: one datagram per source, "SRC SEND_TIME" lines in $tmp/sent.NET
trials() {
	dl_ns_a "$PY" -c '
import socket, sys, time
net, n, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(n):
    src = "%s.%d" % (net, 10 + i)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.sendto(b"", (dst, 9))
    t = time.time()
    s.sendto(b"", (dst, 10))
    print(src, "%.6f" % t, flush=True)
    s.close()
    time.sleep(0.02)
' "$1" "$TRIALS" "$T4" > "$tmp/sent.$1"
}

# latency LABEL NET NAME: the figures of one source's trials
latency() {
	"$PY" - "$tmp/sent.$2" "$tmp/syslog.out" "$tmp/$3/alerts.json" "$1" <<-'EOF'
	import datetime, json, sys
	sent = dict(l.split() for l in open(sys.argv[1]))
	got = {}
	for l in open(sys.argv[2], errors="replace"):
	    t, _, rest = l.partition(" ")
	    if "scan detected" not in rest: continue
	    w = rest.split(" -> ")[0].split()
	    src = w[-1] if w else ""
	    if src in sent and src not in got: got[src] = float(t)
	jt = {}
	for l in open(sys.argv[3], errors="replace"):
	    try: a = json.loads(l)
	    except ValueError: continue
	    s = a.get("src")
	    if s in sent and s not in jt:
	        try:
	            d = datetime.datetime.fromisoformat(a["time"].replace("Z", "+00:00"))
	            if d.tzinfo is None: d = d.astimezone()
	            jt[s] = d.timestamp()
	        except (KeyError, ValueError): pass
	def fig(name, m):
	    v = sorted((m[s] - float(sent[s])) * 1000 for s in m)
	    if not v:
	        print("  %-28s no alert for any of %d trials" % (name, len(sent))); return
	    med = v[len(v) // 2]; p99 = v[min(len(v) - 1, int(len(v) * 0.99))]
	    print("  %-28s median %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%d/%d alerted)  %s" % (name, med, p99, v[-1],
	          len(v), len(sent), "PASS" if med < 10 and p99 < 50 and len(v) == len(sent) else "MISS (median < 10, p99 < 50)"))
	fig(sys.argv[4] + " -> syslog line", got)
	fig(sys.argv[4] + " -> JSON alert's time", jt)
	EOF
}

# settle NAME ADDR WANT: status's packets for ADDR once it stops moving (20 s at most)
settle() {
	last=-1 k=0
	while [ $k -lt 200 ]; do
		cur=$(dl_src_packets "$1" "$2")
		[ "$cur" = "$3" ] && break
		[ "$cur" = "$last" ] && [ $k -gt 20 ] && break
		last=$cur k=$((k + 1))
		sleep 0.1
	done
	echo "$cur"
}
echo "1. alert latency, the packet that crosses DL 1 sent -> alert ($TRIALS trials each, DANGER_LEVEL1 1)"
DL1=1
dl_conf lk kmsg
if dl_vigil_start lk; then
	say "kmsg daemon ready in $VREADY_MS ms"
	trials "198.18.$R"
	sleep 1
	latency kmsg "198.18.$R" lk
	echo "2a. kmsg rate (bench/udpflood -> iptables LOG, $RATE_S s per rate): where the kernel's ring, not vigil, loses"
	dl_ns_t iptables -w -A INPUT -s "$A4" -d "$T4" -p udp --dport 2000:2999 -m comment --comment krate -j LOG --log-prefix "$ID "
	dl_ns_t iptables -w -A INPUT -s "$A4" -d "$T4" -p udp --dport 2000:2999 -j DROP
	for rate in $KRATES; do
		c0=$(dl_counter 4 krate) v0=$(dl_src_packets lk "$A4") l0=$(dl_sjq lk .input.lost)
		out=$(dl_ns_a "$tmp/udpflood" -d "$T4" -r "$rate" -t "$RATE_S" -p 2000 -n 1000)
		c1=$(dl_counter 4 krate)
		v1=$(settle lk "$A4" "$c1")
		l1=$(dl_sjq lk .input.lost)
		printf '  asked %6d/s: %s; the rule counted %d, vigil %d, lost (kmsg overruns) %s\n' "$rate" "${out#sent }" \
			"$((c1 - c0))" "$((v1 - v0))" "$((l1 - l0))"
	done
	dl_vigil_stop lk
else
	say "vigil (kmsg) did not start: $(tail -c 300 "$tmp/lk/err")"
fi

dl_conf ln "nflog:$G"
if ! dl_vigil_start ln "$NS_T"; then
	say "vigil (nflog) did not start, steps 1 (nflog), 2 and 3 skipped: $(tail -c 300 "$tmp/ln/err")"
else
say "nflog daemon ready in $VREADY_MS ms"
trials "198.19.$R"
sleep 1
latency nflog "198.19.$R" ln

# ---- 2. sustained NFLOG rate (the nflog daemon goes on)
dl_rule 4 nflog rate $G || fail_step "rate rule"
dl_ns_t iptables -w -A INPUT -s "$A4" -j DROP
echo "2. sustained NFLOG rate (bench/udpflood, $RATE_S s per rate, NFLOG then DROP)"
for rate in $RATES; do
	c0=$(dl_counter 4 rate) v0=$(dl_src_packets ln "$A4") l0=$(dl_sjq ln .input.lost)
	out=$(dl_ns_a "$tmp/udpflood" -d "$T4" -r "$rate" -t "$RATE_S" -p 1000 -n 1000)
	c1=$(dl_counter 4 rate)
	v1=$(settle ln "$A4" "$c1")
	l1=$(dl_sjq ln .input.lost)
	sent=$((c1 - c0)) seen=$((v1 - v0))
	printf '  asked %7d/s: %s; the rule counted %d, vigil %d, lost %s  %s\n' "$rate" "${out#sent }" \
		"$sent" "$seen" "$((l1 - l0))" "$([ "$seen" = "$sent" ] && [ "$l1" = "$l0" ] && echo "zero loss" || echo "LOSS")"
done

# ---- 3. idle
echo "3. idle wake-ups over $IDLE_S s (the nflog daemon, no traffic)"
eval "p=\$dl_vpid_ln"
cs() { awk '/^voluntary_ctxt_switches|^nonvoluntary_ctxt_switches/ { s += $2 } END { print s }' "/proc/$1/status"; }
sleep 1
w0=$(cs "$p")
sleep "$IDLE_S"
w1=$(cs "$p")
awk -v w=$((w1 - w0)) -v s="$IDLE_S" 'BEGIN { printf "  %d context switches in %d s: %.2f wake-ups/s\n", w, s, w / s }'
dl_vigil_stop ln
fi

# ---- 4. 100,000 sources: RSS, save, restore
echo "4. $NSRC tracked sources (gen -f lines appended to a followed file)"
"$tmp/gen" -f -n "$NSRC" -s 7 -o "$tmp/flood.log" 2> /dev/null || fail_step "gen -f"
: > "$tmp/follow.log"
dl_conf lf "file:$tmp/follow.log" "MAX_SOURCES $((NSRC * 2));" "MEMORY_LIMIT 2G;"
dl_vigil_start lf || fail_step "vigil (file) did not start: $(tail -c 300 "$tmp/lf/err")"
eval "p=\$dl_vpid_lf"
rss0=$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")
t0=$(now_ms)
cat "$tmp/flood.log" >> "$tmp/follow.log"
k=0
while [ $k -lt 600 ]; do
	dl_status lf > /dev/null 2>&1
	ev=$(jq '.input.events' "$tmp/lf/status.json" 2> /dev/null || echo 0)
	[ "${ev:-0}" -ge "$NSRC" ] && break
	k=$((k + 1))
	sleep 0.1
done
t1=$(now_ms)
dl_status lf
n=$(jq '.sources_tracked // (.sources | length)' "$tmp/lf/status.json")
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$p/status")
echo "  read $ev events in $((t1 - t0)) ms ($((ev * 1000 / (t1 - t0 + 1))) lines/s); status lists $n sources"
echo "  RSS idle $((rss0 / 1024)) MiB; with the sources $((rss / 1024)) MiB (peak $((hwm / 1024)) MiB): $(((rss - rss0) * 1024 / (n + 1))) bytes per source"
ts=$(now_ms)
dl_vigil_stop lf
rc=$?
te=$(now_ms)
sz=$(du -sk "$tmp/lf/state" | cut -f1)
echo "  SIGTERM -> exit (save): $((te - ts)) ms, exit status $rc, STATE_DIR $sz KiB"
ts=$(now_ms)
dl_vigil_start lf || fail_step "vigil (file) did not restart"
te=$(now_ms)
dl_status lf
n2=$(jq '.sources_tracked // (.sources | length)' "$tmp/lf/status.json")
echo "  start -> status answers (restore): $((te - ts)) ms; $n2 of $n sources back"
dl_vigil_stop lf
exit 0
