/* SPDX-License-Identifier: GPL-2.0-or-later */
/* packet-test.c - packet_decode() on hand-built IPv4/IPv6 TCP/UDP/ICMP
 * packets: every field, options, fragments, extension headers, short
 * copies and lying lengths; and, field by field, the same event as the
 * LOG-text parser gives for the record the kernel prints for that packet.
 * Each packet is decoded from an exact-size heap copy, so AddressSanitizer
 * sees any read past the copy. Addresses: 198.18.0.0/15, 2001:db8::/32.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"
#include "source/packet.h"

/* --- building packets ---------------------------------------------------- */

struct pkt {
	uint8_t b[512];
	size_t n;
};

static void put(struct pkt *p, const void *d, size_t n)
{
	assert_true(p->n + n <= sizeof(p->b));
	memcpy(p->b + p->n, d, n);
	p->n += n;
}

static void put16(struct pkt *p, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(p, b, 2);
}

static void put32(struct pkt *p, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	put(p, b, 4);
}

/* IPv4 header with opt (multiple of 4); total length patched by fix_len4. */
static void ip4(struct pkt *p, uint8_t tos, uint16_t id, uint16_t fo, uint8_t ttl, uint8_t proto,
		const uint8_t *opt, size_t optlen)
{
	uint8_t h[20] = { (uint8_t)(0x40 | (5 + optlen / 4)), tos, 0, 0, (uint8_t)(id >> 8),
			  (uint8_t)id, (uint8_t)(fo >> 8), (uint8_t)fo, ttl, proto, 0, 0,
			  198, 18, 0, 7, 198, 18, 0, 1 };
	put(p, h, 20);
	if (optlen)
		put(p, opt, optlen);
}

static void fix_len4(struct pkt *p)
{
	p->b[2] = (uint8_t)(p->n >> 8);
	p->b[3] = (uint8_t)p->n;
}

static void ip6(struct pkt *p, uint8_t tc, uint32_t flow, uint8_t nh, uint8_t hop)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	put32(p, 6u << 28 | (uint32_t)tc << 20 | flow);
	put16(p, 0);
	uint8_t x[2] = { nh, hop };
	put(p, x, 2);
	put(p, src, 16);
	put(p, dst, 16);
}

static void fix_len6(struct pkt *p)
{
	p->b[4] = (uint8_t)((p->n - 40) >> 8);
	p->b[5] = (uint8_t)(p->n - 40);
}

static void tcp(struct pkt *p, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack,
		uint8_t flags, uint16_t win, const uint8_t *opt, size_t optlen)
{
	put16(p, sp);
	put16(p, dp);
	put32(p, seq);
	put32(p, ack);
	uint8_t x[2] = { (uint8_t)((5 + optlen / 4) << 4), flags };
	put(p, x, 2);
	put16(p, win);
	put16(p, 0); /* checksum */
	put16(p, 0); /* urgent pointer */
	if (optlen)
		put(p, opt, optlen);
}

static int decode(const struct pkt *p, size_t n, uint16_t hw, struct event *ev,
		  struct packet_text *txt)
{
	uint8_t *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, p->b, n);
	memset(ev, 0, sizeof(*ev));
	int r = packet_decode(copy, n, hw, ev, txt);
	free(copy);
	return r;
}

static const uint8_t SYN_OPTS[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1,
				      0, 0, 0, 0, 1, 3, 3, 7 };

/* --- IPv4 ------------------------------------------------------------------ */

