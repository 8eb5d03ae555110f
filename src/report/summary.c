/* SPDX-License-Identifier: GPL-2.0-or-later */
/* summary.c - the first screen of a report (see summary.h).
 *
 * The top lists are bounded work, as `vigil status` needs them to be on a
 * daemon with 100,000 sources: they look at the SUMMARY_AGG_SOURCES most
 * dangerous listed sources, at most SUMMARY_AGG_PORTS port visits and
 * SUMMARY_AGG_HOSTS distinct destinations; past any, `partial` is set and
 * what was counted stays.
 */
#include "report/summary.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "event/protoname.h"
#include "report/report-internal.h"
#include "util/num.h"

#define SIG_AGG_SLOTS 4096  /* distinct signatures counted (a power of two) */
#define PORT_PROTOS 3       /* tcp, udp, udplite */

static const uint8_t port_proto_num[PORT_PROTOS] = { IPPROTO_NUM_TCP, IPPROTO_NUM_UDP,
						     IPPROTO_NUM_UDPLITE };

/* ---- ports: sources per port, each source once ------------------------- */

struct port_count {
	uint32_t *count[PORT_PROTOS];
	uint32_t *stamp[PORT_PROTOS]; /* the last source (1-based) that added */
	uint64_t visits;
};

static void port_count_free(struct port_count *pc)
{
	for (int p = 0; p < PORT_PROTOS; p++) {
		free(pc->count[p]);
		free(pc->stamp[p]);
		pc->count[p] = pc->stamp[p] = NULL;
	}
}

static bool port_count_init(struct port_count *pc)
{
	*pc = (struct port_count){ 0 };
	for (int p = 0; p < PORT_PROTOS; p++) {
		pc->count[p] = calloc(65536, sizeof(uint32_t));
		pc->stamp[p] = calloc(65536, sizeof(uint32_t));
		if (!pc->count[p] || !pc->stamp[p]) {
			port_count_free(pc);
			return false;
		}
	}
	return true;
}

static const struct portset *pair_portset(const struct pair_state *p, int proto)
{
	return proto == 0 ? &p->tcp.ports : proto == 1 ? &p->udp.ports : &p->udplite.ports;
}

/* false when the visit budget ran out */
static bool port_add(struct port_count *pc, int proto, const struct portset *ps, uint32_t stamp)
{
	struct portset_iter it;
	struct port_span sp;

	portset_iter_init(&it, ps);
	while (portset_iter_next(&it, &sp)) {
		uint64_t n = (uint64_t)(sp.hi - sp.lo) + 1;
		if (pc->visits + n > SUMMARY_AGG_PORTS)
			return false;
		pc->visits += n;
		for (uint32_t port = sp.lo; port <= sp.hi; port++) {
			if (pc->stamp[proto][port] == stamp)
				continue;
			pc->stamp[proto][port] = stamp;
			pc->count[proto][port]++;
		}
	}
	return true;
}

static bool ports_of_source(struct port_count *pc, const struct source_state *s, uint32_t stamp)
{
	for (uint32_t i = 0; i < s->n_pairs; i++) {
		const struct pair_state *p = s->pairs[i];
		if (!p)
			continue;
		for (int proto = 0; proto < PORT_PROTOS; proto++)
			if (!port_add(pc, proto, pair_portset(p, proto), stamp))
				return false;
	}
	return true;
}

/* Keep the `top` best (most sources first; ties: tcp before udp, lower
 * port first, the order they are offered in). */
static void port_top_insert(struct summary *s, size_t top, uint8_t proto, uint16_t port,
			    uint16_t port_hi, uint32_t sources)
{
	size_t i = s->n_ports;

	if (i == top) {
		if (!top || sources <= s->ports[i - 1].sources)
			return;
		i--;
	} else {
		s->n_ports++;
	}
	while (i > 0 && s->ports[i - 1].sources < sources) {
		s->ports[i] = s->ports[i - 1];
		i--;
	}
	s->ports[i] = (struct summary_port){ .proto = proto, .port = port, .port_hi = port_hi,
					     .sources = sources };
}

static void ports_pick(struct summary *s, size_t top, const struct port_count *pc)
{
	for (int p = 0; p < PORT_PROTOS; p++) {
		for (uint32_t port = 0; port < 65536; port++) {
			uint32_t c = pc->count[p][port], hi = port;
			if (!c)
				continue;
			while (hi + 1 < 65536 && pc->count[p][hi + 1] == c)
				hi++;
			port_top_insert(s, top, port_proto_num[p], (uint16_t)port, (uint16_t)hi, c);
			port = hi;
		}
	}
}

