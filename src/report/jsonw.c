/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jsonw.c - streaming JSON writer (see jsonw.h). Escaping per RFC 8259 §7.
 *
 * Output goes through w->out (outbuf.h). Short strings are escaped while
 * being copied; long ones copy the runs that need no escape in one go. */
#include "report/jsonw.h"
#include "util/num.h"

#include <errno.h>
#include <string.h>

static inline void put(struct jsonw *w, const char *p, size_t n)
{
	outbuf_put(&w->out, p, n);
}

static inline void put_c(struct jsonw *w, char c)
{
	outbuf_putc(&w->out, c);
}

static void fail(struct jsonw *w)
{
	if (!w->err)
		w->err = -EINVAL;
}

static bool top_is_obj(const struct jsonw *w)
{
	return w->is_obj & (UINT32_C(1) << (w->depth - 1));
}

/* Before any value: check it is allowed here, and write the comma. */
static bool value_begin(struct jsonw *w)
{
	uint32_t bit;

	if (w->err || w->in_str || w->done) {
		fail(w);
		return false;
	}
	if (w->depth == 0)
		return true;
	if (top_is_obj(w)) {
		if (!w->have_key) {
			fail(w);
			return false;
		}
		w->have_key = false;
		return true;
	}
	bit = UINT32_C(1) << (w->depth - 1);
	if (w->members & bit)
		put_c(w, ',');
	w->members |= bit;
	return true;
}

static void value_end(struct jsonw *w)
{
	if (w->depth == 0)
		w->done = true;
}

/* 1: the byte is written as is; 0: it needs an escape ('"', '\\',
 * controls, DEL and every byte >= 0x80, see jsonw.h). */
static const unsigned char json_safe[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	/* 0x80..0xff: 0 */
};

static void put_escape(struct jsonw *w, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char *o = outbuf_reserve(&w->out, 6);

	if (c == '"' || c == '\\') {
		o[0] = '\\';
		o[1] = (char)c;
		w->out.len += 2;
		return;
	}
	memcpy(o, "\\u00", 4);
	o[4] = hex[c >> 4];
	o[5] = hex[c & 15];
	w->out.len += 6;
}

/* Short strings (keys, addresses, port spans): escape while copying, byte
 * by byte, into room reserved for the worst case (6 bytes per input byte). */
#define JSONW_SHORT 64

static void put_escaped_short(struct jsonw *w, const unsigned char *u, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char *o = outbuf_reserve(&w->out, 6 * len), *start = o;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		if (json_safe[c]) {
			*o++ = (char)c;
		} else if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		}
	}
	w->out.len += (size_t)(o - start);
}

static void put_escaped(struct jsonw *w, const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t run = 0;

	if (len <= JSONW_SHORT) {
		put_escaped_short(w, u, len);
		return;
	}
	for (size_t i = 0; i < len; i++) { /* runs that need no escape go in one copy */
		if (json_safe[u[i]])
			continue;
		put(w, p + run, i - run);
		put_escape(w, u[i]);
		run = i + 1;
	}
	put(w, p + run, len - run);
}

void jsonw_init(struct jsonw *w, FILE *f)
{
	w->err = 0;
	w->depth = 0;
	w->in_str = false;
	w->have_key = false;
	w->done = false;
	w->is_obj = 0;
	w->members = 0;
	outbuf_init(&w->out, f);
}

int jsonw_finish(struct jsonw *w)
{
	int r = outbuf_flush(&w->out);

	if (w->err)
		return w->err;
	if (!w->done)
		return -EINVAL;
	return r;
}

static void open_container(struct jsonw *w, bool obj)
{
	uint32_t bit;

	if (!value_begin(w))
		return;
	if (w->depth >= JSONW_DEPTH_MAX) {
		fail(w);
		return;
	}
	bit = UINT32_C(1) << w->depth;
	if (obj)
		w->is_obj |= bit;
	else
		w->is_obj &= ~bit;
	w->members &= ~bit;
	w->depth++;
	put_c(w, obj ? '{' : '[');
}

static void close_container(struct jsonw *w, bool obj)
{
	if (w->err || w->in_str || w->have_key || w->depth == 0 || top_is_obj(w) != obj) {
		fail(w);
		return;
	}
	w->depth--;
	put_c(w, obj ? '}' : ']');
	value_end(w);
}

void jsonw_obj_begin(struct jsonw *w)
{
	open_container(w, true);
}

void jsonw_obj_end(struct jsonw *w)
{
	close_container(w, true);
}

void jsonw_arr_begin(struct jsonw *w)
{
	open_container(w, false);
}

void jsonw_arr_end(struct jsonw *w)
{
	close_container(w, false);
}

void jsonw_key(struct jsonw *w, const char *key)
{
	uint32_t bit;

	if (w->err || w->in_str || w->depth == 0 || !top_is_obj(w) || w->have_key) {
		fail(w);
		return;
	}
	bit = UINT32_C(1) << (w->depth - 1);
	if (w->members & bit)
		put_c(w, ',');
	w->members |= bit;
	put_c(w, '"');
	put_escaped(w, key, strlen(key));
	put(w, "\":", 2);
	w->have_key = true;
}

void jsonw_str_begin(struct jsonw *w)
{
	if (!value_begin(w))
		return;
	put_c(w, '"');
	w->in_str = true;
}

void jsonw_str_add(struct jsonw *w, const char *p, size_t len)
{
	if (w->err || !w->in_str) {
		fail(w);
		return;
	}
	put_escaped(w, p, len);
}

void jsonw_str_end(struct jsonw *w)
{
	if (w->err || !w->in_str) {
		fail(w);
		return;
	}
	put_c(w, '"');
	w->in_str = false;
	value_end(w);
}

void jsonw_strn(struct jsonw *w, const char *p, size_t len)
{
	jsonw_str_begin(w);
	jsonw_str_add(w, p, len);
	jsonw_str_end(w);
}

void jsonw_str(struct jsonw *w, const char *s)
{
	jsonw_strn(w, s, strlen(s));
}

void jsonw_u64(struct jsonw *w, uint64_t v)
{
	if (!value_begin(w))
		return;
	w->out.len += num_u64(outbuf_reserve(&w->out, NUM_U64_MAX), v);
	value_end(w);
}

void jsonw_int(struct jsonw *w, long long v)
{
	if (!value_begin(w))
		return;
	char *o = outbuf_reserve(&w->out, 1 + NUM_U64_MAX);
	size_t n = 0;

	if (v < 0)
		o[n++] = '-';
	/* |v| as unsigned: well defined for LLONG_MIN too */
	n += num_u64(o + n, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v);
	w->out.len += n;
	value_end(w);
}

void jsonw_null(struct jsonw *w)
{
	if (!value_begin(w))
		return;
	put(w, "null", 4);
	value_end(w);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	if (!value_begin(w))
		return;
	put(w, v ? "true" : "false", v ? 4 : 5);
	value_end(w);
}

void jsonw_key_str(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_str(w, s);
}

void jsonw_key_u64(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_u64(w, v);
}
