/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file-test.c - the line reader on real files: plain, empty, overlong lines,
 * each compressor (made here through its library), concatenated and mixed
 * data, damage and truncation, refused formats and devices, FIFOs, stdin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "source/file.h"

/* --- helpers ------------------------------------------------------------ */

struct blob {
	unsigned char *p;
	size_t len;
};

static void blob_add(struct blob *b, const void *p, size_t len)
{
	b->p = realloc(b->p, b->len + len + 1);
	assert_non_null(b->p);
	memcpy(b->p + b->len, p, len);
	b->len += len;
}

static void blob_str(struct blob *b, const char *s)
{
	blob_add(b, s, strlen(s));
}

static void blob_gzip(struct blob *b, const char *s)
{
	z_stream z = { 0 };
	size_t len = strlen(s), cap = len + 128;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)s;
	z.avail_in = (unsigned)len;
	z.next_out = out;
	z.avail_out = (unsigned)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	blob_add(b, out, cap - z.avail_out);
	deflateEnd(&z);
	free(out);
}

static void blob_xz(struct blob *b, const char *s)
{
	size_t len = strlen(s), cap = lzma_stream_buffer_bound(len), pos = 0;
	uint8_t *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL, (const uint8_t *)s, len,
						 out, &pos, cap),
			 LZMA_OK);
	blob_add(b, out, pos);
	free(out);
}

static void blob_bzip2(struct blob *b, const char *s)
{
	unsigned len = (unsigned)strlen(s), cap = len + len / 100 + 700;
	char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(BZ2_bzBuffToBuffCompress(out, &cap, (char *)s, len, 1, 0, 0), BZ_OK);
	blob_add(b, out, cap);
	free(out);
}

static void blob_zstd(struct blob *b, const char *s)
{
	size_t len = strlen(s), cap = ZSTD_compressBound(len);
	void *out = malloc(cap);

	assert_non_null(out);
	size_t n = ZSTD_compress(out, cap, s, len, 3);
	assert_false(ZSTD_isError(n));
	blob_add(b, out, n);
	free(out);
}

