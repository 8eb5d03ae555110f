/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine.c - per-source scan state and psad's danger levels, per event.
 *
 * One engine_feed() per firewall record: filters (psad's pre-filters and
 * auto_dl level 0), then the source (bounded table, table.c), then the pair
 * (source, destination), then counters, the pair's scoring window and its
 * danger level (psad-behaviour.md 2.2) evaluated at once instead of once
 * per check interval. psad's bugs fixed here:
 *  - SCAN_TIMEOUT counts idle time since the pair's last packet, not time
 *    since its first, so a scan going on for hours keeps its window;
 *  - SYN with ECN bits is a SYN, and -sS is told from -sT (classify.c).
 *
 * Bounds: MEMORY_LIMIT bytes in all, counted allocation by allocation
 * (mem.h) and charged to the table or to the source that owns it; under it
 * MAX_SOURCES sources, MAX_SCAN_IP_PAIRS pairs in all and
 * MAX_DSTS_PER_SOURCE itemised destinations per source (more are only
 * counted, see dst_sketch_add()), the first and last lowered by engine_new()
 * so that they fit. Past any bound the source with the least evidence of a
 * random sample of live sources is evicted (as Redis' approximate LRU does,
 * but ranked by evidence: see evict_rank()). A known pair costs no
 * allocation; only a new source, pair, port span or finding allocates.
 */
#include "engine/engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "config/autodl.h"
#include "config/config.h"
#include "engine/blame.h"
#include "engine/classify.h"
#include "engine/intel.h"
#include "engine/mem.h"
#include "engine/engine-internal.h"
#include "engine/portset.h"
#include "engine/strpool.h"
#include "engine/table.h"
#include "util/escape.h"

#define EVICT_SAMPLES	8 /* sources compared to pick one to evict */
#define EVICT_EXACT_MAX 32 /* up to this many sources, compare them all */
#define EVIDENCE_WEIGHT 16 /* a distinct port, destination or signature, in packets */
#define EVIDENCE_HALF_LIFE (INT64_C(86400) * 1000000) /* idle µs that halve a source's rank */
#define US_PER_SEC 1000000
#define PAIR_LINEAR_MAX 4 /* pairs searched linearly before an index is built */
#define PAIRS_CAP_MIN	4
#define DST_BITS_MIN	1024 /* untracked-destination sketch, bits */
#define DST_BITS_MAX	65536


/* Everything one engine_feed() works on. */
struct feed {
	struct engine *e;
	const struct event *ev;
	int64_t now;
	struct src_node *n;
	struct pair_state *p; /* NULL when the destination is not itemised */
	uint8_t old_src_dl;
};

static const char *const verdict_names[_ENGINE_VERDICT_MAX] = {
    [ENGINE_COUNTED] = "counted",
    [ENGINE_IGNORED_IPV6] = "ipv6",
    [ENGINE_IGNORED_PREFIX] = "prefix",
    [ENGINE_IGNORED_INTF] = "interface",
    [ENGINE_IGNORED_PROTO] = "protocol",
    [ENGINE_IGNORED_PORT] = "port",
    [ENGINE_IGNORED_CONNTRACK] = "conntrack",
    [ENGINE_IGNORED_AUTODL] = "auto_dl",
    [ENGINE_IGNORED_SIGNATURE] = "signature",
    [ENGINE_IGNORED_LOG_PREFIX] = "log_prefix",
    [ENGINE_IGNORED_ACCEPTED] = "accepted",
    [ENGINE_IGNORED_OUTPUT] = "output",
    [ENGINE_IGNORED_REPLY] = "reply",
};

const char *engine_verdict_name(enum engine_verdict v)
{
	return (unsigned)v < _ENGINE_VERDICT_MAX ? verdict_names[v] : "unknown";
}

/* splitmix64: enough to spread eviction samples, not for secrets. */
static uint64_t engine_rand(struct engine *e)
{
	uint64_t z = (e->rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t engine_seed(const void *salt)
{
	uint64_t seed;
	struct timespec ts;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed))
		return seed;
	/* no entropy yet (early boot): still differs per run and per engine */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^ (uintptr_t)salt;
}

static bool proto_has_ports(uint8_t proto)
{
	return proto == IPPROTO_NUM_TCP || proto == IPPROTO_NUM_UDP || proto == IPPROTO_NUM_UDPLITE;
}

