/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lines.c - the line splitter (see lines.h). */
#include "source/lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LINES_CHUNK_DEFAULT (64u << 10)
#define LINES_MAX_DEFAULT 8192u

int lines_init(struct lines *l, size_t max_line, size_t chunk)
{
	*l = (struct lines){ .max_line = max_line ? max_line : LINES_MAX_DEFAULT };
	if (!chunk)
		chunk = LINES_CHUNK_DEFAULT;
	if (l->max_line > SIZE_MAX / 4 || chunk > SIZE_MAX / 4)
		return -EINVAL;
	l->cap = chunk + l->max_line + 1;
	l->buf = malloc(l->cap);
	return l->buf ? 0 : -ENOMEM;
}

void lines_done(struct lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->cap = l->start = l->end = l->scan = 0;
}

void lines_reset(struct lines *l)
{
	l->start = l->end = l->scan = 0;
	l->cutting = l->cut_ready = false;
	l->consumed = l->cut_dropped = 0;
}

char *lines_space(struct lines *l, size_t *ret_room)
{
	if (l->start > 0 && (l->start == l->end || l->cap - l->end < l->cap / 2)) {
		/* compact: the unfinished tail (at most max_line bytes, plus
		 * complete lines the caller has not taken yet) moves once */
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	*ret_room = l->cap - 1 - l->end;
	return l->buf + l->end;
}

/* The line at start is longer than max_line: keep its head, drop the rest
 * of what is buffered (it holds no '\n', it was searched). */
static void lines_cut(struct lines *l)
{
	size_t keep = l->start + l->max_line;

	l->dropped += l->end - keep;
	l->cut_dropped += l->end - keep;
	l->end = keep;
	l->scan = l->max_line;
	l->cutting = true;
}

void lines_commit(struct lines *l, size_t n)
{
	size_t old_end = l->end;

	l->end += n;
	if (!l->cutting)
		return;
	/* inside the dropped rest of an overlong line: only its '\n' and what
	 * follows it are kept, right after the kept head */
	char *nl = memchr(l->buf + old_end, '\n', n);
	size_t drop = nl ? (size_t)(nl - (l->buf + old_end)) : n;

	l->dropped += drop;
	l->cut_dropped += drop;
	memmove(l->buf + old_end, l->buf + old_end + drop, n - drop);
	l->end -= drop;
	if (nl) {
		l->cutting = false;
		l->cut_ready = true;
	}
}

int lines_next(struct lines *l, struct span *ret_line, bool *ret_overlong)
{
	char *p = l->buf + l->start;
	size_t avail = l->end - l->start;

	if (l->cutting)
		return 0;
	char *nl = avail > l->scan ? memchr(p + l->scan, '\n', avail - l->scan) : NULL;
	if (!nl) {
		l->scan = avail;
		if (avail > l->max_line)
			lines_cut(l);
		return 0;
	}
	size_t n = (size_t)(nl - p);
	bool over = l->cut_ready || n > l->max_line; /* whole in one read */

	*ret_line = span_make(p, over ? l->max_line : n);
	*ret_overlong = over;
	if (over)
		l->overlong++;
	if (n > l->max_line)
		l->dropped += n - l->max_line;
	l->cut_ready = false;
	l->start += n + 1;
	l->scan = 0;
	l->consumed += n + 1 + l->cut_dropped;
	l->cut_dropped = 0;
	return 1;
}

int lines_flush(struct lines *l, struct span *ret_line, bool *ret_overlong)
{
	size_t avail = l->end - l->start;
	int r;

	if ((r = lines_next(l, ret_line, ret_overlong)) != 0)
		return r;
	if (!avail && !l->cutting)
		return 0;
	avail = l->end - l->start; /* lines_next() may have cut it */
	*ret_line = span_make(l->buf + l->start, avail);
	*ret_overlong = l->cutting;
	if (l->cutting)
		l->overlong++;
	l->consumed += avail + l->cut_dropped;
	l->cut_dropped = 0;
	l->start = l->end = l->scan = 0;
	l->cutting = l->cut_ready = false;
	return 1;
}