static void test_v4_tcp_syn(void **state)
{
	struct pkt p = { 0 };
	struct event ev;
	struct packet_text txt;

	ip4(&p, 0x12 | 0x20 | 0x01, 4242, 0x4000, 52, 6, NULL, 0);
	tcp(&p, 40000, 22, 123456789, 0, 0x02 | 0x40 | 0x80, 64240, SYN_OPTS, sizeof(SYN_OPTS));
	p.b[32] |= 0x05; /* two reserved bits */
	fix_len4(&p);
	assert_int_equal(decode(&p, p.n, 0x0800, &ev, &txt), 0);
	char a[ADDR_STR_MAX];
	addr_format(&ev.src, a);
	assert_string_equal(a, "198.18.0.7");
	addr_format(&ev.dst, a);
	assert_string_equal(a, "198.18.0.1");
	assert_int_equal(ev.ip_len, 60);
	assert_int_equal(ev.tos, 0x12);  /* & IPTOS_TOS_MASK */
	assert_int_equal(ev.prec, 0x20); /* & IPTOS_PREC_MASK */
	assert_int_equal(ev.ttl, 52);
	assert_int_equal(ev.ip_id, 4242);
	assert_int_equal(ev.ip_flags, IPF_DF);
	assert_int_equal(ev.proto, 6);
	assert_true(ev.has_ports);
	assert_int_equal(ev.sport, 40000);
	assert_int_equal(ev.dport, 22);
	assert_true(ev.has_seq);
	assert_int_equal(ev.seq, 123456789);
	assert_int_equal(ev.window, 64240);
	assert_int_equal(ev.res, 0x05 << 2);
	assert_int_equal(ev.tcp_flags, TCPF_SYN | TCPF_ECE | TCPF_CWR);
	assert_true(ev.has_tcp_opts);
	assert_true(ev.tcp_opts.has_mss);
	assert_int_equal(ev.tcp_opts.mss, 1460);
	assert_true(ev.tcp_opts.has_sackok);
	assert_true(ev.tcp_opts.has_ts);
	assert_int_equal(ev.tcp_opts.tsval, 1);
	assert_true(ev.tcp_opts.has_ws);
	assert_int_equal(ev.tcp_opts.wscale, 7);
	assert_false(ev.tcp_opts.truncated);
	assert_false(ev.incomplete);
#ifdef PKT_COMPAT_HEX
	assert_int_equal(ev.tcp_opt_hex.len, 40);
	assert_memory_equal(ev.tcp_opt_hex.p, "020405B404020", 13);
#else
	assert_int_equal(ev.tcp_opt_len, 20);
	assert_memory_equal(ev.tcp_opt_raw, SYN_OPTS, 20);
	assert_false(ev.tcp_opt_bad);
#endif
}

static void test_v4_ip_options(void **state)
{
	static const uint8_t rr[8] = { 7, 7, 4, 0, 0, 0, 0, 0 }; /* record route, EOL pad */
	struct pkt p = { 0 };
	struct event ev;
	struct packet_text txt;

	ip4(&p, 0, 1, 0, 64, 17, rr, sizeof(rr));
	put16(&p, 53);
	put16(&p, 33434);
	put16(&p, 8);
	put16(&p, 0);
	fix_len4(&p);
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), 0);
#ifdef PKT_COMPAT_HEX
	assert_int_equal(ev.ip_opt.len, 16);
	assert_memory_equal(ev.ip_opt.p, "0707040000000000", 16);
#else
	assert_int_equal(ev.ip_opt_len, 8);
	assert_memory_equal(ev.ip_opt_raw, rr, 8);
	assert_false(ev.ip_opt_bad);
#endif
	assert_int_equal(ev.proto, 17);
	assert_true(ev.has_ports);
	assert_int_equal(ev.sport, 53);
	assert_int_equal(ev.dport, 33434);
	assert_int_equal(ev.udp_len, 8);

	/* the copy ends inside the options: what was copied, marked bad */
	assert_int_equal(decode(&p, 25, 0, &ev, &txt), 0);
#ifdef PKT_COMPAT_HEX
	assert_int_equal(ev.ip_opt.len, 10);
#else
	assert_int_equal(ev.ip_opt_len, 5);
	assert_true(ev.ip_opt_bad);
#endif
	assert_true(ev.incomplete);
	assert_false(ev.has_ports);
}