/* addr_eq(), inlined for the per-packet pair lookup (17 bytes, no call). */
static inline bool addr_same(const struct addr *a, const struct addr *b)
{
	return a->family == b->family && memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

static uint8_t max_u8(uint8_t a, uint8_t b)
{
	return a > b ? a : b;
}

static uint32_t dst_bits_for(uint32_t max_dsts);

/* ---- filters ------------------------------------------------------------ */

static bool engine_intf_ignored(const struct config *cfg, const struct event *ev)
{
	/* the interface the packet came in on, or left by for OUTPUT */
	struct span intf = ev->chain == CHAIN_OUTPUT ? ev->out : ev->in;

	if (ev->chain == CHAIN_NONE && !intf.len)
		intf = ev->out;
	return intf.len && config_intf_ignored(cfg, intf.p, intf.len);
}

/* psad's pre-filters, in psad's order; then auto_dl. *ret_adl is the
 * auto_dl entry that raises the source, if any. */
static enum engine_verdict engine_filter(const struct engine *e, const struct event *ev,
					 const struct autodl_entry **ret_adl)
{
	const struct config *cfg = e->cfg;
	bool ports = ev->has_ports && proto_has_ports(ev->proto);
	enum engine_verdict v;

	if (event_is_v6(ev) && !cfg->enable_ipv6)
		return ENGINE_IGNORED_IPV6;
	if (!cfg->fw_search_all && !config_prefix_selected(cfg, ev->prefix.p, ev->prefix.len))
		return ENGINE_IGNORED_PREFIX;
	if (cfg->n_ignore_intf && engine_intf_ignored(cfg, ev))
		return ENGINE_IGNORED_INTF;
	if (cfg->ignore_proto[ev->proto])
		return ENGINE_IGNORED_PROTO;
	if (ports && cfg->n_ignore_ports && config_port_ignored(cfg, ev->proto, ev->dport))
		return ENGINE_IGNORED_PORT;
	if (cfg->ignore_conntrack_bug_pkts && ev->proto == IPPROTO_NUM_TCP &&
	    (ev->tcp_flags & (TCPF_ACK | TCPF_RST)))
		return ENGINE_IGNORED_CONNTRACK;
	if ((v = blame_filter(e->blame, ev)) != ENGINE_COUNTED)
		return v;
	if (e->adl) {
		const struct autodl_entry *a =
		    autodl_match(e->adl, &ev->src, ev->proto, ports, ev->dport);
		if (a && a->dl == 0)
			return ENGINE_IGNORED_AUTODL;
		*ret_adl = a;
	}
	return ENGINE_COUNTED;
}

/* ---- releasing and evicting sources -------------------------------------- */

/* The heap a pair's own allocation takes (its port sets are apart). */
#define PAIR_COST mem_cost(sizeof(struct pair_state))

/* Into the pair cache (which the engine's count keeps holding), or free. */
static void pair_release(struct engine *e, struct pair_state *p)
{
	portset_done(&p->tcp.ports);
	portset_done(&p->udp.ports);
	portset_done(&p->udplite.ports);
	if (e->n_pair_cache < PAIR_CACHE_MAX) {
		e->pair_cache[e->n_pair_cache++] = p;
		e->mem_used += PAIR_COST;
	} else {
		free(p);
	}
}

/* Free what n owns; the caller takes n->bytes off the engine's count. */
static void node_release(struct engine *e, struct src_node *n)
{
	intel_free(n->s.intel);
	blame_reflect_free(n->s.reflected);
	n->s.reflected = NULL;
	for (uint32_t i = 0; i < n->s.n_pairs; i++)
		pair_release(e, n->s.pairs[i]);
	if (n->s.pairs != &n->first_ptr)
		free(n->s.pairs);
	n->s.intel = NULL;
	free(n->s.protos_more);
	n->s.protos_more = NULL;
	if (n->more) {
		free(n->more->pair_index);
		free(n->more->dst_bits);
		free(n->more);
	}
	n->s.pairs = NULL;
	n->more = NULL;
}

/* ---- memory accounting --------------------------------------------------- */

/* n took (or gave back, delta < 0) heap of that mem_cost(). */
static void mem_charge(struct engine *e, struct src_node *n, int64_t delta)
{
	n->bytes = (uint64_t)((int64_t)n->bytes + delta);
	e->mem_used = (uint64_t)((int64_t)e->mem_used + delta);
}

/* A portset after portset_add(): charge what its allocation changed by. */
static void mem_portset(struct engine *e, struct src_node *n, size_t before,
			const struct portset *ps)
{
	size_t after = portset_bytes(ps);

	if (after != before)
		mem_charge(e, n, (int64_t)mem_cost(after) - (int64_t)mem_cost(before));
}

/* The table grew (a slab chunk, a larger index): charge it. */
static void mem_table(struct engine *e, size_t before)
{
	e->mem_used += table_bytes(e->sources) - before;
}

static void *node_alloc(struct engine *e, struct src_node *n, size_t size)
{
	void *p = malloc(size);

	if (p)
		mem_charge(e, n, (int64_t)mem_cost(size));
	return p;
}

static void *node_calloc(struct engine *e, struct src_node *n, size_t count, size_t size)
{
	void *p = calloc(count, size);

	if (p)
		mem_charge(e, n, (int64_t)mem_cost(count * size));
	return p;
}

static void node_free(struct engine *e, struct src_node *n, void *p, size_t size)
{
	if (!p)
		return;
	free(p);
	mem_charge(e, n, -(int64_t)mem_cost(size));
}

static struct src_more *node_more(struct engine *e, struct src_node *n)
{
	if (!n->more)
		n->more = node_calloc(e, n, 1, sizeof(*n->more));
	return n->more;
}

/* ---- evidence and eviction ----------------------------------------------- */

/* What a source has shown, in packets: every packet, and EVIDENCE_WEIGHT
 * more for each distinct port, destination and signature. One spoofed
 * packet that hits a DL 3 signature port is worth 1 + 3 * 16 = 49; a
 * 100-port scan of one host 100 + 101 * 16 = 1716. The danger level is
 * not part of it: one packet can raise a level (a signature, auto_dl, a
 * reputation list) but is still one packet of evidence, and auto_dl and
 * reputation raise it again on the next packet anyway. */
static uint32_t evidence_of(const struct src_node *n)
{
	const struct source_state *s = &n->s;
	uint64_t units = (uint64_t)n->ports + s->n_pairs + s->untracked_dsts +
			 (s->intel ? (uint64_t)s->intel->n_sigs + s->intel->sigs_other : 0);
	uint64_t ev = s->packets + EVIDENCE_WEIGHT * units;

	return ev > UINT32_MAX ? UINT32_MAX : (uint32_t)ev;
}

/* The evidence, halved for every EVIDENCE_HALF_LIFE the source has been
 * idle: old evidence gives way to new, slowly. 0 once it has been idle
 * longer than SOURCE_TIMEOUT (expiry would forget it anyway): stale
 * sources go first, as every source with a packet has evidence. */
static uint32_t evict_rank(const struct engine *e, const struct src_node *n)
{
	uint64_t age = e->now > n->seen_us ? (uint64_t)e->now - (uint64_t)n->seen_us : 0;
	uint64_t halvings = age / EVIDENCE_HALF_LIFE;

	return halvings >= 32 || age > e->source_timeout_us ? 0 : n->evidence >> halvings;
}

/* Least evidence first; then the lower level; then idle longer. */
static bool evict_before(const struct engine *e, const struct src_node *a,
			 const struct src_node *b)
{
	uint32_t ra = evict_rank(e, a), rb = evict_rank(e, b);

	if (ra != rb)
		return ra < rb;
	if (a->s.dl != b->s.dl)
		return a->s.dl < b->s.dl;
	return a->seen_us < b->seen_us;
}

/* The source with the least evidence among EVICT_SAMPLES random live
 * sources other than keep: O(1) per eviction however many sources there
 * are and however sparse their slab (the samples come from the table's
 * dense array of live nodes). A small table is searched whole. NULL when
 * keep is the only source. */
static struct src_node *engine_pick_victim(struct engine *e, const struct src_node *keep)
{
	uint32_t count = (uint32_t)table_count(e->sources), ids[EVICT_SAMPLES];
	struct src_node *best = NULL, *n;

	if (count <= EVICT_EXACT_MAX) {
		for (uint32_t i = 0; i < count; i++) {
			n = table_live(e->sources, i);
			if (n != keep && (!best || evict_before(e, n, best)))
				best = n;
		}
		return best;
	}
	/* fetch all samples at once: two memory latencies, not sixteen */
	for (uint32_t k = 0; k < EVICT_SAMPLES; k++) {
		ids[k] = (uint32_t)(engine_rand(e) % count);
		table_prefetch_slot(e->sources, ids[k]);
	}
	for (uint32_t k = 0; k < EVICT_SAMPLES; k++)
		table_prefetch_live(e->sources, ids[k]);
	for (uint32_t k = 0; k < EVICT_SAMPLES; k++) {
		n = table_live(e->sources, ids[k]);
		if (n != keep && (!best || evict_before(e, n, best)))
			best = n;
	}
	/* all samples were keep: any other source will do */
	return best ? best : table_live(e->sources, table_live(e->sources, 0) == keep);
}

/* More dangerous first: level, then evidence, then packets. */
static bool evicted_above(const struct engine_evicted *a, const struct engine_evicted *b)
{
	if (a->dl != b->dl)
		return a->dl > b->dl;
	if (a->evidence != b->evidence)
		return a->evidence > b->evidence;
	return a->packets > b->packets;
}

/* Keep n among the ENGINE_EVICTED_TOP most dangerous evicted sources
 * (an address that comes back and is evicted again is listed once, as
 * the more dangerous of the two). */
static void evicted_note(struct engine *e, const struct src_node *n)
{
	struct engine_stats *st = &e->stats;
	struct engine_evicted x = {
	    .src = n->s.src,
	    .dl = n->s.dl,
	    .evidence = n->evidence,
	    .packets = n->s.packets,
	    .ports = n->ports,
	    .dsts = (uint64_t)n->s.n_pairs + n->s.untracked_dsts,
	};
	size_t i, len = st->n_evicted_top;

	if (len == ENGINE_EVICTED_TOP && !evicted_above(&x, &st->evicted_top[len - 1]))
		return;
	for (i = 0; i < len; i++) {
		if (addr_same(&st->evicted_top[i].src, &x.src)) {
			if (!evicted_above(&x, &st->evicted_top[i]))
				return;
			break;
		}
	}
	if (i == len) /* a new address: the last one drops off when full */
		i = len < ENGINE_EVICTED_TOP ? st->n_evicted_top++ : len - 1;
	/* move x up from slot i to its place */
	while (i > 0 && evicted_above(&x, &st->evicted_top[i - 1])) {
		st->evicted_top[i] = st->evicted_top[i - 1];
		i--;
	}
	st->evicted_top[i] = x;
}

/* A source going (EXPIRED, EVICTED): tell the callback while it is there. */
static void engine_notify_gone(struct engine *e, const struct src_node *n,
			       enum engine_change_kind kind)
{
	struct engine_change c = {
	    .kind = kind, .src = &n->s, .old_dl = n->s.dl, .new_dl = n->s.dl,
	};

	if (e->cb)
		e->cb(&c, e->cb_data);
}

void engine_node_drop(struct engine *e, struct src_node *n)
{
	e->total_pairs -= n->s.n_pairs;
	node_release(e, n);
	e->mem_used -= n->bytes;
	table_remove(e->sources, n);
}

static void engine_evict(struct engine *e, struct src_node *n)
{
	/* what node_release() reads first, while the rest goes on */
	if (n->s.n_pairs)
		__builtin_prefetch(n->s.pairs[0]);
	if (n->s.intel)
		__builtin_prefetch(n->s.intel);
	e->stats.sources_evicted++;
	e->stats.packets_evicted += n->s.packets;
	evicted_note(e, n);
	if (e->cb)
		engine_notify_gone(e, n, ENGINE_CHANGE_EVICTED);
	engine_node_drop(e, n);
}

static bool engine_over(const struct engine *e, bool new_source)
{
	return (new_source && table_full(e->sources)) ||
	       (e->max_pairs && e->total_pairs >= e->max_pairs);
}

/* Evict until a new source (new_source) or a new pair fits; keep is never
 * evicted. False when nothing else can go. */
static bool engine_make_room(struct engine *e, const struct src_node *keep, bool new_source)
{
	while (engine_over(e, new_source)) {
		struct src_node *victim = engine_pick_victim(e, keep);
		if (!victim)
			return false;
		engine_evict(e, victim);
	}
	return true;
}

/* ---- sources ------------------------------------------------------------- */

/* A new, empty source (room made for it), or NULL. */
struct src_node *engine_node_new(struct engine *e, uint32_t origin, const struct addr *src)
{
	size_t table_before;
	struct src_node *n;

	if (!engine_make_room(e, NULL, true))
		return NULL;
	/* a new slab chunk must fit under MEMORY_LIMIT too: make room first */
	if (__builtin_expect(table_insert_cost(e->sources) > 0, 0)) {
		while (e->mem_used + table_insert_cost(e->sources) > e->mem_limit) {
			struct src_node *victim = engine_pick_victim(e, NULL);
			if (!victim)
				break;
			engine_evict(e, victim);
		}
	}
	table_before = table_bytes(e->sources);
	if (table_insert(e->sources, origin, src, &n) < 0)
		return NULL;
	mem_table(e, table_before);
	return n;
}

static struct src_node *engine_source_get(struct engine *e, uint32_t origin,
					  const struct addr *src)
{
	struct src_node *n = table_lookup(e->sources, origin, src);

	if (n)
		return n;
	if (!(n = engine_node_new(e, origin, src)))
		return NULL;
	if (e->m && intel_new_source(e->m, &e->intel, &n->s) < 0)
		e->stats.oom++;
	return n;
}

/* A protocol past the inline ones (an -sO scan): counted in protos_more,
 * which grows in steps charged to the source. */
static void source_proto_more(struct engine *e, struct src_node *n, uint8_t proto)
{
	struct source_state *s = &n->s;
	unsigned k = s->n_protos - SOURCE_PROTOS_INLINE, cap;
	struct proto_count *more;

	for (unsigned i = 0; i < k; i++) {
		if (s->protos_more[i].proto == proto) {
			s->protos_more[i].count++;
			return;
		}
	}
	cap = source_protos_more_cap(k + 1);
	if (!k || cap != source_protos_more_cap(k)) {
		if (!(more = realloc(s->protos_more, cap * sizeof(*more)))) {
			e->stats.oom++;
			return;
		}
		mem_charge(e, n, (int64_t)mem_cost(cap * sizeof(*more)) -
				 (int64_t)(k ? mem_cost(source_protos_more_cap(k) * sizeof(*more)) : 0));
		s->protos_more = more;
	}
	s->protos_more[k] = (struct proto_count){proto, 1};
	s->n_protos++;
}

static void source_count(struct engine *e, struct src_node *n, const struct event *ev, int64_t now)
{
	struct source_state *s = &n->s;

	if (!s->packets++) {
		s->first_us = s->last_us = now;
	} else if (now > s->last_us) {
		s->last_us = now;
	} else if (now < s->first_us) {
		s->first_us = now;
	}
	n->seen_us = now;
	vtime_merge(&s->first, &s->last, &ev->time);
	for (unsigned i = 0; i < s->n_protos && i < SOURCE_PROTOS_INLINE; i++) {
		if (s->protos[i].proto == ev->proto) {
			s->protos[i].count++;
			return;
		}
	}
	if (s->n_protos < SOURCE_PROTOS_INLINE)
		s->protos[s->n_protos++] = (struct proto_count){ev->proto, 1};
	else
		source_proto_more(e, n, ev->proto);
}

/* ---- destinations not itemised ------------------------------------------- */

/* The sketch's bit for dst: the top bits of addr_hash() mixed once more.
 * Linear counting needs bits that look random; the low bits of addr_hash()
 * spread consecutive addresses (a sweep) more evenly than random ones
 * would, which made the sketch count up to twice the destinations there
 * were. */
static uint32_t dst_sketch_bit(const struct engine *e, const struct addr *dst)
{
	uint64_t h = addr_hash(dst, e->pair_seed);

	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDULL;
	h ^= h >> 33;
	return (uint32_t)(h >> 32); /* the caller keeps the sketch's bits */
}

/* Count a destination beyond MAX_DSTS_PER_SOURCE once, without keeping it:
 * a bitmap of hashed destinations (linear counting). When the k-th bit is
 * set, m / (m - k) distinct destinations are expected to have been drawn
 * (coupon collector), so summing that keeps the estimate unbiased even as
 * hash collisions grow: exact for a few, within a few percent for
 * thousands. The count stops near m ln 16 (180k with the default 4096
 * itemised destinations, m = 64k bits) when the bitmap is 15/16 full. The
 * sketch is 16 bits per itemisable destination (m is a power of two in
 * 1024..65536: at most 8 KiB) and only a source that overflows has one. */
static void dst_sketch_add(struct engine *e, struct src_node *n, const struct addr *dst)
{
	struct src_more *x = node_more(e, n);
	uint32_t m, bit;
	uint64_t est;

	if (x && !x->dst_bits && (x->dst_bits = node_calloc(e, n, e->dst_bits / 64, sizeof(uint64_t))))
		x->dst_bits_m = e->dst_bits; /* its size stays when a reload changes e's */
	if (!x || !x->dst_bits) {
		e->stats.oom++;
		return;
	}
	m = x->dst_bits_m;
	bit = dst_sketch_bit(e, dst) & (m - 1);
	if (x->dst_bits[bit >> 6] & (UINT64_C(1) << (bit & 63)))
		return;
	if (x->dst_bits_set >= m - m / 16)
		return;
	x->dst_bits[bit >> 6] |= UINT64_C(1) << (bit & 63);
	x->dst_est_q16 += ((uint64_t)m << 16) / (m - x->dst_bits_set);
	x->dst_bits_set++;
	est = (x->dst_est_q16 + (1u << 15)) >> 16;
	if (est > n->s.untracked_dsts) {
		e->stats.dsts_untracked += est - n->s.untracked_dsts;
		n->s.untracked_dsts = (uint32_t)est;
	}
}

static void engine_untracked(struct engine *e, struct src_node *n, const struct addr *dst)
{
	n->s.untracked_packets++;
	dst_sketch_add(e, n, dst);
}

/* ---- pairs --------------------------------------------------------------- */

static uint32_t pair_hash(const struct engine *e, const struct addr *dst)
{
	return (uint32_t)addr_hash(dst, e->pair_seed);
}

/* Index of dst among n's pairs, or -1. */
static int64_t pair_find(const struct engine *e, const struct src_node *n, const struct addr *dst)
{
	const struct source_state *s = &n->s;
	const struct src_more *x = n->more;

	if (!x || !x->pair_index) {
		for (uint32_t i = 0; i < s->n_pairs; i++)
			if (addr_same(&s->pairs[i]->dst, dst))
				return i;
		return -1;
	}
	for (uint32_t i = pair_hash(e, dst) & x->pair_index_mask;;
	     i = (i + 1) & x->pair_index_mask) {
		uint32_t id1 = x->pair_index[i];
		if (!id1)
			return -1;
		if (addr_same(&s->pairs[id1 - 1]->dst, dst))
			return id1 - 1;
	}
}

static void pair_index_put(const struct engine *e, struct src_node *n, uint32_t idx)
{
	struct src_more *x = n->more;
	uint32_t i = pair_hash(e, &n->s.pairs[idx]->dst) & x->pair_index_mask;

	while (x->pair_index[i])
		i = (i + 1) & x->pair_index_mask;
	x->pair_index[i] = idx + 1;
}

/* Keep the index at load <= 1/2 once there are more than PAIR_LINEAR_MAX
 * pairs. Without memory for it, lookups fall back to a linear search. */
static void pair_index_update(struct engine *e, struct src_node *n)
{
	uint32_t np = n->s.n_pairs, size;
	struct src_more *x;

	if (np <= PAIR_LINEAR_MAX || !(x = node_more(e, n)))
		return;
	if (x->pair_index && 2 * (uint64_t)np <= (uint64_t)x->pair_index_mask + 1) {
		pair_index_put(e, n, np - 1);
		return;
	}
	if (x->pair_index)
		node_free(e, n, x->pair_index,
			  ((size_t)x->pair_index_mask + 1) * sizeof(*x->pair_index));
	for (size = 32; size < 4 * (uint64_t)np; size *= 2)
		;
	x->pair_index = node_calloc(e, n, size, sizeof(*x->pair_index));
	if (!x->pair_index)
		return;
	x->pair_index_mask = size - 1;
	for (uint32_t i = 0; i < np; i++)
		pair_index_put(e, n, i);
}

static int pairs_reserve(struct engine *e, struct src_node *n, uint32_t max)
{
	struct source_state *s = &n->s;
	struct pair_state **v;
	uint32_t cap;

	if (s->n_pairs < s->cap_pairs)
		return 0;
	cap = s->cap_pairs < PAIRS_CAP_MIN ? PAIRS_CAP_MIN : 2 * s->cap_pairs;
	if (cap > max)
		cap = max;
	if (s->pairs == &n->first_ptr) {
		v = malloc(cap * sizeof(*v));
		if (v)
			memcpy(v, s->pairs, s->n_pairs * sizeof(*v));
	} else {
		v = realloc(s->pairs, cap * sizeof(*v));
	}
	if (!v)
		return -ENOMEM;
	mem_charge(e, n,
		   (int64_t)mem_cost(cap * sizeof(*v)) -
		       (int64_t)(s->pairs == &n->first_ptr ? 0 : mem_cost(s->cap_pairs * sizeof(*v))));
	s->pairs = v;
	s->cap_pairs = cap;
	return 0;
}

static void pair_init(struct pair_state *p, const struct event *ev)
{
	memset(p, 0, sizeof(*p));
	p->dst = ev->dst;
	p->chain = ev->chain < _CHAIN_MAX ? ev->chain : CHAIN_NONE;
	(void)escape_bytes(ev->in.p, ev->in.len, p->in, sizeof(p->in));
	(void)escape_bytes(ev->out.p, ev->out.len, p->out, sizeof(p->out));
	portset_init(&p->tcp.ports);
	portset_init(&p->udp.ports);
	portset_init(&p->udplite.ports);
	p->win_port_lo = p->win_port_hi = -1;
}

/* A new pair for ev->dst (n has room for it), or NULL on -ENOMEM. */
static struct pair_state *pair_new(struct engine *e, struct src_node *n, const struct event *ev)
{
	struct source_state *s = &n->s;
	struct pair_state *p;

	if (s->n_pairs > 0 && pairs_reserve(e, n, e->max_dsts) < 0)
		return NULL;
	if (e->n_pair_cache) { /* the count moves from the cache to n */
		p = e->pair_cache[--e->n_pair_cache];
		n->bytes += PAIR_COST;
	} else if (!(p = node_alloc(e, n, sizeof(*p)))) {
		return NULL;
	}
	if (s->n_pairs == 0) {
		/* no pointer array for a one-destination source (most of a
		 * spoofed flood) */
		s->pairs = &n->first_ptr;
		s->cap_pairs = 1;
	}
	pair_init(p, ev);
	s->pairs[s->n_pairs++] = p;
	e->total_pairs++;
	pair_index_update(e, n);
	return p;
}

/* The pair for ev->dst, created if needed; NULL when the destination is
 * only counted (MAX_DSTS_PER_SOURCE, MAX_SCAN_IP_PAIRS) or memory ran out. */
static struct pair_state *engine_pair_get(struct engine *e, struct src_node *n,
					  const struct event *ev)
{
	struct source_state *s = &n->s;
	struct pair_state *p;
	int64_t i;

	if (s->n_pairs && addr_same(&s->pairs[n->last_pair]->dst, &ev->dst))
		return s->pairs[n->last_pair];
	if ((i = pair_find(e, n, &ev->dst)) >= 0) {
		n->last_pair = (uint32_t)i;
		return s->pairs[i];
	}
	if (s->n_pairs >= e->max_dsts || !engine_make_room(e, n, false)) {
		engine_untracked(e, n, &ev->dst);
		return NULL;
	}
	if (!(p = pair_new(e, n, ev))) {
		e->stats.oom++;
		return NULL;
	}
	n->last_pair = s->n_pairs - 1;
	return p;
}

static void ports_count(struct engine *e, struct src_node *n, struct ports_stats *ps,
			const struct event *ev)
{
	size_t before;
	int r;

	ps->packets++;
	if (!ev->has_ports)
		return;
	before = portset_bytes(&ps->ports);
	r = portset_add(&ps->ports, ev->dport);
	if (r < 0)
		e->stats.oom++;
	if (r > 0) {
		if (n->ports < UINT32_MAX)
			n->ports++;
		mem_portset(e, n, before, &ps->ports);
	}
}

static void flags_count(struct pair_state *p, uint8_t flags)
{
	for (uint8_t i = 0; i < p->n_flags; i++) {
		if (p->flags[i].flags == flags) {
			p->flags[i].count++;
			return;
		}
	}
	if (p->n_flags < PAIR_FLAGSETS_MAX)
		p->flags[p->n_flags++] = (struct flag_count){flags, 1};
	else
		p->flags_other++;
}

static void icmp_count(struct pair_state *p, uint8_t type, uint8_t code)
{
	for (uint8_t i = 0; i < p->n_icmp; i++) {
		if (p->icmp[i].type == type && p->icmp[i].code == code) {
			p->icmp[i].count++;
			return;
		}
	}
	if (p->n_icmp < PAIR_ICMP_MAX)
		p->icmp[p->n_icmp++] = (struct icmp_count){type, code, 1};
	else
		p->icmp_other++;
}

static void tcp_count(struct engine *e, struct src_node *n, struct pair_state *p,
		      const struct event *ev, uint32_t types)
{
	ports_count(e, n, &p->tcp, ev);
	if (!ev->has_ports) /* header not logged: no flags either */
		return;
	flags_count(p, ev->tcp_flags);
	if (types & UINT32_C(1) << SCAN_SYN)
		p->syn_packets++;
	else if (types & UINT32_C(1) << SCAN_CONNECT)
		p->connect_packets++;
}

static void pair_count(struct engine *e, struct src_node *n, struct pair_state *p,
		       const struct event *ev)
{
	uint8_t bit = (uint8_t)(1u << (ev->proto & 7));
	uint32_t types = classify_packet(ev);

	p->packets++;
	p->chain_packets[ev->chain < _CHAIN_MAX ? ev->chain : CHAIN_NONE]++;
	vtime_merge(&p->first, &p->last, &ev->time);
	if (!(p->protos[ev->proto >> 3] & bit)) {
		p->protos[ev->proto >> 3] |= bit;
		p->n_protos++;
	}
	switch (ev->proto) {
	case IPPROTO_NUM_TCP:
		tcp_count(e, n, p, ev, types);
		break;
	case IPPROTO_NUM_UDP:
		ports_count(e, n, &p->udp, ev);
		break;
	case IPPROTO_NUM_UDPLITE:
		ports_count(e, n, &p->udplite, ev);
		break;
	case IPPROTO_NUM_ICMP:
	case IPPROTO_NUM_ICMPV6:
		if (!event_is_icmp(ev)) { /* the other family's ICMP: a bare protocol number */
			p->other_packets++;
			break;
		}
		p->icmp_packets++;
		if (ev->has_icmp)
			icmp_count(p, ev->icmp_type, ev->icmp_code);
		break;
	default:
		p->other_packets++;
		break;
	}
	p->probe_types |= types;
}

/* ---- scoring ------------------------------------------------------------- */

static bool window_idle(const struct config *cfg, const struct pair_state *p, int64_t now)
{
	/* the clock may step back (log order, reboots): that is not idleness */
	return !cfg->enable_persistence && now > p->win_last_us &&
	       (uint64_t)now - (uint64_t)p->win_last_us > (uint64_t)cfg->scan_timeout * US_PER_SEC;
}

/* The scoring window restarts after SCAN_TIMEOUT of silence; the report's
 * counters (packets, ports, flags) are never reset. */
static void pair_window(struct engine *e, struct pair_state *p, const struct event *ev, int64_t now)
{
	if (p->win_packets && window_idle(e->cfg, p, now)) {
		p->win_packets = 0;
		p->win_port_lo = p->win_port_hi = -1;
		e->stats.pairs_expired++;
	}
	p->win_packets++;
	p->win_last_us = now;
	if (!ev->has_ports || !proto_has_ports(ev->proto))
		return;
	if (p->win_port_lo < 0 || ev->dport < p->win_port_lo)
		p->win_port_lo = ev->dport;
	if (p->win_port_hi < 0 || ev->dport > p->win_port_hi)
		p->win_port_hi = ev->dport;
}

/* The "port range" psad gates on: the window's span of destination ports;
 * for a pair that has used protocols without ports (ICMP, ESP, ...), the
 * packet count instead. TCP or UDP whose header was not logged (fragments,
 * INCOMPLETE) has ports we cannot see: range 0, as psad, which drops such
 * lines, would have it. */
static uint64_t pair_range(const struct pair_state *p, uint64_t pkts)
{
	if (p->win_port_lo >= 0)
		return (uint64_t)(p->win_port_hi - p->win_port_lo);
	return p->icmp_packets || p->other_packets ? pkts : 0;
}

/* The breadth a pair has shown since its first packet: its distinct
 * destination ports (TCP, UDP and UDP-Lite apart). The report's port sets
 * are never reset, so a low-and-slow scan keeps what it has shown when its
 * scoring window restarts. */
static inline uint64_t pair_ports(const struct pair_state *p)
{
	return (uint64_t)p->tcp.ports.count + p->udp.ports.count + p->udplite.ports.count;
}

/* The span those ports cover (all protocols). */
static uint64_t pair_port_span(const struct pair_state *p)
{
	const struct portset *sets[] = {&p->tcp.ports, &p->udp.ports, &p->udplite.ports};
	int32_t lo = -1, hi = -1;

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		if (!sets[i]->count)
			continue;
		if (lo < 0 || sets[i]->min < lo)
			lo = sets[i]->min;
		if (sets[i]->max > hi)
			hi = sets[i]->max;
	}
	return lo < 0 ? 0 : (uint64_t)(hi - lo);
}

