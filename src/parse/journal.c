/* SPDX-License-Identifier: GPL-2.0-or-later */
/* journal.c - journalctl -o json and -o export records (see journal.h).
 *
 * Hand-written rather than a JSON library: one object per line, five keys
 * wanted, and the reader sits on the per-line hot path. Strings without a
 * backslash (every kernel firewall record) stay spans of the line; others
 * are decoded into the state's bounded buffers.
 */
#include "parse/journal.h"

#include <string.h>

void journal_reset(struct parse_journal *j)
{
	j->msg_len = j->host_len = 0;
	j->realtime_us = -1;
	j->facility = -1;
	j->kernel_transport = j->has_msg = j->bad = false;
	j->bin_left = j->bin_size = 0;
	j->bin_phase = j->bin_have = 0;
	j->bin_msg = false;
	j->in_record = false;
	j->seen = 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

struct cursor {
	const char *p, *end, *start;
	const char *reason;
};

static void ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static bool fail(struct cursor *c, const char *reason)
{
	if (!c->reason)
		c->reason = reason;
	return false;
}

static int hexval(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	if (h >= 'a' && h <= 'f')
		return h - 'a' + 10;
	if (h >= 'A' && h <= 'F')
		return h - 'A' + 10;
	return -1;
}

static bool hex4(struct cursor *c, unsigned *ret)
{
	unsigned v = 0;

	if (c->end - c->p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		int h = hexval(c->p[i]);
		if (h < 0)
			return false;
		v = v << 4 | (unsigned)h;
	}
	c->p += 4;
	*ret = v;
	return true;
}

static void put(char *buf, size_t cap, size_t *len, bool *over, const char *b, size_t n)
{
	if (*len + n > cap) {
		*over = true;
		return;
	}
	memcpy(buf + *len, b, n);
	*len += n;
}

/* A JSON string at c->p ('"'): its raw span, or decoded into buf when it
 * holds escapes (buf NULL: only skip it). */
static bool string(struct cursor *c, struct span *ret, char *buf, size_t cap, size_t *ret_len)
{
	const char *s = ++c->p;
	bool esc = false, over = false;

	while (c->p < c->end && *c->p != '"') {
		if ((unsigned char)*c->p < 0x20)
			return fail(c, "control character in a JSON string");
		if (*c->p == '\\') {
			esc = true;
			if (c->end - c->p < 2)
				return fail(c, "unterminated JSON string");
			c->p++;
		}
		c->p++;
	}
	if (c->p >= c->end)
		return fail(c, "unterminated JSON string");
	const char *e = c->p++;
	if (!esc) {
		*ret = span_make(s, (size_t)(e - s));
		return true;
	}
	if (!buf) {
		*ret = span_make(s, 0);
		return true;
	}
	size_t n = 0;
	struct cursor d = { .p = s, .end = e };
	while (d.p < d.end) {
		char ch = *d.p++;
		if (ch != '\\') {
			put(buf, cap, &n, &over, &ch, 1);
			continue;
		}
		ch = *d.p++;
		const char *simple = strchr("\"\\/bfnrt", ch);
		if (ch && simple) {
			static const char out[] = "\"\\/\b\f\n\r\t";
			put(buf, cap, &n, &over, &out[simple - "\"\\/bfnrt"], 1);
			continue;
		}
		unsigned u, lo;
		if (ch != 'u' || !hex4(&d, &u))
			return fail(c, "bad escape in a JSON string");
		if (u >= 0xD800 && u < 0xDC00) {
			if (d.end - d.p < 6 || d.p[0] != '\\' || d.p[1] != 'u')
				return fail(c, "lone surrogate in a JSON string");
			d.p += 2;
			if (!hex4(&d, &lo) || lo < 0xDC00 || lo > 0xDFFF)
				return fail(c, "lone surrogate in a JSON string");
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		} else if (u >= 0xDC00 && u < 0xE000) {
			return fail(c, "lone surrogate in a JSON string");
		}
		char b[4];
		size_t k;
		if (u < 0x80) {
			b[0] = (char)u;
			k = 1;
		} else if (u < 0x800) {
			b[0] = (char)(0xC0 | u >> 6);
			b[1] = (char)(0x80 | (u & 0x3F));
			k = 2;
		} else if (u < 0x10000) {
			b[0] = (char)(0xE0 | u >> 12);
			b[1] = (char)(0x80 | ((u >> 6) & 0x3F));
			b[2] = (char)(0x80 | (u & 0x3F));
			k = 3;
		} else {
			b[0] = (char)(0xF0 | u >> 18);
			b[1] = (char)(0x80 | ((u >> 12) & 0x3F));
			b[2] = (char)(0x80 | ((u >> 6) & 0x3F));
			b[3] = (char)(0x80 | (u & 0x3F));
			k = 4;
		}
		put(buf, cap, &n, &over, b, k);
	}
	if (over)
		return fail(c, "JSON string longer than vigil's journal buffer");
	*ret = span_make(buf, n);
	*ret_len = n;
	return true;
}

/* Any JSON value, skipped; nesting bounded. */
static bool skip_value(struct cursor *c, int depth)
{
	struct span dummy;

	ws(c);
	if (c->p >= c->end)
		return fail(c, "expected a JSON value");
	if (depth > 16)
		return fail(c, "JSON nested too deep");
	char ch = *c->p;
	if (ch == '"')
		return string(c, &dummy, NULL, 0, NULL);
	if (ch == '[' || ch == '{') {
		char close = ch == '[' ? ']' : '}';
		c->p++;
		ws(c);
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return true;
		}
		for (;;) {
			if (close == '}') {
				ws(c);
				if (c->p >= c->end || *c->p != '"' || !string(c, &dummy, NULL, 0, NULL))
					return fail(c, "expected a JSON key");
				ws(c);
				if (c->p >= c->end || *c->p++ != ':')
					return fail(c, "expected ':' after a JSON key");
			}
			if (!skip_value(c, depth + 1))
				return false;
			ws(c);
			if (c->p < c->end && *c->p == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->end && *c->p == close) {
				c->p++;
				return true;
			}
			return fail(c, "expected ',' or the end of a JSON array or object");
		}
	}
	const char *s = c->p;
	while (c->p < c->end && (is_digit(*c->p) || strchr("+-.eEtrufalsn", *c->p)))
		c->p++;
	return c->p > s ? true : fail(c, "expected a JSON value");
}

