/* SPDX-License-Identifier: GPL-2.0-or-later */
/* summary-test.c - the summary model on the real captures: what a person
 * reads for a source (label, why, destinations) and the top lists. Each
 * capture is fed through the parser and the engine as analyze feeds it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "engine/engine.h"
#include "match/matchers.h"
#include "parse/parse.h"
#include "report/report-internal.h"
#include "report/report.h"
#include "report/summary.h"

#define CAPTURE_DIR "tests/data/capture"

struct fx {
	struct config cfg;
	struct matchers m;
	struct engine *e;
	const struct source_state **v;
	size_t n;
};

static struct fx *fx_new(const char *capture)
{
	struct matchers_opts mo = { 0 };
	struct fx *f = calloc(1, sizeof(*f));
	char path[512], *line = NULL;
	struct parse_input pi;
	int64_t clock_sec = 1700000000;
	size_t cap = 0;
	ssize_t len;
	FILE *in;

	assert_non_null(f);
	config_init(&f->cfg);
	assert_int_equal(matchers_load(&f->m, &f->cfg, &mo, NULL, NULL), 0);
	assert_int_equal(engine_new(&f->cfg, NULL, NULL, NULL, &f->e), 0);
	engine_set_matchers(f->e, &f->m);
	snprintf(path, sizeof(path), "%s/%s", CAPTURE_DIR, capture);
	in = fopen(path, "r");
	assert_non_null(in);
	parse_input_init(&pi, clock_sec);
	while ((len = getline(&line, &cap, in)) > 0) {
		struct event ev;
		enum parse_ignore why;
		struct parse_error err;
		if (line[len - 1] == '\n')
			len--;
		if (parse_line(&pi, span_make(line, (size_t)len), &ev, &why, &err) != PARSE_EVENT)
			continue;
		if (ev.time.kind == VTIME_WALL)
			clock_sec = ev.time.sec;
		(void)engine_feed(f->e, &ev, clock_sec * 1000000);
	}
	free(line);
	fclose(in);
	f->v = engine_sources_sorted(f->e, &f->n);
	assert_non_null(f->v);
	return f;
}

static void fx_free(struct fx *f)
{
	free(f->v);
	f->e = engine_free(f->e);
	matchers_done(&f->m);
	free(f);
}

static const struct source_state *find(const struct fx *f, const char *src)
{
	char buf[ADDR_STR_MAX];

	for (size_t i = 0; i < f->n; i++) {
		(void)addr_format(&f->v[i]->src, buf);
		if (strcmp(buf, src) == 0)
			return f->v[i];
	}
	fail_msg("source %s not in the capture", src);
	return NULL;
}

static void expect_label(const struct fx *f, const char *src, const char *want)
{
	char buf[160];
	size_t n = report_source_label(find(f, src), buf, sizeof(buf));

	assert_int_equal(n, strlen(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("%s: label '%s', expected '%s'", src, buf, want);
}

static void expect_why(const struct fx *f, const char *src, const char *want)
{
	struct report_opts o = { 0 };
	char buf[320];

	(void)report_source_why(find(f, src), &o, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("%s: why '%s', expected '%s'", src, buf, want);
}

static void expect_dsts(const struct fx *f, const char *src, const char *want)
{
	char buf[320];

	(void)report_source_dsts(find(f, src), buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("%s: dsts '%s', expected '%s'", src, buf, want);
}

/* One nmap run reads as one thing. */
static void test_labels_ipt4(void **state)
{
	struct fx *f = fx_new("ipt4-scans.rfc3164");

	(void)state;
	expect_label(f, "198.18.0.2", "connect scan (nmap -sT)");
	expect_label(f, "198.18.0.3", "SYN scan (nmap -sS)");
	expect_label(f, "198.18.0.4", "FIN scan (nmap -sF)");
	expect_label(f, "198.18.0.6", "Xmas scan (nmap -sX)");
	expect_label(f, "198.18.0.7", "UDP scan (nmap -sU)");
	expect_label(f, "198.18.0.8", "IP protocol scan (nmap -sO)");
	expect_label(f, "198.18.0.9", "ping sweep (nmap -sn)");
	expect_why(f, "198.18.0.3", "SYN scan (nmap -sS), 201 tcp ports on 1 host; "
				    "DL 3 from 201 packets to a host");
	expect_why(f, "198.18.0.8", "IP protocol scan (nmap -sO), 27 IP protocols on 1 host; "
				    "DL 2 from 27 packets to a host");
	expect_why(f, "198.18.0.9", "ping sweep (nmap -sn), icmp + tcp 80,443 on 20 hosts; "
				    "DL 2 from a sweep of 20 hosts, signature \"ICMP PING\" DL 2");
	/* the -sn sweep: one line, hosts as a range */
	expect_dsts(f, "198.18.0.9", "20 hosts 198.18.0.10-29, tcp 80,443");
	expect_dsts(f, "198.18.0.3", "198.18.0.1");
	fx_free(f);
}