static void test_v4_icmp(void **state)
{
	struct pkt p = { 0 };
	struct event ev;
	struct packet_text txt;
	uint8_t echo[8] = { 8, 0, 0, 0, 0x12, 0x34, 0, 7 };

	ip4(&p, 0, 1, 0, 64, 1, NULL, 0);
	put(&p, echo, 8);
	fix_len4(&p);
	assert_int_equal(decode(&p, p.n, 0x0800, &ev, &txt), 0);
	assert_true(ev.has_icmp);
	assert_true(ev.has_icmp_echo);
	assert_false(ev.has_ports);
	assert_int_equal(ev.icmp_type, 8);
	assert_int_equal(ev.icmp_id, 0x1234);
	assert_int_equal(ev.icmp_seq, 7);

	/* frag needed with MTU; an unreachable needs the offending header */
	struct pkt u = { 0 };
	uint8_t un[8] = { 3, 4, 0, 0, 0, 0, 0x05, 0xdc };
	ip4(&u, 0, 1, 0, 64, 1, NULL, 0);
	put(&u, un, 8);
	uint8_t inner[20] = { 0x45 };
	put(&u, inner, 20);
	fix_len4(&u);
	assert_int_equal(decode(&u, u.n, 0, &ev, &txt), 0);
	assert_int_equal(ev.icmp_mtu, 1500);
	assert_false(ev.incomplete);
	assert_int_equal(decode(&u, u.n - 1, 0, &ev, &txt), 0); /* the copy cut it */
	assert_true(ev.has_icmp);
	assert_int_equal(ev.icmp_type, 3);
	assert_true(ev.incomplete);
	assert_int_equal(ev.incomplete_bytes, 27);
	assert_int_equal(decode(&u, 24, 0, &ev, &txt), 0); /* no 8 bytes of ICMP */
	assert_false(ev.has_icmp);
	assert_true(ev.incomplete);
	assert_int_equal(ev.incomplete_bytes, 4);
}

static void test_v4_fragments(void **state)
{
	struct pkt p = { 0 };
	struct event ev;
	struct packet_text txt;

	/* a non-first fragment: FRAG in 8-byte units, no transport header */
	ip4(&p, 0, 9, 0x2000 | 185, 64, 6, NULL, 0);
	tcp(&p, 1, 2, 3, 4, 0x02, 5, NULL, 0);
	fix_len4(&p);
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), 0);
	assert_int_equal(ev.ip_flags, IPF_MF | IPF_FRAG);
	assert_int_equal(ev.frag_off, 185);
	assert_int_equal(ev.proto, 6);
	assert_false(ev.has_ports);
	assert_false(ev.incomplete);

	/* a first fragment with MF: its header is read */
	p.b[6] = 0x20;
	p.b[7] = 0;
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), 0);
	assert_int_equal(ev.ip_flags, IPF_MF);
	assert_true(ev.has_ports);
}

static void test_v4_short_and_lies(void **state)
{
	struct pkt p = { 0 };
	struct event ev;
	struct packet_text txt;

	ip4(&p, 0, 1, 0, 64, 6, NULL, 0);
	tcp(&p, 1000, 80, 1, 0, 0x02, 1024, SYN_OPTS, 8);
	fix_len4(&p);
	/* TCP header cut by the copy */
	assert_int_equal(decode(&p, 30, 0, &ev, &txt), 0);
	assert_true(ev.incomplete);
	assert_int_equal(ev.incomplete_bytes, 10);
	assert_false(ev.has_ports);
	/* options cut: decoded as far as they go, marked */
	assert_int_equal(decode(&p, 44, 0, &ev, &txt), 0);
	assert_true(ev.has_ports);
	assert_true(ev.has_tcp_opts);
	assert_true(ev.tcp_opts.truncated);
	assert_true(ev.tcp_opts.has_mss);
#ifndef PKT_COMPAT_HEX
	assert_true(ev.tcp_opt_bad);
	assert_int_equal(ev.tcp_opt_len, 4);
#endif
	/* total length shorter than the copy: the packet ends there */
	p.b[2] = 0;
	p.b[3] = 30;
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), 0);
	assert_true(ev.incomplete);
	assert_int_equal(ev.ip_len, 30);
	/* IHL below 5, no IP header, version mismatch, not IP */
	p.b[0] = 0x44;
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), -EBADMSG);
	p.b[0] = 0x45;
	assert_int_equal(decode(&p, 19, 0, &ev, &txt), -EBADMSG);
	assert_int_equal(decode(&p, 0, 0, &ev, &txt), -EBADMSG);
	assert_int_equal(decode(&p, p.n, 0x86dd, &ev, &txt), -EBADMSG);
	assert_int_equal(decode(&p, p.n, 0x0806, &ev, &txt), -EPFNOSUPPORT);
	p.b[0] = 0x55;
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), -EBADMSG);
	/* IHL 15 (60 bytes) in a 40-byte packet */
	p.b[0] = 0x4f;
	p.b[2] = 0;
	p.b[3] = 40;
	assert_int_equal(decode(&p, 40, 0, &ev, &txt), 0);
	assert_true(ev.incomplete);