static char *tmp_path(void)
{
	static char path[64];
	const char *dir = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/vigil-file-test.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

static void write_file(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Everything the reader hands out from path, lines joined by '\n' (an
 * overlong line marked "<+>"), the final return value in *ret_end. */
struct got {
	char text[32768];
	size_t len;
	unsigned lines, overlong;
	int end;
	struct linereader_info info; /* its strings point into the copies below */
	char format[32], formats[64], error[256];
};

static void read_all_from(struct linereader *r, struct got *g)
{
	struct span line;
	bool overlong;
	int v;

	memset(g, 0, sizeof(*g));
	while ((v = linereader_next(r, &line, &overlong)) > 0) {
		assert_true(g->len + line.len + 4 < sizeof(g->text));
		memcpy(g->text + g->len, line.p, line.len);
		g->len += line.len;
		if (overlong) {
			memcpy(g->text + g->len, "<+>", 3);
			g->len += 3;
			g->overlong++;
		}
		g->text[g->len++] = '\n';
		g->lines++;
	}
	g->text[g->len] = '\0';
	g->end = v;
	/* the end is sticky */
	assert_int_equal(linereader_next(r, &line, &overlong), v);
	linereader_info(r, &g->info);
	/* the reader's strings die with it: keep copies */
	snprintf(g->format, sizeof(g->format), "%s", g->info.format);
	snprintf(g->formats, sizeof(g->formats), "%s", g->info.formats);
	g->info.format = g->format;
	g->info.formats = g->formats;
	if (g->info.error) {
		snprintf(g->error, sizeof(g->error), "%s", g->info.error);
		g->info.error = g->error;
	}
}

static int read_path(const char *path, size_t max_line, struct got *g)
{
	struct linereader *r;
	int v = linereader_open(path, max_line, &r);

	if (v < 0)
		return v;
	read_all_from(r, g);
	linereader_free(r);
	return 0;
}

static void read_blob(const struct blob *b, size_t max_line, struct got *g)
{
	char *path = tmp_path();

	write_file(path, b->p ? (const void *)b->p : "", b->len);
	assert_int_equal(read_path(path, max_line, g), 0);
	unlink(path);
}

static const char LOG[] = "line one\nline two\nline three\n";

/* --- plain text ---------------------------------------------------------- */

static void test_plain(void **state)
{
	struct blob b = { 0 };
	struct got g;

	blob_str(&b, "a\n\nb\nlast without newline");
	read_blob(&b, 0, &g);
	assert_string_equal(g.text, "a\n\nb\nlast without newline\n");
	assert_int_equal(g.lines, 4);
	assert_int_equal(g.end, 0);
	assert_null(g.info.error);
	assert_string_equal(g.info.format, "text");
	assert_int_equal(g.info.raw_bytes, b.len);
	free(b.p);
}

static void test_empty(void **state)
{
	struct blob b = { 0 };
	struct got g;

	read_blob(&b, 0, &g);
	assert_int_equal(g.lines, 0);
	assert_int_equal(g.end, 0);
	assert_null(g.info.error);
	/* an empty compressed file is empty too */
	blob_gzip(&b, "");
	read_blob(&b, 0, &g);
	assert_int_equal(g.lines, 0);
	assert_int_equal(g.end, 0);
	assert_null(g.info.error);
	assert_string_equal(g.info.format, "gzip");
	free(b.p);
}

/* A line longer than max_line: its head, marked, the rest skipped; the
 * lines around it are intact, also across the 1 MiB chunks. */
static void test_overlong(void **state)
{
	struct blob b = { 0 };
	struct got g;
	char *big = malloc(3u << 20);

	assert_non_null(big);
	memset(big, 'A', 3u << 20);
	blob_str(&b, "before\n");
	blob_add(&b, big, 20);
	blob_str(&b, "\nshort\n");
	blob_add(&b, big, 3u << 20); /* spans several chunks */
	blob_str(&b, "\nafter\n");
	blob_add(&b, big, 30); /* overlong, at the end, no newline */
	read_blob(&b, 16, &g);
	assert_string_equal(g.text, "before\nAAAAAAAAAAAAAAAA<+>\nshort\nAAAAAAAAAAAAAAAA<+>\n"
				    "after\nAAAAAAAAAAAAAAAA<+>\n");
	assert_int_equal(g.overlong, 3);
	assert_int_equal(g.end, 0);
	/* exactly max_line is not overlong */
	free(b.p);
	b = (struct blob){ 0 };
	blob_str(&b, "0123456789abcdef\n0123456789abcdefg\n");
	read_blob(&b, 16, &g);
	assert_string_equal(g.text, "0123456789abcdef\n0123456789abcdef<+>\n");
	assert_int_equal(g.overlong, 1);
	free(b.p);
	free(big);
}

/* --- each compressor, alone, concatenated, mixed -------------------------- */

typedef void blob_fn(struct blob *, const char *);

static void check_codec(blob_fn *fn, const char *name)
{
	struct blob b = { 0 };
	struct got g;

	fn(&b, LOG);
	read_blob(&b, 0, &g);
	assert_string_equal(g.text, LOG);
	assert_int_equal(g.end, 0);
	assert_null(g.info.error);
	assert_string_equal(g.info.format, name);
	assert_int_equal(g.info.members, 1);
	assert_false(g.info.text_after);
	/* two streams/members/frames back to back: both read */
	fn(&b, "second stream\n");
	read_blob(&b, 0, &g);
	assert_string_equal(g.text, "line one\nline two\nline three\nsecond stream\n");
	assert_int_equal(g.info.members, 2);
	assert_null(g.info.error);
	free(b.p);
}

static void test_gzip(void **state)
{
	check_codec(blob_gzip, "gzip");
}

static void test_xz(void **state)
{
	check_codec(blob_xz, "xz");
}

static void test_bzip2(void **state)
{
	check_codec(blob_bzip2, "bzip2");
}

static void test_zstd(void **state)
{
	check_codec(blob_zstd, "zstd");
}

static void test_mixed(void **state)
{
	struct blob b = { 0 };
	struct got g;

	blob_gzip(&b, "g\n");
	blob_xz(&b, "x\n");
	blob_add(&b, "\0\0\0\0", 4); /* xz stream padding */
	blob_xz(&b, "x2\n");
	blob_bzip2(&b, "b\n");
	blob_zstd(&b, "z\n");
	read_blob(&b, 0, &g);
	assert_string_equal(g.text, "g\nx\nx2\nb\nz\n");
	assert_int_equal(g.info.members, 5);
	assert_string_equal(g.info.formats, "gzip+xz+bzip2+zstd");
	assert_null(g.info.error);
	free(b.p);
}

/* Plain text after a gzip member is read as lines, from a line of its own,
 * and noted with where it starts. */
static void test_text_after(void **state)
{
	struct blob b = { 0 };
	struct got g;

	blob_gzip(&b, LOG);
	size_t off = b.len;
	blob_str(&b, "plain 1\nplain 2\n");
	read_blob(&b, 0, &g);
	assert_string_equal(g.text, "line one\nline two\nline three\nplain 1\nplain 2\n");
	assert_true(g.info.text_after);
	assert_int_equal(g.info.text_offset, off);
	assert_int_equal(g.info.text_line, 4);
	assert_null(g.info.error);
	assert_string_equal(g.info.formats, "text+gzip");
	free(b.p);

	/* the compressed part ends inside a line: the text starts a new one */
	b = (struct blob){ 0 };
	blob_gzip(&b, "a\nunterminated");
	blob_str(&b, "plain\n");
	read_blob(&b, 0, &g);
	assert_string_equal(g.text, "a\nunterminated\nplain\n");
	assert_int_equal(g.info.text_line, 3);
	free(b.p);
}

/* --- damage ---------------------------------------------------------------- */

/* Cut inside the data: the complete lines before the cut are handed out,
 * the cut line dropped and counted, then -EIO with where it broke. */
static void check_truncated(blob_fn *fn)
{
	struct blob b = { 0 };
	struct got g;
	char text[20000];
	size_t len = 0;

	/* varied text, so that it does not compress to nearly nothing */
	for (unsigned i = 0; len + 40 < sizeof(text); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "record %u value %u\n", i,
					(i * 2654435761u) >> 7);
	fn(&b, text);
	b.len = b.len * 3 / 4;
	read_blob(&b, 0, &g);
	assert_int_equal(g.end, -EIO);
	assert_non_null(g.info.error);
	assert_non_null(strstr(g.info.error, "truncated"));
	assert_int_equal(g.info.error_offset, b.len);
	assert_int_equal(g.info.error_line, g.lines);
	/* what came out is a prefix of the text, whole lines only */
	assert_true(g.len <= len);
	assert_memory_equal(g.text, text, g.len);
	assert_true(g.len == 0 || g.text[g.len - 1] == '\n');
	/* every byte decoded is a line handed out or counted as dropped */
	assert_true(g.info.dropped < 40);
	free(b.p);
}

static void test_truncated(void **state)
{
	check_truncated(blob_gzip);
	check_truncated(blob_xz);
	check_truncated(blob_zstd);
	/* bzip2 decodes whole 100k blocks: a cut block yields nothing of itself */
	struct blob b = { 0 };
	struct got g;
	blob_bzip2(&b, LOG);
	b.len -= 4;
	read_blob(&b, 0, &g);
	assert_int_equal(g.end, -EIO);
	assert_non_null(g.info.error);
	free(b.p);
}

/* A damaged gzip member: good lines before the damage come out, then -EIO
 * naming the damage and its offset. */
static void test_gzip_damaged(void **state)
{
	struct blob b = { 0 };
	struct got g;

	blob_gzip(&b, LOG);
	size_t good = b.len;
	blob_gzip(&b, "second member\n");
	b.p[good + 10] ^= 0xff; /* inside the second member's deflate data */
	b.p[good + 11] ^= 0xff;
	read_blob(&b, 0, &g);
	assert_int_equal(g.end, -EIO);
	assert_string_equal(g.text, LOG);
	assert_non_null(g.info.error);
	assert_non_null(strstr(g.info.error, "gzip data damaged"));
	assert_true(g.info.error_offset > good && g.info.error_offset <= b.len);
	assert_int_equal(g.info.error_line, 3);
	free(b.p);

	/* a bad CRC: the text comes out, the damage is still reported */
	b = (struct blob){ 0 };
	blob_gzip(&b, LOG);
	b.p[b.len - 6] ^= 0x55;
	read_blob(&b, 0, &g);
	assert_string_equal(g.text, LOG);
	assert_int_equal(g.end, -EIO);
	assert_non_null(strstr(g.info.error, "incorrect data check"));
	free(b.p);
}

/* Known binary formats are refused by name, never handed out as lines. */
static void test_refused_formats(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *name;
	} cases[] = {
		{ "\x04\x22\x4d\x18\x64\x40\xa7\x00\x00\x00\x00", 11, "lz4" },
		{ "LZIP\x01\x0c\x00\x00", 8, "lzip" },
		{ "\x1f\x9d\x90\x41\x00", 5, "compress" },
		{ "LPKSHHRH\x01\x00\x00\x00", 12, "journal" },
		{ "\xd4\xc3\xb2\xa1\x02\x00\x04\x00", 8, "pcap" },
	};
	struct got g;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct blob b = { 0 };
		blob_add(&b, cases[i].bytes, cases[i].len);
		blob_str(&b, "\nlooks like a line\n");
		read_blob(&b, 0, &g);
		assert_int_equal(g.lines, 0);
		assert_int_equal(g.end, -EMEDIUMTYPE);
		assert_non_null(g.info.error);
		assert_non_null(strstr(g.info.error, cases[i].name));
		free(b.p);
	}
	/* after compressed data too: the lines before it stay */
	struct blob b = { 0 };
	blob_gzip(&b, LOG);
	blob_add(&b, cases[0].bytes, cases[0].len);
	read_blob(&b, 0, &g);
	assert_string_equal(g.text, LOG);
	assert_int_equal(g.end, -EMEDIUMTYPE);
	free(b.p);
}

