/* SPDX-License-Identifier: GPL-2.0-or-later */
/* filter-test.c - cmocka tests for filter.c (analyze's record filters):
 * every time syntax, its boundaries (--since inclusive, --until exclusive),
 * offsets, the log's own clock vs UTC, DST, relative times, records that
 * cannot be placed in time, ports, protocols (icmp of the packet's family),
 * prefixes, chains, bad values; and, through ingest.c, that filtered
 * records are counted (lines == events + ignored + malformed), that the
 * event hook sees only what was fed, and that --group-v6 groups what it
 * may and leaves spoofed sources to blame as they are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config/config.h"
#include "engine/engine.h"
#include "engine/state.h"
#include "ingest/filter.h"
#include "ingest/ingest.h"

#define US 1000000LL

static int64_t tm_sec(int year, int mon, int day, int h, int m, int s)
{
	struct tm tm = { .tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = day,
			 .tm_hour = h, .tm_min = m, .tm_sec = s };
	return (int64_t)timegm(&tm);
}

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* A TCP SYN to dport with a wall time: sec of the log's own clock. */
static struct event ev_at(int64_t sec, uint32_t usec, bool has_tz, int tz_min)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.time = (struct vtime){ .sec = sec, .usec = usec, .kind = VTIME_WALL, .has_tz = has_tz,
				  .tz_min = (int16_t)tz_min };
	ev.src.family = ev.dst.family = ADDR_V4;
	ev.chain = CHAIN_INPUT;
	ev.proto = IPPROTO_NUM_TCP;
	ev.has_ports = true;
	ev.dport = 22;
	return ev;
}

/* The event at us µs (floor division: before 1970 too). */
static struct event ev_us(int64_t us, bool has_tz, int tz_min)
{
	int64_t sec = us >= 0 ? us / US : -((-us + US - 1) / US);

	return ev_at(sec, (uint32_t)(us - sec * US), has_tz, tz_min);
}

static struct event ev_plain(void)
{
	return ev_at(tm_sec(2026, 5, 19, 22, 0, 0), 0, false, 0);
}

static struct event_filter *one(enum filter_kind k, const char *arg, int64_t now_us)
{
	struct event_filter *f = filter_new();
	const char *why = NULL;

	assert_non_null(f);
	if (filter_add(f, k, arg, now_us, &why) != 0)
		fail_msg("'%s' refused: %s", arg, why ? why : "?");
	assert_false(filter_empty(f));
	return f;
}

static void test_life(void **state)
{
	struct event_filter *f = filter_new();
	const char *why = NULL;

	(void)state;
	assert_true(filter_empty(NULL));
	assert_null(filter_free(NULL));
	assert_int_equal(filter_untimed(NULL), 0);
	assert_false(filter_has_time(NULL));
	assert_true(filter_empty(f));
	/* a refused value leaves the filter as it was */
	assert_int_equal(filter_add(f, FILTER_PORT, "x", 0, &why), -EINVAL);
	assert_non_null(why);
	assert_true(filter_empty(f));
	assert_int_equal(filter_add(f, FILTER_PORT, "22", 0, &why), 0);
	assert_false(filter_empty(f));
	assert_false(filter_has_time(f));
	assert_int_equal(filter_add(f, FILTER_UNTIL, "-1h", 0, &why), 0);
	assert_true(filter_has_time(f));
	assert_null(filter_free(f));
}

/* --since ARG: a record at `at` (µs, log's own clock, no offset) passes,
 * one µs earlier does not */
static void since_at(const char *arg, int64_t at_us, bool has_tz, int tz_min)
{
	struct event_filter *f = one(FILTER_SINCE, arg, 0);
	struct event a = ev_us(at_us, has_tz, tz_min), b = ev_us(at_us - 1, has_tz, tz_min);

	if (!filter_pass(f, &a))
		fail_msg("--since %s: the boundary itself should pass", arg);
	if (filter_pass(f, &b))
		fail_msg("--since %s: 1 us before should not pass", arg);
	filter_free(f);
}