#ifndef PKT_COMPAT_HEX
	assert_true(ev.ip_opt_bad);
	assert_int_equal(ev.ip_opt_len, 20);
#endif
}

/* --- IPv6 ------------------------------------------------------------------ */

static void test_v6_tcp(void **state)
{
	struct pkt p = { 0 };
	struct event ev;
	struct packet_text txt;

	ip6(&p, 0xb8, 0x12345, 6, 57);
	tcp(&p, 51000, 443, 77, 0, 0x02, 65535, SYN_OPTS, 4);
	fix_len6(&p);
	assert_int_equal(decode(&p, p.n, 0x86dd, &ev, &txt), 0);
	char a[ADDR_STR_MAX];
	addr_format(&ev.src, a);
	assert_string_equal(a, "2001:db8::7");
	assert_int_equal(ev.ip_len, 64);
	assert_int_equal(ev.tc, 0xb8);
	assert_int_equal(ev.flowlbl, 0x12345);
	assert_int_equal(ev.ttl, 57);
	assert_int_equal(ev.proto, 6);
	assert_int_equal(ev.sport, 51000);
	assert_int_equal(ev.dport, 443);
	assert_int_equal(ev.tcp_opts.mss, 1460);
	assert_int_equal(ev.v6_ext_hdrs, 0);
	assert_false(ev.v4_mapped);
}

static void test_v6_ext_headers(void **state)
{
	struct pkt p = { 0 };
	struct event ev;
	struct packet_text txt;
	uint8_t hop[8] = { 60, 0, 1, 4, 0, 0, 0, 0 };         /* -> dest opts, PadN */
	uint8_t dst1[8] = { 60, 0, 1, 4, 0, 0, 0, 0 };        /* -> dest opts */
	uint8_t dst2[16] = { 44, 1, 1, 12 };                  /* 16 bytes -> fragment */
	uint8_t frag[8] = { 17, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef }; /* offset 0, M=1 -> UDP */

	ip6(&p, 0, 0, 0, 64);
	put(&p, hop, 8);
	put(&p, dst1, 8);
	put(&p, dst2, 16);
	put(&p, frag, 8);
	put16(&p, 5353);
	put16(&p, 5353);
	put16(&p, 8);
	put16(&p, 0);
	fix_len6(&p);
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), 0);
	assert_int_equal(ev.v6_ext_hdrs, 4);
	assert_int_equal(ev.v6_empty_opts, 3);
	assert_int_equal(ev.ip_flags, IPF_FRAG | IPF_MF);
	assert_int_equal(ev.frag_off, 0);
	assert_int_equal(ev.proto, 17);
	assert_true(ev.has_ports);
	assert_int_equal(ev.dport, 5353);

	/* a non-first fragment: offset in bytes, no ports */
	p.b[40 + 32 + 2] = 0x05;
	p.b[40 + 32 + 3] = 0xa8; /* 1448, M=0 */
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), 0);
	assert_int_equal(ev.ip_flags, IPF_FRAG);
	assert_int_equal(ev.frag_off, 1448);
	assert_false(ev.has_ports);
	assert_int_equal(ev.proto, 17);

	/* the copy ends inside the extension headers */
	assert_int_equal(decode(&p, 60, 0, &ev, &txt), 0);
	assert_true(ev.incomplete);
	assert_int_equal(ev.proto, 60);
	assert_false(ev.has_ports);

	/* a header length running past the end */
	p.b[40 + 8 + 1] = 255;
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), 0);
	assert_true(ev.incomplete);
	assert_false(ev.has_ports);

	/* no next header */
	struct pkt q = { 0 };
	ip6(&q, 0, 0, 59, 64);
	fix_len6(&q);
	assert_int_equal(decode(&q, q.n, 0, &ev, &txt), 0);
	assert_int_equal(ev.proto, 59);
	assert_false(ev.incomplete);
}

