/* SPDX-License-Identifier: GPL-2.0-or-later */
/* html.c - `vigil analyze --html FILE`: one self-contained page.
 *
 * The page needs nothing but itself: the style sheet and a small script
 * (it makes the tables sortable, nothing else) are inline, the pictures
 * are inline SVG (svg.h), there are no fonts, images or links to fetch.
 * A Content-Security-Policy meta tag forbids every fetch and allows only
 * the page's own <style> and <script>, by a nonce drawn per report: were
 * a hostile string ever to slip through the escaping, the browser would
 * still not run it. Without JavaScript the page reads the same, the
 * tables in report order.
 *
 * Order, for a person: the summary (counts by level with the legend of
 * the configured thresholds, top sources with why, top signatures, ports,
 * hosts, counts by prefix, interface and chain, what was lost, input
 * errors), then the pictures, then the table of the listed sources.
 *
 * Escaping: every string that came from a log or a data file (prefixes,
 * interface names, signature messages, OS guesses, reputation list names,
 * file names, filters) goes through html_text(): it becomes text, never
 * markup, and never reaches an attribute unescaped, the script or the
 * style sheet.
 *
 * Size: bounded whatever the log. Summary lists hold --top entries (10),
 * the pictures the top sources only, the sources table at most
 * HTML_SOURCES_MAX rows ("N more" says what was left out), each row's
 * port list and details cut.
 */
#include "report/report.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "engine/engine.h"
#include "event/protoname.h"
#include "match/matchers.h"
#include "match/reputation.h"
#include "match/signature.h"
#include "report/html.h"
#include "report/outbuf.h"
#include "report/report-internal.h"
#include "report/summary.h"
#include "report/svg.h"
#include "report/tally.h"
#include "util/num.h"

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.1.0"
#endif

#define HTML_SOURCES_MAX 500 /* rows of the sources table */
#define HTML_CHART_ROWS 12   /* sources in the timeline and the heat map */
#define HTML_HEAT_PORTS 16   /* single-port columns of the heat map */
#define HTML_PORTS_CELL 96   /* bytes of a source's port list */
#define HTML_SIGS_CELL 4     /* signatures named per source */
#define HTML_SWEEPS_DETAILED 2 /* sweeps drawn destination by destination */
#define HTML_SWEEP_DSTS 32   /* destinations drawn of one */
#define HTML_WHY_MAX 512
#define HTML_DSTS_MAX 256
#define HTML_LABEL_MAX 96
#define NONCE_HEX 32
#define TALLY_SEC INT64_C(1000000)

struct html {
	struct outbuf *o;
	const struct report_opts *ro;
	const struct input_stats *in;
	const struct engine_stats *es;
	const struct summary *sum;
	const struct source_state **v; /* every source, report order */
	size_t n;
};

/* --- small writers ------------------------------------------------------ */

static void put_num(struct outbuf *o, uint64_t v)
{
	char b[NUM_GROUPED_MAX];

	outbuf_put(o, b, num_u64_grouped(b, v));
}

/* <td class="n" data-v="V">V grouped</td> */
static void td_num(struct outbuf *o, uint64_t v)
{
	outbuf_printf(o, "<td class=\"n\" data-v=\"%" PRIu64 "\">", v);
	put_num(o, v);
	outbuf_puts(o, "</td>");
}

static void td_text(struct outbuf *o, const char *s)
{
	outbuf_puts(o, "<td>");
	html_str(o, s);
	outbuf_puts(o, "</td>");
}

static void dl_badge(struct outbuf *o, unsigned dl)
{
	outbuf_printf(o, "<span class=\"dl d%u\">%u</span>", dl > 5 ? 5 : dl, dl);
}

static void td_dl(struct outbuf *o, unsigned dl)
{
	outbuf_printf(o, "<td data-v=\"%u\">", dl);
	dl_badge(o, dl);
	outbuf_puts(o, "</td>");
}

static void td_source(struct html *h, const struct source_state *s)
{
	char name[NET_STR_MAX];

	(void)report_source_name(s, h->ro, name);
	outbuf_puts(h->o, "<td class=\"ip\">");
	html_str(h->o, name);
	outbuf_puts(h->o, "</td>");
}

/* Wall µs as "2026-05-19 22:00:00", with "Z" when utc (the time the
 * report is made); an event's engine time is the log's own clock, whose
 * zone the log may not say. */
static void fmt_wall(int64_t us, bool utc, char buf[32])
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, 32, utc ? "%Y-%m-%d %H:%M:%SZ" : "%Y-%m-%d %H:%M:%S", &tm))
		memcpy(buf, "?", 2);
}

static void th_row(struct outbuf *o, const char *const *cols, const char *num_cols)
{
	size_t n_num = num_cols ? strlen(num_cols) : 0;

	outbuf_puts(o, "<thead><tr>");
	for (size_t i = 0; cols[i]; i++)
		outbuf_printf(o, "<th%s scope=\"col\">%s</th>",
			      i < n_num && num_cols[i] == 'n' ? " class=\"n\"" : "", cols[i]);
	outbuf_puts(o, "</tr></thead>\n<tbody>\n");
}

/* cls: the table's classes ("sort": sortable; "top": the top sources), or
 * NULL. */
static void table_begin(struct outbuf *o, const char *cls, const char *const *cols,
			const char *num_cols)
{
	if (cls)
		outbuf_printf(o, "<div class=\"wrap\"><table class=\"%s\">", cls);
	else
		outbuf_puts(o, "<div class=\"wrap\"><table>");
	th_row(o, cols, num_cols);
}

static void table_end(struct outbuf *o)
{
	outbuf_puts(o, "</tbody></table></div>\n");
}

/* --- head ---------------------------------------------------------------- */

/* 128 random bits, hex: the nonce of the page's own style and script. */
static void make_nonce(char buf[NONCE_HEX + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[NONCE_HEX / 2];

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		/* no entropy yet (early boot): still unknown to whoever wrote
		 * the log lines before this report was made */
		struct timespec ts;
		uint64_t x;
		clock_gettime(CLOCK_REALTIME, &ts);
		x = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15u ^ (uint64_t)ts.tv_sec ^
		    ((uint64_t)getpid() << 32);
		for (size_t i = 0; i < sizeof(r); i++) {
			x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
			r[i] = (unsigned char)((x * 0x2545f4914f6cdd1du) >> 56);
		}
	}
	for (size_t i = 0; i < sizeof(r); i++) {
		buf[2 * i] = hex[r[i] >> 4];
		buf[2 * i + 1] = hex[r[i] & 15];
	}
	buf[NONCE_HEX] = '\0';
}

