/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.c - buffered line reader over the decoder (see file.h).
 *
 * Reads in 1 MiB chunks; plain files are read straight into the buffer,
 * compressed ones decoded into it (decode.c). The buffer holds
 * CHUNK + max_line bytes so a line that straddles two chunks is moved to the
 * front once and never copied per line.
 */
#include "source/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "source/decode.h"

#define CHUNK (1u << 20)

struct linereader {
	struct decoder *dec;    /* files, pipes, stdin */
	char *buf;
	size_t cap, start, end; /* unread bytes are buf[start..end) */
	size_t max_line;
	bool eof, skipping;     /* skipping: inside the rest of an overlong line */
	bool is_device;         /* /dev/kmsg: read record by record, no decoder */
	int fd;
	int err;                /* reading stopped early (sticky) */
	uint64_t lines;         /* lines handed out */
	uint64_t text_line;     /* first line of text after compressed data */
	uint64_t members, member_line; /* the current member's first line */
	uint64_t error_line, dropped;
	uint64_t lost;          /* records the kernel overwrote before we read them */
	int64_t mtime;
	uint64_t bytes;
	int64_t boot_us;        /* /dev/kmsg: wall µs of the printk clock's zero */
};

enum dev_kind { DEV_STREAM, DEV_KMSG, DEV_REFUSED };

/* When this host booted, in wall µs (UTC): the printk clock runs with
 * CLOCK_MONOTONIC (both stop in suspend; CLOCK_BOOTTIME does not), so
 * REALTIME - MONOTONIC, as the kmsg source (kmsg.c) takes it. */
static int64_t boot_wall_us(void)
{
	struct timespec rt, mono;

	if (clock_gettime(CLOCK_REALTIME, &rt) < 0 || clock_gettime(CLOCK_MONOTONIC, &mono) < 0)
		return 0;
	return ((int64_t)rt.tv_sec - (int64_t)mono.tv_sec) * 1000000 +
	       ((int64_t)rt.tv_nsec - (int64_t)mono.tv_nsec) / 1000;
}

/* Character devices that are logs: /dev/kmsg (1:11), read record by record;
 * /dev/null (1:3, empty: `vigil analyze - </dev/null` from cron) and a
 * terminal (someone typing or pasting lines) as streams. Everything else
 * (/dev/zero and /dev/urandom never end and are no text; a disk is no log)
 * is refused before a byte is read. */
static enum dev_kind device_kind(int fd, const struct stat *st)
{
	if (S_ISBLK(st->st_mode))
		return DEV_REFUSED;
	if (!S_ISCHR(st->st_mode))
		return DEV_STREAM;
	if (major(st->st_rdev) == 1 && minor(st->st_rdev) == 11)
		return DEV_KMSG;
	if (major(st->st_rdev) == 1 && minor(st->st_rdev) == 3)
		return DEV_STREAM;
	return isatty(fd) ? DEV_STREAM : DEV_REFUSED;
}

/* Before open(): only devices device_kind() may accept. Terminals by their
 * majors (4 tty/ttyS, 5 tty/console, 136-143 pts); isatty() decides after. */
static bool device_may_open(const struct stat *st)
{
	unsigned maj = major(st->st_rdev), min = minor(st->st_rdev);

	if (!S_ISCHR(st->st_mode))
		return false;
	if (maj == 1)
		return min == 11 || min == 3;
	return maj == 4 || maj == 5 || (maj >= 136 && maj <= 143);
}

/* /proc/kmsg looks like a regular file, but a read takes the records away
 * from the system's syslog daemon and waits for the next one forever. */
static bool is_proc_kmsg(const struct stat *st)
{
	struct stat k;

	return S_ISREG(st->st_mode) && stat("/proc/kmsg", &k) == 0 && k.st_dev == st->st_dev &&
	       k.st_ino == st->st_ino;
}

const char *linereader_strerror(int err)
{
	switch (err) {
	case -ENODEV:
		return "a device, not a log (vigil reads files, pipes, stdin and /dev/kmsg)";
	case -EISDIR:
		return "a directory, not a log file";
	default:
		return strerror(err < 0 ? -err : err);
	}
}