/* psad 2.2 for one pair: the gate, then the higher of the packet ladder and
 * the sweep ladder; 0 when the pair does not score. live is false for a
 * pair whose window has gone idle: only the sweep can raise it then.
 *
 * The packet ladder also reads the pair's distinct ports since its first
 * packet (each took at least one packet): psad -A never resets a pair, and
 * psad's daemon resets it every SCAN_TIMEOUT, so a scan of 150 ports spread
 * over two days (or a fast one that ufw's 3-a-minute log limit spreads out)
 * is DL 3 for one and forgotten by the other. vigil's window still restarts
 * (repetition of a few ports does not pile up for ever), breadth does not. */
static uint8_t pair_level(const struct config *cfg, const struct pair_state *p, uint64_t tot_dsts,
			  bool live)
{
	uint64_t pkts = live ? p->win_packets : 0, ports = pair_ports(p);
	bool sweep = tot_dsts >= cfg->unique_hosts[1];
	bool win = pkts >= cfg->danger_level[1] &&
		   (pair_range(p, pkts) >= cfg->port_range_scan_threshold ||
		    p->n_protos >= cfg->protocol_scan_threshold);
	uint8_t dl = 0, wide;

	if (win || sweep)
		dl = max_u8(classify_ladder(cfg->danger_level, pkts),
			    classify_ladder(cfg->unique_hosts, tot_dsts));
	/* breadth, when it would raise the pair (the span is the costly part) */
	if (ports >= cfg->danger_level[1] &&
	    (wide = classify_ladder(cfg->danger_level, ports)) > max_u8(dl, p->dl) &&
	    pair_port_span(p) >= cfg->port_range_scan_threshold)
		dl = max_u8(wide, classify_ladder(cfg->unique_hosts, tot_dsts));
	return dl;
}

