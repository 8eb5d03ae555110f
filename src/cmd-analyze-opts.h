/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-analyze-opts.h - the options of `vigil analyze`: what the command
 * line chose, checked (cmd-analyze-opts.c), for the run (cmd-analyze.c). */
#ifndef VIGIL_CMD_ANALYZE_OPTS_H
#define VIGIL_CMD_ANALYZE_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/detector.h"
#include "parse/parse.h"
#include "report/report.h"
#include "util/addr.h"

struct event_filter;

/* What goes to stdout: one of these. */
enum analyze_output { OUT_TEXT, OUT_JSON, OUT_CSV, OUT_LIST, OUT_NFT };

struct analyze_opts {
	struct detector_opts det; /* --config, --auto-dl and the data sets */
	enum analyze_output output;
	const char *output_opt;   /* the option that chose it (for the usage error) */
	bool verbose, no_color;
	unsigned min_dl;
	bool min_dl_given;
	struct net ips[REPORT_IPS_MAX]; /* --ip, repeated */
	size_t n_ips;
	int year; /* --year: reference year for yearless timestamps */
	enum parse_format format; /* --format: every input's format (default: found) */
	bool summary_only;        /* --summary */
	unsigned top;             /* --top N */
	bool top_given;
	unsigned group_v6;        /* --group-v6 LEN */
	const char *nft_set;      /* --nft-set NAME */
	uint32_t nft_timeout;     /* --nft-timeout SECONDS */
	const char *nft_table;    /* --nft-table NAME */
	const char *html;         /* --html FILE */
	struct event_filter *filter; /* --since, --until, --port, --proto, --prefix, --chain */
	char filters[512];        /* those options as given, escaped, for the report */
};

/* argv into *o (zeroed by the caller). 0: go on; 1: done (--help printed);
 * -EINVAL: a usage error, said on stderr. *ret_exit: the exit status when
 * not 0. o->filter is the caller's to free (filter_free) in every case. */
int analyze_parse_opts(int argc, char **argv, struct analyze_opts *o, int *ret_exit);

#endif
