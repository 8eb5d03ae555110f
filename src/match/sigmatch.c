/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sigmatch.c - the signature index and the per-packet test.
 *
 * Index (built once at load; read-only afterwards). Every table is CSR
 * (compressed sparse rows): start[k] .. start[k + 1] delimit the entries of
 * key k in one packed uint32_t array; an entry is rule index << 2 | mode.
 *
 *   tcp, udp   forward: by destination port, 65536 keys, for rules whose
 *              dport is one port, a range or a list of at most 1024 ports
 *              in all without negation; else by source port the same way
 *              (rules on replies "from udp/123"); else (tcp) under every
 *              flag byte the rule's flags test accepts (a pure function of
 *              the byte, whatever the modifier or mask: flags:S,12 is filed
 *              under SYN and its three ECN variants; those that also test
 *              one exact window, IP ID or sequence number, keyed by flag
 *              byte and that value); else the
 *              protocol's
 *              wildcard list.
 *              reversed ('<>' rules only): the same with the packet's ports
 *              swapped. A reversed entry reports only when the forward test
 *              fails, so a rule that matches both ways is reported once.
 *   icmp       by type (256 keys) for rules with one itype, else wildcard.
 *   ip         rules needing IPv4 options (visited only when the packet has
 *              some), sameip rules (only when src == dst), by exact TTL, by a
 *              hash of the one destination or else source host they name,
 *              the rest (every packet).
 *
 * A packet visits its protocol's port, source-port and flag buckets and
 * wildcard list (both directions), the icmp type bucket (ICMPv4 only, as
 * psad: ICMPv6 types differ) and the ip lists. The work is proportional to
 * the rules that could match, not to the size of the set; nothing is
 * allocated. Tables
 * with no entries are not allocated at all (a 65536-key table is 256 KiB).
 *
 * Evaluation from the logged header (differences from psad noted):
 *  - dsize is the real payload: TCP: LEN - IP header (IPv4: 20 + logged IP
 *    option bytes; IPv6: 40, and no dsize at all when extension headers
 *    were logged, since their lengths are not) - TCP header
 *    (20 + logged TCP option bytes); UDP: udp LEN - 8; ICMP: LEN - IP
 *    header - 8; other protocols: LEN - IP header; never below 0. psad
 *    estimates TCP as LEN - 40 (- 44 more for SYN) and ICMP as LEN - 24.
 *    A TCP record without "OPT (...)" does not tell its header length: the
 *    LOG rule may not log options (ufw's and firewalld's default), so the
 *    header is anything from 20 to 60 bytes and the payload a range; a
 *    dsize test matches only if it holds for every value of that range (an
 *    ordinary 60-byte SYN is not "data in a SYN": psad does not flag it
 *    either).
 *  - IPv6: ttl tests the hop limit, tos the traffic class; id, ipopts and
 *    fragbits never match (IPv4 header fields). psad skips ip-level tests
 *    on IPv6 (they pass); vigil evaluates what exists and fails what cannot.
 *  - Fields the log line lacks fail the test: seq/ack without
 *    --log-tcp-sequence, icmp_id/icmp_seq outside echo messages, flags or
 *    window on a non-TCP packet, itype on a non-ICMPv4 packet.
 *  - sameip: src == dst, not on interface lo (as psad).
 *  - Rules whose $HOME_NET / $EXTERNAL_NET are "any" for want of a HOME_NET
 *    match only in their direction where the chain tells it (signature.c):
 *    the rule's home_need against the packet's home side.
 *  - tcp rules test only TCP, udp rules only UDP (not UDP-Lite, as psad),
 *    and only when the transport header was logged (not fragments).
 */
#define VIGIL_SIG_INTERNAL
#include "match/signature.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"

#define SIG_INDEX_PORTS_MAX 1024 /* a dport list wider than this is a wildcard */

/* ---- building ---- */

enum pass { PASS_TOTAL, PASS_COUNT, PASS_FILL };

static void emit(enum pass pass, struct sig_csr *c, uint32_t key, uint32_t e)
{
	if (pass == PASS_TOTAL)
		c->n_ent++;
	else if (pass == PASS_COUNT)
		c->start[key]++;
	else
		c->ent[c->start[key]++] = e;
}

