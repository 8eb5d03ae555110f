/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mem.h - what the engine's allocations cost (internal to src/engine).
 *
 * MEMORY_LIMIT is enforced by counting, not by asking the allocator: every
 * allocation the engine keeps is charged to its owner (the table, or one
 * source) at the size the heap really gives it. glibc hands out chunks of
 * the request plus an 8-byte header, rounded up to 16 bytes, at least 32;
 * counting that instead of the request keeps the sum within a few percent
 * of the heap the engine uses (measured in bench/results.md).
 */
#ifndef VIGIL_MEM_H
#define VIGIL_MEM_H

#include <stddef.h>

static inline size_t mem_cost(size_t n)
{
	if (!n)
		return 0;
	n = (n + 8 + 15) & ~(size_t)15;
	return n < 32 ? 32 : n;
}

#endif
