/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gen.c - deterministic netfilter log generator for vigil's benchmark.
 *
 * Writes RFC 3164 syslog lines ("Mar 11 20:00:01 fw kernel: DROP IN=eth0
 * OUT= MAC=... SRC=... DST=... LEN=44 ... PROTO=TCP ...") laid out field by
 * field as the kernel's nf_log_syslog.c prints them and as rsyslog wrote them
 * in the .rfc3164 files of tests/data/capture/ (TCP flags in kernel order,
 * trailing space, IPv6 addresses in the uncompressed %pI6 form, nmap's random
 * TTL per raw probe, Linux 6.x connect() options, SEQ=/ACK= where the IPv6
 * rule logs them), mixed with other daemons' lines. Timestamps only increase.
 *
 * Only documentation addresses appear: 198.18.0.0/15, 2001:db8::/32,
 * 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; MACs from 00:00:5e:00:53:xx
 * (RFC 7042).
 *
 * Modes:
 *   gen [-n LINES] [-S SOURCES] [-s SEED] [-p NOISE%] [-6 V6%] [-H HOURS] [-k] [-o FILE]
 *       a realistic mix: ~20% of the sources port scanners (SYN, connect,
 *       FIN, NULL, XMAS, ACK, Maimon, SYN/FIN, UDP, IP protocol), ~10%
 *       sweepers (one port or ICMP echo across many hosts), the rest
 *       background noise (a few packets each); scanners carry most lines.
 *   gen -f [-n LINES] [-s SEED] [-o FILE]
 *       flood: every line from a distinct spoofed source (1/8 IPv4 across
 *       198.18.0.0/15, the rest IPv6 across 2001:db8::/32), for memory bounds.
 *   gen -F dsts|pairs|ports|sigs|evict|sparse [-n LINES] [-o FILE]
 *       one dimension of the engine's memory per shape (see gen_shape()).
 *   -k  kernel lines carry the bracketed uptime ("kernel: [86400.000000] "),
 *       as klogd and older rsyslog setups write them.
 *
 * A summary goes to stderr. Same arguments, same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- randomness (splitmix64 seeding xoshiro256**) ---- */

static uint64_t rng_s[4];

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A bijection on 64 bits (splitmix64's finaliser): distinct in, distinct out. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void rng_seed(uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		rng_s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnd(void)
{
	uint64_t r = rotl(rng_s[1] * 5, 7) * 9, t = rng_s[1] << 17;
	rng_s[2] ^= rng_s[0];
	rng_s[3] ^= rng_s[1];
	rng_s[1] ^= rng_s[2];
	rng_s[0] ^= rng_s[3];
	rng_s[2] ^= t;
	rng_s[3] = rotl(rng_s[3], 45);
	return r;
}

/* Uniform in [0, n). */
static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32) : 0;
}

/* Uniform in [lo, hi]. */
static uint32_t rr(uint32_t lo, uint32_t hi)
{
	return lo + rn(hi - lo + 1);
}

