/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wrapper.c - recognise and strip the envelope of a log line (see wrapper.h).
 *
 * Formats, as the tools write them:
 *   RFC 3164   [<PRI>]Mmm dd hh:mm:ss[.frac] HOST TAG: MSG     (syslog, journalctl short*)
 *   RFC 3339   YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm|+hhmm) HOST TAG: MSG
 *   RFC 5424   [<PRI>]1 TIMESTAMP HOST APP PROCID MSGID SD [BOM]MSG
 *   dmesg      [<PRI>][ sssss.uuuuuu] MSG   or   [Www Mmm dd hh:mm:ss yyyy] MSG
 *   /dev/kmsg  PRI,SEQ,USEC,FLAGS[,...];MSG   (Documentation/ABI/testing/dev-kmsg)
 *   LOGEMU     Mmm dd hh:mm:ss HOST MSG      (ulogd: no program tag)
 *   short-unix EPOCH[.frac] HOST TAG: MSG     (also DShield: "EPOCH HOST kernel:[up] MSG")
 *   short-full Www YYYY-MM-DD hh:mm:ss ZONE HOST TAG: MSG
 *   busybox    Mmm dd hh:mm:ss HOST FAC.PRIO TAG: MSG      (syslogd without -S)
 *   logread    Www Mmm dd hh:mm:ss yyyy FAC.PRIO TAG: MSG  (OpenWrt)
 *   monotonic  [ sssss.uuuuuu] HOST TAG: MSG                (journalctl short-monotonic)
 * A syslog TAG is "name:" or "name[pid]:" right after the host and one
 * space; only "kernel:" is the kernel (it never has a PID: "kernel[1234]:" is
 * a user process). Anyone can write such lines with logger, so where the
 * envelope writes the facility (PRI, FAC.PRIO, RFC 5424) it must be kern.
 * rsyslog's "message repeated N times: [MSG]" is unwrapped to MSG, N kept.
 */
#include "parse/wrapper.h"

#include <string.h>

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

