/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exports-internal.h - the export reports' pieces that need no engine.
 *
 * report_csv(), report_list() and report_nft() hand the engine's sorted
 * sources to the functions below (report_engine()); tests call them directly
 * on hand-built states. Layouts: docs/cli.md, "Exports".
 */
#ifndef VIGIL_EXPORTS_INTERNAL_H
#define VIGIL_EXPORTS_INTERNAL_H

#include <stddef.h>

#include "report/report-internal.h"

/* csv.c: one row per source-destination pair, CRLF line ends. */
int report_csv_sources(FILE *out, const struct source_state **v, size_t n,
		       const struct input_stats *in, const struct engine_stats *es,
		       const struct report_opts *o);

/* list.c: why a listed source (report_source_listed()) may not be blocked. */
enum block_verdict {
	BLOCK_OK,
	BLOCK_SPOOFED,     /* an address that cannot have sent it (blame.c) */
	BLOCK_REFLECTED,   /* it only sent replies (backscatter) up to the level */
	BLOCK_WHITELISTED, /* overlaps BLOCK_WHITELIST */
	BLOCK_LOCAL,       /* overlaps HOME_NET */
	_BLOCK_VERDICT_MAX,
};
enum block_verdict report_block_verdict(const struct source_state *s,
					const struct report_opts *o);
/* "spoofed", "reflected", "in BLOCK_WHITELIST", "inside HOME_NET"; NULL for OK */
const char *block_verdict_name(enum block_verdict v);

int report_list_sources(FILE *out, const struct source_state **v, size_t n,
			const struct input_stats *in, const struct engine_stats *es,
			const struct report_opts *o);
int report_nft_sources(FILE *out, const struct source_state **v, size_t n,
		       const struct input_stats *in, const struct engine_stats *es,
		       const struct report_opts *o);

#define NFT_TIMEOUT_DEFAULT 86400 /* s: --nft-timeout 0 */
#define NFT_CHUNK 1000            /* elements per "add element" line */

#endif