static double rf(void)
{
	return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

/* Exponential with the given mean, as an integer >= 1. */
static uint64_t rexp(double mean)
{
	uint64_t v = (uint64_t)(-log(1.0 - rf()) * mean);
	return v ? v : 1;
}

static bool chance(unsigned percent)
{
	return rn(1000) < percent * 10;
}

/* ---- output buffer ---- */

static FILE *out;
static char obuf[1 << 20];
static size_t olen;
static uint64_t obytes;

static void flush_out(void)
{
	if (olen && fwrite(obuf, 1, olen, out) != olen) {
		fprintf(stderr, "gen: write: %s\n", strerror(errno));
		exit(1);
	}
	obytes += olen;
	olen = 0;
}

static char line[2048];
static size_t ll;

static inline void ps(const char *s)
{
	while (*s)
		line[ll++] = *s++;
}

static inline void pn(const char *s, size_t n)
{
	memcpy(line + ll, s, n);
	ll += n;
}

static inline void pu(uint64_t v)
{
	char t[24];
	int n = 0;
	do
		t[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		line[ll++] = t[--n];
}

static const char hexu[] = "0123456789ABCDEF", hexl[] = "0123456789abcdef";

static inline void phex(uint64_t v, int digits, const char *hx)
{
	for (int i = digits - 1; i >= 0; i--)
		line[ll++] = hx[(v >> (4 * i)) & 15];
}

static void end_line(void)
{
	line[ll++] = '\n';
	if (olen + ll > sizeof(obuf))
		flush_out();
	memcpy(obuf + olen, line, ll);
	olen += ll;
	ll = 0;
}

/* ---- time: syslog "Mmm dd hh:mm:ss", monotonically increasing ---- */

static const char *const mon_name[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const int mon_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* Start: Mar 11 20:00:00, so the default 8 hours cross midnight. */
#define START_MON 2
#define START_DAY 11
#define START_SOD (20 * 3600)
#define BOOT_UPTIME 86400.0 /* kernel uptime at start, seconds */

static char hostname[] = "fw";
static bool kernel_ts; /* -k: "kernel: [uptime] " as klogd and older rsyslog write it */
static char tsbuf[64];
static size_t tslen;
static int64_t ts_sec = -1;

/* "Mar 11 20:00:01 fw " for t microseconds after the start. */
static void put_ts(int64_t t_us)
{
	int64_t sec = t_us / 1000000;
	if (sec != ts_sec) {
		ts_sec = sec;
		int64_t abs = START_SOD + sec;
		int64_t days = abs / 86400, sod = abs % 86400;
		int mon = START_MON, day = START_DAY + (int)days;
		while (day > mon_days[mon]) {
			day -= mon_days[mon];
			mon = (mon + 1) % 12;
		}
		int n = snprintf(tsbuf, sizeof(tsbuf), "%s %2d %02d:%02d:%02d %s ", mon_name[mon], day,
				 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), hostname);
		tslen = n > 0 ? (size_t)n : 0;
	}
	pn(tsbuf, tslen);
}

/* "kernel: ", or with -k "kernel: [86412.345678] " */
static void put_kernel(int64_t t_us)
{
	if (!kernel_ts) {
		ps("kernel: ");
		return;
	}
	uint64_t up = (uint64_t)(BOOT_UPTIME * 1e6) + (uint64_t)t_us;
	uint64_t s = up / 1000000, us = up % 1000000;
	ps("kernel: [");
	if (s < 10000)
		for (uint64_t d = s < 10 ? 4 : s < 100 ? 3 : s < 1000 ? 2 : 1; d; d--)
			line[ll++] = ' ';
	pu(s);
	line[ll++] = '.';
	for (uint64_t d = 100000; d; d /= 10)
		line[ll++] = (char)('0' + us / d % 10);
	ps("] ");
}

/* ---- addresses ---- */

static void put_v4(uint32_t a)
{
	pu(a >> 24);
	line[ll++] = '.';
	pu(a >> 16 & 255);
	line[ll++] = '.';
	pu(a >> 8 & 255);
	line[ll++] = '.';
	pu(a & 255);
}

/* The kernel's %pI6: eight groups of four lowercase hex digits. */
static void put_v6(const uint16_t g[8])
{
	for (int i = 0; i < 8; i++) {
		if (i)
			line[ll++] = ':';
		phex(g[i], 4, hexl);
	}
}

#define V4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const char MAC_IN[] = "MAC=00:00:5e:00:53:10:00:00:5e:00:53:01:08:00 ";
static const char MAC_IN6[] = "MAC=00:00:5e:00:53:10:00:00:5e:00:53:01:86:dd ";

/* ---- sources ---- */

enum role { R_NOISE, R_SWEEP, R_SCAN };
enum kind {
	K_SYN,     /* nmap -sS: LEN=44 WINDOW=1024 MSS only */
	K_CONNECT, /* -sT: a Linux connect(): DF, LEN=60, full options */
	K_FIN,
	K_NULL,
	K_XMAS,
	K_ACK,
	K_MAIMON,
	K_SYNFIN,
	K_UDP,
	K_PROTO,   /* -sO */
	K_PING,    /* ICMP echo */
	K_MASSCAN, /* SYN without options */
	K_MIRAI,   /* SYN to 23, now and then 2323 */
	K_MIXED,   /* noise: whatever a stray host sends */
};

enum chain { C_INPUT, C_FORWARD, C_OUTPUT };

struct src {
	uint64_t next_us;   /* time of the next packet */
	uint32_t gap_us;    /* mean gap */
	uint32_t budget, sent;
	uint8_t role, kind, v6, ttl, prefix, chain, df, ndst;
	uint16_t sport;
	uint16_t port_lo;   /* scan: first port; sweep: the port */
	uint32_t span;      /* scan: ports in the range; sweep: destinations */
	uint32_t stride;    /* permutation step, coprime with span */
	uint32_t dst_base;  /* scan: first destination host; sweep: first index */
	uint32_t v4;        /* IPv4 source */
	uint16_t a6[8];     /* IPv6 source */
	uint16_t icmp_id;
	uint32_t ipid;
	uint32_t isn;       /* raw scanners reuse one sequence number */
	uint8_t icmp_type;  /* ping sweeps: 8 (echo) or 13 (timestamp) */
	bool seqlog;        /* the rule logs SEQ= ACK= (--log-tcp-sequence) */
};

static const char *const prefixes[] = {"DROP ", "[UFW BLOCK] ", "INPUT-DROP: ", ""};
static const unsigned prefix_pct[] = {60, 25, 10, 5};

static uint32_t gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static uint32_t coprime_stride(uint32_t span)
{
	if (span <= 2)
		return 1;
	for (;;) {
		uint32_t s = rr(1, span - 1);
		if (gcd(s, span) == 1)
			return s;
	}
}

/* Destination host index -> address. Scans hit the firewall's own networks
 * 198.19.0.0/24 and 2001:db8:0:1::/64; sweeps walk 198.19.0.0/16. */
static uint32_t dst4(uint32_t idx)
{
	return V4(198, 19, 0, 0) | (idx & 0xffff);
}

static void dst6(uint32_t idx, uint16_t g[8])
{
	g[0] = 0x2001;
	g[1] = 0x0db8;
	g[2] = 0;
	g[3] = 1;
	g[4] = 0;
	g[5] = 0;
	g[6] = (uint16_t)(idx >> 16);
	g[7] = (uint16_t)idx;
}

static const uint16_t common_tcp[] = {22, 23, 80, 443, 445, 3389, 8080, 21, 25, 110, 143, 3306,
				      5432, 5900, 6379, 8443, 1433, 9200, 27017, 2222, 8888, 81};
static const uint16_t common_udp[] = {53, 123, 161, 1900, 5060, 137, 500, 11211, 19, 389};
static const uint16_t sweep_tcp[] = {22, 23, 445, 3389, 80, 8080, 5900, 1433, 6379, 2375, 7547};

/* IP protocol numbers an -sO scan tries (those the kernel prints as numbers). */
static const uint8_t proto_nums[] = {0,  2,  3,  4,  5,  8,  9,  12, 27, 41, 46, 47, 48, 88, 89, 94,
				     97, 103, 108, 112, 115, 124, 137, 138, 139, 140, 141, 142, 143, 253, 254, 255};

struct pkt {
	uint8_t proto; /* 6, 17, 1 (ICMP / ICMPv6), or another number */
	const char *flags;
	uint16_t sport, dport, window, len;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq;
	uint8_t opt; /* 0 none, 1 MSS, 2 Linux connect, 3 Windows */
	uint8_t ttl; /* 0: the source's own */
	uint32_t seq, ack;
	uint8_t df;
	uint32_t dst_idx;
	bool nested; /* ICMP error with the offending packet in [...] */
};

static uint32_t opt_tsval = 0x1a2b3c4d;

static void put_tcp(const struct src *s, const struct pkt *p)
{
	ps("PROTO=TCP SPT=");
	pu(p->sport);
	ps(" DPT=");
	pu(p->dport);
	if (s->seqlog) {
		ps(" SEQ=");
		pu(p->seq);
		ps(" ACK=");
		pu(p->ack);
	}
	ps(" WINDOW=");
	pu(p->window);
	ps(" RES=0x00 ");
	ps(p->flags);
	ps("URGP=0 ");
	switch (p->opt) {
	case 1:
		ps("OPT (020405B4) ");
		break;
	case 2: /* MSS, SACK-permitted, timestamps, NOP, window scale 10 */
		ps("OPT (");
		ps(s->v6 ? "020405A0" : "020405B4");
		ps("0402080A");
		opt_tsval += rr(1, 4000);
		phex(opt_tsval, 8, hexu);
		ps("000000000103030A) ");
		break;
	case 3: /* Windows: MSS, NOP, WS 8, NOP, NOP, SACK-permitted */
		ps("OPT (020405B40103030801010402) ");
		break;
	}
}

static void put_ipv4_hdr(const struct src *s, uint32_t src, uint32_t dst, unsigned len, unsigned ttl,
			 unsigned id, bool df)
{
	ps("SRC=");
	put_v4(src);
	ps(" DST=");
	put_v4(dst);
	ps(" LEN=");
	pu(len);
	ps(s && s->prefix == 2 ? " TOS=0x00 PREC=0x20 TTL=" : " TOS=0x00 PREC=0x00 TTL=");
	pu(ttl);
	ps(" ID=");
	pu(id);
	ps(df ? " DF " : " ");
}

/* One firewall line for source s. */
static void emit_fw(struct src *s, const struct pkt *p, int64_t t_us)
{
	put_ts(t_us);
	put_kernel(t_us);
	ps(prefixes[s->prefix]);
	switch (s->chain) {
	case C_INPUT:
		ps("IN=eth0 OUT= ");
		ps(s->v6 ? MAC_IN6 : MAC_IN);
		break;
	case C_FORWARD:
		ps("IN=eth0 OUT=eth1 ");
		ps(s->v6 ? MAC_IN6 : MAC_IN);
		break;
	case C_OUTPUT:
		ps("IN= OUT=eth0 ");
		break;
	}
	unsigned len = p->len;
	if (!s->v6) {
		uint32_t dst = s->chain == C_OUTPUT ? V4(203, 0, 113, 1 + p->dst_idx % 254) : dst4(p->dst_idx);
		/* Random IP IDs from nmap and from today's stacks; counters from the rest. */
		s->ipid = s->role == R_SCAN || s->kind == K_MIXED ? (uint32_t)rn(65536)
								 : (s->ipid + rr(1, 300)) & 0xffff;
		put_ipv4_hdr(s, s->v4, dst, len, p->ttl ? p->ttl : s->ttl, s->ipid, p->df);
	} else {
		uint16_t d[8];
		dst6(p->dst_idx, d);
		ps("SRC=");
		put_v6(s->a6);
		ps(" DST=");
		put_v6(d);
		ps(" LEN=");
		pu(len + 20); /* same payload, 40-byte header */
		ps(" TC=0 HOPLIMIT=");
		pu(s->ttl);
		ps(" FLOWLBL=");
		pu(p->opt == 2 ? ((uint32_t)p->sport * 2654435761u) >> 12 : 0); /* Linux: per flow */
		line[ll++] = ' ';
	}
	switch (p->proto) {
	case 6:
		put_tcp(s, p);
		break;
	case 17:
		ps("PROTO=UDP SPT=");
		pu(p->sport);
		ps(" DPT=");
		pu(p->dport);
		ps(" LEN=");
		pu(len - 20);
		line[ll++] = ' ';
		break;
	case 1:
		ps(s->v6 ? "PROTO=ICMPv6 TYPE=" : "PROTO=ICMP TYPE=");
		pu(p->icmp_type);
		ps(" CODE=");
		pu(p->icmp_code);
		line[ll++] = ' ';
		if (p->icmp_type == 8 || p->icmp_type == 128) { /* echo: the kernel adds ID and SEQ */
			ps("ID=");
			pu(p->icmp_id);
			ps(" SEQ=");
			pu(p->icmp_seq);
			line[ll++] = ' ';
		} else if (p->nested) {
			/* Port unreachable quoting our own outgoing UDP packet. */
			line[ll++] = '[';
			put_ipv4_hdr(NULL, dst4(p->dst_idx), s->v4, 71, 64, rn(65536), false);
			ps("PROTO=UDP SPT=");
			pu(rr(32768, 60999));
			ps(" DPT=53 LEN=51 ] ");
		}
		break;
	default:
		ps("PROTO=");
		pu(p->proto);
		line[ll++] = ' ';
		break;
	}
	end_line();
}

/* The next packet of source s. */
static void next_pkt(struct src *s, struct pkt *p)
{
	uint32_t i = s->sent;
	memset(p, 0, sizeof(*p));
	p->proto = 6;
	p->window = 1024;
	p->sport = s->sport;
	p->len = 40;
	p->df = s->df;

	if (s->role == R_SCAN) {
		/* Each destination gets the range in the same permuted order. */
		uint32_t per = (s->budget + s->ndst - 1) / s->ndst;
		uint32_t d = i / per, k = i % per;
		p->dst_idx = s->dst_base + d;
		uint32_t pi = (uint32_t)(((uint64_t)k * s->stride) % s->span);
		p->dport = (uint16_t)(s->port_lo + pi);
		if (k >= s->span && s->sport < 65535)
			p->sport = s->sport + 1; /* a retransmission round */
	} else if (s->role == R_SWEEP) {
		uint32_t k = i % s->span;
		p->dst_idx = s->dst_base + (uint32_t)(((uint64_t)k * s->stride) % 65024);
		p->dport = s->port_lo;
	} else {
		p->dst_idx = s->dst_base;
	}

	switch (s->kind) {
	case K_SYN:
		p->flags = "SYN ";
		p->len = 44;
		p->opt = 1;
		break;
	case K_CONNECT:
		p->flags = "SYN ";
		p->len = 60;
		p->window = s->v6 ? 64800 : 64240;
		p->opt = 2;
		p->df = 1;
		p->sport = (uint16_t)(32768 + (s->sport + i) % 28232);
		break;
	case K_FIN:
		p->flags = "FIN ";
		break;
	case K_NULL:
		p->flags = "";
		break;
	case K_XMAS:
		p->flags = "URG PSH FIN ";
		break;
	case K_ACK:
		p->flags = "ACK ";
		break;
	case K_MAIMON:
		p->flags = "ACK FIN ";
		break;
	case K_SYNFIN:
		p->flags = "SYN FIN ";
		break;
	case K_UDP:
		p->proto = 17;
		p->len = 28;
		break;
	case K_PROTO: {
		uint8_t n = proto_nums[i % sizeof(proto_nums)];
		p->proto = n == 0 && s->v6 ? 4 : n; /* 0 is hop-by-hop in IPv6 */
		p->len = 20;
		p->dport = 0;
		break;
	}
	case K_PING:
		p->proto = 1;
		p->len = 28;
		p->icmp_type = s->v6 ? 128 : 8;
		p->icmp_id = s->icmp_id;
		p->icmp_seq = (uint16_t)(i / 2);
		break;
	case K_MASSCAN:
		p->flags = "SYN ";
		p->window = 1024;
		break;
	case K_MIRAI:
		p->flags = "SYN ";
		p->window = (uint16_t)rr(5000, 65000);
		p->dport = chance(10) ? 2323 : 23;
		break;
	case K_MIXED:
	default: {
		uint32_t r = rn(100);
		if (r < 55) { /* a SYN from some OS to a popular port */
			p->flags = "SYN ";
			p->dport = common_tcp[rn(sizeof(common_tcp) / sizeof(common_tcp[0]))];
			p->sport = (uint16_t)rr(1024, 65535);
			if (chance(50)) {
				p->len = 60, p->opt = 2, p->window = 64240, p->df = 1;
			} else if (chance(60)) {
				p->len = 52, p->opt = 3, p->window = 64240, p->df = 1;
			} else {
				p->len = 44, p->opt = 1, p->window = (uint16_t)rr(1024, 65535);
			}
		} else if (r < 75) {
			p->proto = 17;
			p->dport = common_udp[rn(sizeof(common_udp) / sizeof(common_udp[0]))];
			p->sport = (uint16_t)rr(1024, 65535);
			p->len = (uint16_t)(28 + rn(120));
		} else if (r < 87) { /* late packets of closed connections */
			static const char *const late[] = {"ACK ", "ACK RST ", "ACK PSH FIN ", "RST ",
							   "ACK FIN "};
			p->flags = late[rn(5)];
			p->sport = chance(70) ? 443 : 80;
			p->dport = (uint16_t)rr(32768, 60999);
			p->window = (uint16_t)rr(0, 501);
			p->len = p->flags[0] == 'R' ? 40 : 52;
			p->df = 1;
		} else if (r < 96) {
			p->proto = 1;
			p->icmp_type = s->v6 ? 128 : 8;
			p->icmp_id = s->icmp_id;
			p->icmp_seq = (uint16_t)(i + 1);
			p->len = 84;
		} else {
			p->proto = 1;
			if (s->v6) {
				p->icmp_type = 1, p->icmp_code = 4; /* port unreachable */
				p->len = 120;
			} else {
				p->icmp_type = 3, p->icmp_code = 3;
				p->len = 99;
				p->nested = true;
			}
		}
		break;
	}
	}
	if (s->role == R_SWEEP && s->kind == K_PING) {
		p->len = 28;
		if (s->icmp_type == 13)
			p->icmp_type = 13, p->len = 40;
	}
	/* nmap's raw probes: a random TTL per packet (37..63), one ISN for the scan. */
	if (s->role == R_SCAN && s->kind != K_CONNECT) {
		p->ttl = (uint8_t)rr(37, 63);
		p->seq = s->isn;
	} else {
		p->seq = (uint32_t)rnd();
	}
	if (p->flags && strstr(p->flags, "ACK"))
		p->ack = (uint32_t)rnd();
}

/* ---- the scheduler: a min-heap on next_us ---- */

static struct src *srcs;
static uint32_t *heap;
static uint32_t nheap;

static bool hless(uint32_t a, uint32_t b)
{
	return srcs[a].next_us < srcs[b].next_us || (srcs[a].next_us == srcs[b].next_us && a < b);
}

static void hdown(uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < nheap && hless(heap[l], heap[m]))
			m = l;
		if (r < nheap && hless(heap[r], heap[m]))
			m = r;
		if (m == i)
			return;
		uint32_t t = heap[i];
		heap[i] = heap[m];
		heap[m] = t;
		i = m;
	}
}