int64_t wrapper_days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int year_of_days(int64_t days)
{
	/* inverse of the above, year only */
	days += 719468;
	const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	const unsigned doe = (unsigned)(days - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	return (int)(yoe + era * 400 + (mp >= 10));
}

static int month_of(const char *p)
{
	for (int i = 0; i < 12; i++)
		if (memcmp(months + 3 * i, p, 3) == 0)
			return i + 1;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at p -> value, or -1 */
static int digits(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* "hh:mm:ss" at p (8 bytes available) -> seconds of day, or -1 */
static int hms(const char *p)
{
	int h = digits(p, 2), m = digits(p + 3, 2), s = digits(p + 6, 2);
	if (h < 0 || m < 0 || s < 0 || p[2] != ':' || p[5] != ':' || h > 23 || m > 59 || s > 60)
		return -1;
	return h * 3600 + m * 60 + s;
}

/* Optional ".frac" at s: consumed into microseconds. */
static uint32_t take_fraction(struct span *s)
{
	uint32_t us = 0;
	size_t i = 1, n = 0;

	if (!s->len || s->p[0] != '.')
		return 0;
	while (i < s->len && is_digit(s->p[i])) {
		if (n < 6) {
			us = us * 10 + (uint32_t)(s->p[i] - '0');
			n++;
		}
		i++;
	}
	for (; n < 6; n++)
		us *= 10;
	span_skip(s, i);
	return us;
}

void parse_clock_init(struct parse_clock *c, int64_t ref_sec)
{
	memset(c, 0, sizeof(*c));
	c->ref_sec = ref_sec;
}

static void clock_raise(struct parse_clock *c, int64_t sec)
{
	if (sec > c->ref_sec) {
		c->ref_sec = sec;
		c->cache_mon = 0; /* the year choice may change */
	}
}

/* Days since the epoch of a time in seconds, rounded down (also before 1970). */
static int64_t floor_days(int64_t sec)
{
	return sec >= 0 ? sec / 86400 : (sec - 86399) / 86400;
}

void parse_clock_advance(struct parse_clock *c, int64_t now_wall_sec)
{
	if (now_wall_sec <= c->ref_sec)
		return;
	/* the cached dates depend on the reference's year only */
	if (year_of_days(floor_days(now_wall_sec)) != year_of_days(floor_days(c->ref_sec)))
		c->cache_mon = 0;
	c->ref_sec = now_wall_sec;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool date_exists(int y, int mon, int day)
{
	static const unsigned char mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return day <= mdays[mon - 1] + (mon == 2 && is_leap(y));
}

/* Days of mon/day in the latest year <= y where that date exists. */
static int64_t latest_days(int y, int mon, int day)
{
	for (int k = 0; k < 8 && !date_exists(y, mon, day); k++)
		y--;
	return wrapper_days_from_civil(y, (unsigned)mon, (unsigned)day);
}

/* Yearless date: the latest year that does not put it after ref + 1 day.
 * The two candidates are cached per date; the choice needs the time of day. */
static int64_t yearless_days(struct parse_clock *c, int mon, int day, int sod)
{
	if (c->cache_mon != mon || c->cache_day != day) {
		int y = year_of_days(floor_days(c->ref_sec));
		c->cache_days[0] = latest_days(y, mon, day);
		c->cache_days[1] = latest_days(year_of_days(c->cache_days[0]) - 1, mon, day);
		c->cache_mon = mon;
		c->cache_day = day;
	}
	if (c->cache_days[0] * 86400 + sod > c->ref_sec + 86400)
		return c->cache_days[1];
	return c->cache_days[0];
}

/* "Mmm dd hh:mm:ss[.frac]" (day space-padded, or one digit unpadded). */
static bool take_bsd_time(struct parse_clock *c, struct span *s, struct vtime *t)
{
	if (s->len < 14 || s->p[3] != ' ')
		return false;
	int mon = month_of(s->p);
	size_t d = s->p[5] == ' ' && is_digit(s->p[4]) ? 1 : 0; /* "Jul 8 23:22:04" */
	if (s->len < 15 - d)
		return false;
	int day = d ? digits(s->p + 4, 1) : s->p[4] == ' ' ? digits(s->p + 5, 1) : digits(s->p + 4, 2);
	int sod = hms(s->p + 7 - d);
	if (!mon || day < 1 || day > 31 || sod < 0 || s->p[6 - d] != ' ')
		return false;
	span_skip(s, 15 - d);
	t->usec = take_fraction(s);
	t->sec = yearless_days(c, mon, day, sod) * 86400 + sod;
	t->kind = VTIME_WALL;
	return true;
}

/* "YYYY-MM-DDThh:mm:ss[.frac][Z|+hh:mm|+hhmm]" */
static bool take_iso_time(struct parse_clock *c, struct span *s, struct vtime *t)
{
	if (s->len < 19 || s->p[4] != '-' || s->p[7] != '-' || (s->p[10] != 'T' && s->p[10] != ' '))
		return false;
	int y = digits(s->p, 4), mon = digits(s->p + 5, 2), day = digits(s->p + 8, 2);
	int sod = hms(s->p + 11);
	if (y < 0 || mon < 1 || mon > 12 || day < 1 || day > 31 || sod < 0)
		return false;
	span_skip(s, 19);
	t->usec = take_fraction(s);
	t->sec = wrapper_days_from_civil(y, (unsigned)mon, (unsigned)day) * 86400 + sod;
	t->kind = VTIME_WALL;
	if (s->len && s->p[0] == 'Z') {
		t->has_tz = true;
		t->tz_min = 0;
		span_skip(s, 1);
	} else if (s->len >= 5 && (s->p[0] == '+' || s->p[0] == '-')) {
		int colon = s->p[3] == ':';
		int hh = digits(s->p + 1, 2), mm = s->len >= (size_t)(5 + colon) ?
							   digits(s->p + 3 + colon, 2) : -1;
		if (hh >= 0 && mm >= 0 && hh < 24 && mm < 60) {
			t->has_tz = true;
			t->tz_min = (int16_t)((s->p[0] == '-' ? -1 : 1) * (hh * 60 + mm));
			span_skip(s, (size_t)(5 + colon));
		}
	}
	clock_raise(c, t->sec);
	return true;
}

/* "[ 12345.678901]" -> uptime. s starts at '['. */
static bool take_uptime(struct span *s, struct vtime *t)
{
	size_t i = 1;
	uint64_t sec = 0;
	uint32_t us = 0;
	int n = 0;

	while (i < s->len && s->p[i] == ' ')
		i++;
	size_t start = i;
	while (i < s->len && is_digit(s->p[i]) && i - start < 12)
		sec = sec * 10 + (uint64_t)(s->p[i++] - '0');
	if (i == start || i >= s->len || s->p[i] != '.')
		return false;
	i++;
	while (i < s->len && is_digit(s->p[i])) {
		if (n++ < 6)
			us = us * 10 + (uint32_t)(s->p[i] - '0');
		i++;
	}
	if (n == 0 || i >= s->len || s->p[i] != ']')
		return false;
	for (; n < 6; n++)
		us *= 10;
	t->kind = VTIME_UPTIME;
	t->sec = (int64_t)sec;
	t->usec = us;
	span_skip(s, i + 1);
	if (s->len && s->p[0] == ' ')
		span_skip(s, 1);
	return true;
}

/* dmesg -T: "[Wed Nov 25 12:29:10 2026] " */
static bool take_ctime(struct parse_clock *c, struct span *s, struct vtime *t)
{
	if (s->len < 26 || s->p[0] != '[' || s->p[4] != ' ' || s->p[25] != ']')
		return false;
	struct span rest = span_make(s->p + 5, 15);
	int y = digits(s->p + 21, 4);
	if (y < 0 || s->p[20] != ' ')
		return false;
	int mon = month_of(rest.p);
	int day = rest.p[4] == ' ' ? digits(rest.p + 5, 1) : digits(rest.p + 4, 2);
	int sod = hms(rest.p + 7);
	if (!mon || day < 1 || day > 31 || sod < 0)
		return false;
	t->sec = wrapper_days_from_civil(y, (unsigned)mon, (unsigned)day) * 86400 + sod;
	t->usec = 0;
	t->kind = VTIME_WALL;
	clock_raise(c, t->sec);
	span_skip(s, 26);
	if (s->len && s->p[0] == ' ')
		span_skip(s, 1);
	return true;
}

/* "<PRI>" -> its value, or -1 if absent. */
static int take_pri(struct span *s)
{
	size_t i = 1;
	int v = 0;

	if (s->len < 3 || s->p[0] != '<')
		return -1;
	while (i < s->len && i < 5 && is_digit(s->p[i]))
		v = v * 10 + (s->p[i++] - '0');
	if (i == 1 || i >= s->len || s->p[i] != '>' || v > 191)
		return -1;
	span_skip(s, i + 1);
	return v;
}

static void note_pri(struct wrapper *w, int pri)
{
	if (pri < 0)
		return;
	w->has_facility = true;
	if (pri >> 3)
		w->other_facility = true;
}

/* "facility.priority " as busybox syslogd and OpenWrt logread write it
 * (syslog.h's facilitynames and prioritynames). */
static bool take_facility(struct span *s, struct wrapper *w)
{
	static const char *const facs[] = { "kern", "user", "mail", "daemon", "auth", "syslog",
					    "lpr", "news", "uucp", "cron", "authpriv", "ftp",
					    "security", "mark", "local0", "local1", "local2", "local3",
					    "local4", "local5", "local6", "local7" };
	static const char *const prios[] = { "emerg", "alert", "crit", "err", "error", "warn",
					     "warning", "notice", "info", "debug", "panic", "none" };
	const char *sp = span_chr_near(*s, ' ');
	struct span tok = span_make(s->p, sp ? (size_t)(sp - s->p) : s->len);
	const char *dot = span_chr(tok, '.');

	if (!sp || !dot || tok.len > 20)
		return false;
	struct span fac = span_make(tok.p, (size_t)(dot - tok.p));
	struct span prio = span_make(dot + 1, tok.len - fac.len - 1);
	bool ok = false;
	for (size_t i = 0; i < sizeof(prios) / sizeof(prios[0]) && !ok; i++)
		ok = span_eq(prio, prios[i], strlen(prios[i]));
	if (!ok)
		return false;
	for (size_t i = 0; i < sizeof(facs) / sizeof(facs[0]); i++) {
		if (span_eq(fac, facs[i], strlen(facs[i]))) {
			w->has_facility = true;
			if (i != 0)
				w->other_facility = true;
			span_skip(s, tok.len + 1);
			return true;
		}
	}
	return false;
}

/* The program tag at s: "name:" or "name[pid]:", the message right after it
 * (rsyslog's "%syslogtag%%msg%" templates, DShield's among them, write
 * "kernel:[uptime]" or "kernel:DROP"). An empty or space-led name, or no
 * colon, is no tag. */
static enum wrapper_tag take_tag(struct span *s, bool *ret_pid)
{
	size_t i = 0;
	bool pid = false;

	while (i < s->len && i < 64 && s->p[i] != ':' && s->p[i] != '[' && s->p[i] != ' ')
		i++;
	if (i == 0 || i >= s->len || s->p[i] == ' ')
		return WRAPPER_TAG_NONE;
	struct span name = span_make(s->p, i);
	if (s->p[i] == '[') {
		size_t j = i + 1;
		while (j < s->len && j - i < 12 && s->p[j] != ']' && s->p[j] != ' ')
			j++;
		if (j == i + 1 || j + 1 >= s->len || s->p[j] != ']' || s->p[j + 1] != ':')
			return WRAPPER_TAG_NONE;
		pid = true;
		i = j + 1;
	}
	if (s->p[i] != ':')
		return WRAPPER_TAG_NONE;
	span_skip(s, i + 1);
	if (s->len && s->p[0] == ' ')
		span_skip(s, 1);
	*ret_pid = pid;
	return !pid && span_eq(name, "kernel", 6) ? WRAPPER_TAG_KERNEL : WRAPPER_TAG_OTHER;
}

/* rsyslog's "message repeated N times: [MSG]" (RepeatedMsgReduction). */
static void take_repeat(struct wrapper *w)
{
	struct span m = w->msg;
	uint32_t n = 0;
	size_t i = 0;

	if (!span_take_prefix(&m, "message repeated ", 17))
		return;
	while (i < m.len && i < 10 && is_digit(m.p[i]))
		i++;
	if (!i || span_to_u32(span_make(m.p, i), &n) || n == 0)
		return;
	span_skip(&m, i);
	if (!span_take_prefix(&m, " times: [", 9))
		return;
	if (m.len && m.p[m.len - 1] == ']')
		m.len--;
	w->msg = m;
	w->repeat = n;
}

/* RFC 5424 after "1 ": TIMESTAMP HOST APP PROCID MSGID SD MSG. The kernel is
 * APP "kernel" with PROCID "-". */
static void take_rfc5424(struct parse_clock *c, struct span s, struct wrapper *w)
{
	struct span tok, app, procid;

	w->kind = WRAPPER_SYSLOG;
	w->tag = WRAPPER_TAG_NONE;
	w->rfc5424 = true;
	if (s.len && s.p[0] == '-')
		span_skip(&s, 1);
	else if (!take_iso_time(c, &s, &w->time))
		return; /* leaves msg empty: not a record */
	if (!span_next_token(&s, ' ', &w->host) || !span_next_token(&s, ' ', &app) ||
	    !span_next_token(&s, ' ', &procid) || !span_next_token(&s, ' ', &tok))
		return;
	if (span_eq(w->host, "-", 1))
		w->host.len = 0;
	w->pid = !span_eq(procid, "-", 1);
	w->tag = span_eq(app, "kernel", 6) && !w->pid ? WRAPPER_TAG_KERNEL : WRAPPER_TAG_OTHER;
	/* structured data: "-" or one or more "[id k="v" ...]" */
	if (s.len && s.p[0] == '-') {
		span_skip(&s, 1);
	} else {
		while (s.len && s.p[0] == '[') {
			size_t i = 1;
			bool quoted = false;
			for (; i < s.len; i++) {
				if (s.p[i] == '\\' && i + 1 < s.len)
					i++;
				else if (s.p[i] == '"')
					quoted = !quoted;
				else if (s.p[i] == ']' && !quoted)
					break;
			}
			span_skip(&s, i < s.len ? i + 1 : s.len);
		}
	}
	if (s.len && s.p[0] == ' ')
		span_skip(&s, 1);
	span_take_prefix(&s, "\xEF\xBB\xBF", 3);
	w->msg = w->body = s;
}

/* "[<PRI>]1 " starting an RFC 5424 header (alone, or nested after a
 * traditional line's host). */
static bool try_rfc5424(struct parse_clock *c, struct span s, struct wrapper *w, bool need_pri)
{
	int pri = take_pri(&s);

	if (s.len < 3 || s.p[0] != '1' || s.p[1] != ' ')
		return false;
	if (pri < 0 && (need_pri || !(is_digit(s.p[2]) || s.p[2] == '-')))
		return false;
	note_pri(w, pri);
	span_skip(&s, 2);
	take_rfc5424(c, s, w);
	w->has_facility = pri >= 0;
	return true;
}

/* After the time: " HOST [FAC.PRIO ]TAG: MSG", or " HOST MSG" (LOGEMU);
 * OpenWrt logread writes " FAC.PRIO TAG: MSG" (no host) when fac_first.
 * Exactly one space before the host and before the tag. */
static void take_host_tag(struct parse_clock *c, struct span s, struct wrapper *w, bool fac_first)
{
	w->kind = WRAPPER_SYSLOG;
	w->tag = WRAPPER_TAG_NONE;
	if (!s.len || s.p[0] != ' ') {
		w->msg = w->body = s;
		return;
	}
	span_skip(&s, 1);
	if (!fac_first || !take_facility(&s, w)) {
		const char *sp = span_chr_near(s, ' ');
		w->host = span_make(s.p, sp ? (size_t)(sp - s.p) : s.len);
		span_skip(&s, sp ? w->host.len + 1 : w->host.len);
		/* "kernel: ", by far the most common, needs no more tests */
		if (span_take_prefix(&s, "kernel: ", 8)) {
			w->body = span_make(s.p - 8, s.len + 8);
			w->msg = s;
			w->tag = WRAPPER_TAG_KERNEL;
			take_repeat(w);
			return;
		}
		if (s.len > 5 && s.p[0] >= 'a' && s.p[0] <= 'u')
			take_facility(&s, w);
	}
	w->msg = w->body = s;
	if (s.len > 2 && (s.p[0] == '<' || (s.p[0] == '1' && s.p[1] == ' '))) {
		struct wrapper inner = *w;
		if (try_rfc5424(c, s, &inner, false)) {
			if (inner.time.kind == VTIME_NONE)
				inner.time = w->time;
			if (!inner.host.len)
				inner.host = w->host;
			inner.has_facility |= w->has_facility;
			inner.other_facility |= w->other_facility;
			*w = inner;
			return;
		}
	}
	bool pid = false;
	w->tag = (uint8_t)take_tag(&s, &pid);
	w->pid = pid;
	if (w->tag != WRAPPER_TAG_NONE) {
		w->msg = s;
		take_repeat(w);
	}
}

/* "WORD TAG: ..." after "[uptime] ": journalctl -o short-monotonic, where
 * the second word is a real tag; dmesg lines are "PREFIX IN=..." and their
 * prefix may be several words ("iptables denied: IN="). */
static void take_monotonic(struct span s, struct wrapper *w)
{
	struct span rest = s, w1;

	if (!span_next_token(&rest, ' ', &w1) || !w1.len || span_starts(w1, "IN=", 3))
		return;
	bool pid = false;
	enum wrapper_tag t = take_tag(&rest, &pid);
	if (t == WRAPPER_TAG_NONE)
		return;
	w->host = w1;
	w->tag = (uint8_t)t;
	w->pid = pid;
	w->msg = rest;
}

/* /dev/kmsg: "PRI,SEQ,USEC,FLAGS[,...];MSG" */
static bool take_kmsg(struct span *s, struct wrapper *w, int *ret_pri)
{
	const char *semi = span_chr(*s, ';');
	struct span head, f[3];

	if (!semi)
		return false;
	head = span_make(s->p, (size_t)(semi - s->p));
	for (int i = 0; i < 3; i++)
		if (!span_next_token(&head, ',', &f[i]))
			return false;
	uint32_t pri;
	uint64_t usec, seq;
	if (span_to_u32(f[0], &pri) || span_to_u64(f[1], UINT64_MAX, &seq) ||
	    span_to_u64(f[2], UINT64_MAX / 2, &usec))
		return false;
	w->time.kind = VTIME_UPTIME;
	w->time.sec = (int64_t)(usec / 1000000);
	w->time.usec = (uint32_t)(usec % 1000000);
	span_skip(s, (size_t)(semi - s->p) + 1);
	*ret_pri = (int)(pri > 1023 ? 1023 : pri);
	return true;
}

/* journalctl -o short-unix "1764075405.873520" and DShield "1701217441":
 * seconds since the epoch (UTC), 9 to 11 digits, then a space. */
static bool take_epoch(struct parse_clock *c, struct span *s, struct vtime *t)
{
	size_t i = 0;
	int64_t sec = 0;

	while (i < s->len && i < 12 && is_digit(s->p[i]))
		sec = sec * 10 + (s->p[i++] - '0');
	if (i < 9 || i > 11 || i >= s->len || (s->p[i] != '.' && s->p[i] != ' '))
		return false;
	struct span rest = span_make(s->p + i, s->len - i);
	uint32_t us = take_fraction(&rest);
	if (!rest.len || rest.p[0] != ' ')
		return false;
	*s = rest;
	t->kind = VTIME_WALL;
	t->sec = sec;
	t->usec = us;
	t->has_tz = true;
	t->tz_min = 0;
	clock_raise(c, sec);
	return true;
}

static bool is_weekday(const char *p)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	for (int i = 0; i < 7; i++)
		if (memcmp(days + 3 * i, p, 3) == 0)
			return true;
	return false;
}

/* journalctl -o short-full: "Www YYYY-MM-DD hh:mm:ss[.frac] ZONE" */
static bool take_full_time(struct parse_clock *c, struct span *s, struct vtime *t)
{
	struct span r = *s;

	if (r.len < 24 || r.p[3] != ' ' || !is_weekday(r.p))
		return false;
	span_skip(&r, 4);
	if (!take_iso_time(c, &r, t) || t->has_tz || !r.len || r.p[0] != ' ')
		return false;
	span_skip(&r, 1);
	size_t i = 0;
	while (i < r.len && i < 8 && r.p[i] != ' ')
		i++;
	if (i == 0 || i >= r.len || r.p[i] != ' ')
		return false;
	if (span_eq(span_make(r.p, i), "UTC", 3)) {
		t->has_tz = true;
		t->tz_min = 0;
	}
	span_skip(&r, i);
	*s = r;
	return true;
}

/* OpenWrt logread: "Www Mmm dd hh:mm:ss yyyy" (ctime, no brackets) */
static bool take_plain_ctime(struct parse_clock *c, struct span *s, struct vtime *t)
{
	if (s->len < 25 || s->p[3] != ' ' || !is_weekday(s->p) || s->p[24] != ' ')
		return false;
	struct span r = span_make(s->p + 4, 15);
	int y = digits(s->p + 20, 4);
	int mon = month_of(r.p);
	int day = r.p[4] == ' ' ? digits(r.p + 5, 1) : digits(r.p + 4, 2);
	int sod = hms(r.p + 7);
	if (y < 0 || s->p[19] != ' ' || !mon || day < 1 || day > 31 || sod < 0)
		return false;
	t->sec = wrapper_days_from_civil(y, (unsigned)mon, (unsigned)day) * 86400 + sod;
	t->usec = 0;
	t->kind = VTIME_WALL;
	clock_raise(c, t->sec);
	span_skip(s, 24);
	return true;
}

static void parse_envelope(struct parse_clock *c, struct span s, struct wrapper *w)
{
	int pri;

	if (s.len && s.p[0] == '<' && try_rfc5424(c, s, w, true))
		return;
	pri = take_pri(&s);
	note_pri(w, pri);
	if (s.len > 2 && s.p[0] == '1' && s.p[1] == ' ' && pri < 0 && try_rfc5424(c, s, w, false))
		return;
	if (s.len && s.p[0] == '[') {
		if (take_uptime(&s, &w->time) || take_ctime(c, &s, &w->time)) {
			w->kind = WRAPPER_DMESG;
			w->msg = w->body = s;
			if (w->time.kind == VTIME_UPTIME)
				take_monotonic(s, w);
			return;
		}
	}
	if (s.len > 4 && is_digit(s.p[0])) {
		if (is_digit(s.p[3]) && s.p[4] == '-' && take_iso_time(c, &s, &w->time)) {
			take_host_tag(c, s, w, false);
			return;
		}
		int kpri;
		if (pri < 0 && take_kmsg(&s, w, &kpri)) {
			w->kind = WRAPPER_KMSG;
			w->msg = w->body = s;
			note_pri(w, kpri);
			return;
		}
		if (pri < 0 && take_epoch(c, &s, &w->time)) {
			take_host_tag(c, s, w, false);
			return;
		}
	}
	if (take_bsd_time(c, &s, &w->time)) {
		take_host_tag(c, s, w, false);
		return;
	}
	if (s.len > 24 && s.p[3] == ' ') {
		if (take_full_time(c, &s, &w->time)) {
			take_host_tag(c, s, w, false);
			return;
		}
		if (take_plain_ctime(c, &s, &w->time)) {
			/* logread: FAC.PRIO right after the time, a host only with -h */
			take_host_tag(c, s, w, true);
			return;
		}
	}
	w->kind = WRAPPER_BARE;
	w->msg = w->body = s; /* bare message */
}

/* The kernel's own "[ 1234.567890] " stamp (printk time) starting m. */
static void strip_printk_time(struct span *m, struct vtime *t)
{
	if (m->len && m->p[0] == '[') {
		struct vtime up = { 0 };
		struct span r = *m;
		if (take_uptime(&r, &up)) {
			*m = r;
			if (t->kind == VTIME_NONE)
				*t = up;
		}
	}
}

void wrapper_parse(struct parse_clock *c, struct span line, struct wrapper *w)
{
	memset(w, 0, sizeof(*w));
	w->repeat = 1;
	parse_envelope(c, line, w);
	bool same = w->body.p == w->msg.p;
	strip_printk_time(&w->msg, &w->time);
	if (same)
		w->body = w->msg;
	else if (w->body.len && w->body.p[0] == '[')
		strip_printk_time(&w->body, &w->time);
}
