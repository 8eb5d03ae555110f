#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# screenshot.sh VIGIL OUT.png - the README's picture: the HTML report of the
# shipped real capture tests/data/capture/ipt4-scans.rfc3164 (nmap's scan
# types and a sweep against one host) rendered by headless Chromium, its
# top part (summary and the first pictures) at a reduced scale so that the
# PNG stays small (`make screenshot`; needs chromium: scripts/deps.sh check).
set -eu
vigil=${1:?usage: screenshot.sh VIGIL OUT.png}
out=${2:?usage: screenshot.sh VIGIL OUT.png}
here=$(cd "$(dirname "$0")/.." && pwd)
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "screenshot.sh: chromium not installed (scripts/deps.sh check)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$vigil" analyze --html "$tmp/report.html" "$here/tests/data/capture/ipt4-scans.rfc3164" >/dev/null
# CSS pixels 1100 x 2450 at 0.7: a 770 x 1715 PNG
setsid timeout -k 5 90 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
	--no-default-browser-check --disable-extensions --disable-background-networking \
	--disable-sync --disable-component-update --user-data-dir="$tmp/chrome" --hide-scrollbars \
	--force-device-scale-factor=0.7 --window-size=1100,2450 \
	--screenshot="$tmp/shot.png" "file://$tmp/report.html" >/dev/null 2>"$tmp/log" &
pid=$!
st=0
wait "$pid" || st=$?
kill -KILL -- "-$pid" 2>/dev/null || true
[ "$st" -eq 0 ] && [ -s "$tmp/shot.png" ] || { echo "screenshot.sh: chromium failed ($st): $(tail -3 "$tmp/log")" >&2; exit 1; }
mv "$tmp/shot.png" "$out"
echo "screenshot.sh: $out ($(wc -c <"$out") bytes)"