static void test_v6_icmp_and_esp(void **state)
{
	struct pkt p = { 0 };
	struct event ev;
	struct packet_text txt;
	uint8_t echo[8] = { 128, 0, 0, 0, 0, 42, 0, 3 };
	uint8_t big[8] = { 2, 0, 0, 0, 0, 0, 0x05, 0x00 };

	ip6(&p, 0, 0, 58, 64);
	put(&p, echo, 8);
	fix_len6(&p);
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), 0);
	assert_true(ev.has_icmp && ev.has_icmp_echo);
	assert_int_equal(ev.icmp_type, 128);
	assert_int_equal(ev.icmp_id, 42);
	assert_int_equal(ev.icmp_seq, 3);
	assert_int_equal(decode(&p, 44, 0, &ev, &txt), 0);
	assert_false(ev.has_icmp);
	assert_true(ev.incomplete);
	assert_int_equal(ev.incomplete_bytes, 4);

	struct pkt t = { 0 };
	ip6(&t, 0, 0, 58, 64);
	put(&t, big, 8);
	fix_len6(&t);
	assert_int_equal(decode(&t, t.n, 0, &ev, &txt), 0);
	assert_int_equal(ev.icmp_mtu, 1280);

	struct pkt e = { 0 };
	ip6(&e, 0, 0, 50, 64);
	put32(&e, 0xfeedbeef);
	put32(&e, 1);
	fix_len6(&e);
	assert_int_equal(decode(&e, e.n, 0, &ev, &txt), 0);
	assert_int_equal(ev.proto, 50);
	assert_int_equal(ev.spi, 0xfeedbeef);
	assert_int_equal(ev.v6_ext_hdrs, 1);

	/* ICMP (1) in IPv6 and ICMPv6 (58) in IPv4: numbers, no header */
	struct pkt x = { 0 };
	ip6(&x, 0, 0, 1, 64);
	put(&x, echo, 8);
	fix_len6(&x);
	assert_int_equal(decode(&x, x.n, 0, &ev, &txt), 0);
	assert_false(ev.has_icmp);
}

static void test_v6_mapped(void **state)
{
	struct pkt p = { 0 };
	struct event ev;
	struct packet_text txt;

	ip6(&p, 0, 0, 17, 64);
	static const uint8_t m[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 9 };
	memcpy(p.b + 8, m, 16);
	put16(&p, 1);
	put16(&p, 2);
	put16(&p, 8);
	put16(&p, 0);
	fix_len6(&p);
	assert_int_equal(decode(&p, p.n, 0, &ev, &txt), 0);
	assert_true(ev.v4_mapped);
	assert_int_equal(ev.src.family, ADDR_V4);
	assert_int_equal(ev.dst.family, ADDR_V6);
	assert_true(event_is_v6(&ev));
}

static void test_mac(void **state)
{
	static const uint8_t hw[14] = { 0, 0x16, 0x3e, 0, 0, 1, 0, 0x16, 0x3e, 0, 0, 2, 8, 0 };
	struct packet_text txt;
	struct span s = packet_format_mac(hw, sizeof(hw), &txt);
	assert_int_equal(s.len, 41);
	assert_memory_equal(s.p, "00:16:3e:00:00:01:00:16:3e:00:00:02:08:00", 41);
	uint8_t big[64] = { 0 };
	s = packet_format_mac(big, sizeof(big), &txt);
	assert_int_equal(s.len, 3 * PACKET_HWHDR_MAX - 1);
	s = packet_format_mac(big, 0, &txt);
	assert_int_equal(s.len, 0);
}

/* --- the same event as the LOG record of the packet ------------------------ */

