/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tally.c - per-event counts the engine does not keep (see tally.h).
 *
 * Hot path (tally_event, once per counted event): the prefix and the input
 * interface of a log run the same most of the time, so each kind remembers
 * the raw bytes of the last name and its slot and compares those first; a
 * miss walks at most TALLY_NAMES_MAX slots. Chains are an enum: an array.
 * The overall timeline costs one division. Per-source timelines (only
 * when asked for) are found through the last source seen, then a small
 * open-addressing hash.
 *
 * Timelines: a series covers the buckets its events fell in, [lo, hi]
 * (the first non-empty bucket's start, the last one's end), with
 * TALLY_BUCKETS buckets of width w = TALLY_BASE_US * 2^k, the smallest
 * such that floor(lo/w) and floor(hi/w) are less than TALLY_BUCKETS
 * apart; start is floor(lo/w) * w. A time outside (later, or earlier: log
 * times step back) widens the series: the new width is a multiple of the
 * old and the new start is aligned to it, so every old bucket falls whole
 * into one new bucket.
 */
#include "report/tally.h"

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"

#define TALLY_RAW_MAX 128          /* raw name bytes compared (longer: cut) */
#define TALLY_BASE_US INT64_C(1000000) /* the narrowest bucket: 1 s */
#define TALLY_WIDTH_MAX (INT64_C(1) << 56) /* about 2,280 years a bucket */
#define INDEX_KEYS_MAX (2 * (size_t)TALLY_SERIES_MAX) /* kept + dropped */
#define SLOT_EMPTY UINT32_MAX
#define SERIES_NONE (UINT32_MAX - 1) /* a dropped source in the index */

struct name_slot {
	char raw[TALLY_RAW_MAX];
	size_t len;
	uint64_t events;
};

struct names {
	struct name_slot slot[TALLY_NAMES_MAX];
	size_t n;
	uint64_t other;
	size_t last;          /* slot of the last name matched, when n > 0 */
	struct tally_name *out; /* sorted copy for tally_names() */
};

struct series {
	struct addr key;
	/* the last event's bucket, [b_lo, b_hi): log times come in order,
	 * so most events need no division */
	int64_t b_lo, b_hi;
	int32_t b_idx;   /* -1: none (the series array moves: no pointer) */
	struct tally_series s;
};

struct index_slot {
	struct addr key;
	uint32_t series;      /* SLOT_EMPTY, SERIES_NONE or an index */
};

struct tally {
	bool timelines;
	struct names names[2]; /* TALLY_PREFIX, TALLY_IN */
	uint64_t chains[_CHAIN_MAX];
	struct tally_name chain_out[_CHAIN_MAX];
	struct series overall;
	/* per source */
	struct series *series;
	size_t n_series, cap_series;
	struct index_slot *index;
	size_t index_cap, index_used; /* cap a power of two, used <= cap / 2 */
	uint32_t last_series;         /* of the last event, or SLOT_EMPTY */
	struct addr last_src;
	uint64_t dropped;
};

struct tally *tally_new(bool timelines)
{
	struct tally *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->timelines = timelines;
	t->last_series = SLOT_EMPTY;
	for (int k = 0; k < 2; k++) {
		t->names[k].out = calloc(TALLY_NAMES_MAX, sizeof(struct tally_name));
		if (!t->names[k].out)
			return tally_free(t);
	}
	return t;
}

struct tally *tally_free(struct tally *t)
{
	if (!t)
		return NULL;
	for (int k = 0; k < 2; k++)
		free(t->names[k].out);
	free(t->series);
	free(t->index);
	free(t);
	return NULL;
}

/* --- names ------------------------------------------------------------ */

static inline uint64_t load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t load32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* a[0..len) == b[0..len): names are short (a prefix, "eth0"), so two
 * overlapping loads instead of a call to memcmp for up to 16 bytes; never
 * a byte outside either. */
static inline bool same_bytes(const char *a, const char *b, size_t len)
{
	if (len >= 8 && len <= 16)
		return load64(a) == load64(b) && load64(a + len - 8) == load64(b + len - 8);
	if (len >= 4 && len < 8)
		return load32(a) == load32(b) && load32(a + len - 4) == load32(b + len - 4);
	if (len < 4) {
		for (size_t i = 0; i < len; i++)
			if (a[i] != b[i])
				return false;
		return true;
	}
	return memcmp(a, b, len) == 0;
}

/* A name other than the last one: look for it, or add it. */
static __attribute__((noinline)) void names_add_slow(struct names *nm, const char *p, size_t len)
{
	struct name_slot *s;

	for (size_t i = 0; i < nm->n; i++) {
		s = &nm->slot[i];
		if (s->len == len && same_bytes(s->raw, p, len)) {
			s->events++;
			nm->last = i;
			return;
		}
	}
	if (nm->n == TALLY_NAMES_MAX) {
		nm->other++;
		return;
	}
	s = &nm->slot[nm->n];
	if (len)
		memcpy(s->raw, p, len);
	s->len = len;
	s->events = 1;
	nm->last = nm->n++;
}

