/* SPDX-License-Identifier: GPL-2.0-or-later */
/* csv.c - `vigil analyze --csv`: one row per source-destination pair.
 *
 * Columns and rules: docs/cli.md, "Exports". RFC 4180: a header row, CRLF
 * line ends, a field holding a comma, a double quote, CR or LF is quoted and
 * its quotes doubled. A text field that starts with = + - @ TAB or CR gets a
 * leading ' so that a spreadsheet shows it instead of evaluating it as a
 * formula (an interface name or a fingerprint's label can be anything).
 * Numbers are written bare. A source without destinations (it only sent
 * replies, or every destination went untracked) still gets one row, with
 * the destination's columns empty, so that every listed source appears.
 *
 * Streams through an outbuf: a port list can hold 32768 spans, and none of
 * it is built in memory first.
 */
#include "report/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "event/protoname.h"
#include "report/exports-internal.h"
#include "report/outbuf.h"
#include "report/report-internal.h"
#include "util/num.h"

#define CSV_LIST_MAX 640 /* flag sets, ICMP types: bounded by PAIR_*_MAX */

static const char csv_header[] =
	"src,src_danger_level,src_packets,src_first_seen,src_last_seen,protocols,"
	"scan_types,signatures,os_guess,spoofed,reflected_packets,local,"
	"dst,danger_level,chain,in,out,packets,first_seen,last_seen,"
	"tcp_packets,tcp_ports,tcp_flags,udp_packets,udp_ports,udplite_packets,"
	"udplite_ports,icmp_packets,icmp_types,ip_protocols\r\n";

struct csv {
	struct outbuf *ob;
	bool first; /* no field on this row yet */
};

static void csv_sep(struct csv *c)
{
	if (!c->first)
		outbuf_putc(c->ob, ',');
	c->first = false;
}

static void csv_end_row(struct csv *c)
{
	outbuf_put(c->ob, "\r\n", 2);
	c->first = true;
}

