/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-decode.c - libFuzzer target for the line reader and its decoder.
 *
 * The bytes are a file (a memfd) read through linereader_open(): magic
 * detection, gzip, xz, bzip2 and zstd members, text after them, damage.
 * Besides memory errors it checks:
 * - no line is longer than max_line, and no more bytes come out as lines
 *   than the decoder produced;
 * - reading ends with 0 or one of the documented errors, the error is
 *   sticky, and linereader_info() then names it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "source/file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINE 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linereader *r;
	struct linereader_info info;
	struct span line;
	bool overlong;
	char path[64];
	uint64_t out = 0;
	int fd, v;

	fd = memfd_create("fuzz-decode", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (linereader_open(path, MAX_LINE, &r) < 0) {
		close(fd);
		return 0;
	}
	close(fd);
	while ((v = linereader_next(r, &line, &overlong)) > 0) {
		if (line.len > MAX_LINE)
			abort();
		out += line.len;
	}
	if (v != 0 && v != -EIO && v != -EMEDIUMTYPE && v != -ENOMEM)
		abort();
	if (linereader_next(r, &line, &overlong) != v)
		abort();
	linereader_info(r, &info);
	if (out > linereader_bytes(r) || info.raw_bytes > size)
		abort();
	if ((v < 0) != (info.error != NULL))
		abort();
	linereader_free(r);
	return 0;
}
