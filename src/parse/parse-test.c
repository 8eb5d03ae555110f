/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse-test.c - unit tests for parse_line(): the kernel's nf_log fields.
 *
 * Checks what the kernel prints after the log prefix (net/netfilter/
 * nf_log_syslog.c: IPv4 and IPv6 headers, TCP/UDP/ICMP/ICMPv6/AH/ESP, the
 * embedded packet of ICMP errors, MAC, bridge, UID/GID/MARK), the prefix and
 * chain, parse_tcp_options(), the MALFORMED verdict with its column, reason
 * and bytes, and hostile input (truncations, overflow, NUL, invalid UTF-8,
 * unbalanced brackets, huge lines). The wrappers and times are in
 * wrapper-test.c.
 *
 * Written against parse.h and the kernel's format, not against the
 * implementation, so the two check each other. Each line is parsed from an
 * exact-size heap copy with no NUL after it, so AddressSanitizer reports any
 * read past the span. Addresses come from 198.18.0.0/15 (RFC 2544) and
 * 2001:db8::/32 (RFC 3849).
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
#include "parse/record.h"
#include "parse/parse.h"
#include "util/span.h"

#include "parse/parse-fixture.h"

static void fx_expect_malformed_at(struct fx *f, const char *s, size_t n, const char *key,
				   const char *file, int line)
{
	fx_expect_at(f, s, n, PARSE_MALFORMED, -1, file, line);
	if (key && !strstr(f->err.reason, key)) {
		print_error("want a reason naming '%s'\n", key);
		fx_report(f);
		_fail(file, line);
	}
}

#define expect_malformed(f, s, key)                                                                \
	fx_expect_malformed_at((f), (s), strlen(s), (key), __FILE__, __LINE__)
/* For literals holding NUL bytes. */
#define expect_malformed_lit(f, lit, key)                                                          \
	fx_expect_malformed_at((f), (lit), sizeof(lit) - 1, (key), __FILE__, __LINE__)
#define assert_span(s, want)	span_eq_at((s), (want), __FILE__, __LINE__)
#define assert_bytes(b, n, hex) bytes_eq_at((b), (n), (hex), __FILE__, __LINE__)

/* n option bytes at b, against the hex the kernel printed for them */
static void bytes_eq_at(const uint8_t *b, size_t n, const char *hex, const char *file, int line)
{
	char got[2 * EVENT_OPT_MAX + 1];

	for (size_t i = 0; i < n && i < EVENT_OPT_MAX; i++)
		snprintf(got + 2 * i, 3, "%02X", b[i]);
	got[2 * (n < EVENT_OPT_MAX ? n : EVENT_OPT_MAX)] = '\0';
	if (strcmp(got, hex) != 0) {
		print_error("bytes are '%s', want '%s'\n", got, hex);
		_fail(file, line);
	}
}
#define assert_addr(a, want)	addr_eq_at(&(a), (want), __FILE__, __LINE__)
#define expect_event_n(f, s, n) fx_expect_at((f), (s), (n), PARSE_EVENT, -1, __FILE__, __LINE__)

/* ---- records used below ------------------------------------------------- */

#define SYSLOG		  "Nov 25 12:29:10 fw1 kernel: "
#define HDR		  SYSLOG "DROP IN=eth0 OUT= "
#define MAC4		  "MAC=00:13:d3:38:b6:e4:00:30:48:80:4e:37:08:00 "
#define MAC6		  "MAC=00:13:d3:38:b6:e4:00:30:48:80:4e:37:86:dd "
#define V4(s, d)	  "SRC=" s " DST=" d " "
#define IPH(len, ttl, id) "LEN=" len " TOS=0x00 PREC=0x00 TTL=" ttl " ID=" id " DF "
#define IPH6(len, hl)	  "LEN=" len " TC=0 HOPLIMIT=" hl " FLOWLBL=0 "
#define L4_TCP		  "PROTO=TCP SPT=55103 DPT=53 WINDOW=5840 RES=0x00 SYN URGP=0 "
#define TCPOPT		  "OPT (020405B40402080A31CAD9280000000001030306)"
#define A4		  V4("198.18.0.7", "198.18.1.2")
/* The kernel prints IPv6 addresses in full (%pI6). */
#define S6 "2001:0db8:0000:0000:0000:0000:0000:0007"
#define D6 "2001:0db8:0000:0000:0000:0000:0001:0002"
#define A6 V4(S6, D6)

/* The seed capture's SYN (addresses replaced), exactly as nf_log prints it. */
#define SEED SYSLOG "DROP IN=eth0 OUT= " MAC4 A4 IPH("60", "64", "28124") L4_TCP TCPOPT

/* ---- IPv4 --------------------------------------------------------------- */

static void test_ipv4_tcp_syn_all_fields(void **state)
{
	struct fx *f = *state;
	const struct event *e = &f->ev;

	expect_event(f, SEED);
	assert_span(e->prefix, "DROP");
	assert_span(e->host, "fw1");
	assert_span(e->in, "eth0");
	assert_span(e->out, "");
	assert_span(e->physin, "");
	assert_span(e->physout, "");
	assert_span(e->mac, "00:13:d3:38:b6:e4:00:30:48:80:4e:37:08:00");
	assert_int_equal(e->chain, CHAIN_INPUT);
	assert_addr(e->src, "198.18.0.7");
	assert_addr(e->dst, "198.18.1.2");
	assert_false(event_is_v6(e));
	assert_int_equal(e->ip_len, 60);
	assert_int_equal(e->tos, 0);
	assert_int_equal(e->prec, 0);
	assert_int_equal(e->ttl, 64);
	assert_int_equal(e->ip_id, 28124);
	assert_int_equal(e->ip_flags, IPF_DF);
	assert_int_equal(e->frag_off, 0);
	assert_int_equal(e->ip_opt_len, 0);
	assert_false(e->ip_opt_bad);
	assert_span(e->v6_ext, "");
	assert_int_equal(e->origin, 0);
	assert_int_equal(e->proto, IPPROTO_NUM_TCP);
	assert_true(e->has_ports);
	assert_int_equal(e->sport, 55103);
	assert_int_equal(e->dport, 53);
	assert_false(e->has_seq);
	assert_int_equal(e->window, 5840);
	assert_int_equal(e->res, 0);
	assert_int_equal(e->tcp_flags, TCPF_SYN);
	assert_int_equal(e->urgp, 0);
	assert_false(e->has_icmp);
	assert_false(e->incomplete);
	assert_false(e->has_uid);
	assert_false(e->has_mark);

	assert_true(e->has_tcp_opts);
	assert_false(e->tcp_opt_bad);
	assert_bytes(e->tcp_opt_raw, e->tcp_opt_len, "020405B40402080A31CAD9280000000001030306");
	assert_int_equal(e->tcp_opts.count, 5);
	assert_int_equal(e->tcp_opts.kinds[0], TCPOPT_KIND_MSS);
	assert_int_equal(e->tcp_opts.kinds[1], TCPOPT_KIND_SACKOK);
	assert_int_equal(e->tcp_opts.kinds[2], TCPOPT_KIND_TS);
	assert_int_equal(e->tcp_opts.kinds[3], TCPOPT_KIND_NOP);
	assert_int_equal(e->tcp_opts.kinds[4], TCPOPT_KIND_WS);
	assert_true(e->tcp_opts.has_mss);
	assert_int_equal(e->tcp_opts.mss, 1460);
	assert_true(e->tcp_opts.has_sackok);
	assert_true(e->tcp_opts.has_ts);
	assert_int_equal(e->tcp_opts.tsval, 0x31CAD928u);
	assert_int_equal(e->tcp_opts.tsecr, 0);
	assert_true(e->tcp_opts.has_ws);
	assert_int_equal(e->tcp_opts.wscale, 6);
	assert_false(e->tcp_opts.truncated);
}

static void test_tcp_flags(void **state)
{
	static const struct {
		const char *words;
		uint8_t flags;
	} cases[] = {
	    {"", 0}, /* NULL scan */
	    {"FIN ", TCPF_FIN},
	    {"URG PSH FIN ", TCPF_URG | TCPF_PSH | TCPF_FIN}, /* XMAS */
	    {"ACK ", TCPF_ACK},
	    {"ACK RST ", TCPF_ACK | TCPF_RST},
	    {"ACK PSH ", TCPF_ACK | TCPF_PSH},
	    {"CWR ECE SYN ", TCPF_CWR | TCPF_ECE | TCPF_SYN},
	    {"CWR ECE URG ACK PSH RST SYN FIN ", 0xff},
	    /* Linux 6.x prints the AccECN "AE" bit first; not a TCPF_ bit. */
	    {"AE SYN ", TCPF_SYN},
	    {"AE CWR ECE URG ACK PSH RST SYN FIN ", 0xff},
	};
	struct fx *f = *state;
	char line[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line),
			 HDR A4 "LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=1 DPT=2 "
				"WINDOW=1024 RES=0x00 %sURGP=0 ",
			 cases[i].words);
		expect_event(f, line);
		if (f->ev.tcp_flags != cases[i].flags) {
			print_error("flags '%s': got 0x%02x, want 0x%02x\n", cases[i].words,
				    f->ev.tcp_flags, cases[i].flags);
			fail();
		}
		assert_int_equal(f->ev.urgp, 0);
		assert_int_equal(f->ev.window, 1024);
	}
}

static void test_tcp_res_urgp_window(void **state)
{
	struct fx *f = *state;

	/* The kernel prints RES= in lower-case hex (0x%02x), 0x00..0x3c. */
	expect_event(f, HDR A4 IPH("40", "50", "1") "PROTO=TCP SPT=1 DPT=2 WINDOW=65535 RES=0x3c "
						    "URG ACK URGP=65535 ");
	assert_int_equal(f->ev.res, 0x3c);
	assert_int_equal(f->ev.window, 65535);
	assert_int_equal(f->ev.urgp, 65535);
	assert_int_equal(f->ev.tcp_flags, TCPF_URG | TCPF_ACK);
}

static void test_tcp_seq_ack(void **state)
{
	struct fx *f = *state;

	/* --log-tcp-sequence */
	expect_event(
	    f, HDR A4 IPH("40", "50",
			  "1") "PROTO=TCP SPT=40000 DPT=22 "
			       "SEQ=3735928559 ACK=4294967295 WINDOW=1024 RES=0x00 ACK URGP=0 ");
	assert_true(f->ev.has_seq);
	assert_int_equal(f->ev.seq, 3735928559u);
	assert_int_equal(f->ev.ack, 4294967295u);
	assert_int_equal(f->ev.sport, 40000);
	assert_int_equal(f->ev.dport, 22);
	assert_int_equal(f->ev.tcp_flags, TCPF_ACK);
	assert_false(f->ev.has_tcp_opts);
}

static void test_ipv4_header_words(void **state)
{
	struct fx *f = *state;

	/* TOS=tos&0x1E, PREC=tos&0xE0; CE DF MF; MF alone is the first fragment. */
	expect_event(f, HDR A4 "LEN=1500 TOS=0x10 PREC=0xE0 TTL=255 ID=65535 CE DF MF " L4_TCP);
	assert_int_equal(f->ev.ip_len, 1500);
	assert_int_equal(f->ev.tos, 0x10);
	assert_int_equal(f->ev.prec, 0xE0);
	assert_int_equal(f->ev.ttl, 255);
	assert_int_equal(f->ev.ip_id, 65535);
	assert_int_equal(f->ev.ip_flags, IPF_CE | IPF_DF | IPF_MF);
	assert_true(f->ev.has_ports);
	assert_int_equal(f->ev.dport, 53);

	expect_event(f, HDR A4 "LEN=40 TOS=0x00 PREC=0x00 TTL=0 ID=0 " L4_TCP);
	assert_int_equal(f->ev.ip_flags, 0);
	assert_int_equal(f->ev.ttl, 0);
	assert_int_equal(f->ev.ip_id, 0);
}

