/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lines-test.c - the line splitter: lines split across writes, partial last
 * lines kept, overlong lines cut and their rest dropped wherever the writes
 * break, consumed offsets, flush, reset, and a fixed buffer under a flood. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "source/lines.h"

/* Write s into the splitter in pieces of at most step bytes, taking every
 * complete line after each piece; the lines are appended to out as
 * "text|" or "text*|" (overlong). */
static void feed(struct lines *l, const char *s, size_t step, char *out, size_t outlen)
{
	size_t len = strlen(s);

	while (len) {
		size_t room, n;
		char *p = lines_space(l, &room);

		assert_true(room > 0);
		n = len < step ? len : step;
		if (n > room)
			n = room;
		memcpy(p, s, n);
		lines_commit(l, n);
		s += n;
		len -= n;
		struct span line;
		bool over;
		while (lines_next(l, &line, &over) == 1) {
			size_t o = strlen(out);
			assert_true(o + line.len + 3 < outlen);
			memcpy(out + o, line.p, line.len);
			strcpy(out + o + line.len, over ? "*|" : "|");
		}
	}
}

static void test_split_any_step(void **state)
{
	const char *in = "one\ntwo\n\nthree\nfour";

	for (size_t step = 1; step <= 20; step++) {
		struct lines l;
		char out[256] = "";

		assert_int_equal(lines_init(&l, 100, 16), 0);
		feed(&l, in, step, out, sizeof(out));
		assert_string_equal(out, "one|two||three|");
		/* "four" is unfinished: kept, not handed, not consumed */
		assert_int_equal(lines_pending(&l), 4);
		assert_int_equal(lines_consumed(&l), 15);
		feed(&l, "\n", 1, out, sizeof(out));
		assert_string_equal(out, "one|two||three|four|");
		assert_int_equal(lines_consumed(&l), 20);
		assert_int_equal(lines_pending(&l), 0);
		lines_done(&l);
	}
}

static void test_overlong_any_step(void **state)
{
	/* max_line 5: "abcdefghij" is cut to "abcde"; "12345" fits exactly */
	const char *in = "abcdefghij\n12345\nxy\n123456\nlast";

	for (size_t step = 1; step <= 32; step++) {
		struct lines l;
		char out[256] = "";

		assert_int_equal(lines_init(&l, 5, 8), 0);
		feed(&l, in, step, out, sizeof(out));
		assert_string_equal(out, "abcde*|12345|xy|12345*|");
		assert_int_equal(l.overlong, 2);
		assert_int_equal(l.dropped, 5 + 1);
		assert_int_equal(lines_consumed(&l), 27);
		assert_int_equal(lines_pending(&l), 4);
		lines_done(&l);
	}
}

static void test_overlong_waits_for_newline(void **state)
{
	struct lines l;
	char out[256] = "";

	assert_int_equal(lines_init(&l, 4, 8), 0);
	feed(&l, "0123456789", 3, out, sizeof(out));
	/* cut, but not handed until its end is seen: a restart resumes after
	 * the whole line, never in its middle */
	assert_string_equal(out, "");
	feed(&l, "abcdefghijklmnopqrstuvwxyz", 7, out, sizeof(out));
	assert_string_equal(out, "");
	assert_true(lines_pending(&l) <= 4);
	/* nothing handed: a position saved now is before the whole line */
	assert_int_equal(lines_consumed(&l), 0);
	feed(&l, "XY\nok\n", 2, out, sizeof(out));
	assert_string_equal(out, "0123*|ok|");
	assert_int_equal(lines_consumed(&l), 10 + 26 + 3 + 3);
	assert_int_equal(l.dropped, 6 + 26 + 2);
	lines_done(&l);
}

static void test_flush(void **state)
{
	struct lines l;
	char out[64] = "";
	struct span line;
	bool over;

	assert_int_equal(lines_init(&l, 4, 8), 0);
	assert_int_equal(lines_flush(&l, &line, &over), 0);
	feed(&l, "ab\ncd", 8, out, sizeof(out));
	assert_int_equal(lines_flush(&l, &line, &over), 1);
	assert_int_equal(line.len, 2);
	assert_memory_equal(line.p, "cd", 2);
	assert_false(over);
	assert_int_equal(lines_flush(&l, &line, &over), 0);
	assert_int_equal(lines_consumed(&l), 5);
	/* an unfinished overlong line is flushed cut */
	feed(&l, "123456789", 8, out, sizeof(out));
	assert_int_equal(lines_flush(&l, &line, &over), 1);
	assert_int_equal(line.len, 4);
	assert_true(over);
	assert_int_equal(lines_consumed(&l), 14);
	assert_int_equal(lines_flush(&l, &line, &over), 0);
	lines_done(&l);
}

static void test_reset(void **state)
{
	struct lines l;
	char out[64] = "";

	assert_int_equal(lines_init(&l, 4, 8), 0);
	feed(&l, "ab\ncdefgh", 8, out, sizeof(out));
	lines_reset(&l);
	assert_int_equal(lines_pending(&l), 0);
	assert_int_equal(lines_consumed(&l), 0);
	feed(&l, "x\n", 8, out, sizeof(out));
	assert_string_equal(out, "ab|x|");
	lines_done(&l);
	lines_done(&l); /* idempotent */
}

/* 4 MiB with no newline, then a line: the buffer never grows and the one
 * line is handed cut. */
static void test_flood_bounded(void **state)
{
	struct lines l;
	size_t total = 0;
	struct span line;
	bool over;

	assert_int_equal(lines_init(&l, 100, 4096), 0);
	size_t cap = l.cap;
	while (total < (4u << 20)) {
		size_t room;
		char *p = lines_space(&l, &room);
		assert_true(room >= 4096);
		memset(p, 'A', 4096);
		lines_commit(&l, 4096);
		total += 4096;
		assert_int_equal(lines_next(&l, &line, &over), 0);
	}
	size_t room;
	char *p = lines_space(&l, &room);
	memcpy(p, "B\nC\n", 4);
	lines_commit(&l, 4);
	assert_int_equal(lines_next(&l, &line, &over), 1);
	assert_true(over);
	assert_int_equal(line.len, 100);
	assert_int_equal(lines_next(&l, &line, &over), 1);
	assert_false(over);
	assert_memory_equal(line.p, "C", 1);
	assert_int_equal(l.cap, cap);
	assert_int_equal(lines_consumed(&l), total + 4);
	lines_done(&l);
}

/* Complete lines left in the buffer (a budget stopped the caller): the
 * space shrinks but what is there is kept. */
static void test_lines_left_in_buffer(void **state)
{
	struct lines l;
	size_t room;
	struct span line;
	bool over;
	int n = 0;

	assert_int_equal(lines_init(&l, 8, 16), 0);
	for (int i = 0; i < 8; i++) {
		char *p = lines_space(&l, &room);
		if (room < 3)
			break;
		memcpy(p, "ab\n", 3);
		lines_commit(&l, 3);
	}
	while (lines_next(&l, &line, &over) == 1) {
		assert_int_equal(line.len, 2);
		n++;
	}
	assert_int_equal(n, 8);
	lines_done(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_any_step),
		cmocka_unit_test(test_overlong_any_step),
		cmocka_unit_test(test_overlong_waits_for_newline),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_flood_bounded),
		cmocka_unit_test(test_lines_left_in_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
