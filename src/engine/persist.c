/* SPDX-License-Identifier: GPL-2.0-or-later */
/* persist.c - engine_save() / engine_restore(): the engine's per-source
 * state as a binary blob, so that a restarted daemon keeps its judgement.
 *
 * Layout (header integers little-endian; inside records every integer
 * wider than a byte is a LEB128 varint, signed ones zigzag-encoded: most
 * counters are small, and a one-packet source takes ~100 bytes):
 *   magic "VIGILENG" | u32 version | records... | u32 CRC32 of all before it
 *   record: u8 tag | u32 length | length bytes
 *     TAG_ENGINE  (once, first): engine time, engine-wide heuristics
 *     TAG_SOURCE  (one per source): struct source_state and its pairs,
 *                 findings and reflection record, with the node's own keys
 *     TAG_END     (once, last): u64 number of sources
 * Names (signature msgs, OS guesses, list names) are written as strings
 * and interned again on restore: the blob holds no pointer and no index
 * into a data set. A reader takes a blob of its own version or older,
 * never a newer one. Version 1 kept at most 8 protocols per source and
 * counted the rest in one "other" number: read from a version 1 blob, the
 * packets of that bucket are in the source's packets but in no protocol.
 *
 * The reader trusts nothing: the CRC first, then every length against
 * what is left, every count against the engine's own bounds, every enum
 * against its range, every string for UTF-8 without control characters.
 * Sources are built one by one through the engine's own table, so
 * MAX_SOURCES, MAX_SCAN_IP_PAIRS and MEMORY_LIMIT hold as for fed events
 * (the excess is evicted and counted); on any error every source loaded so
 * far is dropped again and the statistics are put back: nothing half
 * loaded.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "config/config.h"
#include "engine/blame.h"
#include "engine/engine-internal.h"
#include "engine/intel.h"
#include "engine/mem.h"
#include "engine/strpool.h"
#include "util/span.h"

#define PERSIST_MAGIC "VIGILENG"
/* 2: every protocol of a source (u16 count, no "other" bucket) */
#define PERSIST_VERSION 2u
#define TAG_ENGINE 1
#define TAG_SOURCE 2
#define TAG_END 0xFF
#define STR_MAX STRPOOL_STR_MAX
#define VTIME_SEC_MAX INT64_C(253402300799) /* 9999-12-31 */

/* ---- writing ---------------------------------------------------------------- */

struct wbuf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

static void w_bytes(struct wbuf *w, const void *p, size_t n)
{
	if (w->oom)
		return;
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		uint8_t *q;
		while (cap < w->len + n)
			cap *= 2;
		if (!(q = realloc(w->p, cap))) {
			w->oom = true;
			return;
		}
		w->p = q;
		w->cap = cap;
	}
	memcpy(w->p + w->len, p, n);
	w->len += n;
}

static void w_u8(struct wbuf *w, uint8_t v)
{
	w_bytes(w, &v, 1);
}

