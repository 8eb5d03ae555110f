#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# inputs.sh VIGIL - what `vigil analyze` reads and how it says what it could
# not: real files made by gzip, xz, bzip2 and zstd (alone, multi-member,
# concatenated, mixed with plain text), damaged and truncated ones, devices,
# FIFOs and stdin; file names and arguments that try to forge a "vigil:"
# line on stderr; -h/--help after every command.
set -u
vigil=${1:?usage: inputs.sh VIGIL}
[ -x "$vigil" ] || { echo "inputs.sh: $vigil is not executable" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/lib.sh"

# no_forgery: stderr has no line that a crafted name or argument started,
# and every line on it is one of vigil's
no_forgery() {
	if grep -q '^vigil: forged' "$tmp/err"; then
		bad "$1: a forged line on stderr: $(grep '^vigil: forged' "$tmp/err" | head -1)"
	elif grep -v -q '^vigil: ' "$tmp/err"; then
		bad "$1: a stderr line not from vigil: $(grep -v '^vigil: ' "$tmp/err" | head -1)"
	else
		ok
	fi
}
have() { command -v "$1" >/dev/null 2>&1; }

log=$here/data/capture/ipt4-scans.rfc3164
crafted=$here/data/capture/crafted.rfc3164
nlog=$(wc -l <"$log" | tr -d ' ')
ncrafted=$(wc -l <"$crafted" | tr -d ' ')
"$vigil" analyze --json "$log" >"$tmp/plain.json" 2>/dev/null
plain_sources=$(jq -c .sources "$tmp/plain.json")

# --- each compressor's own tool: same lines, same verdicts as the plain file
for c in gzip xz bzip2 zstd; do
	if ! have $c; then echo "inputs.sh: $c not installed, skipped" >&2; continue; fi
	$c -c -q <"$log" >"$tmp/log.$c"
	expect_status 0 "$vigil" analyze --json "$tmp/log.$c"
	expect_json ".input | [.lines, .events, .read_errors, .problems, .errors]" "[$nlog,$nlog,0,[],[]]"
	if [ "$(jq -c .sources "$tmp/out")" = "$plain_sources" ]; then ok; else bad "$c: sources differ from the plain file"; fi
	# from stdin too, found from the data, not the name
	"$vigil" analyze --json - <"$tmp/log.$c" >"$tmp/out" 2>"$tmp/err"
	expect_json ".input | [.lines, .events]" "[$nlog,$nlog]"
	# two streams of the same format back to back (zcat-style concatenation)
	$c -c -q <"$crafted" >>"$tmp/log.$c"
	expect_status 0 "$vigil" analyze --json "$tmp/log.$c"
	expect_json ".input | [.lines, .read_errors]" "[$((nlog + ncrafted)),0]"
done

if have gzip && have xz && have bzip2 && have zstd; then
	# --- every format in one file, then plain text: all read, the text noted
	cat "$tmp/log.gzip" "$tmp/log.xz" "$tmp/log.bzip2" "$tmp/log.zstd" >"$tmp/mixed"
	off=$(wc -c <"$tmp/mixed" | tr -d ' ')
	cat "$crafted" >>"$tmp/mixed"
	total=$((4 * (nlog + ncrafted) + ncrafted))
	expect_status 0 "$vigil" analyze --json "$tmp/mixed"
	expect_json ".input | [.lines, .read_errors]" "[$total,0]"
	expect_json ".input.problems | map([.note != null, .offset, .line])" "[[true,$off,$((total - ncrafted + 1))]]"
	expect_grep "$tmp/err" "mixed: plain text after the compressed data, read as log lines from line $((total - ncrafted + 1)) (byte $off)"

	# zstd's multi-frame output (one frame per block with --single-thread off)
	zstd -q -c -B262144 -T2 <"$log" >"$tmp/mt.zst" 2>/dev/null || zstd -q -c <"$log" >"$tmp/mt.zst"
	expect_status 0 "$vigil" analyze --json "$tmp/mt.zst"
	expect_json ".input.lines" "$nlog"
	# xz with several blocks
	xz -q -c --block-size=16384 <"$log" >"$tmp/blocks.xz"
	expect_status 0 "$vigil" analyze --json "$tmp/blocks.xz"
	expect_json ".input.lines" "$nlog"
fi

# --- plain text after a gzip member whose last line is unterminated: the
# text starts on a line of its own (not glued to the cut line)
if have gzip; then
	head -n 3 "$log" | head -c -1 | gzip -c >"$tmp/unterm.gz"
	sed -n 4p "$log" >>"$tmp/unterm.gz"
	expect_status 0 "$vigil" analyze --json "$tmp/unterm.gz"
	expect_json ".input | [.lines, .events, .malformed]" "[4,4,0]"

	# --- truncated gzip: the lines before the cut are kept and named
	gzip -c <"$log" >"$tmp/whole.gz"
	size=$(wc -c <"$tmp/whole.gz" | tr -d ' ')
	head -c $((size / 2)) "$tmp/whole.gz" >"$tmp/cut.gz"
	expect_status 1 "$vigil" analyze --json "$tmp/cut.gz"
	expect_json ".input.read_errors" "1"
	expect_json ".input | .lines > 100 and .lines < $nlog and .lines == .events" "true"
	expect_json ".input.problems[0].offset" "$((size / 2))"
	expect_json ".input.lines == .input.problems[0].after_line" "true"
	expect_json ".input.problems[0].error | test(\"truncated\")" "true"
	expect_json ".input.errors | map([.file == \"$tmp/cut.gz\", (.reason | test(\"truncated\"))])" "[[true,true]]"
	expect_grep "$tmp/err" "cut.gz: gzip data ends before the end of its stream: the file is truncated, at byte $((size / 2)) after line [0-9]*: the rest is not read"
	# the text report says data was lost
	expect_status 1 "$vigil" analyze "$tmp/cut.gz"
	expect_grep "$tmp/out" "INPUT LOST  1 input(s) not read to the end"

	# --- damaged gzip member: the member before it is read in full
	gzip -c <"$log" >"$tmp/damaged.gz"
	first=$(wc -c <"$tmp/damaged.gz" | tr -d ' ')
	gzip -c <"$crafted" >>"$tmp/damaged.gz"
	printf '\377\377\377\377\377\377\377\377' |
		dd of="$tmp/damaged.gz" bs=1 seek=$((first + 200)) conv=notrunc 2>/dev/null
	expect_status 1 "$vigil" analyze --json "$tmp/damaged.gz"
	# the first member's lines are all read; the damaged one is named with
	# where it began (damage that inflates is found at its CRC)
	expect_json ".input.lines >= $nlog" "true"
	expect_json ".input.problems[0] | [(.error | test(\"gzip data damaged\")), .offset > $first, .member_offset, .member_line]" "[true,true,$first,$((nlog + 1))]"
	expect_grep "$tmp/err" "damaged.gz: gzip data damaged"
fi

# --- formats vigil does not read are refused by name, not read as lines
printf '\004\042\115\030\144\100\247\000\000\000\000\nDROP IN=eth0\n' >"$tmp/rot.lz4"
expect_status 1 "$vigil" analyze --json "$tmp/rot.lz4"
expect_json ".input | [.lines, .read_errors]" "[0,1]"
expect_grep "$tmp/err" "rot.lz4: lz4 compressed data: vigil reads text, gzip, xz, bzip2 and zstd: not read"
printf 'LPKSHHRH\001\000\000\000' >"$tmp/system.journal"
expect_status 1 "$vigil" analyze --json "$tmp/system.journal"
expect_grep "$tmp/err" "systemd journal file"

# --- devices: /dev/zero and /dev/urandom refused at once; /dev/null is empty
for d in /dev/zero /dev/urandom; do
	expect_status 1 timeout 10 "$vigil" analyze --json "$d"
	expect_grep "$tmp/err" "cannot read '$d': a device, not a log"
	expect_json ".input | [.lines, .read_errors, .problems[0].file]" "[0,1,\"$d\"]"
	expect_json ".input.errors" "[{\"file\":\"$d\",\"reason\":\"a device, not a log (vigil reads files, pipes, stdin and /dev/kmsg)\"}]"
	expect_status 1 timeout 10 "$vigil" analyze --json - <"$d"
	expect_grep "$tmp/err" "cannot read '<stdin>': a device"
done
# a disk is no log either (the first readable block device, if any)
for d in /dev/loop0 /dev/vda /dev/sda /dev/nvme0n1; do
	[ -b "$d" ] && [ -r "$d" ] || continue
	expect_status 1 timeout 10 "$vigil" analyze --json "$d"
	expect_grep "$tmp/err" "cannot read '$d': a device, not a log"
	break
done
# /proc/kmsg would steal the syslog daemon's records and never end
if [ -e /proc/kmsg ]; then
	expect_status 1 timeout 10 "$vigil" analyze --json /proc/kmsg
	expect_grep "$tmp/err" "cannot read '/proc/kmsg'"
fi
expect_status 0 timeout 10 "$vigil" analyze --json /dev/null
expect_json ".input | [.lines, .read_errors]" "[0,0]"
expect_status 0 timeout 10 "$vigil" analyze --json - </dev/null
# the other files are still analysed
expect_status 1 timeout 10 "$vigil" analyze --json /dev/zero "$log"
expect_json ".input | [.lines, .read_errors]" "[$nlog,1]"

# --- a FIFO is a stream: read until its writer closes
if have xz && mkfifo "$tmp/fifo" 2>/dev/null; then
	(xz -c <"$log" >"$tmp/fifo") &
	writer=$!
	expect_status 0 timeout 30 "$vigil" analyze --json "$tmp/fifo"
	expect_json ".input.lines" "$nlog"
	wait "$writer" 2>/dev/null
fi

# --- empty files, plain and compressed
: >"$tmp/empty"
expect_status 0 "$vigil" analyze --json "$tmp/empty"
expect_json ".input | [.files, .lines, .read_errors]" "[1,0,0]"
if have gzip; then
	gzip -c <"$tmp/empty" >"$tmp/empty.gz"
	expect_status 0 "$vigil" analyze --json "$tmp/empty.gz"
	expect_json ".input | [.files, .lines, .read_errors]" "[1,0,0]"
fi

# --- crafted names and arguments never forge a line on stderr
nl='
'
forged="x${nl}vigil: forged"
expect_status 1 "$vigil" analyze --json "$tmp/$forged"
no_forgery "missing file"
expect_grep "$tmp/err" 'x\\x0avigil: forged'
if have gzip; then
	cp "$tmp/cut.gz" "$tmp/$forged.gz"
	expect_status 1 "$vigil" analyze --json "$tmp/$forged.gz"
	no_forgery "truncated gzip"
	expect_grep "$tmp/err" 'x\\x0avigil: forged.gz: gzip data ends'
	# the JSON carries the name as it is
	expect_json ".input.problems[0].file | endswith(\"x\\nvigil: forged.gz\")" "true"
fi
printf 'Nov 25 12:29:10 fw kernel: DROP IN=eth0 OUT= SRC=198.18.0.300 DST=198.18.0.1 PROTO=TCP SPT=1 DPT=2\n' >"$tmp/$forged.log"
expect_status 0 "$vigil" analyze --json --verbose "$tmp/$forged.log"
no_forgery "--verbose malformed line"
expect_grep "$tmp/err" 'forged.log:1:'
expect_status 1 timeout 10 "$vigil" analyze --json "/dev/zero" "$tmp/x${nl}vigil: forged.none"
no_forgery "device and missing file"
printf 'DANGER_LEVEL1 abc;\nNO_SUCH_KEY 1;\n' >"$tmp/$forged.conf"
expect_status 1 "$vigil" analyze --json --config "$tmp/$forged.conf" "$log"
no_forgery "--config with errors"
expect_status 1 "$vigil" config --check --config "$tmp/$forged.conf"
no_forgery "config --check"
expect_grep "$tmp/err" 'forged.conf:1: error'
expect_status 1 "$vigil" config --check --config "$tmp/$forged.missing"
no_forgery "config --check, missing"
printf 'DANGER_LEVEL1 5;\n' >"$tmp/$forged.ok.conf"
expect_status 0 "$vigil" config --check --config "$tmp/$forged.ok.conf"
if grep -q '^vigil: forged' "$tmp/out"; then bad "config --check: forged line on stdout"; else ok; fi
printf '198.18.0.7 5\n' >"$tmp/$forged.autodl"
expect_status 1 "$vigil" analyze --json --auto-dl "$tmp/$forged.autodl" "$log"
no_forgery "--auto-dl with an error"
expect_status 1 "$vigil" analyze --json --auto-dl "$tmp/$forged.noautodl" "$log"
no_forgery "--auto-dl missing"
printf 'alert tcp any any -> any 23 (msg:"x\001y; sid:2;)\n' >"$tmp/$forged.rules"
expect_status 0 "$vigil" analyze --json --signatures "$tmp/$forged.rules" "$log"
no_forgery "--signatures with an error"
expect_status 1 "$vigil" analyze --json --signatures "$tmp/$forged.norules" "$log"
no_forgery "--signatures missing"
printf 'not-an-address\n' >"$tmp/$forged.rep"
expect_status 0 "$vigil" analyze --json --reputation "$tmp/$forged.rep" "$log"
no_forgery "--reputation with an error"
expect_status 1 "$vigil" analyze --json --reputation "$tmp/$forged.norep" "$log"
no_forgery "--reputation missing"
expect_status 2 "$vigil" "analyze${nl}vigil: forged"
no_forgery "unknown command"
for opt in --min-dl --ip --year; do
	expect_status 2 "$vigil" analyze $opt "9${nl}vigil: forged" /dev/null
	no_forgery "analyze $opt"
done

# --- -h and --help after every command: the usage on stdout, exit 0
for c in analyze run status block unblock blocks flush fwcheck config; do
	for h in -h --help; do
		expect_status 0 "$vigil" $c $h
		expect_grep "$tmp/out" "^usage: vigil $c"
	done
done
# also after other arguments; the blocking commands still say they are missing
expect_status 0 "$vigil" block 198.18.0.7 --timeout 60 --help
expect_status 0 "$vigil" analyze /dev/null -h
expect_status 1 "$vigil" block 198.18.0.7
expect_grep "$tmp/err" "not implemented"
# the daemon with a configuration that is not there: one line naming it, exit 1
expect_status 1 "$vigil" run --foreground --config "$tmp/no-such.conf"
expect_grep "$tmp/err" "no-such.conf"
# an input this version does not read: refused at start, named, exit 1
printf 'INPUT_SOURCES syslog-udp:127.0.0.1:5514;\nSTATE_DIR %s/st;\nCONTROL_SOCKET %s/c.sock;\nALERT_JSON_FILE %s/a.json;\n' \
	"$tmp" "$tmp" "$tmp" > "$tmp/udp.conf"
expect_status 1 "$vigil" run --foreground --config "$tmp/udp.conf"
expect_grep "$tmp/err" "syslog-udp and syslog-tcp listeners are not in this version"

# without --foreground and outside systemd the daemon detaches: a relative
# --config still works after its chdir("/"), `status` answers with its pid,
# and SIGTERM to that pid stops it (socket removed)
mkdir -p "$tmp/bg"
printf 'INPUT_SOURCES file:%s/bg/k.log;\nSTATE_DIR %s/bg/st;\nCONTROL_SOCKET %s/bg/c.sock;\nALERT_JSON_FILE %s/bg/a.json;\nSYSLOG_SOCKET %s/bg/s.sock;\n' \
	"$tmp" "$tmp" "$tmp" "$tmp" "$tmp" > "$tmp/bg/v.conf"
vigil_abs=$(cd "$(dirname "$vigil")" && pwd)/$(basename "$vigil")
if (cd "$tmp/bg" && env -u NOTIFY_SOCKET "$vigil_abs" run --config v.conf >"$tmp/out" 2>"$tmp/err"); then
	ok
	bgpid=""
	for i in $(seq 1 50); do
		if "$vigil" status --config "$tmp/bg/v.conf" --json >"$tmp/bg/st.json" 2>/dev/null; then
			bgpid=$(jq -r .pid "$tmp/bg/st.json")
			break
		fi
		sleep 0.1
	done
	case $bgpid in
	'' | *[!0-9]*) bad "the detached daemon did not answer status: $(cat "$tmp/err")" ;;
	*)
		ok
		kill "$bgpid"
		for i in $(seq 1 50); do [ -e "$tmp/bg/c.sock" ] || break; sleep 0.1; done
		if [ -e "$tmp/bg/c.sock" ]; then bad "the detached daemon did not stop"; kill -9 "$bgpid"; else ok; fi
		;;
	esac