static const char html_css[] =
	":root{--fg:#1f2328;--mut:#59636e;--bg:#fff;--line:#d1d9e0;--soft:#f6f8fa;--acc:#0969da;"
	"--d0:#8c959f;--d1:#bf8700;--d2:#d18616;--d3:#e16f24;--d4:#cf222e;--d5:#82071e}\n"
	"@media screen and (prefers-color-scheme:dark){:root{--fg:#e6edf3;--mut:#9198a1;"
	"--bg:#0d1117;--line:#30363d;--soft:#161b22;--acc:#4493f8}}\n"
	"*{box-sizing:border-box}a{color:var(--acc)}\n"
	"body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",sans-serif;"
	"color:var(--fg);background:var(--bg);margin:0 auto;max-width:1280px;padding:16px}\n"
	"h1{font-size:1.5em;margin:0 0 .2em}\n"
	"h2{font-size:1.2em;border-bottom:1px solid var(--line);padding-bottom:.2em;margin:1.6em 0 .6em}\n"
	"h3{font-size:1em;margin:1em 0 .4em}\n"
	"p{margin:.4em 0}.mut,.note{color:var(--mut)}.note{font-size:.9em}\n"
	".meta{color:var(--mut);margin:0}.meta b{color:var(--fg);font-weight:600}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(120px,1fr));gap:8px;"
	"margin:.6em 0}\n"
	".card{border:1px solid var(--line);border-radius:6px;padding:6px 10px;background:var(--soft)}\n"
	".card b{display:block;font-size:1.35em;font-variant-numeric:tabular-nums}\n"
	".card span{color:var(--mut);font-size:.85em}\n"
	".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:0 20px}\n"
	".wrap{overflow-x:auto;max-width:100%}\n"
	"table{border-collapse:collapse;width:100%;font-size:13px;margin:.3em 0}\n"
	"th,td{text-align:left;padding:3px 6px;border-bottom:1px solid var(--line);vertical-align:top}\n"
	"th{background:var(--soft);font-weight:600;white-space:nowrap}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"td.ip,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;"
	"overflow-wrap:anywhere}\n"
	"td.ip{white-space:nowrap}td.time{font-size:12px;color:var(--mut);min-width:7em}\n"
	"td.small{font-size:12px;color:var(--mut);overflow-wrap:anywhere}"
	"td.dst{overflow-wrap:break-word;min-width:9em}td.ports{min-width:8em}"
	"td.why{min-width:14em}td.det{min-width:18em}\n"
	".dl{display:inline-block;min-width:1.7em;text-align:center;border-radius:4px;color:#fff;"
	"font-weight:700;font-size:12px;padding:0 4px}\n"
	".dl.d0{background:var(--d0)}.dl.d1{background:var(--d1)}.dl.d2{background:var(--d2)}"
	".dl.d3{background:var(--d3)}.dl.d4{background:var(--d4)}.dl.d5{background:var(--d5)}\n"
	"table.sort th{cursor:pointer;user-select:none}\n"
	"table.sort th[aria-sort=ascending]::after{content:\" \\25B2\"}"
	"table.sort th[aria-sort=descending]::after{content:\" \\25BC\"}\n"
	"figure{margin:.6em 0 1.2em}figcaption{color:var(--mut);font-size:.9em;margin-top:.2em}\n"
	"svg.chart{display:block;width:100%;max-width:760px;height:auto;"
	"font:12px system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}\n"
	"svg.chart text{fill:var(--fg)}svg.chart .v,svg.chart .axis,svg.chart .none{fill:var(--mut)}\n"
	"svg.chart .base{stroke:var(--line)}svg.chart .bar{fill:var(--acc)}\n"
	"svg.chart .d0{fill:var(--d0)}svg.chart .d1{fill:var(--d1)}svg.chart .d2{fill:var(--d2)}"
	"svg.chart .d3{fill:var(--d3)}svg.chart .d4{fill:var(--d4)}svg.chart .d5{fill:var(--d5)}\n"
	"svg.chart .h0{fill:var(--soft)}svg.chart .h1{fill:#fdd8a8}svg.chart .h2{fill:#f9a95a}"
	"svg.chart .h3{fill:#eb6c2c}svg.chart .h4{fill:#c33b1a}svg.chart .h5{fill:#7a1a0c}\n"
	"ul.plain{margin:.3em 0;padding-left:1.2em}\n"
	"footer{margin-top:2em;color:var(--mut);font-size:.85em}\n"
	"@media print{nav{display:none}}\n"
	"@media (max-width:640px){body{padding:8px;font-size:13px}th,th.n{white-space:normal}"
	"th,td{padding:2px 4px}table.top td:nth-child(4),table.top th:nth-child(4){display:none}}\n"
	"@media print{body{max-width:none;padding:0;font-size:9.5pt}"
	"h2{break-after:avoid}figure,tr,.card{break-inside:avoid}.wrap{overflow:visible}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"table.sort th::after{content:none!important}table.sort th{cursor:auto}}\n";

/* Sorts a table.sort by the clicked column: numbers by data-v, the rest
 * as text; a second click reverses. Touches nothing but row order. */
static const char html_js[] =
	"(function(){\n"
	"function key(c){if(!c)return'';var v=c.getAttribute('data-v');"
	"return v!==null&&v!==''&&!isNaN(v)?+v:c.textContent;}\n"
	"function sort(th){var t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,"
	"up=th.getAttribute('aria-sort')==='descending';"
	"t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});"
	"th.setAttribute('aria-sort',up?'ascending':'descending');"
	"var r=Array.prototype.slice.call(b.rows);"
	"r.sort(function(x,y){var a=key(x.cells[i]),c=key(y.cells[i]),d;"
	"d=typeof a==='number'&&typeof c==='number'?a-c:String(a).localeCompare(String(c),"
	"undefined,{numeric:true});return up?d:-d;});"
	"r.forEach(function(x){b.appendChild(x);});}\n"
	"document.querySelectorAll('table.sort th').forEach(function(th){th.tabIndex=0;"
	"th.addEventListener('click',function(){sort(th);});"
	"th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){"
	"e.preventDefault();sort(th);}});});\n"
	"})();\n";

static void html_head(struct html *h, const char *nonce)
{
	struct outbuf *o = h->o;

	outbuf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<meta name=\"color-scheme\" content=\"light dark\">\n");
	outbuf_printf(o, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			 "style-src 'nonce-%s'; script-src 'nonce-%s'; img-src 'none'; "
			 "form-action 'none'; base-uri 'none'\">\n",
		      nonce, nonce);
	outbuf_puts(o, "<meta name=\"referrer\" content=\"no-referrer\">\n"
		       "<meta name=\"generator\" content=\"vigil " VIGIL_VERSION "\">\n"
		       "<title>vigil port scan report: ");
	/* the title a tab or a mail attachment list shows: the worst first */
	put_num(o, h->sum->listed);
	outbuf_puts(o, h->sum->listed == 1 ? " source" : " sources");
	for (int dl = 5; dl >= 1; dl--)
		if (h->sum->by_dl[dl]) {
			outbuf_puts(o, ", ");
			put_num(o, h->sum->by_dl[dl]);
			outbuf_printf(o, " at DL %d", dl);
			break;
		}
	outbuf_puts(o, "</title>\n");
	outbuf_printf(o, "<style nonce=\"%s\">\n", nonce);
	outbuf_puts(o, html_css);
	outbuf_puts(o, "</style>\n</head>\n<body>\n");
}

