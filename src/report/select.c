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

bool report_source_listed(const struct source_state *s, const struct report_opts *o)
{
	if (s->dl < o->min_dl)
		return false;
	if (o->n_ips == 0 || in_any(o, &s->src))
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
	if (o->group_v6 && o->group_v6 < 128 && s->src.family == ADDR_V6) {
		struct net n = { .a = s->src, .len = (uint8_t)o->group_v6 };
		return net_format(&n, buf);
	}
	return addr_format(&s->src, buf);
}
