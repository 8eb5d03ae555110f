/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decode.h - turn a file descriptor's bytes into log text: plain, or
 * decompressed through the library of the format the data is in.
 *
 * The format is found from magic bytes, never from the name, at the start of
 * the data and again after each compressed member or stream ends: gzip
 * (zlib), xz (liblzma), bzip2 (libbz2) and zstd (libzstd) are decoded,
 * multi-member and concatenated files included, with formats mixed. Plain
 * text after compressed data is read as text, from a new line, and noted
 * (decoder_info). Other binary formats with a known magic (lz4, lzip, .Z,
 * a systemd journal file, a packet capture, ...) are refused by name: their
 * bytes are never handed out as lines.
 *
 * Damaged data keeps everything decoded before the damage: decoder_read()
 * hands that out first and reports the error on the next call, with the byte
 * offset in the file where decoding stopped. A decoder needs at most
 * DECODE_MEMLIMIT bytes of library state (an xz or zstd stream asking for a
 * larger window is refused, not allocated).
 */
#ifndef VIGIL_DECODE_H
#define VIGIL_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define DECODE_MEMLIMIT (128u << 20)

struct decoder; /* opaque */

struct decoder_info {
	const char *format;    /* of the data's start: "text", "gzip", "xz", "bzip2", "zstd" */
	uint64_t members;      /* compressed members/streams/frames begun */
	const char *formats;   /* every format met, e.g. "gzip+text" (static storage) */
	/* plain text followed compressed data: read as lines from text_offset */
	int text_after;        /* 0 or 1 */
	uint64_t text_offset;  /* byte offset in the file where the text starts */
	/* reading stopped early: what broke and where (else error is NULL) */
	const char *error;
	uint64_t error_offset; /* byte offset in the file (compressed bytes) */
	uint64_t member_offset; /* where the member being decoded began */
};

/* Takes fd (closed by decoder_free, also when this fails). 0 or -errno. */
int decoder_new(int fd, struct decoder **ret);
struct decoder *decoder_free(struct decoder *d); /* NULL-safe; returns NULL */

/* Up to room bytes of text into out. Returns the count (> 0), 0 at the end
 * of the data, or a negative error once every byte decoded before it was
 * returned: -EIO damaged or truncated data, -EMEDIUMTYPE a format vigil does
 * not read, -ENOMEM, -errno of read(). Each later call returns the same
 * error; decoder_info() says what broke and where. */
ssize_t decoder_read(struct decoder *d, char *out, size_t room);

void decoder_info(const struct decoder *d, struct decoder_info *ret);

/* The raw bytes consumed so far (compressed size read). */
uint64_t decoder_offset(const struct decoder *d);
/* Plain text after compressed data has begun (cheap: for the line reader). */
int decoder_text_after(const struct decoder *d);
/* Compressed members begun so far (cheap: for the line reader). */
uint64_t decoder_members(const struct decoder *d);

#endif
