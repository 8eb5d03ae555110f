/* wrapper.c - recognise and strip the envelope of a log line (see wrapper.h).
 *
 * Formats, as the tools write them:
 *   RFC 3164   [<PRI>]Mmm dd hh:mm:ss[.frac] HOST TAG: MSG     (syslog, journalctl short*)
 *   RFC 3339   YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm|+hhmm) HOST TAG: MSG
 *   RFC 5424   [<PRI>]1 TIMESTAMP HOST APP PROCID MSGID SD [BOM]MSG
 *   dmesg      [<PRI>][ sssss.uuuuuu] MSG   or   [Www Mmm dd hh:mm:ss yyyy] MSG
 *   /dev/kmsg  PRI,SEQ,USEC,FLAGS[,...];MSG   (Documentation/ABI/testing/dev-kmsg)
 *   LOGEMU     Mmm dd hh:mm:ss HOST MSG      (ulogd: no program tag)
 * A syslog TAG is "name:" or "name[pid]:"; anything but "kernel" is another
 * program, whatever the message says (anyone can write such lines with
 * logger). Where a PRI is given, its facility must be 0 (kern) too.
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
		int64_t ref_days = c->ref_sec >= 0 ? c->ref_sec / 86400 : (c->ref_sec - 86399) / 86400;
		int y = year_of_days(ref_days);
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

/* "<PRI>" -> facility check. Returns -1 if absent, else the PRI value. */
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

/* After the time: " HOST TAG: MSG" or " HOST MSG" (LOGEMU). */
static enum wrapper_origin take_host_tag(struct span s, struct wrapper *w)
{
	struct span tok;
	const char *sp;

	while (s.len && s.p[0] == ' ')
		span_skip(&s, 1);
	if (!s.len)
		return WRAPPER_KERNEL;
	sp = span_chr_near(s, ' ');
	w->host = span_make(s.p, sp ? (size_t)(sp - s.p) : s.len);
	span_skip(&s, sp ? w->host.len + 1 : w->host.len);
	sp = span_chr_near(s, ' ');
	tok = span_make(s.p, sp ? (size_t)(sp - s.p) : s.len);
	if (tok.len && tok.p[tok.len - 1] == ':') {
		struct span name = span_make(tok.p, tok.len - 1);
		/* "kernel:", by far the most common tag, needs no '[' search */
		if (!span_eq(name, "kernel", 6)) {
			const char *br = span_chr(name, '[');
			if (br)
				name.len = (size_t)(br - name.p);
		}
		span_skip(&s, sp ? tok.len + 1 : tok.len);
		if (!span_eq(name, "kernel", 6)) {
			w->msg = s;
			return WRAPPER_NOT_KERNEL;
		}
	}
	w->msg = s;
	return WRAPPER_KERNEL;
}

/* "WORD TAG: ..." where TAG is "name:" or "name[pid]:" and the message does
 * not start with the record: dmesg lines are "PREFIX IN=...". */
static bool second_word_is_tag(struct span s)
{
	struct span w1, w2;

	if (!span_next_token(&s, ' ', &w1) || !span_next_token(&s, ' ', &w2))
		return false;
	if (span_starts(w1, "IN=", 3) || span_starts(w2, "IN=", 3))
		return false;
	return w2.len > 1 && w2.p[w2.len - 1] == ':';
}

/* RFC 5424 after "1 ": TIMESTAMP HOST APP PROCID MSGID SD MSG */
static enum wrapper_origin take_rfc5424(struct parse_clock *c, struct span s, struct wrapper *w)
{
	struct span tok, app;

	if (s.len && s.p[0] == '-')
		span_skip(&s, 1);
	else if (!take_iso_time(c, &s, &w->time))
		return WRAPPER_KERNEL; /* leaves msg empty: not a record */
	if (!span_next_token(&s, ' ', &w->host) || !span_next_token(&s, ' ', &app) ||
	    !span_next_token(&s, ' ', &tok) || !span_next_token(&s, ' ', &tok))
		return WRAPPER_KERNEL;
	if (span_eq(w->host, "-", 1))
		w->host.len = 0;
	if (!span_eq(app, "kernel", 6)) {
		w->msg = s;
		return WRAPPER_NOT_KERNEL;
	}
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
	w->msg = s;
	return WRAPPER_KERNEL;
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

static enum wrapper_origin by_pri(int pri)
{
	return pri >= 0 && (pri >> 3) != 0 ? WRAPPER_NOT_KERNEL : WRAPPER_KERNEL;
}

static enum wrapper_origin parse_envelope(struct parse_clock *c, struct span s,
					  struct wrapper *w)
{
	int pri = take_pri(&s);

	if (s.len >= 2 && s.p[0] == '1' && s.p[1] == ' ' && (pri >= 0 || (s.len > 6 && s.p[6] == '-'))) {
		span_skip(&s, 2);
		enum wrapper_origin o = take_rfc5424(c, s, w);
		return o == WRAPPER_KERNEL ? by_pri(pri) : o;
	}
	if (s.len && s.p[0] == '[') {
		if (take_uptime(&s, &w->time) || take_ctime(c, &s, &w->time)) {
			w->msg = s;
			/* journalctl -o short-monotonic: "[ 1.2] HOST TAG: MSG" */
			if (second_word_is_tag(s)) {
				enum wrapper_origin o = take_host_tag(s, w);
				return o == WRAPPER_KERNEL ? by_pri(pri) : o;
			}
			return by_pri(pri);
		}
	}
	if (s.len > 4 && is_digit(s.p[0])) {
		if (is_digit(s.p[3]) && s.p[4] == '-' && take_iso_time(c, &s, &w->time)) {
			enum wrapper_origin o = take_host_tag(s, w);
			return o == WRAPPER_KERNEL ? by_pri(pri) : o;
		}
		int kpri;
		if (pri < 0 && take_kmsg(&s, w, &kpri)) {
			w->msg = s;
			return by_pri(kpri);
		}
	}
	if (take_bsd_time(c, &s, &w->time)) {
		enum wrapper_origin o = take_host_tag(s, w);
		return o == WRAPPER_KERNEL ? by_pri(pri) : o;
	}
	w->msg = s; /* bare message */
	return by_pri(pri);
}

enum wrapper_origin wrapper_parse(struct parse_clock *c, struct span line, struct wrapper *ret)
{
	struct wrapper w = { 0 };
	enum wrapper_origin o = parse_envelope(c, line, &w);

	/* the kernel's own "[ 1234.567890] " stamp (printk time) inside the message */
	if (w.msg.len && w.msg.p[0] == '[') {
		struct vtime up = { 0 };
		struct span m = w.msg;
		if (take_uptime(&m, &up)) {
			w.msg = m;
			if (w.time.kind == VTIME_NONE)
				w.time = up;
		}
	}
	*ret = w;
	return o;
}