static void test_ipv4_fragments(void **state)
{
	struct fx *f = *state;

	/* A non-first fragment: the kernel prints PROTO= and nothing after. */
	expect_event(f, HDR A4 "LEN=548 TOS=0x00 PREC=0x00 TTL=64 ID=4321 MF FRAG:185 PROTO=TCP ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_TCP);
	assert_false(f->ev.has_ports);
	assert_int_equal(f->ev.ip_flags, IPF_MF | IPF_FRAG);
	assert_int_equal(f->ev.frag_off, 185);

	expect_event(f, HDR A4 "LEN=548 TOS=0x00 PREC=0x00 TTL=64 ID=4321 FRAG:8191 PROTO=UDP ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_UDP);
	assert_false(f->ev.has_ports);
	assert_int_equal(f->ev.ip_flags, IPF_FRAG);
	assert_int_equal(f->ev.frag_off, 8191);

	expect_event(f, HDR A4 "LEN=548 TOS=0x00 PREC=0x00 TTL=64 ID=4321 FRAG:100 PROTO=ICMP ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_ICMP);
	assert_false(f->ev.has_ports);
	assert_false(f->ev.has_icmp);
	assert_int_equal(f->ev.frag_off, 100);
}

static void test_ipv4_ip_options(void **state)
{
	struct fx *f = *state;

	/* IP options (ihl > 5) come before PROTO=; TCP options after URGP=. */
	expect_event(f, HDR A4 "LEN=64 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (0123ABCD) " L4_TCP
			       "OPT (020405B4)");
	assert_bytes(f->ev.ip_opt_raw, f->ev.ip_opt_len, "0123ABCD");
	assert_false(f->ev.ip_opt_bad);
	assert_span(f->ev.v6_ext, "");
	assert_true(f->ev.has_tcp_opts);
	assert_bytes(f->ev.tcp_opt_raw, f->ev.tcp_opt_len, "020405B4");
	assert_int_equal(f->ev.tcp_opts.mss, 1460);
	assert_int_equal(f->ev.dport, 53);

	expect_event(f, HDR A4 "LEN=64 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (07270400000000) "
			       "PROTO=UDP SPT=1 DPT=2 LEN=8 ");
	assert_bytes(f->ev.ip_opt_raw, f->ev.ip_opt_len, "07270400000000");
	assert_false(f->ev.has_tcp_opts);
	assert_int_equal(f->ev.udp_len, 8);

	/* lower case hex, the kernel's 40-byte maximum, and one byte past it */
	expect_event(f, HDR A4 "LEN=64 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (830708c6120001) "
			       "PROTO=UDP SPT=1 DPT=2 LEN=8 ");
	assert_bytes(f->ev.ip_opt_raw, f->ev.ip_opt_len, "830708C6120001");
	expect_event(f, HDR A4 "LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (0727"
			       "0400000000000000000000000000000000000000000000000000000000000000"
			       "000000000000) PROTO=UDP SPT=1 DPT=2 LEN=8 ");
	assert_int_equal(f->ev.ip_opt_len, 40);
	expect_malformed(f, HDR A4 "LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (0727"
				   "0400000000000000000000000000000000000000000000000000000000000000"
				   "00000000000000) PROTO=UDP SPT=1 DPT=2 LEN=8 ",
			 "at most 40 hex bytes of IPv4 options");
	expect_malformed(f, HDR A4 "LEN=64 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (07270) "
				   "PROTO=UDP SPT=1 DPT=2 LEN=8 ",
			 "expected hex bytes");
	expect_malformed(f, HDR A4 "LEN=64 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (07X7) "
				   "PROTO=UDP SPT=1 DPT=2 LEN=8 ",
			 "expected hex bytes");
	/* the last OPT before PROTO= counts */
	expect_event(f, HDR A4 "LEN=64 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (0101) OPT (94040000) "
			       "PROTO=UDP SPT=1 DPT=2 LEN=8 ");
	assert_bytes(f->ev.ip_opt_raw, f->ev.ip_opt_len, "94040000");
	/* options the kernel could not read, or an IPv6 extension header group
	 * in an IPv4 record: there, but no bytes */
	expect_event(f, HDR A4 "LEN=64 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (TRUNCATED) "
			       "PROTO=UDP SPT=1 DPT=2 LEN=8 ");
	assert_int_equal(f->ev.ip_opt_len, 0);
	assert_true(f->ev.ip_opt_bad);
	expect_event(f, HDR A4 "LEN=64 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT ( FRAG:0 ) "
			       "PROTO=UDP SPT=1 DPT=2 LEN=8 ");
	assert_int_equal(f->ev.ip_opt_len, 0);
	assert_true(f->ev.ip_opt_bad);
	assert_span(f->ev.v6_ext, "");
	expect_event(f, HDR A4 "LEN=64 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT ( FRAG:0 ) "
			       "OPT (94040000) PROTO=UDP SPT=1 DPT=2 LEN=8 ");
	assert_bytes(f->ev.ip_opt_raw, f->ev.ip_opt_len, "94040000");
	assert_false(f->ev.ip_opt_bad);
}

/* IPv6 has no IPv4 options: every "OPT (...)" before PROTO= is extension
 * header text, kept as LOG printed it (the last group). */
static void test_ipv6_ext_text(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR MAC6 A6 "LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT ( ) "
				    "OPT ( FRAG:0 ID:0000abcd ) " L4_TCP);
	assert_span(f->ev.v6_ext, "( FRAG:0 ID:0000abcd )");
	assert_int_equal(f->ev.v6_ext_hdrs, 2);
	assert_int_equal(f->ev.ip_opt_len, 0);
	assert_false(f->ev.ip_opt_bad);
	/* the IPv4 form in an IPv6 record: text too, no IPv4 option bytes */
	expect_event(f, HDR MAC6 A6 "LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT (0101) " L4_TCP);
	assert_span(f->ev.v6_ext, "0101");
	assert_int_equal(f->ev.ip_opt_len, 0);
	expect_event(f, HDR MAC6 A6 "LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT (TRUNCATED) " L4_TCP);
	assert_span(f->ev.v6_ext, "");
	assert_false(f->ev.ip_opt_bad);
	expect_event(f, HDR MAC6 A6 "LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 " L4_TCP);
	assert_span(f->ev.v6_ext, "");
	assert_int_equal(f->ev.v6_ext_hdrs, 0);
}

static void test_tcp_opt_truncated_word(void **state)
{
	struct fx *f = *state;

	/* nf_log prints "OPT (TRUNCATED)" when the options are not in the skb. */
	expect_event(f, HDR A4 IPH("60", "64", "1") L4_TCP "OPT (TRUNCATED)");
	assert_int_equal(f->ev.dport, 53);
	assert_int_equal(f->ev.tcp_flags, TCPF_SYN);
	assert_true(f->ev.has_tcp_opts);
	assert_true(f->ev.tcp_opt_bad);
	assert_true(f->ev.tcp_opts.truncated);
	assert_int_equal(f->ev.tcp_opt_len, 0);
	assert_false(f->ev.ip_opt_bad);

	/* the last OPT counts: readable options after unreadable ones */
	expect_event(f, HDR A4 IPH("60", "64", "1") L4_TCP "OPT (TRUNCATED) OPT (020405B4)");
	assert_false(f->ev.tcp_opt_bad);
	assert_false(f->ev.tcp_opts.truncated);
	assert_true(f->ev.tcp_opts.has_mss);
	assert_bytes(f->ev.tcp_opt_raw, f->ev.tcp_opt_len, "020405B4");
	expect_event(f, HDR A4 IPH("60", "64", "1") L4_TCP "OPT (020405B4) OPT (TRUNCATED)");
	assert_true(f->ev.tcp_opt_bad);
	assert_false(f->ev.tcp_opts.has_mss);
	assert_int_equal(f->ev.tcp_opt_len, 0);
}

static void test_udp(void **state)
{
	struct fx *f = *state;

	/* LEN= twice: the IP total length, then the UDP length. */
	expect_event(f, HDR MAC4 "SRC=198.18.0.9 DST=198.18.1.2 LEN=76 TOS=0x00 PREC=0x00 TTL=115 "
				 "ID=4242 PROTO=UDP SPT=40000 DPT=123 LEN=56 ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_UDP);
	assert_int_equal(f->ev.ip_len, 76);
	assert_int_equal(f->ev.udp_len, 56);
	assert_true(f->ev.has_ports);
	assert_int_equal(f->ev.sport, 40000);
	assert_int_equal(f->ev.dport, 123);
	assert_int_equal(f->ev.ttl, 115);
	assert_int_equal(f->ev.ip_id, 4242);
	assert_int_equal(f->ev.tcp_flags, 0);

	expect_event(f, HDR A4 IPH("36", "64", "7") "PROTO=UDPLITE SPT=5000 DPT=5001 LEN=16 ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_UDPLITE);
	assert_true(f->ev.has_ports);
	assert_int_equal(f->ev.dport, 5001);
	assert_int_equal(f->ev.ip_len, 36);
}

static void test_icmp_echo(void **state)
{
	struct fx *f = *state;

	/* ID= is the IP id first, then the echo identifier; SEQ= is ICMP's. */
	expect_event(f, HDR A4 "LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=4660 DF PROTO=ICMP TYPE=8 "
			       "CODE=0 ID=31337 SEQ=7 ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_ICMP);
	assert_int_equal(f->ev.ip_id, 4660);
	assert_true(f->ev.has_icmp);
	assert_int_equal(f->ev.icmp_type, 8);
	assert_int_equal(f->ev.icmp_code, 0);
	assert_true(f->ev.has_icmp_echo);
	assert_int_equal(f->ev.icmp_id, 31337);
	assert_int_equal(f->ev.icmp_seq, 7);
	assert_false(f->ev.has_ports);
	assert_false(f->ev.has_seq);
	assert_int_equal(f->ev.ip_len, 84);

	expect_event(f, HDR A4 "LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=ICMP TYPE=0 CODE=0 "
			       "ID=65535 SEQ=65535 ");
	assert_int_equal(f->ev.icmp_type, 0);
	assert_int_equal(f->ev.icmp_id, 65535);
	assert_int_equal(f->ev.icmp_seq, 65535);
	assert_int_equal(f->ev.ip_id, 1);
}

static void test_icmp_error_keeps_outer_packet(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR
		     "SRC=198.18.1.2 DST=198.18.0.7 LEN=88 TOS=0x00 PREC=0xC0 TTL=63 "
		     "ID=5555 PROTO=ICMP TYPE=3 CODE=3 [SRC=198.18.0.7 DST=198.18.1.2 LEN=60 "
		     "TOS=0x00 PREC=0x00 TTL=1 ID=28124 DF PROTO=UDP SPT=53 DPT=33434 LEN=40 ] ");
	assert_addr(f->ev.src, "198.18.1.2");
	assert_addr(f->ev.dst, "198.18.0.7");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_ICMP);
	assert_true(f->ev.has_icmp);
	assert_int_equal(f->ev.icmp_type, 3);
	assert_int_equal(f->ev.icmp_code, 3);
	assert_false(f->ev.has_ports);
	assert_int_equal(f->ev.ip_len, 88);
	assert_int_equal(f->ev.ttl, 63);
	assert_int_equal(f->ev.ip_id, 5555);
	assert_int_equal(f->ev.prec, 0xC0);
	assert_int_equal(f->ev.ip_flags, 0); /* the DF is the embedded packet's */
	assert_int_equal(f->ev.udp_len, 0);

	/* Embedded TCP header cut to 8 bytes: INCOMPLETE is the inner packet's. */
	expect_event(f,
		     HDR "SRC=198.18.1.2 DST=198.18.0.7 LEN=56 TOS=0x00 PREC=0xC0 TTL=63 "
			 "ID=5556 PROTO=ICMP TYPE=3 CODE=10 [SRC=198.18.0.7 DST=198.18.1.2 LEN=60 "
			 "TOS=0x00 PREC=0x00 TTL=64 ID=28124 DF PROTO=TCP INCOMPLETE [8 bytes] ] ");
	assert_addr(f->ev.src, "198.18.1.2");
	assert_int_equal(f->ev.icmp_type, 3);
	assert_int_equal(f->ev.icmp_code, 10);
	assert_int_equal(f->ev.proto, IPPROTO_NUM_ICMP);
	assert_false(f->ev.incomplete);
	assert_false(f->ev.has_ports);

	/* Fragmentation needed: MTU= follows the embedded packet. */
	expect_event(f,
		     HDR "SRC=198.18.1.2 DST=198.18.0.7 LEN=576 TOS=0x00 PREC=0x00 TTL=63 "
			 "ID=5557 PROTO=ICMP TYPE=3 CODE=4 [SRC=198.18.0.7 DST=198.18.1.2 LEN=1500 "
			 "TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=443 DPT=50000 WINDOW=501 "
			 "RES=0x00 ACK PSH URGP=0 ] MTU=1400 ");
	assert_int_equal(f->ev.icmp_mtu, 1400);
	assert_int_equal(f->ev.icmp_code, 4);
	assert_false(f->ev.has_ports);
	assert_int_equal(f->ev.tcp_flags, 0);
	assert_int_equal(f->ev.window, 0);
	assert_int_equal(f->ev.ip_len, 576);
}

static void test_icmp_redirect_and_parameter(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR
		     "SRC=198.18.0.1 DST=198.18.0.7 LEN=56 TOS=0x00 PREC=0xC0 TTL=64 "
		     "ID=1 PROTO=ICMP TYPE=5 CODE=1 GATEWAY=198.18.0.254 [SRC=198.18.0.7 "
		     "DST=198.18.1.2 LEN=84 TOS=0x00 PREC=0x00 TTL=63 ID=2 DF PROTO=ICMP TYPE=8 "
		     "CODE=0 ID=9 SEQ=1 ] ");
	assert_addr(f->ev.src, "198.18.0.1");
	assert_addr(f->ev.dst, "198.18.0.7");
	assert_int_equal(f->ev.icmp_type, 5);
	assert_int_equal(f->ev.icmp_code, 1);
	assert_false(f->ev.has_icmp_echo);
	assert_int_equal(f->ev.ip_id, 1);

	expect_event(f, HDR
		     "SRC=198.18.0.1 DST=198.18.0.7 LEN=56 TOS=0x00 PREC=0xC0 TTL=64 "
		     "ID=1 PROTO=ICMP TYPE=12 CODE=0 PARAMETER=20 [SRC=198.18.0.7 "
		     "DST=198.18.1.2 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=2 PROTO=UDP SPT=1 DPT=2 "
		     "LEN=40 ] ");
	assert_int_equal(f->ev.icmp_type, 12);
	assert_addr(f->ev.src, "198.18.0.1");
}

static void test_icmp_time_exceeded_embeds_echo(void **state)
{
	struct fx *f = *state;

	/* A router's answer to "ping -t 1": type 11, quoting the echo request.
	 * The quoted TYPE=8 ID= SEQ= are not the router's. */
	expect_event(f,
		     HDR "SRC=198.18.0.1 DST=198.18.0.7 LEN=56 TOS=0x00 PREC=0xC0 TTL=64 "
			 "ID=77 PROTO=ICMP TYPE=11 CODE=0 [SRC=198.18.0.7 DST=198.18.1.2 LEN=84 "
			 "TOS=0x00 PREC=0x00 TTL=1 ID=2 DF PROTO=ICMP TYPE=8 CODE=0 ID=9 SEQ=1 ] ");
	assert_addr(f->ev.src, "198.18.0.1");
	assert_int_equal(f->ev.icmp_type, 11);
	assert_int_equal(f->ev.icmp_code, 0);
	assert_false(f->ev.has_icmp_echo);
	assert_int_equal(f->ev.ip_id, 77);
	assert_int_equal(f->ev.ip_len, 56);
	assert_int_equal(f->ev.ip_flags, 0);
}

static void test_incomplete(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR A4 IPH("28", "64", "1") "PROTO=TCP INCOMPLETE [8 bytes] ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_TCP);
	assert_true(f->ev.incomplete);
	assert_int_equal(f->ev.incomplete_bytes, 8);
	assert_false(f->ev.has_ports);

	expect_event(f, HDR A4 IPH("24", "64", "1") "PROTO=ICMP INCOMPLETE [4 bytes] ");
	assert_true(f->ev.incomplete);
	assert_int_equal(f->ev.incomplete_bytes, 4);
	assert_false(f->ev.has_icmp);

	expect_event(f, HDR A4 IPH("32", "64", "1") "PROTO=ICMP TYPE=3 CODE=1 "
						    "INCOMPLETE [12 bytes] ");
	assert_true(f->ev.has_icmp);
	assert_int_equal(f->ev.icmp_type, 3);
	assert_true(f->ev.incomplete);
	assert_int_equal(f->ev.incomplete_bytes, 12);

	expect_event(f, HDR A4 IPH("24", "64", "1") "PROTO=UDP INCOMPLETE [4 bytes] ");
	assert_true(f->ev.incomplete);
	assert_false(f->ev.has_ports);
}

static void test_ah_esp_other_protocols(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR A4 IPH("64", "64", "1") "PROTO=AH SPI=0x1000 ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_AH);
	assert_int_equal(f->ev.spi, 0x1000);
	assert_false(f->ev.has_ports);

	expect_event(f, HDR A4 IPH("64", "64", "1") "PROTO=ESP SPI=0xdeadbeef ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_ESP);
	assert_int_equal(f->ev.spi, 0xdeadbeefu);

	expect_event(f, HDR A4 IPH("64", "64", "1") "PROTO=47 ");
	assert_int_equal(f->ev.proto, 47);
	assert_false(f->ev.has_ports);

	expect_event(f, HDR A4 IPH("32", "1", "0") "PROTO=2 ");
	assert_int_equal(f->ev.proto, 2);

	expect_event(f, HDR A4 IPH("32", "1", "0") "PROTO=255 ");
	assert_int_equal(f->ev.proto, 255);
}

static void test_uid_gid_mark(void **state)
{
	struct fx *f = *state;

	/* OUTPUT: no MAC=, UID/GID of the socket, then MARK. */
	expect_event(f,
		     SYSLOG "OUT-DROP IN= OUT=eth0 " A4 IPH(
			 "60", "64", "54321") "PROTO=TCP "
					      "SPT=40000 DPT=443 WINDOW=64240 RES=0x00 SYN URGP=0 "
					      "OPT (020405B40402080A000A8C4F0000000001030307) "
					      "UID=1000 GID=1001 MARK=0x1f ");
	assert_int_equal(f->ev.chain, CHAIN_OUTPUT);
	assert_span(f->ev.in, "");
	assert_span(f->ev.out, "eth0");
	assert_span(f->ev.mac, "");
	assert_true(f->ev.has_uid);
	assert_int_equal(f->ev.uid, 1000);
	assert_int_equal(f->ev.gid, 1001);
	assert_true(f->ev.has_mark);
	assert_int_equal(f->ev.mark, 0x1f);
	assert_int_equal(f->ev.tcp_opts.wscale, 7);

	expect_event(f, HDR A4 IPH("60", "64", "1") L4_TCP "MARK=0xffffffff ");
	assert_false(f->ev.has_uid);
	assert_true(f->ev.has_mark);
	assert_int_equal(f->ev.mark, 0xffffffffu);

	expect_event(f,
		     SYSLOG "IN= OUT=lo " A4 IPH("60", "64", "1") L4_TCP "UID=4294967295 GID=0 ");
	assert_true(f->ev.has_uid);
	assert_int_equal(f->ev.uid, 4294967295u);
	assert_int_equal(f->ev.gid, 0);
	assert_false(f->ev.has_mark);
}

/* ---- IPv6 --------------------------------------------------------------- */

static void test_ipv6_tcp(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR MAC6 A6 "LEN=80 TC=0 HOPLIMIT=57 FLOWLBL=654321 PROTO=TCP SPT=50000 "
				    "DPT=22 WINDOW=64800 RES=0x00 SYN URGP=0 "
				    "OPT (0204058C0402080A000A8C4F0000000001030307) ");
	assert_true(event_is_v6(&f->ev));
	assert_addr(f->ev.src, "2001:db8::7");
	assert_addr(f->ev.dst, "2001:db8::1:2");
	assert_int_equal(f->ev.ip_len, 80);
	assert_int_equal(f->ev.tc, 0);
	assert_int_equal(f->ev.ttl, 57);
	assert_int_equal(f->ev.flowlbl, 654321);
	assert_int_equal(f->ev.proto, IPPROTO_NUM_TCP);
	assert_true(f->ev.has_ports);
	assert_int_equal(f->ev.sport, 50000);
	assert_int_equal(f->ev.dport, 22);
	assert_int_equal(f->ev.tcp_flags, TCPF_SYN);
	assert_int_equal(f->ev.tcp_opts.mss, 1420);
	assert_int_equal(f->ev.v6_empty_opts, 0);
	assert_int_equal(f->ev.chain, CHAIN_INPUT);
	assert_int_equal(f->ev.ip_flags & IPF_FRAG, 0);
}

/* ::ffff:a.b.c.d is IPv4 for every list and report; the packet stays IPv6
 * (its header lengths are IPv6's). A mapped SRC with a plain IPv6 DST too. */
static void test_ipv6_v4_mapped(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR MAC6 V4("0000:0000:0000:0000:0000:ffff:c612:0808",
				    "0000:0000:0000:0000:0000:ffff:c612:0001")
			IPH6("60", "64") L4_TCP);
	assert_int_equal(f->ev.src.family, 4);
	assert_addr(f->ev.src, "198.18.8.8");
	assert_addr(f->ev.dst, "198.18.0.1");
	assert_true(f->ev.v4_mapped);
	assert_true(event_is_v6(&f->ev));

	expect_event(f, HDR V4("::ffff:198.18.8.9", "2001:db8::1") IPH6("60", "64") L4_TCP);
	assert_addr(f->ev.src, "198.18.8.9");
	assert_addr(f->ev.dst, "2001:db8::1");
	assert_true(event_is_v6(&f->ev));

	/* not mapped: ::ffff:0:0 outside the last 32 bits, or IPv4-compatible */
	expect_event(f, HDR V4("::1:ffff:c612:808", "2001:db8::1") IPH6("60", "64") L4_TCP);
	assert_int_equal(f->ev.src.family, 6);
	assert_false(f->ev.v4_mapped);
}

static void test_ipv6_compressed_and_tc(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR V4("2001:db8::7", "2001:db8::1:2") "LEN=60 TC=184 HOPLIMIT=255 "
							       "FLOWLBL=1048575 " L4_TCP);
	assert_addr(f->ev.src, "2001:db8::7");
	assert_addr(f->ev.dst, "2001:db8::1:2");
	assert_int_equal(f->ev.tc, 184);
	assert_int_equal(f->ev.ttl, 255);
	assert_int_equal(f->ev.flowlbl, 1048575);

	expect_event(f, HDR V4("::", "fe80::1") IPH6("60", "1") L4_TCP);
	assert_addr(f->ev.src, "::");
	assert_addr(f->ev.dst, "fe80::1");
}

