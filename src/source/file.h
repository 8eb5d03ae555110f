/* file.h - read log lines from a file, stdin or a .gz file.
 *
 * Compressed or not is found from the data (zlib's transparent mode), not
 * the name. Lines are handed out as spans into one reused buffer: no
 * allocation per line. A line longer than max_line is cut: the caller gets
 * its first max_line bytes with *ret_overlong set and the rest is skipped,
 * so one hostile line cannot grow memory. A character device (/dev/kmsg)
 * is read without blocking: what the ring buffer holds, then end of input.
 */
#ifndef VIGIL_FILE_H
#define VIGIL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

struct linereader; /* opaque */

/* path "-" reads stdin. Returns 0 or -errno. */
int linereader_open(const char *path, size_t max_line, struct linereader **ret);
struct linereader *linereader_free(struct linereader *r); /* NULL-safe; returns NULL */

/* 1 and a line (without '\n'), 0 at end of input, -errno on a read error
 * (-EIO for corrupt compressed data). The span is valid until the next call. */
int linereader_next(struct linereader *r, struct span *ret_line, bool *ret_overlong);

/* Modification time of the file (now for stdin), seconds since the epoch. */
int64_t linereader_mtime(const struct linereader *r);
uint64_t linereader_bytes(const struct linereader *r); /* uncompressed bytes read */
/* Times a device (/dev/kmsg) reported records overwritten before they were
 * read (EPIPE): each is at least one lost record. */
uint64_t linereader_lost(const struct linereader *r);

#endif
