/* SPDX-License-Identifier: GPL-2.0-or-later */
/* classify-test.c - flag sets, SYN vs CONNECT, per-packet kinds, ladders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/classify.h"
#include "parse/parse.h"

#define BIT(t) (UINT32_C(1) << (t))

/* IPv4 options given as the kernel logs them, decoded as the parser does. */
static void set_ip_opt(struct event *ev, const char *hex)
{
	int n = parse_opt_hex(span_make(hex, strlen(hex)), ev->ip_opt_raw, EVENT_OPT_MAX);

	assert_true(n >= 0);
	ev->ip_opt_len = (uint8_t)n;
}

static struct event ev_new(const char *src, uint8_t proto)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	assert_int_equal(addr_parse(span_make(src, strlen(src)), &ev.src), 0);
	ev.proto = proto;
	return ev;
}

static struct event ev_syn(const char *src, uint16_t ip_len)
{
	struct event ev = ev_new(src, IPPROTO_NUM_TCP);

	ev.has_ports = true;
	ev.dport = 22;
	ev.tcp_flags = TCPF_SYN;
	ev.ip_len = ip_len;
	return ev;
}

static void test_flag_sets(void **state)
{
	(void)state;
	assert_int_equal(classify_tcp_flags(TCPF_SYN), SCAN_SYN);
	assert_int_equal(classify_tcp_flags(TCPF_FIN), SCAN_FIN);
	assert_int_equal(classify_tcp_flags(0), SCAN_NULL);
	assert_int_equal(classify_tcp_flags(TCPF_URG | TCPF_PSH | TCPF_FIN), SCAN_XMAS);
	assert_int_equal(classify_tcp_flags(TCPF_ACK), SCAN_ACK);
	assert_int_equal(classify_tcp_flags(TCPF_ACK | TCPF_FIN), SCAN_MAIMON);
	assert_int_equal(classify_tcp_flags(TCPF_SYN | TCPF_FIN), SCAN_SYNFIN);
	/* nmap -O's probe, RST, SYN ACK backscatter, ACK PSH: odd */
	assert_int_equal(classify_tcp_flags(TCPF_URG | TCPF_PSH | TCPF_SYN | TCPF_FIN), SCAN_OTHER);
	assert_int_equal(classify_tcp_flags(TCPF_RST), SCAN_OTHER);
	assert_int_equal(classify_tcp_flags(TCPF_SYN | TCPF_ACK), SCAN_OTHER);
	assert_int_equal(classify_tcp_flags(TCPF_ACK | TCPF_PSH), SCAN_OTHER);
}

/* psad matched the exact string "SYN", so an ECN SYN ("CWR ECE SYN") was
 * nothing at all. */
static void test_ecn_stripped(void **state)
{
	(void)state;
	assert_int_equal(classify_tcp_flags(TCPF_SYN | TCPF_ECE | TCPF_CWR), SCAN_SYN);
	assert_int_equal(classify_tcp_flags(TCPF_SYN | TCPF_ECE), SCAN_SYN);
	assert_int_equal(classify_tcp_flags(TCPF_FIN | TCPF_CWR), SCAN_FIN);
	assert_int_equal(classify_tcp_flags(TCPF_ECE | TCPF_CWR), SCAN_NULL);
}

static void test_syn_by_options(void **state)
{
	struct event ev = ev_syn("192.0.2.1", 60);

	(void)state;
	ev.has_tcp_opts = true;
	ev.tcp_opts.count = 1; /* nmap -sS: MSS alone */
	ev.tcp_opts.kinds[0] = TCPOPT_KIND_MSS;
	ev.tcp_opts.has_mss = true;
	ev.ip_len = 44;
	assert_int_equal(classify_syn(&ev), SCAN_SYN);
	ev.tcp_opts.count = 0; /* empty list */
	ev.tcp_opts.has_mss = false;
	assert_int_equal(classify_syn(&ev), SCAN_SYN);

	/* Linux connect(): MSS SACKOK TS NOP WS */
	ev.ip_len = 60;
	ev.tcp_opts.has_mss = ev.tcp_opts.has_sackok = ev.tcp_opts.has_ts = ev.tcp_opts.has_ws =
	    true;
	assert_int_equal(classify_syn(&ev), SCAN_CONNECT);
	ev.tcp_opts.has_ts = ev.tcp_opts.has_ws = false; /* any one suffices */
	assert_int_equal(classify_syn(&ev), SCAN_CONNECT);
	ev.tcp_opts.has_sackok = false;
	ev.tcp_opts.has_ws = true;
	assert_int_equal(classify_syn(&ev), SCAN_CONNECT);
	/* options decide over length */
	ev.tcp_opts.has_ws = false;
	assert_int_equal(classify_syn(&ev), SCAN_SYN);
}

