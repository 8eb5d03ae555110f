/* SPDX-License-Identifier: GPL-2.0-or-later */
/* record.c - read the kernel's netfilter log record into a struct event.
 *
 * The record, as net/netfilter/nf_log_syslog.c prints it (IPv4 shown):
 *   PREFIX IN=eth0 OUT= [PHYSIN=.. PHYSOUT=..] MAC=.. SRC=a DST=b LEN=n TOS=0x00
 *   PREC=0x00 TTL=n ID=n [CE] [DF] [MF] [FRAG:n] [OPT (hex)] PROTO=TCP SPT=n DPT=n
 *   [SEQ=n ACK=n] WINDOW=n RES=0x00 [CWR ECE URG ACK PSH RST SYN FIN] URGP=n
 *   [OPT (hex)] [UID=n GID=n] [MARK=0x..]
 * IPv6 has LEN TC HOPLIMIT FLOWLBL and extension headers as "OPT ( ... )"
 * groups; UDP ends "SPT DPT LEN"; ICMP has TYPE CODE [ID SEQ] [MTU] and, for
 * errors, the offending packet in "[...]" (its addresses are not the
 * sender's, so it is skipped). A header the kernel could not read is
 * "INCOMPLETE [n bytes]". Non-first fragments stop after "PROTO=X".
 *
 * One pass over space-separated tokens. The key the kernel prints next is
 * predicted (key_next()) and checked with one 8-byte compare; any other
 * token takes the generic path (find '=', dispatch on length, then memcmp),
 * so order is expected, not required. No allocation, no copies: the event's
 * spans point into the line.
 */
#include "parse/record.h"

#include <errno.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum {
	SEEN_SRC = 1 << 0,
	SEEN_DST = 1 << 1,
	SEEN_PROTO = 1 << 2,
	SEEN_SPT = 1 << 3,
	SEEN_DPT = 1 << 4,
	SEEN_URGP = 1 << 5,
	SEEN_ULEN = 1 << 6,
	SEEN_TYPE = 1 << 7,
	SEEN_CODE = 1 << 8,
	SEEN_EXTHDR = 1 << 9, /* "Unknown Ext Hdr n": protocol given there */
	SEEN_ARP = 1 << 10,
};

struct rp {
	struct event *ev;
	struct parse_error *err;
	const char *line;
	unsigned seen;
	bool fragment;
	bool proto_number;    /* PROTO= gave a number: the kernel decoded no header */
	uint8_t empty_opt_run;
	/* The last "OPT (...)" before PROTO=: IPv4 options (hex) or an IPv6
	 * extension header group, told apart by the family once it is known. */
	struct span ip_opt_text;
	bool ip_opt_group; /* ip_opt_text is an IPv6-style group */
};

static enum parse_verdict fail(struct rp *s, struct span got, const char *reason)
{
	s->err->column = (size_t)(got.p - s->line) + 1;
	s->err->reason = reason;
	s->err->got = got;
	return PARSE_MALFORMED;
}

/* Offset of the first "IN=" in s, or -1. Compares at offsets 0, 1 and 2,
 * 16 positions at a time, leave only whole matches: no candidate 'I' is
 * checked byte by byte (a loop whose exit was mispredicted on every line). */
static long find_in_key(struct span s)
{
	size_t i = 0;

	if (s.len < 3) /* also keeps s.p, maybe NULL then, out of the arithmetic */
		return -1;
#ifdef __SSE2__
	for (; i + 18 <= s.len; i += 16) {
		const char *p = s.p + i;
		__m128i a = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p),
					   _mm_set1_epi8('I'));
		__m128i b = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)),
					   _mm_set1_epi8('N'));
		__m128i c = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 2)),
					   _mm_set1_epi8('='));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_and_si128(a, b), c));
		if (m)
			return (long)i + __builtin_ctz(m);
	}
#endif
	long at = span_find(span_make(s.p + i, s.len - i), "IN=", 3);
	return at < 0 ? -1 : (long)i + at;
}

/* "IN=<value> OUT=": the record starts at the first "IN=" whose value's
 * space is followed by "OUT=". The space is searched once per stretch of
 * text, not once per candidate: on a line of "IN=IN=IN=..." (no space) a
 * search per candidate would rescan the whole tail each time, quadratic in
 * the line's length. sp stays the first space at or after every candidate
 * before it. */
long record_find(struct span msg)
{
	struct span s = msg;
	const char *end, *sp = NULL;

	if (msg.len < 3) /* also keeps msg.p, maybe NULL then, out of the arithmetic */
		return -1;
	end = msg.p + msg.len;
	for (;;) {
		long at = find_in_key(s);
		if (at < 0)
			return -1;
		const char *v = s.p + at + 3;
		if (!sp || sp < v) {
			sp = span_chr_near(span_make(v, (size_t)(end - v)), ' ');
			if (!sp) /* no space left: no later candidate has one either */
				return -1;
		}
		if (span_starts(span_make(sp + 1, (size_t)(end - sp - 1)), "OUT=", 4))
			return (long)(s.p - msg.p) + at;
		span_skip(&s, (size_t)at + 3);
	}
}

static bool is_hex(struct span s)
{
	for (size_t i = 0; i < s.len; i++)
		if (span_hexval(s.p[i]) < 0)
			return false;
	return true;
}

