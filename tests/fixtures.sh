#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fixtures.sh VIGIL_BINARY - compare `vigil analyze --json --signatures
# tests/data/psad/signatures` on every captured
# fixture (tests/data/capture/<name>) that has an expected file
# (tests/data/expected/<name>.json) with that file.
#
# The expected file is a SUBSET of the output: every key it has must be in the
# output with the same value; "sources" are matched by "src", "destinations" by
# "dst", "signatures" by "sid"; arrays of strings or numbers compare as exact
# sets; numbers and strings exactly. Also checked for every fixture: exit
# status 0, and input.lines == events + ignored + malformed.
# Prints each mismatch as
#   <fixture>: sources[src=X].destinations[dst=Y].tcp.port_count: expected 501, got 500
# and ends with "N passed, M failed"; exit 1 if any failed, 2 on usage errors.
set -u

if [ $# -ne 1 ]; then
	echo "usage: tests/fixtures.sh VIGIL_BINARY" >&2
	exit 2
fi
VIGIL=$1
if [ ! -x "$VIGIL" ]; then
	echo "fixtures.sh: vigil binary '$VIGIL' is missing or not executable (build it first: make)" >&2
	exit 2
fi
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
DIR=$(cd "$(dirname "$0")" && pwd)/data
TMP=$(mktemp -d /tmp/vigil-fixtures.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

cat > "$TMP/match.py" <<'EOF'
import json, sys

fixture, exp_path, got_path = sys.argv[1:]
with open(exp_path) as f:
    exp = json.load(f)
try:
    with open(got_path) as f:
        got = json.load(f)
except ValueError as e:
    print("%s: output is not JSON: %s" % (fixture, e))
    sys.exit(1)

errs = []
KEYS = ("src", "dst", "sid")


def show(v):
    return json.dumps(v, sort_keys=True)


def match(path, e, g):
    if isinstance(e, dict):
        if not isinstance(g, dict):
            errs.append("%s: expected an object, got %s" % (path, show(g)))
            return
        for k, v in e.items():
            p = "%s.%s" % (path, k) if path else k
            if k not in g:
                errs.append("%s: expected %s, got nothing" % (p, show(v)))
            else:
                match(p, v, g[k])
    elif isinstance(e, list):
        if not isinstance(g, list):
            errs.append("%s: expected %s, got %s" % (path, show(e), show(g)))
            return
        if e and all(isinstance(x, dict) for x in e):
            for x in e:
                key = next((k for k in KEYS if k in x), None)
                if key is None:
                    errs.append("%s: expected element has no src/dst/sid key" % path)
                    continue
                hits = [y for y in g if isinstance(y, dict) and y.get(key) == x[key]]
                p = "%s[%s=%s]" % (path, key, x[key])
                if not hits:
                    errs.append("%s: expected, got nothing" % p)
                else:
                    match(p, x, hits[0])
        else:
            try:
                same = set(e) == set(g) and len(set(g)) == len(g)
            except TypeError:
                same = False
            if not same:
                errs.append("%s: expected %s, got %s" % (path, show(sorted(e, key=str)), show(g)))
    else:
        if type(e) != type(g) or e != g:
            if not (isinstance(e, (int, float)) and isinstance(g, (int, float))
                    and not isinstance(g, bool) and e == g):
                errs.append("%s: expected %s, got %s" % (path, show(e), show(g)))


match("", exp, got)
inp = got.get("input", {}) if isinstance(got, dict) else {}
try:
    if inp["lines"] != inp["events"] + inp["ignored"] + inp["malformed"]:
        errs.append("input: lines %s != events %s + ignored %s + malformed %s"
                    % (inp["lines"], inp["events"], inp["ignored"], inp["malformed"]))
except (KeyError, TypeError):
    errs.append("input: lines/events/ignored/malformed missing: %s" % show(inp))
for e in errs:
    print("%s: %s" % (fixture, e))
sys.exit(1 if errs else 0)
EOF

pass=0
fail=0
for exp in "$DIR"/expected/*.json; do
	[ -e "$exp" ] || continue
	name=$(basename "$exp" .json)
	cap="$DIR/capture/$name"
	if [ ! -e "$cap" ]; then
		echo "$name: expected file without fixture tests/data/capture/$name"
		fail=$((fail + 1))
		continue
	fi
	rc=0
	# psad's own signature set: the expectations are reasoned from the packets
	# sent and psad's rules (tests/data/README.md); vigil's default set is
	# checked in tests/cli.sh.
	timeout 120 "$VIGIL" analyze --json --signatures "$DIR/psad/signatures" "$cap" \
		> "$TMP/out.json" 2> "$TMP/err" || rc=$?
	if [ $rc -ne 0 ]; then
		echo "$name: exit status $rc: $(head -c 300 "$TMP/err")"
		fail=$((fail + 1))
		continue
	fi
	if $PY "$TMP/match.py" "$name" "$exp" "$TMP/out.json"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
