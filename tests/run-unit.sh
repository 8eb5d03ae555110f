#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run-unit.sh TEST_BINARY... - run every cmocka unit test (built with ASan and
# UBSan); print a summary line and fail if any test failed.
set -u
pass=0
fail=0
for t in "$@"; do
	echo "== $t"
	if "$t"; then
		pass=$((pass + 1))
	else
		echo "FAILED: $t" >&2
		fail=$((fail + 1))
	fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
