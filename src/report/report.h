/* SPDX-License-Identifier: GPL-2.0-or-later */
/* report.h - the end-of-run report of `vigil analyze`: text or JSON.
 *
 * Reads the engine's state (state.h) and the input counters; writes to a
 * FILE. Every byte that came from a log line (interface names, prefixes) is
 * escaped before it is printed. The JSON layout is fixed by cli.md.
 */
#ifndef VIGIL_REPORT_H
#define VIGIL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event/event.h"
#include "ingest/stats.h"
#include "util/addr.h"

struct engine;
struct matchers;

struct report_opts {
	unsigned min_dl;      /* list sources with dl >= min_dl */
	bool has_ip;          /* --ip: only sources in ip, or with a destination in it */
	struct net ip;
	const struct net *home_net; /* HOME_NET: sources inside are marked local, as */
	size_t n_home_net;          /* psad's "Local IP" (0 entries: "any", no marks) */
	const struct matchers *m;   /* the data sets matched against, or NULL */
	bool color;           /* text: ANSI colour (only on a tty, not with NO_COLOR) */
	unsigned width;       /* text: terminal width, 80 if unknown */
};

int report_json(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o);
int report_text(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o);

/* ISO 8601 "2026-03-11T20:35:11" of a log time, in the log's own zone; an
 * uptime-only time is written "+12345.678901s" (since boot). Returns length,
 * 0 when the time is unknown. */
int report_format_time(const struct vtime *t, char buf[40]);

#endif
