/* SPDX-License-Identifier: GPL-2.0-or-later */
/* icmptypes-test.c - ICMP type/code tables: psad's real files, vigil's own
 * files, and hostile input. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "match/icmptypes.h"

#define MAX_DIAGS 16

struct diags {
	unsigned n, n_errors, n_warnings;
	struct config_diag d[MAX_DIAGS];
};

static void collect(const struct config_diag *d, void *data)
{
	struct diags *ds = data;

	if (d->severity == CONFIG_ERROR)
		ds->n_errors++;
	if (d->severity == CONFIG_WARNING)
		ds->n_warnings++;
	if (ds->n < MAX_DIAGS)
		ds->d[ds->n] = *d;
	ds->n++;
}

static char *read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static struct icmp_types *load_file(const char *path, struct diags *ds, int expect_r)
{
	struct icmp_types *t = NULL;
	size_t len;
	char *buf = read_file(path, &len);

	memset(ds, 0, sizeof(*ds));
	assert_int_equal(icmp_types_load_buf(path, buf, len, collect, ds, &t), expect_r);
	free(buf);
	assert_non_null(t);
	return t;
}

static struct icmp_types *load_str(const char *s, size_t len, struct diags *ds, int expect_r)
{
	struct icmp_types *t = NULL;

	memset(ds, 0, sizeof(*ds));
	assert_int_equal(icmp_types_load_buf("test", s, len, collect, ds, &t), expect_r);
	assert_non_null(t);
	return t;
}

#define LOAD(lit, ds, r) load_str(lit, sizeof(lit) - 1, ds, r)

/* 1-based line of the first line of path that starts with prefix. */
static unsigned line_of(const char *path, const char *prefix)
{
	size_t len, n = strlen(prefix);
	char *buf = read_file(path, &len);
	unsigned line = 1;

	for (size_t i = 0; i < len; i++) {
		if ((i == 0 || buf[i - 1] == '\n') && len - i >= n && !memcmp(buf + i, prefix, n)) {
			free(buf);
			return line;
		}
		if (buf[i] == '\n')
			line++;
	}
	free(buf);
	fail_msg("'%s' not found in %s", prefix, path);
	return 0;
}

static void test_psad_icmp(void **state)
{
	struct diags ds;
	struct icmp_types *t = load_file("tests/data/psad/icmp_types", &ds, 0);

	assert_int_equal(ds.n, 0);
	/* psad-behaviour.md 3.3: TYPE=8 CODE=2 -> Invalid ICMP code for "Echo" */
	assert_int_equal(icmp_types_check(t, 8, 2), ICMP_BAD_CODE);
	assert_string_equal(icmp_types_name(t, 8), "Echo");
	assert_int_equal(icmp_types_check(t, 8, 0), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 0, 0), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 3, 15), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 3, 16), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 9, 16), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 9, 1), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 40, 5), ICMP_VALID);
	/* "Unassigned" types are invalid, and have no name */
	assert_int_equal(icmp_types_check(t, 1, 0), ICMP_BAD_TYPE);
	assert_int_equal(icmp_types_check(t, 7, 0), ICMP_BAD_TYPE);
	assert_null(icmp_types_name(t, 7));
	/* not listed at all */
	assert_int_equal(icmp_types_check(t, 37, 0), ICMP_BAD_TYPE);
	assert_int_equal(icmp_types_check(t, 42, 0), ICMP_BAD_TYPE);
	assert_int_equal(icmp_types_check(t, 255, 0), ICMP_BAD_TYPE);
	/* listed without codes: known type, every code invalid */
	assert_int_equal(icmp_types_check(t, 19, 0), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 30, 0), ICMP_BAD_CODE);
	assert_string_equal(icmp_types_name(t, 30), "Traceroute");
	assert_string_equal(icmp_types_name(t, 3), "Destination Unreachable");
	icmp_types_free(t);
}

