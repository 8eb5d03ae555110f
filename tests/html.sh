#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# html.sh VIGIL - `vigil analyze --html` in a real browser: the report of
# the real captures (and of a real-world log when ../shared/data is there)
# rendered by headless Chromium, its DOM checked (the top source and its
# level, the SVG charts present and drawn, the page's own script and style
# only, nothing fetched), no console message at all (an error, an uncaught
# exception or a Content-Security-Policy violation), and a screenshot of
# each kept in build/html/ for a person to look at. Then a hostile log:
# prefixes, interface names, signature messages and a reputation list name
# made of markup and script must come out as text, nothing else.
#
# Without Chromium (scripts/deps.sh check installs Debian's `chromium`)
# the browser checks are skipped, said so, and the checks of the file
# itself still run. Every Chromium run is bounded (timeout) and its process
# group ended by its id afterwards.
set -u
vigil=${1:?usage: html.sh VIGIL}
[ -x "$vigil" ] || { echo "html.sh: $vigil is not executable" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
caps=$here/data/capture
shots=$here/../build/html
mkdir -p "$shots"
realworld=$here/../../shared/data/realworld/vps-ru-ufw/logs-arch_ufw.log.1

# CHROMIUM=path picks the browser; CHROMIUM= (empty) runs without one
chromium=${CHROMIUM-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
	echo "html.sh: chromium not installed (scripts/deps.sh check installs it): browser checks skipped"
fi

# browse HTML NAME ARGS...: Chromium on file://HTML with ARGS, stdout to
# $tmp/NAME.out, its log to $tmp/NAME.log. Returns Chromium's status.
browse() {
	b_page=$1 b_name=$2
	shift 2
	# its own session: the process group is ended by its id afterwards
	setsid timeout -k 5 90 "$chromium" --headless --no-sandbox --disable-gpu \
		--no-first-run --no-default-browser-check --disable-extensions \
		--disable-background-networking --disable-sync --disable-component-update \
		--user-data-dir="$tmp/chrome-$b_name" --enable-logging=stderr --v=0 \
		--hide-scrollbars "$@" "file://$b_page" >"$tmp/$b_name.out" 2>"$tmp/$b_name.log" &
	bpid=$!
	wait "$bpid"
	bst=$?
	kill -KILL -- "-$bpid" 2>/dev/null
	return $bst
}

# The DOM's checks (python3's html.parser on --dump-dom's serialisation):
# check.py DOM TOP_SRC TOP_DL MIN_CHARTS [HOSTILE...]
cat >"$tmp/check.py" <<'EOF'
import sys
from html.parser import HTMLParser

dom_file, top_src, top_dl, min_charts = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
hostile = sys.argv[5:]
text = open(dom_file, encoding="utf-8", errors="replace").read()
fails = []

class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.stack = []
        self.svgs = []          # [aria-label, shapes]
        self.bad = []
        self.texts = []
        self.sources_rows = []  # cells of the sources table's rows
        self.in_sources = False
        self.row = None
        self.cell = None
        self.h2 = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append("%s has an event handler %s=%r" % (tag, k, v))
            if k in ("href", "src", "xlink:href", "action", "formaction", "data") and v \
               and not v.startswith("#") and not (tag == "svg" and k == "xmlns"):
                self.bad.append("%s fetches or links %s=%r" % (tag, k, v))
        if tag in ("img", "iframe", "object", "embed", "link", "base", "form", "input",
                   "video", "audio", "source", "frame", "frameset", "applet", "foreignobject"):
            self.bad.append("element <%s> present" % tag)
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.bad.append("meta refresh")
        if tag == "script" and "nonce" not in a:
            self.bad.append("a script without the page's nonce")
        if tag == "svg" and "chart" in a.get("class", ""):
            self.svgs.append([a.get("aria-label", ""), 0])
        if tag in ("rect", "path", "polyline", "polygon", "circle") and self.svgs \
           and a.get("width") not in ("0", "0.0"):
            self.svgs[-1][1] += 1
        if tag == "h2":
            self.h2 = a.get("id")
        if tag == "table":
            self.in_sources = self.h2 == "sources" and "sort" in a.get("class", "")
        if self.in_sources and tag == "tr":
            self.row = []
        if self.in_sources and tag == "td" and self.row is not None:
            self.cell = [a.get("data-v"), ""]
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        if tag == "tr" and self.row:
            self.sources_rows.append(self.row)
            self.row = None
        if tag == "table":
            self.in_sources = False

    def handle_data(self, d):
        self.texts.append(d)
        if self.cell is not None:
            self.cell[1] += d

d = Dom()
d.feed(text)
fails += d.bad
if d.tags.get("script", 0) != 1:
    fails.append("%d <script> elements, expected the page's one" % d.tags.get("script", 0))
if d.tags.get("style", 0) != 1:
    fails.append("%d <style> elements, expected the page's one" % d.tags.get("style", 0))
if 'Content-Security-Policy' not in text:
    fails.append("no Content-Security-Policy")
drawn = [s for s in d.svgs if s[1] > 0]
if len(drawn) < min_charts:
    fails.append("%d charts drawn (%s), expected at least %d" % (len(drawn), d.svgs, min_charts))
if top_src != "-":
    if not d.sources_rows:
        fails.append("no rows in the sources table")
    else:
        first = d.sources_rows[0]
        if first[0][0] != top_dl or first[1][1].strip() != top_src:
            fails.append("first source row %r, expected DL %s %s" % (first[:2], top_dl, top_src))
alltext = "".join(d.texts)
for h in hostile:
    if h not in alltext:
        fails.append("hostile text %r not shown as text" % h)
for f in fails:
    print(f)
print("charts drawn: %d of %d; source rows: %d" % (len(drawn), len(d.svgs), len(d.sources_rows)),
      file=sys.stderr)
sys.exit(1 if fails else 0)
EOF

# report NAME MIN_CHARTS VIGIL_ARGS... : the page of a log, checked in the
# browser; HOSTILE (a newline-separated list) are texts it must show.
report() {
	name=$1 min=$2
	shift 2
	page=$tmp/$name.html
	expect_status 0 "$vigil" analyze --html "$page" "$@"
	if [ ! -s "$page" ]; then
		bad "$name: no page written"
		return
	fi
	[ ! -e "$page.tmp" ] && ok || bad "$name: $page.tmp left behind"
	# the file itself: one document, nothing from elsewhere
	if grep -qiE '<(link|img|iframe|object|embed|base)[ >]|https?://[^w]|@import|url\(' "$page"; then
		bad "$name: the page refers to something outside itself: $(grep -oiE '<(link|img|iframe)[^>]*|https?://[^w][^"]*|@import|url\([^)]*' "$page" | head -3)"
	else
		ok
	fi
	"$vigil" analyze --json "$@" >"$tmp/$name.json" 2>/dev/null
	top=$(jq -r '.sources[0].src // "-"' "$tmp/$name.json")
	dl=$(jq -r '.sources[0].danger_level // "-"' "$tmp/$name.json")
	[ -n "$chromium" ] || return 0
	if browse "$page" "$name-dom" --dump-dom; then ok; else bad "$name: chromium --dump-dom exited $bst: $(tail -3 "$tmp/$name-dom.log")"; fi
	if grep -E 'CONSOLE|Uncaught|Content Security Policy' "$tmp/$name-dom.log" >"$tmp/console"; then
		bad "$name: console messages: $(head -5 "$tmp/console")"
	else
		ok
	fi
	printf '%s\n' "${HOSTILE:-}" | grep -v '^$' >"$tmp/hostile.txt"
	set --
	while IFS= read -r line; do set -- "$@" "$line"; done <"$tmp/hostile.txt"
	if python3 "$tmp/check.py" "$tmp/$name-dom.out" "$top" "$dl" "$min" "$@" >"$tmp/check.out" 2>"$tmp/check.err"; then
		ok
	else
		bad "$name: DOM: $(head -c 600 "$tmp/check.out")"
	fi
	if browse "$page" "$name-shot" --screenshot="$shots/$name.png" --window-size=1280,2000 &&
	   [ -s "$shots/$name.png" ]; then
		ok
	else
		bad "$name: no screenshot: $(tail -3 "$tmp/$name-shot.log")"
	fi
	echo "  $name: top $top DL $dl; $(cat "$tmp/check.err"); screenshot $shots/$name.png"
}

# --- the real captures: every chart drawn (timeline, heat map, levels,
# sweeps, signatures) where the capture has what they show
HOSTILE=
report ipt4-scans 5 "$caps/ipt4-scans.rfc3164"
report crafted 3 "$caps/crafted.rfc3164"
report ip6-scans 3 "$caps/ip6-scans.rfc3339"
report mixed 3 "$caps/mixed.rfc3164"
if [ -r "$realworld" ]; then
	report vps-ru-ufw 4 "$realworld"
else
	echo "  (no $realworld: real-world log skipped)"
fi

# printed: the page makes a PDF (its @media print layout)
if [ -n "$chromium" ]; then
	if browse "$tmp/ipt4-scans.html" print --print-to-pdf="$shots/ipt4-scans.pdf" \
		--no-pdf-header-footer && [ "$(head -c 4 "$shots/ipt4-scans.pdf")" = "%PDF" ]; then
		ok
	else
		bad "print to PDF failed: $(tail -3 "$tmp/print.log")"
	fi
fi

# without JavaScript the page reads the same: the file itself, before any
# script ran, has the top source first in the table and every chart
# (headless Chromium neither dumps nor shoots with scripts off); on a
# phone's width it is laid out for it (a screenshot for a person)
top=$(jq -r '.sources[0].src' "$tmp/ipt4-scans.json")
dl=$(jq -r '.sources[0].danger_level' "$tmp/ipt4-scans.json")
if python3 "$tmp/check.py" "$tmp/ipt4-scans.html" "$top" "$dl" 5 >"$tmp/check.out" 2>&1; then
	ok
else
	bad "the page's own markup: $(head -c 300 "$tmp/check.out")"
fi
if [ -n "$chromium" ]; then
	if browse "$tmp/ipt4-scans.html" phone --screenshot="$shots/ipt4-scans-phone.png" \
		--window-size=390,2400 && [ -s "$shots/ipt4-scans-phone.png" ]; then
		ok
	else
		bad "no phone screenshot: $(tail -3 "$tmp/phone.log")"
	fi
fi

# the sortable table: a test script given the page's nonce clicks the
# packets column's title twice, then the source's, and writes the orders it
# saw into the page; the page's own script must have sorted them
if [ -n "$chromium" ]; then
	python3 - "$tmp/ipt4-scans.html" "$tmp/sort.html" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
nonce = re.search(r'<script nonce="([0-9a-f]+)">', page).group(1)
test = """<script nonce="%s">(function(){
var t=document.querySelector('table.sort'),th=t.tHead.rows[0].cells,out=[];
function col(i,v){return Array.prototype.map.call(t.tBodies[0].rows,function(r){
return v?r.cells[i].getAttribute('data-v'):r.cells[i].textContent;}).join(' ');}
th[2].click();out.push(col(2,1));th[2].click();out.push(col(2,1));
th[1].click();out.push(col(1,0));out.push(th[1].getAttribute('aria-sort'));
var p=document.createElement('pre');p.id='sorted';p.textContent=out.join('|');
document.body.appendChild(p);})();</script>""" % nonce
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", test + "</body>"))
PY
	browse "$tmp/sort.html" sort --dump-dom
	python3 - "$tmp/sort.out" >"$tmp/sort.err" 2>&1 <<'PY'
import re, sys
m = re.search(r'<pre id="sorted">(.*?)</pre>', open(sys.argv[1]).read(), re.S)
lines = m.group(1).split("|")
down = [int(x) for x in lines[0].split()]
up = [int(x) for x in lines[1].split()]
srcs = lines[2].split()
key = lambda a: [int(x) for x in a.split(".")]
assert len(down) == 8 and down == sorted(down, reverse=True), lines[0]
assert up == sorted(up) and up != down, lines[1]
assert srcs == sorted(srcs, key=key, reverse=True), lines[2]
assert lines[3] == "descending", lines[3]
PY
	if [ $? -eq 0 ]; then ok; else bad "sorting the sources table: $(tail -3 "$tmp/sort.err")"; fi
fi

# --top bounds the sources table, and says how many more there are
"$vigil" analyze --top 2 --html "$tmp/top.html" "$caps/ipt4-scans.rfc3164" >/dev/null 2>&1
rows=$(sed -n '/id="sources"/,$p' "$tmp/top.html" | grep -c '<td class="ip">')
[ "$rows" -eq 2 ] && ok || bad "--top 2: $rows rows in the sources table, expected 2"
expect_grep "$tmp/top.html" '6 more listed sources not shown'

# an empty log: a page that says so, charts that say "no data"
: >"$tmp/empty.log"
report empty 0 "$tmp/empty.log"
expect_grep "$tmp/empty.html" 'no sources listed'

# --- a hostile log: markup and script in every string that reaches the page
H='Nov 25 12:29:10 fw kernel:'
{
	for p in 21 22 23 25 80 443 8080 3389; do
		echo "$H <script>alert(4)</script> IN=<b>x</b> OUT= SRC=198.18.0.7 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=4242 PROTO=TCP SPT=40000 DPT=$p WINDOW=1024 RES=0x00 SYN URGP=0"
		echo "$H \"><img src=x onerror=alert(5)> IN=\"><svg/onload=alert(6)> OUT= SRC=198.18.0.8 DST=198.18.0.2 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=4242 PROTO=TCP SPT=40000 DPT=$p WINDOW=1024 RES=0x00 SYN URGP=0"
		printf '%s\n' "$H '&amp;<\\x41>\\ IN=a'b OUT= SRC=198.18.0.9 DST=198.18.0.3 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=4242 PROTO=TCP SPT=40000 DPT=$p WINDOW=1024 RES=0x00 SYN URGP=0"
	done
	# bytes outside printable ASCII (UTF-8, a terminal escape) in a prefix:
	# the engine's \xNN escapes stay text
	printf '%s \303\251\033[31m<i>x</i> IN=eth0 OUT= SRC=198.18.0.10 DST=198.18.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1024 RES=0x00 SYN URGP=0\n' "$H"
} >"$tmp/hostile.log"
cat >"$tmp/sigs" <<'EOF'
alert tcp $EXTERNAL_NET any -> $HOME_NET 23 (msg:"</title><script>alert(1)</script><img src=x onerror=alert(2)> & 'q'"; flags:S; sid:9000001; psad_dl:3;)
alert tcp $EXTERNAL_NET any -> $HOME_NET any (msg:"<svg onload=alert(3)></style><style>*{}"; flags:S; sid:9000002; psad_dl:2;)
EOF
list='<img src=x onerror=alert(7)>&.list'
printf '198.18.0.0/24\n' >"$tmp/$list"
HOSTILE='<script>alert(4)</script>
<b>x</b>
"><img src=x onerror=alert(5)>
</title><script>alert(1)</script><img src=x onerror=alert(2)> & '"'q'"'
<svg onload=alert(3)></style><style>*{}
<img src=x onerror=alert(7)>&.list
\xc3\xa9\x1b[31m<i>x</i>'
report hostile 3 --signatures "$tmp/sigs" --reputation "$tmp/$list" "$tmp/hostile.log"
# nothing of it is markup in the file: each '<' of the input is "&lt;"
if grep -E '<b>x|<i>x|<img src=x|<svg onload|<script>alert|<style>\*|onerror=alert\([0-9]\)>' \
	"$tmp/hostile.html" >"$tmp/raw"; then
	bad "hostile: raw markup in the file: $(head -3 "$tmp/raw")"
else
	ok
fi
expect_grep "$tmp/hostile.html" '&lt;script&gt;alert(1)&lt;/script&gt;'
expect_grep "$tmp/hostile.html" '&lt;img src=x onerror=alert(7)&gt;&amp;.list'
expect_grep "$tmp/hostile.html" '&#39;q&#39;'

echo "html: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