/* ---- signatures -------------------------------------------------------- */

static struct summary_sig *sig_slot(struct summary_sig *tab, uint32_t sid)
{
	uint32_t h = (sid * UINT32_C(2654435761)) & (SIG_AGG_SLOTS - 1);

	for (uint32_t k = 0; k < SIG_AGG_SLOTS; k++, h = (h + 1) & (SIG_AGG_SLOTS - 1))
		if (tab[h].sid == sid || tab[h].sid == 0)
			return &tab[h];
	return NULL; /* full */
}

static bool sigs_of_source(struct summary_sig *tab, const struct source_state *s)
{
	const struct source_intel *x = s->intel;

	for (uint16_t i = 0; x && i < x->n_sigs; i++) {
		const struct sig_count *c = &x->sigs[i];
		struct summary_sig *a = c->id ? sig_slot(tab, c->id) : NULL;
		if (!c->id)
			continue;
		if (!a)
			return false;
		if (!a->sid)
			*a = (struct summary_sig){ .sid = c->id, .msg = c->msg ? c->msg : "" };
		if (c->dl > a->dl)
			a->dl = c->dl;
		a->sources++; /* a source lists a signature once */
		a->count += c->count;
	}
	return true;
}

/* Most sources, then most matches, then sid. */
static bool sig_before(const struct summary_sig *a, const struct summary_sig *b)
{
	if (a->sources != b->sources)
		return a->sources > b->sources;
	if (a->count != b->count)
		return a->count > b->count;
	return a->sid < b->sid;
}

static void sigs_pick(struct summary *s, size_t top, const struct summary_sig *tab)
{
	for (size_t k = 0; k < SIG_AGG_SLOTS; k++) {
		const struct summary_sig *a = &tab[k];
		size_t i = s->n_sigs;
		if (!a->sid || !top)
			continue;
		if (i == top) {
			if (!sig_before(a, &s->sigs[i - 1]))
				continue;
			i--;
		} else {
			s->n_sigs++;
		}
		while (i > 0 && sig_before(a, &s->sigs[i - 1])) {
			s->sigs[i] = s->sigs[i - 1];
			i--;
		}
		s->sigs[i] = *a;
	}
}

/* ---- hosts: destinations by sources ----------------------------------- */

struct host_tab {
	struct summary_host *v; /* dst.family 0: free */
	size_t cap, used;
};

static struct summary_host *host_slot(struct host_tab *h, const struct addr *a)
{
	size_t mask = h->cap - 1, i = (size_t)addr_hash(a, 0x5eed) & mask;

	while (h->v[i].dst.family && !addr_eq(&h->v[i].dst, a))
		i = (i + 1) & mask;
	return &h->v[i];
}

static bool host_grow(struct host_tab *h)
{
	size_t cap = h->cap ? h->cap * 2 : 1024;
	struct summary_host *old = h->v;
	size_t old_cap = h->cap;

	h->v = calloc(cap, sizeof(*h->v));
	if (!h->v) {
		h->v = old;
		return false;
	}
	h->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].dst.family)
			*host_slot(h, &old[i].dst) = old[i];
	free(old);
	return true;
}

static bool hosts_of_source(struct host_tab *h, const struct source_state *s)
{
	bool full = false;

	for (uint32_t i = 0; i < s->n_pairs; i++) {
		const struct pair_state *p = s->pairs[i];
		struct summary_host *x;
		if (!p)
			continue;
		if ((h->used + 1) * 2 > h->cap && h->used < SUMMARY_AGG_HOSTS && !host_grow(h))
			return false;
		x = h->cap ? host_slot(h, &p->dst) : NULL;
		if (!x || (!x->dst.family && (h->used + 1) * 2 > h->cap)) {
			full = true; /* no room for a new one: those known still count */
			continue;
		}
		if (!x->dst.family) {
			x->dst = p->dst;
			h->used++;
		}
		x->sources++; /* a source has one pair per destination */
		x->packets += p->packets;
		if (p->dl > x->dl)
			x->dl = p->dl;
	}
	return !full;
}

static bool host_before(const struct summary_host *a, const struct summary_host *b)
{
	if (a->sources != b->sources)
		return a->sources > b->sources;
	if (a->packets != b->packets)
		return a->packets > b->packets;
	return addr_cmp(&a->dst, &b->dst) < 0;
}