else
	bad "vigil run (detached) exited non-zero: $(cat "$tmp/err")"
fi

# SIGHUP that drops the first of two inputs: the other one goes on being read
mkdir -p "$tmp/hup"
hupconf() {
	printf 'INPUT_SOURCES %s;\nSTATE_DIR %s/hup/st;\nCONTROL_SOCKET %s/hup/c.sock;\nALERT_JSON_FILE %s/hup/a.json;\nSYSLOG_SOCKET %s/hup/s.sock;\n' \
		"$1" "$tmp" "$tmp" "$tmp" "$tmp" > "$tmp/hup/v.conf"
}
: > "$tmp/hup/a.log"
: > "$tmp/hup/b.log"
hupconf "file:$tmp/hup/a.log, file:$tmp/hup/b.log"
"$vigil" run --foreground --config "$tmp/hup/v.conf" 2>"$tmp/hup/err" &
huppid=$!
for i in $(seq 1 50); do "$vigil" status --config "$tmp/hup/v.conf" >/dev/null 2>&1 && break; sleep 0.1; done
hupconf "file:$tmp/hup/b.log"
kill -HUP "$huppid"
for i in $(seq 1 50); do grep -q "no longer configured" "$tmp/hup/err" && break; sleep 0.1; done
expect_grep "$tmp/hup/err" "a.log no longer configured: closed"
# and a third input added by the next SIGHUP takes the freed place: b's
# records must still be b's
: > "$tmp/hup/c.log"
hupconf "file:$tmp/hup/b.log, file:$tmp/hup/c.log"
kill -HUP "$huppid"
for i in $(seq 1 50); do [ "$(grep -c "configuration reloaded" "$tmp/hup/err")" -ge 2 ] && break; sleep 0.1; done
cat "$here/data/capture/ipt4-scans.rfc3164" >> "$tmp/hup/b.log"
for i in $(seq 1 50); do [ -s "$tmp/hup/a.json" ] && break; sleep 0.1; done
"$vigil" status --config "$tmp/hup/v.conf" --json > "$tmp/out" 2>"$tmp/err"
expect_json '[.inputs[] | .name | sub(".*/"; "")]' '["b.log","c.log"]'
expect_json '.inputs[0].records > 600' true
expect_json '.inputs[1].records' 0
expect_json '.input.events > 600' true
expect_grep "$tmp/hup/a.json" '"type":"scan"'
kill "$huppid"
wait "$huppid" 2>/dev/null

