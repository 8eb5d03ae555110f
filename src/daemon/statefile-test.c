/* SPDX-License-Identifier: GPL-2.0-or-later */
/* statefile-test.c - sections survive a round trip; every damaged, foreign
 * or truncated file is refused with a reason, never half-read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/statefile.h"

#define TAG_A STATEFILE_TAG('A', 'A', 'A', 'A')
#define TAG_B STATEFILE_TAG('B', 'B', 'B', 'B')

static char dir[64], path[128];

static int setup(void **state)
{
	strcpy(dir, "/tmp/vigil-statefile-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/state", dir);
	return 0;
}

static int teardown(void **state)
{
	char p[160];

	unlink(path);
	snprintf(p, sizeof(p), "%s.bad", path);
	unlink(p);
	return rmdir(dir);
}

static void write_two(void)
{
	struct statefile_section s[] = {
		{ TAG_A, "hello", 5 },
		{ TAG_B, "", 0 },
	};
	assert_int_equal(statefile_write(path, s, 2), 0);
}

static void test_round_trip(void **state)
{
	struct statefile *f = NULL;
	const char *why = NULL;
	const void *d;
	size_t n;
	struct stat st;

	write_two();
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(statefile_read(path, 1 << 20, &f, &why), 0);
	assert_int_equal(statefile_get(f, TAG_A, &d, &n), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(d, "hello", 5);
	assert_int_equal(statefile_get(f, TAG_B, &d, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(statefile_get(f, STATEFILE_TAG('C', 'C', 'C', 'C'), &d, &n), -ENOENT);
	statefile_free(f);
}

static void test_missing(void **state)
{
	struct statefile *f = NULL;
	const char *why = NULL;

	assert_int_equal(statefile_read(path, 1 << 20, &f, &why), -ENOENT);
}

/* Every single-byte change and every truncation is caught. */
static void test_damage_refused(void **state)
{
	FILE *fp;
	uint8_t buf[256];
	size_t len;

	write_two();
	fp = fopen(path, "rb");
	assert_non_null(fp);
	len = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_true(len > 20);
	for (size_t i = 0; i < len; i++) {
		struct statefile *f = NULL;
		const char *why = NULL;

		buf[i] ^= 0x40;
		assert_int_equal(statefile_parse(buf, len, &f, &why), -EINVAL);
		assert_non_null(why);
		buf[i] ^= 0x40;
	}
	for (size_t cut = 0; cut < len; cut++) {
		struct statefile *f = NULL;
		const char *why = NULL;

		assert_int_equal(statefile_parse(buf, cut, &f, &why), -EINVAL);
	}
	struct statefile *f = NULL;
	const char *why = NULL;

	assert_int_equal(statefile_parse(buf, len, &f, &why), 0);
	statefile_free(f);
}

static void test_foreign_set_aside(void **state)
{
	struct statefile *f = NULL;
	const char *why = NULL;
	char bad[160];
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs("SCAN_TIMEOUT 3600;\n", fp);
	fclose(fp);
	assert_int_equal(statefile_read(path, 1 << 20, &f, &why), -EINVAL);
	assert_string_equal(why, "not a vigil state file");
	assert_int_equal(statefile_set_aside(path), 0);
	snprintf(bad, sizeof(bad), "%s.bad", path);
	assert_int_equal(access(bad, F_OK), 0);
	assert_int_equal(access(path, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damage_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_set_aside, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