static uint32_t list_ports(const struct sigset *s, const struct sig_list *l)
{
	uint32_t n = 0;

	if (l->any || l->neg || l->n_neg || !l->n_pos)
		return UINT32_MAX;
	for (uint32_t i = 0; i < l->n_pos; i++)
		n += (uint32_t)s->ports[l->off + i].hi - s->ports[l->off + i].lo + 1;
	return n;
}

static bool bits_match(uint8_t mod, uint8_t want, uint8_t ignore, uint8_t pkt);

static void emit_ports(const struct sigset *s, enum pass pass, struct sig_csr *c,
		       const struct sig_list *l, uint32_t e)
{
	for (uint32_t i = 0; i < l->n_pos; i++) {
		const struct sig_prange *pr = &s->ports[l->off + i];
		for (uint32_t p = pr->lo; p <= pr->hi; p++)
			emit(pass, c, p, e);
	}
}

/* Put entry e in one direction of a tcp/udp index: dl is the rule's port
 * list compared with the key the visit uses for port, sl the one compared
 * with its sport key. A flag test is a function of the flag byte alone, so
 * a tcp rule is filed under every byte it accepts (whatever its modifier):
 * a SYN never meets the FIN, NULL or XMAS rules. */
/* The one host a positive address list names, or NULL. */
static const struct net *list_host(const struct sigset *s, const struct sig_list *l)
{
	const struct net *n;

	if (l->any || l->neg || l->n_neg || l->n_pos != 1)
		return NULL;
	n = &s->nets[l->off];
	return n->len == (n->a.family == ADDR_V4 ? 32 : 128) ? n : NULL;
}

static bool list_any(const struct sig_list *l)
{
	return l->any && !l->neg;
}

/* A forward entry whose header test the table key makes redundant: the
 * addresses are "any" and so is every port list but the one indexed (whose
 * positive ranges the key came from). Most rules are such, and skipping
 * their header test halves the work per candidate. */
static uint32_t keyed(const struct sig_rule *r, uint32_t e, const struct sig_list *indexed)
{
	if ((e & 3) != SIGE_FWD || !list_any(&r->src) || !list_any(&r->dst))
		return e;
	if (r->bidir && r->home_need) /* sides: per direction, in rule_header() */
		return e;
	if ((&r->sport != indexed && !list_any(&r->sport)) ||
	    (&r->dport != indexed && !list_any(&r->dport)))
		return e;
	return (e & ~3u) | SIGE_KEYED;
}

static void index_dir(const struct sigset *s, enum pass pass, struct sig_pindex *pi,
		      const struct sig_rule *r, const struct sig_list *dl,
		      const struct sig_list *sl, uint32_t e)
{
	uint32_t dn = list_ports(s, dl), sn = list_ports(s, sl);

	/* by the narrower of the two port lists: "from port 53 to a port
	 * below 1024" is one sport key, not 1023 dport keys */
	if (dn <= SIG_INDEX_PORTS_MAX && dn <= sn) {
		emit_ports(s, pass, &pi->port, dl, keyed(r, e, dl));
	} else if (sn <= SIG_INDEX_PORTS_MAX) {
		emit_ports(s, pass, &pi->sport, sl, keyed(r, e, sl));
	} else if (r->proto == SIGP_TCP && (r->has_flags || r->need_ack)) {
		/* one exact field keys the rule further: window, else IP ID, else SEQ */
		static const unsigned fields[] = { SIGF_WINDOW, SIGF_ID, SIGF_SEQ };
		struct sig_csr *tables[] = { &pi->flagwin, &pi->flagid, &pi->flagseq };
		struct sig_csr *t = &pi->flags;
		uint32_t val = 0;
		for (size_t k = 0; k < 3 && t == &pi->flags; k++) {
			const struct sig_num *nf = &r->num[fields[k]];
			if ((r->has_num & (1u << fields[k])) && !nf->neg && nf->lo == nf->hi) {
				t = tables[k];
				val = nf->lo;
			}
		}
		e = keyed(r, e, NULL);
		for (unsigned v = 0; v < 256; v++) {
			if (r->has_flags &&
			    !bits_match(r->flags_mod, r->flags_want, r->flags_ignore, (uint8_t)v))
				continue;
			if (r->need_ack && !(v & TCPF_ACK))
				continue;
			emit(pass, t, t == &pi->flags ? v : sig_flagwin_key((uint8_t)v, val), e);
		}
	} else {
		emit(pass, &pi->rest, 0, keyed(r, e, NULL));
	}
}

