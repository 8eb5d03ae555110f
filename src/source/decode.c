/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decode.c - plain or compressed bytes to text (see decode.h).
 *
 * Raw bytes are read into `in` (IN_SIZE); a member is decoded by its
 * library straight into the caller's buffer. Plain text bypasses `in` once
 * it is drained: read() goes straight into the caller's buffer, as fast as
 * reading the file without a decoder. At each member boundary the next bytes
 * are looked at again, so a gzip member may be followed by another, by an xz
 * stream or by plain text.
 */
#include "source/decode.h"

#include <bzlib.h>
#include <errno.h>
#include <limits.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#define IN_SIZE (256u << 10)
#define MAGIC_MAX 9 /* the longest magic below (lzop) */

enum fmt { FMT_NONE, FMT_TEXT, FMT_GZIP, FMT_XZ, FMT_BZIP2, FMT_ZSTD, _FMT_MAX };
static const char *const fmt_names[_FMT_MAX] = { "none", "text", "gzip", "xz", "bzip2", "zstd" };

struct magic {
	const char *bytes;
	size_t len;
	enum fmt fmt;       /* a format we decode, or FMT_NONE ... */
	const char *refuse; /* ... and what this is, refused by name */
};

/* Magic numbers from the formats' specifications (and file(1)'s magic). */
static const struct magic magics[] = {
	{ "\x1f\x8b", 2, FMT_GZIP, NULL },
	{ "\xfd" "7zXZ\0", 6, FMT_XZ, NULL },
	{ "\x28\xb5\x2f\xfd", 4, FMT_ZSTD, NULL },
	/* "BZh" and a block size digit: checked in match_magic() */
	{ "\x04\x22\x4d\x18", 4, FMT_NONE, "lz4 compressed data" },
	{ "\x02\x21\x4c\x18", 4, FMT_NONE, "lz4 (legacy) compressed data" },
	{ "LZIP", 4, FMT_NONE, "lzip compressed data" },
	{ "\x1f\x9d", 2, FMT_NONE, "compress (.Z) data" },
	{ "\x89LZO\0\r\n\x1a\n", 9, FMT_NONE, "lzop compressed data" },
	{ "\x5d\x00\x00", 3, FMT_NONE, "lzma (legacy .lzma) compressed data" },
	{ "PK\x03\x04", 4, FMT_NONE, "a zip archive" },
	{ "7z\xbc\xaf\x27\x1c", 6, FMT_NONE, "a 7-Zip archive" },
	{ "LPKSHHRH", 8, FMT_NONE,
	  "a systemd journal file (use: journalctl -k -o json | vigil analyze -)" },
	{ "\xd4\xc3\xb2\xa1", 4, FMT_NONE, "a packet capture (pcap), not a log" },
	{ "\xa1\xb2\xc3\xd4", 4, FMT_NONE, "a packet capture (pcap), not a log" },
	{ "\x4d\x3c\xb2\xa1", 4, FMT_NONE, "a packet capture (pcap), not a log" },
};

enum step { STEP_OK, STEP_END, STEP_ERR };

struct decoder {
	int fd;
	unsigned char *in;
	size_t pos, end;  /* unread raw bytes: in[pos..end) */
	uint64_t in_base; /* file offset of in[0] */
	bool in_eof;
	enum fmt cur;     /* being decoded; FMT_NONE: at a member boundary */
	enum fmt first, prev;
	unsigned seen;    /* bit per format met */
	uint64_t members, member_offset;
	bool wrote;       /* a byte was handed out; `last` is it */
	char last;
	bool pending_nl;  /* end the unterminated line before a new format */
	bool text_after;
	uint64_t text_offset;
	bool zinit;
	z_stream z;
	bool xinit;
	lzma_stream x;
	bool binit;
	bz_stream b;
	ZSTD_DCtx *zs;
	int err;          /* sticky, once everything before it is handed out */
	uint64_t err_offset;
	char why[200];
	char formats[48];
};

__attribute__((format(printf, 3, 4))) static enum step fail(struct decoder *d, int err,
							     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
	d->err = err;
	d->err_offset = d->in_base + d->pos;
	return STEP_ERR;
}

int decoder_new(int fd, struct decoder **ret)
{
	struct decoder *d = calloc(1, sizeof(*d));

	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	d->fd = fd;
	d->in = malloc(IN_SIZE);
	if (!d->in) {
		decoder_free(d);
		return -ENOMEM;
	}
	*ret = d;
	return 0;
}