static void test_syn_by_length(void **state)
{
	struct event v4 = ev_syn("192.0.2.1", 44), v6 = ev_syn("2001:db8::1", 64);

	(void)state;
	assert_int_equal(classify_syn(&v4), SCAN_SYN);
	v4.ip_len = 40; /* masscan: no options at all */
	assert_int_equal(classify_syn(&v4), SCAN_SYN);
	/* longer: a connect() (Linux 60, Windows 52) or a raw SYN with options
	 * or data; without logged options the log cannot tell */
	v4.ip_len = 45;
	assert_int_equal(classify_syn(&v4), SCAN_SYN_UNTOLD);
	v4.ip_len = 60;
	assert_int_equal(classify_syn(&v4), SCAN_SYN_UNTOLD);
	v4.ip_len = 52;
	assert_int_equal(classify_syn(&v4), SCAN_SYN_UNTOLD);
	assert_int_equal(classify_syn(&v6), SCAN_SYN);
	v6.ip_len = 80;
	assert_int_equal(classify_syn(&v6), SCAN_SYN_UNTOLD);
	/* IPv4 options are not TCP's: a raw SYN with record route (40 bytes) */
	v4.ip_len = 84;
	set_ip_opt(&v4, "07270400000000000000000000000000000000000000000000000000000000000000000000000000");
	assert_int_equal(classify_syn(&v4), SCAN_SYN);
	/* IPv6 extension headers (Topera: 8 empty option headers, LEN 124):
	 * each logged one takes its minimum 8 bytes off, leaving a raw SYN */
	v6.ip_len = 124;
	assert_int_equal(classify_syn(&v6), SCAN_SYN_UNTOLD); /* headers not logged */
	v6.v6_empty_opts = 8;
	v6.v6_ext_hdrs = 8;
	assert_int_equal(classify_syn(&v6), SCAN_SYN);
	v6.ip_len = 132; /* 8 more bytes: room for options, or data */
	assert_int_equal(classify_syn(&v6), SCAN_SYN_UNTOLD);
	v6.ip_len = 124;
	v6.v6_ext_hdrs = 1; /* one header: 56 bytes left beyond it */
	assert_int_equal(classify_syn(&v6), SCAN_SYN_UNTOLD);
	/* a 32-bit LEN (BIG TCP) does not wrap */
	set_ip_opt(&v4, "");
	v4.ip_len = 0xFFFFFFF0u;
	assert_int_equal(classify_syn(&v4), SCAN_SYN_UNTOLD);
}