static void index_rule(struct sigset *s, enum pass pass, uint32_t i)
{
	const struct sig_rule *r = &s->rules[i];
	struct sig_index *ix = &s->idx;
	uint32_t fwd = i << 2 | SIGE_FWD;

	switch (r->proto) {
	case SIGP_TCP:
	case SIGP_UDP: {
		bool tcp = r->proto == SIGP_TCP;
		index_dir(s, pass, tcp ? &ix->tcp_fwd : &ix->udp_fwd, r, &r->dport, &r->sport,
			  fwd);
		if (r->bidir)
			index_dir(s, pass, tcp ? &ix->tcp_rev : &ix->udp_rev, r, &r->dport,
				  &r->sport, i << 2 | SIGE_REV);
		break;
	}
	case SIGP_ICMP: {
		const struct sig_num *t = &r->num[SIGF_ITYPE];
		uint32_t e = i << 2 | (r->bidir ? SIGE_EITHER : SIGE_FWD);
		e = keyed(r, e, NULL); /* icmp rules' ports are "any" */
		if ((r->has_num & (1u << SIGF_ITYPE)) && !t->neg && t->lo == t->hi)
			emit(pass, &ix->icmp_type, t->lo, e);
		else
			emit(pass, &ix->icmp_rest, 0, e);
		break;
	}
	default: {
		uint32_t e = keyed(r, i << 2 | (r->bidir ? SIGE_EITHER : SIGE_FWD), NULL);
		const struct sig_num *ttl = &r->num[SIGF_TTL];
		const struct net *h;
		if (r->has_ipopts)
			emit(pass, &ix->ip_opts, 0, e);
		else if (r->sameip)
			emit(pass, &ix->ip_same, 0, e);
		else if ((r->has_num & (1u << SIGF_TTL)) && !ttl->neg && ttl->lo == ttl->hi &&
			 ttl->lo < 256)
			emit(pass, &ix->ip_ttl, ttl->lo, e);
		else if (!r->bidir && (h = list_host(s, &r->dst)))
			emit(pass, &ix->ip_dst, sig_addr_key(&h->a), e);
		else if (!r->bidir && (h = list_host(s, &r->src)))
			emit(pass, &ix->ip_src, sig_addr_key(&h->a), e);
		else
			emit(pass, &ix->ip, 0, e);
		break;
	}
	}
}

#define SIG_INDEX_TABLES 40 /* >= what index_tables() returns (36) */

/* Every table, for the loops below. */
static size_t index_tables(struct sig_index *ix, struct sig_csr **ret)
{
	struct sig_pindex *pi[] = { &ix->tcp_fwd, &ix->tcp_rev, &ix->udp_fwd, &ix->udp_rev };
	size_t n = 0;

	for (size_t i = 0; i < 4; i++) {
		ret[n++] = &pi[i]->port;
		ret[n++] = &pi[i]->sport;
		ret[n++] = &pi[i]->flags;
		ret[n++] = &pi[i]->flagwin;
		ret[n++] = &pi[i]->flagid;
		ret[n++] = &pi[i]->flagseq;
		ret[n++] = &pi[i]->rest;
	}
	ret[n++] = &ix->icmp_type;
	ret[n++] = &ix->icmp_rest;
	ret[n++] = &ix->ip;
	ret[n++] = &ix->ip_opts;
	ret[n++] = &ix->ip_same;
	ret[n++] = &ix->ip_ttl;
	ret[n++] = &ix->ip_dst;
	ret[n++] = &ix->ip_src;
	return n;
}

void sig_index_free(struct sig_index *ix)
{
	struct sig_csr *t[SIG_INDEX_TABLES];
	size_t n = index_tables(ix, t);

	for (size_t i = 0; i < n; i++) {
		free(t[i]->start);
		free(t[i]->used);
		free(t[i]->ent);
	}
	free(ix->flagchk);
	memset(ix, 0, sizeof(*ix));
}

