# SPDX-License-Identifier: GPL-2.0-or-later
# daemon-lib.sh - the harness of the daemon's end-to-end tests (tests/daemon-*.sh)
# and of bench/daemon.sh, sourced after tests/lib.sh. It builds a small network
# in two namespaces and drives `vigil run` through its contract only
# (shared/reference/cli.md: `vigil run --foreground --config FILE`, the
# configuration keys, the syslog alert line, the JSON alerts, `vigil status
# --json`), so the tests are acceptance tests as well.
#
#   attacker ns  $NS_A: $VA  $A4 (198.18.R.2/24)  $A6 (2001:db8:R::2/64)
#   target ns    $NS_T: $VT  $T4 (198.18.R.1/24)  $T6 (2001:db8:R::1/64)
#
# R and the names (vh8<6 hex>...) are random so parallel runs do not collide,
# and every LOG rule's prefix is "$ID " so a run recognises its own kernel
# records among everybody's. Traffic flows only on that veth pair.
#
# Everything started here is recorded (dl_track) and stopped by pid on exit;
# the namespaces are deleted; no loop runs unbounded (dl_poll: count and time).
#
# Functions (all return non-zero rather than exit, but dl_init which skips):
#   dl_init TOOL...          root + tools or skip; ID, names, addresses, trap
#   dl_netns_up              the two namespaces and the veth pair
#   dl_ns_a / dl_ns_t CMD... run CMD in the attacker / target namespace
#   dl_rule FAMILY KIND TAG [GROUP]  append an iptables/ip6tables rule in the
#                            target's INPUT from the attacker: KIND log | nflog;
#                            TAG is its comment (for dl_counter)
#   dl_nft_rule KIND TAG [GROUP]  the same with nftables (table inet $ID)
#   dl_counter FAMILY TAG    packets the rule TAG counted (nft: FAMILY nft,
#                            TAG-4 or TAG-6)
#   dl_syslog_listen         datagram listener on $SYSLOG_SOCK -> $tmp/syslog.out
#                            ("<arrival epoch s.us> <datagram>" per line)
#   dl_rsyslog_start         private rsyslogd: imkmsg (non-destructive reader of
#                            /dev/kmsg) -> $FW_LOG (kern.* only, this run's
#                            records), $ALL_LOG (every facility), imuxsock on
#                            $RS_SOCK (no /dev/log)
#   dl_conf NAME SOURCES [LINE...]  write $tmp/NAME/vigil.conf
#   dl_vigil_start NAME [NS] start `vigil run --foreground` (in netns NS), wait
#                            for CONTROL_SOCKET; $VPID
#   dl_vigil_stop NAME       SIGTERM, bounded wait; returns vigil's status
#   dl_status NAME [ARGS]    `vigil status --json` -> $tmp/NAME/status.json
#   dl_wait_alert NAME JQ_COND MS  poll NAME's ALERT_JSON_FILE for a JSON
#                            alert matching JQ_COND; prints the ms waited
#   dl_syslog_fields MSG     the contract's scan line as key=value lines
#   dl_level_for PKTS        the danger level PKTS packets give (DANGER_LEVEL1..5)
set -u

DL1=5 DL2=15 DL3=150 DL4=1500 DL5=10000
dl_pids=""
dl_netns=""

# dl_skip WHY: what lib.sh's scripts do when a tool is missing: say so, exit 0
dl_skip() { echo "$(basename "$0"): skipped: $*"; exit 0; }

# now_ms: wall clock in milliseconds
now_ms() { echo $(($(date +%s%N) / 1000000)); }

dl_track() { dl_pids="$dl_pids $1"; }

