/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reputation.c - known-bad network lists, longest-prefix match (see reputation.h).
 *
 * Data structure. Every distinct network is one entry in a flat array; one
 * open-addressed hash table (linear probing, load <= 1/2) maps the key
 * (family, prefix length, masked address) to its entry. A lookup probes that
 * table once per candidate prefix length, longest first, and the first hit
 * is the longest match. Cost then depends on the number of candidates, never
 * on the number of entries, so a directory keeps the candidates few:
 *
 *  - IPv4: one cell per /D (D = 16, growing to 24 as the set grows past
 *    2^D IPv4 entries, so cells stay about one per entry). A cell holds a
 *    bit per length > D for which some entry lies inside it, and the longest
 *    length <= D of an entry covering it (short networks are written into
 *    every cell they cover). A lookup reads its cell, probes only the
 *    lengths it names, longest first, and ends with the short one, which is
 *    certain to hit. Most addresses are in no list: a miss usually costs
 *    one cell read and no probe at all.
 *  - IPv6: prefixes longer than /32 are noted the same way in a cell chosen
 *    by a hash of the address's first 32 bits (cells about one per IPv6
 *    entry; a collision only adds a probe). Lengths up to /32 (DROPv6 uses
 *    /29-/32) are probed for every IPv6 lookup, from one bitmap.
 *
 * A lookup is one cell read plus a few probes, each O(1), no allocation.
 * Why not a multibit trie: the sparse host lists that make a list large
 * (hundreds of thousands of /32s) need a chain of mostly empty nodes per
 * entry unless the trie is path-compressed, which is more code than this
 * module; a sorted array would be O(log n) and need care with nesting.
 * Memory is ~20 bytes per entry, 8-16 per table slot and 4-12 per cell.
 *
 * Slots hold the top 32 bits of the key's hash beside the entry index, so a
 * probe that does not match rarely touches the entry array. The hash is
 * seeded at random so that a hostile list cannot choose colliding keys.
 */
#include "match/reputation.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util/escape.h"

#define REP_SLOTS_MIN	   128u
#define REP_ENTRIES_MIN	   64u
#define REP_DIR4_BITS_MIN  16
#define REP_DIR4_BITS_MAX  24
#define REP_DIR6_CELLS_MIN 64u
#define REP_DIR6_CELLS_MAX (1u << 22)
#define REP_SHORT_NONE	   0xff
#define REP_EXCERPT_MAX	   64

struct rep_entry {
	struct net net;
	uint16_t list; /* index into lists[] */
};

/* One /D of the IPv4 space. */
struct rep_cell4 {
	uint16_t longer;   /* bit i: an entry of length D + 1 + i lies inside */
	uint8_t short_len; /* longest entry of length <= D covering it, or REP_SHORT_NONE */
};

/* IPv6 /32s with the same hash. */
struct rep_cell6 {
	uint32_t longer[3]; /* bit i: an entry of length 33 + i lies inside */
};

struct reputation {
	struct rep_entry *entries;
	uint32_t n_entries, cap_entries, max_entries;
	uint64_t *slots;    /* hash >> 32 << 32 | (entry index + 1); 0 = empty */
	uint32_t slot_mask; /* number of slots - 1 */
	uint64_t seed;
	struct rep_cell4 *dir4; /* 2^dir4_bits cells, NULL until the first IPv4 entry */
	unsigned dir4_bits;
	uint32_t n4, n6;        /* entries per family */
	struct rep_cell6 *dir6; /* dir6_mask + 1 cells, NULL until the first IPv6 entry */
	uint32_t dir6_mask;
	uint64_t short6; /* bit L: an IPv6 entry of length L <= 32 exists */
	char **lists;
	uint32_t n_lists;
	struct reputation_stats stats;
};

/* State while one buffer loads. */
struct rep_load {
	struct reputation *r;
	const char *name;
	uint16_t list;
	unsigned line;
	config_diag_fn *diag;
	void *data;
	bool bad, full_reported;
};