static void test_psad_icmp6(void **state)
{
	const char *path = "tests/data/psad/icmp6_types";
	struct diags ds;
	struct icmp_types *t = load_file(path, &ds, 0);

	/* psad's " 137     Redirect Message" is indented: psad reads it as a
	 * code of 136, and so does vigil, with a warning on that line */
	assert_int_equal(ds.n_errors, 0);
	assert_int_equal(ds.n, 1);
	assert_int_equal(ds.d[0].severity, CONFIG_WARNING);
	assert_string_equal(ds.d[0].file, path);
	assert_int_equal(ds.d[0].line, line_of(path, " 137"));
	assert_string_equal(ds.d[0].msg, "indented line read as code 137 of type 136, as psad does"
					 " (a type line starts in column 0)");
	assert_int_equal(icmp_types_check(t, 135, 22), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 135, 0), ICMP_VALID);
	assert_string_equal(icmp_types_name(t, 135), "Neighbor Solicitation");
	assert_int_equal(icmp_types_check(t, 137, 0), ICMP_BAD_TYPE);
	assert_int_equal(icmp_types_check(t, 136, 137), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 138, 255), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 0, 0), ICMP_BAD_CODE); /* "Reserved", no codes */
	assert_int_equal(icmp_types_check(t, 143, 0), ICMP_BAD_TYPE);
	assert_int_equal(icmp_types_check(t, 1, 7), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 1, 8), ICMP_BAD_CODE);
	icmp_types_free(t);
}

/* Every combination psad's file calls valid is valid in vigil's file, and
 * every type psad knows, vigil knows, but for the listed exceptions. */
static void check_superset(const char *psad_path, const char *own_path, const uint8_t (*except)[2],
			   size_t n_except)
{
	struct diags ds;
	struct icmp_types *psad = load_file(psad_path, &ds, 0);
	struct icmp_types *own = load_file(own_path, &ds, 0);
	unsigned n_valid = 0;

	assert_int_equal(ds.n, 0); /* vigil's own file: no warning at all */
	for (unsigned type = 0; type < 256; type++) {
		if (icmp_types_check(psad, (uint8_t)type, 0) != ICMP_BAD_TYPE)
			assert_int_not_equal(icmp_types_check(own, (uint8_t)type, 0), ICMP_BAD_TYPE);
		for (unsigned code = 0; code < 256; code++) {
			bool excepted = false;

			if (icmp_types_check(psad, (uint8_t)type, (uint8_t)code) != ICMP_VALID)
				continue;
			n_valid++;
			for (size_t i = 0; i < n_except; i++)
				excepted |= except[i][0] == type && except[i][1] == code;
			if (excepted) {
				assert_int_not_equal(icmp_types_check(own, (uint8_t)type, (uint8_t)code),
						     ICMP_VALID);
				continue;
			}
			if (icmp_types_check(own, (uint8_t)type, (uint8_t)code) != ICMP_VALID)
				fail_msg("%s: %u/%u valid in psad's file, not in %s", psad_path, type,
					 code, own_path);
		}
	}
	assert_true(n_valid > 20);
	icmp_types_free(psad);
	icmp_types_free(own);
}

static void test_own_icmp(void **state)
{
	struct diags ds;
	struct icmp_types *t = load_file("etc/icmp_types", &ds, 0);

	assert_int_equal(ds.n, 0);
	assert_int_equal(icmp_types_check(t, 8, 2), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 1, 0), ICMP_BAD_TYPE);
	assert_int_equal(icmp_types_check(t, 44, 0), ICMP_BAD_TYPE);
	assert_int_equal(icmp_types_check(t, 42, 0), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 42, 1), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 43, 4), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 40, 5), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 37, 0), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 253, 0), ICMP_BAD_CODE);
	assert_string_equal(icmp_types_name(t, 17), "Address Mask Request (Deprecated)");
	assert_string_equal(icmp_types_name(t, 41),
			    "ICMP messages utilized by experimental mobility protocols such as Seamoby");
	icmp_types_free(t);
	check_superset("tests/data/psad/icmp_types", "etc/icmp_types", NULL, 0);
}

