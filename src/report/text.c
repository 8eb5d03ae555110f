/* SPDX-License-Identifier: GPL-2.0-or-later */
/* text.c - the report of `vigil analyze` for a person at a terminal.
 *
 * Summary first, on one screen (summary.c builds it, as for the HTML
 * report and `vigil status`): a header line (files, lines, time span),
 * the input's counters and every counter of lost data that is not zero,
 * sources by danger level with the DL scale, the top sources with why,
 * the top signatures, the most targeted ports and hosts, events by
 * prefix, interface and chain (tally.c). `--summary` stops there. Then a
 * table of the detailed sources (at or above --min-dl, else DL 1; the
 * first --top when given) and a detail block per source: why and its
 * destinations collapsed, then per destination, alike ones (a sweep) as
 * one block. psad's -S/-A layout (psad-behaviour.md §8.2) inspired it;
 * nothing parses it, cli.md's JSON is the machine interface.
 *
 * Width: no line is longer than the width (80 unless the terminal says
 * otherwise, clamped to TEXT_WIDTH_MIN..TEXT_WIDTH_MAX). Lists that can be
 * long (ports, protocols, flag sets) wrap at their separators; the table's
 * PORTS cell is cut with "..." and its SOURCE column grows to the longest
 * address, moving SCAN TYPES (then PORTS) to a continuation line when a row
 * would not fit; port and protocol lists stop after PORT_LINES_MAX lines
 * with a count of the rest. All text comes from numbers, fixed names, the
 * engine's already-escaped interface names, tally.c's escaped prefixes and
 * interfaces, escaped file names, and signature messages (a rule file's,
 * which has no control characters; escaped in the summary's list): nothing
 * raw from a log line.
 *
 * Colour (only when asked): danger levels 1-2 yellow, 3 bold yellow, 4-5
 * bold red; headings bold. Escape sequences never count towards the width.
 *
 * Output goes through a struct outbuf (outbuf.h), and the items written for
 * every source and destination are put together without printf (struct
 * item): a report can have tens of thousands of them.
 */
#include "report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "event/protoname.h"
#include "match/icmptypes.h"
#include "match/ipopts.h"
#include "match/matchers.h"
#include "match/reputation.h"
#include "match/signature.h"
#include "report/outbuf.h"
#include "config/config.h"
#include "report/report-internal.h"
#include "report/summary.h"
#include "report/tally.h"
#include "util/escape.h"
#include "util/num.h"

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.1.0"
#endif

#define TEXT_WIDTH_DEFAULT 80
#define TEXT_WIDTH_MIN 60
#define TEXT_WIDTH_MAX 250
#define TEXT_ITEM_MAX 192  /* one formatted item: an address, a time, a signature */
#define TEXT_SCANS_MAX 128 /* every scan type name, joined by ',' */
#define PORTS_CELL_MIN 16  /* narrowest PORTS cell in a table row */
#define LABEL_COL 14       /* where a summary or source value starts */
#define PORT_LINES_MAX 3   /* a port list's lines in the details; the rest counted */
#define PORT_TAIL 28       /* room for "... 65,535 more, 65,535 ports" */

#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

struct text {
	struct outbuf *o;
	unsigned width;
	bool color;
};

static const char *dl_color(unsigned dl)
{
	if (dl == 0)
		return NULL;
	if (dl <= 2)
		return "\033[33m";
	if (dl == 3)
		return "\033[1;33m";
	return "\033[1;31m";
}

static unsigned max_u(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

static void text_spaces(struct outbuf *o, unsigned n)
{
	while (n--)
		outbuf_putc(o, ' ');
}

static void text_heading(const struct text *t, const char *title)
{
	outbuf_printf(t->o, "%s%s%s\n", t->color ? ANSI_BOLD : "", title, t->color ? ANSI_RESET : "");
}

/* --- one item, put together without printf ------------------------------
 * Pieces are appended and cut at TEXT_ITEM_MAX - 1 bytes, as the
 * vsnprintf() into a TEXT_ITEM_MAX buffer of tw_itemf() would. */
struct item {
	char s[TEXT_ITEM_MAX]; /* NUL-terminated */
	size_t len;
};

static void item_add(struct item *it, const char *p, size_t n)
{
	size_t room = sizeof(it->s) - 1 - it->len;

	if (n > room)
		n = room;
	memcpy(it->s + it->len, p, n);
	it->len += n;
	it->s[it->len] = '\0';
}

static void item_str(struct item *it, const char *s)
{
	item_add(it, s, strlen(s));
}

static void item_u64(struct item *it, uint64_t v)
{
	char d[NUM_U64_MAX];

	item_add(it, d, num_u64(d, v));
}

/* num_u64_grouped() as a value, for printf: G(n).s (C11: the returned struct
 * lives until the end of the full expression). */
struct grouped {
	char s[NUM_GROUPED_MAX];
};

static struct grouped G(uint64_t v)
{
	struct grouped g;

	(void)num_u64_grouped(g.s, v);
	return g;
}

/* The same without grouping. */
static struct grouped P(uint64_t v)
{
	struct grouped g;

	(void)num_u64(g.s, v);
	return g;
}

static void item_count(struct item *it, uint64_t v)
{
	char d[NUM_GROUPED_MAX];

	item_add(it, d, num_u64_grouped(d, v));
}

/* item_init(&it, "DST ") */
static void item_init(struct item *it, const char *s)
{
	it->len = 0;
	it->s[0] = '\0';
	item_str(it, s);
}

/* --- a line writer that wraps between items --------------------------------
 * Items are atomic; each comes with the separator that goes before it. When
 * an item does not fit, the separator's non-blank part (the ',' of ", ")
 * stays at the end of the line and the item starts the next one at
 * `indent`. One column is kept free so that such a ',' always fits. */
struct tw {
	const struct text *t;
	unsigned indent; /* where continuation lines start */
	unsigned col;    /* columns used on the current line */
	unsigned lines;  /* lines begun after the first (wraps) */
	bool fresh;      /* nothing but indentation on this line yet */
};

static void tw_begin(struct tw *w, const struct text *t, unsigned lead, unsigned indent)
{
	w->t = t;
	w->indent = indent;
	w->col = lead;
	w->lines = 0;
	w->fresh = true;
	text_spaces(t->o, lead);
}

static void tw_item_n(struct tw *w, const char *sep, const char *item, size_t il,
		      const char *color)
{
	struct outbuf *o = w->t->o;
	size_t sl = strlen(sep);

	if (!w->fresh && w->col + sl + il + 1 > w->t->width) {
		size_t keep = sl;
		while (keep > 0 && sep[keep - 1] == ' ')
			keep--;
		outbuf_put(o, sep, keep);
		outbuf_putc(o, '\n');
		text_spaces(o, w->indent);
		w->col = w->indent;
		w->lines++;
		w->fresh = true;
	}
	if (!w->fresh) {
		outbuf_put(o, sep, sl);
		w->col += (unsigned)sl;
	}
	if (color && w->t->color) {
		outbuf_puts(o, color);
		outbuf_put(o, item, il);
		outbuf_puts(o, ANSI_RESET);
	} else {
		outbuf_put(o, item, il);
	}
	w->col += (unsigned)il;
	w->fresh = false;
}

static void tw_item(struct tw *w, const char *sep, const char *item)
{
	tw_item_n(w, sep, item, strlen(item), NULL);
}

static void tw_item_it(struct tw *w, const char *sep, const struct item *it)
{
	tw_item_n(w, sep, it->s, it->len, NULL);
}

/* Would sep and an item of il columns fit on the current line? */
static bool tw_fits(const struct tw *w, const char *sep, size_t il)
{
	return w->fresh || w->col + strlen(sep) + il + 1 <= w->t->width;
}

/* The item "<pre><v><post>", v grouped by thousands. */
static void tw_item_u64(struct tw *w, const char *sep, const char *pre, uint64_t v,
			const char *post)
{
	struct item it;

	item_init(&it, pre);
	item_count(&it, v);
	item_str(&it, post);
	tw_item_it(w, sep, &it);
}

/* The item "<pre><s>" (printf's "%s%s"). */
static void tw_item_cat(struct tw *w, const char *sep, const char *pre, const char *s)
{
	struct item it;

	item_init(&it, pre);
	item_str(&it, s);
	tw_item_it(w, sep, &it);
}

__attribute__((format(printf, 3, 4)))
static void tw_itemf(struct tw *w, const char *sep, const char *fmt, ...)
{
	char buf[TEXT_ITEM_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tw_item(w, sep, buf);
}

static void tw_end(struct tw *w)
{
	outbuf_putc(w->t->o, '\n');
}

/* text's words as items, wrapping between them and after commas (text
 * is printable); a leading space separates the first word from what came
 * before. */
static void tw_words(struct tw *w, const char *text)
{
	bool first = *text != ' ';

	for (const char *p = text; *p;) {
		size_t n;
		p += strspn(p, " ");
		n = strcspn(p, " ");
		/* a word of comma-separated parts (ports, addresses) may break
		 * after each comma */
		for (size_t k = 0; k < n;) {
			const char *c = memchr(p + k, ',', n - k);
			size_t part = c ? (size_t)(c - (p + k)) + 1 : n - k;
			tw_item_n(w, first ? "" : k ? "" : " ", p + k, part, NULL);
			first = false;
			k += part;
		}
		p += n;
	}
}

/* "  label       " then the value's items, wrapping under the value. */
static void tw_label(struct tw *w, const struct text *t, const char *label)
{
	size_t len = strlen(label);

	tw_begin(w, t, 2, LABEL_COL);
	outbuf_put(t->o, label, len); /* "%-*s" */
	text_spaces(t->o, len < LABEL_COL - 2 ? LABEL_COL - 2 - (unsigned)len : 0);
	w->col = LABEL_COL;
}

/* "DL 3", coloured by level. */
static void tw_dl(struct tw *w, const char *sep, unsigned dl)
{
	struct item it;

	item_init(&it, "DL ");
	item_u64(&it, dl);
	tw_item_n(w, sep, it.s, it.len, dl_color(dl));
}

/* A comma-separated port list, wrapping at the commas, at most
 * PORT_LINES_MAX lines: then "... 388 more, 400 ports" (the JSON and the
 * CSV have them all). */
static void tw_ports(struct tw *w, const struct portset *ps)
{
	struct portset_iter iter;
	struct port_span sp;
	char buf[REPORT_SPAN_MAX];
	struct item it;
	bool first = true;
	unsigned start = w->lines;
	uint64_t shown = 0;

	portset_iter_init(&iter, ps);
	while (portset_iter_next(&iter, &sp)) {
		size_t len = (size_t)report_span_format(sp, buf);
		if (first)
			tw_item(w, "  ", "ports");
		if (!first && w->lines - start + 1 >= PORT_LINES_MAX &&
		    !tw_fits(w, ",", len + PORT_TAIL)) {
			item_init(&it, "... ");
			item_count(&it, ps->count - shown);
			item_str(&it, " more, ");
			item_count(&it, ps->count);
			item_str(&it, " ports");
			tw_item_it(w, ", ", &it);
			return;
		}
		tw_item_n(w, first ? " " : ",", buf, len, NULL);
		shown += (uint64_t)(sp.hi - sp.lo) + 1;
		first = false;
	}
	if (!first) {
		item_init(&it, "(");
		item_count(&it, ps->count);
		item_add(&it, ")", 1);
		tw_item_it(w, " ", &it);
	}
}

/* The items of a ','-separated list, wrapping at the commas. */
static void tw_list(struct tw *w, const char *list)
{
	char item[TEXT_ITEM_MAX];
	bool first = true;

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len >= sizeof(item))
			len = sizeof(item) - 1;
		memcpy(item, p, len);
		item[len] = '\0';
		tw_item(w, first ? "" : ",", item);
		first = false;
		p += len;
		p += *p == ',';
	}
}

