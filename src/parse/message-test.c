/* SPDX-License-Identifier: GPL-2.0-or-later */
/* message-test.c - parse_message() (records whose envelope a trusted source
 * read: kmsg, the journal's MESSAGE) and parse_clock_advance() (a live
 * source's yearless dates follow the calendar). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "parse/parse.h"
#include "parse/wrapper.h"
#include "util/span.h"

#define REC                                                                                        \
	"IN=eth0 OUT= MAC=00:13:d3:38:b6:e4:00:30:48:80:4e:37:08:00 SRC=198.18.0.7 "              \
	"DST=198.18.1.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=40000 DPT=22 "     \
	"WINDOW=1024 RES=0x00 SYN URGP=0 OPT (020405B4) "

/* Heap copy without a NUL after it: a read past the span is an ASan error. */
struct msg {
	char *p;
	size_t len;
};

static struct span msg_new(struct msg *m, const char *s, size_t n)
{
	m->p = malloc(n ? n : 1);
	assert_non_null(m->p);
	memcpy(m->p, s, n);
	m->len = n;
	return span_make(m->p, n);
}

static void msg_free(struct msg *m)
{
	free(m->p);
	m->p = NULL;
}

static bool inside(struct span s, const struct msg *m)
{
	return !s.len || (s.p >= m->p && s.p + s.len <= m->p + m->len);
}

static struct record_meta kern_meta(void)
{
	struct record_meta meta = { .facility = 0, .kernel = true };

	meta.time.kind = VTIME_WALL;
	meta.time.sec = 1796083200; /* 2026-12-01 */
	meta.time.usec = 250000;
	meta.time.has_tz = true;
	meta.host = SPAN_LIT("fw1");
	return meta;
}

static void test_kernel_record(void **state)
{
	struct record_meta meta = kern_meta();
	struct event ev;
	enum parse_ignore why = PARSE_IGN_COUNT;
	struct parse_error err = { 0 };
	struct msg m;
	struct span s = msg_new(&m, "DROP " REC, strlen("DROP " REC));

	(void)state;
	memset(&ev, 0x5a, sizeof(ev));
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_EVENT);
	assert_int_equal(ev.time.kind, VTIME_WALL);
	assert_int_equal(ev.time.sec, 1796083200);
	assert_int_equal(ev.time.usec, 250000);
	assert_true(ev.time.has_tz);
	assert_true(span_eq(ev.host, "fw1", 3));
	assert_true(span_eq(ev.prefix, "DROP", 4));
	assert_true(inside(ev.prefix, &m) && inside(ev.in, &m) && inside(ev.mac, &m));
	assert_int_equal(ev.origin, 0);
	assert_int_equal(ev.proto, IPPROTO_NUM_TCP);
	assert_int_equal(ev.dport, 22);
	assert_int_equal(ev.tcp_flags, TCPF_SYN);
	assert_int_equal(ev.chain, CHAIN_INPUT);
	assert_true(ev.has_tcp_opts);
	assert_int_equal(ev.tcp_opt_len, 4);
	assert_memory_equal(ev.tcp_opt_raw, "\x02\x04\x05\xB4", 4);
	assert_true(ev.tcp_opts.has_mss);
	assert_int_equal(ev.tcp_opts.mss, 1460);
	msg_free(&m);

	/* facility unknown (a transport that does not say): the kernel's word
	 * is enough; no prefix, no time, no host */
	meta.facility = -1;
	meta.time.kind = VTIME_NONE;
	meta.host = span_make(NULL, 0);
	s = msg_new(&m, REC, strlen(REC));
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_EVENT);
	assert_int_equal(ev.time.kind, VTIME_NONE);
	assert_int_equal(ev.host.len, 0);
	assert_int_equal(ev.prefix.len, 0);
	assert_int_equal(ev.sport, 40000);
	msg_free(&m);
}

static void test_not_kernel(void **state)
{
	struct record_meta meta = kern_meta();
	struct event ev;
	enum parse_ignore why = PARSE_IGN_COUNT;
	struct parse_error err = { 0 };
	struct msg m;
	struct span s = msg_new(&m, "DROP " REC, strlen("DROP " REC));

	(void)state;
	/* user space writing to /dev/kmsg gets facility user (1) */
	meta.facility = 1;
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_IGNORED);
	assert_int_equal(why, PARSE_IGN_NOT_KERNEL);
	/* any facility but kern, even one a broken transport reports */
	meta.facility = 99;
	why = PARSE_IGN_COUNT;
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_IGNORED);
	assert_int_equal(why, PARSE_IGN_NOT_KERNEL);
	/* the journal's transport is not the kernel's: facility 0 is not enough */
	meta.facility = 0;
	meta.kernel = false;
	why = PARSE_IGN_COUNT;
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_IGNORED);
	assert_int_equal(why, PARSE_IGN_NOT_KERNEL);
	meta.facility = -1;
	why = PARSE_IGN_COUNT;
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_IGNORED);
	assert_int_equal(why, PARSE_IGN_NOT_KERNEL);
	msg_free(&m);
}