static void test_iso_syntaxes(void **state)
{
	int64_t d = tm_sec(2026, 5, 19, 0, 0, 0) * US, t = tm_sec(2026, 5, 19, 22, 0, 0) * US;

	(void)state;
	set_tz("UTC");
	/* no offset: the log's own wall clock, whatever zone the log gave */
	since_at("2026-05-19", d, false, 0);
	since_at("2026-05-19", d, true, 120);
	since_at("2026-05-19T22:00", t, false, 0);
	since_at("2026-05-19t22:00", t, true, -300);
	since_at("2026-05-19 22:00", t, false, 0);
	since_at("2026-05-19T22:00:05", t + 5 * US, false, 0);
	since_at("2026-05-19T22:00:05.5", t + 5 * US + 500000, false, 0);
	since_at("2026-05-19T22:00:05,123456789", t + 5 * US + 123456, false, 0);
	since_at("2026-05-19T22:00:05.000001", t + 5 * US + 1, false, 0);
	/* Z or an offset: an instant; the log's time in UTC (log offset 0 here) */
	since_at("2026-05-19T22:00:05Z", t + 5 * US, true, 0);
	since_at("2026-05-19T22:00z", t, true, 0);
	since_at("2026-05-19T22:00+02:00", t - 2 * 3600 * US, true, 0);
	since_at("2026-05-19T22:00+0200", t - 2 * 3600 * US, true, 0);
	since_at("2026-05-19T22:00+02", t - 2 * 3600 * US, true, 0);
	since_at("2026-05-19T22:00-01:30", t + 90 * 60 * US, true, 0);
	since_at("2026-05-19T22:00:00.25-00:00", t + 250000, true, 0);
	/* calendar edges */
	since_at("2024-02-29", tm_sec(2024, 2, 29, 0, 0, 0) * US, false, 0);
	since_at("2000-02-29T23:59:59", tm_sec(2000, 2, 29, 23, 59, 59) * US, false, 0);
	since_at("1969-12-31T23:59:59", -1 * US, false, 0);
	since_at("2026-12-31T23:59:60", tm_sec(2027, 1, 1, 0, 0, 0) * US, false, 0);
}

/* A log time with an offset meets a bound with one: both instants. */
static void test_offsets(void **state)
{
	int64_t wall = tm_sec(2026, 5, 19, 22, 0, 0);
	struct event plus2 = ev_at(wall, 0, true, 120); /* 20:00Z */
	struct event minus5 = ev_at(wall, 0, true, -300); /* 03:00Z next day */
	struct event_filter *f;

	(void)state;
	set_tz("UTC");
	f = one(FILTER_SINCE, "2026-05-19T20:00Z", 0);
	assert_true(filter_pass(f, &plus2));
	assert_true(filter_pass(f, &minus5));
	filter_free(f);
	f = one(FILTER_SINCE, "2026-05-19T20:00:01Z", 0);
	assert_false(filter_pass(f, &plus2));
	filter_free(f);
	f = one(FILTER_UNTIL, "2026-05-20T03:00Z", 0); /* exclusive */
	assert_true(filter_pass(f, &plus2));
	assert_false(filter_pass(f, &minus5));
	filter_free(f);
	f = one(FILTER_UNTIL, "2026-05-20T05:00+02:00", 0); /* the same instant */
	assert_false(filter_pass(f, &minus5));
	filter_free(f);
	/* without an offset both read the wall clock they show: 22:00 each */
	f = one(FILTER_UNTIL, "2026-05-19T22:00", 0);
	assert_false(filter_pass(f, &plus2));
	assert_false(filter_pass(f, &minus5));
	filter_free(f);
	f = one(FILTER_UNTIL, "2026-05-19T22:00:00.000001", 0);
	assert_true(filter_pass(f, &plus2));
	assert_true(filter_pass(f, &minus5));
	filter_free(f);
}

static void test_since_until_window(void **state)
{
	struct event_filter *f = one(FILTER_SINCE, "2026-05-19T22:00", 0);
	const char *why;
	int64_t a = tm_sec(2026, 5, 19, 22, 0, 0), b = tm_sec(2026, 5, 19, 23, 0, 0);

	(void)state;
	assert_int_equal(filter_add(f, FILTER_UNTIL, "2026-05-19T23:00", 0, &why), 0);
	struct event at_a = ev_at(a, 0, false, 0), before_a = ev_at(a - 1, 999999, false, 0);
	struct event at_b = ev_at(b, 0, false, 0), before_b = ev_at(b - 1, 999999, false, 0);
	assert_true(filter_pass(f, &at_a));      /* --since: inclusive */
	assert_false(filter_pass(f, &before_a));
	assert_true(filter_pass(f, &before_b));
	assert_false(filter_pass(f, &at_b));     /* --until: exclusive */
	/* a second --until: either bound lets a record through (any of one option) */
	assert_int_equal(filter_add(f, FILTER_UNTIL, "2026-05-19T23:30", 0, &why), 0);
	assert_true(filter_pass(f, &at_b));
	assert_int_equal(filter_untimed(f), 0);
	filter_free(f);
}

/* Log times without an offset, bounds with one: the machine's zone rules
 * at the log's time, DST included; TZ respected. */