/* MESSAGE: a string, or an array of byte values (journalctl's form for a
 * message that is not valid UTF-8 or holds control characters). */
static bool message(struct cursor *c, struct parse_journal *j, struct span *ret)
{
	ws(c);
	if (c->p < c->end && *c->p == '"')
		return string(c, ret, j->msg, sizeof(j->msg), &j->msg_len);
	if (c->p >= c->end || *c->p != '[')
		return fail(c, "MESSAGE is neither a string nor an array of bytes");
	c->p++;
	size_t n = 0;
	bool over = false;
	for (;;) {
		ws(c);
		unsigned v = 0;
		const char *s = c->p;
		while (c->p < c->end && is_digit(*c->p) && c->p - s < 4)
			v = v * 10 + (unsigned)(*c->p++ - '0');
		if (c->p == s || v > 255)
			return fail(c, "MESSAGE array holds something other than byte values");
		char b = (char)v;
		put(j->msg, sizeof(j->msg), &n, &over, &b, 1);
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == ']') {
			c->p++;
			break;
		}
		return fail(c, "expected ',' or ']' in the MESSAGE array");
	}
	if (over)
		return fail(c, "MESSAGE longer than vigil's journal buffer");
	j->msg_len = n;
	*ret = span_make(j->msg, n);
	return true;
}

static bool to_i64(struct span s, int64_t *ret)
{
	int64_t v = 0;

	if (!s.len || s.len > 18)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (!is_digit(s.p[i]))
			return false;
		v = v * 10 + (s.p[i] - '0');
	}
	*ret = v;
	return true;
}

enum field { F_OTHER, F_MESSAGE, F_TRANSPORT, F_FACILITY, F_REALTIME, F_HOSTNAME };

