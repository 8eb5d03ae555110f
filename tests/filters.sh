#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# filters.sh VIGIL - analyze's record filters (--since, --until, --port,
# --proto, --prefix, --chain), repeated --ip and --group-v6 on the real
# captures of tests/data/capture: what each keeps is counted independently
# from the fixture's lines (grep/awk), every line is still counted once
# (input.lines == events + ignored + malformed, the filtered ones under
# ignored_by.filter), a filtered run scores like a run on a log holding only
# the kept lines, and bad values are usage errors (exit 2) saying what was
# expected. Uses jq.
set -u
vigil=${1:?usage: filters.sh VIGIL}
[ -x "$vigil" ] || { echo "filters.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
cap=$(dirname "$0")/data/capture
ipt4=$cap/ipt4-scans.rfc3164
ip6=$cap/ip6-scans.rfc3339
nft4=$cap/nft4-scans.kmsg
fwd=$cap/fwd-forward.kmsg
export TZ=UTC

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok; else bad "$1: expected $3, got $2"; fi
}
# counts: lines, events, ignored_by.filter, and the identity
counts() {
	jq -c '.input | [.lines, .events, .ignored_by.filter, .lines == .events + .ignored + .malformed]' "$tmp/out"
}
sources() { jq -c '[.sources[] | .src]' "$1"; }
# the sources' scores, without the input counters (which differ by design)
scores() { jq -S -c '.sources' "$1"; }

all4=$(wc -l <"$ipt4")
all6=$(wc -l <"$ip6")

# --- --proto: the UDP scan's source alone, its records and no other
udp=$(grep -c 'PROTO=UDP ' "$ipt4")
expect_status 0 "$vigil" analyze --json --year 2026 --proto udp "$ipt4"
expect_eq "--proto udp counts" "$(counts)" "[$all4,$udp,$((all4 - udp)),true]"
expect_json '[.sources[].src]' '["198.18.0.7"]'
expect_json '[.sources[].protocols | keys[]] | unique' '["udp"]'
cp "$tmp/out" "$tmp/udp.json"
# exactly as if the log held only those records
grep 'PROTO=UDP ' "$ipt4" >"$tmp/udp.log"
expect_status 0 "$vigil" analyze --json --year 2026 "$tmp/udp.log"
expect_eq "--proto udp scores as the UDP lines alone" "$(scores "$tmp/out")" "$(scores "$tmp/udp.json")"
# names and numbers, case, lists and repeats: any of them
icmp=$(grep -c 'PROTO=ICMP ' "$ipt4")
tcp=$(grep -c 'PROTO=TCP ' "$ipt4")
expect_status 0 "$vigil" analyze --json --year 2026 --proto ICMP --proto 6 "$ipt4"
expect_json '.input.events' "$((icmp + tcp))"
expect_status 0 "$vigil" analyze --json --year 2026 --proto icmp,tcp "$ipt4"
expect_json '.input.events' "$((icmp + tcp))"
# -sO's raw protocol numbers (2-30): PROTO=2 is igmp, PROTO=4 ipip
igmp=$(grep -c 'PROTO=2 ' "$ipt4")
expect_status 0 "$vigil" analyze --json --year 2026 --proto igmp --proto IPIP "$ipt4"
expect_json '.input.events' "$((igmp + 1))"
expect_eq "one igmp record" "$igmp" 1
expect_status 2 "$vigil" analyze --json --year 2026 --proto 2-4 "$ipt4"
expect_eq "--proto 2-4 is not a protocol" "$(head -c 40 "$tmp/err")" "vigil: --proto: expected a protocol name"
# icmp is ICMP of IPv4: the IPv6 fixture has none; ipv6-icmp none in IPv4
expect_status 0 "$vigil" analyze --json --proto icmp "$ip6"
expect_json '.input.events' '0'
expect_status 0 "$vigil" analyze --json --year 2026 --proto ipv6-icmp "$ipt4"
expect_json '.input.events' '0'
# different options: all of them
udp22=$(grep 'PROTO=UDP ' "$ipt4" | grep -c 'DPT=22 ')
expect_status 0 "$vigil" analyze --json --year 2026 --proto udp --port 22 "$ipt4"
expect_json '.input.events' "$udp22"
expect_eq "one UDP probe of port 22" "$udp22" 1