/* (flags & mask) == want, equivalent to the rule's flag and ACK tests, or
 * 0 (no quick test) when it cannot be put so (the "any of" modifier). */
static uint16_t flag_check(const struct sig_rule *r)
{
	uint8_t mask = 0, want = 0;

	if (r->proto != SIGP_TCP)
		return 0;
	if (r->has_flags) {
		switch (r->flags_mod) {
		case SIGM_EXACT:
			mask = (uint8_t)~r->flags_ignore;
			want = r->flags_want & mask;
			break;
		case SIGM_ALL:
			mask = want = r->flags_want & (uint8_t)~r->flags_ignore;
			break;
		case SIGM_NONE:
			mask = r->flags_want & (uint8_t)~r->flags_ignore;
			break;
		default:
			return 0;
		}
	}
	if (r->need_ack) {
		if ((mask & TCPF_ACK) && !(want & TCPF_ACK))
			return 0; /* never matches: the full test says so */
		mask |= TCPF_ACK;
		want |= TCPF_ACK;
	}
	return (uint16_t)(mask | want << 8);
}

int sig_index_build(struct sigset *s)
{
	struct sig_index *ix = &s->idx;
	struct sig_csr *t[SIG_INDEX_TABLES];
	size_t n;

	sig_index_free(ix);
	ix->tcp_fwd.port.nkeys = ix->tcp_rev.port.nkeys = 65536;
	ix->udp_fwd.port.nkeys = ix->udp_rev.port.nkeys = 65536;
	ix->tcp_fwd.sport.nkeys = ix->tcp_rev.sport.nkeys = 65536;
	ix->udp_fwd.sport.nkeys = ix->udp_rev.sport.nkeys = 65536;
	ix->tcp_fwd.flags.nkeys = ix->tcp_rev.flags.nkeys = 256;
	ix->tcp_fwd.flagwin.nkeys = ix->tcp_rev.flagwin.nkeys = 65536;
	ix->udp_fwd.flagwin.nkeys = ix->udp_rev.flagwin.nkeys = 1;
	ix->tcp_fwd.flagid.nkeys = ix->tcp_rev.flagid.nkeys = 65536;
	ix->udp_fwd.flagid.nkeys = ix->udp_rev.flagid.nkeys = 1;
	ix->tcp_fwd.flagseq.nkeys = ix->tcp_rev.flagseq.nkeys = 65536;
	ix->udp_fwd.flagseq.nkeys = ix->udp_rev.flagseq.nkeys = 1;
	ix->udp_fwd.flags.nkeys = ix->udp_rev.flags.nkeys = 1;
	ix->tcp_fwd.rest.nkeys = ix->tcp_rev.rest.nkeys = 1;
	ix->udp_fwd.rest.nkeys = ix->udp_rev.rest.nkeys = 1;
	ix->icmp_type.nkeys = 256;
	ix->icmp_rest.nkeys = ix->ip.nkeys = ix->ip_opts.nkeys = ix->ip_same.nkeys = 1;
	ix->ip_ttl.nkeys = 256;
	ix->ip_dst.nkeys = ix->ip_src.nkeys = 65536;
	n = index_tables(ix, t);

	if (s->n_rules && !(ix->flagchk = calloc(s->n_rules, sizeof(*ix->flagchk))))
		return -ENOMEM;
	for (uint32_t i = 0; i < s->n_rules; i++) {
		const struct sig_rule *r = &s->rules[i];
		uint32_t fc = flag_check(r), need = r->bidir ? 0 : r->home_need;
		/* '<>' rules are tested both ways: rule_header() does it */
		ix->flagchk[i] = ((fc & 0xff) | need << 8) | ((fc >> 8) | need << 8) << 16;
	}
	for (uint32_t i = 0; i < s->n_rules; i++)
		index_rule(s, PASS_TOTAL, i);
	for (size_t k = 0; k < n; k++) {
		if (!t[k]->n_ent)
			continue;
		t[k]->start = calloc((size_t)t[k]->nkeys + 1, sizeof(*t[k]->start));
		t[k]->ent = calloc(t[k]->n_ent, sizeof(*t[k]->ent));
		if (!t[k]->start || !t[k]->ent) {
			sig_index_free(ix);
			return -ENOMEM;
		}
	}
	for (uint32_t i = 0; i < s->n_rules; i++)
		index_rule(s, PASS_COUNT, i);
	for (size_t k = 0; k < n; k++) { /* counts -> first offset of each key */
		uint32_t sum = 0;
		if (!t[k]->start)
			continue;
		if (t[k]->nkeys > 256 &&
		    !(t[k]->used = calloc((t[k]->nkeys + 63) / 64, sizeof(*t[k]->used)))) {
			sig_index_free(ix);
			return -ENOMEM;
		}
		for (uint32_t key = 0; key <= t[k]->nkeys; key++) {
			uint32_t c = t[k]->start[key];
			if (c && t[k]->used)
				t[k]->used[key >> 6] |= UINT64_C(1) << (key & 63);
			t[k]->start[key] = sum;
			sum += c;
		}
	}
	for (uint32_t i = 0; i < s->n_rules; i++)
		index_rule(s, PASS_FILL, i);
	{
		struct sig_pindex *pis[] = { &ix->tcp_fwd, &ix->tcp_rev, &ix->udp_fwd, &ix->udp_rev };
		for (size_t i = 0; i < 4; i++)
			pis[i]->n_ent = pis[i]->port.n_ent + pis[i]->sport.n_ent + pis[i]->flags.n_ent +
					pis[i]->flagwin.n_ent + pis[i]->flagid.n_ent +
					pis[i]->flagseq.n_ent + pis[i]->rest.n_ent;
	}
	for (size_t k = 0; k < n; k++) { /* filling advanced start[key] to start[key + 1] */
		if (!t[k]->start)
			continue;
		for (uint32_t key = t[k]->nkeys; key > 0; key--)
			t[k]->start[key] = t[k]->start[key - 1];
		t[k]->start[0] = 0;
	}
	return 0;
}

