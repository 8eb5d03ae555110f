/* SPDX-License-Identifier: GPL-2.0-or-later */
/* filter.h - `vigil analyze`'s record filters: --since, --until, --port,
 * --proto, --prefix, --chain.
 *
 * A filter decides per event, before the engine sees it: an event that does
 * not pass is counted as ignored ("filter", input.ignored_by) and never
 * scored. So a source is scored from the records that remain exactly as if
 * the log held only those (docs/cli.md says how that meets the scoring
 * windows). Several values of one option are alternatives (--port 22
 * --port 80: either); different options must all pass.
 */
#ifndef VIGIL_FILTER_H
#define VIGIL_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "event/event.h"

enum filter_kind {
	FILTER_SINCE,  /* ISO 8601 date/time (with offset or Z, else the log's own
			* wall clock) or relative to now: -24h, -30m, -7d */
	FILTER_UNTIL,
	FILTER_PORT,   /* destination port or range: 22, 1000-2000 (tcp, udp, udplite) */
	FILTER_PROTO,  /* protocol name or number: tcp, udp, icmp, ipv6-icmp, gre, 47 */
	FILTER_PREFIX, /* log prefix (trimmed), exact; "" for records without one */
	FILTER_CHAIN,  /* INPUT, FORWARD, OUTPUT */
	_FILTER_MAX,
};

struct event_filter; /* opaque */

struct event_filter *filter_new(void); /* NULL on ENOMEM */
struct event_filter *filter_free(struct event_filter *f); /* NULL-safe; returns NULL */

/* Add one option's value. now_us: wall µs (UTC) relative times count from.
 * 0, or -EINVAL with *ret_why saying what was expected (static text). */
int filter_add(struct event_filter *f, enum filter_kind k, const char *arg, int64_t now_us,
	       const char **ret_why);

bool filter_empty(const struct event_filter *f);

/* Does the event pass every filter? A record with no wall-clock time
 * (uptime-only kmsg/dmesg, or none) never passes --since/--until: it
 * cannot be placed in time. */
bool filter_pass(const struct event_filter *f, const struct event *ev);

/* Has --since or --until been given? */
bool filter_has_time(const struct event_filter *f);
/* Records filter_pass() turned away only because they had no wall-clock
 * time (the other filters let them through). NULL-safe. */
uint64_t filter_untimed(const struct event_filter *f);

#endif