static enum field field_of(struct span k)
{
	if (span_eq(k, "MESSAGE", 7))
		return F_MESSAGE;
	if (span_eq(k, "_TRANSPORT", 10))
		return F_TRANSPORT;
	if (span_eq(k, "SYSLOG_FACILITY", 15))
		return F_FACILITY;
	if (span_eq(k, "__REALTIME_TIMESTAMP", 20))
		return F_REALTIME;
	if (span_eq(k, "_HOSTNAME", 9))
		return F_HOSTNAME;
	return F_OTHER;
}

/* A text field's value, shared by both formats. Returns false on a repeat
 * of a field that must be single. */
static bool take_field(struct parse_journal *j, enum field f, struct span v, unsigned *seen)
{
	if (f == F_OTHER)
		return true;
	if (*seen & (1u << f))
		return false;
	*seen |= 1u << f;
	switch (f) {
	case F_TRANSPORT:
		j->kernel_transport = span_eq(v, "kernel", 6);
		break;
	case F_FACILITY: {
		int64_t fac;
		j->facility = to_i64(v, &fac) && fac < 24 ? (int)fac : 99;
		break;
	}
	case F_REALTIME:
		if (!to_i64(v, &j->realtime_us))
			j->realtime_us = -1;
		break;
	default:
		break;
	}
	return true;
}

static void finish(const struct parse_journal *j, struct journal_record *r)
{
	r->realtime_us = j->realtime_us;
	r->kernel = j->kernel_transport && (j->facility == -1 || j->facility == 0);
}

enum journal_verdict journal_json(struct parse_journal *j, struct span line,
				  struct journal_record *ret, const char **ret_reason,
				  size_t *ret_col)
{
	struct cursor c = { .p = line.p, .end = line.p + line.len, .start = line.p };
	struct journal_record r = { 0 };
	unsigned seen = 0;

	journal_reset(j);
	ws(&c);
	if (c.p >= c.end || *c.p++ != '{') {
		fail(&c, "expected a JSON object");
		goto bad;
	}
	ws(&c);
	if (c.p < c.end && *c.p == '}') {
		c.p++;
		goto done;
	}
	for (;;) {
		struct span key, v;
		ws(&c);
		if (c.p >= c.end || *c.p != '"' || !string(&c, &key, NULL, 0, NULL)) {
			fail(&c, "expected a JSON key");
			goto bad;
		}
		ws(&c);
		if (c.p >= c.end || *c.p++ != ':') {
			fail(&c, "expected ':' after a JSON key");
			goto bad;
		}
		ws(&c);
		enum field f = field_of(key);
		if (f == F_MESSAGE) {
			if (seen & (1u << F_MESSAGE)) {
				fail(&c, "MESSAGE given twice");
				goto bad;
			}
			seen |= 1u << F_MESSAGE;
			if (c.p < c.end && *c.p == 'n') { /* null: too large, journalctl left it out */
				if (!skip_value(&c, 0))
					goto bad;
			} else {
				if (!message(&c, j, &r.msg))
					goto bad;
				r.has_msg = true;
			}
		} else if (f != F_OTHER && c.p < c.end && *c.p == '"') {
			size_t n = 0;
			char tmp[64];
			bool host = f == F_HOSTNAME;
			if (!string(&c, &v, host ? j->host : tmp, host ? sizeof(j->host) : sizeof(tmp),
				    &n))
				goto bad;
			if (!take_field(j, f, v, &seen)) {
				fail(&c, "a journal field given twice");
				goto bad;
			}
			if (host)
				r.host = v;
		} else {
			/* other fields, and a trusted field with several values (an
			 * array): not one the kernel's records have */
			if (f != F_OTHER)
				seen |= 1u << f;
			if (!skip_value(&c, 0))
				goto bad;
		}
		ws(&c);
		if (c.p < c.end && *c.p == ',') {
			c.p++;
			continue;
		}
		if (c.p < c.end && *c.p == '}') {
			c.p++;
			break;
		}
		fail(&c, "expected ',' or '}' in the JSON object");
		goto bad;
	}
done:
	ws(&c);
	if (c.p != c.end) {
		fail(&c, "text after the JSON object");
		goto bad;
	}
	finish(j, &r);
	*ret = r;
	return JOURNAL_RECORD;
bad:
	*ret_reason = c.reason;
	*ret_col = (size_t)(c.p - line.p) + 1;
	return JOURNAL_BAD;
}