static void engine_notify(struct feed *f, const struct pair_state *p, uint8_t old_dl,
			  uint8_t new_dl)
{
	struct engine_change c = {
	    .kind = ENGINE_CHANGE_LEVEL,
	    .src = &f->n->s,
	    .dst = p,
	    .old_dl = old_dl,
	    .new_dl = new_dl,
	    .ev = f->ev,
	};

	if (f->e->cb)
		f->e->cb(&c, f->e->cb_data);
}

/* Raise p's level if it scores now; publish its scan kinds once it has a
 * level, and tell the callback when the level rose. */
static void pair_rescore(struct feed *f, struct pair_state *p, uint64_t tot_dsts, bool live)
{
	const struct config *cfg = f->e->cfg;
	struct source_state *s = &f->n->s;
	uint8_t old = p->dl, dl = pair_level(cfg, p, tot_dsts, live);

	if (dl > p->dl)
		p->dl = dl;
	if (!p->dl)
		return;
	s->scan_dl = max_u8(s->scan_dl, p->dl);
	p->scan_types = p->probe_types;
	if (p->n_protos >= cfg->protocol_scan_threshold)
		p->scan_types |= UINT32_C(1) << SCAN_PROTO;
	s->scan_types |= p->scan_types;
	s->dl = max_u8(s->dl, p->dl);
	if (p->dl > old)
		engine_notify(f, p, old, p->dl);
}

