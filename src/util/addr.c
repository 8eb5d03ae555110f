/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addr.c - strict address parsing and RFC 5952 formatting (see addr.h). */
#include "util/addr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* One to three digits at *pp (before end), value <= 255; -1 otherwise.
 * Unrolled: it runs eight times per log line. A fourth digit is left for
 * the caller's separator check to reject. */
static inline int v4_octet(const char **pp, const char *end)
{
	const char *p = *pp;
	unsigned v, d;

	if (p >= end || (v = (unsigned)(unsigned char)*p - '0') > 9)
		return -1;
	p++;
	if (p < end && (d = (unsigned)(unsigned char)*p - '0') <= 9) {
		v = v * 10 + d;
		p++;
		if (p < end && (d = (unsigned)(unsigned char)*p - '0') <= 9) {
			v = v * 10 + d;
			p++;
		}
	}
	*pp = p;
	return v > 255 ? -1 : (int)v;
}

int addr_parse_v4(struct span s, struct addr *ret)
{
	const char *p = s.p, *end = s.p + s.len;
	uint8_t part[4];

	for (int k = 0; k < 4; k++) {
		int v = v4_octet(&p, end);
		if (v < 0)
			return -EINVAL;
		part[k] = (uint8_t)v;
		if (k < 3) {
			if (p >= end || *p != '.')
				return -EINVAL;
			p++;
		}
	}
	if (p != end)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	ret->family = ADDR_V4;
	memcpy(ret->b, part, 4);
	return 0;
}

/* The kernel's %pI6: eight groups of four hex digits, no compression. Most
 * IPv6 addresses in a log look like this, so they get a straight-line path. */
static bool parse_v6_full(struct span s, struct addr *ret)
{
	struct addr a = { .family = ADDR_V6 };

	if (s.len != 39)
		return false;
	for (int g = 0; g < 8; g++) {
		const char *q = s.p + 5 * g;
		int d0 = span_hexval(q[0]), d1 = span_hexval(q[1]);
		int d2 = span_hexval(q[2]), d3 = span_hexval(q[3]);
		if ((d0 | d1 | d2 | d3) < 0 || (g < 7 && q[4] != ':'))
			return false;
		a.b[2 * g] = (uint8_t)(d0 << 4 | d1);
		a.b[2 * g + 1] = (uint8_t)(d2 << 4 | d3);
	}
	*ret = a;
	return true;
}

int addr_parse_v6(struct span s, struct addr *ret)
{
	if (parse_v6_full(s, ret))
		return 0;

	uint16_t w[8];
	int n = 0, gap = -1;
	size_t i = 0;

	if (s.len < 2 || s.len > 45)
		return -EINVAL;
	if (s.p[0] == ':') {
		if (s.p[1] != ':')
			return -EINVAL;
		gap = 0;
		i = 2;
		if (i == s.len)
			goto done;
	}
	for (;;) {
		size_t start = i;
		unsigned v = 0;
		int d;
		while (i < s.len && i - start < 5 && (d = span_hexval(s.p[i])) >= 0) {
			v = (v << 4) | (unsigned)d;
			i++;
		}
		if (i - start == 0 || i - start > 4)
			return -EINVAL;
		if (i < s.len && s.p[i] == '.') {
			/* embedded IPv4 in the last 32 bits */
			struct addr v4;
			if (n > 6 || addr_parse_v4(span_make(s.p + start, s.len - start), &v4))
				return -EINVAL;
			w[n++] = (uint16_t)(v4.b[0] << 8 | v4.b[1]);
			w[n++] = (uint16_t)(v4.b[2] << 8 | v4.b[3]);
			i = s.len;
			break;
		}
		if (n >= 8)
			return -EINVAL;
		w[n++] = (uint16_t)v;
		if (i == s.len)
			break;
		if (s.p[i] != ':')
			return -EINVAL;
		i++;
		if (i < s.len && s.p[i] == ':') {
			if (gap >= 0)
				return -EINVAL;
			gap = n;
			i++;
			if (i == s.len)
				break;
		} else if (i == s.len) {
			return -EINVAL;
		}
	}
done:
	if (gap < 0 && n != 8)
		return -EINVAL;
	if (gap >= 0 && n > 7)
		return -EINVAL;
	struct addr a = { .family = ADDR_V6 };
	int fill = 8 - n, o = 0;
	for (int k = 0; k < n; k++) {
		if (k == gap)
			o += fill;
		a.b[2 * o] = (uint8_t)(w[k] >> 8);
		a.b[2 * o + 1] = (uint8_t)w[k];
		o++;
	}
	*ret = a;
	return 0;
}

int addr_parse(struct span s, struct addr *ret)
{
	/* the kernel's full IPv6 form first: no IPv4 address is 39 bytes long;
	 * then IPv4, which fails at the first ':' of any other IPv6 form */
	if (s.len == 39 && parse_v6_full(s, ret))
		return 0;
	if (addr_parse_v4(s, ret) == 0)
		return 0;
	return span_chr(s, ':') ? addr_parse_v6(s, ret) : -EINVAL;
}

