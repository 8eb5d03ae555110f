/* SPDX-License-Identifier: GPL-2.0-or-later */
/* envelope-test.c - unit tests for the per-input format and the envelopes
 * that carry who wrote a line: tags, PIDs, facilities, journalctl's
 * short-unix/-full/-monotonic, json and export, busybox and OpenWrt
 * logread, DShield, nested RFC 5424, rsyslog's repeated messages.
 *
 * Lines are written from the formats as the tools print them (journalctl(1)
 * -o, systemd's JSON and Journal Export Format documents, busybox
 * syslogd.c, OpenWrt logread, rsyslog's RepeatedMsgReduction), not from the
 * implementation. Addresses come from 198.18.0.0/15 (RFC 2544).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event/event.h"
#include "parse/parse.h"
#include "util/span.h"

#include "parse/parse-fixture.h"

#define assert_span(s, want) span_eq_at((s), (want), __FILE__, __LINE__)
#define assert_addr(a, want) addr_eq_at(&(a), (want), __FILE__, __LINE__)

#define TCP4                                                                                       \
	"IN=eth0 OUT= MAC=00:13:d3:38:b6:e4:00:30:48:80:4e:37:08:00 "                              \
	"SRC=198.18.0.7 DST=198.18.1.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=28124 DF "              \
	"PROTO=TCP SPT=55103 DPT=53 WINDOW=5840 RES=0x00 SYN URGP=0 "                              \
	"OPT (020405B40402080A31CAD9280000000001030306) "

static void assert_tcp4(const struct event *e)
{
	assert_addr(e->src, "198.18.0.7");
	assert_addr(e->dst, "198.18.1.2");
	assert_int_equal(e->dport, 53);
	assert_int_equal(e->tcp_flags, TCPF_SYN);
}

/* ---- 1. only the kernel's words count ------------------------------------ */