static void html_foot(struct html *h, const char *nonce)
{
	outbuf_puts(h->o, "<footer>Made by vigil " VIGIL_VERSION
			  ", a port scan detector for Linux firewalls. This page is "
			  "self-contained: it loads nothing; its script only sorts the tables."
			  "</footer>\n");
	outbuf_printf(h->o, "<script nonce=\"%s\">\n", nonce);
	outbuf_puts(h->o, html_js);
	outbuf_puts(h->o, "</script>\n</body>\n</html>\n");
}

/* --- summary ------------------------------------------------------------- */

static void card(struct outbuf *o, const char *what, uint64_t v, int dl)
{
	outbuf_puts(o, "<div class=\"card\"><b>");
	put_num(o, v);
	outbuf_puts(o, "</b><span>");
	if (dl >= 0)
		dl_badge(o, (unsigned)dl);
	outbuf_printf(o, " %s</span></div>\n", what);
}

static void html_title(struct html *h)
{
	struct outbuf *o = h->o;
	const struct input_stats *in = h->in;
	char a[40], b[40], now[32];

	fmt_wall(h->ro->now * 1000000, true, now);
	outbuf_puts(o, "<header>\n<h1>vigil port scan report</h1>\n<p class=\"meta\">");
	outbuf_printf(o, "made %s &middot; ", now);
	put_num(o, in->files);
	outbuf_puts(o, in->files == 1 ? " file, " : " files, ");
	put_num(o, in->bytes);
	outbuf_puts(o, " bytes, ");
	put_num(o, in->lines);
	outbuf_puts(o, " lines");
	(void)report_format_time(&in->first, a);
	(void)report_format_time(&in->last, b);
	if (a[0] || b[0])
		outbuf_printf(o, " &middot; from <b>%s</b> to <b>%s</b>", a[0] ? a : "?",
			      b[0] ? b : "?");
	outbuf_puts(o, "</p>\n");
	if (h->ro->filters) {
		outbuf_puts(o, "<p class=\"meta\">filters: <code>");
		html_str(o, h->ro->filters);
		outbuf_puts(o, "</code> (the other records were ignored; scores come from the "
			       "records that remain)</p>\n");
	}
	if (h->ro->min_dl || h->ro->n_ips) {
		char net[NET_STR_MAX];
		outbuf_puts(o, "<p class=\"meta\">listed: ");
		if (h->ro->min_dl)
			outbuf_printf(o, "danger level &ge; %u", h->ro->min_dl);
		for (size_t i = 0; i < h->ro->n_ips; i++) {
			(void)net_format(&h->ro->ips[i], net);
			outbuf_puts(o, i ? ", " : h->ro->min_dl ? "; sources in or sending to " :
								  "sources in or sending to ");
			html_str(o, net);
		}
		outbuf_puts(o, "</p>\n");
	}
	outbuf_puts(o, "<nav class=\"meta\"><a href=\"#summary\">Summary</a> &middot; "
		       "<a href=\"#pictures\">Pictures</a> &middot; "
		       "<a href=\"#sources\">Sources</a></nav>\n</header>\n");
}

/* Counts by level and the legend of the configured thresholds. */
static void html_levels(struct html *h)
{
	struct outbuf *o = h->o;
	const struct summary *s = h->sum;
	const struct config *cfg = h->ro->cfg;
	static const char *const cols[] = { "DL", "sources", "packets to one host", "hosts probed",
					    NULL };

	outbuf_puts(o, "<h2 id=\"summary\">Summary</h2>\n<div class=\"cards\">\n");
	card(o, "sources tracked", s->tracked, -1);
	card(o, "sources listed", s->listed, -1);
	for (int dl = 5; dl >= 1; dl--)
		card(o, "sources", s->by_dl[dl], dl);
	card(o, "events", h->in->events, -1);
	card(o, "malformed lines", h->in->malformed, -1);
	outbuf_puts(o, "</div>\n<details open><summary>Danger levels: what the numbers mean</summary>\n");
	outbuf_puts(o, "<p class=\"note\">A source's level (DL) is the highest of: the packets it "
		       "sent to one host within SCAN_TIMEOUT, the number of hosts it probed "
		       "(a sweep), the signatures it matched, auto_dl and reputation lists. "
		       "Level 0 is traffic without scan evidence (or spoofed sources, never "
		       "blocked). The thresholds in force (DANGER_LEVEL1..5, "
		       "DL1..5_UNIQUE_HOSTS):</p>\n");
	table_begin(o, NULL, cols, "nnnn");
	for (unsigned dl = 1; dl <= 5; dl++) {
		outbuf_puts(o, "<tr>");
		td_dl(o, dl);
		td_num(o, s->by_dl[dl]);
		if (cfg) {
			outbuf_puts(o, "<td class=\"n\">&ge; ");
			put_num(o, cfg->danger_level[dl]);
			outbuf_puts(o, "</td><td class=\"n\">&ge; ");
			put_num(o, cfg->unique_hosts[dl]);
			outbuf_puts(o, "</td>");
		} else {
			outbuf_puts(o, "<td class=\"n\">-</td><td class=\"n\">-</td>");
		}
		outbuf_puts(o, "</tr>\n");
	}
	outbuf_puts(o, "<tr>");
	td_dl(o, 0);
	td_num(o, s->by_dl[0]);
	outbuf_puts(o, "<td class=\"n\">-</td><td class=\"n\">-</td></tr>\n");
	table_end(o);
	outbuf_puts(o, "</details>\n");
}

static void html_top_sources(struct html *h)
{
	struct outbuf *o = h->o;
	const struct summary *s = h->sum;
	static const char *const cols[] = { "DL", "source", "why", "destinations", "packets", NULL };
	char why[HTML_WHY_MAX], dsts[HTML_DSTS_MAX];

	outbuf_puts(o, "<h3>Top sources</h3>\n");
	if (!s->n_top) {
		outbuf_puts(o, "<p class=\"mut\">no sources listed</p>\n");
		return;
	}
	table_begin(o, "top", cols, "...n");
	for (size_t i = 0; i < s->n_top; i++) {
		const struct source_state *src = s->top[i];
		(void)report_source_why(src, h->ro, why, sizeof(why));
		(void)report_source_dsts(src, dsts, sizeof(dsts));
		outbuf_puts(o, "<tr>");
		td_dl(o, src->dl);
		td_source(h, src);
		td_text(o, why);
		outbuf_puts(o, "<td class=\"small dst\">");
		html_str(o, dsts);
		outbuf_puts(o, "</td>");
		td_num(o, src->packets);
		outbuf_puts(o, "</tr>\n");
	}
	table_end(o);
	if (s->listed > s->n_top) {
		outbuf_puts(o, "<p class=\"note\">");
		put_num(o, s->listed - s->n_top);
		outbuf_puts(o, " more listed sources: see <a href=\"#sources\">Sources</a>.</p>\n");
	}
}

