/* SPDX-License-Identifier: GPL-2.0-or-later */
/* statefile.h - the daemon's saved state: tagged sections in one file.
 *
 * Layout (little-endian): "VIGILSTA", u32 version, u32 section count, then
 * per section u32 tag, u64 length, bytes; last a u32 CRC-32 of everything
 * before it. Written to a temporary file in the same directory, fsync'd,
 * renamed over the old one and the directory fsync'd, so a crash leaves
 * either the old state or the new one, never half of one. The reader
 * trusts nothing: lengths are checked against the file, the CRC against
 * the bytes, and a section's own reader checks its contents again.
 */
#ifndef VIGIL_STATEFILE_H
#define VIGIL_STATEFILE_H

#include <stddef.h>
#include <stdint.h>

#define STATEFILE_VERSION 1
#define STATEFILE_TAG(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

struct statefile_section {
	uint32_t tag;
	const void *data;
	size_t len;
};

/* Write the sections to path atomically. 0 or -errno. */
int statefile_write(const char *path, const struct statefile_section *secs, size_t n);

struct statefile; /* opaque: a file read and checked */

/* Read and check path (at most max bytes). -ENOENT when there is none;
 * -EINVAL with *reterr_why for a file that is not ours, damaged or too new;
 * another -errno when it cannot be read. */
int statefile_read(const char *path, size_t max, struct statefile **ret, const char **reterr_why);
struct statefile *statefile_free(struct statefile *f); /* NULL-safe; returns NULL */

/* The first section with tag, or -ENOENT. Pointers live until statefile_free. */
int statefile_get(const struct statefile *f, uint32_t tag, const void **ret_data, size_t *ret_len);

/* The same checks on a buffer (fuzzing, tests); buf must outlive the result. */
int statefile_parse(const void *buf, size_t len, struct statefile **ret, const char **reterr_why);

/* Move a file that failed to load aside as PATH.bad (replacing an older
 * one), so it can be looked at and never blocks a start. 0 or -errno. */
int statefile_set_aside(const char *path);

#endif
