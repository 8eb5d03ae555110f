/* SPDX-License-Identifier: GPL-2.0-or-later */
/* buf.c - growable byte buffer with a ceiling (see buf.h). */
#include "util/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
	*b = (struct buf){ .max = max };
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->overflow = false;
}

/* Room for n more bytes: doubling, but never past max. */
static int reserve(struct buf *b, size_t n)
{
	size_t want, cap;
	char *p;

	if (b->overflow || n > b->max - b->len) {
		b->overflow = true;
		return -ENOBUFS;
	}
	want = b->len + n;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	if (cap > b->max)
		cap = b->max;
	while (cap < want)
		cap = cap > b->max / 2 ? b->max : cap * 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->overflow = true;
		return -ENOMEM;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_put(struct buf *b, const void *p, size_t n)
{
	int r = reserve(b, n);

	if (r < 0)
		return r;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, r;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	r = reserve(b, (size_t)n + 1); /* vsnprintf writes the NUL too */
	if (r < 0)
		return r;
	va_start(ap, fmt);
	(void)vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

static ssize_t cookie_write(void *cookie, const char *p, size_t n)
{
	/* glibc treats a short count as an error; -1 sets the stream's error flag */
	return buf_put(cookie, p, n) < 0 ? -1 : (ssize_t)n;
}

FILE *buf_fopen(struct buf *b)
{
	cookie_io_functions_t io = { .write = cookie_write };
	FILE *f = fopencookie(b, "w", io);

	if (f)
		(void)setvbuf(f, NULL, _IONBF, 0); /* outbuf already batches */
	return f;
}
