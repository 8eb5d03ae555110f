#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# text-report.sh VIGIL - the text report a person reads first: a summary
# that fits one screen before the details, --summary stops there, --top
# bounds the lists and the details, one nmap run reads as one thing (-O,
# -sO, -sn), a sweep reads as one line with a host range, counts are
# grouped, no line is wider than the width.
set -u
vigil=${1:?usage: text-report.sh VIGIL}
[ -x "$vigil" ] || { echo "text-report.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
cap=$(dirname "$0")/data/capture
real=/work/shared/data/realworld/vps-ru-ufw/logs-arch_ufw.log.1

# lines before the first line matching PATTERN in $tmp/out (all when none)
lines_before() {
	n=$(grep -n -m1 -- "$1" "$tmp/out" | cut -d: -f1)
	if [ -n "$n" ]; then echo $((n - 1)); else wc -l <"$tmp/out"; fi
}
# expect_max_width FILE WIDTH
expect_max_width() {
	w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$1")
	if [ "$w" -le "$2" ]; then ok; else bad "$1: a line of $w columns, more than $2"; fi
}

# --- a real log with 1,141 sources: the summary fits one screen
if [ -r "$real" ]; then
	expect_status 0 "$vigil" analyze --no-color "$real"
	n=$(lines_before "^SOURCES BY DANGER LEVEL")
	if [ "$n" -le 60 ]; then ok; else bad "summary of $real is $n lines, more than 60"; fi
	expect_grep "$tmp/out" "^vigil [0-9.]* port scan report: 1 file (2,211,268 bytes), 8,351 lines,"
	expect_grep "$tmp/out" "^  by level    DL 5: 0, DL 4: 0, DL 3: 15, DL 2: 146, DL 1: 721, DL 0: 259$"
	expect_grep "$tmp/out" "^  DL scale    1-5: a destination's packets 5/15/150/1,500/10,000"
	expect_grep "$tmp/out" "^TOP SOURCES (10 of 1,141; --top N for more)$"
	expect_grep "$tmp/out" "^ 3  80.82.64.107  *400  SYN scan (nmap -sS), 400 tcp ports on 1 host"
	expect_grep "$tmp/out" "^TOP SIGNATURES$"
	expect_grep "$tmp/out" "^  tcp/22 86, tcp/23 61, "
	expect_grep "$tmp/out" "^  prefix      \[UFW BLOCK\] 8,330$"
	expect_grep "$tmp/out" "^  interface   eth0 8,330$"
	expect_grep "$tmp/out" "^  chain       INPUT 8,330$"
	# DL 0 sources are counted, not detailed
	expect_grep "$tmp/out" "^882 sources at DL 1 and above are detailed below; 259 more are counted"
	if grep -q "^SRC .*  DL 0  " "$tmp/out"; then bad "a DL 0 source detailed without --min-dl"; else ok; fi
	# a port list is bounded in the details; the count says how many
	expect_grep "$tmp/out" "^          .*, \.\.\. 367 more, 400 ports$"
	expect_max_width "$tmp/out" 80
	# --summary stops after the summary
	expect_status 0 "$vigil" analyze --no-color --summary "$real"
	n=$(wc -l <"$tmp/out")
	if [ "$n" -le 60 ]; then ok; else bad "--summary printed $n lines"; fi
	if grep -q "^DETAILS\|^SRC \|^SOURCES BY DANGER LEVEL" "$tmp/out"; then
		bad "--summary printed the details"
	else
		ok
	fi
	expect_grep "$tmp/out" "^  chain       INPUT 8,330$"
	# --top 3: three sources listed, three detailed
	expect_status 0 "$vigil" analyze --no-color --top 3 "$real"
	expect_grep "$tmp/out" "^TOP SOURCES (3 of 1,141; --top N for more)$"
	n=$(grep -c "^SRC " "$tmp/out")
	if [ "$n" -eq 3 ]; then ok; else bad "--top 3 detailed $n sources"; fi
	expect_grep "$tmp/out" "^3 sources at DL 1 and above are detailed below; 1,138 more"
	# --min-dl 3: the details start there
	expect_status 0 "$vigil" analyze --no-color --min-dl 3 "$real"
	n=$(grep -c "^SRC " "$tmp/out")
	if [ "$n" -eq 15 ]; then ok; else bad "--min-dl 3 detailed $n sources, expected 15"; fi
else
	echo "text-report.sh: $real absent, the real-log checks skipped" >&2
fi

# --- nmap -O reads as OS fingerprinting, one thing, per-shape counts kept
expect_status 0 "$vigil" analyze --no-color "$cap/crafted.rfc3164"
expect_grep "$tmp/out" "^ 2  198.18.0.124 .*  OS fingerprinting (nmap -O)"
expect_grep "$tmp/out" "^  why         OS fingerprinting (nmap -O), icmp + tcp 80-81 + udp 33467 on 1$"
expect_grep "$tmp/out" "^  scan types  SYN (-sS), CONNECT (-sT), NULL (-sN), XMAS (-sX), ACK (-sA),$"
expect_grep "$tmp/out" "^  why         OS fingerprinting (nmap -O), icmp6 + tcp"
expect_max_width "$tmp/out" 80

# --- ipt4-scans: -sO, -sn sweep collapsed, the scans in words
expect_status 0 "$vigil" analyze --no-color "$cap/ipt4-scans.rfc3164"
expect_grep "$tmp/out" "^ 2  198.18.0.8  *27  IP protocol scan (nmap -sO), 27 IP protocols on 1 host;"
expect_grep "$tmp/out" "^  why         IP protocol scan (nmap -sO), 27 IP protocols on 1 host; DL 2 from$"
expect_grep "$tmp/out" "^    IP protocols igmp, 3, ipip, 5, 7, egp, 9,"
expect_grep "$tmp/out" "^ 2  198.18.0.9  *160  ping sweep (nmap -sn), icmp + tcp 80,443 on 20 hosts;"
expect_grep "$tmp/out" "^  targets     20 hosts 198.18.0.10-29, tcp 80,443$"
# the 20 destinations of the sweep: one block, not 20
expect_grep "$tmp/out" "^  DST 198.18.0.10-29 (20 hosts)  DL 2  chain INPUT in eth0 out -$"
n=$(grep -c "^  DST 198.18.0.1[0-9] " "$tmp/out")
if [ "$n" -eq 0 ]; then ok; else bad "the sweep's destinations printed one by one ($n)"; fi
expect_grep "$tmp/out" "^    tcp  80 pkts  ports 80,443 (2)  flags SYN:40, ACK:40$"
expect_grep "$tmp/out" "^ 3  198.18.0.3  *201  SYN scan (nmap -sS), 201 tcp ports on 1 host;"
expect_grep "$tmp/out" "^ 3  198.18.0.2  *160  connect scan (nmap -sT), 160 tcp ports on 1 host;"
expect_grep "$tmp/out" "^  tcp/2000-2019 3, tcp/80 2, "
expect_grep "$tmp/out" "^  198.18.0.1 7/498, 198.18.0.10-18 1/8 each$"

# --- nft4-scans: a SYN sweep of one port over 12 hosts
expect_status 0 "$vigil" analyze --no-color "$cap/nft4-scans.kmsg"
expect_grep "$tmp/out" "^  why         SYN sweep (nmap -sS), tcp 1083 on 12 hosts; DL 1 from a sweep of$"
expect_grep "$tmp/out" "^  targets     12 hosts 198.18.0.10-21, tcp 1083$"
expect_grep "$tmp/out" "^  DST 198.18.0.10-21 (12 hosts)  DL 1  chain INPUT in eth0 out -$"
# three prefixes, one of them none
expect_grep "$tmp/out" "^  prefix      nft-drop: "
expect_grep "$tmp/out" "(none) "

# --- narrow terminals: nothing wider than the width (COLUMNS is not read
# when stdout is not a terminal: the report's 80 applies)
expect_status 0 "$vigil" analyze --no-color "$cap/ip6-scans.rfc3339"
expect_max_width "$tmp/out" 80
expect_grep "$tmp/out" "^ 2  2001:db8:0:1::3  *101  SYN scan (nmap -sS), 101 tcp ports on 1 host;"

# --- hostile prefixes and interfaces are escaped in the counts
H='Nov 25 12:29:10 fw kernel:'
T='MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:08:00 SRC=198.18.0.77 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=4242 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0'
printf '%s \033[2Jevil\\ IN=eth\0330 OUT= %s\n' "$H" "$T" >"$tmp/hostile.log"
expect_status 0 "$vigil" analyze --no-color "$tmp/hostile.log"
if grep -q "$(printf '\033')" "$tmp/out"; then bad "an escape byte reached the report"; else ok; fi
expect_grep "$tmp/out" '^  prefix      \\x1b\[2Jevil\\x5c 1$'
expect_grep "$tmp/out" '^  interface   eth\\x1b0 1$'

# --- the DL scale shows the thresholds in force
printf 'DANGER_LEVEL1 3;\nDANGER_LEVEL2 12;\n' >"$tmp/dl.conf"
expect_status 0 "$vigil" analyze --no-color --summary --config "$tmp/dl.conf" "$cap/benign.rfc3164"
expect_grep "$tmp/out" "^  DL scale    1-5: a destination's packets 3/12/150/1,500/10,000 or a source's$"

# --- an input not read to the end: named in the summary with its reason
if command -v gzip >/dev/null 2>&1; then
	gzip -c <"$cap/ipt4-scans.rfc3164" >"$tmp/whole.gz"
	size=$(wc -c <"$tmp/whole.gz" | tr -d ' ')
	head -c $((size / 2)) "$tmp/whole.gz" >"$tmp/cut.gz"
	expect_status 1 "$vigil" analyze --no-color --summary "$tmp/cut.gz" "$tmp/nonexistent.log"
	expect_grep "$tmp/out" "^  INPUT LOST  2 input(s) not read to the end"
	expect_grep "$tmp/out" "^  read errors .*cut.gz: gzip data ends"
	expect_grep "$tmp/out" "truncated$"
	expect_grep "$tmp/out" "^              .*nonexistent.log: "
fi

echo "text-report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