/* Decimal 0-255 at o; returns the end. */
static char *put_dec8(char *o, unsigned v)
{
	if (v >= 100)
		*o++ = (char)('0' + v / 100);
	if (v >= 10)
		*o++ = (char)('0' + v / 10 % 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

/* Lowercase hex without leading zeros (printf's "%x"); returns the end. */
static char *put_hex16(char *o, unsigned v)
{
	static const char hex[] = "0123456789abcdef";
	int shift = 12;

	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*o++ = hex[(v >> shift) & 15];
	return o;
}

/* No snprintf(): reports format every source and destination, tens of
 * thousands of addresses per run. */
int addr_format(const struct addr *a, char buf[ADDR_STR_MAX])
{
	char *o = buf;

	if (a->family == ADDR_V4) {
		for (int k = 0; k < 4; k++) {
			if (k)
				*o++ = '.';
			o = put_dec8(o, a->b[k]);
		}
		*o = '\0';
		return (int)(o - buf);
	}
	if (a->family != ADDR_V6) {
		buf[0] = '\0';
		return 0;
	}
	uint16_t w[8];
	int best = -1, best_len = 0;
	for (int k = 0; k < 8; k++)
		w[k] = (uint16_t)(a->b[2 * k] << 8 | a->b[2 * k + 1]);
	/* RFC 5952 4.2: compress the longest run (>= 2) of zero words, the first on a tie */
	for (int k = 0; k < 8;) {
		if (w[k]) {
			k++;
			continue;
		}
		int j = k;
		while (j < 8 && !w[j])
			j++;
		if (j - k > best_len && j - k >= 2) {
			best = k;
			best_len = j - k;
		}
		k = j;
	}
	for (int k = 0; k < 8; k++) {
		if (k == best) {
			*o++ = ':';
			*o++ = ':';
			k += best_len - 1;
			continue;
		}
		if (k > 0 && k != best + best_len)
			*o++ = ':';
		o = put_hex16(o, w[k]);
	}
	*o = '\0';
	return (int)(o - buf);
}

bool addr_eq(const struct addr *x, const struct addr *y)
{
	return x->family == y->family && memcmp(x->b, y->b, 16) == 0;
}

int addr_cmp(const struct addr *x, const struct addr *y)
{
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->b, y->b, 16);
}

uint64_t addr_hash(const struct addr *a, uint64_t seed)
{
	uint64_t h0, h1;
	memcpy(&h0, a->b, 8);
	memcpy(&h1, a->b + 8, 8);
	uint64_t h = seed ^ (h0 * 0x9E3779B97F4A7C15ULL) ^ a->family;
	h ^= (h >> 29) ^ (h1 * 0xBF58476D1CE4E5B9ULL);
	h ^= h >> 32;
	h *= 0x94D049BB133111EBULL;
	h ^= h >> 31;
	return h;
}

static void net_mask(struct net *n)
{
	int bits = n->a.family == ADDR_V4 ? 32 : 128;
	for (int k = n->len; k < bits; k++)
		n->a.b[k / 8] &= (uint8_t)~(0x80u >> (k % 8));
}

int net_parse(struct span s, struct net *ret)
{
	struct net n;
	const char *slash = span_chr(s, '/');
	struct span a = slash ? span_make(s.p, (size_t)(slash - s.p)) : s;
	int r = addr_parse(a, &n.a);

	if (r < 0)
		return r;
	int bits = n.a.family == ADDR_V4 ? 32 : 128;
	n.len = (uint8_t)bits;
	if (slash) {
		struct span l = span_make(slash + 1, s.len - (size_t)(slash + 1 - s.p));
		uint8_t v;
		struct addr m;
		if (n.a.family == ADDR_V4 && span_chr(l, '.')) {
			if (addr_parse_v4(l, &m) < 0)
				return -EINVAL;
			uint32_t mask = (uint32_t)m.b[0] << 24 | m.b[1] << 16 | m.b[2] << 8 | m.b[3];
			int ones = 0;
			while (ones < 32 && (mask & (0x80000000u >> ones)))
				ones++;
			if (ones < 32 && (mask << ones) != 0)
				return -EINVAL; /* non-contiguous mask */
			v = (uint8_t)ones;
		} else if (span_to_u8(l, &v) < 0 || v > bits) {
			return -EINVAL;
		}
		n.len = v;
	}
	/* ::ffff:a.b.c.d/LEN is IPv4 /LEN-96: events carry mapped addresses
	 * as IPv4, and so must the lists they are matched against */
	if (n.len >= 96 && addr_unmap_v4(&n.a))
		n.len = (uint8_t)(n.len - 96);
	net_mask(&n);
	*ret = n;
	return 0;
}

int net_format(const struct net *n, char buf[NET_STR_MAX])
{
	char a[ADDR_STR_MAX];
	addr_format(&n->a, a);
	int bits = n->a.family == ADDR_V4 ? 32 : 128;
	if (n->len == bits)
		return snprintf(buf, NET_STR_MAX, "%s", a);
	return snprintf(buf, NET_STR_MAX, "%s/%u", a, n->len);
}
