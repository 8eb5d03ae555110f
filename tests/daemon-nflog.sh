#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# daemon-nflog.sh VIGIL - `vigil run` reading NFLOG (INPUT_SOURCES nflog:GROUP)
# in the target namespace (NFLOG groups belong to a network namespace), IPv4
# and IPv6 through iptables/ip6tables NFLOG rules:
#   - the scans of tests/daemon-lib.sh (dl_scan_suite): alerts within 1 s of
#     a scan's end, syslog line and JSON alert, status --json exact;
#   - a restart between two scans keeps the level (NFLOG has no backlog for a
#     daemon that is down: nothing is sent meanwhile);
#   - SIGHUP keeps state;
#   - a full-speed `nmap -sS -p- -T5` is counted exactly: status's packets =
#     the rule's packet counter, lost 0 (the book's lost half of a fast scan
#     must not happen here).
set -u
vigil=${1:?usage: daemon-nflog.sh VIGIL}
[ -x "$vigil" ] || { echo "daemon-nflog.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"
dl_init nmap hping3
dl_need_daemon
dl_netns_up || { bad "namespaces"; exit 1; }
dl_syslog_listen || bad "syslog listener"
G=$((R + 100))
dl_rule 4 nflog r4 $G && dl_rule 6 nflog r6 $G || bad "NFLOG rules"
c4() { dl_counter 4 r4; }
c6() { dl_counter 6 r6; }

dl_conf n "nflog:$G"
if dl_vigil_start n "$NS_T"; then
	echo "daemon-nflog: ready in ${VREADY_MS} ms"
	dl_scan_suite n c4 c6
	dl_restart n "$NS_T" c4 no
	dl_sighup n c4
	# full speed, every port
	dst=198.18.$R.8
	before=$(c4)
	t0=$(now_ms)
	dl_ns_a nmap -n -Pn -sS -T5 -p- "$dst" < /dev/null > "$tmp/n/scan.out" 2>&1 || bad "nmap -p- -T5"
	t1=$(now_ms)
	want=$(c4)
	check "nmap -p- -T5: packets the rule counted" "$((want - before >= 65535))" 1
	dl_poll 100 0.1 sh -c "[ \"\$('$vigil' status --json --ip $A4 --config '$tmp/n/vigil.conf' | jq '[.sources[] | select(.src == \"$A4\") | .packets] | add')\" = $want ]"
	echo "daemon-nflog: nmap -p- -T5 sent $((want - before)) packets in $((t1 - t0)) ms ($(((want - before) * 1000 / (t1 - t0 + 1))) packets/s)"
	check "nmap -p- -T5: packets from $A4 = the rule's counter" "$(dl_src_packets n "$A4")" "$want"
	check "nmap -p- -T5: lost" "$(dl_sjq n .input.lost)" 0
	check "nmap -p- -T5: $dst's ports and level" "$(dl_pair_json n "$A4" "$dst" '[.tcp.ports, .tcp.packets, .danger_level]')" \
		"[\"1-65535\",$((want - before)),$(dl_level_for $((want - before)))]"
	dl_finish n
else
	bad "vigil run --foreground did not become ready"
fi
echo "daemon-nflog: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