/* The source crossed a sweep threshold: psad, which scores a whole interval
 * at once, would give every destination of the sweep that level, not only
 * the one that happened to be hit last. */
static void source_rescore_all(struct feed *f, uint64_t tot_dsts)
{
	struct source_state *s = &f->n->s;

	for (uint32_t i = 0; i < s->n_pairs; i++) {
		struct pair_state *p = s->pairs[i];
		pair_rescore(f, p, tot_dsts, p == f->p || !window_idle(f->e->cfg, p, f->now));
	}
}

static void engine_score(struct feed *f)
{
	struct source_state *s = &f->n->s;
	uint64_t tot_dsts = (uint64_t)s->n_pairs + s->untracked_dsts;
	uint8_t sweep = classify_ladder(f->e->cfg->unique_hosts, tot_dsts);

	if (sweep > s->sweep_dl) {
		s->sweep_dl = sweep;
		s->scan_types |= UINT32_C(1) << SCAN_SWEEP;
		source_rescore_all(f, tot_dsts);
	} else if (f->p) {
		pair_rescore(f, f->p, tot_dsts, true);
	}
	s->scan_dl = max_u8(s->scan_dl, s->sweep_dl);
	if (s->intel)
		intel_rescore(s->intel, s->scan_dl, s->sweep_dl, f->e->cfg->danger_level[2]);
	s->dl = max_u8(s->dl, max_u8(max_u8(s->sweep_dl, s->autodl_dl), intel_level(s->intel)));
	if (s->dl > f->old_src_dl)
		engine_notify(f, NULL, f->old_src_dl, s->dl);
}