static void hosts_pick(struct summary *s, size_t top, const struct host_tab *h)
{
	for (size_t k = 0; k < h->cap; k++) {
		const struct summary_host *a = &h->v[k];
		size_t i = s->n_hosts;
		if (!a->dst.family || !top)
			continue;
		if (i == top) {
			if (!host_before(a, &s->hosts[i - 1]))
				continue;
			i--;
		} else {
			s->n_hosts++;
		}
		while (i > 0 && host_before(a, &s->hosts[i - 1])) {
			s->hosts[i] = s->hosts[i - 1];
			i--;
		}
		s->hosts[i] = *a;
	}
}

/* ---- build ------------------------------------------------------------- */

static void top_lists(struct summary *s, const struct source_state **v, size_t n,
		      const struct report_opts *o, size_t top)
{
	struct port_count pc;
	struct summary_sig *tab = calloc(SIG_AGG_SLOTS, sizeof(*tab));
	struct host_tab hosts = { 0 };
	bool ports_ok = port_count_init(&pc), sigs_ok = tab != NULL;
	size_t seen = 0;

	if (!ports_ok || !sigs_ok)
		s->partial = true;
	for (size_t i = 0; i < n; i++) {
		if (!report_source_listed(v[i], o))
			continue;
		if (seen++ == SUMMARY_AGG_SOURCES) {
			s->partial = true;
			break;
		}
		if (ports_ok && !ports_of_source(&pc, v[i], (uint32_t)seen)) {
			s->partial = true;
			ports_ok = false; /* what was counted stays */
			ports_pick(s, top, &pc);
			port_count_free(&pc);
		}
		if (sigs_ok && !sigs_of_source(tab, v[i]))
			s->partial = true;
		if (!hosts_of_source(&hosts, v[i]))
			s->partial = true; /* new hosts left out, known ones still counted */
	}
	if (ports_ok) {
		ports_pick(s, top, &pc);
		port_count_free(&pc);
	}
	if (sigs_ok)
		sigs_pick(s, top, tab);
	hosts_pick(s, top, &hosts);
	free(hosts.v);
	free(tab);
}

int summary_build(const struct source_state **v, size_t n, const struct report_opts *o,
		  size_t top, struct summary *ret)
{
	struct summary *s = ret;

	memset(s, 0, sizeof(*s));
	s->tracked = n;
	for (size_t i = 0; i < n; i++) {
		const struct source_state *src = v[i];
		if (!report_source_listed(src, o))
			continue;
		s->listed++;
		s->by_dl[src->dl <= 5 ? src->dl : 5]++;
		s->scanning += src->scan_dl > 0;
		s->spoofed += src->spoofed != SPOOF_NONE;
		s->reflected += src->reflected != NULL;
	}
	if (!top)
		return 0;
	s->top = calloc(top, sizeof(*s->top));
	s->sigs = calloc(top, sizeof(*s->sigs));
	s->ports = calloc(top, sizeof(*s->ports));
	s->hosts = calloc(top, sizeof(*s->hosts));
	if (!s->top || !s->sigs || !s->ports || !s->hosts) {
		s->partial = true;
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && s->n_top < top; i++)
		if (report_source_listed(v[i], o))
			s->top[s->n_top++] = v[i];
	top_lists(s, v, n, o, top);
	return 0;
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	free(s->top);
	free(s->sigs);
	free(s->ports);
	free(s->hosts);
	s->top = NULL;
	s->sigs = NULL;
	s->ports = NULL;
	s->hosts = NULL;
	s->n_top = s->n_sigs = s->n_ports = s->n_hosts = 0;
}

/* ---- a bounded string builder ------------------------------------------ */

struct sb {
	char *buf;
	size_t size, len; /* len may pass size - 1: the text was cut */
};

static void sb_init(struct sb *b, char *buf, size_t size)
{
	b->buf = buf;
	b->size = size;
	b->len = 0;
	if (size)
		buf[0] = '\0';
}

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sb *b, const char *fmt, ...)
{
	size_t room = b->len < b->size ? b->size - b->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? b->buf + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n;
}

/* The length written; a text cut at the size ends in "...". */
static size_t sb_end(struct sb *b)
{
	if (!b->size)
		return 0;
	if (b->len < b->size)
		return b->len;
	if (b->size >= 4)
		memcpy(b->buf + b->size - 4, "...", 4);
	b->len = b->size - 1;
	return b->len;
}