static void test_dst(void **state)
{
	struct event_filter *f;

	(void)state;
	set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
	/* 2026-03-29: 02:00 CET becomes 03:00 CEST */
	struct event winter = ev_at(tm_sec(2026, 3, 29, 1, 30, 0), 0, false, 0); /* 00:30Z */
	struct event summer = ev_at(tm_sec(2026, 3, 29, 3, 30, 0), 0, false, 0); /* 01:30Z */
	f = one(FILTER_SINCE, "2026-03-29T01:00Z", 0);
	assert_false(filter_pass(f, &winter));
	assert_true(filter_pass(f, &summer));
	filter_free(f);
	f = one(FILTER_SINCE, "2026-03-29T00:30Z", 0);
	assert_true(filter_pass(f, &winter));
	filter_free(f);
	f = one(FILTER_UNTIL, "2026-03-29T01:30Z", 0);
	assert_true(filter_pass(f, &winter));
	assert_false(filter_pass(f, &summer));
	filter_free(f);
	/* a bound without an offset is the log's clock: no zone involved */
	f = one(FILTER_SINCE, "2026-03-29T01:30", 0);
	assert_true(filter_pass(f, &winter));
	assert_true(filter_pass(f, &summer));
	filter_free(f);
	/* the zone cache follows the hours back and forth: summer 12:00 is 10:00Z */
	f = one(FILTER_SINCE, "2026-07-01T10:00Z", 0);
	struct event noon = ev_at(tm_sec(2026, 7, 1, 12, 0, 0), 0, false, 0);
	struct event before = ev_at(tm_sec(2026, 7, 1, 11, 59, 59), 0, false, 0);
	assert_true(filter_pass(f, &noon));
	assert_false(filter_pass(f, &before));
	assert_false(filter_pass(f, &winter));
	assert_true(filter_pass(f, &noon));
	filter_free(f);
	/* the same log time read in another zone */
	set_tz("UTC");
	f = one(FILTER_SINCE, "2026-03-29T01:00Z", 0);
	assert_true(filter_pass(f, &winter));
	filter_free(f);
}

static void test_relative(void **state)
{
	static const struct {
		const char *arg;
		int64_t back;
	} cases[] = {
		{ "-24h", 86400 },     { "-30m", 1800 },       { "-7d", 7 * 86400 },
		{ "-90s", 90 },        { "-2w", 14 * 86400 },  { "-1h30m", 5400 },
		{ "-0s", 0 },          { "-1d12h", 129600 },
	};
	int64_t now_us = tm_sec(2026, 5, 19, 22, 0, 0) * US + 250000;

	(void)state;
	set_tz("UTC");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct event_filter *f = one(FILTER_SINCE, cases[i].arg, now_us);
		int64_t at = now_us - cases[i].back * US;
		/* an instant: log times with offset +02:00 show 2 h later */
		struct event on = ev_us(at + 7200 * US, true, 120);
		struct event early = ev_us(at - 1 + 7200 * US, true, 120);
		if (!filter_pass(f, &on) || filter_pass(f, &early))
			fail_msg("--since %s: boundary wrong", cases[i].arg);
		filter_free(f);
	}
	/* --until -1h: before an hour ago */
	struct event_filter *f = one(FILTER_UNTIL, "-1h", now_us);
	struct event old = ev_at(now_us / US - 3601, 0, false, 0);
	struct event recent = ev_at(now_us / US - 60, 0, false, 0);
	assert_true(filter_pass(f, &old));
	assert_false(filter_pass(f, &recent));
	filter_free(f);
}

/* Uptime-only records and records without a time cannot be placed. */
static void test_untimed(void **state)
{
	struct event_filter *f = one(FILTER_SINCE, "1970-01-01", 0);
	struct event up = ev_plain(), none = ev_plain(), udp = ev_plain();
	const char *why;

	(void)state;
	up.time = (struct vtime){ .sec = 1694, .usec = 987345, .kind = VTIME_UPTIME };
	none.time = (struct vtime){ .kind = VTIME_NONE };
	assert_false(filter_pass(f, &up));
	assert_false(filter_pass(f, &none));
	assert_int_equal(filter_untimed(f), 2);
	/* counted only when the other filters let the record through */
	assert_int_equal(filter_add(f, FILTER_PROTO, "tcp", 0, &why), 0);
	udp.time = up.time;
	udp.proto = IPPROTO_NUM_UDP;
	assert_false(filter_pass(f, &udp));
	assert_int_equal(filter_untimed(f), 2);
	filter_free(f);
	/* no time filter: they pass */
	f = one(FILTER_PORT, "22", 0);
	assert_true(filter_pass(f, &up));
	assert_int_equal(filter_untimed(f), 0);
	filter_free(f);
}

