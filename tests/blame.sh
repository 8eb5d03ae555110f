#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# blame.sh VIGIL - blame only what sent the packets (issue 8, sections 2, 5
# and 6): backscatter is reflected traffic at DL 1 at most, ACK and Maimon
# scans are still scans, impossible and own source addresses are spoofed at
# DL 0, IPv4-mapped IPv6 addresses are IPv4, accepted/audited records,
# OUTPUT and service replies are counted apart, IGNORE_LOG_PREFIXES works.
# Uses jq to read the JSON.
set -u
vigil=${1:?usage: blame.sh VIGIL}
[ -x "$vigil" ] || { echo "blame.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"

M='MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:08:00'
# tcp PREFIX SRC DST SPT DPT FLAGS...
tcp() {
	pfx=$1 src=$2 dst=$3 spt=$4 dpt=$5; shift 5
	echo "Dec  6 04:00:01 fw1 kernel: $pfx IN=eth0 OUT= $M SRC=$src DST=$dst LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=0 PROTO=TCP SPT=$spt DPT=$dpt WINDOW=1024 RES=0x00 $* URGP=0"
}
src() { echo ".sources[] | select(.src == \"$1\")"; }

# --- backscatter: a SYN-flood victim answers from port 80 to our ports
{
	p=40001
	while [ $p -le 40060 ]; do
		case $((p % 3)) in
		0) tcp "[UFW BLOCK]" 198.18.5.5 198.18.0.1 80 $p ACK SYN ;;
		1) tcp "[UFW BLOCK]" 198.18.5.5 198.18.0.1 80 $p RST ;;
		*) tcp "[UFW BLOCK]" 198.18.5.5 198.18.0.1 80 $p ACK RST ;;
		esac
		p=$((p + 1))
	done
	# nmap -sA and -sM: one high source port, probing low ports
	p=1
	while [ $p -le 100 ]; do
		tcp "[UFW BLOCK]" 198.18.1.3 198.18.0.1 45678 $p ACK
		tcp "[UFW BLOCK]" 198.18.1.4 198.18.0.1 51234 $p ACK FIN
		p=$((p + 1))
	done
	# HTTPS answers a log-everything rule wrote: not an ACK or Maimon scan
	for p in 51000 51000 51001 51002 51003 51003; do
		tcp "LOG-ALL" 198.18.2.2 198.18.0.1 443 $p ACK PSH
		tcp "LOG-ALL" 198.18.2.2 198.18.0.1 443 $p ACK FIN
	done
} >"$tmp/reflect.log"
expect_status 0 "$vigil" analyze --json "$tmp/reflect.log"
expect_json "$(src 198.18.5.5) | [.danger_level, .reflected, .scan_types, .destinations]" '[1,true,[],[]]'
expect_json "$(src 198.18.5.5) | .reflection" \
	'{"packets":60,"flags":{"SYN ACK":20,"RST":20,"RST ACK":20},"service_port":80,"port_count":60,"ports":"40001-40060"}'
expect_json '.blame | [.reflected_sources, .reflected_packets]' '[1,60]'
expect_json "$(src 198.18.1.3) | [.danger_level, .scan_types, has(\"reflected\")]" '[2,["ACK"],false]'
expect_json "$(src 198.18.1.4) | [.danger_level, .scan_types, has(\"reflected\")]" '[2,["MAIMON"],false]'
expect_json '.input.ignored_by.reply' '12'
expect_json '[.sources[] | select(.src == "198.18.2.2")] | length' '0'
expect_json '.input.lines == .input.events + .input.ignored + .input.malformed' 'true'
expect_status 0 "$vigil" analyze --no-color "$tmp/reflect.log"
expect_grep "$tmp/out" "SRC 198.18.5.5  DL 1  REFLECTED"
expect_grep "$tmp/out" "reflected   1 sources answered spoofed SYNs"

