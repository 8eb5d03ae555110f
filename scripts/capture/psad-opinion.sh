#!/bin/sh
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
		grep -E 'Danger level:|IP Protocol scan:|Scanned (TCP|UDP) ports:|TCP flags:|UDP flags|icmp packets:|Nmap|Masscan|Invalid' "$A/$d/$f" |
			sed -e 's/^ *//' | sort -u
	done
done
n=$(cat "$A/errs/fwerrorlog" 2>/dev/null | wc -l)
echo
echo "# lines psad could not parse (errs/fwerrorlog): $n"
[ "$n" -gt 0 ] && head -3 "$A/errs/fwerrorlog" | cut -c1-300
exit 0
