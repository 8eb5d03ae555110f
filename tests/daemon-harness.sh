#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# daemon-harness.sh VIGIL - the daemon tests' own harness (tests/daemon-lib.sh),
# so that a daemon test failing means the daemon, not the harness:
#   - the syslog-line reader on the contract's sample lines (cli.md) and on
#     lines it must refuse;
#   - as root: the two namespaces, LOG and NFLOG rules (iptables, ip6tables,
#     nftables), and a SYN scan that the kernel logs record by record: the
#     rules' counters, the records in /dev/kmsg, the private rsyslogd's file
#     all agree, and `vigil analyze` on that file finds the scan at the level
#     the counter gives. A forged line from an unprivileged logger reaches
#     rsyslog but not the kern.* file.
set -u
vigil=${1:?usage: daemon-harness.sh VIGIL}
[ -x "$vigil" ] || { echo "daemon-harness.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"

# 1. the line reader, on cli.md's own examples
f=$(dl_syslog_fields 'scan detected (nmap -sS): 198.51.100.7 -> 203.0.113.2 tcp: [1-65301] flags: SYN tcp pkts: 1532 DL: 4 total scan dsts: 1')
check "sample tcp" "$(echo "$f" | tr '\n' '|')" 'style=nmap -sS|src=198.51.100.7|dst=203.0.113.2|tcp=1-65301|flags=SYN|tcp_pkts=1532|dl=4|dsts=1|'
f=$(dl_syslog_fields 'scan detected (nmap -sU): 198.51.100.7 -> 203.0.113.2 udp: [7-1900] udp pkts: 302 DL: 3 total scan dsts: 1')
check "sample udp" "$(echo "$f" | tr '\n' '|')" 'style=nmap -sU|src=198.51.100.7|dst=203.0.113.2|udp=7-1900|udp_pkts=302|dl=3|dsts=1|'
f=$(dl_syslog_fields 'scan detected: 2001:db8::7 -> 2001:db8::1 tcp: [1083] flags: SYN / URG PSH FIN tcp pkts: 9 udp: [53] udp pkts: 2 DL: 1 total scan dsts: 3')
check "no style, two flag sets, two protocols" "$(echo "$f" | tr '\n' '|')" 'style=|src=2001:db8::7|dst=2001:db8::1|tcp=1083|flags=SYN / URG PSH FIN|tcp_pkts=9|udp=53|udp_pkts=2|dl=1|dsts=3|'
f=$(dl_syslog_fields 'scan detected (PROTO): 198.51.100.7 -> 203.0.113.2 icmp pkts: 3 other proto pkts: 12 DL: 2 total scan dsts: 1')
check "icmp and other protocols" "$(echo "$f" | tr '\n' '|')" 'style=PROTO|src=198.51.100.7|dst=203.0.113.2|icmp_pkts=3|other_pkts=12|dl=2|dsts=1|'
check "a signature line is no scan line" "$(dl_syslog_fields 'src: 198.51.100.7 signature match: "ICMP PING" (sid: 384) icmp')" 'error=not a scan line'
f=$(dl_syslog_fields 'scan detected (nmap -sS): 198.51.100.7 -> 203.0.113.2 tcp: [1-2] flags: SYN tcp pkts: 2 DL: 1 total dsts: 1')
check "an unknown word is reported" "$(dl_field "$f" unknown)" total
check "levels" "$(dl_level_for 4) $(dl_level_for 5) $(dl_level_for 149) $(dl_level_for 150) $(dl_level_for 1500) $(dl_level_for 65535)" "0 1 2 3 4 5"
# a datagram as the listener stores it
printf '1765000000.000001 <28>Dec  6 06:00:00 vigil[42]: scan detected (nmap -sS): 198.18.9.2 -> 198.18.9.1 tcp: [1-200] flags: SYN tcp pkts: 200 DL: 3 total scan dsts: 1\n' > "$tmp/syslog.out"
sl=$(dl_syslog_scan 198.18.9.2 198.18.9.1)
check "stored datagram: PRI" "${sl%% *}" 28
check "stored datagram: DL" "$(dl_field "$(dl_syslog_fields "${sl#* }")" dl)" 3
check "stored datagram, other pair" "$(dl_syslog_scan 198.18.9.2 198.18.9.3)" ""

if [ "$(id -u)" -ne 0 ] || ! command -v nmap >/dev/null 2>&1; then
	echo "daemon-harness: $pass passed, $fail failed (namespace part skipped: needs root and nmap)"
	[ "$fail" -eq 0 ]
	exit
fi

# 2. the namespaces, the rules and a real scan
dl_init nmap rsyslogd setpriv logger nft journalctl unshare nsenter
dl_netns_up || { bad "namespaces"; echo "daemon-harness: $pass passed, $fail failed"; exit 1; }
dl_rsyslog_start || bad "private rsyslogd did not start: $(cat "$tmp/rsyslog.err")"
dl_journald_start || bad "private journald did not start: $(cat "$tmp/journald.err")"
dl_rule 4 log log4 && dl_rule 4 nflog nflog4 7 && dl_rule 6 log log6 || bad "iptables rules"
dl_nft_rule nflog nft 8 || bad "nft rules"
dl_ns_a nmap -n -Pn -sS -p 1-200 -T4 "$T4" > "$tmp/nmap.out" 2>&1 || bad "nmap -sS: $(tail -n 2 "$tmp/nmap.out")"
dl_ns_a nmap -n -Pn -6 -sS -p 1-30 -T4 "$T6" > "$tmp/nmap6.out" 2>&1 || bad "nmap -6 -sS"
check "iptables LOG counter" "$(dl_counter 4 log4)" 200
check "iptables NFLOG counter" "$(dl_counter 4 nflog4)" 200
check "ip6tables LOG counter" "$(dl_counter 6 log6)" 30
check "nft counters (both families)" "$(($(dl_counter nft nft-4) + $(dl_counter nft nft-6)))" 230
# every record reaches /dev/kmsg and the private rsyslogd's kern.* file
check "records in the kernel log" "$(dmesg | grep -c "$ID IN=$VT")" 230
dl_poll 50 0.1 sh -c "[ \$(grep -c '$ID' '$FW_LOG' 2>/dev/null) -ge 230 ]"
check "records in rsyslog's file" "$(grep -c "kernel: .*$ID IN=$VT" "$FW_LOG")" 230
"$vigil" analyze --json "$FW_LOG" > "$tmp/out" 2>"$tmp/err"
expect_json '.input | [.events, .malformed]' '[230,0]'
expect_json "[.sources[] | select(.src == \"$A4\") | .danger_level, .scan_types, (.destinations[0] | .tcp.ports, .tcp.flags)]" \
	"[3,[\"SYN\"],\"1-200\",{\"SYN\":200}]"
expect_json "[.sources[] | select(.src == \"$A6\") | .danger_level]" '[2]'

# the private journal has them as the kernel's (transport kernel, facility 0)
dl_poll 50 0.1 sh -c "[ \$(nsenter --mount=/proc/$dl_journald_pid/ns/mnt journalctl -k -o cat --no-pager | grep -c '$ID IN=') -ge 230 ]"
check "records in the private journal" "$(dl_in_journal journalctl _TRANSPORT=kernel SYSLOG_FACILITY=0 -o cat --no-pager | grep -c "$ID IN=$VT")" 230
check "the host's journal untouched" "$(journalctl -k -o cat --no-pager 2>/dev/null | grep -c "$ID IN=")" 0
dl_in_journal setpriv --reuid=nobody --regid=nogroup --clear-groups logger -u /run/systemd/journal/dev-log -t kernel "$ID forged by nobody" ||
	bad "logger into the private journal"
dl_poll 20 0.1 sh -c "nsenter --mount=/proc/$dl_journald_pid/ns/mnt journalctl -o cat --no-pager | grep -q '$ID forged by nobody'"
check "a forged kernel line's transport" "$(dl_in_journal journalctl -t kernel -o json --no-pager | jq -r "select(.MESSAGE == \"$ID forged by nobody\") | ._TRANSPORT")" syslog

# an unprivileged process: rsyslog takes its line, the kern.* file does not
setpriv --reuid=nobody --regid=nogroup --clear-groups logger -u "$RS_SOCK" -t kernel \
	"$ID IN=$VT OUT= SRC=198.18.$R.66 DST=$T4 LEN=44 TTL=58 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1024 RES=0x00 SYN URGP=0" ||
	bad "logger as nobody"
dl_poll 50 0.1 grep -q "198.18.$R.66" "$ALL_LOG" || bad "the forged line did not reach rsyslog"
check "forged line in kern.*" "$(grep -c "198.18.$R.66" "$FW_LOG")" 0
# an unprivileged write to /dev/kmsg is refused outright
if setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c "echo '<0>$ID forged' > /dev/kmsg" 2>/dev/null; then
	bad "nobody could write /dev/kmsg"
else ok; fi

echo "daemon-harness: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
