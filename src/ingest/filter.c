/* SPDX-License-Identifier: GPL-2.0-or-later */
/* filter.c - `vigil analyze`'s record filters (filter.h).
 *
 * Each option keeps its values in the cheapest form to test: a chain mask,
 * a protocol bitmap, a 65536-bit port map, the prefixes as byte strings,
 * and time bounds as (seconds, microseconds) pairs, so a record costs a few
 * loads per option given and no option costs anything when absent.
 *
 * Times. A bound written without an offset ("2026-05-19T22:00") is a wall
 * time of the log's own clock: it is compared with what the log shows
 * (struct vtime's sec, the log's broken-down time read as UTC), whatever
 * zone the log was written in. A bound with Z or an offset, and a relative
 * one (-24h), is an instant: the record's time is converted to UTC first,
 * exactly when the log gave an offset (sec - tz_min * 60), else with the
 * machine's zone rules for that time (localtime; TZ respected), the way
 * the daemon reads live lines (ingest.c). A record with no wall-clock time
 * (an uptime-only kmsg or dmesg record, or none at all) cannot be placed:
 * it does not pass a time filter, and is counted (filter_untimed()).
 *
 * filter_pass() takes the filter const: its answer depends only on the
 * options. What it caches (the zone's offset for the last log hour) and
 * counts lives behind a pointer, in struct filter_state.
 */
#include "ingest/filter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event/protoname.h"
#include "util/span.h"
#include "util/zone.h"

#define SECS_PER_DAY 86400LL
/* Relative times: at most this far back (about 3000 years). */
#define RELATIVE_MAX_SEC (1000LL * 366 * SECS_PER_DAY)
/* Log times beyond this are no calendar's: compared as they are. */
#define SEC_SANE (INT64_MAX / 4)

/* One --since or --until value. */
struct tbound {
	int64_t sec;
	uint32_t usec;
	bool utc; /* an instant (offset, Z, relative); else the log's wall clock */
};

struct tbounds {
	struct tbound *v;
	size_t n;
};

struct prefix {
	char *p;
	size_t len;
};

/* What filter_pass() changes: not part of the filter's value. */
struct filter_state {
	struct zone_cache zone; /* the local zone's offset, per log hour */
	uint64_t untimed;  /* records no time filter could place */
};

struct event_filter {
	unsigned n;                   /* values added */
	uint8_t chains;               /* 1 << enum chain; 0: no --chain */
	bool has_proto;
	bool icmp4, icmp6;            /* icmp / ipv6-icmp by name: of the packet's family */
	uint8_t protos[256 / 8];      /* protocol numbers of any family */
	uint8_t *ports;               /* 65536-bit map; NULL: no --port */
	struct prefix *prefixes;
	size_t n_prefixes;
	struct tbounds since, until;
	struct filter_state *st;
};

/* ---- construction ---------------------------------------------------------- */

struct event_filter *filter_new(void)
{
	struct event_filter *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->st = calloc(1, sizeof(*f->st));
	if (!f->st) {
		free(f);
		return NULL;
	}
	return f;
}

struct event_filter *filter_free(struct event_filter *f)
{
	if (!f)
		return NULL;
	for (size_t i = 0; i < f->n_prefixes; i++)
		free(f->prefixes[i].p);
	free(f->prefixes);
	free(f->ports);
	free(f->since.v);
	free(f->until.v);
	free(f->st);
	free(f);
	return NULL;
}

bool filter_empty(const struct event_filter *f)
{
	return !f || f->n == 0;
}

uint64_t filter_untimed(const struct event_filter *f)
{
	return f ? f->st->untimed : 0;
}

bool filter_has_time(const struct event_filter *f)
{
	return f && (f->since.n || f->until.n);
}

/* ---- times ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), the inverse of report/time.c's civil_from_days. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

/* Exactly n decimal digits at *p, advancing it. */
static bool digits(const char **p, unsigned n, unsigned *ret)
{
	unsigned v = 0;

	for (unsigned i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (unsigned)(c - '0');
	}
	*p += n;
	*ret = v;
	return true;
}

#define ISO_EXPECTED                                                                        \
	"expected a date and time YYYY-MM-DD[THH:MM[:SS[.frac]]][Z|+HH:MM|+HHMM] "          \
	"(2026-05-19, 2026-05-19T22:00, '2026-05-19 22:00:05+02:00') or a relative time "   \
	"-N[s|m|h|d|w] (-24h, -30m, -7d)"