/* "1,234,567" */
static void sb_count(struct sb *b, uint64_t v)
{
	char out[NUM_GROUPED_MAX];

	(void)num_u64_grouped(out, v);
	sb_printf(b, "%s", out);
}

/* ---- what a source did ------------------------------------------------- */

#define BIT(t) (UINT32_C(1) << (t))

/* The flag sets of nmap -O's T2-T7 and ECN probes. */
static unsigned os_probe_shapes(const struct source_state *s)
{
	static const uint8_t shapes[] = {
		0,                                           /* T2: NULL */
		TCPF_SYN | TCPF_FIN | TCPF_URG | TCPF_PSH,   /* T3 */
		TCPF_ACK,                                    /* T4, T6 */
		TCPF_CWR | TCPF_ECE | TCPF_SYN,              /* ECN */
		TCPF_FIN | TCPF_PSH | TCPF_URG,              /* T7 */
	};
	unsigned best = 0;

	for (uint32_t i = 0; i < s->n_pairs; i++) {
		const struct pair_state *p = s->pairs[i];
		unsigned seen = 0;
		if (!p)
			continue;
		for (size_t k = 0; k < sizeof(shapes); k++)
			for (uint8_t j = 0; j < p->n_flags && j < PAIR_FLAGSETS_MAX; j++)
				if (p->flags[j].flags == shapes[k]) {
					seen++;
					break;
				}
		if (seen > best)
			best = seen;
	}
	return best;
}

static bool os_detection(const struct source_state *s)
{
	const struct source_intel *x = s->intel;

	for (uint8_t i = 0; x && i < x->n_os; i++)
		if (x->os[i] && strstr(x->os[i], "OS detection"))
			return true;
	/* the probe shapes without the guess (no TCP options logged) */
	return os_probe_shapes(s) >= 4;
}

/* Ports of one protocol across the source's destinations, as a bitmap;
 * returns how many. */
static uint32_t port_bits(const struct source_state *s, int proto, uint64_t bits[65536 / 64])
{
	uint32_t n = 0;

	memset(bits, 0, 65536 / 8);
	for (uint32_t i = 0; i < s->n_pairs; i++) {
		struct portset_iter it;
		struct port_span sp;
		if (!s->pairs[i])
			continue;
		portset_iter_init(&it, pair_portset(s->pairs[i], proto));
		while (portset_iter_next(&it, &sp)) {
			for (uint32_t p = sp.lo; p <= sp.hi; p++) {
				uint64_t bit = UINT64_C(1) << (p & 63);
				n += !(bits[p >> 6] & bit);
				bits[p >> 6] |= bit;
			}
		}
	}
	return n;
}

/* How many ports of one protocol across the source's destinations. */
static uint32_t ports_union(const struct source_state *s, int proto)
{
	uint64_t bits[65536 / 64];

	uint32_t with = 0;

	for (uint32_t i = 0; i < s->n_pairs; i++)
		with += s->pairs[i] && pair_portset(s->pairs[i], proto)->count;
	if (with <= 1) /* no union to make */
		for (uint32_t i = 0; i < s->n_pairs; i++)
			if (s->pairs[i] && pair_portset(s->pairs[i], proto)->count)
				return pair_portset(s->pairs[i], proto)->count;
	if (!with)
		return 0;
	return port_bits(s, proto, bits);
}

/* The scan types in words, one nmap run as one thing. */
struct scan_word {
	enum scan_type t;
	const char *word;
};

static const struct scan_word scan_words[] = {
	{ SCAN_SYN, "SYN" },       { SCAN_CONNECT, "connect" }, { SCAN_SYN_UNTOLD, "SYN" },
	{ SCAN_FIN, "FIN" },       { SCAN_NULL, "NULL" },       { SCAN_XMAS, "Xmas" },
	{ SCAN_ACK, "ACK" },       { SCAN_MAIMON, "Maimon" },   { SCAN_SYNFIN, "SYN FIN" },
	{ SCAN_UDP, "UDP" },       { SCAN_OTHER, "odd-flags" },
};

