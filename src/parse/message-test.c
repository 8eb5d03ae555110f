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
#include "util/addr.h"
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

/* ---- parse_message() agrees with parse_line() -------------------------- */

static bool same_span(struct span a, struct span b)
{
	return a.len == b.len && (!a.len || a.p == b.p);
}

/* The fields a reader of the event sees, spans by place (the same buffer). */
static void assert_same_event(const struct event *a, const struct event *b)
{
	assert_true(addr_eq(&a->src, &b->src) && addr_eq(&a->dst, &b->dst));
	assert_true(same_span(a->prefix, b->prefix) && same_span(a->in, b->in) &&
		    same_span(a->out, b->out) && same_span(a->mac, b->mac) &&
		    same_span(a->physin, b->physin) && same_span(a->physout, b->physout) &&
		    same_span(a->v6_ext, b->v6_ext));
	assert_int_equal(a->chain, b->chain);
	assert_int_equal(a->v4_mapped, b->v4_mapped);
	assert_int_equal(a->ip_len, b->ip_len);
	assert_int_equal(a->ttl, b->ttl);
	assert_int_equal(a->ip_id, b->ip_id);
	assert_int_equal(a->ip_flags, b->ip_flags);
	assert_int_equal(a->frag_off, b->frag_off);
	assert_int_equal(a->ip_opt_len, b->ip_opt_len);
	assert_int_equal(a->ip_opt_bad, b->ip_opt_bad);
	assert_memory_equal(a->ip_opt_raw, b->ip_opt_raw, a->ip_opt_len);
	assert_int_equal(a->v6_ext_hdrs, b->v6_ext_hdrs);
	assert_int_equal(a->v6_empty_opts, b->v6_empty_opts);
	assert_int_equal(a->proto, b->proto);
	assert_int_equal(a->has_ports, b->has_ports);
	assert_int_equal(a->sport, b->sport);
	assert_int_equal(a->dport, b->dport);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->ack, b->ack);
	assert_int_equal(a->window, b->window);
	assert_int_equal(a->tcp_flags, b->tcp_flags);
	assert_int_equal(a->has_tcp_opts, b->has_tcp_opts);
	assert_int_equal(a->tcp_opt_bad, b->tcp_opt_bad);
	assert_int_equal(a->tcp_opt_len, b->tcp_opt_len);
	assert_memory_equal(a->tcp_opt_raw, b->tcp_opt_raw, a->tcp_opt_len);
	assert_memory_equal(&a->tcp_opts, &b->tcp_opts, sizeof(a->tcp_opts));
	assert_int_equal(a->has_icmp, b->has_icmp);
	assert_int_equal(a->icmp_type, b->icmp_type);
	assert_int_equal(a->icmp_code, b->icmp_code);
	assert_int_equal(a->udp_len, b->udp_len);
	assert_int_equal(a->incomplete, b->incomplete);
	assert_int_equal(a->has_uid, b->has_uid);
	assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->mark, b->mark);
	assert_int_equal(a->origin, b->origin);
}

/* One /dev/kmsg record, read whole by parse_line() and as a kmsg source
 * hands it over (header split off, facility from PRI): the same verdict,
 * reason, event and error. Returns the verdict; continuation lines -1. */
static int compare_kmsg(struct parse_input *in, const char *text, size_t n)
{
	struct msg m;
	struct span line = msg_new(&m, text, n);
	const char *semi = memchr(line.p, ';', line.len);
	struct event a, b;
	enum parse_ignore wa = PARSE_IGN_COUNT, wb = PARSE_IGN_COUNT;
	struct parse_error ea = { 0 }, eb = { 0 };
	unsigned pri = 0;

	if (!semi || !n || line.p[0] < '0' || line.p[0] > '9') {
		msg_free(&m);
		return -1;
	}
	for (const char *p = line.p; *p >= '0' && *p <= '9'; p++)
		pri = pri * 10 + (unsigned)(*p - '0');
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	enum parse_verdict va = parse_line(in, line, &a, &wa, &ea);
	struct record_meta meta = { .facility = (int)(pri >> 3), .kernel = pri >> 3 == 0,
				    .time = a.time };
	size_t hdr = (size_t)(semi + 1 - line.p);
	enum parse_verdict vb =
		parse_message(&meta, span_make(semi + 1, line.len - hdr), &b, &wb, &eb);

	assert_int_equal(va, vb);
	if (va == PARSE_EVENT) {
		assert_same_event(&a, &b);
		assert_memory_equal(&a.time, &b.time, sizeof(a.time));
	} else if (va == PARSE_IGNORED) {
		assert_int_equal(wa, wb);
	} else {
		assert_int_equal(ea.column, eb.column + hdr);
		assert_string_equal(ea.reason, eb.reason);
	}
	msg_free(&m);
	return (int)va;
}

