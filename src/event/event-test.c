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
#include "event/protoname.h"

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

/* Earliest and latest in real time: offsets taken into account. */
static void test_vtime_merge_zones(void **state)
{
	/* 10:30+02:00 (08:30Z) is before 09:00+00:00 although its clock reads later */
	struct vtime a = { .sec = 10 * 3600 + 1800, .kind = VTIME_WALL, .has_tz = true, .tz_min = 120 };
	struct vtime b = { .sec = 9 * 3600, .kind = VTIME_WALL, .has_tz = true, .tz_min = 0 };
	/* a DST change: 02:30+01:00 (01:30Z), then 03:10+02:00 (01:10Z) */
	struct vtime c = { .sec = 2 * 3600 + 1800, .kind = VTIME_WALL, .has_tz = true, .tz_min = 60 };
	struct vtime d = { .sec = 3 * 3600 + 600, .kind = VTIME_WALL, .has_tz = true, .tz_min = 120 };
	struct vtime up = { .sec = 5, .kind = VTIME_UPTIME };
	struct vtime first = { 0 }, last = { 0 };

	(void)state;
	assert_true(vtime_cmp(&a, &b) < 0);
	assert_true(vtime_cmp(&b, &a) > 0);
	assert_int_equal(vtime_cmp(&a, &a), 0);
	vtime_merge(&first, &last, &b);
	vtime_merge(&first, &last, &a);
	assert_int_equal(first.sec, a.sec);
	assert_int_equal(first.tz_min, 120);
	assert_int_equal(last.sec, b.sec);
	vtime_merge(&first, &last, &up); /* another kind: left out */
	assert_int_equal(last.kind, VTIME_WALL);
	first = last = (struct vtime){ 0 };
	vtime_merge(&first, &last, &c);
	vtime_merge(&first, &last, &d);
	assert_int_equal(first.sec, d.sec);
	assert_int_equal(last.sec, c.sec);
	/* same second: the fraction decides */
	a = b;
	a.usec = 1;
	assert_true(vtime_cmp(&b, &a) < 0);
}

static void test_proto_names(void **state)
{
	char buf[PROTO_NAME_MAX];
	unsigned named = 0;

	(void)state;
	assert_string_equal(proto_name(0), "hopopt");
	assert_string_equal(proto_name(1), "icmp");
	assert_string_equal(proto_name(4), "ipv4");
	assert_string_equal(proto_name(6), "tcp");
	assert_string_equal(proto_name(17), "udp");
	assert_string_equal(proto_name(41), "ipv6");
	assert_string_equal(proto_name(47), "gre");
	assert_string_equal(proto_name(58), "ipv6-icmp");
	assert_string_equal(proto_name(132), "sctp");
	assert_string_equal(proto_name(136), "udplite");
	assert_string_equal(proto_name(137), "mpls-in-ip");
	assert_string_equal(proto_name(145), "nsh");
	assert_null(proto_name(61));
	assert_null(proto_name(146));
	assert_null(proto_name(255));
	assert_string_equal(proto_name_or_num(253, buf), "253");
	assert_string_equal(proto_name_or_num(6, buf), "tcp");
	for (unsigned p = 0; p < 256; p++) {
		const char *n = proto_name((uint8_t)p);
		if (!n)
			continue;
		named++;
		assert_true(strlen(n) < PROTO_NAME_MAX);
		for (const char *c = n; *c; c++) /* lower case, no space: a JSON key and a word */
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
				    strchr("-.+/", *c));
		for (unsigned q = 0; q < p; q++) /* each keyword once */
			assert_false(proto_name((uint8_t)q) && !strcmp(proto_name((uint8_t)q), n));
	}
	assert_int_equal(named, 146 - 5); /* 0-145 less 61, 63, 68, 99, 114 */
	/* and back */
	assert_int_equal(proto_by_name("tcp", 3), 6);
	assert_int_equal(proto_by_name("IPv6-ICMP", 9), 58);
	assert_int_equal(proto_by_name("gre", 3), 47);
	assert_int_equal(proto_by_name("47", 2), 47);
	assert_int_equal(proto_by_name("255", 3), 255);
	assert_int_equal(proto_by_name("256", 3), -1);
	assert_int_equal(proto_by_name("00047", 5), -1);
	assert_int_equal(proto_by_name("tcpx", 4), -1);
	assert_int_equal(proto_by_name("tcpx", 3), 6);
	assert_int_equal(proto_by_name("", 0), -1);
	for (unsigned p = 0; p < 256; p++)
		if (proto_name((uint8_t)p))
			assert_int_equal(proto_by_name(proto_name((uint8_t)p),
						       strlen(proto_name((uint8_t)p))), (int)p);
		/* the alert line's words (a contract) */
	assert_string_equal(event_proto_name_af(58, true), "icmp6");
	assert_null(event_proto_name_af(58, false));
	assert_null(event_proto_name_af(1, true));
	assert_string_equal(event_proto_name_af(6, false), "tcp");
	assert_null(event_proto_name_af(47, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_linux_syn),
		cmocka_unit_test(test_vtime_merge_zones),
		cmocka_unit_test(test_proto_names),
		cmocka_unit_test(test_decode_bad),
		cmocka_unit_test(test_setters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
