/* SPDX-License-Identifier: GPL-2.0-or-later */
/* select-test.c - cmocka tests for select.c: --min-dl and repeated --ip
 * (any of them, source or destination), and --group-v6 (a grouped source
 * is named ADDR/LEN and meets --ip networks; a source ingest left single,
 * a spoofed one, keeps its address). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report/report-internal.h"

static struct addr A(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(span_make(s, strlen(s)), &a), 0);
	return a;
}

static struct net N(const char *s)
{
	struct net n;

	assert_int_equal(net_parse(span_make(s, strlen(s)), &n), 0);
	return n;
}

static const char *name(const struct source_state *s, const struct report_opts *o)
{
	static char buf[NET_STR_MAX];

	assert_true(report_source_name(s, o, buf) > 0);
	return buf;
}

static void test_ips(void **state)
{
	struct net ips[3] = { N("198.18.0.0/30"), N("2001:db8::7"), N("203.0.113.9") };
	struct report_opts o = { .ips = ips, .n_ips = 3 };
	struct source_state s = { .src = A("198.18.0.2"), .dl = 2 };
	struct pair_state p = { .dst = A("203.0.113.9") };
	struct pair_state *pairs[1] = { &p };

	(void)state;
	assert_true(report_source_listed(&s, &o));  /* in the first */
	s.src = A("2001:db8::7");
	assert_true(report_source_listed(&s, &o));  /* the second */
	s.src = A("198.18.0.4");
	assert_false(report_source_listed(&s, &o)); /* none */
	s.pairs = pairs;
	s.n_pairs = 1;
	assert_true(report_source_listed(&s, &o));  /* a destination in the third */
	o.n_ips = 2;
	assert_false(report_source_listed(&s, &o));
	o.min_dl = 3;
	s.src = A("198.18.0.2");
	assert_false(report_source_listed(&s, &o)); /* --min-dl first */
	o.n_ips = 0;
	s.dl = 3;
	assert_true(report_source_listed(&s, &o));
	assert_string_equal(name(&s, &o), "198.18.0.2");
}

static void test_group_v6(void **state)
{
	struct net ips[1];
	struct report_opts o = { .group_v6 = 64 };
	struct source_state s = { .src = A("2001:db8:0:1::"), .dl = 2 };

	(void)state;
	assert_string_equal(name(&s, &o), "2001:db8:0:1::/64");
	/* left single by ingest: host bits, or spoofed */
	s.src = A("2001:db8:0:1::1");
	assert_string_equal(name(&s, &o), "2001:db8:0:1::1");
	s.src = A("::");
	s.spoofed = SPOOF_UNSPECIFIED;
	assert_string_equal(name(&s, &o), "::");
	s.spoofed = SPOOF_NONE;
	/* IPv4 untouched; no grouping, no suffix */
	s.src = A("198.18.0.0");
	assert_string_equal(name(&s, &o), "198.18.0.0");
	o.group_v6 = 0;
	s.src = A("2001:db8:0:1::");
	assert_string_equal(name(&s, &o), "2001:db8:0:1::");
	o.group_v6 = 48;
	s.src = A("2001:db8:1::");
	assert_string_equal(name(&s, &o), "2001:db8:1::/48");

	/* --ip: an address inside the group, a network around it, one inside it */
	o.group_v6 = 64;
	o.ips = ips;
	o.n_ips = 1;
	s.src = A("2001:db8:0:1::");
	static const char *const meet[] = { "2001:db8:0:1::3", "2001:db8::/32", "2001:db8:0:1::/64",
					    "2001:db8:0:1:8000::/65", "2001:db8:0:1::" };
	static const char *const miss[] = { "2001:db8:0:2::3", "2001:db8:0:2::/64", "198.18.0.0/16",
					    "2001:db9::/32" };
	for (size_t i = 0; i < sizeof(meet) / sizeof(meet[0]); i++) {
		ips[0] = N(meet[i]);
		if (!report_source_listed(&s, &o))
			fail_msg("--ip %s should list %s/64", meet[i], "2001:db8:0:1::");
	}
	for (size_t i = 0; i < sizeof(miss) / sizeof(miss[0]); i++) {
		ips[0] = N(miss[i]);
		if (report_source_listed(&s, &o))
			fail_msg("--ip %s should not list %s/64", miss[i], "2001:db8:0:1::");
	}
	/* a single (ungrouped) source: its address only */
	s.src = A("2001:db8:0:1::1");
	ips[0] = N("2001:db8:0:1::3");
	assert_false(report_source_listed(&s, &o));
	ips[0] = N("2001:db8:0:1::1");
	assert_true(report_source_listed(&s, &o));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ips),
		cmocka_unit_test(test_group_v6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