static void test_ipv6_udp(void **state)
{
	struct fx *f = *state;

	expect_event(f, SYSLOG
		     "[UFW BLOCK] IN=eth0 OUT= " MAC6 "SRC=fe80:0000:0000:0000:0211:"
		     "22ff:fe33:4455 DST=ff02:0000:0000:0000:0000:0000:0000:00fb LEN=103 TC=0 "
		     "HOPLIMIT=255 FLOWLBL=0 PROTO=UDP SPT=5353 DPT=5353 LEN=63 ");
	assert_span(f->ev.prefix, "[UFW BLOCK]");
	assert_addr(f->ev.src, "fe80::211:22ff:fe33:4455");
	assert_addr(f->ev.dst, "ff02::fb");
	assert_int_equal(f->ev.ip_len, 103);
	assert_int_equal(f->ev.udp_len, 63);
	assert_int_equal(f->ev.ttl, 255);
	assert_int_equal(f->ev.proto, IPPROTO_NUM_UDP);
	assert_int_equal(f->ev.dport, 5353);
}

static void test_icmpv6(void **state)
{
	struct fx *f = *state;

	expect_event(f,
		     HDR MAC6 A6 IPH6("104", "64") "PROTO=ICMPv6 TYPE=128 CODE=0 ID=4660 SEQ=1 ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_ICMPV6);
	assert_true(f->ev.has_icmp);
	assert_int_equal(f->ev.icmp_type, 128);
	assert_true(f->ev.has_icmp_echo);
	assert_int_equal(f->ev.icmp_id, 4660);
	assert_int_equal(f->ev.icmp_seq, 1);
	assert_false(f->ev.has_ports);

	/* Neighbour solicitation: TYPE and CODE only. */
	expect_event(f, HDR MAC6 A6 IPH6("72", "255") "PROTO=ICMPv6 TYPE=135 CODE=0 ");
	assert_int_equal(f->ev.icmp_type, 135);
	assert_false(f->ev.has_icmp_echo);
}

static void test_icmpv6_error_keeps_outer_packet(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR MAC6 V4(D6, S6)
			    IPH6("96", "63") "PROTO=ICMPv6 TYPE=1 CODE=4 "
					     "[SRC=" S6 " DST=" D6
					     " LEN=48 TC=0 HOPLIMIT=1 FLOWLBL=0 PROTO=UDP "
					     "SPT=33434 DPT=33435 LEN=8 ] ");
	assert_addr(f->ev.src, "2001:db8::1:2");
	assert_addr(f->ev.dst, "2001:db8::7");
	assert_int_equal(f->ev.icmp_type, 1);
	assert_int_equal(f->ev.icmp_code, 4);
	assert_int_equal(f->ev.proto, IPPROTO_NUM_ICMPV6);
	assert_int_equal(f->ev.ttl, 63);
	assert_int_equal(f->ev.ip_len, 96);
	assert_false(f->ev.has_ports);

	/* Packet too big: MTU= after the embedded packet. */
	expect_event(
	    f,
	    HDR MAC6 V4(D6, S6)
		IPH6("1280", "64") "PROTO=ICMPv6 TYPE=2 CODE=0 "
				   "[SRC=" S6 " DST=" D6
				   " LEN=1500 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP "
				   "SPT=443 DPT=50000 WINDOW=501 RES=0x00 ACK URGP=0 ] MTU=1280 ");
	assert_int_equal(f->ev.icmp_mtu, 1280);
	assert_int_equal(f->ev.tcp_flags, 0);
	assert_false(f->ev.has_ports);
	assert_addr(f->ev.src, "2001:db8::1:2");

	/* Parameter problem: POINTER= before the embedded packet. */
	expect_event(f, HDR MAC6 V4(D6, S6)
			    IPH6("96", "64") "PROTO=ICMPv6 TYPE=4 CODE=1 "
					     "POINTER=00000028 [SRC=" S6 " DST=" D6
					     " LEN=48 TC=0 HOPLIMIT=64 "
					     "FLOWLBL=0 PROTO=UDP SPT=1 DPT=2 LEN=8 ] ");
	assert_int_equal(f->ev.icmp_type, 4);
	assert_addr(f->ev.dst, "2001:db8::7");
}