/* A text field: neutralised, then quoted when it must be. */
static void csv_field(struct csv *c, const char *p, size_t n)
{
	bool formula = n > 0 && memchr("=+-@\t\r", p[0], 6) != NULL;
	bool quote = false;

	csv_sep(c);
	for (size_t i = 0; i < n && !quote; i++)
		quote = p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n';
	if (quote)
		outbuf_putc(c->ob, '"');
	if (formula)
		outbuf_putc(c->ob, '\'');
	if (!quote) {
		outbuf_put(c->ob, p, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			outbuf_putc(c->ob, '"');
		outbuf_putc(c->ob, p[i]);
	}
	outbuf_putc(c->ob, '"');
}

static void csv_str(struct csv *c, const char *s)
{
	csv_field(c, s, strlen(s));
}

static void csv_empty(struct csv *c, unsigned n)
{
	while (n--)
		csv_sep(c);
}

static void csv_u64(struct csv *c, uint64_t v)
{
	char d[NUM_U64_MAX];

	csv_sep(c);
	outbuf_put(c->ob, d, num_u64(d, v));
}

static void csv_time(struct csv *c, const struct vtime *t)
{
	char buf[40];
	int n = report_format_time(t, buf);

	csv_field(c, buf, n > 0 ? (size_t)n : 0);
}

/* A list built in a bounded buffer: pieces past the end are cut (the
 * callers' lists are bounded well below CSV_LIST_MAX). */
struct list {
	char s[CSV_LIST_MAX];
	size_t len;
};

static void list_add(struct list *l, const char *sep, const char *p, size_t n)
{
	size_t sl = l->len ? strlen(sep) : 0;

	if (l->len + sl + n >= sizeof(l->s))
		return;
	memcpy(l->s + l->len, sep, sl);
	memcpy(l->s + l->len + sl, p, n);
	l->len += sl + n;
}

static void list_str(struct list *l, const char *sep, const char *s)
{
	list_add(l, sep, s, strlen(s));
}

/* "NAME=COUNT" */
static void list_count(struct list *l, const char *name, uint64_t count)
{
	char item[64], d[NUM_U64_MAX];
	size_t n = strlen(name), m = num_u64(d, count);

	if (n + 1 + m >= sizeof(item))
		return;
	memcpy(item, name, n);
	item[n] = '=';
	memcpy(item + n + 1, d, m);
	list_add(l, ";", item, n + 1 + m);
}

/* Protocol names, IANA keywords as the JSON writes them (numbers where
 * there is none), ascending, from a bitmap. */
static void csv_protos(struct csv *c, const uint8_t bits[32])
{
	struct list l = { .len = 0 };
	char num[PROTO_NAME_MAX];

	for (unsigned p = 0; p < 256; p++) {
		if (!(bits[p >> 3] & (1u << (p & 7))))
			continue;
		list_str(&l, " ", proto_name_or_num((uint8_t)p, num));
	}
	csv_field(c, l.s, l.len);
}

static void proto_bit(uint8_t bits[32], uint8_t p)
{
	bits[p >> 3] |= (uint8_t)(1u << (p & 7));
}

/* Every protocol the source used: its counted ones and its pairs'. */
static void csv_source_protos(struct csv *c, const struct source_state *s)
{
	uint8_t bits[32] = { 0 };

	for (unsigned i = 0; i < s->n_protos; i++)
		proto_bit(bits, source_proto(s, i)->proto);
	for (uint32_t i = 0; i < s->n_pairs; i++)
		for (unsigned b = 0; s->pairs[i] && b < sizeof(bits); b++)
			bits[b] |= s->pairs[i]->protos[b];
	if (s->reflected && s->reflected->packets)
		proto_bit(bits, 6); /* replies are TCP */
	csv_protos(c, bits);
}

static void csv_scan_types(struct csv *c, uint32_t types)
{
	struct list l = { .len = 0 };

	for (int t = 0; t < _SCAN_MAX; t++)
		if (types & (UINT32_C(1) << t))
			list_str(&l, " ", scan_type_name((enum scan_type)t));
	csv_field(c, l.s, l.len);
}

/* Signature ids, space-separated; OS guesses, "; "-separated. */
static void csv_intel(struct csv *c, const struct source_intel *x)
{
	char d[NUM_U64_MAX];

	csv_sep(c);
	for (uint16_t i = 0; x && i < x->n_sigs; i++) {
		if (i)
			outbuf_putc(c->ob, ' ');
		outbuf_put(c->ob, d, num_u64(d, x->sigs[i].id));
	}
	if (!x || !x->n_os) {
		csv_sep(c);
		return;
	}
	/* fingerprint labels are text: one field through csv_field */
	size_t total = 0;
	for (uint8_t i = 0; i < x->n_os; i++)
		total += strlen(x->os[i]) + 2;
	char *buf = malloc(total + 1);
	if (!buf) {
		csv_str(c, "");
		return;
	}
	size_t len = 0;
	for (uint8_t i = 0; i < x->n_os; i++) {
		size_t n = strlen(x->os[i]);
		if (i) {
			memcpy(buf + len, "; ", 2);
			len += 2;
		}
		memcpy(buf + len, x->os[i], n);
		len += n;
	}
	csv_field(c, buf, len);
	free(buf);
}

/* "22,80,1000-2000": quoted when it has more than one span. */
static void csv_ports(struct csv *c, const struct portset *ps)
{
	char buf[REPORT_SPAN_MAX];
	struct portset_iter it;
	struct port_span sp;
	bool quote = ps->count > 0 && ps->count != (uint32_t)(ps->max - ps->min) + 1;
	bool first = true;

	csv_sep(c);
	if (quote)
		outbuf_putc(c->ob, '"');
	portset_iter_init(&it, ps);
	while (portset_iter_next(&it, &sp)) {
		if (!first)
			outbuf_putc(c->ob, ',');
		outbuf_put(c->ob, buf, (size_t)report_span_format(sp, buf));
		first = false;
	}
	if (quote)
		outbuf_putc(c->ob, '"');
}

static void csv_flags(struct csv *c, const struct pair_state *p)
{
	struct list l = { .len = 0 };
	char buf[40];

	for (unsigned i = 0; i < p->n_flags && i < PAIR_FLAGSETS_MAX; i++) {
		(void)event_flags_format(p->flags[i].flags, buf);
		list_count(&l, buf, p->flags[i].count);
	}
	if (p->flags_other)
		list_count(&l, "OTHER", p->flags_other);
	csv_field(c, l.s, l.len);
}

static void csv_icmp_types(struct csv *c, const struct pair_state *p)
{
	struct list l = { .len = 0 };
	char buf[2 * NUM_U64_MAX];

	for (unsigned i = 0; i < p->n_icmp && i < PAIR_ICMP_MAX; i++) {
		size_t n = num_u64(buf, p->icmp[i].type);
		buf[n++] = '/';
		(void)num_u64(buf + n, p->icmp[i].code);
		list_count(&l, buf, p->icmp[i].count);
	}
	if (p->icmp_other)
		list_count(&l, "OTHER", p->icmp_other);
	csv_field(c, l.s, l.len);
}

/* The source's columns, the same on each of its rows. */
static void csv_source(struct csv *c, const struct source_state *s, const struct report_opts *o)
{
	char name[NET_STR_MAX];
	const char *spoof = spoof_reason_name((enum spoof_reason)s->spoofed);

	csv_field(c, name, (size_t)report_source_name(s, o, name));
	csv_u64(c, s->dl);
	csv_u64(c, s->packets);
	csv_time(c, &s->first);
	csv_time(c, &s->last);
	csv_source_protos(c, s);
	csv_scan_types(c, s->scan_types);
	csv_intel(c, s->intel);
	csv_str(c, spoof ? spoof : "");
	csv_u64(c, s->reflected ? s->reflected->packets : 0);
	csv_str(c, report_source_local(s, o) ? "true" : "false");
}

#define CSV_PAIR_COLUMNS 18

static void csv_pair(struct csv *c, const struct pair_state *p)
{
	char buf[ADDR_STR_MAX];

	csv_field(c, buf, (size_t)addr_format(&p->dst, buf));
	csv_u64(c, p->dl);
	csv_str(c, event_chain_name(p->chain));
	csv_field(c, p->in, strnlen(p->in, sizeof(p->in)));
	csv_field(c, p->out, strnlen(p->out, sizeof(p->out)));
	csv_u64(c, p->packets);
	csv_time(c, &p->first);
	csv_time(c, &p->last);
	csv_u64(c, p->tcp.packets);
	csv_ports(c, &p->tcp.ports);
	csv_flags(c, p);
	csv_u64(c, p->udp.packets);
	csv_ports(c, &p->udp.ports);
	csv_u64(c, p->udplite.packets);
	csv_ports(c, &p->udplite.ports);
	csv_u64(c, p->icmp_packets);
	csv_icmp_types(c, p);
	csv_protos(c, p->protos);
}

int report_csv_sources(FILE *out, const struct source_state **v, size_t n,
		       const struct input_stats *in, const struct engine_stats *es,
		       const struct report_opts *o)
{
	struct outbuf *ob = malloc(sizeof(*ob));
	struct csv c = { .ob = ob, .first = true };
	int r;

	(void)in, (void)es;
	if (!ob)
		return -ENOMEM;
	outbuf_init(ob, out);
	outbuf_puts(ob, csv_header);
	for (size_t i = 0; i < n; i++) {
		const struct source_state *s = v[i];
		bool any = false;
		if (!report_source_listed(s, o))
			continue;
		for (uint32_t k = 0; k < s->n_pairs; k++) {
			if (!s->pairs[k])
				continue;
			csv_source(&c, s, o);
			csv_pair(&c, s->pairs[k]);
			csv_end_row(&c);
			any = true;
		}
		if (!any) {
			csv_source(&c, s, o);
			csv_empty(&c, CSV_PAIR_COLUMNS);
			csv_end_row(&c);
		}
	}
	r = outbuf_flush(ob);
	free(ob);
	if (r < 0)
		return r;
	if (fflush(out) == EOF)
		return -errno;
	return ferror(out) ? -EIO : 0;
}

int report_csv(FILE *out, const struct engine *e, const struct input_stats *in,
	       const struct report_opts *o)
{
	return report_engine(out, e, in, o, report_csv_sources);
}
