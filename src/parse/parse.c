/* SPDX-License-Identifier: GPL-2.0-or-later */
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

#include "parse/journal.h"
#include "parse/record.h"
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

void parse_input_init(struct parse_input *in, int64_t ref_sec)
{
	memset(in, 0, sizeof(*in));
	parse_clock_init(&in->clock, ref_sec);
	in->repeat = 1;
	journal_reset(&in->journal);
}

void parse_input_force_format(struct parse_input *in, enum parse_format f)
{
	in->format = f;
	in->forced = f != PARSE_FMT_UNKNOWN;
}

void parse_input_settle(struct parse_input *in)
{
	in->settled = in->held;
	in->tentative = in->held = false;
}

void parse_input_new_format(struct parse_input *in)
{
	in->format = PARSE_FMT_UNKNOWN;
	in->forced = in->tentative = in->held = in->hold = in->settled = false;
	in->repeat = 1;
	journal_reset(&in->journal);
}

bool parse_input_pending(const struct parse_input *in)
{
	return in->format == PARSE_FMT_EXPORT && in->journal.in_record;
}

int parse_format_from_name(const char *name, enum parse_format *ret)
{
	static const char *const names[] = {
		[PARSE_FMT_UNKNOWN] = "auto", [PARSE_FMT_SYSLOG] = "syslog",
		[PARSE_FMT_LOGEMU] = "logemu", [PARSE_FMT_DMESG] = "dmesg",
		[PARSE_FMT_KMSG] = "kmsg",     [PARSE_FMT_JSON] = "json",
		[PARSE_FMT_EXPORT] = "export", [PARSE_FMT_BARE] = "bare",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*ret = (enum parse_format)i;
			return 0;
		}
	}
	return -1;
}

const char *parse_ignore_name(enum parse_ignore why)
{
	static const char *const names[PARSE_IGN_COUNT] = {
		[PARSE_IGN_BLANK] = "blank",
		[PARSE_IGN_NOT_FIREWALL] = "not_firewall",
		[PARSE_IGN_NOT_KERNEL] = "not_kernel",
		[PARSE_IGN_NOT_IP] = "not_ip",
		[PARSE_IGN_NO_TAG] = "no_tag",
		[PARSE_IGN_UNKNOWN_ENVELOPE] = "unknown_envelope",
		[PARSE_IGN_OFF_FORMAT] = "off_format",
		[PARSE_IGN_RECORD_PART] = "record_part",
	};
	return (unsigned)why < PARSE_IGN_COUNT ? names[why] : "unknown";
}

#define DECIDE_OK (-1)

/* A tagged line in a syslog-format input. */
static int tagged(const struct wrapper *w, struct span *msg)
{
	*msg = w->msg;
	if (w->tag == WRAPPER_TAG_NONE)
		return PARSE_IGN_NO_TAG;
	if (w->tag != WRAPPER_TAG_KERNEL || w->other_facility)
		return PARSE_IGN_NOT_KERNEL;
	return DECIDE_OK;
}

/* The input's format (fixed here by its first recognisable line) says which
 * part of the line is the kernel's message and whether it may be: DECIDE_OK
 * or the reason to ignore the line if it holds a record. */