/* --- summary ---------------------------------------------------------- */

struct reason {
	const char *name;
	uint64_t n;
};

static void text_ignored(const struct text *t, const struct input_stats *in,
			 const struct engine_stats *es)
{
	struct reason r[9 + _ENGINE_VERDICT_MAX] = {
		{ "blank", in->ignored_blank },
		{ "not firewall", in->ignored_not_firewall },
		{ "not kernel", in->ignored_not_kernel },
		{ "not IP", in->ignored_not_ip },
		{ "no tag", in->ignored_no_tag },
		{ "unknown envelope", in->ignored_unknown_envelope },
		{ "off format", in->ignored_off_format },
		{ "journal record part", in->ignored_record_part },
		{ "filter", in->ignored_filtered },
	};
	size_t n = 9, shown = 0, total = 0;
	struct tw w;

	for (int v = ENGINE_COUNTED + 1; v < _ENGINE_VERDICT_MAX; v++) {
		const char *name = engine_verdict_name((enum engine_verdict)v);
		r[n++] = (struct reason){ name ? name : "other", es->ignored[v] };
	}
	for (size_t i = 0; i < n; i++)
		total += r[i].n != 0;
	if (!total && !in->ignored)
		return;

	tw_label(&w, t, "ignored");
	tw_item_u64(&w, "", "", in->ignored, "");
	for (size_t i = 0; i < n; i++) {
		struct item it;
		if (!r[i].n)
			continue;
		shown++;
		item_init(&it, shown == 1 ? "(" : "");
		item_str(&it, r[i].name);
		item_add(&it, " ", 1);
		item_count(&it, r[i].n);
		item_str(&it, shown == total ? ")" : "");
		tw_item_it(&w, shown == 1 ? " " : ", ", &it);
	}
	tw_end(&w);
}

/* The most dangerous sources that had to go, one a line, and the bounds
 * that made them go:
 *   evicted     198.51.100.7 DL 2, 100 pkts, 100 ports, 1 dst
 *               ...
 *   bounds      MEMORY_LIMIT 200 MiB (peak 200 MiB), 200000 sources, ... */
static void text_evicted(const struct text *t, const struct engine_stats *es)
{
	struct tw w;

	if (!es->n_evicted_top)
		return;
	for (size_t i = 0; i < es->n_evicted_top; i++) {
		const struct engine_evicted *x = &es->evicted_top[i];
		char buf[ADDR_STR_MAX];
		(void)addr_format(&x->src, buf);
		if (i == 0)
			tw_label(&w, t, "evicted");
		else
			tw_begin(&w, t, LABEL_COL, LABEL_COL);
		tw_item(&w, "", buf);
		tw_dl(&w, " ", x->dl);
		tw_item_u64(&w, ", ", "", x->packets, x->packets == 1 ? " pkt" : " pkts");
		tw_item_u64(&w, ", ", "", x->ports, x->ports == 1 ? " port" : " ports");
		tw_item_u64(&w, ", ", "", x->dsts, x->dsts == 1 ? " dst" : " dsts");
		tw_end(&w);
	}
	tw_label(&w, t, "bounds");
	tw_item_u64(&w, "", "MEMORY_LIMIT ", es->memory_limit >> 20, " MiB");
	tw_item_u64(&w, " ", "(peak ", (es->memory_peak + (1u << 19)) >> 20, " MiB)");
	tw_item_u64(&w, ", ", "", es->max_sources, " sources");
	tw_item_u64(&w, ", ", "", es->max_dsts_per_source, " destinations per source");
	tw_end(&w);
}

static void text_lost(const struct text *t, const struct engine_stats *es)
{
	struct tw w;

	if (es->sources_evicted || es->packets_evicted || es->dsts_untracked || es->oom) {
		tw_label(&w, t, "DATA LOST");
		if (es->sources_evicted || es->packets_evicted) {
			tw_itemf(&w, "", "%s sources evicted", G(es->sources_evicted).s);
			tw_itemf(&w, " ", "(%s packets)", G(es->packets_evicted).s);
		}
		if (es->dsts_untracked)
			tw_itemf(&w, ", ", "%s destinations not itemised", G(es->dsts_untracked).s);
		if (es->oom)
			tw_itemf(&w, ", ", "%s events not itemised (out of memory)", G(es->oom).s);
		tw_end(&w);
	}
	text_evicted(t, es);
	if (es->pairs_expired) {
		tw_label(&w, t, "expired");
		tw_itemf(&w, "", "%s scan windows reset after SCAN_TIMEOUT", G(es->pairs_expired).s);
		tw_end(&w);
	}
}

/* Traffic no source is blamed for: replies to spoofed SYNs, spoofed sources. */
static void text_blame(const struct text *t, const struct engine_stats *es)
{
	char buf[TEXT_ITEM_MAX];
	struct tw w;
	bool any = false;

	if (es->reflected_sources) {
		tw_label(&w, t, "reflected");
		(void)snprintf(buf, sizeof(buf), "%s sources answered spoofed SYNs (%s SYN-ACK/RST "
			       "packets): not scanners, DL 1 at most",
			       G(es->reflected_sources).s, G(es->reflected_packets).s);
		tw_words(&w, buf);
		tw_end(&w);
	}
	if (!es->spoofed_sources)
		return;
	tw_label(&w, t, "spoofed");
	(void)snprintf(buf, sizeof(buf), "%s impossible sources (%s packets), DL 0, never blocked",
		       G(es->spoofed_sources).s, G(es->spoofed_packets).s);
	tw_words(&w, buf);
	for (int r = SPOOF_NONE + 1; r < _SPOOF_MAX; r++) {
		if (!es->spoofed_by[r])
			continue;
		tw_itemf(&w, any ? ", " : ": ", "%s %s", spoof_reason_name((enum spoof_reason)r),
			 G(es->spoofed_by[r]).s);
		any = true;
	}
	tw_end(&w);
}

