/* SPDX-License-Identifier: GPL-2.0-or-later */
/* buf.h - a growable byte buffer with a hard ceiling (OpenSSH sshbuf's max).
 *
 * For answers built in memory before they go to a socket (the control
 * socket's status document). Invariants: len <= cap <= max once data is
 * allocated; data is NULL until the first byte; bytes are not
 * NUL-terminated. A write that would pass max writes nothing, sets the
 * sticky `overflow` flag and returns -ENOBUFS: the owner answers "too large"
 * instead of sending a document cut in the middle.
 */
#ifndef VIGIL_BUF_H
#define VIGIL_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct buf {
	char *data;
	size_t len;     /* bytes held */
	size_t cap;     /* bytes allocated */
	size_t max;     /* ceiling of len */
	bool overflow;  /* a write was refused for max (or for memory): sticky */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);   /* frees data; b can be used again */
void buf_reset(struct buf *b);     /* len = 0, overflow cleared, memory kept */
int buf_put(struct buf *b, const void *p, size_t n);       /* 0, -ENOBUFS, -ENOMEM */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Drop the first n bytes (a socket took them). */
void buf_consume(struct buf *b, size_t n);

/* A write-only stdio stream into b (glibc fopencookie), unbuffered: what
 * writes to a FILE (outbuf, jsonw) can write to memory. A write refused by
 * the ceiling is a stdio error (ferror). fclose() it before reading b. */
FILE *buf_fopen(struct buf *b);

#endif
