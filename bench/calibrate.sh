#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# calibrate.sh [VIGIL [DATA_DIR]] - danger-level histograms of vigil and psad
# on real firewall logs (docs/calibration.md says what they mean).
#
# DATA_DIR (default: ../shared/data/realworld from the repository root, or
# $CALIBRATE_DATA) holds one directory per origin, each with log files
# (plain or .gz). Skipped, with exit 0, when it does not exist: the logs are
# not part of the repository and are never copied into it.
#
# Per origin, the files are fed oldest first (by the time stamp of their
# first line: rotated logs are not numbered in time order across
# directories) to
#   VIGIL analyze --json FILES...        (vigil's built-in signature set)
# and, when psad is installed (Debian's psad 2.4.6, scripts/deps.sh), the
# same files concatenated into a temporary file to
#   psad -A --analysis-write-data -m TMPFILE -c PRIVATE.conf
# with a private copy of /etc/psad/psad.conf, as scripts/capture/psad-opinion.sh
# runs it (nothing on the system touched; CALIBRATE_PSAD=0 skips psad).
# Printed per origin: the number of sources at each DL 0..5 for vigil and
# psad (psad keeps no state for DL 0: its DL 0 count is the distinct sources
# of the lines it reads minus those it tracks), how many of vigil's DL 3+
# sources sent 1-3 packets to a single port ("noise"), and how many sources
# psad rates above vigil ("psad>vigil"; "at psad DL3+": of those psad rates
# 3 or more, the scans vigil would miss) and below it ("psad<vigil").
# Exit 0; 1 when vigil fails on a file.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
VIGIL=${1:-$here/build/vigil}
DATA=${2:-${CALIBRATE_DATA:-$here/../shared/data/realworld}}
PY=/usr/bin/python3
[ -x $PY ] || PY=python3

if [ ! -d "$DATA" ]; then
	echo "calibrate.sh: $DATA not found: nothing to calibrate on (skipped)"
	exit 0
fi
if [ ! -x "$VIGIL" ]; then
	echo "calibrate.sh: vigil binary '$VIGIL' is missing (build it first: make)" >&2
	exit 1
fi
PSAD=
if [ "${CALIBRATE_PSAD:-1}" != 0 ] && command -v psad >/dev/null 2>&1 && [ -r /etc/psad/psad.conf ]; then
	PSAD=$(command -v psad)
fi
T=$(mktemp -d /tmp/vigil-calibrate.XXXXXX)
trap 'rm -rf "$T"' EXIT

# Files of one origin, oldest first: sort key from the first line's stamp.
cat > "$T/order.py" <<'EOF'
import gzip, re, sys, time
MON = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
def key(path):
    op = gzip.open if path.endswith(".gz") else open
    try:
        with op(path, "rt", errors="replace") as f:
            line = f.readline()
    except OSError:
        return (9, 0, path)
    m = re.match(r"(\d{9,11}) ", line)             # DShield epoch wrapper
    if m:
        return (0, int(m.group(1)), path)
    m = re.match(r"(\d{4})-(\d\d)-(\d\dT\d\d:\d\d:\d\d)", line)  # RFC 3339
    if m:
        return (0, time.mktime(time.strptime(m.group(0), "%Y-%m-%dT%H:%M:%S")), path)
    m = re.match(r"([A-Z][a-z]{2}) +(\d+) (\d\d):(\d\d):(\d\d)", line)  # RFC 3164, no year
    if m and m.group(1) in MON:
        g = m.groups()
        return (1, (((MON[g[0]] * 32 + int(g[1])) * 24 + int(g[2])) * 60 + int(g[3])) * 60 + int(g[4]), path)
    return (9, 0, path)
for p in sorted(sys.argv[1:], key=key):
    print(p)
EOF

# Summary of one origin from vigil's JSON and psad's per-source levels.
cat > "$T/summary.py" <<'EOF'
import json, os, re, sys
origin, vjson, pdir, plines = sys.argv[1:5]
with open(vjson) as f:
    doc = json.load(f)
vig = {}
noise = 0
for s in doc.get("sources", []):
    dl = s["danger_level"]
    vig[s["src"]] = dl
    ports = set()
    for d in s.get("destinations", []):
        for proto in ("tcp", "udp", "udplite"):
            p = d.get(proto)
            if p:
                for span in (p.get("ports") or "").split(","):
                    lo, _, hi = span.partition("-")
                    if lo.isdigit():
                        for port in range(int(lo), int(hi or lo) + 1):
                            ports.add((proto, port))
                            if len(ports) > 1:
                                break
    if dl >= 3 and s["packets"] <= 3 and len(ports) <= 1:
        noise += 1
