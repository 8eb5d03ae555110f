/* parse.c - one log line to a verdict: wrapper, then the nf_log record.
 *
 * Order matters for cost: the cheap tests that reject most non-firewall lines
 * (no "IN=...OUT=") come first; the byte-level checks (NUL, UTF-8) run only
 * on lines that are firewall records, once, over the whole line.
 */
#include "parse/parse.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "parse/nflog.h"
#include "parse/wrapper.h"


/* NUL or a byte >= 0x80 somewhere in w (Hacker's Delight 6-1 for zero bytes). */
static inline bool word_suspect(uint64_t w)
{
	return ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) ||
	       (w & 0x8080808080808080ULL);
}

static enum parse_verdict bad_bytes(struct span line, struct parse_error *err)
{
	size_t i = 0;

	/* fast path: plain ASCII without NUL, 16 or 8 bytes at a time */
#ifdef __SSE2__
	const __m128i zero = _mm_setzero_si128();
	for (; i + 16 <= line.len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(line.p + i));
		if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero))))
			break;
	}
#endif
	for (; i + 8 <= line.len; i += 8) {
		uint64_t w;
		memcpy(&w, line.p + i, 8);
		if (word_suspect(w))
			break;
	}
	if (i + 8 > line.len) {
		bool clean = true;
		for (size_t k = i; k < line.len; k++)
			if (!line.p[k] || (unsigned char)line.p[k] >= 0x80)
				clean = false;
		if (clean)
			return PARSE_EVENT;
	}
	const char *nul = memchr(line.p, '\0', line.len);
	if (nul) {
		err->column = (size_t)(nul - line.p) + 1;
		err->reason = "NUL byte in line";
		err->got = span_make(nul, 1);
		return PARSE_MALFORMED;
	}
	size_t at = span_utf8_invalid_at(line);
	if (at < line.len) {
		err->column = at + 1;
		err->reason = "invalid UTF-8 in line";
		err->got = span_make(line.p + at, line.len - at < 4 ? line.len - at : 4);
		return PARSE_MALFORMED;
	}
	return PARSE_EVENT;
}

/* A line with NUL bytes that still shows a record's keys (as words: not
 * "LOGIN=" in another program's text). */
static bool damaged_record(struct span line)
{
	return span_starts(line, "IN=", 3) || span_find(line, " IN=", 4) >= 0 ||
	       span_find(line, " OUT=", 5) >= 0 || span_find(line, " SRC=", 5) >= 0;
}

static bool is_blank(struct span s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] != ' ' && s.p[i] != '\t' && s.p[i] != '\r')
			return false;
	return true;
}

enum parse_verdict parse_line(struct parse_clock *c, struct span line, struct event *ret_ev,
			      enum parse_ignore *ret_why, struct parse_error *reterr)
{
	struct wrapper w;
	struct event ev;

	if (line.len && line.p[line.len - 1] == '\r')
		line.len--;
	if (is_blank(line)) {
		*ret_why = PARSE_IGN_BLANK;
		return PARSE_IGNORED;
	}
	enum wrapper_origin origin = wrapper_parse(c, line, &w);
	long at = nflog_find_record(w.msg);
	if (at < 0 || origin == WRAPPER_NOT_KERNEL) {
		/* NUL bytes (a file zero-filled by a crash) can break the header or
		 * the record's own keys: a damaged firewall record is malformed,
		 * not another program's line. memchr: this is the non-firewall path. */
		if (memchr(line.p, '\0', line.len) && damaged_record(line))
			return bad_bytes(line, reterr);
		*ret_why = at < 0 ? PARSE_IGN_NOT_FIREWALL : PARSE_IGN_NOT_KERNEL;
		return PARSE_IGNORED;
	}
	if (bad_bytes(line, reterr) == PARSE_MALFORMED)
		return PARSE_MALFORMED;

	memset(&ev, 0, sizeof(ev));
	ev.time = w.time;
	ev.host = w.host;
	ev.prefix = span_make(w.msg.p, (size_t)at);
	span_trim(&ev.prefix);
	struct span rec = span_make(w.msg.p + at, w.msg.len - (size_t)at);
	enum parse_verdict r = nflog_parse(rec, line.p, &ev, ret_why, reterr);
	if (r == PARSE_EVENT)
		*ret_ev = ev;
	return r;
}