# --- impossible sources: 200-port SYN scans "from" them stay at DL 0
{
	for s in 127.0.0.1 0.0.0.0 224.0.0.5 255.255.255.255 240.1.2.3 198.18.0.1; do
		p=1
		while [ $p -le 200 ]; do tcp DROP $s 198.18.0.1 40000 $p SYN; p=$((p + 1)); done
	done
	p=1
	while [ $p -le 30 ]; do
		echo "Dec  6 04:00:02 fw1 kernel: DROP IN=eth0 OUT= MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:86:dd SRC=0000:0000:0000:0000:0000:0000:0000:0001 DST=2001:0db8:0000:0001:0000:0000:0000:0001 LEN=60 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=40000 DPT=$p WINDOW=1024 RES=0x00 SYN URGP=0"
		p=$((p + 1))
	done
	# a directed broadcast, learnt from a broadcast destination MAC
	echo "Dec  6 04:00:03 fw1 kernel: DROP IN=eth0 OUT= MAC=ff:ff:ff:ff:ff:ff:00:00:5e:00:53:02:08:00 SRC=198.18.0.77 DST=198.18.0.255 LEN=78 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=UDP SPT=137 DPT=137 LEN=58"
	p=1
	while [ $p -le 20 ]; do tcp DROP 198.18.0.255 198.18.0.1 40000 $p SYN; p=$((p + 1)); done
} >"$tmp/spoof.log"
expect_status 0 "$vigil" analyze --json "$tmp/spoof.log"
expect_json "[$(src 127.0.0.1) | .spoofed, .danger_level, .packets]" '["loopback",0,200]'
expect_json "[$(src 0.0.0.0) | .spoofed, .danger_level]" '["unspecified",0]'
expect_json "[$(src 224.0.0.5) | .spoofed, .danger_level]" '["multicast",0]'
expect_json "[$(src 255.255.255.255) | .spoofed, .danger_level]" '["broadcast",0]'
expect_json "[$(src 240.1.2.3) | .spoofed, .danger_level]" '["reserved",0]'
expect_json "[$(src 198.18.0.1) | .spoofed, .danger_level]" '["own",0]'
expect_json "[$(src ::1) | .spoofed, .danger_level]" '["loopback",0]'
expect_json "[$(src 198.18.0.255) | .spoofed, .danger_level]" '["broadcast",0]'
expect_json '[.sources[] | select(.spoofed) | .destinations[].danger_level] | unique' '[0]'
expect_json '.blame | [.spoofed_sources, .spoofed_packets]' '[8,1250]'
expect_json '.blame.spoofed_by' '{"unspecified":1,"loopback":2,"multicast":1,"broadcast":2,"reserved":1,"own":1}'
expect_status 0 "$vigil" analyze --no-color --min-dl 0 "$tmp/spoof.log"
expect_grep "$tmp/out" "SRC 127.0.0.1  DL 0  SPOOFED loopback"
expect_grep "$tmp/out" "spoofed     8 impossible sources"

# --- the firewall's own addresses, configured; learning off
printf 'FIREWALL_ADDRESSES 198.18.7.1/24, 2001:db8:7::1;\nLEARN_FIREWALL_ADDRESSES N;\n' >"$tmp/own.conf"
{
	p=1
	while [ $p -le 20 ]; do
		tcp DROP 198.18.7.1 198.18.0.1 40000 $p SYN
		tcp DROP 198.18.7.255 198.18.0.1 40000 $p SYN
		tcp DROP 198.18.0.1 198.18.0.2 40000 $p SYN
		p=$((p + 1))
	done
} >"$tmp/own.log"
expect_status 0 "$vigil" analyze --json --config "$tmp/own.conf" "$tmp/own.log"
expect_json "[$(src 198.18.7.1) | .spoofed, .danger_level]" '["own",0]'
expect_json "[$(src 198.18.7.255) | .spoofed, .danger_level]" '["broadcast",0]'
expect_json "[$(src 198.18.0.1) | has(\"spoofed\"), .danger_level]" '[false,2]'
expect_status 0 "$vigil" config --dump --config "$tmp/own.conf"
expect_grep "$tmp/out" "^FIREWALL_ADDRESSES  *198.18.7.1/24, 2001:db8:7::1;"
expect_grep "$tmp/out" "^LEARN_FIREWALL_ADDRESSES  *N;"

