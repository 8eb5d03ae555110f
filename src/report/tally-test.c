/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tally-test.c - per-event counts: names by kind and their bounds, the
 * escaping of log-derived names, timelines (adaptive widths, times that
 * step back), the per-source bound and re-binning onto a chart's axis. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/tally.h"

#define S INT64_C(1000000)
#define T0 (INT64_C(1773261311) * S)

static struct event ev_make(const char *prefix, const char *in, enum chain c, uint32_t src)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.prefix = span_make(prefix, strlen(prefix));
	ev.in = span_make(in, strlen(in));
	ev.chain = c;
	ev.src.family = ADDR_V4;
	ev.src.b[0] = 198;
	ev.src.b[1] = 18;
	ev.src.b[2] = (uint8_t)(src >> 8);
	ev.src.b[3] = (uint8_t)src;
	return ev;
}

static uint64_t sum(const struct tally_series *s)
{
	uint64_t n = 0;

	for (int i = 0; i < TALLY_BUCKETS; i++)
		n += s->count[i];
	return n;
}

static void test_names(void **state)
{
	struct tally *t = tally_new(false);
	const struct tally_name *v;
	uint64_t other;
	size_t n;

	(void)state;
	assert_non_null(t);
	for (int i = 0; i < 5; i++) {
		struct event ev = ev_make("[UFW BLOCK]", "eth0", CHAIN_INPUT, 1);
		tally_event(&ev, T0 + i * S, t);
	}
	for (int i = 0; i < 3; i++) {
		struct event ev = ev_make("DROP", "", CHAIN_FORWARD, 2);
		tally_event(&ev, T0 + i * S, t);
	}
	struct event bad = ev_make("x\x1b[2J\\", "e\nth", CHAIN_OUTPUT, 3);
	tally_event(&bad, T0, t);

	v = tally_names(t, TALLY_PREFIX, &n, &other);
	assert_int_equal(n, 3);
	assert_int_equal(other, 0);
	assert_string_equal(v[0].name, "[UFW BLOCK]");
	assert_int_equal(v[0].events, 5);
	assert_string_equal(v[1].name, "DROP");
	assert_int_equal(v[1].events, 3);
	/* escaped as the engine escapes interface names */
	assert_string_equal(v[2].name, "x\\x1b[2J\\x5c");

	v = tally_names(t, TALLY_IN, &n, &other);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].name, "eth0");
	assert_string_equal(v[1].name, ""); /* none */
	assert_string_equal(v[2].name, "e\\x0ath");

	v = tally_names(t, TALLY_CHAIN, &n, &other);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].name, "INPUT");
	assert_int_equal(v[0].events, 5);
	assert_string_equal(v[1].name, "FORWARD");
	assert_string_equal(v[2].name, "OUTPUT");
	assert_int_equal(v[2].events, 1);
	assert_null(tally_source(t, &bad.src)); /* no timelines asked for */
	assert_int_equal(sum(tally_overall(t)), 9);
	t = tally_free(t);
	assert_null(tally_free(NULL));
}

