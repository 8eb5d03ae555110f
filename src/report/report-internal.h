/* SPDX-License-Identifier: GPL-2.0-or-later */
/* report-internal.h - the report's pieces that need no engine.
 *
 * report_json() and report_text() take the engine's sorted sources and
 * counters and hand them to the functions below, which read only the public
 * state structs (state.h). Tests call these directly on hand-built states.
 */
#ifndef VIGIL_REPORT_INTERNAL_H
#define VIGIL_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "engine/engine.h"
#include "engine/portset.h"
#include "engine/state.h"
#include "report/report.h"

#define REPORT_SPAN_MAX 12 /* "65535-65535" + NUL */

/* select.c: which sources a report lists, and how it names them. */
/* Does the source pass --min-dl and --ip? (--ip: the source is in one of
 * the networks, or one of its itemised destinations is; a --group-v6
 * network meets an --ip network when one holds the other.) */
bool report_source_listed(const struct source_state *s, const struct report_opts *o);
/* Is the source inside HOME_NET (never when HOME_NET is "any")? */
bool report_source_local(const struct source_state *s, const struct report_opts *o);
/* The source's address, or "ADDR/LEN" when --group-v6 grouped it (an IPv6
 * source with no bits past LEN, not spoofed: ingest leaves spoofed ones
 * single). Returns the length. */
int report_source_name(const struct source_state *s, const struct report_opts *o,
		       char buf[NET_STR_MAX]);

/* "1000-1500" or "80". Returns the length. */
int report_span_format(struct port_span sp, char buf[REPORT_SPAN_MAX]);

/* v holds n sources in report order (engine_sources_sorted()); only those
 * report_source_listed() keeps are written. 0, -errno of a failed write,
 * -EIO, or -ENOMEM (text). */
/* The body of a report, given the listed sources in order. */
typedef int report_sources_fn(FILE *out, const struct source_state **v, size_t n,
			      const struct input_stats *in, const struct engine_stats *es,
			      const struct report_opts *o);
/* Collect the engine's sorted sources and stats, then call fn. */
int report_engine(FILE *out, const struct engine *e, const struct input_stats *in,
		  const struct report_opts *o, report_sources_fn *fn);

/* One source of `analyze --json`'s "sources" (also `status --json`'s), and
 * one of its "destinations" (also a JSON alert's per-protocol fields). */
struct jsonw;
void json_write_source(struct jsonw *w, const struct source_state *s,
		       const struct report_opts *o);
void json_write_destination(struct jsonw *w, const struct pair_state *p);
/* The destination's fields from "chain" to "last_seen" (no braces, no dst
 * and level): what a JSON alert writes inline. */
void json_write_destination_fields(struct jsonw *w, const struct pair_state *p);
/* "scan_types" and "nmap" of a set of enum scan_type bits. */
void json_write_scan_types(struct jsonw *w, uint32_t types);

/* The text report's source table and details of the listed sources of v
 * (report order), into ob. 0 or -ENOMEM. */
struct outbuf;
int report_text_listing(struct outbuf *ob, const struct source_state **v, size_t n,
			const struct report_opts *o);

int report_json_sources(FILE *out, const struct source_state **v, size_t n,
			const struct input_stats *in, const struct engine_stats *es,
			const struct report_opts *o);
int report_text_sources(FILE *out, const struct source_state **v, size_t n,
			const struct input_stats *in, const struct engine_stats *es,
			const struct report_opts *o);

#endif
