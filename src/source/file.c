/* file.c - buffered line reader over zlib (see file.h).
 *
 * Reads in 1 MiB chunks; zlib passes plain files through and, for reads at
 * least its buffer size, reads straight into ours. The buffer holds
 * CHUNK + max_line bytes so a line that straddles two chunks is moved to the
 * front once and never copied per line.
 */
#include "source/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (1u << 20)

struct linereader {
	gzFile gz;
	char *buf;
	size_t cap, start, end; /* unread bytes are buf[start..end) */
	size_t max_line;
	bool eof, skipping;     /* skipping: inside the rest of an overlong line */
	bool is_device;         /* a character device such as /dev/kmsg: fd, no zlib */
	int fd;
	uint64_t lost;          /* records the kernel overwrote before we read them */
	int64_t mtime;
	uint64_t bytes;
};

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
	fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO)
				    : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
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
	if (S_ISCHR(st.st_mode)) {
		/* /dev/kmsg: read what the ring buffer holds now, then stop (a
		 * blocking read would wait for the next record forever). zlib's
		 * read loop drops what it read when a later read() fails (EAGAIN
		 * at the end, EPIPE on overrun), so devices are read directly. */
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
		r->is_device = true;
		r->fd = fd;
		*ret = r;
		return 0;
	}
	r->gz = gzdopen(fd, "rb");
	if (!r->gz) {
		close(fd);
		err = -ENOMEM;
		goto out_free;
	}
	gzbuffer(r->gz, 256u << 10);
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
	if (r->gz)
		gzclose_r(r->gz);
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
	int n = gzread(r->gz, r->buf + r->end, (unsigned)room);
	if (n < 0) {
		int zerr;
		(void)gzerror(r->gz, &zerr);
		return zerr == Z_ERRNO ? -errno : -EIO;
	}
	if (n == 0) {
		/* a truncated .gz ends without Z_STREAM_END: that is data lost, say so */
		int zerr;
		gzerror(r->gz, &zerr);
		if (zerr == Z_BUF_ERROR || zerr == Z_DATA_ERROR)
			return -EIO;
		r->eof = true;
	}
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
			*ret_overlong = true;
			*ret_line = span_make(p, r->max_line);
			return 1;
		}
		if (r->eof) {
			r->start = r->end;
			if (!avail || r->skipping) {
				r->skipping = false;
				return 0;
			}
			*ret_overlong = false;
			*ret_line = span_make(p, avail);
			return 1;
		}
		int err = fill(r);
		if (err < 0)
			return err;
	}
}

int64_t linereader_mtime(const struct linereader *r)
{
	return r->mtime;
}

uint64_t linereader_lost(const struct linereader *r)
{
	return r->lost;
}

uint64_t linereader_bytes(const struct linereader *r)
{
	return r->bytes;
}
