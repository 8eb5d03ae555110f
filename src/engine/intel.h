/* SPDX-License-Identifier: GPL-2.0-or-later */
/* intel.h - the engine's findings beyond scan counts (internal to src/engine).
 *
 * Per packet, before it is counted: the signature matches (a psad_dl 0
 * rule suppresses the packet, as in psad). Per new source: the reputation
 * lists. Per counted packet: signature counts, ICMP type/code validity, IPv4
 * options, OS guesses and the named-scanner heuristics, into the source's
 * lazily allocated struct source_intel.
 */
#ifndef VIGIL_INTEL_H
#define VIGIL_INTEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/state.h"

struct matchers;
struct event;

#define INTEL_PKT_SIGS 32 /* matches of one packet itemised; more are counted */

/* What one packet matched, worked out once before it is counted. */
struct intel_pkt {
	uint32_t ipopts;           /* IPv4 option numbers present */
	bool ipopts_malformed;
	uint32_t sig_idx[INTEL_PKT_SIGS];
	size_t n_sigs;             /* itemised in sig_idx */
	size_t n_sigs_total;       /* all matches (may exceed INTEL_PKT_SIGS) */
	bool suppress;             /* a psad_dl 0 rule matched */
};

void intel_prepare(const struct matchers *m, const struct event *ev, struct intel_pkt *ret);

/* The p0f answer for one SYN header (everything p0f looks at), so that the
 * thousands of alike SYNs of a scan are fingerprinted once. */
#define OS_MEMO_SLOTS 256
#define OS_MEMO_GUESSES 4
struct os_memo {
	bool used, v6;
	uint8_t ttl, ip_flags, opt_len, n;
	uint8_t quirks;         /* what p0f's quirks test: see memo_quirks() */
	uint16_t ip_opt_len;    /* IPv4 option bytes (| bad << 8); IPv6: ext headers logged */
	uint16_t window, ip_len;
	uint8_t opt[EVENT_OPT_MAX]; /* TCP option bytes */
	const char *guess[OS_MEMO_GUESSES];
};

struct strpool;

/* Engine-wide memory the heuristics need. */
struct intel_global {
	bool tcp_opts_seen; /* some TCP record carried options: they are logged */
	struct strpool *pool; /* the engine's copies of names (strpool.h) */
	uint64_t strings_dropped; /* names the pool could not keep */
	/* Set by intel_count(): the signatures the source matched for the
	 * first time with this packet, as indexes into s->intel->sigs. */
	uint16_t new_sigs[INTEL_PKT_SIGS];
	size_t n_new_sigs;
	struct os_memo memo[OS_MEMO_SLOTS]; /* guesses are pool strings */
};

/* The matchers changed (reload): forget what the memo learnt from the old ones. */
void intel_reset_memo(struct intel_global *g);

/* A new source: look it up in the reputation lists. -ENOMEM leaves it unlisted. */
int intel_new_source(const struct matchers *m, struct intel_global *g, struct source_state *s);

/* The packet was counted for s (and p, NULL when the destination is not
 * itemised). -ENOMEM when a finding could not be stored (it is lost, the
 * caller counts it). */
int intel_count(const struct matchers *m, struct intel_global *g, struct source_state *s,
		struct pair_state *p, const struct event *ev, const struct intel_pkt *pk);

/* Signature levels need evidence (intel.c): a signature alone gives at
 * most SIG_ALONE_DL_MAX; its own psad_dl counts once the source's pairs
 * scored SIG_EVIDENCE_SCAN_DL (scan_dl) or it swept (sweep_dl >= 1), sent
 * repeat_min packets matching rules above SIG_ALONE_DL_MAX, or matched
 * SIG_EVIDENCE_DISTINCT distinct such rules. Updates x->sig_dl; call
 * before intel_level(). Never lowers it. */
#define SIG_ALONE_DL_MAX 2
#define SIG_EVIDENCE_SCAN_DL 2
#define SIG_EVIDENCE_DISTINCT 3
void intel_rescore(struct source_intel *x, uint8_t scan_dl, uint8_t sweep_dl, uint64_t repeat_min);

/* The level the findings give the source (0 when none). */
uint8_t intel_level(const struct source_intel *x);

void intel_free(struct source_intel *x); /* NULL-safe */
/* Index x's signatures by id again (restore). 0 or -ENOMEM. */
int intel_sig_reindex(struct source_intel *x);

/* The heap x holds (mem_cost of each part, kept in x->bytes as it is
 * allocated), for MEMORY_LIMIT; 0 for NULL. */
static inline size_t intel_bytes(const struct source_intel *x)
{
	return x ? x->bytes : 0;
}
/* The most one source's findings can hold. */
size_t intel_bytes_max(void);

#endif