static void test_ports(void **state)
{
	struct event_filter *f = one(FILTER_PORT, "1000-2000", 0);
	struct event ev = ev_plain();
	const char *why;

	(void)state;
	ev.dport = 999;
	assert_false(filter_pass(f, &ev));
	ev.dport = 1000;
	assert_true(filter_pass(f, &ev));
	ev.dport = 2000;
	assert_true(filter_pass(f, &ev));
	ev.dport = 2001;
	assert_false(filter_pass(f, &ev));
	/* the destination port, not the source port */
	ev.sport = 1500;
	ev.dport = 80;
	assert_false(filter_pass(f, &ev));
	/* repeated and listed values: any */
	assert_int_equal(filter_add(f, FILTER_PORT, "22,80", 0, &why), 0);
	assert_int_equal(filter_add(f, FILTER_PORT, "0", 0, &why), 0);
	assert_int_equal(filter_add(f, FILTER_PORT, "65535-65535", 0, &why), 0);
	assert_true(filter_pass(f, &ev));
	ev.dport = 0;
	assert_true(filter_pass(f, &ev));
	ev.dport = 65535;
	assert_true(filter_pass(f, &ev));
	ev.dport = 22;
	ev.proto = IPPROTO_NUM_UDP;
	assert_true(filter_pass(f, &ev));
	ev.proto = IPPROTO_NUM_UDPLITE;
	assert_true(filter_pass(f, &ev));
	/* other protocols, and records without ports, do not pass */
	ev.proto = 132; /* sctp */
	assert_false(filter_pass(f, &ev));
	ev.proto = IPPROTO_NUM_TCP;
	ev.has_ports = false; /* a fragment */
	assert_false(filter_pass(f, &ev));
	filter_free(f);
}

static void test_protos(void **state)
{
	struct event v4 = ev_plain(), v6 = ev_plain(), mapped = ev_plain();
	struct event_filter *f;
	const char *why;

	(void)state;
	v6.src.family = v6.dst.family = ADDR_V6;
	mapped.v4_mapped = true; /* an IPv6 packet with IPv4-mapped addresses */

	f = one(FILTER_PROTO, "TCP", 0);
	assert_true(filter_pass(f, &v4));
	assert_true(filter_pass(f, &v6));
	v4.proto = IPPROTO_NUM_UDP;
	assert_false(filter_pass(f, &v4));
	filter_free(f);

	/* icmp: ICMP of IPv4 only; ipv6-icmp: of IPv6 only; numbers: any family */
	f = one(FILTER_PROTO, "icmp", 0);
	v4.proto = v6.proto = mapped.proto = IPPROTO_NUM_ICMP;
	assert_true(filter_pass(f, &v4));
	assert_false(filter_pass(f, &v6));
	assert_false(filter_pass(f, &mapped));
	v4.proto = v6.proto = IPPROTO_NUM_ICMPV6;
	assert_false(filter_pass(f, &v4));
	assert_false(filter_pass(f, &v6));
	filter_free(f);
	static const char *const v6names[] = { "ipv6-icmp", "icmp6", "ICMPv6" };
	for (size_t i = 0; i < 3; i++) {
		f = one(FILTER_PROTO, v6names[i], 0);
		assert_true(filter_pass(f, &v6));
		assert_false(filter_pass(f, &v4)); /* protocol 58 in IPv4: not ICMPv6 */
		filter_free(f);
	}
	f = one(FILTER_PROTO, "58", 0);
	assert_true(filter_pass(f, &v6));
	assert_true(filter_pass(f, &v4));
	filter_free(f);

	/* names and numbers, lists, repeated */
	f = one(FILTER_PROTO, "gre", 0);
	assert_int_equal(filter_add(f, FILTER_PROTO, "esp,AH", 0, &why), 0);
	assert_int_equal(filter_add(f, FILTER_PROTO, "255", 0, &why), 0);
	assert_int_equal(filter_add(f, FILTER_PROTO, "0", 0, &why), 0);
	static const uint8_t yes[] = { 47, 50, 51, 255, 0 }, no[] = { 6, 17, 1, 58, 132, 136 };
	for (size_t i = 0; i < sizeof(yes); i++) {
		v4.proto = yes[i];
		assert_true(filter_pass(f, &v4));
	}
	for (size_t i = 0; i < sizeof(no); i++) {
		v4.proto = no[i];
		assert_false(filter_pass(f, &v4));
	}
	filter_free(f);
	static const struct {
		const char *name;
		uint8_t num;
	} names[] = { { "udplite", 136 }, { "sctp", 132 }, { "udp", 17 },
		      { "ipip", 4 },      { "ospf", 89 },   { "dccp", 33 } };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		f = one(FILTER_PROTO, names[i].name, 0);
		v4.proto = names[i].num;
		assert_true(filter_pass(f, &v4));
		v4.proto = (uint8_t)(names[i].num + 1);
		assert_false(filter_pass(f, &v4));
		filter_free(f);
	}
}