/* ---- other daemons' lines ---- */

static const char *const users[] = {"admin", "test", "oracle", "ubuntu", "pi", "git", "postgres", "user"};

static void emit_other(int64_t t_us, uint64_t n)
{
	uint32_t r = rn(1000);
	put_ts(t_us);
	if (r < 380) {
		ps("sshd[");
		pu(1000 + rn(30000));
		ps("]: ");
		switch (rn(5)) {
		case 0:
			ps("Invalid user ");
			ps(users[rn(8)]);
			ps(" from 203.0.113.");
			pu(rr(1, 254));
			ps(" port ");
			pu(rr(1024, 65535));
			break;
		case 1:
			ps("Failed password for root from 198.51.100.");
			pu(rr(1, 254));
			ps(" port ");
			pu(rr(1024, 65535));
			ps(" ssh2");
			break;
		case 2:
			ps("Connection closed by authenticating user root 203.0.113.");
			pu(rr(1, 254));
			ps(" port ");
			pu(rr(1024, 65535));
			ps(" [preauth]");
			break;
		case 3:
			ps("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
			   "ruser= rhost=198.51.100.");
			pu(rr(1, 254));
			ps("  user=root");
			break;
		default:
			ps("Received disconnect from 203.0.113.");
			pu(rr(1, 254));
			ps(" port ");
			pu(rr(1024, 65535));
			ps(":11: Bye Bye [preauth]");
			break;
		}
	} else if (r < 520) {
		ps("CRON[");
		pu(1000 + rn(30000));
		ps(chance(50) ? "]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)"
			      : "]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)");
	} else if (r < 640) {
		ps("systemd[1]: ");
		switch (rn(3)) {
		case 0:
			ps("Starting apt-daily.service - Daily apt download activities...");
			break;
		case 1:
			ps("Started session-");
			pu(n % 5000);
			ps(".scope - Session ");
			pu(n % 5000);
			ps(" of User admin.");
			break;
		default:
			ps("logrotate.service: Deactivated successfully.");
			break;
		}
	} else if (r < 760) { /* kernel lines that are not netfilter records */
		put_kernel(t_us);
		switch (rn(3)) {
		case 0:
			ps("e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx");
			break;
		case 1:
			ps("audit: type=1400 audit(1741723200.");
			pu(rn(1000));
			ps(":");
			pu(n % 100000);
			ps("): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/ntpd\" "
			   "name=\"/etc/ssl/openssl.cnf\" pid=812 comm=\"ntpd\" requested_mask=\"r\" "
			   "denied_mask=\"r\" fsuid=0 ouid=0");
			break;
		default:
			ps("TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies.  Check SNMP counters.");
			break;
		}
	} else if (r < 840) {
		ps("dhclient[733]: ");
		ps(chance(50) ? "DHCPREQUEST for 192.0.2.10 on eth0 to 192.0.2.1 port 67"
			      : "DHCPACK of 192.0.2.10 from 192.0.2.1");
	} else if (r < 910) {
		ps("postfix/smtpd[");
		pu(1000 + rn(30000));
		ps(chance(50) ? "]: connect from unknown[203.0.113." : "]: disconnect from unknown[203.0.113.");
		pu(rr(1, 254));
		ps("]");
	} else if (r < 940) {
		ps("systemd-timesyncd[498]: Initial synchronization to time server 192.0.2.123:123 (ntp.example.org).");
	} else if (r < 950) {
		ps("-- MARK --");
	} else if (r < 990) { /* logger: mentions SRC= but is no kernel record */
		ps("admin: firewall test SRC=198.18.");
		pu(rn(256));
		line[ll++] = '.';
		pu(rn(256));
		ps(" DST=198.19.0.1 DPT=22 looks blocked");
	} else { /* logger: a pasted netfilter record under a user's tag */
		ps("root: DROP IN=eth0 OUT= ");
		ps(MAC_IN);
		/* One random call per statement: argument order is unspecified in C. */
		uint32_t a = rn(256);
		uint32_t b = rn(256);
		uint32_t id = rn(65536);
		put_ipv4_hdr(NULL, V4(198, 18, a, b), V4(198, 19, 0, 1), 44, 50, id, false);
		ps("PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0 ");
	}
	end_line();
}