static void w_u64(struct wbuf *w, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;

	while (v >= 0x80) {
		b[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (uint8_t)v;
	w_bytes(w, b, n);
}

static void w_u16(struct wbuf *w, uint16_t v)
{
	w_u64(w, v);
}

static void w_u32(struct wbuf *w, uint32_t v)
{
	w_u64(w, v);
}

static void w_i64(struct wbuf *w, int64_t v)
{
	w_u64(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63)); /* zigzag */
}

static void w_str(struct wbuf *w, const char *s)
{
	size_t n = s ? strnlen(s, STR_MAX) : 0;

	w_u16(w, (uint16_t)n);
	w_bytes(w, s, n);
}

static void w_addr(struct wbuf *w, const struct addr *a)
{
	w_u8(w, a->family);
	w_bytes(w, a->b, sizeof(a->b));
}

static void w_vtime(struct wbuf *w, const struct vtime *t)
{
	w_i64(w, t->sec);
	w_u32(w, t->usec);
	w_u8(w, t->kind);
	w_u8(w, t->has_tz);
	w_u16(w, (uint16_t)t->tz_min);
}

static void w_portset(struct wbuf *w, const struct portset *ps)
{
	struct portset_iter it;
	struct port_span sp;
	uint32_t n = 0;

	w_u32(w, ps->count);
	portset_iter_init(&it, ps);
	while (portset_iter_next(&it, &sp))
		n++;
	w_u32(w, n);
	portset_iter_init(&it, ps);
	while (portset_iter_next(&it, &sp)) {
		w_u16(w, sp.lo);
		w_u16(w, sp.hi);
	}
}

static void w_pair(struct wbuf *w, const struct pair_state *p)
{
	const struct ports_stats *ps[] = {&p->tcp, &p->udp, &p->udplite};

	w_addr(w, &p->dst);
	w_u8(w, p->dl);
	w_u8(w, (uint8_t)p->chain);
	w_str(w, p->in);
	w_str(w, p->out);
	for (int i = 0; i < _CHAIN_MAX; i++)
		w_u64(w, p->chain_packets[i]);
	w_u64(w, p->packets);
	w_vtime(w, &p->first);
	w_vtime(w, &p->last);
	for (int i = 0; i < 3; i++) {
		w_u64(w, ps[i]->packets);
		w_portset(w, &ps[i]->ports);
	}
	w_u8(w, p->n_flags);
	for (uint8_t i = 0; i < p->n_flags; i++) {
		w_u8(w, p->flags[i].flags);
		w_u64(w, p->flags[i].count);
	}
	w_u64(w, p->flags_other);
	w_u64(w, p->icmp_packets);
	w_u8(w, p->n_icmp);
	for (uint8_t i = 0; i < p->n_icmp; i++) {
		w_u8(w, p->icmp[i].type);
		w_u8(w, p->icmp[i].code);
		w_u64(w, p->icmp[i].count);
	}
	w_u64(w, p->icmp_other);
	w_u64(w, p->other_packets);
	w_bytes(w, p->protos, sizeof(p->protos));
	w_u32(w, p->scan_types);
	w_i64(w, p->win_last_us);
	w_u64(w, p->win_packets);
	w_u32(w, (uint32_t)p->win_port_lo);
	w_u32(w, (uint32_t)p->win_port_hi);
	w_u64(w, p->syn_packets);
	w_u64(w, p->connect_packets);
	w_u32(w, p->probe_types);
	w_u16(w, p->syn23);
	w_u8(w, p->posf.pkts);
	if (!p->posf.pkts) /* the rest is zero */
		return;
	w_u8(w, p->posf.n_win);
	w_u8(w, p->posf.n_len);
	w_u8(w, p->posf.v6);
	w_u8(w, p->posf.id_not_smallincr);
	w_u8(w, p->posf.ttl_min);
	w_u8(w, p->posf.ttl_max);
	w_u16(w, p->posf.last_id);
	for (int i = 0; i < POSF_OBS_VALUES; i++)
		w_u16(w, p->posf.win[i]);
	for (int i = 0; i < POSF_OBS_VALUES; i++)
		w_u16(w, p->posf.len[i]);
}

static void w_intel(struct wbuf *w, const struct source_intel *x)
{
	w_u8(w, x != NULL);
	if (!x)
		return;
	w_u16(w, x->n_sigs);
	for (uint16_t i = 0; i < x->n_sigs; i++) {
		const struct sig_count *c = &x->sigs[i];
		w_u32(w, c->id);
		w_u32(w, c->psad_id);
		w_u8(w, c->dl);
		w_u64(w, c->count);
		w_u16(w, c->last_dport);
		w_str(w, c->msg);
	}
	w_u8(w, x->n_os);
	for (uint8_t i = 0; i < x->n_os; i++)
		w_str(w, x->os[i]);
	w_u8(w, x->os_other);
	w_u8(w, x->n_bad_icmp);
	for (uint8_t i = 0; i < x->n_bad_icmp; i++) {
		w_u8(w, x->bad_icmp[i].type);
		w_u8(w, x->bad_icmp[i].code);
		w_u64(w, x->bad_icmp[i].count);
	}
	w_u8(w, x->ipopts != NULL);
	if (x->ipopts) {
		for (int i = 0; i < IPOPT_NUMBERS; i++)
			w_u64(w, x->ipopts->count[i]);
		w_u64(w, x->ipopts->packets);
		w_u64(w, x->ipopts->malformed);
		w_u64(w, x->ipopts->source_routed);
	}
	w_u8(w, x->rep != NULL);
	if (x->rep) {
		w_addr(w, &x->rep->net.a);
		w_u8(w, x->rep->net.len);
		w_str(w, x->rep->list);
	}
	w_u64(w, x->sigs_other);
	w_u64(w, x->invalid_icmp);
	w_u8(w, x->sig_dl);
	w_u8(w, x->sig_dl_max);
	w_u8(w, x->icmp_dl);
	w_u8(w, x->rep_dl);
	w_u8(w, x->scanners);
	w_u32(w, x->sig_hi_packets);
}

static void w_reflect(struct wbuf *w, const struct source_reflect *r)
{
	w_u8(w, r != NULL);
	if (!r)
		return;
	w_u64(w, r->packets);
	w_u64(w, r->syn_ack);
	w_u64(w, r->rst);
	w_u64(w, r->rst_ack);
	w_u16(w, r->sport);
	w_u8(w, r->sports_varied);
	w_portset(w, &r->dports);
}

static void w_source(struct wbuf *w, const struct src_node *n)
{
	const struct source_state *s = &n->s;
	const struct src_more *x = n->more;

	w_u32(w, s->origin);
	w_addr(w, &s->src);
	w_u8(w, s->dl);
	w_u8(w, s->spoofed);
	w_u8(w, s->sweep_dl);
	w_u8(w, s->scan_dl);
	w_u8(w, s->autodl_dl);
	w_u64(w, s->packets);
	w_vtime(w, &s->first);
	w_vtime(w, &s->last);
	w_u16(w, s->n_protos);
	for (unsigned i = 0; i < s->n_protos; i++) {
		w_u8(w, source_proto(s, i)->proto);
		w_u64(w, source_proto(s, i)->count);
	}
	w_u32(w, s->scan_types);
	w_u32(w, s->untracked_dsts);
	w_u64(w, s->untracked_packets);
	w_i64(w, s->first_us);
	w_i64(w, s->last_us);
	w_u32(w, s->mails_sent);
	w_i64(w, s->last_mail_us);
	w_i64(w, n->seen_us);
	w_u32(w, n->ports);
	/* the untracked-destination sketch */
	w_u8(w, x && x->dst_bits);
	if (x && x->dst_bits) {
		w_u32(w, x->dst_bits_m);
		w_u32(w, x->dst_bits_set);
		w_u64(w, x->dst_est_q16);
		for (uint32_t i = 0; i < x->dst_bits_m / 64; i++) {
			uint8_t b[8]; /* random bits: raw, not varints */
			for (int k = 0; k < 8; k++)
				b[k] = (uint8_t)(x->dst_bits[i] >> (8 * k));
			w_bytes(w, b, 8);
		}
	}
	w_u32(w, s->n_pairs);
	for (uint32_t i = 0; i < s->n_pairs; i++)
		w_pair(w, s->pairs[i]);
	w_intel(w, s->intel);
	w_reflect(w, s->reflected);
}

/* Write rec as a record of tag to f, updating the CRC. */
static int put_record(FILE *f, uLong *crc, uint8_t tag, const struct wbuf *rec)
{
	uint8_t h[5] = {tag, (uint8_t)rec->len, (uint8_t)(rec->len >> 8), (uint8_t)(rec->len >> 16),
			(uint8_t)(rec->len >> 24)};

	if (rec->oom)
		return -ENOMEM;
	if (rec->len > UINT32_MAX)
		return -EFBIG;
	*crc = crc32(*crc, h, sizeof(h));
	if (rec->len)
		*crc = crc32(*crc, rec->p, (uInt)rec->len);
	if (fwrite(h, 1, sizeof(h), f) != sizeof(h) ||
	    (rec->len && fwrite(rec->p, 1, rec->len, f) != rec->len))
		return -EIO;
	return 0;
}

int engine_save(const struct engine *e, FILE *f)
{
	struct wbuf w = {0};
	uLong crc = crc32(0L, Z_NULL, 0);
	uint8_t head[12];
	uint64_t n = table_count(e->sources);
	int r;

	memcpy(head, PERSIST_MAGIC, 8);
	for (int i = 0; i < 4; i++)
		head[8 + i] = (uint8_t)(PERSIST_VERSION >> (8 * i));
	crc = crc32(crc, head, sizeof(head));
	if (fwrite(head, 1, sizeof(head), f) != sizeof(head))
		return -EIO;
	w_i64(&w, e->now);
	w_u8(&w, e->intel.tcp_opts_seen);
	if ((r = put_record(f, &crc, TAG_ENGINE, &w)) < 0)
		goto out;
	for (uint32_t i = 0; i < n; i++) {
		w.len = 0;
		w_source(&w, table_live(e->sources, i));
		if ((r = put_record(f, &crc, TAG_SOURCE, &w)) < 0)
			goto out;
	}
	w.len = 0;
	w_u64(&w, n);
	if ((r = put_record(f, &crc, TAG_END, &w)) < 0)
		goto out;
	for (int i = 0; i < 4; i++)
		head[i] = (uint8_t)(crc >> (8 * i));
	r = fwrite(head, 1, 4, f) == 4 ? 0 : -EIO;
out:
	free(w.p);
	return r;
}

/* ---- reading ---------------------------------------------------------------- */

struct rbuf {
	const uint8_t *p;
	size_t left;
	const char *why; /* the first problem; NULL while all is well */
	uint32_t version; /* the blob's */
};

static bool r_fail(struct rbuf *r, const char *why)
{
	if (!r->why)
		r->why = why;
	r->left = 0;
	return false;
}

static const uint8_t *r_take(struct rbuf *r, size_t n)
{
	const uint8_t *p = r->p;

	if (r->why || n > r->left) {
		r_fail(r, "truncated record");
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

static uint8_t r_u8(struct rbuf *r)
{
	const uint8_t *p = r_take(r, 1);

	return p ? *p : 0;
}

/* A varint of at most max: longer encodings, overlong ones (a trailing
 * zero byte) and larger values make the record bad. */
static uint64_t r_var(struct rbuf *r, uint64_t max)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 70; shift += 7) {
		const uint8_t *p = r_take(r, 1);
		if (!p)
			return 0;
		if (shift == 63 && *p > 1)
			break;
		v |= (uint64_t)(*p & 0x7f) << shift;
		if (!(*p & 0x80)) {
			if ((shift && !*p) || v > max)
				break;
			return v;
		}
	}
	r_fail(r, "bad number");
	return 0;
}

/* The fixed-width fields: the header's, the sketch's words. */
static uint64_t r_le(struct rbuf *r, size_t n)
{
	const uint8_t *p = r_take(r, n);
	uint64_t v = 0;

	for (size_t i = 0; p && i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint32_t r_le32(struct rbuf *r)
{
	return (uint32_t)r_le(r, 4);
}

static uint16_t r_u16(struct rbuf *r)
{
	return (uint16_t)r_var(r, UINT16_MAX);
}

static uint32_t r_u32(struct rbuf *r)
{
	return (uint32_t)r_var(r, UINT32_MAX);
}

static uint64_t r_u64(struct rbuf *r)
{
	return r_var(r, UINT64_MAX);
}

static int64_t r_i64(struct rbuf *r)
{
	uint64_t z = r_var(r, UINT64_MAX);

	return (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
}

static bool r_bool(struct rbuf *r)
{
	uint8_t v = r_u8(r);

	if (v > 1)
		r_fail(r, "bad boolean");
	return v == 1;
}

/* A byte at most max, else the record is bad. */
static uint8_t r_max8(struct rbuf *r, uint8_t max, const char *why)
{
	uint8_t v = r_u8(r);

	if (v > max) {
		r_fail(r, why);
		return 0; /* never a count past its array */
	}
	return v;
}

static void r_copy(struct rbuf *r, void *dst, size_t n)
{
	const uint8_t *p = r_take(r, n);

	if (p)
		memcpy(dst, p, n);
	else
		memset(dst, 0, n);
}

/* A string as reports print it unescaped: UTF-8 without control
 * characters, interned. "" when the pool is full (counted). */
static const char *r_str(struct rbuf *r, struct engine *e)
{
	uint16_t n = r_u16(r);
	const uint8_t *p;
	const char *c;

	if (n > STR_MAX) {
		r_fail(r, "string too long");
		return "";
	}
	if (!(p = r_take(r, n)))
		return "";
	for (uint16_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f) {
			r_fail(r, "control character in a string");
			return "";
		}
	if (span_utf8_invalid_at(span_make((const char *)p, n)) != n) {
		r_fail(r, "string is not UTF-8");
		return "";
	}
	if (!(c = strpool_intern(e->pool, (const char *)p, n))) {
		e->stats.strings_dropped++;
		return "";
	}
	return c;
}

static void r_addr(struct rbuf *r, struct addr *a)
{
	a->family = r_u8(r);
	r_copy(r, a->b, sizeof(a->b));
	if (a->family != ADDR_V4 && a->family != ADDR_V6)
		r_fail(r, "bad address family");
	for (size_t i = 4; a->family == ADDR_V4 && i < sizeof(a->b); i++)
		if (a->b[i])
			r_fail(r, "bad IPv4 address");
}

static void r_vtime(struct rbuf *r, struct vtime *t)
{
	t->sec = r_i64(r);
	t->usec = r_u32(r);
	t->kind = r_max8(r, VTIME_UPTIME, "bad time kind");
	t->has_tz = r_bool(r);
	t->tz_min = (int16_t)r_u16(r);
	if (t->sec > VTIME_SEC_MAX || t->sec < -VTIME_SEC_MAX || t->usec >= 1000000 ||
	    t->tz_min > 24 * 60 || t->tz_min < -24 * 60)
		r_fail(r, "bad time");
}

/* Interface names were escaped when they were stored: printable ASCII,
 * shorter than the field. */
static void r_ifname(struct rbuf *r, char *dst, size_t size)
{
	uint16_t n = r_u16(r);
	const uint8_t *p;

	dst[0] = '\0';
	if (n >= size) {
		r_fail(r, "bad interface name");
		return;
	}
	if (!(p = r_take(r, n)))
		return;
	for (uint16_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e) {
			r_fail(r, "bad interface name");
			return;
		}
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/* Ports as spans into ps (initialised, empty). The caller charges what
 * it holds. */
static void r_portset(struct rbuf *r, struct portset *ps)
{
	uint32_t count = r_u32(r), spans = r_u32(r);
	struct port_span *sp;
	int rc;

	if (r->why)
		return;
	if (spans > 32768 || (uint64_t)spans * 2 > r->left) {
		r_fail(r, "bad port set");
		return;
	}
	if (!spans)
		sp = NULL;
	else if (!(sp = malloc(spans * sizeof(*sp)))) {
		r_fail(r, "out of memory");
		return;
	}
	for (uint32_t i = 0; i < spans; i++) {
		sp[i].lo = r_u16(r);
		sp[i].hi = r_u16(r);
	}
	rc = portset_from_spans(ps, sp, spans);
	free(sp);
	if (rc == -ENOMEM)
		r_fail(r, "out of memory");
	else if (rc < 0)
		r_fail(r, "bad port span");
	else if (ps->count != count)
		r_fail(r, "port set count mismatch");
}

/* The heap a pair's port sets hold (mem_cost, as engine.c charges them). */
static int64_t pair_ports_cost(const struct pair_state *p)
{
	return (int64_t)(mem_cost(portset_bytes(&p->tcp.ports)) +
			 mem_cost(portset_bytes(&p->udp.ports)) +
			 mem_cost(portset_bytes(&p->udplite.ports)));
}

#define SCAN_MASK ((UINT32_C(1) << _SCAN_MAX) - 1)

static void r_pair(struct rbuf *r, struct pair_state *p)
{
	struct ports_stats *ps[] = {&p->tcp, &p->udp, &p->udplite};

	r_addr(r, &p->dst);
	p->dl = r_max8(r, 5, "bad level");
	p->chain = (enum chain)r_max8(r, _CHAIN_MAX - 1, "bad chain");
	r_ifname(r, p->in, sizeof(p->in));
	r_ifname(r, p->out, sizeof(p->out));
	for (int i = 0; i < _CHAIN_MAX; i++)
		p->chain_packets[i] = r_u64(r);
	p->packets = r_u64(r);
	r_vtime(r, &p->first);
	r_vtime(r, &p->last);
	for (int i = 0; i < 3; i++) {
		ps[i]->packets = r_u64(r);
		r_portset(r, &ps[i]->ports);
	}
	p->n_flags = r_max8(r, PAIR_FLAGSETS_MAX, "too many flag sets");
	for (uint8_t i = 0; i < p->n_flags; i++) {
		p->flags[i].flags = r_u8(r);
		p->flags[i].count = r_u64(r);
	}
	p->flags_other = r_u64(r);
	p->icmp_packets = r_u64(r);
	p->n_icmp = r_max8(r, PAIR_ICMP_MAX, "too many ICMP types");
	for (uint8_t i = 0; i < p->n_icmp; i++) {
		p->icmp[i].type = r_u8(r);
		p->icmp[i].code = r_u8(r);
		p->icmp[i].count = r_u64(r);
	}
	p->icmp_other = r_u64(r);
	p->other_packets = r_u64(r);
	r_copy(r, p->protos, sizeof(p->protos));
	p->n_protos = 0;
	for (size_t i = 0; i < sizeof(p->protos); i++)
		p->n_protos = (uint16_t)(p->n_protos + __builtin_popcount(p->protos[i]));
	p->scan_types = r_u32(r) & SCAN_MASK;
	p->win_last_us = r_i64(r);
	p->win_packets = r_u64(r);
	p->win_port_lo = (int32_t)r_u32(r);
	p->win_port_hi = (int32_t)r_u32(r);
	if (p->win_port_lo < -1 || p->win_port_lo > 65535 || p->win_port_hi < -1 ||
	    p->win_port_hi > 65535 || (p->win_port_lo < 0) != (p->win_port_hi < 0) ||
	    p->win_port_lo > p->win_port_hi)
		r_fail(r, "bad scoring window");
	p->syn_packets = r_u64(r);
	p->connect_packets = r_u64(r);
	p->probe_types = r_u32(r) & SCAN_MASK;
	p->syn23 = r_u16(r);
	p->posf.pkts = r_u8(r);
	if (!p->posf.pkts)
		return;
	p->posf.n_win = r_max8(r, POSF_OBS_VALUES, "bad posf record");
	p->posf.n_len = r_max8(r, POSF_OBS_VALUES, "bad posf record");
	p->posf.v6 = r_bool(r);
	p->posf.id_not_smallincr = r_bool(r);
	p->posf.ttl_min = r_u8(r);
	p->posf.ttl_max = r_u8(r);
	p->posf.last_id = r_u16(r);
	for (int i = 0; i < POSF_OBS_VALUES; i++)
		p->posf.win[i] = r_u16(r);
	for (int i = 0; i < POSF_OBS_VALUES; i++)
		p->posf.len[i] = r_u16(r);
}

/* x's allocations, each recorded in x->bytes as intel.c does. */
static void *x_alloc(struct source_intel *x, size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (p)
		x->bytes += (uint32_t)mem_cost(size);
	return p;
}

static void r_intel(struct rbuf *r, struct engine *e, struct source_state *s)
{
	struct source_intel *x;
	uint16_t n_sigs;
	uint8_t n;

	if (!r_bool(r) || r->why)
		return;
	if (!(s->intel = x = calloc(1, sizeof(*x)))) {
		r_fail(r, "out of memory");
		return;
	}
	x->bytes = (uint32_t)mem_cost(sizeof(*x));
	n_sigs = r_u16(r);
	if (n_sigs > SOURCE_SIGS_MAX) {
		r_fail(r, "too many signatures");
		return;
	}
	if (n_sigs && !(x->sigs = x_alloc(x, n_sigs * sizeof(*x->sigs)))) {
		r_fail(r, "out of memory");
		return;
	}
	x->cap_sigs = n_sigs;
	for (uint16_t i = 0; i < n_sigs && !r->why; i++) {
		struct sig_count *c = &x->sigs[i];
		c->id = r_u32(r);
		c->psad_id = r_u32(r);
		c->dl = r_max8(r, 5, "bad signature level");
		c->count = r_u64(r);
		c->last_dport = r_u16(r);
		c->msg = r_str(r, e);
		for (uint16_t j = 0; j < i; j++)
			if (x->sigs[j].id == c->id)
				r_fail(r, "signature twice");
		x->n_sigs = (uint16_t)(i + 1);
	}
	n = r_max8(r, SOURCE_OS_MAX, "too many OS guesses");
	if (n) {
		uint8_t cap = 1;
		while (cap < n)
			cap *= 2; /* os_add() grows at powers of two */
		if (!(x->os = x_alloc(x, cap * sizeof(*x->os)))) {
			r_fail(r, "out of memory");
			return;
		}
	}
	for (uint8_t i = 0; i < n && !r->why; i++) {
		x->os[i] = r_str(r, e);
		x->n_os = (uint8_t)(i + 1);
	}
	x->os_other = r_bool(r);
	n = r_max8(r, SOURCE_BAD_ICMP_MAX, "too many ICMP types");
	if (n && !r->why &&
	    !(x->bad_icmp = x_alloc(x, SOURCE_BAD_ICMP_MAX * sizeof(*x->bad_icmp)))) {
		r_fail(r, "out of memory");
		return;
	}
	for (uint8_t i = 0; i < n && !r->why; i++) {
		x->bad_icmp[i].type = r_u8(r);
		x->bad_icmp[i].code = r_u8(r);
		x->bad_icmp[i].count = r_u64(r);
		x->n_bad_icmp = (uint8_t)(i + 1);
	}
	if (r_bool(r) && !r->why) {
		if (!(x->ipopts = x_alloc(x, sizeof(*x->ipopts)))) {
			r_fail(r, "out of memory");
			return;
		}
		for (int i = 0; i < IPOPT_NUMBERS; i++)
			x->ipopts->count[i] = r_u64(r);
		x->ipopts->packets = r_u64(r);
		x->ipopts->malformed = r_u64(r);
		x->ipopts->source_routed = r_u64(r);
	}
	if (r_bool(r) && !r->why) {
		if (!(x->rep = x_alloc(x, sizeof(*x->rep)))) {
			r_fail(r, "out of memory");
			return;
		}
		r_addr(r, &x->rep->net.a);
		x->rep->net.len = r_max8(r, x->rep->net.a.family == ADDR_V4 ? 32 : 128,
					    "bad prefix length");
		x->rep->list = r_str(r, e);
	}
	x->sigs_other = r_u64(r);
	x->invalid_icmp = r_u64(r);
	x->sig_dl = r_max8(r, 5, "bad level");
	x->sig_dl_max = r_max8(r, 5, "bad level");
	x->icmp_dl = r_max8(r, 5, "bad level");
	x->rep_dl = r_max8(r, 5, "bad level");
	x->scanners = r_u8(r) & (uint8_t)((1u << _SCANNER_MAX) - 1);
	x->sig_hi_packets = r_u32(r);
	if (!r->why && intel_sig_reindex(x) < 0)
		r_fail(r, "out of memory");
}

static void r_reflect(struct rbuf *r, struct src_node *n)
{
	struct source_reflect *x;

	if (!r_bool(r) || r->why)
		return;
	if (!(n->s.reflected = x = calloc(1, sizeof(*x)))) {
		r_fail(r, "out of memory");
		return;
	}
	portset_init(&x->dports);
	x->packets = r_u64(r);
	x->syn_ack = r_u64(r);
	x->rst = r_u64(r);
	x->rst_ack = r_u64(r);
	x->sport = r_u16(r);
	x->sports_varied = r_bool(r);
	r_portset(r, &x->dports); /* engine_node_restored() charges it with the findings */
}

static void r_sketch(struct rbuf *r, struct engine *e, struct src_node *n)
{
	uint32_t m;
	struct src_more *x;

	if (!r_bool(r) || r->why)
		return;
	m = r_u32(r);
	if (m < 1024 || m > 65536 || (m & (m - 1)) || (uint64_t)m / 8 > r->left) { /* raw words */
		r_fail(r, "bad destination sketch");
		return;
	}
	if (!(x = n->more = calloc(1, sizeof(*x))) || !(x->dst_bits = calloc(m / 64, 8))) {
		r_fail(r, "out of memory");
		return;
	}
	engine_charge(e, n, (int64_t)(mem_cost(sizeof(*x)) + mem_cost(m / 8)));
	x->dst_bits_m = m;
	x->dst_bits_set = r_u32(r);
	x->dst_est_q16 = r_u64(r);
	for (uint32_t i = 0; i < m / 64; i++)
		x->dst_bits[i] = r_le(r, 8);
	if (x->dst_bits_set > m)
		r_fail(r, "bad destination sketch");
}

/* The protocols a source used, each once: those past the inline ones into
 * protos_more, as source_proto_more() (engine.c) sizes and charges it. */
static void r_protos(struct rbuf *r, struct engine *e, struct src_node *n)
{
	struct source_state *s = &n->s;
	uint8_t seen[SOURCE_PROTOS_MAX / 8] = {0};
	unsigned count;

	if (r->version < 2) {
		count = r_max8(r, SOURCE_PROTOS_INLINE, "too many protocols");
	} else {
		count = r_u16(r);
		if (count > SOURCE_PROTOS_MAX || (uint64_t)count * 2 > r->left) {
			r_fail(r, "too many protocols");
			return;
		}
	}
	if (count > SOURCE_PROTOS_INLINE) {
		size_t size = source_protos_more_cap(count - SOURCE_PROTOS_INLINE) *
			      sizeof(*s->protos_more);
		if (!(s->protos_more = malloc(size))) {
			r_fail(r, "out of memory");
			return;
		}
		engine_charge(e, n, (int64_t)mem_cost(size));
	}
	for (unsigned i = 0; i < count && !r->why; i++) {
		struct proto_count *c = i < SOURCE_PROTOS_INLINE ? &s->protos[i]
					: &s->protos_more[i - SOURCE_PROTOS_INLINE];
		c->proto = r_u8(r);
		c->count = r_u64(r);
		if (seen[c->proto / 8] & (1u << (c->proto % 8)))
			r_fail(r, "protocol twice");
		seen[c->proto / 8] |= (uint8_t)(1u << (c->proto % 8));
		s->n_protos = (uint16_t)(i + 1);
	}
	if (r->version < 2)
		(void)r_u64(r); /* version 1's "other" protocols: not named, left out */
}

/* One source record into a new node; false (r->why set) when it is bad.
 * A node that does not fit is dropped silently (counted as evicted). */
static bool r_source(struct rbuf *r, struct engine *e)
{
	struct source_state tmp = {0};
	struct src_node *n;
	uint32_t n_pairs, keep;

	tmp.origin = r_u32(r);
	r_addr(r, &tmp.src);
	if (r->why)
		return false;
	if (table_lookup(e->sources, tmp.origin, &tmp.src))
		return r_fail(r, "source twice");
	if (!(n = engine_node_new(e, tmp.origin, &tmp.src))) {
		r->left = 0; /* no room at all: skip it */
		e->stats.sources_evicted++;
		return true;
	}
	struct source_state *s = &n->s;
	s->dl = r_max8(r, 5, "bad level");
	s->spoofed = r_max8(r, _SPOOF_MAX - 1, "bad spoof reason");
	s->sweep_dl = r_max8(r, 5, "bad level");
	s->scan_dl = r_max8(r, 5, "bad level");
	s->autodl_dl = r_max8(r, 5, "bad level");
	s->packets = r_u64(r);
	r_vtime(r, &s->first);
	r_vtime(r, &s->last);
	r_protos(r, e, n);
	s->scan_types = r_u32(r) & SCAN_MASK;
	s->untracked_dsts = r_u32(r);
	s->untracked_packets = r_u64(r);
	s->first_us = r_i64(r);
	s->last_us = r_i64(r);
	s->mails_sent = r_u32(r);
	s->last_mail_us = r_i64(r);
	n->seen_us = r_i64(r);
	n->ports = r_u32(r);
	r_sketch(r, e, n);
	n_pairs = r_u32(r);
	if (r->why)
		return false;
	/* every pair takes over 32 bytes: a count the record cannot hold is a lie */
	if ((uint64_t)n_pairs * 32 > r->left)
		return r_fail(r, "too many destinations");
	keep = n_pairs < engine_max_dsts(e) ? n_pairs : engine_max_dsts(e);
	if (keep > 1) {
		if (!(s->pairs = malloc(keep * sizeof(*s->pairs))))
			return r_fail(r, "out of memory");
		engine_charge(e, n, (int64_t)mem_cost(keep * sizeof(*s->pairs)));
		s->cap_pairs = keep;
	} else if (keep == 1) {
		s->pairs = &n->first_ptr;
		s->cap_pairs = 1;
	}
	for (uint32_t i = 0; i < n_pairs && !r->why; i++) {
		struct pair_state *p, extra;
		if (i >= keep) { /* beyond this engine's MAX_DSTS_PER_SOURCE: only counted */
			memset(&extra, 0, sizeof(extra));
			r_pair(r, &extra);
			portset_done(&extra.tcp.ports);
			portset_done(&extra.udp.ports);
			portset_done(&extra.udplite.ports);
			s->untracked_dsts++;
			s->untracked_packets += extra.packets;
			continue;
		}
		if (!(p = calloc(1, sizeof(*p))))
			return r_fail(r, "out of memory");
		/* owned by n from here on, so that an error frees it */
		s->pairs[s->n_pairs++] = p;
		r_pair(r, p);
		engine_charge(e, n, (int64_t)mem_cost(sizeof(*p)) + pair_ports_cost(p));
		for (uint32_t j = 0; j + 1 < s->n_pairs && !r->why && s->n_pairs <= 64; j++)
			if (addr_eq(&s->pairs[j]->dst, &p->dst))
				r_fail(r, "destination twice");
	}
	r_intel(r, e, s);
	r_reflect(r, n);
	if (!r->why && r->left)
		r_fail(r, "trailing bytes in a source record");
	if (r->why)
		return false;
	engine_node_restored(e, n);
	return true;
}

static bool r_engine(struct rbuf *r, struct engine *e)
{
	e->now = r_i64(r);
	e->intel.tcp_opts_seen = r_bool(r);
	if (!r->why && r->left)
		r_fail(r, "trailing bytes in the engine record");
	return !r->why;
}

/* Drop every source (a failed restore). */
static void engine_empty(struct engine *e)
{
	while (table_count(e->sources))
		engine_node_drop(e, table_live(e->sources, 0));
}

int engine_restore(struct engine *e, const void *buf, size_t len, const char **reterr_why)
{
	struct rbuf all = {.p = buf, .left = len};
	struct engine_stats saved = e->stats;
	engine_change_fn *cb = e->cb;
	uint64_t n_sources = 0;
	uint32_t version, crc;
	bool seen_engine = false, seen_end = false;
	const char *why = NULL, *unused;
	int r = -EINVAL;

	if (!reterr_why)
		reterr_why = &unused;
	*reterr_why = NULL;
	if (table_count(e->sources)) {
		*reterr_why = "the engine already holds sources";
		return -EBUSY;
	}
	if (!buf || len < 8 + 4 + 4 || len > UINT32_MAX || memcmp(buf, PERSIST_MAGIC, 8) != 0) {
		*reterr_why = "not a vigil engine state";
		return -EINVAL;
	}
	(void)r_take(&all, 8);
	version = r_le32(&all);
	if (version == 0 || version > PERSIST_VERSION) {
		*reterr_why = "state version is newer than this vigil";
		return -EINVAL;
	}
	all.left -= 4; /* the CRC */
	crc = (uint32_t)all.p[all.left] | (uint32_t)all.p[all.left + 1] << 8 |
	      (uint32_t)all.p[all.left + 2] << 16 | (uint32_t)all.p[all.left + 3] << 24;
	if ((uint32_t)crc32(crc32(0L, Z_NULL, 0), buf, (uInt)(len - 4)) != crc) {
		*reterr_why = "checksum mismatch (corrupt state)";
		return -EINVAL;
	}
	e->cb = NULL; /* a restore raises no changes */
	while (all.left && !why) {
		uint8_t tag = r_u8(&all);
		uint32_t rlen = r_le32(&all);
		struct rbuf rec = {.p = all.p, .left = rlen, .version = version};
		if (all.why || !r_take(&all, rlen)) {
			why = "truncated record";
			break;
		}
		if (seen_end) {
			why = "data after the end record";
		} else if (tag == TAG_ENGINE) {
			if (seen_engine || n_sources)
				why = "misplaced engine record";
			else if (!r_engine(&rec, e))
				why = rec.why;
			seen_engine = true;
		} else if (tag == TAG_SOURCE) {
			if (!seen_engine)
				why = "source before the engine record";
			else if (!r_source(&rec, e))
				why = rec.why ? rec.why : "bad source record";
			n_sources++;
		} else if (tag == TAG_END) {
			if (r_u64(&rec) != n_sources || rec.left || rec.why)
				why = "source count mismatch";
			seen_end = true;
		} else {
			why = "unknown record";
		}
	}
	if (!why && !seen_end)
		why = "no end record";
	if (why) {
		engine_empty(e);
		e->stats = saved;
		e->now = 0;
		r = strcmp(why, "out of memory") == 0 ? -ENOMEM : -EINVAL;
		*reterr_why = why;
	} else {
		r = 0;
	}
	engine_mem_sync(e);
	e->cb = cb;
	return r;
}
