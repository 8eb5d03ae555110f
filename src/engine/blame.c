/* SPDX-License-Identifier: GPL-2.0-or-later */
/* blame.c - blame only what sent the packets (see blame.h).
 *
 * Per record, on the hot path: a prefix verdict remembered for the last
 * prefix seen (logs use a handful), a few byte tests on the source address,
 * and, for the firewall's own addresses, a 1024-bit filter on a cheap hash
 * before the table of learnt (reporter, address) pairs is probed.
 */
#include "engine/blame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "engine/mem.h"

#define OWN_SLOTS (2 * BLAME_OWN_MAX) /* open addressing, load <= 1/2 */
#define OWN_FILTER_BITS 4096
#define HOST_CACHE_MAX 64
#define PREFIX_CACHE_MAX 64
#define PREFIX_MEMO 16
#define EPHEMERAL_LO 32768 /* Linux's ephemeral ports start here, Windows' at 49152 */

struct own_entry {
	uint64_t host; /* the reporter's hash; configured addresses: any reporter */
	uint32_t check; /* own_mix()'s high half: most mismatches without addr_same() */
	struct addr a;
	uint8_t kind;  /* SPOOF_OWN or SPOOF_BROADCAST; 0: free slot */
	bool any_host;
};

struct blame {
	const struct config *cfg;
	struct own_entry own[OWN_SLOTS];
	uint32_t n_own;
	uint64_t filter[OWN_FILTER_BITS / 64]; /* cheap-hash bits of every own address */
	struct blame_stats stats;

	/* the last reporter name and its hash */
	char host[HOST_CACHE_MAX];
	size_t host_len;
	uint64_t host_hash;
	bool host_valid;

	/* the last prefixes seen and their verdicts (a log has a handful) */
	struct prefix_memo {
		char p[PREFIX_CACHE_MAX];
		uint8_t len;
		bool used;
		uint8_t verdict; /* enum engine_verdict */
	} memo[PREFIX_MEMO];

	/* the last destination known to be the reporter's */
	struct addr last_dst; /* of the reporter in host[] */
	bool last_dst_valid;
};

static const char *const spoof_names[_SPOOF_MAX] = {
    [SPOOF_NONE] = NULL,
    [SPOOF_UNSPECIFIED] = "unspecified",
    [SPOOF_LOOPBACK] = "loopback",
    [SPOOF_MULTICAST] = "multicast",
    [SPOOF_BROADCAST] = "broadcast",
    [SPOOF_RESERVED] = "reserved",
    [SPOOF_OWN] = "own",
};

const char *spoof_reason_name(enum spoof_reason r)
{
	return (unsigned)r < _SPOOF_MAX ? spoof_names[r] : NULL;
}

/* ---- addresses ------------------------------------------------------------ */

static inline enum spoof_reason impossible(const struct addr *a)
{
	static const uint8_t zero[16];

	if (a->family == ADDR_V4) {
		uint8_t b0 = a->b[0];
		if (b0 == 0)
			return SPOOF_UNSPECIFIED;
		if (b0 == 127)
			return SPOOF_LOOPBACK;
		if (b0 < 224)
			return SPOOF_NONE;
		if (b0 < 240)
			return SPOOF_MULTICAST;
		if (b0 == 255 && a->b[1] == 255 && a->b[2] == 255 && a->b[3] == 255)
			return SPOOF_BROADCAST;
		return SPOOF_RESERVED;
	}
	if (a->family != ADDR_V6)
		return SPOOF_NONE;
	if (a->b[0] == 0xff)
		return SPOOF_MULTICAST;
	if (a->b[0] == 0 && memcmp(a->b, zero, 15) == 0)
		return a->b[15] == 0 ? SPOOF_UNSPECIFIED : a->b[15] == 1 ? SPOOF_LOOPBACK : SPOOF_NONE;
	return SPOOF_NONE;
}

enum spoof_reason blame_impossible(const struct addr *a)
{
	return impossible(a);
}

/* One 64-bit mix of an address: filter bit, slot and check value. Unkeyed:
 * the table holds only addresses the reporter's own records name (at most
 * BLAME_OWN_MAX), so there is nothing for a flood to aim collisions at. */
static inline uint64_t own_mix(const struct addr *a)
{
	uint64_t lo, hi;

	memcpy(&lo, a->b, 8);
	memcpy(&hi, a->b + 8, 8);
	lo ^= hi * 0x9E3779B97F4A7C15ULL ^ a->family;
	lo *= 0xBF58476D1CE4E5B9ULL;
	return lo ^ (lo >> 31);
}

static inline bool addr_same(const struct addr *x, const struct addr *y)
{
	return x->family == y->family && memcmp(x->b, y->b, sizeof(x->b)) == 0;
}