/* Inputs not read to the end and kmsg overruns; stderr says which, where. */
static void text_input_lost(const struct text *t, const struct input_stats *in)
{
	struct tw w;

	if (!in->read_errors && !in->lost)
		return;
	tw_label(&w, t, "INPUT LOST");
	if (in->read_errors)
		tw_itemf(&w, "", "%s input(s) not read to the end (stderr says where)",
			 G(in->read_errors).s);
	if (in->lost)
		tw_itemf(&w, in->read_errors ? ", " : "", "%s kmsg overrun(s)", G(in->lost).s);
	tw_end(&w);
}

/* "signatures  305 rules (built-in); 2 malformed, 1 needing payload skipped" */
static void text_data_sets(const struct text *t, const struct matchers *m)
{
	struct tw w;

	if (!m)
		return;
	tw_label(&w, t, "signatures");
	if (m->sigs) {
		struct sigset_stats st;
		sigset_get_stats(m->sigs, &st);
		tw_itemf(&w, "", "%" PRIu32 " rules", st.rules);
		char origin[TEXT_ITEM_MAX - 8];
		escape_bytes(m->sig_origin, strlen(m->sig_origin), origin, sizeof(origin));
		tw_item_cat(&w, " ", "from ", origin); /* a path from the command line */
		if (st.malformed)
			tw_itemf(&w, "; ", "%" PRIu32 " malformed skipped", st.malformed);
		if (st.unsupported)
			tw_itemf(&w, "; ", "%" PRIu32 " needing payload skipped", st.unsupported);
	} else {
		tw_item(&w, "", "off");
	}
	tw_end(&w);
	if (m->rep) {
		struct reputation_stats st;
		reputation_get_stats(m->rep, &st);
		tw_label(&w, t, "reputation");
		tw_itemf(&w, "", "%" PRIu64 " networks in %" PRIu64 " list(s)", st.entries, st.lists);
		if (st.errors)
			tw_itemf(&w, "; ", "%" PRIu64 " bad lines skipped", st.errors);
		tw_end(&w);
	}
}

/* "vigil 0.1.0 port scan report: 2 files (1,234 bytes), 8,351 lines,
 * 2026-05-18T00:00:03 .. 2026-05-18T23:59:59" */
static void text_header(const struct text *t, const struct input_stats *in)
{
	char a[40], b[40];
	struct tw w;

	tw_begin(&w, t, 0, 4);
	tw_item_n(&w, "", "vigil " VIGIL_VERSION " port scan report:",
		  strlen("vigil " VIGIL_VERSION " port scan report:"), t->color ? ANSI_BOLD : NULL);
	tw_item_u64(&w, " ", "", in->files, in->files == 1 ? " file" : " files");
	tw_item_u64(&w, " ", "(", in->bytes, " bytes),");
	tw_item_u64(&w, " ", "", in->lines, in->lines == 1 ? " line," : " lines,");
	(void)report_format_time(&in->first, a);
	(void)report_format_time(&in->last, b);
	if (!a[0] && !b[0]) {
		tw_item(&w, " ", "time span unknown");
	} else {
		tw_item_cat(&w, " ", a[0] ? a : "?", " ..");
		tw_item(&w, " ", b[0] ? b : "?");
	}
	tw_end(&w);
}

static void text_events(const struct text *t, const struct input_stats *in)
{
	struct tw w;

	tw_label(&w, t, "events");
	tw_item_u64(&w, "", "", in->events, " counted,");
	tw_item_u64(&w, " ", "", in->ignored, " ignored,");
	tw_item_u64(&w, " ", "", in->malformed, " malformed");
	if (in->repeated)
		tw_item_u64(&w, ", ", "", in->repeated, " repeated");
	tw_end(&w);
}

/* "filters     --since -24h --port 22: 1,234 events left out" */
static void text_filters(const struct text *t, const struct input_stats *in,
			 const struct report_opts *o)
{
	struct tw w;
	char buf[TEXT_ITEM_MAX];

	if (!o->filters && !in->ignored_filtered)
		return;
	tw_label(&w, t, "filters");
	if (o->filters) {
		const char *p = o->filters;
		bool first = true;
		while (*p) { /* the user's words, escaped, wrapping between them */
			size_t n = strcspn(p, " ");
			if (n) {
				escape_bytes(p, n, buf, sizeof(buf));
				tw_item(&w, first ? "" : " ", buf);
				first = false;
			}
			p += n;
			p += strspn(p, " ");
		}
		tw_item(&w, "", ":");
	}
	tw_item_u64(&w, o->filters ? " " : "", "", in->ignored_filtered,
		    in->ignored_filtered == 1 ? " event left out" : " events left out");
	tw_end(&w);
}

static void text_sources_line(const struct text *t, const struct report_opts *o,
			      const struct summary *sum)
{
	char net[NET_STR_MAX];
	struct tw w;

	tw_label(&w, t, "sources");
	tw_item_u64(&w, "", "", sum->tracked, " tracked,");
	tw_item_u64(&w, " ", "", sum->listed, " listed");
	if (o->min_dl)
		tw_itemf(&w, " ", "(DL >= %u%s", o->min_dl, o->n_ips ? "," : ")");
	for (size_t i = 0; i < o->n_ips; i++) {
		(void)net_format(&o->ips[i], net);
		tw_itemf(&w, " ", "%sip %s%s", !o->min_dl && i == 0 ? "(" : "", net,
			 i + 1 == o->n_ips ? ")" : ",");
	}
	tw_item(&w, "", ":");
	tw_item_u64(&w, " ", "", sum->scanning, " scanning,");
	tw_item_u64(&w, " ", "", sum->spoofed, " spoofed,");
	tw_item_u64(&w, " ", "", sum->reflected, " reflected");
	tw_end(&w);

	tw_label(&w, t, "by level");
	for (int d = 5; d >= 0; d--) {
		struct item it;
		item_init(&it, "DL ");
		item_u64(&it, (uint64_t)d);
		item_str(&it, ": ");
		item_count(&it, sum->by_dl[d]);
		tw_item_n(&w, d == 5 ? "" : ", ", it.s, it.len,
			  sum->by_dl[d] ? dl_color((unsigned)d) : NULL);
	}
	tw_end(&w);
}

/* The DL scale and the thresholds in force. */
static void text_legend(const struct text *t, const struct report_opts *o)
{
	struct config *def = NULL;
	const struct config *cfg = o->cfg;
	struct tw w;

	if (!cfg) {
		def = malloc(sizeof(*def));
		if (!def)
			return;
		config_init(def);
		cfg = def;
	}
	tw_label(&w, t, "DL scale");
	tw_words(&w, "1-5: a destination's packets");
	for (int d = 1; d <= 5; d++)
		tw_item_u64(&w, d == 1 ? " " : "/", "", cfg->danger_level[d], "");
	tw_words(&w, " or a source's destinations");
	for (int d = 1; d <= 5; d++)
		tw_item_u64(&w, d == 1 ? " " : "/", "", cfg->unique_hosts[d], "");
	tw_words(&w, " (DANGER_LEVEL1-5, DL1-5_UNIQUE_HOSTS); signatures, auto_dl, reputation "
		     "lists and invalid ICMP set levels too; 0: seen, not scanning");
	tw_end(&w);
	free(def);
}

/* Inputs that could not be read to the end, each with its reason. */
static void text_input_errors(const struct text *t, const struct input_stats *in)
{
	char file[160], reason[TEXT_ITEM_MAX];
	size_t shown = 0, errors = 0;
	struct tw w;

	for (size_t i = 0; i < in->n_problems; i++) {
		const struct input_problem *p = &in->problems[i];
		if (!p->error)
			continue;
		if (errors++ >= 5)
			continue;
		escape_bytes(p->file, strnlen(p->file, sizeof(p->file)), file, sizeof(file));
		escape_bytes(p->reason, strnlen(p->reason, sizeof(p->reason)), reason,
			     sizeof(reason));
		tw_label(&w, t, shown++ ? "" : "read errors");
		tw_item_cat(&w, "", file, ":");
		/* the reason word by word, so that it wraps under itself */
		for (char *p2 = reason, *sp; *p2; p2 = sp) {
			sp = p2 + strcspn(p2, " ");
			char keep = *sp;
			*sp = '\0';
			if (*p2)
				tw_item(&w, " ", p2);
			*sp = keep;
			sp += strspn(sp, " ");
		}
		tw_end(&w);
	}
	if (errors > shown || in->problems_unlisted) {
		tw_label(&w, t, "");
		tw_item_u64(&w, "", "... ", errors - shown + in->problems_unlisted,
			    " more (stderr says which)");
		tw_end(&w);
	}
}

/* The sources that head the report, one line each: DL, source, packets
 * and why (cut at the width: the details say it all). */