static void label_scans(struct sb *b, const struct source_state *s, uint32_t types)
{
	const char *opts[_SCAN_MAX];
	size_t n_opts, words = 0;
	bool sweep = types & BIT(SCAN_SWEEP);
	const char *prev = NULL;

	for (size_t i = 0; i < sizeof(scan_words) / sizeof(scan_words[0]); i++) {
		if (!(types & BIT(scan_words[i].t)))
			continue;
		if (prev && strcmp(prev, scan_words[i].word) == 0)
			continue; /* SYN and SYN_UNTOLD */
		if (words == 3) {
			sb_printf(b, " +more");
			words++;
			break;
		}
		sb_printf(b, "%s%s", words ? " + " : "", scan_words[i].word);
		prev = scan_words[i].word;
		words++;
	}
	if (!words) {
		sb_printf(b, "%s", sweep ? "sweep" : "");
		return;
	}
	sb_printf(b, " %s", sweep ? "sweep" : "scan");
	if (s->intel && (s->intel->scanners & BIT(SCANNER_MIRAI))) {
		sb_printf(b, " (Mirai)");
		return;
	}
	if (s->intel && (s->intel->scanners & BIT(SCANNER_MASSCAN))) {
		sb_printf(b, " (masscan)");
		return;
	}
	if ((types & ~BIT(SCAN_SWEEP)) == BIT(SCAN_SYN_UNTOLD)) {
		/* options not logged, a length either could have */
		sb_printf(b, " (nmap -sS or -sT)");
		return;
	}
	n_opts = scan_types_nmap(types & ~BIT(SCAN_SWEEP), opts);
	for (size_t i = 0; i < n_opts; i++)
		sb_printf(b, "%s%s", i ? " " : " (nmap ", opts[i]);
	if (n_opts)
		sb_printf(b, ")");
}

size_t report_source_label(const struct source_state *s, char *buf, size_t size)
{
	uint32_t types = s->scan_types;
	struct sb b;

	sb_init(&b, buf, size);
	if (s->spoofed) {
		const char *why = spoof_reason_name((enum spoof_reason)s->spoofed);
		sb_printf(&b, "spoofed (%s)", why ? why : "impossible source");
		return sb_end(&b);
	}
	if (!types && s->reflected) {
		sb_printf(&b, "backscatter");
		return sb_end(&b);
	}
	if (os_detection(s)) {
		uint32_t tcp = ports_union(s, 0);
		if ((types & (BIT(SCAN_SYN) | BIT(SCAN_CONNECT) | BIT(SCAN_SYN_UNTOLD))) && tcp > 100)
			sb_printf(&b, "SYN scan + OS fingerprinting (nmap -sS -O)");
		else
			sb_printf(&b, "OS fingerprinting (nmap -O)");
		return sb_end(&b);
	}
	if (types & BIT(SCAN_PROTO)) {
		sb_printf(&b, "IP protocol scan (nmap -sO)");
		return sb_end(&b);
	}
	if (types & BIT(SCAN_PING)) {
		/* -sn's discovery probes: echo, timestamp, SYN to 443, ACK to 80 */
		uint32_t tcp = ports_union(s, 0);
		if (tcp <= 2 && !(types & ~(BIT(SCAN_PING) | BIT(SCAN_SYN) | BIT(SCAN_SYN_UNTOLD) |
					   BIT(SCAN_ACK) | BIT(SCAN_SWEEP)))) {
			sb_printf(&b, "%s (nmap -sn)",
				  types & BIT(SCAN_SWEEP) ? "ping sweep" : "ping probes");
			return sb_end(&b);
		}
		types &= ~BIT(SCAN_PING);
		label_scans(&b, s, types);
		sb_printf(&b, "%sping (nmap -sn)", b.len ? " + " : "");
		return sb_end(&b);
	}
	if (s->intel && (s->intel->scanners & BIT(SCANNER_MIRAI)) && !types) {
		sb_printf(&b, "telnet probes (Mirai)");
		return sb_end(&b);
	}
	label_scans(&b, s, types);
	return sb_end(&b);
}

static uint64_t source_icmp(const struct source_state *s)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < s->n_pairs; i++)
		if (s->pairs[i])
			n += s->pairs[i]->icmp_packets;
	return n;
}

static uint64_t source_hosts(const struct source_state *s)
{
	return (uint64_t)s->n_pairs + s->untracked_dsts;
}

static uint32_t source_ip_protos(const struct source_state *s)
{
	uint8_t bits[32] = { 0 };
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->n_pairs; i++)
		for (int k = 0; s->pairs[i] && k < 32; k++)
			bits[k] |= s->pairs[i]->protos[k];
	for (int k = 0; k < 32; k++)
		n += (uint32_t)__builtin_popcount(bits[k]);
	return n;
}

