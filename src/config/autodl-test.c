/* SPDX-License-Identifier: GPL-2.0-or-later */
/* autodl-test.c - cmocka tests for autodl.c: every address and criteria
 * form, most-specific-wins, the fixed psad quirks, errors with their exact
 * text, and 100,000 entries. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/autodl.h"
#include "event/event.h"

#define TCP IPPROTO_NUM_TCP
#define UDP IPPROTO_NUM_UDP
#define ICMP IPPROTO_NUM_ICMP
#define UDPLITE IPPROTO_NUM_UDPLITE

struct diags {
	size_t n;
	struct {
		enum config_severity sev;
		unsigned line;
		char msg[256];
	} d[32];
};

static struct diags dg;

static void collect(const struct config_diag *d, void *data)
{
	struct diags *g = data;

	if (g->n == 32)
		return;
	g->d[g->n].sev = d->severity;
	g->d[g->n].line = d->line;
	memcpy(g->d[g->n].msg, d->msg, sizeof(d->msg));
	g->n++;
}

static struct autodl *load_ok(const char *text)
{
	struct autodl *a = NULL;

	memset(&dg, 0, sizeof(dg));
	assert_int_equal(autodl_load_buf("auto_dl", text, strlen(text), collect, &dg, &a), 0);
	if (dg.n)
		fail_msg("line %u: %s", dg.d[0].line, dg.d[0].msg);
	assert_non_null(a);
	return a;
}

/* A file that must be rejected with exactly this one error. */
static void load_bad(const char *text, unsigned line, const char *msg)
{
	struct autodl *a = NULL;

	memset(&dg, 0, sizeof(dg));
	assert_int_equal(autodl_load_buf("auto_dl", text, strlen(text), collect, &dg, &a), -EINVAL);
	assert_null(a);
	if (dg.n != 1)
		fail_msg("%zu diagnostics for '%s'", dg.n, text);
	assert_string_equal(dg.d[0].msg, msg);
	assert_int_equal(dg.d[0].sev, CONFIG_ERROR);
	assert_int_equal(dg.d[0].line, line);
}

static struct addr A(const char *s)
{
	struct addr a;
	assert_int_equal(addr_parse(span_make(s, strlen(s)), &a), 0);
	return a;
}

/* The level of the entry matching, or -1. */
static int dl_of(const struct autodl *a, const char *src, uint8_t proto, int dport)
{
	struct addr s = A(src);
	const struct autodl_entry *e = autodl_match(a, &s, proto, dport >= 0, (uint16_t)dport);
	return e ? e->dl : -1;
}

static void repo_path(const char *rel, char *buf, size_t size)
{
	const char *me = __FILE__, *s = strstr(me, "src/config/");
	assert_non_null(s);
	snprintf(buf, size, "%.*s%s", (int)(s - me), me, rel);
}

static void test_address_forms(void **state)
{
	struct autodl *a;
	(void)state;

	a = load_ok("# comment\n"
		    "\n"
		    "10.111.21.23     5;                # Very bad IP.\n"
		    "  192.168.10.0/24  4;\n"
		    "172.16.0.0/255.240.0.0\t3;\n"
		    "2001:DB8:0:F101::2  2;\n"
		    "2001:0db8:0000:f102:0000:0000:0000:0002/64 1;\n"
		    "0.0.0.0/0 0 icmp;\n");
	assert_int_equal(autodl_count(a), 6);
	assert_int_equal(dl_of(a, "10.111.21.23", TCP, 80), 5);
	assert_int_equal(dl_of(a, "10.111.21.24", TCP, 80), -1);
	assert_int_equal(dl_of(a, "192.168.10.200", UDP, 53), 4);
	assert_int_equal(dl_of(a, "192.168.11.1", UDP, 53), -1);
	assert_int_equal(dl_of(a, "172.31.255.255", ICMP, -1), 3);
	assert_int_equal(dl_of(a, "172.32.0.0", TCP, 1), -1);
	/* abbreviated entry, full (kernel) form source and vice versa */
	assert_int_equal(dl_of(a, "2001:0db8:0000:f101:0000:0000:0000:0002", TCP, 1), 2);
	assert_int_equal(dl_of(a, "2001:db8:0:f101::3", TCP, 1), -1);
	assert_int_equal(dl_of(a, "2001:db8:0:f102:ffff::1", TCP, 1), 1);
	/* 0.0.0.0/0 icmp matches any IPv4 ICMP, never IPv6 */
	assert_int_equal(dl_of(a, "198.51.100.1", ICMP, -1), 0);
	assert_int_equal(dl_of(a, "198.51.100.1", TCP, 22), -1);
	assert_int_equal(dl_of(a, "2001:db8::1", ICMP, -1), -1);
	assert_int_equal(dl_of(a, "::ffff:10.111.21.23", TCP, 1), -1);
	assert_null(autodl_match(a, NULL, TCP, true, 1));
	autodl_free(a);
}