static void test_prefix_chain(void **state)
{
	struct event ev = ev_plain();
	struct event_filter *f;
	const char *why;
	static const char raw[] = "evil\x01\xff prefix:";

	(void)state;
	f = one(FILTER_PREFIX, "Blocked by nft:", 0);
	ev.prefix = span_make("Blocked by nft:", 15);
	assert_true(filter_pass(f, &ev));
	ev.prefix = span_make("Blocked by nft", 14);
	assert_false(filter_pass(f, &ev));
	ev.prefix = span_make("blocked by nft:", 15); /* exact: case matters */
	assert_false(filter_pass(f, &ev));
	/* the argument is trimmed as the parser trims prefixes */
	assert_int_equal(filter_add(f, FILTER_PREFIX, " DROP ", 0, &why), 0);
	ev.prefix = span_make("DROP", 4);
	assert_true(filter_pass(f, &ev));
	ev.prefix = span_make("", 0);
	assert_false(filter_pass(f, &ev));
	/* "": records without a prefix */
	assert_int_equal(filter_add(f, FILTER_PREFIX, "", 0, &why), 0);
	assert_true(filter_pass(f, &ev));
	/* the raw bytes, not the report's escaped form */
	assert_int_equal(filter_add(f, FILTER_PREFIX, raw, 0, &why), 0);
	ev.prefix = span_make(raw, strlen(raw));
	assert_true(filter_pass(f, &ev));
	ev.prefix = span_make("evil\\x01\\xff prefix:", 19);
	assert_false(filter_pass(f, &ev));
	filter_free(f);

	f = one(FILTER_CHAIN, "forward", 0);
	ev.chain = CHAIN_FORWARD;
	assert_true(filter_pass(f, &ev));
	ev.chain = CHAIN_INPUT;
	assert_false(filter_pass(f, &ev));
	assert_int_equal(filter_add(f, FILTER_CHAIN, "Input,OUTPUT", 0, &why), 0);
	assert_true(filter_pass(f, &ev));
	ev.chain = CHAIN_OUTPUT;
	assert_true(filter_pass(f, &ev));
	ev.chain = CHAIN_NONE;
	assert_false(filter_pass(f, &ev));
	filter_free(f);
}

/* Different options: all must pass. */
static void test_all_of(void **state)
{
	struct event_filter *f = one(FILTER_PORT, "22", 0);
	struct event ev = ev_plain();
	const char *why;

	(void)state;
	set_tz("UTC");
	assert_int_equal(filter_add(f, FILTER_PROTO, "udp", 0, &why), 0);
	assert_false(filter_pass(f, &ev)); /* tcp/22 */
	ev.proto = IPPROTO_NUM_UDP;
	assert_true(filter_pass(f, &ev));
	assert_int_equal(filter_add(f, FILTER_CHAIN, "FORWARD", 0, &why), 0);
	assert_false(filter_pass(f, &ev));
	ev.chain = CHAIN_FORWARD;
	assert_true(filter_pass(f, &ev));
	assert_int_equal(filter_add(f, FILTER_PREFIX, "FWD DROP", 0, &why), 0);
	assert_false(filter_pass(f, &ev));
	ev.prefix = span_make("FWD DROP", 8);
	assert_true(filter_pass(f, &ev));
	assert_int_equal(filter_add(f, FILTER_SINCE, "2026-05-20", 0, &why), 0);
	assert_false(filter_pass(f, &ev));
	ev.time.sec += 86400;
	assert_true(filter_pass(f, &ev));
	filter_free(f);
}

static void bad(enum filter_kind k, const char *arg, const char *why_has)
{
	struct event_filter *f = filter_new();
	const char *why = NULL;

	assert_non_null(f);
	if (filter_add(f, k, arg, 0, &why) != -EINVAL)
		fail_msg("'%s' accepted", arg);
	assert_non_null(why);
	if (!strstr(why, why_has))
		fail_msg("'%s': why '%s' lacks '%s'", arg, why, why_has);
	assert_true(filter_empty(f));
	filter_free(f);
}