#ifdef __SSE2__
/* 16 hex digits at p -> 8 bytes at out; false if one is not a hex digit. */
static bool hex16_decode(const char *p, uint8_t *out)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	__m128i l = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
	/* as signed bytes, d in [0, 9] only for '0'-'9', l in [0, 5] only for a-f, A-F */
	__m128i is_d = _mm_and_si128(_mm_cmpgt_epi8(d, _mm_set1_epi8(-1)),
				     _mm_cmplt_epi8(d, _mm_set1_epi8(10)));
	__m128i is_l = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8(-1)),
				     _mm_cmplt_epi8(l, _mm_set1_epi8(6)));
	__m128i nib = _mm_or_si128(_mm_and_si128(is_d, d),
				   _mm_and_si128(is_l, _mm_add_epi8(l, _mm_set1_epi8(10))));

	if (_mm_movemask_epi8(_mm_or_si128(is_d, is_l)) != 0xFFFF)
		return false;
	/* each 16-bit lane holds (high nibble, low nibble): make it one byte */
	__m128i b = _mm_or_si128(_mm_and_si128(_mm_slli_epi16(nib, 4), _mm_set1_epi16(0xF0)),
				 _mm_srli_epi16(nib, 8));
	_mm_storel_epi64((__m128i *)(void *)out, _mm_packus_epi16(b, b));
	return true;
}
#endif

int parse_opt_hex(struct span hex, uint8_t *out, size_t max)
{
	size_t n = hex.len / 2, i = 0;
	int bad = 0;

	if (hex.len % 2 || n > max)
		return -EINVAL;
#ifdef __SSE2__
	for (; i + 8 <= n; i += 8)
		if (!hex16_decode(hex.p + 2 * i, out + i))
			return -EINVAL;
#endif
	for (; i < n; i++) { /* validate while decoding: one pass */
		int v = span_hexbyte(hex.p + 2 * i);
		bad |= v;
		out[i] = (uint8_t)v;
	}
	return bad < 0 ? -EINVAL : (int)n;
}

int parse_tcp_options(struct span hex, struct tcp_opts *ret)
{
	uint8_t b[EVENT_OPT_MAX];
	int n = parse_opt_hex(hex, b, sizeof(b));

	if (n < 0)
		return n;
	event_tcp_opts_decode(b, (size_t)n, ret);
	return 0;
}

static enum parse_verdict set_addr(struct rp *s, struct span v, struct addr *a, unsigned bit,
				   const char *why4, const char *why6)
{
	if (addr_parse(v, a) < 0)
		return fail(s, v, span_chr(v, ':') ? why6 : why4);
	s->seen |= bit;
	return PARSE_EVENT;
}

static enum parse_verdict set_proto(struct rp *s, struct span v)
{
	struct event *ev = s->ev;
	uint8_t n;

	s->proto_number = false;
	if (span_eq(v, "TCP", 3))
		ev->proto = IPPROTO_NUM_TCP;
	else if (span_eq(v, "UDP", 3))
		ev->proto = IPPROTO_NUM_UDP;
	else if (span_eq(v, "ICMP", 4))
		ev->proto = IPPROTO_NUM_ICMP;
	else if (span_eq(v, "ICMPv6", 6))
		ev->proto = IPPROTO_NUM_ICMPV6;
	else if (span_eq(v, "UDPLITE", 7))
		ev->proto = IPPROTO_NUM_UDPLITE;
	else if (span_eq(v, "AH", 2))
		ev->proto = IPPROTO_NUM_AH;
	else if (span_eq(v, "ESP", 3))
		ev->proto = IPPROTO_NUM_ESP;
	else if (span_to_u8(v, &n) == 0) {
		ev->proto = n;
		s->proto_number = true;
	} else
		return fail(s, v, "expected a protocol name or number 0-255 after PROTO=");
	s->seen |= SEEN_PROTO;
	return PARSE_EVENT;
}

static enum parse_verdict hex_field(struct rp *s, struct span v, uint32_t max, uint32_t *out,
				    const char *why)
{
	uint32_t x;
	int hi, lo;

	/* "0x00": the kernel's TOS=, PREC=, RES=, three per TCP line */
	if (v.len == 4 && v.p[0] == '0' && v.p[1] == 'x' &&
	    (hi = span_hexval(v.p[2])) >= 0 && (lo = span_hexval(v.p[3])) >= 0)
		x = (uint32_t)(hi << 4 | lo);
	else if (span_hex_to_u32(v, &x) < 0)
		return fail(s, v, why);
	if (x > max)
		return fail(s, v, why);
	*out = x;
	return PARSE_EVENT;
}

/* The keys read. A name can mean two fields (LEN, ID: IP header before
 * PROTO=, transport or ICMP after), so names map to ids in two lookups and
 * one function applies an id whichever way it was found. */
enum key {
	K_NONE, /* unknown or not needed (GATEWAY=, MACSRC=, future keys): skipped */
	K_IN, K_OUT, K_PHYSIN, K_PHYSOUT, K_MAC, K_MACPROTO, K_SRC, K_DST, K_LEN, K_TOS,
	K_PREC, K_TTL, K_ID, K_TC, K_HOPLIMIT, K_FLOWLBL, K_PROTO, K_MARK,
	/* after PROTO= */
	K_SPT, K_DPT, K_SEQ, K_ACK, K_WINDOW, K_RES, K_URGP, K_ULEN, K_TYPE, K_CODE,
	K_ICMP_ID, K_MTU, K_UID, K_GID, K_SPI,
	_K_MAX
};

