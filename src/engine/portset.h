/* SPDX-License-Identifier: GPL-2.0-or-later */
/* portset.h - the set of destination ports one pair has hit.
 *
 * Small sets (the common case: a few ports) are a sorted array of inclusive
 * ranges; past PORTSET_RANGES_MAX ranges the set switches to an 8 KiB bitmap,
 * so memory per set is bounded by max(8 KiB, PORTSET_RANGES_MAX * 4 bytes).
 * A set that is one run of ports (a single port, a sequential scan) needs no
 * array at all: it is [min, max], with ranges NULL and n_ranges 0. Read the
 * set with portset_iter_*(), which hides the three forms.
 * Adding a port never fails except for -ENOMEM.
 */
#ifndef VIGIL_PORTSET_H
#define VIGIL_PORTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PORTSET_RANGES_MAX 1024
#define PORTSET_BITMAP_BYTES (65536 / 8)

struct port_span {
	uint16_t lo, hi;
};

struct portset {
	uint32_t count;           /* distinct ports */
	uint16_t min, max;        /* valid when count > 0 */
	uint16_t n_ranges, cap_ranges;
	struct port_span *ranges; /* sorted, disjoint, non-adjacent; NULL when bitmap or one span */
	uint64_t *bitmap;         /* 1024 words when the set is large */
};

/* Bytes the set has allocated (requests, not heap chunks): for the
 * engine's memory accounting, which calls it around portset_add(). */
static inline size_t portset_bytes(const struct portset *ps)
{
	return ps->bitmap ? PORTSET_BITMAP_BYTES : (size_t)ps->cap_ranges * sizeof(struct port_span);
}

void portset_init(struct portset *ps);
void portset_done(struct portset *ps);
/* Returns 1 if the port was new, 0 if already present, -ENOMEM. */
int portset_add(struct portset *ps, uint16_t port);
bool portset_has(const struct portset *ps, uint16_t port);
/* Fill the empty set ps with n spans, ascending, disjoint and non-adjacent
 * (restore): -EINVAL when they are not, -ENOMEM. O(n), or O(ports) once
 * they need a bitmap. */
int portset_from_spans(struct portset *ps, const struct port_span *sp, uint32_t n);

/* Iterate the set as ascending inclusive ranges. */
struct portset_iter {
	const struct portset *ps;
	uint32_t pos;
};
void portset_iter_init(struct portset_iter *it, const struct portset *ps);
bool portset_iter_next(struct portset_iter *it, struct port_span *ret);

#endif
