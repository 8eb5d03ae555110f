/* jsonw.c - streaming JSON writer (see jsonw.h). Escaping per RFC 8259 §7. */
#include "report/jsonw.h"
#include "util/num.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

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
		(void)fputc(',', w->f);
	w->members |= bit;
	return true;
}

static void value_end(struct jsonw *w)
{
	if (w->depth == 0)
		w->done = true;
}

static void put_escaped(FILE *f, const char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			continue;
		if (i > run)
			(void)fwrite(p + run, 1, i - run, f);
		run = i + 1;
		if (c == '"' || c == '\\') {
			(void)fputc('\\', f);
			(void)fputc(c, f);
		} else {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			(void)fwrite(u, 1, sizeof(u), f);
		}
	}
	if (len > run)
		(void)fwrite(p + run, 1, len - run, f);
}

void jsonw_init(struct jsonw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

int jsonw_finish(struct jsonw *w)
{
	if (w->err)
		return w->err;
	if (!w->done)
		return -EINVAL;
	return ferror(w->f) ? -EIO : 0;
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
	(void)fputc(obj ? '{' : '[', w->f);
}

static void close_container(struct jsonw *w, bool obj)
{
	if (w->err || w->in_str || w->have_key || w->depth == 0 || top_is_obj(w) != obj) {
		fail(w);
		return;
	}
	w->depth--;
	(void)fputc(obj ? '}' : ']', w->f);
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
		(void)fputc(',', w->f);
	w->members |= bit;
	(void)fputc('"', w->f);
	put_escaped(w->f, key, strlen(key));
	(void)fputs("\":", w->f);
	w->have_key = true;
}

void jsonw_str_begin(struct jsonw *w)
{
	if (!value_begin(w))
		return;
	(void)fputc('"', w->f);
	w->in_str = true;
}

void jsonw_str_add(struct jsonw *w, const char *p, size_t len)
{
	if (w->err || !w->in_str) {
		fail(w);
		return;
	}
	put_escaped(w->f, p, len);
}

void jsonw_str_end(struct jsonw *w)
{
	if (w->err || !w->in_str) {
		fail(w);
		return;
	}
	(void)fputc('"', w->f);
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
	char buf[NUM_U64_MAX];
	(void)fwrite(buf, 1, num_u64(buf, v), w->f);
	value_end(w);
}

void jsonw_int(struct jsonw *w, long long v)
{
	if (!value_begin(w))
		return;
	(void)fprintf(w->f, "%lld", v);
	value_end(w);
}

void jsonw_null(struct jsonw *w)
{
	if (!value_begin(w))
		return;
	(void)fputs("null", w->f);
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
