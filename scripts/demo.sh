#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# demo.sh VIGIL - analyze the shipped real capture (see tests/data/README.md),
# as a person would: the text report, then the first lines of the JSON.
set -eu
vigil=$1
dir=$(dirname "$0")/../tests/data/capture
log=$dir/ipt4-scans.rfc3164

echo "\$ vigil analyze $log"
"$vigil" analyze "$log"
echo
echo "\$ vigil analyze --json $log | jq . | head -n 40"
"$vigil" analyze --json "$log" | jq . | head -n 40
