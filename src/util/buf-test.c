/* SPDX-License-Identifier: GPL-2.0-or-later */
/* buf-test.c - the bounded buffer: growth up to the ceiling and not a byte
 * past it, the sticky overflow, printf, consume, and the stdio stream over
 * it (a refused write is a stdio error). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"

static void test_put_to_ceiling(void **state)
{
	struct buf b;
	char chunk[100];

	memset(chunk, 'a', sizeof(chunk));
	buf_init(&b, 1000);
	for (int i = 0; i < 10; i++)
		assert_int_equal(buf_put(&b, chunk, sizeof(chunk)), 0);
	assert_int_equal(b.len, 1000);
	assert_true(b.cap <= 1000);
	assert_false(b.overflow);
	assert_int_equal(buf_put(&b, "x", 1), -ENOBUFS);
	assert_true(b.overflow);
	assert_int_equal(b.len, 1000); /* nothing of the refused write */
	assert_int_equal(buf_put(&b, "", 0), -ENOBUFS); /* sticky */
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_false(b.overflow);
	assert_int_equal(buf_put(&b, "xy", 2), 0);
	assert_memory_equal(b.data, "xy", 2);
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.max, 1000);
}

static void test_small_ceiling(void **state)
{
	struct buf b;

	buf_init(&b, 10);
	assert_int_equal(buf_put(&b, "0123456789", 10), 0);
	assert_true(b.cap <= 10);
	assert_int_equal(buf_put(&b, "x", 1), -ENOBUFS);
	buf_release(&b);
	buf_init(&b, 0);
	assert_int_equal(buf_put(&b, "", 0), 0);
	assert_int_equal(buf_put(&b, "x", 1), -ENOBUFS);
	buf_release(&b);
}

static void test_printf_consume(void **state)
{
	struct buf b;

	buf_init(&b, 64);
	assert_int_equal(buf_printf(&b, "%s %d\n", "ERR", 42), 0);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "ERR 42\n", 7);
	buf_consume(&b, 4);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "42\n", 3);
	buf_consume(&b, 99);
	assert_int_equal(b.len, 0);
	/* printf reserves room for vsnprintf's NUL too: 63 characters fit in 64 */
	assert_int_equal(buf_printf(&b, "%063d", 0), 0);
	assert_int_equal(b.len, 63);
	assert_int_equal(buf_printf(&b, "%s", "toolong"), -ENOBUFS);
	assert_int_equal(b.len, 63);
	buf_release(&b);
}

static void test_fopen(void **state)
{
	struct buf b;
	FILE *f;

	buf_init(&b, 16);
	f = buf_fopen(&b);
	assert_non_null(f);
	assert_true(fputs("hello ", f) >= 0);
	assert_true(fprintf(f, "%d", 12345) > 0);
	assert_false(ferror(f));
	assert_true(fputs("past the ceiling", f) == EOF || ferror(f));
	assert_true(ferror(f));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(b.len, 11);
	assert_memory_equal(b.data, "hello 12345", 11);
	assert_true(b.overflow);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_to_ceiling),
		cmocka_unit_test(test_small_ceiling),
		cmocka_unit_test(test_printf_consume),
		cmocka_unit_test(test_fopen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
