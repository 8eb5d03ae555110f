#!/bin/sh
# demo.sh VIGIL - analyze the shipped real capture (see tests/data/README.md),
# as a person would: the text report, then the first lines of the JSON.
set -eu
vigil=$1
dir=$(dirname "$0")/../tests/data/capture
log=$dir/rfc3164.log
[ -f "$log" ] || log=$(ls "$dir"/*.log | head -n 1)
echo "\$ vigil analyze $log"
"$vigil" analyze "$log"
echo
echo "\$ vigil analyze --json $log | head -n 40"
"$vigil" analyze --json "$log" | head -n 40