/* Keys before PROTO=: IP layer and interfaces. */
static enum key key_ip_lookup(struct span k)
{
	switch (k.len) {
	case 2:
		return span_eq(k, "IN", 2)   ? K_IN
		       : span_eq(k, "ID", 2) ? K_ID
		       : span_eq(k, "TC", 2) ? K_TC
					     : K_NONE;
	case 3:
		return span_eq(k, "OUT", 3)   ? K_OUT
		       : span_eq(k, "MAC", 3) ? K_MAC
		       : span_eq(k, "SRC", 3) ? K_SRC
		       : span_eq(k, "DST", 3) ? K_DST
		       : span_eq(k, "LEN", 3) ? K_LEN
		       : span_eq(k, "TOS", 3) ? K_TOS
		       : span_eq(k, "TTL", 3) ? K_TTL
					      : K_NONE;
	case 4:
		return span_eq(k, "PREC", 4) ? K_PREC : span_eq(k, "MARK", 4) ? K_MARK : K_NONE;
	case 5:
		return span_eq(k, "PROTO", 5) ? K_PROTO : K_NONE;
	case 6:
		return span_eq(k, "PHYSIN", 6) ? K_PHYSIN : K_NONE;
	case 7:
		return span_eq(k, "PHYSOUT", 7)	  ? K_PHYSOUT
		       : span_eq(k, "FLOWLBL", 7) ? K_FLOWLBL
						  : K_NONE;
	case 8:
		return span_eq(k, "HOPLIMIT", 8)   ? K_HOPLIMIT
		       : span_eq(k, "MACPROTO", 8) ? K_MACPROTO
						   : K_NONE;
	}
	return K_NONE;
}

/* Keys after PROTO=: transport and ICMP fields, socket owner. */
static enum key key_l4_lookup(struct span k)
{
	static const struct {
		char name[4];
		uint8_t key;
	} three[] = {
		{ "SPT", K_SPT }, { "DPT", K_DPT }, { "SEQ", K_SEQ }, { "ACK", K_ACK },
		{ "RES", K_RES }, { "LEN", K_ULEN }, { "MTU", K_MTU }, { "UID", K_UID },
		{ "GID", K_GID }, { "SPI", K_SPI },
	};

	switch (k.len) {
	case 2:
		return span_eq(k, "ID", 2) ? K_ICMP_ID : K_NONE;
	case 3:
		for (size_t i = 0; i < sizeof(three) / sizeof(three[0]); i++)
			if (memcmp(k.p, three[i].name, 3) == 0)
				return (enum key)three[i].key;
		return K_NONE;
	case 4:
		return span_eq(k, "TYPE", 4)   ? K_TYPE
		       : span_eq(k, "CODE", 4) ? K_CODE
		       : span_eq(k, "URGP", 4) ? K_URGP
		       : span_eq(k, "MARK", 4) ? K_MARK
					       : K_NONE;
	case 6:
		return span_eq(k, "WINDOW", 6) ? K_WINDOW : K_NONE;
	}
	return K_NONE;
}

#define NUM(field, parser, bit, why)                                                              \
	do {                                                                                      \
		if (parser(v, &(field)) < 0)                                                      \
			return fail(s, v, why);                                                   \
		s->seen |= (bit);                                                                 \
		return PARSE_EVENT;                                                               \
	} while (0)

/* Store the value of key k. */
static enum parse_verdict key_apply(struct rp *s, enum key k, struct span v)
{
	struct event *ev = s->ev;
	uint32_t x = 0;
	enum parse_verdict r;

