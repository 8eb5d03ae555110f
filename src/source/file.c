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
	free(r->buf);
	free(r);
	return NULL;
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
	int n = gzread(r->gz, r->buf + r->end, (unsigned)room);
	if (n < 0) {
		int zerr;
		const char *msg = gzerror(r->gz, &zerr);
		(void)msg;
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

uint64_t linereader_bytes(const struct linereader *r)
{
	return r->bytes;
}