static void test_criteria_forms(void **state)
{
	struct autodl *a;
	(void)state;

	a = load_ok("10.0.0.1 1 tcp;\n"
		    "10.0.0.2 2 udp;\n"
		    "10.0.0.3 3 icmp;\n"
		    "10.0.0.4 4 tcp/1-1024;\n"
		    "10.0.0.5 5 tcp/22,udp/53;\n"
		    "10.0.0.6 1 tcp/22, udp/53 icmp;\n"
		    "10.0.0.7 2 47;\n"
		    "10.0.0.8 3 UDPLITE/7-7 ipv6-icmp;\n"
		    "10.0.0.9 4 TCP;\n");
	assert_int_equal(dl_of(a, "10.0.0.1", TCP, 9), 1);
	assert_int_equal(dl_of(a, "10.0.0.1", UDP, 9), -1);
	assert_int_equal(dl_of(a, "10.0.0.2", UDP, 9), 2);
	assert_int_equal(dl_of(a, "10.0.0.2", UDPLITE, 9), -1);
	assert_int_equal(dl_of(a, "10.0.0.3", ICMP, -1), 3);
	assert_int_equal(dl_of(a, "10.0.0.3", TCP, 1), -1);
	assert_int_equal(dl_of(a, "10.0.0.4", TCP, 1), 4);
	assert_int_equal(dl_of(a, "10.0.0.4", TCP, 1024), 4);
	assert_int_equal(dl_of(a, "10.0.0.4", TCP, 1025), -1);
	assert_int_equal(dl_of(a, "10.0.0.4", UDP, 80), -1);
	assert_int_equal(dl_of(a, "10.0.0.4", TCP, -1), -1); /* no port known */
	assert_int_equal(dl_of(a, "10.0.0.5", TCP, 22), 5);
	assert_int_equal(dl_of(a, "10.0.0.5", UDP, 53), 5);
	assert_int_equal(dl_of(a, "10.0.0.5", UDP, 22), -1);
	assert_int_equal(dl_of(a, "10.0.0.6", ICMP, -1), 1);
	assert_int_equal(dl_of(a, "10.0.0.6", UDP, 53), 1);
	assert_int_equal(dl_of(a, "10.0.0.6", TCP, 23), -1);
	assert_int_equal(dl_of(a, "10.0.0.7", 47, -1), 2);
	assert_int_equal(dl_of(a, "10.0.0.8", UDPLITE, 7), 3);
	assert_int_equal(dl_of(a, "10.0.0.8", IPPROTO_NUM_ICMPV6, -1), 3);
	assert_int_equal(dl_of(a, "10.0.0.9", TCP, 1), 4);
	autodl_free(a);
}

static void test_most_specific_wins(void **state)
{
	static const char *const fwd = "10.0.0.0/8 1;\n10.1.0.0/16 2;\n10.1.2.0/24 3;\n10.1.2.3 4;\n";
	static const char *const rev = "10.1.2.3 4;\n10.1.2.0/24 3;\n10.1.0.0/16 2;\n10.0.0.0/8 1;\n";
	const char *files[] = { fwd, rev };
	(void)state;

	for (size_t i = 0; i < 2; i++) {
		struct autodl *a = load_ok(files[i]);
		assert_int_equal(dl_of(a, "10.1.2.3", TCP, 1), 4);
		assert_int_equal(dl_of(a, "10.1.2.4", TCP, 1), 3);
		assert_int_equal(dl_of(a, "10.1.3.4", TCP, 1), 2);
		assert_int_equal(dl_of(a, "10.2.3.4", TCP, 1), 1);
		assert_int_equal(dl_of(a, "11.2.3.4", TCP, 1), -1);
		autodl_free(a);
	}
}