static int decide(struct parse_input *in, struct wrapper *w, struct span *msg)
{
	enum parse_format f = in->format;

	switch (w->kind) {
	case WRAPPER_KMSG:
		if (f == PARSE_FMT_UNKNOWN)
			f = in->format = PARSE_FMT_KMSG;
		*msg = w->msg;
		if (f != PARSE_FMT_KMSG)
			return PARSE_IGN_OFF_FORMAT;
		return w->other_facility ? PARSE_IGN_NOT_KERNEL : DECIDE_OK;
	case WRAPPER_DMESG:
		/* "[ 12.3] fw1 kernel: ..." is journalctl short-monotonic; a
		 * dmesg prefix may look like "host tag:" ("iptables denied:") but
		 * never names the kernel or a PID */
		if (f == PARSE_FMT_UNKNOWN)
			f = in->format = w->tag == WRAPPER_TAG_KERNEL || w->pid ? PARSE_FMT_SYSLOG
									       : PARSE_FMT_DMESG;
		if (f == PARSE_FMT_SYSLOG && w->tag != WRAPPER_TAG_NONE)
			return tagged(w, msg);
		*msg = w->body;
		w->host.len = 0;
		if (f != PARSE_FMT_DMESG)
			return PARSE_IGN_OFF_FORMAT;
		return w->other_facility ? PARSE_IGN_NOT_KERNEL : DECIDE_OK;
	case WRAPPER_SYSLOG:
		if (f == PARSE_FMT_UNKNOWN) {
			/* ulogd writes records only, never a tag, PID or facility. A
			 * record right after "host word:" may be ulogd with a prefix
			 * "word:" or any program's forgery: it fixes nothing, and
			 * until something does it is read as a program's line. */
			if (w->tag == WRAPPER_TAG_OTHER && !w->pid && !w->rfc5424 &&
			    !w->has_facility && record_find(w->body) >= 0)
				return tagged(w, msg);
			bool logemu = w->tag == WRAPPER_TAG_NONE && !w->rfc5424 &&
				      !w->has_facility && w->host.len &&
				      record_find(w->body) >= 0;
			f = in->format = logemu ? PARSE_FMT_LOGEMU : PARSE_FMT_SYSLOG;
			/* anyone can write such a line into a syslog file: LOGEMU
			 * holds only once PARSE_LOGEMU_CONFIRM records agree */
			if (logemu && !in->forced) {
				in->tentative = true;
				in->tentative_left = PARSE_LOGEMU_CONFIRM;
			}
		}
		if (f == PARSE_FMT_SYSLOG)
			return tagged(w, msg);
		if (f == PARSE_FMT_LOGEMU) {
			/* what ulogd never writes proves a syslog file: a tag naming
			 * the kernel or a PID, a facility, a line that is no record */
			if (w->tag == WRAPPER_TAG_KERNEL || w->pid || w->rfc5424 || w->has_facility ||
			    record_find(w->body) < 0) {
				if (in->forced) {
					*msg = w->msg;
					return PARSE_IGN_OFF_FORMAT;
				}
				in->format = PARSE_FMT_SYSLOG;
				in->settled = in->tentative || in->held;
				in->tentative = false;
				return tagged(w, msg);
			}
			*msg = w->body;
			w->repeat = 1;
			if (in->tentative) {
				if (--in->tentative_left == 0) {
					in->tentative = false;
					in->settled = in->held;
				} else {
					in->hold = true;
				}
			}
			return DECIDE_OK;
		}
		*msg = w->msg;
		return PARSE_IGN_OFF_FORMAT;
	default:
		*msg = w->msg;
		return f == PARSE_FMT_BARE ? DECIDE_OK : PARSE_IGN_UNKNOWN_ENVELOPE;
	}
}

/* The nf_log record in msg, once the envelope is accepted. bytes: what to
 * check for NUL and bad UTF-8 (the line, or a decoded journal message);
 * base: what columns count from. */
static inline enum parse_verdict read_record(struct span msg, long at, struct span bytes,
				      const char *base, const struct vtime *time, struct span host,
				      struct event *ret_ev, enum parse_ignore *ret_why,
				      struct parse_error *reterr)
{
	struct event *ev = ret_ev; /* filled in place: only PARSE_EVENT promises it */

	if (bad_bytes(bytes, reterr) == PARSE_MALFORMED) {
		reterr->column += (size_t)(bytes.p - base);
		return PARSE_MALFORMED;
	}
	memset(ev, 0, EVENT_ZERO_LEN);
	ev->time = *time;
	ev->host = host;
	ev->prefix = span_make(msg.p, (size_t)at);
	span_trim(&ev->prefix);
	struct span rec = span_make(msg.p + at, msg.len - (size_t)at);
	return record_parse(rec, base, ev, ret_why, reterr);
}

enum parse_verdict parse_message(const struct record_meta *meta, struct span msg,
				 struct event *ret_ev, enum parse_ignore *ret_ign,
				 struct parse_error *reterr)
{
	long at = record_find(msg);

	if (at < 0) {
		*ret_ign = PARSE_IGN_NOT_FIREWALL;
		return PARSE_IGNORED;
	}
	if (!meta->kernel || (meta->facility != -1 && meta->facility != 0)) {
		*ret_ign = PARSE_IGN_NOT_KERNEL;
		return PARSE_IGNORED;
	}
	return read_record(msg, at, msg, msg.p, &meta->time, meta->host, ret_ev, ret_ign, reterr);
}

static enum parse_verdict journal_record(struct parse_input *in, const struct journal_record *r,
					 struct span line, struct event *ret_ev,
					 enum parse_ignore *ret_why, struct parse_error *reterr)
{
	struct vtime t = { 0 };
	long at = r->has_msg ? record_find(r->msg) : -1;