static void text_top_sources(const struct text *t, const struct summary *sum,
			     const struct report_opts *o)
{
	char name[NET_STR_MAX], pk[NUM_GROUPED_MAX], why[TEXT_WIDTH_MAX + 1];
	unsigned src_w = 6, pk_w = 4, col;

	outbuf_putc(t->o, '\n');
	if (sum->listed > sum->n_top) {
		char a[NUM_GROUPED_MAX], b[NUM_GROUPED_MAX];
		(void)num_u64_grouped(a, sum->n_top);
		(void)num_u64_grouped(b, sum->listed);
		outbuf_printf(t->o, "%sTOP SOURCES%s (%s of %s; --top N for more)\n",
			      t->color ? ANSI_BOLD : "", t->color ? ANSI_RESET : "", a, b);
	} else {
		text_heading(t, "TOP SOURCES");
	}
	if (!sum->n_top) {
		outbuf_puts(t->o, "no sources\n");
		return;
	}
	for (size_t i = 0; i < sum->n_top; i++) {
		src_w = max_u(src_w, (unsigned)report_source_name(sum->top[i], o, name));
		pk_w = max_u(pk_w, (unsigned)num_u64_grouped(pk, sum->top[i]->packets));
	}
	col = 2 + 2 + src_w + 2 + pk_w + 2;
	outbuf_printf(t->o, "%sDL  %-*s  %*s%sWHY%s\n", t->color ? ANSI_BOLD : "", (int)src_w,
		      "SOURCE", (int)pk_w, "PKTS", col + 24 > t->width ? "\n    " : "  ",
		      t->color ? ANSI_RESET : "");
	for (size_t i = 0; i < sum->n_top; i++) {
		const struct source_state *s = sum->top[i];
		const char *color = t->color ? dl_color(s->dl) : NULL;
		/* WHY beside the row, or under it when the row leaves too little */
		bool under = col + 24 > t->width;
		size_t room = under ? t->width - 4 : t->width - col;
		(void)report_source_name(s, o, name);
		(void)num_u64_grouped(pk, s->packets);
		(void)report_source_why(s, o, why, room + 1 < sizeof(why) ? room + 1 : sizeof(why));
		outbuf_printf(t->o, "%s%2u%s  %-*s  %*s%s%s\n", color ? color : "", (unsigned)s->dl,
			      color ? ANSI_RESET : "", (int)src_w, name, (int)pk_w, pk,
			      under ? "\n    " : "  ", why);
	}
}

static void text_top_sigs(const struct text *t, const struct summary *sum)
{
	char msg[TEXT_WIDTH_MAX + 1], a[NUM_GROUPED_MAX], b[NUM_GROUPED_MAX];

	if (!sum->n_sigs)
		return;
	outbuf_putc(t->o, '\n');
	text_heading(t, "TOP SIGNATURES");
	outbuf_printf(t->o, "%s   SRCS   MATCHES  DL  SID       MESSAGE%s\n",
		      t->color ? ANSI_BOLD : "", t->color ? ANSI_RESET : "");
	for (size_t i = 0; i < sum->n_sigs; i++) {
		const struct summary_sig *g = &sum->sigs[i];
		size_t room = t->width > 41 + 8 ? t->width - 41 : 8;
		(void)num_u64_grouped(a, g->sources);
		(void)num_u64_grouped(b, g->count);
		escape_str(g->msg ? g->msg : "", msg, room + 1 < sizeof(msg) ? room + 1 : sizeof(msg));
		outbuf_printf(t->o, "%7s  %8s  %2u  %-8" PRIu32 "  %s\n", a, b, (unsigned)g->dl,
			      g->sid, msg);
	}
}

/* "tcp/22 1,234, tcp/23 1,000, ..." and the hosts likewise, wrapped. */
static void text_top_targets(const struct text *t, const struct summary *sum)
{
	struct item it;
	struct tw w;

	if (sum->n_ports) {
		outbuf_putc(t->o, '\n');
		text_heading(t, "MOST TARGETED PORTS (sources)");
		tw_begin(&w, t, 2, 2);
		for (size_t i = 0; i < sum->n_ports; i++) {
			const struct summary_port *a = &sum->ports[i];
			const char *name = proto_name(a->proto);
			item_init(&it, name ? name : "?");
			item_add(&it, "/", 1);
			item_u64(&it, a->port);
			if (a->port_hi > a->port) {
				item_add(&it, "-", 1);
				item_u64(&it, a->port_hi);
			}
			item_add(&it, " ", 1);
			item_count(&it, a->sources);
			tw_item_it(&w, i ? ", " : "", &it);
		}
		tw_end(&w);
	}
	if (sum->n_hosts) {
		char addr[ADDR_STR_MAX];
		outbuf_putc(t->o, '\n');
		text_heading(t, "MOST TARGETED HOSTS (sources, packets)");
		tw_begin(&w, t, 2, 2);
		for (size_t i = 0; i < sum->n_hosts; i++) {
			const struct summary_host *a = &sum->hosts[i];
			size_t j = i;
			/* consecutive addresses alike (a sweep): a range */
			while (j + 1 < sum->n_hosts && a->dst.family == ADDR_V4 &&
			       sum->hosts[j + 1].dst.family == ADDR_V4 &&
			       memcmp(sum->hosts[j + 1].dst.b, sum->hosts[j].dst.b, 3) == 0 &&
			       sum->hosts[j + 1].dst.b[3] == sum->hosts[j].dst.b[3] + 1 &&
			       sum->hosts[j + 1].sources == a->sources &&
			       sum->hosts[j + 1].packets == a->packets)
				j++;
			(void)addr_format(&a->dst, addr);
			item_init(&it, addr);
			if (j > i) {
				item_add(&it, "-", 1);
				item_u64(&it, sum->hosts[j].dst.b[3]);
			}
			item_add(&it, " ", 1);
			item_count(&it, a->sources);
			item_add(&it, "/", 1);
			item_count(&it, a->packets);
			if (j > i)
				item_str(&it, " each");
			tw_item_it(&w, i ? ", " : "", &it);
			i = j;
		}
		tw_end(&w);
	}
	if (sum->partial) {
		char note[200];
		(void)snprintf(note, sizeof(note),
			       "(partial top lists: they look at the %s most dangerous sources, "
			       "%s port visits and %s destinations at most)",
			       G(SUMMARY_AGG_SOURCES).s, G(SUMMARY_AGG_PORTS).s,
			       G(SUMMARY_AGG_HOSTS).s);
		tw_begin(&w, t, 0, 0);
		tw_words(&w, note);
		tw_end(&w);
	}
}

/* Events by log prefix, input interface and chain (analyze's tally). */
static void text_tally(const struct text *t, const struct tally *ty)
{
	static const char *const labels[] = { "prefix", "interface", "chain" };
	struct item it;
	struct tw w;

	if (!ty)
		return;
	outbuf_putc(t->o, '\n');
	text_heading(t, "EVENTS BY");
	for (int k = 0; k < _TALLY_KIND_MAX; k++) {
		uint64_t other;
		size_t n;
		const struct tally_name *v = tally_names(ty, (enum tally_kind)k, &n, &other);
		size_t shown = 0;
		tw_label(&w, t, labels[k]);
		for (size_t i = 0; i < n; i++) {
			/* three lines at most; the rest is "other" */
			if (w.lines >= 2 && !tw_fits(&w, ", ", strlen(v[i].name) + 40)) {
				for (size_t j = i; j < n; j++)
					other += v[j].events;
				break;
			}
			item_init(&it, v[i].name[0] ? v[i].name : "(none)");
			item_add(&it, " ", 1);
			item_count(&it, v[i].events);
			tw_item_it(&w, shown++ ? ", " : "", &it);
		}
		if (other)
			tw_item_u64(&w, shown ? ", " : "", "other ", other, "");
		else if (!shown)
			tw_item(&w, "", "-");
		tw_end(&w);
	}
}

static void text_summary(const struct text *t, const struct input_stats *in,
			 const struct engine_stats *es, const struct report_opts *o,
			 const struct summary *sum)
{
	text_header(t, in);
	outbuf_putc(t->o, '\n');
	text_heading(t, "SUMMARY");
	text_events(t, in);
	text_ignored(t, in, es);
	text_filters(t, in, o);
	text_sources_line(t, o, sum);
	text_legend(t, o);
	text_input_lost(t, in);
	text_input_errors(t, in);
	text_lost(t, es);
	text_blame(t, es);
	text_data_sets(t, o->m);
	text_top_sources(t, sum, o);
	text_top_sigs(t, sum);
	text_top_targets(t, sum);
	text_tally(t, o->tally);
}

/* --- table ------------------------------------------------------------ */

