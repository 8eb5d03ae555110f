/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wrapper-test.c - unit tests for parse_line(): the envelope around a record.
 *
 * Covers what comes before the kernel's "PREFIX IN=": RFC 3164 / 3339 / 5424
 * syslog, journalctl short*, dmesg raw, -r and -T, raw /dev/kmsg, ulogd
 * LOGEMU; the time each yields (struct vtime), year inference, the host and
 * the prefix; and the IGNORED verdicts. The nf_log fields themselves are in
 * parse-test.c.
 *
 * Written against parse.h and the formats as printed (kernel
 * net/netfilter/nf_log_syslog.c and kernel/printk, RFC 3164, RFC 5424,
 * journalctl -o short*, dmesg), not against the implementation. Each line is
 * parsed from an exact-size heap copy with no NUL after it, so
 * AddressSanitizer reports any read past the span. Addresses come from
 * 198.18.0.0/15 (RFC 2544).
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
#include <arpa/inet.h>

#include "event/event.h"
#include "parse/parse.h"
#include "util/span.h"

#include "parse/parse-fixture.h"

#define assert_span(s, want) span_eq_at((s), (want), __FILE__, __LINE__)
#define assert_addr(a, want) addr_eq_at(&(a), (want), __FILE__, __LINE__)

/* ---- records used below ------------------------------------------------- */

/* A real SYN as nf_log prints it (seed capture, addresses replaced). */
#define TCP4                                                                                       \
	"IN=eth0 OUT= MAC=00:13:d3:38:b6:e4:00:30:48:80:4e:37:08:00 "                              \
	"SRC=198.18.0.7 DST=198.18.1.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=28124 DF "              \
	"PROTO=TCP SPT=55103 DPT=53 WINDOW=5840 RES=0x00 SYN URGP=0 "                              \
	"OPT (020405B40402080A31CAD9280000000001030306)"
#define UDP4                                                                                       \
	"IN=eth0 OUT= MAC=00:13:d3:38:b6:e4:00:30:48:80:4e:37:08:00 "                              \
	"SRC=198.18.0.9 DST=198.18.1.2 LEN=76 TOS=0x00 PREC=0x00 TTL=115 ID=4242 "                 \
	"PROTO=UDP SPT=40000 DPT=123 LEN=56 "
#define ARP                                                                                        \
	"IN=eth0 OUT= ARP HTYPE=1 PTYPE=0x0800 OPCODE=1 "                                          \
	"MACSRC=00:11:22:33:44:55 IPSRC=198.18.0.1 MACDST=00:00:00:00:00:00 IPDST=198.18.0.2"

#define SYSLOG "Nov 25 12:29:10 fw1 kernel: "

static void assert_tcp4(const struct event *e)
{
	assert_addr(e->src, "198.18.0.7");
	assert_addr(e->dst, "198.18.1.2");
	assert_int_equal(e->proto, IPPROTO_NUM_TCP);
	assert_true(e->has_ports);
	assert_int_equal(e->sport, 55103);
	assert_int_equal(e->dport, 53);
	assert_int_equal(e->tcp_flags, TCPF_SYN);
	assert_int_equal(e->chain, CHAIN_INPUT);
	assert_span(e->in, "eth0");
	assert_span(e->out, "");
}

static void wall_eq_at(const struct event *e, int64_t sec, uint32_t usec, const char *file,
		       int line)
{
	if (e->time.kind == VTIME_WALL && e->time.sec == sec && e->time.usec == usec)
		return;
	time_t g = (time_t)e->time.sec, w = (time_t)sec;
	char gs[32] = "?", ws[32] = "?";
	struct tm tm;
	if (gmtime_r(&g, &tm))
		strftime(gs, sizeof(gs), "%Y-%m-%dT%H:%M:%S", &tm);
	if (gmtime_r(&w, &tm))
		strftime(ws, sizeof(ws), "%Y-%m-%dT%H:%M:%S", &tm);
	print_error("time kind %u %s.%06u, want wall %s.%06u\n", e->time.kind, gs, e->time.usec, ws,
		    usec);
	_fail(file, line);
}
#define assert_wall(e, sec, usec) wall_eq_at((e), (sec), (usec), __FILE__, __LINE__)

