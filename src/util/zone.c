/* SPDX-License-Identifier: GPL-2.0-or-later */
/* zone.c - local wall time to UTC, cached per hour (zone.h). */
#include "util/zone.h"

#include <time.h>

int64_t zone_local_to_utc(struct zone_cache *z, int64_t sec)
{
	int64_t hour = zone_floor_div(sec, 3600);

	if (!z->valid || hour != z->hour) {
		time_t start = (time_t)(hour * 3600);
		struct tm tm;
		z->off = 0;
		if (gmtime_r(&start, &tm)) {
			tm.tm_isdst = -1;
			time_t u = mktime(&tm);
			if (u != (time_t)-1)
				z->off = (int64_t)start - (int64_t)u;
		}
		z->hour = hour;
		z->valid = true;
	}
	return sec - z->off;
}