/* ---- the mixed log ---- */

static void make_source(struct src *s, uint32_t idx, unsigned v6pct, uint64_t dur_us)
{
	memset(s, 0, sizeof(*s));
	s->v6 = chance(v6pct);
	/* IPv4 sources in 198.18.0.0/16, distinct per index; IPv6 in 2001:db8:<idx>::/48. */
	s->v4 = V4(198, 18, 0, 0) | ((idx * 40503u + 17) & 0xffff);
	uint64_t m = mix64(idx ^ 0x5eed);
	s->a6[0] = 0x2001;
	s->a6[1] = 0x0db8;
	s->a6[2] = (uint16_t)(0x1000 + (idx >> 16));
	s->a6[3] = (uint16_t)idx;
	s->a6[4] = (uint16_t)(m >> 48);
	s->a6[5] = (uint16_t)(m >> 32);
	s->a6[6] = (uint16_t)(m >> 16);
	s->a6[7] = (uint16_t)m;
	static const uint8_t ttl0[] = {64, 128, 255, 64, 64};
	uint8_t ttl = ttl0[rn(5)];
	s->ttl = (uint8_t)(ttl - rr(5, 25));
	unsigned p = rn(100), acc = 0;
	for (unsigned k = 0; k < 4; k++) {
		acc += prefix_pct[k];
		if (p < acc) {
			s->prefix = (uint8_t)k;
			break;
		}
	}
	s->chain = chance(4) ? C_FORWARD : C_INPUT;
	s->sport = (uint16_t)rr(30000, 65000);
	s->icmp_id = (uint16_t)rn(65536);
	s->ipid = rn(65536);
	s->isn = (uint32_t)rnd();
	s->icmp_type = 8;
	s->seqlog = s->v6 && s->prefix == 0; /* as the captured ip6tables rule logs them */
	s->next_us = (uint64_t)(rf() * (double)dur_us * 0.97);
}

