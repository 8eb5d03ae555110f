/* SPDX-License-Identifier: GPL-2.0-or-later */
/* follow.c - file:PATH, a log file followed as it is written (source.h).
 *
 * The file is read without blocking and split by lines.h; inotify wakes us
 * (a watch on the file's inode for writes, one on its directory for
 * renames, creations and deletions). The fd the loop polls is a small epoll
 * set of the inotify fd and an eventfd we signal ourselves when work is
 * left that no inotify event announces (a budget ran out, a file was found
 * by tick(), a backlog after open()). Nothing busy-polls: tick() only looks
 * for a missing path, with back-off.
 *
 * Where reading starts:
 *  - no saved position: at the end, after the last complete line (an
 *    unfinished one being written is read whole);
 *  - a saved "dev=<d> ino=<i> off=<o> fp=<hex>": the file at PATH if it is
 *    the same inode and its first min(64, off) bytes still hash to fp
 *    (FNV-1a 64): exactly after the last line handed. Same inode but
 *    shorter or rewritten: truncated, read from 0. Another inode (rotated
 *    while vigil was down): the old file is looked for as PATH.1 (logrotate's
 *    name without dateext); if it is there with that inode and fingerprint,
 *    its rest is read first, then PATH from 0; else PATH from 0.
 *  - a file that appears after vigil started: from 0.
 *
 * Rotation: rename+create is seen when PATH names another inode. The old
 * file is kept open and read to its end; we switch when the new file has
 * data (until then the writer may still append to the old one), handing
 * the old file's unfinished last line first. copytruncate is seen when the
 * file is shorter than our offset or its first bytes changed; if PATH.1 is
 * the copy (same first bytes, at least our offset long), the lines we had
 * not read yet are read from it, then PATH from 0. A file that vanishes or
 * shrinks is reported in s->error and counted, never fatal; a missing path
 * is looked for again on directory events and by tick() with back-off.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "source/lines.h"
#include "source/source.h"

#define FOLLOW_CHUNK (64u << 10)
#define FP_MAX 64                /* bytes of the file's head in the fingerprint */
#define TAIL_WINDOW (64u << 10)  /* start at end: look this far back for '\n' */
#define RETRY_MIN_US 1000000
#define RETRY_MAX_US 30000000

struct follow {
	struct source s;
	char path[PATH_MAX];
	char dir[PATH_MAX];
	char old_path[PATH_MAX + 2]; /* PATH.1 */
	int ep, ino, wake;           /* the polled set: inotify + eventfd */
	int wd_dir, wd_file, wd_next;
	int fd;                      /* the file being read, or -1 */
	dev_t dev;
	ino_t inode;
	uint64_t off;                /* next byte read() takes from fd */
	uint64_t start;              /* offset where the splitter's input began */
	unsigned char head[FP_MAX];  /* the file's first bytes, for fingerprints */
	size_t head_len;
	struct lines lines;
	bool opened_once;            /* later finds of the file read from 0 */
	bool gone;                   /* the path is missing: reported, looked for */
	int64_t retry_at, retry_us;
	bool have_pos;               /* a position to resume from at the next open */
	uint64_t pos_dev, pos_ino, pos_off, pos_fp;
};

static const struct source_ops follow_ops;

