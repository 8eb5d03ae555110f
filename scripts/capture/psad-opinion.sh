#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# psad-opinion.sh LOGFILE - Debian's psad in offline analysis mode (-A) on one
# log file, with a private copy of its config (nothing on the system is
# touched: no syslog, mail, whois or DNS); prints psad's report on stdout.
# (tests/data/psad-opinion/*.txt; see docs in tests/data/README.md)
set -eu
[ $# -eq 1 ] || { echo "usage: psad-opinion.sh LOGFILE" >&2; exit 2; }
LOG=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d /tmp/vigil-psad.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/log" "$T/run" "$T/lib"
sed -e 's|^HOSTNAME .*|HOSTNAME vigil-test;|' \
    -e 's|^ALERTING_METHODS .*|ALERTING_METHODS noemail,nosyslog;|' \
    -e 's|^ENABLE_WHOIS_LOOKUPS .*|ENABLE_WHOIS_LOOKUPS N;|' -e 's|^ENABLE_DNS_LOOKUPS .*|ENABLE_DNS_LOOKUPS N;|' \
    -e "s|^PSAD_DIR .*|PSAD_DIR $T/log;|" -e "s|^PSAD_RUN_DIR .*|PSAD_RUN_DIR $T/run;|" \
    -e "s|^PSAD_FIFO_DIR .*|PSAD_FIFO_DIR $T/lib;|" /etc/psad/psad.conf > "$T/psad.conf"
echo "# psad $(dpkg-query -W -f='${Version}' psad 2>/dev/null || echo '?') -A -m $(basename "$LOG") (default psad.conf, private dirs)"
cd "$T"
timeout 300 psad -A --analysis-write-data -m "$LOG" -c "$T/psad.conf" 2>&1 |
	sed -e "s|$T|<tmp>|g" -e "s|$(dirname "$LOG")/||g"
# the alert psad would mail for each pair: its scan labels (nmap options), flags, DL
A="$T/log/ipt_analysis"
echo
echo "# per-pair alert details (from psad --analysis-write-data; DL, labels, flags)"
for d in $(ls "$A" | grep -v '^errs$' | sort); do
	for f in $(ls "$A/$d" | grep '_email_alert$' | sort); do
		echo "== $d -> ${f%_email_alert}"
		grep -E 'Danger level:|IP Protocol scan:|Scanned (TCP|UDP) ports:|TCP flags:|UDP flags|icmp packets:|Nmap|Masscan|Mirai|Topera|Invalid|OS guess' "$A/$d/$f" |
			sed -e 's/^ *//' | sort -u
	done
done
# every signature psad matched, per pair (from ipt_analysis/<src>/<dst>_signatures;
# sid = the rule's sid, or its psad_id when it has none); tests/agreement.sh reads
# these "sig" lines (older opinion files without them: the IP Status Detail section)
echo
echo "# signature matches (src dst sid count \"msg\"; psad --analysis-write-data <src>/<dst>_signatures)"
for d in $(ls "$A" | grep -v '^errs$' | sort); do
	for f in $(ls "$A/$d" | grep '_signatures$' | sort); do
		grep -v '^#' "$A/$d/$f" | grep . | while read -r _t sid cnt rest; do
			msg=$(printf '%s\n' "$rest" | sed -e 's/^\("[^"]*"\).*/\1/')
			echo "sig $d ${f%_signatures} $sid $cnt $msg"
		done
	done
done > "$T/sigs"
# psad records matches of "alert ip" rules (sameip, ipopts: lsrr, ssrr...) in
# its top-signature counters only, not per pair: a second run with --debug
# attributes them ("valid packet: SRC (..) -> DST (..)" precedes the packet's
# "packet matched ip keywords for sid: N")
mkdir -p "$T/dlog" "$T/drun" "$T/dlib"
sed -e "s|^PSAD_DIR .*|PSAD_DIR $T/dlog;|" -e "s|^PSAD_RUN_DIR .*|PSAD_RUN_DIR $T/drun;|" \
    -e "s|^PSAD_FIFO_DIR .*|PSAD_FIFO_DIR $T/dlib;|" "$T/psad.conf" > "$T/psad-debug.conf"
timeout 300 psad -A --debug -m "$LOG" -c "$T/psad-debug.conf" 2>&1 |
	awk '/^\[\+\] valid packet: / { src = $4; dst = $7 }
	     /^\[\+\] packet matched ip keywords for sid: / { n[src " " dst " " $8]++ }
	     END { for (k in n) print k, n[k] }' |
	while read -r src dst sid cnt; do
		msg=$(grep -E "[ ;(](sid|psad_id): *$sid;" /etc/psad/signatures | head -1 | sed -e 's/.*msg: *\("[^"]*"\).*/\1/')
		echo "sig $src $dst $sid $cnt $msg (ip rule: from psad --debug)"
	done >> "$T/sigs"
sort -k2,2 -k3,3 -k4,4n "$T/sigs"
n=$(cat "$A/errs/fwerrorlog" 2>/dev/null | wc -l)
echo
echo "# lines psad could not parse (errs/fwerrorlog): $n"
[ "$n" -gt 0 ] && head -3 "$A/errs/fwerrorlog" | cut -c1-300
exit 0
