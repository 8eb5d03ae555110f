#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kernel-records.sh VIGIL - every record the kernel writes is read, and a
# damaged one is counted malformed (never "not a firewall record"):
#   - PROTO=58 in an IPv4 record (nmap -sO) is protocol 58, not ICMPv6;
#     PROTO=1 in an IPv6 record is protocol 1, not ICMP;
#   - IPv6 LEN= above 65535 (payload + 40) and IPv4 BIG TCP lengths, a 32-bit
#     ICMPv6 MTU=;
#   - a record cut off inside MAC= or right after an IP ethertype, and one
#     whose header or keys NUL bytes broke, are malformed;
#   - a complete non-IP frame header stays "not IP".
# Uses jq.
set -u
vigil=${1:?usage: kernel-records.sh VIGIL}
[ -x "$vigil" ] || { echo "kernel-records.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
# check NAME FILTER WANT: jq FILTER on $tmp/NAME.json
check() {
	got=$(jq -c "$2" "$tmp/$1.json" 2>&1)
	if [ "$got" = "$3" ]; then ok; else bad "$1: jq '$2': expected $3, got $got"; fi
}
run() { # NAME: analyze $tmp/NAME.log
	"$vigil" analyze --json "$tmp/$1.log" > "$tmp/$1.json" 2>/dev/null
	[ $? -le 1 ] || bad "$1: vigil failed"
}
H='Dec  6 04:00:00 fw1 kernel: DROP IN=eth0 OUT= '
M4='MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:08:00 '
M6='MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:86:dd '
S6='SRC=2001:0db8:0000:0000:0000:0000:0000:0007 DST=2001:0db8:0000:0000:0000:0000:0000:0001 '

# nmap -sO: protocol 58 over IPv4, protocol 1 over IPv6
{
	printf '%s%sSRC=198.18.0.8 DST=198.18.0.1 LEN=20 TOS=0x00 PREC=0x00 TTL=41 ID=7 PROTO=58 \n' "$H" "$M4"
	printf '%s%s%sLEN=40 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=1 \n' "$H" "$M6" "$S6"
} > "$tmp/proto.log"
run proto
check proto '.input | [.events, .malformed]' '[2,0]'
# named by number (IANA's keyword), whatever the family; not decoded as ICMP
check proto '.sources[] | select(.src == "198.18.0.8") | .protocols' '{"ipv6-icmp":1}'
check proto '.sources[] | select(.src == "2001:db8::7") | .protocols' '{"icmp":1}'
check proto '[.sources[].destinations[].icmp] | map(select(. != null)) | length' '0'

# lengths wider than 16 bits
{
	printf '%s%s%sLEN=65575 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=1 DPT=80 WINDOW=1 RES=0x00 ACK URGP=0 \n' "$H" "$M6" "$S6"
	printf '%s%sSRC=198.18.0.9 DST=198.18.0.1 LEN=185000 TOS=0x00 PREC=0x00 TTL=64 ID=7 DF PROTO=TCP SPT=1 DPT=80 WINDOW=1 RES=0x00 ACK URGP=0 \n' "$H" "$M4"
	printf '%s%s%sLEN=1280 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=ICMPv6 TYPE=2 CODE=0 MTU=70000 \n' "$H" "$M6" "$S6"
} > "$tmp/len.log"
run len
check len '.input | [.events, .malformed]' '[3,0]'

# cut off or damaged: malformed; a whole non-IP frame header: not IP
{
	printf '%sMAC=00:00:5e:00:53:01:00:0\n' "$H"
	printf '%s%s\n' "$H" "$M4"
	printf '%sMAC=00:00:5e:00:53:01:00:00:5e:00:53:02:88:cc \n' "$H"
	printf 'Dec  6 04:00:00 fw1 ker\000nel: DROP IN=eth0 OUT= %sSRC=198.18.0.9 DST=198.18.0.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=7 PROTO=47 \n' "$M4"
	printf '\000\000\000\000%s%sSRC=198.18.0.9 DST=198.18.0.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=7 PROTO=47 \n' "$H" "$M4"
	printf 'Dec  6 04:00:00 fw1 kernel: DROP IN=eth0 O\000T= %sSRC=198.18.0.9 DST=198.18.0.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=7 PROTO=47 \n' "$M4"
} > "$tmp/cut.log"
run cut
check cut '.input | [.events, .malformed, .ignored_by.not_ip, .ignored_by.not_firewall, .ignored_by.not_kernel]' '[0,5,1,0,0]'

echo "kernel-records: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
