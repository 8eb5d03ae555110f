#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# daemon-journal.sh VIGIL - `vigil run` reading the systemd journal
# (INPUT_SOURCES journal) of a private systemd-journald (tests/daemon-lib.sh,
# dl_journald_start: its own mount namespace, tmpfs /run and /var/log/journal;
# vigil runs in that mount namespace). The records come from nftables log
# rules this time (the same kernel text as iptables LOG).
#   - the scans of tests/daemon-lib.sh (dl_scan_suite): alerts within 1 s of
#     a scan's end, syslog line and JSON alert, status --json exact;
#   - a restart in the middle of a scan resumes from the saved cursor;
#   - SIGHUP keeps state;
#   - not the kernel's: records root writes to /dev/kmsg (the journal stores
#     them with transport kernel but facility user), a line nobody sends to
#     the journal's syslog socket and one through its native protocol, both
#     with identifier "kernel": never events.
set -u
vigil=${1:?usage: daemon-journal.sh VIGIL}
[ -x "$vigil" ] || { echo "daemon-journal.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"
dl_init nmap hping3 nft journalctl unshare nsenter logger setpriv
dl_need_daemon
dl_netns_up || { bad "namespaces"; exit 1; }
dl_syslog_listen || bad "syslog listener"
dl_journald_start || { bad "private journald: $(cat "$tmp/journald.err")"; exit 1; }
dl_nft_rule log r || bad "nft log rules"
c4() { dl_counter nft r-4; }
c6() { dl_counter nft r-6; }

dl_conf j journal
if dl_vigil_start j "mnt:$dl_journald_pid"; then
	echo "daemon-journal: ready in ${VREADY_MS} ms"
	dl_scan_suite j c4 c6
	dl_restart j "mnt:$dl_journald_pid" c4 yes
	dl_sighup j c4
	dl_forged_kmsg
	fs=198.18.$R.$FORGED_SRC_SUFFIX
	rec="$ID IN=$VT OUT= MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:08:00 SRC=$fs DST=$T4 LEN=44 TOS=0x00 PREC=0x00 TTL=58 ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0 "
	dl_in_journal setpriv --reuid=nobody --regid=nogroup --clear-groups logger -u /run/systemd/journal/dev-log -t kernel -p kern.warn "$rec" ||
		bad "logger (syslog socket) as nobody"
	dl_in_journal setpriv --reuid=nobody --regid=nogroup --clear-groups logger --journald <<-EOJ || bad "logger --journald as nobody"
	MESSAGE=$rec
	SYSLOG_IDENTIFIER=kernel
	SYSLOG_FACILITY=0
	_TRANSPORT=kernel
	EOJ
	dl_poll 40 0.05 sh -c "[ \$(nsenter --mount=/proc/$dl_journald_pid/ns/mnt journalctl -o cat --no-pager | grep -c 'SRC=$fs') -ge 8 ]" ||
		bad "the forged records did not all reach the journal"
	sleep 0.3
	dl_no_source j "$fs"
	dl_finish j
else
	bad "vigil run --foreground did not become ready"
fi
echo "daemon-journal: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
