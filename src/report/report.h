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

#define REPORT_IPS_MAX 64   /* --ip given at most this often */
#define REPORT_TOP_DEFAULT 10

struct config;
struct tally;

struct report_opts {
	unsigned min_dl;      /* list sources with dl >= min_dl */
	bool min_dl_given;    /* --min-dl (or MIN_DANGER_LEVEL) was set: the text
			       * details then start there, else at DL 1 */
	/* --ip, repeated: only sources in one of the networks, or with a
	 * destination in one (n_ips 0: every source) */
	const struct net *ips;
	size_t n_ips;
	unsigned group_v6;    /* --group-v6 LEN: IPv6 sources were grouped into
			       * networks of LEN bits (0: not); written "ADDR/LEN" */
	const struct net *home_net; /* HOME_NET: sources inside are marked local, as */
	size_t n_home_net;          /* psad's "Local IP" (0 entries: "any", no marks) */
	const struct matchers *m;   /* the data sets matched against, or NULL */
	const struct config *cfg;   /* thresholds for the legend, whitelist; or NULL */
	const struct tally *tally;  /* analyze's per-record counts (prefixes,
				     * interfaces, chains, timelines), or NULL */
	bool color;           /* text: ANSI colour (only on a tty, not with NO_COLOR) */
	unsigned width;       /* text: terminal width, 80 if unknown */
	bool summary_only;    /* text: --summary, stop after the summary */
	unsigned top;         /* --top N: entries per summary list (default
			       * REPORT_TOP_DEFAULT) */
	bool top_given;       /* --top given: it also bounds the details */
	const char *nft_set;  /* --nft-set NAME */
	uint32_t nft_timeout; /* --nft-timeout SECONDS (0: one day) */
	const char *nft_table; /* --nft-table NAME: the inet table (NULL: "vigil") */
	const char *filters;  /* the filters in force, as the user gave them
			       * ("--since 2026-05-19 --port 22"), for the
			       * reports to say; or NULL */
	int64_t now;          /* wall seconds (UTC) the report is made */
	/* --list, --nft-set: filled with what was listed and what was not
	 * (report_list/report_nft), for the command to say; or NULL */
	struct report_block_stats *block_stats;
};

/* The sources at or above --min-dl (and in --ip) a block list holds, and
 * those it leaves out and why (docs/cli.md, "Exports"). */
struct report_block_stats {
	uint64_t listed, listed_v4, listed_v6;
	uint64_t listed_private; /* listed in private, shared or link-local space
				  * (RFC 1918, RFC 6598, ULA, ...): a hint to set HOME_NET */
	uint64_t spoofed, reflected, whitelisted, local;
};

int report_json(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o);
int report_text(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o);
/* --csv: one row per source-destination pair (docs/cli.md, "CSV"). */
int report_csv(FILE *out, const struct engine *e, const struct input_stats *in,
	       const struct report_opts *o);
/* --list: the addresses/networks at or above --min-dl that may be blocked,
 * one per line. --nft-set NAME: an nft script adding them to a set. */
int report_list(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o);
int report_nft(FILE *out, const struct engine *e, const struct input_stats *in,
	       const struct report_opts *o);
/* --html FILE: one self-contained HTML page (no network, no scripts from
 * elsewhere). */
int report_html(FILE *out, const struct engine *e, const struct input_stats *in,
		const struct report_opts *o);

/* ISO 8601 "2026-03-11T20:35:11" of a log time, in the log's own zone,
 * with the log's UTC offset when it gave one ("2026-03-11T20:35:11+01:00",
 * "+00:00" for UTC); an uptime-only time is written "+12345.678901s"
 * (since boot). Returns length, 0 when the time is unknown. */
int report_format_time(const struct vtime *t, char buf[40]);
/* The same with the fraction of a wall time ("...T20:35:11.000123+01:00"). */
#define REPORT_TIME_MAX 64
int report_format_time_us(const struct vtime *t, char buf[REPORT_TIME_MAX]);

#endif
