#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# json-keys.sh VIGIL - docs/cli.md's "Every key of `analyze --json`" and the
# code agree, both ways: every key path documented there is written on the
# capture fixtures (tests/data/capture, union over them, plus the few inputs
# some keys need: a missing file, a truncated and a damaged gzip file, plain
# text after gzip data, a reputation list, a UDP-Lite record), and every key
# path vigil writes on them is documented. Also: the keys whose value is an
# array are there on every source and destination, maybe empty.
#
# A key path names object keys from the top, "[]" for an array's elements
# ("sources[].destinations[].tcp.flags"); the keys of an object that maps
# data to counts (protocols, flags, ICMP types, ...) are "*", and the
# documentation marks such an object with a path ending in ".*".
set -u
vigil=${1:?usage: json-keys.sh VIGIL}
[ -x "$vigil" ] || { echo "json-keys.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
docs=$here/../docs/cli.md
cap=$here/data/capture
sigs=$here/data/psad/signatures

# --- the documented key paths: the subsection's list items ("- `A`, `B`: what
# they are", maybe over several lines) name them in their head, the
# backquoted paths before anything else
awk 'function flush(   s) {
		s = item; item = ""
		while (match(s, /^`[^`]+`/)) {
			print substr(s, 2, RLENGTH - 2)
			s = substr(s, RLENGTH + 1)
			sub(/^, */, "", s)
		}
	}
     /^### Every key of `analyze --json`/ { on = 1; next }
     on && /^##/ { flush(); on = 0 }
     !on { next }
     /^- / { flush(); item = substr($0, 3); next }
     /^  / && item != "" { sub(/^ +/, ""); item = item " " $0; next }
     { flush() }
     END { flush() }' "$docs" | sort -u >"$tmp/documented"
if [ "$(wc -l <"$tmp/documented")" -gt 100 ]; then ok; else bad "docs/cli.md documents $(wc -l <"$tmp/documented") key paths: the subsection is missing or cut"; fi
# the maps: documented "X.*" -> X
sed -n 's/\.\*$//p' "$tmp/documented" | jq -R . | jq -s -c . >"$tmp/maps"

# --- vigil's output on the fixtures and the special inputs
n=0
run() { # run ARGS...: one analyze --json (exit 0 or 1: some inputs are broken on purpose)
	n=$((n + 1))
	"$vigil" analyze --json --signatures "$sigs" "$@" >"$tmp/out.$n" 2>"$tmp/err.$n"
	rc=$?
	if [ $rc -le 1 ] && jq -e . "$tmp/out.$n" >/dev/null 2>&1; then ok; else bad "analyze $* exited $rc: $(head -c 300 "$tmp/err.$n")"; fi
}
for f in "$cap"/*; do
	run "$f"
done
# input.errors, input.problems: a missing file, a truncated gzip file, a
# damaged gzip member after a good one, plain text after gzip data
log=$cap/ipt4-scans.rfc3164
gzip -c <"$log" >"$tmp/whole.gz"
size=$(wc -c <"$tmp/whole.gz" | tr -d ' ')
head -c $((size / 2)) "$tmp/whole.gz" >"$tmp/cut.gz"
cp "$tmp/whole.gz" "$tmp/damaged.gz"
gzip -c <"$cap/crafted.rfc3164" >>"$tmp/damaged.gz"
printf '\377\377\377\377\377\377\377\377' | dd of="$tmp/damaged.gz" bs=1 seek=$((size + 200)) conv=notrunc 2>/dev/null
cp "$tmp/whole.gz" "$tmp/mixed.gz"
head -n 3 "$log" >>"$tmp/mixed.gz"
run "$tmp/does-not-exist.log" "$tmp/cut.gz" "$tmp/damaged.gz" "$tmp/mixed.gz"
broken=$n
# sources[].reputation, data_sets.reputation
printf '198.18.0.0/16\n' >"$tmp/nets"
run --reputation "$tmp/nets" "$cap/crafted.rfc3164"
# limits.evicted_top[]: more sources than MAX_SOURCES
printf 'MAX_SOURCES 5;\n' >"$tmp/small.conf"
run --config "$tmp/small.conf" "$cap/crafted.rfc3164"
# destinations[].udplite (no capture has UDP-Lite)
echo 'Nov 25 12:29:10 fw kernel: DROP IN=eth0 OUT= SRC=198.51.100.9 DST=198.18.0.1 LEN=40 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=UDPLITE SPT=4000 DPT=53 LEN=20' >"$tmp/udplite.log"
run "$tmp/udplite.log"

# --- every key path written (object keys only; array elements are "[]")
for i in $(seq 1 $n); do
	jq -r --slurpfile maps "$tmp/maps" '
		paths | select(.[-1] | type == "string") |
		reduce .[] as $c (""; if ($c | type) == "number" then . + "[]"
				     elif . == "" then $c
				     elif (. as $p | $maps[0] | index([$p])) then . + ".*"
				     else . + "." + $c end)' "$tmp/out.$i"
done | sort -u >"$tmp/written"

# --- both ways
comm -23 "$tmp/written" "$tmp/documented" >"$tmp/undocumented"
comm -13 "$tmp/written" "$tmp/documented" >"$tmp/unwritten"
if [ -s "$tmp/undocumented" ]; then
	bad "keys vigil writes that docs/cli.md does not document: $(tr '\n' ' ' <"$tmp/undocumented")"
else
	ok
fi
if [ -s "$tmp/unwritten" ]; then
	bad "keys docs/cli.md documents that vigil never wrote on the fixtures: $(tr '\n' ' ' <"$tmp/unwritten")"
else
	ok
fi

# --- array keys always there, on every source and destination of every run
for i in $(seq 1 $n); do
	got=$(jq -c '[.sources[] | select((has("scan_types") and has("nmap") and has("destinations") and
		has("signatures") and has("os_guess") and has("scanners")) | not) | .src] +
		[.sources[].destinations[] | select(has("ip_protocols") | not) | .dst] +
		[.input | select((has("errors") and has("problems")) | not) | "input"] +
		[.limits | select(has("evicted_top") | not) | "limits"]' "$tmp/out.$i")
	if [ "$got" = "[]" ]; then ok; else bad "run $i: array keys missing at $got"; fi
done
# the special inputs said what they had to
jq -c '.input.errors | map(.file | sub(".*/"; ""))' "$tmp/out.$broken" >"$tmp/errs"
if [ "$(cat "$tmp/errs")" = '["does-not-exist.log","cut.gz","damaged.gz"]' ]; then ok; else bad "input.errors: $(cat "$tmp/errs")"; fi
# protocols by name, every one: the -sO scan of ipt4-scans
"$vigil" analyze --json --ip 198.18.0.8 "$log" >"$tmp/out" 2>"$tmp/err"
expect_json '.sources[0].protocols | [length, has("other"), .igmp, .ipv4, ([.[]] | add)]' '[27,false,1,1,27]'

# --- times: the log's offset kept, first/last in real time across zones
L='fw kernel: DROP IN=eth0 OUT= SRC=198.51.100.7 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=40 ID=1 PROTO=TCP SPT=1 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0'
# a DST change (02:50+01:00 is 01:50Z, 03:10+02:00 is 01:10Z) and a UTC line between
printf '2026-03-29T02:50:00+01:00 %s\n2026-03-29T03:10:00+02:00 %s\n2026-03-29T01:30:00Z %s\n' "$L" "$L" "$L" >"$tmp/dst.log"
expect_status 0 "$vigil" analyze --json "$tmp/dst.log"
expect_json '.sources[0] | [.time_base, .first_seen, .last_seen]' '["wall","2026-03-29T03:10:00+02:00","2026-03-29T02:50:00+01:00"]'
expect_json '.sources[0].destinations[0] | [.time_base, .first_seen, .last_seen]' '["wall","2026-03-29T03:10:00+02:00","2026-03-29T02:50:00+01:00"]'
# journal short-iso's "+0000" written "+00:00"
expect_status 0 "$vigil" analyze --json "$cap/mixed.journal-short-iso"
expect_json '[.sources[].first_seen | test("^2026-11-25T12:56:[0-9]{2}[+]00:00$")] | unique' '[true]'
# traditional syslog: no offset
expect_status 0 "$vigil" analyze --json "$cap/mixed.rfc3164"
expect_json '[.sources[] | (.first_seen | test("^[0-9-]{10}T[0-9:]{8}$")), .time_base] | unique' '[true,"wall"]'
# uptimes of a dmesg file: the boot time is unknown, so marked
expect_status 0 "$vigil" analyze --json "$cap/mixed.dmesg"
expect_json '[.sources[] | (.first_seen | test("^[+][0-9]+[.][0-9]{6}s$")), .time_base] | unique' '[true,"uptime"]'
# /dev/kmsg of this host: its uptimes as wall-clock times (when it holds firewall records)
if [ -r /dev/kmsg ] && "$vigil" analyze --json /dev/kmsg >"$tmp/out" 2>"$tmp/err"; then
	expect_json '[.sources[] | select(.time_base != "wall" or (.first_seen | test("^[0-9-]{10}T[0-9:]{8}[+-][0-9]{2}:[0-9]{2}$") | not)) | .src]' '[]'
fi

echo "json-keys: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
