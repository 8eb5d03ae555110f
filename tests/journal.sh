#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# journal.sh VIGIL - the journal source (src/source/journal.c) on a private
# journal directory written by systemd-journal-remote (the host's journal
# is never written): only _TRANSPORT=kernel entries are read, their kernel
# flag and facility come from the trusted fields, the time from
# __REALTIME_TIMESTAMP; a fresh source starts at the tail, a restored one
# right after its cursor; a binary MESSAGE is handed over as bytes and an
# overlong one cut; a cursor whose entry was vacuumed is counted as lost.
# When journald runs, the host's own kernel entries are read too. Uses
# build-san/source-dump beside VIGIL.
set -u
vigil=${1:?usage: journal.sh VIGIL}
. "$(dirname "$0")/lib.sh"
dump=$(dirname "$vigil")/source-dump
remote=/lib/systemd/systemd-journal-remote
[ -x "$remote" ] || remote=/usr/lib/systemd/systemd-journal-remote
if [ ! -x "$dump" ] || [ ! -x "$remote" ] || ! command -v python3 >/dev/null; then
	echo "journal.sh: source-dump, systemd-journal-remote or python3 missing, skipped" >&2
	exit 0
fi

# export FILE TS-OFFSET TRANSPORT FACILITY MESSAGE... : entries in journal
# export format (binary-safe), one per MESSAGE, one second apart
export_entries() {
	python3 - "$@" <<'EOF'
import struct, sys
out, base, transport, fac = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
e = b''
for i, m in enumerate(sys.argv[5:]):
    m = m.encode().replace(b'\\0', b'\0').replace(b'\\n', b'\n')
    ts = 1795611600000000 + (base + i) * 1000000
    e += b'__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n' % (ts, (base + i + 1) * 1000000)
    e += b'_BOOT_ID=0123456789abcdef0123456789abcdef\n_TRANSPORT=%s\n' % transport.encode()
    if fac != '-':
        e += b'SYSLOG_FACILITY=%s\n' % fac.encode()
    e += b'MESSAGE\n' + struct.pack('<Q', len(m)) + m + b'\n\n'
open(out, 'wb').write(e)
EOF
}
write_journal() { # write_journal NAME ARGS-OF-export_entries...
	name=$1; shift
	export_entries "$tmp/x.export" "$@"
	"$remote" -o "$tmp/j/$name.journal" - < "$tmp/x.export" 2>/dev/null ||
		bad "systemd-journal-remote failed for $name"
}
REC='DROP IN=eth0 OUT= SRC=198.18.0.3 DST=198.18.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0'
mkdir -p "$tmp/j"
write_journal a 0 kernel 0 "old record before the source started"

# --- a fresh source: starts at the tail, reads what comes next
"$dump" -t 3 "journal:$tmp/j" > "$tmp/live" 2> "$tmp/live.err" &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q ready "$tmp/live.err" && break; sleep 0.2; done
write_journal b 10 kernel 0 "$REC"
write_journal c 20 syslog 0 "$REC user-space, not kernel"
write_journal d 30 kernel 1 'bin\0ary\nmessage'
wait $pid
if grep -q 'old record' "$tmp/live"; then bad "tail: an entry before the start was read"; else ok; fi
expect_grep "$tmp/live" "^message kernel=1 facility=0 trusted=1 when=1795611610000000 .*SRC=198.18.0.3"
expect_grep "$tmp/live" "^message kernel=1 facility=1 trusted=1 when=1795611630000000 .*text=bin\\\\x00ary\\\\x0amessage"
if grep -q 'user-space' "$tmp/live"; then bad "a syslog-transport entry was read"; else ok; fi
expect_grep "$tmp/live" "^counters records=2 .*lost=0"
expect_grep "$tmp/live" "^position cursor=s="

# --- restore: right after the saved cursor, nothing re-read, nothing skipped
pos=$(sed -n 's/^position //p' "$tmp/live")
write_journal e 40 kernel 0 "after restart one" "after restart two"
"$dump" -t 1 -r "$pos" "journal:$tmp/j" > "$tmp/again" 2>&1
n=$(grep -c '^message' "$tmp/again")
if [ "$n" -eq 2 ]; then ok; else bad "restore: expected 2 entries, got $n: $(cat "$tmp/again")"; fi
expect_grep "$tmp/again" "text=after\\\\x20restart\\\\x20one"
expect_grep "$tmp/again" "lost=0 lost_events=0"

# a foreign position is refused
expect_status 1 "$dump" -t 0.2 -r "seq=12 boot=x" "journal:$tmp/j"
expect_grep "$tmp/err" "restore: Invalid argument"

# --- the cursor's entry vacuumed: resumed after it, counted as lost
pos=$(sed -n 's/^position //p' "$tmp/again")
write_journal f 50 kernel 0 "after the vacuum"
rm -f "$tmp/j/e.journal"
"$dump" -t 1 -r "$pos" "journal:$tmp/j" > "$tmp/vac" 2>&1
expect_grep "$tmp/vac" "text=after\\\\x20the\\\\x20vacuum"
expect_grep "$tmp/vac" "lost=1 lost_events=1"
expect_grep "$tmp/vac" "^error journal: the saved cursor's entry is gone"

# --- an overlong MESSAGE is cut at max_line (8192 in source-dump) and counted
long=$(head -c 9000 /dev/zero | tr '\0' x)
write_journal g 60 kernel 0 "$long"
pos=$(sed -n 's/^position //p' "$tmp/vac")
"$dump" -t 1 -r "$pos" "journal:$tmp/j" > "$tmp/long" 2>&1
expect_grep "$tmp/long" "^message kernel=1 facility=0 trusted=1 when=1795611660000000 overlong=1 text=x\{8192\}$"
expect_grep "$tmp/long" "overlong=1 errors=0"

# --- a directory that does not exist: a clear error, no crash
expect_status 1 "$dump" -t 0.2 "journal:$tmp/nothing-here"
expect_grep "$tmp/err" "open"

# --- the host's journal, when journald runs: opens, and what it reads is kernel
if [ -S /run/systemd/journal/socket ]; then
	expect_status 0 "$dump" -t 1 journal
	if grep '^message' "$tmp/out" | grep -qv '^message kernel=1'; then
		bad "host journal: a non-kernel entry was read"
	else ok; fi
else
	echo "journal.sh: no journald on this host, its journal not read" >&2
fi

echo "journal.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