/* ---- blame (blame.c) ------------------------------------------------------ */

static void source_spoofed(struct engine *e, struct source_state *s, uint8_t why)
{
	if (s->spoofed)
		return;
	s->spoofed = why;
	s->dl = 0; /* never blamed: what it scored before we knew does not count */
	for (uint32_t i = 0; i < s->n_pairs; i++)
		s->pairs[i]->dl = 0;
	e->stats.spoofed_sources++;
	e->stats.spoofed_by[why < _SPOOF_MAX ? why : SPOOF_NONE]++;
}

/* A new own address of the reporter: a source we already hold with it
 * sent nothing itself. */
static void engine_learnt(struct engine *e, const struct event *ev)
{
	struct src_node *n = table_lookup(e->sources, ev->origin, &ev->dst);

	if (n)
		source_spoofed(e, &n->s, SPOOF_OWN);
}

/* A counted packet the source cannot be blamed for: a spoofed source's
 * (itemised, never scored) or a reply (reflected, at most DL 1). */
static void engine_feed_blamed(struct feed *f, const struct blame_pkt *bp,
			       const struct intel_pkt *pk)
{
	struct engine *e = f->e;
	struct source_state *s = &f->n->s;
	uint8_t dl;

	if (bp->reflected) {
		e->stats.reflected_packets++;
		if (!s->reflected)
			e->stats.reflected_sources++;
		if (blame_reflect_count(s, f->ev) < 0)
			e->stats.oom++;
	}
	if (s->spoofed) {
		e->stats.spoofed_packets++;
		if (!bp->reflected && (f->p = engine_pair_get(e, f->n, f->ev)))
			pair_count(e, f->n, f->p, f->ev);
		/* what it matched is still worth showing; its level is not used */
		if (e->m && intel_count(e->m, &e->intel, s, f->p, f->ev, pk) < 0)
			e->stats.oom++;
		return;
	}
	dl = blame_reflect_level(e->cfg, s->reflected);
	if (dl > s->dl) {
		s->dl = dl;
		engine_notify(f, NULL, f->old_src_dl, dl);
	}
}

/* ---- the memory limit ---------------------------------------------------- */

/* Charge what intel_count() (or intel_new_source()) changed in n's findings,
 * and what blame_reflect_count() changed in its reflection record. */
static void engine_intel_charge(struct engine *e, struct src_node *n)
{
	size_t b = intel_bytes(n->s.intel) + blame_reflect_bytes(n->s.reflected);

	if (b != n->intel_bytes) {
		mem_charge(e, n, (int64_t)b - (int64_t)n->intel_bytes);
		n->intel_bytes = (uint32_t)b;
	}
}

/* After every event: past MEMORY_LIMIT, evict the sources with the least
 * evidence (never keep, the one just fed) until the engine fits again.
 * engine_new() sized the caps so that keep alone always fits. */
static void engine_within_limit(struct engine *e, const struct src_node *keep)
{
	if (e->mem_used > e->stats.memory_peak)
		e->stats.memory_peak = e->mem_used;
	while (e->mem_used > e->mem_limit) {
		struct src_node *victim = engine_pick_victim(e, keep);
		if (!victim)
			return;
		engine_evict(e, victim);
	}
}

/* The most one pair can hold: itself, three port bitmaps, its share of the
 * pointer array (doubled) and of the pair index (load 1/8 at worst). */
static size_t pair_bytes_max(void)
{
	return mem_cost(sizeof(struct pair_state)) + 3 * mem_cost(PORTSET_BITMAP_BYTES) +
	       2 * sizeof(struct pair_state *) + 8 * sizeof(uint32_t);
}