static struct follow *to_follow(struct source *s)
{
	return (struct follow *)s;
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The fingerprint of a file read up to off: its first min(FP_MAX, off)
 * bytes, which an append-only log never changes. -1 if it is shorter. */
static int fingerprint_fd(int fd, uint64_t off, uint64_t *ret)
{
	unsigned char b[FP_MAX];
	size_t n = off < FP_MAX ? (size_t)off : FP_MAX;
	ssize_t got = n ? pread(fd, b, n, 0) : 0;

	if (got < 0 || (size_t)got != n)
		return -1;
	*ret = fnv1a(b, n);
	return 0;
}

/* For status, beside the spec that names the file. */
static void set_error(struct follow *f, const char *what)
{
	snprintf(f->s.error, sizeof(f->s.error), "%s", what);
}

static void poke(struct follow *f)
{
	uint64_t one = 1;

	if (f->wake >= 0)
		(void)!write(f->wake, &one, sizeof(one));
}

int source_file_new(const char *path, const struct source_opts *o, struct source **ret)
{
	struct follow *f;
	const char *slash;
	int r;

	if (!path || !*path || strlen(path) >= sizeof(f->path) - 2)
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->s.ops = &follow_ops;
	f->s.opts = *o;
	f->ep = f->ino = f->wake = f->fd = -1;
	f->wd_dir = f->wd_file = f->wd_next = -1;
	snprintf(f->path, sizeof(f->path), "%s", path);
	snprintf(f->old_path, sizeof(f->old_path), "%s.1", path);
	slash = strrchr(path, '/');
	if (!slash)
		snprintf(f->dir, sizeof(f->dir), ".");
	else if (slash == path)
		snprintf(f->dir, sizeof(f->dir), "/");
	else
		snprintf(f->dir, sizeof(f->dir), "%.*s", (int)(slash - path), path);
	snprintf(f->s.spec, sizeof(f->s.spec), "file:%.250s", path);
	r = lines_init(&f->lines, o->max_line, FOLLOW_CHUNK);
	if (r < 0) {
		free(f);
		return r;
	}
	f->retry_us = RETRY_MIN_US;
	*ret = &f->s;
	return 0;
}

/* --- the file being read ------------------------------------------------ */

static void head_refresh(struct follow *f)
{
	ssize_t n = pread(f->fd, f->head, FP_MAX, 0);

	f->head_len = n > 0 ? (size_t)n : 0;
}

/* The fingerprint of the current file at off, from the cached head. */
static uint64_t head_fp(const struct follow *f, uint64_t off)
{
	size_t n = off < FP_MAX ? (size_t)off : FP_MAX;

	return fnv1a(f->head, n < f->head_len ? n : f->head_len);
}

static void watch_file(struct follow *f)
{
	char proc[64];
	const uint32_t mask = IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF;

	if (f->wd_file >= 0 && f->wd_file != f->wd_next)
		(void)inotify_rm_watch(f->ino, f->wd_file);
	/* the inode we hold, not whatever the path names by now */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->fd);
	f->wd_file = inotify_add_watch(f->ino, proc, mask);
	if (f->wd_file < 0)
		f->wd_file = inotify_add_watch(f->ino, f->path, mask);
	f->wd_next = -1;
}

/* Make fd (at offset off) the file being read. */
static void take_file(struct follow *f, int fd, const struct stat *st, uint64_t off)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = fd;
	f->dev = st->st_dev;
	f->inode = st->st_ino;
	f->off = f->start = off;
	lines_reset(&f->lines);
	head_refresh(f);
	if (f->ino >= 0)
		watch_file(f);
}

static int open_regular(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		int r = S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL;
		close(fd);
		return r;
	}
	return fd;
}

/* Start at the end, after the last complete line. */
static uint64_t tail_offset(int fd, uint64_t size)
{
	size_t win = size < TAIL_WINDOW ? (size_t)size : TAIL_WINDOW;
	char *buf = win ? malloc(win) : NULL;
	ssize_t n = buf ? pread(fd, buf, win, (off_t)(size - win)) : 0;
	const char *nl = n > 0 ? memrchr(buf, '\n', (size_t)n) : NULL;
	uint64_t off;

	if (n <= 0)
		off = size;
	else if (nl)
		off = size - (uint64_t)n + (uint64_t)(nl - buf) + 1;
	else /* one unfinished line, or inside a huge one */
		off = (uint64_t)n == size ? 0 : size;
	free(buf);
	return off;
}

/* PATH.1 if it holds the file we were reading (same first bytes, at least
 * off long): its fd, else -1. */
static int find_old_copy(struct follow *f, uint64_t off, uint64_t fp, const ino_t *want_ino,
			 struct stat *st)
{
	uint64_t got;
	int fd = open_regular(f->old_path, st);