static void test_bad_values(void **state)
{
	static const char *const times[] = {
		"",       "2026",          "2026-5-19",        "2026-05-19T",   "2026-05-19T22",
		"26-05-19", "2026-05-19T22:0", "2026-05-19T22:00:5", "2026-05-19x", "2026-05-19Z",
		"2026-05-19T22:00+2", "2026-05-19T22:00+02:0", "2026-05-19T22:00 +02:00",
		"2026-05-19T22:00Zx", "yesterday", "now", "+24h", "-", "-h", "-24", "-24x", "-24H",
		"-1h30", "- 24h", "-99999999999999d", "-5000000w",
	};
	static const char *const ports[] = { "",   "65536", "-1",  "22-",  "-22",  "2000-1000",
					     "22,", ",22", "22,,80", "ssh", " 22", "0x16", "1-2-3" };
	static const char *const protos[] = { "", "256", "tcpx", "tcp,", "-1", "t cp", ",udp" };
	static const char *const chains[] = { "", "PREROUTING", "INPUT,", "IN", "input output" };

	(void)state;
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		bad(FILTER_SINCE, times[i], "");
		bad(FILTER_UNTIL, times[i], "");
	}
	bad(FILTER_SINCE, "2026", "YYYY-MM-DD");
	bad(FILTER_SINCE, "-24x", "unit");
	bad(FILTER_SINCE, "-99999999999999d", "too far back");
	/* no such date or time */
	bad(FILTER_SINCE, "2026-02-29", "no such date");
	bad(FILTER_SINCE, "1900-02-29", "no such date");
	bad(FILTER_SINCE, "2026-04-31", "no such date");
	bad(FILTER_SINCE, "2026-13-01", "no such date");
	bad(FILTER_SINCE, "2026-00-10", "no such date");
	bad(FILTER_SINCE, "2026-05-00", "no such date");
	bad(FILTER_SINCE, "2026-05-19T24:00", "no such time");
	bad(FILTER_SINCE, "2026-05-19T22:60", "no such time");
	bad(FILTER_SINCE, "2026-05-19T22:00:61", "no such time");
	bad(FILTER_SINCE, "2026-05-19T22:00:05.", "digits after");
	bad(FILTER_SINCE, "2026-05-19T22:00+24:00", "UTC offset");
	bad(FILTER_SINCE, "2026-05-19T22:00+02:60", "UTC offset");
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		bad(FILTER_PORT, ports[i], "expected a port 0-65535");
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		bad(FILTER_PROTO, protos[i], "expected a protocol name");
	for (size_t i = 0; i < sizeof(chains) / sizeof(chains[0]); i++)
		bad(FILTER_CHAIN, chains[i], "expected a chain INPUT, FORWARD or OUTPUT");
	bad(_FILTER_MAX, "x", "unknown");
	/* a list with a bad item changes nothing (checked by bad(): still empty) */
	bad(FILTER_PORT, "22,80,x", "expected a port");
	bad(FILTER_PROTO, "tcp,nope", "expected a protocol");
	bad(FILTER_CHAIN, "INPUT,nope", "expected a chain");
}

/* ---- through ingest -------------------------------------------------------- */

#define MAC4 "MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:08:00 "
#define REC4(src, proto_ports)                                                             \
	"DROP IN=eth0 OUT= " MAC4 "SRC=" src " DST=198.18.0.1 LEN=40 TOS=0x00 PREC=0x00 "   \
	"TTL=64 ID=1000 PROTO=" proto_ports
#define TCP(dport) "TCP SPT=40000 DPT=" dport " WINDOW=1024 RES=0x00 SYN URGP=0"
#define REC6(src, dst, dport)                                                              \
	"DROP IN=eth0 OUT= MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:86:dd SRC=" src " DST=" dst \
	" LEN=60 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=40000 DPT=" dport                    \
	" WINDOW=1024 RES=0x00 SYN URGP=0"
#define FW6 "2001:0db8:0000:0001:0000:0000:0000:0001"

struct ifix {
	struct config cfg;
	struct engine *e;
	struct ingest *in;
	struct event_filter *f;
	uint64_t hooked;
};

static void on_event(const struct event *ev, int64_t when_us, void *data)
{
	struct ifix *x = data;

	(void)ev, (void)when_us;
	x->hooked++;
}

static struct ifix *ifix_new(struct event_filter *f, unsigned group_v6)
{
	struct ifix *x = calloc(1, sizeof(*x));
	struct ingest_opts o = { .name = "t", .ref_sec = tm_sec(2026, 12, 6, 0, 0, 0),
				 .filter = f, .group_v6 = group_v6 };