/* "-24h", "-1h30m": seconds back from now. */
static int parse_relative(const char *s, int64_t now_us, struct tbound *ret, const char **why)
{
	int64_t total = 0;
	const char *p = s + 1;

	if (!*p) {
		*why = ISO_EXPECTED;
		return -EINVAL;
	}
	while (*p) {
		int64_t v = 0, unit;
		const char *start = p;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (*p++ - '0');
			if (v > RELATIVE_MAX_SEC) {
				*why = "relative time too far back (at most about 3000 years)";
				return -EINVAL;
			}
		}
		if (p == start) {
			*why = ISO_EXPECTED;
			return -EINVAL;
		}
		switch (*p++) {
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = SECS_PER_DAY;
			break;
		case 'w':
			unit = 7 * SECS_PER_DAY;
			break;
		default:
			*why = "expected a relative time -N with a unit s, m, h, d or w "
			       "(-90s, -30m, -24h, -7d, -2w, -1h30m)";
			return -EINVAL;
		}
		total += v * unit; /* v <= RELATIVE_MAX_SEC, unit <= 1 week: no overflow */
		if (total > RELATIVE_MAX_SEC) {
			*why = "relative time too far back (at most about 3000 years)";
			return -EINVAL;
		}
	}
	int64_t now_sec = now_us >= 0 ? now_us / 1000000 : -((-now_us + 999999) / 1000000);
	*ret = (struct tbound){ .sec = now_sec - total,
				.usec = (uint32_t)(now_us - now_sec * 1000000),
				.utc = true };
	return 0;
}

/* ISO 8601: YYYY-MM-DD, then optionally [T or space]HH:MM[:SS[.frac]] and
 * Z or +HH:MM, +HHMM, +HH. */
static int parse_iso(const char *s, struct tbound *ret, const char **why)
{
	const char *p = s;
	unsigned y, mo, d, h = 0, mi = 0, sec = 0, usec = 0;
	int64_t off = 0;
	bool utc = false;

	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d)) {
		*why = ISO_EXPECTED;
		return -EINVAL;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
		*why = "no such date (month 01-12, a day the month has)";
		return -EINVAL;
	}
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi)) {
			*why = ISO_EXPECTED;
			return -EINVAL;
		}
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &sec)) {
				*why = ISO_EXPECTED;
				return -EINVAL;
			}
			if (*p == '.' || *p == ',') {
				unsigned n = 0;
				p++;
				if (*p < '0' || *p > '9') {
					*why = "expected digits after the decimal point of the seconds";
					return -EINVAL;
				}
				for (; *p >= '0' && *p <= '9'; p++, n++)
					if (n < 6)
						usec = usec * 10 + (unsigned)(*p - '0');
				for (; n < 6; n++)
					usec *= 10;
			}
		}
		if (h > 23 || mi > 59 || sec > 60) {
			*why = "no such time of day (hour 00-23, minute 00-59, second 00-60)";
			return -EINVAL;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
			utc = true;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1;
			unsigned oh, om = 0;
			if (!digits(&p, 2, &oh) || (*p == ':' && (p++, !digits(&p, 2, &om))) ||
			    (*p >= '0' && *p <= '9' && !digits(&p, 2, &om)) || oh > 23 || om > 59) {
				*why = "expected a UTC offset Z, +HH:MM, +HHMM or +HH after the time";
				return -EINVAL;
			}
			off = sign * (int64_t)(oh * 3600 + om * 60);
			utc = true;
		}
	}
	if (*p) {
		*why = ISO_EXPECTED;
		return -EINVAL;
	}
	*ret = (struct tbound){ .sec = days_from_civil(y, mo, d) * SECS_PER_DAY + h * 3600 +
				       mi * 60 + sec - off,
				.usec = usec,
				.utc = utc };
	return 0;
}

static int add_time(struct tbounds *b, const char *arg, int64_t now_us, const char **why)
{
	struct tbound t;
	int r = arg[0] == '-' ? parse_relative(arg, now_us, &t, why) : parse_iso(arg, &t, why);

	if (r < 0)
		return r;
	struct tbound *v = realloc(b->v, (b->n + 1) * sizeof(*v));
	if (!v) {
		*why = "out of memory";
		return -ENOMEM;
	}
	v[b->n++] = t;
	b->v = v;
	return 0;
}



/* a before b */
static inline bool tb_less(int64_t sec, uint32_t usec, const struct tbound *b)
{
	return sec < b->sec || (sec == b->sec && usec < b->usec);
}

