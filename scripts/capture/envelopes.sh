#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# envelopes.sh [OUTDIR] - real output of the tools that wrap kernel firewall
# records, with forged records beside them, for tests/envelope.sh.
#
#   sudo sh scripts/capture/envelopes.sh        # about 15 s; rewrites tests/data/envelope/
#
# A private network namespace (loopback only) logs 11 SYNs with nftables'
# log statement: 5 with prefix "DROP ", 3 with the several-word prefix
# "iptables denied: ", and 3 identical ones (hping3: same ID, source port,
# window; rsyslog 8.2302 did not fold these imkmsg records in our runs).
# Beside them an unprivileged user (nobody) forges kernel records the ways
# one can: a raw "<4>kernel: ..." datagram to the syslog socket (facility
# kern: rsyslog keeps it), what logger -t kernel / syslog(3) send (facility
# user; three alike, which rsyslog folds into "message repeated 2 times"),
# and, into the journal, the same datagram and a native entry claiming
# SYSLOG_IDENTIFIER=kernel SYSLOG_FACILITY=0.
#
# Readers, started before the first record (like scripts/capture.sh):
#   - a private systemd-journald (own mount and UTS namespace, volatile storage
#     in the work dir, hostname fw1) reading /dev/kmsg and its own sockets;
#     journalctl prints -o json, export, short, short-unix, short-full,
#     short-monotonic: real journalctl output;
#   - a private rsyslogd (imkmsg, imuxsock on a private socket) writing
#     RSYSLOG_TraditionalFileFormat, DShield's epoch-second form, the template
#     README recommends (<PRI>, RFC 3339 time, kern facility kept for the
#     kernel's own input only); RepeatedMsgReduction on, as Debian's default;
#   - dmesg and dmesg -T afterwards.
# Each output is cut at marker records ("$TAG begin"/"$TAG end", written to
# /dev/kmsg) and checked against the number of records the kernel logged.
# Everything is bounded (hping3 -c, timeout); an EXIT trap stops, by pid,
# every process the script started, deletes the namespace and restores
# net.netfilter.nf_log_all_netns.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/tests/data/envelope}
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
for c in ip nft hping3 rsyslogd journalctl dmesg logger unshare nsenter setpriv timeout $PY; do
	command -v "$c" >/dev/null || { echo "envelopes.sh: missing $c" >&2; exit 1; }
done
[ -x /lib/systemd/systemd-journald ] || { echo "envelopes.sh: missing systemd-journald" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "envelopes.sh: run as root (namespaces, nftables)" >&2; exit 1; }

ID=$$
TAG="vigil-envelopes-$ID-$(date +%s)"
NS=${NS_NAME:-vge$ID}
WORK=$(mktemp -d /tmp/vigil-envelopes.XXXXXX)
OLD_LOG_ALL=$(cat /proc/sys/net/netfilter/nf_log_all_netns)
RSYSLOG_PID=""
JOURNAL_PID=""

