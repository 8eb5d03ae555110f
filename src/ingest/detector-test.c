/* SPDX-License-Identifier: GPL-2.0-or-later */
/* detector-test.c - cmocka tests for detector.c: config, data sets and
 * auto_dl loaded together; a missing optional config means the defaults; a
 * failed load (bad config, bad or missing auto_dl, missing signatures)
 * returns the error, says it through diag, and leaves the loaded detector
 * (the one a reload keeps) untouched and working. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/autodl.h"
#include "engine/engine.h"
#include "ingest/detector.h"
#include "ingest/ingest.h"

struct diags {
	unsigned errors, warnings, notes;
	unsigned first_error_line;
};

static void collect(const struct config_diag *d, void *data)
{
	struct diags *g = data;

	if (d->severity == CONFIG_ERROR && !g->errors++)
		g->first_error_line = d->line;
	else if (d->severity == CONFIG_WARNING)
		g->warnings++;
	else if (d->severity == CONFIG_NOTE)
		g->notes++;
}

static char dir[64];
static char conf[128], adl[128], adl2[128];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* a config naming our auto_dl file (never the host's /etc/vigil) */
static void write_conf(const char *scan_timeout)
{
	char text[512];

	snprintf(text, sizeof(text), "SCAN_TIMEOUT %s;\nAUTO_DL_FILE %s;\n", scan_timeout, adl);
	write_file(conf, text);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/vigil-detector-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(conf, sizeof(conf), "%s/vigil.conf", dir);
	snprintf(adl, sizeof(adl), "%s/auto_dl", dir);
	snprintf(adl2, sizeof(adl2), "%s/auto_dl.bad", dir);
	return 0;
}

static int teardown(void **state)
{
	unlink(conf);
	unlink(adl);
	unlink(adl2);
	rmdir(dir);
	return 0;
}

static void test_missing_config(void **state)
{
	char none[160];
	struct detector_opts o = { .config_path = none };
	struct detector *d = NULL;
	struct diags g = { 0 };

	snprintf(none, sizeof(none), "%s/no-such.conf", dir);
	/* not given: the built-in defaults */
	assert_int_equal(detector_load(&o, collect, &g, &d), 0);
	struct config def;
	config_init(&def);
	assert_int_equal(detector_config(d)->scan_timeout, def.scan_timeout);
	assert_non_null(detector_matchers(d));
	d = detector_free(d);
	assert_null(d);
	/* given: it must exist */
	o.config_given = true;
	assert_int_equal(detector_load(&o, collect, &g, &d), -ENOENT);
	assert_null(d);
}

/* What a daemon's SIGHUP does: a new detector, or the old one kept. */
static void test_reload_failure_keeps_old(void **state)
{
	struct detector_opts o = { .config_path = conf, .config_given = true };
	struct detector *d1 = NULL, *d2 = NULL, *sentinel = (struct detector *)&o;
	struct diags g = { 0 };
	struct engine *e;
	struct ingest *in;
	struct ingest_opts io = { .name = "t" };
	const char *rec = "Nov 25 14:43:03 fw1 kernel: DROP IN=eth0 OUT= SRC=198.18.0.7 "
			  "DST=198.18.1.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP "
			  "SPT=40000 DPT=22 WINDOW=512 RES=0x00 SYN URGP=0";

	write_conf("1234");
	write_file(adl, "198.18.0.7 5;\n");
	assert_int_equal(detector_load(&o, collect, &g, &d1), 0);
	assert_int_equal(g.errors, 0);
	assert_int_equal(detector_config(d1)->scan_timeout, 1234);
	assert_non_null(detector_autodl(d1));
	assert_int_equal(autodl_count(detector_autodl(d1)), 1);
	assert_non_null(detector_matchers(d1)->sigs); /* the built-in set */
	assert_int_equal(detector_engine_new(d1, NULL, NULL, &e), 0);
	assert_int_equal(ingest_new(e, detector_config(d1), &io, &in), 0);

	/* a bad value: -EINVAL, said with its line, nothing returned */
	write_file(conf, "# new\nSCAN_TIMEOUT abc;\n");
	d2 = sentinel;
	g = (struct diags){ 0 };
	assert_int_equal(detector_load(&o, collect, &g, &d2), -EINVAL);
	assert_ptr_equal(d2, sentinel);
	assert_true(g.errors >= 1);
	assert_int_equal(g.first_error_line, 2);

	/* a bad auto_dl file, a missing one named on the command line, a
	 * missing signature file: each fails the whole load */
	write_conf("999");
	write_file(adl, "not-an-address 9;\n");
	g = (struct diags){ 0 };
	assert_int_equal(detector_load(&o, collect, &g, &d2), -EINVAL);
	assert_ptr_equal(d2, sentinel);
	assert_true(g.errors >= 1);
	write_file(adl, "198.18.0.8 2;\n");
	o.auto_dl = adl2;
	assert_int_equal(detector_load(&o, collect, &g, &d2), -ENOENT);
	assert_ptr_equal(d2, sentinel);
	o.auto_dl = NULL;
	o.signatures = adl2;
	assert_true(detector_load(&o, collect, &g, &d2) < 0);
	assert_ptr_equal(d2, sentinel);
	o.signatures = NULL;

	/* the old one is untouched and still judges */
	assert_int_equal(detector_config(d1)->scan_timeout, 1234);
	assert_int_equal(autodl_count(detector_autodl(d1)), 1);
	ingest_line(in, span_make(rec, strlen(rec)), false, 0);
	assert_int_equal(ingest_stats(in)->events, 1);
	const struct source_state **s;
	size_t n;
	s = engine_sources_sorted(e, &n);
	assert_int_equal(n, 1);
	assert_int_equal(s[0]->autodl_dl, 5); /* d1's auto_dl entry */
	free(s);

	/* fixed: the new one loads, with the new values */
	assert_int_equal(detector_load(&o, collect, &g, &d2), 0);
	assert_int_equal(detector_config(d2)->scan_timeout, 999);
	assert_int_equal(autodl_count(detector_autodl(d2)), 1);
	engine_set_matchers(e, detector_matchers(d2));

	ingest_free(in);
	engine_free(e);
	detector_free(d1);
	detector_free(d2);
	assert_null(detector_free(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_config),
		cmocka_unit_test(test_reload_failure_keeps_old),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