static void test_agrees_with_parse_line_on_kmsg(void **state)
{
	static const char *const files[] = {
		"tests/data/capture/crafted.kmsg", "tests/data/capture/fwd-forward.kmsg",
		"tests/data/capture/mixed.kmsg", "tests/data/capture/nft4-scans.kmsg",
	};
	static const char *const lines[] = {
		"4,1,100,-;DROP " REC,
		/* a record written by user space (logger --kmsg, echo > /dev/kmsg) */
		"12,2,200,-;DROP " REC,
		"14,3,300,-;" REC,
		/* kernel lines that are no firewall record, and a user's */
		"6,4,400,-;usb 1-1: new high-speed USB device number 2 using xhci_hcd",
		"12,5,500,-;hello",
		"4,6,600,-;",
		/* non-IP, malformed, NUL */
		"4,7,700,-;DROP IN=eth0 OUT= ARP HTYPE=1 PTYPE=0x0800 OPCODE=1 ",
		"4,8,800,-;DROP IN=eth0 OUT= SRC=198.18.0.7 DST=2001:db8::1 LEN=60 PROTO=TCP ",
		"4,9,900,-;DROP IN=eth0 OUT= SRC=198.18.0.7 DST=198.18.1.2 LEN=60 TOS=0x00 "
		"PREC=0x00 TTL=64 ID=1 OPT (0727040) PROTO=UDP SPT=1 DPT=2 LEN=8 ",
		"4,10,1000,-;DROP IN=eth0 OUT= SRC=198.18.0.7 DST=198.18.1.2 LEN=60 TOS=0x00 "
		"PREC=0x00 TTL=64 ID=1 OPT (TRUNCATED) PROTO=UDP SPT=1 DPT=2 LEN=8 ",
	};
	size_t count[3] = { 0 };
	struct parse_input in;

	(void)state;
	parse_input_init(&in, 1796083200);
	parse_input_force_format(&in, PARSE_FMT_KMSG);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		int v = compare_kmsg(&in, lines[i], strlen(lines[i]));
		assert_true(v >= 0);
		count[v]++;
	}
	assert_int_equal(count[PARSE_EVENT], 2);
	assert_int_equal(count[PARSE_IGNORED], 6);
	assert_int_equal(count[PARSE_MALFORMED], 2);
	static const char nul[] = "4,11,1100,-;DROP IN=eth0 OUT= SRC=198.18.0.7\0 DST=1";
	assert_int_equal(compare_kmsg(&in, nul, sizeof(nul) - 1), PARSE_MALFORMED);

	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *fp = fopen(files[i], "r");
		char buf[8192];

		assert_non_null(fp);
		parse_input_init(&in, 1796083200);
		parse_input_force_format(&in, PARSE_FMT_KMSG);
		while (fgets(buf, sizeof(buf), fp)) {
			int v = compare_kmsg(&in, buf, strcspn(buf, "\n"));
			if (v >= 0)
				count[v]++;
		}
		fclose(fp);
	}
	assert_true(count[PARSE_EVENT] > 300);
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
		cmocka_unit_test(test_agrees_with_parse_line_on_kmsg),
		cmocka_unit_test(test_clock_new_year),
		cmocka_unit_test(test_clock_same_year),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
