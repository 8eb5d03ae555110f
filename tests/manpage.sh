#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# manpage.sh VIGIL - docs/vigil.8 renders without a groff warning and
# documents every option `vigil analyze --help` and `vigil status --help`
# print (a new option without a man page entry fails here).
set -u
vigil=${1:?usage: manpage.sh VIGIL}
[ -x "$vigil" ] || { echo "manpage.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
man=$(cd "$(dirname "$0")/.." && pwd)/docs/vigil.8

if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$man" >"$tmp/warn" 2>&1
	if [ $? -eq 0 ] && [ ! -s "$tmp/warn" ]; then ok; else bad "groff warns: $(head -5 "$tmp/warn")"; fi
	# every section of a rendered page is there
	groff -man -Tutf8 "$man" 2>/dev/null | sed 's/.\x08//g' >"$tmp/page"
	for h in NAME SYNOPSIS DESCRIPTION 'OPTIONS (analyze)' 'OUTPUT (analyze)' EXAMPLES 'SEE ALSO'; do
		if grep -q "^$h" "$tmp/page"; then ok; else bad "no section $h"; fi
	done
else
	echo "manpage.sh: groff absent, rendering not checked" >&2
fi
# options: "--name" in --help, "\-\-name" in the page's source
for c in analyze status; do
	"$vigil" "$c" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u >"$tmp/opts"
	[ -s "$tmp/opts" ] && ok || bad "vigil $c --help lists no option"
	while read -r o; do
		esc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		if grep -q -- "$esc" "$man"; then ok; else bad "docs/vigil.8 does not document $c $o"; fi
	done <"$tmp/opts"
done
# the examples the issue asks for
for e in 'vigil analyze /var/log/kern.log' '\-\-summary \-\-since \-24h' '| mail' \
	'\-\-nft\-set blocklist' 'saddr @blocklist drop' '\-\-html incident.html'; do
	if grep -qF -- "$e" "$man"; then ok; else bad "no example with '$e'"; fi
done

echo "manpage.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