static void html_top_sigs(struct html *h)
{
	struct outbuf *o = h->o;
	const struct summary *s = h->sum;
	static const char *const cols[] = { "sid", "DL", "message", "sources", "matches", NULL };

	outbuf_puts(o, "<div><h3>Top signatures</h3>\n");
	if (!s->n_sigs) {
		outbuf_puts(o, "<p class=\"mut\">no signature matched</p></div>\n");
		return;
	}
	table_begin(o, NULL, cols, "n..nn");
	for (size_t i = 0; i < s->n_sigs; i++) {
		const struct summary_sig *g = &s->sigs[i];
		outbuf_printf(o, "<tr><td class=\"n\" data-v=\"%" PRIu32 "\">%" PRIu32 "</td>", g->sid,
			      g->sid);
		td_dl(o, g->dl);
		td_text(o, g->msg);
		td_num(o, g->sources);
		td_num(o, g->count);
		outbuf_puts(o, "</tr>\n");
	}
	table_end(o);
	outbuf_puts(o, "</div>\n");
}

static const char *l4_name(uint8_t proto)
{
	const char *n = proto_name(proto);

	return n ? n : "?";
}

static void html_top_ports(struct html *h)
{
	struct outbuf *o = h->o;
	const struct summary *s = h->sum;
	static const char *const cols[] = { "port", "sources", NULL };

	outbuf_puts(o, "<div><h3>Most targeted ports</h3>\n");
	if (!s->n_ports) {
		outbuf_puts(o, "<p class=\"mut\">no ports</p></div>\n");
		return;
	}
	table_begin(o, NULL, cols, ".n");
	for (size_t i = 0; i < s->n_ports; i++) {
		const struct summary_port *p = &s->ports[i];
		outbuf_printf(o, "<tr><td data-v=\"%u\">%s/%u", (unsigned)p->port, l4_name(p->proto),
			      (unsigned)p->port);
		if (p->port_hi > p->port)
			outbuf_printf(o, "-%u", (unsigned)p->port_hi);
		outbuf_puts(o, "</td>");
		td_num(o, s->ports[i].sources);
		outbuf_puts(o, "</tr>\n");
	}
	table_end(o);
	outbuf_puts(o, "</div>\n");
}

static void html_top_hosts(struct html *h)
{
	struct outbuf *o = h->o;
	const struct summary *s = h->sum;
	static const char *const cols[] = { "host", "DL", "sources", "packets", NULL };
	char a[ADDR_STR_MAX];

	outbuf_puts(o, "<div><h3>Most targeted hosts</h3>\n");
	if (!s->n_hosts) {
		outbuf_puts(o, "<p class=\"mut\">no hosts</p></div>\n");
		return;
	}
	table_begin(o, NULL, cols, ".nnn");
	for (size_t i = 0; i < s->n_hosts; i++) {
		(void)addr_format(&s->hosts[i].dst, a);
		outbuf_puts(o, "<tr>");
		outbuf_printf(o, "<td class=\"ip\">%s</td>", a);
		td_dl(o, s->hosts[i].dl);
		td_num(o, s->hosts[i].sources);
		td_num(o, s->hosts[i].packets);
		outbuf_puts(o, "</tr>\n");
	}
	table_end(o);
	outbuf_puts(o, "</div>\n");
}

static void html_names(struct html *h, enum tally_kind k, const char *title, size_t top)
{
	struct outbuf *o = h->o;
	static const char *const cols[] = { "name", "events", NULL };
	const struct tally_name *v;
	uint64_t other = 0, more = 0;
	size_t n = 0;

	outbuf_printf(o, "<div><h3>%s</h3>\n", title);
	v = h->ro->tally ? tally_names(h->ro->tally, k, &n, &other) : NULL;
	if (!n && !other) {
		outbuf_puts(o, "<p class=\"mut\">none counted</p></div>\n");
		return;
	}
	table_begin(o, NULL, cols, ".n");
	for (size_t i = 0; i < n; i++) {
		if (i >= top) {
			more += v[i].events;
			continue;
		}
		outbuf_puts(o, "<tr>");
		if (v[i].name[0])
			td_text(o, v[i].name);
		else
			outbuf_puts(o, "<td class=\"mut\">(none)</td>");
		td_num(o, v[i].events);
		outbuf_puts(o, "</tr>\n");
	}
	if (more || other) {
		outbuf_puts(o, "<tr><td class=\"mut\">others</td>");
		td_num(o, more + other);
		outbuf_puts(o, "</tr>\n");
	}
	table_end(o);
	outbuf_puts(o, "</div>\n");
}

/* One line of the "lost" list, when n is not 0. */
static bool lost_item(struct outbuf *o, uint64_t n, const char *what)
{
	if (!n)
		return false;
	outbuf_puts(o, "<li><b>");
	put_num(o, n);
	outbuf_printf(o, "</b> %s</li>\n", what);
	return true;
}

static void html_lost(struct html *h)
{
	struct outbuf *o = h->o;
	const struct engine_stats *es = h->es;
	const struct input_stats *in = h->in;
	bool any = false;

	outbuf_puts(o, "<h3>Lost, evicted, filtered</h3>\n<ul class=\"plain\">\n");
	any |= lost_item(o, es->sources_evicted, "sources evicted to stay within the bounds");
	any |= lost_item(o, es->packets_evicted, "packets of evicted sources");
	any |= lost_item(o, es->dsts_untracked, "destinations not itemised (MAX_DSTS_PER_SOURCE)");
	any |= lost_item(o, es->oom, "events not itemised (out of memory)");
	any |= lost_item(o, es->strings_dropped, "strings not kept (string pool full)");
	any |= lost_item(o, es->pairs_expired, "scan windows reset after SCAN_TIMEOUT");
	any |= lost_item(o, in->ignored_filtered, "events left out by the filters");
	any |= lost_item(o, in->malformed, "malformed lines");
	any |= lost_item(o, in->repeated_unfed,
			 "repeated records not fed (\"message repeated\" over the cap)");
	any |= lost_item(o, es->reflected_sources,
			 "sources answered spoofed SYNs (backscatter: DL 1 at most)");
	any |= lost_item(o, es->spoofed_sources, "impossible sources (spoofed: DL 0, never blocked)");
	if (h->ro->tally)
		any |= lost_item(o, tally_series_dropped(h->ro->tally),
				 "sources without a timeline (bound reached)");
	if (h->sum->partial) {
		outbuf_puts(o, "<li>the summary lists saw part of the sources only</li>\n");
		any = true;
	}
	for (size_t i = 0; i < es->n_evicted_top; i++) {
		const struct engine_evicted *x = &es->evicted_top[i];
		char a[ADDR_STR_MAX];
		(void)addr_format(&x->src, a);
		outbuf_printf(o, "<li>evicted <code>%s</code> ", a);
		dl_badge(o, x->dl);
		outbuf_puts(o, " ");
		put_num(o, x->packets);
		outbuf_puts(o, " packets, ");
		put_num(o, x->ports);
		outbuf_puts(o, " ports, ");
		put_num(o, x->dsts);
		outbuf_puts(o, " hosts</li>\n");
	}
	if (!any && !es->n_evicted_top)
		outbuf_puts(o, "<li>nothing: every event was counted and itemised</li>\n");
	outbuf_puts(o, "</ul>\n");
}

