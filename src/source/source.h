/* SPDX-License-Identifier: GPL-2.0-or-later */
/* source.h - a live input of the daemon, read from one event loop.
 *
 * Every source exposes one fd to poll for input, hands over records when it
 * is readable (at most `budget` per call, so one busy source cannot starve
 * the others), keeps a position it can save and restore (so a restart
 * neither re-reads nor skips), and counts what it lost. No source blocks and
 * none runs a thread: the loop owns time.
 *
 * What a record is depends on the source:
 *   SOURCE_LINE     a text line of a followed file; the ingest reads its
 *                   envelope (syslog, journalctl text, ...) like analyze does
 *   SOURCE_MESSAGE  the kernel's message alone, its envelope already read by
 *                   the source from fields it trusts (kmsg PRI, the journal's
 *                   _TRANSPORT and SYSLOG_FACILITY)
 *   SOURCE_EVENT    a decoded packet (NFLOG): the event is ready to feed
 * Spans and the event point into the source's buffers: valid only during
 * the callback.
 *
 * Specs (INPUT_SOURCES): "kmsg", "file:PATH", "journal", "nflog:GROUP".
 */
#ifndef VIGIL_SOURCE_H
#define VIGIL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

struct event;

enum source_record_kind {
	SOURCE_LINE,
	SOURCE_MESSAGE,
	SOURCE_EVENT,
};

struct source_record {
	enum source_record_kind kind;
	struct span text;      /* LINE: without '\n'; MESSAGE: the kernel's text */
	bool overlong;         /* LINE: cut at max_line, the rest skipped */
	int facility;          /* MESSAGE: syslog facility the transport gave, -1 unknown */
	bool kernel;           /* MESSAGE: the transport says the kernel wrote it */
	struct event *ev;      /* EVENT: decoded; the callee may modify it */
	int64_t when_us;       /* engine time: the record's trusted wall time, else
				* the arrival time (CLOCK_REALTIME, microseconds) */
	bool time_trusted;     /* when_us came from the record, not from arrival */
};

typedef void source_record_fn(const struct source_record *r, void *data);

/* Counters of one source; `lost` is what the kernel or the source dropped
 * before vigil could read it (kmsg overruns and sequence gaps, NFLOG
 * ENOBUFS, file data skipped by a truncation). */
struct source_counters {
	uint64_t records;     /* handed to the callback */
	uint64_t bytes;
	uint64_t lost;
	uint64_t lost_events; /* times something was lost (each >= 1 record) */
	uint64_t overlong;    /* lines cut at max_line */
	uint64_t reopened;    /* reopens after a failure */
	uint64_t rotations;   /* file: rename+create or copytruncate followed */
	uint64_t truncations; /* file: shrank without a rotation we could follow */
	uint64_t errors;      /* failures (each reported once, then retried) */
	uint64_t rejected;    /* read but not handed over: nflog frames with no IP header */
};

struct source_opts {
	size_t max_line;       /* longest line/message kept (MAX_LINE_LENGTH) */
	size_t rcvbuf;         /* nflog: socket receive buffer, bytes (0: default) */
};

#define SOURCE_POS_MAX 512 /* a saved position, as text */

struct source;

struct source_ops {
	const char *kind; /* "kmsg", "file", "journal", "nflog" */
	/* (Re)open. 0 or -errno; on error the loop retries with back-off. */
	int (*open)(struct source *s);
	/* The fd to poll for EPOLLIN, or -1 while closed. May change after
	 * open() or read(); the loop asks again after each call. */
	int (*fd)(const struct source *s);
	/* Hand over at most budget records. Returns how many (0: drained for
	 * now), or -errno when the source failed (the loop closes it, reports
	 * it once and reopens it with back-off). */
	int (*read)(struct source *s, size_t budget, source_record_fn *cb, void *data);
	/* Periodic work that no fd announces (a file replaced under its name,
	 * polling a path that does not exist yet). now: CLOCK_MONOTONIC us. */
	int (*tick)(struct source *s, int64_t now_mono_us, source_record_fn *cb, void *data);
	/* Position after the last record handed over, as one line of text
	 * ("seq=123 boot=..."); returns its length, or 0 if it has none. */
	size_t (*save)(const struct source *s, char *buf, size_t len);
	/* Resume after a saved position (before open()). -EINVAL if foreign. */
	int (*restore)(struct source *s, const char *pos, size_t len);
	void (*close)(struct source *s);
	void (*free)(struct source *s);
};

/* The common head of every source; a backend embeds it first. */
struct source {
	const struct source_ops *ops;
	char spec[256];              /* as configured: "file:/var/log/kern.log" */
	struct source_opts opts;
	struct source_counters n;
	char error[160];             /* the last failure, for status; "" if none */
};

/* Build a source from its spec. -EINVAL for an unknown kind or a bad
 * argument (reterr_why says which), -ENOMEM. The source is not open yet. */
int source_new(const char *spec, const struct source_opts *o, struct source **ret,
	       const char **reterr_why);
struct source *source_free(struct source *s); /* NULL-safe; returns NULL */

/* Backends (one file each). */
int source_kmsg_new(const char *arg, const struct source_opts *o, struct source **ret);
int source_file_new(const char *path, const struct source_opts *o, struct source **ret);
int source_journal_new(const char *arg, const struct source_opts *o, struct source **ret);
int source_nflog_new(const char *group, const struct source_opts *o, struct source **ret);

#endif