static void test_not_firewall(void **state)
{
	static const char *const texts[] = {
		"", " ", "usb 1-1: new high-speed USB device number 2 using xhci_hcd",
		"IN=eth0", "IN=eth0OUT=", "IN=eth0 OUT", "IN= OUT",
	};
	struct record_meta meta = kern_meta();
	struct event ev;
	struct parse_error err = { 0 };
	struct msg m;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		for (int k = 0; k < 2; k++) {
			enum parse_ignore why = PARSE_IGN_COUNT;
			/* no record: said so first, kernel or not (as parse_line) */
			meta.kernel = k == 0;
			struct span s = msg_new(&m, texts[i], strlen(texts[i]));
			assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_IGNORED);
			assert_int_equal(why, PARSE_IGN_NOT_FIREWALL);
			msg_free(&m);
		}
	}
	/* a record of a non-IP frame */
	enum parse_ignore why = PARSE_IGN_COUNT;
	meta.kernel = true;
	static const char arp[] = "DROP IN=eth0 OUT= ARP HTYPE=1 PTYPE=0x0800 OPCODE=1 ";
	struct span s = msg_new(&m, arp, strlen(arp));
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_IGNORED);
	assert_int_equal(why, PARSE_IGN_NOT_IP);
	msg_free(&m);
}

static void test_malformed(void **state)
{
	struct record_meta meta = kern_meta();
	struct event ev;
	enum parse_ignore why = PARSE_IGN_COUNT;
	struct parse_error err = { 0 };
	struct msg m;
	static const char bad_src[] = "DROP IN=eth0 OUT= SRC=198.18.0.999 DST=198.18.1.2 LEN=60 "
				      "TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=1 DPT=2 "
				      "WINDOW=1 RES=0x00 SYN URGP=0 ";
	static const char nul[] = "DROP IN=eth0 OUT= SRC=198.18.0.7\0 DST=198.18.1.2";
	struct span s = msg_new(&m, bad_src, strlen(bad_src));

	(void)state;
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_MALFORMED);
	/* columns count from the message's start */
	assert_int_equal(err.column, strlen("DROP IN=eth0 OUT= SRC=") + 1);
	assert_non_null(strstr(err.reason, "SRC="));
	assert_true(span_eq(err.got, "198.18.0.999", 12));
	msg_free(&m);

	s = msg_new(&m, nul, sizeof(nul) - 1);
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_MALFORMED);
	assert_int_equal(err.column, strlen("DROP IN=eth0 OUT= SRC=198.18.0.7") + 1);
	msg_free(&m);

	/* IPv4 options are at most 40 bytes: the kernel cannot print 41 */
	static const char long_opt[] =
		"DROP IN=eth0 OUT= SRC=198.18.0.7 DST=198.18.1.2 LEN=60 TOS=0x00 PREC=0x00 "
		"TTL=64 ID=1 OPT (0101010101010101010101010101010101010101010101010101010101010101"
		"010101010101010101) PROTO=UDP SPT=1 DPT=2 LEN=8 ";
	s = msg_new(&m, long_opt, strlen(long_opt));
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_MALFORMED);
	assert_non_null(strstr(err.reason, "40"));
	msg_free(&m);
}

/* The message is the kernel's alone: a syslog header inside it is not
 * an envelope (nothing is detected), so its time and host are not read. */
static void test_no_wrapper_detection(void **state)
{
	struct record_meta meta = kern_meta();
	struct event ev;
	enum parse_ignore why = PARSE_IGN_COUNT;
	struct parse_error err = { 0 };
	struct msg m;
	static const char text[] = "Nov 25 12:29:10 evil sshd[1]: " REC;
	struct span s = msg_new(&m, text, strlen(text));

	(void)state;
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_EVENT);
	assert_true(span_eq(ev.prefix, "Nov 25 12:29:10 evil sshd[1]:", 29));
	assert_true(span_eq(ev.host, "fw1", 3));
	assert_int_equal(ev.time.sec, 1796083200);
	msg_free(&m);

	/* a /dev/kmsg record header in the text is text too */
	static const char kmsg[] = "4,1234,5678,-;" REC;
	s = msg_new(&m, kmsg, strlen(kmsg));
	assert_int_equal(parse_message(&meta, s, &ev, &why, &err), PARSE_EVENT);
	assert_true(span_eq(ev.prefix, "4,1234,5678,-;", 14));
	assert_int_equal(ev.time.sec, 1796083200);
	msg_free(&m);
}

/* ---- parse_clock_advance() --------------------------------------------- */