# --- --port: the destination ports of tcp/udp; records without ports do not pass
low=$(awk '/PROTO=(TCP|UDP) / { for (i = 1; i <= NF; i++) if ($i ~ /^DPT=/) { p = substr($i, 5) + 0; if (p >= 1 && p <= 100) n++ } } END { print n + 0 }' "$ipt4")
expect_status 0 "$vigil" analyze --json --year 2026 --port 1-100 "$ipt4"
expect_eq "--port 1-100 counts" "$(counts)" "[$all4,$low,$((all4 - low)),true]"
expect_json '[.sources[].destinations[] | (.tcp, .udp) | select(. != null) | .port_max] | max <= 100' 'true'
p80=$(grep -E 'PROTO=(TCP|UDP) ' "$ipt4" | grep -c 'DPT=80 ')
p443=$(grep -E 'PROTO=(TCP|UDP) ' "$ipt4" | grep -c 'DPT=443 ')
expect_status 0 "$vigil" analyze --json --year 2026 --port 80 --port 443 "$ipt4"
expect_json '.input.events' "$((p80 + p443))"
expect_status 0 "$vigil" analyze --json --year 2026 --port 80,443 "$ipt4"
expect_json '.input.events' "$((p80 + p443))"
expect_json '[.sources[].destinations[] | (.tcp, .udp) | select(. != null) | .ports] | unique - ["80", "443", "80,443"]' '[]'
# fragments without ports (nft4: FRAG:, INCOMPLETE) never pass --port
expect_status 0 "$vigil" analyze --json --port 0-65535 "$nft4"
ported=$(grep -E 'PROTO=(TCP|UDP|UDPLITE) ' "$nft4" | grep -c 'DPT=')
expect_json '.input.events' "$ported"
if [ "$ported" -lt "$(wc -l <"$nft4")" ]; then ok; else bad "nft4-scans should hold records without ports"; fi

# --- --since / --until: boundaries taken from the fixture's own times
# ip6-scans: RFC 3339 with +00:00, not monotonic (see tests/data/README.md)
b6=$(awk 'NR == 50 { print $1 }' "$ip6")          # 2026-11-25T12:56:27.869847+00:00
after6=$(awk -v b="$b6" '$1 >= b' "$ip6" | wc -l)
before6=$((all6 - after6))
if [ "$after6" -gt 0 ] && [ "$before6" -gt 0 ]; then ok; else bad "boundary $b6 splits nothing"; fi
wall6=${b6%+00:00}
for since in "$b6" "${wall6}Z" "$wall6" "$(echo "$wall6" | sed 's/T12:/T14:/')+02:00" \
	"$(echo "$wall6" | sed 's/T12:/T10:/')-0200" "$(echo "$wall6" | sed 's/T/ /')"; do
	expect_status 0 "$vigil" analyze --json --since "$since" "$ip6"
	expect_eq "--since $since counts" "$(counts)" "[$all6,$after6,$before6,true]"
	expect_status 0 "$vigil" analyze --json --until "$since" "$ip6"
	expect_eq "--until $since counts" "$(counts)" "[$all6,$before6,$after6,true]"
