#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# unlogged-options.sh VIGIL - logs written without TCP options (ufw's and
# firewalld's default), read with vigil's own shipped signature set:
#   - an ordinary Linux connect() SYN and a Windows-shaped SYN are DL 0 (no
#     "data in TCP SYN packet": the TCP header length is unknown, so no
#     payload is assumed);
#   - real nmap scans in the same logs still score; a -sT scan is labelled
#     SYN_OR_CONNECT (its options are not in the log), a -sS one SYN;
#   - crafted records: a 60-byte SYN without options matches no dsize rule,
#     a SYN too long for any TCP header still does.
# Fixtures: tests/data/capture/{ufw-default.rfc3164,firewalld-default.rfc3339}
# (scripts/capture.sh phases ufw and firewalld). Uses jq.
set -u
vigil=${1:?usage: unlogged-options.sh VIGIL}
[ -x "$vigil" ] || { echo "unlogged-options.sh: $vigil is not executable" >&2; exit 2; }
cap=$(cd "$(dirname "$0")" && pwd)/data/capture
. "$(dirname "$0")/lib.sh"
# src_json FILE SRC FILTER WANT
src_json() {
	got=$(jq -c --arg s "$2" ".sources[] | select(.src == \$s) | $3" "$1" 2>&1)
	if [ "$got" = "$4" ]; then ok; else bad "$(basename "$1"): $2: $3: expected $4, got $got"; fi
}

for f in ufw-default.rfc3164 firewalld-default.rfc3339; do
	if [ ! -f "$cap/$f" ]; then bad "$cap/$f is missing (scripts/capture.sh)"; continue; fi
	"$vigil" analyze --json "$cap/$f" > "$tmp/$f.json" 2>"$tmp/err" || bad "$f: exit $?: $(head -c 200 "$tmp/err")"
	jq -e '.input.malformed == 0' "$tmp/$f.json" > /dev/null && ok || bad "$f: malformed lines"
done
u=$tmp/ufw-default.rfc3164.json
d=$tmp/firewalld-default.rfc3339.json
for s in 198.18.0.130 198.18.0.131; do
	src_json "$u" "$s" .danger_level 0
	src_json "$u" "$s" '[.signatures[]?.sid]' '[]'
done
src_json "$u" 198.18.0.132 '.danger_level >= 1' true
src_json "$u" 198.18.0.132 .scan_types '["SYN"]'
for s in 198.18.0.134 198.18.0.135; do
	src_json "$d" "$s" .danger_level 0
	src_json "$d" "$s" '[.signatures[]?.sid]' '[]'
done
src_json "$d" 198.18.0.136 .danger_level 2
src_json "$d" 198.18.0.136 .scan_types '["SYN"]'
src_json "$d" 198.18.0.137 .danger_level 2
src_json "$d" 198.18.0.137 .scan_types '["SYN_OR_CONNECT"]'
src_json "$d" 198.18.0.137 .nmap '["-sS or -sT"]'

# crafted records: the same SYN, LEN 60 (no options logged) and LEN 120
# (60 bytes beyond the longest TCP header: data, whatever the options)
rec() { # SRC LEN
	printf 'Dec  6 04:00:00 fw1 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:08:00 SRC=%s DST=198.18.0.1 LEN=%s TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=40000 DPT=443 WINDOW=64240 RES=0x00 SYN URGP=0 \n' "$1" "$2"
}
{ rec 198.18.0.140 60; rec 198.18.0.141 120; } > "$tmp/syn.log"
"$vigil" analyze --json "$tmp/syn.log" > "$tmp/syn.json" 2>/dev/null
src_json "$tmp/syn.json" 198.18.0.140 '[.signatures[]?.sid]' '[]'
src_json "$tmp/syn.json" 198.18.0.141 '[.signatures[]?.sid] | index(207) != null' true

# one log with options (crafted: a real masscan after an nmap SYN with MSS)
# and one without (ufw): nmap's option-less-looking SYNs through ufw are not
# masscan's 40-byte ones
"$vigil" analyze --json "$cap/../capture/crafted.rfc3164" "$cap/ufw-default.rfc3164" > "$tmp/both.json" 2>/dev/null
src_json "$tmp/both.json" 198.18.0.132 '.scanners // []' '[]'
src_json "$tmp/both.json" 198.18.0.123 '.scanners' '["Masscan"]'

echo "unlogged-options: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
