/* SPDX-License-Identifier: GPL-2.0-or-later */
/* portset.c - destination ports of one pair (see portset.h).
 *
 * Three representations, chosen by size:
 *  - one span: while the set is a single run of ports, [min, max] says it
 *    all and nothing is allocated (one port, or a sequential scan);
 *  - ranges: a sorted array of disjoint, non-adjacent inclusive spans, grown
 *    by doubling from PORTSET_RANGES_MIN. A sequential scan (1000, 1001, ...)
 *    stays one span, so the common cases (a few ports, a contiguous block)
 *    cost a few bytes and O(1) per port.
 *  - bitmap: 65536 bits (8 KiB), once a new span would make more than
 *    PORTSET_RANGES_MAX spans. Random-order full scans end up here; from then
 *    on adding is O(1) and the set never grows again.
 * count, min and max are kept exact in both, so reports need not iterate.
 */
#include "engine/portset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PORTSET_RANGES_MIN 4
#define PORTSET_WORDS	   (PORTSET_BITMAP_BYTES / 8)

void portset_init(struct portset *ps)
{
	memset(ps, 0, sizeof(*ps));
}

void portset_done(struct portset *ps)
{
	if (!ps)
		return;
	free(ps->ranges);
	free(ps->bitmap);
	memset(ps, 0, sizeof(*ps));
}

static void portset_note(struct portset *ps, uint16_t port)
{
	if (ps->count == 0 || port < ps->min)
		ps->min = port;
	if (ps->count == 0 || port > ps->max)
		ps->max = port;
	ps->count++;
}

/* Index of the first span whose hi >= port (n_ranges if none). Branchless
 * (the halving step compiles to a conditional move): random-order scans
 * make every comparison a coin toss the branch predictor would lose. */
static uint32_t portset_find(const struct portset *ps, uint16_t port)
{
	const struct port_span *base = ps->ranges;
	uint32_t n = ps->n_ranges;

	if (!n)
		return 0;
	/* invariant: the answer is in [base, base + n] */
	while (n > 1) {
		uint32_t half = n / 2;
		base = base[half].hi < port ? base + half : base;
		n -= half;
	}
	return (uint32_t)(base - ps->ranges) + (base->hi < port);
}

static bool bitmap_test(const uint64_t *bm, uint16_t port)
{
	return bm[port >> 6] & (UINT64_C(1) << (port & 63));
}

static int portset_to_bitmap(struct portset *ps)
{
	uint64_t *bm = calloc(PORTSET_WORDS, sizeof(*bm));

	if (!bm)
		return -ENOMEM;
	for (uint32_t i = 0; i < ps->n_ranges; i++)
		for (uint32_t p = ps->ranges[i].lo; p <= ps->ranges[i].hi; p++)
			bm[p >> 6] |= UINT64_C(1) << (p & 63);
	free(ps->ranges);
	ps->ranges = NULL;
	ps->n_ranges = ps->cap_ranges = 0;
	ps->bitmap = bm;
	return 0;
}

static int portset_bitmap_add(struct portset *ps, uint16_t port)
{
	if (bitmap_test(ps->bitmap, port))
		return 0;
	ps->bitmap[port >> 6] |= UINT64_C(1) << (port & 63);
	portset_note(ps, port);
	return 1;
}

