/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event-test.c - option bytes into the event: event_tcp_opts_decode() and
 * the setters a binary source (NFLOG) uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "event/event.h"

static void test_decode_linux_syn(void **state)
{
	/* Linux connect(): MSS 1460, SACK permitted, timestamps, NOP, WS 7 */
	static const uint8_t b[] = { 0x02, 0x04, 0x05, 0xB4, 0x04, 0x02, 0x08, 0x0A, 0x31, 0xCA,
				     0xD9, 0x28, 0x00, 0x00, 0x00, 0x01, 0x01, 0x03, 0x03, 0x07 };
	struct tcp_opts o;

	(void)state;
	memset(&o, 0x5a, sizeof(o));
	event_tcp_opts_decode(b, sizeof(b), &o);
	assert_int_equal(o.count, 5);
	assert_int_equal(o.kinds[0], TCPOPT_KIND_MSS);
	assert_int_equal(o.kinds[1], TCPOPT_KIND_SACKOK);
	assert_int_equal(o.kinds[2], TCPOPT_KIND_TS);
	assert_int_equal(o.kinds[3], TCPOPT_KIND_NOP);
	assert_int_equal(o.kinds[4], TCPOPT_KIND_WS);
	assert_true(o.has_mss && o.has_sackok && o.has_ts && o.has_ws);
	assert_int_equal(o.mss, 1460);
	assert_int_equal(o.wscale, 7);
	assert_int_equal(o.tsval, 0x31CAD928u);
	assert_int_equal(o.tsecr, 1);
	assert_false(o.truncated);
	assert_false(o.past_eol);

	/* nothing at all */
	event_tcp_opts_decode(NULL, 0, &o);
	assert_int_equal(o.count, 0);
	assert_false(o.truncated);
}

static void test_decode_bad(void **state)
{
	static const uint8_t past_end[] = { 0x02, 0x04, 0x05 };
	static const uint8_t zero_len[] = { 0x01, 0x08, 0x00, 0x00 };
	static const uint8_t after_eol[] = { 0x02, 0x04, 0x05, 0xB4, 0x00, 0x00, 0x01 };
	uint8_t big[64];
	struct tcp_opts o;

	(void)state;
	event_tcp_opts_decode(past_end, sizeof(past_end), &o);
	assert_true(o.truncated);
	assert_false(o.has_mss);
	event_tcp_opts_decode(zero_len, sizeof(zero_len), &o);
	assert_true(o.truncated); /* a length below 2 does not move the walk */
	assert_int_equal(o.count, 2);
	event_tcp_opts_decode(after_eol, sizeof(after_eol), &o);
	assert_true(o.past_eol);
	assert_true(o.has_mss);
	assert_false(o.truncated);
	/* more than a header can carry: only the first 40 bytes are read */
	memset(big, TCPOPT_KIND_NOP, sizeof(big));
	event_tcp_opts_decode(big, sizeof(big), &o);
	assert_int_equal(o.count, EVENT_TCPOPT_MAX);
	big[EVENT_OPT_MAX] = TCPOPT_KIND_MSS; /* past 40: never read */
	memset(big, 0, EVENT_OPT_MAX);
	event_tcp_opts_decode(big, sizeof(big), &o);
	assert_int_equal(o.count, 1);
	assert_false(o.past_eol);
}

static void test_setters(void **state)
{
	static const uint8_t mss[] = { 0x02, 0x04, 0x05, 0xB4 };
	static const uint8_t rr[] = { 0x07, 0x07, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00 };
	uint8_t big[EVENT_OPT_MAX + 4] = { 0 };
	struct event ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	event_set_tcp_opts(&ev, mss, sizeof(mss));
	assert_true(ev.has_tcp_opts);
	assert_false(ev.tcp_opt_bad);
	assert_int_equal(ev.tcp_opt_len, 4);
	assert_memory_equal(ev.tcp_opt_raw, mss, 4);
	assert_true(ev.tcp_opts.has_mss);
	/* unreadable: no bytes, truncated, and it replaces what was there */
	event_set_tcp_opts(&ev, NULL, 0);
	assert_true(ev.has_tcp_opts && ev.tcp_opt_bad && ev.tcp_opts.truncated);
	assert_int_equal(ev.tcp_opt_len, 0);
	assert_false(ev.tcp_opts.has_mss);
	event_set_tcp_opts(&ev, big, sizeof(big));
	assert_true(ev.tcp_opt_bad && ev.tcp_opts.truncated);
	assert_int_equal(ev.tcp_opt_len, 0);
	/* the event's own bytes may be passed back */
	memcpy(ev.tcp_opt_raw, mss, sizeof(mss));
	event_set_tcp_opts(&ev, ev.tcp_opt_raw, sizeof(mss));
	assert_false(ev.tcp_opt_bad);
	assert_int_equal(ev.tcp_opts.mss, 1460);

	event_set_ip_opts(&ev, rr, sizeof(rr));
	assert_false(ev.ip_opt_bad);
	assert_int_equal(ev.ip_opt_len, sizeof(rr));
	assert_memory_equal(ev.ip_opt_raw, rr, sizeof(rr));
	event_set_ip_opts(&ev, big, sizeof(big));
	assert_true(ev.ip_opt_bad);
	assert_int_equal(ev.ip_opt_len, 0);
	event_set_ip_opts(&ev, rr, sizeof(rr));
	assert_false(ev.ip_opt_bad);
	event_set_ip_opts(&ev, NULL, 0);
	assert_true(ev.ip_opt_bad);
	assert_int_equal(ev.ip_opt_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_linux_syn),
		cmocka_unit_test(test_decode_bad),
		cmocka_unit_test(test_setters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