# --- IPv4-mapped IPv6 is IPv4: shown dotted, auto_dl, HOME_NET, --ip
{
	p=1
	while [ $p -le 3 ]; do
		echo "Dec  6 04:00:04 fw1 kernel: DROP IN=eth0 OUT= MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:86:dd SRC=0000:0000:0000:0000:0000:ffff:c612:0808 DST=0000:0000:0000:0000:0000:ffff:c612:0001 LEN=60 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=40000 DPT=$p WINDOW=1024 RES=0x00 SYN URGP=0"
		p=$((p + 1))
	done
	tcp DROP 198.18.8.8 198.18.0.1 40000 4 SYN
} >"$tmp/mapped.log"
echo "198.18.8.8    4;" >"$tmp/auto_dl"
printf 'HOME_NET 198.18.8.0/24;\n' >"$tmp/home.conf"
expect_status 0 "$vigil" analyze --json --no-signatures --config "$tmp/home.conf" --auto-dl "$tmp/auto_dl" --ip 198.18.8.8 "$tmp/mapped.log"
expect_json '[.sources[] | .src]' '["198.18.8.8"]'
expect_json "[$(src 198.18.8.8) | .packets, .danger_level, .auto_dl_level, .local]" '[4,4,4,true]'
expect_json "[$(src 198.18.8.8) | .destinations[] | .dst]" '["198.18.0.1"]'
expect_json '.input.malformed' '0'

# --- accepted and audited records, OUTPUT: counted apart, never scored
{
	p=1
	while [ $p -le 50 ]; do
		tcp "[UFW ALLOW]" 198.18.6.6 198.18.0.1 40000 $p SYN
		tcp "[UFW AUDIT]" 198.18.6.7 198.18.0.1 40000 $p SYN
		tcp "ACCEPT(src lan)" 198.18.6.8 198.18.0.1 40000 $p SYN
		echo "Dec  6 04:00:05 fw1 kernel: [UFW BLOCK] IN= OUT=eth0 SRC=198.18.0.1 DST=198.18.6.9 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=0 PROTO=TCP SPT=40000 DPT=$p WINDOW=1024 RES=0x00 SYN URGP=0"
		tcp "[UFW BLOCK]" 198.18.6.10 198.18.0.1 40000 $p SYN
		p=$((p + 1))
	done
} >"$tmp/accept.log"
expect_status 0 "$vigil" analyze --json "$tmp/accept.log"
expect_json '.input.ignored_by | [.accepted, .output]' '[150,50]'
expect_json '[.sources[] | .src]' '["198.18.6.10"]'
printf 'ACCEPT_LOG_PREFIXES NONE;\n' >"$tmp/noacc.conf"
expect_status 0 "$vigil" analyze --json --config "$tmp/noacc.conf" "$tmp/accept.log"
expect_json '.input.ignored_by.accepted' '0'
expect_json '[.sources[] | .src] | length' '4'

# --- IGNORE_LOG_PREFIXES: psad's regex read as plain text
printf 'IGNORE_LOG_PREFIXES (^\\[UFW BLOCK\\]|LOG-ALL$);\n' >"$tmp/ilp.conf"
expect_status 0 "$vigil" config --check --config "$tmp/ilp.conf"
expect_status 0 "$vigil" analyze --json --config "$tmp/ilp.conf" "$tmp/accept.log"
expect_json '.input.ignored_by | [.log_prefix, .accepted, .output]' '[100,150,0]'
expect_json '[.sources[] | .src]' '[]'
printf 'IGNORE_LOG_PREFIXES UFW.*BLOCK|DROP;\n' >"$tmp/re.conf"
expect_status 0 "$vigil" config --check --config "$tmp/re.conf"
expect_grep "$tmp/err" "re.conf:1: .*IGNORE_LOG_PREFIXES: 'UFW.\*BLOCK' needs a regex operator"
expect_status 0 "$vigil" analyze --json --config "$tmp/re.conf" "$tmp/spoof.log"
expect_json '.input.ignored_by.log_prefix' '1251'
printf 'IGNORE_LOG_PREFIXES DROP|;\n' >"$tmp/empty.conf"
expect_status 1 "$vigil" config --check --config "$tmp/empty.conf"
expect_grep "$tmp/err" "empty alternative matches every prefix"

echo "blame: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
