/* SPDX-License-Identifier: GPL-2.0-or-later */
/* list.c - `vigil analyze --list` and `--nft-set NAME`: what a blocker may
 * block.
 *
 * The sources report_source_listed() keeps (--min-dl, --ip), named as every
 * report names them (report_source_name(): ADDR, or ADDR/LEN under
 * --group-v6), less those that must never be blocked
 * (report_block_verdict()):
 *   - spoofed: an address that cannot have sent its packets (loopback,
 *     multicast, the firewall's own, ...): blocking it blocks ourselves;
 *   - reflected: the source sent replies (SYN-ACK, RST) to scans made in its
 *     name, and nothing of its own reaches the threshold: it is the victim;
 *   - whitelisted: it overlaps BLOCK_WHITELIST (the daemon's rule);
 *   - local: it overlaps HOME_NET (psad never blocks its own side either).
 * auto_dl level-0 entries need no test: the engine drops their packets
 * before a source exists.
 *
 * The same address can be several sources (one per reporting firewall):
 * it is written once, and left out when any of them is spoofed.
 *
 * --list: one per line, most dangerous first. --nft-set NAME: an nft script
 * (`nft -f -`) that creates, if missing, table inet vigil (--nft-table) with set NAME
 * (ipv4_addr, timeout) and NAME6 (ipv6_addr, interval for --group-v6
 * networks, timeout), then adds the elements, NFT_CHUNK per line, each with
 * its timeout. Only "add" commands: a second run on the same system is
 * accepted and changes nothing but the timeouts.
 */
#include "report/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "engine/engine.h"
#include "report/exports-internal.h"
#include "report/outbuf.h"
#include "report/report-internal.h"
#include "util/num.h"

static const char *const verdict_names[_BLOCK_VERDICT_MAX] = {
	[BLOCK_OK] = NULL,
	[BLOCK_SPOOFED] = "spoofed",
	[BLOCK_REFLECTED] = "reflected",
	[BLOCK_WHITELISTED] = "in BLOCK_WHITELIST",
	[BLOCK_LOCAL] = "inside HOME_NET",
};

const char *block_verdict_name(enum block_verdict v)
{
	return (unsigned)v < _BLOCK_VERDICT_MAX ? verdict_names[v] : NULL;
}