static void html_input_errors(struct html *h)
{
	struct outbuf *o = h->o;
	const struct input_stats *in = h->in;
	static const char *const cols[] = { "file", "problem", "line", "offset", NULL };

	outbuf_puts(o, "<h3>Input errors</h3>\n");
	if (!in->read_errors && !in->lost && !in->n_problems) {
		outbuf_puts(o, "<p class=\"mut\">none: every input was read to its end</p>\n");
		return;
	}
	outbuf_puts(o, "<p>");
	if (in->read_errors) {
		put_num(o, in->read_errors);
		outbuf_puts(o, " input(s) not read to the end. ");
	}
	if (in->lost) {
		put_num(o, in->lost);
		outbuf_puts(o, " records lost by the source (kmsg overruns).");
	}
	outbuf_puts(o, "</p>\n");
	if (!in->n_problems)
		return;
	table_begin(o, NULL, cols, "..nn");
	for (size_t i = 0; i < in->n_problems; i++) {
		const struct input_problem *p = &in->problems[i];
		outbuf_puts(o, "<tr><td><code>");
		html_text(o, p->file, sizeof(p->file));
		outbuf_printf(o, "</code></td><td>%s: ", p->error ? "error" : "note");
		html_text(o, p->reason, sizeof(p->reason));
		outbuf_puts(o, "</td>");
		if (p->has_pos) {
			td_num(o, p->line);
			td_num(o, p->offset);
		} else {
			outbuf_puts(o, "<td></td><td></td>");
		}
		outbuf_puts(o, "</tr>\n");
	}
	table_end(o);
	if (in->problems_unlisted) {
		outbuf_puts(o, "<p class=\"note\">");
		put_num(o, in->problems_unlisted);
		outbuf_puts(o, " more not listed</p>\n");
	}
}

static void html_summary(struct html *h)
{
	size_t top = h->ro->top ? h->ro->top : REPORT_TOP_DEFAULT;

	html_levels(h);
	html_top_sources(h);
	html_top_sigs(h);
	outbuf_puts(h->o, "<div class=\"grid\">\n");
	html_top_ports(h);
	html_top_hosts(h);
	outbuf_puts(h->o, "</div>\n<div class=\"grid\">\n");
	html_names(h, TALLY_PREFIX, "Log prefixes", top);
	html_names(h, TALLY_IN, "Input interfaces", top);
	html_names(h, TALLY_CHAIN, "Chains", top);
	outbuf_puts(h->o, "</div>\n<div class=\"grid\">\n<div>");
	html_lost(h);
	outbuf_puts(h->o, "</div>\n<div>");
	html_input_errors(h);
	outbuf_puts(h->o, "</div>\n</div>\n");
}

/* --- pictures ------------------------------------------------------------ */

static void figure_begin(struct outbuf *o, const char *title)
{
	outbuf_printf(o, "<figure>\n<h3>%s</h3>\n", title);
}

static void figure_end(struct outbuf *o, const char *caption)
{
	outbuf_printf(o, "<figcaption>%s</figcaption>\n</figure>\n", caption);
}

/* The sources the timeline and the heat map show: the summary's top. */
static size_t chart_rows(const struct html *h)
{
	return h->sum->n_top < HTML_CHART_ROWS ? h->sum->n_top : HTML_CHART_ROWS;
}

static int html_timeline(struct html *h)
{
	struct outbuf *o = h->o;
	const struct tally *t = h->ro->tally;
	const struct tally_series *all = t ? tally_overall(t) : NULL;
	size_t rows = chart_rows(h), n_rows = 0;
	int64_t lo = 0, hi = 0, width;
	size_t nb;
	bool have = false;
	char from[32], to[32], names[HTML_CHART_ROWS + 1][NET_STR_MAX];
	struct svg_row row[HTML_CHART_ROWS + 1];
	uint64_t *v;

	figure_begin(o, "Timeline: events per source");
	if (!all || all->width_us <= 0) {
		outbuf_puts(o, "<p class=\"mut\">no timeline (no events with a time)</p>\n</figure>\n");
		return 0;
	}
	/* the axis: the first to the last event (the tally's own buckets run
	 * on past the last one), from the sources' exact times */
	for (size_t i = 0; i < h->n; i++) {
		if (h->v[i]->first_us < lo || !have)
			lo = h->v[i]->first_us;
		if (h->v[i]->last_us > hi || !have)
			hi = h->v[i]->last_us;
		have = true;
	}
	if (!have) {
		lo = all->start_us;
		hi = all->start_us + all->width_us * TALLY_BUCKETS - 1;
	}
	if (hi < lo)
		hi = lo;
	/* whole seconds, as the tally's narrowest bucket and a syslog time:
	 * finer intervals would only spread a second's events evenly; a log
	 * shorter than TALLY_BUCKETS seconds gets fewer intervals */
	lo -= ((lo % TALLY_SEC) + TALLY_SEC) % TALLY_SEC;
	width = (hi - lo) / TALLY_BUCKETS + 1;
	width = (width + TALLY_SEC - 1) / TALLY_SEC * TALLY_SEC;
	nb = (size_t)((hi - lo) / width + 1);
	if (nb > TALLY_BUCKETS)
		nb = TALLY_BUCKETS;
	v = calloc((rows + 1) * TALLY_BUCKETS, sizeof(*v));
	if (!v)
		return -ENOMEM;
	tally_series_rebin(all, lo, width, nb, v);
	memcpy(names[0], "all events", sizeof("all events"));
	row[n_rows++] = (struct svg_row){ .label = names[0], .v = v, .cls = SVG_CLS_NONE };
	for (size_t i = 0; i < rows; i++) {
		const struct source_state *s = h->sum->top[i];
		const struct tally_series *ser = tally_source(t, &s->src);
		uint64_t *dst = v + n_rows * nb;
		if (!ser)
			continue;
		tally_series_rebin(ser, lo, width, nb, dst);
		(void)report_source_name(s, h->ro, names[n_rows]);
		row[n_rows] = (struct svg_row){ .label = names[n_rows], .v = dst, .cls = s->dl };
		n_rows++;
	}
	fmt_wall(lo, false, from);
	fmt_wall(lo + width * (int64_t)nb, false, to);
	svg_timeline(o, "Events per time interval: every event, then the top sources", row,
		     n_rows, nb, from, to);
	free(v);
	outbuf_printf(o, "<figcaption>%zu interval%s of ", nb, nb == 1 ? "" : "s");
	if (width >= 3600 * INT64_C(1000000))
		outbuf_printf(o, "%.1f h", (double)width / 3.6e9);
	else if (width >= 60 * INT64_C(1000000))
		outbuf_printf(o, "%.1f min", (double)width / 6e7);
	else
		outbuf_printf(o, "%" PRId64 " s", width / TALLY_SEC);
	outbuf_puts(o, " on the log's clock; each row is scaled to its own peak, written at its end."
		       "</figcaption>\n</figure>\n");
	return 0;
}

/* The heat map's columns: single ports most of the top sources probed, then
 * the rest in ranges. */
static const struct { uint16_t lo, hi; const char *name; } heat_ranges[] = {
	{ 0, 1023, "+ 0-1023" },
	{ 1024, 9999, "+ 1024-9999" },
	{ 10000, 32767, "+ 10000-32767" },
	{ 32768, 65535, "+ 32768-65535" },
};
#define HEAT_RANGES (sizeof(heat_ranges) / sizeof(heat_ranges[0]))
#define BM_WORDS (65536 / 64)