static void test_criteria_fall_through(void **state)
{
	struct autodl *a;
	(void)state;

	/* a more specific entry whose criteria do not match gives way */
	a = load_ok("10.0.0.0/8 4;\n10.1.0.0/16 5 tcp/22;\n10.1.2.3 0 icmp;\n");
	assert_int_equal(dl_of(a, "10.1.2.3", TCP, 22), 5);
	assert_int_equal(dl_of(a, "10.1.2.3", UDP, 22), 4);
	assert_int_equal(dl_of(a, "10.1.2.3", ICMP, -1), 0);
	autodl_free(a);

	/* equal networks: the first in the file whose criteria match */
	a = load_ok("10.0.0.1 5 tcp;\n10.0.0.1 3;\n10.0.0.1 1;\n10.0.0.2 2;\n10.0.0.2 4;\n");
	assert_int_equal(dl_of(a, "10.0.0.1", TCP, 80), 5);
	assert_int_equal(dl_of(a, "10.0.0.1", UDP, 80), 3);
	assert_int_equal(dl_of(a, "10.0.0.2", UDP, 80), 2);
	autodl_free(a);
}

static void test_dl0_with_criteria(void **state)
{
	struct autodl *a;
	(void)state;

	/* psad ignored every protocol for a level-0 entry; vigil only what it names */
	a = load_ok("192.168.10.55 0 tcp;\n192.168.10.0/24 0 udp/53;\n");
	assert_int_equal(dl_of(a, "192.168.10.55", TCP, 80), 0);
	assert_int_equal(dl_of(a, "192.168.10.55", UDP, 80), -1);
	assert_int_equal(dl_of(a, "192.168.10.55", UDP, 53), 0);
	assert_int_equal(dl_of(a, "192.168.10.55", ICMP, -1), -1);
	autodl_free(a);
}

static void test_only_text_before_semicolon(void **state)
{
	struct autodl *a;
	const struct autodl_entry *e;
	struct addr s = A("10.0.0.1");
	(void)state;

	/* psad grepped the comment for protocol words */
	a = load_ok("10.0.0.1 5; # tcp only, not udp\n");
	e = autodl_match(a, &s, UDP, true, 1);
	assert_non_null(e);
	assert_true(e->any_proto);
	assert_int_equal(e->n_ports, 0);
	assert_false(e->proto[TCP]);
	autodl_free(a);
}

static void test_errors(void **state)
{
	char long_crit[400];
	size_t o;
	(void)state;

	load_bad("10.0.0.1 5\n", 1, "expected ';' after value");
	load_bad("# c\n10.0.0.1 5;\n10.0.0.2 5 tcp\n", 3, "expected ';' after value");
	load_bad("localhost 5;\n", 1, "hostnames are not supported, use an address: 'localhost'");
	load_bad("www.example.com 0;\n", 1,
		 "hostnames are not supported, use an address: 'www.example.com'");
	load_bad("10.0.0.300 5;\n", 1,
		 "invalid address '10.0.0.300': expected ADDR, ADDR/LEN or ADDR/MASK");
	load_bad("10.0.0.0/33 5;\n", 1,
		 "invalid address '10.0.0.0/33': expected ADDR, ADDR/LEN or ADDR/MASK");
	load_bad("10.0.0.0/255.0.255.0 5;\n", 1,
		 "invalid address '10.0.0.0/255.0.255.0': expected ADDR, ADDR/LEN or ADDR/MASK");
	load_bad("fe80::1%eth0 5;\n", 1,
		 "invalid address 'fe80::1%eth0': expected ADDR, ADDR/LEN or ADDR/MASK");
	load_bad("10.0.0.1;\n", 1, "missing danger level after '10.0.0.1'");
	load_bad("10.0.0.1 6;\n", 1, "invalid danger level '6': expected 0-5");
	load_bad("10.0.0.1 05;\n", 1, "invalid danger level '05': expected 0-5");
	load_bad("10.0.0.1 tcp;\n", 1, "invalid danger level 'tcp': expected 0-5");
	load_bad("10.0.0.1 5 foo;\n", 1, "invalid criterion 'foo': expected a protocol or PROTO/PORTS");
	load_bad("10.0.0.1 5 tcp/9-1;\n", 1,
		 "invalid criterion 'tcp/9-1': low port of a range is greater than its high port");
	load_bad("10.0.0.1 5 icmp/8;\n", 1,
		 "invalid criterion 'icmp/8': expected tcp, udp or udplite before '/'");
	load_bad("10.0.0.1 5 tcp/;\n", 1, "invalid criterion 'tcp/': ports must be numbers 0-65535");
	load_bad("10.0.0.1 5\x01;\n", 1, "invalid byte 0x01 at column 11");
	load_bad("10.0.0.1 \xff;\n", 1, "invalid byte 0xff at column 10");

	o = (size_t)snprintf(long_crit, sizeof(long_crit), "10.0.0.1 5 ");
	for (int i = 0; i < 17; i++)
		o += (size_t)snprintf(long_crit + o, sizeof(long_crit) - o, "tcp/%d,", i + 1);
	snprintf(long_crit + o, sizeof(long_crit) - o, ";\n");
	load_bad(long_crit, 1, "too many port criteria (max 16)");

	/* every error of a file is listed, and the file is rejected */
	struct autodl *a = NULL;
	memset(&dg, 0, sizeof(dg));
	assert_int_equal(autodl_load_buf("auto_dl", "a.example 1;\n10.0.0.1 5;\n10.0.0.2 9;\n", 37,
					 collect, &dg, &a),
			 -EINVAL);
	assert_null(a);
	assert_int_equal(dg.n, 2);
	assert_int_equal(dg.d[0].line, 1);
	assert_int_equal(dg.d[1].line, 3);
}