static int gen_mixed(uint64_t nlines, uint32_t nsrc, unsigned noise_pct, unsigned v6pct, double hours)
{
	uint64_t dur_us = (uint64_t)(hours * 3600e6);
	uint64_t n_other = nlines * noise_pct / 100;
	uint64_t n_fw = nlines - n_other;
	if (nsrc > n_fw)
		nsrc = (uint32_t)(n_fw ? n_fw : 1);
	srcs = calloc(nsrc, sizeof(*srcs));
	heap = calloc(nsrc, sizeof(*heap));
	if (!srcs || !heap) {
		fprintf(stderr, "gen: out of memory\n");
		return 1;
	}

	/* Roles and budgets: noise and sweeps first, scanners share the rest. */
	uint64_t small = 0;
	uint32_t nscan = 0;
	for (uint32_t i = 0; i < nsrc; i++) {
		struct src *s = &srcs[i];
		make_source(s, i, v6pct, dur_us);
		uint32_t r = rn(100);
		if (r < 70) {
			s->role = R_NOISE;
			s->kind = chance(12) ? K_MIRAI : K_MIXED;
			s->budget = (uint32_t)(1 + rexp(2.5));
			if (s->budget > 40)
				s->budget = 40;
			s->gap_us = (uint32_t)rr(20, 400) * 1000000u;
			s->dst_base = rn(8) ? rr(1, 20) : rr(1, 254);
			if (s->kind == K_MIXED && chance(3)) { /* the firewall itself talking out */
				s->chain = C_OUTPUT;
				s->ttl = 64;
				s->v4 = V4(198, 19, 0, 1);
				s->a6[2] = 0, s->a6[3] = 1, s->a6[4] = s->a6[5] = s->a6[6] = 0, s->a6[7] = 1;
			}
		} else if (r < 80) {
			s->role = R_SWEEP;
			uint32_t k = rn(100);
			s->kind = k < 25 ? K_PING : k < 55 ? K_MASSCAN : k < 70 ? K_UDP : K_SYN;
			if (s->kind == K_PING && !s->v6 && chance(20))
				s->icmp_type = 13; /* nmap -PP */
			s->port_lo = s->kind == K_UDP ? common_udp[rn(4)]
						      : sweep_tcp[rn(sizeof(sweep_tcp) / sizeof(sweep_tcp[0]))];
			s->span = rr(12, 600);
			s->stride = coprime_stride(65024);
			s->dst_base = rn(256) << 8;
			s->budget = s->span * (chance(30) ? 2 : 1);
			s->gap_us = (uint32_t)rr(20000, 1000000);
		} else {
			s->role = R_SCAN;
			uint32_t k = rn(100);
			s->kind = k < 40   ? K_SYN
				  : k < 55 ? K_CONNECT
				  : k < 62 ? K_FIN
				  : k < 68 ? K_NULL
				  : k < 74 ? K_XMAS
				  : k < 80 ? K_ACK
				  : k < 82 ? K_MAIMON
				  : k < 84 ? K_SYNFIN
				  : k < 97 ? K_UDP
					   : K_PROTO;
			s->ndst = (uint8_t)(chance(70) ? 1 : chance(70) ? rr(2, 4) : rr(5, 16));
			s->dst_base = rr(1, 240);
			s->gap_us = (uint32_t)rr(300, 20000); /* 50 to 3300 packets/s */
			nscan++;
		}
		if (s->role != R_SCAN)
			small += s->budget;
	}
	if (!nscan) { /* someone has to carry the lines: make the last source a SYN scanner */
		struct src *s = &srcs[nsrc - 1];
		if (s->role != R_SCAN)
			small -= s->budget;
		s->role = R_SCAN, s->kind = K_SYN, s->ndst = 1, s->dst_base = rr(1, 240);
		s->gap_us = (uint32_t)rr(300, 20000);
		s->chain = C_INPUT, s->ttl = 50;
		nscan = 1;
	}
	/* Shrink the small ones if they would crowd out the scanners. */
	if (small > n_fw / 2) {
		double f = (double)(n_fw / 2) / (double)small;
		small = 0;
		for (uint32_t i = 0; i < nsrc; i++) {
			struct src *s = &srcs[i];
			if (s->role == R_SCAN)
				continue;
			s->budget = (uint32_t)(s->budget * f);
			if (!s->budget)
				s->budget = 1;
			if (s->role == R_SWEEP && s->span > s->budget)
				s->span = s->budget;
			small += s->budget;
		}
	}
	uint64_t rest = n_fw > small ? n_fw - small : 0;
	double wsum = 0;
	double *w = calloc(nsrc, sizeof(*w));
	if (!w)
		return 1;
	for (uint32_t i = 0; i < nsrc; i++)
		if (srcs[i].role == R_SCAN)
			wsum += (w[i] = 0.2 + 1.6 * rf());
	uint64_t given = 0;
	uint32_t last_scan = UINT32_MAX;
	for (uint32_t i = 0; i < nsrc; i++) {
		struct src *s = &srcs[i];
		if (s->role != R_SCAN)
			continue;
		s->budget = (uint32_t)((double)rest * w[i] / wsum);
		if (!s->budget)
			s->budget = 1;
		given += s->budget;
		last_scan = i;
	}
	free(w);
	if (last_scan != UINT32_MAX && given < rest)
		srcs[last_scan].budget += (uint32_t)(rest - given);
	for (uint32_t i = 0; i < nsrc; i++) {
		struct src *s = &srcs[i];
		if (s->role != R_SCAN)
			continue;
		uint32_t per = (s->budget + s->ndst - 1) / s->ndst;
		uint32_t span = per < 65535 ? per : 65535;
		if (s->kind == K_PROTO) {
			s->port_lo = 0, s->span = 1;
		} else {
			if (span > 1000 && chance(30))
				s->port_lo = 1, span = span > 65535 ? 65535 : span;
			else if (span <= 1023 && chance(50))
				s->port_lo = 1;
			else
				s->port_lo = (uint16_t)rr(1, 65536 - span);
			if ((uint32_t)s->port_lo + span > 65536)
				span = 65536 - s->port_lo;
			s->span = span ? span : 1;
			s->stride = coprime_stride(s->span);
		}
		/* Long scans start early enough to end within the window. */
		uint64_t len_us = (uint64_t)s->budget * s->gap_us;
		if (len_us < dur_us)
			s->next_us = (uint64_t)(rf() * (double)(dur_us - len_us));
		else
			s->next_us = 0, s->gap_us = (uint32_t)(dur_us / s->budget + 1);
	}

	nheap = 0;
	for (uint32_t i = 0; i < nsrc; i++)
		heap[nheap++] = i;
	for (uint32_t i = nheap / 2 + 1; i-- > 0;)
		hdown(i);

	uint64_t written = 0, fw = 0, v6 = 0, other = 0, last_us = 0;
	uint64_t other_left = n_other, fw_left = n_fw;
	struct pkt p;
	while (written < nlines) {
		bool do_other = !nheap || (other_left && rn(1u << 30) < (uint32_t)((double)other_left /
										  (double)(other_left + fw_left) *
										  (double)(1u << 30)));
		if (do_other) {
			emit_other((int64_t)last_us, written);
			other++;
			if (other_left)
				other_left--;
		} else {
			struct src *s = &srcs[heap[0]];
			if (s->next_us > last_us)
				last_us = s->next_us;
			next_pkt(s, &p);
			emit_fw(s, &p, (int64_t)last_us);
			fw++;
			v6 += s->v6;
			if (fw_left)
				fw_left--;
			if (++s->sent >= s->budget) {
				heap[0] = heap[--nheap];
			} else {
				s->next_us = last_us + rexp(s->gap_us);
			}
			if (nheap)
				hdown(0);
		}
		written++;
	}
	flush_out();
	uint32_t roles[3] = {0, 0, 0}, n6 = 0;
	for (uint32_t i = 0; i < nsrc; i++)
		roles[srcs[i].role]++, n6 += srcs[i].v6;
	fprintf(stderr,
		"gen: %" PRIu64 " lines (%" PRIu64 " firewall, %" PRIu64 " other), %" PRIu64
		" bytes, %u sources (%u scanners, %u sweepers, %u noise; %u IPv6), IPv6 %.1f%% of firewall lines, "
		"span %.2f h\n",
		written, fw, other, obytes, nsrc, roles[R_SCAN], roles[R_SWEEP], roles[R_NOISE], n6,
		fw ? 100.0 * (double)v6 / (double)fw : 0.0, (double)last_us / 3600e6);
	free(srcs);
	free(heap);
	return 0;
}