/* Scan type names joined by ','; "-" for none. */
static void scans_join(uint32_t types, char buf[TEXT_SCANS_MAX])
{
	size_t len = 0;

	buf[0] = '\0';
	for (int t = 0; t < _SCAN_MAX; t++) {
		const char *name = (types & (UINT32_C(1) << t)) ? scan_type_name((enum scan_type)t) : NULL;
		int r;
		if (!name)
			continue;
		r = snprintf(buf + len, TEXT_SCANS_MAX - len, "%s%s", len ? "," : "", name);
		if (r < 0 || (size_t)r >= TEXT_SCANS_MAX - len)
			break;
		len += (size_t)r;
	}
	if (!len)
		memcpy(buf, "-", 2);
}

/* A bounded cell; items that do not fit are dropped and counted as `over`. */
struct cell {
	char s[TEXT_WIDTH_MAX + 1];
	size_t len, max;
	bool over;
	char over_sep; /* separator before the first dropped item */
};

static void cell_add(struct cell *c, char sep, const char *item)
{
	size_t il = strlen(item), sl = (c->len && sep) ? 1 : 0;

	if (c->over)
		return;
	if (c->len + sl + il > c->max) {
		c->over = true;
		c->over_sep = c->len ? sep : 0;
		return;
	}
	if (sl)
		c->s[c->len++] = sep;
	memcpy(c->s + c->len, item, il + 1);
	c->len += il;
}

/* Union of one protocol's port sets over a source's destinations, merged
 * from the sets' sorted range iterators. */
struct merge_in {
	struct portset_iter it;
	struct port_span cur;
	bool live;
};

static const struct portset *pair_ports(const struct pair_state *p, int proto)
{
	switch (proto) {
	case 0:
		return &p->tcp.ports;
	case 1:
		return &p->udp.ports;
	default:
		return &p->udplite.ports;
	}
}

static void merge_init(struct merge_in *m, const struct source_state *s, int proto)
{
	for (uint32_t i = 0; i < s->n_pairs; i++) {
		m[i].live = false;
		if (!s->pairs[i])
			continue;
		portset_iter_init(&m[i].it, pair_ports(s->pairs[i], proto));
		m[i].live = portset_iter_next(&m[i].it, &m[i].cur);
	}
}

static bool merge_next(struct merge_in *m, size_t n, struct port_span *ret)
{
	struct merge_in *first = NULL;
	uint32_t hi;
	bool grew;

	for (size_t i = 0; i < n; i++)
		if (m[i].live && (!first || m[i].cur.lo < first->cur.lo))
			first = &m[i];
	if (!first)
		return false;
	ret->lo = first->cur.lo;
	hi = first->cur.hi;
	do { /* swallow every range that overlaps or touches [lo, hi] */
		grew = false;
		for (size_t i = 0; i < n; i++) {
			while (m[i].live && m[i].cur.lo <= hi + 1) {
				if (m[i].cur.hi > hi)
					hi = m[i].cur.hi;
				m[i].live = portset_iter_next(&m[i].it, &m[i].cur);
				grew = true;
			}
		}
	} while (grew);
	ret->hi = (uint16_t)hi;
	return true;
}

/* "tcp:21-23,80 udp:53" until the cell is full. */
static void ports_fill(struct cell *c, const struct source_state *s, struct merge_in *m)
{
	static const char *const label[] = { "tcp", "udp", "udplite" };
	char span[REPORT_SPAN_MAX], item[REPORT_SPAN_MAX + 8];
	struct port_span sp;

	for (int proto = 0; proto < 3 && !c->over; proto++) {
		bool first = true;
		merge_init(m, s, proto);
		while (!c->over && merge_next(m, s->n_pairs, &sp)) {
			(void)report_span_format(sp, span);
			if (first)
				(void)snprintf(item, sizeof(item), "%s:%s", label[proto], span);
			cell_add(c, first ? ' ' : ',', first ? item : span);
			first = false;
		}
	}
}

/* The PORTS cell: every port if it fits in `width`, else as many ranges as
 * fit before ",...". */
static void ports_cell(struct cell *c, const struct source_state *s, struct merge_in *m,
		       size_t width)
{
	char sep;

	memset(c, 0, sizeof(*c));
	c->max = width;
	ports_fill(c, s, m);
	if (!c->over) {
		if (!c->len)
			memcpy(c->s, "-", 2);
		return;
	}
	memset(c, 0, sizeof(*c));
	c->max = width > 4 ? width - 4 : 0;
	ports_fill(c, s, m);
	sep = c->over_sep;
	if (sep)
		c->s[c->len++] = sep;
	memcpy(c->s + c->len, "...", 4);
	c->len += 3;
}

struct cols {
	unsigned src, pkts, dsts, scans, ports; /* widths */
	bool scans_inline, ports_inline;
	bool plain;       /* counts not grouped: grouped ones would not fit */
	uint32_t max_pairs;
};

static uint64_t source_dsts(const struct source_state *s)
{
	return (uint64_t)s->n_pairs + s->untracked_dsts;
}

static void table_layout(struct cols *c, const struct source_state **v, size_t n,
			 const struct report_opts *o, unsigned width)
{
	char addr[NET_STR_MAX], scans[TEXT_SCANS_MAX];
	unsigned fixed, plain_pkts = 4, plain_dsts = 4;

	*c = (struct cols){ .src = 6, .pkts = 4, .dsts = 4, .scans = 10 };
	for (size_t i = 0; i < n; i++) {
		const struct source_state *s = v[i];
		if (!report_source_listed(s, o))
			continue;
		scans_join(s->scan_types, scans);
		c->src = max_u(c->src, (unsigned)report_source_name(s, o, addr));
		c->pkts = max_u(c->pkts, (unsigned)strlen(G(s->packets).s));
		c->dsts = max_u(c->dsts, (unsigned)strlen(G(source_dsts(s)).s));
		plain_pkts = max_u(plain_pkts, (unsigned)strlen(P(s->packets).s));
		plain_dsts = max_u(plain_dsts, (unsigned)strlen(P(source_dsts(s)).s));
		c->scans = max_u(c->scans, (unsigned)strlen(scans));
		c->max_pairs = max_u(c->max_pairs, s->n_pairs);
	}
	if (2 + 2 + c->src + 2 + c->pkts + 2 + c->dsts + 2 + PORTS_CELL_MIN > width) {
		c->plain = true;
		c->pkts = plain_pkts;
		c->dsts = plain_dsts;
	}
	fixed = 2 + 2 + c->src + 2 + c->pkts + 2 + c->dsts;
	c->scans_inline = fixed + 2 + c->scans + 2 + PORTS_CELL_MIN <= width;
	if (c->scans_inline)
		fixed += 2 + c->scans;
	c->ports_inline = fixed + 2 + PORTS_CELL_MIN <= width;
	c->ports = c->ports_inline ? width - fixed - 2 : width - 4;
}

static void table_header(const struct text *t, const struct cols *c)
{
	const char *b = t->color ? ANSI_BOLD : "", *e = t->color ? ANSI_RESET : "";

	outbuf_printf(t->o, "%sDL  %-*s  %*s  %*s", b, (int)c->src, "SOURCE", (int)c->pkts, "PKTS",
		      (int)c->dsts, "DSTS");
	if (c->scans_inline)
		outbuf_printf(t->o, "  %-*s", (int)c->scans, "SCAN TYPES");
	if (c->ports_inline)
		outbuf_puts(t->o, "  PORTS");
	outbuf_printf(t->o, "%s\n", e);
	if (!c->scans_inline)
		outbuf_printf(t->o, "%s    SCAN TYPES%s\n", b, e);
	if (!c->ports_inline)
		outbuf_printf(t->o, "%s    PORTS%s\n", b, e);
}

static void table_row(const struct text *t, const struct cols *c, const struct source_state *s,
		      const struct report_opts *o, struct merge_in *m)
{
	const char *color = t->color ? dl_color(s->dl) : NULL;
	char addr[NET_STR_MAX], scans[TEXT_SCANS_MAX];
	struct cell cell;
	struct tw w;

	(void)report_source_name(s, o, addr);
	scans_join(s->scan_types, scans);
	ports_cell(&cell, s, m, c->ports);
	outbuf_printf(t->o, "%s%2u%s  %-*s  %*s  %*s", color ? color : "", (unsigned)s->dl,
		      color ? ANSI_RESET : "", (int)c->src, addr, (int)c->pkts,
		      c->plain ? P(s->packets).s : G(s->packets).s, (int)c->dsts,
		      c->plain ? P(source_dsts(s)).s : G(source_dsts(s)).s);
	if (c->scans_inline)
		outbuf_printf(t->o, "  %-*s", (int)c->scans, scans);
	if (c->ports_inline)
		outbuf_printf(t->o, "  %s", cell.s);
	outbuf_putc(t->o, '\n');
	if (!c->scans_inline) {
		tw_begin(&w, t, 4, 6);
		tw_list(&w, scans);
		tw_end(&w);
	}
	if (!c->ports_inline)
		outbuf_printf(t->o, "    %s\n", cell.s);
}

