/* SPDX-License-Identifier: GPL-2.0-or-later */
/* intel.c - signatures, ICMP validity, IP options, OS guesses, named scanners
 * and reputation for the engine (see intel.h).
 *
 * Named scanners (psad-behaviour.md 3.2), with psad's heuristics made
 * stricter where they misfire:
 *  - Mirai: psad's heuristic (a SYN to tcp/2323 after at least 10 SYNs to
 *    tcp/23 from the same source to the same destination; the count starts
 *    again afterwards), and, where the log carries SEQ=, Mirai's own
 *    fingerprint: its scanner puts the destination IPv4 address in the TCP
 *    sequence number of every SYN.
 *  - Masscan: psad calls every SYN without TCP options Masscan once any TCP
 *    record with options was seen, which names hping3, nmap's SYN with
 *    --ip-options and every option-less stack alike. vigil also asks for
 *    masscan's own marks: with SEQ= logged, its IP ID is
 *    (destination ^ destination port ^ sequence) & 0xffff; without, its
 *    fixed window of 1024.
 *  - Topera: an IPv6 TCP packet behind at least TOPERA_EMPTY_OPTS empty
 *    extension-header option groups, as psad.
 */
#include "engine/intel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mem.h"
#include "engine/strpool.h"
#include "match/icmptypes.h"
#include "match/ipopts.h"
#include "match/matchers.h"
#include "match/osfp.h"
#include "match/reputation.h"
#include "match/signature.h"

#define MIRAI_SYN23_MIN 10    /* psad: SYNs to tcp/23 before the one to tcp/2323 */
#define TOPERA_EMPTY_OPTS 7   /* psad: consecutive empty IPv6 option groups */
#define MASSCAN_WINDOW 1024
#define ICMP_INVALID_DL 2     /* psad: an invalid ICMP type or code */
#define SIGS_CAP_MIN 1 /* most sources match one signature */

static const char *const scanner_names[_SCANNER_MAX] = {
	[SCANNER_MIRAI] = "Mirai",
	[SCANNER_MASSCAN] = "Masscan",
	[SCANNER_TOPERA] = "Topera",
};

const char *scanner_name(enum scanner s)
{
	return (unsigned)s < _SCANNER_MAX ? scanner_names[s] : "?";
}

static uint8_t max_u8(uint8_t a, uint8_t b)
{
	return a > b ? a : b;
}

void intel_prepare(const struct matchers *m, const struct event *ev, struct intel_pkt *ret)
{
	ret->ipopts = 0;
	ret->ipopts_malformed = false;
	ret->n_sigs = ret->n_sigs_total = 0;
	ret->suppress = false;
	if ((ev->ip_opt_len || ev->ip_opt_bad) && !event_is_v6(ev)) {
		ret->ipopts = ipopts_decode(ev->ip_opt_raw, ev->ip_opt_len, &ret->ipopts_malformed);
		ret->ipopts_malformed |= ev->ip_opt_bad;
	}
	if (!m->sigs)
		return;
	ret->n_sigs_total = sigset_match(m->sigs, ev, ret->ipopts, ret->sig_idx, INTEL_PKT_SIGS);
	ret->n_sigs = ret->n_sigs_total < INTEL_PKT_SIGS ? ret->n_sigs_total : INTEL_PKT_SIGS;
	for (size_t i = 0; i < ret->n_sigs; i++)
		if (sigset_get(m->sigs, ret->sig_idx[i])->dl == 0)
			ret->suppress = true;
}

static struct source_intel *intel_of(struct source_state *s)
{
	if (!s->intel && (s->intel = calloc(1, sizeof(*s->intel))))
		s->intel->bytes = (uint32_t)mem_cost(sizeof(*s->intel));
	return s->intel;
}

/* x's part at old_size became new_size bytes (0: none): keep x->bytes. */
static void intel_resized(struct source_intel *x, size_t old_size, size_t new_size)
{
	x->bytes += (uint32_t)mem_cost(new_size) - (uint32_t)mem_cost(old_size);
}

/* The pool's copy of s, or NULL (counted). */
static const char *intel_intern(struct intel_global *g, const char *s)
{
	const char *c = strpool_intern(g->pool, s, strlen(s));

	if (!c)
		g->strings_dropped++;
	return c;
}

void intel_reset_memo(struct intel_global *g)
{
	memset(g->memo, 0, sizeof(g->memo));
}

