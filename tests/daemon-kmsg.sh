#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# daemon-kmsg.sh VIGIL - `vigil run` reading /dev/kmsg (INPUT_SOURCES kmsg), end
# to end: iptables/ip6tables LOG rules in a target namespace, nmap (-sS, -sT,
# -sU, -6 -sS) and hping3 from an attacker namespace (tests/daemon-lib.sh).
#   - each scan: the JSON alert and the contract's syslog line of the level it
#     reaches, within 1 s of its end, with the right source, destination,
#     ports, flags, packets and level; `vigil status --json` exact;
#   - status counts exactly the packets the rules counted;
#   - a restart in the middle of a scan keeps the level, alerts no level
#     twice, and neither re-reads nor skips a record (the ring buffer kept
#     the records written while vigil was down);
#   - SIGHUP keeps every source;
#   - records written to /dev/kmsg by root (facility user) and by nobody
#     (refused) never become events.
set -u
vigil=${1:?usage: daemon-kmsg.sh VIGIL}
[ -x "$vigil" ] || { echo "daemon-kmsg.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"
dl_init nmap hping3 setpriv
dl_need_daemon
dl_netns_up || { bad "namespaces"; exit 1; }
dl_syslog_listen || bad "syslog listener"
dl_rule 4 log r4 && dl_rule 6 log r6 || bad "LOG rules"
c4() { dl_counter 4 r4; }
c6() { dl_counter 6 r6; }

dl_conf k kmsg
if dl_vigil_start k; then
	echo "daemon-kmsg: ready in ${VREADY_MS} ms"
	dl_scan_suite k c4 c6
	dl_restart k "" c4 yes
	dl_sighup k c4
	dl_forged_kmsg
	sleep 0.3
	dl_no_source k "198.18.$R.$FORGED_SRC_SUFFIX"
	dl_finish k
else
	bad "vigil run --foreground did not become ready"
fi
echo "daemon-kmsg: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
