/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-state.c - libFuzzer target for engine_restore(), the reader of the
 * daemon's saved state.
 *
 * The input's last four bytes are replaced by its CRC32 so that the fuzzer
 * reaches the record parser instead of stopping at the checksum (the
 * checksum test itself is the unit test's). Besides memory errors it
 * checks:
 * - a refused blob leaves the engine empty, with a reason;
 * - a restored engine can be reported, fed, expired, and saved, and its
 *   save restores into another engine that saves the same bytes again;
 * - the daemon's state-file container (daemon/statefile.c) reads the same
 *   bytes as they are: refused with a reason, or every section inside them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "config/config.h"
#include "daemon/statefile.h"
#include "engine/engine.h"
#include "report/report-internal.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config cfg;

static char *save(const struct engine *e, size_t *ret_len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, ret_len);

	if (!f || engine_save(e, f) != 0 || fclose(f) != 0)
		abort();
	return buf;
}

static void report(const struct engine *e)
{
	static const struct input_stats in;
	struct engine_stats es;
	struct report_opts o = {.width = 80};
	size_t n, len = 0;
	const struct source_state **v = engine_sources_sorted(e, &n);
	char *doc = NULL;
	FILE *f = open_memstream(&doc, &len);

	if (!f)
		abort();
	engine_get_stats(e, &es);
	(void)report_json_sources(f, v, n, &in, &es, &o);
	(void)report_text_sources(f, v, n, &in, &es, &o);
	fclose(f);
	free(doc);
	free(v);
}

static struct engine *restore(const void *buf, size_t len, int *ret_r)
{
	struct engine *e = NULL;
	const char *why = NULL;

	if (engine_new(&cfg, NULL, NULL, NULL, &e) != 0)
		abort();
	*ret_r = engine_restore(e, buf, len, &why);
	if (*ret_r < 0 && (!why || engine_source_count(e) != 0))
		abort();
	return e;
}

/* The container first, on the untouched bytes (its own CRC is part of it). */
static void container(const uint8_t *data, size_t size)
{
	struct statefile *sf = NULL;
	const char *why = NULL;
	const void *sec;
	size_t len;

	if (statefile_parse(data, size, &sf, &why) < 0) {
		if (!why)
			abort();
		return;
	}
	if (statefile_get(sf, STATEFILE_TAG('E', 'N', 'G', 'N'), &sec, &len) == 0 &&
	    ((const uint8_t *)sec < data || (const uint8_t *)sec + len > data + size))
		abort();
	statefile_free(sf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	container(data, size);
	uint8_t *buf;
	struct engine *e, *e2;
	struct event ev = {0};
	char *s1, *s2;
	size_t l1, l2;
	int r;

	if (!cfg.max_sources) {
		config_init(&cfg);
		cfg.max_sources = 512;
		cfg.memory_limit_kib = 8u << 10;
	}
	if (!(buf = malloc(size ? size : 1)))
		abort();
	memcpy(buf, data, size);
	if (size >= 16) {
		uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), buf, (uInt)(size - 4));
		for (int i = 0; i < 4; i++)
			buf[size - 4 + i] = (uint8_t)(crc >> (8 * i));
	}
	e = restore(buf, size, &r);
	free(buf);
	if (r == 0) {
		report(e);
		s1 = save(e, &l1);
		e2 = restore(s1, l1, &r);
		if (r != 0)
			abort();
		s2 = save(e2, &l2);
		if (l1 != l2 || memcmp(s1, s2, l1) != 0)
			abort();
		free(s1);
		free(s2);
		engine_free(e2);
		/* still a working engine */
		ev.src.family = ADDR_V4;
		ev.src.b[0] = 198;
		ev.src.b[1] = 18;
		ev.dst = ev.src;
		ev.dst.b[3] = 1;
		ev.proto = 6;
		ev.has_ports = true;
		ev.dport = 80;
		ev.tcp_flags = 0x02;
		(void)engine_feed(e, &ev, INT64_C(1800000000) * 1000000);
		(void)engine_expire(e, INT64_C(1900000000) * 1000000, 1024);
		report(e);
	}
	engine_free(e);
	return 0;
}
