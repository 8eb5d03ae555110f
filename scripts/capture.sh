#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# capture.sh - produce vigil's real firewall-log fixtures (tests/data/capture/).
#
#   sudo sh scripts/capture.sh [OUTDIR]        (default tests/data/capture)
#
# Builds private network namespaces joined by veth pairs, loads restrictive
# iptables / ip6tables / nftables rule sets that log and drop in the target
# namespace, scans it with nmap and hping3 from a scanner namespace, and records
# the kernel's netfilter log lines WITHOUT LOSS:
#   - scripts/capture/kmsg-read.py reads /dev/kmsg from its end (SEEK_END) and
#     fails on any overrun (EPIPE) or sequence gap: the raw "PRI,SEQ,USEC,-;MSG"
#     records are the master capture;
#   - a private rsyslogd (own config, imkmsg, no system config) writes the same
#     records as RFC 3164, RFC 3339 (high precision) and RFC 5424 files;
#   - a private systemd-journald (own mount and UTS namespace, volatile storage
#     in a work dir) stores them; journalctl prints its short* formats;
#   - dmesg, dmesg -T and dmesg -r are taken right after the small "mixed" phase;
#   - in that phase the rules also send the packets to NFLOG group 5, read by a
#     private ulogd2 (LOGEMU output; needs the Debian package ulogd2).
# The "crafted" phase sends hand-made packets (hping3, masscan if installed,
# scripts/capture/craft.py) for signatures, invalid ICMP, IP options, sameip,
# Mirai, Masscan, Topera and OS detection (crafted.rfc3164, crafted.kmsg).
# The "ufw" and "firewalld" phases log as those tools do by default, with no
# TCP options: real ufw (enabled inside the target namespace only, on a
# private copy of its config that ip netns exec bind-mounts from
# /etc/netns/NS/) and firewalld's LogDenied rule as its nftables backend
# writes it; a Linux connect() SYN, a Windows-shaped SYN (craft.py winsyn)
# and nmap scans (ufw-default.rfc3164, firewalld-default.rfc3339).
# Each phase is framed by marker records written to /dev/kmsg; every wrapper is
# cut at the markers and must hold exactly as many records as the master
# capture (else the script fails). Finally scripts/capture/expect.py writes
# tests/data/expected/*.json, and scripts/capture/psad-opinion.sh runs Debian's
# psad in analysis mode on the scenario fixtures (tests/data/psad-opinion/).
# Takes about 2.5 minutes. See tests/data/README.md.
#
# PHASES="crafted" (or any subset of: ipt4 nft4 ip6 benign mixed fwd crafted
# ufw firewalld)
# runs and writes only those phases: the other fixtures, their expected files
# and psad opinions are left as they are.
#
# Network rule: traffic only between the namespaces created here, on
# 198.18.0.0/15 and 2001:db8::/32. Everything is bounded (timeout, -c, counts)
# and torn down by the EXIT trap (namespaces, processes by pid, sysctl).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/tests/data/capture}
EXPECTED=$ROOT/tests/data/expected
OPINION=$ROOT/tests/data/psad-opinion
PY=/usr/bin/python3
HELP=$ROOT/scripts/capture
PHASES=${PHASES:-ipt4 nft4 ip6 benign mixed fwd crafted ufw firewalld blame}
want() { case " $PHASES " in *" $1 "*) return 0 ;; esac; return 1; }
for p in $PHASES; do
	case $p in ipt4|nft4|ip6|benign|mixed|fwd|crafted|ufw|firewalld|blame) ;; *) echo "capture.sh: unknown phase $p" >&2; exit 2 ;; esac
done
sh "$ROOT/scripts/deps.sh" capture || exit 1

if [ "$(id -u)" -ne 0 ]; then
	echo "capture.sh: must run as root" >&2
	exit 1
fi
for c in ip nmap hping3 iptables ip6tables nft rsyslogd dmesg journalctl timeout unshare psad ulogd $PY; do
	command -v "$c" >/dev/null 2>&1 || { echo "capture.sh: missing command: $c (sh scripts/deps.sh; ulogd: apt-get install ulogd2)" >&2; exit 1; }
done
ULOGD_PLUGINS=$(dirname "$(ls /usr/lib/*/ulogd/ulogd_inppkt_NFLOG.so 2>/dev/null | head -1)")
[ -e "$ULOGD_PLUGINS/ulogd_output_LOGEMU.so" ] || { echo "capture.sh: ulogd2 plugins not found" >&2; exit 1; }
[ -x /lib/systemd/systemd-journald ] || { echo "capture.sh: missing /lib/systemd/systemd-journald" >&2; exit 1; }
[ -e /proc/sys/net/netfilter/nf_log_all_netns ] || { echo "capture.sh: kernel lacks nf_log_all_netns" >&2; exit 1; }
if want ufw; then
	command -v ufw >/dev/null 2>&1 || { echo "capture.sh: missing command: ufw (sh scripts/deps.sh capture)" >&2; exit 1; }
fi

ID=$$
TAG="vigil-capture-$ID-$(date +%s)"
NS_S=vcs$ID          # scanner
NS_T=vct$ID          # target (logs and drops)
NS_A=vca$ID          # FORWARD fixture: scanner
NS_R=vcr$ID          # FORWARD fixture: router (logs in FORWARD)
NS_B=vcb$ID          # FORWARD fixture: protected host behind the router
NS_V=vcv$ID          # blame fixture: a server on the target's second link
WORK=$(mktemp -d /tmp/vigil-capture.XXXXXX)
OLD_LOG_ALL=$(cat /proc/sys/net/netfilter/nf_log_all_netns)
READER_PID=""
RSYSLOG_PID=""
JOURNAL_PID=""
HTTP_PID=""
ULOGD_PID=""
HTTP6_PID=""
T0=$(date +%s)

log() { echo "capture.sh: $*" >&2; }

