/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log-test.c - every message is one line starting "vigil: ": a control byte
 * left in a message (a caller forgot to escape) cannot forge another line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unistd.h>

#include "util/escape.h"
#include "util/log.h"

/* What log calls write to stderr, captured through a temporary file. */
static char captured[4096];

static void capture_begin(FILE **tmp, int *saved)
{
	fflush(stderr);
	*tmp = tmpfile();
	assert_non_null(*tmp);
	*saved = dup(STDERR_FILENO);
	assert_true(*saved >= 0);
	assert_true(dup2(fileno(*tmp), STDERR_FILENO) >= 0);
}

static void capture_end(FILE *tmp, int saved)
{
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	size_t n = fread(captured, 1, sizeof(captured) - 1, tmp);
	captured[n] = '\0';
	fclose(tmp);
}

static void test_control_bytes_defused(void **state)
{
	FILE *tmp;
	int saved;

	capture_begin(&tmp, &saved);
	log_error("cannot read '%s'", "x\nvigil: forged\r\033[2J");
	log_errno(-2, "file '%s'", "a\nb");
	capture_end(tmp, saved);
	assert_string_equal(captured, "vigil: cannot read 'x\\x0avigil: forged\\x0d\\x1b[2J'\n"
				      "vigil: file 'a\\x0ab': No such file or directory\n");
}

static void test_escaped_names_unchanged(void **state)
{
	char esc[64];
	FILE *tmp;
	int saved;

	/* escape_str's own output passes through as it is: no double escaping */
	assert_string_equal(escape_str("x\ny\\z\xff", esc, sizeof(esc)), "x\\x0ay\\x5cz\\xff");
	capture_begin(&tmp, &saved);
	log_warn("'%s'", esc);
	capture_end(tmp, saved);
	assert_string_equal(captured, "vigil: 'x\\x0ay\\x5cz\\xff'\n");
}

static void test_escape_str_cut(void **state)
{
	char esc[12];

	/* cut marked with "...", always terminated */
	assert_string_equal(escape_str("0123456789abcdef", esc, sizeof(esc)), "01234567...");
	assert_string_equal(escape_str("\n\n\n", esc, sizeof(esc)), "\\x0a\\x0a...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_bytes_defused),
		cmocka_unit_test(test_escaped_names_unchanged),
		cmocka_unit_test(test_escape_str_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