static void test_labels_nft4(void **state)
{
	struct fx *f = fx_new("nft4-scans.kmsg");

	(void)state;
	expect_label(f, "198.18.0.3", "ACK scan (nmap -sA)");
	expect_label(f, "198.18.0.4", "Maimon scan (nmap -sM)");
	expect_label(f, "198.18.0.5", "SYN FIN scan (nmap --scanflags SYNFIN)");
	expect_label(f, "198.18.0.8", "SYN sweep (nmap -sS)");
	expect_why(f, "198.18.0.8", "SYN sweep (nmap -sS), tcp 1083 on 12 hosts; "
				    "DL 1 from a sweep of 12 hosts, signature \"SCAN nmap or masscan "
				    "SYN probe, window 1024\" DL 1");
	expect_dsts(f, "198.18.0.8", "12 hosts 198.18.0.10-21, tcp 1083");
	fx_free(f);
}

static void test_labels_crafted(void **state)
{
	struct fx *f = fx_new("crafted.rfc3164");

	(void)state;
	/* nmap -O: T2-T7, ECN, U1 and IE probes are one OS detection run */
	expect_label(f, "198.18.0.124", "OS fingerprinting (nmap -O)");
	expect_label(f, "2001:db8:0:1::103", "OS fingerprinting (nmap -O)");
	expect_label(f, "198.18.0.125", "connect scan (nmap -sT)");
	fx_free(f);
}

static void test_labels_blame(void **state)
{
	struct fx *f = fx_new("blame.rfc3164");

	(void)state;
	for (size_t i = 0; i < f->n; i++) {
		char buf[160];
		(void)report_source_label(f->v[i], buf, sizeof(buf));
		if (f->v[i]->spoofed)
			assert_true(strncmp(buf, "spoofed (", 9) == 0);
		else if (f->v[i]->reflected && !f->v[i]->scan_types)
			assert_string_equal(buf, "backscatter");
	}
	fx_free(f);
}

/* Cut at the size, ending in "...": never past it. */
static void test_cut(void **state)
{
	struct fx *f = fx_new("ipt4-scans.rfc3164");
	const struct source_state *s = find(f, "198.18.0.9");
	struct report_opts o = { 0 };
	char buf[16];

	(void)state;
	assert_int_equal(report_source_dsts(s, buf, sizeof(buf)), 15);
	assert_string_equal(buf, "20 hosts 198...");
	assert_int_equal(report_source_why(s, &o, buf, sizeof(buf)), 15);
	assert_string_equal(buf + 12, "...");
	assert_int_equal(report_source_label(s, buf, 8), 7);
	assert_string_equal(buf, "ping...");
	assert_int_equal(report_source_label(s, buf, 0), 0);
	fx_free(f);
}

static void test_summary_lists(void **state)
{
	struct fx *f = fx_new("ipt4-scans.rfc3164");
	struct report_opts o = { 0 };
	struct summary s;

	(void)state;
	assert_int_equal(summary_build(f->v, f->n, &o, 3, &s), 0);
	assert_int_equal(s.tracked, f->n);
	assert_int_equal(s.listed, f->n);
	assert_int_equal(s.by_dl[3], 2);
	assert_int_equal(s.by_dl[2], 6);
	assert_int_equal(s.n_top, 3);
	assert_int_equal(s.top[0]->dl, 3);
	assert_false(s.partial);
	/* ports by sources: 2000-2019 were probed by -sF, -sN and -sX */
	assert_int_equal(s.n_ports, 3);
	assert_int_equal(s.ports[0].proto, IPPROTO_NUM_TCP);
	assert_int_equal(s.ports[0].port, 2000);
	assert_int_equal(s.ports[0].sources, 3);
	/* hosts: the target, by every source but the sweep's */
	assert_true(s.n_hosts >= 1);
	assert_string_equal("198.18.0.1", ({
		static char b[ADDR_STR_MAX];
		(void)addr_format(&s.hosts[0].dst, b);
		b;
	}));
	assert_int_equal(s.hosts[0].sources, 7);
	summary_free(&s);
	summary_free(&s); /* twice: NULL-safe */

	/* --min-dl 3: the lists see only the listed sources */
	o.min_dl = 3;
	assert_int_equal(summary_build(f->v, f->n, &o, 10, &s), 0);
	assert_int_equal(s.listed, 2);
	assert_int_equal(s.by_dl[2], 0);
	assert_int_equal(s.n_top, 2);
	for (size_t i = 0; i < s.n_sigs; i++)
		assert_true(s.sigs[i].sources <= 2);
	summary_free(&s);
	fx_free(f);
}

