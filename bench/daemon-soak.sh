#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/daemon-soak.sh VIGIL [SECONDS] - a long run of `vigil run` (make
# soak-daemon; root; default 600 s): one daemon in the target namespace reading
# NFLOG (IPv4: the attacker and hping3's spoofed sources of 198.18.R.0/24) and
# /dev/kmsg (IPv6, ip6tables LOG) at once, fed rounds of nmap and hping3 scans
# picked at random. Every 30 s and at the end: the packets status counts per
# family equal the rules' counters, lost stays 0, the daemon is alive, and its
# RSS is sampled. A SIGHUP every 5 rounds. Exits 1 on a mismatch, a crash, a
# sanitizer report or a non-zero exit status at SIGTERM.
set -u
vigil=${1:?usage: sh bench/daemon-soak.sh VIGIL [SECONDS]}
case $vigil in /*) ;; *) vigil=$(pwd)/$vigil ;; esac
SECS=${2:-${SOAK_SECONDS:-600}}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/daemon-lib.sh"
dl_init nmap hping3
dl_need_daemon
dl_netns_up || { echo "daemon-soak: namespaces" >&2; exit 1; }
dl_syslog_listen
G=$((R + 100))
dl_ns_t iptables -w -A INPUT -s "198.18.$R.0/24" -d "$T4/24" -m comment --comment s4 -j NFLOG --nflog-group $G || exit 1
dl_rule 6 log s6 || exit 1
dl_conf s "kmsg,nflog:$G"
dl_vigil_start s "$NS_T" || { echo "daemon-soak: vigil did not start: $(tail -c 300 "$tmp/s/err")" >&2; exit 1; }
eval "vp=\$dl_vpid_s"

sum() { # status packets of the sources in network $1
	dl_status s --ip "$1" --top 100000 > /dev/null 2>&1 || { echo -1; return; }
	jq '[.sources[].packets] | add // 0' "$tmp/s/status.json"
}
verify() { # wait (10 s at most) until vigil counts what the rules counted
	w4=$(dl_counter 4 s4) w6=$(dl_counter 6 s6) k=0
	while [ $k -lt 100 ]; do
		g4=$(sum "198.18.$R.0/24") g6=$(sum "2001:db8:$R::/64")
		[ "$g4" = "$w4" ] && [ "$g6" = "$w6" ] && break
		k=$((k + 1))
		sleep 0.1
	done
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$vp/status" 2> /dev/null)
	lost=$(jq .input.lost "$tmp/s/status.json" 2> /dev/null)
	echo "  t=$(($(date +%s) - start))s round $round: IPv4 $g4/$w4, IPv6 $g6/$w6, lost $lost, RSS $((${rss:-0} / 1024)) MiB"
	# kmsg is the whole machine's: a parallel run that drew the same R logs
	# into it too. On a mismatch, the sources this soak never sent from.
	if [ "$g4" != "$w4" ] && dl_status s --ip "198.18.$R.0/24" --top 100000; then
		echo "  sources not the soak's: $(jq -c '[.sources[] | select((.src | split(".")[3] | tonumber) as $h | $h != 2 and ($h < 40 or $h > 219)) | {src, packets}] | .[:10]' "$tmp/s/status.json")"
	fi
	check "t=$(($(date +%s) - start))s IPv4 packets" "$g4" "$w4"
	check "t=$(($(date +%s) - start))s IPv6 packets" "$g6" "$w6"
	check "lost" "$lost" 0
}

echo "daemon-soak: $SECS s, vigil $vigil"
start=$(date +%s) round=0 next=$((start + ${SOAK_EVERY:-30}))
while [ $(($(date +%s) - start)) -lt "$SECS" ] && [ $round -lt 100000 ]; do
	round=$((round + 1))
	h=$(($(od -An -N1 -tu1 /dev/urandom) % 8 + 1))
	[ "$h" = 2 ] && h=9
	lo=$(($(od -An -N2 -tu2 /dev/urandom) % 60000 + 1))
	case $((round % 4)) in
	0) dl_ns_a nmap -n -Pn -sS -T5 -p "$lo-$((lo + 500))" "198.18.$R.$h" ;;
	1) dl_ns_a nmap -n -Pn -6 -sS -T5 -p "$lo-$((lo + 300))" "2001:db8:$R::$h" ;;
	2) dl_ns_a hping3 -q -S -p ++"$lo" -c 200 -i u500 -a "198.18.$R.$((h * 20 + 20 + round % 20))" "198.18.$R.$h" ;;
	3) dl_ns_a nmap -n -Pn -sU -T5 --max-retries 0 -p "$lo-$((lo + 100))" "198.18.$R.$h" ;;
	esac < /dev/null > /dev/null 2>&1
	[ "${SOAK_HUP:-1}" = 1 ] && [ $((round % 5)) = 0 ] && kill -HUP "$vp"
	kill -0 "$vp" 2> /dev/null || { bad "vigil died in round $round: $(tail -c 300 "$tmp/s/err")"; break; }
	if [ "$(date +%s)" -ge $next ]; then
		verify
		next=$(($(date +%s) + ${SOAK_EVERY:-30}))
	fi
done
kill -0 "$vp" 2> /dev/null && verify
dl_finish s
echo "daemon-soak: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