static void test_own_icmp6(void **state)
{
	static const uint8_t except[][2] = { { 136, 137 } }; /* psad's indented 137 */
	struct diags ds;
	struct icmp_types *t = load_file("etc/icmp6_types", &ds, 0);

	assert_int_equal(ds.n, 0);
	assert_int_equal(icmp_types_check(t, 135, 22), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 135, 0), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 137, 0), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 136, 137), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 143, 0), ICMP_VALID);
	assert_string_equal(icmp_types_name(t, 143), "Version 2 Multicast Listener Report");
	assert_int_equal(icmp_types_check(t, 155, 0x8a), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 155, 0x8b), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 151, 4), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 151, 180), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 151, 181), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 160, 0), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 161, 4), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 161, 5), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 4, 10), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 100, 0), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 162, 0), ICMP_BAD_TYPE);
	icmp_types_free(t);
	check_superset("tests/data/psad/icmp6_types", "etc/icmp6_types", except, 1);
}

static void test_semantics(void **state)
{
	struct diags ds;
	struct icmp_types *t;

	/* Unassigned (any case, anywhere in the name) drops the type and its
	 * codes; an "unassigned" code is skipped; a repeated type merges. */
	t = LOAD("1 Echo-ish\n  0\n2   currently UNASSIGNED here\n    0  x\n"
		 "3 Three\n  0 zero\n  1 Unassigned\n  2\n"
		 "3 Three again\n  5\n"
		 "1 Unassigned\n  9\n",
		 &ds, 0);
	assert_int_equal(ds.n, 0);
	assert_int_equal(icmp_types_check(t, 2, 0), ICMP_BAD_TYPE);
	assert_null(icmp_types_name(t, 2));
	assert_int_equal(icmp_types_check(t, 3, 0), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 3, 1), ICMP_BAD_CODE);
	assert_int_equal(icmp_types_check(t, 3, 2), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 3, 5), ICMP_VALID);
	assert_string_equal(icmp_types_name(t, 3), "Three again");
	/* listed valid first, "Unassigned" later: stays valid, as in psad */
	assert_int_equal(icmp_types_check(t, 1, 0), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 1, 9), ICMP_BAD_CODE);
	icmp_types_free(t);

	/* CRLF, tabs, a comment after blanks, no final newline, no name */
	t = LOAD("# c\r\n\t# also a comment\r\n8\tEcho\r\n\t0\r\n\r\n13\r\n\t0", &ds, 0);
	assert_int_equal(ds.n, 0);
	assert_int_equal(icmp_types_check(t, 8, 0), ICMP_VALID);
	assert_string_equal(icmp_types_name(t, 8), "Echo");
	assert_int_equal(icmp_types_check(t, 13, 0), ICMP_VALID);
	assert_string_equal(icmp_types_name(t, 13), "");
	icmp_types_free(t);

	/* nothing: every type invalid; diag may be NULL */
	assert_int_equal(icmp_types_load_buf("empty", "", 0, NULL, NULL, &t), 0);
	for (unsigned i = 0; i < 256; i++)
		assert_int_equal(icmp_types_check(t, (uint8_t)i, 0), ICMP_BAD_TYPE);
	icmp_types_free(t);
	assert_null(icmp_types_free(NULL));
}

static void test_names_escaped(void **state)
{
	struct diags ds;
	struct icmp_types *t;
	char longname[200];

	t = LOAD("8 Ech\x1b[2Jo \\ \xff\n  0\n", &ds, 0);
	assert_string_equal(icmp_types_name(t, 8), "Ech\\x1b[2Jo \\x5c \\xff");
	icmp_types_free(t);

	memset(longname, 'A', sizeof(longname));
	memcpy(longname, "9 ", 2);
	t = load_str(longname, sizeof(longname), &ds, 0);
	assert_int_equal(strlen(icmp_types_name(t, 9)), ICMP_TYPES_NAME_MAX - 1);
	icmp_types_free(t);
}

static void expect_error(const struct diags *ds, unsigned i, unsigned line, const char *msg)
{
	assert_true(i < ds->n);
	assert_int_equal(ds->d[i].severity, CONFIG_ERROR);
	assert_string_equal(ds->d[i].file, "test");
	assert_int_equal(ds->d[i].line, line);
	assert_string_equal(ds->d[i].msg, msg);
}

