#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# exports.sh VIGIL - `analyze --csv`, `--list` and `--nft-set` on the real
# captures (tests/data/capture): the CSV parses with python3's csv module
# and has one row per source-destination pair of the JSON; --list is the
# JSON's sources at or above --min-dl less spoofed, reflected, whitelisted
# and HOME_NET ones; the nft script is applied for real with `nft -f -` in
# a private network namespace (twice: idempotent), `nft list set` shows the
# elements, and the rule the man page gives drops a listed source's packets.
# The namespace part needs root, ip and nft, and is skipped without them.
set -u
vigil=${1:?usage: exports.sh VIGIL}
[ -x "$vigil" ] || { echo "exports.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
cap=$(dirname "$0")/data/capture
: >"$tmp/empty.conf" # never the host's /etc/vigil/vigil.conf
V() { "$vigil" analyze --config "$tmp/empty.conf" "$@"; }

# --- CSV: RFC 4180 (CRLF), 30 columns, one row per pair, the JSON's pairs
cat >"$tmp/csvcheck.py" <<'EOF'
import csv, json, sys
data, doc = open(sys.argv[1], newline="").read(), json.load(open(sys.argv[2]))
assert data.endswith("\r\n") and "\n" not in data.replace("\r\n", ""), "CRLF line ends"
rows = list(csv.reader(data.splitlines(True)))
head, body = rows[0], rows[1:]
assert len(head) == 30 and head[0] == "src" and head[12] == "dst", head
assert all(len(r) == 30 for r in body), "30 fields a row"
col = {k: i for i, k in enumerate(head)}
want = []
for s in doc["sources"]:
    dsts = s["destinations"] or [None]
    for d in dsts:
        want.append((s["src"], str(s["danger_level"]), d["dst"] if d else "",
                     str(d["danger_level"]) if d else "", str(d["packets"]) if d else ""))
got = [(r[col["src"]], r[col["src_danger_level"]], r[col["dst"]], r[col["danger_level"]],
        r[col["packets"]]) for r in body]
assert got == want, (got[:5], want[:5])
for r in body:  # numbers are numbers; no field starts like a formula
    assert r[col["src_packets"]].isdigit()
    assert all(not f or f[0] not in "=+-@" for f in r), r
print(len(body))
EOF
for f in "$cap"/*; do
	case "$f" in */ipt4-* | */blame.* | */nft4-*) ms="0 2" ;; *) ms=0 ;; esac
	for m in $ms; do
		V --csv --min-dl $m "$f" >"$tmp/c.csv" 2>"$tmp/err" || bad "--csv $f exited $?"
		V --json --min-dl $m "$f" >"$tmp/c.json" 2>/dev/null
		if n=$(python3 "$tmp/csvcheck.py" "$tmp/c.csv" "$tmp/c.json" 2>"$tmp/pyerr"); then
			ok
		else
			bad "--csv --min-dl $m $(basename "$f"): $(tail -c 300 "$tmp/pyerr")"
		fi
	done
done
# the sweep of ipt4-scans: 20 destinations, 20 rows of one source
V --csv "$cap/ipt4-scans.rfc3164" >"$tmp/out" 2>/dev/null
n=$(grep -c '^198\.18\.0\.9,' "$tmp/out")
[ "$n" -eq 20 ] && ok || bad "ipt4-scans: $n rows of 198.18.0.9, expected 20"
# a reflected source without destinations: one row, destination fields empty
V --csv --min-dl 0 "$cap/blame.rfc3164" >"$tmp/out" 2>/dev/null
expect_grep "$tmp/out" '^198\.18\.3\.3,0,.*,,,,,,,,,,,,,,,,,,'"$(printf '\r')"'$'

