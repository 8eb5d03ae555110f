#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# gen-sigs.sh N [SEED] - print N syntactically varied signature rules for the
# signature benchmark (vigil's psad-compatible format, see src/match/signature.c).
#
# Mix: ~70% tcp, ~27% udp, ~3% icmp (types 0..255). Destination ports spread
# over 1..65535 (80% single ports, 12% ranges of up to 64 ports, 8% two-port
# lists, 0.1% negations, open ranges and "any"), TCP flags with and without
# modifiers/masks, 0.1% of tcp any-port rules that need an exact flag byte
# (scan-style: F, 0, SF, FPU, ...), icmp type/code tests, number forms,
# quoted messages with escapes, variables, '<-' and '<>'. Rules that hold no
# port stay rare, as in real sets, so matches per packet stay few and the
# benchmark measures the index, not the matches. Deterministic for a given
# SEED (default 1).
# Every rule loads without error when $HOME_NET/$EXTERNAL_NET are defined.
set -eu

usage() {
	echo "usage: $0 N [SEED]" >&2
	exit 2
}

[ $# -ge 1 ] && [ $# -le 2 ] || usage
case $1 in '' | *[!0-9]*) usage ;; esac
seed=${2:-1}
case $seed in '' | *[!0-9]*) usage ;; esac

awk -v n="$1" -v seed="$seed" '
function pick(s,    a, k) { k = split(s, a, "|"); return a[int(rand() * k) + 1] }
function port(    r, lo) {
	r = rand()
	if (r < 0.80) return int(rand() * 65535) + 1
	if (r < 0.92) { lo = int(rand() * 65000) + 1; return lo ":" (lo + int(rand() * 64)) }
	if (r < 0.999) return "[" (int(rand() * 65535) + 1) "," (int(rand() * 65535) + 1) "]"
	# rare: rules no port table can hold (wildcard list)
	if (r < 0.9993) return "!" (int(rand() * 65535) + 1)
	if (r < 0.9996) return (int(rand() * 500) + 65000) ":"
	return "any"
}
function num(max,    r, v) {
	r = rand(); v = int(rand() * (max - 10))
	if (r < 0.4) return v
	if (r < 0.5) return "<" (v + 1)
	if (r < 0.6) return ">" v
	if (r < 0.7) return v ":" max
	if (r < 0.8) return "!" v
	if (r < 0.9) return "<=" v
	return v "<>" (v + 10)
}
BEGIN {
	srand(seed)
	for (i = 1; i <= n; i++) {
		r = rand()
		src = pick("$EXTERNAL_NET|$EXTERNAL_NET|any|!10.0.0.0/8|[192.0.2.0/24,198.51.100.0/24]")
		dst = pick("$HOME_NET|$HOME_NET|any|203.0.113.0/24|2001:db8::/32")
		dir = pick("->|->|->|->|->|<-|<>")
		msg = "BENCH rule " i
		if (rand() < 0.1) msg = msg " \\\"quoted\\\"; with semicolon"
		opts = ""
		if (r < 0.70) {
			proto = "tcp"
			if (rand() < 0.001) {
				# any port, exact flags: indexed by the flag byte
				dport = "any"
				opts = "flags:" pick("F|0|SF|FPU|SRAFPU|R|FA") "; "
			} else {
				dport = port()
				opts = "flags:" pick("S|S|S|S,12|S+|*SF|!A|SA|A+") "; "
			}
			if (rand() < 0.1) opts = opts "flow:to_server,established; "
			if (rand() < 0.05) opts = opts "window:" num(65535) "; "
		} else if (r < 0.97) {
			proto = "udp"
			dport = port()
			if (rand() < 0.3) opts = "psad_dsize:" num(1400) "; "
		} else {
			proto = "icmp"
			dport = "any"
			opts = "itype:" int(rand() * 256) "; "
			if (rand() < 0.5) opts = opts "icode:" int(rand() * 16) "; "
		}
		if (rand() < 0.1) opts = opts "ttl:" num(255) "; "
		# "<-" is written the other way round: destination first
		if (dir == "<-") printf "alert %s %s %s <- %s any", proto, dst, dport, src
		else printf "alert %s %s any %s %s %s", proto, src, dir, dst, dport
		printf " (msg:\"%s\"; %sclasstype:attempted-recon; reference:url,example.com/%d; sid:%d; psad_id:%d; psad_dl:%d; rev:1;)\n", \
			msg, opts, i, 3000000 + i, 4000000 + i, 1 + int(rand() * 5)
	}
}'