	switch (k) {
	case K_NONE:
	case _K_MAX:
		break;
	case K_IN:
		ev->in = v;
		break;
	case K_OUT:
		ev->out = v;
		break;
	case K_PHYSIN:
		ev->physin = v;
		break;
	case K_PHYSOUT:
		ev->physout = v;
		break;
	case K_MAC:
		ev->mac = v;
		break;
	case K_MACPROTO:
		/* 0800 IPv4, 86dd IPv6; anything else has no IP fields */
		if (!span_eq(v, "0800", 4) && !span_eq(v, "86dd", 4))
			s->seen |= SEEN_ARP;
		break;
	case K_SRC:
		return set_addr(s, v, &ev->src, SEEN_SRC, "expected IPv4 address after SRC=",
				"expected IPv6 address after SRC=");
	case K_DST:
		return set_addr(s, v, &ev->dst, SEEN_DST, "expected IPv4 address after DST=",
				"expected IPv6 address after DST=");
	case K_LEN:
		/* 32 bits: IPv4 BIG TCP/GSO prints the skb's length, IPv6 payload + 40 */
		NUM(ev->ip_len, span_to_u32, 0, "expected number 0-4294967295 after LEN=");
	case K_TOS:
		if ((r = hex_field(s, v, 255, &x, "expected hex byte after TOS=")) == PARSE_EVENT)
			ev->tos = (uint8_t)x;
		return r;
	case K_PREC:
		if ((r = hex_field(s, v, 255, &x, "expected hex byte after PREC=")) == PARSE_EVENT)
			ev->prec = (uint8_t)x;
		return r;
	case K_TTL:
		NUM(ev->ttl, span_to_u8, 0, "expected number 0-255 after TTL=");
	case K_ID:
		NUM(ev->ip_id, span_to_u16, 0, "expected number 0-65535 after ID=");
	case K_TC:
		NUM(ev->tc, span_to_u8, 0, "expected number 0-255 after TC=");
	case K_HOPLIMIT:
		NUM(ev->ttl, span_to_u8, 0, "expected number 0-255 after HOPLIMIT=");
	case K_FLOWLBL:
		if (span_to_u32(v, &ev->flowlbl) < 0 || ev->flowlbl > 0xFFFFF)
			return fail(s, v, "expected number 0-1048575 after FLOWLBL=");
		break;
	case K_PROTO:
		return set_proto(s, v);
	case K_MARK:
		ev->has_mark = true;
		return hex_field(s, v, UINT32_MAX, &ev->mark, "expected hex number after MARK=");
	case K_SPT:
		NUM(ev->sport, span_to_u16, SEEN_SPT, "expected number 0-65535 after SPT=");
	case K_DPT:
		NUM(ev->dport, span_to_u16, SEEN_DPT, "expected number 0-65535 after DPT=");
	case K_SEQ:
		ev->has_seq = ev->proto == IPPROTO_NUM_TCP;
		if (ev->proto != IPPROTO_NUM_TCP)
			NUM(ev->icmp_seq, span_to_u16, 0, "expected number 0-65535 after SEQ=");
		NUM(ev->seq, span_to_u32, 0, "expected number after SEQ=");
	case K_ACK:
		NUM(ev->ack, span_to_u32, 0, "expected number after ACK=");
	case K_WINDOW:
		NUM(ev->window, span_to_u16, 0, "expected number 0-65535 after WINDOW=");
	case K_RES:
		r = hex_field(s, v, 255, &x, "expected hex byte after RES=");
		ev->res = (uint8_t)x;
		return r;
	case K_URGP:
		NUM(ev->urgp, span_to_u16, SEEN_URGP, "expected number 0-65535 after URGP=");
	case K_ULEN:
		NUM(ev->udp_len, span_to_u16, SEEN_ULEN, "expected number 0-65535 after LEN=");
	case K_TYPE:
		NUM(ev->icmp_type, span_to_u8, SEEN_TYPE, "expected number 0-255 after TYPE=");
	case K_CODE:
		NUM(ev->icmp_code, span_to_u8, SEEN_CODE, "expected number 0-255 after CODE=");
	case K_ICMP_ID:
		NUM(ev->icmp_id, span_to_u16, 0, "expected number 0-65535 after ID=");
	case K_MTU:
		/* ICMPv6 packet-too-big carries a 32-bit MTU */
		NUM(ev->icmp_mtu, span_to_u32, 0, "expected number 0-4294967295 after MTU=");
	case K_UID:
		ev->has_uid = true;
		NUM(ev->uid, span_to_u32, 0, "expected number after UID=");
	case K_GID:
		NUM(ev->gid, span_to_u32, 0, "expected number after GID=");
	case K_SPI:
		return hex_field(s, v, UINT32_MAX, &ev->spi, "expected hex number after SPI=");
	}
	return PARSE_EVENT;
}

static bool flag_word(struct event *ev, struct span w)
{
	static const struct {
		char name[4];
		uint8_t bit;
	} f[] = {
		{ "SYN", TCPF_SYN }, { "ACK", TCPF_ACK }, { "FIN", TCPF_FIN }, { "RST", TCPF_RST },
		{ "PSH", TCPF_PSH }, { "URG", TCPF_URG }, { "ECE", TCPF_ECE }, { "CWR", TCPF_CWR },
	};
	if (w.len != 3)
		return false;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (memcmp(w.p, f[i].name, 3) == 0) {
			ev->tcp_flags |= f[i].bit;
			return true;
		}
	return false;
}

/* "OPT (" ... ")": IPv4 options (before PROTO=), TCP options (after), or an
 * IPv6 extension header group "OPT ( ... )". rest starts after "OPT". */
static enum parse_verdict take_opt(struct rp *s, struct span *rest)
{
	struct event *ev = s->ev;
	struct span tok = span_make(rest->p, 0);