# dl_kill PID: TERM, up to 5 s, then KILL; only pids this run started
dl_kill() {
	local i
	kill -TERM "$1" 2>/dev/null || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

dl_cleanup() {
	local p n
	for p in $dl_pids; do dl_kill "$p"; done
	for n in $dl_netns; do ip netns del "$n" 2>/dev/null; done
	# DL_KEEP=1: leave the logs, alerts and status documents for a look
	if [ "${DL_KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}

dl_init() {
	local t rnd
	[ "$(id -u)" -eq 0 ] || dl_skip "needs root (network namespaces, netfilter)"
	# absolute: nsenter --mount starts the daemon at the new namespace's root
	case $vigil in /*) ;; *) vigil=$(pwd)/$vigil ;; esac
	for t in ip iptables ip6tables jq "$@"; do
		command -v "$t" >/dev/null 2>&1 || dl_skip "$t is not installed (scripts/deps.sh check)"
	done
	ip netns list >/dev/null 2>&1 || dl_skip "no network namespaces here"
	rnd=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
	ID=vh8${rnd%??}           # vh8 + 6 hex: names and the LOG prefix
	R=$((0x${rnd#??????} % 250 + 2))
	NS_A=${ID}a NS_T=${ID}t VA=${ID}x VT=${ID}y
	A4=198.18.$R.2 T4=198.18.$R.1
	A6=2001:db8:$R::2 T6=2001:db8:$R::1
	# the unprivileged writers must reach the sockets under $tmp
	chmod 755 "$tmp"
	trap dl_cleanup EXIT
	trap 'exit 130' INT TERM
	SYSLOG_SOCK=$tmp/syslog.sock
	PY=$(command -v /usr/bin/python3 python3 | head -n 1)
	# Logged records (sent from the kernel's LOG target) from other namespaces
	# need this; it is global, so it is set, never reset.
	if [ -e /proc/sys/net/netfilter/nf_log_all_netns ]; then
		[ "$(cat /proc/sys/net/netfilter/nf_log_all_netns)" = 1 ] ||
			echo 1 > /proc/sys/net/netfilter/nf_log_all_netns
	fi
}

dl_ns_a() { ip netns exec "$NS_A" "$@"; }
dl_ns_t() { ip netns exec "$NS_T" "$@"; }

dl_netns_up() {
	local h ma mt
	ip netns add "$NS_A" || return 1
	dl_netns="$dl_netns $NS_A"
	ip netns add "$NS_T" || return 1
	dl_netns="$dl_netns $NS_T"
	ip link add "$VA" type veth peer name "$VT" || return 1
	ip link set "$VA" netns "$NS_A" && ip link set "$VT" netns "$NS_T" &&
		ip -n "$NS_A" addr add "$A4/24" dev "$VA" &&
		ip -n "$NS_T" addr add "$T4/24" dev "$VT" &&
		ip -n "$NS_A" addr add "$A6/64" dev "$VA" nodad &&
		ip -n "$NS_T" addr add "$T6/64" dev "$VT" nodad &&
		ip -n "$NS_A" link set lo up && ip -n "$NS_T" link set lo up &&
		ip -n "$NS_A" link set "$VA" up && ip -n "$NS_T" link set "$VT" up || return 1
	# more target addresses: one destination per kind of scan
	for h in 3 4 5 6 7 8 9; do
		ip -n "$NS_T" addr add "198.18.$R.$h/24" dev "$VT" || return 1
		ip -n "$NS_T" addr add "2001:db8:$R::$h/64" dev "$VT" nodad || return 1
	done
	# closed UDP ports answer at once (the ICMP rate limit would make nmap -sU
	# take minutes)
	dl_ns_t sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 || return 1
	# the syslog listener's socket is made here: a queue of 512 datagrams,
	# what systemd's sysctl.d sets on most hosts (the kernel's default, 10,
	# drops most of a burst of alert lines that a log reader takes a few
	# microseconds each to read; see dl_syslog_listen)
	dl_ns_t sysctl -qw net.unix.max_dgram_qlen=512 || return 1
	# neighbours known in advance: no ARP/ND in the middle of a measurement
	ma=$(ip -n "$NS_A" -br link show "$VA" | awk '{print $3}')
	mt=$(ip -n "$NS_T" -br link show "$VT" | awk '{print $3}')
	for h in 1 3 4 5 6 7 8 9; do
		ip -n "$NS_A" neigh replace "198.18.$R.$h" lladdr "$mt" dev "$VA" nud permanent &&
			ip -n "$NS_A" neigh replace "2001:db8:$R::$h" lladdr "$mt" dev "$VA" nud permanent || return 1
	done
	ip -n "$NS_T" neigh replace "$A4" lladdr "$ma" dev "$VT" nud permanent &&
		ip -n "$NS_T" neigh replace "$A6" lladdr "$ma" dev "$VT" nud permanent
}

# dl_rule 4|6 log|nflog TAG [GROUP]: from the attacker's address to the
# target's subnet (not the neighbour solicitations nmap sends to a multicast
# group)
dl_rule() {
	local ipt src dst
	case $1 in 4) ipt=iptables src=$A4 dst=$T4/24 ;; 6) ipt=ip6tables src=$A6 dst=$T6/64 ;; *) return 2 ;; esac
	case $2 in
	log) dl_ns_t "$ipt" -w -A INPUT -s "$src" -d "$dst" -m comment --comment "$3" \
		-j LOG --log-prefix "$ID " --log-tcp-options --log-ip-options ;;
	nflog) dl_ns_t "$ipt" -w -A INPUT -s "$src" -d "$dst" -m comment --comment "$3" \
		-j NFLOG --nflog-group "${4:-5}" --nflog-prefix "$ID" ;;
	*) return 2 ;;
	esac
}

# dl_nft_rule log|nflog TAG [GROUP]: both families in one inet table
dl_nft_rule() {
	local act
	dl_ns_t nft list table inet "$ID" >/dev/null 2>&1 ||
		dl_ns_t nft -f - <<-EOF || return 1
		table inet $ID {
			chain input { type filter hook input priority 0; policy accept; }
		}
		EOF
	case $1 in
	log) act="log prefix \"$ID \" flags all" ;;
	nflog) act="log prefix \"$ID\" group ${3:-5}" ;;
	*) return 2 ;;
	esac
	dl_ns_t nft add rule inet "$ID" input ip saddr "$A4" ip daddr "$T4/24" counter $act comment "\"$2-4\"" &&
		dl_ns_t nft add rule inet "$ID" input ip6 saddr "$A6" ip6 daddr "$T6/64" counter $act comment "\"$2-6\""
}

# dl_counter 4|6|nft TAG: the packets the rule counted so far
dl_counter() {
	local ipt
	case $1 in
	4 | 6)
		ipt=iptables
		[ "$1" = 6 ] && ipt=ip6tables
		dl_ns_t "$ipt" -w -nvxL INPUT | awk -v t="/* $2 */" 'index($0, t) { print $1; n++ } END { if (!n) print "none" }'
		;;
	nft)
		# TAG-4 or TAG-6 (dl_nft_rule makes both)
		dl_ns_t nft list table inet "$ID" |
			awk -v t="\"$2\"" 'index($0, t) { for (i = 1; i < NF; i++) if ($i == "packets") s += $(i + 1) } END { print s + 0 }'
		;;
	esac
}

# A datagram listener standing in for syslog: every datagram on $SYSLOG_SOCK
# becomes one line "<arrival s.us> <datagram>" in $tmp/syslog.out. Bounded:
# it exits after 900 s. Its socket is made in the target namespace, whose
# net.unix.max_dgram_qlen is 512 (dl_netns_up); the path works from any
# namespace. Needs dl_netns_up first.
dl_syslog_listen() {
	: > "$tmp/syslog.out"
	# not through dl_ns_t: a function in the background is a subshell, and
	# its pid, not the listener's, would be tracked
	ip netns exec "$NS_T" "$PY" -c '
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
out = open(sys.argv[2], "ab", buffering=0)
end = time.time() + 900
while time.time() < end:
    s.settimeout(max(0.1, end - time.time()))
    try:
        d = s.recv(65536)
    except socket.timeout:
        break
    out.write(b"%.6f " % time.time() + d.replace(b"\n", b" ").rstrip() + b"\n")
' "$SYSLOG_SOCK" "$tmp/syslog.out" &
	dl_syslog_pid=$!
	dl_track $dl_syslog_pid
	dl_poll 50 0.1 test -S "$SYSLOG_SOCK"
}

# dl_poll COUNT INTERVAL CMD...: run CMD until it succeeds, at most COUNT times
dl_poll() {
	local n iv
	n=$1 iv=$2
	shift 2
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		n=$((n - 1))
		sleep "$iv"
	done
	return 1
}

# A private rsyslogd. imkmsg reads /dev/kmsg, which every reader reads on its
# own (unlike /proc/kmsg, which imklog would drain from the host's klogd);
# its only input besides is a unix socket of its own ($RS_SOCK), so it neither
# takes the host's /dev/log nor writes the host's files. $FW_LOG is kern.log
# as Debian writes it (kern.*, traditional format), filtered to this run's
# LOG prefix so other runs' records stay out; $ALL_LOG takes every facility
# from the socket (to show that a forged line did reach rsyslog).
dl_rsyslog_start() {
	command -v rsyslogd >/dev/null 2>&1 || return 1
	FW_LOG=$tmp/kern.log ALL_LOG=$tmp/all.log RS_SOCK=$tmp/rs.sock
	mkdir -p "$tmp/rsyslog"
	cat > "$tmp/rsyslog.conf" <<-EOF
	global(workDirectory="$tmp/rsyslog")
	module(load="imkmsg")
	module(load="imuxsock" SysSock.Use="off")
	input(type="imuxsock" Socket="$RS_SOCK" CreatePath="off")
	template(name="trad" type="string" string="%TIMESTAMP% %HOSTNAME% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n")
	if \$syslogfacility-text == "kern" and \$msg contains "$ID" then {
		action(type="omfile" file="$FW_LOG" template="trad" flushOnTXEnd="on" asyncWriting="off")
	}
	if \$inputname == "imuxsock" then {
		action(type="omfile" file="$ALL_LOG" template="trad")
	}
	EOF
	rsyslogd -n -f "$tmp/rsyslog.conf" -i "$tmp/rsyslog.pid" > "$tmp/rsyslog.err" 2>&1 &
	dl_rsyslog_pid=$!
	dl_track $dl_rsyslog_pid
	dl_poll 50 0.1 test -S "$RS_SOCK"
}

# A private systemd-journald: in a mount namespace of its own with tmpfs over
# /run and /var/log/journal, so its sockets and journal files are its own and
# the host's (if any) are untouched. It reads /dev/kmsg (no reader drains it)
# into the journal with the kernel transport. Whatever should see this
# journal runs in the same mount namespace: WHERE mnt:$dl_journald_pid for
# dl_vigil_start, dl_in_journal CMD... for the rest.
dl_journald_start() {
	local jd
	jd=$(command -v /lib/systemd/systemd-journald /usr/lib/systemd/systemd-journald | head -n 1)
	[ -n "$jd" ] && command -v unshare > /dev/null && command -v nsenter > /dev/null || return 1
	cat > "$tmp/journald.sh" <<-EOF
	mount -t tmpfs tmpfs /run || exit 1
	if [ -d /var/log/journal ]; then mount -t tmpfs tmpfs /var/log/journal || exit 1; fi
	mkdir -p /run/systemd/journal /run/log/journal
	exec $jd
	EOF
	unshare --mount --propagation private sh "$tmp/journald.sh" > "$tmp/journald.err" 2>&1 &
	dl_journald_pid=$!
	dl_track $dl_journald_pid
	dl_poll 50 0.1 dl_in_journal test -S /run/systemd/journal/socket
}

dl_in_journal() { nsenter --mount="/proc/$dl_journald_pid/ns/mnt" "$@"; }

# dl_conf NAME SOURCES [EXTRA-LINE...]
dl_conf() {
	local d l
	d=$tmp/$1
	mkdir -p "$d/state"
	{
		echo "# $1: written by tests/daemon-lib.sh"
		echo "INPUT_SOURCES     $2;"
		echo "ALERT_JSON_FILE   $d/alerts.json;"
		echo "STATE_DIR         $d/state;"
		echo "CONTROL_SOCKET    $d/control.sock;"
		echo "SYSLOG_SOCKET     $SYSLOG_SOCK;"
		echo "DANGER_LEVEL1     $DL1;"
		echo "DANGER_LEVEL2     $DL2;"
		echo "DANGER_LEVEL3     $DL3;"
		echo "DANGER_LEVEL4     $DL4;"
		echo "DANGER_LEVEL5     $DL5;"
		echo "ENABLE_EMAIL_ALERTS N;"
		echo "ENABLE_DNS_LOOKUPS N;"
		echo "ENABLE_WHOIS_LOOKUPS N;"
		echo "ENABLE_AUTO_IDS   N;"
		shift 2
		for l in "$@"; do echo "$l"; done
	} > "$d/vigil.conf"
}

# dl_vigil_start NAME [WHERE]: vigil in the background (WHERE: a network
# namespace, or mnt:PID for the mount namespace of process PID); ready when
# its CONTROL_SOCKET accepts `vigil status` (10 s at most). $VPID.
dl_vigil_start() {
	local d t0
	d=$tmp/$1
	rm -f "$d/control.sock"
	case ${2:-} in
	mnt:*)
		nsenter --mount="/proc/${2#mnt:}/ns/mnt" "$vigil" run --foreground --config "$d/vigil.conf" >> "$d/out" 2>> "$d/err" &
		;;
	?*)
		ip netns exec "$2" "$vigil" run --foreground --config "$d/vigil.conf" >> "$d/out" 2>> "$d/err" &
		;;
	*)
		"$vigil" run --foreground --config "$d/vigil.conf" >> "$d/out" 2>> "$d/err" &
		;;
	esac
	VPID=$!
	dl_track $VPID
	eval "dl_vpid_$1=$VPID"
	t0=$(now_ms)
	if ! dl_poll 100 0.1 dl_ready "$1"; then
		echo "vigil run ($1) not ready after 10 s: $(tail -c 400 "$d/err")" >&2
		return 1
	fi
	VREADY_MS=$(($(now_ms) - t0))
}

