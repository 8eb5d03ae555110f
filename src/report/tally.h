/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tally.h - what `vigil analyze` counts per event that the engine does not
 * keep: events by log prefix, by input interface and by chain, and
 * timelines (events per time bucket, overall and per source) for the HTML
 * report.
 *
 * Fed from ingest's event hook (ingest_on_event) with the engine time of
 * each counted event. Bounded: at most TALLY_NAMES_MAX distinct names per
 * kind (the rest are counted in `other`), per-source timelines for at most
 * TALLY_SERIES_MAX sources (only when asked for), each TALLY_BUCKETS
 * buckets wide (the bucket width doubles as a source's span grows).
 */
#ifndef VIGIL_TALLY_H
#define VIGIL_TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/event.h"
#include "util/addr.h"

#define TALLY_NAMES_MAX 64
#define TALLY_NAME_MAX 64        /* escaped name, NUL included */
#define TALLY_BUCKETS 64
#define TALLY_SERIES_MAX 100000

enum tally_kind {
	TALLY_PREFIX, /* log prefix, trimmed ("" none) */
	TALLY_IN,     /* input interface ("" none) */
	TALLY_CHAIN,  /* INPUT, FORWARD, OUTPUT */
	_TALLY_KIND_MAX,
};

struct tally_name {
	char name[TALLY_NAME_MAX]; /* \xNN-escaped as the engine escapes */
	uint64_t events;
};

/* Events per bucket: bucket i holds [start_us + i*width_us, +width_us). */
struct tally_series {
	int64_t start_us, width_us;
	uint64_t count[TALLY_BUCKETS];
};

struct tally;

/* timelines: also keep per-source series (HTML). NULL on ENOMEM. */
struct tally *tally_new(bool timelines);
struct tally *tally_free(struct tally *t); /* NULL-safe; returns NULL */

/* One event the engine counted (ingest_event_fn-compatible: data is the
 * tally). */
void tally_event(const struct event *ev, int64_t when_us, void *data);

/* The names of a kind, most events first; n written to *ret_n, the events
 * of names beyond TALLY_NAMES_MAX in *ret_other. */
const struct tally_name *tally_names(const struct tally *t, enum tally_kind k, size_t *ret_n,
				     uint64_t *ret_other);

/* Every event's timeline. */
const struct tally_series *tally_overall(const struct tally *t);

/* A source's timeline (its address as the engine keys it), or NULL when
 * none was kept. */
const struct tally_series *tally_source(const struct tally *t, const struct addr *src);

/* s's counts re-binned into n buckets of width_us from start_us (a chart's
 * common axis); events outside are dropped. */
void tally_series_rebin(const struct tally_series *s, int64_t start_us, int64_t width_us,
			size_t n, uint64_t *ret);

/* Series not kept (over TALLY_SERIES_MAX or out of memory). */
uint64_t tally_series_dropped(const struct tally *t);

#endif