/* Fit the caps under MEMORY_LIMIT: the table (which never shrinks) gets at
 * most half of it, and one source at most the other half, so that evicting
 * every other source always makes room. */
static void engine_size(struct engine *e, const struct config *cfg, uint32_t *ret_max_sources)
{
	uint64_t half = e->mem_limit / 2;
	uint64_t fixed = mem_cost(sizeof(struct src_more)) + mem_cost(DST_BITS_MAX / 8) +
			 intel_bytes_max() +
			 mem_cost((SOURCE_PROTOS_MAX - SOURCE_PROTOS_INLINE) * sizeof(struct proto_count));
	uint32_t lo = 1, hi = cfg->max_sources ? cfg->max_sources : 1;
	uint64_t dsts = half > fixed ? (half - fixed) / pair_bytes_max() : 1;

	/* the most sources whose table fits in half */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo + 1) / 2;
		if (table_bytes_max(mid) <= half)
			lo = mid;
		else
			hi = mid - 1;
	}
	*ret_max_sources = lo;
	e->max_dsts = dsts < 1 ? 1 : dsts < cfg->max_dsts_per_source ? (uint32_t)dsts
								  : cfg->max_dsts_per_source;
}

/* ---- public -------------------------------------------------------------- */

/* Every counted event ends here: charge what n's findings now hold, rank its
 * evidence, and evict past MEMORY_LIMIT (never n). */
static void engine_feed_done(struct engine *e, struct src_node *n)
{
	engine_intel_charge(e, n);
	if (__builtin_expect(e->intel.pool_used, 0)) { /* rare: a name was interned */
		e->intel.pool_used = false;
		e->stats.strings_dropped += e->intel.strings_dropped;
		e->intel.strings_dropped = 0;
		engine_mem_sync(e);
	}
	n->evidence = evidence_of(n);
	engine_within_limit(e, n);
}

/* The signatures the event matched first for this source (intel_count()
 * listed them): one SIGNATURE change each. */
static void engine_notify_sigs(struct feed *f)
{
	const struct source_intel *x = f->n->s.intel;
	struct intel_global *g = &f->e->intel;

	for (size_t i = 0; x && i < g->n_new_sigs; i++) {
		const struct sig_count *c = &x->sigs[g->new_sigs[i]];
		struct engine_change ch = {
		    .kind = ENGINE_CHANGE_SIGNATURE, .src = &f->n->s, .dst = f->p,
		    .old_dl = f->n->s.dl, .new_dl = f->n->s.dl, .ev = f->ev,
		    .sig_id = c->id, .sig_msg = c->msg, .sig_dl = c->dl,
		};
		f->e->cb(&ch, f->e->cb_data);
	}
	g->n_new_sigs = 0;
}

enum engine_verdict engine_feed(struct engine *e, const struct event *ev, int64_t now_us)
{
	const struct autodl_entry *adl = NULL;
	enum engine_verdict v;
	struct feed f = {.e = e, .ev = ev, .now = now_us};
	struct intel_pkt pk;
	struct blame_pkt bp;

	if (blame_learn(e->blame, ev))
		engine_learnt(e, ev);
	v = engine_filter(e, ev, &adl);

	if (v == ENGINE_COUNTED && e->m) {
		intel_prepare(e->m, ev, &pk);
		if (pk.suppress)
			v = ENGINE_IGNORED_SIGNATURE;
	}
	if (v != ENGINE_COUNTED) {
		e->stats.ignored[v]++;
		return v;
	}
	e->stats.counted++;
	e->now = now_us;
	e->intel.n_new_sigs = 0;
	if (!(f.n = engine_source_get(e, ev->origin, &ev->src))) {
		e->stats.oom++;
		return ENGINE_COUNTED;
	}
	f.old_src_dl = f.n->s.dl;
	source_count(e, f.n, ev, now_us);
	blame_packet(e->blame, ev, &bp);
	if (bp.spoofed)
		source_spoofed(e, &f.n->s, bp.spoofed);
	if (f.n->s.spoofed || bp.reflected) {
		engine_feed_blamed(&f, &bp, &pk);
		engine_feed_done(e, f.n);
		return ENGINE_COUNTED;
	}
	if (adl)
		f.n->s.autodl_dl = max_u8(f.n->s.autodl_dl, adl->dl);
	if ((f.p = engine_pair_get(e, f.n, ev))) {
		pair_count(e, f.n, f.p, ev);
		pair_window(e, f.p, ev, now_us);
	}
	if (e->m && intel_count(e->m, &e->intel, &f.n->s, f.p, ev, &pk) < 0)
		e->stats.oom++;
	engine_score(&f);
	if (e->intel.n_new_sigs && e->cb)
		engine_notify_sigs(&f);
	engine_feed_done(e, f.n);
	return ENGINE_COUNTED;
}

int engine_new(const struct config *cfg, const struct autodl *adl, engine_change_fn *cb, void *data,
	       struct engine **ret_engine)
{
	struct engine *e;
	uint32_t max_sources;
	int r;

	if (!cfg || !ret_engine)
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->cfg = cfg;
	e->source_timeout_us = (uint64_t)cfg->source_timeout * US_PER_SEC;
	e->adl = adl;
	e->cb = cb;
	e->cb_data = data;
	e->rng = engine_seed(e);
	e->pair_seed = engine_rand(e);
	e->max_pairs = cfg->max_scan_ip_pairs;
	e->mem_limit = (uint64_t)cfg->memory_limit_kib << 10;
	engine_size(e, cfg, &max_sources);
	e->dst_bits = dst_bits_for(e->max_dsts);
	r = table_new(max_sources, engine_rand(e), &e->sources);
	if (r < 0) {
		free(e);
		return r;
	}
	r = blame_new(cfg, &e->blame);
	if (r >= 0)
		r = strpool_new(&e->pool);
	if (r < 0) {
		blame_free(e->blame);
		table_free(e->sources);
		free(e);
		return r;
	}
	e->intel.pool = e->pool;
	e->pool_bytes = strpool_bytes(e->pool);
	e->mem_used = table_bytes(e->sources) + e->pool_bytes;
	e->stats.memory_limit = e->mem_limit;
	e->stats.memory_peak = e->mem_used;
	e->stats.max_sources = max_sources;
	e->stats.max_dsts_per_source = e->max_dsts;
	*ret_engine = e;
	return 0;
}

void engine_set_matchers(struct engine *e, const struct matchers *m)
{
	e->m = m;
	intel_reset_memo(&e->intel); /* its guesses came from the old set */
}

void engine_set_autodl(struct engine *e, const struct autodl *adl)
{
	e->adl = adl;
}

/* The sketch size for max_dsts itemisable destinations: 16 bits each, a
 * power of two in DST_BITS_MIN..DST_BITS_MAX. */
static uint32_t dst_bits_for(uint32_t max_dsts)
{
	uint64_t bits;

	for (bits = DST_BITS_MIN; bits < DST_BITS_MAX && bits < 16 * (uint64_t)max_dsts; bits *= 2)
		;
	return (uint32_t)bits;
}

