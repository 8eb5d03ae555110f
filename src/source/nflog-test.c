/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nflog-test.c - the NFLOG source's arguments and its (empty) position.
 * Binding a group and real packets are in tests/nflog.sh (network
 * namespaces); the decoding of packets in packet-test.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "source/source.h"

static void test_args(void **state)
{
	struct source_opts o = { .max_line = 1024, .rcvbuf = 1 << 20 };
	struct source *s = NULL;
	char buf[SOURCE_POS_MAX];

	assert_int_equal(source_nflog_new(NULL, &o, &s), -EINVAL);
	assert_int_equal(source_nflog_new("", &o, &s), -EINVAL);
	assert_int_equal(source_nflog_new("abc", &o, &s), -EINVAL);
	assert_int_equal(source_nflog_new("-1", &o, &s), -EINVAL);
	assert_int_equal(source_nflog_new("65536", &o, &s), -EINVAL);
	assert_int_equal(source_nflog_new("5 ", &o, &s), -EINVAL);
	assert_int_equal(source_nflog_new("65535", &o, &s), 0);
	s->ops->free(s);
	assert_int_equal(source_nflog_new("5", &o, &s), 0);
	assert_string_equal(s->spec, "nflog:5");
	assert_string_equal(s->ops->kind, "nflog");
	assert_int_equal(s->ops->fd(s), -1);
	assert_int_equal(s->ops->read(s, 10, NULL, NULL), -EBADF);
	assert_int_equal(s->ops->save(s, buf, sizeof(buf)), 0);
	assert_int_equal(s->ops->restore(s, "", 0), 0);
	assert_int_equal(s->ops->restore(s, "seq=1", 5), -EINVAL);
	s->ops->close(s); /* closing what is not open is harmless */
	s->ops->free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