# ready: the CONTROL_SOCKET is there and `vigil status` gets an answer (or
# this build has no `vigil status` yet: then the socket alone)
dl_ready() {
	kill -0 "$VPID" 2>/dev/null || return 1
	[ -S "$tmp/$1/control.sock" ] || return 1
	"$vigil" status --json --config "$tmp/$1/vigil.conf" > /dev/null 2>&1 ||
		"$vigil" status --help 2>&1 | grep -q "not implemented"
}

# dl_vigil_stop NAME: SIGTERM and wait (10 s); prints nothing, returns the
# daemon's exit status (124 when it had to be killed)
dl_vigil_stop() {
	local p i
	eval "p=\${dl_vpid_$1:-}"
	[ -n "$p" ] || return 1
	kill -TERM "$p" 2>/dev/null
	i=0
	while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$p" 2>/dev/null; then
		kill -KILL "$p"
		wait "$p" 2>/dev/null
		return 124
	fi
	wait "$p"
}

# dl_status NAME [ARGS...]: `vigil status --json` into $tmp/NAME/status.json
dl_status() {
	local n
	n=$1
	shift
	"$vigil" status --json --config "$tmp/$n/vigil.conf" "$@" > "$tmp/$n/status.json" 2> "$tmp/$n/status.err"
}