/* ---- pathological record-search shapes ---- */

/* Lines of LINE_BYTES bytes (newline included), about TOTAL bytes in all,
 * each a syslog header then one unit repeated: 'i' "IN=" (no space: the
 * record search's worst case), 's' "IN=x " (a candidate per 5 bytes, never
 * followed by OUT=), 'k' a real record start then "SRC=198.18.0.7 " repeated
 * (the key loop). For bench/run.sh's linearity check. */
static int gen_patho(uint64_t total, uint64_t line_bytes, char shape)
{
	static const char head[] = "Dec  6 04:00:00 fw1 kernel: ";
	const char *unit, *start = "";
	char *line;
	size_t hn = sizeof(head) - 1, un, sn, o;

	switch (shape) {
	case 'i': unit = "IN="; break;
	case 's': unit = "IN=x "; break;
	case 'k':
		unit = "SRC=198.18.0.7 ";
		start = "DROP IN=eth0 OUT= ";
		break;
	default:
		return 2;
	}
	un = strlen(unit);
	sn = strlen(start);
	if (line_bytes < hn + sn + un + 1 || !(line = malloc(line_bytes)))
		return 2;
	memcpy(line, head, hn);
	memcpy(line + hn, start, sn);
	for (o = hn + sn; o + 1 < line_bytes; o++)
		line[o] = unit[(o - hn - sn) % un];
	line[line_bytes - 1] = '\n';
	for (uint64_t n = 0; n < total / line_bytes + 1; n++)
		fwrite(line, 1, line_bytes, out);
	free(line);
	return 0;
}

