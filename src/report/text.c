/* SPDX-License-Identifier: GPL-2.0-or-later */
/* text.c - the report of `vigil analyze` for a person at a terminal.
 *
 * Three parts: a summary of the input (with every counter of lost data
 * that is not zero), a table of the listed sources by danger level, and a
 * detail block per source and destination. psad's -S/-A layout (psad-
 * behaviour.md §8.2) inspired it; nothing parses it, cli.md's JSON is the
 * machine interface.
 *
 * Width: no line is longer than the width (80 unless the terminal says
 * otherwise, clamped to TEXT_WIDTH_MIN..TEXT_WIDTH_MAX). Lists that can be
 * long (ports, protocols, flag sets) wrap at their separators; the table's
 * PORTS cell is cut with "..." and its SOURCE column grows to the longest
 * address, moving SCAN TYPES (then PORTS) to a continuation line when a row
 * would not fit. All text comes from numbers, fixed names and the engine's
 * already-escaped interface names: nothing raw from a log line.
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
#include "report/report-internal.h"
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
	bool fresh;      /* nothing but indentation on this line yet */
};

static void tw_begin(struct tw *w, const struct text *t, unsigned lead, unsigned indent)
{
	w->t = t;
	w->indent = indent;
	w->col = lead;
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

/* The item "<pre><v><post>" (printf's "%s%" PRIu64 "%s"). */
static void tw_item_u64(struct tw *w, const char *sep, const char *pre, uint64_t v,
			const char *post)
{
	struct item it;

	item_init(&it, pre);
	item_u64(&it, v);
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

/* A comma-separated port list, wrapping at the commas. */
static void tw_ports(struct tw *w, const struct portset *ps)
{
	struct portset_iter iter;
	struct port_span sp;
	char buf[REPORT_SPAN_MAX];
	struct item it;
	bool first = true;

	portset_iter_init(&iter, ps);
	while (portset_iter_next(&iter, &sp)) {
		size_t len = (size_t)report_span_format(sp, buf);
		if (first)
			tw_item(w, "  ", "ports");
		tw_item_n(w, first ? " " : ",", buf, len, NULL);
		first = false;
	}
	if (!first) {
		item_init(&it, "(");
		item_u64(&it, ps->count);
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

	tw_label(&w, t, "ignored");
	tw_itemf(&w, "", "%" PRIu64, in->ignored);
	for (size_t i = 0; i < n; i++) {
		if (!r[i].n)
			continue;
		shown++;
		tw_itemf(&w, shown == 1 ? " " : ", ", "%s%s %" PRIu64 "%s", shown == 1 ? "(" : "",
			 r[i].name, r[i].n, shown == total ? ")" : "");
	}
	tw_end(&w);
}

static void text_count(const struct text *t, const char *label, uint64_t n)
{
	outbuf_printf(t->o, "  %-*s%" PRIu64 "\n", LABEL_COL - 2, label, n);
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
			tw_itemf(&w, "", "%" PRIu64 " sources evicted", es->sources_evicted);
			tw_itemf(&w, " ", "(%" PRIu64 " packets)", es->packets_evicted);
		}
		if (es->dsts_untracked)
			tw_itemf(&w, ", ", "%" PRIu64 " destinations not itemised",
				 es->dsts_untracked);
		if (es->oom)
			tw_itemf(&w, ", ", "%" PRIu64 " events not itemised (out of memory)", es->oom);
		tw_end(&w);
	}
	text_evicted(t, es);
	if (es->pairs_expired) {
		tw_label(&w, t, "expired");
		tw_itemf(&w, "", "%" PRIu64 " scan windows reset after SCAN_TIMEOUT",
			 es->pairs_expired);
		tw_end(&w);
	}
}

/* Traffic no source is blamed for: replies to spoofed SYNs, spoofed sources. */
static void text_blame(const struct text *t, const struct engine_stats *es)
{
	struct tw w;
	bool any = false;

	if (es->reflected_sources) {
		tw_label(&w, t, "reflected");
		tw_itemf(&w, "", "%" PRIu64 " sources answered spoofed SYNs (%" PRIu64
			 " SYN-ACK/RST packets): not scanners, DL 1 at most",
			 es->reflected_sources, es->reflected_packets);
		tw_end(&w);
	}
	if (!es->spoofed_sources)
		return;
	tw_label(&w, t, "spoofed");
	tw_itemf(&w, "", "%" PRIu64 " impossible sources (%" PRIu64 " packets), DL 0, never blocked",
		 es->spoofed_sources, es->spoofed_packets);
	for (int r = SPOOF_NONE + 1; r < _SPOOF_MAX; r++) {
		if (!es->spoofed_by[r])
			continue;
		tw_itemf(&w, any ? ", " : ": ", "%s %" PRIu64,
			 spoof_reason_name((enum spoof_reason)r), es->spoofed_by[r]);
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
		tw_itemf(&w, "", "%" PRIu64 " input(s) not read to the end (stderr says where)",
			 in->read_errors);
	if (in->lost)
		tw_itemf(&w, in->read_errors ? ", " : "", "%" PRIu64 " kmsg overrun(s)", in->lost);
	tw_end(&w);
}

static void text_span(const struct text *t, const struct input_stats *in)
{
	char a[40], b[40];
	struct tw w;

	(void)report_format_time(&in->first, a);
	(void)report_format_time(&in->last, b);
	tw_label(&w, t, "time span");
	if (!a[0] && !b[0]) {
		tw_item(&w, "", "unknown");
	} else {
		tw_itemf(&w, "", "%s ..", a[0] ? a : "?");
		tw_item(&w, " ", b[0] ? b : "?");
	}
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

static void text_summary(const struct text *t, const struct input_stats *in,
			 const struct engine_stats *es, const struct report_opts *o, size_t n,
			 size_t listed)
{
	char net[NET_STR_MAX];
	struct tw w;

	text_heading(t, "vigil " VIGIL_VERSION " port scan report");
	outbuf_putc(t->o, '\n');
	text_heading(t, "SUMMARY");
	tw_label(&w, t, "files");
	tw_itemf(&w, "", "%" PRIu64 " (%" PRIu64 " bytes)", in->files, in->bytes);
	tw_end(&w);
	text_input_lost(t, in);
	text_count(t, "lines", in->lines);
	text_count(t, "events", in->events);
	text_ignored(t, in, es);
	text_count(t, "malformed", in->malformed);
	tw_label(&w, t, "sources");
	tw_itemf(&w, "", "%zu tracked, %zu listed", n, listed);
	if (o->min_dl)
		tw_itemf(&w, " ", "(DL >= %u%s", o->min_dl, o->n_ips ? "," : ")");
	for (size_t i = 0; i < o->n_ips; i++) {
		(void)net_format(&o->ips[i], net);
		tw_itemf(&w, " ", "%sip %s%s", !o->min_dl && i == 0 ? "(" : "", net,
			 i + 1 == o->n_ips ? ")" : ",");
	}
	tw_end(&w);
	text_span(t, in);
	text_lost(t, es);
	text_blame(t, es);
	text_data_sets(t, o->m);
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
	uint32_t max_pairs;
};

static unsigned max_u(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

static unsigned digits(uint64_t v)
{
	unsigned n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static uint64_t source_dsts(const struct source_state *s)
{
	return (uint64_t)s->n_pairs + s->untracked_dsts;
}

static void table_layout(struct cols *c, const struct source_state **v, size_t n,
			 const struct report_opts *o, unsigned width)
{
	char addr[ADDR_STR_MAX], scans[TEXT_SCANS_MAX];
	unsigned fixed;

	*c = (struct cols){ .src = 6, .pkts = 4, .dsts = 4, .scans = 10 };
	for (size_t i = 0; i < n; i++) {
		const struct source_state *s = v[i];
		if (!report_source_listed(s, o))
			continue;
		scans_join(s->scan_types, scans);
		c->src = max_u(c->src, (unsigned)addr_format(&s->src, addr));
		c->pkts = max_u(c->pkts, digits(s->packets));
		c->dsts = max_u(c->dsts, digits(source_dsts(s)));
		c->scans = max_u(c->scans, (unsigned)strlen(scans));
		c->max_pairs = max_u(c->max_pairs, s->n_pairs);
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
		      struct merge_in *m)
{
	const char *color = t->color ? dl_color(s->dl) : NULL;
	char addr[ADDR_STR_MAX], scans[TEXT_SCANS_MAX];
	struct cell cell;
	struct tw w;

	(void)addr_format(&s->src, addr);
	scans_join(s->scan_types, scans);
	ports_cell(&cell, s, m, c->ports);
	outbuf_printf(t->o, "%s%2u%s  %-*s  %*" PRIu64 "  %*" PRIu64, color ? color : "",
		      (unsigned)s->dl, color ? ANSI_RESET : "", (int)c->src, addr, (int)c->pkts,
		      s->packets, (int)c->dsts, source_dsts(s));
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
			table_row(t, &c, v[i], m);
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

static void detail_protos(const struct text *t, const struct pair_state *p)
{
	bool first = true;
	struct tw w;

	for (unsigned proto = 0; proto < 256; proto++) {
		if (!(p->protos[proto >> 3] & (1u << (proto & 7))))
			continue;
		if (first) {
			tw_begin(&w, t, 4, 10);
			tw_item(&w, "", "IP protocols");
		}
		tw_item_u64(&w, first ? " " : ",", "", proto, "");
		first = false;
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

static void detail_pair(const struct text *t, const struct pair_state *p)
{
	char addr[ADDR_STR_MAX];
	const char *chain = event_chain_name(p->chain);
	struct tw w;

	(void)addr_format(&p->dst, addr);
	tw_begin(&w, t, 2, 6);
	tw_item_cat(&w, "", "DST ", addr);
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

static void detail_head(const struct text *t, const struct source_state *s)
{
	char addr[ADDR_STR_MAX], when[40];
	struct tw w;

	(void)addr_format(&s->src, addr);
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

/* "reflected  12 replies (SYN ACK 10, RST 2) from port 80  ports 1024-1035 (12)" */
static void detail_reflected(const struct text *t, const struct source_reflect *r)
{
	struct tw w;

	if (!r)
		return;
	tw_label(&w, t, "reflected");
	tw_itemf(&w, "", "%" PRIu64 " replies (SYN ACK %" PRIu64 ", RST %" PRIu64
		 ", RST ACK %" PRIu64 ")", r->packets, r->syn_ack, r->rst, r->rst_ack);
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
		item_u64(&it, c->count);
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
		tw_itemf(&w, "", "%" PRIu32 " destinations, %" PRIu64 " packets (not itemised)",
			 s->untracked_dsts, s->untracked_packets);
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
		tw_itemf(&w, "", "sid %" PRIu32 " DL %u x%" PRIu64, sig->id, (unsigned)sig->dl,
			 x->sigs[i].count);
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
		detail_head(t, s);
		detail_reflected(t, s->reflected);
		detail_scans(t, s);
		detail_source_counts(t, s, o);
		detail_intel(t, s, o->m);
		for (uint32_t j = 0; j < s->n_pairs; j++)
			if (s->pairs[j])
				detail_pair(t, s->pairs[j]);
	}
}

int report_text_sources(FILE *out, const struct source_state **v, size_t n,
			const struct input_stats *in, const struct engine_stats *es,
			const struct report_opts *o)
{
	struct outbuf ob;
	struct text t = { .o = &ob, .width = o->width ? o->width : TEXT_WIDTH_DEFAULT,
			  .color = o->color };
	size_t listed = 0;
	int r, rw;

	outbuf_init(&ob, out);
	if (t.width < TEXT_WIDTH_MIN)
		t.width = TEXT_WIDTH_MIN;
	if (t.width > TEXT_WIDTH_MAX)
		t.width = TEXT_WIDTH_MAX;
	for (size_t i = 0; i < n; i++)
		listed += report_source_listed(v[i], o);

	text_summary(&t, in, es, o, n, listed);
	outbuf_putc(&ob, '\n');
	r = text_table(&t, v, n, o, listed);
	if (r >= 0 && listed) {
		outbuf_putc(&ob, '\n');
		text_details(&t, v, n, o);
	}
	rw = outbuf_flush(&ob); /* also what came before a failed text_table() */
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

	if (t.width < TEXT_WIDTH_MIN)
		t.width = TEXT_WIDTH_MIN;
	if (t.width > TEXT_WIDTH_MAX)
		t.width = TEXT_WIDTH_MAX;
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