static inline void names_add(struct names *nm, const char *p, size_t len)
{
	struct name_slot *s = &nm->slot[nm->last];

	if (len > TALLY_RAW_MAX)
		len = TALLY_RAW_MAX;
	if (nm->n && s->len == len && same_bytes(s->raw, p, len)) {
		s->events++;
		return;
	}
	names_add_slow(nm, p, len);
}

static int name_cmp(const void *a, const void *b)
{
	const struct tally_name *x = a, *y = b;

	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* --- timelines -------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Bucket distance between lo and hi at width w fits? */
static bool span_fits(int64_t lo, int64_t hi, int64_t w)
{
	return floor_div(hi, w) - floor_div(lo, w) < TALLY_BUCKETS;
}

/* Widen x to take `when` in (see the top of the file). */
static void series_widen(struct series *x, int64_t when)
{
	int64_t lo = when, hi = when, w = x->s.width_us, start;
	uint64_t old[TALLY_BUCKETS];

	/* what the series holds: its first and last non-empty buckets */
	for (int64_t i = 0; i < TALLY_BUCKETS; i++) {
		if (!x->s.count[i])
			continue;
		if (x->s.start_us + i * w < lo)
			lo = x->s.start_us + i * w;
		if (x->s.start_us + (i + 1) * w - 1 > hi)
			hi = x->s.start_us + (i + 1) * w - 1;
	}

	while (!span_fits(lo, hi, w) && w < TALLY_WIDTH_MAX)
		w *= 2;
	start = floor_div(lo, w) * w;
	memcpy(old, x->s.count, sizeof(old));
	memset(x->s.count, 0, sizeof(x->s.count));
	for (int64_t i = 0; i < TALLY_BUCKETS; i++) {
		int64_t k;
		if (!old[i])
			continue;
		k = floor_div(x->s.start_us + i * x->s.width_us - start, w);
		if (k < 0)
			k = 0;
		if (k >= TALLY_BUCKETS)
			k = TALLY_BUCKETS - 1;
		x->s.count[k] += old[i];
	}
	x->s.start_us = start;
	x->s.width_us = w;
	x->b_idx = -1; /* the buckets moved */
}

static void series_first(struct series *x, int64_t when)
{
	x->s.width_us = TALLY_BASE_US;
	x->s.start_us = floor_div(when, TALLY_BASE_US) * TALLY_BASE_US;
	memset(x->s.count, 0, sizeof(x->s.count));
}

static void series_add_slow(struct series *x, int64_t when)
{
	int64_t d;

	if (!x->s.width_us)
		series_first(x, when);
	if (when < x->s.start_us || (when - x->s.start_us) / x->s.width_us >= TALLY_BUCKETS)
		series_widen(x, when);
	d = floor_div(when - x->s.start_us, x->s.width_us);
	d = d < 0 ? 0 : d >= TALLY_BUCKETS ? TALLY_BUCKETS - 1 : d;
	x->b_lo = x->s.start_us + d * x->s.width_us;
	x->b_hi = x->b_lo + x->s.width_us;
	x->b_idx = (int32_t)d;
	x->s.count[d]++;
}

static inline void series_add(struct series *x, int64_t when)
{
	/* inside the last event's bucket */
	if (when >= x->b_lo && when < x->b_hi && x->b_idx >= 0) {
		x->s.count[x->b_idx]++;
		return;
	}
	series_add_slow(x, when);
}

/* --- the per-source index --------------------------------------------- */

static size_t index_find(const struct tally *t, const struct addr *a)
{
	size_t mask = t->index_cap - 1, i = (size_t)addr_hash(a, 0x7a11) & mask;

	while (t->index[i].series != SLOT_EMPTY && !addr_eq(&t->index[i].key, a))
		i = (i + 1) & mask;
	return i;
}

static bool index_grow(struct tally *t)
{
	size_t cap = t->index_cap ? t->index_cap * 2 : 1024;
	struct index_slot *old = t->index, *nw = malloc(cap * sizeof(*nw));
	size_t old_cap = t->index_cap;

	if (!nw)
		return false;
	for (size_t i = 0; i < cap; i++)
		nw[i].series = SLOT_EMPTY;
	t->index = nw;
	t->index_cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].series != SLOT_EMPTY)
			t->index[index_find(t, &old[i].key)] = old[i];
	free(old);
	return true;
}

/* The series of src, a new one, or NULL (dropped: counted once while the
 * index has room for the address). */
static struct series *source_series(struct tally *t, const struct addr *src)
{
	struct index_slot *slot;
	size_t i;