int intel_new_source(const struct matchers *m, struct intel_global *g, struct source_state *s)
{
	struct reputation_hit hit;
	struct source_intel *x;
	const char *list;

	if (!m->rep || !reputation_lookup(m->rep, &s->src, &hit))
		return 0;
	if (!(list = intel_intern(g, hit.list)))
		list = "?";
	if (!(x = intel_of(s)) || !(x->rep = malloc(sizeof(*x->rep))))
		return -ENOMEM;
	intel_resized(x, 0, sizeof(*x->rep));
	x->rep->net = hit.net;
	x->rep->list = list;
	x->rep_dl = m->rep_dl;
	return 0;
}

#define SIG_LINEAR_MAX 8 /* signatures of a source searched linearly */

static uint32_t sig_hash(uint32_t id)
{
	uint64_t h = (uint64_t)id * UINT64_C(0x9E3779B97F4A7C15);
	return (uint32_t)(h >> 57); /* 7 bits: SIG_SLOTS */
}

/* The slot of signature id in x's index: where it is, or the empty one it goes to. */
static uint8_t *sig_slot_of(const struct source_intel *x, uint32_t id)
{
	uint32_t h = sig_hash(id);

	for (;; h = (h + 1) % SIG_SLOTS) {
		uint8_t *sl = &x->sig_slot[h];
		if (!*sl || x->sigs[*sl - 1].id == id)
			return sl;
	}
}

/* Index the source's signatures once it has more than SIG_LINEAR_MAX. */
static int sig_index(struct source_intel *x)
{
	if (x->sig_slot || x->n_sigs <= SIG_LINEAR_MAX)
		return 0;
	if (!(x->sig_slot = calloc(SIG_SLOTS, 1)))
		return -ENOMEM;
	intel_resized(x, 0, SIG_SLOTS);
	for (uint16_t i = 0; i < x->n_sigs; i++)
		*sig_slot_of(x, x->sigs[i].id) = (uint8_t)(i + 1);
	return 0;
}

static struct sig_count *sig_find(const struct source_intel *x, uint32_t id)
{
	if (x->sig_slot) {
		uint8_t sl = *sig_slot_of(x, id);
		return sl ? &x->sigs[sl - 1] : NULL;
	}
	for (uint16_t i = 0; i < x->n_sigs; i++)
		if (x->sigs[i].id == id)
			return &x->sigs[i];
	return NULL;
}

/* Index x's signatures by id again (after a restore). */
int intel_sig_reindex(struct source_intel *x)
{
	if (x->sig_slot) {
		memset(x->sig_slot, 0, SIG_SLOTS);
		for (uint16_t i = 0; i < x->n_sigs; i++)
			*sig_slot_of(x, x->sigs[i].id) = (uint8_t)(i + 1);
		return 0;
	}
	return sig_index(x);
}

static int sig_add(struct intel_global *g, struct source_intel *x, const struct sig *sig,
		   const struct event *ev)
{
	struct sig_count *c = sig_find(x, sig->id);

	if (!c) {
		const char *msg;
		if (x->n_sigs >= SOURCE_SIGS_MAX) {
			x->sigs_other++;
			x->sig_dl_max = max_u8(x->sig_dl_max, sig->dl);
			return 0;
		}
		if (x->n_sigs == x->cap_sigs) {
			uint16_t cap = x->cap_sigs ? 2 * x->cap_sigs : SIGS_CAP_MIN;
			struct sig_count *n = realloc(x->sigs, cap * sizeof(*n));
			if (!n)
				return -ENOMEM;
			intel_resized(x, x->cap_sigs * sizeof(*n), cap * sizeof(*n));
			x->sigs = n;
			x->cap_sigs = cap;
		}
		if (!(msg = intel_intern(g, sig->msg)))
			msg = "";
		c = &x->sigs[x->n_sigs++];
		*c = (struct sig_count){ .msg = msg, .id = sig->id, .psad_id = sig->psad_id,
					 .dl = sig->dl };
		if (g->n_new_sigs < INTEL_PKT_SIGS)
			g->new_sigs[g->n_new_sigs++] = (uint16_t)(x->n_sigs - 1);
		if (x->sig_slot)
			*sig_slot_of(x, sig->id) = (uint8_t)x->n_sigs;
		else if (sig_index(x) < 0)
			return -ENOMEM;
	}
	c->count++;
	if (ev->has_ports)
		c->last_dport = ev->dport;
	x->sig_dl_max = max_u8(x->sig_dl_max, sig->dl);
	return 0;
}