/* ---- testing one rule ---- */

static bool list_net(const struct sigset *s, const struct sig_list *l, const struct addr *a)
{
	bool in = true;

	if (l->any)
		return !l->neg;
	if (l->n_pos) {
		in = false;
		for (uint32_t i = 0; i < l->n_pos && !in; i++)
			in = net_contains(&s->nets[l->off + i], a);
	}
	for (uint32_t i = 0; i < l->n_neg && in; i++)
		in = !net_contains(&s->nets[l->off + l->n_pos + i], a);
	return in != l->neg;
}

static bool in_prange(const struct sig_prange *r, uint32_t n, uint16_t port)
{
	for (uint32_t i = 0; i < n; i++)
		if (port >= r[i].lo && port <= r[i].hi)
			return true;
	return false;
}

static bool list_port(const struct sigset *s, const struct sig_list *l, const struct event *ev,
		      uint16_t port)
{
	bool in;

	if (l->any)
		return !l->neg;
	if (!ev->has_ports)
		return false;
	in = !l->n_pos || in_prange(s->ports + l->off, l->n_pos, port);
	if (in && l->n_neg)
		in = !in_prange(s->ports + l->off + l->n_pos, l->n_neg, port);
	return in != l->neg;
}

/* The side of ev that is home, from its chain (SIG_HOME_*), or 0 when the
 * chain does not tell (FORWARD: either side may be home). */
static uint8_t home_side(const struct event *ev)
{
	return ev->chain == CHAIN_INPUT ? SIG_HOME_DST : ev->chain == CHAIN_OUTPUT ? SIG_HOME_SRC : 0;
}

/* Does a rule needing home on side need (written direction; swapped when
 * rev) accept a packet whose home side is side (0: unknown)? A rule needing
 * both sides home (or both away) never matches where the chain tells. */
static inline bool home_ok(uint8_t need, uint8_t side, bool rev)
{
	if (!need || !side)
		return true;
	if (rev)
		need = (uint8_t)((need & SIG_HOME_DST) << 1 | (need & SIG_HOME_SRC) >> 1);
	return need == side;
}