	if (t->last_series != SLOT_EMPTY && addr_eq(&t->last_src, src))
		return t->last_series == SERIES_NONE ? NULL : &t->series[t->last_series];
	if ((t->index_used + 1) * 2 > t->index_cap) {
		if (t->index_used >= INDEX_KEYS_MAX || !index_grow(t)) {
			/* no room to remember it: find it if it is there */
			if (t->index_cap) {
				i = index_find(t, src);
				if (t->index[i].series < SERIES_NONE)
					return &t->series[t->index[i].series];
				if (t->index[i].series == SERIES_NONE)
					return NULL;
			}
			t->dropped++; /* counted per event now: a lower bound */
			return NULL;
		}
	}
	i = index_find(t, src);
	slot = &t->index[i];
	if (slot->series == SLOT_EMPTY) {
		slot->key = *src;
		slot->series = SERIES_NONE;
		t->index_used++;
		if (t->n_series < TALLY_SERIES_MAX) {
			if (t->n_series == t->cap_series) {
				size_t cap = t->cap_series ? t->cap_series * 2 : 256;
				struct series *s = realloc(t->series, cap * sizeof(*s));
				if (s) {
					t->series = s;
					t->cap_series = cap;
				}
			}
			if (t->n_series < t->cap_series) {
				memset(&t->series[t->n_series], 0, sizeof(*t->series));
				t->series[t->n_series].key = *src;
				slot->series = (uint32_t)t->n_series++;
			}
		}
		if (slot->series == SERIES_NONE)
			t->dropped++;
	}
	t->last_src = *src;
	t->last_series = slot->series;
	return slot->series == SERIES_NONE ? NULL : &t->series[slot->series];
}

/* --- the API ------------------------------------------------------------ */

void tally_event(const struct event *ev, int64_t when_us, void *data)
{
	struct tally *t = data;

	names_add(&t->names[TALLY_PREFIX], ev->prefix.p, ev->prefix.len);
	names_add(&t->names[TALLY_IN], ev->in.p, ev->in.len);
	t->chains[(unsigned)ev->chain < _CHAIN_MAX ? ev->chain : CHAIN_NONE]++;
	series_add(&t->overall, when_us);
	if (t->timelines) {
		struct series *x = source_series(t, &ev->src);
		if (x)
			series_add(x, when_us);
	}
}

const struct tally_name *tally_names(const struct tally *t, enum tally_kind k, size_t *ret_n,
				     uint64_t *ret_other)
{
	*ret_n = 0;
	*ret_other = 0;
	if (!t)
		return NULL;
	if (k == TALLY_CHAIN) {
		/* chain_out is filled here: a const tally's own buffer */
		struct tally_name *out = (struct tally_name *)t->chain_out;
		size_t n = 0;
		for (int c = 0; c < _CHAIN_MAX; c++) {
			if (!t->chains[c])
				continue;
			(void)escape_str(event_chain_name((enum chain)c), out[n].name,
					 sizeof(out[n].name));
			out[n++].events = t->chains[c];
		}
		qsort(out, n, sizeof(*out), name_cmp);
		*ret_n = n;
		return out;
	}
	if ((unsigned)k >= 2)
		return NULL;
	const struct names *nm = &t->names[k];
	for (size_t i = 0; i < nm->n; i++) {
		(void)escape_bytes(nm->slot[i].raw, nm->slot[i].len, nm->out[i].name,
				   sizeof(nm->out[i].name));
		nm->out[i].events = nm->slot[i].events;
	}
	qsort(nm->out, nm->n, sizeof(*nm->out), name_cmp);
	*ret_n = nm->n;
	*ret_other = nm->other;
	return nm->out;
}

const struct tally_series *tally_overall(const struct tally *t)
{
	return &t->overall.s;
}

const struct tally_series *tally_source(const struct tally *t, const struct addr *src)
{
	size_t i;

	if (!t || !t->index_cap)
		return NULL;
	i = index_find(t, src);
	if (t->index[i].series >= SERIES_NONE)
		return NULL;
	return &t->series[t->index[i].series].s;
}

static uint64_t cum_part(uint64_t c, int64_t x, int64_t w)
{
	return (uint64_t)((unsigned __int128)c * (uint64_t)x / (uint64_t)w);
}

void tally_series_rebin(const struct tally_series *s, int64_t start_us, int64_t width_us,
			size_t n, uint64_t *ret)
{
	memset(ret, 0, n * sizeof(*ret));
	if (!s || !s->width_us || width_us <= 0 || !n)
		return;
	for (int64_t i = 0; i < TALLY_BUCKETS; i++) {
		int64_t lo, hi, a, b;
		uint64_t c = s->count[i];
		if (!c)
			continue;
		/* spread the bucket [lo, hi) over the target buckets it overlaps,
		 * in proportion to the overlap */
		lo = s->start_us + i * s->width_us;
		hi = lo + s->width_us;
		a = floor_div(lo - start_us, width_us);
		b = floor_div(hi - 1 - start_us, width_us);
		if (b < 0 || a >= (int64_t)n)
			continue;
		if (a == b) {
			ret[a] += c;
			continue;
		}
		/* cum(x): the bucket's events before x, in proportion; each
		 * target gets cum(its end) - cum(its start), so the parts of a
		 * bucket wholly inside sum to c */
		for (int64_t k = a < 0 ? 0 : a; k <= b && k < (int64_t)n; k++) {
			int64_t blo = start_us + k * width_us, bhi = blo + width_us;
			int64_t ol = blo > lo ? blo : lo, oh = bhi < hi ? bhi : hi;
			ret[k] += cum_part(c, oh - lo, s->width_us) - cum_part(c, ol - lo, s->width_us);
		}
	}
}

uint64_t tally_series_dropped(const struct tally *t)
{
	return t ? t->dropped : 0;
}