/* More than TALLY_NAMES_MAX names: the rest are counted in other. */
static void test_names_bound(void **state)
{
	struct tally *t = tally_new(false);
	const struct tally_name *v;
	char name[32];
	uint64_t other, total = 0;
	size_t n;

	(void)state;
	for (int i = 0; i < TALLY_NAMES_MAX + 10; i++) {
		snprintf(name, sizeof(name), "P%03d", i);
		for (int k = 0; k <= i % 3; k++) {
			struct event ev = ev_make(name, "eth0", CHAIN_INPUT, 1);
			tally_event(&ev, T0, t);
		}
	}
	v = tally_names(t, TALLY_PREFIX, &n, &other);
	assert_int_equal(n, TALLY_NAMES_MAX);
	for (size_t i = 0; i < n; i++) {
		total += v[i].events;
		if (i)
			assert_true(v[i - 1].events >= v[i].events);
	}
	assert_true(other > 0);
	assert_int_equal(total + other, sum(tally_overall(t)));
	/* a long name is cut with "..." inside TALLY_NAME_MAX */
	memset(name, 'A', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	struct tally *u = tally_new(false);
	char longname[200];
	memset(longname, '\x01', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	struct event ev = ev_make(longname, "eth0", CHAIN_INPUT, 1);
	tally_event(&ev, T0, u);
	v = tally_names(u, TALLY_PREFIX, &n, &other);
	assert_int_equal(n, 1);
	assert_true(strlen(v[0].name) < TALLY_NAME_MAX);
	assert_non_null(strstr(v[0].name, "..."));
	tally_free(u);
	tally_free(t);
}

/* The width doubles as the span grows; an earlier time widens it too. */
static void test_timeline_widths(void **state)
{
	struct tally *t = tally_new(true);
	const struct tally_series *s;
	struct event ev = ev_make("DROP", "eth0", CHAIN_INPUT, 7);
	uint64_t axis[10];

	(void)state;
	tally_event(&ev, T0, t);
	s = tally_overall(t);
	assert_int_equal(s->width_us, S);
	assert_int_equal(s->start_us, T0);
	tally_event(&ev, T0 + 63 * S, t);
	assert_int_equal(s->width_us, S);
	assert_int_equal(s->count[63], 1);
	tally_event(&ev, T0 + 64 * S, t); /* one past: 2 s buckets */
	assert_int_equal(s->width_us, 2 * S);
	assert_int_equal(sum(s), 3);
	tally_event(&ev, T0 + 3600 * S, t); /* an hour: 64 s */
	assert_int_equal(s->width_us, 64 * S);
	assert_true(s->start_us <= T0);
	assert_true(s->start_us + TALLY_BUCKETS * s->width_us > T0 + 3600 * S);
	tally_event(&ev, T0 - 3600 * S, t); /* a log time that steps back */
	assert_int_equal(s->width_us, 128 * S);
	assert_true(s->start_us <= T0 - 3600 * S);
	assert_int_equal(sum(s), 5);
	/* the per-source series is the same here: one source */
	const struct tally_series *x = tally_source(t, &ev.src);
	assert_non_null(x);
	assert_int_equal(sum(x), 5);
	assert_int_equal(x->width_us, s->width_us);
	assert_memory_equal(x->count, s->count, sizeof(x->count));
	struct event other = ev_make("DROP", "eth0", CHAIN_INPUT, 8);
	assert_null(tally_source(t, &other.src));
	assert_int_equal(tally_series_dropped(t), 0);

	/* re-binned onto 10 buckets of 1000 s from T0 - 4000 s: the event
	 * at T0 - 3600 s lands in bucket 0, three near T0 in 4 (or 3: a
	 * 128 s bucket may straddle T0), the one at T0 + 3600 s in 7 */
	tally_series_rebin(s, T0 - 4000 * S, 1000 * S, 10, axis);
	uint64_t n = 0;
	for (int i = 0; i < 10; i++)
		n += axis[i];
	assert_int_equal(n, 5);
	assert_int_equal(axis[0], 1);
	assert_int_equal(axis[3] + axis[4], 3);
	assert_int_equal(axis[7], 1);
	/* an axis that covers only part: the rest is dropped */
	tally_series_rebin(s, T0, 1000 * S, 1, axis);
	assert_true(axis[0] >= 2 && axis[0] <= 3);
	tally_series_rebin(NULL, T0, S, 1, axis);
	assert_int_equal(axis[0], 0);
	tally_free(t);
}

/* A finer axis than the series: a bucket is spread in proportion. */
static void test_rebin_split(void **state)
{
	struct tally_series s = { .start_us = 0, .width_us = 4 * S };
	uint64_t axis[8];

	(void)state;
	s.count[0] = 8;
	s.count[1] = 3;
	tally_series_rebin(&s, 0, S, 8, axis);
	assert_int_equal(axis[0] + axis[1] + axis[2] + axis[3], 8);
	assert_int_equal(axis[0], 2);
	assert_int_equal(axis[4] + axis[5] + axis[6] + axis[7], 3);
	/* half outside on the left */
	tally_series_rebin(&s, 2 * S, S, 8, axis);
	assert_int_equal(axis[0] + axis[1], 4);
}

/* Per-source series are bounded: the rest are dropped and counted. */
static void test_series_bound(void **state)
{
	struct tally *t = tally_new(true);
	struct event ev;
	uint32_t n = TALLY_SERIES_MAX + 5;

	(void)state;
	for (uint32_t i = 0; i < n; i++) {
		ev = ev_make("", "", CHAIN_INPUT, 0);
		ev.src.b[1] = (uint8_t)(i >> 16);
		ev.src.b[2] = (uint8_t)(i >> 8);
		ev.src.b[3] = (uint8_t)i;
		tally_event(&ev, T0 + (int64_t)i, t);
		tally_event(&ev, T0 + (int64_t)i, t); /* twice: counted once */
	}
	assert_int_equal(tally_series_dropped(t), 5);
	ev.src.b[1] = 0;
	ev.src.b[2] = 0;
	ev.src.b[3] = 3;
	assert_non_null(tally_source(t, &ev.src));
	assert_int_equal(sum(tally_source(t, &ev.src)), 2);
	ev.src.b[1] = (uint8_t)((n - 1) >> 16);
	ev.src.b[2] = (uint8_t)((n - 1) >> 8);
	ev.src.b[3] = (uint8_t)(n - 1);
	assert_null(tally_source(t, &ev.src));
	assert_int_equal(sum(tally_overall(t)), 2 * (uint64_t)n);
	tally_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_names_bound),
		cmocka_unit_test(test_timeline_widths),
		cmocka_unit_test(test_rebin_split),
		cmocka_unit_test(test_series_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
