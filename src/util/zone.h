/* SPDX-License-Identifier: GPL-2.0-or-later */
/* zone.h - a wall time of this machine's zone (a syslog line without an
 * offset) in UTC, with mktime() once per log hour: zone offsets change on
 * the hour, and a log is read hour after hour. Used by the live time policy
 * (ingest.c) and analyze's time filters (filter.c).
 */
#ifndef VIGIL_ZONE_H
#define VIGIL_ZONE_H

#include <stdbool.h>
#include <stdint.h>

struct zone_cache {
	int64_t hour; /* the log hour off is for */
	int64_t off;  /* local - UTC seconds at that hour */
	bool valid;
};

/* Floor division (b > 0), for times before 1970. */
static inline int64_t zone_floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* UTC seconds of local wall seconds sec (TZ respected). */
int64_t zone_local_to_utc(struct zone_cache *z, int64_t sec);

#endif
