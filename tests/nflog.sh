#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# nflog.sh VIGIL - the NFLOG source (src/source/nflog.c) on real traffic
# between two network namespaces made here (vh5-*, a veth pair on
# 198.18.7.0/24 and 2001:db8:7::/64): iptables/ip6tables NFLOG rules on the
# receiver's INPUT, the source opened inside the receiver's namespace
# (build-san/source-dump beside VIGIL, run with `ip netns exec`). Checks
# that every packet arrives decoded (addresses, ports, flags, prefix,
# interface, ICMP type, IPv6) and that the records equal the rules' packet
# counters; then that a burst into a too small receive buffer is counted
# exactly as lost (records + lost = the counter). Needs root, ip,
# iptables, ip6tables, hping3, nmap; skipped when one is missing.
set -u
vigil=${1:?usage: nflog.sh VIGIL}
. "$(dirname "$0")/lib.sh"
dump=$(cd "$(dirname "$vigil")" && pwd)/source-dump
skip() { echo "nflog.sh: $*, skipped" >&2; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "not root"
[ -x "$dump" ] || skip "$dump missing"
for t in ip iptables ip6tables hping3 nmap timeout; do
	command -v $t >/dev/null 2>&1 || skip "$t missing"
done
# the NFLOG target must exist (xt_NFLOG) and netlink logging work
R=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
A=vh5-a$R B=vh5-b$R VA=vh5a$R VB=vh5b$R G=$((200 + R % 1000))
cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$A" && ip netns add "$B" || skip "cannot create network namespaces"
ip link add "$VA" type veth peer name "$VB" || skip "no veth"
ip link set "$VA" netns "$A"
ip link set "$VB" netns "$B"
ip -n "$A" addr add 198.18.7.1/24 dev "$VA"
ip -n "$B" addr add 198.18.7.2/24 dev "$VB"
ip -n "$A" addr add 2001:db8:7::1/64 dev "$VA" nodad
ip -n "$B" addr add 2001:db8:7::2/64 dev "$VB" nodad
for n in "$A" "$B"; do ip -n "$n" link set lo up; done
ip -n "$A" link set "$VA" up
ip -n "$B" link set "$VB" up
inb() { ip netns exec "$B" "$@"; }
ina() { ip netns exec "$A" "$@"; }
# only the test's traffic is logged: from A's addresses
inb iptables -A INPUT -s 198.18.7.1 -j NFLOG --nflog-group "$G" --nflog-prefix "VH5T " ||
	skip "no NFLOG target"
inb ip6tables -A INPUT -s 2001:db8:7::1 -j NFLOG --nflog-group "$G" --nflog-prefix "VH5T6 " ||
	skip "no ip6tables NFLOG target"
counter() { # packets the rules logged so far (IPv4 + IPv6)
	{ inb iptables -vxnL INPUT; inb ip6tables -vxnL INPUT; } |
		awk '/NFLOG/ { s += $1 } END { print s + 0 }'
}
# wait_ready FILE: the source is bound
wait_ready() {
	for _ in $(seq 50); do grep -q ready "$1" && return 0; sleep 0.1; done
	return 1
}
inb iptables -Z INPUT
inb ip6tables -Z INPUT

# --- every packet, decoded --------------------------------------------------
inb timeout 60 "$dump" -t 3 "nflog:$G" > "$tmp/ev" 2> "$tmp/ev.err" &
pid=$!
wait_ready "$tmp/ev.err" || bad "source not ready: $(cat "$tmp/ev.err")"
ina hping3 -q -S -p 2222 -s 40000 -k -c 20 -i u2000 198.18.7.2 >/dev/null 2>&1
ina hping3 -q --udp -p 53 -s 5353 -k -c 5 -i u2000 198.18.7.2 >/dev/null 2>&1
ina hping3 -q -F -P -U -p 3333 -c 4 -i u2000 198.18.7.2 >/dev/null 2>&1
ina hping3 -q --icmp -c 3 -i u2000 198.18.7.2 >/dev/null 2>&1
ina nmap -n -Pn -sS -p 1-300 -T4 --max-retries 0 198.18.7.2 >/dev/null 2>&1
ina nmap -6 -n -Pn -sS -p 1-100 -T4 --max-retries 0 2001:db8:7::2 >/dev/null 2>&1
ina nmap -6 -n -sn -PE --send-ip 2001:db8:7::2 >/dev/null 2>&1
wait $pid
logged=$(counter)
got=$(grep -c '^event' "$tmp/ev")
if [ "$got" -eq "$logged" ] && [ "$logged" -gt 400 ]; then ok; else
	bad "records $got, rule counters $logged"; fi
expect_grep "$tmp/ev" "^counters records=$logged .*lost=0 lost_events=0 .*rejected=0"
n=$(grep -c "^event src=198.18.7.1 dst=198.18.7.2 proto=6 len=40 ttl=64 prefix=VH5T in=$VB out= mac=[0-9a-f:]\{41\} chain=INPUT spt=40000 dpt=2222 flags=SYN " "$tmp/ev")
if [ "$n" -eq 20 ]; then ok; else bad "hping3 SYNs: $n of 20 decoded as such"; fi
n=$(grep -c "^event src=198.18.7.1 dst=198.18.7.2 proto=17 len=28 .* spt=5353 dpt=53 ulen=8 " "$tmp/ev")
if [ "$n" -eq 5 ]; then ok; else bad "hping3 UDP: $n of 5"; fi
n=$(grep -c " dpt=3333 flags=URG,PSH,FIN " "$tmp/ev")
if [ "$n" -eq 4 ]; then ok; else bad "hping3 XMAS: $n of 4"; fi
n=$(grep -c "^event src=198.18.7.1 dst=198.18.7.2 proto=1 .* type=8 code=0 id=[0-9]* seq=[0-9]* " "$tmp/ev")
if [ "$n" -eq 3 ]; then ok; else bad "hping3 --icmp: $n of 3"; fi
# nmap -sS: each of ports 1-300 probed by a SYN with an MSS option
n=$(grep "^event src=198.18.7.1 .* flags=SYN .* mss=1460" "$tmp/ev" | sed -n 's/.* dpt=\([0-9]*\) .*/\1/p' |
	awk '$1 >= 1 && $1 <= 300' | sort -un | wc -l)
if [ "$n" -eq 300 ]; then ok; else bad "nmap -sS IPv4: $n of 300 ports seen"; fi
n=$(grep "^event src=2001:db8:7::1 dst=2001:db8:7::2 proto=6 .* prefix=VH5T6 .* flags=SYN " "$tmp/ev" |
	sed -n 's/.* dpt=\([0-9]*\) .*/\1/p' | awk '$1 >= 1 && $1 <= 100' | sort -un | wc -l)
if [ "$n" -eq 100 ]; then ok; else bad "nmap -sS IPv6: $n of 100 ports seen"; fi
n=$(grep -c "^event src=2001:db8:7::1 dst=2001:db8:7::2 proto=58 .* type=128 code=0 id=" "$tmp/ev")
if [ "$n" -ge 1 ]; then ok; else bad "nmap -6 -PE: no ICMPv6 echo request decoded"; fi
expect_grep "$tmp/ev" " when=17[0-9]\{14\} "

# --- a burst into a small receive buffer: the loss is counted exactly -------
inb iptables -Z INPUT
inb ip6tables -Z INPUT
inb timeout 60 "$dump" -q -t 2 -d 2 -b 8192 "nflog:$G" > "$tmp/loss" 2> "$tmp/loss.err" &
pid=$!
wait_ready "$tmp/loss.err" || bad "source not ready: $(cat "$tmp/loss.err")"
ina hping3 -q -S -p 4444 -c 400 -i u200 198.18.7.2 >/dev/null 2>&1
# one packet after the source read the rest: its sequence number shows the gap
sleep 2.5
ina hping3 -q -S -p 4445 -c 1 198.18.7.2 >/dev/null 2>&1
wait $pid
logged=$(counter)
rec=$(sed -n 's/^counters records=\([0-9]*\) .*/\1/p' "$tmp/loss")
lost=$(sed -n 's/^counters .* lost=\([0-9]*\) .*/\1/p' "$tmp/loss")
if [ "$lost" -gt 0 ] && [ $((rec + lost)) -eq "$logged" ]; then ok; else
	bad "burst: records $rec + lost $lost != rule counter $logged"; inb iptables -vxnL INPUT; inb ip6tables -vxnL INPUT; cat "$tmp/loss"; fi
expect_grep "$tmp/loss" "lost_events=[1-9]"

# --- a group bound by another socket: a clear error, no crash ---------------
inb timeout 20 "$dump" -t 3 "nflog:$G" > /dev/null 2> "$tmp/first.err" &
pid=$!
wait_ready "$tmp/first.err"
expect_status 1 inb "$dump" -t 0.2 "nflog:$G"
expect_grep "$tmp/err" "bind group"
wait $pid
expect_status 1 "$dump" -t 0.2 "nflog:70000"

echo "nflog.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
