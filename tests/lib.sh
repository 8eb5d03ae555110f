# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - the harness tests/*.sh share, sourced after they set $vigil: a
# temporary directory $tmp removed on exit, the pass/fail counters, and the
# checks. Each script ends with: echo "NAME: $pass passed, $fail failed".
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# expect_status WANT CMD... : run CMD (stdout to $tmp/out, stderr to
# $tmp/err), compare its exit status
expect_status() {
	want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else bad "$* exited $got, expected $want: $(head -c 300 "$tmp/err")"; fi
}
# expect_json FILTER WANT : jq FILTER on $tmp/out must print WANT
expect_json() {
	got=$(jq -c "$1" "$tmp/out" 2>&1)
	if [ "$got" = "$2" ]; then ok; else bad "jq '$1': expected $2, got $got"; fi
}
# expect_grep FILE PATTERN : PATTERN (grep's basic regex) is in FILE
expect_grep() {
	if grep -q -- "$2" "$1"; then ok; else bad "'$2' not found in $1: $(head -c 300 "$1")"; fi
}
