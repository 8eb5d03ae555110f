#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# calibrate-dl.sh VIGIL - danger levels that mean something (issue 8, section
# 5; docs/calibration.md), on ufw-style lines (no TCP options logged):
#  - one packet to a port the whole internet probes (tcp/2323, 31337, 2745,
#    udp/53413, a Slammer datagram) is at most DL 2 with vigil's built-in
#    signatures; a lone ZMap or masscan SYN at most DL 1;
#  - a low-and-slow scan, 150 distinct ports of one host over two days with
#    pauses longer than SCAN_TIMEOUT, reaches the level psad -A gives (DL 3;
#    compared with Debian's psad when it is installed);
#  - with HOME_NET any, a rule written for answers from home ("$HOME_NET 2140
#    -> $EXTERNAL_NET any") does not fire on an inbound packet from port 2140.
# Uses jq to read the JSON.
set -u
vigil=${1:?usage: calibrate-dl.sh VIGIL}
[ -x "$vigil" ] || { echo "calibrate-dl.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
src() { echo ".sources[] | select(.src == \"$1\")"; }

H='kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:08:00'
# tcp TIME SRC DPT [ID [WINDOW]]: a SYN as ufw logs it (no OPT)
tcp() {
	echo "$1 fw $H SRC=$2 DST=198.18.0.1 LEN=40 TOS=0x00 PREC=0x00 TTL=240 ID=${4:-4242} PROTO=TCP SPT=41234 DPT=$3 WINDOW=${5:-14600} RES=0x00 SYN URGP=0"
}
# udp TIME SRC SPT DPT LEN(IP)
udp() {
	echo "$1 fw $H SRC=$2 DST=198.18.0.1 LEN=$5 TOS=0x00 PREC=0x00 TTL=110 ID=4243 PROTO=UDP SPT=$3 DPT=$4 LEN=$(($5 - 20))"
}

# --- background noise: one packet each
{
	tcp 'Mar 17 00:00:01' 198.18.1.1 2323
	tcp 'Mar 17 00:00:02' 198.18.1.2 31337
	tcp 'Mar 17 00:00:03' 198.18.1.3 2745
	udp 'Mar 17 00:00:04' 198.18.1.4 41234 53413 40
	udp 'Mar 17 00:00:05' 198.18.1.5 41234 1434 404
	tcp 'Mar 17 00:00:06' 198.18.1.6 8080 54321 65535
	tcp 'Mar 17 00:00:07' 198.18.1.7 8443 7777 1024
	# DeepThroat's answer rule is $HOME_NET 2140 -> $EXTERNAL_NET: not this
	udp 'Mar 17 00:00:08' 198.18.1.8 2140 40000 60
} >"$tmp/noise.log"
"$vigil" analyze --json "$tmp/noise.log" >"$tmp/out" 2>"$tmp/err" || bad "vigil failed: $(head -c 300 "$tmp/err")"
expect_json '[.sources[] | .danger_level] | length' '8'
for s in 198.18.1.1 198.18.1.2 198.18.1.3 198.18.1.4 198.18.1.5; do
	# a level-3 rule matched (the rule keeps its level), the source is DL 2
	expect_json "$(src $s) | [.danger_level, ([.signatures[].dl] | max)]" '[2,3]'
done
# the fingerprint names the tool (the port may have its own level-1 rule)
expect_json "$(src 198.18.1.6) | [.danger_level, ([.signatures[].sid] | index(3000006) != null)]" '[1,true]'
expect_json "$(src 198.18.1.7) | [.danger_level, ([.signatures[].sid] | index(3000007) != null)]" '[1,true]'
expect_json "[$(src 198.18.1.8) | .signatures[].sid] | index(195)" 'null'
expect_json '[.sources[] | select(.danger_level > 2)] | length' '0'

# --- low and slow: 150 ports of one host over 2.5 days, a probe every 1150 s
# and a pause of 4000 s (> SCAN_TIMEOUT 3600) after every tenth
t=$(date -u -d '2026-03-17 00:00:00' +%s)
i=0
while [ $i -lt 150 ]; do
	tcp "$(date -u -d "@$t" '+%b %e %H:%M:%S')" 198.18.2.1 $((1000 + 7 * i))
	if [ $((i % 10)) -eq 9 ]; then t=$((t + 4000)); else t=$((t + 1150)); fi
	i=$((i + 1))
done >"$tmp/slow.log"
"$vigil" analyze --json --year 2026 "$tmp/slow.log" >"$tmp/out" 2>"$tmp/err" || bad "vigil failed: $(head -c 300 "$tmp/err")"
expect_json "$(src 198.18.2.1) | [.danger_level, .packets, .destinations[0].tcp.port_count]" '[3,150,150]'
expect_json '.limits.pairs_expired' '14'
if command -v psad >/dev/null 2>&1 && [ -r /etc/psad/psad.conf ]; then
	P=$tmp/psad
	mkdir -p "$P/log" "$P/run" "$P/lib"
	sed -e 's|^HOSTNAME .*|HOSTNAME vigil-test;|' \
	    -e 's|^ALERTING_METHODS .*|ALERTING_METHODS noemail,nosyslog;|' \
	    -e 's|^ENABLE_WHOIS_LOOKUPS .*|ENABLE_WHOIS_LOOKUPS N;|' -e 's|^ENABLE_DNS_LOOKUPS .*|ENABLE_DNS_LOOKUPS N;|' \
	    -e "s|^PSAD_DIR .*|PSAD_DIR $P/log;|" -e "s|^PSAD_RUN_DIR .*|PSAD_RUN_DIR $P/run;|" \
	    -e "s|^PSAD_FIFO_DIR .*|PSAD_FIFO_DIR $P/lib;|" /etc/psad/psad.conf >"$P/psad.conf"
	(cd "$P" && timeout 300 psad -A --analysis-write-data -m "$tmp/slow.log" -c "$P/psad.conf" >"$P/out" 2>&1)
	want=$(cat "$P/log/ipt_analysis/198.18.2.1/danger_level" 2>/dev/null)
	got=$(jq -c "$(src 198.18.2.1) | .danger_level" "$tmp/out")
	if [ -n "$want" ] && [ "$got" = "$want" ]; then ok; else bad "slow scan: vigil DL $got, psad DL '${want}'"; fi
else
	echo "calibrate-dl.sh: psad not installed, slow scan compared with DL 3 only"
fi

echo "calibrate-dl: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
