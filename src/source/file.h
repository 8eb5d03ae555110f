/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.h - read log lines from a file, a pipe, stdin or /dev/kmsg.
 *
 * Plain or compressed (gzip, xz, bzip2, zstd, concatenated and mixed) is
 * found from the data, not the name (decode.h). Lines are handed out as
 * spans into one reused buffer: no allocation per line. A line longer than
 * max_line is cut: the caller gets its first max_line bytes with
 * *ret_overlong set and the rest is skipped, so one hostile line cannot grow
 * memory. /dev/kmsg is read without blocking: what the ring buffer holds,
 * then end of input. Other devices (/dev/zero, /dev/urandom, disks) are
 * refused: they are not logs and some never end; /dev/null and a terminal
 * on stdin are read.
 *
 * Damaged or truncated compressed data: every complete line before the
 * damage is handed out, the unfinished line at the break is discarded (and
 * counted), then linereader_next() returns the error and linereader_info()
 * says what broke, at which byte of the file and after which line.
 */
#ifndef VIGIL_FILE_H
#define VIGIL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

struct linereader; /* opaque */

/* path "-" reads stdin. Returns 0 or -errno: -ENODEV for a device that is
 * refused, -EISDIR for a directory (linereader_strerror() words them). */
int linereader_open(const char *path, size_t max_line, struct linereader **ret);
struct linereader *linereader_free(struct linereader *r); /* NULL-safe; returns NULL */

/* 1 and a line (without '\n'), 0 at end of input, -errno when reading
 * stopped early (-EIO damaged or truncated compressed data, -EMEDIUMTYPE a
 * format vigil does not read); every later call returns the same. The span
 * is valid until the next call. */
int linereader_next(struct linereader *r, struct span *ret_line, bool *ret_overlong);

/* What an error of linereader_open() or linereader_next() means, for people. */
const char *linereader_strerror(int err);

struct linereader_info {
	const char *format;    /* the data's first format: "text", "gzip", "xz", ... */
	const char *formats;   /* every format met, "gzip+text" */
	uint64_t members;      /* compressed members/streams/frames */
	uint64_t raw_bytes;    /* bytes read from the file (compressed size) */
	bool text_after;       /* plain text followed compressed data: read as lines */
	uint64_t text_offset;  /* its byte offset in the file */
	uint64_t text_line;    /* its first line */
	const char *error;     /* why reading stopped before the end, or NULL */
	uint64_t error_offset; /* byte offset in the file where it stopped */
	uint64_t error_line;   /* lines handed out before it */
	uint64_t dropped;      /* bytes of an unfinished line discarded there */
	/* the compressed member the error is in: damage that decodes is only
	 * found at the member's checksum, after its lines were handed out */
	uint64_t member_offset, member_line;
};
/* Strings stay valid until linereader_free(). */
void linereader_info(const struct linereader *r, struct linereader_info *ret);

/* Modification time of the file (now for stdin), seconds since the epoch. */
int64_t linereader_mtime(const struct linereader *r);
uint64_t linereader_bytes(const struct linereader *r); /* uncompressed bytes read */
/* /dev/kmsg of this host: when it booted (wall µs since the epoch, UTC), so
 * that its records' uptimes can be read as wall-clock times; 0 for any
 * other input (a dmesg file's boot time is unknown). */
int64_t linereader_boot_us(const struct linereader *r);
/* Times a device (/dev/kmsg) reported records overwritten before they were
 * read (EPIPE): each is at least one lost record. */
uint64_t linereader_lost(const struct linereader *r);

#endif
