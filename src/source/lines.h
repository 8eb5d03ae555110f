/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lines.h - split a byte stream into lines inside one fixed buffer.
 *
 * A byte backend (a followed file, a stream) writes what it read into
 * lines_space() and commits it; lines_next() hands out complete lines as
 * spans into the buffer, without the '\n': no allocation per line, no copy
 * but one memmove of the unfinished tail when the buffer is compacted.
 *
 * Invariants:
 *  - the buffer never grows: it holds `chunk + max_line + 1` bytes;
 *  - a line is handed out only when its '\n' has arrived: an unfinished
 *    last line (a live file read while it is written) stays in the buffer
 *    until the rest comes, or until lines_flush() says no more will;
 *  - a line longer than max_line is handed out cut at max_line with
 *    *ret_overlong set, when its '\n' arrives; the bytes past max_line are
 *    dropped as they come (counted in `dropped`), so one hostile line costs
 *    max_line bytes of memory whatever its length;
 *  - lines_consumed() counts the input bytes behind every line handed out
 *    (text, dropped rest and '\n'): a reader that started at offset o of a
 *    file resumes exactly after the last line handed at o + consumed.
 */
#ifndef VIGIL_LINES_H
#define VIGIL_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

struct lines {
	char *buf;
	size_t cap;        /* bytes of buf */
	size_t start, end; /* unread bytes are buf[start..end) */
	size_t scan;       /* bytes after start already searched for '\n' */
	size_t max_line;
	bool cutting;      /* the line at start passed max_line: drop until '\n' */
	bool cut_ready;    /* its '\n' arrived: the next line handed is overlong */
	uint64_t consumed; /* input bytes behind the lines handed out */
	uint64_t cut_dropped; /* bytes dropped of the line being cut, not handed */
	uint64_t dropped;  /* bytes of overlong lines past max_line */
	uint64_t overlong; /* lines cut */
};

/* chunk: the most a backend reads at once (0: 64 KiB); max_line 0: 8192.
 * 0 or -ENOMEM. */
int lines_init(struct lines *l, size_t max_line, size_t chunk);
void lines_done(struct lines *l); /* frees the buffer; idempotent */

/* Forget everything buffered (a file was truncated or replaced); counters
 * stay, consumed restarts at 0. */
void lines_reset(struct lines *l);

/* Where to write new bytes, and how many fit (0 when the buffer is full of
 * complete lines not yet handed out: call lines_next() first). */
char *lines_space(struct lines *l, size_t *ret_room);
/* n bytes were written at lines_space(). */
void lines_commit(struct lines *l, size_t n);

/* 1 and the next complete line, or 0 when none is complete yet. The span
 * is valid until the next call of any lines_* function. */
int lines_next(struct lines *l, struct span *ret_line, bool *ret_overlong);

/* No more input will come (end of a rotated file, end of a stream): hand
 * out the unfinished last line, if any (1), else 0. */
int lines_flush(struct lines *l, struct span *ret_line, bool *ret_overlong);

/* Bytes of an unfinished line held (what lines_flush() would hand out). */
static inline size_t lines_pending(const struct lines *l)
{
	return l->end - l->start;
}

static inline uint64_t lines_consumed(const struct lines *l)
{
	return l->consumed;
}

#endif