static void test_malformed(void **state)
{
	static const char text[] = "# header\n"
				   "    0   code before any type\n"   /* 2 */
				   "8   Echo\n"                        /* 3 */
				   "    0\n"
				   "    256 too big\n"                 /* 5 */
				   "300 Too Big\n"                     /* 6 */
				   "99999999999999999999999 Huge\n"    /* 7 */
				   "Echo 8\n"                          /* 8 */
				   "8x  Echo\n"                        /* 9 */
				   "    1\tone\n"
				   "13  Ti\0mestamp\n"                 /* 11 */
				   "    -1\n"                          /* 12 */
				   "14  Timestamp Reply\n"
				   "    0\n";
	struct diags ds;
	struct icmp_types *t = load_str(text, sizeof(text) - 1, &ds, -EINVAL);

	assert_int_equal(ds.n, 8);
	assert_int_equal(ds.n_errors, 8);
	expect_error(&ds, 0, 2, "code line before any type line: '    0   code before any type'");
	expect_error(&ds, 1, 5, "number out of range 0-255: '    256 too big'");
	expect_error(&ds, 2, 6, "number out of range 0-255: '300 Too Big'");
	expect_error(&ds, 3, 7, "number out of range 0-255: '99999999999999999999999 Huge'");
	expect_error(&ds, 4, 8, "expected a type or code number: 'Echo 8'");
	expect_error(&ds, 5, 9, "expected a blank after the number: '8x  Echo'");
	expect_error(&ds, 6, 11, "NUL byte at column 7: '13  Ti\\x00mestamp'");
	expect_error(&ds, 7, 12, "expected a type or code number: '    -1'");
	/* the good lines are kept; "1 one" belongs to type 8 */
	assert_int_equal(icmp_types_check(t, 8, 0), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 8, 1), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 14, 0), ICMP_VALID);
	assert_int_equal(icmp_types_check(t, 13, 0), ICMP_BAD_TYPE);
	icmp_types_free(t);
}

static void test_overlong(void **state)
{
	size_t n = ICMP_TYPES_LINE_MAX + 1;
	char *buf = malloc(n + 16);
	struct diags ds;
	struct icmp_types *t;
	char want[256];

	assert_non_null(buf);
	memcpy(buf, "8 Echo\n", 7);
	memset(buf + 7, 'x', n);
	buf[7] = '9';
	buf[8] = ' ';
	memcpy(buf + 7 + n, "\n  0\n", 5);
	t = load_str(buf, 7 + n + 5, &ds, -EINVAL);
	assert_int_equal(ds.n, 1);
	(void)snprintf(want, sizeof(want),
		       "line too long (%zu bytes, max %d): '9 %.*s...'", n, ICMP_TYPES_LINE_MAX,
		       58, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	expect_error(&ds, 0, 2, want);
	/* the skipped line's codes land on type 8: it was still the last type */
	assert_int_equal(icmp_types_check(t, 9, 0), ICMP_BAD_TYPE);
	assert_int_equal(icmp_types_check(t, 8, 0), ICMP_VALID);
	icmp_types_free(t);
	free(buf);

	/* exactly the limit is fine */
	buf = malloc(ICMP_TYPES_LINE_MAX);
	assert_non_null(buf);
	memset(buf, 'y', ICMP_TYPES_LINE_MAX);
	memcpy(buf, "7 ", 2);
	t = load_str(buf, ICMP_TYPES_LINE_MAX, &ds, 0);
	assert_int_equal(icmp_types_check(t, 7, 0), ICMP_BAD_CODE);
	icmp_types_free(t);
	free(buf);
}

/* Random bytes must never crash or read out of bounds (ASan). */
static void test_random(void **state)
{
	uint32_t s = 12345;
	char buf[512];

	for (int round = 0; round < 2000; round++) {
		struct icmp_types *t = NULL;
		size_t len = (s >> 8) % sizeof(buf);

		for (size_t i = 0; i < len; i++) {
			s = s * 1664525u + 1013904223u;
			buf[i] = "0123456789  \t\n#aU\0\xff"[(s >> 16) % 20];
		}
		int r = icmp_types_load_buf("rnd", buf, len, NULL, NULL, &t);
		assert_true(r == 0 || r == -EINVAL);
		(void)icmp_types_check(t, (uint8_t)s, (uint8_t)(s >> 8));
		icmp_types_free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psad_icmp),
		cmocka_unit_test(test_psad_icmp6),
		cmocka_unit_test(test_own_icmp),
		cmocka_unit_test(test_own_icmp6),
		cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_names_escaped),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
