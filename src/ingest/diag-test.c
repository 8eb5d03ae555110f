/* SPDX-License-Identifier: GPL-2.0-or-later */
/* diag-test.c - cmocka tests for diag.c: the one printer of loader
 * diagnostics: its line formats, the counts, notes only when verbose, and
 * the per-file cap with its "N more problem(s) not shown" line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ingest/diag.h"

static char out[8192];

/* Run the diagnostics through p with stderr captured into out. */
static void run(struct diag_printer *p, const struct config_diag *d, size_t n)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);

	assert_non_null(tmp);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	for (size_t i = 0; i < n; i++)
		diag_print(&d[i], p);
	diag_printer_end(p);
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	size_t len = fread(out, 1, sizeof(out) - 1, tmp);
	out[len] = '\0';
	fclose(tmp);
}

static struct config_diag diag(enum config_severity sev, const char *file, unsigned line,
			       const char *msg)
{
	struct config_diag d = { .severity = sev, .file = file, .line = line };

	snprintf(d.msg, sizeof(d.msg), "%s", msg);
	return d;
}

static void test_formats(void **state)
{
	struct diag_printer p = { 0 };
	struct config_diag d[] = {
		diag(CONFIG_ERROR, "a.conf", 3, "bad value"),
		diag(CONFIG_WARNING, "a.conf", 4, "unknown key"),
		diag(CONFIG_NOTE, "a.conf", 5, "psad key"),
		diag(CONFIG_ERROR, "list\n", 0, "not a regular file"),
	};

	run(&p, d, 4);
	assert_string_equal(out, "vigil: a.conf:3: error: bad value\n"
				 "vigil: a.conf:4: warning: unknown key\n"
				 "vigil: list\\x0a: error: not a regular file\n");
	assert_int_equal(p.errors, 2);
	assert_int_equal(p.warnings, 1);
	assert_int_equal(p.notes, 1);

	struct diag_printer v = { .verbose = true };
	run(&v, d, 3);
	assert_non_null(strstr(out, "vigil: a.conf:5: note: psad key\n"));
}

static void test_cap_per_file(void **state)
{
	struct config_diag d[30];
	struct diag_printer p = { .max_per_file = 3 };

	for (unsigned i = 0; i < 25; i++)
		d[i] = diag(CONFIG_ERROR, "sigs", i + 1, "bad rule");
	for (unsigned i = 25; i < 30; i++)
		d[i] = diag(CONFIG_WARNING, "osfp", i + 1, "odd line");
	run(&p, d, 30);
	assert_int_equal(p.errors, 25);
	assert_int_equal(p.warnings, 5);
	assert_non_null(strstr(out, "vigil: sigs:3: error: bad rule\n"
				    "vigil: sigs: 22 more problem(s) not shown (--verbose shows all)\n"
				    "vigil: osfp:26: warning: odd line\n"));
	assert_null(strstr(out, "sigs:4:"));
	assert_non_null(strstr(out, "vigil: osfp: 2 more problem(s) not shown"));

	struct diag_printer v = { .max_per_file = 3, .verbose = true };
	run(&v, d, 30);
	assert_non_null(strstr(out, "sigs:25: error"));
	assert_null(strstr(out, "not shown"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_cap_per_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