static bool time_pass(const struct event_filter *f, const struct vtime *t)
{
	int64_t wall = t->sec, utc = t->sec;
	bool have_utc = false;

	if (t->kind != VTIME_WALL) {
		f->st->untimed++;
		return false;
	}
	for (int k = 0; k < 2; k++) {
		const struct tbounds *b = k == 0 ? &f->since : &f->until;
		bool any = b->n == 0;
		for (size_t i = 0; i < b->n && !any; i++) {
			int64_t sec = wall;
			if (b->v[i].utc) {
				if (!have_utc && wall > -SEC_SANE && wall < SEC_SANE)
					utc = t->has_tz ? wall - (int64_t)t->tz_min * 60
							: zone_local_to_utc(&f->st->zone, wall);
				have_utc = true;
				sec = utc;
			}
			/* --since: at or after (inclusive); --until: before (exclusive) */
			any = tb_less(sec, t->usec, &b->v[i]) == (k == 1);
		}
		if (!any)
			return false;
	}
	return true;
}

/* ---- ports, protocols, chains, prefixes --------------------------------------- */

/* The next comma-separated item of *rest (ports, protocols and chains take
 * lists: --port 22,80). An empty item is an error of the caller's. */
static struct span next_item(struct span *rest)
{
	const char *c = memchr(rest->p, ',', rest->len);
	size_t n = c ? (size_t)(c - rest->p) : rest->len;
	struct span item = span_make(rest->p, n);

	span_skip(rest, c ? n + 1 : n);
	return item;
}

/* "" and "22," are errors; "22,,80" fails on its empty item. */
static bool list_ends_ok(const char *arg)
{
	size_t n = strlen(arg);

	return n && arg[n - 1] != ',';
}

