/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strpool-test.c - interned names: equal strings are one copy, the pool's
 * own; the bounds hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/strpool.h"

static void test_intern(void **state)
{
	struct strpool *p = NULL;
	char buf[32];
	const char *a, *b, *c;

	(void)state;
	assert_int_equal(strpool_new(&p), 0);
	strcpy(buf, "Linux:2.6");
	a = strpool_intern(p, buf, strlen(buf));
	assert_non_null(a);
	assert_ptr_not_equal(a, buf); /* a copy: the caller's buffer may go */
	strcpy(buf, "xxxxx");
	assert_string_equal(a, "Linux:2.6");
	b = strpool_intern(p, "Linux:2.6", 9);
	assert_ptr_equal(a, b);
	c = strpool_intern(p, "Linux:2.6.x", 9); /* the first 9 bytes */
	assert_ptr_equal(a, c);
	c = strpool_intern(p, "Linux", 5);
	assert_ptr_not_equal(a, c);
	assert_string_equal(c, "Linux");
	assert_string_equal(strpool_intern(p, "", 0), "");
	/* a NUL inside ends the copy */
	assert_ptr_equal(strpool_intern(p, "Linux\0junk", 10), c);
	/* many strings: the index grows, every copy stays */
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "os-%d", i);
		assert_non_null(strpool_intern(p, buf, strlen(buf)));
	}
	assert_ptr_equal(strpool_intern(p, "Linux:2.6", 9), a);
	assert_true(strpool_bytes(p) > 5000 * 32);
	assert_null(strpool_free(p));
}

static void test_bounded(void **state)
{
	struct strpool *p = NULL;
	char buf[32];
	size_t kept = 0;

	(void)state;
	assert_int_equal(strpool_new(&p), 0);
	for (int i = 0; i < STRPOOL_MAX + 100; i++) {
		snprintf(buf, sizeof(buf), "name-%d", i);
		if (strpool_intern(p, buf, strlen(buf)))
			kept++;
	}
	assert_int_equal(kept, STRPOOL_MAX);
	assert_true(strpool_bytes(p) <= STRPOOL_BYTES_MAX + (size_t)STRPOOL_MAX * 2 * sizeof(char *));
	/* what is in stays findable */
	assert_non_null(strpool_intern(p, "name-7", 6));
	assert_null(strpool_intern(NULL, "x", 1));
	strpool_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_intern),
	    cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