# dl_sjq NAME FILTER: jq -c on the last status
dl_sjq() { jq -c "$2" "$tmp/$1/status.json" 2>&1; }

# dl_src_packets NAME ADDR: the packets status counts for source ADDR (0 if absent)
dl_src_packets() {
	dl_status "$1" --ip "$2" || { echo "status-failed"; return 1; }
	jq -r --arg s "$2" '[.sources[] | select(.src == $s) | .packets] | add // 0' "$tmp/$1/status.json"
}

# dl_wait_alert NAME JQ_COND TIMEOUT_MS: wait for an alert in NAME's
# ALERT_JSON_FILE matching JQ_COND; prints the ms waited, returns 1 on timeout.
# The alert is left in $tmp/NAME/alert.json.
dl_wait_alert() {
	local f t0 n
	f=$tmp/$1/alerts.json t0=$(now_ms)
	n=$(($3 / 20 + 1))
	while [ "$n" -gt 0 ]; do
		if [ -s "$f" ] && jq -c "select($2)" "$f" 2>/dev/null | tail -n 1 > "$tmp/$1/alert.json" &&
			[ -s "$tmp/$1/alert.json" ]; then
			echo $(($(now_ms) - t0))
			return 0
		fi
		n=$((n - 1))
		sleep 0.02
	done
	echo $(($(now_ms) - t0))
	return 1
}

# dl_ajq NAME FILTER: jq -c on the alert dl_wait_alert found
dl_ajq() { jq -c "$2" "$tmp/$1/alert.json" 2>&1; }

# dl_syslog_scan SRC DST [TEXT]: "PRI MESSAGE" of the newest syslog scan line
# for SRC -> DST (containing TEXT); "" when none
dl_syslog_scan() {
	grep -F " $1 -> $2 " "$tmp/syslog.out" 2>/dev/null | grep -F "scan detected" | grep -F -- "${3:-}" | tail -n 1 |
		sed -n 's/^[0-9.]* <\([0-9]*\)>.*vigil\(\[[0-9]*\]\)\{0,1\}: \(.*\)$/\1 \3/p'
}