	if (fd < 0)
		return -1;
	if ((want_ino && st->st_ino != *want_ino) || (uint64_t)st->st_size < off ||
	    fingerprint_fd(fd, off, &got) < 0 || got != fp) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Where to start in the file just opened at PATH (fd, st). May replace fd
 * by PATH.1 (the rest of a file rotated while vigil was down). */
static void place(struct follow *f, int fd, const struct stat *st)
{
	uint64_t fp, size = (uint64_t)st->st_size;

	if (!f->have_pos) {
		take_file(f, fd, st, f->opened_once ? 0 : tail_offset(fd, size));
		return;
	}
	f->have_pos = false;
	if (st->st_dev == f->pos_dev && st->st_ino == f->pos_ino) {
		if (size >= f->pos_off && fingerprint_fd(fd, f->pos_off, &fp) == 0 &&
		    fp == f->pos_fp) {
			take_file(f, fd, st, f->pos_off);
			return;
		}
		f->s.n.truncations++;
		set_error(f, "shrank or changed while vigil was down; read from the start");
		take_file(f, fd, st, 0);
		return;
	}
	struct stat ost;
	ino_t want = (ino_t)f->pos_ino;
	int old = find_old_copy(f, f->pos_off, f->pos_fp, &want, &ost);
	if (old >= 0 && ost.st_dev == f->pos_dev) {
		/* read the old file's rest; the rotation check switches to
		 * PATH (and counts the rotation) */
		close(fd);
		take_file(f, old, &ost, f->pos_off);
		return;
	}
	if (old >= 0)
		close(old);
	f->s.n.rotations++;
	set_error(f, "replaced while vigil was down, the old file is not PATH.1; "
		     "read the new one from the start");
	take_file(f, fd, st, 0);
}

/* Open PATH if it exists now. 0, or -errno (the path stays missing). */
static int find_file(struct follow *f)
{
	struct stat st;
	int fd = open_regular(f->path, &st);

	if (fd < 0) {
		if (!f->gone) {
			f->gone = true;
			f->s.n.errors++;
			set_error(f, fd == -ENOENT ? "does not exist; waiting for it"
				     : fd == -EISDIR ? "is a directory"
				     : fd == -EINVAL ? "is not a regular file"
						     : strerror(-fd));
		}
		f->opened_once = true;
		return fd;
	}
	f->s.error[0] = '\0';
	place(f, fd, &st); /* may say why it starts where it does */
	if (f->gone) {
		f->gone = false;
		f->s.n.reopened++;
	}
	f->opened_once = true;
	f->retry_us = RETRY_MIN_US;
	poke(f); /* a backlog may wait: no event will announce it */
	return 0;
}

/* --- the polled set ------------------------------------------------------- */

static void watch_dir(struct follow *f)
{
	if (f->wd_dir >= 0)
		return;
	f->wd_dir = inotify_add_watch(f->ino, f->dir,
				      IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
					      IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
}

static int follow_open(struct source *s)
{
	struct follow *f = to_follow(s);
	struct epoll_event ev = { .events = EPOLLIN };

	if (f->ep >= 0)
		return 0;
	f->ep = epoll_create1(EPOLL_CLOEXEC);
	f->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	f->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (f->ep < 0 || f->ino < 0 || f->wake < 0 ||
	    epoll_ctl(f->ep, EPOLL_CTL_ADD, f->ino, &ev) < 0 ||
	    epoll_ctl(f->ep, EPOLL_CTL_ADD, f->wake, &ev) < 0) {
		int r = -errno;
		set_error(f, "cannot set up inotify");
		s->ops->close(s);
		return r;
	}
	watch_dir(f); /* a missing directory is looked for by tick() */
	(void)find_file(f);
	return 0;
}

static int follow_fd(const struct source *s)
{
	return ((const struct follow *)s)->ep;
}

/* Read every pending inotify event: they only say "look again". */
static void drain_events(struct follow *f)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	uint64_t cnt;
	ssize_t n;

	while ((n = read(f->ino, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)(void *)p;
			if (e->mask & IN_IGNORED) {
				if (e->wd == f->wd_dir)
					f->wd_dir = -1;
				if (e->wd == f->wd_file)
					f->wd_file = -1;
				if (e->wd == f->wd_next)
					f->wd_next = -1;
			}
			p += sizeof(*e) + e->len;
		}
	}
	(void)!read(f->wake, &cnt, sizeof(cnt));
}

/* --- reading -------------------------------------------------------------- */

static ssize_t fill(struct follow *f);

static void hand(struct follow *f, struct span line, bool overlong, int64_t now_us,
		 source_record_fn *cb, void *data)
{
	struct source_record r = {
		.kind = SOURCE_LINE,
		.text = line,
		.overlong = overlong,
		.facility = -1,
		.when_us = now_us,
	};

	if (overlong)
		f->s.n.overlong++;
	f->s.n.records++;
	cb(&r, data);
}

/* Hand the unfinished last line of a file no one will write again. */
static size_t flush_rest(struct follow *f, int64_t now_us, source_record_fn *cb, void *data)
{
	struct span line;
	bool over;
	size_t n = 0;

	while (lines_flush(&f->lines, &line, &over) == 1) {
		hand(f, line, over, now_us, cb, data);
		n++;
	}
	return n;
}

/* Was the file truncated (copytruncate) or rewritten in place under us?
 * Then go on from the copy at PATH.1 if it is there, else from 0. */
static bool check_truncated(struct follow *f, int64_t now_us, size_t *handed,
			    source_record_fn *cb, void *data)
{
	struct stat st;
	unsigned char b[FP_MAX];
	size_t n = f->head_len;

	if (fstat(f->fd, &st) < 0)
		return false;
	bool shrank = (uint64_t)st.st_size < f->off;
	bool rewritten = !shrank && n && (pread(f->fd, b, n, 0) != (ssize_t)n || memcmp(b, f->head, n));
	if (!shrank && !rewritten)
		return false;
	struct stat ost;
	int old = find_old_copy(f, f->off, head_fp(f, f->off), NULL, &ost);
	if (old >= 0 && ost.st_ino != f->inode) {
		/* the copy holds what we read and what we had not: go on there,
		 * the splitter keeps its unfinished line (same bytes) */
		set_error(f, "truncated (copytruncate): read the rest from PATH.1");
		/* a rotation followed, not a truncation: nothing was lost (the
		 * switch back to PATH counts it) */
		close(f->fd);
		f->fd = old;
		f->dev = ost.st_dev;
		f->inode = ost.st_ino;
		watch_file(f);
		return true;
	}
	if (old >= 0)
		close(old);
	f->s.n.truncations++; /* what was written past our offset is gone */
	set_error(f, shrank ? "truncated; read from the start" : "rewritten; read from the start");
	*handed += flush_rest(f, now_us, cb, data);
	f->off = f->start = 0;
	lines_reset(&f->lines);
	head_refresh(f);
	return true;
}

/* At the end of the file: has PATH moved on to another file? Switch when
 * that one has data; note a vanished path. true: read again. */
static bool check_rotated(struct follow *f, int64_t now_us, size_t *handed,
			  source_record_fn *cb, void *data)
{
	struct stat st;
	int fd;

	if (stat(f->path, &st) < 0) {
		if (!f->gone) {
			f->gone = true;
			f->s.n.errors++;
			set_error(f, "vanished; reading what is left of the old file");
		}
		return false;
	}
	if (st.st_dev == f->dev && st.st_ino == f->inode)
		return false;
	if (st.st_size == 0) {
		/* created, not written yet: the writer may still append to the
		 * old file; watch the new one to know when it starts */
		if (f->wd_next < 0)
			f->wd_next = inotify_add_watch(f->ino, f->path, IN_MODIFY);
		return false;
	}
	/* the writer has moved to the new file: whatever it wrote to the old
	 * one since our last read is there now; read it before leaving */
	if (fill(f) > 0)
		return true;
	fd = open_regular(f->path, &st);
	if (fd < 0)
		return false;
	*handed += flush_rest(f, now_us, cb, data);
	f->s.n.rotations++;
	if (f->gone) {
		f->gone = false;
		f->s.n.reopened++;
	}
	f->s.error[0] = '\0';
	f->retry_us = RETRY_MIN_US;
	take_file(f, fd, &st, 0);
	return true;
}

/* Read more of the file into the splitter: bytes read, 0 at its end
 * (or when the splitter is full of lines not taken yet). */
static ssize_t fill(struct follow *f)
{
	size_t room;
	char *p = lines_space(&f->lines, &room);
	ssize_t n;

	if (!room)
		return 0;
	do /* at our offset: the fd's own is never used */
		n = pread(f->fd, p, room, (off_t)f->off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	lines_commit(&f->lines, (size_t)n);
	f->off += (uint64_t)n;
	f->s.n.bytes += (uint64_t)n;
	if (f->head_len < FP_MAX && f->off > f->head_len)
		head_refresh(f);
	return n;
}

static int64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int follow_read(struct source *s, size_t budget, source_record_fn *cb, void *data)
{
	struct follow *f = to_follow(s);
	int64_t now = wall_us();
	size_t handed = 0;
	struct span line;
	bool over;

	if (f->ep < 0)
		return 0;
	drain_events(f);
	if (f->fd < 0 && find_file(f) < 0)
		return 0;
	(void)check_truncated(f, now, &handed, cb, data);
	while (handed < budget) {
		if (lines_next(&f->lines, &line, &over) == 1) {
			hand(f, line, over, now, cb, data);
			handed++;
			continue;
		}
		ssize_t n = fill(f);
		if (n > 0)
			continue;
		if (n < 0) {
			f->s.n.errors++;
			set_error(f, strerror((int)-n));
			return (int)n;
		}
		if (check_truncated(f, now, &handed, cb, data) ||
		    check_rotated(f, now, &handed, cb, data))
			continue;
		break;
	}
	if (handed >= budget)
		poke(f); /* more may be left: come back after the others */
	return (int)handed;
}

static int follow_tick(struct source *s, int64_t now_mono_us, source_record_fn *cb, void *data)
{
	struct follow *f = to_follow(s);

	if (f->ep < 0 || (!f->gone && f->fd >= 0 && f->wd_dir >= 0))
		return 0; /* inotify tells all */
	if (now_mono_us < f->retry_at)
		return 0;
	watch_dir(f);
	if (f->fd < 0 && find_file(f) == 0)
		return 0;
	if (f->fd >= 0 && f->gone)
		poke(f); /* read() looks at the path again */
	f->retry_at = now_mono_us + f->retry_us;
	f->retry_us = f->retry_us * 2 > RETRY_MAX_US ? RETRY_MAX_US : f->retry_us * 2;
	return 0;
}

/* --- position ------------------------------------------------------------- */

static size_t follow_save(const struct source *s, char *buf, size_t len)
{
	const struct follow *f = (const struct follow *)s;
	unsigned long long dev, ino, off, fp;
	int n;

	if (f->fd >= 0) {
		off = f->start + lines_consumed(&f->lines);
		dev = f->dev;
		ino = f->inode;
		fp = head_fp(f, off);
	} else if (f->have_pos) {
		dev = f->pos_dev;
		ino = f->pos_ino;
		off = f->pos_off;
		fp = f->pos_fp;
	} else {
		return 0;
	}
	n = snprintf(buf, len, "dev=%llu ino=%llu off=%llu fp=%016llx", dev, ino, off, fp);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

static int parse_hex64(struct span s, uint64_t *ret)
{
	uint64_t v = 0;

	if (!s.len || s.len > 16)
		return -EINVAL;
	for (size_t i = 0; i < s.len; i++) {
		int d = span_hexval(s.p[i]);
		if (d < 0)
			return -EINVAL;
		v = v << 4 | (uint64_t)d;
	}
	*ret = v;
	return 0;
}

static int follow_restore(struct source *s, const char *pos, size_t len)
{
	struct follow *f = to_follow(s);
	struct span rest = span_make(pos, len), tok;
	uint64_t v[4];
	unsigned seen = 0;
	static const char *const keys[4] = { "dev=", "ino=", "off=", "fp=" };

	while (span_next_token(&rest, ' ', &tok)) {
		int i;
		for (i = 0; i < 4; i++)
			if (span_take_prefix(&tok, keys[i], strlen(keys[i])))
				break;
		if (i == 4)
			return -EINVAL;
		if ((i == 3 ? parse_hex64(tok, &v[i]) : span_to_u64(tok, UINT64_MAX, &v[i])) < 0)
			return -EINVAL;
		seen |= 1u << i;
	}
	if (seen != 15)
		return -EINVAL;
	f->pos_dev = v[0];
	f->pos_ino = v[1];
	f->pos_off = v[2];
	f->pos_fp = v[3];
	f->have_pos = true;
	return 0;
}

/* --- teardown ------------------------------------------------------------- */

/* Closing keeps the position: a reopen after a failure resumes there. */
static void follow_close(struct source *s)
{
	struct follow *f = to_follow(s);

	if (f->fd >= 0) {
		f->pos_off = f->start + lines_consumed(&f->lines);
		f->pos_dev = f->dev;
		f->pos_ino = f->inode;
		f->pos_fp = head_fp(f, f->pos_off);
		f->have_pos = true;
		close(f->fd);
	}
	f->fd = -1;
	lines_reset(&f->lines);
	if (f->ep >= 0)
		close(f->ep);
	if (f->ino >= 0)
		close(f->ino);
	if (f->wake >= 0)
		close(f->wake);
	f->ep = f->ino = f->wake = -1;
	f->wd_dir = f->wd_file = f->wd_next = -1;
}

static void follow_free(struct source *s)
{
	struct follow *f = to_follow(s);

	follow_close(s);
	lines_done(&f->lines);
	free(f);
}

static const struct source_ops follow_ops = {
	.kind = "file",
	.open = follow_open,
	.fd = follow_fd,
	.read = follow_read,
	.tick = follow_tick,
	.save = follow_save,
	.restore = follow_restore,
	.close = follow_close,
	.free = follow_free,
};
