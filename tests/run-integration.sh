#!/bin/sh
# run-integration.sh VIGIL - every test that runs the vigil binary (the
# sanitizer build): the command-line contract, the capture fixtures and the
# signature agreement with psad 2.4.6.
set -u
vigil=$1
here=$(dirname "$0")
fail=0
for t in "$here"/cli.sh "$here"/fixtures.sh "$here"/agreement.sh "$here"/memory.sh; do
	[ -f "$t" ] || continue
	echo "== $t"
	sh "$t" "$vigil" || fail=1
done
[ "$fail" -eq 0 ]