static int text_table(const struct text *t, const struct source_state **v, size_t n,
		      const struct report_opts *o, size_t listed)
{
	struct merge_in *m = NULL;
	struct cols c;

	text_heading(t, "SOURCES BY DANGER LEVEL");
	table_layout(&c, v, n, o, t->width);
	table_header(t, &c);
	if (!listed) {
		outbuf_puts(t->o, "no sources\n");
		return 0;
	}
	if (c.max_pairs) {
		m = calloc(c.max_pairs, sizeof(*m));
		if (!m)
			return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (report_source_listed(v[i], o))
			table_row(t, &c, v[i], o, m);
	free(m);
	return 0;
}

/* --- detail ----------------------------------------------------------- */

static void detail_tcp(const struct text *t, const struct pair_state *p)
{
	char flags[40];
	struct item it;
	struct tw w;
	unsigned i;

	if (!p->tcp.packets)
		return;
	tw_begin(&w, t, 4, 10);
	tw_item(&w, "", "tcp");
	tw_item_u64(&w, "  ", "", p->tcp.packets, " pkts");
	tw_ports(&w, &p->tcp.ports);
	if (p->n_flags || p->flags_other)
		tw_item(&w, "  ", "flags");
	for (i = 0; i < p->n_flags && i < PAIR_FLAGSETS_MAX; i++) {
		(void)event_flags_format(p->flags[i].flags, flags);
		item_init(&it, flags);
		item_add(&it, ":", 1);
		item_u64(&it, p->flags[i].count);
		tw_item_it(&w, i ? ", " : " ", &it);
	}
	if (p->flags_other)
		tw_item_u64(&w, i ? ", " : " ", "OTHER:", p->flags_other, "");
	tw_end(&w);
}

static void detail_udp(const struct text *t, const char *name, const struct ports_stats *st)
{
	struct tw w;

	if (!st->packets)
		return;
	tw_begin(&w, t, 4, 10);
	tw_item(&w, "", name);
	tw_item_u64(&w, "  ", "", st->packets, " pkts");
	tw_ports(&w, &st->ports);
	tw_end(&w);
}

static void detail_icmp(const struct text *t, const struct pair_state *p)
{
	struct item it;
	struct tw w;
	unsigned i;

	if (!p->icmp_packets)
		return;
	tw_begin(&w, t, 4, 10);
	tw_item(&w, "", p->dst.family == ADDR_V6 ? "icmp6" : "icmp");
	tw_item_u64(&w, "  ", "", p->icmp_packets, " pkts");
	if (p->n_icmp || p->icmp_other)
		tw_item(&w, "  ", "types");
	for (i = 0; i < p->n_icmp && i < PAIR_ICMP_MAX; i++) {
		item_init(&it, "");
		item_u64(&it, p->icmp[i].type);
		item_add(&it, "/", 1);
		item_u64(&it, p->icmp[i].code);
		item_add(&it, ":", 1);
		item_u64(&it, p->icmp[i].count);
		tw_item_it(&w, i ? ", " : " ", &it);
	}
	if (p->icmp_other)
		tw_item_u64(&w, i ? ", " : " ", "OTHER:", p->icmp_other, "");
	tw_end(&w);
}

/* "IP protocols tcp, gre, 3": by name where one is known; bounded like
 * the port lists. */
static void detail_protos(const struct text *t, const struct pair_state *p)
{
	bool first = true;
	unsigned total = 0, shown = 0;
	char num[PROTO_NAME_MAX];
	struct tw w;

	for (unsigned proto = 0; proto < 256; proto++)
		total += (p->protos[proto >> 3] >> (proto & 7)) & 1;
	for (unsigned proto = 0; proto < 256; proto++) {
		const char *name;
		if (!(p->protos[proto >> 3] & (1u << (proto & 7))))
			continue;
		if (first) {
			tw_begin(&w, t, 4, 10);
			tw_item(&w, "", "IP protocols");
		}
		name = proto_name_or_num((uint8_t)proto, num);
		if (!first && w.lines + 1 >= PORT_LINES_MAX && !tw_fits(&w, ", ", strlen(name) + 20)) {
			tw_itemf(&w, ", ", "... %u more, %u in all", total - shown, total);
			break;
		}
		tw_item(&w, first ? " " : ", ", name);
		first = false;
		shown++;
	}
	if (!first)
		tw_end(&w);
}

/* "in eth1", "out -": the engine's escaped name, or '-' for none. */
static void tw_ifname(struct tw *w, const char *label, const char *name, size_t size)
{
	size_t len = strnlen(name, size);

	struct item it;

	item_init(&it, label);
	item_add(&it, " ", 1);
	item_add(&it, len ? name : "-", len ? len : 1);
	tw_item_it(w, " ", &it);
}

/* One destination, or a group of alike ones (hosts: "198.18.0.10-29",
 * n: how many): their counts summed in p. */
static void detail_pair(const struct text *t, const struct pair_state *p, const char *hosts,
			size_t n)
{
	char addr[ADDR_STR_MAX];
	const char *chain = event_chain_name(p->chain);
	struct tw w;

	tw_begin(&w, t, 2, 6);
	if (hosts) {
		tw_item_cat(&w, "", "DST ", hosts);
		tw_item_u64(&w, " ", "(", n, " hosts)");
	} else {
		(void)addr_format(&p->dst, addr);
		tw_item_cat(&w, "", "DST ", addr);
	}
	tw_dl(&w, "  ", p->dl);
	tw_item_cat(&w, "  ", "chain ", chain[0] ? chain : "-");
	tw_ifname(&w, "in", p->in, sizeof(p->in));
	tw_ifname(&w, "out", p->out, sizeof(p->out));
	tw_end(&w);
	detail_tcp(t, p);
	detail_udp(t, "udp", &p->udp);
	detail_udp(t, "udplite", &p->udplite);
	detail_icmp(t, p);
	detail_protos(t, p);
}

static bool portset_same(const struct portset *a, const struct portset *b)
{
	struct portset_iter ia, ib;
	struct port_span x, y;
	bool na, nb;

	if (a->count != b->count)
		return false;
	portset_iter_init(&ia, a);
	portset_iter_init(&ib, b);
	for (;;) {
		na = portset_iter_next(&ia, &x);
		nb = portset_iter_next(&ib, &y);
		if (na != nb)
			return false;
		if (!na)
			return true;
		if (x.lo != y.lo || x.hi != y.hi)
			return false;
	}
}

static const struct flag_count *flag_find(const struct pair_state *p, uint8_t flags)
{
	for (uint8_t i = 0; i < p->n_flags && i < PAIR_FLAGSETS_MAX; i++)
		if (p->flags[i].flags == flags)
			return &p->flags[i];
	return NULL;
}

static const struct icmp_count *icmp_find(const struct pair_state *p, uint8_t type, uint8_t code)
{
	for (uint8_t i = 0; i < p->n_icmp && i < PAIR_ICMP_MAX; i++)
		if (p->icmp[i].type == type && p->icmp[i].code == code)
			return &p->icmp[i];
	return NULL;
}

/* Two destinations a person would read as one: the same level, chain,
 * interfaces, ports, flag sets, ICMP types and protocols (counts aside). */
static bool pair_alike(const struct pair_state *a, const struct pair_state *b)
{
	if (a->dl != b->dl || a->chain != b->chain || a->n_flags != b->n_flags ||
	    a->n_icmp != b->n_icmp || !a->flags_other != !b->flags_other ||
	    !a->icmp_other != !b->icmp_other || !a->tcp.packets != !b->tcp.packets ||
	    !a->udp.packets != !b->udp.packets || !a->udplite.packets != !b->udplite.packets ||
	    !a->icmp_packets != !b->icmp_packets ||
	    memcmp(a->protos, b->protos, sizeof(a->protos)) != 0 ||
	    strncmp(a->in, b->in, sizeof(a->in)) != 0 || strncmp(a->out, b->out, sizeof(a->out)) != 0)
		return false;
	for (uint8_t i = 0; i < a->n_flags && i < PAIR_FLAGSETS_MAX; i++)
		if (!flag_find(b, a->flags[i].flags))
			return false;
	for (uint8_t i = 0; i < a->n_icmp && i < PAIR_ICMP_MAX; i++)
		if (!icmp_find(b, a->icmp[i].type, a->icmp[i].code))
			return false;
	return portset_same(&a->tcp.ports, &b->tcp.ports) &&
	       portset_same(&a->udp.ports, &b->udp.ports) &&
	       portset_same(&a->udplite.ports, &b->udplite.ports);
}

/* sum += p's counts (p alike: the same flag sets and ICMP types) */
static void pair_sum(struct pair_state *sum, const struct pair_state *p)
{
	sum->packets += p->packets;
	sum->tcp.packets += p->tcp.packets;
	sum->udp.packets += p->udp.packets;
	sum->udplite.packets += p->udplite.packets;
	sum->icmp_packets += p->icmp_packets;
	sum->other_packets += p->other_packets;
	sum->flags_other += p->flags_other;
	sum->icmp_other += p->icmp_other;
	for (uint8_t i = 0; i < sum->n_flags && i < PAIR_FLAGSETS_MAX; i++)
		sum->flags[i].count += flag_find(p, sum->flags[i].flags)->count;
	for (uint8_t i = 0; i < sum->n_icmp && i < PAIR_ICMP_MAX; i++)
		sum->icmp[i].count += icmp_find(p, sum->icmp[i].type, sum->icmp[i].code)->count;
}

static int pair_addr_cmp(const void *a, const void *b)
{
	const struct pair_state *const *x = a, *const *y = b;

	return addr_cmp(&(*x)->dst, &(*y)->dst);
}

#define GROUP_LOOKBACK 8 /* groups a destination is compared with */

/* The destinations sorted by address, alike ones (a sweep) as one block. */
static void detail_pairs(const struct text *t, const struct source_state *s)
{
	const struct pair_state **v = malloc((s->n_pairs + 1) * sizeof(*v));
	const struct pair_state **m = malloc((s->n_pairs + 1) * sizeof(*m));
	uint32_t *grp = malloc((s->n_pairs + 1) * sizeof(*grp));
	uint32_t *rep = malloc((s->n_pairs + 1) * sizeof(*rep));
	uint32_t *start = calloc(s->n_pairs + 2, sizeof(*start));
	size_t n = 0, groups = 0;

	if (!v || !m || !grp || !rep || !start) {
		/* no memory to sort: as they come */
		for (uint32_t j = 0; j < s->n_pairs; j++)
			if (s->pairs[j])
				detail_pair(t, s->pairs[j], NULL, 1);
		goto out;
	}
	for (uint32_t j = 0; j < s->n_pairs; j++)
		if (s->pairs[j])
			v[n++] = s->pairs[j];
	qsort(v, n, sizeof(*v), pair_addr_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t k = groups;
		while (k > 0 && groups - k < GROUP_LOOKBACK && !pair_alike(v[rep[k - 1]], v[i]))
			k--;
		if (k > 0 && groups - k < GROUP_LOOKBACK) {
			grp[i] = (uint32_t)(k - 1);
		} else {
			rep[groups] = (uint32_t)i;
			grp[i] = (uint32_t)groups++;
		}
	}
	/* members of each group, in address order (a counting sort) */
	for (size_t i = 0; i < n; i++)
		start[grp[i] + 1]++;
	for (size_t g = 0; g < groups; g++)
		start[g + 1] += start[g];
	for (size_t i = 0; i < n; i++)
		m[start[grp[i]]++] = v[i];
	/* start[g] is now the end of group g */
	for (size_t g = 0, from = 0; g < groups; from = start[g++]) {
		size_t cnt = start[g] - from;
		if (cnt == 1) {
			detail_pair(t, m[from], NULL, 1);
		} else {
			struct pair_state sum = *m[from];
			char hosts[TEXT_ITEM_MAX - 24];
			for (size_t i = from + 1; i < start[g]; i++)
				pair_sum(&sum, m[i]);
			(void)report_dsts_format(m + from, cnt, hosts, sizeof(hosts));
			detail_pair(t, &sum, hosts, cnt);
		}
	}
out:
	free(v);
	free(m);
	free(grp);
	free(rep);
	free(start);
}

static void detail_head(const struct text *t, const struct source_state *s,
			const struct report_opts *o)
{
	char addr[NET_STR_MAX], when[40];
	struct tw w;

	(void)report_source_name(s, o, addr);
	tw_begin(&w, t, 0, 4);
	tw_item_cat(&w, "", "SRC ", addr);
	tw_dl(&w, "  ", s->dl);
	if (s->spoofed)
		tw_item_cat(&w, "  ", "SPOOFED ", spoof_reason_name((enum spoof_reason)s->spoofed));
	if (s->reflected)
		tw_item(&w, "  ", "REFLECTED");
	tw_item_u64(&w, "  ", "packets ", s->packets, "");
	if (report_format_time(&s->first, when))
		tw_item_cat(&w, "  ", "first ", when);
	if (report_format_time(&s->last, when))
		tw_item_cat(&w, "  ", "last ", when);
	tw_end(&w);
}

/* What the source did and why it has its level, then its destinations
 * collapsed ("20 hosts 198.18.0.10-29, tcp 80,443"). */
static void detail_what(const struct text *t, const struct source_state *s,
			const struct report_opts *o)
{
	char buf[512];
	struct tw w;

	if (report_source_why(s, o, buf, sizeof(buf))) {
		tw_label(&w, t, "why");
		tw_words(&w, buf);
		tw_end(&w);
	}
	if (source_dsts(s) > 1 && report_source_dsts(s, buf, sizeof(buf))) {
		tw_label(&w, t, "targets");
		tw_words(&w, buf);
		tw_end(&w);
	}
}

/* "reflected  12 replies (SYN ACK 10, RST 2) from port 80  ports 1024-1035 (12)" */
static void detail_reflected(const struct text *t, const struct source_reflect *r)
{
	struct tw w;

	if (!r)
		return;
	tw_label(&w, t, "reflected");
	tw_itemf(&w, "", "%s replies (SYN ACK %s, RST %s, RST ACK %s)", G(r->packets).s,
		 G(r->syn_ack).s, G(r->rst).s, G(r->rst_ack).s);
	if (r->sports_varied)
		tw_item(&w, " ", "from several ports");
	else
		tw_itemf(&w, " ", "from port %u", (unsigned)r->sport);
	tw_ports(&w, &r->dports);
	tw_end(&w);
}

static void detail_scans(const struct text *t, const struct source_state *s)
{
	bool any = false;
	struct tw w;

	tw_label(&w, t, "scan types");
	for (int i = 0; i < _SCAN_MAX; i++) {
		const char *name, *nmap;
		if (!(s->scan_types & (UINT32_C(1) << i)))
			continue;
		name = scan_type_name((enum scan_type)i);
		nmap = scan_type_nmap((enum scan_type)i);
		tw_itemf(&w, any ? ", " : "", "%s%s%s%s", name ? name : "?", nmap ? " (" : "",
			 nmap ? nmap : "", nmap ? ")" : "");
		any = true;
	}
	if (!any)
		tw_item(&w, "", "-");
	tw_end(&w);
}

/* The levels a source got besides its pairs' own. */
static void detail_levels(const struct text *t, const struct source_state *s)
{
	const struct source_intel *x = s->intel;
	static const char *const names[] = { "sweep", "auto_dl", "signature", "invalid ICMP",
					     "reputation" };
	unsigned v[] = { s->sweep_dl, s->autodl_dl, x ? x->sig_dl : 0, x ? x->icmp_dl : 0,
			 x && x->rep ? x->rep_dl : 0 };
	bool any = false;
	struct tw w;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (!v[i])
			continue;
		if (!any)
			tw_label(&w, t, "levels");
		tw_itemf(&w, any ? ", " : "", "%s DL %u", names[i], v[i]);
		any = true;
	}
	if (any)
		tw_end(&w);
}