static int portset_grow(struct portset *ps)
{
	uint32_t cap = ps->cap_ranges ? 2u * ps->cap_ranges : PORTSET_RANGES_MIN;
	struct port_span *r;

	if (cap > PORTSET_RANGES_MAX)
		cap = PORTSET_RANGES_MAX;
	r = realloc(ps->ranges, cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	ps->ranges = r;
	ps->cap_ranges = (uint16_t)cap;
	return 0;
}

/* port is in no span and touches none: a new span at index i. */
static int portset_insert_span(struct portset *ps, uint32_t i, uint16_t port)
{
	int r;

	if (ps->n_ranges >= PORTSET_RANGES_MAX) {
		r = portset_to_bitmap(ps);
		return r < 0 ? r : portset_bitmap_add(ps, port);
	}
	if (ps->n_ranges == ps->cap_ranges && (r = portset_grow(ps)) < 0)
		return r;
	memmove(ps->ranges + i + 1, ps->ranges + i, (ps->n_ranges - i) * sizeof(*ps->ranges));
	ps->ranges[i] = (struct port_span){port, port};
	ps->n_ranges++;
	portset_note(ps, port);
	return 1;
}

/* The set is the one span [min, max] (or empty) and no array exists:
 * extend it in place, or spill it into an array when port leaves a gap. */
static int portset_span_add(struct portset *ps, uint16_t port)
{
	int r;

	if (ps->count == 0 || port + 1u == ps->min || port == ps->max + 1u) {
		portset_note(ps, port);
		return 1;
	}
	if (port >= ps->min && port <= ps->max)
		return 0;
	if ((r = portset_grow(ps)) < 0)
		return r;
	ps->ranges[0] = (struct port_span){ps->min, ps->max};
	ps->n_ranges = 1;
	return -EAGAIN; /* now an array: go on with the general case */
}

int portset_add(struct portset *ps, uint16_t port)
{
	uint32_t i;
	struct port_span *next, *prev;
	int r;

	if (ps->bitmap)
		return portset_bitmap_add(ps, port);
	if (!ps->ranges && (r = portset_span_add(ps, port)) != -EAGAIN)
		return r;
	/* sequential scans: extend the last span without a search */
	if (ps->n_ranges && ps->ranges[ps->n_ranges - 1].hi + 1u == port) {
		ps->ranges[ps->n_ranges - 1].hi = port;
		portset_note(ps, port);
		return 1;
	}
	i = portset_find(ps, port);
	next = i < ps->n_ranges ? &ps->ranges[i] : NULL;
	prev = i > 0 ? &ps->ranges[i - 1] : NULL;
	if (next && next->lo <= port)
		return 0;
	if (prev && prev->hi + 1u == port) {
		prev->hi = port;
		if (next && next->lo == port + 1u) { /* the gap closed: merge */
			prev->hi = next->hi;
			memmove(next, next + 1, (ps->n_ranges - i - 1) * sizeof(*next));
			ps->n_ranges--;
		}
	} else if (next && next->lo == port + 1u) {
		next->lo = port;
	} else {
		return portset_insert_span(ps, i, port);
	}
	portset_note(ps, port);
	return 1;
}

bool portset_has(const struct portset *ps, uint16_t port)
{
	uint32_t i;

	if (ps->bitmap)
		return bitmap_test(ps->bitmap, port);
	if (!ps->count || port < ps->min || port > ps->max)
		return false;
	if (!ps->ranges)
		return true; /* one span */
	i = portset_find(ps, port);
	return i < ps->n_ranges && ps->ranges[i].lo <= port;
}

void portset_iter_init(struct portset_iter *it, const struct portset *ps)
{
	it->ps = ps;
	it->pos = 0;
}

/* First port >= from whose bit equals want, or 65536. */
static uint32_t bitmap_scan(const uint64_t *bm, uint32_t from, bool want)
{
	while (from < 65536) {
		uint64_t w = bm[from >> 6];
		if (!want)
			w = ~w;
		w &= ~UINT64_C(0) << (from & 63);
		if (w)
			return (from & ~63u) + (uint32_t)__builtin_ctzll(w);
		from = (from & ~63u) + 64;
	}
	return 65536;
}

bool portset_iter_next(struct portset_iter *it, struct port_span *ret)
{
	const struct portset *ps = it->ps;
	uint32_t lo, hi;

	if (!ps->bitmap && !ps->ranges) { /* empty or one span */
		if (it->pos > 0 || !ps->count)
			return false;
		it->pos = 1;
		*ret = (struct port_span){ps->min, ps->max};
		return true;
	}
	if (!ps->bitmap) {
		if (it->pos >= ps->n_ranges)
			return false;
		*ret = ps->ranges[it->pos++];
		return true;
	}
	/* pos is the next port to look at */
	lo = bitmap_scan(ps->bitmap, it->pos, true);
	if (lo >= 65536)
		return false;
	hi = bitmap_scan(ps->bitmap, lo, false);
	it->pos = hi;
	*ret = (struct port_span){(uint16_t)lo, (uint16_t)(hi - 1)};
	return true;
}

int portset_from_spans(struct portset *ps, const struct port_span *sp, uint32_t n)
{
	uint32_t count = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (sp[i].lo > sp[i].hi || (i && (uint32_t)sp[i - 1].hi + 1 >= sp[i].lo))
			return -EINVAL;
		count += (uint32_t)sp[i].hi - sp[i].lo + 1;
	}
	portset_init(ps);
	if (!n)
		return 0;
	if (n > PORTSET_RANGES_MAX) {
		if (!(ps->bitmap = calloc(PORTSET_WORDS, sizeof(*ps->bitmap))))
			return -ENOMEM;
		for (uint32_t i = 0; i < n; i++)
			for (uint32_t p = sp[i].lo; p <= sp[i].hi; p++)
				ps->bitmap[p >> 6] |= UINT64_C(1) << (p & 63);
	} else if (n > 1) {
		uint32_t cap = PORTSET_RANGES_MIN;
		while (cap < n)
			cap *= 2;
		if (cap > PORTSET_RANGES_MAX)
			cap = PORTSET_RANGES_MAX;
		if (!(ps->ranges = malloc(cap * sizeof(*ps->ranges))))
			return -ENOMEM;
		memcpy(ps->ranges, sp, n * sizeof(*sp));
		ps->n_ranges = (uint16_t)n;
		ps->cap_ranges = (uint16_t)cap;
	}
	ps->count = count;
	ps->min = sp[0].lo;
	ps->max = sp[n - 1].hi;
	return 0;
}