static inline bool own_maybe(const struct blame *b, uint64_t mix)
{
	uint32_t bit = (uint32_t)mix & (OWN_FILTER_BITS - 1);

	return b->filter[bit >> 6] & (UINT64_C(1) << (bit & 63));
}

static uint64_t hash_bytes(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 0x100000001b3ULL;
	return h;
}

/* Spans may be empty with a NULL pointer: no memcmp/memcpy on those. */
static bool same_bytes(struct span s, const char *p, size_t n)
{
	return s.len == n && (!n || memcmp(s.p, p, n) == 0);
}

static uint64_t blame_host(struct blame *b, struct span host)
{
	if (b->host_valid && same_bytes(host, b->host, b->host_len))
		return b->host_hash;
	b->host_hash = hash_bytes(host.p, host.len);
	b->host_valid = host.len <= sizeof(b->host);
	b->last_dst_valid = false; /* it was the other reporter's */
	if (b->host_valid) {
		if (host.len)
			memcpy(b->host, host.p, host.len);
		b->host_len = host.len;
	}
	return b->host_hash;
}

/* The entry for a (of the reporter host, or of any when any_host), or NULL. */
static const struct own_entry *own_find(struct blame *b, const struct addr *a, uint64_t mix,
					struct span host, bool any_host)
{
	uint32_t check = (uint32_t)(mix >> 32);
	uint64_t h = 0;
	bool have_h = false;

	if (!b->n_own || !own_maybe(b, mix))
		return NULL;
	for (uint32_t i = (uint32_t)(mix >> 12) % OWN_SLOTS, k = 0; k < OWN_SLOTS;
	     i = (i + 1) % OWN_SLOTS, k++) {
		const struct own_entry *o = &b->own[i];
		if (!o->kind)
			return NULL;
		if (o->check != check || !addr_same(&o->a, a))
			continue;
		if (o->any_host || any_host)
			return o;
		if (!have_h) {
			h = blame_host(b, host);
			have_h = true;
		}
		if (o->host == h)
			return o;
	}
	return NULL;
}

static bool own_add(struct blame *b, const struct addr *a, uint64_t host, bool any_host,
		    uint8_t kind)
{
	uint64_t mix = own_mix(a);
	uint32_t i, bit = (uint32_t)mix & (OWN_FILTER_BITS - 1);

	if (b->n_own >= BLAME_OWN_MAX)
		return false;
	for (i = (uint32_t)(mix >> 12) % OWN_SLOTS; b->own[i].kind; i = (i + 1) % OWN_SLOTS)
		;
	b->own[i] = (struct own_entry){ .host = host, .a = *a, .kind = kind, .any_host = any_host,
					.check = (uint32_t)(mix >> 32) };
	b->n_own++;
	b->filter[bit >> 6] |= UINT64_C(1) << (bit & 63);
	return true;
}

bool blame_is_own(const struct blame *b, const struct addr *a)
{
	/* any_host: no reporter name is read, b is not written */
	return own_find((struct blame *)b, a, own_mix(a), span_make(NULL, 0), true) != NULL;
}

/* The IPv4 broadcast address of a configured subnet (/30 and shorter). */
static bool own_broadcast(const struct own_net *n, struct addr *ret)
{
	uint32_t v, mask;

	if (n->a.family != ADDR_V4 || n->len > 30)
		return false;
	v = (uint32_t)n->a.b[0] << 24 | (uint32_t)n->a.b[1] << 16 | (uint32_t)n->a.b[2] << 8 |
	    n->a.b[3];
	mask = n->len ? ~UINT32_C(0) << (32 - n->len) : 0;
	v |= ~mask;
	*ret = (struct addr){ .family = ADDR_V4 };
	ret->b[0] = (uint8_t)(v >> 24);
	ret->b[1] = (uint8_t)(v >> 16);
	ret->b[2] = (uint8_t)(v >> 8);
	ret->b[3] = (uint8_t)v;
	return true;
}