/* ICMP or ICMPv6 type and code against the tables. */
static int icmp_check(const struct matchers *m, struct source_state *s, const struct event *ev)
{
	const struct icmp_types *t;
	struct source_intel *x;

	if (!ev->has_icmp)
		return 0;
	if (ev->proto == IPPROTO_NUM_ICMP && !event_is_v6(ev))
		t = m->icmp4;
	else if (ev->proto == IPPROTO_NUM_ICMPV6 && event_is_v6(ev))
		t = m->icmp6;
	else
		return 0;
	if (!t || icmp_types_check(t, ev->icmp_type, ev->icmp_code) == ICMP_VALID)
		return 0;
	if (!(x = intel_of(s)))
		return -ENOMEM;
	x->invalid_icmp++;
	x->icmp_dl = ICMP_INVALID_DL;
	if (!x->bad_icmp) {
		if (!(x->bad_icmp = calloc(SOURCE_BAD_ICMP_MAX, sizeof(*x->bad_icmp))))
			return -ENOMEM;
		intel_resized(x, 0, SOURCE_BAD_ICMP_MAX * sizeof(*x->bad_icmp));
	}
	for (uint8_t i = 0; i < x->n_bad_icmp; i++)
		if (x->bad_icmp[i].type == ev->icmp_type && x->bad_icmp[i].code == ev->icmp_code) {
			x->bad_icmp[i].count++;
			return 0;
		}
	if (x->n_bad_icmp < SOURCE_BAD_ICMP_MAX)
		x->bad_icmp[x->n_bad_icmp++] =
		    (struct icmp_count){ ev->icmp_type, ev->icmp_code, 1 };
	return 0;
}

static int ipopts_count(struct source_state *s, const struct intel_pkt *pk)
{
	struct source_intel *x;

	if (!pk->ipopts && !pk->ipopts_malformed)
		return 0;
	if (!(x = intel_of(s)))
		return -ENOMEM;
	if (!x->ipopts) {
		if (!(x->ipopts = calloc(1, sizeof(*x->ipopts))))
			return -ENOMEM;
		intel_resized(x, 0, sizeof(*x->ipopts));
	}
	x->ipopts->packets++;
	if (pk->ipopts_malformed)
		x->ipopts->malformed++;
	for (unsigned n = 0; n < IPOPT_NUMBERS; n++)
		if (pk->ipopts & (UINT32_C(1) << n))
			x->ipopts->count[n]++;
	if (ipopts_source_routed(pk->ipopts))
		x->ipopts->source_routed++;
	return 0;
}

