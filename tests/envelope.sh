#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# envelope.sh VIGIL - only the kernel's words count, whatever envelope they
# came in. Reads the real tool output in tests/data/envelope/ (made by
# scripts/capture/envelopes.sh: 11 kernel records, and forgeries by an
# unprivileged user beside them) and a few literal lines. Uses jq.
set -u
vigil=${1:?usage: envelope.sh VIGIL}
[ -x "$vigil" ] || { echo "envelope.sh: $vigil is not executable" >&2; exit 2; }
data=$(cd "$(dirname "$0")" && pwd)/data/envelope
. "$(dirname "$0")/lib.sh"

expect_json() {
	got=$(jq -c "$1" "$tmp/out" 2>&1)
	if [ "$got" = "$2" ]; then ok; else bad "$what: jq '$1': expected $2, got $got"; fi
}
# analyze NAME [OPTIONS]: vigil on a fixture; every line counted once
analyze() {
	what=$1
	f=$data/$1; shift
	expect_status 0 "$vigil" analyze --json "$@" "$f"
	expect_json '.input.lines == .input.events + .input.ignored + .input.malformed' 'true'
	expect_json '.input.malformed' '0'
}
packets='([.sources[].packets] | add)'

# --- real output: the 11 kernel records read, the forgeries not
for f in journal-json journal-export journal-short journal-short-unix journal-short-full \
	journal-short-monotonic; do
	analyze $f
	expect_json "[.input.events, .input.ignored_by.not_kernel, $packets]" '[11,2,11]'
done
# the time survives every envelope
for f in journal-json journal-export journal-short-unix journal-short-full rsyslog-dshield \
	rsyslog-pri dmesg-T; do
	analyze $f
	expect_json '.sources[0].first_seen | test("^20[0-9][0-9]-")' 'true'
done

# journalctl -k -o json | vigil analyze -
what="json on stdin"
"$vigil" analyze --json - < "$data/journal-json" > "$tmp/out" 2>"$tmp/err"
expect_json "[.input.events, .input.ignored_by.not_kernel]" '[11,2]'
what="export on stdin"
cat "$data/journal-export" | "$vigil" analyze --json > "$tmp/out" 2>"$tmp/err"
expect_json "[.input.events, .input.ignored_by.not_kernel]" '[11,2]'

# dmesg: a prefix of several words is the prefix, not a host and a tag
for f in dmesg dmesg-T; do
	analyze $f
	expect_json "[.input.events, .input.ignored, $packets]" '[11,0,11]'
done

# rsyslog, README's template: <PRI> and kern only from the kernel's input.
# The forged syslog(3) lines (folded into "message repeated 3 times") are user.
analyze rsyslog-pri
expect_json "[.input.events, .input.ignored_by.not_kernel, $packets]" '[11,1,11]'
# A traditional file cannot tell them apart: the raw <4> line and the folded
# three are byte-identical to the kernel's and are counted (README says so);
# "message repeated 3 times" counts 3 (2 more than its line).
analyze rsyslog-traditional
expect_json "[.input.events, .input.repeated, $packets]" '[13,2,15]'
analyze rsyslog-dshield
expect_json "[.input.events, .input.repeated, $packets]" '[13,2,15]'

# --- literal lines: a file's format is fixed by its first lines
H='IN=eth0 OUT= MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:08:00 SRC=198.18.0.7 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=4242 PROTO=TCP SPT=40000 WINDOW=1024 RES=0x00 SYN URGP=0'
fixtures=$data
data=$tmp
{
	echo "Nov 25 12:29:10 fw kernel: DROP $H DPT=1"
	echo "Nov 25 12:29:10 fw kernel[1234]: DROP $H DPT=2"
	echo "Nov 25 12:29:10 fw DROP $H DPT=3"
	echo "Nov 25 12:29:10 fw : DROP $H DPT=4"
	echo "Nov 25 12:29:10 fw  kernel: DROP $H DPT=5"
	echo "Nov 25 12:29:10 fw kernel DROP $H DPT=6"
	echo "DROP $H DPT=7"
	echo "[ 1234.567890] DROP $H DPT=8"
	echo "Nov 25 12:29:10 fw kernel: message repeated 4 times: [ DROP $H DPT=9]"
} > "$tmp/syslog"
analyze syslog
expect_json '[.input.events, .input.repeated, .input.ignored_by.not_kernel, .input.ignored_by.no_tag, .input.ignored_by.unknown_envelope, .input.ignored_by.off_format]' '[2,3,1,4,1,1]'
expect_json "$packets" '5'
{
	echo "Nov 25 12:29:10 fw DROP $H DPT=1"
	echo "Nov 25 12:29:10 fw DROP: $H DPT=2"
	echo "Nov 25 12:29:10 fw kernel: DROP $H DPT=3"
} > "$tmp/logemu"
# LOGEMU-shaped lines first (anyone can write them into a syslog file), then
# a kernel tag ulogd never writes: a syslog file, the first lines tagless
analyze logemu
expect_json '[.input.events, .input.ignored_by.no_tag, .input.ignored_by.not_kernel]' '[1,1,1]'
analyze logemu --format logemu
expect_json '[.input.events, .input.ignored_by.off_format]' '[2,1]'
# a real LOGEMU file: its records, however many
i=0
while [ $i -lt 40 ]; do echo "Nov 25 12:29:10 fw DROP $H DPT=$i"; i=$((i + 1)); done > "$tmp/logemu-long"
analyze logemu-long
expect_json '[.input.events, .input.ignored]' '[40,0]'
printf 'Nov 25 12:29:10 fw DROP: %s DPT=2\n' "$H" > "$tmp/logemu-colon"
analyze logemu-colon
expect_json '[.input.events, .input.ignored_by.not_kernel]' '[0,1]'
analyze logemu-colon --format logemu
expect_json '[.input.events, .input.ignored_by.not_kernel]' '[1,0]'
expect_status 2 "$vigil" analyze --format nonsense "$tmp/logemu"
# the message alone: only when the user says so
printf 'DROP %s DPT=2\n' "$H" > "$tmp/bare"
analyze bare
expect_json '[.input.events, .input.ignored_by.unknown_envelope]' '[0,1]'
analyze bare --format bare
expect_json '[.input.events, .input.ignored_by.unknown_envelope]' '[1,0]'
# an export entry cut off at the end is said, not silently dropped
head -n 20 "$fixtures/journal-export" > "$tmp/cut-export"
"$vigil" analyze --json "$tmp/cut-export" > "$tmp/out" 2> "$tmp/err"
what=cut-export
if grep -q "cut off" "$tmp/err"; then ok; else bad "cut-off export entry not reported: $(cat "$tmp/err")"; fi
# each file has its own format
analyze logemu "$tmp/syslog"
expect_json '.input.events' '3'

# A file of bare records is ignored, and stderr says how to read it.
printf 'DROP IN=eth0 OUT= MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:08:00 SRC=198.18.0.7 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0\n' >"$tmp/bare.log"
expect_status 0 "$vigil" analyze --json "$tmp/bare.log"
expect_json '[.input.events, .input.ignored_by.unknown_envelope]' '[0,1]'
expect_grep "$tmp/err" "1 firewall record(s) in no envelope vigil knows were ignored.*--format bare reads them"
expect_status 0 "$vigil" analyze --json --format bare "$tmp/bare.log"
expect_json '.input.events' '1'

echo "envelope: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