int engine_set_config(struct engine *e, const struct config *cfg)
{
	uint32_t max_sources;
	size_t before;
	int r;

	if (!cfg)
		return -EINVAL;
	e->cfg = cfg;
	e->source_timeout_us = (uint64_t)cfg->source_timeout * US_PER_SEC;
	blame_set_config(e->blame, cfg);
	e->max_pairs = cfg->max_scan_ip_pairs;
	e->mem_limit = (uint64_t)cfg->memory_limit_kib << 10;
	engine_size(e, cfg, &max_sources);
	e->dst_bits = dst_bits_for(e->max_dsts); /* for sketches made from now on */
	/* fewer sources: evict down to the new cap first (the table's dense
	 * array cannot shrink below its live nodes) */
	while (table_count(e->sources) > max_sources) {
		struct src_node *victim = engine_pick_victim(e, NULL);
		if (!victim)
			break;
		engine_evict(e, victim);
	}
	before = table_bytes(e->sources);
	r = table_set_max(e->sources, max_sources);
	e->mem_used = e->mem_used - before + table_bytes(e->sources);
	/* fewer pairs, less memory: evict until within both */
	while ((e->max_pairs && e->total_pairs > e->max_pairs) || e->mem_used > e->mem_limit) {
		struct src_node *victim = engine_pick_victim(e, NULL);
		if (!victim)
			break;
		engine_evict(e, victim);
	}
	e->stats.memory_limit = e->mem_limit;
	e->stats.max_sources = table_max(e->sources);
	e->stats.max_dsts_per_source = e->max_dsts;
	return r < 0 ? r : 0;
}

bool engine_is_own(const struct engine *e, const struct addr *a)
{
	return blame_is_own(e->blame, a);
}

const struct source_state *engine_lookup(const struct engine *e, uint32_t origin,
					 const struct addr *src)
{
	const struct src_node *n = src ? table_lookup(e->sources, origin, src) : NULL;

	return n ? &n->s : NULL;
}

void engine_note_mail(struct engine *e, const struct source_state *s, int64_t now_us)
{
	/* s is the engine's own (engine_lookup(), a change): write through it */
	struct src_node *n = table_lookup(e->sources, s->origin, &s->src);

	if (!n)
		return;
	if (n->s.mails_sent < UINT32_MAX)
		n->s.mails_sent++;
	n->s.last_mail_us = now_us;
}

size_t engine_expire(struct engine *e, int64_t now_us, size_t budget)
{
	uint64_t timeout = e->source_timeout_us;
	uint32_t span = table_span(e->sources);
	size_t expired = 0;

	for (size_t k = 0; k < budget && k < span; k++) {
		struct src_node *n;
		if (e->expire_cursor >= span)
			e->expire_cursor = 0;
		n = table_slot_node(e->sources, e->expire_cursor++);
		if (!n)
			continue;
		if (n->seen_us > now_us) { /* the clock stepped back: count from now */
			n->seen_us = now_us;
			continue;
		}
		if ((uint64_t)now_us - (uint64_t)n->seen_us <= timeout)
			continue;
		e->stats.sources_expired++;
		if (e->cb)
			engine_notify_gone(e, n, ENGINE_CHANGE_EXPIRED);
		engine_node_drop(e, n);
		expired++;
	}
	return expired;
}

/* ---- for persist.c --------------------------------------------------------- */

void engine_charge(struct engine *e, struct src_node *n, int64_t delta)
{
	mem_charge(e, n, delta);
}

void engine_mem_sync(struct engine *e)
{
	size_t b = strpool_bytes(e->pool);

	e->mem_used = e->mem_used - e->pool_bytes + b;
	e->pool_bytes = b;
	if (e->mem_used > e->stats.memory_peak)
		e->stats.memory_peak = e->mem_used;
}

uint32_t engine_evidence(const struct src_node *n)
{
	return evidence_of(n);
}

void engine_node_restored(struct engine *e, struct src_node *n)
{
	e->total_pairs += n->s.n_pairs;
	pair_index_update(e, n);
	engine_intel_charge(e, n);
	n->evidence = evidence_of(n);
	/* MAX_SCAN_IP_PAIRS: the others go first, as for a fed event */
	while (e->max_pairs && e->total_pairs > e->max_pairs) {
		struct src_node *victim = engine_pick_victim(e, n);
		if (!victim)
			break;
		engine_evict(e, victim);
	}
	engine_within_limit(e, n);
}

uint32_t engine_max_dsts(const struct engine *e)
{
	return e->max_dsts;
}

uint32_t engine_dst_bits(const struct engine *e)
{
	return e->dst_bits;
}

struct engine *engine_free(struct engine *e)
{
	if (!e)
		return NULL;
	if (e->sources) {
		for (uint32_t i = 0; i < table_count(e->sources); i++)
			node_release(e, table_live(e->sources, i));
		table_free(e->sources);
	}
	blame_free(e->blame);
	strpool_free(e->pool);
	while (e->n_pair_cache)
		free(e->pair_cache[--e->n_pair_cache]);
	free(e);
	return NULL;
}

void engine_get_stats(const struct engine *e, struct engine_stats *ret)
{
	struct blame_stats bs;

	*ret = e->stats;
	blame_get_stats(e->blame, &bs);
	ret->own_learnt = bs.own_learnt;
	ret->own_skipped = bs.own_skipped;
	ret->memory_used = e->mem_used;
}

size_t engine_source_count(const struct engine *e)
{
	return table_count(e->sources);
}

static int source_cmp(const void *a, const void *b)
{
	const struct source_state *x = *(const struct source_state *const *)a;
	const struct source_state *y = *(const struct source_state *const *)b;

	if (x->dl != y->dl)
		return x->dl > y->dl ? -1 : 1;
	if (x->packets != y->packets)
		return x->packets > y->packets ? -1 : 1;
	return addr_cmp(&x->src, &y->src);
}

const struct source_state **engine_sources_sorted(const struct engine *e, size_t *ret_n)
{
	size_t n = table_count(e->sources), k = 0;
	const struct source_state **v;

	*ret_n = 0;
	if (!n || !(v = malloc(n * sizeof(*v))))
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		v[k++] = &table_live(e->sources, (uint32_t)i)->s;
	qsort(v, k, sizeof(*v), source_cmp);
	*ret_n = k;
	return v;
}

/* ret[0..len) as a heap whose root is the source that comes last in report
 * order: a source that comes before it replaces it. */
static void top_sift_down(const struct source_state **h, size_t len, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < len && source_cmp(&h[l], &h[m]) > 0)
			m = l;
		if (r < len && source_cmp(&h[r], &h[m]) > 0)
			m = r;
		if (m == i)
			return;
		const struct source_state *t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

size_t engine_top(const struct engine *e, size_t n, const struct source_state **ret)
{
	size_t count = table_count(e->sources), len = 0;

	if (!n)
		return 0;
	for (uint32_t i = 0; i < count; i++) {
		const struct source_state *s = &table_live(e->sources, i)->s;
		if (len < n) {
			ret[len++] = s;
			if (len == n) /* heapify once full */
				for (size_t j = n / 2; j-- > 0;)
					top_sift_down(ret, len, j);
		} else if (source_cmp(&s, &ret[0]) < 0) {
			ret[0] = s;
			top_sift_down(ret, len, 0);
		}
	}
	/* what is left: at most n, sorted */
	qsort(ret, len, sizeof(*ret), source_cmp);
	return len;
}