# a foreign state file is said, set aside as state.bad, and the daemon starts
# empty rather than not at all; a damaged one (one byte flipped) the same
for kind in foreign damaged; do
	rm -rf "$tmp/hup/st" && mkdir -p "$tmp/hup/st"
	if [ $kind = foreign ]; then
		echo "SCAN_TIMEOUT 3600;" > "$tmp/hup/st/state"
	else
		printf 'VIGILSTA\001\000\000\000\000\000\000\000\377\377\377\377' > "$tmp/hup/st/state"
	fi
	"$vigil" run --foreground --config "$tmp/hup/v.conf" 2>"$tmp/hup/err.$kind" &
	stpid=$!
	up=no
	for i in $(seq 1 50); do
		"$vigil" status --config "$tmp/hup/v.conf" >/dev/null 2>&1 && { up=yes; break; }
		sleep 0.1
	done
	[ $up = yes ] && ok || bad "$kind state: the daemon did not start: $(cat "$tmp/hup/err.$kind")"
	[ -e "$tmp/hup/st/state.bad" ] && ok || bad "$kind state not set aside as state.bad"
	expect_grep "$tmp/hup/err.$kind" "not used: .*set aside as .*state.bad, starting empty"
	kill "$stpid"
	wait "$stpid" 2>/dev/null
done
expect_grep "$tmp/hup/err.foreign" "not a vigil state file"
expect_grep "$tmp/hup/err.damaged" "checksum mismatch"

echo "inputs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
