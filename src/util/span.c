/* SPDX-License-Identifier: GPL-2.0-or-later */
/* span.c - parsers over length-carrying views (see span.h). */
#include "util/span.h"

#include <errno.h>

#define H16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x

const int8_t span_hex_digit[256] = {
	H16(-1), H16(-1), H16(-1),
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,		/* '0'-'9' */
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 'A'-'F' */
	H16(-1),
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 'a'-'f' */
	H16(-1), H16(-1), H16(-1), H16(-1), H16(-1), H16(-1), H16(-1), H16(-1), H16(-1),
};

#undef H16

bool span_next_token(struct span *rest, char sep, struct span *ret_tok)
{
	while (rest->len && rest->p[0] == sep)
		span_skip(rest, 1);
	if (!rest->len)
		return false;
	const char *end = memchr(rest->p, sep, rest->len);
	size_t n = end ? (size_t)(end - rest->p) : rest->len;
	*ret_tok = span_make(rest->p, n);
	span_skip(rest, end ? n + 1 : n);
	return true;
}

void span_trim_left(struct span *s)
{
	while (s->len && (s->p[0] == ' ' || s->p[0] == '\t'))
		span_skip(s, 1);
}

void span_trim(struct span *s)
{
	span_trim_left(s);
	while (s->len && (s->p[s->len - 1] == ' ' || s->p[s->len - 1] == '\t' ||
			  s->p[s->len - 1] == '\r'))
		s->len--;
}

long span_find(struct span s, const char *lit, size_t n)
{
	if (n == 0)
		return 0;
	if (s.len < n)
		return -1;
	const char *p = s.p, *end = s.p + s.len;
	/* needles are short keys ("IN="): a byte loop beats a memcmp() call */
	while ((size_t)(end - p) >= n) {
		const char *c = span_chr_near(span_make(p, (size_t)(end - p) - n + 1), lit[0]);
		size_t i = 1;
		if (!c)
			return -1;
		while (i < n && c[i] == lit[i])
			i++;
		if (i == n)
			return c - s.p;
		p = c + 1;
	}
	return -1;
}

bool span_eq_nocase(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	if (s.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = s.p[i], b = lit[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

int span_hex_to_u32(struct span s, uint32_t *ret)
{
	uint32_t v = 0;

	/* the kernel writes "0x3C"; ulogd's LOGEMU writes TOS=3C: accept both */
	(void)span_take_prefix(&s, "0x", 2);
	if (s.len == 0)
		return -EINVAL;
	if (s.len > 8)
		return -ERANGE;
	for (size_t i = 0; i < s.len; i++) {
		int d = span_hexval(s.p[i]);
		if (d < 0)
			return -EINVAL;
		v = (v << 4) | (uint32_t)d;
	}
	*ret = v;
	return 0;
}

/* Both checks in one walk; controls says whether controls are invalid. */
static size_t invalid_at(struct span s, bool controls)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0;

	while (i < s.len) {
		/* fast path for plain UTF-8: 8 ASCII bytes at a time */
		if (!controls && i + 8 <= s.len) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (!(w & UINT64_C(0x8080808080808080))) {
				i += 8;
				continue;
			}
		}
		unsigned c = p[i], cp, min;
		size_t n;
		if (c < 0x80) {
			if (controls && ((c < 0x20 && c != '\t') || c == 0x7f))
				return i;
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3, min = 0x10000;
		} else {
			return i;
		}
		cp = c & (0x3Fu >> n);
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= s.len || (p[i + k] & 0xC0) != 0x80)
				return i;
			cp = cp << 6 | (p[i + k] & 0x3Fu);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
		    (controls && cp <= 0x9F))
			return i;
		i += n + 1;
	}
	return s.len;
}

size_t span_utf8_invalid_at(struct span s)
{
	return invalid_at(s, false);
}

size_t span_text_invalid_at(struct span s)
{
	return invalid_at(s, true);
}
