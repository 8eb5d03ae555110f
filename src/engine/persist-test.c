/* SPDX-License-Identifier: GPL-2.0-or-later */
/* persist-test.c - engine_save() / engine_restore(): the capture fixtures
 * fed, saved, restored into a fresh engine, and the reports of both
 * compared; damaged, truncated and foreign blobs refused with nothing
 * loaded. VIGIL_WRITE_STATE_CORPUS=DIR also writes the fuzzer's seeds. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "config/config.h"
#include "engine/engine.h"
#include "match/matchers.h"
#include "match/reputation.h"
#include "parse/parse.h"
#include "report/report-internal.h"
#include "report/report.h"

#define CAPTURE_DIR "tests/data/capture"

static const char replist[] = "# test list\n198.18.0.0/24\n192.0.2.0/24\n";

struct fx {
	struct config cfg;
	struct matchers m;
	struct engine *e;
	size_t fed;
	char *blob;
	size_t blob_len;
};

static struct engine *new_engine(struct fx *f)
{
	struct engine *e = NULL;

	assert_int_equal(engine_new(&f->cfg, NULL, NULL, NULL, &e), 0);
	engine_set_matchers(e, &f->m);
	return e;
}

/* Every line of one capture file, fed as analyze would (log time in µs). */
static void feed_file(struct fx *f, const char *path)
{
	FILE *in = fopen(path, "r");
	struct parse_input pi;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int64_t clock_sec = 1700000000;

	assert_non_null(in);
	parse_input_init(&pi, clock_sec);
	while ((n = getline(&line, &cap, in)) > 0) {
		struct event ev;
		enum parse_ignore why;
		struct parse_error err;
		if (line[n - 1] == '\n')
			n--;
		if (parse_line(&pi, span_make(line, (size_t)n), &ev, &why, &err) != PARSE_EVENT)
			continue;
		if (ev.time.kind == VTIME_WALL)
			clock_sec = ev.time.sec;
		(void)engine_feed(f->e, &ev, clock_sec * 1000000);
		f->fed++;
	}
	free(line);
	fclose(in);
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct matchers_opts o = {0};
	DIR *d;
	struct dirent *de;
	char path[512];

	if (!f)
		return -1;
	config_init(&f->cfg);
	if (matchers_load(&f->m, &f->cfg, &o, NULL, NULL) < 0)
		return -1;
	if (!f->m.rep && !(f->m.rep = reputation_new()))
		return -1;
	if (reputation_add_buf(f->m.rep, "test.txt", replist, sizeof(replist) - 1, NULL, NULL))
		return -1;
	f->m.rep_dl = 3;
	f->e = new_engine(f);
	if (!(d = opendir(CAPTURE_DIR)))
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CAPTURE_DIR, de->d_name);
		feed_file(f, path);
	}
	closedir(d);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	engine_free(f->e);
	matchers_done(&f->m);
	free(f->blob);
	free(f);
	return 0;
}

static char *save(const struct engine *e, size_t *ret_len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, ret_len);

	assert_non_null(m);
	assert_int_equal(engine_save(e, m), 0);
	assert_int_equal(fclose(m), 0);
	return buf;
}

/* Both reports of e's sources (report order), with the same statistics. */
static char *reports(struct fx *f, const struct engine *e, const struct engine_stats *es)
{
	static const struct input_stats no_in;
	struct report_opts o = {.width = 80, .m = &f->m};
	size_t n, len = 0;
	const struct source_state **v = engine_sources_sorted(e, &n);
	char *doc = NULL;
	FILE *m = open_memstream(&doc, &len);

	assert_non_null(m);
	assert_int_equal(report_json_sources(m, v, n, &no_in, es, &o), 0);
	assert_int_equal(report_text_sources(m, v, n, &no_in, es, &o), 0);
	assert_int_equal(fclose(m), 0);
	free(v);
	return doc;
}