struct decoder *decoder_free(struct decoder *d)
{
	if (!d)
		return NULL;
	if (d->zinit)
		inflateEnd(&d->z);
	if (d->xinit)
		lzma_end(&d->x);
	if (d->binit)
		BZ2_bzDecompressEnd(&d->b);
	ZSTD_freeDCtx(d->zs);
	if (d->fd >= 0)
		close(d->fd);
	free(d->in);
	free(d);
	return NULL;
}

/* More raw bytes after in[pos..end), moved to the front. */
static int fill_in(struct decoder *d)
{
	ssize_t n;

	if (d->pos > 0) {
		memmove(d->in, d->in + d->pos, d->end - d->pos);
		d->in_base += d->pos;
		d->end -= d->pos;
		d->pos = 0;
	}
	if (d->end == IN_SIZE)
		return 0;
	do
		n = read(d->fd, d->in + d->end, IN_SIZE - d->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		d->in_eof = true;
	d->end += (size_t)n;
	return 0;
}

static const struct magic *match_magic(const unsigned char *p, size_t len, enum fmt *ret)
{
	static const struct magic bzip2 = { "BZh", 3, FMT_BZIP2, NULL };

	*ret = FMT_TEXT;
	if (len >= 4 && !memcmp(p, "BZh", 3) && p[3] >= '1' && p[3] <= '9') {
		*ret = FMT_BZIP2;
		return &bzip2;
	}
	/* zstd skippable frames 0x184D2A50..5F (little-endian): part of a zstd file */
	if (len >= 4 && (p[0] & 0xf0) == 0x50 && !memcmp(p + 1, "\x2a\x4d\x18", 3)) {
		*ret = FMT_ZSTD;
		return &magics[2];
	}
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].len && !memcmp(p, magics[i].bytes, magics[i].len)) {
			*ret = magics[i].fmt;
			return &magics[i];
		}
	return NULL;
}

static int start_member(struct decoder *d, enum fmt f)
{
	switch (f) {
	case FMT_GZIP:
		if (!d->zinit) {
			if (inflateInit2(&d->z, 15 + 16) != Z_OK) /* 16: gzip wrapper only */
				return -ENOMEM;
			d->zinit = true;
		} else if (inflateReset(&d->z) != Z_OK) {
			return -ENOMEM;
		}
		return 0;
	case FMT_XZ:
		if (!d->xinit) {
			d->x = (lzma_stream)LZMA_STREAM_INIT;
			d->xinit = true;
		}
		/* one stream at a time: what follows it is looked at again */
		return lzma_stream_decoder(&d->x, DECODE_MEMLIMIT, 0) == LZMA_OK ? 0 : -ENOMEM;
	case FMT_BZIP2:
		if (d->binit)
			BZ2_bzDecompressEnd(&d->b);
		memset(&d->b, 0, sizeof(d->b));
		d->binit = BZ2_bzDecompressInit(&d->b, 0, 0) == BZ_OK;
		return d->binit ? 0 : -ENOMEM;
	case FMT_ZSTD:
		if (!d->zs) {
			d->zs = ZSTD_createDCtx();
			if (!d->zs)
				return -ENOMEM;
			/* 2^27 = 128 MiB (DECODE_MEMLIMIT): larger windows are refused */
			(void)ZSTD_DCtx_setParameter(d->zs, ZSTD_d_windowLogMax, 27);
		} else {
			(void)ZSTD_DCtx_reset(d->zs, ZSTD_reset_session_only);
		}
		return 0;
	default:
		return 0;
	}
}

/* At a member boundary: what comes next? Sets d->cur; FMT_NONE at the end. */
static int detect(struct decoder *d)
{
	enum fmt f;
	int r;

	for (;;) {
		while (d->end - d->pos < MAGIC_MAX && !d->in_eof)
			if ((r = fill_in(d)) < 0)
				return fail(d, r, "read error: %s", strerror(-r)), r;
		/* xz allows NUL padding between streams (a multiple of 4 bytes) */
		if (d->prev != FMT_XZ || d->pos == d->end || d->in[d->pos] != 0)
			break;
		while (d->pos < d->end && d->in[d->pos] == 0)
			d->pos++;
	}
	if (d->pos == d->end) {
		d->cur = FMT_NONE;
		return 0;
	}
	const struct magic *m = match_magic(d->in + d->pos, d->end - d->pos, &f);
	if (m && m->refuse) {
		fail(d, -EMEDIUMTYPE, "%s%s: vigil reads text, gzip, xz, bzip2 and zstd", m->refuse,
		     d->members ? " after the compressed data" : "");
		return d->err;
	}
	if (f != FMT_TEXT && (r = start_member(d, f)) < 0)
		return fail(d, r, "cannot start the %s decoder: %s", fmt_names[f], strerror(-r)), r;
	if (d->members && f == FMT_TEXT && !d->text_after) {
		d->text_after = true;
		d->text_offset = d->in_base + d->pos;
	}
	if (d->wrote && d->last != '\n' && f != d->prev)
		d->pending_nl = true;
	if (f != FMT_TEXT) {
		d->members++;
		d->member_offset = d->in_base + d->pos;
	}
	if (!d->seen)
		d->first = f;
	d->seen |= 1u << f;
	d->cur = f;
	return 0;
}

