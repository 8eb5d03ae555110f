#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# memory.sh VIGIL - bounded memory and eviction by evidence (issue 8, section 3):
# with default settings a 100-port scan survives 400,000 one-packet spoofed
# sources that each hit a DL 3 signature port, the report says how many were
# evicted and lists the most dangerous of them; MEMORY_LIMIT holds a flood of
# source/destination pairs and is checked like every key. Uses jq.
set -u
vigil=${1:?usage: memory.sh VIGIL}
[ -x "$vigil" ] || { echo "memory.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"

# A DL 3 rule of its own, so that the check does not hang on the shipped set's levels.
echo 'alert tcp any any -> any 31337 (msg:"BACKDOOR elite port, tcp/31337"; flags:S,12; psad_id:300069; psad_dl:3;)' >"$tmp/dl3.sigs"

# 100 SYNs to ports 1..100 from 198.51.100.7, then 400,000 spoofed sources
# (2001:db8:8000::/48), one SYN each to tcp/31337.
awk 'BEGIN {
	h = "Mar 11 20:00:00 fw kernel: DROP IN=eth0 OUT= MAC=00:00:5e:00:53:10:00:00:5e:00:53:01:08:00 "
	h6 = "Mar 11 20:00:01 fw kernel: DROP IN=eth0 OUT= MAC=00:00:5e:00:53:10:00:00:5e:00:53:01:86:dd "
	for (p = 1; p <= 100; p++)
		printf "%sSRC=198.51.100.7 DST=198.19.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=51 ID=%d PROTO=TCP SPT=40001 DPT=%d WINDOW=1024 RES=0x00 SYN URGP=0 OPT (020405B4) \n", h, p, (p * 37) % 100 + 1
	for (i = 0; i < 400000; i++)
		printf "%sSRC=2001:0db8:8000:0000:0000:0000:%04x:%04x DST=2001:0db8:0000:0001:0000:0000:0000:0001 LEN=64 TC=0 HOPLIMIT=51 FLOWLBL=0 PROTO=TCP SPT=40001 DPT=31337 WINDOW=1024 RES=0x00 SYN URGP=0 OPT (020405B4) \n", h6, int(i / 65536), i % 65536
}' >"$tmp/flood.log"

# (--ip keeps the report small; the engine sees every line)
expect_status 0 "$vigil" analyze --json --ip 198.51.100.7 --signatures "$tmp/dl3.sigs" "$tmp/flood.log"
expect_json '.input.events' '400100'
expect_json '[.sources[] | select(.src == "198.51.100.7") | .danger_level, .packets]' '[2,100]'
expect_json '.limits.sources_evicted > 200000' 'true'
expect_json '.limits.packets_evicted == .limits.sources_evicted' 'true'
expect_json '.limits.memory_limit' '209715200'
expect_json '.limits.memory_peak <= .limits.memory_limit + 65536' 'true'
# one packet to a DL 3 rule's port is DL 2 without evidence (src/engine/intel.c)
expect_json '[.limits.evicted_top[] | .danger_level, .packets, .ports, .destinations] | unique' '[1,2]'
expect_json '.limits.evicted_top | length' '10'

# the text report names them too
expect_status 0 "$vigil" analyze --signatures "$tmp/dl3.sigs" --ip 198.51.100.7 --no-color "$tmp/flood.log"
expect_grep "$tmp/out" "^  DATA LOST   [0-9,]* sources evicted"
expect_grep "$tmp/out" "^  evicted     2001:db8:8000::[0-9a-f:]* DL 2, 1 pkt, 1 port, 1 dst$"
expect_grep "$tmp/out" "^  bounds      MEMORY_LIMIT 200 MiB"

# MEMORY_LIMIT holds a router's FORWARD flood of pairs: 200 sources x 300 destinations
awk 'BEGIN {
	h = "Mar 11 20:00:00 fw kernel: DROP IN=eth0 OUT=eth1 MAC=00:00:5e:00:53:10:00:00:5e:00:53:01:86:dd "
	for (d = 0; d < 300; d++)
		for (s = 0; s < 200; s++)
			printf "%sSRC=2001:0db8:8000:0000:0000:0000:0000:%04x DST=2001:0db8:0000:0001:0000:0000:0000:%04x LEN=64 TC=0 HOPLIMIT=51 FLOWLBL=0 PROTO=TCP SPT=40001 DPT=445 WINDOW=1024 RES=0x00 SYN URGP=0 OPT (020405B4) \n", h, s, d
}' >"$tmp/pairs.log"
printf 'MEMORY_LIMIT 8M;\n' >"$tmp/small.conf"
expect_status 0 "$vigil" analyze --json --config "$tmp/small.conf" "$tmp/pairs.log"
expect_json '.limits.memory_limit' '8388608'
expect_json '.limits.memory_peak <= .limits.memory_limit + 65536' 'true'
expect_json '.limits.sources_evicted > 0' 'true'
expect_json '.limits.max_dsts_per_source < 4096' 'true'
expect_json '.limits.packets_evicted + ([.sources[].packets] | add) == .input.events' 'true'
expect_status 0 "$vigil" analyze --json "$tmp/pairs.log"
expect_json '.limits.sources_evicted' '0'

# the key is checked and dumped like every other
printf 'MEMORY_LIMIT 3M;\n' >"$tmp/bad.conf"
expect_status 1 "$vigil" config --check --config "$tmp/bad.conf"
expect_grep "$tmp/err" "MEMORY_LIMIT: expected a size 4M-4095G"
expect_status 0 "$vigil" config --dump --config "$tmp/small.conf"
expect_grep "$tmp/out" "^MEMORY_LIMIT  *8M;"

echo "memory: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
