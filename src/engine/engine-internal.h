/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine-internal.h - the engine's struct, shared by engine.c and persist.c
 * (internal to src/engine). */
#ifndef VIGIL_ENGINE_INTERNAL_H
#define VIGIL_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/intel.h"
#include "engine/table.h"

#define PAIR_CACHE_MAX	64 /* released pairs kept for the next ones */

struct blame;

struct engine {
	const struct config *cfg;
	const struct autodl *adl;
	const struct matchers *m; /* NULL: scans only */
	struct intel_global intel;
	engine_change_fn *cb;
	void *cb_data;

	struct table *sources;
	struct blame *blame;
	uint64_t pair_seed; /* keys the per-source pair index and sketch */
	uint64_t rng;	    /* eviction sampling */
	uint64_t total_pairs;
	uint64_t max_pairs; /* 0 = no cap besides the per-source one */
	uint32_t max_dsts;  /* MAX_DSTS_PER_SOURCE, lowered to fit MEMORY_LIMIT */
	uint32_t dst_bits;  /* sketch size for this configuration */
	int64_t now;	    /* engine time (µs) of the event being fed (eviction ages) */
	uint32_t expire_cursor; /* engine_expire(): the next slab slot to visit */
	struct strpool *pool; /* names per-source state refers to (strpool.h) */
	size_t pool_bytes;    /* strpool_bytes() as counted in mem_used */

	uint64_t mem_limit; /* MEMORY_LIMIT, bytes */
	uint64_t mem_used;  /* the table's bytes + every source's bytes + the pair cache */

	/* Pairs of evicted sources, reused before malloc: a flood evicts and
	 * creates one a line, and the allocator's own caches (whose chunks
	 * calloc() and consolidation keep taking apart) cost more. */
	struct pair_state *pair_cache[PAIR_CACHE_MAX];
	uint32_t n_pair_cache;

	struct engine_stats stats;
};

/* engine.c's helpers persist.c uses. */
struct src_node *engine_node_new(struct engine *e, uint32_t origin, const struct addr *src);
void engine_node_drop(struct engine *e, struct src_node *n); /* release, uncount, remove */
void engine_charge(struct engine *e, struct src_node *n, int64_t delta);
void engine_mem_sync(struct engine *e); /* the pool's and the table's bytes changed */
uint32_t engine_evidence(const struct src_node *n);
uint32_t engine_dst_bits(const struct engine *e);
uint32_t engine_max_dsts(const struct engine *e);
bool engine_pairs_full(const struct engine *e);
/* n was built by persist.c (its allocations charged with engine_charge(),
 * but for intel and reflected, charged here): index its pairs, rank it, and
 * keep MEMORY_LIMIT (evicting others). */
void engine_node_restored(struct engine *e, struct src_node *n);

#endif