	if (!span_next_token(rest, ' ', &tok) || tok.p[0] != '(')
		return fail(s, tok.len ? tok : span_make(rest->p, 0), "expected '(' after OPT");
	if (tok.len >= 2 && tok.p[tok.len - 1] == ')') {
		struct span hex = span_make(tok.p + 1, tok.len - 2);
		if (span_eq(hex, "TRUNCATED", 9)) {
			/* nf_log could not read the options it was told to print */
			if (s->seen & SEEN_PROTO) {
				ev->has_tcp_opts = ev->tcp_opt_bad = true;
				ev->tcp_opt_len = 0;
				memset(&ev->tcp_opts, 0, sizeof(ev->tcp_opts));
				ev->tcp_opts.truncated = true;
			} else {
				ev->ip_opt_bad = true;
				ev->ip_opt_len = 0;
			}
			return PARSE_EVENT;
		}
		if (s->seen & SEEN_PROTO) {
			int n = parse_opt_hex(hex, ev->tcp_opt_raw, EVENT_OPT_MAX);
			if (n < 0)
				return fail(s, hex, "expected at most 40 hex bytes of TCP options "
						    "in OPT (...)");
			ev->has_tcp_opts = true;
			ev->tcp_opt_bad = false;
			ev->tcp_opt_len = (uint8_t)n;
			event_tcp_opts_decode(ev->tcp_opt_raw, (size_t)n, &ev->tcp_opts);
		} else {
			int n = parse_opt_hex(hex, ev->ip_opt_raw, EVENT_OPT_MAX);
			if (n < 0)
				return fail(s, hex, hex.len % 2 || !is_hex(hex)
							    ? "expected hex bytes in OPT (...)"
							    : "expected at most 40 hex bytes of IPv4 "
							      "options in OPT (...)");
			ev->ip_opt_len = (uint8_t)n;
			ev->ip_opt_bad = false;
			s->ip_opt_text = hex;
			s->ip_opt_group = false;
		}
		s->empty_opt_run = 0;
		return PARSE_EVENT;
	}
	/* IPv6 group: tokens up to ")" */
	const char *start = tok.p;
	bool empty = tok.len == 1;
	while (span_next_token(rest, ' ', &tok)) {
		if (tok.len && tok.p[tok.len - 1] == ')') {
			if (tok.len > 1)
				empty = false;
			s->ip_opt_text = span_make(start, (size_t)(tok.p + tok.len - start));
			s->ip_opt_group = true;
			if (ev->v6_ext_hdrs < UINT8_MAX)
				ev->v6_ext_hdrs++;
			s->empty_opt_run = empty ? (uint8_t)(s->empty_opt_run + 1) : 0;
			if (s->empty_opt_run > ev->v6_empty_opts)
				ev->v6_empty_opts = s->empty_opt_run;
			return PARSE_EVENT;
		}
		empty = false;
		if (span_eq(tok, "ESP", 3) || span_eq(tok, "AH", 2)) {
			/* the kernel stops after an ESP header: no PROTO= follows */
			ev->proto = tok.len == 3 ? IPPROTO_NUM_ESP : IPPROTO_NUM_AH;
			s->seen |= SEEN_EXTHDR;
		} else if (span_starts(tok, "SPI=", 4)) {
			struct span v = span_make(tok.p + 4, tok.len - 4);
			if (hex_field(s, v, UINT32_MAX, &ev->spi, "expected hex number after SPI=") != 0)
				return PARSE_MALFORMED;
		} else if (span_starts(tok, "FRAG:", 5)) {
			uint16_t off;
			if (span_to_u16(span_make(tok.p + 5, tok.len - 5), &off) < 0)
				return fail(s, tok, "expected number after FRAG:");
			ev->ip_flags |= IPF_FRAG;
			ev->frag_off = off;
			s->fragment = off != 0;
		}
	}
	return fail(s, span_make(start, (size_t)(rest->p - start)), "expected ')' closing OPT (");
}

/* Skip an ICMP error's embedded packet "[SRC=... ]" (nesting counted). */
static enum parse_verdict skip_nested(struct rp *s, struct span tok, struct span *rest)
{
	int depth = 0;
	const char *start = tok.p;

	for (;;) {
		for (size_t i = 0; i < tok.len; i++)
			depth += tok.p[i] == '[' ? 1 : tok.p[i] == ']' ? -1 : 0;
		if (depth <= 0)
			return PARSE_EVENT;
		if (!span_next_token(rest, ' ', &tok))
			return fail(s, span_make(start, (size_t)(rest->p - start)),
				    "expected ']' closing the embedded packet");
	}
}

/* "INCOMPLETE [n bytes]" (IPv6 fragments print a bare "INCOMPLETE"). */
static enum parse_verdict take_incomplete(struct rp *s, struct span *rest)
{
	struct span tok, save = *rest;

	if (!span_next_token(rest, ' ', &tok) || tok.p[0] != '[') {
		/* IPv6 fragment header: a bare INCOMPLETE means "more fragments" */
		*rest = save;
		s->ev->ip_flags |= IPF_MF;
		return PARSE_EVENT;
	}
	s->ev->incomplete = true;
	if (span_to_u32(span_make(tok.p + 1, tok.len - 1), &s->ev->incomplete_bytes) < 0)
		return fail(s, tok, "expected number after INCOMPLETE [");
	if (!span_next_token(rest, ' ', &tok) || !span_eq(tok, "bytes]", 6))
		return fail(s, tok, "expected 'bytes]' after INCOMPLETE [n");
	return PARSE_EVENT;
}

static enum parse_verdict take_word(struct rp *s, struct span w, struct span *rest)
{
	struct event *ev = s->ev;