static int64_t wall(int y, unsigned mon, unsigned d, int h, int mi, int s)
{
	return wrapper_days_from_civil(y, mon, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* The wall seconds parse_line() gives a syslog line of date "Mmm dd hh:mm:ss". */
static int64_t date_of(struct parse_input *in, const char *date)
{
	char line[512];
	struct event ev;
	enum parse_ignore why;
	struct parse_error err;
	struct msg m;

	int n = snprintf(line, sizeof(line), "%s fw1 kernel: DROP %s", date, REC);
	assert_true(n > 0 && (size_t)n < sizeof(line));
	struct span s = msg_new(&m, line, (size_t)n);
	assert_int_equal(parse_line(in, s, &ev, &why, &err), PARSE_EVENT);
	msg_free(&m);
	assert_int_equal(ev.time.kind, VTIME_WALL);
	return ev.time.sec;
}

static void test_clock_new_year(void **state)
{
	struct parse_input in;

	(void)state;
	/* a daemon started on 30 Dec */
	parse_input_init(&in, wall(2026, 12, 30, 12, 0, 0));
	assert_int_equal(date_of(&in, "Dec 30 12:00:01"), wall(2026, 12, 30, 12, 0, 1));
	/* without the calendar, "Jan  2" cannot be next year's */
	assert_int_equal(date_of(&in, "Jan  2 00:00:01"), wall(2026, 1, 2, 0, 0, 1));
	/* 2 Jan: the calendar moved on */
	parse_clock_advance(&in.clock, wall(2027, 1, 2, 0, 0, 5));
	assert_int_equal(date_of(&in, "Jan  2 00:00:01"), wall(2027, 1, 2, 0, 0, 1));
	/* a late December line (a backlog, a slow writer) stays in its year */
	assert_int_equal(date_of(&in, "Dec 31 23:59:59"), wall(2026, 12, 31, 23, 59, 59));
	assert_int_equal(date_of(&in, "Jan  1 00:00:00"), wall(2027, 1, 1, 0, 0, 0));
	/* a clock a little ahead of ours (one day of slack, as at init) */
	assert_int_equal(date_of(&in, "Jan  2 23:00:00"), wall(2027, 1, 2, 23, 0, 0));
	/* the reference never goes back */
	parse_clock_advance(&in.clock, wall(2026, 12, 30, 0, 0, 0));
	assert_int_equal(in.clock.ref_sec, wall(2027, 1, 2, 0, 0, 5));
	assert_int_equal(date_of(&in, "Jan  2 00:00:01"), wall(2027, 1, 2, 0, 0, 1));
}

static void test_clock_same_year(void **state)
{
	struct parse_input in;

	(void)state;
	/* within a year the cached dates stay, the choice follows the reference */
	parse_input_init(&in, wall(2026, 2, 1, 0, 0, 0));
	assert_int_equal(date_of(&in, "Feb 10 12:00:00"), wall(2025, 2, 10, 12, 0, 0));
	parse_clock_advance(&in.clock, wall(2026, 2, 10, 0, 0, 0));
	assert_int_equal(date_of(&in, "Feb 10 12:00:00"), wall(2026, 2, 10, 12, 0, 0));
	/* 29 Feb: the latest leap year, until the calendar reaches the next */
	parse_clock_advance(&in.clock, wall(2027, 6, 1, 0, 0, 0));
	assert_int_equal(date_of(&in, "Feb 29 08:00:00"), wall(2024, 2, 29, 8, 0, 0));
	parse_clock_advance(&in.clock, wall(2028, 3, 1, 0, 0, 0));
	assert_int_equal(date_of(&in, "Feb 29 08:00:00"), wall(2028, 2, 29, 8, 0, 0));
	/* advancing to the same second again changes nothing */
	parse_clock_advance(&in.clock, wall(2028, 3, 1, 0, 0, 0));
	assert_int_equal(in.clock.ref_sec, wall(2028, 3, 1, 0, 0, 0));
	assert_int_equal(date_of(&in, "Feb 29 08:00:00"), wall(2028, 2, 29, 8, 0, 0));
	/* a line that carries its year still raises the reference, and an
	 * advance to an earlier time keeps it */
	assert_int_equal(date_of(&in, "2029-01-05T10:00:00"), wall(2029, 1, 5, 10, 0, 0));
	parse_clock_advance(&in.clock, wall(2028, 12, 1, 0, 0, 0));
	assert_int_equal(in.clock.ref_sec, wall(2029, 1, 5, 10, 0, 0));
	assert_int_equal(date_of(&in, "Jan  5 09:00:00"), wall(2029, 1, 5, 9, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_record),
		cmocka_unit_test(test_not_kernel),
		cmocka_unit_test(test_not_firewall),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_no_wrapper_detection),
		cmocka_unit_test(test_clock_new_year),
		cmocka_unit_test(test_clock_same_year),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
