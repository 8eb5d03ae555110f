/* SPDX-License-Identifier: GPL-2.0-or-later */
/* state-bench.c - the time to save and to restore the engine's state, and
 * its size, for the sources a log leaves behind.
 *
 * Build (after `make`), with every library object of build/src but the
 * tests' and build/build-gen/embedded.o, and -lz -llzma -lzstd -lbz2 (the
 * command is in bench/README.md).
 *
 * Usage: state-bench LOG [MAX_SOURCES]. Feeds every line of LOG (analyze's
 * parser, default config, no data sets) into an engine, then saves it into
 * memory and restores the blob into a fresh engine, five times each, and
 * prints the median CPU and wall time of each, the blob's size and the
 * sources restored. `gen -f -n 100000` makes the 100,000-source flood of the
 * issue's figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "engine/engine.h"
#include "parse/parse.h"

#define RUNS 5

static double clock_s(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v)
{
	qsort(v, RUNS, sizeof(*v), cmp_d);
	return v[RUNS / 2];
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct engine *e;
	struct parse_input pi;
	char *line = NULL, *buf = NULL;
	size_t cap = 0, len = 0, restored = 0;
	double save_cpu[RUNS], save_wall[RUNS], rest_cpu[RUNS], rest_wall[RUNS];
	ssize_t n;
	FILE *in;

	if (argc < 2 || !(in = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: state-bench LOG [MAX_SOURCES]\n");
		return 2;
	}
	config_init(&cfg);
	if (argc > 2)
		cfg.max_sources = (uint32_t)strtoul(argv[2], NULL, 10);
	if (engine_new(&cfg, NULL, NULL, NULL, &e) < 0)
		return 1;
	parse_input_init(&pi, 1700000000);
	while ((n = getline(&line, &cap, in)) > 0) {
		struct event ev;
		enum parse_ignore why;
		struct parse_error err;
		if (line[n - 1] == '\n')
			n--;
		if (parse_line(&pi, span_make(line, (size_t)n), &ev, &why, &err) == PARSE_EVENT)
			(void)engine_feed(e, &ev, ev.time.sec * 1000000);
	}
	fclose(in);
	free(line);
	for (int i = 0; i < RUNS; i++) {
		struct engine *e2;
		const char *why;
		FILE *m;
		double c0, w0;

		free(buf);
		buf = NULL;
		if (!(m = open_memstream(&buf, &len)))
			return 1;
		c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		w0 = clock_s(CLOCK_MONOTONIC);
		if (engine_save(e, m) < 0 || fflush(m) != 0)
			return 1;
		save_cpu[i] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		save_wall[i] = clock_s(CLOCK_MONOTONIC) - w0;
		fclose(m);
		if (engine_new(&cfg, NULL, NULL, NULL, &e2) < 0)
			return 1;
		c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		w0 = clock_s(CLOCK_MONOTONIC);
		if (engine_restore(e2, buf, len, &why) < 0) {
			fprintf(stderr, "state-bench: restore failed: %s\n", why);
			return 1;
		}
		rest_cpu[i] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		rest_wall[i] = clock_s(CLOCK_MONOTONIC) - w0;
		restored = engine_source_count(e2);
		engine_free(e2);
	}
	printf("sources %zu  blob %zu bytes (%.0f per source)\n", engine_source_count(e), len,
	       (double)len / (double)(engine_source_count(e) ? engine_source_count(e) : 1));
	printf("save    median cpu %.3f s  wall %.3f s\n", median(save_cpu), median(save_wall));
	printf("restore median cpu %.3f s  wall %.3f s  (%zu sources)\n", median(rest_cpu),
	       median(rest_wall), restored);
	free(buf);
	engine_free(e);
	return 0;
}