struct reputation *reputation_new(void)
{
	struct reputation *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	if (getrandom(&r->seed, sizeof(r->seed), GRND_NONBLOCK) != sizeof(r->seed))
		r->seed = (uint64_t)(uintptr_t)r * 0x9E3779B97F4A7C15ULL; /* still not public */
	r->max_entries = REPUTATION_MAX_ENTRIES;
	return r;
}

void reputation_set_max_entries(struct reputation *r, uint32_t max)
{
	r->max_entries = max && max < REPUTATION_MAX_ENTRIES ? max : REPUTATION_MAX_ENTRIES;
}

struct reputation *reputation_free(struct reputation *r)
{
	if (!r)
		return NULL;
	for (uint32_t i = 0; i < r->n_lists; i++)
		free(r->lists[i]);
	free(r->lists);
	free(r->entries);
	free(r->slots);
	free(r->dir4);
	free(r->dir6);
	free(r);
	return NULL;
}

void reputation_get_stats(const struct reputation *r, struct reputation_stats *ret)
{
	*ret = r->stats;
	ret->entries = r->n_entries;
	ret->lists = r->n_lists;
}

/* --- the table --- */

/* Clear the bits of a past len (the IPv4 tail is zero already). */
static void rep_mask(struct addr *a, unsigned len)
{
	unsigned full = len / 8, rest = len % 8;

	if (rest)
		a->b[full++] &= (uint8_t)(0xff00u >> rest);
	memset(a->b + full, 0, 16 - full);
}

static uint64_t rep_hash(const struct reputation *r, const struct addr *key, unsigned len)
{
	return addr_hash(key, r->seed ^ ((uint64_t)(len + 1) * 0xD6E8FEB86659FD93ULL));
}

/* Index of the entry for (key, len), which must be masked, or -1. */
static int64_t rep_find(const struct reputation *r, const struct addr *key, unsigned len,
			uint64_t h)
{
	uint32_t tag = (uint32_t)(h >> 32);

	for (uint32_t i = (uint32_t)h & r->slot_mask;; i = (i + 1) & r->slot_mask) {
		uint64_t s = r->slots[i];
		if (!s)
			return -1;
		if ((uint32_t)(s >> 32) != tag)
			continue;
		const struct rep_entry *e = &r->entries[(uint32_t)s - 1];
		if (e->net.len == len && addr_eq(&e->net.a, key))
			return (uint32_t)s - 1;
	}
}

static void rep_slot_put(uint64_t *slots, uint32_t mask, uint64_t h, uint32_t idx)
{
	uint32_t i = (uint32_t)h & mask;

	while (slots[i])
		i = (i + 1) & mask;
	slots[i] = (h >> 32 << 32) | ((uint64_t)idx + 1);
}

/* Room for one more entry: the array grows by doubling, the table doubles
 * (and is rebuilt) before its load passes 1/2. */
static int rep_reserve(struct reputation *r)
{
	if (r->n_entries == r->cap_entries) {
		uint32_t cap = r->cap_entries ? r->cap_entries * 2 : REP_ENTRIES_MIN;
		struct rep_entry *e = reallocarray(r->entries, cap, sizeof(*e));
		if (!e)
			return -ENOMEM;
		r->entries = e;
		r->cap_entries = cap;
	}
	uint64_t n_slots = r->slots ? (uint64_t)r->slot_mask + 1 : 0;
	if (2 * ((uint64_t)r->n_entries + 1) > n_slots) {
		uint32_t size = n_slots ? (uint32_t)n_slots * 2 : REP_SLOTS_MIN;
		uint64_t *slots = calloc(size, sizeof(*slots));
		if (!slots)
			return -ENOMEM;
		for (uint32_t k = 0; k < r->n_entries; k++) {
			const struct rep_entry *e = &r->entries[k];
			rep_slot_put(slots, size - 1, rep_hash(r, &e->net.a, e->net.len), k);
		}
		free(r->slots);
		r->slots = slots;
		r->slot_mask = size - 1;
	}
	return 0;
}

/* --- the directories --- */