	if ((s->seen & SEEN_PROTO) && ev->proto == IPPROTO_NUM_TCP && flag_word(ev, w))
		return PARSE_EVENT;
	if (span_eq(w, "OPT", 3))
		return take_opt(s, rest);
	if (w.p[0] == '[')
		return skip_nested(s, w, rest);
	if (span_eq(w, "DF", 2))
		ev->ip_flags |= IPF_DF;
	else if (span_eq(w, "MF", 2))
		ev->ip_flags |= IPF_MF;
	else if (span_eq(w, "CE", 2))
		ev->ip_flags |= IPF_CE;
	else if (span_starts(w, "FRAG:", 5)) {
		if (span_to_u16(span_make(w.p + 5, w.len - 5), &ev->frag_off) < 0)
			return fail(s, w, "expected number 0-65535 after FRAG:");
		ev->ip_flags |= IPF_FRAG;
		s->fragment = ev->frag_off != 0;
	} else if (span_eq(w, "INCOMPLETE", 10))
		return take_incomplete(s, rest);
	else if (span_eq(w, "ARP", 3))
		s->seen |= SEEN_ARP;
	else if (span_eq(w, "Unknown", 7)) {
		/* "Unknown Ext Hdr n": the kernel stops before PROTO= */
		struct span t1, t2, n;
		uint8_t p;
		if (span_next_token(rest, ' ', &t1) && span_next_token(rest, ' ', &t2) &&
		    span_next_token(rest, ' ', &n) && span_to_u8(n, &p) == 0) {
			ev->proto = p;
			s->proto_number = true;
			s->seen |= SEEN_EXTHDR;
		}
	}
	return PARSE_EVENT; /* unknown words: newer kernels, skipped */
}

static enum parse_verdict check_complete(struct rp *s, struct span rec)
{
	struct event *ev = s->ev;
	struct span end = span_make(rec.p + rec.len, 0);
	unsigned need;

	if (!(s->seen & SEEN_SRC))
		return fail(s, end, "missing SRC=");
	if (!(s->seen & SEEN_DST))
		return fail(s, end, "missing DST=");
	if (ev->src.family != ev->dst.family)
		return fail(s, end, "SRC= and DST= are of different address families");
	if (ev->src.family == ADDR_V6) {
		/* ::ffff:a.b.c.d is IPv4 for every list and report; the packet
		 * stays IPv6 (event_is_v6) for its header lengths */
		bool mapped = addr_unmap_v4(&ev->src);
		ev->v4_mapped = addr_unmap_v4(&ev->dst) || mapped;
		/* IPv6 has no IPv4 options: whatever "OPT (...)" came before
		 * PROTO= stands for extension headers */
		ev->v6_ext = s->ip_opt_text;
		ev->ip_opt_len = 0;
		ev->ip_opt_bad = false;
	} else if (s->ip_opt_group) {
		/* an IPv6 extension header group in an IPv4 record: options were
		 * there, their bytes are not */
		ev->ip_opt_len = 0;
		ev->ip_opt_bad = true;
	}
	if (!ev->in.len && !ev->out.len)
		return fail(s, rec, "expected an interface in IN= or OUT=");
	if (!(s->seen & (SEEN_PROTO | SEEN_EXTHDR)))
		return fail(s, end, "missing PROTO= (truncated record?)");
	/* The kernel names ICMP only in IPv4 records and ICMPv6 only in IPv6
	 * ones; the other family's number comes as a number (PROTO=58 in IPv4,
	 * PROTO=1 in IPv6: no header decoded, see event_is_icmp()). */
	if (!s->proto_number && ev->proto == IPPROTO_NUM_ICMPV6 && !event_is_v6(ev))
		return fail(s, end, "PROTO=ICMPv6 in an IPv4 record (the kernel writes PROTO=58)");
	if (!s->proto_number && ev->proto == IPPROTO_NUM_ICMP && event_is_v6(ev))
		return fail(s, end, "PROTO=ICMP in an IPv6 record (the kernel writes PROTO=1)");
	if (event_is_icmp(ev) && !s->proto_number) {
		ev->has_icmp = (s->seen & (SEEN_TYPE | SEEN_CODE)) == (SEEN_TYPE | SEEN_CODE);
		ev->has_icmp_echo = ev->has_icmp &&
				    (ev->icmp_type == 8 || ev->icmp_type == 0 ||
				     ev->icmp_type == 128 || ev->icmp_type == 129);
	}
	/* a protocol given by number has no header in the record */
	if (s->fragment || ev->incomplete || s->proto_number)
		return PARSE_EVENT;
	switch (ev->proto) {
	case IPPROTO_NUM_TCP:
		need = SEEN_SPT | SEEN_DPT | SEEN_URGP;
		break;
	case IPPROTO_NUM_UDP:
	case IPPROTO_NUM_UDPLITE:
		need = SEEN_SPT | SEEN_DPT | SEEN_ULEN;
		break;
	case IPPROTO_NUM_ICMP:
	case IPPROTO_NUM_ICMPV6:
		need = SEEN_TYPE | SEEN_CODE;
		break;
	default:
		return PARSE_EVENT;
	}
	if ((s->seen & need) != need) {
		unsigned missing = need & ~s->seen;
		const char *why = (missing & SEEN_SPT)    ? "missing SPT= (truncated record?)"
				  : (missing & SEEN_DPT)  ? "missing DPT= (truncated record?)"
				  : (missing & SEEN_TYPE) ? "missing TYPE= (truncated record?)"
				  : (missing & SEEN_CODE) ? "missing CODE= (truncated record?)"
				  : (missing & SEEN_URGP) ? "missing URGP= (truncated record?)"
							  : "missing LEN= (truncated record?)";
		return fail(s, end, why);
	}
	ev->has_ports = !event_is_icmp(ev);
	return PARSE_EVENT;
}

/* Ethernet header as the kernel prints MAC=: 14 bytes "hh:" ... "hh", the
 * last two the ethertype. True when mac is one, of ethertype other than IPv4
 * (08:00) and IPv6 (86:dd). */
