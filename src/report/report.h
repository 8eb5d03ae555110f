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
#include "util/addr.h"

struct engine;
struct matchers;

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

/* How the input lines were counted: lines == events + ignored + malformed. */
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
	uint64_t repeated;   /* records rsyslog folded into "message repeated N times"
			      * lines, beyond the one each line counts for */
	uint64_t repeated_unfed; /* of those, not fed to the engine (over the cap) */
	struct vtime first, last;      /* time span of the events */
	/* inputs not read to their end: unreadable, refused (a device, a format
	 * vigil does not read), damaged or truncated compressed data */
	uint64_t read_errors;
	uint64_t lost;                 /* /dev/kmsg records overwritten unread (at least) */
	const struct input_problem *problems; /* the first INPUT_PROBLEMS_MAX, in order */
	size_t n_problems;
	uint64_t problems_unlisted;    /* more than INPUT_PROBLEMS_MAX */
};

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
