#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# demo.sh VIGIL - analyze the shipped real capture (see tests/data/README.md),
# as a person would: the text report (summary first), the block list a
# firewall could take, the HTML report, then the first lines of the JSON.
set -eu
vigil=$1
dir=$(dirname "$0")/../tests/data/capture
log=$dir/ipt4-scans.rfc3164
html=$(dirname "$vigil")/demo.html

echo "\$ vigil analyze $log"
"$vigil" analyze "$log"
echo
echo "\$ vigil analyze --min-dl 2 --list $log"
"$vigil" analyze --min-dl 2 --list "$log"
echo
echo "\$ vigil analyze --summary --html $html $log > /dev/null"
"$vigil" analyze --summary --html "$html" "$log" > /dev/null
echo "(open $html in a browser: one self-contained page)"
echo
echo "\$ vigil analyze --json $log | jq . | head -n 40"
"$vigil" analyze --json "$log" | jq . | head -n 40