static void test_ipv6_empty_ext_headers(void **state)
{
	struct fx *f = *state;

	/* Hop-by-hop/dest options headers print as "OPT ( ) " (Topera). */
	expect_event(f, HDR MAC6 A6
		     "LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT ( ) OPT ( ) OPT ( ) " L4_TCP);
	assert_int_equal(f->ev.v6_empty_opts, 3);
	assert_true(f->ev.has_ports);
	assert_int_equal(f->ev.dport, 53);
	assert_int_equal(f->ev.tcp_flags, TCPF_SYN);

	expect_event(f, HDR MAC6 A6 "LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT ( ) " L4_TCP);
	assert_int_equal(f->ev.v6_empty_opts, 1);
}

static void test_ipv6_fragment_header(void **state)
{
	struct fx *f = *state;

	/* Non-first fragment, with --log-ip-options: no transport header. */
	expect_event(f, HDR MAC6 A6 "LEN=1280 TC=0 HOPLIMIT=64 FLOWLBL=0 "
				    "OPT ( FRAG:1448 ID:0000abcd ) PROTO=TCP ");
	assert_true(f->ev.ip_flags & IPF_FRAG);
	assert_int_equal(f->ev.frag_off, 1448);
	assert_int_equal(f->ev.proto, IPPROTO_NUM_TCP);
	assert_false(f->ev.has_ports);
	assert_int_equal(f->ev.v6_empty_opts, 0);

	/* Without --log-ip-options the OPT ( ) wrapper is absent. */
	expect_event(f, HDR MAC6 A6 "LEN=1280 TC=0 HOPLIMIT=64 FLOWLBL=0 "
				    "FRAG:2896 ID:0000abcd PROTO=UDP ");
	assert_true(f->ev.ip_flags & IPF_FRAG);
	assert_int_equal(f->ev.frag_off, 2896);
	assert_false(f->ev.has_ports);

	/* First fragment: offset 0, "INCOMPLETE" = more fragments follow. */
	expect_event(f, HDR MAC6 A6
		     "LEN=1280 TC=0 HOPLIMIT=64 FLOWLBL=0 "
		     "OPT ( FRAG:0 INCOMPLETE ID:0000abcd ) PROTO=UDP SPT=53 DPT=40000 LEN=1232 ");
	assert_true(f->ev.ip_flags & IPF_FRAG);
	assert_int_equal(f->ev.frag_off, 0);
	assert_true(f->ev.has_ports);
	assert_int_equal(f->ev.dport, 40000);
	assert_int_equal(f->ev.udp_len, 1232);
	assert_false(f->ev.incomplete);

	/* The same without --log-ip-options: FRAG: is printed all the same. */
	expect_event(f, HDR MAC6 A6
		     "LEN=1280 TC=0 HOPLIMIT=64 FLOWLBL=0 "
		     "FRAG:0 INCOMPLETE ID:0000abcd PROTO=UDP SPT=53 DPT=40000 LEN=1232 ");
	assert_true(f->ev.ip_flags & IPF_FRAG);
	assert_int_equal(f->ev.frag_off, 0);
	assert_true(f->ev.has_ports);
	assert_int_equal(f->ev.dport, 40000);
	assert_false(f->ev.incomplete);

	/* Two empty groups, then the fragment header. */
	expect_event(f,
		     HDR MAC6 A6 "LEN=1280 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT ( ) OPT ( ) "
				 "OPT ( FRAG:0 ID:0000abcd ) PROTO=UDP SPT=53 DPT=40000 LEN=1232 ");
	assert_int_equal(f->ev.v6_empty_opts, 2);
	assert_true(f->ev.has_ports);
}

static void test_ipv6_ah_ext_header(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR MAC6 A6
		     "LEN=100 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT ( AH SPI=0x1234 ) " L4_TCP);
	assert_int_equal(f->ev.proto, IPPROTO_NUM_TCP);
	assert_true(f->ev.has_ports);
	assert_int_equal(f->ev.dport, 53);
	assert_addr(f->ev.src, "2001:db8::7");
}

static void test_ipv6_esp_ext_header(void **state)
{
	struct fx *f = *state;

	/* ESP ends the walk: the kernel prints "ESP SPI=0x%x )" and no PROTO=. */
	expect_event(f, HDR MAC6 A6 "LEN=140 TC=0 HOPLIMIT=64 FLOWLBL=0 "
				    "OPT ( ESP SPI=0x1234 )");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_ESP);
	assert_int_equal(f->ev.spi, 0x1234);
	assert_false(f->ev.has_ports);
}

/* ---- interfaces, chain, MAC, prefix ------------------------------------- */

static void test_chain(void **state)
{
	struct fx *f = *state;

	expect_event(f, SYSLOG "IN=eth0 OUT= " MAC4 A4 IPH("60", "64", "1") L4_TCP);
	assert_int_equal(f->ev.chain, CHAIN_INPUT);
	expect_event(f, SYSLOG "IN= OUT=eth1 " A4 IPH("60", "64", "1") L4_TCP);
	assert_int_equal(f->ev.chain, CHAIN_OUTPUT);
	assert_span(f->ev.out, "eth1");
	expect_event(f, SYSLOG "IN=eth0 OUT=eth1 " MAC4 A4 IPH("60", "63", "1") L4_TCP);
	assert_int_equal(f->ev.chain, CHAIN_FORWARD);
	assert_span(f->ev.in, "eth0");
	assert_span(f->ev.out, "eth1");
	/* Interface names may hold dots, dashes and '@'-less VLAN forms. */
	expect_event(f, SYSLOG "IN=eth0.100 OUT=wg-vpn0 " MAC4 A4 IPH("60", "63", "1") L4_TCP);
	assert_span(f->ev.in, "eth0.100");
	assert_span(f->ev.out, "wg-vpn0");
}

static void test_bridge_physdev(void **state)
{
	struct fx *f = *state;

	expect_event(f, SYSLOG "IN=br0 OUT=br0 PHYSIN=eth0 PHYSOUT=eth1 " MAC4 A4 IPH("60", "64",
										      "1") L4_TCP);
	assert_int_equal(f->ev.chain, CHAIN_FORWARD);
	assert_span(f->ev.physin, "eth0");
	assert_span(f->ev.physout, "eth1");
	assert_span(f->ev.in, "br0");
	assert_span(f->ev.out, "br0");
}