static void test_kernel_with_pid_is_a_user_process(void **state)
{
	struct fx *f = *state;

	/* journald forwards user messages with their PID; the kernel has none */
	expect_ignored(f, "Nov 25 12:29:10 fw1 kernel[1234]: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "2026-11-25T12:29:10+0000 fw1 kernel[1]: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "Nov 25 12:29:10.123456 fw1 kernel[99]: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "2026-11-25T12:29:10.123456+00:00 fw1 kernel[7]: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_event(f, "Nov 25 12:29:10 fw1 kernel: DROP " TCP4);
	assert_tcp4(&f->ev);
}

static void test_tag_shapes_in_a_syslog_file(void **state)
{
	struct fx *f = *state;

	f->same_input = true;
	expect_event(f, "Nov 25 12:29:10 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->in.format, PARSE_FMT_SYSLOG);
	/* tagless */
	expect_ignored(f, "Nov 25 12:29:10 fw1 DROP " TCP4, PARSE_IGN_NO_TAG);
	expect_ignored(f, "Nov 25 12:29:10 fw1 " TCP4, PARSE_IGN_NO_TAG);
	/* empty tag */
	expect_ignored(f, "Nov 25 12:29:10 fw1 : DROP " TCP4, PARSE_IGN_NO_TAG);
	/* space-led tag */
	expect_ignored(f, "Nov 25 12:29:10 fw1  kernel: DROP " TCP4, PARSE_IGN_NO_TAG);
	/* no colon after the tag */
	expect_ignored(f, "Nov 25 12:29:10 fw1 kernel DROP " TCP4, PARSE_IGN_NO_TAG);
	expect_ignored(f, "Nov 25 12:29:10 fw1 kernel[12] DROP " TCP4, PARSE_IGN_NO_TAG);
	/* unrecognised envelope */
	expect_ignored(f, "DROP " TCP4, PARSE_IGN_UNKNOWN_ENVELOPE);
	expect_ignored(f, "garbage kernel: DROP " TCP4, PARSE_IGN_UNKNOWN_ENVELOPE);
	/* another format in the same file */
	expect_ignored(f, "[12345.678901] DROP " TCP4, PARSE_IGN_OFF_FORMAT);
	expect_ignored(f, "4,1234,5678901,-;DROP " TCP4, PARSE_IGN_OFF_FORMAT);
	/* the file's own format still reads, in any of its time syntaxes */
	expect_event(f, "2026-11-25T12:29:10.123456+00:00 fw1 kernel: DROP " TCP4);
	expect_event(f, "Nov 25 12:29:11 fw1 kernel: DROP " TCP4);
	/* non-records stay what they were */
	expect_ignored(f, "Nov 25 12:29:10 fw1 -- MARK --", PARSE_IGN_NOT_FIREWALL);
}

static void test_bare_record_is_not_a_kernel_record(void **state)
{
	struct fx *f = *state;

	expect_ignored(f, "DROP " TCP4, PARSE_IGN_UNKNOWN_ENVELOPE);
	expect_ignored(f, TCP4, PARSE_IGN_UNKNOWN_ENVELOPE);
}

static void test_logemu_file(void **state)
{
	struct fx *f = *state;

	f->same_input = true;
	expect_event(f, "Nov 25 12:29:10 fw1 DROP  " TCP4);
	assert_int_equal(f->in.format, PARSE_FMT_LOGEMU);
	assert_span(f->ev.prefix, "DROP");
	assert_span(f->ev.host, "fw1");
	/* in a LOGEMU file a first word ending in ':' is the prefix (README's
	 * old limitation) */
	expect_event(f, "Nov 25 12:29:10 fw1 DROP: " TCP4);
	assert_span(f->ev.prefix, "DROP:");
	expect_event(f, "Nov 25 12:29:10 fw1 iptables denied: " TCP4);
	assert_span(f->ev.prefix, "iptables denied:");
	assert_true(f->in.tentative);
	assert_true(f->in.hold);
	/* what ulogd never writes makes it a syslog file: the held lines
	 * are read again (settled) */
	expect_event(f, "Nov 25 12:29:10 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->in.format, PARSE_FMT_SYSLOG);
	assert_true(f->in.settled);
	expect_ignored(f, "Nov 25 12:29:10 fw1 DROP " TCP4, PARSE_IGN_NO_TAG);
	expect_ignored(f, "Nov 25 12:29:10 fw1 logger[12]: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "[12345.678901] DROP " TCP4, PARSE_IGN_OFF_FORMAT);

	/* forced: nothing changes it */
	parse_input_new_format(&f->in);
	parse_input_force_format(&f->in, PARSE_FMT_LOGEMU);
	expect_event(f, "Nov 25 12:29:10 fw1 DROP " TCP4);
	assert_false(f->in.hold);
	expect_ignored(f, "Nov 25 12:29:10 fw1 kernel: DROP " TCP4, PARSE_IGN_OFF_FORMAT);
	expect_ignored(f, "Nov 25 12:29:10 fw1 logger[12]: DROP " TCP4, PARSE_IGN_OFF_FORMAT);
	expect_ignored(f, "Nov 25 12:29:10 fw1 user.notice x: DROP " TCP4, PARSE_IGN_OFF_FORMAT);
}

static void test_logemu_confirmed(void **state)
{
	struct fx *f = *state;

	f->same_input = true;
	for (int i = 0; i < PARSE_LOGEMU_CONFIRM - 1; i++) {
		expect_event(f, "Nov 25 12:29:10 fw1 DROP " TCP4);
		assert_true(f->in.hold);
	}
	expect_event(f, "Nov 25 12:29:10 fw1 DROP " TCP4);
	assert_false(f->in.hold);
	assert_true(f->in.settled);
	assert_false(f->in.tentative);
	expect_event(f, "Nov 25 12:29:10 fw1 DROP " TCP4);
	assert_false(f->in.hold);
	assert_false(f->in.settled);
	/* a syslog line still proves it was none */
	expect_ignored(f, "Nov 25 12:29:10 fw1 sshd[1]: Accepted password", PARSE_IGN_NOT_FIREWALL);
	assert_int_equal(f->in.format, PARSE_FMT_SYSLOG);

	/* the end of input settles a tentative format */
	parse_input_new_format(&f->in);
	expect_event(f, "Nov 25 12:29:10 fw1 DROP " TCP4);
	assert_true(f->in.hold);
	parse_input_settle(&f->in);
	assert_true(f->in.settled);
	assert_int_equal(f->in.format, PARSE_FMT_LOGEMU);
	expect_event(f, "Nov 25 12:29:10 fw1 DROP " TCP4);
	assert_false(f->in.hold);
}

static void test_logemu_colon_prefix_first(void **state)
{
	struct fx *f = *state;

	/* "host word: record" may be ulogd or a forgery: it fixes nothing */
	f->same_input = true;
	expect_ignored(f, "Nov 25 12:29:10 fw1 DROP: " TCP4, PARSE_IGN_NOT_KERNEL);
	assert_int_equal(f->in.format, PARSE_FMT_UNKNOWN);
	expect_event(f, "Nov 25 12:29:10 fw1 DROP " TCP4);
	assert_int_equal(f->in.format, PARSE_FMT_LOGEMU);
	expect_event(f, "Nov 25 12:29:10 fw1 DROP: " TCP4);

	/* forced by the user (--format logemu) */
	parse_input_new_format(&f->in);
	parse_input_force_format(&f->in, PARSE_FMT_LOGEMU);
	expect_event(f, "Nov 25 12:29:10 fw1 DROP: " TCP4);
	assert_span(f->ev.prefix, "DROP:");
}

static void test_forged_first_line_does_not_open_the_file(void **state)
{
	struct fx *f = *state;

	f->same_input = true;
	expect_ignored(f, "Nov 25 12:29:10 fw1 logger: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "Nov 25 12:29:10 fw1 evil: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_event(f, "Nov 25 12:29:10 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->in.format, PARSE_FMT_SYSLOG);
	expect_ignored(f, "Nov 25 12:29:10 fw1 DROP " TCP4, PARSE_IGN_NO_TAG);
}

static void test_dmesg_multiword_prefix(void **state)
{
	struct fx *f = *state;

	expect_event(f, "[ 1234.567890] iptables denied: " TCP4);
	assert_span(f->ev.prefix, "iptables denied:");
	assert_span(f->ev.host, "");
	assert_int_equal(f->ev.time.kind, VTIME_UPTIME);
	assert_tcp4(&f->ev);
	expect_event(f, "[Wed Nov 25 12:29:10 2026] IPTables Dropped: " TCP4);
	assert_span(f->ev.prefix, "IPTables Dropped:");
	assert_span(f->ev.host, "");
	expect_event(f, "<4>[ 1234.567890] iptables denied: " TCP4);
	assert_span(f->ev.prefix, "iptables denied:");

	f->same_input = true;
	parse_input_new_format(&f->in);
	expect_event(f, "[ 1234.567890] DROP " TCP4);
	assert_int_equal(f->in.format, PARSE_FMT_DMESG);
	expect_event(f, "[ 1234.567891] iptables denied: " TCP4);
	assert_span(f->ev.prefix, "iptables denied:");
	expect_ignored(f, "Nov 25 12:29:10 fw1 kernel: DROP " TCP4, PARSE_IGN_OFF_FORMAT);
	expect_ignored(f, "<12>[ 1234.567891] DROP " TCP4, PARSE_IGN_NOT_KERNEL);
}

static void test_journal_short_monotonic(void **state)
{
	struct fx *f = *state;

	f->same_input = true;
	expect_event(f, "[ 1234.567890] fw1 kernel: DROP " TCP4);
	assert_int_equal(f->in.format, PARSE_FMT_SYSLOG);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	assert_int_equal(f->ev.time.kind, VTIME_UPTIME);
	assert_int_equal(f->ev.time.sec, 1234);
	expect_ignored(f, "[ 1234.567890] fw1 logger[99]: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "[ 1234.567890] fw1 kernel[9]: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "[ 1234.567890] DROP " TCP4, PARSE_IGN_OFF_FORMAT);
}

/* ---- 2. the facility wherever the envelope writes it ------------------- */

static void test_short_unix_and_dshield(void **state)
{
	struct fx *f = *state;

	expect_event(f, "1764073750.123456 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->ev.time.kind, VTIME_WALL);
	assert_int_equal(f->ev.time.sec, 1764073750);
	assert_int_equal(f->ev.time.usec, 123456);
	assert_true(f->ev.time.has_tz);
	assert_int_equal(f->ev.time.tz_min, 0);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	expect_ignored(f, "1764073750.123456 fw1 kernel[4]: DROP " TCP4, PARSE_IGN_NOT_KERNEL);

	/* DShield's sensor: epoch seconds, the printk stamp glued to the tag */
	expect_event(f, "1701217441 sensor kernel:[38725.353798]  DSHIELDINPUT " TCP4);
	assert_int_equal(f->ev.time.kind, VTIME_WALL);
	assert_int_equal(f->ev.time.sec, 1701217441);
	assert_int_equal(f->ev.time.usec, 0);
	assert_span(f->ev.host, "sensor");
	assert_span(f->ev.prefix, "DSHIELDINPUT");
	assert_tcp4(&f->ev);
	expect_ignored(f, "1701217441 sensor kernel[3]:[38725.353798]  DSHIELDINPUT " TCP4,
		       PARSE_IGN_NOT_KERNEL);
}

static void test_short_full(void **state)
{
	struct fx *f = *state;

	expect_event(f, "Wed 2026-11-25 12:29:10 UTC fw1 kernel: DROP " TCP4);
	assert_int_equal(f->ev.time.sec, utc(2026, 11, 25, 12, 29, 10));
	assert_true(f->ev.time.has_tz);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	expect_event(f, "Wed 2026-11-25 13:29:10 CET fw1 kernel: DROP " TCP4);
	assert_int_equal(f->ev.time.sec, utc(2026, 11, 25, 13, 29, 10));
	assert_false(f->ev.time.has_tz);
	expect_ignored(f, "Wed 2026-11-25 12:29:10 UTC fw1 kernel[5]: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
}

static void test_busybox_syslogd(void **state)
{
	struct fx *f = *state;

	expect_event(f, "Nov 25 12:29:10 fw1 kern.warn kernel: DROP " TCP4);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	expect_event(f, "Nov 25 12:29:10 fw1 kern.warning kernel: [ 12.000001] DROP " TCP4);
	assert_span(f->ev.prefix, "DROP");
	expect_ignored(f, "Nov 25 12:29:10 fw1 user.notice kernel: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "Nov 25 12:29:10 fw1 local7.info kernel: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "Nov 25 12:29:10 fw1 kern.warn root: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
}

static void test_openwrt_logread(void **state)
{
	struct fx *f = *state;

	expect_event(f, "Wed Nov 25 12:29:10 2026 kern.warn kernel: [ 1234.567890] DROP " TCP4);
	assert_int_equal(f->ev.time.kind, VTIME_WALL);
	assert_int_equal(f->ev.time.sec, utc(2026, 11, 25, 12, 29, 10));
	assert_span(f->ev.prefix, "DROP");
	assert_span(f->ev.host, "");
	expect_event(f, "Thu Nov  5 01:02:03 2026 kern.warn kernel: DROP " TCP4);
	assert_int_equal(f->ev.time.sec, utc(2026, 11, 5, 1, 2, 3));
	expect_ignored(f, "Wed Nov 25 12:29:10 2026 user.notice kernel: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "Wed Nov 25 12:29:10 2026 user.notice root: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "Wed Nov 25 12:29:10 2026 daemon.info dnsmasq[1]: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
}

static void test_rfc5424_nested(void **state)
{
	struct fx *f = *state;

	expect_event(f, "Nov 25 12:29:10 relay <4>1 2026-11-25T12:29:10.5+00:00 fw1 kernel - - - "
			"DROP " TCP4);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	assert_int_equal(f->ev.time.usec, 500000);
	expect_ignored(f, "Nov 25 12:29:10 relay <12>1 2026-11-25T12:29:10.5+00:00 fw1 kernel - - - "
			  "DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_event(f, "Nov 25 12:29:10 relay 1 - fw1 kernel - - - DROP " TCP4);
	assert_int_equal(f->ev.time.sec, utc(2026, 11, 25, 12, 29, 10));
	assert_span(f->ev.host, "fw1");
	expect_ignored(f, "Nov 25 12:29:10 relay 1 - fw1 logger - - - DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "Nov 25 12:29:10 relay 1 - fw1 kernel 77 - - DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
}

static void test_rsyslog_template_with_pri(void **state)
{
	struct fx *f = *state;

	/* the template README recommends: "<%PRI%>%TIMESTAMP:::date-rfc3339% ..." */
	expect_event(f, "<4>2026-11-25T12:29:10.123456+00:00 fw1 kernel: DROP " TCP4);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	expect_ignored(f, "<13>2026-11-25T12:29:10.123456+00:00 fw1 kernel: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	/* and the facility-text form */
	expect_event(f, "2026-11-25T12:29:10.123456+00:00 fw1 kern.warning kernel: DROP " TCP4);
	expect_ignored(f, "2026-11-25T12:29:10.123456+00:00 fw1 user.notice kernel: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
}

/* ---- 4. repeated messages ----------------------------------------------- */

static void test_rsyslog_message_repeated(void **state)
{
	struct fx *f = *state;

	expect_event(f, "Nov 25 12:29:10 fw1 kernel: message repeated 3 times: [ DROP " TCP4 "]");
	assert_int_equal(f->in.repeat, 3);
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);
	expect_event(f, "Nov 25 12:29:10 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->in.repeat, 1);
	expect_event(f, "2026-11-25T12:29:10.1+00:00 fw1 kernel: message repeated 12 times: "
			"[DROP " TCP4 "]");
	assert_int_equal(f->in.repeat, 12);
	/* a user's repeats are a user's */
	expect_ignored(f, "Nov 25 12:29:10 fw1 logger: message repeated 9 times: [ DROP " TCP4 "]",
		       PARSE_IGN_NOT_KERNEL);
}

/* ---- journalctl -o json / export ----------------------------------------- */

struct jin {
	struct parse_input in;
	struct event ev;
	enum parse_ignore why;
	struct parse_error err;
};

static enum parse_verdict feed(struct jin *j, const char *s, size_t n)
{
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, s, n);
	j->why = PARSE_IGN_COUNT;
	enum parse_verdict v = parse_line(&j->in, span_make(copy, n), &j->ev, &j->why, &j->err);
	if (v == PARSE_EVENT) {
		/* the event's spans must outlive the line: copy them into state
		 * or use the line; check the line's are not read after free */
		assert_true(j->ev.src.family == ADDR_V4 || j->ev.src.family == ADDR_V6);
	}
	free(copy);
	return v;
}
#define feeds(j, s) feed((j), (s), strlen(s))

static struct jin *jin_new(void)
{
	struct jin *j = calloc(1, sizeof(*j));
	assert_non_null(j);
	parse_input_init(&j->in, utc(2026, 11, 25, 13, 0, 0));
	return j;
}

#define JREC(transport, fac, msg)                                                                  \
	"{\"__CURSOR\":\"s=1;i=2\",\"__REALTIME_TIMESTAMP\":\"1764073750123456\","                  \
	"\"__MONOTONIC_TIMESTAMP\":\"1234567890\",\"_BOOT_ID\":\"b\",\"_TRANSPORT\":\"" transport   \
	"\",\"PRIORITY\":\"4\",\"SYSLOG_FACILITY\":\"" fac "\",\"SYSLOG_IDENTIFIER\":\"kernel\","    \
	"\"_HOSTNAME\":\"fw1\",\"MESSAGE\":" msg "}"

static void test_journal_json(void **state)
{
	struct jin *j = jin_new();
	(void)state;

	assert_int_equal(feeds(j, JREC("kernel", "0", "\"DROP " TCP4 "\"")), PARSE_EVENT);
	assert_int_equal(j->in.format, PARSE_FMT_JSON);
	assert_int_equal(j->ev.time.kind, VTIME_WALL);
	assert_int_equal(j->ev.time.sec, 1764073750);
	assert_int_equal(j->ev.time.usec, 123456);
	assert_int_equal(j->ev.dport, 53);
	/* a user process can name itself kernel, not its transport */
	assert_int_equal(feeds(j, JREC("syslog", "0", "\"DROP " TCP4 "\"")), PARSE_IGNORED);
	assert_int_equal(j->why, PARSE_IGN_NOT_KERNEL);
	assert_int_equal(feeds(j, JREC("journal", "0", "\"DROP " TCP4 "\"")), PARSE_IGNORED);
	assert_int_equal(j->why, PARSE_IGN_NOT_KERNEL);
	/* root writing to /dev/kmsg: transport kernel, facility user */
	assert_int_equal(feeds(j, JREC("kernel", "1", "\"DROP " TCP4 "\"")), PARSE_IGNORED);
	assert_int_equal(j->why, PARSE_IGN_NOT_KERNEL);
	/* escapes, and a byte array */
	assert_int_equal(feeds(j, JREC("kernel", "0", "\"DRO\\u0050 \\\"x\\\" " TCP4 "\"")),
			 PARSE_EVENT);
	assert_span(j->ev.prefix, "DROP \"x\"");
	assert_int_equal(feeds(j, JREC("kernel", "0",
				       "[68,82,79,80,32,73,78,61,101,116,104,48,32,79,85,84,61,32,"
				       "83,82,67,61,49,57,56,46,49,56,46,48,46,55,32,68,83,84,61,"
				       "49,57,56,46,49,56,46,49,46,50,32,76,69,78,61,52,48,32,80,"
				       "82,79,84,79,61,85,68,80,32,83,80,84,61,49,32,68,80,84,61,"
				       "50,32,76,69,78,61,50,48]")),
			 PARSE_EVENT);
	assert_span(j->ev.prefix, "DROP");
	assert_int_equal(j->ev.dport, 2);
	/* not a firewall record */
	assert_int_equal(feeds(j, JREC("kernel", "0", "\"usb 1-1: new device\"")), PARSE_IGNORED);
	assert_int_equal(j->why, PARSE_IGN_NOT_FIREWALL);
	assert_int_equal(feeds(j, JREC("kernel", "0", "null")), PARSE_IGNORED);
	/* broken JSON in a JSON input */
	assert_int_equal(feeds(j, "{\"MESSAGE\":\"DROP " TCP4), PARSE_MALFORMED);
	assert_int_equal(feeds(j, "{\"MESSAGE\":\"a\",\"MESSAGE\":\"b\"}"), PARSE_MALFORMED);
	/* json-seq: RFC 7464's RS before the object */
	assert_int_equal(feeds(j, "\x1e" JREC("kernel", "0", "\"DROP " TCP4 "\"")), PARSE_EVENT);
	assert_int_equal(j->ev.dport, 53);
	/* a syslog line in a JSON input */
	assert_int_equal(feeds(j, "Nov 25 12:29:10 fw1 kernel: DROP " TCP4), PARSE_IGNORED);
	assert_int_equal(j->why, PARSE_IGN_OFF_FORMAT);
	free(j);
}

static void test_journal_json_hostile(void **state)
{
	static const char *const lines[] = {
		"{", "{}", "{\"a\":", "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]}",
		"{\"MESSAGE\":[256]}", "{\"MESSAGE\":[1,]}", "{\"MESSAGE\":\"\\ud800\"}",
		"{\"MESSAGE\":\"\\u12\"}", "{\"_TRANSPORT\":[\"kernel\",\"kernel\"],\"MESSAGE\":\"x\"}",
		"{\"MESSAGE\":\"IN=a OUT=b\"} trailing",
	};
	struct jin *j = jin_new();
	(void)state;

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		enum parse_verdict v = feeds(j, lines[i]);
		assert_true(v == PARSE_IGNORED || v == PARSE_MALFORMED);
	}
	/* a trusted field with several values is not the kernel's */
	j->in.format = PARSE_FMT_JSON;
	assert_int_equal(feeds(j, "{\"_TRANSPORT\":[\"kernel\",\"syslog\"],\"MESSAGE\":\"DROP " TCP4
				  "\"}"),
			 PARSE_IGNORED);
	assert_int_equal(j->why, PARSE_IGN_NOT_KERNEL);
	free(j);
}

/* Feed a byte stream as the line reader would: split at '\n'. */
static unsigned feed_stream(struct jin *j, const char *s, size_t n, unsigned *events)
{
	unsigned lines = 0;
	size_t at = 0;

	while (at < n) {
		const char *nl = memchr(s + at, '\n', n - at);
		size_t len = nl ? (size_t)(nl - (s + at)) : n - at;
		if (feed(j, s + at, len) == PARSE_EVENT)
			(*events)++;
		lines++;
		at += len + 1;
	}
	return lines;
}

#define EXPORT_HEAD                                                                                \
	"__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=1764073750123456\n"                                 \
	"__MONOTONIC_TIMESTAMP=1234567890\n_BOOT_ID=b\n"

static void test_journal_export(void **state)
{
	static const char text[] = EXPORT_HEAD "_TRANSPORT=kernel\nPRIORITY=4\nSYSLOG_FACILITY=0\n"
					       "SYSLOG_IDENTIFIER=kernel\n_HOSTNAME=fw1\n"
					       "MESSAGE=DROP " TCP4 "\n\n" EXPORT_HEAD
					       "_TRANSPORT=syslog\nSYSLOG_FACILITY=0\n"
					       "SYSLOG_IDENTIFIER=kernel\nMESSAGE=DROP " TCP4 "\n\n";
	struct jin *j = jin_new();
	unsigned events = 0;
	(void)state;

	feed_stream(j, text, sizeof(text) - 1, &events);
	assert_int_equal(j->in.format, PARSE_FMT_EXPORT);
	assert_int_equal(events, 1);

	/* the first entry alone: check what the event holds */
	free(j);
	j = jin_new();
	const char *end = strstr(text, "\n\n");
	size_t n = (size_t)(end - text) + 1;
	events = 0;
	feed_stream(j, text, n, &events);
	assert_int_equal(events, 0);
	assert_int_equal(j->why, PARSE_IGN_RECORD_PART);
	assert_int_equal(feeds(j, ""), PARSE_EVENT);
	assert_int_equal(j->ev.time.sec, 1764073750);
	assert_span(j->ev.host, "fw1");
	assert_span(j->ev.prefix, "DROP");
	assert_int_equal(j->ev.dport, 53);
	free(j);
}

static void test_journal_export_binary(void **state)
{
	/* a binary MESSAGE holding '\n' (and a size whose bytes hold one) */
	char buf[1024];
	const char *rec = "DROP\nX " TCP4;
	size_t rl = strlen(rec), n = 0;
	(void)state;

	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s",
			      EXPORT_HEAD "_TRANSPORT=kernel\nSYSLOG_FACILITY=0\nMESSAGE\n");
	uint64_t le = rl;
	for (int i = 0; i < 8; i++)
		buf[n++] = (char)(le >> (8 * i));
	memcpy(buf + n, rec, rl);
	n += rl;
	buf[n++] = '\n';
	buf[n++] = '\n';
	/* a binary field of size 10 ('\n' in the size) that is not MESSAGE */
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", EXPORT_HEAD "BLOB\n");
	buf[n++] = 10;
	for (int i = 1; i < 8; i++)
		buf[n++] = 0;
	memcpy(buf + n, "0123\n56789\n", 11);
	n += 11;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			      "_TRANSPORT=kernel\nSYSLOG_FACILITY=0\nMESSAGE=DROP " TCP4 "\n\n");

	struct jin *j = jin_new();
	unsigned events = 0;
	feed_stream(j, buf, n, &events);
	assert_int_equal(events, 2);
	assert_int_equal(j->ev.dport, 53);

	/* a size larger than what follows: the entry is cut off, the stream
	 * goes on (the next __CURSOR starts over only after the bytes) */
	free(j);
	j = jin_new();
	n = (size_t)snprintf(buf, sizeof(buf), "%s", EXPORT_HEAD "MESSAGE\n");
	buf[n++] = 3;
	for (int i = 1; i < 8; i++)
		buf[n++] = 0;
	memcpy(buf + n, "abcdef\n", 7);
	n += 7;
	unsigned lines = feed_stream(j, buf, n, &events);
	assert_int_equal(lines, 6);
	assert_int_equal(j->err.reason != NULL, 1);
	free(j);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_kernel_with_pid_is_a_user_process),
	    T(test_tag_shapes_in_a_syslog_file),
	    T(test_bare_record_is_not_a_kernel_record),
	    T(test_logemu_file),
	    T(test_logemu_confirmed),
	    T(test_logemu_colon_prefix_first),
	    T(test_forged_first_line_does_not_open_the_file),
	    T(test_dmesg_multiword_prefix),
	    T(test_journal_short_monotonic),
	    T(test_short_unix_and_dshield),
	    T(test_short_full),
	    T(test_busybox_syslogd),
	    T(test_openwrt_logread),
	    T(test_rfc5424_nested),
	    T(test_rsyslog_template_with_pri),
	    T(test_rsyslog_message_repeated),
	    cmocka_unit_test(test_journal_json),
	    cmocka_unit_test(test_journal_json_hostile),
	    cmocka_unit_test(test_journal_export),
	    cmocka_unit_test(test_journal_export_binary),
	};
#undef T
	return cmocka_run_group_tests_name("parse: envelopes and input formats", tests, NULL, NULL);
}
