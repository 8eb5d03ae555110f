/* SPDX-License-Identifier: GPL-2.0-or-later */
/* table.c - slab + open-addressed index of sources (see table.h).
 *
 * Index slots hold (node id + 1, low 32 bits of the hash): a probe compares
 * the hash bits before it touches a node, so a miss costs one cache line.
 * The index starts small and doubles up to 2 * max_nodes slots, keeping the
 * load at or under 1/2 so probe chains stay short.
 */
#include "engine/table.h"

#include "engine/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_CHUNK_SHIFT 8 /* 256 nodes (~80 KB) per slab chunk */
#define TABLE_CHUNK	  (1u << TABLE_CHUNK_SHIFT)
#define TABLE_INDEX_MIN	  64
#define TABLE_NONE	  UINT32_MAX
#define TABLE_MAX_NODES	  (1u << 28)

struct table_slot {
	uint32_t id1; /* node id + 1; 0 = empty */
	uint32_t hash;
};

struct table {
	uint64_t seed;
	uint32_t max_nodes;
	uint32_t count;

	struct table_slot *index;
	uint32_t index_mask;

	struct src_node **chunks;
	uint32_t n_chunks, cap_chunks;
	uint32_t span;	    /* ids handed out so far */
	uint32_t free_head; /* recycled ids, linked through next_free */

	/* The ids of the count live nodes, each node knowing its place
	 * (dense_pos). Allocated for max_nodes at once: the pages are only
	 * touched as the table fills. */
	uint32_t *dense;
	size_t bytes; /* table_bytes() */
};

static size_t index_bytes(uint32_t slots)
{
	return mem_cost((size_t)slots * sizeof(struct table_slot));
}

static size_t chunk_bytes(void)
{
	return mem_cost(TABLE_CHUNK * sizeof(struct src_node));
}

size_t table_bytes_max(uint32_t max_nodes)
{
	uint32_t chunks = (max_nodes + TABLE_CHUNK - 1) / TABLE_CHUNK, cap = 8, slots = TABLE_INDEX_MIN;

	while (cap < chunks)
		cap *= 2;
	while (slots < 2 * (uint64_t)max_nodes)
		slots *= 2;
	return mem_cost(sizeof(struct table)) + mem_cost((size_t)max_nodes * sizeof(uint32_t)) +
	       index_bytes(slots) + mem_cost(cap * sizeof(struct src_node *)) +
	       (size_t)chunks * chunk_bytes();
}

size_t table_bytes(const struct table *t)
{
	return t->bytes;
}

int table_new(uint32_t max_nodes, uint64_t seed, struct table **ret_table)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->seed = seed;
	t->max_nodes = max_nodes < 1		     ? 1
		       : max_nodes > TABLE_MAX_NODES ? TABLE_MAX_NODES
						     : max_nodes;
	t->free_head = TABLE_NONE;
	t->index = calloc(TABLE_INDEX_MIN, sizeof(*t->index));
	t->dense = malloc((size_t)t->max_nodes * sizeof(*t->dense));
	if (!t->index || !t->dense) {
		free(t->index);
		free(t->dense);
		free(t);
		return -ENOMEM;
	}
	t->index_mask = TABLE_INDEX_MIN - 1;
	t->bytes = mem_cost(sizeof(*t)) + index_bytes(TABLE_INDEX_MIN) +
		   mem_cost((size_t)t->max_nodes * sizeof(*t->dense));
	*ret_table = t;
	return 0;
}