static enum step run_gzip(struct decoder *d, const unsigned char *in, size_t in_len,
			  size_t *used, char *out, size_t out_len, size_t *got)
{
	z_stream *z = &d->z;

	z->next_in = (unsigned char *)in;
	z->avail_in = in_len > UINT_MAX ? UINT_MAX : (unsigned)in_len;
	z->next_out = (unsigned char *)out;
	z->avail_out = out_len > UINT_MAX ? UINT_MAX : (unsigned)out_len;
	int zr = inflate(z, Z_NO_FLUSH);
	*used = (size_t)(z->next_in - in);
	*got = (size_t)((char *)z->next_out - out);
	switch (zr) {
	case Z_STREAM_END:
		return STEP_END;
	case Z_OK:
	case Z_BUF_ERROR: /* no progress: more input needed */
		return STEP_OK;
	case Z_MEM_ERROR:
		return fail(d, -ENOMEM, "gzip: out of memory");
	default:
		return fail(d, -EIO, "gzip data damaged (%s)", z->msg ? z->msg : zError(zr));
	}
}

static enum step run_xz(struct decoder *d, const unsigned char *in, size_t in_len,
			size_t *used, char *out, size_t out_len, size_t *got)
{
	lzma_stream *x = &d->x;

	x->next_in = in;
	x->avail_in = in_len;
	x->next_out = (uint8_t *)out;
	x->avail_out = out_len;
	lzma_ret lr = lzma_code(x, LZMA_RUN);
	*used = in_len - x->avail_in;
	*got = out_len - x->avail_out;
	switch (lr) {
	case LZMA_STREAM_END:
		return STEP_END;
	case LZMA_OK:
	case LZMA_BUF_ERROR:
		return STEP_OK;
	case LZMA_MEM_ERROR:
		return fail(d, -ENOMEM, "xz: out of memory");
	case LZMA_MEMLIMIT_ERROR:
		return fail(d, -EIO, "xz stream needs %llu MiB to decode, more than vigil allows (%u MiB)",
			    (unsigned long long)(lzma_memusage(x) >> 20), DECODE_MEMLIMIT >> 20);
	case LZMA_FORMAT_ERROR:
		return fail(d, -EIO, "xz data damaged (bad stream header)");
	case LZMA_OPTIONS_ERROR:
		return fail(d, -EIO, "xz stream uses options liblzma does not support");
	default:
		return fail(d, -EIO, "xz data damaged (liblzma error %d)", (int)lr);
	}
}

static enum step run_bzip2(struct decoder *d, const unsigned char *in, size_t in_len,
			   size_t *used, char *out, size_t out_len, size_t *got)
{
	bz_stream *b = &d->b;
	unsigned in_n = in_len > UINT_MAX ? UINT_MAX : (unsigned)in_len;
	unsigned out_n = out_len > UINT_MAX ? UINT_MAX : (unsigned)out_len;

	b->next_in = (char *)in;
	b->avail_in = in_n;
	b->next_out = out;
	b->avail_out = out_n;
	int br = BZ2_bzDecompress(b);
	*used = in_n - b->avail_in;
	*got = out_n - b->avail_out;
	switch (br) {
	case BZ_STREAM_END:
		return STEP_END;
	case BZ_OK:
		return STEP_OK;
	case BZ_MEM_ERROR:
		return fail(d, -ENOMEM, "bzip2: out of memory");
	default:
		return fail(d, -EIO, "bzip2 data damaged (libbz2 error %d)", br);
	}
}

static enum step run_zstd(struct decoder *d, const unsigned char *in, size_t in_len,
			  size_t *used, char *out, size_t out_len, size_t *got)
{
	ZSTD_inBuffer ib = { in, in_len, 0 };
	ZSTD_outBuffer ob = { out, out_len, 0 };
	size_t zr = ZSTD_decompressStream(d->zs, &ob, &ib);

	*used = ib.pos;
	*got = ob.pos;
	if (ZSTD_isError(zr)) {
		if (ZSTD_getErrorCode(zr) == ZSTD_error_memory_allocation)
			return fail(d, -ENOMEM, "zstd: out of memory");
		return fail(d, -EIO, "zstd data damaged or refused (%s)", ZSTD_getErrorName(zr));
	}
	return zr == 0 ? STEP_END : STEP_OK; /* 0: the frame is decoded and flushed */
}