# --- --list: the JSON's sources at >= min-dl, less spoofed and reflected
# (a reflected source stays when its own evidence reaches the level)
listed_by_json() { # FILE MIN
	V --json --min-dl "$2" "$1" 2>/dev/null | jq -r --argjson m "$2" '
	  [.sources[] | select(.spoofed == null)
	   | select((.reflected != true) or
	            (([.destinations[].danger_level] + [.sweep_level, (.auto_dl_level // 0),
	              (.signature_level // 0), (.reputation.dl // 0)] | max) >= ([$m, 1] | max)))
	   | .src] | reduce .[] as $s ([]; if index([$s]) then . else . + [$s] end) | .[]'
}
for f in "$cap"/*; do
	case "$f" in */ipt4-* | */blame.* | */nft4-*) ms="0 1 2 3" ;; *) ms="0 2" ;; esac
	for m in $ms; do
		V --list --min-dl $m "$f" >"$tmp/l" 2>/dev/null || bad "--list $f exited $?"
		listed_by_json "$f" $m >"$tmp/j"
		if cmp -s "$tmp/l" "$tmp/j"; then ok; else
			bad "--list --min-dl $m $(basename "$f"): got $(tr '\n' ' ' <"$tmp/l"), want $(tr '\n' ' ' <"$tmp/j")"
		fi
	done
done
# blame.rfc3164: its two reflected sources are never listed, and stderr says so
expect_status 0 "$vigil" analyze --config "$tmp/empty.conf" --list --min-dl 0 "$cap/blame.rfc3164"
if grep -q '^198\.18\.3\.' "$tmp/out"; then bad "a reflected source was listed"; else ok; fi
expect_grep "$tmp/out" '^198\.18\.0\.3$'
expect_grep "$tmp/err" '2 reflected'
# no --min-dl: AUTO_IDS_DANGER_LEVEL (psad's 5), said on stderr
expect_status 0 "$vigil" analyze --config "$tmp/empty.conf" --list "$cap/ipt4-scans.rfc3164"
[ -s "$tmp/out" ] && bad "--list without --min-dl listed DL < 5: $(cat "$tmp/out")" || ok
expect_grep "$tmp/err" 'danger level 5 or above (AUTO_IDS_DANGER_LEVEL)'
printf 'AUTO_IDS_DANGER_LEVEL 3;\n' >"$tmp/ids3.conf"
expect_status 0 "$vigil" analyze --config "$tmp/ids3.conf" --list "$cap/ipt4-scans.rfc3164"
[ "$(tr '\n' ' ' <"$tmp/out")" = "198.18.0.3 198.18.0.2 " ] && ok ||
	bad "AUTO_IDS_DANGER_LEVEL 3: got $(cat "$tmp/out")"
# BLOCK_WHITELIST and HOME_NET sources are left out, and counted
printf 'HOME_NET 198.18.0.8/29;\nBLOCK_WHITELIST 198.18.0.2;\n' >"$tmp/wl.conf"
expect_status 0 "$vigil" analyze --config "$tmp/wl.conf" --list --min-dl 2 "$cap/ipt4-scans.rfc3164"
[ "$(tr '\n' ' ' <"$tmp/out")" = "198.18.0.3 198.18.0.7 198.18.0.4 198.18.0.5 198.18.0.6 " ] &&
	ok || bad "whitelist/HOME_NET: got $(tr '\n' ' ' <"$tmp/out")"
expect_grep "$tmp/err" '1 in BLOCK_WHITELIST, 2 inside HOME_NET'
# spoofed sources (loopback, multicast on the wire): never, even at --min-dl 0
H='Nov 25 12:29:10 fw kernel: DROP IN=eth0 OUT= MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:08:00'
for s in 127.0.0.1 224.0.0.9 198.18.0.77; do
	for p in 21 22 23 25 80 443 8080; do
		echo "$H SRC=$s DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=TCP SPT=40000 DPT=$p WINDOW=1024 RES=0x00 SYN URGP=0"
	done
done >"$tmp/spoof.log"
expect_status 0 "$vigil" analyze --config "$tmp/empty.conf" --list --min-dl 0 "$tmp/spoof.log"
[ "$(cat "$tmp/out")" = "198.18.0.77" ] && ok || bad "spoofed listed: $(tr '\n' ' ' <"$tmp/out")"
expect_grep "$tmp/err" '2 spoofed'
# a private address with HOME_NET any: listed, with a warning; inside HOME_NET: not
sed 's/SRC=198\.18\.0\.77/SRC=10.9.9.9/' "$tmp/spoof.log" >"$tmp/priv.log"
expect_status 0 "$vigil" analyze --config "$tmp/empty.conf" --list --min-dl 1 "$tmp/priv.log"
[ "$(cat "$tmp/out")" = "10.9.9.9" ] && ok || bad "private: $(tr '\n' ' ' <"$tmp/out")"
expect_grep "$tmp/err" '1 of the 1 listed are private.*set HOME_NET'
printf 'HOME_NET 10.0.0.0/8;\n' >"$tmp/home.conf"
expect_status 0 "$vigil" analyze --config "$tmp/home.conf" --list --min-dl 1 "$tmp/priv.log"
[ -s "$tmp/out" ] && bad "a HOME_NET source was listed" || ok
if grep -q 'private' "$tmp/err"; then bad "private warning with HOME_NET set"; else ok; fi
# --group-v6 64: the three scanners of ip6-scans are one network
expect_status 0 "$vigil" analyze --config "$tmp/empty.conf" --list --min-dl 1 --group-v6 64 "$cap/ip6-scans.rfc3339"
[ "$(cat "$tmp/out")" = "2001:db8:0:1::/64" ] && ok || bad "--group-v6 64: $(cat "$tmp/out")"
# usage errors: one output format; a set name nft accepts
expect_status 2 "$vigil" analyze --list --csv /dev/null
expect_status 2 "$vigil" analyze --nft-set 'x; flush ruleset' /dev/null
expect_status 2 "$vigil" analyze --nft-set b --nft-timeout 0 /dev/null

# --- the nft script, applied for real in a private network namespace
nft_part() {
	[ "$(id -u)" -eq 0 ] && command -v ip >/dev/null && command -v nft >/dev/null ||
		{ echo "exports.sh: nft part skipped (needs root, ip, nft)" >&2; return 0; }
	R=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	NS=vhE-exp$R
	ip netns add "$NS" || { echo "exports.sh: nft part skipped (no netns)" >&2; return 0; }
	trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$tmp"' EXIT
	inns() { ip netns exec "$NS" "$@"; }
	# set NAME's elements, one per line ("ADDR" or "ADDR/LEN"), sorted
	elements() {
		inns nft -j list set inet vigil "$1" | jq -r '.nftables[] | select(.set) | .set.elem // [] | .[] |
		  (.elem.val // .) | if type == "object" then "\(.prefix.addr)/\(.prefix.len)" else . end' | sort
	}
	# an empty list first: the sets exist, nothing else
	V --nft-set blocklist --min-dl 5 "$cap/ipt4-scans.rfc3164" >"$tmp/empty.nft" 2>/dev/null
	if inns nft -f - <"$tmp/empty.nft" 2>"$tmp/err"; then ok; else bad "empty script: $(cat "$tmp/err")"; fi
	[ -z "$(elements blocklist)" ] && ok || bad "empty script added elements"
	# IPv4 and IPv6 (a --group-v6 network), twice: the second run changes nothing
	cat "$cap/ipt4-scans.rfc3164" "$cap/ip6-scans.rfc3339" >"$tmp/both.log"
	V --nft-set blocklist --min-dl 2 --group-v6 64 "$tmp/both.log" >"$tmp/s.nft" 2>/dev/null
	V --list --min-dl 2 --group-v6 64 "$tmp/both.log" 2>/dev/null | sort >"$tmp/want"
	[ "$(wc -l <"$tmp/want")" -eq 9 ] && ok || bad "expected 9 entries: $(cat "$tmp/want")"
	for run in 1 2; do
		if inns nft -f - <"$tmp/s.nft" 2>"$tmp/err"; then ok; else bad "nft -f run $run: $(cat "$tmp/err")"; fi
		{ elements blocklist; elements blocklist6; } | sort >"$tmp/got"
		if cmp -s "$tmp/got" "$tmp/want"; then ok; else
			bad "run $run: set holds $(tr '\n' ' ' <"$tmp/got"), want $(tr '\n' ' ' <"$tmp/want")"
		fi
	done
	inns nft list set inet vigil blocklist6 >"$tmp/out"
	expect_grep "$tmp/out" '2001:db8:0:1::/64 timeout 1d'
	# another timeout on the same sets: accepted (renews where the kernel can)
	V --nft-set blocklist --min-dl 2 --nft-timeout 600 "$cap/ipt4-scans.rfc3164" >"$tmp/t.nft" 2>/dev/null
	if inns nft -f - <"$tmp/t.nft" 2>"$tmp/err"; then ok; else bad "--nft-timeout 600: $(cat "$tmp/err")"; fi
	# --nft-table: the sets in another inet table
	V --nft-set bl --nft-table filter --min-dl 3 "$cap/ipt4-scans.rfc3164" >"$tmp/f.nft" 2>/dev/null
	if inns nft -f - <"$tmp/f.nft" 2>"$tmp/err"; then ok; else bad "--nft-table filter: $(cat "$tmp/err")"; fi
	inns nft list set inet filter bl >"$tmp/out" 2>&1
	expect_grep "$tmp/out" '198\.18\.0\.2 timeout'
	expect_status 2 "$vigil" analyze --nft-set b --nft-table 'x y' /dev/null
	# thousands of addresses (chunked add element lines) in one transaction
	i=0
	while [ $i -lt 2500 ]; do
		a=$((i / 250)) b=$((i % 250 + 1))
		for p in 21 22 23 25 80 443; do
			echo "$H SRC=203.0.$a.$b DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=TCP SPT=40000 DPT=$p WINDOW=1024 RES=0x00 SYN URGP=0"
		done
		i=$((i + 1))
	done >"$tmp/many.log"
	V --nft-set many --min-dl 1 "$tmp/many.log" >"$tmp/many.nft" 2>/dev/null
	[ "$(grep -c '^add element' "$tmp/many.nft")" -eq 3 ] && ok || bad "2500 elements not in 3 lines"
	if inns nft -f - <"$tmp/many.nft" 2>"$tmp/err"; then ok; else bad "2500 elements: $(head -c 300 "$tmp/err")"; fi
	[ "$(elements many | wc -l)" -eq 2500 ] && ok || bad "set many holds $(elements many | wc -l), want 2500"
	# the drop rule of the script's comment (and the man page) drops a member's packets:
	# 198.18.0.3 (listed) talks to itself over lo; 192.0.2.200 (not listed) gets through
	inns ip link set lo up
	inns ip addr add 198.18.0.3/32 dev lo
	inns ip addr add 192.0.2.200/32 dev lo
	sed -n 's/^#   nft //p' "$tmp/s.nft" >"$tmp/rules"
	[ "$(wc -l <"$tmp/rules")" -eq 3 ] && ok || bad "the script's comment lacks the rules"
	while read -r rule; do
		eval "inns nft $rule" || bad "rule from the comment failed: $rule"
	done <"$tmp/rules"
	cat >"$tmp/udp.py" <<'EOF'
import socket, sys
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind((sys.argv[1], 9999)); r.settimeout(0.5)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], 0))
s.sendto(b"x", (sys.argv[1], 9999))
try:
    r.recv(10); print("received")
except socket.timeout:
    print("dropped")
EOF
	[ "$(inns python3 "$tmp/udp.py" 198.18.0.3)" = dropped ] && ok || bad "198.18.0.3 was not dropped"
	[ "$(inns python3 "$tmp/udp.py" 192.0.2.200)" = received ] && ok || bad "192.0.2.200 was dropped"
	ip netns del "$NS"
	trap 'rm -rf "$tmp"' EXIT
}
nft_part

echo "exports.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
