#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# cli.sh VIGIL - the command-line contract (../shared/reference/cli.md):
# exit codes, counting of every line, stdin and .gz input, hostile lines,
# config --check / --dump. Uses jq to read the JSON.
set -u
vigil=${1:?usage: cli.sh VIGIL}
[ -x "$vigil" ] || { echo "cli.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"

H='Nov 25 12:29:10 fw kernel: DROP IN=eth0 OUT= MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:08:00'
syn() { # syn SRC DPT
	echo "$H SRC=$1 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=4242 PROTO=TCP SPT=40000 DPT=$2 WINDOW=1024 RES=0x00 SYN URGP=0 OPT (020405B4)"
}

# --- exit codes
expect_status 0 "$vigil" --version
expect_grep "$tmp/out" "^vigil 0\.1\.0"
expect_status 0 "$vigil" --help
expect_status 0 "$vigil" analyze --help
expect_status 2 "$vigil"
expect_status 2 "$vigil" no-such-command
expect_status 2 "$vigil" analyze --no-such-option
expect_status 2 "$vigil" analyze --min-dl 9 /dev/null
expect_status 2 "$vigil" analyze --ip 999.1.2.3 /dev/null
expect_status 1 "$vigil" analyze "$tmp/does-not-exist.log"
expect_grep "$tmp/err" "does-not-exist.log"
# (a missing explicit config: run must not start a daemon on the host's default paths here)
expect_status 1 "$vigil" run --foreground --config "$tmp/does-not-exist.conf"

# --- a small SYN scan: 6 ports -> DL1 SYN -sS; every line counted once
{
	for p in 21 22 23 25 80 443; do syn 198.18.0.7 $p; done
	echo "Nov 25 12:29:11 fw sshd[311]: Accepted publickey for root"
	echo "Nov 25 12:29:11 fw logger: DROP IN=eth0 OUT= SRC=198.18.0.99 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1024 RES=0x00 SYN URGP=0"
	echo "$H SRC=198.18.0.300 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1024 RES=0x00 SYN URGP=0"
	echo ""
} >"$tmp/scan.log"
expect_status 0 "$vigil" analyze --json "$tmp/scan.log"
expect_json '.input | [.lines, .events, .ignored, .malformed]' '[10,6,3,1]'
expect_json '.input.lines == .input.events + .input.ignored + .input.malformed' 'true'
expect_json '.input.ignored_by.not_kernel' '1'
expect_json '[.sources[].src]' '["198.18.0.7"]'
# the scan alone is DL1; the built-in signature set names nmap's window-1024
# SYN (a tool fingerprint: DL1) and the services probed (DL1 each)
expect_json '.sources[0] | [.danger_level, .packets, .scan_types, .nmap]' '[1,6,["SYN"],["-sS"]]'
expect_json '.sources[0].destinations[0].danger_level' '1'
expect_json '[.sources[0].signatures[] | select(.sid == 3000007) | [.dl, .count]]' '[[1,6]]'
expect_json '[.sources[0].signatures[] | .sid] | contains([3000079])' 'true'
expect_json '.sources[0] | [.signature_level, .os_guess, .invalid_icmp]' '[1,["NMAP:syn scan"],0]'
expect_status 0 "$vigil" analyze --json --no-signatures "$tmp/scan.log"
expect_json '.sources[0] | [.danger_level, .signatures]' '[1,[]]'
expect_json '.sources[0].destinations[0].tcp | [.ports, .port_min, .port_max, .port_count]' \
	'["21-23,25,80,443",21,443,6]'
expect_json '.sources[0].destinations[0] | [.dst, .chain, .in, .out]' '["198.18.0.1","INPUT","eth0",""]'
expect_json '.sources[0].first_seen' '"2026-11-25T12:29:10"'

# --verbose names the malformed line FILE:LINE:COLUMN with what was expected
expect_status 0 "$vigil" analyze --verbose --json "$tmp/scan.log"
expect_grep "$tmp/err" "scan.log:9:[0-9]*: expected IPv4 address after SRC=, got '198.18.0.300'"

# --- stdin and .gz give the same counts as the plain file
"$vigil" analyze --json - <"$tmp/scan.log" >"$tmp/stdin.json" 2>/dev/null
gzip -c "$tmp/scan.log" >"$tmp/scan.log.gz"
expect_status 0 "$vigil" analyze --json "$tmp/scan.log.gz"
if [ "$(jq -c .sources "$tmp/out")" = "$(jq -c .sources "$tmp/stdin.json")" ]; then ok; else bad "gz and stdin differ"; fi
# a truncated .gz is a runtime error naming the file, not a silent short read
head -c 100 "$tmp/scan.log.gz" >"$tmp/cut.log.gz"
expect_status 1 "$vigil" analyze --json "$tmp/cut.log.gz"
expect_grep "$tmp/err" "cut.log.gz"

# --- /dev/kmsg as a file: what the ring buffer holds, then the end (no blocking)
if [ -r /dev/kmsg ]; then
	expect_status 0 timeout 30 "$vigil" analyze --json /dev/kmsg
	expect_json '.input.lines > 0 and .input.lines == .input.events + .input.ignored + .input.malformed' 'true'
fi

# --- hostile lines: NUL bytes, invalid UTF-8, overlong: malformed, never a crash
{
	printf '%s SRC=198.18.0.8 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=TCP SPT=1 DPT=2\000 WINDOW=1024 RES=0x00 SYN URGP=0\n' "$H"
	printf 'Nov 25 12:29:10 fw kernel: DR\377OP IN=eth0 OUT= SRC=198.18.0.8 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1024 RES=0x00 SYN URGP=0\n'
	printf '%s SRC=198.18.0.8 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1024 RES=0x00 SYN URGP=0 %s\n' "$H" "$(head -c 20000 /dev/zero | tr '\0' 'A')"
	syn 198.18.0.8 99
} >"$tmp/hostile.log"
expect_status 0 "$vigil" analyze --json "$tmp/hostile.log"
expect_json '.input | [.lines, .events, .malformed]' '[4,1,3]'

# --- text report: no colour when not a tty, lines fit 80 columns
expect_status 0 "$vigil" analyze "$tmp/scan.log"
if grep -q "$(printf '\033')" "$tmp/out"; then bad "ANSI escapes in piped text report"; else ok; fi
if awk 'length($0) > 80 { exit 1 }' "$tmp/out"; then ok; else bad "text report wider than 80 columns"; fi
expect_grep "$tmp/out" "198.18.0.7"

# --- filters: --min-dl, --ip
expect_status 0 "$vigil" analyze --json --min-dl 3 "$tmp/scan.log"
expect_json '.sources | length' '0'
expect_status 0 "$vigil" analyze --json --ip 198.18.0.0/24 "$tmp/scan.log"
expect_json '.sources | length' '1'
expect_status 0 "$vigil" analyze --json --ip 2001:db8::/32 "$tmp/scan.log"
expect_json '.sources | length' '0'

# --- config: --check reports FILE:LINE and exits 1 on error; --dump round-trips
printf 'DANGER_LEVEL1 abc;\nNO_SUCH_KEY 1;\n' >"$tmp/bad.conf"
expect_status 1 "$vigil" config --check --config "$tmp/bad.conf"
expect_grep "$tmp/err" "bad.conf:1: error"
expect_grep "$tmp/err" "bad.conf:2: warning"
printf 'DANGER_LEVEL1 3;\nIGNORE_PORTS tcp/53-53, udp/137-139;\n' >"$tmp/good.conf"
expect_status 0 "$vigil" config --check --config "$tmp/good.conf"
expect_status 0 "$vigil" config --dump --config "$tmp/good.conf"
cp "$tmp/out" "$tmp/dump.conf"
expect_grep "$tmp/dump.conf" "^DANGER_LEVEL1 *3;"
expect_status 0 "$vigil" config --dump --config "$tmp/dump.conf"
if cmp -s "$tmp/out" "$tmp/dump.conf"; then ok; else bad "config --dump does not round-trip"; fi
expect_status 1 "$vigil" analyze --config "$tmp/missing.conf" "$tmp/scan.log"
# a config's threshold changes the verdict: DL1 at 3 packets
expect_status 0 "$vigil" analyze --json --no-signatures --config "$tmp/good.conf" "$tmp/scan.log"
expect_json '.sources[0].danger_level' '1'

# --- HOME_NET marks local sources (psad's "Local IP"); "any" marks none
printf 'HOME_NET 198.18.0.0/29, 2001:db8::/32;\n' >"$tmp/home.conf"
expect_status 0 "$vigil" analyze --json --config "$tmp/home.conf" "$tmp/scan.log"
expect_json '.sources[0].local' 'true'
printf 'HOME_NET 198.18.1.0/24;\n' >"$tmp/home2.conf"
expect_status 0 "$vigil" analyze --json --config "$tmp/home2.conf" "$tmp/scan.log"
expect_json '.sources[0].local' 'false'
expect_status 0 "$vigil" analyze --json "$tmp/scan.log"
expect_json '.sources[0].local' 'false'

# --- auto_dl: level 5 for the scanner, level 0 hides a source
printf '198.18.0.7   5;\n' >"$tmp/auto_dl"
expect_status 0 "$vigil" analyze --json --auto-dl "$tmp/auto_dl" "$tmp/scan.log"
expect_json '.sources[0].danger_level' '5'
printf '198.18.0.0/24   0;\n' >"$tmp/auto_dl0"
expect_status 0 "$vigil" analyze --json --auto-dl "$tmp/auto_dl0" "$tmp/scan.log"
expect_json '[(.sources | length), .input.ignored_by.auto_dl]' '[0,6]'
printf '198.18.0.7 5\n' >"$tmp/auto_dl_bad"
expect_status 1 "$vigil" analyze --json --auto-dl "$tmp/auto_dl_bad" "$tmp/scan.log"
expect_grep "$tmp/err" "auto_dl_bad:1"

# --- the built-in data sets on the crafted capture (the fixtures load psad's
# signatures; here vigil's own set, ICMP tables and fingerprints)
crafted=$(dirname "$0")/data/capture/crafted.rfc3164
src() { echo ".sources[] | select(.src == \"$1\")"; }
expect_status 0 "$vigil" analyze --json "$crafted"
# one Back Orifice datagram: the rule is level 3, the source DL 2 (DL 3+
# needs evidence: a scan, repetition or several attacks; intel.c)
expect_json "$(src 198.18.0.104) | [.danger_level, [.signatures[] | [.sid, .dl]]]" '[2,[[3000068,3]]]'
expect_json "$(src 198.18.0.100) | [.signatures[] | .sid] | contains([100205])" 'true'
expect_json "$(src 198.18.0.109) | [.signatures[] | .sid]" '[623]'
expect_json "$(src 198.18.0.111) | [.danger_level, [.signatures[] | .sid]]" '[2,[384]]'
expect_json "$(src 198.18.0.115) | [.danger_level, .invalid_icmp, .invalid_icmp_types]" '[2,1,{"8/2":1}]'
expect_json "$(src 2001:db8:0:1::100) | [.danger_level, .invalid_icmp, .invalid_icmp_types]" '[2,1,{"135/22":1}]'
expect_json "$(src 198.18.0.118) | [.ip_options, .source_routed]" '[{"lsrr":2},2]'
expect_json "$(src 198.18.0.117) | [.ip_options, .source_routed]" '[{"rr":2},0]'
expect_json "$(src 198.18.0.121) | .scanners" '["Mirai"]'
expect_json "$(src 198.18.0.122) | .scanners" '["Mirai"]'
expect_json "$(src 198.18.0.123) | .scanners" '["Masscan"]'
expect_json "$(src 2001:db8:0:1::102) | [.scanners, .scan_types]" '[["Topera"],["SYN"]]'
expect_json "$(src 198.18.0.100) | .scanners" '[]'
expect_json "$(src 198.18.0.124) | .os_guess | contains([\"NMAP:syn scan\"])" 'true'
expect_json "$(src 198.18.0.125) | .os_guess" '["Linux:4.19 and newer"]'
# nmap's SYN scans in the other captures get a guess too (psad's set gives none)
expect_status 0 "$vigil" analyze --json "$(dirname "$0")/data/capture/ipt4-scans.rfc3164"
expect_json "$(src 198.18.0.3) | .os_guess" '["NMAP:syn scan"]'
expect_json "$(src 198.18.0.2) | .os_guess" '["Linux:4.19 and newer"]'
expect_status 0 "$vigil" analyze --json "$(dirname "$0")/data/capture/ip6-scans.rfc3339"
expect_json "$(src 2001:db8:0:1::3) | .os_guess" '["NMAP:syn scan"]'
expect_json "$(src 2001:db8:0:1::2) | .os_guess" '["Linux:4.19 and newer"]'
# the text report shows them, within 80 columns
expect_status 0 "$vigil" analyze "$crafted"
expect_grep "$tmp/out" "signatures  sid 3000068 DL 3 x1  BACKDOOR Back Orifice"
expect_grep "$tmp/out" "scanner     Mirai"
expect_grep "$tmp/out" "bad ICMP    type 8 (Echo) code 2 x1"
if awk 'length($0) > 80 { exit 1 }' "$tmp/out"; then ok; else bad "crafted text report wider than 80 columns"; fi
# switched off one by one
expect_status 0 "$vigil" analyze --json --no-signatures --no-icmp-types --no-os-guess "$crafted"
expect_json '[.sources[] | .signatures[]] | length' '0'
expect_json '[.sources[] | .invalid_icmp] | add' '0'
expect_json '[.sources[] | .os_guess[]] | length' '0'

# --- reputation lists: longest prefix, level, FILE:LINE for bad lines
printf '# test list\n198.18.0.0/16\n198.18.0.125 ; the connect() scanner\nnot-an-address\n' >"$tmp/bad-nets"
expect_status 0 "$vigil" analyze --json --reputation "$tmp/bad-nets" "$crafted"
expect_json "$(src 198.18.0.125) | [.danger_level, .reputation.network, .reputation.dl]" '[4,"198.18.0.125",4]'
expect_json "$(src 198.18.0.111) | [.danger_level, .reputation.network]" '[4,"198.18.0.0/16"]'
expect_json "$(src 2001:db8:0:1::100) | has(\"reputation\")" 'false'
expect_grep "$tmp/err" "bad-nets:4: error"
printf 'REPUTATION_FILES %s;\nREPUTATION_DANGER_LEVEL 5;\n' "$tmp/bad-nets" >"$tmp/rep.conf"
expect_status 0 "$vigil" analyze --json --config "$tmp/rep.conf" "$crafted"
expect_json "$(src 198.18.0.125) | .danger_level" '5'
expect_status 1 "$vigil" analyze --json --reputation "$tmp/no-such-list" "$crafted"
expect_grep "$tmp/err" "no-such-list"
# a directory is not a list: fatal, like a missing file
expect_status 1 "$vigil" analyze --json --reputation "$tmp" "$crafted"
expect_grep "$tmp/err" "not a regular file"

# --- --signatures: a bad rule is FILE:LINE, skipped, counted; the rest match;
# a rule needing payload is reported once as unsupported; a missing file is fatal
{
	echo '# test rules'
	echo 'alert tcp any any -> any 23 (msg:"telnet"; flags:S; sid:1; psad_dl:4;)'
	echo 'alert tcp any any -> any 23 (msg:"unterminated; sid:2;)'
	echo 'alert tcp any any -> any 80 (msg:"payload"; content:"GET"; sid:3;)'
	echo 'alert tcp any any -> any 81 (msg:"payload 2"; content:"GET"; sid:4;)'
} >"$tmp/rules"
expect_status 0 "$vigil" analyze --json --signatures "$tmp/rules" "$crafted"
# the rule's psad_dl 4 needs evidence beyond 10 SYNs to one port (a scan at
# DL 2, a sweep, DANGER_LEVEL2 matching packets or 3 such rules): DL 2
expect_json "$(src 198.18.0.121) | [.danger_level, [.signatures[] | [.sid, .count, .dl]]]" '[2,[[1,10,4]]]'
expect_grep "$tmp/err" "rules:3: error"
expect_grep "$tmp/err" "rules:4: warning: .*content.*2 rules"
expect_status 1 "$vigil" analyze --json --signatures "$tmp/no-such-rules" "$crafted"
expect_grep "$tmp/err" "no-such-rules"
printf 'SIGNATURES_FILE %s;\n' "$tmp/no-such-rules" >"$tmp/sig.conf"
expect_status 1 "$vigil" analyze --json --config "$tmp/sig.conf" "$crafted"
# psad's own set, through a psad.conf naming it (SIGS_FILE), loads without a word
printf 'SIGS_FILE %s/data/psad/signatures;\n' "$(cd "$(dirname "$0")" && pwd)" >"$tmp/psadsig.conf"
expect_status 0 "$vigil" analyze --json --config "$tmp/psadsig.conf" "$crafted"
expect_json "$(src 198.18.0.100) | [.signatures[] | .sid]" '[100205]'
if [ -s "$tmp/err" ]; then bad "psad's signatures gave diagnostics: $(head -c 300 "$tmp/err")"; else ok; fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