static void same_as_log(const struct pkt *p, const char *record)
{
	struct event a, b;
	struct packet_text txt;
	struct parse_input *in = malloc(sizeof(*in));
	enum parse_ignore why;
	struct parse_error err = { 0 };
	char line[1024];

	assert_non_null(in);
	assert_int_equal(decode(p, p->n, 0, &a, &txt), 0);
	snprintf(line, sizeof(line), "Nov 25 12:29:10 fw kernel: DROP IN=eth0 OUT= %s", record);
	parse_input_init(in, 1795611600);
	memset(&b, 0, sizeof(b));
	enum parse_verdict v = parse_line(in, span_make(line, strlen(line)), &b, &why, &err);
	if (v != PARSE_EVENT)
		fail_msg("LOG parser: %d %s", v, err.reason ? err.reason : "");
	free(in);
	assert_true(addr_eq(&a.src, &b.src));
	assert_true(addr_eq(&a.dst, &b.dst));
	assert_int_equal(a.v4_mapped, b.v4_mapped);
#define SAME(f) assert_int_equal(a.f, b.f)
	SAME(ip_len); SAME(tos); SAME(prec); SAME(ttl); SAME(ip_id); SAME(tc); SAME(flowlbl);
	SAME(ip_flags); SAME(frag_off); SAME(v6_ext_hdrs); SAME(v6_empty_opts); SAME(proto);
	SAME(has_ports); SAME(sport); SAME(dport); SAME(has_seq); SAME(seq); SAME(ack);
	SAME(window); SAME(res); SAME(tcp_flags); SAME(urgp); SAME(has_tcp_opts); SAME(udp_len);
	SAME(has_icmp); SAME(icmp_type); SAME(icmp_code); SAME(has_icmp_echo); SAME(icmp_id);
	SAME(icmp_seq); SAME(icmp_mtu); SAME(incomplete); SAME(incomplete_bytes); SAME(spi);
#undef SAME
	assert_memory_equal(&a.tcp_opts, &b.tcp_opts, sizeof(a.tcp_opts));
}

static void test_same_as_log(void **state)
{
	struct pkt p = { 0 };

	/* LOG --log-tcp-sequence --log-tcp-options --log-ip-options */
	ip4(&p, 0x10, 4242, 0x4000, 52, 6, NULL, 0);
	tcp(&p, 40000, 22, 123456789, 0, 0x02, 1024, SYN_OPTS, sizeof(SYN_OPTS));
	fix_len4(&p);
	same_as_log(&p, "SRC=198.18.0.7 DST=198.18.0.1 LEN=60 TOS=0x10 PREC=0x00 TTL=52 ID=4242 DF "
			"PROTO=TCP SPT=40000 DPT=22 SEQ=123456789 ACK=0 WINDOW=1024 RES=0x00 SYN "
			"URGP=0 OPT (020405B40402080A000000010000000001030307)");

	struct pkt u = { 0 };
	ip6(&u, 0, 0x12345, 17, 64);
	put16(&u, 5353);
	put16(&u, 53);
	put16(&u, 20);
	put16(&u, 0);
	put32(&u, 0);
	put32(&u, 0);
	put32(&u, 0);
	fix_len6(&u);
	same_as_log(&u, "SRC=2001:0db8:0000:0000:0000:0000:0000:0007 "
			"DST=2001:0db8:0000:0000:0000:0000:0000:0001 LEN=60 TC=0 HOPLIMIT=64 "
			"FLOWLBL=74565 PROTO=UDP SPT=5353 DPT=53 LEN=20");

	struct pkt f = { 0 };
	ip4(&f, 0, 7, 0x2000 | 185, 64, 17, NULL, 0);
	put32(&f, 0);
	fix_len4(&f);
	same_as_log(&f, "SRC=198.18.0.7 DST=198.18.0.1 LEN=24 TOS=0x00 PREC=0x00 TTL=64 ID=7 MF "
			"FRAG:185 PROTO=UDP");

	struct pkt i = { 0 };
	uint8_t echo[8] = { 0, 0, 0, 0, 0x12, 0x34, 0, 9 };
	ip4(&i, 0, 1, 0, 64, 1, NULL, 0);
	put(&i, echo, 8);
	fix_len4(&i);
	same_as_log(&i, "SRC=198.18.0.7 DST=198.18.0.1 LEN=28 TOS=0x00 PREC=0x00 TTL=64 ID=1 "
			"PROTO=ICMP TYPE=0 CODE=0 ID=4660 SEQ=9");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_tcp_syn),
		cmocka_unit_test(test_v4_ip_options),
		cmocka_unit_test(test_v4_icmp),
		cmocka_unit_test(test_v4_fragments),
		cmocka_unit_test(test_v4_short_and_lies),
		cmocka_unit_test(test_v6_tcp),
		cmocka_unit_test(test_v6_ext_headers),
		cmocka_unit_test(test_v6_icmp_and_esp),
		cmocka_unit_test(test_v6_mapped),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_same_as_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