static void test_mac_variants(void **state)
{
	struct fx *f = *state;

	/* ppp/tun: hard_header_len 0 gives an empty MAC=. */
	expect_event(f, SYSLOG "IN=ppp0 OUT= MAC= " A4 IPH("60", "64", "1") L4_TCP);
	assert_span(f->ev.mac, "");
	assert_span(f->ev.in, "ppp0");
	assert_int_equal(f->ev.dport, 53);

	/* --log-macdecode, with a VLAN tag. */
	expect_event(f,
		     HDR "MACSRC=00:11:22:33:44:55 MACDST=66:77:88:99:aa:bb MACPROTO=0800 " A4 IPH(
			 "60", "64", "1") L4_TCP);
	assert_addr(f->ev.src, "198.18.0.7");
	expect_event(f, HDR "MACSRC=00:11:22:33:44:55 MACDST=66:77:88:99:aa:bb VPROTO=8100 "
			    "VID=10 MACPROTO=0800 " A4 IPH("60", "64", "1") L4_TCP);
	assert_addr(f->ev.src, "198.18.0.7");
	assert_int_equal(f->ev.dport, 53);

	/* SIT tunnel: the outer IPv4 pair is not the packet's SRC/DST. */
	expect_event(f, SYSLOG "IN=sit1 OUT= MAC=00:13:d3:38:b6:e4:00:30:48:80:4e:37:08:00 "
			       "TUNNEL=198.18.5.5->198.18.6.6 " A6 IPH6("60", "64") L4_TCP);
	assert_true(event_is_v6(&f->ev));
	assert_addr(f->ev.src, "2001:db8::7");
	assert_span(f->ev.mac, "00:13:d3:38:b6:e4:00:30:48:80:4e:37:08:00");
}

static void test_prefixes(void **state)
{
	static const struct {
		const char *before_in;
		const char *prefix;
	} cases[] = {
	    {"DROP ", "DROP"},
	    {"[UFW BLOCK] ", "[UFW BLOCK]"},
	    {"nft-drop", "nft-drop"}, /* nft log prefix without a trailing space */
	    {"", ""},
	    {"  spaced out  ", "spaced out"},
	    {"DROP: ", "DROP:"},
	    {"WATCH-IN= ", "WATCH-IN="}, /* an IN= not followed by OUT= */
	    {"fw:in:drop ", "fw:in:drop"},
	    {"\xd0\x91\xd0\xbb\xd0\xbe\xd0\xba ", "\xd0\x91\xd0\xbb\xd0\xbe\xd0\xba"},
	    {"\xe2\x86\x92 drop ", "\xe2\x86\x92 drop"},
	    {"\xf0\x9f\x94\xa5 ", "\xf0\x9f\x94\xa5"},
	};
	struct fx *f = *state;
	char line[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line),
			 SYSLOG "%sIN=eth0 OUT= " MAC4 A4 IPH("60", "64", "1") L4_TCP,
			 cases[i].before_in);
		expect_event(f, line);
		assert_span(f->ev.prefix, cases[i].prefix);
		assert_span(f->ev.in, "eth0");
		assert_int_equal(f->ev.dport, 53);
	}
}

static void test_keyed_not_positional(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR "DST=198.18.1.2 SRC=198.18.0.7 " IPH("60", "64", "1") L4_TCP);
	assert_addr(f->ev.src, "198.18.0.7");
	assert_addr(f->ev.dst, "198.18.1.2");

	expect_event(f, HDR A4 "TTL=64 LEN=60 ID=9 TOS=0x00 PREC=0x00 PROTO=TCP DPT=53 SPT=55103 "
			       "RES=0x00 WINDOW=5840 SYN URGP=0 ");
	assert_int_equal(f->ev.ttl, 64);
	assert_int_equal(f->ev.ip_len, 60);
	assert_int_equal(f->ev.ip_id, 9);
	assert_int_equal(f->ev.sport, 55103);
	assert_int_equal(f->ev.dport, 53);
	assert_int_equal(f->ev.window, 5840);
}

static void test_event_reused_between_lines(void **state)
{
	struct fx *f = *state;

	/* One event, many lines: nothing of a line may leak into the next. */
	expect_event(f, SYSLOG
		     "OUT-DROP IN= OUT=eth0 " A4 "LEN=64 TOS=0x00 PREC=0x00 TTL=64 "
		     "ID=1 OPT (0123ABCD) PROTO=TCP SPT=1 DPT=2 SEQ=5 ACK=6 WINDOW=1 RES=0x00 "
		     "SYN URGP=0 " TCPOPT " UID=1 GID=2 MARK=0x3 ");
	assert_true(f->ev.has_tcp_opts);
	assert_true(f->ev.has_uid);
	assert_true(f->ev.has_seq);

	expect_event(f, "[12345.678901] "
			"IN=eth0 OUT= " A4 "LEN=84 TOS=0x00 PREC=0x00 TTL=64 "
			"ID=4660 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=2 ");
	assert_span(f->ev.prefix, "");
	assert_span(f->ev.host, "");
	assert_int_equal(f->ev.ip_opt_len, 0);
	assert_span(f->ev.v6_ext, "");
	assert_int_equal(f->ev.tcp_opt_len, 0);
	assert_span(f->ev.mac, "");
	assert_false(f->ev.has_ports);
	assert_false(f->ev.has_tcp_opts);
	assert_int_equal(f->ev.tcp_opts.count, 0);
	assert_false(f->ev.has_seq);
	assert_int_equal(f->ev.tcp_flags, 0);
	assert_false(f->ev.has_uid);
	assert_false(f->ev.has_mark);
	assert_int_equal(f->ev.ip_flags, 0);
	assert_false(f->ev.incomplete);
	assert_true(f->ev.has_icmp_echo);

	expect_event(f, HDR A6 IPH6("60", "64") "PROTO=TCP SPT=1 DPT=2 WINDOW=1 RES=0x00 URGP=0 ");
	assert_false(f->ev.has_icmp);
	assert_false(f->ev.has_icmp_echo);
	assert_int_equal(f->ev.icmp_mtu, 0);
	assert_int_equal(f->ev.ip_id, 0);
	assert_int_equal(f->ev.tcp_flags, 0);
	assert_int_equal(f->ev.v6_empty_opts, 0);
}

/* ---- parse_tcp_options() ------------------------------------------------ */

static int tcpopts(const char *hex, struct tcp_opts *o)
{
	memset(o, 0x5a, sizeof(*o));
	/* Heap copy without NUL, as everywhere here. */
	size_t n = strlen(hex);
	char *p = malloc(n ? n : 1);
	assert_non_null(p);
	memcpy(p, hex, n);
	int r = parse_tcp_options(span_make(p, n), o);
	free(p);
	return r;
}

static void test_tcp_options_mss(void **state)
{
	struct tcp_opts o;

	(void)state;
	assert_int_equal(tcpopts("020405B4", &o), 0);
	assert_int_equal(o.count, 1);
	assert_int_equal(o.kinds[0], TCPOPT_KIND_MSS);
	assert_true(o.has_mss);
	assert_int_equal(o.mss, 1460);
	assert_false(o.has_ws);
	assert_false(o.has_sackok);
	assert_false(o.has_ts);
	assert_false(o.truncated);
}

static void test_tcp_options_linux_syn(void **state)
{
	static const uint8_t want[] = {2, 4, 8, 1, 3};
	struct tcp_opts o;

	(void)state;
	assert_int_equal(tcpopts("020405B40402080A000A8C4F0000000001030307", &o), 0);
	assert_int_equal(o.count, 5);
	assert_memory_equal(o.kinds, want, sizeof(want));
	assert_int_equal(o.mss, 1460);
	assert_true(o.has_sackok);
	assert_true(o.has_ts);
	assert_int_equal(o.tsval, 0x000A8C4Fu);
	assert_int_equal(o.tsecr, 0);
	assert_true(o.has_ws);
	assert_int_equal(o.wscale, 7);
	assert_false(o.truncated);
}

static void test_tcp_options_nmap_and_sack(void **state)
{
	static const uint8_t nmap[] = {3, 1, 2, 8, 4};
	static const uint8_t sack[] = {1, 1, 5};
	struct tcp_opts o;

	(void)state;
	/* nmap -O probe 1: WS 10, NOP, MSS 1460, TS 0xFFFFFFFF/0, SACKOK. */
	assert_int_equal(tcpopts("03030A01020405B4080AFFFFFFFF000000000402", &o), 0);
	assert_int_equal(o.count, 5);
	assert_memory_equal(o.kinds, nmap, sizeof(nmap));
	assert_int_equal(o.wscale, 10);
	assert_int_equal(o.mss, 1460);
	assert_int_equal(o.tsval, 0xFFFFFFFFu);
	assert_int_equal(o.tsecr, 0);
	assert_true(o.has_sackok);

	assert_int_equal(tcpopts("0101050A0000000100000002", &o), 0);
	assert_int_equal(o.count, 3);
	assert_memory_equal(o.kinds, sack, sizeof(sack));
	assert_false(o.truncated);
	assert_false(o.has_mss);

	assert_int_equal(tcpopts("0101080A0000000100000002", &o), 0);
	assert_true(o.has_ts);
	assert_int_equal(o.tsval, 1);
	assert_int_equal(o.tsecr, 2);

	assert_int_equal(tcpopts("", &o), 0);
	assert_int_equal(o.count, 0);
	assert_false(o.truncated);
	assert_false(o.has_mss);
}

static void test_tcp_options_truncated(void **state)
{
	static const char *const cases[] = {
	    "0200",	    /* length 0 */
	    "0201",	    /* length 1 */
	    "020405",	    /* MSS runs past the end */
	    "02",	    /* kind without length */
	    "080A00000001", /* timestamp cut short */
	    "FE28",	    /* unknown kind, length 40 > what is left */
	};
	struct tcp_opts o;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = tcpopts(cases[i], &o);
		if (r != 0 || !o.truncated) {
			print_error("'%s': r=%d truncated=%d, want 0 and true\n", cases[i], r,
				    (int)o.truncated);
			fail();
		}
		assert_true(o.count <= EVENT_TCPOPT_MAX);
	}
	/* What parsed before the bad option is kept. */
	assert_int_equal(tcpopts("020405B40200", &o), 0);
	assert_true(o.truncated);
	assert_true(o.has_mss);
	assert_int_equal(o.mss, 1460);
}

/* Bytes after EOL are padding; a non-zero one is p0f's P quirk. */
static void test_tcp_options_past_eol(void **state)
{
	struct tcp_opts o;

	(void)state;
	assert_int_equal(tcpopts("020405B4000000", &o), 0);
	assert_int_equal(o.count, 2);
	assert_int_equal(o.kinds[1], TCPOPT_KIND_EOL);
	assert_false(o.past_eol);
	assert_int_equal(tcpopts("020405B4000001", &o), 0);
	assert_true(o.past_eol);
	assert_int_equal(tcpopts("020405B4", &o), 0);
	assert_false(o.past_eol);
}