/* ---- RFC 3164 / journalctl short ---------------------------------------- */

static void test_rfc3164(void **state)
{
	struct fx *f = *state;

	expect_event(f, SYSLOG "DROP " TCP4);
	assert_tcp4(&f->ev);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 0);
	assert_false(f->ev.time.has_tz);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");

	/* The kernel ends a record with a space; syslog daemons keep it. */
	expect_event(f, SYSLOG "DROP " TCP4 " ");
	assert_tcp4(&f->ev);

	/* FQDN and address hosts. */
	expect_event(f, "Nov 25 12:29:10 fw1.example.org kernel: DROP " TCP4);
	assert_span(f->ev.host, "fw1.example.org");
	expect_event(f, "Nov 25 12:29:10 198.18.9.9 kernel: DROP " TCP4);
	assert_span(f->ev.host, "198.18.9.9");
}

static void test_rfc3164_padded_day(void **state)
{
	struct fx *f = *state;

	expect_event(f, "Nov  5 01:02:03 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 5, 1, 2, 3), 0);
	assert_span(f->ev.host, "fw1");
	assert_tcp4(&f->ev);
}

static void test_rfc3164_unpadded_day(void **state)
{
	struct fx *f = *state;

	/* The seed capture (psad book, fwdata) has "Jul 8", not "Jul  8". */
	expect_event(f, "Jul 8 23:22:04 iptablesfw kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 7, 8, 23, 22, 4), 0);
	assert_span(f->ev.host, "iptablesfw");
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);

	/* Unrecognised, it would fall back to a bare message and let any
	 * program's tag through. */
	expect_ignored(f, "Jul 8 23:22:04 iptablesfw logger: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
}

static void test_rfc3164_pri(void **state)
{
	struct fx *f = *state;

	expect_event(f, "<4>Nov 25 12:29:10 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 0);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	expect_event(f, "<0>Nov 25 12:29:10 fw1 kernel: DROP " TCP4);
	expect_event(f, "<7>Nov 25 12:29:10 fw1 kernel: DROP " TCP4);
}

static void test_kernel_timestamp_stripped(void **state)
{
	struct fx *f = *state;

	expect_event(f, SYSLOG "[ 1234.567890] DROP " TCP4);
	assert_span(f->ev.prefix, "DROP");
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 0);
	assert_tcp4(&f->ev);

	expect_event(f, SYSLOG "[12345678.123456] DROP " TCP4);
	assert_span(f->ev.prefix, "DROP");

	/* A bracketed prefix after the timestamp is the prefix, not a time. */
	expect_event(f, SYSLOG "[ 1234.567890] [UFW BLOCK] " TCP4);
	assert_span(f->ev.prefix, "[UFW BLOCK]");
	expect_event(f, SYSLOG "[UFW BLOCK] " TCP4);
	assert_span(f->ev.prefix, "[UFW BLOCK]");

	/* No prefix at all. */
	expect_event(f, SYSLOG "[ 1234.567890] " TCP4);
	assert_span(f->ev.prefix, "");
	expect_event(f, SYSLOG TCP4);
	assert_span(f->ev.prefix, "");
}

static void test_journal_short_precise(void **state)
{
	struct fx *f = *state;

	expect_event(f, "Nov 25 12:29:10.123456 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 123456);
	assert_false(f->ev.time.has_tz);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);
}

/* ---- RFC 3339 timestamps: rsyslog, journalctl short-iso* ----------------- */

static void test_rfc3339_rsyslog(void **state)
{
	struct fx *f = *state;

	expect_event(f, "2026-11-25T12:29:10.123456+00:00 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 123456);
	assert_true(f->ev.time.has_tz);
	assert_int_equal(f->ev.time.tz_min, 0);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);

	/* rsyslog keeps the kernel's own timestamp in the message. */
	expect_event(f, "2026-11-25T12:29:10.123456+00:00 fw1 kernel: [ 1234.567890] DROP " TCP4);
	assert_span(f->ev.prefix, "DROP");
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 123456);
}

static void test_rfc3339_offsets_not_converted(void **state)
{
	struct fx *f = *state;

	expect_event(f, "2026-11-25T12:29:10.123456+01:00 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 123456);
	assert_true(f->ev.time.has_tz);
	assert_int_equal(f->ev.time.tz_min, 60);

	expect_event(f, "2026-11-25T12:29:10.123456-05:30 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 123456);
	assert_int_equal(f->ev.time.tz_min, -330);

	expect_event(f, "2026-11-25T12:29:10.123456Z fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 123456);
	assert_true(f->ev.time.has_tz);
	assert_int_equal(f->ev.time.tz_min, 0);
}

static void test_journal_short_iso(void **state)
{
	struct fx *f = *state;

	expect_event(f, "2026-11-25T12:29:10+0000 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 0);
	assert_true(f->ev.time.has_tz);
	assert_int_equal(f->ev.time.tz_min, 0);
	assert_span(f->ev.host, "fw1");
	assert_tcp4(&f->ev);

	expect_event(f, "2026-11-25T12:29:10+0100 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->ev.time.tz_min, 60);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 0);

	expect_event(f, "2026-11-25T12:29:10-0800 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->ev.time.tz_min, -480);
}

static void test_journal_short_iso_precise(void **state)
{
	struct fx *f = *state;

	expect_event(f, "2026-11-25T12:29:10.654321+01:00 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 654321);
	assert_int_equal(f->ev.time.tz_min, 60);
	expect_event(f, "2026-11-25T12:29:10.654321+0100 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 654321);
	assert_int_equal(f->ev.time.tz_min, 60);
}

static void test_fraction_precision(void **state)
{
	struct fx *f = *state;

	expect_event(f, "2026-11-25T12:29:10.123+00:00 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->ev.time.usec, 123000);
	expect_event(f, "2026-11-25T12:29:10.5+00:00 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->ev.time.usec, 500000);
	expect_event(f, "2026-11-25T12:29:10.123456789+00:00 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->ev.time.usec, 123456);
	assert_int_equal(f->ev.time.sec, utc(2026, 11, 25, 12, 29, 10));
	expect_event(f, "2026-11-25T12:29:10.000001+00:00 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->ev.time.usec, 1);
}

/* ---- RFC 5424 ----------------------------------------------------------- */

static void test_rfc5424(void **state)
{
	struct fx *f = *state;

	expect_event(f, "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel - - - DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 123456);
	assert_true(f->ev.time.has_tz);
	assert_int_equal(f->ev.time.tz_min, 0);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);

	/* MSGID given. */
	expect_event(f, "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel - KERN - DROP " TCP4);
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);
	/* The kernel has no PROCID: APP "kernel" with one is a user process. */
	expect_ignored(f, "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel 1234 - - DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
}

static void test_rfc5424_structured_data(void **state)
{
	struct fx *f = *state;

	expect_event(f, "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel - - "
			"[timeQuality tzKnown=\"1\" isSynced=\"1\"] DROP " TCP4);
	assert_span(f->ev.prefix, "DROP");
	assert_span(f->ev.host, "fw1");
	assert_tcp4(&f->ev);

	expect_event(f, "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel - - "
			"[a@1 x=\"1\"][b@1 y=\"2\"] DROP " TCP4);
	assert_span(f->ev.prefix, "DROP");

	/* RFC 5424 6.3.3: ']' inside a PARAM-VALUE is escaped. */
	expect_event(f, "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel - - "
			"[a@1 x=\"b\\]c\"] DROP " TCP4);
	assert_span(f->ev.prefix, "DROP");
}

static void test_rfc5424_bom(void **state)
{
	struct fx *f = *state;

	expect_event(f, "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel - - - "
			"\xEF\xBB\xBF"
			"DROP " TCP4);
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);
}

static void test_rfc5424_nil_time(void **state)
{
	struct fx *f = *state;

	expect_event(f, "<4>1 - fw1 kernel - - - DROP " TCP4);
	assert_int_equal(f->ev.time.kind, VTIME_NONE);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);
}

static void test_rfc5424_not_kernel(void **state)
{
	struct fx *f = *state;

	expect_ignored(f, "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 logger - - - DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "<12>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel - - - DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
}

static void test_rfc5424_bad_header(void **state)
{
	static const char *const lines[] = {
	    /* found by fuzz-parse: a bad TIMESTAMP left the message span NULL */
	    "<4>1 2026-11-25T$12:29:10.123456+00:00 f11 kernel - - ernel: DROP " TCP4,
	    "<4>1 2026-11-25T12:29:10.123456+00:00",
	    "<4>1 2026-11-25T12:29:10.123456+00:00 fw1",
	    "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel - - [unclosed " TCP4,
	    "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel - - [x a=\"" TCP4,
	    "<4>1 ",
	    "<4>1 -",
	    "<999>1 - fw1 kernel - - - DROP " TCP4,
	    "<>1 - fw1 kernel - - - DROP " TCP4,
	    "<4",
	};
	struct fx *f = *state;

	/* Any verdict will do; fx checks the invariants, ASan/UBSan the rest. */
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		parse_str(f, lines[i]);
}

/* ---- dmesg -------------------------------------------------------------- */

static void test_dmesg_raw(void **state)
{
	struct fx *f = *state;

	expect_event(f, "[12345.678901] DROP " TCP4);
	assert_int_equal(f->ev.time.kind, VTIME_UPTIME);
	assert_int_equal(f->ev.time.sec, 12345);
	assert_int_equal(f->ev.time.usec, 678901);
	assert_span(f->ev.host, "");
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);

	/* dmesg pads the seconds to five columns. */
	expect_event(f, "[  123.000001] DROP " TCP4);
	assert_int_equal(f->ev.time.kind, VTIME_UPTIME);
	assert_int_equal(f->ev.time.sec, 123);
	assert_int_equal(f->ev.time.usec, 1);

	expect_event(f, "[    0.000000] [UFW BLOCK] " TCP4);
	assert_int_equal(f->ev.time.sec, 0);
	assert_span(f->ev.prefix, "[UFW BLOCK]");
}

static void test_dmesg_r(void **state)
{
	struct fx *f = *state;

	expect_event(f, "<4>[12345.678901] DROP " TCP4);
	assert_int_equal(f->ev.time.kind, VTIME_UPTIME);
	assert_int_equal(f->ev.time.sec, 12345);
	assert_int_equal(f->ev.time.usec, 678901);
	assert_span(f->ev.prefix, "DROP");
	assert_span(f->ev.host, "");
	assert_tcp4(&f->ev);

	/* A user process writing to /dev/kmsg gets facility user (1): <12>. */
	expect_ignored(f, "<12>[12345.678901] DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "<14>[12345.678901] DROP " TCP4, PARSE_IGN_NOT_KERNEL);
}

static void test_dmesg_T(void **state)
{
	struct fx *f = *state;

	expect_event(f, "[Wed Nov 25 12:29:10 2026] DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 0);
	assert_span(f->ev.prefix, "DROP");
	assert_span(f->ev.host, "");
	assert_tcp4(&f->ev);

	expect_event(f, "[Thu Nov  5 01:02:03 2026] DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 5, 1, 2, 3), 0);
}

/* ---- /dev/kmsg ---------------------------------------------------------- */

static void test_kmsg(void **state)
{
	struct fx *f = *state;

	expect_event(f, "4,1234,5678901,-;DROP " TCP4);
	assert_int_equal(f->ev.time.kind, VTIME_UPTIME);
	assert_int_equal(f->ev.time.sec, 5);
	assert_int_equal(f->ev.time.usec, 678901);
	assert_span(f->ev.host, "");
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);

	/* CONFIG_PRINTK_CALLER adds a field after the flags. */
	expect_event(f, "4,1234,5678901,-,caller=T123;DROP " TCP4);
	assert_int_equal(f->ev.time.sec, 5);
	assert_int_equal(f->ev.time.usec, 678901);
	assert_span(f->ev.prefix, "DROP");

	/* "c" flag (continuation begins), other kernel levels. */
	expect_event(f, "6,99,0,c;" TCP4);
	assert_int_equal(f->ev.time.kind, VTIME_UPTIME);
	assert_int_equal(f->ev.time.sec, 0);
	assert_int_equal(f->ev.time.usec, 0);
	assert_span(f->ev.prefix, "");
}

static void test_kmsg_user_facility(void **state)
{
	struct fx *f = *state;

	expect_ignored(f, "12,1234,5678901,-;DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "13,1234,5678901,-;DROP " TCP4, PARSE_IGN_NOT_KERNEL);
}

static void test_kmsg_dictionary(void **state)
{
	struct fx *f = *state;

	expect_ignored(f, " SUBSYSTEM=net", PARSE_IGN_NOT_FIREWALL);
	expect_ignored(f, " DEVICE=+net:eth0", PARSE_IGN_NOT_FIREWALL);
}

/* ---- ulogd LOGEMU ------------------------------------------------------- */

static void test_ulogd_logemu(void **state)
{
	struct fx *f = *state;

	expect_event(f, "Nov 25 12:29:10 fw1 DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 29, 10), 0);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "DROP");
	assert_tcp4(&f->ev);

	expect_event(f, "Nov 25 12:29:10 fw1 " TCP4);
	assert_span(f->ev.host, "fw1");
	assert_span(f->ev.prefix, "");

	/* A token ending in ':' after the host is a program tag. */
	expect_ignored(f, "Nov 25 12:29:10 fw1 DROP: " TCP4, PARSE_IGN_NOT_KERNEL);
}

/* ---- IGNORED verdicts --------------------------------------------------- */

static void test_not_kernel(void **state)
{
	struct fx *f = *state;

	/* logger(1) can forge a perfect record; the tag gives it away. */
	expect_ignored(f, "Nov 25 12:29:10 fw1 logger: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "Nov 25 12:29:10 fw1 myapp[123]: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "Nov 25 12:29:10 fw1 logger: kernel: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "2026-11-25T12:29:10.123456+00:00 fw1 sshd[99]: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "2026-11-25T12:29:10+0000 fw1 myapp[123]: DROP " TCP4,
		       PARSE_IGN_NOT_KERNEL);
	/* A <PRI> whose facility is not kern (0). */
	expect_ignored(f, "<12>Nov 25 12:29:10 fw1 kernel: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "<8>Nov 25 12:29:10 fw1 kernel: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
	expect_ignored(f, "<132>Nov 25 12:29:10 fw1 kernel: DROP " TCP4, PARSE_IGN_NOT_KERNEL);
}

static void test_blank(void **state)
{
	struct fx *f = *state;

	expect_ignored(f, "", PARSE_IGN_BLANK);
	expect_ignored(f, " ", PARSE_IGN_BLANK);
	expect_ignored(f, "    ", PARSE_IGN_BLANK);
	expect_ignored(f, "\t", PARSE_IGN_BLANK);
	expect_ignored(f, "\r", PARSE_IGN_BLANK);
	expect_ignored(f, " \t \r", PARSE_IGN_BLANK);
}

static void test_not_firewall(void **state)
{
	struct fx *f = *state;

	expect_ignored(f, SYSLOG "usb 1-1: new high-speed USB device number 2 using xhci_hcd",
		       PARSE_IGN_NOT_FIREWALL);
	expect_ignored(f, "[    0.000000] Linux version 6.1.0-13-amd64", PARSE_IGN_NOT_FIREWALL);
	expect_ignored(f, "hello world", PARSE_IGN_NOT_FIREWALL);
	expect_ignored(f, "x", PARSE_IGN_NOT_FIREWALL);
	/* IN= not followed by an OUT= token. */
	expect_ignored(f, SYSLOG "IN=eth0 SRC=198.18.0.7 DST=198.18.1.2 PROTO=TCP",
		       PARSE_IGN_NOT_FIREWALL);
	expect_ignored(f, SYSLOG "DROP IN=eth0", PARSE_IGN_NOT_FIREWALL);
	expect_ignored(f, SYSLOG "DROP IN=", PARSE_IGN_NOT_FIREWALL);
	expect_ignored(f, SYSLOG "DROP IN=eth0 OUTPUT SRC=198.18.0.7", PARSE_IGN_NOT_FIREWALL);
}

static void test_not_ip(void **state)
{
	struct fx *f = *state;

	/* nf_log_arp_packet: IPSRC=/IPDST= are not SRC=/DST=. */
	expect_ignored(f, SYSLOG "ARP " ARP, PARSE_IGN_NOT_IP);
	expect_ignored(f, SYSLOG "IN=eth0 OUT= ARP HTYPE=1 PTYPE=0x0800 OPCODE=2",
		       PARSE_IGN_NOT_IP);
	expect_ignored(f, "4,1234,5678901,-;" ARP, PARSE_IGN_NOT_IP);
	/* nf_log_unknown_packet: the MAC header only. */
	expect_ignored(f, SYSLOG "IN=eth0 OUT= MAC=00:13:d3:38:b6:e4:00:30:48:80:4e:37:88:cc ",
		       PARSE_IGN_NOT_IP);
}

static void test_trailing_cr(void **state)
{
	struct fx *f = *state;

	expect_event(f, SYSLOG "DROP " TCP4 "\r");
	assert_tcp4(&f->ev);
	assert_int_equal(f->ev.tcp_opts.mss, 1460);
	expect_event(f, SYSLOG "DROP " UDP4 "\r");
	assert_int_equal(f->ev.udp_len, 56);
	/* The last value is the one a stray '\r' would corrupt. */
	expect_event(f, SYSLOG
		     "DROP IN=eth0 OUT= SRC=198.18.0.9 DST=198.18.1.2 LEN=76 "
		     "TOS=0x00 PREC=0x00 TTL=115 ID=4242 PROTO=UDP SPT=40000 DPT=123 LEN=56\r");
	assert_int_equal(f->ev.udp_len, 56);
	expect_event(f, "[12345.678901] DROP " TCP4 "\r");
	expect_event(f, "4,1234,5678901,-;DROP " TCP4 "\r");
}

/* ---- year inference ----------------------------------------------------- */

static void test_year_same_day(void **state)
{
	struct fx *f = *state;

	/* ref 2026-11-25T13:00:00 */
	expect_event(f, "Nov 25 12:00:00 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 25, 12, 0, 0), 0);
	expect_event(f, "Jan  1 00:00:00 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 1, 1, 0, 0, 0), 0);
}

static void test_year_one_day_slack(void **state)
{
	struct fx *f = *state;

	/* Not later than ref + 86400 = 2026-11-26T13:00:00: this year. */
	expect_event(f, "Nov 26 12:00:00 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 26, 12, 0, 0), 0);
	expect_event(f, "Nov 26 13:00:00 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 11, 26, 13, 0, 0), 0);
	/* Later than that: last year. */
	expect_event(f, "Nov 26 13:00:01 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2025, 11, 26, 13, 0, 1), 0);
	expect_event(f, "Dec 31 23:59:59 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2025, 12, 31, 23, 59, 59), 0);
}

static void test_year_december_read_in_january(void **state)
{
	struct fx *f = *state;

	parse_clock_init(&f->in.clock, utc(2027, 1, 1, 0, 10, 0));
	expect_event(f, "Dec 31 23:59:59 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 12, 31, 23, 59, 59), 0);
	/* The date cache must not keep the wrong year across the boundary. */
	expect_event(f, "Jan  1 00:05:00 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2027, 1, 1, 0, 5, 0), 0);
	expect_event(f, "Dec 31 23:59:58 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 12, 31, 23, 59, 58), 0);
	expect_event(f, "Jan  1 00:05:01 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2027, 1, 1, 0, 5, 1), 0);
	/* journalctl short-precise takes the same inference. */
	expect_event(f, "Dec 31 23:59:59.500000 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 12, 31, 23, 59, 59), 500000);
}

static void test_year_leap_day(void **state)
{
	struct fx *f = *state;

	/* 2025 has no Feb 29: the latest year that does is 2024. */
	parse_clock_init(&f->in.clock, utc(2025, 3, 1, 0, 0, 0));
	expect_event(f, "Feb 29 12:00:00 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2024, 2, 29, 12, 0, 0), 0);
}

static void test_year_raised_by_dated_lines(void **state)
{
	struct fx *f = *state;
	int64_t raised;

	/* ref 2026-11-25T13:00: Dec 31 is more than a day ahead, so 2025. */
	expect_event(f, "Dec 31 23:59:59 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2025, 12, 31, 23, 59, 59), 0);

	expect_event(f, "2027-01-02T00:00:00+00:00 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2027, 1, 2, 0, 0, 0), 0);
	assert_true(f->in.clock.ref_sec >= utc(2027, 1, 2, 0, 0, 0));
	raised = f->in.clock.ref_sec;

	/* Older dated lines do not lower it. */
	expect_event(f, "2020-01-01T00:00:00+00:00 fw1 kernel: DROP " TCP4);
	assert_int_equal(f->in.clock.ref_sec, raised);

	expect_event(f, "Dec 31 23:59:59 fw1 kernel: DROP " TCP4);
	assert_wall(&f->ev, utc(2026, 12, 31, 23, 59, 59), 0);
}

static void test_clock_init(void **state)
{
	struct parse_clock c;

	(void)state;
	parse_clock_init(&c, 1795611600);
	assert_int_equal(c.ref_sec, 1795611600);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_rfc3164),
	    T(test_rfc3164_padded_day),
	    T(test_rfc3164_unpadded_day),
	    T(test_rfc3164_pri),
	    T(test_kernel_timestamp_stripped),
	    T(test_journal_short_precise),
	    T(test_rfc3339_rsyslog),
	    T(test_rfc3339_offsets_not_converted),
	    T(test_journal_short_iso),
	    T(test_journal_short_iso_precise),
	    T(test_fraction_precision),
	    T(test_rfc5424),
	    T(test_rfc5424_structured_data),
	    T(test_rfc5424_bom),
	    T(test_rfc5424_nil_time),
	    T(test_rfc5424_not_kernel),
	    T(test_rfc5424_bad_header),
	    T(test_dmesg_raw),
	    T(test_dmesg_r),
	    T(test_dmesg_T),
	    T(test_kmsg),
	    T(test_kmsg_user_facility),
	    T(test_kmsg_dictionary),
	    T(test_ulogd_logemu),
	    T(test_not_kernel),
	    T(test_blank),
	    T(test_not_firewall),
	    T(test_not_ip),
	    T(test_trailing_cr),
	    T(test_year_same_day),
	    T(test_year_one_day_slack),
	    T(test_year_december_read_in_january),
	    T(test_year_leap_day),
	    T(test_year_raised_by_dated_lines),
	    cmocka_unit_test(test_clock_init),
	};
#undef T
	return cmocka_run_group_tests_name("parse: wrappers", tests, NULL, NULL);
}
