/* SPDX-License-Identifier: GPL-2.0-or-later */
/* time.c - how a report writes a log time (report_format_time in report.h).
 *
 * A wall time's `sec` is the log's own broken-down time read as UTC
 * (event.h), so turning it back into a date is gmtime's arithmetic: done here
 * on int64_t, so that no time_t width, TZ variable or libc range limit can
 * change or refuse it. The log's UTC offset follows when it gave one
 * (RFC 3339, RFC 5424, journal short-iso), always as "+HH:MM" / "-HH:MM"
 * ("+00:00" for UTC, never "Z"); a time without one (traditional syslog)
 * is in the log's own zone, unknown, and written without.
 *
 * Reports write two times per source and destination, so the usual cases
 * (years 0..9999, uptimes >= 0) are written digit by digit; the rest go
 * through snprintf, whose output the fast paths reproduce byte for byte.
 */
#include "report/report.h"

#include <inttypes.h>
#include <stdio.h>

#include "util/num.h"

#define SECS_PER_DAY 86400

/* Proleptic Gregorian date of a day count since 1970-01-01 (Howard
 * Hinnant's civil_from_days: eras of 400 years, March-based years). */
static void civil_from_days(int64_t z, int64_t *ret_y, unsigned *ret_m, unsigned *ret_d)
{
	int64_t era, y;
	unsigned doe, yoe, doy, mp, m;

	z += 719468; /* days from 0000-03-01 to 1970-01-01 */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = mp < 10 ? mp + 3 : mp - 9;
	*ret_d = doy - (153 * mp + 2) / 5 + 1;
	*ret_m = m;
	*ret_y = y + (m <= 2);
}

/* v (< 10^width) in exactly `width` digits, leading zeros. */
static void put_digits(char *o, unsigned v, unsigned width)
{
	while (width--) {
		o[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* "+HH:MM" of a UTC offset in minutes: 6 bytes, no NUL. */
static void put_offset(char *o, int tz_min)
{
	unsigned a = (unsigned)(tz_min < 0 ? -tz_min : tz_min);

	o[0] = tz_min < 0 ? '-' : '+';
	put_digits(o + 1, (a / 60) % 100, 2);
	o[3] = ':';
	put_digits(o + 4, a % 60, 2);
}

static int format_wall(int64_t sec, char *buf, size_t size)
{
	int64_t days = sec / SECS_PER_DAY, y;
	int64_t rem = sec % SECS_PER_DAY;
	unsigned mon, mday, tod;
	int n;

	if (rem < 0) { /* floor division: before 1970 */
		rem += SECS_PER_DAY;
		days--;
	}
	civil_from_days(days, &y, &mon, &mday);
	tod = (unsigned)rem;
	if (y >= 0 && y <= 9999) { /* "%04d-%02u-%02uT%02u:%02u:%02u" by hand */
		put_digits(buf, (unsigned)y, 4);
		buf[4] = '-';
		put_digits(buf + 5, mon % 100, 2);
		buf[7] = '-';
		put_digits(buf + 8, mday % 100, 2);
		buf[10] = 'T';
		put_digits(buf + 11, (tod / 3600) % 100, 2);
		buf[13] = ':';
		put_digits(buf + 14, (tod / 60) % 60, 2);
		buf[16] = ':';
		put_digits(buf + 17, tod % 60, 2);
		buf[19] = '\0';
		return 19;
	}
	n = snprintf(buf, size, "%04" PRId64 "-%02u-%02uT%02u:%02u:%02u", y, mon % 100, mday % 100,
		     (tod / 3600) % 100, (tod / 60) % 60, tod % 60);
	return n > 0 && (size_t)n < size ? n : 0;
}

/* A wall time, its fraction (frac), its offset (when the log gave one). */
static int format_wall_full(const struct vtime *t, bool frac, char *buf, size_t size)
{
	int n = format_wall(t->sec, buf, size);
	size_t need = (size_t)n + (frac ? 7 : 0) + (t->has_tz ? 6 : 0);

	if (n <= 0 || need >= size)
		return 0;
	if (frac) {
		buf[n++] = '.';
		put_digits(buf + n, t->usec % 1000000, 6);
		n += 6;
	}
	if (t->has_tz) {
		put_offset(buf + n, t->tz_min);
		n += 6;
	}
	buf[n] = '\0';
	return n;
}

static int format_uptime(int64_t sec, uint32_t usec, char buf[40])
{
	size_t len;
	int n;

	if (usec > 999999)
		usec = 999999;
	if (sec >= 0) { /* "+%lld.%06us" by hand: at most 1 + 19 + 1 + 6 + 1 bytes */
		buf[0] = '+';
		len = 1 + num_u64(buf + 1, (uint64_t)sec);
		buf[len++] = '.';
		put_digits(buf + len, usec, 6);
		len += 6;
		buf[len++] = 's';
		buf[len] = '\0';
		return (int)len;
	}
	n = snprintf(buf, 40, "+%lld.%06" PRIu32 "s", (long long)sec, usec);
	return n > 0 && n < 40 ? n : 0;
}

static int format_time(const struct vtime *t, bool frac, char *buf, size_t size)
{
	int n = 0;

	switch (t->kind) {
	case VTIME_WALL:
		n = format_wall_full(t, frac, buf, size);
		break;
	case VTIME_UPTIME:
		n = format_uptime(t->sec, t->usec, buf);
		break;
	default:
		break;
	}
	if (n == 0)
		buf[0] = '\0';
	return n;
}

int report_format_time(const struct vtime *t, char buf[40])
{
	return format_time(t, false, buf, 40);
}

int report_format_time_us(const struct vtime *t, char buf[REPORT_TIME_MAX])
{
	return format_time(t, true, buf, REPORT_TIME_MAX);
}