/* zstd frames asking for a window above DECODE_MEMLIMIT are refused. */
static void test_zstd_window_limit(void **state)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	char out[4096];
	struct blob b = { 0 };
	struct got g;

	assert_non_null(c);
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, 28)));
	ZSTD_outBuffer ob = { out, sizeof(out), 0 };
	ZSTD_inBuffer ib = { LOG, strlen(LOG), 0 };
	/* streamed without a known size: the header carries the 256 MiB window */
	size_t left = ZSTD_compressStream2(c, &ob, &ib, ZSTD_e_continue);
	assert_false(ZSTD_isError(left));
	ZSTD_inBuffer none = { NULL, 0, 0 };
	for (int i = 0; i < 10; i++)
		if (!(left = ZSTD_compressStream2(c, &ob, &none, ZSTD_e_end)))
			break;
	assert_int_equal(left, 0);
	ZSTD_freeCCtx(c);
	blob_add(&b, out, ob.pos);
	read_blob(&b, 0, &g);
	assert_int_equal(g.lines, 0);
	assert_int_equal(g.end, -EIO);
	assert_non_null(strstr(g.info.error, "zstd"));
	free(b.p);
}

/* --- devices, FIFOs, stdin, directories ----------------------------------- */

static void test_devices(void **state)
{
	struct got g;

	assert_int_equal(read_path("/dev/zero", 0, &g), -ENODEV);
	assert_int_equal(read_path("/dev/urandom", 0, &g), -ENODEV);
	if (access("/dev/full", F_OK) == 0)
		assert_int_equal(read_path("/dev/full", 0, &g), -ENODEV);
	assert_non_null(strstr(linereader_strerror(-ENODEV), "device"));
	/* block devices are refused before they are opened */
	struct stat st;
	if (stat("/dev/loop0", &st) == 0 && S_ISBLK(st.st_mode))
		assert_int_equal(read_path("/dev/loop0", 0, &g), -ENODEV);
	/* /dev/null is empty input */
	assert_int_equal(read_path("/dev/null", 0, &g), 0);
	assert_int_equal(g.lines, 0);
	assert_int_equal(g.end, 0);
	assert_int_equal(read_path("/", 0, &g), -EISDIR);
	assert_int_equal(read_path("/nonexistent/vigil-test", 0, &g), -ENOENT);
}