struct table *table_free(struct table *t)
{
	if (!t)
		return NULL;
	for (uint32_t i = 0; i < t->n_chunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	free(t->index);
	free(t->dense);
	free(t);
	return NULL;
}

static inline bool addr_same(const struct addr *a, const struct addr *b)
{
	return a->family == b->family && memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

/* The key's hash: origin 0 (this host) hashes as the address alone. */
static inline uint32_t key_hash(const struct table *t, uint32_t origin, const struct addr *a)
{
	return (uint32_t)addr_hash(a, t->seed ^ (uint64_t)origin * 0x9E3779B97F4A7C15ULL);
}

static inline struct src_node *table_at(const struct table *t, uint32_t id)
{
	return &t->chunks[id >> TABLE_CHUNK_SHIFT][id & (TABLE_CHUNK - 1)];
}

struct src_node *table_lookup(const struct table *t, uint32_t origin, const struct addr *a)
{
	uint32_t h = key_hash(t, origin, a);

	for (uint32_t i = h & t->index_mask;; i = (i + 1) & t->index_mask) {
		const struct table_slot *sl = &t->index[i];
		if (!sl->id1)
			return NULL;
		if (sl->hash == h) {
			struct src_node *n = table_at(t, sl->id1 - 1);
			if (n->s.origin == origin && addr_same(&n->s.src, a))
				return n;
		}
	}
}

static void index_put(struct table_slot *index, uint32_t mask, struct table_slot sl)
{
	uint32_t i = sl.hash & mask;

	while (index[i].id1)
		i = (i + 1) & mask;
	index[i] = sl;
}

static int table_grow_index(struct table *t)
{
	uint32_t old_size = t->index_mask + 1, size = 2 * old_size;
	struct table_slot *index = calloc(size, sizeof(*index));

	if (!index)
		return -ENOMEM;
	for (uint32_t i = 0; i < old_size; i++)
		if (t->index[i].id1)
			index_put(index, size - 1, t->index[i]);
	free(t->index);
	t->index = index;
	t->index_mask = size - 1;
	t->bytes += index_bytes(size) - index_bytes(old_size);
	return 0;
}

/* A free node id: a recycled one, else the next in the slab. */
static int table_take_id(struct table *t, uint32_t *ret_id)
{
	if (t->free_head != TABLE_NONE) {
		*ret_id = t->free_head;
		t->free_head = table_at(t, *ret_id)->next_free;
		return 0;
	}
	if ((t->span & (TABLE_CHUNK - 1)) == 0 && (t->span >> TABLE_CHUNK_SHIFT) == t->n_chunks) {
		if (t->n_chunks == t->cap_chunks) {
			uint32_t cap = t->cap_chunks ? 2 * t->cap_chunks : 8;
			struct src_node **c = realloc(t->chunks, cap * sizeof(*c));
			if (!c)
				return -ENOMEM;
			t->bytes += mem_cost(cap * sizeof(*c)) - mem_cost(t->cap_chunks * sizeof(*c));
			t->chunks = c;
			t->cap_chunks = cap;
		}
		t->chunks[t->n_chunks] = malloc(TABLE_CHUNK * sizeof(struct src_node));
		if (!t->chunks[t->n_chunks])
			return -ENOMEM;
		t->bytes += chunk_bytes();
		t->n_chunks++; /* ids >= span are never read: no need to touch the chunk */
	}
	*ret_id = t->span++;
	return 0;
}

int table_insert(struct table *t, uint32_t origin, const struct addr *a,
		 struct src_node **ret_node)
{
	struct src_node *n;
	uint32_t id;
	int r;

	if (t->count >= t->max_nodes)
		return -ENOSPC;
	if (2 * (uint64_t)(t->count + 1) > t->index_mask + 1 && (r = table_grow_index(t)) < 0)
		return r;
	if ((r = table_take_id(t, &id)) < 0)
		return r;
	n = table_at(t, id);
	memset(n, 0, sizeof(*n));
	n->s.src = *a;
	n->s.origin = origin;
	n->in_use = true;
	n->dense_pos = t->count;
	t->dense[t->count] = id;
	index_put(t->index, t->index_mask,
		  (struct table_slot){id + 1, key_hash(t, origin, a)});
	t->count++;
	*ret_node = n;
	return 0;
}

static uint32_t table_slot_of(const struct table *t, const struct src_node *n)
{
	uint32_t i = key_hash(t, n->s.origin, &n->s.src) & t->index_mask;

	while (t->index[i].id1 == 0 || table_at(t, t->index[i].id1 - 1) != n)
		i = (i + 1) & t->index_mask;
	return i;
}

/* Backward-shift deletion: pull later members of the probe chain into the
 * hole, so lookups never need tombstones. */
void table_remove(struct table *t, struct src_node *n)
{
	uint32_t mask = t->index_mask, i = table_slot_of(t, n), j = i;
	uint32_t id = t->index[i].id1 - 1;

	for (;;) {
		j = (j + 1) & mask;
		if (!t->index[j].id1)
			break;
		uint32_t home = t->index[j].hash & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			t->index[i] = t->index[j];
			i = j;
		}
	}
	t->index[i] = (struct table_slot){0, 0};
	/* the last live node takes n's place in the dense array */
	t->count--;
	t->dense[n->dense_pos] = t->dense[t->count];
	table_at(t, t->dense[t->count])->dense_pos = n->dense_pos;
	n->in_use = false;
	n->next_free = t->free_head;
	t->free_head = id;
}

size_t table_count(const struct table *t)
{
	return t->count;
}

bool table_full(const struct table *t)
{
	return t->count >= t->max_nodes;
}

struct src_node *table_live(const struct table *t, uint32_t i)
{
	return table_at(t, t->dense[i]);
}

void table_prefetch_slot(const struct table *t, uint32_t i)
{
	__builtin_prefetch(&t->dense[i]);
}

void table_prefetch_live(const struct table *t, uint32_t i)
{
	const char *p = (const char *)table_at(t, t->dense[i]);

	/* nodes are 8-aligned: the eviction keys may straddle two lines */
	__builtin_prefetch(p);
	__builtin_prefetch(p + offsetof(struct src_node, s.dl));
}

uint32_t table_span(const struct table *t)
{
	return t->span;
}

struct src_node *table_slot_node(const struct table *t, uint32_t id)
{
	struct src_node *n;

	if (id >= t->span)
		return NULL;
	n = table_at(t, id);
	return n->in_use ? n : NULL;
}

uint32_t table_max(const struct table *t)
{
	return t->max_nodes;
}

int table_set_max(struct table *t, uint32_t max_nodes)
{
	uint32_t *dense;

	max_nodes = max_nodes < 1 ? 1 : max_nodes > TABLE_MAX_NODES ? TABLE_MAX_NODES : max_nodes;
	if (max_nodes < t->count)
		return -EBUSY;
	if (max_nodes == t->max_nodes)
		return 0;
	if (!(dense = realloc(t->dense, (size_t)max_nodes * sizeof(*dense))))
		return -ENOMEM;
	t->bytes += mem_cost((size_t)max_nodes * sizeof(*dense));
	t->bytes -= mem_cost((size_t)t->max_nodes * sizeof(*dense));
	t->dense = dense;
	t->max_nodes = max_nodes;
	return 0;
}