static uint32_t rep_v4(const struct addr *a)
{
	return (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 | (uint32_t)a->b[2] << 8 | a->b[3];
}

static void rep_note4(struct rep_cell4 *dir, unsigned bits, const struct net *n)
{
	uint32_t cell = rep_v4(&n->a) >> (32 - bits);

	if (n->len > bits) {
		dir[cell].longer |= (uint16_t)(1u << (n->len - bits - 1));
		return;
	}
	/* a /L with L <= D covers 2^(D-L) cells; per length, all distinct
	 * networks together cover at most every cell once */
	for (uint32_t k = cell, end = cell + (1u << (bits - n->len)); k < end; k++)
		if (dir[k].short_len == REP_SHORT_NONE || dir[k].short_len < n->len)
			dir[k].short_len = n->len;
}

static uint32_t rep_cell6(const struct reputation *r, const struct addr *a)
{
	uint32_t top = (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 |
		       (uint32_t)a->b[2] << 8 | a->b[3];
	return (uint32_t)(((top ^ r->seed) * 0x9E3779B97F4A7C15ULL) >> 32) & r->dir6_mask;
}

static void rep_note6(struct reputation *r, const struct net *n)
{
	if (n->len <= 32) {
		r->short6 |= UINT64_C(1) << n->len;
		return;
	}
	unsigned bit = n->len - 33u;
	r->dir6[rep_cell6(r, &n->a)].longer[bit / 32] |= 1u << (bit % 32);
}

/* Make the directory of n's family big enough for one more entry: about
 * one cell per entry, rebuilt from the entries when it doubles. */
static int rep_dir_reserve(struct reputation *r, const struct net *n)
{
	if (n->a.family == ADDR_V4) {
		unsigned bits = r->dir4_bits;
		if (r->dir4 && (r->n4 < (1u << bits) || bits == REP_DIR4_BITS_MAX))
			return 0;
		bits = r->dir4 ? bits + 1 : REP_DIR4_BITS_MIN;
		struct rep_cell4 *dir = malloc(sizeof(*dir) << bits);
		if (!dir)
			return -ENOMEM;
		for (uint32_t k = 0; k < 1u << bits; k++)
			dir[k] = (struct rep_cell4){ .short_len = REP_SHORT_NONE };
		for (uint32_t k = 0; k < r->n_entries; k++)
			if (r->entries[k].net.a.family == ADDR_V4)
				rep_note4(dir, bits, &r->entries[k].net);
		free(r->dir4);
		r->dir4 = dir;
		r->dir4_bits = bits;
		return 0;
	}
	uint32_t cells = r->dir6 ? r->dir6_mask + 1 : 0;
	if (r->dir6 && (r->n6 < cells || cells == REP_DIR6_CELLS_MAX))
		return 0;
	cells = cells ? cells * 2 : REP_DIR6_CELLS_MIN;
	struct rep_cell6 *dir = calloc(cells, sizeof(*dir));
	if (!dir)
		return -ENOMEM;
	free(r->dir6);
	r->dir6 = dir;
	r->dir6_mask = cells - 1;
	for (uint32_t k = 0; k < r->n_entries; k++)
		if (r->entries[k].net.a.family == ADDR_V6)
			rep_note6(r, &r->entries[k].net);
	return 0;
}

/* Returns 1 if added, 0 if already present, -E2BIG when full, -ENOMEM. */
static int rep_insert(struct reputation *r, const struct net *n, uint16_t list)
{
	uint64_t h = rep_hash(r, &n->a, n->len);
	int ret;

	if (r->slots && rep_find(r, &n->a, n->len, h) >= 0)
		return 0;
	if (r->n_entries >= r->max_entries)
		return -E2BIG;
	ret = rep_reserve(r);
	if (ret < 0)
		return ret;
	ret = rep_dir_reserve(r, n);
	if (ret < 0)
		return ret;
	if (n->a.family == ADDR_V4) {
		rep_note4(r->dir4, r->dir4_bits, n);
		r->n4++;
	} else {
		rep_note6(r, n);
		r->n6++;
	}
	r->entries[r->n_entries] = (struct rep_entry){ .net = *n, .list = list };
	rep_slot_put(r->slots, r->slot_mask, h, r->n_entries);
	r->n_entries++;
	return 1;
}

/* --- lookup --- */

static bool rep_probe(const struct reputation *r, const struct addr *a, unsigned len,
		      struct reputation_hit *ret)
{
	struct addr key = *a;
	int64_t idx;

	rep_mask(&key, len);
	idx = rep_find(r, &key, len, rep_hash(r, &key, len));
	if (idx < 0)
		return false;
	ret->net = r->entries[idx].net;
	ret->list = r->lists[r->entries[idx].list];
	return true;
}

/* Probe the lengths base + i for the bits i of m, highest first. */
static bool rep_probe_mask(const struct reputation *r, const struct addr *a, uint64_t m,
			   unsigned base, struct reputation_hit *ret)
{
	while (m) {
		int bit = 63 - __builtin_clzll(m);
		if (rep_probe(r, a, base + (unsigned)bit, ret))
			return true;
		m &= ~(UINT64_C(1) << bit);
	}
	return false;
}

static bool rep_lookup_v4(const struct reputation *r, const struct addr *a,
			  struct reputation_hit *ret)
{
	const struct rep_cell4 *c;

	if (!r->dir4)
		return false;
	c = &r->dir4[rep_v4(a) >> (32 - r->dir4_bits)];
	if (c->longer && rep_probe_mask(r, a, c->longer, r->dir4_bits + 1, ret))
		return true;
	return c->short_len != REP_SHORT_NONE && rep_probe(r, a, c->short_len, ret);
}

static bool rep_lookup_v6(const struct reputation *r, const struct addr *a,
			  struct reputation_hit *ret)
{
	const struct rep_cell6 *c;

	if (!r->dir6)
		return false;
	c = &r->dir6[rep_cell6(r, a)];
	for (int w = 2; w >= 0; w--)
		if (c->longer[w] && rep_probe_mask(r, a, c->longer[w], 33 + 32 * (unsigned)w, ret))
			return true;
	return rep_probe_mask(r, a, r->short6, 0, ret);
}

bool reputation_lookup(const struct reputation *r, const struct addr *a,
		       struct reputation_hit *ret)
{
	if (!r || !r->slots)
		return false;
	if (a->family == ADDR_V4)
		return rep_lookup_v4(r, a, ret);
	if (a->family == ADDR_V6)
		return rep_lookup_v6(r, a, ret);
	return false;
}

/* --- loading --- */

__attribute__((format(printf, 3, 4))) static void rep_report(struct rep_load *ld,
							      enum config_severity sev,
							      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_vreport(ld->diag, ld->data, sev, ld->name, ld->line, fmt, ap);
	va_end(ap);
}

static const char *rep_esc(struct span s, char buf[REP_EXCERPT_MAX])
{
	escape_bytes(s.p, s.len, buf, REP_EXCERPT_MAX);
	return buf;
}

static void rep_bad_line(struct rep_load *ld, const char *what, struct span s)
{
	char esc[REP_EXCERPT_MAX];

	ld->r->stats.errors++;
	ld->bad = true;
	rep_report(ld, CONFIG_ERROR, "%s: '%s', ignoring", what, rep_esc(s, esc));
}

static bool rep_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* The network of a line: its first word, ended by a blank, ';' or '#'.
 * Empty for blank and comment lines. */
static struct span rep_first_word(struct span s)
{
	size_t i = 0, start;

	while (i < s.len && rep_is_blank(s.p[i]))
		i++;
	start = i;
	while (i < s.len && !rep_is_blank(s.p[i]) && s.p[i] != '#' && s.p[i] != ';')
		i++;
	return span_make(s.p + start, i - start);
}

/* "ADDR/LEN" with LEN not a length: say so rather than "invalid address". */
static const char *rep_parse_error(struct span w)
{
	const char *slash = span_chr(w, '/');
	struct addr a;

	if (slash && addr_parse(span_make(w.p, (size_t)(slash - w.p)), &a) == 0)
		return "invalid prefix length or netmask";
	return "invalid address or network";
}

/* psad accepts "198.18.0.1/15" as 198.18.0.0/15: so do we, but say so. */
static void rep_check_host_bits(struct rep_load *ld, struct span w, const struct net *n)
{
	const char *slash = span_chr(w, '/');
	char esc[REP_EXCERPT_MAX], fixed[NET_STR_MAX];
	struct addr a;

	if (!slash || addr_parse(span_make(w.p, (size_t)(slash - w.p)), &a) < 0)
		return;
	(void)addr_unmap_v4(&a); /* as net_parse() did: ::ffff:a.b.c.d/LEN is IPv4 */
	if (addr_eq(&a, &n->a))
		return;
	ld->r->stats.warnings++;
	net_format(n, fixed);
	rep_report(ld, CONFIG_WARNING, "host bits set in '%s', using %s", rep_esc(w, esc), fixed);
}

static int rep_line(struct rep_load *ld, struct span s)
{
	struct span w;
	struct net n;
	int r;

	_Static_assert(REPUTATION_MAX_LINE == 4096, "fix the message below");
	if (s.len > REPUTATION_MAX_LINE) {
		rep_bad_line(ld, "line longer than 4096 bytes", span_make(s.p, 32));
		return 0;
	}
	if (span_chr(s, '\0')) {
		rep_bad_line(ld, "NUL byte in line", s);
		return 0;
	}
	w = rep_first_word(s);
	if (w.len == 0)
		return 0;
	if (net_parse(w, &n) < 0) {
		rep_bad_line(ld, rep_parse_error(w), w);
		return 0;
	}
	rep_check_host_bits(ld, w, &n);
	r = rep_insert(ld->r, &n, ld->list);
	if (r == 0)
		ld->r->stats.duplicates++;
	if (r == -E2BIG) {
		ld->r->stats.dropped++;
		ld->bad = true;
		if (!ld->full_reported)
			rep_report(ld, CONFIG_ERROR, "set full (%u networks), ignoring the rest",
				   ld->r->max_entries);
		ld->full_reported = true;
		return 0;
	}
	return r < 0 ? r : 0;
}

/* Index of the list called name, added if new. */
static int rep_list_id(struct reputation *r, const char *name, uint16_t *ret)
{
	char **lists, *copy;

	for (uint32_t i = 0; i < r->n_lists; i++) {
		if (strcmp(r->lists[i], name) == 0) {
			*ret = (uint16_t)i;
			return 0;
		}
	}
	if (r->n_lists >= REPUTATION_MAX_LISTS)
		return -E2BIG;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	lists = reallocarray(r->lists, r->n_lists + 1, sizeof(*lists));
	if (!lists) {
		free(copy);
		return -ENOMEM;
	}
	lists[r->n_lists] = copy;
	r->lists = lists;
	*ret = (uint16_t)r->n_lists++;
	return 0;
}

int reputation_add_buf(struct reputation *r, const char *name, const char *buf, size_t len,
		       config_diag_fn *diag, void *data)
{
	struct rep_load ld = { .r = r, .name = name, .diag = diag, .data = data };
	size_t pos = 0;
	int ret;

	ret = rep_list_id(r, name, &ld.list);
	if (ret == -E2BIG) {
		r->stats.errors++;
		rep_report(&ld, CONFIG_ERROR, "too many lists (more than %d), ignoring this one",
			   REPUTATION_MAX_LISTS);
		return -EINVAL;
	}
	if (ret < 0)
		return ret;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t eol = nl ? (size_t)(nl - buf) : len;
		ld.line++;
		ret = rep_line(&ld, span_make(buf + pos, eol - pos));
		if (ret < 0)
			return ret;
		pos = eol + 1;
	}
	return ld.bad ? -EINVAL : 0;
}

/* Read fd to its end; more than REPUTATION_MAX_FILE bytes is -EFBIG. */