bool blame_learn(struct blame *b, const struct event *ev)
{
	uint64_t mix;
	uint8_t kind = SPOOF_OWN;

	if (ev->chain != CHAIN_INPUT || !b->cfg->learn_firewall_addresses)
		return false;
	/* the common case: the reporter and address of the record before */
	if (b->last_dst_valid && addr_same(&b->last_dst, &ev->dst) && b->host_valid &&
	    same_bytes(ev->host, b->host, b->host_len))
		return false;
	if (b->n_own >= BLAME_OWN_MAX) {
		b->stats.own_skipped++; /* a record not looked at: the table is full */
		return false;
	}
	if (impossible(&ev->dst) != SPOOF_NONE)
		return false;
	mix = own_mix(&ev->dst);
	if (own_find(b, &ev->dst, mix, ev->host, false)) {
		(void)blame_host(b, ev->host); /* host[] is this reporter now */
		b->last_dst = ev->dst;
		b->last_dst_valid = b->host_valid;
		return false;
	}
	/* a broadcast destination MAC: the IPv4 address is a directed broadcast */
	if (ev->dst.family == ADDR_V4 && ev->mac.len >= 17 &&
	    memcmp(ev->mac.p, "ff:ff:ff:ff:ff:ff", 17) == 0)
		kind = SPOOF_BROADCAST;
	if (!own_add(b, &ev->dst, blame_host(b, ev->host), false, kind))
		return false;
	b->stats.own_learnt++;
	return true;
}

enum reply_kind { REPLY_NONE, REPLY_BACKSCATTER, REPLY_ACK };

/* SYN-ACK, RST, RST-ACK: backscatter; ACK set without SYN or RST: the ACK
 * of some flow (a reply only from a service port, see below). */
static inline enum reply_kind reply_flags(const struct event *ev)
{
	uint8_t f;

	if (ev->proto != IPPROTO_NUM_TCP || !ev->has_ports)
		return REPLY_NONE;
	f = ev->tcp_flags & (uint8_t)~(TCPF_ECE | TCPF_CWR);
	if (f == (TCPF_SYN | TCPF_ACK) || f == TCPF_RST || f == (TCPF_RST | TCPF_ACK))
		return REPLY_BACKSCATTER;
	return (f & TCPF_ACK) && !(f & (TCPF_SYN | TCPF_RST)) ? REPLY_ACK : REPLY_NONE;
}

void blame_packet(struct blame *b, const struct event *ev, struct blame_pkt *ret)
{
	const struct own_entry *o;

	uint64_t mix;

	ret->spoofed = (uint8_t)impossible(&ev->src);
	if (!ret->spoofed && b->n_own && own_maybe(b, (mix = own_mix(&ev->src))) &&
	    (o = own_find(b, &ev->src, mix, ev->host, false)))
		ret->spoofed = o->kind;
	ret->reflected = reply_flags(ev) == REPLY_BACKSCATTER;
}

/* ---- packet shapes --------------------------------------------------------- */

bool blame_is_backscatter(const struct event *ev)
{
	return reply_flags(ev) == REPLY_BACKSCATTER;
}

/* The server's side of a connection: a service port (below the ephemeral
 * ranges) talking to a client's ephemeral port. nmap's ACK and Maimon scans
 * come from one port of 33000-63999 (its "magic port") to the ports they
 * probe, mostly below 1024: not this shape. */
static inline bool service_to_ephemeral(const struct event *ev)
{
	return (ev->sport < 1024 && ev->dport >= 1024) ||
	       (ev->sport < EPHEMERAL_LO && ev->dport >= EPHEMERAL_LO);
}

bool blame_is_service_reply(const struct event *ev)
{
	return reply_flags(ev) == REPLY_ACK && service_to_ephemeral(ev);
}

/* ---- prefixes -------------------------------------------------------------- */

static bool pat_match(const struct prefix_pat *p, const char *s, size_t n)
{
	if (p->len > n)
		return false;
	if (p->head && p->tail)
		return p->len == n && memcmp(s, p->s, n) == 0;
	if (p->head)
		return memcmp(s, p->s, p->len) == 0;
	if (p->tail)
		return memcmp(s + n - p->len, p->s, p->len) == 0;
	return !p->len || memmem(s, n, p->s, p->len) != NULL;
}