# dl_syslog_fields MSG: the contract's scan line, field by field:
#   style= src= dst= tcp= udp= flags= tcp_pkts= udp_pkts= icmp_pkts= other_pkts=
#   dl= dsts=
# (a range "[1-200]" as 1-200, flag sets joined by " / " as written)
dl_syslog_fields() {
	printf '%s\n' "$1" | awk '
	{
		m = $0
		if (substr(m, 1, 14) != "scan detected:" && substr(m, 1, 15) != "scan detected (") { print "error=not a scan line"; exit }
		m = substr(m, 14)
		if (substr(m, 1, 2) == " (") {
			i = index(m, "): ")
			if (!i) { print "error=unclosed style"; exit }
			print "style=" substr(m, 3, i - 3)
			m = substr(m, i + 3)
		} else {
			print "style="
			m = substr(m, 3)
		}
		n = split(m, t, " ")
		if (t[2] != "->") { print "error=no arrow"; exit }
		print "src=" t[1]
		print "dst=" t[3]
		for (i = 4; i <= n; i++) {
			if (t[i] ~ /^(tcp|udp|icmp|icmp6|ip):$/ && t[i + 1] ~ /^\[/) {
				r = t[i + 1]; gsub(/[][]/, "", r)
				print substr(t[i], 1, length(t[i]) - 1) "=" r
				i++
			} else if (t[i] == "flags:") {
				f = ""
				while (i + 1 <= n && t[i + 2] != "pkts:" && t[i + 1] !~ /:$/) { i++; f = f (f == "" ? "" : " ") t[i] }
				print "flags=" f
			} else if (t[i] == "other" && t[i + 1] == "proto" && t[i + 2] == "pkts:") {
				print "other_pkts=" t[i + 3]
				i += 3
			} else if (t[i + 1] == "pkts:") {
				print t[i] "_pkts=" t[i + 2]
				i += 2
			} else if (t[i] == "DL:") {
				print "dl=" t[i + 1]
				i++
			} else if (t[i] == "total" && t[i + 1] == "scan" && t[i + 2] == "dsts:") {
				print "dsts=" t[i + 3]
				i += 3
			} else {
				print "unknown=" t[i]
			}
		}
	}'
}

# dl_field FIELDS KEY: the value of KEY in dl_syslog_fields output
dl_field() { printf '%s\n' "$1" | sed -n "s/^$2=//p" | head -n 1; }

# dl_level_for PKTS: psad's packet thresholds as dl_conf sets them
dl_level_for() {
	if [ "$1" -ge $DL5 ]; then echo 5
	elif [ "$1" -ge $DL4 ]; then echo 4
	elif [ "$1" -ge $DL3 ]; then echo 3
	elif [ "$1" -ge $DL2 ]; then echo 2
	elif [ "$1" -ge $DL1 ]; then echo 1
	else echo 0
	fi
}

# check WHAT GOT WANT: one assertion
check() {
	if [ "$2" = "$3" ]; then ok; else bad "$1: expected $3, got $2"; fi
}

# check_le WHAT GOT MAX: GOT <= MAX (integers)
check_le() {
	if [ "$2" -le "$3" ] 2>/dev/null; then ok; else bad "$1: expected <= $3, got $2"; fi
}

# dl_check_scan_alert NAME SRC DST PROTO FLAGS LEVEL MAXPORT STYLE DSTS PKTS:
# the JSON alert in $tmp/NAME/alert.json (the one that raised the pair to
# LEVEL during a scan of PKTS packets to ports 1..MAXPORT) and the contract's
# syslog line for
# that pair agree with each other and with the scan. The alert is raised when
# the threshold is crossed, while nmap is still sending (in random port
# order): its counts are those of that moment. FLAGS "" for udp; STYLE "*"
# for any.
dl_check_scan_alert() {
	local n s d p fl lv mx st nd np th pk sl pri f lo hi
	n=$1 s=$2 d=$3 p=$4 fl=$5 lv=$6 mx=$7 st=$8 nd=$9 np=${10}
	check "$n json type" "$(dl_ajq "$n" .type)" '"scan"'
	check "$n json src" "$(dl_ajq "$n" .src)" "\"$s\""
	check "$n json dst" "$(dl_ajq "$n" .dst)" "\"$d\""
	check "$n json danger_level" "$(dl_ajq "$n" .danger_level)" "$lv"
	eval "th=\$DL$lv"
	pk=$(dl_ajq "$n" ".$p.packets")
	check "$n json $p.packets in [DL$lv, $np]" "$(dl_ajq "$n" ".$p.packets >= $th and .$p.packets <= $np")" true
	check "$n json $p ports within 1-$mx" "$(dl_ajq "$n" ".$p.port_min >= 1 and .$p.port_max <= $mx and .$p.port_count <= .$p.packets and .$p.port_count >= 1")" true
	[ -n "$fl" ] && check "$n json tcp.flags" "$(dl_ajq "$n" '.tcp.flags')" "{\"$fl\":$pk}"
	check "$n json time" "$(dl_ajq "$n" '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[.][0-9]+")')" true
	check "$n json event_time" "$(dl_ajq "$n" '.event_time | type')" '"string"'
	sl=$(dl_syslog_scan "$s" "$d" "DL: $lv ")
	if [ -z "$sl" ]; then
		bad "$n: no syslog line 'scan detected ... $s -> $d ... DL: $lv' in: $(tail -n 3 "$tmp/syslog.out")"
		return
	fi
	pri=${sl%% *}
	f=$(dl_syslog_fields "${sl#* }")
	check "$n syslog facility (daemon)" "$((pri / 8))" 3
	[ "$st" = "*" ] || check "$n syslog style" "$(dl_field "$f" style)" "$st"
	check "$n syslog src" "$(dl_field "$f" src)" "$s"
	check "$n syslog dst" "$(dl_field "$f" dst)" "$d"
	lo=$(dl_ajq "$n" ".$p.port_min") hi=$(dl_ajq "$n" ".$p.port_max")
	[ "$lo" = "$hi" ] || lo=$lo-$hi
	check "$n syslog $p range = the JSON alert's" "$(dl_field "$f" "$p")" "$lo"
	[ -n "$fl" ] && check "$n syslog flags" "$(dl_field "$f" flags)" "$fl"
	check "$n syslog ${p}_pkts = the JSON alert's" "$(dl_field "$f" "${p}_pkts")" "$pk"
	check "$n syslog DL" "$(dl_field "$f" dl)" "$lv"
	check "$n syslog dsts" "$(dl_field "$f" dsts)" "$nd"
	check "$n syslog unknown fields" "$(dl_field "$f" unknown)$(dl_field "$f" error)" ""
}

