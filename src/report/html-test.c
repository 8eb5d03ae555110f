/* SPDX-License-Identifier: GPL-2.0-or-later */
/* html-test.c - the HTML report's escaping and SVG charts (svg.h), and its
 * page on hand-built sources (no engine, no tally).
 *
 * Each writer runs into an outbuf on an open_memstream(); the output is
 * compared with what a browser must get: hostile bytes as text, numbers
 * grouped, charts with shapes (or "no data") and no raw '<' from a label.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/portset.h"
#include "engine/state.h"
#include "report/html.h"
#include "report/outbuf.h"
#include "report/state-fixture.h"
#include "report/svg.h"
#include "util/addr.h"
#include "util/num.h"

struct mem {
	char *buf;
	size_t len;
	FILE *f;
	struct outbuf ob;
};

static void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
	outbuf_init(&m->ob, m->f);
}

/* Flushes and returns the text written (NUL-terminated). */
static const char *mem_text(struct mem *m)
{
	assert_int_equal(outbuf_flush(&m->ob), 0);
	assert_int_equal(fflush(m->f), 0);
	return m->buf;
}

static void mem_close(struct mem *m)
{
	fclose(m->f);
	free(m->buf);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void escaped(const char *in, size_t n, const char *want)
{
	struct mem m;

	mem_open(&m);
	html_text(&m.ob, in, n);
	assert_string_equal(mem_text(&m), want);
	mem_close(&m);
}

static void test_html_text(void **state)
{
	(void)state;
	escaped("plain eth0", 10, "plain eth0");
	escaped("", 0, "");
	escaped("<script>alert(1)</script>", 25, "&lt;script&gt;alert(1)&lt;/script&gt;");
	escaped("\"><img src=x onerror='a'>&", 26,
		"&quot;&gt;&lt;img src=x onerror=&#39;a&#39;&gt;&amp;");
	/* the engine's escapes stay as they are; raw bytes become escapes */
	escaped("a\\x01b", 6, "a\\x01b");
	escaped("\x01\x7f\xff\n\t", 5, "\\x01\\x7f\\xff\\x0a\\x09");
	/* an entity in the input is text, not a character */
	escaped("&amp;&#60;", 10, "&amp;amp;&amp;#60;");
	/* n bounds the read; a NUL ends it earlier */
	escaped("abc<def", 3, "abc");
	escaped("ab\0<cd", 6, "ab");
	/* NULL: nothing */
	escaped(NULL, 5, "");
}

static void test_num_u64_grouped(void **state)
{
	char b[NUM_GROUPED_MAX];

	(void)state;
	assert_int_equal(num_u64_grouped(b, 0), 1);
	assert_string_equal(b, "0");
	num_u64_grouped(b, 999);
	assert_string_equal(b, "999");
	num_u64_grouped(b, 1000);
	assert_string_equal(b, "1,000");
	num_u64_grouped(b, 1234567);
	assert_string_equal(b, "1,234,567");
	assert_int_equal(num_u64_grouped(b, UINT64_MAX), 26);
	assert_string_equal(b, "18,446,744,073,709,551,615");
}

static void test_heat_level(void **state)
{
	(void)state;
	assert_int_equal(svg_heat_level(0, 0), 0);
	assert_int_equal(svg_heat_level(0, 100), 0);
	assert_int_equal(svg_heat_level(1, 1), 5);
	assert_int_equal(svg_heat_level(100, 100), 5);
	assert_int_equal(svg_heat_level(1, 1000000), 1);
	assert_int_equal(svg_heat_level(UINT64_MAX, UINT64_MAX), 5);
	assert_int_equal(svg_heat_level(1, UINT64_MAX), 1);
	/* monotonic */
	for (uint64_t v = 1, last = 0; v < 1000; v++) {
		unsigned l = svg_heat_level(v, 1000);
		assert_true(l >= last && l >= 1 && l <= 5);
		last = l;
	}
}

static void test_bars(void **state)
{
	struct svg_bar b[] = {
		{ .label = "<script>x</script>", .note = "\"q\" & 'r'", .value = UINT64_MAX, .cls = 5 },
		{ .label = "zero", .value = 0, .cls = 0 },
		{ .label = "one", .value = 1, .cls = SVG_CLS_NONE },
	};
	struct mem m;
	const char *s;

	(void)state;
	mem_open(&m);
	svg_bars(&m.ob, "t<itle>", b, 3);
	s = mem_text(&m);
	assert_non_null(strstr(s, "<svg class=\"chart\""));
	assert_non_null(strstr(s, "aria-label=\"t&lt;itle&gt;\""));
	assert_null(strstr(s, "<script>"));
	assert_null(strstr(s, "<itle"));
	assert_non_null(strstr(s, "&lt;script&gt;x&lt;/script&gt;"));
	assert_non_null(strstr(s, "&quot;q&quot; &amp; &#39;r&#39;"));
	assert_non_null(strstr(s, "18,446,744,073,709,551,615"));
	/* the largest is full length, 0 draws nothing, 1 of 2^64 still shows */
	assert_non_null(strstr(s, "width=\"300\" height=\"14\" class=\"d5\""));
	assert_non_null(strstr(s, "width=\"0\" height=\"14\" class=\"d0\""));
	assert_non_null(strstr(s, "width=\"1\" height=\"14\" class=\"bar\""));
	assert_int_equal(count(s, "<rect"), 3);
	assert_int_equal(count(s, "<svg"), count(s, "</svg>"));
	mem_close(&m);

	/* nothing to draw */
	mem_open(&m);
	svg_bars(&m.ob, "empty", NULL, 0);
	s = mem_text(&m);
	assert_non_null(strstr(s, "no data"));
	assert_int_equal(count(s, "<rect"), 0);
	assert_int_equal(count(s, "</svg>"), 1);
	mem_close(&m);

	/* every value 0: bars of length 0, no division by zero */
	mem_open(&m);
	svg_bars(&m.ob, "zeros", &b[1], 1);
	s = mem_text(&m);
	assert_non_null(strstr(s, "width=\"0\""));
	mem_close(&m);
}

static void test_long_label(void **state)
{
	char label[300];
	struct svg_bar b = { .label = label, .value = 7, .cls = 1 };
	struct mem m;
	const char *s;

	(void)state;
	memset(label, '<', sizeof(label) - 1);
	label[sizeof(label) - 1] = '\0';
	mem_open(&m);
	svg_bars(&m.ob, "long", &b, 1);
	s = mem_text(&m);
	/* the drawn label is cut (the <title> has it all), and every '<' escaped */
	assert_int_equal(count(s, "&lt;"), (sizeof(label) - 1) + (SVG_LABEL_MAX - 3));
	assert_non_null(strstr(s, "&lt;...</text>"));
	assert_int_equal(count(s, "<<"), 0);
	mem_close(&m);
}

static void test_timeline(void **state)
{
	uint64_t a[8] = { 0, 5, 10, 0, 0, 0, 0, 1 }, zero[8] = { 0 },
		 huge[8] = { UINT64_MAX, 1, 0, 0, 0, 0, 0, UINT64_MAX };
	struct svg_row rows[] = {
		{ .label = "all events", .v = a, .cls = SVG_CLS_NONE },
		{ .label = "<b>quiet</b>", .v = zero, .cls = 2 },
		{ .label = "huge", .v = huge, .cls = 4 },
	};
	struct mem m;
	const char *s;

	(void)state;
	mem_open(&m);
	svg_timeline(&m.ob, "timeline", rows, 3, 8, "2026-01-01 00:00:00Z", "<to>");
	s = mem_text(&m);
	/* 3 columns for the first row, none for the quiet one, 3 for huge */
	assert_int_equal(count(s, "<rect"), 6);
	assert_int_equal(count(s, "class=\"d4\""), 3);
	assert_non_null(strstr(s, "&lt;b&gt;quiet&lt;/b&gt;"));
	assert_non_null(strstr(s, "&lt;to&gt;"));
	assert_null(strstr(s, "<b>"));
	/* the peak is full height, the smallest still 1 */
	assert_non_null(strstr(s, "height=\"22\" class=\"bar\""));
	assert_non_null(strstr(s, "height=\"1\" class=\"d4\""));
	assert_non_null(strstr(s, "all events: 16 events, peak 10"));
	assert_non_null(strstr(s, "quiet&lt;/b&gt;: 0 events, peak 0"));
	/* a sum past 2^64 saturates */
	assert_non_null(strstr(s, "huge: 18,446,744,073,709,551,615 events, peak 18,446,"));
	mem_close(&m);

	mem_open(&m);
	svg_timeline(&m.ob, "none", rows, 0, 8, "a", "b");
	assert_non_null(strstr(mem_text(&m), "no data"));
	mem_close(&m);
	mem_open(&m);
	svg_timeline(&m.ob, "none", rows, 3, 0, "a", "b");
	assert_non_null(strstr(mem_text(&m), "no data"));
	mem_close(&m);

	/* one source, one bucket */
	mem_open(&m);
	svg_timeline(&m.ob, "one", &rows[0], 1, 1, "a", "b");
	s = mem_text(&m);
	assert_int_equal(count(s, "<rect"), 0); /* its bucket is 0 */
	assert_int_equal(count(s, "</svg>"), 1);
	mem_close(&m);
}

static void test_heatmap(void **state)
{
	const char *rl[] = { "198.51.100.7", "<i>r</i>" };
	const char *cl[] = { "tcp/22", "+ 0-1023", "'c'" };
	uint64_t v[] = { 3, 0, UINT64_MAX, 1, 1000, 0 };
	struct mem m;
	const char *s;

	(void)state;
	mem_open(&m);
	svg_heatmap(&m.ob, "heat", rl, 2, cl, 3, v);
	s = mem_text(&m);
	assert_int_equal(count(s, "<rect"), 6);
	assert_int_equal(count(s, "class=\"h0\""), 2);
	assert_int_equal(count(s, "class=\"h5\""), 3); /* each column's maximum */
	assert_int_equal(count(s, "class=\"h1\""), 1); /* 1 of 3: low */
	assert_non_null(strstr(s, "&lt;i&gt;r&lt;/i&gt;"));
	assert_non_null(strstr(s, "&#39;c&#39;"));
	assert_non_null(strstr(s, "198.51.100.7, &#39;c&#39;: 18,446,744,073,709,551,615"));
	assert_null(strstr(s, "<i>"));
	mem_close(&m);

	mem_open(&m);
	svg_heatmap(&m.ob, "none", rl, 0, cl, 3, v);
	assert_non_null(strstr(mem_text(&m), "no data"));
	mem_close(&m);
	mem_open(&m);
	svg_heatmap(&m.ob, "none", rl, 2, cl, 0, v);
	assert_non_null(strstr(mem_text(&m), "no data"));
	mem_close(&m);

	/* one cell, zero */
	mem_open(&m);
	svg_heatmap(&m.ob, "one", rl, 1, cl, 1, (const uint64_t[]){ 0 });
	s = mem_text(&m);
	assert_int_equal(count(s, "class=\"h0\""), 1);
	mem_close(&m);
}


/* --- the page on hand-built sources -------------------------------------- */

/* A pair of packets tcp packets, and a source seen at one time. */
static struct pair_state *pair_of(const char *dst, uint8_t dl, uint64_t packets)
{
	struct pair_state *p = pair_new(dst, dl);

	p->packets = p->tcp.packets = packets;
	return p;
}

static struct source_state *source_at(const char *src, uint8_t dl, unsigned n_pairs)
{
	struct source_state *s = source_new(src, dl, n_pairs);

	s->first = s->last = wall(1773261311);
	s->first_us = s->last_us = INT64_C(1773261311000000);
	return s;
}

static char *page(const struct source_state **v, size_t n, const struct report_opts *o)
{
	static const struct input_stats in;
	static const struct engine_stats es;
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);

	assert_non_null(f);
	assert_int_equal(report_html_sources(f, v, n, &in, &es, o), 0);
	assert_int_equal(fclose(f), 0);
	/* one document, the page's own style and script, with the nonce the
	 * policy allows */
	assert_true(strncmp(doc, "<!DOCTYPE html>\n", 16) == 0);
	assert_non_null(strstr(doc, "</html>\n"));
	assert_int_equal(count(doc, "<script"), 1);
	assert_int_equal(count(doc, "<style"), 1);
	const char *csp = strstr(doc, "script-src 'nonce-"), *tag = strstr(doc, "<script nonce=\"");
	assert_non_null(csp);
	assert_non_null(tag);
	assert_memory_equal(csp + 18, tag + 15, 32);
	assert_int_equal(count(doc, "<svg"), count(doc, "</svg>"));
	assert_int_equal(count(doc, "<table"), count(doc, "</table>"));
	return doc;
}