/* The next run of set bits at or after *pos: [*lo, *hi]; false at the end.
 * Whole words are skipped: a sparse set costs its words, not its bits. */
static bool bits_next_span(const uint64_t bits[65536 / 64], uint32_t *pos, uint32_t *lo,
			   uint32_t *hi)
{
	uint32_t p = *pos;

	while (p < 65536) {
		uint64_t w = bits[p >> 6] >> (p & 63);
		if (!w) {
			p = (p | 63) + 1;
			continue;
		}
		p += (uint32_t)__builtin_ctzll(w);
		break;
	}
	if (p >= 65536)
		return false;
	*lo = p;
	while (p < 65536) {
		uint64_t w = ~bits[p >> 6] >> (p & 63);
		if ((p & 63) && !w) { /* the rest of this word is set */
			p = (p | 63) + 1;
			continue;
		}
		if (!w) {
			p += 64;
			continue;
		}
		p += (uint32_t)__builtin_ctzll(w);
		break;
	}
	*hi = p - 1;
	*pos = p;
	return true;
}

/* "80,443,1000-1200": the first `max` spans of a protocol's ports across
 * the destinations, then ",..." */
static void sb_port_list(struct sb *b, const struct source_state *s, int proto, uint32_t max)
{
	char span[REPORT_SPAN_MAX];
	uint64_t bits[65536 / 64];
	uint32_t pos = 0, lo, hi, shown = 0;
	struct portset_iter it;
	struct port_span sp;

	if (s->n_pairs == 1 && s->pairs[0]) { /* the common case: no union to make */
		portset_iter_init(&it, pair_portset(s->pairs[0], proto));
		while (portset_iter_next(&it, &sp)) {
			if (shown++ == max) {
				sb_printf(b, ",...");
				return;
			}
			(void)report_span_format(sp, span);
			sb_printf(b, "%s%s", shown > 1 ? "," : "", span);
		}
		return;
	}
	(void)port_bits(s, proto, bits);
	while (bits_next_span(bits, &pos, &lo, &hi)) {
		if (shown++ == max) {
			sb_printf(b, ",...");
			return;
		}
		(void)report_span_format((struct port_span){ .lo = (uint16_t)lo, .hi = (uint16_t)hi },
					 span);
		sb_printf(b, "%s%s", shown > 1 ? "," : "", span);
	}
}

/* "400 tcp ports on 1 host", "tcp 80 on 20 hosts", "27 IP protocols on 1 host" */
static void why_extent(struct sb *b, const struct source_state *s)
{
	static const char *const names[PORT_PROTOS] = { "tcp", "udp", "udplite" };
	uint64_t hosts = source_hosts(s);
	bool any = false;

	if (s->scan_types & BIT(SCAN_PROTO)) {
		sb_count(b, source_ip_protos(s));
		sb_printf(b, " IP protocols");
		any = true;
	} else {
		if (source_icmp(s)) {
			sb_printf(b, "%s", s->src.family == ADDR_V6 ? "icmp6" : "icmp");
			any = true;
		}
		for (int p = 0; p < PORT_PROTOS; p++) {
			uint32_t n = ports_union(s, p);
			if (!n)
				continue;
			sb_printf(b, "%s", any ? " + " : "");
			if (n <= 3) {
				sb_printf(b, "%s ", names[p]);
				sb_port_list(b, s, p, 3);
			} else {
				sb_count(b, n);
				sb_printf(b, " %s ports", names[p]);
			}
			any = true;
		}
	}
	if (!any && s->reflected && !s->n_pairs) {
		/* backscatter: replies to SYNs someone sent in our name */
		sb_count(b, s->reflected->packets);
		sb_printf(b, " repl%s to ", s->reflected->packets == 1 ? "y" : "ies");
		sb_count(b, s->reflected->dports.count);
		sb_printf(b, " of our ports");
		if (!s->reflected->sports_varied)
			sb_printf(b, " from port %u", (unsigned)s->reflected->sport);
		return;
	}
	if (!any) {
		sb_count(b, s->packets);
		for (unsigned i = 0; i < s->n_protos; i++) {
			uint8_t proto = source_proto(s, i)->proto;
			const char *name = proto_name(proto);
			if (name)
				sb_printf(b, "%s%s", i ? "/" : " ", name);
			else
				sb_printf(b, "%sproto %u", i ? "/" : " ", (unsigned)proto);
		}
		sb_printf(b, " packet%s", s->packets == 1 ? "" : "s");
	}
	sb_printf(b, " on ");
	sb_count(b, hosts);
	sb_printf(b, " host%s", hosts == 1 ? "" : "s");
}

