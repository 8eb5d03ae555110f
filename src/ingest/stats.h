/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stats.h - what one input (a file, a stream, a live source) delivered, as
 * ingest counts it: every record is exactly one of an event, ignored (with
 * the reason) or malformed. The reports and the daemon's status print these
 * counters; ingest.c (and, for whole files, the reader of `analyze`) fills
 * them.
 */
#ifndef VIGIL_INGEST_STATS_H
#define VIGIL_INGEST_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/event.h"

/* An input not read to its end (error) or read with a surprise (a note):
 * plain text after compressed data. The file name is as given (reports
 * escape it). */
struct input_problem {
	char file[512];
	char reason[224];
	bool error;           /* data was lost: the rest of the input is not read */
	bool has_pos;         /* offset and line are known (the file was opened) */
	uint64_t offset;      /* byte offset in the file (compressed bytes) */
	uint64_t line;        /* error: lines read before it; note: its first line */
	uint64_t dropped;     /* error: bytes of an unfinished line discarded */
	/* error inside a compressed member: where the member began (damage is
	 * found at the member's checksum at the latest; its lines were read) */
	bool has_member;
	uint64_t member_offset, member_line;
};
#define INPUT_PROBLEMS_MAX 32

/* How the input lines were counted: lines == events + ignored + malformed.
 * "lines" counts every record handed to ingest: a log line, a message of a
 * record source (kmsg, journal) or an event decoded by the source (NFLOG). */
struct input_stats {
	uint64_t files;
	uint64_t bytes;
	uint64_t lines;
	uint64_t events;
	uint64_t ignored;
	uint64_t malformed;
	/* ignored, by reason; the configuration filters' counts are in engine_stats */
	uint64_t ignored_blank;
	uint64_t ignored_not_firewall; /* not a netfilter record */
	uint64_t ignored_not_kernel;   /* a netfilter-looking line from another program */
	uint64_t ignored_not_ip;       /* ARP and other non-IP families */
	uint64_t ignored_no_tag;       /* syslog line without a valid program tag */
	uint64_t ignored_unknown_envelope; /* a record in no envelope vigil recognises */
	uint64_t ignored_off_format;   /* an envelope other than the input's format */
	uint64_t ignored_record_part;  /* a line inside a multi-line journal export entry */
	uint64_t ignored_filtered;     /* an event analyze's --since/--port/... filters left out */
	uint64_t ignored_untimed;      /* of those, records --since/--until could not place:
					* no wall-clock time (uptime-only kmsg, dmesg) */
	uint64_t repeated;   /* records rsyslog folded into "message repeated N times"
			      * lines, beyond the one each line counts for */
	uint64_t repeated_unfed; /* of those, not fed to the engine (over the cap) */
	struct vtime first, last;      /* time span of the events */
	/* inputs not read to their end: unreadable, refused (a device, a format
	 * vigil does not read), damaged or truncated compressed data */
	uint64_t read_errors;
	uint64_t lost;                 /* records the source lost (at least): /dev/kmsg
				* overruns, NFLOG ENOBUFS, ... */
	const struct input_problem *problems; /* the first INPUT_PROBLEMS_MAX, in order */
	size_t n_problems;
	uint64_t problems_unlisted;    /* more than INPUT_PROBLEMS_MAX */
};

#endif