# dl_check_signatures NAME SRC: psad's signature line (cli.md) for each
# signature SRC matched, once per signature, each with its JSON alert (type
# signature, the same sid and msg); nmap's scans match a few
dl_check_signatures() {
	local n s lines k sid msg
	n=$1 s=$2
	grep -F "vigil" "$tmp/syslog.out" | sed -n "s/^[0-9.]* <[0-9]*>.*vigil\[[0-9]*\]: src: $s signature match: \"\(.*\)\" (sid: \([0-9]*\)) .*/\2 \1/p" > "$tmp/$n/sigs"
	lines=$(wc -l < "$tmp/$n/sigs")
	check "$n: signature lines for $s (some)" "$([ "$lines" -ge 1 ] && echo yes)" yes
	check "$n: signature lines for $s, one per sid" "$(cut -d' ' -f1 "$tmp/$n/sigs" | sort | uniq -d | wc -l)" 0
	k=0
	while read -r sid msg; do
		[ $k -lt 20 ] || break
		k=$((k + 1))
		check "$n: JSON alert for sid $sid" \
			"$(jq -c --arg s "$s" --argjson id "$sid" 'select(.type == "signature" and .src == $s and .sid == $id) | .msg' "$tmp/$n/alerts.json")" \
			"$(jq -cn --arg m "$msg" '$m')"
	done < "$tmp/$n/sigs"
}

# dl_check_pair NAME SRC DST PROTO PORTS PACKETS FLAGS: `vigil status --json`
# has the pair with exactly these counts and the level they give
dl_check_pair() {
	local n s d p sel
	n=$1 s=$2 d=$3 p=$4
	dl_status "$n" --ip "$s" || { bad "$n: vigil status --json failed: $(head -c 300 "$tmp/$n/status.err")"; return; }
	sel=".sources[] | select(.src == \"$s\") | .destinations[] | select(.dst == \"$d\")"
	check "$n status $s -> $d [level, $p.ports, $p.packets]" \
		"$(dl_sjq "$n" "[$sel | .danger_level, .$p.ports, .$p.packets]")" "[$(dl_level_for "$6"),\"$5\",$6]"
	[ -n "$7" ] && check "$n status $s -> $d tcp.flags" "$(dl_sjq "$n" "[$sel | .tcp.flags]")" "[{\"$7\":$6}]"
}