static void test_tcp_options_bounds(void **state)
{
	struct tcp_opts o;
	char hex[2 * 60 + 1];

	(void)state;
	/* 40 NOPs: more options than kinds[] holds. */
	for (int i = 0; i < 40; i++)
		memcpy(hex + 2 * i, "01", 2);
	hex[80] = '\0';
	(void)tcpopts(hex, &o);
	assert_true(o.count <= EVENT_TCPOPT_MAX);

	/* Not hex at all. */
	assert_true(tcpopts("ZZ", &o) < 0);
	assert_true(tcpopts("02 4", &o) < 0);
	/* Odd length: an error, or a truncated option, never a crash. */
	int r = tcpopts("020", &o);
	assert_true(r < 0 || o.truncated);
}

/* ---- MALFORMED ---------------------------------------------------------- */

/* Where the value of the unique token " tok" starts, 1-based. */
static size_t value_column(const char *line, const char *tok, const char *key)
{
	char needle[128];
	const char *p;

	snprintf(needle, sizeof(needle), " %s", tok);
	p = strstr(line, needle);
	assert_non_null(p);
	assert_null(strstr(p + 1, needle));
	return (size_t)(p + 1 - line) + strlen(key) + 1;
}

static void test_malformed_values(void **state)
{
	static const struct {
		const char *line;
		const char *key; /* the field the reason must name */
		const char *tok; /* the offending KEY=VALUE, unique in line */
	} cases[] = {
	    {HDR V4("999.1.2.3", "198.18.1.2") IPH("60", "64", "1") L4_TCP,
	     "SRC=", "SRC=999.1.2.3"},
	    {HDR V4("1.2.3", "198.18.1.2") IPH("60", "64", "1") L4_TCP, "SRC=", "SRC=1.2.3"},
	    {HDR V4("198.18.0.7x", "198.18.1.2") IPH("60", "64", "1") L4_TCP,
	     "SRC=", "SRC=198.18.0.7x"},
	    {HDR V4("198.18.0.7", "198.18.1.256") IPH("60", "64", "1") L4_TCP,
	     "DST=", "DST=198.18.1.256"},
	    {HDR V4("2001:db8::1::2", "2001:db8::2") IPH6("60", "64") L4_TCP,
	     "SRC=", "SRC=2001:db8::1::2"},
	    {HDR V4("2001:0db8:0000:0000:0000:0000:0000:0000:0001", "2001:db8::2") IPH6("60", "64")
		 L4_TCP,
	     "SRC=", "SRC=2001:0db8:0000:0000:0000:0000:0000:0000:0001"},
	    {HDR A4 IPH("60", "64", "1") "PROTO=TCP SPT=65536 DPT=53 WINDOW=1 RES=0x00 SYN URGP=0 ",
	     "SPT=", "SPT=65536"},
	    {HDR A4 IPH("60", "64", "1") "PROTO=TCP SPT=1 DPT=x WINDOW=1 RES=0x00 SYN URGP=0 ",
	     "DPT=", "DPT=x"},
	    {HDR A4 IPH("60", "64", "1") "PROTO=TCP SPT=1 DPT=-1 WINDOW=1 RES=0x00 SYN URGP=0 ",
	     "DPT=", "DPT=-1"},
	    {HDR A4 IPH("60", "64", "1") "PROTO=TCP SPT=1 DPT=0x35 WINDOW=1 RES=0x00 SYN URGP=0 ",
	     "DPT=", "DPT=0x35"},
	    {HDR A4 IPH("60", "64", "1") "PROTO=TCP SPT= DPT=53 WINDOW=1 RES=0x00 SYN URGP=0 ",
	     "SPT=", "SPT="},
	    {HDR A4 IPH("60", "256", "1") L4_TCP, "TTL=", "TTL=256"},
	    {HDR A4 IPH("60", "+64", "1") L4_TCP, "TTL=", "TTL=+64"},
	    {HDR A4 IPH("99999999999999999999", "64", "1") L4_TCP,
	     "LEN=", "LEN=99999999999999999999"},
	    {HDR A4 IPH("60", "64", "65536") L4_TCP, "ID=", "ID=65536"},
	    {HDR A4 IPH("60", "64", "1") "PROTO=TCP SPT=1 DPT=2 WINDOW=65536 RES=0x00 SYN URGP=0 ",
	     "WINDOW=", "WINDOW=65536"},
	    {HDR A4 IPH("60", "64", "1") "PROTO=TCP SPT=1 DPT=2 SEQ=4294967296 ACK=0 WINDOW=1 "
					 "RES=0x00 SYN URGP=0 ",
	     "SEQ=", "SEQ=4294967296"},
	    {HDR A4 "LEN=60 TOS=0xZZ PREC=0x00 TTL=64 ID=1 " L4_TCP, "TOS=", "TOS=0xZZ"},
	    {HDR A6 IPH6("60", "256") L4_TCP, "HOPLIMIT=", "HOPLIMIT=256"},
	    {HDR A4 IPH("84", "64", "1") "PROTO=ICMP TYPE=256 CODE=0 ", "TYPE=", "TYPE=256"},
	    {HDR A4 IPH("84", "64", "1") "PROTO=ICMP TYPE=8 CODE=x ID=1 SEQ=1 ", "CODE=", "CODE=x"},
	    {HDR A4 IPH("576", "64", "1") "PROTO=ICMP TYPE=3 CODE=4 [SRC=198.18.1.2 "
					  "DST=198.18.0.7 LEN=1500 TOS=0x00 PREC=0x00 TTL=64 ID=1 "
					  "PROTO=47 ] MTU=4294967296 ",
	     "MTU=", "MTU=4294967296"},
	    {HDR A4 IPH("4294967296", "64", "1") L4_TCP, "LEN=", "LEN=4294967296"},
	    {HDR A4 IPH("60", "64", "1") L4_TCP "MARK=0x100000000 ", "MARK=", "MARK=0x100000000"},
	    {HDR A4 IPH("60", "64", "1") L4_TCP "UID=4294967296 GID=0 ", "UID=", "UID=4294967296"},
	    {HDR A4 IPH("76", "64", "1") "PROTO=UDP SPT=1 DPT=2 LEN=65536 ", "LEN=", "LEN=65536"},
	    {HDR A4 IPH("60", "64", "1") "PROTO=BOGUS ", "PROTO=", "PROTO=BOGUS"},
	    {HDR A4 IPH("60", "64", "1") "PROTO=256 ", "PROTO=", "PROTO=256"},
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *line = cases[i].line, *eq = strchr(cases[i].tok, '=');
		size_t col = value_column(line, cases[i].tok, cases[i].key);

		expect_malformed(f, line, cases[i].key);
		if (f->err.column != col) {
			print_error("column %zu, want %zu (first byte after %s)\n", f->err.column,
				    col, cases[i].key);
			fx_report(f);
			fail();
		}
		assert_span(f->err.got, eq + 1);
	}
}

static void test_malformed_missing_fields(void **state)
{
	struct fx *f = *state;

	expect_malformed(f, HDR "SRC=198.18.0.7 " IPH("60", "64", "1") L4_TCP, "missing DST=");
	expect_malformed(f, HDR A4 IPH("60", "64", "1"), "missing PROTO=");
	expect_malformed(f, HDR A4, "missing");
	expect_malformed(f, HDR "SRC=198.18.0.7", "missing DST=");
	/* DST= without SRC= is a broken IP record; with neither it is a non-IP frame. */
	expect_malformed(f, HDR "DST=198.18.1.2 " IPH("60", "64", "1") L4_TCP, "missing SRC=");
	expect_ignored(f, HDR "MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:88:cc", PARSE_IGN_NOT_IP);
}

/* A record cut off before its IP header (a full ring buffer, a truncated
 * file) is malformed; only a complete non-IP frame header is "not IP". */
static void test_malformed_cut_before_ip(void **state)
{
	struct fx *f = *state;

	expect_malformed(f, HDR "MAC=00:13:d3:38:b6:e4:00:30", "cut off");
	expect_malformed(f, HDR "MAC=00:13:d3:38:b6:e4:00:30:48:80:4e:37:08:0", "cut off");
	expect_malformed(f, HDR "MAC=", "cut off");
	expect_malformed(f, HDR, "cut off");
	expect_malformed(f, SYSLOG "DROP IN= OUT=eth0 ", "cut off");
	/* the whole Ethernet header, of IPv4 or IPv6, then nothing */
	expect_malformed(f, HDR MAC4, "cut off");
	expect_malformed(f, HDR MAC6, "cut off");
	expect_malformed(f, HDR "MACSRC=00:30:48:80:4e:37 MACDST=00:13:d3:38:b6:e4 MACPROTO=0800 ",
			 "cut off");
	expect_malformed(f, HDR "MACSRC=00:30:48:80:4e:37 MACDST=00:13:d3", "cut off");
	/* non-IP frames, as bridge/netdev rules log them */
	expect_ignored(f, HDR "MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:88:CC ", PARSE_IGN_NOT_IP);
	expect_ignored(f, HDR "MACSRC=00:30:48:80:4e:37 MACDST=00:13:d3:38:b6:e4 MACPROTO=88cc ",
		       PARSE_IGN_NOT_IP);
	expect_ignored(f, HDR "MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:08:06 ARP HTYPE=1 "
			      "PTYPE=0x0800 OPCODE=1 MACSRC=00:16:3e:00:00:02 IPSRC=198.18.0.7 "
			      "MACDST=00:00:00:00:00:00 IPDST=198.18.1.2",
		       PARSE_IGN_NOT_IP);
}

/* The kernel names TCP, UDP, UDPLITE, ICMP, AH, ESP (IPv4) and ICMPv6
 * (IPv6) and prints every other protocol as a number, with no header. */
static void test_proto_number_per_family(void **state)
{
	struct fx *f = *state;

	/* nmap -sO: protocol 58 over IPv4 is not ICMPv6 */
	expect_event(f, HDR MAC4 A4 IPH("20", "41", "7") "PROTO=58 ");
	assert_int_equal(f->ev.proto, 58);
	assert_false(event_is_icmp(&f->ev));
	assert_false(f->ev.has_icmp);
	assert_false(f->ev.has_ports);
	/* and protocol 1 over IPv6 is not ICMP */
	expect_event(f, HDR MAC6 A6 IPH6("40", "64") "PROTO=1 ");
	assert_int_equal(f->ev.proto, 1);
	assert_false(event_is_icmp(&f->ev));
	assert_false(f->ev.has_icmp);
	/* an old kernel's UDP-Lite, printed by number: no header to require */
	expect_event(f, HDR MAC4 A4 IPH("28", "64", "1") "PROTO=136 ");
	assert_int_equal(f->ev.proto, IPPROTO_NUM_UDPLITE);
	assert_false(f->ev.has_ports);
	/* ICMP of the record's own family still needs its type and code */
	expect_event(f, HDR MAC4 A4 IPH("28", "64", "1") "PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=1 ");
	assert_true(event_is_icmp(&f->ev));
	assert_true(f->ev.has_icmp);
	expect_malformed(f, HDR MAC4 A4 IPH("28", "64", "1") "PROTO=ICMP ", "TYPE=");
	/* names the kernel never writes in that family */
	expect_malformed(f, HDR MAC4 A4 IPH("28", "64", "1") "PROTO=ICMPv6 TYPE=128 CODE=0 ",
			 "PROTO=ICMPv6 in an IPv4 record");
	expect_malformed(f, HDR MAC6 A6 IPH6("48", "64") "PROTO=ICMP TYPE=8 CODE=0 ",
			 "PROTO=ICMP in an IPv6 record");
}

