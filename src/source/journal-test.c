/* SPDX-License-Identifier: GPL-2.0-or-later */
/* journal-test.c - the journal source's arguments and positions, and
 * reading an empty journal directory. Real entries (kernel transport,
 * cursor resume, vacuum) are in tests/journal.sh, which writes a private
 * journal with systemd-journal-remote. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/source.h"

static void on_record(const struct source_record *r, void *data)
{
	(*(int *)data)++;
}

static void test_args(void **state)
{
	struct source_opts o = { .max_line = 1024 };
	struct source *s = NULL;

	assert_int_equal(source_journal_new("relative/dir", &o, &s), -EINVAL);
	assert_int_equal(source_journal_new("/etc/hostname", &o, &s), -ENOTDIR);
	assert_int_equal(source_journal_new(NULL, &o, &s), 0);
	assert_string_equal(s->spec, "journal");
	assert_string_equal(s->ops->kind, "journal");
	assert_int_equal(s->ops->fd(s), -1);
	assert_int_equal(s->ops->read(s, 10, on_record, NULL), -EBADF);
	s->ops->free(s);
	assert_int_equal(source_journal_new("/var/log/journal", &o, &s), 0);
	assert_string_equal(s->spec, "journal:/var/log/journal");
	s->ops->free(s);
}

static void test_positions(void **state)
{
	struct source *s = NULL;
	char buf[SOURCE_POS_MAX], big[SOURCE_POS_MAX + 10];
	const char *good = "cursor=s=0123abcd;i=1;b=0123;m=3e8;t=6611967929400;x=251c";

	assert_int_equal(source_journal_new(NULL, NULL, &s), 0);
	assert_int_equal(s->ops->save(s, buf, sizeof(buf)), 0); /* none yet */
	assert_int_equal(s->ops->restore(s, "seq=12 boot=x", 13), -EINVAL);
	assert_int_equal(s->ops->restore(s, "cursor=", 7), -EINVAL);
	assert_int_equal(s->ops->restore(s, "cursor=a b", 10), -EINVAL);
	assert_int_equal(s->ops->restore(s, "cursor=a\nb", 10), -EINVAL);
	memset(big, 'a', sizeof(big));
	memcpy(big, "cursor=", 7);
	assert_int_equal(s->ops->restore(s, big, sizeof(big)), -EINVAL);
	assert_int_equal(s->ops->restore(s, good, strlen(good)), 0);
	assert_int_equal(s->ops->save(s, buf, sizeof(buf)), strlen(good));
	assert_memory_equal(buf, good, strlen(good));
	assert_int_equal(s->ops->save(s, buf, 10), 0); /* does not fit: nothing */
	s->ops->free(s);
}

static void test_empty_directory(void **state)
{
	char dir[] = "/tmp/vigil-journal-test.XXXXXX";
	struct source *s = NULL;
	int n = 0;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(source_journal_new(dir, NULL, &s), 0);
	assert_int_equal(s->ops->open(s), 0);
	assert_true(s->ops->fd(s) >= 0);
	assert_int_equal(s->ops->read(s, 10, on_record, &n), 0);
	assert_int_equal(n, 0);
	s->ops->close(s);
	assert_int_equal(s->ops->fd(s), -1);
	assert_int_equal(s->ops->open(s), 0); /* reopened */
	assert_int_equal(s->n.reopened, 1);
	s->ops->free(s);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_empty_directory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
