/* SPDX-License-Identifier: GPL-2.0-or-later */
/* outbuf.c - the reports' output buffer (see outbuf.h). */
#include "report/outbuf.h"

#include <errno.h>
#include <stdarg.h>

void outbuf_init(struct outbuf *b, FILE *f)
{
	/* not buf: zeroing 64 KiB per report would be a waste */
	b->f = f;
	b->io_failed = false;
	b->len = 0;
}

static void write_out(struct outbuf *b, const char *p, size_t n)
{
	if (n && !b->io_failed && fwrite(p, 1, n, b->f) != n)
		b->io_failed = true; /* fwrite set ferror(f) too */
}

int outbuf_flush(struct outbuf *b)
{
	write_out(b, b->buf, b->len);
	b->len = 0;
	return b->io_failed || ferror(b->f) ? -EIO : 0;
}

void outbuf_put_slow(struct outbuf *b, const char *p, size_t n)
{
	(void)outbuf_flush(b);
	if (n < OUTBUF_SIZE) {
		memcpy(b->buf, p, n);
		b->len = n;
	} else {
		write_out(b, p, n);
	}
}

void outbuf_printf(struct outbuf *b, const char *fmt, ...)
{
	size_t room = OUTBUF_SIZE - b->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < room) {
		b->len += (size_t)n;
		return;
	}
	(void)outbuf_flush(b); /* did not fit: again, into an empty buffer */
	room = OUTBUF_SIZE;
	va_start(ap, fmt);
	n = vsnprintf(b->buf, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < room) {
		b->len = (size_t)n;
		return;
	}
	va_start(ap, fmt); /* bigger than the buffer (never in a report): straight to stdio */
	if (!b->io_failed && vfprintf(b->f, fmt, ap) < 0)
		b->io_failed = true;
	va_end(ap);
}
