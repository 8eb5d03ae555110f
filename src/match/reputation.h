/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reputation.h - lists of known-bad networks, longest-prefix match.
 *
 * A list is plain text, one IPv4/IPv6 address or network per line
 * ("ADDR", "ADDR/LEN", IPv4 "ADDR/DOTTED.MASK"), as Spamhaus DROP, FireHOL
 * netsets or a hand-written file give them. '#' and ';' start a comment,
 * anywhere on a line; anything after the first blank following the network
 * is ignored too ("1.2.3.0/24 ; SBL123", "1.2.3.4 scanner").
 *
 * Several lists may be added to one set; a hit names the list that first
 * listed the matching network. Loading never stops at a bad line: it is
 * reported (CONFIG_ERROR, FILE:LINE, escaped excerpt), counted and skipped.
 * Host bits set in a network ("198.18.0.1/15") are cleared with a
 * CONFIG_WARNING, as psad accepts such entries.
 *
 * Limits: REPUTATION_MAX_ENTRIES distinct networks per set, or fewer
 * (reputation_set_max_entries); more are reported once per list and
 * counted in stats.dropped, lines of at most
 * REPUTATION_MAX_LINE bytes; files of at most REPUTATION_MAX_FILE bytes
 * (read by the caller: matchers.c).
 * A lookup does the same few memory reads for ten entries or a million
 * and never allocates; after loading, the set is read-only and may be shared.
 */
#ifndef VIGIL_REPUTATION_H
#define VIGIL_REPUTATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "util/addr.h"

#define REPUTATION_MAX_ENTRIES (16u << 20)
#define REPUTATION_MAX_LISTS   1024
#define REPUTATION_MAX_LINE    4096
#define REPUTATION_MAX_FILE    ((size_t)256 << 20)

struct reputation; /* opaque */

struct reputation *reputation_new(void);                  /* NULL on ENOMEM */
struct reputation *reputation_free(struct reputation *r); /* NULL-safe, returns NULL */

/* Lower the entry cap (a config value); 0 or more than REPUTATION_MAX_ENTRIES
 * means REPUTATION_MAX_ENTRIES. Entries already loaded stay. */
void reputation_set_max_entries(struct reputation *r, uint32_t max);

/* Add the networks of one list held in buf. name is used in diagnostics and
 * reported with a hit (copied). Returns 0; -EINVAL if a line was bad or the
 * set is full (the good lines are still loaded); -ENOMEM (the lines before
 * the failure stay loaded). diag may be NULL. */
int reputation_add_buf(struct reputation *r, const char *name, const char *buf, size_t len,
		       config_diag_fn *diag, void *data);

struct reputation_hit {
	struct net net;   /* the matching network as listed (host bits cleared) */
	const char *list; /* its list's name; valid until reputation_free() */
};

/* Longest listed prefix containing a; false when none (ret untouched). */
bool reputation_lookup(const struct reputation *r, const struct addr *a,
		       struct reputation_hit *ret);

struct reputation_stats {
	uint64_t entries;    /* distinct networks loaded */
	uint64_t duplicates; /* lines repeating a loaded network (kept: the first) */
	uint64_t errors;     /* bad lines skipped */
	uint64_t warnings;   /* lines loaded with a warning (host bits set) */
	uint64_t dropped;    /* good lines not loaded: set full */
	uint64_t lists;      /* distinct list names */
};
void reputation_get_stats(const struct reputation *r, struct reputation_stats *ret);

#endif