/* A FIFO is a stream: read until its writer closes, compressed or not. */
static void test_fifo(void **state)
{
	char *path = tmp_path();
	struct blob b = { 0 };
	struct got g;

	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	int w = open(path, O_RDWR); /* a writer, so that the reader's open returns */
	assert_true(w >= 0);
	struct linereader *r;
	assert_int_equal(linereader_open(path, 0, &r), 0);
	blob_xz(&b, LOG);
	assert_int_equal(write(w, b.p, b.len), (ssize_t)b.len);
	close(w);
	read_all_from(r, &g);
	linereader_free(r);
	unlink(path);
	assert_string_equal(g.text, LOG);
	assert_int_equal(g.end, 0);
	free(b.p);
}

static void test_stdin(void **state)
{
	int fds[2], saved = dup(STDIN_FILENO);
	struct blob b = { 0 };
	struct linereader *r;
	struct got g;

	assert_true(saved >= 0);
	assert_int_equal(pipe(fds), 0);
	blob_bzip2(&b, LOG);
	assert_int_equal(write(fds[1], b.p, b.len), (ssize_t)b.len);
	close(fds[1]);
	assert_true(dup2(fds[0], STDIN_FILENO) >= 0);
	close(fds[0]);
	assert_int_equal(linereader_open("-", 0, &r), 0);
	read_all_from(r, &g);
	linereader_free(r);
	assert_true(dup2(saved, STDIN_FILENO) >= 0);
	close(saved);
	assert_string_equal(g.text, LOG);
	assert_string_equal(g.info.format, "bzip2");
	free(b.p);
}

