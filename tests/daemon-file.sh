#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# daemon-file.sh VIGIL - `vigil run` following a file (INPUT_SOURCES file:PATH)
# that a real rsyslogd writes, rotated by logrotate in the middle of scans.
#
# The writer: a private rsyslogd (tests/daemon-lib.sh, dl_rsyslog_start) whose
# only kernel input is imkmsg. imkmsg reads /dev/kmsg, where every reader has
# its own position, so it takes nothing from any other reader; imklog would
# read /proc/kmsg, which a single reader drains (the host's klogd or rsyslogd,
# or a parallel test run, would lose records). It writes kern.* records of
# this run (filtered on the run's LOG prefix) in the traditional format, as
# Debian's kern.log, and listens on its own unix socket only (never
# /dev/log).
#   - the scans of tests/daemon-lib.sh (dl_scan_suite): alerts within 1 s of
#     a scan's end, syslog line and JSON alert, status --json exact;
#   - logrotate in the middle of a scan, by rename + create (rsyslogd reopens
#     on SIGHUP) and by copytruncate: status still counts exactly the
#     packets the rule counted (the rest of the old file read, nothing twice);
#   - a restart in the middle of a scan resumes after the last line handled;
#   - SIGHUP keeps state;
#   - a line "kernel: ... SRC=..." that nobody sends with logger reaches
#     rsyslogd but is not kern.*, so it never becomes an event.
set -u
vigil=${1:?usage: daemon-file.sh VIGIL}
[ -x "$vigil" ] || { echo "daemon-file.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"
dl_init nmap hping3 rsyslogd logrotate logger setpriv
dl_need_daemon
dl_netns_up || { bad "namespaces"; exit 1; }
dl_syslog_listen || bad "syslog listener"
dl_rsyslog_start || { bad "private rsyslogd: $(cat "$tmp/rsyslog.err")"; exit 1; }
dl_rule 4 log r4 && dl_rule 6 log r6 || bad "LOG rules"
c4() { dl_counter 4 r4; }
c6() { dl_counter 6 r6; }
touch "$FW_LOG"

# rotate_midscan HOW DST: a slow scan of DST, rotated by logrotate (HOW:
# create | copytruncate) while it runs
rotate_midscan() {
	cat > "$tmp/logrotate-$1.conf" <<-EOC
	$FW_LOG {
		$1
		rotate 3
		nocompress
		missingok
		postrotate
			kill -HUP $dl_rsyslog_pid
		endscript
	}
	EOC
	[ "$1" = copytruncate ] && sed -i '/postrotate/,/endscript/d' "$tmp/logrotate-$1.conf"
	ip netns exec "$NS_A" nmap -n -Pn -sS -T4 --scan-delay 5ms -p 1-300 "$2" < /dev/null > "$tmp/f/scan.out" 2>&1 &
	sp=$!
	dl_track $sp
	sleep 0.6
	logrotate -f -s "$tmp/logrotate.state" "$tmp/logrotate-$1.conf" 2> "$tmp/logrotate.err" ||
		bad "logrotate ($1): $(cat "$tmp/logrotate.err")"
	[ -e "$FW_LOG.1" ] || bad "logrotate ($1) did not rotate"
	wait $sp
	dl_wait_alert f ".type == \"scan\" and .dst == \"$2\" and .danger_level == 3" 2000 > /dev/null ||
		bad "rotation ($1): no DL 3 alert for $2"
	want=$(c4)
	dl_poll 40 0.05 sh -c "[ \"\$('$vigil' status --json --ip $A4 --config '$tmp/f/vigil.conf' | jq '[.sources[] | select(.src == \"$A4\") | .packets] | add')\" = $want ]"
	check "rotation ($1): packets from $A4 = the rule's counter" "$(dl_src_packets f "$A4")" "$want"
	check "rotation ($1): $2 scanned in full" "$(dl_pair_json f "$A4" "$2" '[.tcp.packets, .tcp.ports]')" '[300,"1-300"]'
	check "rotation ($1): lost" "$(dl_sjq f .input.lost)" 0
}

dl_conf f "file:$FW_LOG"
if dl_vigil_start f; then
	echo "daemon-file: ready in ${VREADY_MS} ms"
	dl_scan_suite f c4 c6
	rotate_midscan create "198.18.$R.8"
	rotate_midscan copytruncate "198.18.$R.9"
	dl_restart f "" c4 yes
	dl_sighup f c4
	fs=198.18.$R.$FORGED_SRC_SUFFIX
	setpriv --reuid=nobody --regid=nogroup --clear-groups logger -u "$RS_SOCK" -t kernel \
		"$ID IN=$VT OUT= MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:08:00 SRC=$fs DST=$T4 LEN=44 TOS=0x00 PREC=0x00 TTL=58 ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0 " ||
		bad "logger as nobody"
	dl_poll 40 0.05 grep -q "SRC=$fs" "$ALL_LOG" || bad "the forged line did not reach rsyslogd"
	sleep 0.3
	dl_no_source f "$fs"
	dl_finish f
else
	bad "vigil run --foreground did not become ready"
fi
echo "daemon-file: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