static void test_round_trip(void **state)
{
	struct fx *f = *state;
	struct engine *e2 = new_engine(f);
	struct engine_stats es;
	const char *why = "unset";
	char *a, *b, *blob2;
	size_t len2;

	assert_true(f->fed > 1000);
	assert_true(engine_source_count(f->e) > 50);
	f->blob = save(f->e, &f->blob_len);
	assert_int_equal(engine_restore(e2, f->blob, f->blob_len, &why), 0);
	assert_null(why);
	assert_int_equal(engine_source_count(e2), engine_source_count(f->e));
	engine_get_stats(f->e, &es);
	a = reports(f, f->e, &es);
	b = reports(f, e2, &es);
	assert_string_equal(a, b);
	/* the fixtures exercise every part of the state */
	assert_non_null(strstr(a, "\"sid\":"));
	assert_non_null(strstr(a, "\"os_guess\":[\""));
	assert_non_null(strstr(a, "\"list\":\"test.txt\""));
	assert_non_null(strstr(a, "\"reflection\":"));
	assert_non_null(strstr(a, "\"spoofed\":"));
	assert_non_null(strstr(a, "\"ip_options\":"));
	/* an -sO scan: protocols past the inline ones, by name */
	assert_non_null(strstr(a, "\"iso-tp4\":1"));
	/* and saved again, the same bytes */
	blob2 = save(e2, &len2);
	assert_int_equal(len2, f->blob_len);
	assert_memory_equal(blob2, f->blob, len2);
	/* the restored engine goes on counting (a restarted daemon) */
	{
		struct event ev = {0};
		ev.src.family = ADDR_V4;
		memcpy(ev.src.b, (uint8_t[]){192, 0, 2, 99}, 4);
		ev.dst.family = ADDR_V4;
		memcpy(ev.dst.b, (uint8_t[]){198, 18, 0, 1}, 4);
		ev.proto = 6;
		ev.has_ports = true;
		ev.dport = 22;
		ev.tcp_flags = 0x02;
		ev.chain = CHAIN_INPUT;
		assert_int_equal(engine_feed(e2, &ev, INT64_C(1700000000) * 1000000), ENGINE_COUNTED);
	}
	if (getenv("VIGIL_WRITE_STATE_CORPUS")) {
		char path[512];
		FILE *o;
		snprintf(path, sizeof(path), "%s/fixtures.state", getenv("VIGIL_WRITE_STATE_CORPUS"));
		assert_non_null(o = fopen(path, "w"));
		assert_int_equal(fwrite(f->blob, 1, f->blob_len, o), f->blob_len);
		fclose(o);
	}
	free(a);
	free(b);
	free(blob2);
	engine_free(e2);
}

/* A restore that fails leaves the engine empty and usable. */
static void expect_refused(struct fx *f, const void *buf, size_t len, const char *why_part)
{
	struct engine *e2 = new_engine(f);
	const char *why = NULL;
	struct engine_stats es;

	assert_int_equal(engine_restore(e2, buf, len, &why), -EINVAL);
	assert_non_null(why);
	if (why_part && !strstr(why, why_part))
		fail_msg("why: '%s', expected '%s'", why, why_part);
	assert_int_equal(engine_source_count(e2), 0);
	engine_get_stats(e2, &es);
	assert_int_equal(es.sources_evicted, 0);
	engine_free(e2);
}

static void test_refused(void **state)
{
	struct fx *f = *state;
	char *blob;
	size_t len;

	if (!f->blob)
		f->blob = save(f->e, &f->blob_len);
	len = f->blob_len;
	assert_non_null(blob = malloc(len));
	expect_refused(f, "hello", 5, "not a vigil");
	memcpy(blob, f->blob, len);
	blob[8] = 9; /* version 9 */
	expect_refused(f, blob, len, "newer");
	/* a flipped bit anywhere: the checksum */
	for (size_t i = 12; i < len; i += len / 97 + 1) {
		memcpy(blob, f->blob, len);
		blob[i] ^= 0x10;
		expect_refused(f, blob, len, NULL);
	}
	/* cut short anywhere */
	for (size_t cut = 0; cut < len; cut += len / 53 + 1)
		expect_refused(f, f->blob, cut, NULL);
	free(blob);
}

/* Not into an engine that holds sources. */
static void test_not_twice(void **state)
{
	struct fx *f = *state;
	const char *why = NULL;

	if (!f->blob)
		f->blob = save(f->e, &f->blob_len);
	assert_int_equal(engine_restore(f->e, f->blob, f->blob_len, &why), -EBUSY);
	assert_non_null(why);
}