static void bm_set_span(uint64_t *bm, unsigned lo, unsigned hi)
{
	for (unsigned p = lo; p <= hi; p++) {
		if ((p & 63) == 0 && p + 63 <= hi) {
			bm[p >> 6] = ~UINT64_C(0);
			p += 63;
			continue;
		}
		bm[p >> 6] |= UINT64_C(1) << (p & 63);
	}
}

static bool bm_has(const uint64_t *bm, unsigned p)
{
	return bm[p >> 6] >> (p & 63) & 1;
}

/* The union of a source's ports of one protocol (0 tcp, 1 udp and udplite). */
static void source_ports_bm(const struct source_state *s, int proto, uint64_t *bm)
{
	memset(bm, 0, BM_WORDS * sizeof(*bm));
	for (uint32_t i = 0; i < s->n_pairs; i++) {
		const struct pair_state *p = s->pairs[i];
		const struct portset *sets[2];
		size_t n = 0;
		if (!p)
			continue;
		if (proto == 0) {
			sets[n++] = &p->tcp.ports;
		} else {
			sets[n++] = &p->udp.ports;
			sets[n++] = &p->udplite.ports;
		}
		for (size_t k = 0; k < n; k++) {
			struct portset_iter it;
			struct port_span sp;
			portset_iter_init(&it, sets[k]);
			while (portset_iter_next(&it, &sp))
				bm_set_span(bm, sp.lo, sp.hi);
		}
	}
}

struct heat_col {
	uint8_t proto; /* 0 tcp, 1 udp */
	uint16_t port;
	uint32_t rows; /* top sources that probed it */
};

static int html_heatmap(struct html *h)
{
	struct outbuf *o = h->o;
	size_t rows = chart_rows(h), n_cols = 0, cols;
	uint64_t *bm = NULL, *v = NULL;
	uint16_t *hits = NULL;
	struct heat_col col[HTML_HEAT_PORTS];
	char names[HTML_CHART_ROWS][NET_STR_MAX], cnames[HTML_HEAT_PORTS][24];
	const char *rl[HTML_CHART_ROWS], *cl[HTML_HEAT_PORTS + HEAT_RANGES];
	int r = -ENOMEM;

	figure_begin(o, "Heat map: ports by source");
	if (!rows) {
		outbuf_puts(o, "<p class=\"mut\">no sources</p>\n</figure>\n");
		return 0;
	}
	bm = malloc(rows * 2 * BM_WORDS * sizeof(*bm));
	hits = calloc(2 * 65536, sizeof(*hits));
	v = calloc(rows * (HTML_HEAT_PORTS + HEAT_RANGES), sizeof(*v));
	if (!bm || !hits || !v)
		goto out;
	for (size_t i = 0; i < rows; i++)
		for (int p = 0; p < 2; p++) {
			uint64_t *b = bm + (i * 2 + (size_t)p) * BM_WORDS;
			source_ports_bm(h->sum->top[i], p, b);
			for (unsigned w = 0; w < BM_WORDS; w++)
				for (uint64_t x = b[w]; x; x &= x - 1)
					hits[p * 65536 + w * 64 + (unsigned)__builtin_ctzll(x)]++;
		}
	/* the most shared ports, tcp before udp and low before high on ties */
	for (unsigned k = 0; k < 2 * 65536; k++) {
		struct heat_col c = { (uint8_t)(k >> 16), (uint16_t)k, hits[k] };
		size_t at;
		if (!c.rows || (n_cols == HTML_HEAT_PORTS && c.rows <= col[n_cols - 1].rows))
			continue;
		at = n_cols < HTML_HEAT_PORTS ? n_cols++ : n_cols - 1;
		while (at > 0 && col[at - 1].rows < c.rows) {
			col[at] = col[at - 1];
			at--;
		}
		col[at] = c;
	}
	cols = n_cols + HEAT_RANGES;
	for (size_t c = 0; c < n_cols; c++) {
		(void)snprintf(cnames[c], sizeof(cnames[c]), "%s/%u", col[c].proto ? "udp" : "tcp",
			       (unsigned)col[c].port);
		cl[c] = cnames[c];
	}
	for (size_t c = 0; c < HEAT_RANGES; c++)
		cl[n_cols + c] = heat_ranges[c].name;
	for (size_t i = 0; i < rows; i++) {
		const struct source_state *s = h->sum->top[i];
		const uint64_t *b[2] = { bm + i * 2 * BM_WORDS, bm + (i * 2 + 1) * BM_WORDS };
		(void)report_source_name(s, h->ro, names[i]);
		rl[i] = names[i];
		/* a named port: hosts probed on it */
		for (size_t c = 0; c < n_cols; c++) {
			uint64_t hosts = 0;
			for (uint32_t j = 0; j < s->n_pairs; j++) {
				const struct pair_state *p = s->pairs[j];
				if (!p)
					continue;
				hosts += col[c].proto ? portset_has(&p->udp.ports, col[c].port) ||
								portset_has(&p->udplite.ports, col[c].port)
						      : portset_has(&p->tcp.ports, col[c].port);
			}
			v[i * cols + c] = hosts;
		}
		/* a range: the other distinct ports in it */
		for (size_t c = 0; c < HEAT_RANGES; c++) {
			uint64_t ports = 0;
			for (unsigned p = heat_ranges[c].lo; p <= heat_ranges[c].hi; p++)
				for (int pr = 0; pr < 2; pr++)
					ports += bm_has(b[pr], p);
			for (size_t k = 0; k < n_cols; k++)
				if (col[k].port >= heat_ranges[c].lo && col[k].port <= heat_ranges[c].hi)
					ports -= bm_has(b[col[k].proto], col[k].port);
			v[i * cols + n_cols + c] = ports;
		}
	}
	svg_heatmap(o, "Ports probed by the top sources", rl, rows, cl, cols, v);
	figure_end(o, "Named ports (tcp/22): how many hosts the source probed on the port; "
		      "ranges (+ 0-1023): how many other distinct ports it probed there. "
		      "Darker is more (log scale, per column).");
	r = 0;
out:
	free(bm);
	free(hits);
	free(v);
	if (r < 0)
		outbuf_puts(o, "</figure>\n");
	return r;
}

static void html_dl_chart(struct html *h)
{
	struct svg_bar b[6];
	static const char *const names[] = { "DL 0", "DL 1", "DL 2", "DL 3", "DL 4", "DL 5" };

	for (int dl = 5; dl >= 0; dl--)
		b[5 - dl] = (struct svg_bar){ .label = names[dl], .value = h->sum->by_dl[dl],
					      .cls = (uint8_t)dl };
	figure_begin(h->o, "Danger levels");
	svg_bars(h->o, "Listed sources per danger level", b, 6);
	figure_end(h->o, "Listed sources per danger level.");
}

static int pair_cmp(const void *x, const void *y)
{
	const struct pair_state *a = *(const struct pair_state *const *)x,
				*b = *(const struct pair_state *const *)y;

	return addr_cmp(&a->dst, &b->dst);
}