/* Addresses and ports, as written (rev false) or swapped. */
static bool rule_header(const struct sigset *s, const struct sig_rule *r, const struct event *ev,
			bool rev)
{
	const struct addr *src = rev ? &ev->dst : &ev->src, *dst = rev ? &ev->src : &ev->dst;

	return home_ok(r->home_need, home_side(ev), rev) && list_net(s, &r->src, src) &&
	       list_net(s, &r->dst, dst) &&
	       list_port(s, &r->sport, ev, rev ? ev->dport : ev->sport) &&
	       list_port(s, &r->dport, ev, rev ? ev->sport : ev->dport);
}

static uint32_t clamp_len(int64_t n)
{
	return n <= 0 ? 0 : n >= UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* TCP header bytes as the record tells them: [lo, hi]. Options logged
 * ("OPT (hex)"): exact. No OPT, or OPT (TRUNCATED): the header's data
 * offset is unknown, 20 to 60 bytes (RFC 9293 3.1). */
static void tcp_hdr_range(const struct event *ev, int64_t *lo, int64_t *hi)
{
	if (ev->has_tcp_opts && !ev->tcp_opts.truncated) {
		*lo = *hi = 20 + (int64_t)ev->tcp_opt_len;
		return;
	}
	*lo = 20;
	*hi = 60;
}

/* Payload length from the header lengths (see the top of this file), as the
 * range [*lo, *hi] of the values the record allows. */
static void event_dsize(const struct event *ev, uint32_t *lo, uint32_t *hi)
{
	bool v6 = event_is_v6(ev);
	int64_t ip_hdr = v6 ? 40 : 20 + (int64_t)ev->ip_opt_len;
	int64_t len = (int64_t)ev->ip_len, h_lo, h_hi;

	switch (ev->proto) {
	case IPPROTO_NUM_TCP:
		tcp_hdr_range(ev, &h_lo, &h_hi);
		*lo = clamp_len(len - ip_hdr - h_hi);
		*hi = clamp_len(len - ip_hdr - h_lo);
		return;
	case IPPROTO_NUM_UDP:
	case IPPROTO_NUM_UDPLITE:
		*lo = *hi = clamp_len((int64_t)ev->udp_len - 8);
		return;
	case IPPROTO_NUM_ICMP:
	case IPPROTO_NUM_ICMPV6:
		*lo = *hi = clamp_len(len - ip_hdr - (event_is_icmp(ev) ? 8 : 0));
		return;
	default:
		*lo = *hi = clamp_len(len - ip_hdr);
		return;
	}
}

/* Does "v in [n->lo, n->hi]" (inverted by n->neg) hold for every v in
 * [lo, hi]? For lo == hi, the plain test. */
static bool num_holds_all(const struct sig_num *n, uint32_t lo, uint32_t hi)
{
	if (n->lo > n->hi) /* empty set */
		return n->neg;
	if (!n->neg)
		return lo >= n->lo && hi <= n->hi;
	return hi < n->lo || lo > n->hi;
}

/* IPv6 extension headers are logged without their lengths, so the payload
 * of a packet that has some cannot be worked out: dsize tests fail there
 * (psad counts them as payload, and a Topera SYN "carries data"). */
static bool dsize_known(const struct event *ev)
{
	return !event_is_v6(ev) || (!ev->v6_ext.len && !ev->v6_empty_opts);
}

static bool is_icmp4(const struct event *ev)
{
	return ev->proto == IPPROTO_NUM_ICMP && !event_is_v6(ev);
}

/* The value of field f in ev; false when the log line does not have it. */
static bool field_value(const struct event *ev, unsigned f, uint32_t *ret)
{
	bool v6 = event_is_v6(ev), tcp = ev->proto == IPPROTO_NUM_TCP;
	bool icmp = is_icmp4(ev) && ev->has_icmp;

	switch (f) {
	case SIGF_TTL:      *ret = ev->ttl; return true;
	case SIGF_TOS:      *ret = v6 ? ev->tc : ev->tos; return true;
	case SIGF_ID:       *ret = ev->ip_id; return !v6;
	case SIGF_IPLEN:    *ret = ev->ip_len; return true;
	case SIGF_DSIZE:    return false; /* a range: see rule_options() */
	case SIGF_WINDOW:   *ret = ev->window; return tcp;
	case SIGF_SEQ:      *ret = ev->seq; return tcp && ev->has_seq;
	case SIGF_ACK:      *ret = ev->ack; return tcp && ev->has_seq;
	case SIGF_ITYPE:    *ret = ev->icmp_type; return icmp;
	case SIGF_ICODE:    *ret = ev->icmp_code; return icmp;
	case SIGF_ICMP_ID:  *ret = ev->icmp_id; return icmp && ev->has_icmp_echo;
	case SIGF_ICMP_SEQ: *ret = ev->icmp_seq; return icmp && ev->has_icmp_echo;
	case SIGF_IP_PROTO: *ret = ev->proto; return true;
	}
	return false;
}

/* Snort's flag modifiers over the bits not ignored. */
static bool bits_match(uint8_t mod, uint8_t want, uint8_t ignore, uint8_t pkt)
{
	uint8_t v = pkt & (uint8_t)~ignore;

	switch (mod) {
	case SIGM_ALL:  return (v & want) == want;
	case SIGM_ANY:  return (v & want) != 0;
	case SIGM_NONE: return (v & want) == 0;
	default:        return v == want;
	}
}

static bool iface_is_lo(const struct event *ev)
{
	return span_eq(ev->in, "lo", 2) || span_eq(ev->out, "lo", 2);
}

/* Everything but addresses and ports: does not depend on direction. */
static bool rule_options(const struct sig_rule *r, const struct event *ev, uint32_t ipopts)
{
	bool v6 = event_is_v6(ev), tcp = ev->proto == IPPROTO_NUM_TCP;

	for (uint32_t has = r->has_num; has; has &= has - 1) {
		unsigned f = (unsigned)__builtin_ctz(has);
		const struct sig_num *n = &r->num[f];
		uint32_t v, hi;
		if (f == SIGF_DSIZE) {
			if (!dsize_known(ev))
				return false;
			event_dsize(ev, &v, &hi);
			if (!num_holds_all(n, v, hi))
				return false;
			continue;
		}
		if (!field_value(ev, f, &v) || ((v >= n->lo && v <= n->hi) == n->neg))
			return false;
	}
	if (r->has_flags &&
	    (!tcp || !bits_match(r->flags_mod, r->flags_want, r->flags_ignore, ev->tcp_flags)))
		return false;
	if (r->need_ack && (!tcp || !(ev->tcp_flags & TCPF_ACK)))
		return false;
	if (r->has_frag && (v6 || !bits_match(r->frag_mod, r->frag_want, 0,
					      ev->ip_flags & (IPF_MF | IPF_DF | IPF_CE))))
		return false;
	if (r->has_ipopts && (v6 || !(r->ipopts_bit ? ipopts & r->ipopts_bit : ipopts)))
		return false;
	if (r->sameip && (!addr_eq(&ev->src, &ev->dst) || iface_is_lo(ev)))
		return false;
	return true;
}

static bool rule_proto(const struct sig_rule *r, const struct event *ev)
{
	switch (r->proto) {
	/* A fragment without the transport header (FRAG:n, INCOMPLETE) has no
	 * ports or flags to test: psad's NULL-looking fragments are not scans. */
	case SIGP_TCP:  return ev->proto == IPPROTO_NUM_TCP && ev->has_ports;
	case SIGP_UDP:  return ev->proto == IPPROTO_NUM_UDP && ev->has_ports;
	case SIGP_ICMP: return is_icmp4(ev);
	default:        return true;
	}
}

bool sigset_match_one(const struct sigset *s, size_t idx, const struct event *ev,
		      uint32_t ipopts)
{
	const struct sig_rule *r = &s->rules[idx];

	if (!rule_proto(r, ev))
		return false;
	if (!rule_header(s, r, ev, false) && !(r->bidir && rule_header(s, r, ev, true)))
		return false;
	return rule_options(r, ev, ipopts);
}

/* ---- matching through the index ---- */

struct match_ctx {
	const struct sigset *s;
	const struct event *ev;
	uint32_t word; /* TCP flags | the home sides its chain allows << 8 (flagchk) */
	uint32_t ipopts;
	uint32_t *out;
	size_t max, n;
};

static bool entry_match(const struct match_ctx *m, uint32_t e)
{
	const struct sig_rule *r = &m->s->rules[e >> 2];
	bool ok;

	switch (e & 3) {
	case SIGE_KEYED: /* as written: its side was tested in visit() */
		ok = true;
		break;
	case SIGE_FWD:
		ok = rule_header(m->s, r, m->ev, false);
		break;
	case SIGE_REV:
		ok = rule_header(m->s, r, m->ev, true) && !rule_header(m->s, r, m->ev, false);
		break;
	default:
		ok = rule_header(m->s, r, m->ev, false) || rule_header(m->s, r, m->ev, true);
		break;
	}
	return ok && rule_options(r, m->ev, m->ipopts);
}

static inline __attribute__((always_inline)) void visit(struct match_ctx *m,
							 const struct sig_csr *c, uint32_t key)
{
	if (!c->start || (c->used && !(c->used[key >> 6] >> (key & 63) & 1)))
		return;
	for (uint32_t k = c->start[key]; k < c->start[key + 1]; k++) {
		uint32_t e = c->ent[k], fc = m->s->idx.flagchk[e >> 2];
		if ((m->word & fc & 0xffff) != fc >> 16 || !entry_match(m, e))
			continue;
		if (m->n < m->max)
			m->out[m->n] = c->ent[k] >> 2;
		m->n++;
	}
}

static void visit_dir(struct match_ctx *m, const struct sig_pindex *pi, uint16_t port,
		      uint16_t sport)
{
	if (!pi->n_ent)
		return; /* no rule in this direction (reversed: no '<>' rule) */
	visit(m, &pi->port, port);
	visit(m, &pi->sport, sport);
	if (m->ev->proto == IPPROTO_NUM_TCP) {
		visit(m, &pi->flags, m->ev->tcp_flags);
		visit(m, &pi->flagwin, sig_flagwin_key(m->ev->tcp_flags, m->ev->window));
		if (!event_is_v6(m->ev))
			visit(m, &pi->flagid, sig_flagwin_key(m->ev->tcp_flags, m->ev->ip_id));
		if (m->ev->has_seq)
			visit(m, &pi->flagseq, sig_flagwin_key(m->ev->tcp_flags, m->ev->seq));
	}
	visit(m, &pi->rest, 0);
}

size_t sigset_match(const struct sigset *s, const struct event *ev, uint32_t ipopts,
		    uint32_t *ret_idx, size_t max)
{
	uint8_t side = home_side(ev);
	struct match_ctx m = { s, ev, (uint32_t)ev->tcp_flags | (side ? side : 3u) << 8, ipopts,
			       ret_idx, max, 0 };
	const struct sig_index *ix = &s->idx;

	/* tcp and udp rules need the transport header (rule_proto()) */
	if (ev->proto == IPPROTO_NUM_TCP && ev->has_ports) {
		visit_dir(&m, &ix->tcp_fwd, ev->dport, ev->sport);
		visit_dir(&m, &ix->tcp_rev, ev->sport, ev->dport);
	} else if (ev->proto == IPPROTO_NUM_UDP && ev->has_ports) {
		visit_dir(&m, &ix->udp_fwd, ev->dport, ev->sport);
		visit_dir(&m, &ix->udp_rev, ev->sport, ev->dport);
	} else if (is_icmp4(ev)) {
		if (ev->has_icmp)
			visit(&m, &ix->icmp_type, ev->icmp_type);
		visit(&m, &ix->icmp_rest, 0);
	}
	visit(&m, &ix->ip, 0);
	if (ipopts)
		visit(&m, &ix->ip_opts, 0);
	if (ix->ip_same.start && addr_eq(&ev->src, &ev->dst))
		visit(&m, &ix->ip_same, 0);
	visit(&m, &ix->ip_ttl, ev->ttl);
	if (ix->ip_dst.start)
		visit(&m, &ix->ip_dst, sig_addr_key(&ev->dst));
	if (ix->ip_src.start)
		visit(&m, &ix->ip_src, sig_addr_key(&ev->src));

	/* file order for the caller (matches are few: insertion sort) */
	size_t n = m.n < max ? m.n : max;
	for (size_t i = 1; i < n; i++) {
		uint32_t v = ret_idx[i];
		size_t j = i;
		for (; j > 0 && ret_idx[j - 1] > v; j--)
			ret_idx[j] = ret_idx[j - 1];
		ret_idx[j] = v;
	}
	return m.n;
}
