/* SPDX-License-Identifier: GPL-2.0-or-later */
/* journal.c - the kernel transport of the systemd journal (sd-journal).
 *
 * Spec "journal" reads the local journal (SD_JOURNAL_LOCAL_ONLY), "journal:DIR"
 * the journal files of one directory (a private journald, a copy). Only
 * entries matching _TRANSPORT=kernel are read, and the record's kernel flag
 * and facility come from the journal's trusted fields (_TRANSPORT,
 * SYSLOG_FACILITY), never from the text: user space cannot write an entry
 * of the kernel transport.
 *
 * Position: the cursor of the last entry handed over ("cursor=<...>"). A
 * fresh source starts at the tail (nothing old is replayed); a restored one
 * seeks its cursor and goes on after it. When that entry is gone (vacuumed,
 * rotated away while vigil was down) reading resumes at the first entry
 * after where it was, and the gap is counted as lost (once: how many
 * entries went is unknown).
 *
 * The fd polled is an epoll fd holding sd_journal_get_fd()'s inotify fd and
 * an eventfd the source kicks itself with: inotify announces only changes,
 * not entries already there when the source opens nor those a read() left
 * for the next one when its budget ran out. read() calls
 * sd_journal_process() (which also follows rotation: SD_JOURNAL_INVALIDATE)
 * and then sd_journal_next() up to the budget. The cursor string is taken
 * once per read() that handed something over, not once per entry.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "source/source.h"

#define JOURNAL_MAX_LINE_DEFAULT 8192

struct journal_source {
	struct source s;
	sd_journal *j;
	int fd;                /* epoll: the journal's fd + kick */
	int kick;              /* eventfd: entries may be waiting */
	bool opened_once;
	bool pending;          /* the current entry was not handed over yet */
	char dir[4096];        /* "" = the local journal */
	char cursor[SOURCE_POS_MAX]; /* of the last entry handed over; "" none */
	bool have_cursor;
};

static struct journal_source *js_of(struct source *s)
{
	return (struct journal_source *)s;
}

static const struct journal_source *js_ofc(const struct source *s)
{
	return (const struct journal_source *)s;
}

static void js_error(struct journal_source *js, const char *what, int r)
{
	/* the directory is in the spec, which status shows beside the error */
	snprintf(js->s.error, sizeof(js->s.error), "journal: %s: %s", what,
		 strerror(r < 0 ? -r : r));
	js->s.n.errors++;
}

static void js_close(struct source *s)
{
	struct journal_source *js = js_of(s);

	if (js->j)
		sd_journal_close(js->j);
	js->j = NULL;
	if (js->fd >= 0)
		close(js->fd);
	if (js->kick >= 0)
		close(js->kick);
	js->fd = js->kick = -1;
	js->pending = false;
}

/* Keep the current entry's cursor (after it was handed over). */
static void js_take_cursor(struct journal_source *js)
{
	char *c = NULL;

	if (sd_journal_get_cursor(js->j, &c) < 0 || !c)
		return;
	size_t n = strlen(c);
	if (n + sizeof("cursor=") <= sizeof(js->cursor)) {
		memcpy(js->cursor, c, n + 1);
		js->have_cursor = true;
	}
	free(c);
}

/* Position a freshly opened journal: after the saved cursor, or at the tail. */
static int js_seek(struct journal_source *js)
{
	int r;

	if (!js->have_cursor) {
		if ((r = sd_journal_seek_tail(js->j)) < 0)
			return r;
		/* on the last entry (handed over already: it is the past); an
		 * empty journal stays at its tail */
		r = sd_journal_previous(js->j);
		return r < 0 ? r : 0;
	}
	if ((r = sd_journal_seek_cursor(js->j, js->cursor)) < 0)
		return r;
	r = sd_journal_next(js->j);
	if (r < 0)
		return r;
	if (r == 0) /* nothing at or after the cursor (yet): go on from there */
		return 0;
	if (sd_journal_test_cursor(js->j, js->cursor) > 0)
		return 0; /* on the saved entry: the next read() starts after it */
	/* The saved entry is gone: this one is the first after where it was.
	 * Entries between may have been lost with it: how many is unknown. */
	js->pending = true;
	js->s.n.lost++;
	js->s.n.lost_events++;
	snprintf(js->s.error, sizeof(js->s.error),
		 "journal: the saved cursor's entry is gone (vacuumed or rotated away); "
		 "resumed after it, entries between may be lost");
	return 0;
}