/* ---- the flood: one line per distinct source ---- */

static int gen_flood(uint64_t nlines)
{
	uint64_t n4 = nlines / 8;
	if (n4 > 131072)
		n4 = 131072;
	uint64_t i4 = 0, i6 = 0;
	uint64_t dur_us = 600ull * 1000000; /* ten minutes */
	struct src s;
	memset(&s, 0, sizeof(s));
	s.role = R_NOISE;
	s.kind = K_SYN;
	s.prefix = 0;
	s.chain = C_INPUT;
	struct pkt p;
	memset(&p, 0, sizeof(p));
	p.proto = 6;
	p.flags = "SYN ";
	p.len = 44;
	p.opt = 1;
	p.window = 1024;
	for (uint64_t n = 0; n < nlines; n++) {
		int64_t t = (int64_t)(dur_us * n / (nlines ? nlines : 1));
		bool v4 = i4 < n4 && (i6 >= nlines - n4 || rn(8) == 0);
		s.v6 = !v4;
		if (v4) {
			/* i -> i * odd + c mod 2^17 is a bijection on 198.18.0.0/15. */
			uint32_t k = (uint32_t)((i4 * 0x9E37u + 0x51ED) & 0x1FFFF);
			s.v4 = V4(198, 18, 0, 0) + k;
			i4++;
		} else {
			uint64_t m = mix64(i6 + 1), m2 = mix64(~i6);
			s.a6[0] = 0x2001;
			s.a6[1] = 0x0db8;
			s.a6[2] = (uint16_t)(m2 >> 48);
			s.a6[3] = (uint16_t)(m2 >> 32);
			s.a6[4] = (uint16_t)(m >> 48);
			s.a6[5] = (uint16_t)(m >> 32);
			s.a6[6] = (uint16_t)(m >> 16);
			s.a6[7] = (uint16_t)m;
			i6++;
		}
		s.ttl = (uint8_t)rr(40, 60);
		s.ipid = rn(65536);
		p.sport = (uint16_t)rr(1024, 65535);
		p.dport = common_tcp[rn(sizeof(common_tcp) / sizeof(common_tcp[0]))];
		p.dst_idx = rr(1, 254);
		emit_fw(&s, &p, t);
	}
	flush_out();
	fprintf(stderr, "gen: flood %" PRIu64 " lines, %" PRIu64 " bytes, %" PRIu64 " IPv4 + %" PRIu64
			" IPv6 distinct sources\n",
		nlines, obytes, i4, i6);
	return 0;
}

/* ---- flood shapes: one dimension of the engine's memory each ---- */

/* IPv6 source number i: distinct for distinct i (mix64 is a bijection). */
static void shape_src6(struct src *s, uint64_t i)
{
	uint64_t m = mix64(i + 1);
	s->v6 = 1;
	s->a6[0] = 0x2001;
	s->a6[1] = 0x0db8;
	s->a6[2] = 0x8000 | (uint16_t)(i >> 48 & 0x7fff); /* apart from dst6()'s 2001:db8:0:1:: */
	s->a6[3] = (uint16_t)(i >> 32);
	s->a6[4] = (uint16_t)(m >> 48);
	s->a6[5] = (uint16_t)(m >> 32);
	s->a6[6] = (uint16_t)(m >> 16);
	s->a6[7] = (uint16_t)m;
}

#define SHAPE_PAIR_SOURCES 1000 /* pairs: a router's FORWARD drops from this many sources */
#define SHAPE_DST_SOURCES 16    /* dsts: this many sources, each to ever new destinations */
#define SHAPE_PORTS_PER_PAIR 1100 /* ports: past 1024 spans a portset is a bitmap */
#define SHAPE_SIGS_PER_SOURCE 100 /* sigs: ports 1..100, each with its own rule */
#define SHAPE_SCAN_PORTS 100    /* evict: the scan that must survive */

/* gen -F SHAPE: every line adds to one dimension of the engine's state.
 *   dsts   16 sources, every line a new destination of its source;
 *   pairs  1000 sources x LINES/1000 destinations on FORWARD (a router);
 *   ports  one pair per 1100 lines, each line a new odd port (no two
 *          adjacent, so every pair ends as a bitmap);
 *   sigs   one source per 100 lines, SYNs to ports 1..100 (bench/run.sh
 *          writes one rule per port);
 *   evict  a 100-port SYN scan from 198.51.100.7, then one SYN each from
 *          LINES - 100 spoofed sources to tcp/31337 (a DL 3 rule);
 *   sparse LINES/2 one-packet sources, then one source to LINES/2 new
 *          destinations: under a pair cap it pushes every other source
 *          out and then finds no room, with the table's slab left sparse. */