static bool mac_non_ip(struct span mac)
{
	if (mac.len != 14 * 3 - 1)
		return false;
	for (size_t i = 0; i < mac.len; i++)
		if (i % 3 == 2 ? mac.p[i] != ':' : span_hexval(mac.p[i]) < 0)
			return false;
	struct span type = span_make(mac.p + 36, 5);
	return !span_eq(type, "08:00", 5) && !span_eq(type, "86:dd", 5) &&
	       !span_eq(type, "86:DD", 5);
}

/* A record with no IP header: the kernel's record of a non-IP frame (ARP
 * words, MACPROTO= of another ethertype, or the bare MAC header that
 * bridge/netdev rules print for other ethertypes) is no IP traffic; anything
 * else (a record that ends inside MAC=, or at an IPv4/IPv6 ethertype before
 * SRC=) was cut off or damaged: malformed, not silently "not IP". */
static bool non_ip_frame(const struct rp *s)
{
	return (s->seen & SEEN_ARP) || mac_non_ip(s->ev->mac);
}

static void set_chain(struct event *ev)
{
	if (ev->in.len && ev->out.len)
		ev->chain = CHAIN_FORWARD;
	else if (ev->in.len)
		ev->chain = CHAIN_INPUT;
	else if (ev->out.len)
		ev->chain = CHAIN_OUTPUT;
}

/* Index of the first byte of w (little-endian order) equal to a byte of
 * rep, or 8. Hacker's Delight 6-1: the lowest flagged byte is exact. */
static inline unsigned first_byte_of(uint64_t w, uint64_t rep1, uint64_t rep2)
{
	const uint64_t lo = 0x0101010101010101ULL, hi = 0x8080808080808080ULL;
	uint64_t a = w ^ rep1, b = w ^ rep2;
	uint64_t m = ((a - lo) & ~a & hi) | ((b - lo) & ~b & hi);

	return m ? (unsigned)__builtin_ctzll(m) / 8 : 8;
}

/* First ' ' or '=' (stop_eq) / first ' ' at or after p, or end. Eight bytes
 * at a time: this loop is where the parser spends most of its time. */
static inline const char *scan_to(const char *p, const char *end, bool stop_eq)
{
	const uint64_t sp = 0x2020202020202020ULL, eq = stop_eq ? 0x3d3d3d3d3d3d3d3dULL : sp;

#ifdef __SSE2__
	const __m128i vsp = _mm_set1_epi8(' '), veq = _mm_set1_epi8(stop_eq ? '=' : ' ');
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(v, vsp), _mm_cmpeq_epi8(v, veq)));
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
	while (end - p >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		unsigned i = first_byte_of(w, sp, eq);
		if (i < 8)
			return p + i;
		p += 8;
	}
	while (p < end && *p != ' ' && !(stop_eq && *p == '='))
		p++;
	return p;
}

/* The hot loop's tokenizer: the token's end and its first '=' in one pass. */
static inline bool next_token(struct span *rest, struct span *tok, const char **eq)
{
	const char *p = rest->p, *end = rest->p + rest->len;

	while (p < end && *p == ' ')
		p++;
	if (p == end) {
		rest->p = end;
		rest->len = 0;
		return false;
	}
	const char *start = p, *e = NULL;
	p = scan_to(p, end, true);
	if (p < end && *p == '=') {
		e = p;
		p = scan_to(p + 1, end, false);
	}
	*tok = span_make(start, (size_t)(p - start));
	*eq = e;
	if (p < end)
		p++;
	rest->len = (size_t)(end - p);
	rest->p = p;
	return true;
}

/* The key the kernel prints after k (nf_log_syslog.c order, see the top of
 * this file); K_NONE where nothing is worth predicting. */
static enum key key_next(const struct rp *s, enum key k)
{
	static const uint8_t next[_K_MAX] = {
		[K_IN] = K_OUT,		 [K_OUT] = K_MAC,	 [K_PHYSIN] = K_PHYSOUT,
		[K_PHYSOUT] = K_MAC,	 [K_MAC] = K_SRC,	 [K_SRC] = K_DST,
		[K_DST] = K_LEN,	 [K_TOS] = K_PREC,	 [K_PREC] = K_TTL,
		[K_TTL] = K_ID,		 [K_ID] = K_PROTO,	 [K_TC] = K_HOPLIMIT,
		[K_HOPLIMIT] = K_FLOWLBL, [K_FLOWLBL] = K_PROTO, [K_SPT] = K_DPT,
		[K_SEQ] = K_ACK,	 [K_ACK] = K_WINDOW,	 [K_WINDOW] = K_RES,
		[K_RES] = K_URGP,	 [K_TYPE] = K_CODE,	 [K_CODE] = K_ICMP_ID,
		[K_ICMP_ID] = K_SEQ,	 [K_UID] = K_GID,
	};
	const struct event *ev = s->ev;

	switch (k) {
	case K_LEN:
		return ev->src.family == ADDR_V6 ? K_TC : K_TOS;
	case K_PROTO:
		if (ev->proto == IPPROTO_NUM_TCP || ev->proto == IPPROTO_NUM_UDP ||
		    ev->proto == IPPROTO_NUM_UDPLITE)
			return K_SPT;
		return ev->proto == IPPROTO_NUM_ICMP || ev->proto == IPPROTO_NUM_ICMPV6 ? K_TYPE
											: K_NONE;
	case K_DPT:
		return ev->proto == IPPROTO_NUM_TCP ? K_WINDOW : K_ULEN;
	default:
		return (enum key)next[k];
	}
}