done
# --since is inclusive, --until exclusive: one microsecond later moves the line
n_at=$(awk -v b="$b6" '$1 == b' "$ip6" | wc -l)
expect_status 0 "$vigil" analyze --json --since "$(echo "$wall6" | sed 's/869847$/869848/')Z" "$ip6"
expect_json '.input.events' "$((after6 - n_at))"
expect_eq "one line at the boundary" "$n_at" 1
# a window: what lies between, scored as if the log held only it
b6b=$(awk 'NR == 120 { print $1 }' "$ip6")
awk -v a="$b6" -v b="$b6b" '$1 >= a && $1 < b' "$ip6" >"$tmp/win6.log"
expect_status 0 "$vigil" analyze --json --since "$b6" --until "$b6b" "$ip6"
expect_json '.input.events' "$(wc -l <"$tmp/win6.log")"
cp "$tmp/out" "$tmp/win6.json"
expect_status 0 "$vigil" analyze --json "$tmp/win6.log"
expect_eq "--since/--until scores as the window alone" "$(scores "$tmp/win6.json")" "$(scores "$tmp/out")"
expect_json '.input.events > 0' 'true'
# ipt4-scans: RFC 3164, no year and no zone: the log's own clock (--year 2026)
t4=$(awk 'NR == 300 { print $3 }' "$ipt4")
after4=$(awk -v b="$t4" '$3 >= b' "$ipt4" | wc -l)
expect_status 0 "$vigil" analyze --json --year 2026 --since "2026-11-25T$t4" "$ipt4"
expect_eq "--since (log's clock) counts" "$(counts)" "[$all4,$after4,$((all4 - after4)),true]"
# an instant meets a zoneless log through the machine's zone: 12:55 in CET is 11:55Z
h=${t4%%:*}
tz4="2026-11-25T$(printf %02d $((h - 1))):${t4#*:}Z"
expect_status 0 env TZ=CET-1 "$vigil" analyze --json --year 2026 --since "$tz4" "$ipt4"
expect_json '.input.events' "$after4"
expect_status 0 "$vigil" analyze --json --year 2026 --since "$tz4" "$ipt4" # TZ=UTC: an hour later
expect_json '.input.events' "$(awk -v b="$(printf %02d $((h - 1))):${t4#*:}" '$3 >= b' "$ipt4" | wc -l)"
# relative times count from now: the capture lies in the past
expect_status 0 "$vigil" analyze --json --until -1s "$ip6"
expect_json '.input.events' "$all6"
expect_status 0 "$vigil" analyze --json --since -1s "$ip6"
expect_json '.input | [.events, .ignored_by.filter]' "[0,$all6]"
# records with no wall-clock time (raw kmsg: uptime only) cannot be placed:
# left out, counted, and said so
expect_status 0 "$vigil" analyze --json --since 1970-01-01 "$fwd"
expect_eq "untimed counts" "$(counts)" "[80,0,80,true]"
expect_grep "$tmp/err" "80 record(s) with no wall-clock time"
expect_status 0 "$vigil" analyze --json --port 80 "$fwd"
if ! grep -q "wall-clock" "$tmp/err"; then ok; else bad "no time filter, yet a warning about times"; fi

# --- --chain: fwd-forward.kmsg is all FORWARD
nfwd=$(wc -l <"$fwd")
expect_status 0 "$vigil" analyze --json --chain FORWARD "$fwd"
expect_eq "--chain FORWARD counts" "$(counts)" "[$nfwd,$nfwd,0,true]"
expect_json '[.sources[].destinations[].chain] | unique' '["FORWARD"]'
expect_status 0 "$vigil" analyze --json --chain input "$fwd"
expect_eq "--chain input counts" "$(counts)" "[$nfwd,0,$nfwd,true]"
expect_json '.sources' '[]'
expect_status 0 "$vigil" analyze --json --chain input,forward "$fwd"
expect_json '.input.events' "$nfwd"

# --- --prefix: the trimmed prefix, exactly; spaces inside it
nall=$(wc -l <"$nft4")
blocked=$(grep -c ';Blocked by nft: ' "$nft4")
drop=$(grep -c ';nft-drop: ' "$nft4")
none=$(grep -c ';IN=' "$nft4")
expect_status 0 "$vigil" analyze --json --prefix "Blocked by nft:" "$nft4"
expect_eq "--prefix 'Blocked by nft:' counts" "$(counts)" "[$nall,$blocked,$((nall - blocked)),true]"
expect_json '[.sources[].protocols | keys[]] | unique' '["udp"]'
expect_status 0 "$vigil" analyze --json --prefix "Blocked by nft: " --prefix nft-drop: "$nft4"
expect_json '.input.events' "$((blocked + drop))"
expect_status 0 "$vigil" analyze --json --prefix "" "$nft4"
expect_json '.input.events' "$none"
if [ "$none" -gt 0 ]; then ok; else bad "nft4-scans should hold records without a prefix"; fi
expect_status 0 "$vigil" analyze --json --prefix "Blocked by" "$nft4"
expect_json '.input.events' '0'
expect_status 0 "$vigil" analyze --json --prefix "blocked by nft:" "$nft4"
expect_json '.input.events' '0'
# the text report names the reason too
expect_status 0 "$vigil" analyze --no-color --prefix nft-drop: "$nft4"
expect_grep "$tmp/out" "filter $((nall - drop))"

# --- bad values: usage errors saying what was expected
for a in "--since 2026-02-30" "--since yesterday" "--until 2026-05-19T25:00" "--since -24x" \
	"--until 2026-05-19T22:00+2" "--port 70000" "--port 22-" "--port 2000-1000" "--port ssh" \
	"--proto nope" "--proto 256" "--chain PREROUTING" "--chain ," "--group-v6 0" "--group-v6 129" \
	"--group-v6 x" "--ip 2001:db8::/129"; do
	# shellcheck disable=SC2086
	expect_status 2 "$vigil" analyze --json $a "$ip6"
	if [ ! -s "$tmp/out" ]; then ok; else bad "$a: a report was written"; fi
done
expect_status 2 "$vigil" analyze --since "" "$ip6"
expect_grep "$tmp/err" "^vigil: --since: expected a date and time YYYY-MM-DD"
expect_status 2 "$vigil" analyze --since 2026-02-30 "$ip6"
expect_grep "$tmp/err" "--since: no such date (month 01-12, a day the month has), got '2026-02-30'"
expect_status 2 "$vigil" analyze --port 70000 "$ip6"
expect_grep "$tmp/err" "--port: expected a port 0-65535 or a range P-Q with P <= Q"
expect_status 2 "$vigil" analyze --proto nope "$ip6"
expect_grep "$tmp/err" "--proto: expected a protocol name (tcp, udp, udplite, icmp, ipv6-icmp"
expect_status 2 "$vigil" analyze --chain PREROUTING "$ip6"
expect_grep "$tmp/err" "--chain: expected a chain INPUT, FORWARD or OUTPUT, got 'PREROUTING'"

# --- --group-v6: the /64 rotation is one source, IPv4 untouched, scores from all its records
expect_status 0 "$vigil" analyze --json --group-v6 64 "$ip6"
expect_json '.sources | length' '1'
expect_json '.sources[0] | [(.src | test("^2001:db8:0:1::/64$")), .packets, .spoofed]' "[true,$all6,null]"
expect_json '.input.events' "$all6"
for f in "$cap"/mixed.rfc3339 "$cap"/mixed.kmsg "$cap"/mixed.ulogd "$cap"/mixed.journal-short-iso; do
	"$vigil" analyze --json "$f" >"$tmp/plain.json" 2>/dev/null
	expect_status 0 "$vigil" analyze --json --group-v6 64 "$f"
	expect_eq "$f: IPv4 untouched" \
		"$(jq -c '[.sources[] | select(.src | test(":") | not)]' "$tmp/out")" \
		"$(jq -c '[.sources[] | select(.src | test(":") | not)]' "$tmp/plain.json")"
	expect_json '[.sources[] | select(.src | test(":")) | [(.src | test("^2001:db8:0:1::/64$")), .danger_level]]' \
		"$(jq -c '[.sources[] | select(.src | test(":")) | [true, .danger_level]]' "$tmp/plain.json")"
done
# a /48 groups the same, /128 is no grouping
expect_status 0 "$vigil" analyze --json --group-v6 48 "$ip6"
expect_json '[.sources[] | .src | test("^2001:db8::(/48)?$")]' '[true]'
expect_status 0 "$vigil" analyze --json --group-v6 128 "$ip6"
expect_json '.sources | length' '3'
# the text report lists one source
expect_status 0 "$vigil" analyze --no-color --group-v6 64 "$ip6"
expect_grep "$tmp/out" "2001:db8:0:1::"
if [ "$(grep -c 'SRC 2001:db8:0:1::[0-9a-f]' "$tmp/out")" -eq 0 ]; then ok; else bad "--group-v6 64: a single address in the text report"; fi
# --ip meets the group: an address inside it lists the network
expect_status 0 "$vigil" analyze --json --group-v6 64 --ip 2001:db8:0:1::3 "$ip6"
expect_json '.sources | length' '1'
expect_status 0 "$vigil" analyze --json --group-v6 64 --ip 2001:db8:0:2::3 "$ip6"
expect_json '.sources | length' '0'

# --- repeated --ip: any of them; listing never changes a score
"$vigil" analyze --json --year 2026 "$ipt4" >"$tmp/all4.json" 2>/dev/null
expect_status 0 "$vigil" analyze --json --year 2026 --ip 198.18.0.2 --ip 198.18.0.7 "$ipt4"
expect_json '[.sources[].src] | sort' '["198.18.0.2","198.18.0.7"]'
expect_eq "--ip keeps the scores" "$(jq -S -c '[.sources[] | select(.src == "198.18.0.2" or .src == "198.18.0.7")]' "$tmp/all4.json")" "$(jq -S -c '.sources' "$tmp/out")"
expect_json '.input.events' "$all4"
expect_status 0 "$vigil" analyze --json --year 2026 --ip 198.18.0.4/31 --ip 2001:db8::1 --ip 198.18.0.9 "$ipt4"
expect_json '[.sources[].src] | sort' '["198.18.0.4","198.18.0.5","198.18.0.9"]'
# a destination network lists every source that probed it
expect_status 0 "$vigil" analyze --json --year 2026 --ip 198.18.0.1 "$ipt4"
expect_json '.sources | length' "$(jq '[.sources[] | select(any(.destinations[]; .dst == "198.18.0.1"))] | length' "$tmp/all4.json")"

echo "filters.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