/* IPv6 LEN= is payload + 40 (up to 65575), IPv4 BIG TCP prints the skb's
 * length, ICMPv6 packet-too-big carries a 32-bit MTU. */
static void test_wide_lengths(void **state)
{
	struct fx *f = *state;

	expect_event(f, HDR MAC6 A6 IPH6("65575", "64") L4_TCP);
	assert_int_equal(f->ev.ip_len, 65575);
	expect_event(f, HDR MAC4 A4 IPH("185000", "64", "1") L4_TCP);
	assert_int_equal(f->ev.ip_len, 185000);
	expect_event(f, HDR MAC6 A6 IPH6("1280", "64") "PROTO=ICMPv6 TYPE=2 CODE=0 [SRC=" S6
				  " DST=" D6 " LEN=70000 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP "
				  "SPT=443 DPT=50000 WINDOW=501 RES=0x00 ACK URGP=0 ] MTU=70000 ");
	assert_int_equal(f->ev.icmp_mtu, 70000);
	assert_int_equal(f->ev.ip_len, 1280);
	expect_event(f, HDR MAC6 A6 IPH6("1280", "64") "PROTO=ICMPv6 TYPE=2 CODE=0 MTU=4294967295 ");
	assert_int_equal(f->ev.icmp_mtu, 4294967295u);
}


static void test_malformed_no_interface(void **state)
{
	struct fx *f = *state;

	expect_malformed(f, SYSLOG "DROP IN= OUT= " A4 IPH("60", "64", "1") L4_TCP,
			 "expected an interface in IN= or OUT=");
}

static void test_malformed_family_mismatch(void **state)
{
	struct fx *f = *state;

	expect_malformed(f, HDR V4("198.18.0.7", "2001:db8::2") IPH("60", "64", "1") L4_TCP,
			 "DST=");
	expect_malformed(f, HDR V4("2001:db8::2", "198.18.0.7") IPH6("60", "64") L4_TCP, "DST=");
}

static void expect_nul_at(struct fx *f, const char *lit, size_t n, const char *file, int line)
{
	const char *nul = memchr(lit, '\0', n);

	assert_non_null(nul);
	fx_expect_malformed_at(f, lit, n, "NUL", file, line);
	if (f->err.column != (size_t)(nul - lit) + 1) {
		print_error("column %zu, want %zu (the NUL byte)\n", f->err.column,
			    (size_t)(nul - lit) + 1);
		fx_report(f);
		_fail(file, line);
	}
}
#define expect_nul(f, lit) expect_nul_at((f), (lit), sizeof(lit) - 1, __FILE__, __LINE__)

static void test_malformed_nul(void **state)
{
	struct fx *f = *state;

	expect_nul(f, SYSLOG "DR\0OP IN=eth0 OUT= " A4 IPH("60", "64", "1") L4_TCP);
	expect_nul(f, HDR "SRC=198.18\0.0.7 DST=198.18.1.2 " IPH("60", "64", "1") L4_TCP);
	expect_nul(f, HDR A4 IPH("60", "64", "1") L4_TCP "\0");
	expect_nul(f, HDR A4 IPH("60", "64", "1") L4_TCP "\0 MARK=0x1");
	expect_nul(f, "Nov 25 12:29:10 fw\0 kernel: DROP IN=eth0 OUT= " A4 IPH("60", "64", "1")
			  L4_TCP);

	/* Not a record: ignored or malformed, never an event. */
	fx_parse_at(f, "hello\0world", 11, __FILE__, __LINE__);
	assert_int_not_equal(f->v, PARSE_EVENT);
	fx_parse_at(f, "\0", 1, __FILE__, __LINE__);
	assert_int_not_equal(f->v, PARSE_EVENT);
}

/* The column must point into the invalid sequence (bad_off, bad_len bytes
 * from the start of the prefix): validators differ on lead vs. next byte. */
static void expect_utf8_at(struct fx *f, const char *prefix, size_t bad_off, size_t bad_len,
			   const char *file, int line)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), SYSLOG "%sIN=eth0 OUT= " A4 IPH("60", "64", "1") L4_TCP,
			 prefix);
	size_t lo = sizeof(SYSLOG) - 1 + bad_off + 1;

	assert_true(n > 0 && (size_t)n < sizeof(buf));
	fx_expect_malformed_at(f, buf, (size_t)n, "UTF-8", file, line);
	if (f->err.column < lo || f->err.column >= lo + bad_len) {
		print_error("column %zu, want %zu..%zu (the invalid sequence)\n", f->err.column, lo,
			    lo + bad_len - 1);
		fx_report(f);
		_fail(file, line);
	}
}
#define expect_utf8(f, prefix, off, n) expect_utf8_at((f), (prefix), (off), (n), __FILE__, __LINE__)

/* NUL bytes (a log zero-filled by a crash) that break the syslog header or
 * the record's own keys leave a damaged firewall record: malformed. */
static void test_malformed_nul_hides_record(void **state)
{
	struct fx *f = *state;

	expect_nul(f, "Nov 25 12:29:10 fw1 ker\0nel: DROP IN=eth0 OUT= " A4 IPH("60", "64", "1")
		       L4_TCP);
	expect_nul(f, "\0\0\0\0Nov 25 12:29:10 fw1 kernel: DROP IN=eth0 OUT= " A4
		       IPH("60", "64", "1") L4_TCP);
	expect_nul(f, SYSLOG "DROP I\0=eth0 OUT= " A4 IPH("60", "64", "1") L4_TCP);
	expect_nul(f, SYSLOG "DROP IN=eth0 O\0T= " A4 IPH("60", "64", "1") L4_TCP);
	/* other lines with NUL bytes stay other lines */
	fx_expect_at(f, "Nov 25 12:29:10 fw1 sshd[1]: \0 hello", 36, PARSE_IGNORED,
		     PARSE_IGN_NOT_FIREWALL, __FILE__, __LINE__);
	fx_expect_at(f, "Nov 25 12:29:10 fw1 login[1]: \0 LOGIN=root", 42, PARSE_IGNORED,
		     PARSE_IGN_NOT_FIREWALL, __FILE__, __LINE__);
}

static void test_malformed_utf8_prefix(void **state)
{
	struct fx *f = *state;

	expect_utf8(f,
		    "DR\xff"
		    "OP ",
		    2, 1);
	expect_utf8(f, "\xc0\x80 ", 0, 2);	   /* overlong NUL */
	expect_utf8(f, "x\xe0\x80\xaf ", 1, 3);	   /* overlong '/' */
	expect_utf8(f, "\xed\xa0\x80 ", 0, 3);	   /* UTF-16 surrogate */
	expect_utf8(f, "\xf4\x90\x80\x80 ", 0, 4); /* above U+10FFFF */
	expect_utf8(f, "ab\x80 ", 2, 1);	   /* lone continuation byte */
	expect_utf8(f, "ab\xe2\x82 ", 2, 3);	   /* cut sequence (or the space after) */
	expect_utf8(f, "\xfe ", 0, 1);
}

/* ---- hostile input ------------------------------------------------------ */

/* Every prefix of a valid line parses to a verdict (fx checks the
 * invariants); a cut inside the outer SRC= value is always MALFORMED. */
static void check_truncations(struct fx *f, const char *line)
{
	size_t len = strlen(line);
	const char *rec = strstr(line, "IN=");
	const char *src = strstr(rec, " SRC=");
	size_t vstart = (size_t)(src - line) + 5;
	/* from just after "OUT=" (the record is found) to the end of SRC='s
	 * value: cut off before the IP header is known, so MALFORMED */
	size_t rstart = (size_t)(strstr(rec, "OUT=") - line) + 4;
	size_t vend = vstart + strcspn(line + vstart, " ");

	expect_event(f, line);
	for (size_t n = 0; n <= len; n++) {
		fx_parse_at(f, line, n, __FILE__, __LINE__);
		if (n == 0 && !(f->v == PARSE_IGNORED && f->why == PARSE_IGN_BLANK)) {
			fx_report(f);
			fail_msg("empty line is not BLANK");
		}
		if (n >= rstart && n <= vend && f->v != PARSE_MALFORMED) {
			print_error("cut at %zu, before SRC='s value ends (%zu..%zu, value from "
				    "%zu): want MALFORMED\n", n, rstart, vend, vstart);
			fx_report(f);
			fail();
		}
	}
}

static void test_truncations(void **state)
{
	struct fx *f = *state;

	check_truncations(f, SEED);
	check_truncations(f, "2026-11-25T12:29:10.123456+01:00 fw1 kernel: [ 1234.567890] "
			     "[UFW BLOCK] IN=eth0 OUT= " MAC6 A6 IPH6(
				 "103", "255") "PROTO=UDP SPT=5353 DPT=5353 LEN=63 ");
	check_truncations(
	    f, "Nov 25 12:29:10.123456 fw1 kernel: REJ IN=eth0 OUT= "
	       "SRC=198.18.1.2 DST=198.18.0.7 LEN=88 TOS=0x00 PREC=0xC0 TTL=63 ID=5555 "
	       "PROTO=ICMP TYPE=3 CODE=3 [SRC=198.18.0.7 DST=198.18.1.2 LEN=60 "
	       "TOS=0x00 PREC=0x00 TTL=1 ID=28124 DF PROTO=UDP SPT=53 DPT=33434 LEN=40 ] ");
	check_truncations(f, "4,1234,5678901,-,caller=T123;OUT IN= OUT=eth0 " A4 IPH(
				 "60", "64", "1") L4_TCP TCPOPT " UID=1000 GID=1000 MARK=0x1f ");
	check_truncations(f, "<4>1 2026-11-25T12:29:10.123456+00:00 fw1 kernel - - "
			     "[timeQuality tzKnown=\"1\"] DROP IN=eth0 OUT= " MAC4 A4
			     "LEN=64 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (0123ABCD) " L4_TCP);
	check_truncations(f, "[Wed Nov 25 12:29:10 2026] DROP IN=eth0 OUT= " MAC6 A6
			     "LEN=1280 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT ( ) OPT ( FRAG:0 INCOMPLETE "
			     "ID:0000abcd ) PROTO=UDP SPT=53 DPT=40000 LEN=1232 ");
}

static char *repeat(const char *head, const char *unit, size_t total)
{
	size_t hn = strlen(head), un = strlen(unit);
	char *p = malloc(total + 1);

	assert_non_null(p);
	memcpy(p, head, hn);
	for (size_t o = hn; o < total; o += un)
		memcpy(p + o, unit, total - o < un ? total - o : un);
	p[total] = '\0';
	return p;
}