static void detail_source_counts(const struct text *t, const struct source_state *s,
				 const struct report_opts *o)
{
	char num[PROTO_NAME_MAX];
	struct item it;
	struct tw w;
	unsigned i;

	tw_label(&w, t, "protocols");
	for (i = 0; i < s->n_protos; i++) { /* every one, by IANA keyword */
		const struct proto_count *c = source_proto(s, i);
		item_init(&it, proto_name_or_num(c->proto, num));
		item_add(&it, " ", 1);
		item_count(&it, c->count);
		tw_item_it(&w, i ? ", " : "", &it);
	}
	if (!i)
		tw_item(&w, "", "-");
	tw_end(&w);
	detail_levels(t, s);
	if (report_source_local(s, o)) {
		tw_label(&w, t, "local");
		tw_item(&w, "", "inside HOME_NET");
		tw_end(&w);
	}
	if (s->untracked_dsts || s->untracked_packets) {
		tw_label(&w, t, "untracked");
		tw_itemf(&w, "", "%s destinations, %s packets (not itemised)",
			 G(s->untracked_dsts).s, G(s->untracked_packets).s);
		tw_end(&w);
	}
}

static void detail_sigs(const struct text *t, const struct source_intel *x)
{
	struct tw w;

	if (!x->n_sigs && !x->sigs_other)
		return;
	/* one line per signature: "sid 384 DL 2 x5  ICMP PING", the message
	 * word by word so that a long one wraps under itself */
	for (uint16_t i = 0; i < x->n_sigs; i++) {
		const struct sig_count *sig = &x->sigs[i]; /* the rule as it was (ids, copies) */
		const char *p = sig->msg;
		bool first = true;

		tw_label(&w, t, i ? "" : "signatures");
		tw_itemf(&w, "", "sid %" PRIu32 " DL %u x%s", sig->id, (unsigned)sig->dl,
			 G(x->sigs[i].count).s);
		while (*p) {
			size_t n = strcspn(p, " ");
			if (n)
				tw_item_n(&w, first ? "  " : " ", p, n, NULL);
			first = false;
			p += n;
			p += strspn(p, " ");
		}
		tw_end(&w);
	}
	if (x->sigs_other) {
		tw_label(&w, t, x->n_sigs ? "" : "signatures");
		tw_item_u64(&w, "", "other signatures x", x->sigs_other, "");
		tw_end(&w);
	}
}