static void test_nul_byte(void **state)
{
	static const char text[] = "10.0.0.1 5;\n10.0.0.2\0 5;\n";
	struct autodl *a = NULL;
	(void)state;

	memset(&dg, 0, sizeof(dg));
	assert_int_equal(autodl_load_buf("auto_dl", text, sizeof(text) - 1, collect, &dg, &a),
			 -EINVAL);
	assert_int_equal(dg.n, 1);
	assert_string_equal(dg.d[0].msg, "NUL byte at column 9");
}

static void test_empty_and_files(void **state)
{
	struct autodl *a = NULL;
	char path[512];
	(void)state;

	a = load_ok("");
	assert_int_equal(autodl_count(a), 0);
	assert_int_equal(dl_of(a, "10.0.0.1", TCP, 1), -1);
	autodl_free(a);
	assert_null(autodl_free(NULL));
	assert_int_equal(autodl_count(NULL), 0);
	{
		struct addr s = A("10.0.0.1");
		assert_null(autodl_match(NULL, &s, TCP, true, 1));
	}

	assert_int_equal(autodl_load("/nonexistent/auto_dl", collect, &dg, &a), -ENOENT);

	/* the shipped example: every entry is commented out */
	repo_path("etc/auto_dl", path, sizeof(path));
	memset(&dg, 0, sizeof(dg));
	a = NULL;
	assert_int_equal(autodl_load(path, collect, &dg, &a), 0);
	assert_int_equal(dg.n, 0);
	assert_int_equal(autodl_count(a), 0);
	autodl_free(a);

	/* its examples, uncommented, load */
	{
		FILE *f = fopen(path, "r");
		char line[256], *text = calloc(1, 8192);
		size_t o = 0;
		assert_non_null(f);
		assert_non_null(text);
		while (fgets(line, sizeof(line), f))
			if (line[0] == '#' && line[1] >= '0' && line[1] <= '9')
				o += (size_t)snprintf(text + o, 8192 - o, "%s", line + 1);
		fclose(f);
		a = load_ok(text);
		assert_int_equal(autodl_count(a), 10);
		assert_int_equal(dl_of(a, "203.0.113.4", TCP, 8080), 3);
		assert_int_equal(dl_of(a, "203.0.113.9", UDP, 53), 4);
		assert_int_equal(dl_of(a, "192.0.2.200", TCP, 1), 2);
		assert_int_equal(dl_of(a, "192.0.2.100", TCP, 1), 0);
		autodl_free(a);
		free(text);
	}

	/* Debian psad's auto_dl, when installed */
	if (access("/etc/psad/auto_dl", R_OK) == 0) {
		memset(&dg, 0, sizeof(dg));
		a = NULL;
		assert_int_equal(autodl_load("/etc/psad/auto_dl", collect, &dg, &a), 0);
		assert_int_equal(dg.n, 0);
		autodl_free(a);
	}
}