static void test_huge_lines(void **state)
{
	struct fx *f = *state;
	char *p;

	/* 64 KiB of "SRC=" after a record start, and with no record at all. */
	p = repeat(HDR, "SRC=", 65536);
	parse_str(f, p);
	assert_int_equal(f->v, PARSE_MALFORMED);
	free(p);

	p = repeat("", "SRC=", 65536);
	expect_ignored(f, p, PARSE_IGN_NOT_FIREWALL);
	free(p);

	p = repeat(HDR, "SRC=198.18.0.7 ", 65536);
	parse_str(f, p);
	assert_int_not_equal(f->v, PARSE_EVENT);
	free(p);

	p = repeat(SYSLOG, "IN= OUT= ", 65536);
	parse_str(f, p);
	free(p);

	p = repeat(SYSLOG, "[", 65536);
	parse_str(f, p);
	assert_int_equal(f->v, PARSE_IGNORED);
	free(p);

	/* An 8 KiB prefix. */
	p = repeat("", "A", 8192);
	char *line = malloc(9000);
	assert_non_null(line);
	snprintf(line, 9000, "%s IN=eth0 OUT= " A4 IPH("60", "64", "1") L4_TCP, p);
	parse_str(f, line);
	free(line);
	free(p);

	/* Many flag words, many empty IPv6 option groups. */
	p = repeat(HDR A4 IPH("60", "64", "1") "PROTO=TCP SPT=1 DPT=2 WINDOW=1 RES=0x00 ", "SYN ",
		   40000);
	parse_str(f, p);
	free(p);

	char *opts = repeat("", "OPT ( ) ", 8 * 300);
	size_t n = strlen(opts) + 256;
	line = malloc(n);
	assert_non_null(line);
	snprintf(line, n, HDR A6 IPH6("60", "64") "%s" L4_TCP, opts);
	parse_str(f, line);
	if (f->v == PARSE_EVENT)
		assert_int_equal(f->ev.v6_empty_opts, 255); /* saturates, no wrap */
	free(line);
	free(opts);
}

/* The record search on pathological lines ("IN=IN=IN=...", "IN=x IN=x ...")
 * is linear: a 4 MiB line of each shape takes milliseconds (the search it
 * replaces rescanned the tail per candidate: hours for this size). */
static void test_record_search_linear(void **state)
{
	static const char *const units[] = { "IN=", "IN=x ", "IN=IN= OUT", "SRC=1.2.3.4 IN=" };
	const size_t big = 4u << 20;
	(void)state;

	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		char *p = repeat("", units[u], big);
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		long at = record_find(span_make(p, big));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		assert_int_equal(at, -1);
		if (ms > 2000) {
			print_error("unit '%s': %.0f ms for 4 MiB, want linear time\n", units[u], ms);
			fail();
		}
		free(p);
	}
	assert_int_equal(record_find(span_make(NULL, 0)), -1);
	assert_int_equal(record_find(span_make("IN=", 3)), -1);
	/* the first real record after a pathological stretch is still found */
	char *p = repeat("", "IN=", 3 * 100000);
	size_t n = strlen(p);
	char *line = malloc(n + 32);
	assert_non_null(line);
	memcpy(line, p, n);
	memcpy(line + n, " IN=eth0 OUT= SRC=1", 20);
	assert_int_equal(record_find(span_make(line, n + 19)), (long)n + 1);
	free(line);
	free(p);
}

static void test_unbalanced_brackets(void **state)
{
	static const char *const lines[] = {
	    /* "[" of an ICMP error never closed */
	    HDR A4 IPH("88", "63", "1") "PROTO=ICMP TYPE=3 CODE=3 [SRC=198.18.9.9 "
					"DST=198.18.8.8 LEN=60 TOS=0x00 PREC=0x00 TTL=1 ID=2 "
					"PROTO=UDP SPT=53 DPT=9 LEN=40",
	    HDR A4 IPH("88", "63", "1") "PROTO=ICMP TYPE=3 CODE=3 [",
	    HDR A4 IPH("88", "63", "1") "PROTO=ICMP TYPE=3 CODE=3 [[[[[[[[ ] ] ",
	    HDR A4 IPH("88", "63", "1") "PROTO=ICMP TYPE=3 CODE=3 ] ] ",
	    HDR A4 IPH(
		"88", "63",
		"1") "PROTO=ICMP TYPE=3 CODE=3 [SRC=198.18.9.9 "
		     "DST=198.18.8.8 LEN=60 TOS=0x00 PREC=0x00 TTL=1 ID=2 PROTO=ICMP TYPE=3 CODE=3 "
		     "[SRC=198.18.7.7 DST=198.18.6.6 PROTO=TCP ] ] ",
	    /* "OPT (" never closed */
	    HDR A4 IPH("60", "64", "1") L4_TCP "OPT (020405B4",
	    HDR A4 IPH("60", "64", "1") L4_TCP "OPT (",
	    HDR A4 IPH("60", "64", "1") L4_TCP "OPT",
	    HDR A4 "LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 OPT (0123 PROTO=TCP SPT=1 DPT=2 "
		   "WINDOW=1 RES=0x00 SYN URGP=0 ",
	    HDR A6 IPH6("60", "64") "OPT ( " L4_TCP,
	    HDR A6 IPH6("60", "64") "OPT ( ) ) ) " L4_TCP,
	    HDR A6 IPH6("60", "64") "OPT ( FRAG: ID: ) PROTO=TCP ",
	    HDR A6 IPH6("60", "64") "OPT ( FRAG:x ID:zz ) PROTO=TCP ",
	    HDR A4 IPH("60", "64", "1") "PROTO=TCP INCOMPLETE [",
	    HDR A4 IPH("60", "64", "1") "PROTO=TCP INCOMPLETE [99999999999 bytes] ",
	    HDR A4 IPH("60", "64", "1") "PROTO=TCP INCOMPLETE [x bytes] ",
	    HDR A4 IPH("60", "64", "1") "PROTO=TCP INCOMPLETE ",
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		parse_str(f, lines[i]);
		if (f->v == PARSE_EVENT && f->ev.proto == IPPROTO_NUM_ICMP) {
			/* The outer packet stays the outer packet. */
			assert_addr(f->ev.src, "198.18.0.7");
			assert_addr(f->ev.dst, "198.18.1.2");
		}
	}
}

/* Lines glued from tokens of every format, valid and not: only the
 * invariants are checked (a tiny deterministic fuzzer). */
static void test_token_soup(void **state)
{
	static const char *const toks[] = {
	    "Nov 25 12:29:10 ",
	    "fw1 ",
	    "kernel: ",
	    "logger: ",
	    "<4>",
	    "<12>",
	    "[ 1.5] ",
	    "[12345.678901] ",
	    "4,1,2,-;",
	    "<4>1 ",
	    "2026-11-25T12:29:10.1+01:00 ",
	    "- ",
	    "[a x=\"]\"] ",
	    "\xEF\xBB\xBF",
	    "DROP ",
	    "IN=eth0 ",
	    "IN= ",
	    "OUT= ",
	    "OUT=eth1 ",
	    "MAC= ",
	    "MAC=00:11 ",
	    "SRC=198.18.0.7 ",
	    "DST=198.18.1.2 ",
	    "SRC=2001:db8::1 ",
	    "DST=2001:0db8:0000:0000:0000:0000:0000:0002 ",
	    "SRC=",
	    "DST=",
	    "LEN=60 ",
	    "LEN=99999999999 ",
	    "TOS=0x00 ",
	    "PREC=0x ",
	    "TTL=64 ",
	    "ID=1 ",
	    "DF ",
	    "MF ",
	    "FRAG:8 ",
	    "FRAG: ",
	    "HOPLIMIT=1 ",
	    "TC=0 ",
	    "FLOWLBL=0 ",
	    "OPT ( ) ",
	    "OPT (",
	    "OPT (0204",
	    ") ",
	    "[",
	    "] ",
	    "PROTO=TCP ",
	    "PROTO=UDP ",
	    "PROTO=ICMP ",
	    "PROTO=ICMPv6 ",
	    "PROTO=AH ",
	    "PROTO=47 ",
	    "PROTO= ",
	    "SPT=1 ",
	    "DPT=65535 ",
	    "DPT=65536 ",
	    "SEQ=1 ",
	    "ACK=2 ",
	    "WINDOW=1 ",
	    "RES=0x00 ",
	    "SYN ",
	    "FIN ",
	    "AE ",
	    "URGP=0 ",
	    "TYPE=3 ",
	    "CODE=3 ",
	    "MTU=1 ",
	    "INCOMPLETE [8 bytes] ",
	    "INCOMPLETE ",
	    "ID:0000abcd ",
	    "UID=1 ",
	    "GID=1 ",
	    "MARK=0x1f ",
	    "SPI=0x1 ",
	    "=",
	    " ",
	    "  ",
	    "\r",
	    "\t",
	    "\xff",
	    "\xc0\x80",
	    "\xe2\x86\x92",
	};
	struct fx *f = *state;
	char line[1024];
	uint32_t seed = 0x5eed1234u;

	for (int iter = 0; iter < 20000; iter++) {
		size_t n = 0;
		seed = seed * 1664525u + 1013904223u;
		int count = (int)(seed >> 27) + 1;
		for (int k = 0; k < count; k++) {
			seed = seed * 1664525u + 1013904223u;
			const char *t = toks[(seed >> 8) % (sizeof(toks) / sizeof(toks[0]))];
			size_t tn = strlen(t);
			if (n + tn >= sizeof(line))
				break;
			memcpy(line + n, t, tn);
			n += tn;
		}
		fx_parse_at(f, line, n, __FILE__, __LINE__);
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_ipv4_tcp_syn_all_fields),
	    T(test_tcp_flags),
	    T(test_tcp_res_urgp_window),
	    T(test_tcp_seq_ack),
	    T(test_ipv4_header_words),
	    T(test_ipv4_fragments),
	    T(test_ipv4_ip_options),
	    T(test_tcp_opt_truncated_word),
	    T(test_ipv6_ext_text),
	    T(test_udp),
	    T(test_icmp_echo),
	    T(test_icmp_error_keeps_outer_packet),
	    T(test_icmp_redirect_and_parameter),
	    T(test_icmp_time_exceeded_embeds_echo),
	    T(test_incomplete),
	    T(test_ah_esp_other_protocols),
	    T(test_uid_gid_mark),
	    T(test_ipv6_tcp),
	    T(test_ipv6_v4_mapped),
	    T(test_ipv6_compressed_and_tc),
	    T(test_ipv6_udp),
	    T(test_icmpv6),
	    T(test_icmpv6_error_keeps_outer_packet),
	    T(test_ipv6_empty_ext_headers),
	    T(test_ipv6_fragment_header),
	    T(test_ipv6_ah_ext_header),
	    T(test_ipv6_esp_ext_header),
	    T(test_chain),
	    T(test_bridge_physdev),
	    T(test_mac_variants),
	    T(test_prefixes),
	    T(test_keyed_not_positional),
	    T(test_event_reused_between_lines),
	    cmocka_unit_test(test_tcp_options_mss),
	    cmocka_unit_test(test_tcp_options_linux_syn),
	    cmocka_unit_test(test_tcp_options_nmap_and_sack),
	    cmocka_unit_test(test_tcp_options_truncated),
	    cmocka_unit_test(test_tcp_options_past_eol),
	    cmocka_unit_test(test_tcp_options_bounds),
	    T(test_malformed_values),
	    T(test_malformed_missing_fields),
	    cmocka_unit_test(test_record_search_linear),
	    T(test_malformed_cut_before_ip),
	    T(test_proto_number_per_family),
	    T(test_wide_lengths),
	    T(test_malformed_nul_hides_record),
	    T(test_malformed_no_interface),
	    T(test_malformed_family_mismatch),
	    T(test_malformed_nul),
	    T(test_malformed_utf8_prefix),
	    T(test_truncations),
	    T(test_huge_lines),
	    T(test_unbalanced_brackets),
	    T(test_token_soup),
	};
#undef T
	return cmocka_run_group_tests_name("parse: nf_log fields", tests, NULL, NULL);
}