/* One sweep's destinations by address, packets to each. */
static int html_sweep_dsts(struct html *h, const struct source_state *s)
{
	const struct pair_state **p = malloc((s->n_pairs ? s->n_pairs : 1) * sizeof(*p));
	struct svg_bar b[HTML_SWEEP_DSTS];
	char names[HTML_SWEEP_DSTS][ADDR_STR_MAX], src[NET_STR_MAX];
	size_t n = 0, k = 0;

	if (!p)
		return -ENOMEM;
	for (uint32_t i = 0; i < s->n_pairs; i++)
		if (s->pairs[i])
			p[n++] = s->pairs[i];
	qsort(p, n, sizeof(*p), pair_cmp);
	for (k = 0; k < n && k < HTML_SWEEP_DSTS; k++) {
		(void)addr_format(&p[k]->dst, names[k]);
		b[k] = (struct svg_bar){ .label = names[k], .value = p[k]->packets, .cls = p[k]->dl };
	}
	free(p);
	(void)report_source_name(s, h->ro, src);
	outbuf_puts(h->o, "<figure>\n<h3>Sweep by <code>");
	html_str(h->o, src);
	outbuf_puts(h->o, "</code>: packets per destination</h3>\n");
	svg_bars(h->o, "Packets per destination of the sweep", b, k);
	outbuf_puts(h->o, "<figcaption>Its destinations by address, coloured by the level of "
			  "each");
	if (n > k || s->untracked_dsts) {
		outbuf_puts(h->o, "; ");
		put_num(h->o, n - k + s->untracked_dsts);
		outbuf_puts(h->o, " more not drawn");
	}
	outbuf_puts(h->o, ".</figcaption>\n</figure>\n");
	return 0;
}

static int html_sweeps(struct html *h)
{
	const char *note;
	struct svg_bar b[HTML_CHART_ROWS];
	char names[HTML_CHART_ROWS][NET_STR_MAX], notes[HTML_CHART_ROWS][HTML_LABEL_MAX];
	size_t n = 0;

	for (size_t i = 0; i < h->n && n < HTML_CHART_ROWS; i++) {
		const struct source_state *s = h->v[i];
		if (!(s->scan_types & (UINT32_C(1) << SCAN_SWEEP)) || !report_source_listed(s, h->ro))
			continue;
		(void)report_source_name(s, h->ro, names[n]);
		(void)report_source_dsts(s, notes[n], sizeof(notes[n]));
		note = notes[n];
		/* "20 hosts 198.51.100.10-29, tcp 80,443": the bar is the 20 */
		if (note[strspn(note, "0123456789")] == ' ' &&
		    !strncmp(note + strspn(note, "0123456789"), " hosts ", 7))
			note += strspn(note, "0123456789") + 7;
		b[n] = (struct svg_bar){ .label = names[n], .note = note[0] ? note : NULL,
					 .value = (uint64_t)s->n_pairs + s->untracked_dsts,
					 .cls = s->dl };
		n++;
	}
	figure_begin(h->o, "Sweeps: hosts per sweeping source");
	if (!n) {
		outbuf_puts(h->o, "<p class=\"mut\">no sweeps</p>\n</figure>\n");
		return 0;
	}
	svg_bars(h->o, "Destinations per sweeping source", b, n);
	figure_end(h->o, "How many hosts each sweeping source probed (fan-out), "
			 "with the hosts and ports collapsed.");
	for (size_t i = 0, shown = 0; i < h->n && shown < HTML_SWEEPS_DETAILED; i++) {
		const struct source_state *s = h->v[i];
		if (!(s->scan_types & (UINT32_C(1) << SCAN_SWEEP)) || !report_source_listed(s, h->ro))
			continue;
		if (html_sweep_dsts(h, s) < 0)
			return -ENOMEM;
		shown++;
	}
	return 0;
}