static unsigned max_u(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

/* The level the source earned by its own packets: everything but replies. */
static unsigned own_level(const struct source_state *s)
{
	unsigned dl = max_u(s->scan_dl, s->autodl_dl);

	if (s->intel)
		dl = max_u(dl, max_u(s->intel->sig_dl, max_u(s->intel->icmp_dl, s->intel->rep_dl)));
	return dl;
}

/* The source as a network: its address, or its --group-v6 network. */
static struct net source_net(const struct source_state *s, const struct report_opts *o)
{
	struct net n = { .a = s->src, .len = s->src.family == ADDR_V6 ? 128 : 32 };

	if (o->group_v6 && o->group_v6 < 128 && s->src.family == ADDR_V6)
		n.len = (uint8_t)o->group_v6;
	return n;
}

static bool overlaps(const struct net *x, const struct net *y)
{
	return x->a.family == y->a.family && (net_contains(x, &y->a) || net_contains(y, &x->a));
}

static bool overlaps_any(const struct net *n, const struct net *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (overlaps(n, &list[i]))
			return true;
	return false;
}

enum block_verdict report_block_verdict(const struct source_state *s,
					const struct report_opts *o)
{
	struct net n = source_net(s, o);

	if (s->spoofed)
		return BLOCK_SPOOFED;
	if (o->cfg && overlaps_any(&n, o->cfg->block_whitelist, o->cfg->n_block_whitelist))
		return BLOCK_WHITELISTED;
	if (overlaps_any(&n, o->home_net, o->n_home_net))
		return BLOCK_LOCAL;
	if (s->reflected && own_level(s) < max_u(o->min_dl, 1))
		return BLOCK_REFLECTED;
	return BLOCK_OK;
}

/* Private, shared and link-local space: a listed source there is likely
 * one of the site's own hosts when HOME_NET was not set. */
static bool is_private(const struct net *n)
{
	static const char *const nets[] = { "10.0.0.0/8",     "172.16.0.0/12", "192.168.0.0/16",
					    "100.64.0.0/10",  "169.254.0.0/16", "fc00::/7",
					    "fe80::/10" };
	struct net p;

	for (size_t i = 0; i < sizeof(nets) / sizeof(nets[0]); i++)
		if (net_parse(span_make(nets[i], strlen(nets[i])), &p) == 0 && overlaps(&p, n))
			return true;
	return false;
}

/* One listed address or network, and the first source (report order) that
 * gave it. */
struct entry {
	struct net net;
	size_t idx;
	enum block_verdict verdict;
	bool listed; /* else a spoofed source below --min-dl: it only vetoes */
};

static int entry_by_net(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = addr_cmp(&x->net.a, &y->net.a);

	if (c)
		return c;
	if (x->net.len != y->net.len)
		return x->net.len < y->net.len ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int entry_by_idx(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The distinct addresses/networks of the listed sources, in report order,
 * each with its verdict; counted into st. *ret_v is malloc'd (NULL when
 * there is none). Spoofed sources are gathered too, listed or not (they are
 * at DL 0): an address spoofed for one reporter is left out for all. */
static int block_entries(const struct source_state **v, size_t n, const struct report_opts *o,
			 struct entry **ret_v, size_t *ret_n, struct report_block_stats *st)
{
	struct entry *e = NULL;
	size_t m = 0, k = 0, w = 0;

	*st = (struct report_block_stats){ 0 };
	for (size_t i = 0; i < n; i++)
		m += v[i]->spoofed || report_source_listed(v[i], o);
	if (m && !(e = calloc(m, sizeof(*e))))
		return -ENOMEM;
	for (size_t i = 0; i < n && k < m; i++) {
		bool listed = report_source_listed(v[i], o);
		if (!listed && !v[i]->spoofed)
			continue;
		e[k++] = (struct entry){ .net = source_net(v[i], o), .idx = i, .listed = listed,
					 .verdict = report_block_verdict(v[i], o) };
	}
	if (k > 1)
		qsort(e, k, sizeof(*e), entry_by_net);
	/* one entry per address, at its first listed source: spoofed anywhere
	 * wins, else any OK, else that source's verdict */
	for (size_t i = 0; i < k;) {
		size_t j = i, first = k;
		bool spoofed = false, ok = false;
		for (; j < k && addr_eq(&e[j].net.a, &e[i].net.a) && e[j].net.len == e[i].net.len;
		     j++) {
			spoofed |= e[j].verdict == BLOCK_SPOOFED;
			ok |= e[j].listed && e[j].verdict == BLOCK_OK;
			if (e[j].listed && first == k)
				first = j;
		}
		if (first < k) {
			struct entry keep = e[first];
			keep.verdict = spoofed ? BLOCK_SPOOFED : ok ? BLOCK_OK : keep.verdict;
			e[w++] = keep;
		}
		i = j;
	}
	if (w > 1)
		qsort(e, w, sizeof(*e), entry_by_idx);
	for (size_t i = 0; i < w; i++) {
		switch (e[i].verdict) {
		case BLOCK_OK:
			st->listed++;
			st->listed_private += is_private(&e[i].net);
			if (e[i].net.a.family == ADDR_V6)
				st->listed_v6++;
			else
				st->listed_v4++;
			break;
		case BLOCK_SPOOFED:
			st->spoofed++;
			break;
		case BLOCK_REFLECTED:
			st->reflected++;
			break;
		case BLOCK_WHITELISTED:
			st->whitelisted++;
			break;
		case BLOCK_LOCAL:
		default:
			st->local++;
			break;
		}
	}
	*ret_v = e;
	*ret_n = w;
	return 0;
}

static int finish(FILE *out, struct outbuf *ob, struct entry *e, int r)
{
	int f = outbuf_flush(ob);

	free(ob);
	free(e);
	if (r < 0)
		return r;
	if (f < 0)
		return f;
	if (fflush(out) == EOF)
		return -errno;
	return ferror(out) ? -EIO : 0;
}

int report_list_sources(FILE *out, const struct source_state **v, size_t n,
			const struct input_stats *in, const struct engine_stats *es,
			const struct report_opts *o)
{
	struct report_block_stats st;
	struct outbuf *ob = malloc(sizeof(*ob));
	struct entry *e = NULL;
	char buf[NET_STR_MAX];
	size_t m = 0;
	int r;

	(void)in, (void)es;
	if (!ob)
		return -ENOMEM;
	outbuf_init(ob, out);
	r = block_entries(v, n, o, &e, &m, &st);
	for (size_t i = 0; r == 0 && i < m; i++) {
		if (e[i].verdict != BLOCK_OK)
			continue;
		outbuf_put(ob, buf, (size_t)report_source_name(v[e[i].idx], o, buf));
		outbuf_putc(ob, '\n');
	}
	if (r == 0 && o->block_stats)
		*o->block_stats = st;
	return finish(out, ob, e, r);
}

static void nft_u64(struct outbuf *ob, uint64_t v)
{
	char d[NUM_U64_MAX];

	outbuf_put(ob, d, num_u64(d, v));
}

/* "add element inet vigil SET { a timeout Ts, ... }", NFT_CHUNK a line. */
static void nft_elements(struct outbuf *ob, const char *table, const char *set,
			 const struct source_state **v, const struct entry *e, size_t m,
			 const struct report_opts *o, uint8_t family, uint32_t timeout)
{
	char buf[NET_STR_MAX];
	size_t in_line = 0;

	for (size_t i = 0; i < m; i++) {
		if (e[i].verdict != BLOCK_OK || e[i].net.a.family != family)
			continue;
		if (in_line == 0)
			outbuf_printf(ob, "add element inet %s %s { ", table, set);
		else
			outbuf_puts(ob, ", ");
		outbuf_put(ob, buf, (size_t)report_source_name(v[e[i].idx], o, buf));
		outbuf_puts(ob, " timeout ");
		nft_u64(ob, timeout);
		outbuf_putc(ob, 's');
		if (++in_line == NFT_CHUNK) {
			outbuf_puts(ob, " }\n");
			in_line = 0;
		}
	}
	if (in_line)
		outbuf_puts(ob, " }\n");
}

int report_nft_sources(FILE *out, const struct source_state **v, size_t n,
		       const struct input_stats *in, const struct engine_stats *es,
		       const struct report_opts *o)
{
	struct report_block_stats st;
	const char *set = o->nft_set, *table = o->nft_table ? o->nft_table : "vigil";
	uint32_t timeout = o->nft_timeout ? o->nft_timeout : NFT_TIMEOUT_DEFAULT;
	struct outbuf *ob;
	struct entry *e = NULL;
	size_t m = 0;
	int r;

	(void)in, (void)es;
	if (!set || !set[0] || !table[0])
		return -EINVAL;
	if (!(ob = malloc(sizeof(*ob))))
		return -ENOMEM;
	outbuf_init(ob, out);
	r = block_entries(v, n, o, &e, &m, &st);
	if (r < 0)
		return finish(out, ob, e, r);
	outbuf_printf(ob,
		      "#!/usr/sbin/nft -f\n"
		      "# vigil analyze --nft-set %s: %llu IPv4 and %llu IPv6 entries at danger\n"
		      "# level %u or above, for %lu seconds; left out: %llu spoofed, %llu reflected,\n"
		      "# %llu in BLOCK_WHITELIST, %llu inside HOME_NET. Only \"add\" commands: run\n"
		      "# it again and nothing changes but the timeouts. To drop what the sets\n"
		      "# hold, once (a set serves the rules of its own table):\n"
		      "#   nft add chain inet %s input '{ type filter hook input priority -10; }'\n"
		      "#   nft add rule inet %s input ip saddr @%s drop\n"
		      "#   nft add rule inet %s input ip6 saddr @%s6 drop\n",
		      set, (unsigned long long)st.listed_v4, (unsigned long long)st.listed_v6,
		      o->min_dl, (unsigned long)timeout, (unsigned long long)st.spoofed,
		      (unsigned long long)st.reflected, (unsigned long long)st.whitelisted,
		      (unsigned long long)st.local, table, table, set, table, set);
	outbuf_printf(ob,
		      "add table inet %s\n"
		      "add set inet %s %s { type ipv4_addr; flags timeout; }\n"
		      "add set inet %s %s6 { type ipv6_addr; flags interval, timeout; }\n",
		      table, table, set, table, set);
	nft_elements(ob, table, set, v, e, m, o, ADDR_V4, timeout);
	{
		char set6[80];
		(void)snprintf(set6, sizeof(set6), "%s6", set);
		nft_elements(ob, table, set6, v, e, m, o, ADDR_V6, timeout);
	}
	if (o->block_stats)
		*o->block_stats = st;
	return finish(out, ob, e, 0);
}

int report_list(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o)
{
	return report_engine(out, e, in, o, report_list_sources);
}

int report_nft(FILE *out, const struct engine *e, const struct input_stats *in,
	       const struct report_opts *o)
{
	return report_engine(out, e, in, o, report_nft_sources);
}
