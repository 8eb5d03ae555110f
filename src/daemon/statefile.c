/* SPDX-License-Identifier: GPL-2.0-or-later */
/* statefile.c - atomic write and checked read of the daemon's state file. */
#include "daemon/statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static const char magic[8] = { 'V', 'I', 'G', 'I', 'L', 'S', 'T', 'A' };

#define HEADER_LEN 16   /* magic, version, count */
#define SECTION_HEAD 12 /* tag, length */
#define SECTIONS_MAX 64

struct statefile {
	void *owned; /* the file's bytes when read from a path */
	size_t n;
	struct statefile_section secs[SECTIONS_MAX];
};

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static int write_all(int fd, const void *buf, size_t len, uLong *crc)
{
	const uint8_t *p = buf;

	*crc = crc32(*crc, p, (uInt)len);
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char dir[PATH_MAX];

	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, path);
	int fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	int r = fsync(fd) < 0 ? -errno : 0;

	close(fd);
	return r;
}

static int write_sections(int fd, const struct statefile_section *secs, size_t n)
{
	uint8_t head[HEADER_LEN];
	uLong crc = crc32(0L, Z_NULL, 0);
	int r;

	memcpy(head, magic, sizeof(magic));
	put32(head + 8, STATEFILE_VERSION);
	put32(head + 12, (uint32_t)n);
	r = write_all(fd, head, sizeof(head), &crc);
	for (size_t i = 0; r == 0 && i < n; i++) {
		uint8_t sh[SECTION_HEAD];

		put32(sh, secs[i].tag);
		put64(sh + 4, secs[i].len);
		r = write_all(fd, sh, sizeof(sh), &crc);
		if (r == 0 && secs[i].len > 0)
			r = write_all(fd, secs[i].data, secs[i].len, &crc);
	}
	if (r == 0) {
		uint8_t tail[4];
		uLong ignored = 0;

		put32(tail, (uint32_t)crc);
		r = write_all(fd, tail, sizeof(tail), &ignored);
	}
	return r;
}

int statefile_write(const char *path, const struct statefile_section *secs, size_t n)
{
	char tmp[PATH_MAX];
	int r;

	if (n > SECTIONS_MAX)
		return -E2BIG;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		return -errno;
	r = write_sections(fd, secs, n);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		(void)unlink(tmp);
		return r;
	}
	return fsync_dir_of(path);
}

int statefile_parse(const void *buf, size_t len, struct statefile **ret, const char **reterr_why)
{
	const uint8_t *p = buf;
	const char *why = NULL;

	if (len < HEADER_LEN + 4 || memcmp(p, magic, sizeof(magic)) != 0)
		why = "not a vigil state file";
	else if (get32(p + 8) != STATEFILE_VERSION)
		why = get32(p + 8) > STATEFILE_VERSION ? "written by a newer vigil"
						       : "an unknown state file version";
	else if ((uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)(len - 4)) != get32(p + len - 4))
		why = "checksum mismatch: the file is damaged";
	if (why) {
		*reterr_why = why;
		return -EINVAL;
	}
	uint32_t n = get32(p + 12);

	if (n > SECTIONS_MAX) {
		*reterr_why = "too many sections";
		return -EINVAL;
	}
	struct statefile *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	size_t off = HEADER_LEN, end = len - 4;

	for (uint32_t i = 0; i < n; i++) {
		if (end - off < SECTION_HEAD) {
			free(f);
			*reterr_why = "a section runs past the end of the file";
			return -EINVAL;
		}
		uint32_t tag = get32(p + off);
		uint64_t slen = get64(p + off + 4);

		off += SECTION_HEAD;
		if (slen > end - off) {
			free(f);
			*reterr_why = "a section runs past the end of the file";
			return -EINVAL;
		}
		f->secs[i] = (struct statefile_section){ .tag = tag, .data = p + off,
							 .len = (size_t)slen };
		off += (size_t)slen;
	}
	if (off != end) {
		free(f);
		*reterr_why = "bytes after the last section";
		return -EINVAL;
	}
	f->n = n;
	*ret = f;
	return 0;
}

int statefile_read(const char *path, size_t max, struct statefile **ret, const char **reterr_why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	int r;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		close(fd);
		*reterr_why = S_ISREG(st.st_mode) ? "larger than the state limit" : "not a regular file";
		return -EINVAL;
	}
	size_t len = (size_t)st.st_size, got = 0;
	uint8_t *buf = malloc(len ? len : 1);

	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	r = statefile_parse(buf, got, ret, reterr_why);
	if (r < 0) {
		free(buf);
		return r;
	}
	(*ret)->owned = buf;
	return 0;
}

struct statefile *statefile_free(struct statefile *f)
{
	if (f) {
		free(f->owned);
		free(f);
	}
	return NULL;
}

int statefile_get(const struct statefile *f, uint32_t tag, const void **ret_data, size_t *ret_len)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->secs[i].tag == tag) {
			*ret_data = f->secs[i].data;
			*ret_len = f->secs[i].len;
			return 0;
		}
	return -ENOENT;
}

int statefile_set_aside(const char *path)
{
	char bad[PATH_MAX];

	if (snprintf(bad, sizeof(bad), "%s.bad", path) >= (int)sizeof(bad))
		return -ENAMETOOLONG;
	return rename(path, bad) < 0 ? -errno : 0;
}