static void html_sig_chart(struct html *h)
{
	const struct summary *s = h->sum;
	size_t n = s->n_sigs < HTML_CHART_ROWS ? s->n_sigs : HTML_CHART_ROWS;
	struct svg_bar b[HTML_CHART_ROWS];
	char labels[HTML_CHART_ROWS][HTML_LABEL_MAX], notes[HTML_CHART_ROWS][32];

	figure_begin(h->o, "Signatures");
	if (!n) {
		outbuf_puts(h->o, "<p class=\"mut\">no signature matched</p>\n</figure>\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct summary_sig *g = &s->sigs[i];
		(void)snprintf(labels[i], sizeof(labels[i]), "%" PRIu32 " %s", g->sid,
			       g->msg ? g->msg : "");
		(void)snprintf(notes[i], sizeof(notes[i]), "%" PRIu32 " source%s", g->sources,
			       g->sources == 1 ? "" : "s");
		b[i] = (struct svg_bar){ .label = labels[i], .note = notes[i], .value = g->count,
					 .cls = g->dl };
	}
	svg_bars(h->o, "Matches per signature", b, n);
	figure_end(h->o, "Matches of the top signatures (sid and message), coloured by the "
			 "signature's level.");
}

static int html_pictures(struct html *h)
{
	int r;

	outbuf_puts(h->o, "<h2 id=\"pictures\">Pictures</h2>\n");
	r = html_timeline(h);
	if (r >= 0)
		r = html_heatmap(h);
	html_dl_chart(h);
	if (r >= 0)
		r = html_sweeps(h);
	html_sig_chart(h);
	return r;
}

/* --- the sources table --------------------------------------------------- */

/* "tcp 21-23, 80; udp 53" cut at HTML_PORTS_CELL bytes; the number of
 * distinct ports in *ret_count. */
static void ports_cell(const struct source_state *s, uint64_t *bm, char *buf, size_t size,
		       uint64_t *ret_count)
{
	size_t len = 0;
	bool cut = false;

	*ret_count = 0;
	buf[0] = '\0';
	for (int proto = 0; proto < 2; proto++) {
		bool first = true;
		source_ports_bm(s, proto, bm);
		for (unsigned p = 0; p < 65536; p++) {
			unsigned hi;
			char span[REPORT_SPAN_MAX];
			if (!bm[p >> 6]) {
				p |= 63;
				continue;
			}
			if (!bm_has(bm, p))
				continue;
			for (hi = p; hi + 1 < 65536 && bm_has(bm, hi + 1); hi++)
				;
			*ret_count += hi - p + 1;
			(void)report_span_format((struct port_span){ (uint16_t)p, (uint16_t)hi }, span);
			if (!cut) {
				int w = snprintf(buf + len, size - len, "%s%s%s", first ? (len ? "; " : "") : ", ",
						 first ? (proto ? "udp " : "tcp ") : "", span);
				if (w < 0 || (size_t)w >= size - len - 4) {
					buf[len] = '\0';
					cut = true;
				} else {
					len += (size_t)w;
				}
			}
			first = false;
			p = hi;
		}
	}
	if (cut)
		memcpy(buf + len, " ...", 5);
}

static void td_details(struct html *h, const struct source_state *s)
{
	struct outbuf *o = h->o;
	const struct source_intel *x = s->intel;
	const char *sep = "";

	outbuf_puts(o, "<td class=\"small det\">");
	if (s->spoofed) {
		outbuf_printf(o, "spoofed (%s), never blocked",
			      spoof_reason_name((enum spoof_reason)s->spoofed));
		sep = "; ";
	}
	if (s->reflected) {
		outbuf_printf(o, "%sreflected replies (backscatter)", sep);
		sep = "; ";
	}
	if (report_source_local(s, h->ro)) {
		outbuf_printf(o, "%sinside HOME_NET", sep);
		sep = "; ";
	}
	if (x) {
		for (uint16_t i = 0; i < x->n_sigs && i < HTML_SIGS_CELL; i++) {
			outbuf_printf(o, "%ssid %" PRIu32 " ", i ? ", " : sep, x->sigs[i].id);
			html_str(o, x->sigs[i].msg);
			outbuf_printf(o, " &times;%" PRIu64, x->sigs[i].count);
		}
		if (x->n_sigs > HTML_SIGS_CELL)
			outbuf_printf(o, ", %u more signatures",
				      (unsigned)(x->n_sigs - HTML_SIGS_CELL));
		if (x->sigs_other)
			outbuf_printf(o, "%sother signatures &times;%" PRIu64, x->n_sigs ? ", " : sep,
				      x->sigs_other);
		if (x->n_sigs || x->sigs_other)
			sep = "; ";
		for (uint8_t i = 0; i < x->n_os; i++) {
			outbuf_puts(o, i ? ", " : sep);
			if (!i)
				outbuf_puts(o, "OS ");
			html_str(o, x->os[i]);
		}
		if (x->n_os)
			sep = "; ";
		if (x->scanners) {
			outbuf_printf(o, "%sscanner", sep);
			for (unsigned i = 0; i < _SCANNER_MAX; i++)
				if (x->scanners & (1u << i))
					outbuf_printf(o, " %s", scanner_name((enum scanner)i));
			sep = "; ";
		}
		if (x->rep) {
			char net[NET_STR_MAX];
			(void)net_format(&x->rep->net, net);
			outbuf_printf(o, "%s%s listed in ", sep, net);
			html_str(o, x->rep->list);
			sep = "; ";
		}
		if (x->invalid_icmp) {
			outbuf_printf(o, "%sinvalid ICMP &times;%" PRIu64, sep, x->invalid_icmp);
			sep = "; ";
		}
	}
	outbuf_puts(o, "</td>");
}

/* A log time, its date and time apart so they wrap between them; sorted
 * by the engine's time. */
static void td_time(struct outbuf *o, const struct vtime *t, int64_t us)
{
	char b[40];
	char *sep;

	(void)report_format_time(t, b);
	sep = strchr(b, 'T');
	if (sep)
		*sep = ' ';
	outbuf_printf(o, "<td class=\"time\" data-v=\"%" PRId64 "\">%s</td>", us, b);
}

static int html_sources(struct html *h)
{
	struct outbuf *o = h->o;
	static const char *const cols[] = { "DL",        "source",    "packets",   "hosts",
					    "targets",   "ports",     "port list", "protocols",
					    "first seen", "last seen", "why",      "details",
					    NULL };
	size_t cap = HTML_SOURCES_MAX, shown = 0, listed = 0;
	char why[HTML_WHY_MAX], ports[HTML_PORTS_CELL], dsts[HTML_DSTS_MAX];
	uint64_t *bm;

	if (h->ro->top_given && h->ro->top < cap)
		cap = h->ro->top;
	outbuf_puts(o, "<h2 id=\"sources\">Sources</h2>\n");
	bm = malloc(BM_WORDS * sizeof(*bm));
	if (!bm)
		return -ENOMEM;
	outbuf_puts(o, "<p class=\"note\">Click a column's title to sort by it.</p>\n");
	table_begin(o, "sort", cols, "..nn.n");
	for (size_t i = 0; i < h->n; i++) {
		const struct source_state *s = h->v[i];
		uint64_t nports;
		if (!report_source_listed(s, h->ro))
			continue;
		if (listed++ >= cap)
			continue;
		shown++;
		(void)report_source_why(s, h->ro, why, sizeof(why));
		ports_cell(s, bm, ports, sizeof(ports), &nports);
		outbuf_puts(o, "<tr>");
		td_dl(o, s->dl);
		td_source(h, s);
		td_num(o, s->packets);
		td_num(o, (uint64_t)s->n_pairs + s->untracked_dsts);
		(void)report_source_dsts(s, dsts, sizeof(dsts));
		outbuf_puts(o, "<td class=\"small dst\">");
		html_str(o, dsts);
		outbuf_puts(o, "</td>");
		td_num(o, nports);
		outbuf_puts(o, "<td class=\"small ports\">");
		html_str(o, ports);
		outbuf_puts(o, "</td><td>");
		for (unsigned k = 0; k < s->n_protos; k++) { /* every one, by IANA keyword */
			char num[PROTO_NAME_MAX];
			outbuf_puts(o, k ? ", " : "");
			outbuf_puts(o, proto_name_or_num(source_proto(s, k)->proto, num));
		}
		outbuf_puts(o, "</td>");
		td_time(o, &s->first, s->first_us);
		td_time(o, &s->last, s->last_us);
		outbuf_puts(o, "<td class=\"why\">");
		html_str(o, why);
		outbuf_puts(o, "</td>");
		td_details(h, s);
		outbuf_puts(o, "</tr>\n");
	}
	free(bm);
	table_end(o);
	if (!listed)
		outbuf_puts(o, "<p class=\"mut\">no sources listed</p>\n");
	if (listed > shown) {
		outbuf_puts(o, "<p class=\"note\">");
		put_num(o, listed - shown);
		outbuf_puts(o, " more listed sources not shown (");
		put_num(o, shown);
		outbuf_puts(o, " shown); <code>vigil analyze --json</code> or <code>--csv</code> "
			       "lists every one.</p>\n");
	}
	return 0;
}

int report_html_sources(FILE *out, const struct source_state **v, size_t n,
			const struct input_stats *in, const struct engine_stats *es,
			const struct report_opts *o)
{
	struct outbuf *ob = malloc(sizeof(*ob));
	struct summary sum;
	char nonce[NONCE_HEX + 1];
	struct html h = { .o = ob, .ro = o, .in = in, .es = es, .sum = &sum, .v = v, .n = n };
	int r, rw;

	if (!ob)
		return -ENOMEM;
	r = summary_build(v, n, o, o->top ? o->top : REPORT_TOP_DEFAULT, &sum);
	if (r < 0) {
		summary_free(&sum);
		free(ob);
		return r;
	}
	outbuf_init(ob, out);
	make_nonce(nonce);
	html_head(&h, nonce);
	html_title(&h);
	html_summary(&h);
	r = html_pictures(&h);
	if (r >= 0)
		r = html_sources(&h);
	html_foot(&h, nonce);
	rw = outbuf_flush(ob);
	summary_free(&sum);
	free(ob);
	if (r < 0)
		return r;
	if (fflush(out) == EOF)
		return -errno;
	if (rw < 0)
		return rw;
	return ferror(out) ? -EIO : 0;
}

int report_html(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o)
{
	return report_engine(out, e, in, o, report_html_sources);
}