	if (at < 0) {
		*ret_why = PARSE_IGN_NOT_FIREWALL;
		return PARSE_IGNORED;
	}
	if (!r->kernel) {
		*ret_why = PARSE_IGN_NOT_KERNEL;
		return PARSE_IGNORED;
	}
	if (r->realtime_us >= 0) {
		t.kind = VTIME_WALL;
		t.sec = r->realtime_us / 1000000;
		t.usec = (uint32_t)(r->realtime_us % 1000000);
		t.has_tz = true;
		t.tz_min = 0;
		if (t.sec > in->clock.ref_sec) {
			in->clock.ref_sec = t.sec;
			in->clock.cache_mon = 0;
		}
	}
	struct span msg = r->msg;
	bool inside = msg.p >= line.p && msg.p + msg.len <= line.p + line.len;
	return read_record(msg, at, msg, inside ? line.p : msg.p, &t, r->host, ret_ev, ret_why,
			   reterr);
}

static enum parse_verdict journal_bad(struct span line, const char *reason, size_t col,
				      struct parse_error *reterr)
{
	reterr->reason = reason ? reason : "not a journal record";
	reterr->column = col > line.len ? line.len + 1 : col ? col : 1;
	size_t at = reterr->column - 1;
	reterr->got = span_make(line.p + at, line.len - at < 8 ? line.len - at : 8);
	return PARSE_MALFORMED;
}

enum parse_verdict parse_line(struct parse_input *in, struct span line, struct event *ret_ev,
			      enum parse_ignore *ret_why, struct parse_error *reterr)
{
	struct wrapper w;
	struct journal_record jr;
	const char *reason = NULL;
	size_t col = 1;

	in->repeat = 1;
	in->hold = in->settled = false;
	if (in->format == PARSE_FMT_EXPORT) {
		/* raw lines: a binary field may hold any byte, '\r' and blank included */
		switch (journal_export(&in->journal, line, &jr, &reason)) {
		case JOURNAL_PART:
			*ret_why = PARSE_IGN_RECORD_PART;
			return PARSE_IGNORED;
		case JOURNAL_BAD:
			return journal_bad(line, reason, 1, reterr);
		case JOURNAL_RECORD:
			return journal_record(in, &jr, line, ret_ev, ret_why, reterr);
		}
	}
	if (line.len && line.p[line.len - 1] == '\r')
		line.len--;
	if (is_blank(line)) {
		*ret_why = PARSE_IGN_BLANK;
		return PARSE_IGNORED;
	}
	/* journalctl -o json-seq: RFC 7464's record separator before each object */
	if (line.p[0] == '\x1e' && line.len > 1 && line.p[1] == '{')
		span_skip(&line, 1);
	if (line.p[0] == '{' && (in->format == PARSE_FMT_UNKNOWN || in->format == PARSE_FMT_JSON)) {
		if (journal_json(&in->journal, line, &jr, &reason, &col) == JOURNAL_BAD) {
			if (in->format == PARSE_FMT_JSON || record_find(line) >= 0)
				return journal_bad(line, reason, col, reterr);
			*ret_why = PARSE_IGN_NOT_FIREWALL;
			return PARSE_IGNORED;
		}
		in->format = PARSE_FMT_JSON;
		return journal_record(in, &jr, line, ret_ev, ret_why, reterr);
	}
	if (in->format == PARSE_FMT_UNKNOWN && span_starts(line, "__CURSOR=", 9)) {
		in->format = PARSE_FMT_EXPORT;
		journal_reset(&in->journal);
		journal_export(&in->journal, line, &jr, &reason);
		*ret_why = PARSE_IGN_RECORD_PART;
		return PARSE_IGNORED;
	}

	wrapper_parse(&in->clock, line, &w);
	struct span msg;
	int ign = decide(in, &w, &msg);
	long at = record_find(msg);
	if (at < 0 || ign != DECIDE_OK) {
		/* NUL bytes (a file zero-filled by a crash) can break the header or
		 * the record's own keys: a damaged firewall record is malformed,
		 * not another program's line. memchr: this is the non-firewall path. */
		if (memchr(line.p, '\0', line.len) && damaged_record(line))
			return bad_bytes(line, reterr);
		*ret_why = at < 0 ? PARSE_IGN_NOT_FIREWALL : (enum parse_ignore)ign;
		return PARSE_IGNORED;
	}
	enum parse_verdict v = read_record(msg, at, line, line.p, &w.time, w.host, ret_ev, ret_why,
					   reterr);
	if (v == PARSE_EVENT)
		in->repeat = w.repeat;
	if (in->hold)
		in->held = true;
	return v;
}