/* ---- export ------------------------------------------------------------ */

enum { BIN_NONE, BIN_SIZE, BIN_DATA, BIN_END };

/* The bytes of a binary field: the reader split them at '\n', so each line
 * stands for its bytes and one '\n'. 1: field done at the line's end, 0: it
 * continues on the next line, -1: bad. */
static int export_binary(struct parse_journal *j, struct span line)
{
	for (size_t i = 0; i <= line.len; i++) {
		unsigned char ch = i < line.len ? (unsigned char)line.p[i] : '\n';
		switch (j->bin_phase) {
		case BIN_SIZE:
			j->bin_size |= (uint64_t)ch << (8 * j->bin_have++);
			if (j->bin_have == 8) {
				j->bin_left = j->bin_size;
				j->bin_phase = j->bin_left ? BIN_DATA : BIN_END;
				if (j->bin_left > (1u << 26))
					return -1;
			}
			break;
		case BIN_DATA:
			if (j->bin_msg) {
				if (j->msg_len < sizeof(j->msg))
					j->msg[j->msg_len] = (char)ch;
				j->msg_len++;
			}
			if (--j->bin_left == 0)
				j->bin_phase = BIN_END;
			break;
		default:
			if (ch != '\n' || i != line.len)
				return -1;
			j->bin_phase = BIN_NONE;
			return 1;
		}
	}
	return 0;
}

enum journal_verdict journal_export(struct parse_journal *j, struct span line,
				    struct journal_record *ret, const char **ret_reason)
{
	if (j->bin_phase != BIN_NONE) {
		if (export_binary(j, line) < 0) {
			j->bad = true;
			j->bin_phase = BIN_NONE;
			*ret_reason = "binary journal field longer than its size";
			return JOURNAL_BAD;
		}
		return JOURNAL_PART;
	}
	if (!line.len) {
		struct journal_record r = { 0 };
		bool bad = j->bad || j->msg_len > sizeof(j->msg);
		if (j->has_msg && !bad) {
			r.has_msg = true;
			r.msg = span_make(j->msg, j->msg_len);
		}
		r.host = span_make(j->host, j->host_len);
		finish(j, &r);
		journal_reset(j);
		if (bad) {
			*ret_reason = "journal entry with a repeated, oversized or cut-off field";
			return JOURNAL_BAD;
		}
		*ret = r;
		return JOURNAL_RECORD;
	}
	j->in_record = true;
	const char *eq = memchr(line.p, '=', line.len);
	if (!eq) {
		/* "NAME" alone: a binary field; size and payload follow */
		enum field f = field_of(line);
		if (f == F_MESSAGE) {
			if (j->has_msg)
				j->bad = true;
			j->has_msg = true;
			j->bin_msg = true;
			j->msg_len = 0;
		} else {
			j->bin_msg = false;
			if (f != F_OTHER)
				j->bad = true; /* the trusted fields are text */
		}
		j->bin_phase = BIN_SIZE;
		j->bin_have = 0;
		j->bin_size = 0;
		return JOURNAL_PART;
	}
	struct span key = span_make(line.p, (size_t)(eq - line.p));
	struct span v = span_make(eq + 1, line.len - key.len - 1);
	enum field f = field_of(key);
	if (f == F_MESSAGE) {
		if (j->has_msg)
			j->bad = true;
		j->has_msg = true;
		j->msg_len = v.len > sizeof(j->msg) ? sizeof(j->msg) + 1 : v.len;
		memcpy(j->msg, v.p, v.len > sizeof(j->msg) ? sizeof(j->msg) : v.len);
	} else if (f == F_HOSTNAME) {
		size_t n = v.len < sizeof(j->host) ? v.len : sizeof(j->host);
		memcpy(j->host, v.p, n);
		j->host_len = n;
	}
	if (!take_field(j, f, v, &j->seen))
		j->bad = true;
	return JOURNAL_PART;
}