stop_pid() { # pid: TERM, wait up to 5 s, then KILL
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

cleanup() {
	rc=$?
	set +e
	[ -n "$HTTP_PID" ] && stop_pid "$HTTP_PID"
	[ -n "$HTTP6_PID" ] && stop_pid "$HTTP6_PID"
	[ -n "$ULOGD_PID" ] && stop_pid "$ULOGD_PID"
	[ -n "$READER_PID" ] && { touch "$WORK/stop"; stop_pid "$READER_PID"; }
	[ -n "$RSYSLOG_PID" ] && stop_pid "$RSYSLOG_PID"
	[ -n "$JOURNAL_PID" ] && stop_pid "$JOURNAL_PID"
	[ -n "${HTTPS_PID:-}" ] && stop_pid "$HTTPS_PID"
	for ns in $NS_S $NS_T $NS_A $NS_R $NS_B $NS_V; do
		ip netns del "$ns" 2>/dev/null
	done
	# ufw's private config for the target namespace (phase ufw)
	rm -rf "/etc/netns/$NS_T"
	rmdir /etc/netns 2>/dev/null
	echo "$OLD_LOG_ALL" > /proc/sys/net/netfilter/nf_log_all_netns
	if [ "${KEEP_WORK:-0}" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
	[ $rc -ne 0 ] && log "FAILED (exit $rc)"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

S() { timeout 120 ip netns exec "$NS_S" "$@"; }   # run in the scanner namespace
T() { timeout 60 ip netns exec "$NS_T" "$@"; }    # run in the target namespace
mark() { echo "$TAG $1" > /dev/kmsg; }           # phase marker record

# nmap defaults: no DNS, no host discovery, one probe per port, paced well below
# what the 128 KiB kernel ring buffer and the readers can absorb, bounded.
NMAP="nmap -n -Pn --max-retries 0 --max-rate 200 --host-timeout 90s -e eth0"
nmap_raw() { # SRC ARGS...: raw-packet nmap scan spoofing SRC (an address of the scanner ns)
	src=$1; shift
	S $NMAP -S "$src" "$@" >>"$WORK/nmap.out" 2>&1
}
hp() { # hping3, always with -c (bounded)
	S timeout 60 hping3 "$@" >>"$WORK/hping3.out" 2>&1 || true   # hping3 exits 1 when nothing answers
}

# ---------------------------------------------------------------- namespaces
log "namespaces $NS_S $NS_T (work dir $WORK, marker tag $TAG)"
echo 1 > /proc/sys/net/netfilter/nf_log_all_netns
ip netns add "$NS_S"
ip netns add "$NS_T"
ip link add "vs$ID" type veth peer name "vt$ID"
ip link set "vs$ID" netns "$NS_S"
ip link set "vt$ID" netns "$NS_T"
ip -n "$NS_S" link set "vs$ID" name eth0
ip -n "$NS_T" link set "vt$ID" name eth0
# documentation MAC addresses (RFC 7042) so the fixtures are stable
ip -n "$NS_S" link set eth0 address 00:00:5e:00:53:02
ip -n "$NS_T" link set eth0 address 00:00:5e:00:53:01
for ns in $NS_S $NS_T; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
done
ip -n "$NS_S" addr add 198.18.0.2/24 dev eth0
for i in 3 4 5 6 7 8 9; do ip -n "$NS_S" addr add 198.18.0.$i/24 dev eth0; done
ip -n "$NS_S" -6 addr add 2001:db8:0:1::2/64 dev eth0 nodad
# deprecated (preferred_lft 0): never picked as the source of connect(), still usable by nmap -S
for i in 3 4; do ip -n "$NS_S" -6 addr add 2001:db8:0:1::$i/64 dev eth0 nodad preferred_lft 0; done
ip -n "$NS_T" addr add 198.18.0.1/24 dev eth0
i=10; while [ $i -le 29 ]; do ip -n "$NS_T" addr add 198.18.0.$i/24 dev eth0; i=$((i + 1)); done
for i in 1 10 11 12; do ip -n "$NS_T" -6 addr add 2001:db8:0:1::$i/64 dev eth0 nodad; done
# the scanner's connect() scans (-sT) leave from its primary address
ip -n "$NS_S" route replace 198.18.0.0/24 dev eth0 src 198.18.0.2

# ---------------------------------------------------------------- readers
mkdir -p "$WORK/journal" "$WORK/rsyslog"
$PY "$HELP/kmsg-read.py" "$WORK/kmsg.raw" "$TAG" 1500 "$WORK/stop" "$WORK/ready" 2>"$WORK/kmsg-read.err" &
READER_PID=$!

# private rsyslogd: imkmsg only, three file formats, kernel netfilter lines and our markers
cat > "$WORK/rsyslog.conf" <<EOF
global(workDirectory="$WORK/rsyslog" localHostname="fw1")
module(load="imkmsg")
if (\$msg contains "IN=" and \$msg contains "OUT=") or (\$msg contains "$TAG") then {
	action(type="omfile" file="$WORK/rs-3164.log" template="RSYSLOG_TraditionalFileFormat")
	action(type="omfile" file="$WORK/rs-3339.log" template="RSYSLOG_FileFormat")
	action(type="omfile" file="$WORK/rs-5424.log" template="RSYSLOG_SyslogProtocol23Format")
}
EOF
timeout 1500 rsyslogd -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog.pid" >"$WORK/rsyslog.out" 2>&1 &
RSYSLOG_PID=$!

# private systemd-journald: own mount + UTS namespace (hostname fw1), volatile
# storage bind-mounted from the work dir, reads /dev/kmsg like the real one.
unshare -m -u sh -c "
	mount --make-rprivate /
	mount -t tmpfs tmpfs /run/systemd 2>/dev/null || { mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd; }
	mkdir -p /run/systemd/journal /run/systemd/journald.conf.d /run/log/journal
	mount --bind '$WORK/journal' /run/log/journal
	printf '[Journal]\nStorage=volatile\nRateLimitBurst=0\nForwardToSyslog=no\nForwardToWall=no\n' > /run/systemd/journald.conf.d/vigil.conf
	hostname fw1
	exec /lib/systemd/systemd-journald" >"$WORK/journald.out" 2>&1 &
JOURNAL_PID=$!

i=0
while [ ! -e "$WORK/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -e "$WORK/ready" ] || { log "kmsg reader did not start"; cat "$WORK/kmsg-read.err" >&2; exit 1; }
mark "readers-ready"
i=0
while ! grep -q "$TAG readers-ready" "$WORK/rs-3164.log" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "$TAG readers-ready" "$WORK/rs-3164.log" || { log "rsyslogd is not writing"; cat "$WORK/rsyslog.out" >&2; exit 1; }
i=0
while ! journalctl -D "$WORK/journal" -q -o cat 2>/dev/null | grep -q "$TAG readers-ready" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
journalctl -D "$WORK/journal" -q -o cat | grep -q "$TAG readers-ready" || { log "journald is not writing"; cat "$WORK/journald.out" >&2; exit 1; }
sleep 1

phase_begin() { log "phase $1"; T nft flush ruleset; sleep 0.5; mark "$1 begin"; sleep 0.5; }
phase_end() { sleep 1.5; mark "$1 end"; sleep 0.5; }
gap() { sleep 1; }

ipt_base() { # CMD PREFIX EXTRA-LOG-OPTIONS...: restrictive INPUT chain that logs then drops
	cmd=$1; prefix=$2; shift 2
	T "$cmd" -P INPUT DROP
	T "$cmd" -A INPUT -i lo -j ACCEPT
	T "$cmd" -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
	[ "$cmd" = ip6tables ] && T ip6tables -A INPUT -p ipv6-icmp -j ACCEPT
	T "$cmd" -A INPUT -j LOG --log-prefix "$prefix" "$@"
	if [ -n "${NFLOG_GROUP:-}" ]; then
		T "$cmd" -A INPUT -j NFLOG --nflog-group "$NFLOG_GROUP" --nflog-prefix "$prefix"
	fi
	T "$cmd" -A INPUT -j DROP
}

# ---------------------------------------------------------------- phase ipt4
# iptables (nft backend), IPv4, prefix "DROP ", TCP and IP options logged.
if want ipt4; then
phase_begin ipt4
ipt_base iptables "DROP " --log-tcp-options --log-ip-options
S $NMAP -sT -p 1-160 --max-rtt-timeout 300ms --initial-rtt-timeout 300ms 198.18.0.1 >>"$WORK/nmap.out" 2>&1; gap   # from .2
nmap_raw 198.18.0.3 -sS -p 1000-1200 198.18.0.1; gap
nmap_raw 198.18.0.4 -sF -p 2000-2019 198.18.0.1; gap
nmap_raw 198.18.0.5 -sN -p 2000-2019 198.18.0.1; gap
nmap_raw 198.18.0.6 -sX -p 2000-2019 198.18.0.1; gap
nmap_raw 198.18.0.7 -sU -p 1-50 198.18.0.1; gap
nmap_raw 198.18.0.8 -sO -p 2-5,7-16,18-30 198.18.0.1; gap
# ping sweep: IP-level probes (no ARP ping) to the 20 extra target addresses;
# nmap's default discovery probes: echo, SYN to 443, ACK to 80, timestamp
S nmap -n -sn --send-ip --max-rate 200 --host-timeout 60s -e eth0 -S 198.18.0.9 198.18.0.10-29 >>"$WORK/nmap.out" 2>&1
phase_end ipt4
fi

# ---------------------------------------------------------------- phase nft4
# nftables inet table: TCP with prefix "nft-drop: " and every log flag
# (MACSRC/MACDST, sequence numbers, options, uid), UDP with a prefix that has
# spaces, everything else logged with no prefix; fragments logged before
# defragmentation.
if want nft4; then
phase_begin nft4
T nft -f - <<'EOF'
table inet filter {
	chain pre {
		type filter hook prerouting priority -450; policy accept;
		ip frag-off & 0x3fff != 0 log prefix "nft-frag: " flags ip options drop
	}
	chain input {
		type filter hook input priority filter; policy drop;
		iif "lo" accept
		ct state established,related accept
		meta l4proto ipv6-icmp accept
		meta l4proto tcp log prefix "nft-drop: " flags all drop
		meta l4proto udp log prefix "Blocked by nft: " flags ip options drop
		log drop
	}
}
EOF
nmap_raw 198.18.0.3 -sA -p 3000-3019 198.18.0.1; gap
nmap_raw 198.18.0.4 -sM -p 3000-3019 198.18.0.1; gap
nmap_raw 198.18.0.5 --scanflags SYNFIN -p 3000-3019 198.18.0.1; gap
hp -a 198.18.0.6 -c 20 -i u20000 -U -A -P -R -S -F -p ++4000 198.18.0.1; gap
hp -a 198.18.0.7 -c 10 -i u20000 -S -X -Y -p ++5000 198.18.0.1; gap
nmap_raw 198.18.0.8 -sS -p 1083 198.18.0.10-21; gap
hp -a 198.18.0.9 -c 3 -i u100000 -S -f -p ++6000 198.18.0.1; gap
nmap_raw 198.18.0.2 -sU -p 7000-7004 198.18.0.1; gap
hp -a 198.18.0.2 -c 3 -i u100000 --rawip -H 47 198.18.0.1   # GRE: the rule with no prefix
phase_end nft4
fi

# ---------------------------------------------------------------- phase ip6
# ip6tables, prefix "DROP ", all LOG options (--log-tcp-sequence, --log-uid too)
if want ip6; then
phase_begin ip6
ipt_base ip6tables "DROP " --log-tcp-options --log-ip-options --log-tcp-sequence --log-uid
S $NMAP -6 -sT -p 1-30 --max-rtt-timeout 300ms --initial-rtt-timeout 300ms 2001:db8:0:1::1 >>"$WORK/nmap.out" 2>&1; gap  # from ::2
nmap_raw 2001:db8:0:1::3 -6 -sS -p 1000-1100 2001:db8:0:1::1; gap
nmap_raw 2001:db8:0:1::4 -6 -sU -p 1-20 2001:db8:0:1::1
phase_end ip6
fi

# ---------------------------------------------------------------- phase benign
# an ordinary host: web traffic allowed (accepted, not logged) and a little
# dropped noise that is not a scan. Prefix as ufw writes it.
if want benign; then
phase_begin benign
T iptables -P INPUT DROP
T iptables -A INPUT -i lo -j ACCEPT
T iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
T iptables -A INPUT -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT
T iptables -A INPUT -j LOG --log-prefix "[UFW BLOCK] "
T iptables -A INPUT -j DROP
ip netns exec "$NS_T" timeout 120 $PY -m http.server --bind 198.18.0.1 --directory "$WORK" 80 >"$WORK/http.out" 2>&1 &
HTTP_PID=$!
sleep 1
S $PY -c '
import urllib.request
for _ in range(3):
    urllib.request.urlopen("http://198.18.0.1/rsyslog.conf", timeout=5).read()
'
gap
hp -a 198.18.0.3 -c 2 -i u300000 -S -p 23 198.18.0.1; gap
hp -a 198.18.0.5 -c 1 -A -p 443 198.18.0.1; gap
hp -a 198.18.0.4 -c 2 -i u300000 --icmp -d 56 198.18.0.1
stop_pid "$HTTP_PID"; HTTP_PID=""
phase_end benign
fi

# ---------------------------------------------------------------- phase mixed
# a small mixed capture (IPv4 + IPv6, iptables + ip6tables, prefix "DROP "),
# written in every wrapper format; dmesg is read right after it. The same
# packets also go to NFLOG group 5, read by a private ulogd2 (LOGEMU output).
if want mixed; then
cat > "$WORK/ulogd.conf" <<EOF
[global]
logfile="$WORK/ulogd.out"
loglevel=3
plugin="$ULOGD_PLUGINS/ulogd_inppkt_NFLOG.so"
plugin="$ULOGD_PLUGINS/ulogd_raw2packet_BASE.so"
plugin="$ULOGD_PLUGINS/ulogd_filter_IFINDEX.so"
plugin="$ULOGD_PLUGINS/ulogd_filter_IP2STR.so"
plugin="$ULOGD_PLUGINS/ulogd_filter_PRINTPKT.so"
plugin="$ULOGD_PLUGINS/ulogd_output_LOGEMU.so"
stack=log1:NFLOG,base1:BASE,ifi1:IFINDEX,ip2str1:IP2STR,print1:PRINTPKT,emu1:LOGEMU
[log1]
group=5
[emu1]
file="$WORK/ulogd-emu.log"
sync=1
EOF
ip netns exec "$NS_T" unshare -u sh -c "hostname fw1; exec ulogd -c '$WORK/ulogd.conf'" >"$WORK/ulogd.stdout" 2>&1 &
ULOGD_PID=$!
sleep 1
kill -0 "$ULOGD_PID" || { log "ulogd did not start"; cat "$WORK/ulogd.out" "$WORK/ulogd.stdout" >&2; exit 1; }
phase_begin mixed
NFLOG_GROUP=5
ipt_base iptables "DROP " --log-tcp-options
ipt_base ip6tables "DROP " --log-tcp-options
NFLOG_GROUP=""
nmap_raw 198.18.0.3 -sS -p 2000-2029 198.18.0.1; gap
nmap_raw 198.18.0.4 -sU -p 3000-3014 198.18.0.1; gap
nmap_raw 198.18.0.5 -sM -p 4000-4007 198.18.0.1; gap
nmap_raw 2001:db8:0:1::3 -6 -sS -p 5000-5019 2001:db8:0:1::1
phase_end mixed
stop_pid "$ULOGD_PID"; ULOGD_PID=""
dmesg > "$WORK/dmesg.txt"
dmesg -T > "$WORK/dmesg-T.txt"
dmesg -r > "$WORK/dmesg-r.txt"
fi

# ---------------------------------------------------------------- phase fwd
# FORWARD chain: scanner -> router (ip_forward=1, logs in FORWARD) -> host
if want fwd; then
phase_begin fwd
ip netns add "$NS_A"; ip netns add "$NS_R"; ip netns add "$NS_B"
ip link add "fa$ID" type veth peer name "fr$ID"
ip link add "fb$ID" type veth peer name "fs$ID"
ip link set "fa$ID" netns "$NS_A"; ip link set "fr$ID" netns "$NS_R"
ip link set "fs$ID" netns "$NS_R"; ip link set "fb$ID" netns "$NS_B"
ip -n "$NS_A" link set "fa$ID" name eth0
ip -n "$NS_R" link set "fr$ID" name eth0
ip -n "$NS_R" link set "fs$ID" name eth1
ip -n "$NS_B" link set "fb$ID" name eth0
ip -n "$NS_A" link set eth0 address 00:00:5e:00:53:a2
ip -n "$NS_R" link set eth0 address 00:00:5e:00:53:a1
ip -n "$NS_R" link set eth1 address 00:00:5e:00:53:b1
ip -n "$NS_B" link set eth0 address 00:00:5e:00:53:b2
for ns in $NS_A $NS_R $NS_B; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
done
ip -n "$NS_R" link set eth1 up
ip -n "$NS_A" addr add 198.18.1.2/24 dev eth0
ip -n "$NS_R" addr add 198.18.1.1/24 dev eth0
ip -n "$NS_R" addr add 198.18.2.1/24 dev eth1
ip -n "$NS_B" addr add 198.18.2.2/24 dev eth0
ip -n "$NS_A" route add 198.18.2.0/24 via 198.18.1.1
ip -n "$NS_B" route add 198.18.1.0/24 via 198.18.2.1
ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1
R() { timeout 60 ip netns exec "$NS_R" "$@"; }
R iptables -P FORWARD DROP
R iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
R iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT
R iptables -A FORWARD -j LOG --log-prefix "FWD DROP " --log-tcp-options
R iptables -A FORWARD -j DROP
timeout 120 ip netns exec "$NS_A" nmap -n -Pn --max-retries 0 --max-rate 200 --host-timeout 90s -sS -p 20-99 198.18.2.2 >>"$WORK/nmap.out" 2>&1
phase_end fwd
fi

# ---------------------------------------------------------------- phase crafted
# Hand-made packets, one scanner address per scenario (198.18.0.100-.125,
# 2001:db8:0:1::100-::103, and the target's own 198.18.0.1 for sameip):
# psad signatures, invalid ICMP/ICMPv6, IP options, Mirai, Masscan, Topera,
# OS detection. iptables logs IP options, TCP options and sequence numbers;
# ip6tables IP (extension header) and TCP options but not sequence numbers,
# because psad's IPv6 TCP pattern cannot read SEQ=/ACK= (ip6-scans has them).
# ORDER MATTERS: psad (and vigil's psad-compatible heuristic) call every
# option-less SYN "Masscan" once any TCP line with options was seen, so every
# hping3/Topera SYN comes before the first SYN with options (the Masscan step).
if want crafted; then
SMAC=00:00:5e:00:53:02; TMAC=00:00:5e:00:53:01
CR() { S timeout 30 $PY "$HELP/craft.py" eth0 $SMAC $TMAC "$@"; }   # crafted frames
cgap() { sleep 0.3; }
i=100; while [ $i -le 125 ]; do ip -n "$NS_S" addr add 198.18.0.$i/24 dev eth0; i=$((i + 1)); done
for i in 100 101 102 103; do
	ip -n "$NS_S" -6 addr add 2001:db8:0:1::$i/64 dev eth0 nodad preferred_lft 0
	# static neighbours both ways: no neighbour discovery traffic to log
	ip -n "$NS_T" -6 neigh replace 2001:db8:0:1::$i lladdr $SMAC dev eth0 nud permanent
done
ip -n "$NS_S" -6 neigh replace 2001:db8:0:1::1 lladdr $TMAC dev eth0 nud permanent
ip -n "$NS_S" neigh replace 198.18.0.1 lladdr $TMAC dev eth0 nud permanent
# the target accepts source-routed packets (else dropped before INPUT) and
# packets from its own address (sameip; else a martian source)
ip netns exec "$NS_T" sysctl -qw net.ipv4.conf.all.accept_source_route=1 net.ipv4.conf.eth0.accept_source_route=1 \
	net.ipv4.conf.all.accept_local=1 net.ipv4.conf.eth0.accept_local=1 \
	net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
# an open port (tcp/80, IPv4 and IPv6) for nmap -O
ip netns exec "$NS_T" timeout 150 $PY -m http.server --bind :: --directory "$WORK/rsyslog" 80 >"$WORK/http6.out" 2>&1 &
HTTP6_PID=$!
phase_begin crafted
T iptables -P INPUT DROP
T iptables -A INPUT -i lo -j ACCEPT
T iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
T iptables -A INPUT -j LOG --log-prefix "DROP " --log-ip-options --log-tcp-options --log-tcp-sequence
T iptables -A INPUT -s 198.18.0.124 -j ACCEPT      # nmap -O gets real answers
T iptables -A INPUT -j DROP
T ip6tables -P INPUT DROP
T ip6tables -A INPUT -i lo -j ACCEPT
T ip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
T ip6tables -A INPUT -s fe80::/10 -p ipv6-icmp -j ACCEPT
T ip6tables -A INPUT -p ipv6-icmp --icmpv6-type 135/0 -j ACCEPT
T ip6tables -A INPUT -p ipv6-icmp --icmpv6-type 136 -j ACCEPT
T ip6tables -A INPUT -p ipv6-icmp --icmpv6-type 143 -j ACCEPT
T ip6tables -A INPUT -j LOG --log-prefix "DROP " --log-ip-options --log-tcp-options
T ip6tables -A INPUT -s 2001:db8:0:1::103 -j ACCEPT
T ip6tables -A INPUT -j DROP
V4=198.18.0.1
# 1. signature probes (hping3: no TCP options; -N fixes the IP ID)
hp -a 198.18.0.100 -c 1 -S -N 1000 -p 1433 $V4; cgap          # MISC MS SQL (psad_id 100205)
hp -a 198.18.0.101 -c 1 -S -N 1000 -p 1015 $V4; cgap          # BACKDOOR Doly 1.5 (1985)
hp -a 198.18.0.102 -c 1 -S -N 1000 -p 27374 $V4; cgap         # BACKDOOR Subseven (100207)
hp -a 198.18.0.103 -c 1 -S -N 1000 -p 12345 $V4; cgap         # BACKDOOR netbus (100028)
hp -a 198.18.0.104 -c 1 --udp -N 1000 -d 20 -p 31337 $V4; cgap   # Back Orifice port: no psad rule
hp -a 198.18.0.105 -c 1 --udp -N 1000 -d 200 -p 62201 $V4; cgap  # fwknop SPA, dsize 200 > 130 (100210)
hp -a 198.18.0.106 -c 1 --udp -N 1000 -d 376 -p 1434 $V4; cgap   # Slammer, IP LEN 404 (100208)
hp -a 198.18.0.107 -c 5 -i u20000 -F -N 1000 -p ++5000 $V4; cgap        # SCAN FIN (621)
hp -a 198.18.0.108 -c 5 -i u20000 -F -P -U -N 1000 -p ++5000 $V4; cgap  # SCAN nmap XMAS (1228)
hp -a 198.18.0.109 -c 5 -i u20000 -N 1000 -p ++5000 $V4; cgap           # NULL (623: dead in psad)
hp -a 198.18.0.110 -c 5 -i u20000 -S -F -N 1000 -p ++5000 $V4; cgap     # SCAN SYN FIN (624)
hp -a 198.18.0.111 -c 2 -i u100000 --icmp -d 56 -N 1000 $V4; cgap       # ICMP PING (384)
hp -a 198.18.0.112 -c 1 --icmp-ts -N 1000 $V4; cgap                     # ICMP Timestamp Request (453)
hp -a 198.18.0.113 -c 1 --icmp-addr -N 1000 $V4; cgap                   # ICMP Address Mask Request (388)
CR icmp4 198.18.0.114 $V4 1 15 0; cgap                                  # ICMP Information Request (417)
# 2. invalid ICMP / ICMPv6
hp -a 198.18.0.115 -c 1 --icmp -C 8 -K 2 -d 56 -N 1000 $V4; cgap        # echo code 2 (ICMP PING undefined code 365)
CR icmp4 198.18.0.116 $V4 1 99 0; cgap                                  # unassigned type 99
CR icmp6 2001:db8:0:1::100 2001:db8:0:1::1 1 135 22; cgap               # neighbour solicitation, code 22
CR icmp6 2001:db8:0:1::101 2001:db8:0:1::1 1 199 0; cgap                # unassigned ICMPv6 type 199
# 3. IP options (UDP to 33434, 2 packets each) and sameip
CR rr 198.18.0.117 $V4 2 33434; cgap
CR lsrr 198.18.0.118 $V4 2 33434; cgap      # MISC source route lssr (500)
CR ssrr 198.18.0.119 $V4 2 33434; cgap      # MISC source route ssrr (502)
CR ts 198.18.0.120 $V4 2 33434; cgap
CR udp4 $V4 $V4 2 33434; cgap               # BAD-TRAFFIC same SRC/DST (527)
# 4. Mirai: 10 SYNs to tcp/23 then one to tcp/2323 (psad's heuristic); and
# SYNs to tcp/23 whose sequence number is the destination address (the bot's fingerprint)
hp -a 198.18.0.121 -c 10 -i u20000 -S -N 1000 -p 23 $V4
hp -a 198.18.0.121 -c 1 -S -N 1000 -p 2323 $V4; cgap
for d in 1 10 11; do
	hp -a 198.18.0.122 -c 1 -S -N 1000 -M $(( (198 << 24) + (18 << 16) + d )) -p 23 198.18.0.$d
done
cgap
# 5. Topera: IPv6 SYNs behind 8 empty Destination Options headers, ports 80-84
CR topera 2001:db8:0:1::102 2001:db8:0:1::1 5 80 8; cgap
# 6. Masscan: one nmap SYN (MSS option: "options seen") then masscan on 40-70
nmap_raw 198.18.0.123 -sS -p 39 $V4
if command -v masscan >/dev/null 2>&1; then
	echo masscan > "$WORK/masscan.used"
	S timeout -k 1 6 masscan $V4 -p40-70 --rate 100 --wait 1 --adapter eth0 --adapter-ip 198.18.0.123 \
		--adapter-mac $SMAC --router-mac $TMAC >"$WORK/masscan.out" 2>&1 || true   # it never ends by itself here: timeout
else
	# masscan's fingerprint: SYN, no options, window 1024, IP ID = (dst ^ dport ^ seq) & 0xffff
	echo emulated > "$WORK/masscan.used"
	p=40; while [ $p -le 70 ]; do
		seq=$(( (p * 2654435761) & 0xffffffff ))
		hp -a 198.18.0.123 -c 1 -S -w 1024 -t 255 -p $p -M $seq -N $(( ((198 << 24) + (18 << 16) + 1 ^ p ^ seq) & 0xffff )) $V4
		p=$((p + 1))
	done
fi
cgap
# 7. OS detection (the target answers these two sources) and a Linux connect() scan
S $NMAP -S 198.18.0.124 -O --max-os-tries 1 -p 80,81 $V4 >>"$WORK/nmap.out" 2>&1; cgap
S $NMAP -6 -S 2001:db8:0:1::103 -O --max-os-tries 1 -p 80,81 2001:db8:0:1::1 >>"$WORK/nmap.out" 2>&1; cgap
ip -n "$NS_S" route replace 198.18.0.0/24 dev eth0 src 198.18.0.125
S $NMAP -sT -p 1-20 --max-rtt-timeout 300ms --initial-rtt-timeout 300ms $V4 >>"$WORK/nmap.out" 2>&1
ip -n "$NS_S" route replace 198.18.0.0/24 dev eth0 src 198.18.0.2
phase_end crafted
stop_pid "$HTTP6_PID"; HTTP6_PID=""
fi

# ---------------------------------------------------------------- phases ufw, firewalld
# The default logging of ufw and firewalld: no TCP options, so the TCP header
# length (and any payload) is unknown to the reader. Per source: a Linux
# connect() SYN (the scanner namespace's own kernel, one SYN: the socket
# gives up before the first retransmission), a SYN shaped as Windows'
# connect() sends it (craft.py winsyn), nmap -sS and (firewalld) nmap -sT.
ufw_fd_setup() {
	i=130; while [ $i -le 139 ]; do ip -n "$NS_S" addr replace 198.18.0.$i/24 dev eth0; i=$((i + 1)); done
}
linux_syn() { # SRC DPORT: one connect() SYN from SRC
	S timeout 10 $PY -c '
import socket, sys
s = socket.socket()
s.bind((sys.argv[1], 0))
s.settimeout(0.5)
try:
    s.connect(("198.18.0.1", int(sys.argv[2])))
except OSError:
    pass
s.close()
' "$1" "$2"
}
win_syn() { # SRC DPORT WINDOW
	S timeout 30 $PY "$HELP/craft.py" eth0 00:00:5e:00:53:02 00:00:5e:00:53:01 winsyn "$1" 198.18.0.1 1 "$2" "$3"
}

if want ufw; then
ufw_fd_setup
phase_begin ufw
# Real ufw, as installed (Debian's defaults: deny incoming, LOGLEVEL low:
# "[UFW BLOCK] ", at most 3 records a minute after a burst of 10), enabled
# in the target namespace only: ip netns exec bind-mounts /etc/netns/NS/ufw
# and /etc/netns/NS/default over /etc/ufw and /etc/default, so ENABLED=yes
# and the rules ufw writes stay in that copy (removed by cleanup).
mkdir -p "/etc/netns/$NS_T/default"
cp -a /etc/ufw "/etc/netns/$NS_T/ufw"
cp -a /etc/default/ufw "/etc/netns/$NS_T/default/ufw"
T ufw --force enable >>"$WORK/ufw.out" 2>&1
T iptables -S ufw-logging-deny >>"$WORK/ufw.out" 2>&1
linux_syn 198.18.0.130 443; gap
win_syn 198.18.0.131 443 64240; gap
# about 8 of these fit the rate limit's burst: a real scan seen through ufw
nmap_raw 198.18.0.132 -sS -p 40000-40099 198.18.0.1
phase_end ufw
T ufw --force disable >>"$WORK/ufw.out" 2>&1
fi

if want firewalld; then
ufw_fd_setup
phase_begin firewalld
# firewalld's LogDenied rule (firewall-cmd --set-log-denied=all; the default,
# off, logs nothing) as its nftables backend writes it for the default zone
# (firewalld's src/firewall/core/nftables.py: a log statement with prefix
# "filter_IN_public_REJECT: " and no flags, before the zone's reject with
# icmpx admin-prohibited). firewalld itself needs D-Bus and would manage the
# host's own firewall: its rule is loaded instead.
T nft -f - <<'EOF'
table inet firewalld {
	chain filter_INPUT {
		type filter hook input priority filter + 10; policy accept;
		ct state established,related accept
		iifname "lo" accept
		jump filter_INPUT_POLICIES
	}
	chain filter_INPUT_POLICIES {
		iifname "eth0" log prefix "filter_IN_public_REJECT: "
		iifname "eth0" reject with icmpx admin-prohibited
	}
}
EOF
linux_syn 198.18.0.134 443; gap
win_syn 198.18.0.135 443 65535; gap
nmap_raw 198.18.0.136 -sS -p 40000-40049 198.18.0.1; gap
ip -n "$NS_S" route replace 198.18.0.0/24 dev eth0 src 198.18.0.137
S $NMAP -sT -p 40000-40029 --max-rtt-timeout 300ms --initial-rtt-timeout 300ms 198.18.0.1 >>"$WORK/nmap.out" 2>&1
ip -n "$NS_S" route replace 198.18.0.0/24 dev eth0 src 198.18.0.2
phase_end firewalld
fi

# ---------------------------------------------------------------- phase blame
# Who sent the packets (issue 8, section 2 and 5): a server namespace on the
# target's second link (eth1) floods it with SYN-ACK, RST and RST-ACK from
# its port 80 to ports the target never used (backscatter of SYNs spoofed in
# the target's name); the scanner runs real nmap -sA and -sM; the target
# itself fetches a page from a second server address on port 443, and a
# log-everything rule writes the server's answers (SYN-ACK, ACK, PSH ACK,
# FIN ACK from 443) and an OUTPUT rule the target's own packets; SYNs to
# tcp/22 are logged "[UFW ALLOW] " and accepted, as ufw does.
if want blame; then
HTTPS_PID=""
ip netns add "$NS_V"
ip link add "vv$ID" type veth peer name "vw$ID"
ip link set "vv$ID" netns "$NS_V"
ip link set "vw$ID" netns "$NS_T"
ip -n "$NS_V" link set "vv$ID" name eth0
ip -n "$NS_T" link set "vw$ID" name eth1
ip -n "$NS_V" link set eth0 address 00:00:5e:00:53:c2
ip -n "$NS_T" link set eth1 address 00:00:5e:00:53:c1
ip netns exec "$NS_V" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec "$NS_T" sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
ip -n "$NS_V" link set lo up
ip -n "$NS_V" link set eth0 up
ip -n "$NS_T" link set eth1 up
ip -n "$NS_V" addr add 198.18.3.2/24 dev eth0
ip -n "$NS_V" addr add 198.18.3.3/24 dev eth0
ip -n "$NS_T" addr add 198.18.3.1/24 dev eth1
ip -n "$NS_V" neigh replace 198.18.3.1 lladdr 00:00:5e:00:53:c1 dev eth0 nud permanent
ip -n "$NS_T" neigh replace 198.18.3.2 lladdr 00:00:5e:00:53:c2 dev eth1 nud permanent
ip -n "$NS_T" neigh replace 198.18.3.3 lladdr 00:00:5e:00:53:c2 dev eth1 nud permanent
ip netns exec "$NS_V" timeout 120 $PY -m http.server --bind 198.18.3.3 --directory "$WORK/rsyslog" 443 >"$WORK/https.out" 2>&1 &
HTTPS_PID=$!
V() { timeout 60 ip netns exec "$NS_V" "$@"; }   # run in the server namespace
vhp() { V timeout 60 hping3 "$@" >>"$WORK/hping3.out" 2>&1 || true; }
sleep 1
phase_begin blame
T iptables -P INPUT DROP
T iptables -A INPUT -i lo -j ACCEPT
T iptables -A INPUT -p tcp --dport 22 --syn -m conntrack --ctstate NEW -j LOG --log-prefix "[UFW ALLOW] "
T iptables -A INPUT -p tcp --dport 22 --syn -m conntrack --ctstate NEW -j ACCEPT
T iptables -A INPUT -i eth1 -m conntrack --ctstate ESTABLISHED,RELATED -j LOG --log-prefix "LOG-ALL "
T iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
T iptables -A INPUT -j LOG --log-prefix "DROP "
T iptables -A INPUT -j DROP
T iptables -A OUTPUT -o eth1 -p tcp --dport 443 -j LOG --log-prefix "OUT "
# backscatter: 30 each of SYN-ACK, RST, RST-ACK from port 80 (-k: kept)
vhp -c 30 -i u20000 -S -A -s 80 -k -p ++40000 198.18.3.1; gap
vhp -c 30 -i u20000 -R -s 80 -k -p ++41000 198.18.3.1; gap
vhp -c 30 -i u20000 -R -A -s 80 -k -p ++42000 198.18.3.1; gap
# real ACK and Maimon scans
nmap_raw 198.18.0.3 -sA -p 1-100 198.18.0.1; gap
nmap_raw 198.18.0.4 -sM -p 1-100 198.18.0.1; gap
# the target as a client of 198.18.3.3:443
T $PY -c '
import urllib.request
for _ in range(3):
    urllib.request.urlopen("http://198.18.3.3:443/", timeout=5).read()
'
gap
# accepted: raw SYNs to tcp/22 (nothing listens: the target answers RST)
hp -a 198.18.0.5 -c 3 -i u100000 -S -p 22 198.18.0.1
phase_end blame
stop_pid "$HTTPS_PID"; HTTPS_PID=""
fi

# ---------------------------------------------------------------- stop readers
sleep 1
mark "capture-done"
sleep 1
touch "$WORK/stop"
rc=0; wait "$READER_PID" || rc=$?
READER_PID=""
cat "$WORK/kmsg-read.err" >&2
[ $rc -eq 0 ] || { log "kmsg reader failed (exit $rc): records were lost, capture is not trustworthy"; exit 1; }
i=0
while ! grep -q "$TAG capture-done" "$WORK/rs-3164.log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
stop_pid "$RSYSLOG_PID"; RSYSLOG_PID=""
i=0
while ! journalctl -D "$WORK/journal" -q -o cat | grep -q "$TAG capture-done" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
stop_pid "$JOURNAL_PID"; JOURNAL_PID=""
for f in short short-iso short-precise short-iso-precise; do
	journalctl -D "$WORK/journal" -q --no-pager -o $f > "$WORK/journal-$f.txt"
done

# ---------------------------------------------------------------- fixtures
mkdir -p "$OUT"
# Phases whose records are told apart by source address too: nf_log_all_netns
# logs every namespace of the host, and other tests' loopback traffic landed
# between these phases' markers (an awk regex; empty: every record).
phase_filter() {
	case $1 in
	ufw|firewalld) echo 'SRC=198[.]18[.]0[.]13[0-9] DST=198[.]18[.]0[.]1 ' ;;
	esac
}
cut_phase() { # FILE PHASE: netfilter lines strictly between the phase's markers
	awk -v b="$TAG $2 begin" -v e="$TAG $2 end" -v r="$(phase_filter "$2")" \
		'index($0, e) { f = 0 } f && /IN=/ && /OUT=/ && (r == "" || $0 ~ r) { print } index($0, b) { f = 1 }' "$1"
}
emit() { # SRC PHASE NAME: write OUT/NAME and check its record count against the master
	cut_phase "$1" "$2" > "$OUT/$3"
	n_want=$(cut_phase "$WORK/kmsg.raw" "$2" | wc -l)
	n_got=$(wc -l < "$OUT/$3")
	if [ "$n_got" -ne "$n_want" ] || [ "$n_want" -eq 0 ]; then
		log "$3: $n_got records, the kmsg capture has $n_want for phase $2"
		exit 1
	fi
	log "$3: $n_got lines"
	EMITTED="$EMITTED $3"
}
EMITTED=""
# remove only the files of the phases run now
if want ipt4; then rm -f "$OUT"/ipt4-scans.*; fi
if want nft4; then rm -f "$OUT"/nft4-scans.*; fi
if want ip6; then rm -f "$OUT"/ip6-scans.*; fi
if want benign; then rm -f "$OUT"/benign.*; fi
if want fwd; then rm -f "$OUT"/fwd-forward.*; fi
if want mixed; then rm -f "$OUT"/mixed.*; fi
if want crafted; then rm -f "$OUT"/crafted.*; fi
if want ufw; then rm -f "$OUT"/ufw-default.*; fi
if want firewalld; then rm -f "$OUT"/firewalld-default.*; fi
if want blame; then rm -f "$OUT"/blame.*; fi
if want ipt4; then emit "$WORK/rs-3164.log" ipt4 ipt4-scans.rfc3164; fi
if want nft4; then emit "$WORK/kmsg.raw" nft4 nft4-scans.kmsg; fi
if want ip6; then emit "$WORK/rs-3339.log" ip6 ip6-scans.rfc3339; fi
if want benign; then emit "$WORK/rs-3164.log" benign benign.rfc3164; fi
if want fwd; then emit "$WORK/kmsg.raw" fwd fwd-forward.kmsg; fi
if want ufw; then emit "$WORK/rs-3164.log" ufw ufw-default.rfc3164; fi
if want firewalld; then emit "$WORK/rs-3339.log" firewalld firewalld-default.rfc3339; fi
if want crafted; then
	emit "$WORK/rs-3164.log" crafted crafted.rfc3164
	emit "$WORK/kmsg.raw" crafted crafted.kmsg
fi
if want blame; then emit "$WORK/rs-3164.log" blame blame.rfc3164; fi
if want mixed; then
	emit "$WORK/kmsg.raw" mixed mixed.kmsg
	emit "$WORK/rs-3164.log" mixed mixed.rfc3164
	emit "$WORK/rs-3339.log" mixed mixed.rfc3339
	emit "$WORK/rs-5424.log" mixed mixed.rfc5424
	emit "$WORK/dmesg.txt" mixed mixed.dmesg
	emit "$WORK/dmesg-T.txt" mixed mixed.dmesg-T
	emit "$WORK/dmesg-r.txt" mixed mixed.dmesg-r
	for f in short short-iso short-precise short-iso-precise; do
		emit "$WORK/journal-$f.txt" mixed "mixed.journal-$f"
	done
	# ulogd's file holds only the mixed phase (NFLOG rules exist only there), no markers
	grep 'IN=.*OUT=' "$WORK/ulogd-emu.log" > "$OUT/mixed.ulogd" || true
	n_want=$(cut_phase "$WORK/kmsg.raw" mixed | wc -l)
	n_got=$(wc -l < "$OUT/mixed.ulogd")
	[ "$n_got" -eq "$n_want" ] || { log "mixed.ulogd: $n_got records, the kmsg capture has $n_want"; exit 1; }
	log "mixed.ulogd: $n_got lines"
fi

# ---------------------------------------------------------------- expectations
mkdir -p "$EXPECTED" "$OPINION"
if [ "$OUT" = "$ROOT/tests/data/capture" ]; then
	# every fixture present (the ones not re-captured now are re-checked too)
	$PY "$HELP/expect.py" "$OUT" "$EXPECTED"
	# psad's second opinion on the RFC 3164 fixtures, and on the other scenario
	# fixtures that psad can read (RFC 3339; raw kmsg: no syslog header, psad takes "now")
	for name in $EMITTED; do
		case $name in
		*.rfc3164|ip6-scans.rfc3339|nft4-scans.kmsg|fwd-forward.kmsg)
			sh "$HELP/psad-opinion.sh" "$OUT/$name" > "$OPINION/$name.txt" ;;
		esac
	done
else
	log "OUTDIR is not tests/data/capture: expectations and psad opinions not rewritten"
fi
log "done in $(( $(date +%s) - T0 )) s"
