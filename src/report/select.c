/* SPDX-License-Identifier: GPL-2.0-or-later */
/* select.c - which sources a report lists (--min-dl, --ip) and how every
 * report names a source (an address, or the network --group-v6 made of it).
 * One place, so text, JSON, CSV, the block lists and HTML agree.
 */
#include "report/report-internal.h"

#include <string.h>

static bool in_any(const struct report_opts *o, const struct addr *a)
{
	for (size_t i = 0; i < o->n_ips; i++)
		if (net_contains(&o->ips[i], a))
			return true;
	return false;
}

/* The --group-v6 network a source stands for, or 0: a single address.
 * ingest.c leaves some IPv6 sources single (spoofed ones, which blame must
 * judge as they are): those have host bits or are marked spoofed. */
static unsigned group_len(const struct source_state *s, const struct report_opts *o)
{
	unsigned len = o->group_v6;

	if (!len || len >= 128 || s->src.family != ADDR_V6 || s->spoofed)
		return 0;
	for (unsigned i = len; i < 128; i++)
		if (s->src.b[i / 8] & (0x80u >> (i % 8)))
			return 0;
	return len;
}

/* A group's network meets an --ip network when one holds the other. */
static bool group_in_any(const struct report_opts *o, const struct addr *a, unsigned len)
{
	for (size_t i = 0; i < o->n_ips; i++) {
		const struct net *ip = &o->ips[i];
		struct net g = { .a = *a, .len = (uint8_t)len };
		if (ip->len <= len ? net_contains(ip, a) : net_contains(&g, &ip->a))
			return true;
	}
	return false;
}

bool report_source_listed(const struct source_state *s, const struct report_opts *o)
{
	unsigned glen;

	if (s->dl < o->min_dl)
		return false;
	if (o->n_ips == 0)
		return true;
	if ((glen = group_len(s, o)) ? group_in_any(o, &s->src, glen) : in_any(o, &s->src))
		return true;
	for (uint32_t i = 0; i < s->n_pairs; i++)
		if (s->pairs[i] && in_any(o, &s->pairs[i]->dst))
			return true;
	return false;
}

bool report_source_local(const struct source_state *s, const struct report_opts *o)
{
	for (size_t i = 0; i < o->n_home_net; i++)
		if (net_contains(&o->home_net[i], &s->src))
			return true;
	return false;
}

int report_source_name(const struct source_state *s, const struct report_opts *o,
		       char buf[NET_STR_MAX])
{
	unsigned len = group_len(s, o);

	if (len) {
		struct net n = { .a = s->src, .len = (uint8_t)len };
		return net_format(&n, buf);
	}
	return addr_format(&s->src, buf);
}
