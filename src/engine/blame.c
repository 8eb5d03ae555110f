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

#define OWN_SLOTS (2 * BLAME_OWN_MAX) /* open addressing, load <= 1/2 */
#define OWN_FILTER_BITS 1024
#define HOST_CACHE_MAX 64
#define PREFIX_CACHE_MAX 64
#define EPHEMERAL_LO 32768 /* Linux's ephemeral ports start here, Windows' at 49152 */

struct own_entry {
	uint64_t host; /* the reporter's hash; configured addresses: any reporter */
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

	/* the last prefix and its verdict */
	char prefix[PREFIX_CACHE_MAX];
	size_t prefix_len;
	enum engine_verdict prefix_verdict;
	bool prefix_valid;
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

enum spoof_reason blame_impossible(const struct addr *a)
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

/* Cheap, unkeyed: only to skip the table for the many addresses that are
 * not ours (a collision costs one probe, nothing else). */
static uint32_t own_cheap(const struct addr *a)
{
	uint32_t h = 0;

	for (int i = 0; i < 16; i += 4) {
		uint32_t w;
		memcpy(&w, a->b + i, 4);
		h ^= w;
	}
	h *= 0x9E3779B1u;
	return h >> 22; /* 10 bits */
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
	if (b->host_valid) {
		if (host.len)
			memcpy(b->host, host.p, host.len);
		b->host_len = host.len;
	}
	return b->host_hash;
}

static uint32_t own_slot(const struct addr *a)
{
	uint64_t h = addr_hash(a, 0x5bd1e995);

	return (uint32_t)(h % OWN_SLOTS);
}

/* The entry for a (of host, or of any host), or NULL. */
static const struct own_entry *own_find(const struct blame *b, const struct addr *a, uint64_t host,
					bool any_host)
{
	if (!b->n_own || !(b->filter[own_cheap(a) >> 6] & (UINT64_C(1) << (own_cheap(a) & 63))))
		return NULL;
	for (uint32_t i = own_slot(a), k = 0; k < OWN_SLOTS; i = (i + 1) % OWN_SLOTS, k++) {
		const struct own_entry *o = &b->own[i];
		if (!o->kind)
			return NULL;
		if (addr_eq(&o->a, a) && (o->any_host || any_host || o->host == host))
			return o;
	}
	return NULL;
}

static bool own_add(struct blame *b, const struct addr *a, uint64_t host, bool any_host,
		    uint8_t kind)
{
	uint32_t i, bit;

	if (b->n_own >= BLAME_OWN_MAX) {
		b->stats.own_dropped++;
		return false;
	}
	for (i = own_slot(a); b->own[i].kind; i = (i + 1) % OWN_SLOTS)
		;
	b->own[i] = (struct own_entry){ .host = host, .a = *a, .kind = kind, .any_host = any_host };
	b->n_own++;
	bit = own_cheap(a);
	b->filter[bit >> 6] |= UINT64_C(1) << (bit & 63);
	return true;
}

bool blame_is_own(const struct blame *b, const struct addr *a)
{
	return own_find(b, a, 0, true) != NULL;
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
	uint64_t host;
	uint8_t kind = SPOOF_OWN;

	if (ev->chain != CHAIN_INPUT || !b->cfg->learn_firewall_addresses ||
	    blame_impossible(&ev->dst) != SPOOF_NONE)
		return false;
	host = blame_host(b, ev->host);
	if (own_find(b, &ev->dst, host, false))
		return false;
	/* a broadcast destination MAC: the IPv4 address is a directed broadcast */
	if (ev->dst.family == ADDR_V4 && ev->mac.len >= 17 &&
	    memcmp(ev->mac.p, "ff:ff:ff:ff:ff:ff", 17) == 0)
		kind = SPOOF_BROADCAST;
	if (!own_add(b, &ev->dst, host, false, kind))
		return false;
	b->stats.own_learnt++;
	return true;
}

void blame_packet(struct blame *b, const struct event *ev, struct blame_pkt *ret)
{
	const struct own_entry *o;

	ret->spoofed = (uint8_t)blame_impossible(&ev->src);
	if (!ret->spoofed && (o = own_find(b, &ev->src, blame_host(b, ev->host), false)))
		ret->spoofed = o->kind;
	ret->reflected = blame_is_backscatter(ev);
}

/* ---- packet shapes --------------------------------------------------------- */

bool blame_is_backscatter(const struct event *ev)
{
	uint8_t f;

	if (ev->proto != IPPROTO_NUM_TCP || !ev->has_ports)
		return false;
	f = ev->tcp_flags & (uint8_t)~(TCPF_ECE | TCPF_CWR);
	return f == (TCPF_SYN | TCPF_ACK) || f == TCPF_RST || f == (TCPF_RST | TCPF_ACK);
}

/* The server's side of a connection: a service port (below the ephemeral
 * ranges) talking to a client's ephemeral port. nmap's ACK and Maimon scans
 * come from one port of 33000-63999 (its "magic port") to the ports they
 * probe, mostly below 1024: not this shape. */
bool blame_is_service_reply(const struct event *ev)
{
	uint8_t f;

	if (ev->proto != IPPROTO_NUM_TCP || !ev->has_ports)
		return false;
	f = ev->tcp_flags & (uint8_t)~(TCPF_ECE | TCPF_CWR);
	if (!(f & TCPF_ACK) || (f & (TCPF_SYN | TCPF_RST)))
		return false;
	return (ev->sport < 1024 && ev->dport >= 1024) ||
	       (ev->sport < EPHEMERAL_LO && ev->dport >= EPHEMERAL_LO);
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

enum engine_verdict blame_filter(struct blame *b, const struct event *ev)
{
	struct span p = ev->prefix;
	enum engine_verdict v;

	if (b->prefix_valid && same_bytes(p, b->prefix, b->prefix_len)) {
		v = b->prefix_verdict;
	} else {
		v = prefix_verdict(b->cfg, p);
		b->prefix_valid = p.len <= sizeof(b->prefix);
		if (b->prefix_valid) {
			if (p.len)
				memcpy(b->prefix, p.p, p.len);
			b->prefix_len = p.len;
			b->prefix_verdict = v;
		}
	}
	if (v != ENGINE_COUNTED)
		return v;
	if (ev->chain == CHAIN_OUTPUT)
		return ENGINE_IGNORED_OUTPUT;
	if (blame_is_service_reply(ev))
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

void blame_reflect_free(struct source_reflect *r)
{
	if (!r)
		return;
	portset_done(&r->dports);
	free(r);
}

/* ---- life ------------------------------------------------------------------ */

int blame_new(const struct config *cfg, struct blame **ret_blame)
{
	struct blame *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->cfg = cfg;
	for (size_t i = 0; i < cfg->n_firewall_addresses; i++) {
		const struct own_net *n = &cfg->firewall_addresses[i];
		struct addr bc;
		if (!blame_is_own(b, &n->a))
			(void)own_add(b, &n->a, 0, true, SPOOF_OWN);
		if (own_broadcast(n, &bc) && !blame_is_own(b, &bc))
			(void)own_add(b, &bc, 0, true, SPOOF_BROADCAST);
	}
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