# dl_scan_suite NAME COUNT4 COUNT6: the scans every source must see, each
# against its own destination; after each, the alert of the level it reaches
# within 1 s of its end (syslog and JSON), and status --json exact. COUNT4 /
# COUNT6 print the rules' packet counters; status must count exactly as many.
dl_scan_suite() {
	local n c4 c6 n4 n6 kind h cmd p fl mx st dst src cnt before pk lv waited ns
	n=$1 c4=$2 c6=$3 n4=0 n6=0
	# kind | target | command | proto | flags | ports 1.. | style
	while IFS='|' read -r kind h cmd p fl mx st <&3; do
		[ -n "$kind" ] || continue
		case $h in
		*:*) dst=2001:db8:$R::${h#:} src=$A6 cnt=$c6 ;;
		*) dst=198.18.$R.$h src=$A4 cnt=$c4 ;;
		esac
		before=$($cnt)
		# shellcheck disable=SC2086
		dl_ns_a $cmd $dst < /dev/null > "$tmp/$n/scan.out" 2>&1 || bad "$n $kind: $cmd $dst failed: $(tail -n 2 "$tmp/$n/scan.out")"
		# nmap -sU sends several payloads to some ports: the rule's count
		pk=$(($($cnt) - before))
		lv=$(dl_level_for "$pk")
		waited=$(dl_wait_alert "$n" ".type == \"scan\" and .src == \"$src\" and .dst == \"$dst\" and .danger_level == $lv" 3000) ||
			{ bad "$n $kind: no JSON alert DL $lv for $src -> $dst within 3 s of the scan's end"; continue; }
		# the syslog line goes out in the same flush; let the listener write it
		dl_poll 20 0.05 sh -c "grep -F ' $src -> $dst ' '$tmp/syslog.out' | grep -q 'DL: $lv '"
		check_le "$n $kind: ms from the scan's end to the alert" "$waited" 1000
		case $src in *:*) ns=$n6 n6=$((n6 + 1)) ;; *) ns=$n4 n4=$((n4 + 1)) ;; esac
		dl_check_scan_alert "$n" "$src" "$dst" "$p" "$fl" "$lv" "$mx" "$st" "$((ns + 1))" "$pk"
		dl_check_pair "$n" "$src" "$dst" "$p" "1-$mx" "$pk" "$fl"
	done 3<<-EOF
	SYN|1|nmap -n -Pn -sS -T4 -p 1-200|tcp|SYN|200|nmap -sS
	CONNECT|3|nmap -n -Pn -sT -T4 -p 1-200|tcp|SYN|200|nmap -sT
	UDP|4|nmap -n -Pn -sU -T4 --max-retries 0 -p 1-200|udp||200|nmap -sU
	hping3 XMAS|5|hping3 -q -F -P -U -p ++1 -c 30 -i u2000|tcp|URG PSH FIN|30|*
	SYN6|:1|nmap -n -Pn -6 -sS -T4 -p 1-200|tcp|SYN|200|nmap -sS
	EOF
	dl_check_signatures "$n" "$A4"
	# --ip: the daemon lists 50 sources by default, and kmsg has everybody's
	dl_status "$n" --ip "198.18.$R.0/24"
	check "$n status: packets from $A4 = the rule's counter" "$(dl_sjq "$n" "[.sources[] | select(.src == \"$A4\") | .packets]")" "[$($c4)]"
	check "$n status: lost" "$(dl_sjq "$n" .input.lost)" 0
	check "$n status: the sources of 198.18.$R.0/24" "$(dl_sjq "$n" '[.sources[].src]')" "[\"$A4\"]"
	dl_status "$n" --ip "2001:db8:$R::/64"
	check "$n status: packets from $A6 = the rule's counter" "$(dl_sjq "$n" "[.sources[] | select(.src == \"$A6\") | .packets]")" "[$($c6)]"
	check "$n status: the sources of 2001:db8:$R::/64" "$(dl_sjq "$n" '[.sources[].src]')" "[\"$A6\"]"
}

# dl_need_daemon: skip while this build has no `vigil run`
dl_need_daemon() {
	# an explicit config that does not exist: a daemon exits at once
	if "$vigil" run --foreground --config "$tmp/absent.conf" 2>&1 | grep -q "is not implemented"; then
		dl_skip "vigil run is not implemented in this build"
	fi
}

# dl_pair_json NAME SRC DST FILTER: FILTER on the pair in a fresh status
dl_pair_json() {
	dl_status "$1" --ip "$2" || { echo "status-failed"; return 1; }
	dl_sjq "$1" "[.sources[] | select(.src == \"$2\") | .destinations[] | select(.dst == \"$3\") | $4] | .[0]"
}

# dl_restart NAME VNS COUNT4 MIDSCAN: stop and start vigil (in netns VNS, ""
# for none) in the middle of a slow SYN scan of 198.18.R.6 (MIDSCAN yes), or
# between two scans of it (no: NFLOG has nobody to deliver to while vigil is
# down). The pair keeps its level across the restart, the level alerted
# before is not alerted again, and at the end status counts exactly what the
# rule counted (nothing read twice, nothing skipped).
dl_restart() {
	local n vns c4 dst sp lv pk want
	n=$1 vns=$2 c4=$3 dst=198.18.$R.6
	if [ "$4" = yes ]; then
		ip netns exec "$NS_A" nmap -n -Pn -sS -T4 --scan-delay 8ms -p 1-300 "$dst" < /dev/null > "$tmp/$n/scan.out" 2>&1 &
		sp=$!
		dl_track $sp
		dl_poll 60 0.05 sh -c "'$vigil' status --json --ip $A4 --config '$tmp/$n/vigil.conf' | jq -e '[.sources[] | select(.src == \"$A4\") | .destinations[] | select(.dst == \"$dst\") | .danger_level] | .[0] // 0 | . >= 2' > /dev/null" ||
			bad "$n restart: the pair did not reach DL 2 before the restart"
	else
		dl_ns_a nmap -n -Pn -sS -T4 -p 1-100 "$dst" < /dev/null > "$tmp/$n/scan.out" 2>&1
		dl_wait_alert "$n" ".type == \"scan\" and .dst == \"$dst\" and .danger_level == 2" 2000 > /dev/null ||
			bad "$n restart: no DL 2 alert before the restart"
	fi
	lv=$(dl_pair_json "$n" "$A4" "$dst" .danger_level)
	pk=$(dl_pair_json "$n" "$A4" "$dst" .tcp.packets)
	dl_vigil_stop "$n"
	check "$n restart: exit status of SIGTERM" "$?" 0
	[ -s "$tmp/$n/state/state" ] || ls "$tmp/$n/state" | grep -q . || bad "$n restart: nothing in STATE_DIR after the stop"
	dl_vigil_start "$n" "$vns" || { bad "$n restart: vigil did not come back"; return; }
	check "$n restart: level kept" "$(dl_pair_json "$n" "$A4" "$dst" ".danger_level >= $lv")" true
	check "$n restart: packets kept" "$(dl_pair_json "$n" "$A4" "$dst" ".tcp.packets >= $pk")" true
	if [ "$4" = yes ]; then
		wait $sp
	else
		dl_ns_a nmap -n -Pn -sS -T4 -p 101-300 "$dst" < /dev/null > "$tmp/$n/scan.out" 2>&1
	fi
	dl_wait_alert "$n" ".type == \"scan\" and .dst == \"$dst\" and .danger_level == 3" 2000 > /dev/null ||
		bad "$n restart: no DL 3 alert after the restart"
	want=$($c4)
	dl_poll 40 0.05 sh -c "[ \"\$('$vigil' status --json --ip $A4 --config '$tmp/$n/vigil.conf' | jq '[.sources[] | select(.src == \"$A4\") | .packets] | add')\" = $want ]"
	check "$n restart: packets from $A4 = the rule's counter" "$(dl_src_packets "$n" "$A4")" "$want"
	check "$n restart: $dst's 300 packets" "$(dl_pair_json "$n" "$A4" "$dst" '[.tcp.packets, .tcp.ports]')" '[300,"1-300"]'
	check "$n restart: DL 2 alerted once for $dst" \
		"$(jq -c "select(.type == \"scan\" and .dst == \"$dst\" and .danger_level == 2)" "$tmp/$n/alerts.json" | wc -l)" 1
}

# dl_sighup NAME COUNT4: SIGHUP reloads and keeps every source; the next scan
# adds to them
dl_sighup() {
	local n c4 dst p f want
	n=$1 c4=$2 dst=198.18.$R.7
	dl_status "$n" --ip "198.18.$R.0/24"
	cp "$tmp/$n/status.json" "$tmp/$n/before-hup.json"
	eval "p=\$dl_vpid_$n"
	kill -HUP "$p"
	sleep 0.3
	kill -0 "$p" 2>/dev/null || { bad "$n: vigil died on SIGHUP: $(tail -c 300 "$tmp/$n/err")"; return; }
	dl_status "$n" --ip "198.18.$R.0/24" || bad "$n: status after SIGHUP failed"
	f='[.sources[] | {src, danger_level, packets, d: [.destinations[] | {dst, danger_level}]}] | sort_by(.src)'
	check "$n SIGHUP: sources, levels and packets kept" "$(jq -c "$f" "$tmp/$n/status.json")" "$(jq -c "$f" "$tmp/$n/before-hup.json")"
	dl_ns_a nmap -n -Pn -sS -T4 -p 1-20 "$dst" < /dev/null > "$tmp/$n/scan.out" 2>&1
	dl_wait_alert "$n" ".type == \"scan\" and .dst == \"$dst\" and .danger_level == 2" 2000 > /dev/null ||
		bad "$n SIGHUP: no alert for the scan after the reload"
	want=$($c4)
	dl_poll 40 0.05 sh -c "[ \"\$('$vigil' status --json --ip $A4 --config '$tmp/$n/vigil.conf' | jq '[.sources[] | select(.src == \"$A4\") | .packets] | add')\" = $want ]"
	check "$n SIGHUP: packets from $A4 = the rule's counter" "$(dl_src_packets "$n" "$A4")" "$want"
}

# dl_forged_kmsg: kernel-looking records that are not the kernel's: root's
# write to /dev/kmsg (the kernel files it under facility user) and nobody's
# (refused). Source 198.18.R.66 must never appear.
FORGED_SRC_SUFFIX=66
dl_forged_kmsg() {
	local fs rec i
	fs=198.18.$R.$FORGED_SRC_SUFFIX
	rec="$ID IN=$VT OUT= MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:08:00 SRC=$fs DST=$T4 LEN=44 TOS=0x00 PREC=0x00 TTL=58 ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0 "
	for i in 1 2 3 4 5 6; do
		printf '<4>%s\n' "$rec" > /dev/kmsg || bad "write to /dev/kmsg"
	done
	setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c "printf '<4>%s\n' '$rec' > /dev/kmsg" 2>/dev/null &&
		bad "nobody could write /dev/kmsg"
}

# dl_no_source NAME ADDR: status knows nothing of ADDR
dl_no_source() {
	dl_status "$1" --ip "$2"
	check "$1: forged source $2 in status" "$(dl_sjq "$1" "[.sources[] | select(.src == \"$2\")] | length")" 0
	check "$1: forged source $2 alerted" "$(grep -c "\"$2\"" "$tmp/$1/alerts.json")" 0
}

# dl_finish NAME: stop vigil, exit status 0, no sanitizer report
dl_finish() {
	dl_vigil_stop "$1"
	check "$1: exit status of the final SIGTERM" "$?" 0
	if grep -q -e "ERROR: AddressSanitizer" -e "runtime error:" -e "ERROR: LeakSanitizer" "$tmp/$1/err"; then
		bad "$1: sanitizer report: $(grep -m 3 -e ERROR -e 'runtime error' "$tmp/$1/err")"
	else ok; fi
}