bool blame_prefix_ignored(const struct config *cfg, const char *prefix, size_t len)
{
	for (size_t i = 0; i < cfg->n_ignore_prefix_pats; i++)
		if (pat_match(&cfg->ignore_prefix_pats[i], prefix, len))
			return true;
	return false;
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* w occurs in s as whole words, any case: no letter or digit touches it. */
static bool word_in(const char *s, size_t n, const char *w, size_t wn)
{
	if (!wn || wn > n)
		return false;
	for (size_t i = 0; i + wn <= n; i++) {
		size_t k = 0;
		while (k < wn && lower(s[i + k]) == lower(w[k]))
			k++;
		if (k == wn && (i == 0 || !is_alnum(s[i - 1])) && (i + wn == n || !is_alnum(s[i + wn])))
			return true;
	}
	return false;
}

bool blame_prefix_accepted(const struct config *cfg, const char *prefix, size_t len)
{
	for (size_t i = 0; i < cfg->n_accept_log_prefixes; i++) {
		const char *w = cfg->accept_log_prefixes[i];
		if (word_in(prefix, len, w, strnlen(w, CONFIG_STR_MAX)))
			return true;
	}
	return false;
}

static enum engine_verdict prefix_verdict(const struct config *cfg, struct span p)
{
	if (!p.len)
		return ENGINE_COUNTED;
	if (cfg->n_ignore_prefix_pats && blame_prefix_ignored(cfg, p.p, p.len))
		return ENGINE_IGNORED_LOG_PREFIX;
	if (cfg->n_accept_log_prefixes && blame_prefix_accepted(cfg, p.p, p.len))
		return ENGINE_IGNORED_ACCEPTED;
	return ENGINE_COUNTED;
}

/* The prefix's verdict, remembered for the last PREFIX_MEMO prefixes. */
static enum engine_verdict prefix_memo(struct blame *b, struct span p)
{
	struct prefix_memo *m;
	enum engine_verdict v;

	if (!p.len || (!b->cfg->n_ignore_prefix_pats && !b->cfg->n_accept_log_prefixes))
		return ENGINE_COUNTED;
	/* direct-mapped by length and end bytes: one probe */
	m = &b->memo[(p.len * 31u + (uint8_t)p.p[0] + 7u * (uint8_t)p.p[p.len - 1]) % PREFIX_MEMO];
	if (m->used && m->len == p.len && memcmp(m->p, p.p, p.len) == 0)
		return (enum engine_verdict)m->verdict;
	v = prefix_verdict(b->cfg, p);
	if (p.len <= sizeof(m->p)) {
		memcpy(m->p, p.p, p.len);
		m->len = (uint8_t)p.len;
		m->used = true;
		m->verdict = (uint8_t)v;
	}
	return v;
}

enum engine_verdict blame_filter(struct blame *b, const struct event *ev)
{
	enum engine_verdict v = prefix_memo(b, ev->prefix);

	if (v != ENGINE_COUNTED)
		return v;
	if (ev->chain == CHAIN_OUTPUT)
		return ENGINE_IGNORED_OUTPUT;
	if (reply_flags(ev) == REPLY_ACK && service_to_ephemeral(ev))
		return ENGINE_IGNORED_REPLY;
	return ENGINE_COUNTED;
}

/* ---- reflected traffic ----------------------------------------------------- */

int blame_reflect_count(struct source_state *s, const struct event *ev)
{
	struct source_reflect *r = s->reflected;
	uint8_t f = ev->tcp_flags & (uint8_t)~(TCPF_ECE | TCPF_CWR);

	if (!r) {
		if (!(r = calloc(1, sizeof(*r))))
			return -ENOMEM;
		portset_init(&r->dports);
		r->sport = ev->sport;
		s->reflected = r;
	}
	r->packets++;
	if (f == (TCPF_SYN | TCPF_ACK))
		r->syn_ack++;
	else if (f == TCPF_RST)
		r->rst++;
	else
		r->rst_ack++;
	if (ev->sport != r->sport)
		r->sports_varied = true;
	return portset_add(&r->dports, ev->dport) < 0 ? -ENOMEM : 0;
}

uint8_t blame_reflect_level(const struct config *cfg, const struct source_reflect *r)
{
	return r && r->packets >= cfg->danger_level[1] && r->dports.count > 1 ? 1 : 0;
}

size_t blame_reflect_bytes(const struct source_reflect *r)
{
	return r ? mem_cost(sizeof(*r)) + portset_bytes(&r->dports) : 0;
}

void blame_reflect_free(struct source_reflect *r)
{
	if (!r)
		return;
	portset_done(&r->dports);
	free(r);
}

/* ---- life ------------------------------------------------------------------ */

void blame_set_config(struct blame *b, const struct config *cfg)
{
	b->cfg = cfg;
	memset(b->memo, 0, sizeof(b->memo));
	for (size_t i = 0; i < cfg->n_firewall_addresses; i++) {
		const struct own_net *n = &cfg->firewall_addresses[i];
		struct addr bc;
		if (!blame_is_own(b, &n->a))
			(void)own_add(b, &n->a, 0, true, SPOOF_OWN);
		if (own_broadcast(n, &bc) && !blame_is_own(b, &bc))
			(void)own_add(b, &bc, 0, true, SPOOF_BROADCAST);
	}
}

int blame_new(const struct config *cfg, struct blame **ret_blame)
{
	struct blame *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	blame_set_config(b, cfg);
	*ret_blame = b;
	return 0;
}

struct blame *blame_free(struct blame *b)
{
	free(b);
	return NULL;
}

void blame_get_stats(const struct blame *b, struct blame_stats *ret)
{
	*ret = b->stats;
}