static int gen_shape(const char *shape, uint64_t nlines)
{
	uint64_t dur_us = 600ull * 1000000; /* ten minutes */
	struct src s;
	struct pkt p;

	memset(&s, 0, sizeof(s));
	s.role = R_NOISE;
	s.kind = K_SYN;
	s.chain = C_INPUT;
	s.ttl = 51;
	memset(&p, 0, sizeof(p));
	p.proto = 6;
	p.flags = "SYN ";
	p.len = 44;
	p.opt = 1;
	p.window = 1024;
	p.sport = 40001;
	for (uint64_t n = 0; n < nlines; n++) {
		int64_t t = (int64_t)(dur_us * n / nlines);
		p.proto = 6;
		if (strcmp(shape, "dsts") == 0) {
			shape_src6(&s, n % SHAPE_DST_SOURCES);
			p.dst_idx = (uint32_t)(n / SHAPE_DST_SOURCES);
			p.dport = 445;
		} else if (strcmp(shape, "pairs") == 0) {
			s.chain = C_FORWARD;
			shape_src6(&s, n % SHAPE_PAIR_SOURCES);
			p.dst_idx = (uint32_t)(n / SHAPE_PAIR_SOURCES);
			p.dport = common_tcp[n / SHAPE_PAIR_SOURCES % (sizeof(common_tcp) / sizeof(common_tcp[0]))];
		} else if (strcmp(shape, "ports") == 0) {
			uint64_t k = n / SHAPE_PORTS_PER_PAIR, j = n % SHAPE_PORTS_PER_PAIR;
			shape_src6(&s, k);
			p.dst_idx = 1;
			/* 7919 is coprime with 32768: a permutation of the odd ports */
			p.dport = (uint16_t)(2 * ((j * 7919 + k) % 32768) + 1);
		} else if (strcmp(shape, "sigs") == 0) {
			shape_src6(&s, n / SHAPE_SIGS_PER_SOURCE);
			p.dst_idx = 1;
			p.dport = (uint16_t)(1 + n % SHAPE_SIGS_PER_SOURCE);
		} else if (strcmp(shape, "sparse") == 0) {
			if (n < nlines / 2) {
				shape_src6(&s, n);
				p.dst_idx = 1;
			} else {
				shape_src6(&s, UINT32_MAX);
				p.dst_idx = (uint32_t)(n - nlines / 2);
			}
			p.dport = 445;
		} else if (strcmp(shape, "evict") == 0) {
			if (n < SHAPE_SCAN_PORTS) {
				s.v6 = 0;
				s.v4 = V4(198, 51, 100, 7);
				p.dport = (uint16_t)(1 + (n * 37) % SHAPE_SCAN_PORTS);
			} else {
				shape_src6(&s, n);
				p.dport = 31337;
			}
			p.dst_idx = 1;
		} else {
			fprintf(stderr, "gen: unknown shape '%s'\n", shape);
			return 2;
		}
		emit_fw(&s, &p, t);
	}
	flush_out();
	fprintf(stderr, "gen: shape %s, %" PRIu64 " lines, %" PRIu64 " bytes\n", shape, nlines, obytes);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: gen [-n LINES] [-S SOURCES] [-s SEED] [-p NOISE_PCT] [-6 V6_PCT] [-H HOURS] [-k] [-o FILE]\n"
		"       gen -f [-n LINES] [-s SEED] [-k] [-o FILE]   (flood: one distinct source per line)\n"
		"       gen -P SHAPE -L LINE_BYTES [-n TOTAL_BYTES] [-o FILE]   (pathological lines:\n"
		"          SHAPE i \"IN=IN=...\", s \"IN=x IN=x ...\", k a record of repeated SRC=)\n"
		"       gen -F dsts|pairs|ports|sigs|evict|sparse [-n LINES] [-o FILE]   (one dimension of memory)\n"
		"-k: kernel lines carry the bracketed uptime (\"kernel: [86400.000000] \")\n"
		"defaults: -n 4000000 -S 5000 -s 1 -p 5 -6 20 -H 8; -f -n 1000000\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t nlines = 0, seed = 1;
	uint32_t nsrc = 5000;
	unsigned noise = 5, v6 = 20;
	double hours = 8;
	bool flood = false;
	char patho = 0;
	uint64_t line_bytes = 0;
	const char *path = NULL, *shape = NULL;
	int c;
	while ((c = getopt(argc, argv, "n:S:s:p:6:H:o:fF:khP:L:")) != -1) {
		char *e = NULL;
		switch (c) {
		case 'n':
			nlines = strtoull(optarg, &e, 10);
			break;
		case 'S':
			nsrc = (uint32_t)strtoul(optarg, &e, 10);
			break;
		case 's':
			seed = strtoull(optarg, &e, 10);
			break;
		case 'p':
			noise = (unsigned)strtoul(optarg, &e, 10);
			break;
		case '6':
			v6 = (unsigned)strtoul(optarg, &e, 10);
			break;
		case 'H':
			hours = strtod(optarg, &e);
			break;
		case 'o':
			path = optarg;
			e = (char *)"";
			break;
		case 'f':
			flood = true;
			e = (char *)"";
			break;
		case 'F':
			shape = optarg;
			e = (char *)"";
			break;
		case 'k':
			kernel_ts = true;
			e = (char *)"";
			break;
		case 'P':
			patho = optarg[0];
			e = optarg[0] && !optarg[1] ? (char *)"" : NULL;
			break;
		case 'L':
			line_bytes = strtoull(optarg, &e, 10);
			break;
		default:
			usage();
		}
		if (!e || *e)
			usage();
	}
	if (optind != argc || noise > 100 || v6 > 100 || nsrc == 0 || !(hours > 0))
		usage();
	if (!nlines && !patho)
		nlines = flood ? 1000000 : 4000000;
	out = stdout;
	if (path && !(out = fopen(path, "w"))) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	rng_seed(seed);
	int r = patho ? gen_patho(nlines ? nlines : 64u << 20, line_bytes, patho)
	      : shape ? gen_shape(shape, nlines)
	      : flood ? gen_flood(nlines) : gen_mixed(nlines, nsrc, noise, v6, hours);
	if (r == 2)
		usage();
	if (fflush(out) != 0 || (path && fclose(out) != 0)) {
		fprintf(stderr, "gen: write: %s\n", strerror(errno));
		return 1;
	}
	return r;
}