static void test_packet_kinds(void **state)
{
	struct event ev;

	(void)state;
	ev = ev_syn("192.0.2.1", 44);
	assert_int_equal(classify_packet(&ev), BIT(SCAN_SYN));
	ev.ip_len = 60;
	assert_int_equal(classify_packet(&ev), BIT(SCAN_SYN_UNTOLD));
	ev.has_tcp_opts = true; /* Linux connect()'s options logged */
	ev.tcp_opts.has_mss = ev.tcp_opts.has_sackok = ev.tcp_opts.has_ts = true;
	assert_int_equal(classify_packet(&ev), BIT(SCAN_CONNECT));
	ev.tcp_flags = TCPF_URG | TCPF_PSH | TCPF_FIN;
	assert_int_equal(classify_packet(&ev), BIT(SCAN_XMAS));
	ev.has_ports = false; /* fragment: no TCP header, flags unknown */
	assert_int_equal(classify_packet(&ev), 0);

	ev = ev_new("192.0.2.1", IPPROTO_NUM_UDP);
	assert_int_equal(classify_packet(&ev), BIT(SCAN_UDP));
	ev = ev_new("192.0.2.1", IPPROTO_NUM_UDPLITE);
	assert_int_equal(classify_packet(&ev), BIT(SCAN_UDP));

	ev = ev_new("192.0.2.1", IPPROTO_NUM_ICMP);
	ev.has_icmp = true;
	for (unsigned t = 0; t < 256; t++) {
		ev.icmp_type = (uint8_t)t;
		bool probe = t == 8 || t == 13 || t == 17;
		assert_int_equal(classify_packet(&ev), probe ? BIT(SCAN_PING) : 0);
	}
	ev = ev_new("2001:db8::1", IPPROTO_NUM_ICMPV6);
	ev.has_icmp = true;
	ev.icmp_type = 128;
	assert_int_equal(classify_packet(&ev), BIT(SCAN_PING));
	ev.icmp_type = 135; /* neighbour solicitation is not a probe */
	assert_int_equal(classify_packet(&ev), 0);
	ev.icmp_type = 8; /* 8 is not echo in ICMPv6 */
	assert_int_equal(classify_packet(&ev), 0);

	ev = ev_new("192.0.2.1", IPPROTO_NUM_ESP);
	assert_int_equal(classify_packet(&ev), 0);

	/* the other family's ICMP number is a bare protocol, not a probe */
	ev = ev_new("192.0.2.1", IPPROTO_NUM_ICMPV6);
	ev.has_icmp = true;
	ev.icmp_type = 128;
	assert_int_equal(classify_packet(&ev), 0);
	ev = ev_new("2001:db8::1", IPPROTO_NUM_ICMP);
	ev.has_icmp = true;
	ev.icmp_type = 8;
	assert_int_equal(classify_packet(&ev), 0);
	ev = ev_new("2001:db8::1", IPPROTO_NUM_ICMPV6);
	ev.has_icmp = true;
	ev.icmp_type = 128;
	assert_int_equal(classify_packet(&ev), BIT(SCAN_PING));
}

static void test_names(void **state)
{
	static const char *const names[_SCAN_MAX] = {
	    "SYN",  "CONNECT", "SYN_OR_CONNECT", "FIN",	 "NULL",  "XMAS",  "ACK",
	    "MAIMON", "SYNFIN", "UDP",		  "PROTO", "PING", "SWEEP", "OTHER",
	};
	static const char *const nmap[_SCAN_MAX] = {
	    "-sS", "-sT", "-sS or -sT", "-sF", "-sN", "-sX", "-sA", "-sM", "--scanflags SYNFIN",
	    "-sU", "-sO", "-sn",	NULL,  NULL,
	};

	(void)state;
	for (int t = 0; t < _SCAN_MAX; t++) {
		assert_string_equal(scan_type_name((enum scan_type)t), names[t]);
		if (nmap[t])
			assert_string_equal(scan_type_nmap((enum scan_type)t), nmap[t]);
		else
			assert_null(scan_type_nmap((enum scan_type)t));
	}
	assert_null(scan_type_name(_SCAN_MAX));
	assert_null(scan_type_nmap((enum scan_type) - 1));
}

static void test_ladder(void **state)
{
	static const uint32_t dl[6] = {0, 5, 15, 150, 1500, 10000};

	(void)state;
	assert_int_equal(classify_ladder(dl, 0), 0);
	assert_int_equal(classify_ladder(dl, 4), 0);
	assert_int_equal(classify_ladder(dl, 5), 1);
	assert_int_equal(classify_ladder(dl, 14), 1);
	assert_int_equal(classify_ladder(dl, 15), 2);
	assert_int_equal(classify_ladder(dl, 149), 2);
	assert_int_equal(classify_ladder(dl, 150), 3);
	assert_int_equal(classify_ladder(dl, 1002), 3);
	assert_int_equal(classify_ladder(dl, 1500), 4);
	assert_int_equal(classify_ladder(dl, 9999), 4);
	assert_int_equal(classify_ladder(dl, 10000), 5);
	assert_int_equal(classify_ladder(dl, UINT64_MAX), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_flag_sets),	   cmocka_unit_test(test_ecn_stripped),
	    cmocka_unit_test(test_syn_by_options), cmocka_unit_test(test_syn_by_length),
	    cmocka_unit_test(test_packet_kinds),   cmocka_unit_test(test_names),
	    cmocka_unit_test(test_ladder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