static void test_page_empty(void **state)
{
	struct report_opts o = { .top = 10 };
	char *doc;

	(void)state;
	doc = page(NULL, 0, &o);
	assert_non_null(strstr(doc, "no sources listed"));
	assert_non_null(strstr(doc, "no timeline"));
	free(doc);
}

static void test_page_hostile(void **state)
{
	struct source_state *s = source_at("192.0.2.55", 5, 1);
	struct pair_state *p = pair_of("198.51.100.1", 5, UINT64_MAX);
	struct sig_count sig = { .msg = "<script>alert(1)</script>", .count = 3, .id = 9000001,
				 .dl = 3 };
	const char *os[] = { "\"><img src=x onerror=alert(2)>" };
	struct intel_rep rep = { .net = { .a = A("192.0.2.0"), .len = 24 }, .list = "<b>list</b>&" };
	struct source_intel x = { .sigs = &sig, .n_sigs = 1, .os = os, .n_os = 1, .rep = &rep,
				  .sig_dl = 3, .rep_dl = 5 };
	struct report_opts o = { .top = 10, .filters = "--prefix '<i>x</i>'" };
	const struct source_state *v[1] = { s };
	char *doc;

	(void)state;
	s->intel = &x;
	s->packets = UINT64_MAX;
	s->protos[s->n_protos++] = (struct proto_count){ IPPROTO_NUM_TCP, UINT64_MAX };
	s->scan_types = 1u << SCAN_SYN;
	memcpy(p->in, "<u>", 4);
	assert_true(portset_add(&p->tcp.ports, 22) == 1);
	s->pairs[s->n_pairs++] = p;
	doc = page(v, 1, &o);
	assert_null(strstr(doc, "<script>alert"));
	assert_null(strstr(doc, "<img"));
	assert_null(strstr(doc, "<b>list"));
	assert_null(strstr(doc, "<i>x"));
	assert_non_null(strstr(doc, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(doc, "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
	assert_non_null(strstr(doc, "&lt;b&gt;list&lt;/b&gt;&amp;"));
	assert_non_null(strstr(doc, "--prefix &#39;&lt;i&gt;x&lt;/i&gt;&#39;"));
	assert_non_null(strstr(doc, "18,446,744,073,709,551,615"));
	assert_non_null(strstr(doc, "<td class=\"ip\">192.0.2.55</td>"));
	free(doc);
	source_free(s);
}

/* A sweep of 40 hosts and a scan of every port: the fan-out is cut at 32
 * hosts, the port list at its cell, the sources table at --top. */
static void test_page_bounds(void **state)
{
	struct source_state *sw = source_at("203.0.113.9", 3, 40),
			    *all = source_at("203.0.113.10", 4, 1), *low = source_at("203.0.113.11", 1, 0);
	struct pair_state *p;
	struct report_opts o = { .top = 2, .top_given = true };
	const struct source_state *v[3] = { all, sw, low };
	char dst[32], *doc;

	(void)state;
	for (unsigned i = 0; i < 40; i++) {
		(void)snprintf(dst, sizeof(dst), "198.51.100.%u", 40 - i);
		p = pair_of(dst, 2, 1);
		assert_true(portset_add(&p->tcp.ports, 445) == 1);
		sw->pairs[sw->n_pairs++] = p;
		sw->packets++;
	}
	sw->scan_types = 1u << SCAN_SWEEP;
	p = pair_of("198.51.100.1", 4, 65536);
	for (unsigned port = 0; port < 65536; port += 2)
		assert_true(portset_add(&p->tcp.ports, (uint16_t)port) == 1);
	all->pairs[all->n_pairs++] = p;
	all->packets = 65536;
	doc = page(v, 3, &o);
	/* the sweep's destinations by address: .1 .. .32 drawn, 8 more */
	assert_non_null(strstr(doc, ">198.51.100.1</text>"));
	assert_non_null(strstr(doc, ">198.51.100.32</text>"));
	assert_null(strstr(doc, ">198.51.100.33</text>"));
	assert_non_null(strstr(doc, "8 more not drawn"));
	/* 32768 ports: counted, listed up to the cell's end */
	assert_non_null(strstr(doc, "data-v=\"32768\">32,768</td>"));
	assert_non_null(strstr(doc, " ...</td>"));
	/* --top 2: two rows of three, and a line for the third */
	assert_non_null(strstr(doc, "1 more listed sources not shown (2 shown)"));
	free(doc);
	source_free(sw);
	source_free(all);
	source_free(low);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_text),  cmocka_unit_test(test_num_u64_grouped),
		cmocka_unit_test(test_heat_level), cmocka_unit_test(test_bars),
		cmocka_unit_test(test_long_label), cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_heatmap),    cmocka_unit_test(test_page_empty),
		cmocka_unit_test(test_page_hostile), cmocka_unit_test(test_page_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