/* guess is a pool string (the memo's) or the set's (interned here). */
static int os_add(struct intel_global *g, struct source_state *s, const char *guess)
{
	struct source_intel *x = intel_of(s);

	if (!x)
		return -ENOMEM;
	for (uint8_t i = 0; i < x->n_os; i++)
		if (x->os[i] == guess || strcmp(x->os[i], guess) == 0)
			return 0;
	if (x->n_os >= SOURCE_OS_MAX || !(guess = intel_intern(g, guess))) {
		x->os_other = true;
		return 0;
	}
	/* grown 1, 2, 4, 8: most sources get one guess (a flood of spoofed
	 * sources costs one pointer each) */
	if (!(x->n_os & (x->n_os - 1))) {
		const char **n = realloc(x->os, (x->n_os ? 2u * x->n_os : 1u) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		intel_resized(x, x->n_os * sizeof(*n), (x->n_os ? 2u * x->n_os : 1u) * sizeof(*n));
		x->os = n;
	}
	x->os[x->n_os++] = guess;
	return 0;
}

/* The per-packet facts p0f's quirks look at (zero IP ID, URG pointer,
 * reserved bits, ACK number): part of the memo key. */
static uint8_t memo_quirks(const struct event *ev)
{
	return (uint8_t)((ev->ip_id == 0) | (ev->urgp != 0) << 1 | (ev->res != 0) << 2 |
			 (ev->has_seq && ev->ack) << 3);
}

/* osfp_match_p0f() through the memo: the slot is picked by a hash of the
 * header fields, and used only when they are all equal. */
static size_t p0f_memo(const struct matchers *m, struct intel_global *gl, const struct event *ev,
		       const char **ret)
{
	size_t hl = ev->tcp_opt_len;
	/* what p0f reads of the IP options: their length (IPv4), whether
	 * extension headers were logged (IPv6) */
	uint16_t ipo = event_is_v6(ev) ? ev->v6_ext.len != 0
				       : (uint16_t)(ev->ip_opt_len | ev->ip_opt_bad << 8);
	uint32_t h = 2166136261u;
	struct os_memo *mo;
	size_t n;

	h = (h ^ ev->window) * 16777619u;
	h = (h ^ ev->ttl) * 16777619u;
	h = (h ^ ev->ip_len) * 16777619u;
	h = (h ^ ev->ip_flags) * 16777619u;
	for (size_t i = 0; i < hl; i++)
		h = (h ^ ev->tcp_opt_raw[i]) * 16777619u;
	mo = &gl->memo[(h ^ h >> 16) % OS_MEMO_SLOTS];
	if (mo->used && mo->window == ev->window && mo->ttl == ev->ttl &&
	    mo->ip_len == ev->ip_len && mo->ip_flags == ev->ip_flags &&
	    mo->quirks == memo_quirks(ev) && mo->ip_opt_len == ipo &&
	    mo->v6 == event_is_v6(ev) && mo->opt_len == hl &&
	    (!hl || memcmp(mo->opt, ev->tcp_opt_raw, hl) == 0)) {
		if (mo->n)
			memcpy(ret, mo->guess, mo->n * sizeof(*ret));
		return mo->n;
	}
	n = osfp_match_p0f(m->os, ev, ret, OS_MEMO_GUESSES);
	for (size_t i = 0; i < n; i++) { /* the pool's copies: equal names, equal pointers */
		const char *c = strpool_intern(gl->pool, ret[i], strlen(ret[i]));
		if (c)
			ret[i] = c;
	}
	*mo = (struct os_memo){ .used = true, .v6 = event_is_v6(ev), .ttl = ev->ttl,
				.ip_flags = ev->ip_flags, .opt_len = (uint8_t)hl, .n = (uint8_t)n,
				.window = ev->window, .ip_len = ev->ip_len,
				.quirks = memo_quirks(ev), .ip_opt_len = ipo };
	if (hl)
		memcpy(mo->opt, ev->tcp_opt_raw, hl);
	if (n)
		memcpy(mo->guess, ret, n * sizeof(*ret));
	return n;
}

static int os_guess(const struct matchers *m, struct intel_global *gl, struct source_state *s,
		    struct pair_state *p, const struct event *ev)
{
	const char *g[OS_MEMO_GUESSES];
	size_t n;
	int r = 0;

	if (!m->os || !event_is_syn(ev))
		return 0;
	/* p0f also for option-less SYNs whose length proves they have none
	 * (psad uses only posf there): hping3 and masscan have p0f entries */
	n = p0f_memo(m, gl, ev, g);
	for (size_t i = 0; i < n && r == 0; i++)
		r = os_add(gl, s, g[i]);
	if (n || ev->has_tcp_opts || !p)
		return r;
	osfp_posf_observe(&p->posf, ev);
	if ((g[0] = osfp_posf_guess(m->os, &p->posf)))
		r = os_add(gl, s, g[0]);
	return r;
}

/* The IPv4 destination as the 32-bit number Mirai writes into SEQ. */
static uint32_t v4_number(const struct addr *a)
{
	return (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 | (uint32_t)a->b[2] << 8 |
	       a->b[3];
}

static uint32_t scanners_of(const struct matchers *m, const struct intel_global *g,
			    struct pair_state *p, const struct event *ev)
{
	uint32_t found = 0;

	if (ev->proto != IPPROTO_NUM_TCP)
		return 0;
	if (event_is_v6(ev) && ev->v6_empty_opts >= TOPERA_EMPTY_OPTS)
		found |= UINT32_C(1) << SCANNER_TOPERA;
	if (!event_is_syn(ev))
		return found;
	if (!event_is_v6(ev) && ev->has_seq && ev->seq == v4_number(&ev->dst))
		found |= UINT32_C(1) << SCANNER_MIRAI;
	if (p && ev->dport == 23 && p->syn23 < UINT16_MAX)
		p->syn23++;
	if (p && ev->dport == 2323 && p->syn23 >= MIRAI_SYN23_MIN) {
		found |= UINT32_C(1) << SCANNER_MIRAI;
		p->syn23 = 0;
	}
	/* "options are logged" is known per stream, not per LOG rule: a rule
	 * that logs none (ufw, firewalld) beside one that does would make every
	 * SYN of the first look option-less. masscan's SYN has no options and
	 * no data: 40 bytes (+ IP options), which an nmap SYN (MSS: 44) or an
	 * OS's connect() (52-64) is not, logged options or not. */
	if (m->expect_tcp_options && g->tcp_opts_seen && !ev->has_tcp_opts && !event_is_v6(ev) &&
	    ev->ip_len == 40u + ev->ip_opt_len) {
		bool marks = ev->has_seq ? ev->ip_id == ((v4_number(&ev->dst) ^ ev->dport ^ ev->seq) &
							 0xffff)
					 : ev->window == MASSCAN_WINDOW;
		if (marks)
			found |= UINT32_C(1) << SCANNER_MASSCAN;
	}
	return found;
}

int intel_count(const struct matchers *m, struct intel_global *g, struct source_state *s,
		struct pair_state *p, const struct event *ev, const struct intel_pkt *pk)
{
	struct source_intel *x;
	uint32_t found;
	bool hi = false;
	int r = 0;

	g->n_new_sigs = 0;
	if (ev->has_tcp_opts)
		g->tcp_opts_seen = true;
	for (size_t i = 0; i < pk->n_sigs && r == 0; i++) {
		const struct sig *sig = sigset_get(m->sigs, pk->sig_idx[i]);
		if (!(x = intel_of(s)))
			return -ENOMEM;
		r = sig_add(g, x, sig, ev);
		if (sig->dl > SIG_ALONE_DL_MAX)
			hi = true;
	}
	if (hi && s->intel->sig_hi_packets < UINT32_MAX)
		s->intel->sig_hi_packets++;
	if (pk->n_sigs_total > pk->n_sigs && s->intel)
		s->intel->sigs_other += pk->n_sigs_total - pk->n_sigs;
	if (r == 0)
		r = icmp_check(m, s, ev);
	if (r == 0)
		r = ipopts_count(s, pk);
	if (r == 0)
		r = os_guess(m, g, s, p, ev);
	if (r == 0 && (found = scanners_of(m, g, p, ev))) {
		if (!(x = intel_of(s)))
			return -ENOMEM;
		x->scanners |= (uint8_t)found;
	}
	return r;
}

/* Distinct rules above SIG_ALONE_DL_MAX a source matched, up to
 * SIG_EVIDENCE_DISTINCT (sigs_other counts packets, not rules, beyond
 * SOURCE_SIGS_MAX: the itemised ones suffice). */
static uint32_t sigs_high(const struct source_intel *x)
{
	uint32_t n = 0;

	for (uint16_t i = 0; i < x->n_sigs && n < SIG_EVIDENCE_DISTINCT; i++)
		if (x->sigs[i].dl > SIG_ALONE_DL_MAX)
			n++;
	return n;
}

/* Why a level-3 rule alone is not DL 3: the internet probes tcp/2323,
 * 31337, udp/53413 or sends a Slammer datagram to every address all day
 * (one to a few packets per source, from hundreds of sources a day on any
 * public host; research scanners try a handful of such ports each). Such a
 * packet says what the sender looks for, not that it attacks this host
 * harder than any other scanner: DL 2, as every psad signature. The rule's
 * own level counts once there is more to it: the source also scanned this
 * network for real (a pair at DL SIG_EVIDENCE_SCAN_DL: 15 packets or
 * ports, or a sweep of DL1_UNIQUE_HOSTS destinations), came back to the
 * attack again and again (repeat_min packets: more than one connect()'s
 * retransmissions), or tried several different attacks. A minimal 5-port
 * scan (DL 1) is not enough: that is what a research scanner's visit looks
 * like on real logs (docs/calibration.md). */
void intel_rescore(struct source_intel *x, uint8_t scan_dl, uint8_t sweep_dl, uint64_t repeat_min)
{
	uint8_t dl = x->sig_dl_max;

	if (dl > SIG_ALONE_DL_MAX && scan_dl < SIG_EVIDENCE_SCAN_DL && !sweep_dl &&
	    x->sig_hi_packets < repeat_min && sigs_high(x) < SIG_EVIDENCE_DISTINCT)
		dl = SIG_ALONE_DL_MAX;
	x->sig_dl = max_u8(x->sig_dl, dl);
}

uint8_t intel_level(const struct source_intel *x)
{
	if (!x)
		return 0;
	return max_u8(max_u8(x->sig_dl, x->icmp_dl), x->rep ? x->rep_dl : 0);
}

void intel_free(struct source_intel *x)
{
	if (!x)
		return;
	free(x->sigs);
	free(x->sig_slot);
	free(x->os);
	free(x->bad_icmp);
	free(x->ipopts);
	free(x->rep);
	free(x);
}

size_t intel_bytes_max(void)
{
	return mem_cost(sizeof(struct source_intel)) +
	       mem_cost(SOURCE_SIGS_MAX * sizeof(struct sig_count)) + mem_cost(SIG_SLOTS) +
	       mem_cost(SOURCE_OS_MAX * sizeof(const char *)) +
	       mem_cost(SOURCE_BAD_ICMP_MAX * sizeof(struct icmp_count)) +
	       mem_cost(sizeof(struct intel_ipopts)) + mem_cost(sizeof(struct intel_rep));
}
