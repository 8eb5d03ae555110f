/* SPDX-License-Identifier: GPL-2.0-or-later */
/* outbuf.h - the reports' output buffer in front of a FILE.
 *
 * A report is written in many small pieces (a key, a port span, a ',').
 * They are collected in a fixed OUTBUF_SIZE buffer and handed to fwrite()
 * when it fills and at outbuf_flush(): one stdio call per 64 KiB instead of
 * one per piece. No allocation; the buffer lives in the struct.
 *
 * Invariants: len <= OUTBUF_SIZE; bytes in buf are not in the FILE yet, so
 * whoever shares the FILE calls outbuf_flush() before writing to it. After
 * a short write nothing more is written (io_failed) and outbuf_flush()
 * returns -EIO, as does any stdio error on the FILE.
 */
#ifndef VIGIL_OUTBUF_H
#define VIGIL_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define OUTBUF_SIZE (64 * 1024)

struct outbuf {
	FILE *f;
	bool io_failed; /* a write came back short: stop writing */
	size_t len;     /* bytes in buf not yet given to f */
	char buf[OUTBUF_SIZE];
};

void outbuf_init(struct outbuf *b, FILE *f);
/* Hands what is buffered to stdio: 0, or -EIO when a write failed (now or
 * before) or the FILE has its error flag set. Does not fflush() the FILE. */
int outbuf_flush(struct outbuf *b);

/* Writes p (any size) when it does not fit in the room left. */
void outbuf_put_slow(struct outbuf *b, const char *p, size_t n);

/* printf into the buffer. */
__attribute__((format(printf, 2, 3)))
void outbuf_printf(struct outbuf *b, const char *fmt, ...);

static inline void outbuf_put(struct outbuf *b, const char *p, size_t n)
{
	if (n > OUTBUF_SIZE - b->len) {
		outbuf_put_slow(b, p, n);
		return;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static inline void outbuf_puts(struct outbuf *b, const char *s)
{
	outbuf_put(b, s, strlen(s));
}

static inline void outbuf_putc(struct outbuf *b, char c)
{
	if (b->len == OUTBUF_SIZE)
		(void)outbuf_flush(b);
	b->buf[b->len++] = c;
}

/* Room for n (<= OUTBUF_SIZE) more bytes: write them at the returned
 * pointer, then add what was used to b->len. */
static inline char *outbuf_reserve(struct outbuf *b, size_t n)
{
	if (n > OUTBUF_SIZE - b->len)
		(void)outbuf_flush(b);
	return b->buf + b->len;
}

#endif