/* The ICMP table of the source's family, for type names. */
static const struct icmp_types *icmp_table(const struct matchers *m, const struct source_state *s)
{
	if (!m)
		return NULL;
	return s->src.family == ADDR_V6 ? m->icmp6 : m->icmp4;
}

static void detail_icmp_opts(const struct text *t, const struct source_state *s,
			     const struct matchers *m)
{
	const struct source_intel *x = s->intel;
	const struct icmp_types *tab = icmp_table(m, s);
	struct tw w;

	if (x->invalid_icmp) {
		uint64_t listed = 0;
		tw_label(&w, t, "bad ICMP");
		for (uint8_t i = 0; i < x->n_bad_icmp; i++) {
			const struct icmp_count *c = &x->bad_icmp[i];
			/* psad's wording: an invalid code of a known type names it */
			const char *name = tab ? icmp_types_name(tab, c->type) : NULL;
			tw_itemf(&w, i ? ", " : "", "type %u%s%s%s code %u x%" PRIu64,
				 (unsigned)c->type, name && *name ? " (" : "",
				 name && *name ? name : "", name && *name ? ")" : "",
				 (unsigned)c->code, c->count);
			listed += c->count;
		}
		if (listed < x->invalid_icmp)
			tw_item_u64(&w, x->n_bad_icmp ? ", " : "", "other x", x->invalid_icmp - listed,
				    "");
		tw_end(&w);
	}
	if (x->ipopts) {
		const struct intel_ipopts *io = x->ipopts;
		bool any = false;
		tw_label(&w, t, "IP options");
		for (unsigned n = IPOPT_FIRST_REAL; n < IPOPT_NUMBERS; n++) {
			if (!io->count[n])
				continue;
			tw_itemf(&w, any ? ", " : "", "%s x%" PRIu64, ipopt_name(n), io->count[n]);
			any = true;
		}
		if (io->malformed)
			tw_item_u64(&w, any ? ", " : "", "malformed x", io->malformed, "");
		if (io->source_routed)
			tw_item_u64(&w, "; ", "source routed: ", io->source_routed, " packets");
		tw_end(&w);
	}
}

/* Signatures, OS guesses, invalid ICMP, IP options, scanners, reputation. */
static void detail_intel(const struct text *t, const struct source_state *s,
			 const struct matchers *m)
{
	const struct source_intel *x = s->intel;
	struct tw w;

	if (!x)
		return;
	detail_sigs(t, x);
	if (x->n_os) {
		tw_label(&w, t, "OS guess");
		for (uint8_t i = 0; i < x->n_os; i++)
			tw_item(&w, i ? ", " : "", x->os[i]);
		tw_end(&w);
	}
	detail_icmp_opts(t, s, m);
	if (x->scanners) {
		bool any = false;
		tw_label(&w, t, "scanner");
		for (unsigned i = 0; i < _SCANNER_MAX; i++) {
			if (!(x->scanners & (UINT32_C(1) << i)))
				continue;
			tw_item(&w, any ? ", " : "", scanner_name((enum scanner)i));
			any = true;
		}
		tw_end(&w);
	}
	if (x->rep) {
		char net[NET_STR_MAX];
		(void)net_format(&x->rep->net, net);
		tw_label(&w, t, "reputation");
		char list[TEXT_ITEM_MAX / 2];
		escape_bytes(x->rep->list, strlen(x->rep->list), list, sizeof(list));
		tw_itemf(&w, "", "%s listed in %s, DL %u", net, list, (unsigned)x->rep_dl);
		tw_end(&w);
	}
}

static void text_details(const struct text *t, const struct source_state **v, size_t n,
			 const struct report_opts *o)
{
	text_heading(t, "DETAILS");
	for (size_t i = 0; i < n; i++) {
		const struct source_state *s = v[i];
		if (!report_source_listed(s, o))
			continue;
		outbuf_putc(t->o, '\n');
		detail_head(t, s, o);
		detail_what(t, s, o);
		detail_reflected(t, s->reflected);
		detail_scans(t, s);
		detail_source_counts(t, s, o);
		detail_intel(t, s, o->m);
		detail_pairs(t, s);
	}
}

static void text_clamp(struct text *t)
{
	if (t->width < TEXT_WIDTH_MIN)
		t->width = TEXT_WIDTH_MIN;
	if (t->width > TEXT_WIDTH_MAX)
		t->width = TEXT_WIDTH_MAX;
}

/* The sources detailed after the summary: listed, at or above --min-dl
 * (without it, DL 1: a noisy log's DL 0 sources are counted, not
 * detailed), the first --top when it was given. */
static size_t detailed_sources(const struct source_state **v, size_t n,
			       const struct report_opts *o, unsigned min,
			       const struct source_state **ret)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (o->top_given && k == o->top)
			break;
		if (v[i]->dl >= min && report_source_listed(v[i], o))
			ret[k++] = v[i];
	}
	return k;
}

int report_text_sources(FILE *out, const struct source_state **v, size_t n,
			const struct input_stats *in, const struct engine_stats *es,
			const struct report_opts *o)
{
	struct outbuf *ob = malloc(sizeof(*ob));
	struct text t = { .o = ob, .width = o->width ? o->width : TEXT_WIDTH_DEFAULT,
			  .color = o->color };
	unsigned min = o->min_dl_given ? o->min_dl : (o->min_dl > 1 ? o->min_dl : 1);
	const struct source_state **d = NULL;
	struct summary sum;
	size_t nd = 0;
	int r, rw;

	if (!ob)
		return -ENOMEM;
	outbuf_init(ob, out);
	text_clamp(&t);
	r = summary_build(v, n, o, o->top ? o->top : REPORT_TOP_DEFAULT, &sum);
	if (r >= 0)
		text_summary(&t, in, es, o, &sum);
	if (r >= 0 && !o->summary_only && sum.listed) {
		d = malloc(sum.listed * sizeof(*d));
		r = d ? 0 : -ENOMEM;
	}
	if (r >= 0 && d) {
		char a[NUM_GROUPED_MAX], b[NUM_GROUPED_MAX];
		nd = detailed_sources(v, n, o, min, d);
		(void)num_u64_grouped(a, nd);
		(void)num_u64_grouped(b, sum.listed - nd);
		if (nd < sum.listed) {
			struct tw w;
			char note[200];
			(void)snprintf(note, sizeof(note),
				       "%s source%s at DL %u and above %s detailed below; %s more "
				       "%s counted above, not detailed (%s)", a, nd == 1 ? "" : "s",
				       min, nd == 1 ? "is" : "are", b,
				       sum.listed - nd == 1 ? "is" : "are",
				       o->top_given && nd == o->top ? "--top" : "--min-dl 0 for all");
			outbuf_putc(ob, '\n');
			tw_begin(&w, &t, 0, 0);
			tw_words(&w, note);
			tw_end(&w);
		}
		if (nd) {
			outbuf_putc(ob, '\n');
			r = text_table(&t, d, nd, o, nd);
		}
		if (r >= 0 && nd) {
			outbuf_putc(ob, '\n');
			text_details(&t, d, nd, o);
		}
	}
	free(d);
	summary_free(&sum);
	rw = outbuf_flush(ob); /* also what came before a failure */
	free(ob);
	if (r < 0)
		return r;
	if (fflush(out) == EOF)
		return -errno;
	if (rw < 0)
		return rw;
	return ferror(out) ? -EIO : 0;
}

/* The table and the details of the listed sources, into ob (vigil status). */
int report_text_listing(struct outbuf *ob, const struct source_state **v, size_t n,
			const struct report_opts *o)
{
	struct text t = { .o = ob, .width = o->width ? o->width : TEXT_WIDTH_DEFAULT,
			  .color = o->color };
	size_t listed = 0;
	int r;

	text_clamp(&t);
	for (size_t i = 0; i < n; i++)
		listed += report_source_listed(v[i], o);
	r = text_table(&t, v, n, o, listed);
	if (r >= 0 && listed) {
		outbuf_putc(ob, '\n');
		text_details(&t, v, n, o);
	}
	return r;
}

int report_text(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o)
{
	return report_engine(out, e, in, o, report_text_sources);
}