log() { echo "envelopes.sh: $*" >&2; }
stop_pid() {
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
cleanup() {
	rc=$?
	set +e
	[ -n "$RSYSLOG_PID" ] && stop_pid "$RSYSLOG_PID"
	[ -n "$JOURNAL_PID" ] && stop_pid "$JOURNAL_PID"
	ip netns del "$NS" 2>/dev/null
	echo "$OLD_LOG_ALL" > /proc/sys/net/netfilter/nf_log_all_netns
	if [ "${KEEP_WORK:-0}" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
	[ $rc -ne 0 ] && log "FAILED (exit $rc)"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
mark() { echo "$TAG $1" > /dev/kmsg; }
N() { timeout 30 ip netns exec "$NS" "$@"; }
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# ---------------------------------------------------------------- namespace
ip netns add "$NS"
ip -n "$NS" link set lo up
N nft -f - <<NFT
table inet vigil_envelopes {
	chain input {
		type filter hook input priority 0; policy accept;
		iifname "lo" tcp dport 2000-2004 tcp flags syn log prefix "DROP " drop
		iifname "lo" tcp dport 3000-3002 tcp flags syn log prefix "iptables denied: " drop
		iifname "lo" tcp dport 4000 tcp flags syn log prefix "DROP " drop
	}
}
NFT

# ---------------------------------------------------------------- readers
mkdir -p "$WORK/journal" "$WORK/rsyslog"
chmod 755 "$WORK"
cat > "$WORK/rsyslog.conf" <<RS
global(workDirectory="$WORK/rsyslog" localHostname="fw1")
# as in Debian's and Ubuntu's rsyslog.conf; it holds for every action
\$RepeatedMsgReduction on
module(load="imkmsg")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$WORK/log.sock")
template(name="DShield" type="string"
	 string="%timegenerated:::date-unixtimestamp% %HOSTNAME% %syslogtag%%msg%\n")
template(name="VigilPri" type="string"
	 string="<%PRI%>%TIMESTAMP:::date-rfc3339% %HOSTNAME% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n")
if not (\$msg contains "IN=lo " or \$msg contains "$TAG") then stop
action(type="omfile" file="$WORK/rs-traditional.log" template="RSYSLOG_TraditionalFileFormat")
action(type="omfile" file="$WORK/rs-dshield.log" template="DShield")
# README's configuration: facility kern only from the kernel's own input
if \$syslogfacility-text == "kern" and \$inputname != "imkmsg" and \$inputname != "imklog" then stop
action(type="omfile" file="$WORK/rs-pri.log" template="VigilPri")
RS
timeout 300 rsyslogd -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog.pid" >"$WORK/rsyslog.out" 2>&1 &
RSYSLOG_PID=$!

unshare -m -u sh -c "
	mount --make-rprivate /
	mount -t tmpfs tmpfs /run/systemd 2>/dev/null || { mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd; }
	mkdir -p /run/systemd/journal /run/systemd/journald.conf.d /run/log/journal
	mount --bind '$WORK/journal' /run/log/journal
	printf '[Journal]\nStorage=volatile\nRateLimitBurst=0\nForwardToSyslog=no\nForwardToWall=no\n' > /run/systemd/journald.conf.d/vigil.conf
	hostname fw1
	exec timeout 300 /lib/systemd/systemd-journald" >"$WORK/journald.out" 2>&1 &
JOURNAL_PID=$!

i=0
while [ ! -S "$WORK/log.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$WORK/log.sock" ] || { log "rsyslogd did not start"; cat "$WORK/rsyslog.out" >&2; exit 1; }
chmod 666 "$WORK/log.sock"
mark "readers-ready"
i=0
while ! journalctl -D "$WORK/journal" -q -o cat 2>/dev/null | grep -q "$TAG readers-ready" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
journalctl -D "$WORK/journal" -q -o cat | grep -q "$TAG readers-ready" || { log "journald is not writing"; cat "$WORK/journald.out" >&2; exit 1; }
JPID=$(pgrep -P "$JOURNAL_PID" -x systemd-journal || pgrep -P "$JOURNAL_PID" || echo "$JOURNAL_PID")
i=0
while ! nsenter -t "$JPID" -m test -S /run/systemd/journal/dev-log && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

# ---------------------------------------------------------------- records
echo 1 > /proc/sys/net/netfilter/nf_log_all_netns
mark "begin"
sleep 0.5
N hping3 -q -S -p ++2000 -c 5 -i u100000 127.0.0.1 >"$WORK/hping3.out" 2>&1 || true
N hping3 -q -S -p ++3000 -c 3 -i u100000 127.0.0.1 >>"$WORK/hping3.out" 2>&1 || true
N hping3 -q -S -p 4000 -s 40000 -k -N 4242 -w 1024 -c 3 -i u100000 127.0.0.1 >>"$WORK/hping3.out" 2>&1 || true
sleep 0.5
echo "$OLD_LOG_ALL" > /proc/sys/net/netfilter/nf_log_all_netns

# forgeries, by an unprivileged user, of the first real record
REC=$(dmesg | grep -F "DROP IN=lo " | tail -n 5 | head -n 1 | sed 's/^\[[^]]*\] DROP //')
[ -n "$REC" ] || { log "no kernel record logged (nf_log_all_netns?)"; exit 1; }
FORGED="DROP $REC"
SEND='import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(sys.argv[2].encode(), sys.argv[1])'
nobody $PY -c "$SEND" "$WORK/log.sock" "<4>kernel: $FORGED"
# what logger -t kernel and syslog(3) send: facility user (glibc maps kern to
# user), three times alike: rsyslog folds them into "message repeated 2 times"
for i in 1 2 3; do
	nobody $PY -c "$SEND" "$WORK/log.sock" "<13>$(LC_ALL=C date '+%b %e %H:%M:%S') kernel: $FORGED"
done
nsenter -t "$JPID" -m setpriv --reuid=65534 --regid=65534 --clear-groups \
	$PY -c "$SEND" /run/systemd/journal/dev-log "<4>kernel: $FORGED"
printf 'MESSAGE=%s\nSYSLOG_IDENTIFIER=kernel\nSYSLOG_FACILITY=0\nPRIORITY=4\n' "$FORGED" |
	nsenter -t "$JPID" -m setpriv --reuid=65534 --regid=65534 --clear-groups \
	logger --journald
sleep 1
mark "end"

i=0
while ! grep -q "$TAG end" "$WORK/rs-traditional.log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
while ! journalctl -D "$WORK/journal" -q -o cat | grep -q "$TAG end" && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
stop_pid "$RSYSLOG_PID"; RSYSLOG_PID=""
stop_pid "$JOURNAL_PID"; JOURNAL_PID=""
for f in json export short short-unix short-full short-monotonic; do
	journalctl -D "$WORK/journal" -q --no-pager -o $f > "$WORK/journal-$f.txt"
done
dmesg > "$WORK/dmesg.txt"
dmesg -T > "$WORK/dmesg-T.txt"

# ---------------------------------------------------------------- fixtures
# Keep what follows the begin marker and holds "IN=lo OUT=" (our namespace's
# records, not those of other namespaces logging meanwhile; rsyslog may write
# a socket's line after a later kernel marker, so no end cut): text and json
# line by line, export entry by entry.
cat > "$WORK/cut.py" <<'PYEOF'
import sys
path, tag, mode = sys.argv[1:]
data = open(path, 'rb').read()
out = sys.stdout.buffer
if mode == 'export':
    # entries end with a blank line; a binary field is NAME\n + le64 size + bytes + \n
    entries, i, cur = [], 0, []
    while i < len(data):
        nl = data.index(b'\n', i)
        line = data[i:nl]
        if not line:
            entries.append(cur); cur = []; i = nl + 1; continue
        if b'=' not in line:
            size = int.from_bytes(data[nl + 1:nl + 9], 'little')
            end = nl + 9 + size
            cur.append(data[i:end + 1]); i = end + 1; continue
        cur.append(data[i:nl + 1]); i = nl + 1
    def msg(e):
        for f in e:
            if f.startswith(b'MESSAGE=') or f.startswith(b'MESSAGE\n'):
                return f
        return b''
    state = 0
    for e in entries:
        m = msg(e)
        if state == 1 and b'IN=lo OUT=' in m:
            out.write(b''.join(e) + b'\n')
        if (tag + ' begin').encode() in m: state = 1
else:
    state = 0
    for line in data.split(b'\n'):
        if state == 1 and b'IN=lo OUT=' in line:
            out.write(line + b'\n')
        if (tag + ' begin').encode() in line: state = 1
PYEOF
mkdir -p "$OUT"
emit() { # SRC MODE NAME WANT: write OUT/NAME, check it holds WANT records
	$PY "$WORK/cut.py" "$1" "$TAG" "$2" > "$OUT/$3"
	if [ "$2" = export ]; then n=$(grep -c '^__CURSOR=' "$OUT/$3" || true); else n=$(wc -l < "$OUT/$3"); fi
	[ "$n" -eq "$4" ] || { log "$3: $n records, want $4"; exit 1; }
	log "$3: $n records"
}
# 11 kernel records; forged: journal 2 (socket, native); rsyslog: the raw <4>
# line (dropped by README's filter) and the three <13> folded into one
# "message repeated 3 times" line
emit "$WORK/dmesg.txt" text dmesg 11
emit "$WORK/dmesg-T.txt" text dmesg-T 11
for f in json short short-unix short-full short-monotonic; do
	emit "$WORK/journal-$f.txt" text "journal-$f" 13
done
emit "$WORK/journal-export.txt" export journal-export 13
emit "$WORK/rs-traditional.log" text rsyslog-traditional 13
emit "$WORK/rs-dshield.log" text rsyslog-dshield 13
emit "$WORK/rs-pri.log" text rsyslog-pri 12
log "done: $OUT"