int linereader_open(const char *path, size_t max_line, struct linereader **ret)
{
	struct linereader *r;
	struct stat st;
	int fd, err;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->fd = -1;
	r->max_line = max_line ? max_line : 8192;
	r->cap = CHUNK + r->max_line + 1;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		err = -ENOMEM;
		goto out_free;
	}
	/* a device is judged before it is opened: opening some has effects
	 * (/dev/watchdog arms a reboot). A character device is opened without
	 * blocking (a serial line could wait for a carrier); a FIFO blocks until
	 * it has a writer, as a stream. */
	bool nonblock = false;
	if (strcmp(path, "-") && stat(path, &st) == 0 && is_proc_kmsg(&st)) {
		err = -ENODEV;
		goto out_free;
	}
	if (strcmp(path, "-") && stat(path, &st) == 0 &&
	    (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
		if (!device_may_open(&st)) {
			err = -ENODEV;
			goto out_free;
		}
		nonblock = true;
	}
	fd = strcmp(path, "-") == 0
		     ? dup(STDIN_FILENO)
		     : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (nonblock ? O_NONBLOCK : 0));
	if (fd < 0) {
		err = -errno;
		goto out_free;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		goto out_free;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		err = -EISDIR;
		goto out_free;
	}
	r->mtime = S_ISREG(st.st_mode) && strcmp(path, "-") ? (int64_t)st.st_mtime
							     : (int64_t)time(NULL);
	int fl = fcntl(fd, F_GETFL);
	switch (device_kind(fd, &st)) {
	case DEV_REFUSED:
		close(fd);
		err = -ENODEV;
		goto out_free;
	case DEV_KMSG:
		/* read what the ring buffer holds now, then stop (a blocking read
		 * would wait for the next record forever); one record per read(),
		 * so no decoder */
		if (fl >= 0)
			(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
		r->is_device = true;
		r->fd = fd;
		r->boot_us = boot_wall_us();
		*ret = r;
		return 0;
	case DEV_STREAM:
		if (nonblock && fl >= 0)
			(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
		break;
	}
	err = decoder_new(fd, &r->dec); /* owns fd from here */
	if (err < 0)
		goto out_free;
	*ret = r;
	return 0;
out_free:
	linereader_free(r);
	return err;
}

struct linereader *linereader_free(struct linereader *r)
{
	if (!r)
		return NULL;
	decoder_free(r->dec);
	if (r->fd >= 0)
		close(r->fd);
	free(r->buf);
	free(r);
	return NULL;
}

/* /dev/kmsg hands out one record per read(); EAGAIN: the ring buffer is
 * drained; EPIPE: records were overwritten before we read them (count, go on). */
static int fill_device(struct linereader *r, size_t room)
{
	ssize_t n = read(r->fd, r->buf + r->end, room);

	if (n < 0 && errno == EPIPE) {
		r->lost++;
		return 0;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		r->eof = true;
		return 0;
	}
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (n == 0)
		r->eof = true;
	r->end += (size_t)n;
	r->bytes += (uint64_t)n;
	return 0;
}

static int fill(struct linereader *r)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	size_t room = r->cap - 1 - r->end;
	if (room > CHUNK)
		room = CHUNK;
	if (r->is_device)
		return fill_device(r, room);
	ssize_t n = decoder_read(r->dec, r->buf + r->end, room);
	if (decoder_members(r->dec) != r->members) {
		/* a member began in this read (one per read): its first byte is
		 * in the next line handed out */
		r->members = decoder_members(r->dec);
		r->member_line = r->lines + 1;
	}
	if (!r->text_line && decoder_text_after(r->dec))
		/* the buffer holds at most the unfinished line before the text */
		r->text_line = r->lines + 1 + (r->end > 0 && !r->skipping);
	if (n < 0) {
		/* keep the complete lines before the break; the unfinished one is
		 * dropped below, the error returned after them */
		r->err = (int)n;
		r->eof = true;
		return 0;
	}
	if (n == 0)
		r->eof = true;
	r->end += (size_t)n;
	r->bytes += (uint64_t)n;
	return 0;
}

int linereader_next(struct linereader *r, struct span *ret_line, bool *ret_overlong)
{
	for (;;) {
		char *p = r->buf + r->start;
		size_t avail = r->end - r->start;
		char *nl = avail ? memchr(p, '\n', avail) : NULL;

		if (nl) {
			size_t n = (size_t)(nl - p);
			r->start += n + 1;
			if (r->skipping) {
				r->skipping = false;
				continue;
			}
			r->lines++;
			*ret_overlong = n > r->max_line;
			*ret_line = span_make(p, n > r->max_line ? r->max_line : n);
			return 1;
		}
		if (avail > r->max_line) {
			/* no newline within max_line: hand out the head, skip the rest */
			bool was_skipping = r->skipping;
			r->skipping = true;
			r->start = r->end;
			if (was_skipping)
				continue;
			r->lines++;
			*ret_overlong = true;
			*ret_line = span_make(p, r->max_line);
			return 1;
		}
		if (r->eof) {
			r->start = r->end;
			if (r->err) {
				/* a line cut by the damage is not a record: drop, count
				 * (later calls find nothing left) */
				r->error_line = r->lines;
				r->dropped += avail;
				r->skipping = false;
				return r->err;
			}
			if (!avail || r->skipping) {
				r->skipping = false;
				return 0;
			}
			r->lines++;
			*ret_overlong = false;
			*ret_line = span_make(p, avail);
			return 1;
		}
		int err = fill(r);
		if (err < 0)
			return err;
	}
}

void linereader_info(const struct linereader *r, struct linereader_info *ret)
{
	struct decoder_info di = { .format = "kmsg", .formats = "kmsg" };

	if (r->dec)
		decoder_info(r->dec, &di);
	*ret = (struct linereader_info){
		.format = di.format,
		.formats = di.formats,
		.members = di.members,
		.raw_bytes = r->dec ? decoder_offset(r->dec) : r->bytes,
		.text_after = di.text_after,
		.text_offset = di.text_offset,
		.text_line = r->text_line,
		.error = di.error,
		.error_offset = di.error_offset,
		.error_line = r->error_line,
		.dropped = r->dropped,
		.member_offset = di.member_offset,
		.member_line = r->member_line,
	};
	if (!di.error && r->err) /* a kmsg read error */
		ret->error = linereader_strerror(r->err);
}

int64_t linereader_mtime(const struct linereader *r)
{
	return r->mtime;
}

uint64_t linereader_lost(const struct linereader *r)
{
	return r->lost;
}

int64_t linereader_boot_us(const struct linereader *r)
{
	return r->boot_us;
}

uint64_t linereader_bytes(const struct linereader *r)
{
	return r->bytes;
}