/* 100,000 entries: hosts, networks of every IPv4 length and IPv6. */
static void test_100k(void **state)
{
	const size_t n = AUTODL_MAX_ENTRIES;
	char *text = malloc(n * 48);
	struct autodl *a = NULL;
	size_t o = 0, i = 0;
	clock_t t0;
	double load_s, match_s;
	(void)state;

	assert_non_null(text);
	/* 32 networks 11.0.0.0/1..32 nest: the most specific of them wins */
	for (unsigned len = 1; len <= 32; len++, i++)
		o += (size_t)snprintf(text + o, n * 48 - o, "11.0.0.0/%u %u;\n", len, len % 6);
	for (; i < 60000; i++)
		o += (size_t)snprintf(text + o, n * 48 - o, "10.%zu.%zu.%zu %zu;\n", (i >> 16) & 255, (i >> 8) & 255,
				     i & 255, i % 6);
	for (; i < 90000; i++)
		o += (size_t)snprintf(text + o, n * 48 - o, "2001:%zx:%zx::/48 %zu tcp/1-1024;\n", i >> 16,
				     i & 0xffff, i % 6);
	for (; i < n; i++)
		o += (size_t)snprintf(text + o, n * 48 - o, "172.%zu.%zu.0/24 %zu udp;\n", 16 + ((i >> 8) & 15),
				     i & 255, i % 6);

	t0 = clock();
	memset(&dg, 0, sizeof(dg));
	assert_int_equal(autodl_load_buf("big", text, o, collect, &dg, &a), 0);
	load_s = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(dg.n, 0);
	assert_int_equal(autodl_count(a), n);

	t0 = clock();
	for (size_t k = 0; k < 200000; k++) {
		size_t j = 32 + (k * 7919) % (60000 - 32);
		char buf[32];
		snprintf(buf, sizeof(buf), "10.%zu.%zu.%zu", (j >> 16) & 255, (j >> 8) & 255, j & 255);
		if (dl_of(a, buf, TCP, 80) != (int)(j % 6))
			fail_msg("%s", buf);
	}
	assert_int_equal(dl_of(a, "11.0.0.0", TCP, 1), 32 % 6);
	assert_int_equal(dl_of(a, "11.0.0.1", TCP, 1), 31 % 6);
	assert_int_equal(dl_of(a, "11.128.0.0", TCP, 1), 8 % 6); /* 11.0.0.0/8 */
	assert_int_equal(dl_of(a, "64.0.0.0", TCP, 1), 1);       /* only 0.0.0.0/1 */
	assert_int_equal(dl_of(a, "139.0.0.0", TCP, 1), -1);     /* outside */
	assert_int_equal(dl_of(a, "2001:0:ea60:1::1", TCP, 80), 60000 % 6); /* 60000 = 0xea60 */
	assert_int_equal(dl_of(a, "2001:1:5f8f:ffff::1", TCP, 1024), 89999 % 6);
	assert_int_equal(dl_of(a, "2001:0:ea60:1::1", UDP, 80), -1);
	assert_int_equal(dl_of(a, "2001:0:ea60:1::1", TCP, 8080), -1);
	/* i = 90016: 172.(16 + 15).160.0/24, the first entry for that network */
	assert_int_equal(dl_of(a, "172.31.160.9", UDP, 1), 90016 % 6);
	assert_int_equal(dl_of(a, "172.31.160.9", TCP, 1), -1);
	match_s = (double)(clock() - t0) / CLOCKS_PER_SEC;
	/* generous bounds: this runs under ASan/UBSan */
	if (load_s > 5.0 || match_s > 5.0)
		fail_msg("load %.2f s, 200k lookups %.2f s", load_s, match_s);
	print_message("100k entries: load %.3f s, 200k lookups %.3f s\n", load_s, match_s);
	autodl_free(a);

	/* one more is an error */
	o += (size_t)snprintf(text + o, n * 48 - o, "192.0.2.1 5;\n");
	memset(&dg, 0, sizeof(dg));
	a = NULL;
	assert_int_equal(autodl_load_buf("big", text, o, collect, &dg, &a), -EINVAL);
	assert_null(a);
	assert_int_equal(dg.n, 1);
	assert_string_equal(dg.d[0].msg, "too many entries (max 100000), ignoring the rest");
	assert_int_equal(dg.d[0].line, n + 1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address_forms),
		cmocka_unit_test(test_criteria_forms),
		cmocka_unit_test(test_most_specific_wins),
		cmocka_unit_test(test_criteria_fall_through),
		cmocka_unit_test(test_dl0_with_criteria),
		cmocka_unit_test(test_only_text_before_semicolon),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_empty_and_files),
		cmocka_unit_test(test_100k),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