/* "KEY=" as the fast path compares it: the first 8 bytes, zero-padded
 * (HOPLIMIT= is 9 bytes, its '=' is checked apart), and where in ones[] its
 * mask starts. K_NONE ("nothing expected") matches only a token that starts
 * with '=', which the generic path would skip just the same. */
#define KP(k, s, n) [k] = { s, n, 8 - ((n) + 1 < 8 ? (n) + 1 : 8) }
static const struct {
	char pat[9];
	uint8_t len;  /* key length, without '=' */
	uint8_t skip; /* 8 - bytes compared */
} key_pat[_K_MAX] = {
	KP(K_NONE, "=", 0),
	KP(K_IN, "IN=", 2),
	KP(K_OUT, "OUT=", 3),
	KP(K_PHYSIN, "PHYSIN=", 6),
	KP(K_PHYSOUT, "PHYSOUT=", 7),
	KP(K_MAC, "MAC=", 3),
	KP(K_SRC, "SRC=", 3),
	KP(K_DST, "DST=", 3),
	KP(K_LEN, "LEN=", 3),
	KP(K_TOS, "TOS=", 3),
	KP(K_PREC, "PREC=", 4),
	KP(K_TTL, "TTL=", 3),
	KP(K_ID, "ID=", 2),
	KP(K_TC, "TC=", 2),
	KP(K_HOPLIMIT, "HOPLIMIT", 8),
	KP(K_FLOWLBL, "FLOWLBL=", 7),
	KP(K_PROTO, "PROTO=", 5),
	KP(K_SPT, "SPT=", 3),
	KP(K_DPT, "DPT=", 3),
	KP(K_SEQ, "SEQ=", 3),
	KP(K_ACK, "ACK=", 3),
	KP(K_WINDOW, "WINDOW=", 6),
	KP(K_RES, "RES=", 3),
	KP(K_URGP, "URGP=", 4),
	KP(K_ULEN, "LEN=", 3),
	KP(K_TYPE, "TYPE=", 4),
	KP(K_CODE, "CODE=", 4),
	KP(K_ICMP_ID, "ID=", 2),
	KP(K_GID, "GID=", 3),
};
#undef KP

/* Does the token at p (rest.len bytes left, p not a space) start with
 * "KEY=" for the predicted key k? One masked 8-byte compare, so a
 * record in the kernel's order skips the '=' search and the name lookup.
 * Returns the value's start, or NULL. */
static inline const char *key_predicted(struct span rest, enum key k)
{
	static const unsigned char ones[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	size_t n = key_pat[k].len;
	uint64_t w, pat, mask;

	if (rest.len < 9)
		return NULL;
	memcpy(&w, rest.p, 8);
	memcpy(&pat, key_pat[k].pat, 8);
	memcpy(&mask, ones + key_pat[k].skip, 8); /* the first min(n + 1, 8) bytes */
	if ((w ^ pat) & mask || rest.p[n] != '=')
		return NULL;
	return rest.p + n + 1;
}

enum parse_verdict record_parse(struct span rec, const char *line_start, struct event *ev,
				enum parse_ignore *why, struct parse_error *err)
{
	struct rp s = { .ev = ev, .err = err, .line = line_start };
	struct span rest = rec, tok;
	const char *eq, *v, *end = rec.p + rec.len;
	enum key want = K_IN, k;
	enum parse_verdict r;

	for (;;) {
		struct span val;
		while (rest.len && rest.p[0] == ' ')
			span_skip(&rest, 1);
		if ((v = key_predicted(rest, want)) != NULL) {
			const char *ve = scan_to(v, end, false);
			k = want;
			val = span_make(v, (size_t)(ve - v));
			span_skip(&rest, (size_t)(ve - rest.p) + (ve < end));
		} else if (!next_token(&rest, &tok, &eq)) {
			break;
		} else if (!eq || tok.p[0] == '[') { /* "[SRC=..." opens an embedded packet */
			if ((r = take_word(&s, tok, &rest)) != PARSE_EVENT)
				return r;
			continue;
		} else {
			struct span kn = span_make(tok.p, (size_t)(eq - tok.p));
			k = s.seen & SEEN_PROTO ? key_l4_lookup(kn) : key_ip_lookup(kn);
			if (k == K_NONE)
				continue;
			val = span_make(eq + 1, tok.len - kn.len - 1);
		}
		if ((r = key_apply(&s, k, val)) != PARSE_EVENT)
			return r;
		want = key_next(&s, k);
	}
	if (!(s.seen & (SEEN_SRC | SEEN_DST)) || (!(s.seen & SEEN_SRC) && (s.seen & SEEN_ARP))) {
		if (non_ip_frame(&s)) {
			*why = PARSE_IGN_NOT_IP;
			return PARSE_IGNORED;
		}
		return fail(&s, span_make(end, 0),
			    "missing SRC= (record cut off or damaged: no IP header and no "
			    "complete non-IP frame header)");
	}
	set_chain(ev);
	return check_complete(&s, rec);
}