	assert_non_null(x);
	config_init(&x->cfg);
	x->f = f;
	assert_int_equal(engine_new(&x->cfg, NULL, NULL, NULL, &x->e), 0);
	assert_int_equal(ingest_new(x->e, &x->cfg, &o, &x->in), 0);
	ingest_on_event(x->in, on_event, x);
	return x;
}

static void ifix_free(struct ifix *x)
{
	ingest_free(x->in);
	engine_free(x->e);
	filter_free(x->f);
	free(x);
}

static void feed_line(struct ifix *x, const char *s)
{
	ingest_line(x->in, span_make(s, strlen(s)), false, 0);
}

static void test_ingest_counts(void **state)
{
	struct ifix *x = ifix_new(one(FILTER_PORT, "22,23", 0), 0);

	(void)state;
	set_tz("UTC");
	feed_line(x, "Nov 25 14:43:03 fw1 kernel: " REC4("198.18.0.7", TCP("22")));
	feed_line(x, "Nov 25 14:43:03 fw1 kernel: " REC4("198.18.0.7", TCP("80")));
	feed_line(x, "Nov 25 14:43:03 fw1 kernel: " REC4("198.18.0.8", "ICMP TYPE=8 CODE=0 ID=1 SEQ=1"));
	/* repeated N times: one line, N records when it passes */
	feed_line(x, "Nov 25 14:43:04 fw1 kernel: message repeated 3 times: [ " REC4("198.18.0.7", TCP("23")) " ]");
	feed_line(x, "Nov 25 14:43:04 fw1 kernel: message repeated 3 times: [ " REC4("198.18.0.9", TCP("25")) " ]");
	feed_line(x, "");
	ingest_end(x->in);

	const struct input_stats *st = ingest_stats(x->in);
	struct engine_stats es;
	engine_get_stats(x->e, &es);
	assert_int_equal(st->lines, 6);
	assert_int_equal(st->events, 2);
	assert_int_equal(st->ignored, 4);
	assert_int_equal(st->ignored_filtered, 3);
	assert_int_equal(st->ignored_blank, 1);
	assert_int_equal(st->lines, st->events + st->ignored + st->malformed);
	/* the engine and the hook saw only what passed: 1 + 3 records */
	assert_int_equal(es.counted, 4);
	assert_int_equal(x->hooked, 4);
	assert_int_equal(st->repeated, 2); /* the filtered repeated line is not counted */
	assert_int_equal(st->ignored_untimed, 0);
	struct addr a;
	assert_int_equal(addr_parse(span_make("198.18.0.8", 10), &a), 0);
	assert_null(engine_lookup(x->e, 0, &a));
	assert_int_equal(addr_parse(span_make("198.18.0.7", 10), &a), 0);
	assert_non_null(engine_lookup(x->e, 0, &a));
	ifix_free(x);
}

/* Records with no wall-clock time: ignored by the time filter, counted apart */
static void test_ingest_untimed(void **state)
{
	struct event_filter *f = one(FILTER_SINCE, "1970-01-01", 0);
	const char *why;
	struct ifix *x;

	(void)state;
	assert_int_equal(filter_add(f, FILTER_PORT, "22", 0, &why), 0);
	x = ifix_new(f, 0);
	feed_line(x, "[ 1694.987345] " REC4("198.18.0.7", TCP("22")));
	feed_line(x, "[ 1694.987346] " REC4("198.18.0.7", TCP("80"))); /* the port first */
	feed_line(x, "[ 1694.987347] " REC4("198.18.0.7", TCP("22")));
	ingest_end(x->in);
	ingest_begin(x->in, "syslog", tm_sec(2026, 12, 6, 0, 0, 0));
	feed_line(x, "Nov 25 14:43:03 fw1 kernel: " REC4("198.18.0.7", TCP("22")));
	ingest_end(x->in);
	const struct input_stats *st = ingest_stats(x->in);
	assert_int_equal(st->lines, 4);
	assert_int_equal(st->events, 1);
	assert_int_equal(st->ignored_filtered, 3);
	assert_int_equal(st->ignored_untimed, 2);
	assert_int_equal(filter_untimed(f), 2);
	assert_int_equal(st->lines, st->events + st->ignored + st->malformed);
	ifix_free(x);
}

static const struct source_state *src_of(struct ifix *x, const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(span_make(s, strlen(s)), &a), 0);
	return engine_lookup(x->e, 0, &a);
}

