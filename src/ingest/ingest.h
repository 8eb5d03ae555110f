/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ingest.h - one input's records into the engine, every one counted.
 *
 * The per-record pipeline both commands share: count, parse, feed, and
 * count what was not fed (ignored by reason, malformed). `analyze` makes one
 * ingest for its run and starts a new input per file (ingest_begin); the
 * daemon makes one per source. Records come in three shapes:
 *   - ingest_line():    a log line with its envelope (syslog file, stdin);
 *   - ingest_message(): the kernel's message alone plus trusted metadata
 *                       (kmsg, journal): no envelope is guessed;
 *   - ingest_event():   an event the source decoded itself (NFLOG).
 * Each counts one in input_stats.lines and then exactly one of events,
 * ignored or malformed, so lines == events + ignored + malformed always.
 *
 * Engine time (the clock the engine's windows run on) is taken once per
 * record, in one place (feed() in ingest.c):
 *   - lines, analyze (opts.live false): the log's own time as it reads, or the
 *     last one known for lines without a time;
 *   - lines, live: the line's time converted to UTC when it lies within
 *     [arrival - 7 days, arrival + 5 min], else the arrival time;
 *   - messages and events: when_us, the time the source trusts.
 * struct vtime in the event stays what the log showed (for display).
 *
 * No I/O and no logging of its own (the live policy reads the zone through
 * localtime_r/mktime): a malformed record goes to the callback set with
 * ingest_on_malformed() (the caller names it, and rate-limits in a daemon).
 * Not thread-safe; one ingest per source.
 *
 * Lines whose input format is still tentative (LOGEMU-looking lines, see
 * parse.h) are held, at most PARSE_LOGEMU_CONFIRM of them, until the format
 * is sure or ingest_end(): a live source that knows its format should say
 * so in ingest_opts.format.
 */
#ifndef VIGIL_INGEST_H
#define VIGIL_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "ingest/stats.h"
#include "parse/parse.h"
#include "util/span.h"

struct config;
struct engine;
struct record_meta; /* parse.h (parse_message) */
struct event_filter; /* ingest/filter.h */

/* Accepted skew of a live line's own time against its arrival. */
#define INGEST_LIVE_PAST_US (7LL * 86400 * 1000000)
#define INGEST_LIVE_FUTURE_US (5LL * 60 * 1000000)

struct ingest_opts {
	const char *name;         /* the input's name for callbacks (kept, not copied) */
	bool live;                /* daemon: time policy for lines, see above */
	enum parse_format format; /* --format, or PARSE_FMT_UNKNOWN: found per input */
	int64_t ref_sec;          /* year inference reference (parse_clock), local wall s */
	unsigned group_v6;        /* analyze --group-v6 LEN: an IPv6 source address
				   * is cut to its first LEN bits before the engine
				   * sees it (one source per network; spoofed
				   * ones stay single, see ingest.c); 0: off */
	const struct event_filter *filter; /* analyze's --since/--port/...: events
				   * that fail it are ignored (ignored_filtered);
				   * NULL: none. The caller's; outlives the ingest. */
};

struct ingest; /* opaque */

/* A malformed record: name as given in the options (or ingest_begin), the
 * record's number in its input (1-based), where and why. err->got points
 * into the record: valid during the call only. */
typedef void ingest_malformed_fn(const char *name, uint64_t lineno, const struct parse_error *err,
				 void *data);

/* e and cfg are the caller's and must outlive the ingest (or be swapped by
 * ingest_set_engine). Returns 0 or -ENOMEM. */
int ingest_new(struct engine *e, const struct config *cfg, const struct ingest_opts *o,
	       struct ingest **ret);
struct ingest *ingest_free(struct ingest *in); /* NULL-safe; returns NULL */

void ingest_on_malformed(struct ingest *in, ingest_malformed_fn *fn, void *data);

/* An event the engine counted (after the filter and --group-v6), with the
 * engine time it was fed at; ev is valid during the call only. analyze's
 * tally (report/tally.h) listens here. */
typedef void ingest_event_fn(const struct event *ev, int64_t when_us, void *data);
void ingest_on_event(struct ingest *in, ingest_event_fn *fn, void *data);

/* A new input (the next file of `analyze`): a new parse state (format found
 * again unless forced, year reference ref_sec), line numbers from 1. The
 * counters go on. Call ingest_end() on the previous input first. */
void ingest_begin(struct ingest *in, const char *name, int64_t ref_sec);

/* The input's uptimes (dmesg, /dev/kmsg: VTIME_UPTIME) count from boot_us
 * (wall µs since the epoch, UTC): its events then carry wall-clock times in
 * the local zone with their offset. 0 (the default, and again after
 * ingest_begin): the boot time is unknown, uptimes stay uptimes. analyze
 * sets it for /dev/kmsg of the live host (linereader_boot_us). */
void ingest_set_boot(struct ingest *in, int64_t boot_us);

/* End of the input: a tentative format holds, and the lines held while it
 * was tentative are read. Returns true when the input ended inside a
 * journal export entry (cut off: that entry is not read). */
bool ingest_end(struct ingest *in);

/* One line, without its '\n'. overlong: the reader cut it at
 * MAX_LINE_LENGTH (malformed). arrival_us: wall µs it was read (live only). */
void ingest_line(struct ingest *in, struct span line, bool overlong, int64_t arrival_us);

/* The kernel's message alone, with what the transport says about it;
 * when_us: the record's engine time. */
void ingest_message(struct ingest *in, const struct record_meta *meta, struct span msg,
		    int64_t when_us);

/* An event the source decoded itself; ev->origin is the source's. */
void ingest_event(struct ingest *in, struct event *ev, int64_t when_us);

/* Records the source knows it lost (overrun, ENOBUFS): counted in lost. */
void ingest_lost(struct ingest *in, uint64_t n);

const struct input_stats *ingest_stats(const struct ingest *in);

/* The engine time (wall µs; analyze: the log's own clock) the last event
 * was fed at, 0 before the first: what the time policy chose. */
int64_t ingest_fed_us(const struct ingest *in);

/* Reload: feed e (with cfg) from the next record on. */
void ingest_set_engine(struct ingest *in, struct engine *e, const struct config *cfg);

#endif