hv = [0] * 6
for dl in vig.values():
    hv[dl] += 1
hi = sum(hv[3:])
line = "%-16s vigil %6d sources  DL0-5 %s  DL3+ %d, of which 1-3 packets to one port: %d (%s)" % (
    origin, len(vig), " ".join("%d" % n for n in hv), hi, noise,
    "%.0f%%" % (100.0 * noise / hi) if hi else "-")
print(line)
if pdir == "-":
    sys.exit(0)
psad = {}
if os.path.isdir(pdir):
    for ip in os.listdir(pdir):
        try:
            with open(os.path.join(pdir, ip, "danger_level")) as f:
                psad[ip] = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
seen = set()
with open(plines, errors="replace") as f:
    for l in f:
        if "IN=" in l and "OUT=" in l:
            m = re.search(r" SRC=(\S+)", l)
            if m:
                seen.add(m.group(1))
hp = [0] * 6
for dl in psad.values():
    hp[max(0, min(5, dl))] += 1
hp[0] = max(0, len(seen) - len(psad))
def norm(a):
    import ipaddress
    try:
        return str(ipaddress.ip_address(a))
    except ValueError:
        return a
pn = {norm(k): v for k, v in psad.items()}
vn = {norm(k): v for k, v in vig.items()}
above = sum(1 for k, v in pn.items() if v > vn.get(k, 0))
above3 = sum(1 for k, v in pn.items() if v >= 3 and v > vn.get(k, 0))
below = sum(1 for k, v in vn.items() if v > pn.get(k, 0))
print("%-16s psad  %6d sources  DL0-5 %s  DL3+ %d; psad>vigil %d (at psad DL3+: %d), psad<vigil %d" % (
    origin, len(seen), " ".join("%d" % n for n in hp), sum(hp[3:]), above, above3, below))
EOF

echo "# vigil: $("$VIGIL" --version 2>/dev/null | head -1) ($VIGIL)"
if [ -n "$PSAD" ]; then
	echo "# psad: $(dpkg-query -W -f='${Version}' psad 2>/dev/null || echo '?') -A, default psad.conf and signatures"
	mkdir -p "$T/plog" "$T/prun" "$T/plib"
	sed -e 's|^HOSTNAME .*|HOSTNAME vigil-test;|' \
	    -e 's|^ALERTING_METHODS .*|ALERTING_METHODS noemail,nosyslog;|' \
	    -e 's|^ENABLE_WHOIS_LOOKUPS .*|ENABLE_WHOIS_LOOKUPS N;|' -e 's|^ENABLE_DNS_LOOKUPS .*|ENABLE_DNS_LOOKUPS N;|' \
	    -e "s|^PSAD_DIR .*|PSAD_DIR $T/plog;|" -e "s|^PSAD_RUN_DIR .*|PSAD_RUN_DIR $T/prun;|" \
	    -e "s|^PSAD_FIFO_DIR .*|PSAD_FIFO_DIR $T/plib;|" /etc/psad/psad.conf > "$T/psad.conf"
else
	echo "# psad: not run (not installed, or CALIBRATE_PSAD=0)"
fi
echo "# data: $DATA"
rc=0
for dir in "$DATA"/*/; do
	[ -d "$dir" ] || continue
	origin=$(basename "$dir")
	files=$(find "$dir" -maxdepth 1 -type f ! -name '*.md' ! -name '*.tsv' | sort)
	[ -n "$files" ] || continue
	# shellcheck disable=SC2086 # file names from find, one a line
	set -- $($PY "$T/order.py" $files)
	if ! "$VIGIL" analyze --json "$@" > "$T/v.json" 2> "$T/v.err"; then
		echo "$origin: vigil failed: $(head -c 300 "$T/v.err")" >&2
		rc=1
		continue
	fi
	pdir=-
	if [ -n "$PSAD" ]; then
		for f in "$@"; do gzip -cdf "$f"; done > "$T/all.log"
		rm -rf "$T/plog"/*
		(cd "$T" && timeout 600 "$PSAD" -A --analysis-write-data -m "$T/all.log" -c "$T/psad.conf" > "$T/p.out" 2>&1)
		pdir=$T/plog/ipt_analysis
	fi
	$PY "$T/summary.py" "$origin" "$T/v.json" "$pdir" "$T/all.log" || rc=1
	rm -f "$T/all.log"
done
exit $rc