static int add_ports(struct event_filter *f, const char *arg, const char **why)
{
	static const char expected[] = "expected a port 0-65535 or a range P-Q with P <= Q "
				       "(several: 22,80,1000-2000)";
	struct span rest = span_make(arg, strlen(arg));
	uint16_t lo[64], hi[64];
	size_t n = 0;

	if (!list_ends_ok(arg)) {
		*why = expected;
		return -EINVAL;
	}
	/* parse all before changing anything: a bad value leaves f as it was */
	do {
		struct span item = next_item(&rest), a, b;
		const char *dash = span_chr(item, '-');
		a = dash ? span_make(item.p, (size_t)(dash - item.p)) : item;
		b = dash ? span_make(dash + 1, item.len - (size_t)(dash - item.p) - 1) : item;
		if (n == 64) {
			*why = "at most 64 ports or ranges in one --port (repeat the option)";
			return -EINVAL;
		}
		if (span_to_u16(a, &lo[n]) < 0 || span_to_u16(b, &hi[n]) < 0 || lo[n] > hi[n]) {
			*why = expected;
			return -EINVAL;
		}
		n++;
	} while (rest.len);
	if (!f->ports && !(f->ports = calloc(65536 / 8, 1))) {
		*why = "out of memory";
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		for (uint32_t p = lo[i]; p <= hi[i]; p++)
			f->ports[p >> 3] |= (uint8_t)(1u << (p & 7));
	return 0;
}

static bool port_pass(const struct event_filter *f, const struct event *ev)
{
	if (!ev->has_ports || (ev->proto != IPPROTO_NUM_TCP && ev->proto != IPPROTO_NUM_UDP &&
			       ev->proto != IPPROTO_NUM_UDPLITE))
		return false;
	return f->ports[ev->dport >> 3] & (1u << (ev->dport & 7));
}

/* The names people type that are not IANA's keyword for the number (every
 * keyword the reports write is read by proto_by_name(), so a name copied
 * from a report filters); "ipip" is Linux's IPPROTO_IPIP, IP in IP. icmp
 * and ipv6-icmp are special: of the packet's own family. */
static const struct {
	const char *name;
	uint8_t num;
} proto_aliases[] = {
	{ "ipencap", 4 }, { "ipip", 4 },  { "icmp6", 58 }, { "icmpv6", 58 },
	{ "ospf", 89 },   { "ipip-old", 94 },
};

static int proto_number(struct span item)
{
	for (size_t i = 0; i < sizeof(proto_aliases) / sizeof(proto_aliases[0]); i++)
		if (span_eq_nocase(item, proto_aliases[i].name))
			return proto_aliases[i].num;
	return proto_by_name(item.p, item.len);
}

static int add_protos(struct event_filter *f, const char *arg, const char **why)
{
	static const char expected[] = "expected a protocol name (tcp, udp, udplite, icmp, "
				       "ipv6-icmp, gre, esp, ah, sctp, ...) or number 0-255";
	struct span rest = span_make(arg, strlen(arg));
	uint8_t protos[sizeof(f->protos)] = { 0 };
	bool icmp4 = false, icmp6 = false;

	if (!list_ends_ok(arg)) {
		*why = expected;
		return -EINVAL;
	}
	do {
		struct span item = next_item(&rest);
		uint8_t num;
		bool found = false;
		if (span_to_u8(item, &num) == 0) {
			protos[num >> 3] |= (uint8_t)(1u << (num & 7));
			continue;
		}
		int n = proto_number(item);
		if (n >= 0) {
			num = (uint8_t)n;
			if (num == IPPROTO_NUM_ICMP)
				icmp4 = true;
			else if (num == IPPROTO_NUM_ICMPV6)
				icmp6 = true;
			else
				protos[num >> 3] |= (uint8_t)(1u << (num & 7));
			found = true;
		}
		if (!found) {
			*why = expected;
			return -EINVAL;
		}
	} while (rest.len);
	for (size_t i = 0; i < sizeof(protos); i++)
		f->protos[i] |= protos[i];
	f->icmp4 |= icmp4;
	f->icmp6 |= icmp6;
	f->has_proto = true;
	return 0;
}

static bool proto_pass(const struct event_filter *f, const struct event *ev)
{
	if (f->protos[ev->proto >> 3] & (1u << (ev->proto & 7)))
		return true;
	if (f->icmp4 && ev->proto == IPPROTO_NUM_ICMP && !event_is_v6(ev))
		return true;
	return f->icmp6 && ev->proto == IPPROTO_NUM_ICMPV6 && event_is_v6(ev);
}

static int add_chains(struct event_filter *f, const char *arg, const char **why)
{
	static const char expected[] = "expected a chain INPUT, FORWARD or OUTPUT";
	struct span rest = span_make(arg, strlen(arg));
	uint8_t chains = 0;

	if (!list_ends_ok(arg)) {
		*why = expected;
		return -EINVAL;
	}
	do {
		struct span item = next_item(&rest);
		if (span_eq_nocase(item, "INPUT"))
			chains |= 1u << CHAIN_INPUT;
		else if (span_eq_nocase(item, "FORWARD"))
			chains |= 1u << CHAIN_FORWARD;
		else if (span_eq_nocase(item, "OUTPUT"))
			chains |= 1u << CHAIN_OUTPUT;
		else {
			*why = expected;
			return -EINVAL;
		}
	} while (rest.len);
	f->chains |= chains;
	return 0;
}

/* The prefix as the parser keeps it: spaces and tabs around it trimmed
 * (--prefix "DROP " finds the records of --log-prefix "DROP "). */
static int add_prefix(struct event_filter *f, const char *arg, const char **why)
{
	struct span s = span_make(arg, strlen(arg));
	struct prefix *v;

	span_trim(&s);
	v = realloc(f->prefixes, (f->n_prefixes + 1) * sizeof(*v));
	if (!v) {
		*why = "out of memory";
		return -ENOMEM;
	}
	f->prefixes = v;
	char *p = malloc(s.len + 1);
	if (!p) {
		*why = "out of memory";
		return -ENOMEM;
	}
	memcpy(p, s.p, s.len);
	p[s.len] = '\0';
	v[f->n_prefixes++] = (struct prefix){ p, s.len };
	return 0;
}

static bool prefix_pass(const struct event_filter *f, const struct event *ev)
{
	for (size_t i = 0; i < f->n_prefixes; i++)
		if (f->prefixes[i].len == ev->prefix.len &&
		    memcmp(f->prefixes[i].p, ev->prefix.p, ev->prefix.len) == 0)
			return true;
	return false;
}

/* ---- the filter --------------------------------------------------------------- */

int filter_add(struct event_filter *f, enum filter_kind k, const char *arg, int64_t now_us,
	       const char **ret_why)
{
	const char *why = "unknown filter";
	int r = -EINVAL;

	switch (k) {
	case FILTER_SINCE:
		r = add_time(&f->since, arg, now_us, &why);
		break;
	case FILTER_UNTIL:
		r = add_time(&f->until, arg, now_us, &why);
		break;
	case FILTER_PORT:
		r = add_ports(f, arg, &why);
		break;
	case FILTER_PROTO:
		r = add_protos(f, arg, &why);
		break;
	case FILTER_PREFIX:
		r = add_prefix(f, arg, &why);
		break;
	case FILTER_CHAIN:
		r = add_chains(f, arg, &why);
		break;
	case _FILTER_MAX:
		break;
	}
	if (r < 0) {
		*ret_why = why;
		return r;
	}
	f->n++;
	return 0;
}

bool filter_pass(const struct event_filter *f, const struct event *ev)
{
	if (f->chains && !(f->chains & (1u << ev->chain)))
		return false;
	if (f->has_proto && !proto_pass(f, ev))
		return false;
	if (f->ports && !port_pass(f, ev))
		return false;
	if (f->n_prefixes && !prefix_pass(f, ev))
		return false;
	/* last: untimed counts only records the other filters let through */
	if ((f->since.n || f->until.n) && !time_pass(f, &ev->time))
		return false;
	return true;
}
