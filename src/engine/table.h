/* SPDX-License-Identifier: GPL-2.0-or-later */
/* table.h - the engine's bounded source table (internal to src/engine).
 *
 * Nodes live in a slab of fixed chunks, so a node never moves and the
 * pointers reports hold stay valid until the node is removed; removed nodes
 * are reused before a new chunk is allocated. An open-addressed index
 * (linear probing, backward-shift deletion, load <= 1/2) maps an address to
 * its node. Neither ever holds more than max_nodes, and nothing is allocated
 * for a lookup or for reusing a freed node. A dense array of the live nodes
 * lets eviction sample live sources only, however sparse the slab has
 * become (O(1) per sample, never a scan).
 */
#ifndef VIGIL_TABLE_H
#define VIGIL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/state.h"
#include "util/addr.h"

/* What only sources with many destinations need (allocated lazily). */
struct src_more {
	/* past PAIR_LINEAR_MAX pairs: open-addressed pair numbers + 1 */
	uint32_t *pair_index;
	uint32_t pair_index_mask;
	/* destinations beyond MAX_DSTS_PER_SOURCE: a hash bitmap */
	uint32_t dst_bits_set;
	uint64_t dst_est_q16; /* distinct-count estimate, 16.16 fixed point */
	uint64_t *dst_bits;   /* dst_bits_m bits (the size when it was made) */
	uint32_t dst_bits_m;
};

/* One source. The eviction keys (seen_us, evidence, then s.dl) come
 * first so that sampling a node reads one cache line. */
struct src_node {
	int64_t seen_us;    /* engine time of the last event (expiry, eviction age);
			     * unlike s.last_us, it follows the clock back */
	union {
		uint32_t next_free; /* the table's: free list link (free nodes) */
		uint32_t dense_pos; /* the table's: place in the dense array (live nodes) */
	};
	uint32_t evidence;  /* the engine's eviction rank before ageing (engine.c) */
	bool in_use;	    /* the table's */

	struct source_state s; /* what reports see */

	/* s.pairs points at first_ptr while the source has one pair, so a
	 * one-destination source needs no pointer array. */
	struct pair_state *first_ptr;
	struct src_more *more;
	uint32_t last_pair; /* pair hit last: the fast path of a scan */
	uint32_t ports;	    /* distinct ports over all pairs (evidence) */
	uint32_t intel_bytes; /* the part of bytes in s.intel and s.reflected */
	uint64_t bytes;	    /* heap the source owns (mem_cost), MEMORY_LIMIT */
};

struct table;

/* seed keys the address hash: pick it at random so that nobody can aim
 * addresses at one probe chain. */
int table_new(uint32_t max_nodes, uint64_t seed, struct table **ret_table);
/* The most the table of max_nodes nodes ever allocates (mem_cost). */
size_t table_bytes_max(uint32_t max_nodes);
/* What it has allocated so far (mem_cost): it never shrinks. */
size_t table_bytes(const struct table *t);
/* NULL-safe; returns NULL. The nodes' own allocations must be released first. */
struct table *table_free(struct table *t);

/* Nodes are keyed by (origin, address): one vigil, many reporting firewalls. */
struct src_node *table_lookup(const struct table *t, uint32_t origin, const struct addr *a);
/* A node keyed by (origin, a) (which must be absent), zeroed but for the
 * inline first pair, which its user initialises when it is needed. -ENOSPC
 * when the table holds max_nodes, -ENOMEM. */
int table_insert(struct table *t, uint32_t origin, const struct addr *a,
		 struct src_node **ret_node);
/* Unlink and recycle n (the caller released what n owns). */
void table_remove(struct table *t, struct src_node *n);

size_t table_count(const struct table *t);
bool table_full(const struct table *t);
/* The i-th live node (i < table_count()), in no useful order: a uniform
 * random i picks a uniform random live node. */
struct src_node *table_live(const struct table *t, uint32_t i);
/* Start loading where the i-th live node is (i < table_count()), then,
 * once that has arrived, the node's first bytes: so that several random
 * nodes are fetched from memory in parallel, in two rounds of latency. */
void table_prefetch_slot(const struct table *t, uint32_t i);
void table_prefetch_live(const struct table *t, uint32_t i);

/* Slab ids handed out so far: ids 0..span-1 are slots, live or free, in a
 * stable order (expiry's cursor walks them). */
uint32_t table_span(const struct table *t);
/* The live node in slot id, or NULL (free, or id >= span). */
struct src_node *table_slot_node(const struct table *t, uint32_t id);
uint32_t table_max(const struct table *t);
/* Change max_nodes (reload): -EBUSY when more nodes are live than that,
 * -ENOMEM. The table's bytes change by the dense array's. */
int table_set_max(struct table *t, uint32_t max_nodes);

#endif
