#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# status-cli.sh VIGIL - `vigil status` without a daemon (exit 1, the socket
# named), its usage errors (exit 2), the client side of the control protocol
# against a scripted server (python3: OK relayed byte for byte, ERR and a
# foreign answer are exit 1 with an escaped message), and what `make
# install DESTDIR=...` installs (unit, logrotate, man page, sample config).
set -u
vigil=${1:?usage: status-cli.sh VIGIL}
[ -x "$vigil" ] || { echo "status-cli.sh: $vigil is not executable" >&2; exit 2; }
case "$vigil" in /*) ;; *) vigil=$(pwd)/$vigil ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/lib.sh"

# --- help texts
expect_status 0 "$vigil" status --help
expect_grep "$tmp/out" "^usage: vigil status \[--ip ADDR\[/LEN\]\] \[--min-dl N\] \[--summary\] \[--json\]"
expect_grep "$tmp/out" "--config FILE"
expect_status 0 "$vigil" run --help
expect_grep "$tmp/out" "^usage: vigil run"
expect_status 0 "$vigil" --help
expect_grep "$tmp/out" "status \[--ip ADDR\]"

# --- usage errors: exit 2, before any connection
for args in "--min-dl 9" "--min-dl x" "--ip 999.1.2.3" "--ip" "--top -3" "--bogus" "extra"; do
	# shellcheck disable=SC2086
	expect_status 2 "$vigil" status --socket "$tmp/none.sock" $args
done
expect_grep "$tmp/err" "unexpected argument, got 'extra'"

# --- no daemon: exit 1 naming the socket
expect_status 1 "$vigil" status --socket "$tmp/none.sock"
expect_grep "$tmp/err" "^vigil: no daemon listening on $tmp/none.sock: No such file or directory"
printf 'CONTROL_SOCKET %s/conf.sock;\n' "$tmp" >"$tmp/vigil.conf"
expect_status 1 "$vigil" status --json --config "$tmp/vigil.conf"
expect_grep "$tmp/err" "no daemon listening on $tmp/conf.sock"
expect_status 1 "$vigil" status --config "$tmp/missing.conf"
expect_grep "$tmp/err" "missing.conf"
# a socket file left behind by a dead daemon: refused, still "no daemon"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tmp/stale.sock"
	expect_status 1 "$vigil" status --socket "$tmp/stale.sock"
	expect_grep "$tmp/err" "no daemon listening on $tmp/stale.sock: Connection refused"
fi

# --- the protocol against a scripted server: one connection, records the
# request line, answers with the given bytes, closes
serve() { # serve SOCKET ANSWER_FILE REQUEST_FILE &
	python3 - "$@" <<'PY'
import socket, sys, os
path, answer, reqf = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(1)
s.settimeout(20)
c, _ = s.accept()
c.settimeout(20)
req = b""
while not req.endswith(b"\n") and len(req) < 4096:
    b = c.recv(4096)
    if not b:
        break
    req += b
open(reqf, "wb").write(req)
c.sendall(open(answer, "rb").read())
c.close()
s.close()
os.unlink(path)
PY
}
ask() { # ask ANSWER_FILE STATUS_ARGS... : serve once, run vigil status against it
	answer=$1; shift
	rm -f "$tmp/srv.sock" "$tmp/req"
	serve "$tmp/srv.sock" "$answer" "$tmp/req" &
	spid=$!
	i=0
	while [ ! -S "$tmp/srv.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	"$vigil" status --socket "$tmp/srv.sock" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	wait $spid
	return $st
}
if command -v python3 >/dev/null 2>&1; then
	doc='{"uptime_s":5,"input":{"events":1,"ignored":0,"malformed":0,"lost":0},"sources":[],"blocks":[]}'
	printf 'OK\n%s\n' "$doc" >"$tmp/ok"
	if ask "$tmp/ok" --json --summary --ip 198.18.0.0/15 --min-dl 2; then ok; else bad "status against OK: exit $?"; fi
	if [ "$(cat "$tmp/req")" = "status --json --summary --ip 198.18.0.0/15 --min-dl 2 --top 50" ]; then
		ok
	else
		bad "request line: $(cat "$tmp/req")"
	fi
	if [ "$(cat "$tmp/out")" = "$doc" ]; then ok; else bad "answer not relayed: $(head -c 300 "$tmp/out")"; fi
	expect_json '.input.lost' '0'
	# a large answer (1 MiB) comes through whole
	{ printf 'OK\n'; head -c 1048576 /dev/zero | tr '\0' x; } >"$tmp/big"
	if ask "$tmp/big" --top 7; then ok; else bad "big answer: exit $?"; fi
	if [ "$(wc -c <"$tmp/out")" -eq 1048576 ]; then ok; else bad "big answer cut: $(wc -c <"$tmp/out")"; fi
	expect_grep "$tmp/req" "^status --min-dl 0 --top 7$"
	# ERR: exit 1 with the daemon's reason, control bytes escaped
	printf 'ERR answer too large\033[31m; narrow it\n' >"$tmp/err-answer"
	if ask "$tmp/err-answer"; then bad "ERR answer exited 0"; else ok; fi
	expect_grep "$tmp/err" "the daemon refused: answer too large\\\\x1b\[31m; narrow it"
	if grep -q "$(printf '\033')" "$tmp/err"; then bad "raw escape byte on stderr"; else ok; fi
	# not our protocol, or closed without a word
	printf 'HTTP/1.0 200 OK\r\n\r\n' >"$tmp/foreign"
	if ask "$tmp/foreign"; then bad "foreign answer exited 0"; else ok; fi
	expect_grep "$tmp/err" "not a vigil control socket"
	: >"$tmp/empty"
	if ask "$tmp/empty"; then bad "empty answer exited 0"; else ok; fi
	expect_grep "$tmp/err" "closed the connection without an answer"
else
	echo "status-cli.sh: python3 absent, protocol tests skipped" >&2
fi

# --- make install DESTDIR=... (this binary, nothing rebuilt)
if command -v make >/dev/null 2>&1; then
	d=$tmp/inst
	expect_status 0 make -s -C "$root" install DESTDIR="$d" PREFIX=/usr VIGIL_BIN="$vigil"
	for f in /usr/sbin/vigil /usr/share/man/man8/vigil.8 /etc/vigil/vigil.conf \
		/etc/vigil/vigil.conf.example /etc/vigil/auto_dl.example /etc/logrotate.d/vigil \
		/usr/lib/systemd/system/vigil.service /usr/share/vigil/signatures; do
		if [ -f "$d$f" ]; then ok; else bad "make install: $f missing"; fi
	done
	if [ -x "$d/usr/sbin/vigil" ] && [ -L "$d/usr/bin/vigil" ]; then ok; else bad "binary or bin/ link"; fi
	unit=$d/usr/lib/systemd/system/vigil.service
	expect_grep "$unit" "^ExecStart=/usr/sbin/vigil run$"
	expect_grep "$unit" "^Type=notify$"
	expect_grep "$unit" "^WatchdogSec="
	expect_grep "$unit" "^ExecReload=/bin/kill -HUP \$MAINPID$"
	expect_grep "$unit" "^CapabilityBoundingSet=CAP_SYSLOG CAP_NET_ADMIN"
	expect_grep "$d/etc/logrotate.d/vigil" "^/var/log/vigil/alerts.json {"
	# an admin's vigil.conf survives a second install
	echo "# mine" >"$d/etc/vigil/vigil.conf"
	expect_status 0 make -s -C "$root" install DESTDIR="$d" PREFIX=/usr VIGIL_BIN="$vigil"
	if [ "$(cat "$d/etc/vigil/vigil.conf")" = "# mine" ]; then ok; else bad "install overwrote vigil.conf"; fi
	if command -v systemd-analyze >/dev/null 2>&1; then
		systemd-analyze security --offline=true "$unit" >"$tmp/sec" 2>&1
		score=$(sed -n 's/.*Overall exposure level for vigil.service: \([0-9.]*\).*/\1/p' "$tmp/sec")
		case "$score" in
		[0-2].* | 3.0) ok ;;
		*) bad "systemd-analyze security: exposure '$score' (want <= 3.0)" ;;
		esac
	fi
	if command -v logrotate >/dev/null 2>&1; then
		expect_status 0 logrotate -d -s "$tmp/lr.state" "$d/etc/logrotate.d/vigil"
	fi
	expect_status 0 make -s -C "$root" uninstall DESTDIR="$d" PREFIX=/usr
	if [ ! -e "$d/usr/sbin/vigil" ] && [ ! -e "$unit" ]; then ok; else bad "uninstall left files"; fi
fi

echo "status-cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
