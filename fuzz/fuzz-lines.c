/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-lines.c - libFuzzer target for the live sources' parsers: the line
 * splitter (lines.h), the kmsg record (kmsg.h) and the saved positions of
 * the file and kmsg sources (restore() reads a state file that may be
 * damaged).
 *
 * The first byte picks max_line (1..64) and the second the size of each
 * write (1..256); the rest is fed to the splitter in those pieces, taking
 * every line after each, then flushed. Checked against a plain split of the
 * same bytes at '\n', a violation traps:
 *
 *   - the i-th line handed is the i-th line of the input, cut at max_line,
 *     and is overlong exactly when that line is longer than max_line;
 *   - a line holds no '\n' and lies inside the splitter's buffer;
 *   - after each write, consumed is the length of the lines handed plus
 *     their '\n', and what is pending is at most max_line plus the bytes
 *     of complete lines not yet taken (none: they were all taken);
 *   - after the flush, every byte is consumed.
 * The whole input is also parsed as a kmsg record (the message inside the
 * input, without '\n') and given to both restore() functions.
 *
 * Run: make build-fuzz/fuzz-lines && fuzz/run.sh 60 build-fuzz/fuzz-lines
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/kmsg.h"
#include "source/lines.h"
#include "source/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

struct ref {
	const char *p, *end; /* the input's lines not compared yet */
	size_t max_line;
	uint64_t consumed;
};

static void check_line(struct ref *r, const struct lines *l, struct span line, bool over)
{
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	size_t len = nl ? (size_t)(nl - r->p) : (size_t)(r->end - r->p);

	check(line.len == (len > r->max_line ? r->max_line : len));
	check(over == (len > r->max_line));
	check(memcmp(line.p, r->p, line.len) == 0);
	check(!line.len || !memchr(line.p, '\n', line.len));
	check(line.p >= l->buf && line.p + line.len <= l->buf + l->cap);
	r->consumed += len + (nl != NULL);
	r->p += len + (nl != NULL);
}

static void fuzz_lines(const uint8_t *data, size_t size)
{
	struct lines l;
	struct span line;
	bool over;

	if (size < 2)
		return;
	struct ref r = { .max_line = 1 + data[0] % 64 };
	size_t step = 1 + data[1];
	data += 2;
	size -= 2;
	r.p = (const char *)data;
	r.end = r.p + size;
	check(lines_init(&l, r.max_line, 128) == 0);
	for (size_t done = 0; done < size;) {
		size_t room, n = size - done < step ? size - done : step;
		char *p = lines_space(&l, &room);
		check(room > 0);
		if (n > room)
			n = room;
		memcpy(p, data + done, n);
		lines_commit(&l, n);
		done += n;
		while (lines_next(&l, &line, &over) == 1)
			check_line(&r, &l, line, over);
		check(lines_consumed(&l) == r.consumed);
		check(lines_pending(&l) <= r.max_line);
	}
	while (lines_flush(&l, &line, &over) == 1)
		check_line(&r, &l, line, over);
	check(lines_consumed(&l) == size);
	check(r.p == r.end);
	lines_done(&l);
}

static void fuzz_kmsg(const uint8_t *data, size_t size)
{
	struct kmsg_record rec;
	const char *p = (const char *)data;

	if (kmsg_record_parse(p, size, &rec) < 0)
		return;
	check(rec.msg.p >= p && rec.msg.p + rec.msg.len <= p + size);
	check(!rec.msg.len || !memchr(rec.msg.p, '\n', rec.msg.len));
}

static void fuzz_restore(const uint8_t *data, size_t size)
{
	struct source_opts o = { .max_line = 64 };
	struct source *s;
	char pos[SOURCE_POS_MAX];
	/* an exact-size copy: a read past the input is caught */
	char *buf = malloc(size ? size : 1);

	check(buf);
	memcpy(buf, data, size);
	check(source_file_new("/nonexistent/vigil-fuzz.log", &o, &s) == 0);
	if (s->ops->restore(s, buf, size) == 0) {
		size_t n = s->ops->save(s, pos, sizeof(pos));
		check(n > 0 && n < sizeof(pos) && strlen(pos) == n);
	}
	source_free(s);
	check(source_kmsg_new("/nonexistent/vigil-fuzz-kmsg", &o, &s) == 0);
	(void)s->ops->restore(s, buf, size);
	source_free(s);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_lines(data, size);
	fuzz_kmsg(data, size);
	fuzz_restore(data, size);
	return 0;
}