static void js_kick(struct journal_source *js)
{
	uint64_t one = 1;

	if (write(js->kick, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is full, so it is readable anyway */
	}
}

/* The fd the loop polls: journal inotify + kick, kicked once (the journal
 * may hold entries after the cursor already). */
static int js_make_fd(struct journal_source *js)
{
	struct epoll_event e = { .events = EPOLLIN };
	int jfd = sd_journal_get_fd(js->j);

	if (jfd < 0)
		return jfd;
	js->fd = epoll_create1(EPOLL_CLOEXEC);
	js->kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (js->fd < 0 || js->kick < 0)
		return -errno;
	if (epoll_ctl(js->fd, EPOLL_CTL_ADD, jfd, &e) < 0 ||
	    epoll_ctl(js->fd, EPOLL_CTL_ADD, js->kick, &e) < 0)
		return -errno;
	js_kick(js);
	return 0;
}

static int js_open(struct source *s)
{
	struct journal_source *js = js_of(s);
	int r;

	if (js->j)
		return 0;
	if (js->opened_once)
		s->n.reopened++;
	if (js->dir[0])
		r = sd_journal_open_directory(&js->j, js->dir, 0);
	else
		r = sd_journal_open(&js->j, SD_JOURNAL_LOCAL_ONLY);
	if (r < 0) {
		js->j = NULL;
		js_error(js, "open", r);
		return r;
	}
	/* Fields larger than this come back cut (compressed ones): a message
	 * past max_line is cut anyway. */
	(void)sd_journal_set_data_threshold(js->j, s->opts.max_line + sizeof("MESSAGE="));
	if ((r = sd_journal_add_match(js->j, "_TRANSPORT=kernel", 0)) < 0 ||
	    (r = js_seek(js)) < 0) {
		js_error(js, "seek", r);
		js_close(s);
		return r;
	}
	if ((r = js_make_fd(js)) < 0) {
		js_error(js, "inotify", r);
		js_close(s);
		return r;
	}
	js->opened_once = true;
	return 0;
}

static int js_fd(const struct source *s)
{
	return js_ofc(s)->fd;
}

/* Field value of the current entry ("NAME=value" -> value). */
static bool js_field(sd_journal *j, const char *name, size_t name_len, struct span *ret)
{
	const void *d;
	size_t l;

	if (sd_journal_get_data(j, name, &d, &l) < 0 || l < name_len + 1)
		return false;
	*ret = span_make((const char *)d + name_len + 1, l - name_len - 1);
	return true;
}

/* Hand over the current entry. */
static void js_deliver(struct journal_source *js, source_record_fn *cb, void *data)
{
	struct source_record rec = { .kind = SOURCE_MESSAGE, .facility = -1 };
	struct span v;
	uint64_t usec;

	if (js_field(js->j, "_TRANSPORT", 10, &v))
		rec.kernel = span_eq(v, "kernel", 6);
	if (js_field(js->j, "SYSLOG_FACILITY", 15, &v)) {
		uint32_t f;
		if (span_to_u32(v, &f) == 0 && f < 24)
			rec.facility = (int)f;
	}
	if (!js_field(js->j, "MESSAGE", 7, &v))
		v = span_make(NULL, 0);
	/* A binary MESSAGE (NUL, newlines: journald stores it as is) is handed
	 * over as bytes: the parser refuses control bytes and counts them. */
	if (v.len > js->s.opts.max_line) {
		v.len = js->s.opts.max_line;
		rec.overlong = true;
		js->s.n.overlong++;
	}
	rec.text = v;
	if (sd_journal_get_realtime_usec(js->j, &usec) == 0 && usec <= INT64_MAX) {
		rec.when_us = (int64_t)usec;
		rec.time_trusted = true;
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		rec.when_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	}
	js->s.n.records++;
	js->s.n.bytes += v.len;
	cb(&rec, data);
}

static int js_read(struct source *s, size_t budget, source_record_fn *cb, void *data)
{
	struct journal_source *js = js_of(s);
	size_t n = 0;
	int r;

	if (!js->j)
		return -EBADF;
	uint64_t kicks;
	if (read(js->kick, &kicks, sizeof(kicks)) < 0) {
		/* EAGAIN: not kicked, inotify woke us */
	}
	r = sd_journal_process(js->j); /* NOP, APPEND or INVALIDATE (files came or went) */
	if (r < 0) {
		js_error(js, "process", r);
		return r;
	}
	if (js->pending && budget) {
		js->pending = false;
		js_deliver(js, cb, data);
		n++;
	}
	while (n < budget) {
		r = sd_journal_next(js->j);
		if (r < 0) {
			js_error(js, "next", r);
			if (n)
				js_take_cursor(js);
			return r;
		}
		if (r == 0)
			break;
		js_deliver(js, cb, data);
		n++;
	}
	if (n)
		js_take_cursor(js);
	if (n == budget)
		js_kick(js); /* more may wait: inotify will not say so again */
	return (int)n;
}

static int js_tick(struct source *s, int64_t now_mono_us, source_record_fn *cb, void *data)
{
	return 0; /* the inotify fd announces everything of a local journal */
}

static size_t js_save(const struct source *s, char *buf, size_t len)
{
	const struct journal_source *js = js_ofc(s);
	int n;

	if (!js->have_cursor)
		return 0;
	n = snprintf(buf, len, "cursor=%s", js->cursor);
	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

static int js_restore(struct source *s, const char *pos, size_t len)
{
	struct journal_source *js = js_of(s);
	const size_t k = sizeof("cursor=") - 1;

	if (len <= k || memcmp(pos, "cursor=", k) != 0 || len - k >= sizeof(js->cursor))
		return -EINVAL;
	for (size_t i = k; i < len; i++) /* a cursor is printable text: "s=...;i=...;..." */
		if ((unsigned char)pos[i] <= ' ' || (unsigned char)pos[i] >= 0x7f)
			return -EINVAL;
	memcpy(js->cursor, pos + k, len - k);
	js->cursor[len - k] = '\0';
	js->have_cursor = true;
	return 0;
}

static void js_free(struct source *s)
{
	js_close(s);
	free(s);
}

static const struct source_ops journal_ops = {
	.kind = "journal",
	.open = js_open,
	.fd = js_fd,
	.read = js_read,
	.tick = js_tick,
	.save = js_save,
	.restore = js_restore,
	.close = js_close,
	.free = js_free,
};

int source_journal_new(const char *arg, const struct source_opts *o, struct source **ret)
{
	struct journal_source *js;

	if (arg && arg[0]) {
		struct stat st;
		if (strlen(arg) >= sizeof(js->dir) || arg[0] != '/')
			return -EINVAL; /* an absolute directory: the daemon changes its cwd */
		if (stat(arg, &st) == 0 && !S_ISDIR(st.st_mode))
			return -ENOTDIR;
	}
	js = calloc(1, sizeof(*js));
	if (!js)
		return -ENOMEM;
	js->s.ops = &journal_ops;
	snprintf(js->s.spec, sizeof(js->s.spec), "journal%s%s", arg && arg[0] ? ":" : "",
		 arg ? arg : "");
	if (o)
		js->s.opts = *o;
	if (!js->s.opts.max_line)
		js->s.opts.max_line = JOURNAL_MAX_LINE_DEFAULT;
	if (arg && arg[0])
		snprintf(js->dir, sizeof(js->dir), "%s", arg);
	js->fd = js->kick = -1;
	*ret = &js->s;
	return 0;
}
