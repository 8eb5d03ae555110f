#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# agreement.sh VIGIL_BINARY - do vigil and psad 2.4.6 match the same signatures?
#
# For every fixture tests/data/capture/<name> that has a psad opinion
# (tests/data/psad-opinion/<name>.txt, made by scripts/capture/psad-opinion.sh)
# compares the set of (source, sid) psad matched with the set vigil reports:
#   VIGIL analyze --json --signatures tests/data/psad/signatures FIXTURE
#   -> .sources[].src, .sources[].signatures[].sid
# psad's matches are read from the opinion's "sig SRC DST SID COUNT" lines, or,
# in opinion files made before those existed, from psad's "IP Status Detail"
# section (SRC: ... / Signature match ... Sid: N). Addresses are compared
# normalised (psad writes the kernel's full IPv6 form, vigil RFC 5952).
# Differences listed in tests/data/psad-sig-differences (fixture, src, sid,
# vigil-only|psad-only, reason) are allowed; any other difference fails:
#   <fixture>: 198.18.0.5 sid 623: vigil matched it, psad did not (not in tests/data/psad-sig-differences)
# Ends with "N agree, M differ"; exit 1 if any fixture differs, 2 on usage errors.
set -u

if [ $# -ne 1 ]; then
	echo "usage: tests/agreement.sh VIGIL_BINARY" >&2
	exit 2
fi
VIGIL=$1
if [ ! -x "$VIGIL" ]; then
	echo "agreement.sh: vigil binary '$VIGIL' is missing or not executable (build it first: make)" >&2
	exit 2
fi
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
DIR=$(cd "$(dirname "$0")" && pwd)/data
SIGS=$DIR/psad/signatures
TABLE=$DIR/psad-sig-differences
[ -r "$SIGS" ] || { echo "agreement.sh: missing $SIGS" >&2; exit 2; }
[ -r "$TABLE" ] || { echo "agreement.sh: missing $TABLE" >&2; exit 2; }
TMP=$(mktemp -d /tmp/vigil-agreement.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

cat > "$TMP/cmp.py" <<'EOF'
import ipaddress, json, re, sys

fixture, opinion, got_path, table = sys.argv[1:]


def norm(a):
    try:
        return str(ipaddress.ip_address(a))
    except ValueError:
        return a


# psad's matches
psad = {}
with open(opinion) as f:
    text = f.read()
if "\n# signature matches" in text:
    for line in text.splitlines():
        p = line.split()
        if len(p) >= 5 and p[0] == "sig":
            k = (norm(p[1]), int(p[3]))
            psad[k] = psad.get(k, 0) + int(p[4])
else:
    src = None
    sect = text.split("[+] IP Status Detail:", 1)
    for line in (sect[1] if len(sect) == 2 else "").splitlines():
        m = re.match(r"SRC:\s+(\S+),", line)
        if m:
            src = norm(m.group(1))
            continue
        m = re.search(r"Count: (\d+)(?:, .*)?, Sid: (\d+)", line)
        if m and src:
            k = (src, int(m.group(2)))
            psad[k] = psad.get(k, 0) + int(m.group(1))

# vigil's matches
try:
    with open(got_path) as f:
        got = json.load(f)
except ValueError as e:
    print("%s: vigil's output is not JSON: %s" % (fixture, e))
    sys.exit(1)
vigil = {}
for s in got.get("sources", []) if isinstance(got, dict) else []:
    for sg in s.get("signatures", []) or []:
        try:
            vigil[(norm(s["src"]), int(sg["sid"]))] = sg.get("count")
        except (KeyError, TypeError, ValueError):
            print("%s: malformed signature entry %r of %s" % (fixture, sg, s.get("src")))
            sys.exit(1)

# allowed differences
allowed = {}
with open(table) as f:
    for n, line in enumerate(f, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        p = line.split(None, 4)
        if len(p) < 4 or p[3] not in ("vigil-only", "psad-only"):
            print("%s:%d: bad line (fixture src sid vigil-only|psad-only reason)" % (table, n))
            sys.exit(1)
        if p[0] == fixture:
            allowed[(norm(p[1]), int(p[2]))] = (p[3], p[4] if len(p) > 4 else "")

errs, notes = [], []
for k in sorted(set(psad) | set(vigil), key=str):
    src, sid = k
    if k in psad and k in vigil:
        continue
    side = "vigil-only" if k in vigil else "psad-only"
    if allowed.get(k, (None,))[0] == side:
        continue
    if side == "vigil-only":
        errs.append("%s: %s sid %d: vigil matched it (count %s), psad did not (not in tests/data/psad-sig-differences)"
                    % (fixture, src, sid, vigil[k]))
    else:
        errs.append("%s: %s sid %d: psad matched it (%d packets), vigil did not (not in tests/data/psad-sig-differences)"
                    % (fixture, src, sid, psad[k]))
for k, (side, why) in sorted(allowed.items(), key=str):
    occurs = (k in vigil and k not in psad) if side == "vigil-only" else (k in psad and k not in vigil)
    if not occurs:
        notes.append("%s: note: listed difference %s sid %d (%s) did not occur" % (fixture, k[0], k[1], side))
for e in errs + notes:
    print(e)
print("%s: psad %d (src, sid) pairs, vigil %d, common %d" % (
    fixture, len(psad), len(vigil), len(set(psad) & set(vigil))))
sys.exit(1 if errs else 0)
EOF

pass=0
fail=0
for op in "$DIR"/psad-opinion/*.txt; do
	[ -e "$op" ] || continue
	name=$(basename "$op" .txt)
	cap="$DIR/capture/$name"
	if [ ! -e "$cap" ]; then
		echo "$name: psad opinion without fixture tests/data/capture/$name"
		fail=$((fail + 1))
		continue
	fi
	rc=0
	timeout 120 "$VIGIL" analyze --json --signatures "$SIGS" "$cap" > "$TMP/out.json" 2> "$TMP/err" || rc=$?
	if [ $rc -ne 0 ]; then
		echo "$name: vigil exit status $rc: $(head -c 300 "$TMP/err")"
		fail=$((fail + 1))
		continue
	fi
	if $PY "$TMP/cmp.py" "$name" "$op" "$TMP/out.json" "$TABLE"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
echo "$pass agree, $fail differ"
[ $fail -eq 0 ]
