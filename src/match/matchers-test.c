/* SPDX-License-Identifier: GPL-2.0-or-later */
/* matchers-test.c - loading the data sets: configured files, the built-in
 * copies, unreadable files (fatal, reported) and bad lines (reported,
 * skipped), the command-line switches and the reputation cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "match/matchers.h"
#include "match/osfp.h"
#include "match/reputation.h"
#include "match/signature.h"

#define DIAG_MAX 16

struct diags {
	size_t n;
	struct config_diag d[DIAG_MAX];
	char file[DIAG_MAX][256];
};

static void record(const struct config_diag *d, void *data)
{
	struct diags *ds = data;

	if (ds->n == DIAG_MAX)
		return;
	ds->d[ds->n] = *d;
	snprintf(ds->file[ds->n], sizeof(ds->file[0]), "%s", d->file ? d->file : "");
	ds->n++;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The default paths absent: the copies compiled into vigil. */
static void test_builtin_sets(void **state)
{
	struct config cfg;
	struct matchers m;
	struct diags ds = { 0 };
	struct sigset_stats st;
	struct osfp_stats os;

	(void)state;
	config_init(&cfg);
	if (access("/etc/vigil/signatures", F_OK) == 0 || access("/etc/vigil/pf.os", F_OK) == 0)
		skip(); /* an installed vigil: its files are loaded instead */
	assert_int_equal(matchers_load(&m, &cfg, NULL, record, &ds), 0);
	assert_int_equal(ds.n, 0);
	assert_string_equal(m.sig_origin, "built-in");
	sigset_get_stats(m.sigs, &st);
	assert_true(st.rules >= 300);
	assert_int_equal(st.malformed, 0);
	assert_non_null(m.icmp4);
	assert_non_null(m.icmp6);
	osfp_get_stats(m.os, &os);
	assert_true(os.p0f_entries > 0 && os.posf_entries > 0);
	assert_null(m.rep);
	assert_int_equal(m.rep_dl, 0);
	matchers_done(&m);
	assert_null(m.sigs);
}

/* A path that is set and cannot be read fails the load, with one error
 * naming it; a directory is "not a regular file". */
static void test_unreadable_files(void **state)
{
	struct matchers_opts o = { .sig_path = "tests/data/no-such-signatures" };
	struct config cfg;
	struct matchers m;
	struct diags ds = { 0 };

	(void)state;
	config_init(&cfg);
	assert_int_equal(matchers_load(&m, &cfg, &o, record, &ds), -ENOENT);
	assert_int_equal(ds.n, 1);
	assert_int_equal(ds.d[0].severity, CONFIG_ERROR);
	assert_string_equal(ds.file[0], "tests/data/no-such-signatures");
	assert_non_null(strstr(ds.d[0].msg, "cannot read"));
	assert_null(m.sigs);

	ds.n = 0;
	o.sig_path = NULL;
	snprintf(cfg.p0f_file, sizeof(cfg.p0f_file), "tests/data");
	assert_int_equal(matchers_load(&m, &cfg, &o, record, &ds), -EINVAL);
	assert_int_equal(ds.n, 1);
	assert_string_equal(ds.d[0].msg, "not a regular file");
	assert_null(m.os);

	ds.n = 0;
	config_init(&cfg);
	o.rep_paths[0] = "tests/data";
	o.n_rep = 1;
	assert_int_equal(matchers_load(&m, &cfg, &o, record, &ds), -EINVAL);
	assert_string_equal(ds.d[ds.n - 1].msg, "not a regular file");
	o.rep_paths[0] = "tests/data/no-such-list";
	ds.n = 0;
	assert_int_equal(matchers_load(&m, &cfg, &o, record, &ds), -ENOENT);
	assert_string_equal(ds.file[ds.n - 1], "tests/data/no-such-list");
}

/* Bad lines are FILE:LINE errors; the good ones load and hits name the file. */
static void test_reputation_file(void **state)
{
	char path[] = "/tmp/vigil-matchers-XXXXXX";
	struct matchers_opts o = { .no_signatures = true, .no_icmp_types = true, .no_os = true };
	struct config cfg;
	struct matchers m;
	struct diags ds = { 0 };
	struct reputation_hit hit;
	struct reputation_stats st;
	struct addr a;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "192.0.2.0/24\nbogus\n198.51.100.7\n");
	config_init(&cfg);
	cfg.reputation_danger_level = 5;
	o.rep_paths[0] = path;
	o.n_rep = 1;
	assert_int_equal(matchers_load(&m, &cfg, &o, record, &ds), 0);
	assert_null(m.sigs);
	assert_null(m.icmp4);
	assert_null(m.os);
	assert_int_equal(m.rep_dl, 5);
	assert_int_equal(ds.n, 1);
	assert_int_equal(ds.d[0].severity, CONFIG_ERROR);
	assert_int_equal(ds.d[0].line, 2);
	assert_string_equal(ds.file[0], path);
	assert_int_equal(addr_parse(SPAN_LIT("192.0.2.5"), &a), 0);
	assert_true(reputation_lookup(m.rep, &a, &hit));
	assert_string_equal(hit.list, path);
	matchers_done(&m);

	/* REPUTATION_MAX_NETWORKS bounds what is loaded; the rest is counted */
	cfg.reputation_max_networks = 1;
	ds.n = 0;
	assert_int_equal(matchers_load(&m, &cfg, &o, record, &ds), 0);
	reputation_get_stats(m.rep, &st);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.dropped, 1);
	matchers_done(&m);
	unlink(path);
}

/* Signature variables come from HOME_NET and psad.conf's keys. */
static void test_signature_variables(void **state)
{
	char path[] = "/tmp/vigil-matchers-XXXXXX";
	struct matchers_opts o = { .no_icmp_types = true, .no_os = true };
	struct config cfg;
	struct matchers m;
	struct diags ds = { 0 };
	struct sigset_stats st;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path,
		   "alert tcp $EXTERNAL_NET any -> $HOME_NET $HTTP_PORTS (msg:\"a\"; sid:1;)\n"
		   "alert tcp any any -> $SQL_SERVERS 1433 (msg:\"b\"; sid:2;)\n"
		   "alert tcp any any -> $NO_SUCH_VAR 1 (msg:\"c\"; sid:3;)\n");
	config_init(&cfg);
	o.sig_path = path;
	assert_int_equal(matchers_load(&m, &cfg, &o, record, &ds), 0);
	assert_string_equal(m.sig_origin, path);
	sigset_get_stats(m.sigs, &st);
	assert_int_equal(st.rules, 2);
	assert_int_equal(st.malformed, 1);
	assert_int_equal(ds.n, 1);
	assert_int_equal(ds.d[0].line, 3);
	matchers_done(&m);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_sets),
		cmocka_unit_test(test_unreadable_files),
		cmocka_unit_test(test_reputation_file),
		cmocka_unit_test(test_signature_variables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