/* A smaller engine keeps what fits: MAX_SOURCES holds, the rest is counted. */
static void test_caps(void **state)
{
	struct fx *f = *state;
	struct config small = f->cfg;
	struct engine *e2 = NULL;
	struct engine_stats es;
	const char *why = NULL;

	if (!f->blob)
		f->blob = save(f->e, &f->blob_len);
	small.max_sources = 10;
	assert_int_equal(engine_new(&small, NULL, NULL, NULL, &e2), 0);
	assert_int_equal(engine_restore(e2, f->blob, f->blob_len, &why), 0);
	assert_int_equal(engine_source_count(e2), 10);
	engine_get_stats(e2, &es);
	assert_int_equal(es.sources_evicted, engine_source_count(f->e) - 10);
	engine_free(e2);
	/* MAX_SCAN_IP_PAIRS and MAX_DSTS_PER_SOURCE hold too */
	small = f->cfg;
	small.max_scan_ip_pairs = 40;
	small.max_dsts_per_source = 3;
	assert_int_equal(engine_new(&small, NULL, NULL, NULL, &e2), 0);
	assert_int_equal(engine_restore(e2, f->blob, f->blob_len, &why), 0);
	{
		size_t n, pairs = 0;
		const struct source_state **v = engine_sources_sorted(e2, &n);
		assert_true(n > 0);
		for (size_t i = 0; i < n; i++) {
			assert_true(v[i]->n_pairs <= 3);
			pairs += v[i]->n_pairs;
		}
		assert_true(pairs <= 40);
		free(v);
	}
	if (getenv("VIGIL_WRITE_STATE_CORPUS")) {
		char path[512], *buf;
		size_t len;
		FILE *o;
		snprintf(path, sizeof(path), "%s/capped.state", getenv("VIGIL_WRITE_STATE_CORPUS"));
		buf = save(e2, &len);
		assert_non_null(o = fopen(path, "w"));
		assert_int_equal(fwrite(buf, 1, len, o), len);
		fclose(o);
		free(buf);
	}
	engine_free(e2);
}

/* A version 1 blob (at most 8 protocols and an "other" count) still loads:
 * the named protocols kept, the bucket left out. */
static void test_version1(void **state)
{
	struct fx *f = *state;
	struct engine *e2 = new_engine(f);
	const char *why = NULL;
	uint8_t b[128] = {0};
	size_t n = 0, rec;
	const struct source_state **v;
	size_t count;
	uLong crc;

	(void)state;
	memcpy(b, "VIGILENG\1\0\0\0", 12);
	n = 12;
	/* engine record: now 0, tcp_opts_seen 0 */
	memcpy(b + n, "\1\2\0\0\0\0\0", 7);
	n += 7;
	b[n++] = 2; /* TAG_SOURCE, length below */
	rec = n;
	n += 4;
	b[n++] = 0;		   /* origin */
	b[n++] = ADDR_V4;
	memcpy(b + n, (uint8_t[16]){192, 0, 2, 7}, 16);
	n += 16;
	memset(b + n, 0, 5);	   /* dl, spoofed, sweep_dl, scan_dl, autodl_dl */
	n += 5;
	b[n++] = 12;		   /* packets */
	for (int t = 0; t < 2; t++) { /* first, last: no time */
		memset(b + n, 0, 5);
		n += 5;
	}
	b[n++] = 2;		   /* n_protos */
	b[n++] = 6;
	b[n++] = 7;		   /* tcp 7 */
	b[n++] = 47;
	b[n++] = 3;		   /* gre 3 */
	b[n++] = 2;		   /* other 2 */
	memset(b + n, 0, 11);	   /* scan_types .. ports, sketch, n_pairs */
	n += 11;
	b[n++] = 0;		   /* no intel */
	b[n++] = 0;		   /* no reflection */
	b[rec] = (uint8_t)(n - rec - 4);
	memcpy(b + n, "\xff\1\0\0\0\1", 6); /* end: one source */
	n += 6;
	crc = crc32(crc32(0L, Z_NULL, 0), b, (uInt)n);
	for (int i = 0; i < 4; i++)
		b[n++] = (uint8_t)(crc >> (8 * i));
	if (engine_restore(e2, b, n, &why) != 0)
		fail_msg("refused: %s", why);
	v = engine_sources_sorted(e2, &count);
	assert_int_equal(count, 1);
	assert_int_equal(v[0]->packets, 12);
	assert_int_equal(v[0]->n_protos, 2);
	assert_int_equal(source_proto(v[0], 1)->proto, 47);
	assert_int_equal(source_proto(v[0], 1)->count, 3);
	free(v);
	engine_free(e2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_not_twice),
	    cmocka_unit_test(test_caps),
	    cmocka_unit_test(test_version1),
	};

	return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