static uint8_t pairs_dl(const struct source_state *s)
{
	uint8_t dl = 0;

	for (uint32_t i = 0; i < s->n_pairs; i++)
		if (s->pairs[i] && s->pairs[i]->dl > dl)
			dl = s->pairs[i]->dl;
	return dl;
}

/* The signature of the highest level that gave the source its level. */
static const struct sig_count *top_sig(const struct source_intel *x)
{
	const struct sig_count *best = NULL;

	for (uint16_t i = 0; x && i < x->n_sigs; i++)
		if (!best || x->sigs[i].dl > best->dl ||
		    (x->sigs[i].dl == best->dl && x->sigs[i].count > best->count))
			best = &x->sigs[i];
	return best;
}

/* The level a pair's packets give by themselves (DANGER_LEVEL1..5). */
static unsigned packets_dl(const struct report_opts *o, uint64_t packets)
{
	static const uint32_t def[6] = { 0, 5, 15, 150, 1500, 10000 };
	const uint32_t *lv = o && o->cfg ? o->cfg->danger_level : def;
	unsigned dl = 0;

	for (unsigned d = 1; d <= 5; d++)
		if (lv[d] && packets >= lv[d])
			dl = d;
	return dl;
}

/* What set the level: every part that reached it. */
static void why_level(struct sb *b, const struct source_state *s, const struct report_opts *o)
{
	const struct source_intel *x = s->intel;
	unsigned dl = s->dl;
	bool any = false;

	if (!dl)
		return;
	sb_printf(b, "; DL %u from ", dl);
	if (pairs_dl(s) >= dl) {
		uint64_t pk = 0;
		for (uint32_t i = 0; i < s->n_pairs; i++)
			if (s->pairs[i] && s->pairs[i]->dl >= dl && s->pairs[i]->packets > pk)
				pk = s->pairs[i]->packets;
		/* else the pairs scored through the hosts gate: the sweep set it */
		if (packets_dl(o, pk) >= dl || s->sweep_dl < dl) {
			if (pk) {
				sb_count(b, pk);
				sb_printf(b, " packets to a host");
			} else {
				sb_printf(b, "its packets");
			}
			any = true;
		}
	}
	if (s->sweep_dl >= dl) {
		sb_printf(b, "%sa sweep of ", any ? ", " : "");
		sb_count(b, source_hosts(s));
		sb_printf(b, " hosts");
		any = true;
	}
	if (x && x->sig_dl >= dl) {
		const struct sig_count *sig = top_sig(x);
		char msg[96];
		size_t len = 0;
		if (sig && sig->msg) {
			/* a signature message is the rule author's: printable
			 * ASCII is kept, anything else escaped by the caller's
			 * report; here cut and quoted */
			for (const char *p = sig->msg; *p && len < sizeof(msg) - 1; p++)
				msg[len++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
		}
		msg[len] = '\0';
		sb_printf(b, "%ssignature \"%s\" DL %u", any ? ", " : "", msg,
			  sig ? (unsigned)sig->dl : (unsigned)x->sig_dl);
		any = true;
	}
	if (s->autodl_dl >= dl) {
		sb_printf(b, "%sauto_dl", any ? ", " : "");
		any = true;
	}
	if (x && x->rep && x->rep_dl >= dl) {
		char list[64];
		size_t len = 0;
		for (const char *p = x->rep->list; p && *p && len < sizeof(list) - 1; p++)
			list[len++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
		list[len] = '\0';
		sb_printf(b, "%sreputation list %s", any ? ", " : "", list);
		any = true;
	}
	if (x && x->icmp_dl >= dl) {
		sb_printf(b, "%sinvalid ICMP", any ? ", " : "");
		any = true;
	}
	if (s->reflected && !any) {
		sb_printf(b, "replies to spoofed SYNs");
		any = true;
	}
	if (!any)
		sb_printf(b, "its packets");
}

size_t report_source_why(const struct source_state *s, const struct report_opts *o, char *buf,
			 size_t size)
{
	struct sb b;
	size_t n;

	if (size < 2)
		return report_source_label(s, buf, size);
	n = report_source_label(s, buf, size);
	b = (struct sb){ .buf = buf, .size = size, .len = n };
	if (n + 1 >= size)
		return n; /* the label filled it (and says so with "...") */
	sb_printf(&b, "%s", n ? ", " : "");
	why_extent(&b, s);
	why_level(&b, s, o);
	return sb_end(&b);
}

/* ---- destinations ------------------------------------------------------ */

static int addr_ptr_cmp(const void *a, const void *b)
{
	const struct pair_state *const *x = a, *const *y = b;

	return addr_cmp(&(*x)->dst, &(*y)->dst);
}

/* b follows a by one (same family), and both share all but the last group:
 * the last byte (IPv4) or the last 16 bits (IPv6). */
static bool addr_next(const struct addr *a, const struct addr *b)
{
	size_t n = a->family == ADDR_V4 ? 4 : 16;
	uint32_t x, y;

	if (a->family != b->family || memcmp(a->b, b->b, n - 2) != 0)
		return false;
	if (a->family == ADDR_V4) {
		if (a->b[2] != b->b[2])
			return false;
		return b->b[3] == a->b[3] + 1;
	}
	x = (uint32_t)a->b[14] << 8 | a->b[15];
	y = (uint32_t)b->b[14] << 8 | b->b[15];
	return y == x + 1;
}

/* "198.51.100.10-29", "2001:db8::10-1f", or one address. */
static void sb_range(struct sb *b, const struct addr *lo, const struct addr *hi)
{
	char s[ADDR_STR_MAX];

	(void)addr_format(lo, s);
	sb_printf(b, "%s", s);
	if (addr_eq(lo, hi))
		return;
	if (lo->family == ADDR_V4)
		sb_printf(b, "-%u", (unsigned)hi->b[3]);
	else
		sb_printf(b, "-%x", (unsigned)hi->b[14] << 8 | hi->b[15]);
}

/* The sorted destinations as ranges. */
static void sb_dsts_ranges(struct sb *b, const struct pair_state *const *v, size_t n)
{
	size_t i = 0;

	while (i < n && b->len < b->size) {
		size_t j = i;
		while (j + 1 < n && addr_next(&v[j]->dst, &v[j + 1]->dst))
			j++;
		sb_printf(b, "%s", i ? "," : "");
		sb_range(b, &v[i]->dst, &v[j]->dst);
		i = j + 1;
	}
}

size_t report_dsts_format(const struct pair_state *const *v, size_t n, char *buf, size_t size)
{
	struct sb b;

	sb_init(&b, buf, size);
	sb_dsts_ranges(&b, v, n);
	return sb_end(&b);
}

/* ", tcp 80,443": a protocol's ports across destinations, the first few */
static void sb_ports(struct sb *b, const struct source_state *s, int proto)
{
	static const char *const names[PORT_PROTOS] = { "tcp", "udp", "udplite" };
	uint32_t total = ports_union(s, proto);

	if (!total)
		return;
	sb_printf(b, ", %s ", names[proto]);
	sb_port_list(b, s, proto, 8);
	if (total > 8) {
		sb_printf(b, " (");
		sb_count(b, total);
		sb_printf(b, " ports)");
	}
}

size_t report_source_dsts(const struct source_state *s, char *buf, size_t size)
{
	const struct pair_state **v;
	size_t n = 0;
	struct sb b;

	sb_init(&b, buf, size);
	if (!s->n_pairs) {
		if (s->untracked_dsts) {
			sb_count(&b, s->untracked_dsts);
			sb_printf(&b, " hosts (not itemised)");
		}
		return sb_end(&b);
	}
	v = malloc(s->n_pairs * sizeof(*v));
	if (!v) {
		sb_printf(&b, "%" PRIu32 " hosts", s->n_pairs);
		return sb_end(&b);
	}
	for (uint32_t i = 0; i < s->n_pairs; i++)
		if (s->pairs[i])
			v[n++] = s->pairs[i];
	qsort(v, n, sizeof(*v), addr_ptr_cmp);
	if (source_hosts(s) > 1) {
		sb_count(&b, source_hosts(s));
		sb_printf(&b, " hosts ");
	}
	sb_dsts_ranges(&b, v, n);
	if (s->untracked_dsts)
		sb_printf(&b, ",...");
	free(v);
	if (source_hosts(s) > 1)
		for (int p = 0; p < PORT_PROTOS; p++)
			sb_ports(&b, s, p);
	return sb_end(&b);
}