static void test_summary_sigs(void **state)
{
	struct fx *f = fx_new("crafted.rfc3164");
	struct report_opts o = { 0 };
	struct summary s;

	(void)state;
	assert_int_equal(summary_build(f->v, f->n, &o, 5, &s), 0);
	assert_int_equal(s.n_sigs, 5);
	for (size_t i = 1; i < s.n_sigs; i++)
		assert_true(s.sigs[i - 1].sources >= s.sigs[i].sources);
	assert_true(s.sigs[0].sources >= 2);
	assert_non_null(s.sigs[0].msg);
	assert_true(s.sigs[0].dl >= 1);
	summary_free(&s);
	/* top 0: counts only */
	assert_int_equal(summary_build(f->v, f->n, &o, 0, &s), 0);
	assert_int_equal(s.n_top + s.n_sigs + s.n_ports + s.n_hosts, 0);
	assert_int_equal(s.listed, f->n);
	summary_free(&s);
	fx_free(f);
}

static void feed_syn(struct engine *e, const char *src, const char *dst, uint16_t dport)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	assert_int_equal(addr_parse(span_make(src, strlen(src)), &ev.src), 0);
	assert_int_equal(addr_parse(span_make(dst, strlen(dst)), &ev.dst), 0);
	ev.proto = IPPROTO_NUM_TCP;
	ev.chain = CHAIN_INPUT;
	ev.time.kind = VTIME_WALL;
	ev.time.sec = 1773261311;
	ev.ip_len = 44;
	ev.ttl = 52;
	ev.has_ports = true;
	ev.sport = 40000;
	ev.dport = dport;
	ev.tcp_flags = TCPF_SYN;
	ev.window = 1024;
	(void)engine_feed(e, &ev, INT64_C(1773261311000000));
}

/* Destinations as ranges: gaps, IPv6 (the last 16 bits), unsorted input;
 * many ports cut with their count. */
static void test_dsts_ranges(void **state)
{
	static const char *const v4[] = { "198.51.100.5", "198.51.100.1", "198.51.100.4",
					  "198.51.100.3", "198.51.101.0", "198.51.100.255" };
	struct fx *f = calloc(1, sizeof(*f));
	struct matchers_opts mo = { 0 };
	char buf[200];

	(void)state;
	config_init(&f->cfg);
	assert_int_equal(matchers_load(&f->m, &f->cfg, &mo, NULL, NULL), 0);
	assert_int_equal(engine_new(&f->cfg, NULL, NULL, NULL, &f->e), 0);
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
		feed_syn(f->e, "203.0.113.7", v4[i], 22);
	for (unsigned i = 0; i < 3; i++) {
		char dst[64];
		snprintf(dst, sizeof(dst), "2001:db8::%x", 0xfe + i); /* fe, ff, 100 */
		feed_syn(f->e, "2001:db8:1::7", dst, (uint16_t)(1000 + 2 * i));
	}
	for (unsigned p = 1; p <= 40; p++)
		feed_syn(f->e, "203.0.113.8", p % 2 ? "192.0.2.1" : "192.0.2.2", (uint16_t)(p * 3));
	f->v = engine_sources_sorted(f->e, &f->n);
	assert_non_null(f->v);
	expect_dsts(f, "203.0.113.7", "6 hosts 198.51.100.1,198.51.100.3-5,198.51.100.255,"
				      "198.51.101.0, tcp 22");
	expect_dsts(f, "2001:db8:1::7", "3 hosts 2001:db8::fe-100, tcp 1000,1002,1004");
	expect_dsts(f, "203.0.113.8", "2 hosts 192.0.2.1-2, tcp 3,6,9,12,15,18,21,24,... "
				      "(40 ports)");
	(void)report_source_why(find(f, "203.0.113.8"), &(struct report_opts){ 0 }, buf,
				sizeof(buf));
	assert_true(strncmp(buf, "SYN scan (nmap -sS), 40 tcp ports on 2 hosts", 44) == 0);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels_ipt4),
		cmocka_unit_test(test_labels_nft4),
		cmocka_unit_test(test_labels_crafted),
		cmocka_unit_test(test_labels_blame),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_summary_lists),
		cmocka_unit_test(test_summary_sigs),
		cmocka_unit_test(test_dsts_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
