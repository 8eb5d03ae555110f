#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run-integration.sh VIGIL - every test that runs the vigil binary (the
# sanitizer build): every tests/*.sh but the runners themselves (the
# command-line contract, the capture fixtures, the signature agreement with
# psad 2.4.6, and one script per topic).
set -u
vigil=$1
here=$(dirname "$0")
fail=0
for t in "$here"/*.sh; do
	case "$t" in */run-*.sh | */lib.sh | */*-lib.sh) continue ;; esac
	echo "== $t"
	sh "$t" "$vigil" || fail=1
done
[ "$fail" -eq 0 ]