static void test_group_v6(void **state)
{
	struct ifix *x = ifix_new(NULL, 64);
	const struct source_state *s;

	(void)state;
	/* two addresses of one /64 and one of another: two sources */
	feed_line(x, "2026-11-25T12:56:25+00:00 fw1 kernel: " REC6("2001:0db8:0000:0001:0000:0000:0000:0003", FW6, "22"));
	feed_line(x, "2026-11-25T12:56:25+00:00 fw1 kernel: " REC6("2001:0db8:0000:0001:0000:0000:00ab:0004", FW6, "23"));
	feed_line(x, "2026-11-25T12:56:25+00:00 fw1 kernel: " REC6("2001:0db8:0000:0002:0000:0000:0000:0004", FW6, "23"));
	/* IPv4 untouched */
	feed_line(x, "2026-11-25T12:56:25+00:00 fw1 kernel: " REC4("198.18.0.7", TCP("22")));
	s = src_of(x, "2001:db8:0:1::");
	assert_non_null(s);
	assert_int_equal(s->packets, 2);
	assert_int_equal(s->spoofed, SPOOF_NONE);
	assert_null(src_of(x, "2001:db8:0:1::3"));
	assert_non_null(src_of(x, "2001:db8:0:2::"));
	assert_non_null(src_of(x, "198.18.0.7"));

	/* impossible sources stay themselves, with their own reason */
	feed_line(x, "2026-11-25T12:56:26+00:00 fw1 kernel: " REC6("0000:0000:0000:0000:0000:0000:0000:0001", FW6, "22"));
	feed_line(x, "2026-11-25T12:56:26+00:00 fw1 kernel: " REC6("ff02:0000:0000:0000:0000:0000:0000:0001", FW6, "22"));
	feed_line(x, "2026-11-25T12:56:26+00:00 fw1 kernel: " REC6("0000:0000:0000:0000:0000:0000:0000:0000", FW6, "22"));
	assert_non_null(s = src_of(x, "::1"));
	assert_int_equal(s->spoofed, SPOOF_LOOPBACK);
	assert_non_null(s = src_of(x, "ff02::1"));
	assert_int_equal(s->spoofed, SPOOF_MULTICAST);
	assert_non_null(s = src_of(x, "::"));
	assert_int_equal(s->spoofed, SPOOF_UNSPECIFIED);
	/* the firewall's own address (learnt: the INPUT destination) as a source:
	 * spoofed, and the /64 it belongs to is not blamed for it */
	feed_line(x, "2026-11-25T12:56:27+00:00 fw1 kernel: " REC6(FW6, "2001:0db8:0000:0001:0000:0000:0000:0009", "22"));
	assert_non_null(s = src_of(x, "2001:db8:0:1::1"));
	assert_int_equal(s->spoofed, SPOOF_OWN);
	assert_int_equal(src_of(x, "2001:db8:0:1::")->packets, 2);
	/* LAND: source = destination */
	feed_line(x, "2026-11-25T12:56:27+00:00 fw1 kernel: " REC6("2001:0db8:0000:0003:0000:0000:0000:0001", "2001:0db8:0000:0003:0000:0000:0000:0001", "22"));
	assert_non_null(s = src_of(x, "2001:db8:0:3::1"));
	assert_int_equal(s->spoofed, SPOOF_OWN);
	assert_null(src_of(x, "2001:db8:0:3::"));
	ifix_free(x);

	/* a network that would read as "unspecified" (::/2) is not made */
	x = ifix_new(NULL, 2);
	feed_line(x, "2026-11-25T12:56:25+00:00 fw1 kernel: " REC6("2001:0db8:0000:0001:0000:0000:0000:0003", FW6, "22"));
	assert_null(src_of(x, "::"));
	assert_non_null(s = src_of(x, "2001:db8:0:1::3"));
	assert_int_equal(s->spoofed, SPOOF_NONE);
	ifix_free(x);
	/* a /16: 2001:: is no special address */
	x = ifix_new(NULL, 16);
	feed_line(x, "2026-11-25T12:56:25+00:00 fw1 kernel: " REC6("2001:0db8:0000:0001:0000:0000:0000:0003", FW6, "22"));
	assert_non_null(s = src_of(x, "2001::"));
	assert_int_equal(s->spoofed, SPOOF_NONE);
	ifix_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_life),          cmocka_unit_test(test_iso_syntaxes),
		cmocka_unit_test(test_offsets),       cmocka_unit_test(test_since_until_window),
		cmocka_unit_test(test_dst),           cmocka_unit_test(test_relative),
		cmocka_unit_test(test_untimed),       cmocka_unit_test(test_ports),
		cmocka_unit_test(test_protos),        cmocka_unit_test(test_prefix_chain),
		cmocka_unit_test(test_all_of),        cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_ingest_counts), cmocka_unit_test(test_ingest_untimed),
		cmocka_unit_test(test_group_v6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