/* Decode the current member into out: returns the bytes made; at the
 * member's end sets d->cur = FMT_NONE; on an error sets d->err. */
static size_t decode(struct decoder *d, char *out, size_t room)
{
	size_t made = 0;
	int r;

	for (;;) {
		if (d->pos == d->end && !d->in_eof && (r = fill_in(d)) < 0) {
			fail(d, r, "read error: %s", strerror(-r));
			return made;
		}
		size_t used = 0, got = 0, avail = d->end - d->pos;
		enum step s;
		switch (d->cur) {
		case FMT_GZIP:
			s = run_gzip(d, d->in + d->pos, avail, &used, out + made, room - made, &got);
			break;
		case FMT_XZ:
			s = run_xz(d, d->in + d->pos, avail, &used, out + made, room - made, &got);
			break;
		case FMT_BZIP2:
			s = run_bzip2(d, d->in + d->pos, avail, &used, out + made, room - made, &got);
			break;
		default:
			s = run_zstd(d, d->in + d->pos, avail, &used, out + made, room - made, &got);
			break;
		}
		d->pos += used;
		made += got;
		if (s == STEP_ERR) {
			d->err_offset = d->in_base + d->pos;
			return made;
		}
		if (s == STEP_END) {
			d->prev = d->cur;
			d->cur = FMT_NONE;
			return made;
		}
		if (made == room)
			return made;
		if (!used && !got && d->pos == d->end && d->in_eof) {
			fail(d, -EIO, "%s data ends before the end of its %s: the file is truncated",
			     fmt_names[d->cur], d->cur == FMT_ZSTD ? "frame" : "stream");
			return made;
		}
		if (!used && !got && d->pos < d->end) { /* cannot happen; never spin */
			fail(d, -EIO, "%s decoder made no progress", fmt_names[d->cur]);
			return made;
		}
	}
}

static ssize_t read_text(struct decoder *d, char *out, size_t room)
{
	ssize_t n;

	if (d->pos < d->end) {
		size_t k = d->end - d->pos < room ? d->end - d->pos : room;
		memcpy(out, d->in + d->pos, k);
		d->pos += k;
		return (ssize_t)k;
	}
	if (d->in_eof)
		return 0;
	do
		n = read(d->fd, out, room);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int err = -errno;
		fail(d, err, "read error: %s", strerror(errno));
		return err;
	}
	if (n == 0)
		d->in_eof = true;
	d->in_base += (uint64_t)n; /* in[] is drained: in_base + pos stays the offset */
	return n;
}

ssize_t decoder_read(struct decoder *d, char *out, size_t room)
{
	ssize_t n;

	if (d->err)
		return d->err;
	if (!room)
		return 0;
	for (;;) {
		if (d->cur == FMT_NONE) {
			if (detect(d) < 0)
				return d->err;
			if (d->cur == FMT_NONE)
				return 0;
		}
		if (d->pending_nl) {
			d->pending_nl = false;
			d->last = out[0] = '\n';
			return 1;
		}
		if (d->cur == FMT_TEXT) {
			n = read_text(d, out, room);
		} else {
			n = (ssize_t)decode(d, out, room);
			if (!n && d->err)
				return d->err;
			if (!n)
				continue; /* an empty member ended */
		}
		if (n > 0) {
			d->wrote = true;
			d->last = out[n - 1];
		}
		return n;
	}
}

void decoder_info(const struct decoder *d, struct decoder_info *ret)
{
	struct decoder *m = (struct decoder *)d; /* formats[] is a cache */
	size_t len = 0;

	m->formats[0] = '\0';
	for (int f = FMT_TEXT; f < _FMT_MAX; f++) {
		if (!(d->seen & (1u << f)))
			continue;
		int k = snprintf(m->formats + len, sizeof(m->formats) - len, "%s%s", len ? "+" : "",
				 fmt_names[f]);
		if (k > 0 && (size_t)k < sizeof(m->formats) - len)
			len += (size_t)k;
	}
	*ret = (struct decoder_info){
		.format = d->seen ? fmt_names[d->first] : "text",
		.formats = len ? m->formats : "text",
		.members = d->members,
		.text_after = d->text_after,
		.text_offset = d->text_offset,
		.error = d->err ? d->why : NULL,
		.error_offset = d->err_offset,
		.member_offset = d->member_offset,
	};
}

uint64_t decoder_offset(const struct decoder *d)
{
	return d->in_base + d->pos;
}

int decoder_text_after(const struct decoder *d)
{
	return d->text_after;
}

uint64_t decoder_members(const struct decoder *d)
{
	return d->members;
}
