/* SPDX-License-Identifier: GPL-2.0-or-later */
/* span.h - length-carrying views into untrusted bytes.
 *
 * Invariants: a span never owns its bytes and is never assumed NUL-terminated;
 * p may be NULL only when len == 0. Every parser here rejects junk and
 * overflow instead of guessing, and never reads past p + len.
 */
#ifndef VIGIL_SPAN_H
#define VIGIL_SPAN_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct span {
	const char *p;
	size_t len;
};

#define SPAN_LIT(s) ((struct span){ (s), sizeof(s) - 1 })

static inline struct span span_make(const char *p, size_t len)
{
	return (struct span){ p, len };
}

static inline bool span_eq(struct span s, const char *lit, size_t n)
{
	return s.len == n && memcmp(s.p, lit, n) == 0;
}

static inline bool span_starts(struct span s, const char *lit, size_t n)
{
	return s.len >= n && memcmp(s.p, lit, n) == 0;
}

/* Drop n bytes from the front (n <= s->len). */
static inline void span_skip(struct span *s, size_t n)
{
	s->p += n;
	s->len -= n;
}

/* If s starts with lit, consume it and return true. */
static inline bool span_take_prefix(struct span *s, const char *lit, size_t n)
{
	if (!span_starts(*s, lit, n))
		return false;
	span_skip(s, n);
	return true;
}

/* Split off the next token ending at sep (sep consumed). Empty tokens from
 * repeated separators are skipped. Returns false when nothing is left. */
bool span_next_token(struct span *rest, char sep, struct span *ret_tok);

/* Skip leading spaces. */
void span_trim_left(struct span *s);
void span_trim(struct span *s);

/* Pointer to first c in s, or NULL. */
static inline const char *span_chr(struct span s, char c)
{
	return s.len ? memchr(s.p, c, s.len) : NULL;
}

/* span_chr() for a byte expected within the first 16 (the end of a host
 * name, a syslog tag, an interface): one SSE2 compare instead of a call,
 * memchr() for the rest. */
static inline const char *span_chr_near(struct span s, char c)
{
#ifdef __SSE2__
	if (s.len >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s.p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
		if (m)
			return s.p + __builtin_ctz(m);
		return memchr(s.p + 16, c, s.len - 16);
	}
#endif
	return span_chr(s, c);
}

/* Find lit in s; returns offset or -1. */
long span_find(struct span s, const char *lit, size_t n);

bool span_eq_nocase(struct span s, const char *lit);

/* Decimal numbers: the whole span must be digits (no sign, no spaces).
 * -EINVAL for junk or empty, -ERANGE for overflow. Inline: the parser
 * calls these a dozen times per log line. */
static inline int span_to_u64(struct span s, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;

	if (s.len == 0 || s.len > 20)
		return s.len ? -ERANGE : -EINVAL;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned)(unsigned char)s.p[i] - '0';
		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

/* Up to 9 digits cannot overflow: no per-digit check. */
static inline int span_to_small(struct span s, uint32_t max, uint32_t *ret)
{
	uint32_t v = 0;

	if (s.len == 0 || s.len > 9) {
		uint64_t w;
		int r = span_to_u64(s, max, &w);
		if (r == 0)
			*ret = (uint32_t)w;
		return r;
	}
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned)(unsigned char)s.p[i] - '0';
		if (d > 9)
			return -EINVAL;
		v = v * 10 + d;
	}
	if (v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

static inline int span_to_u32(struct span s, uint32_t *ret)
{
	return span_to_small(s, UINT32_MAX, ret);
}

static inline int span_to_u16(struct span s, uint16_t *ret)
{
	uint32_t v;
	int r = span_to_small(s, UINT16_MAX, &v);
	if (r == 0)
		*ret = (uint16_t)v;
	return r;
}

static inline int span_to_u8(struct span s, uint8_t *ret)
{
	uint32_t v;
	int r = span_to_small(s, UINT8_MAX, &v);
	if (r == 0)
		*ret = (uint8_t)v;
	return r;
}
/* Value of each byte as a hex digit, or -1: a load instead of three range
 * tests, for the 32 digits of every IPv6 address and the TCP options. */
extern const int8_t span_hex_digit[256];

/* Value of one hex digit, or -1. */
static inline int span_hexval(char c)
{
	return span_hex_digit[(unsigned char)c];
}

/* The byte written as two hex digits at p, or -1. */
static inline int span_hexbyte(const char *p)
{
	int h = span_hexval(p[0]), l = span_hexval(p[1]);

	return (h | l) < 0 ? -1 : h << 4 | l;
}

/* "0x3C" or "3C"; used for TOS=, PREC=, RES=, MARK=. */
int span_hex_to_u32(struct span s, uint32_t *ret);

/* Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or s.len when the span is valid. */
size_t span_utf8_invalid_at(struct span s);

/* Offset of the first byte that is not printable text: broken UTF-8, an
 * ASCII control other than tab, DEL, or a C1 control (U+0080-U+009F, which
 * terminals obey as ESC sequences); s.len when there is none. For names and
 * messages from files that reach reports as they are. */
size_t span_text_invalid_at(struct span s);

#endif