/* Large compressed input crosses the decoder's input and output buffers. */
static void test_large(void **state)
{
	size_t n = 200000, len = 0;
	char *text = malloc(n * 32);
	struct blob b = { 0 };
	struct linereader *r;
	struct span line;
	bool overlong;
	int v;

	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "line %zu %zu\n", i, i * 7919 % 100003);
	blob_zstd(&b, text);
	char *path = tmp_path();
	write_file(path, b.p, b.len);
	assert_int_equal(linereader_open(path, 0, &r), 0);
	size_t i = 0, at = 0;
	while ((v = linereader_next(r, &line, &overlong)) > 0) {
		const char *nl = memchr(text + at, '\n', len - at);
		assert_non_null(nl);
		assert_int_equal(line.len, (size_t)(nl - (text + at)));
		assert_memory_equal(line.p, text + at, line.len);
		at += line.len + 1;
		i++;
	}
	assert_int_equal(v, 0);
	assert_int_equal(i, n);
	assert_int_equal(linereader_bytes(r), len);
	linereader_free(r);
	unlink(path);
	free(b.p);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_xz),
		cmocka_unit_test(test_bzip2),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_text_after),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_gzip_damaged),
		cmocka_unit_test(test_refused_formats),
		cmocka_unit_test(test_zstd_window_limit),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
