/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine.h - per-source scan state, classification, danger levels.
 *
 * Events in, level changes out as they happen: `analyze` feeds every record of
 * its files and reports at the end; the daemon feeds live records and alerts
 * from the callback. No I/O, no logging, no globals. Memory is bounded by
 * MEMORY_LIMIT, which every allocation is counted against, and under it by
 * MAX_SOURCES, MAX_SCAN_IP_PAIRS and MAX_DSTS_PER_SOURCE: past any of them
 * the source with the least evidence is evicted, and everything dropped is
 * counted.
 */
#ifndef VIGIL_ENGINE_H
#define VIGIL_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/state.h"

struct autodl;
struct config;
struct matchers;
struct event;
struct engine; /* opaque */

/* Why the engine did not count an event (the caller counts it as ignored). */
enum engine_verdict {
	ENGINE_COUNTED = 0,
	ENGINE_IGNORED_IPV6,      /* ENABLE_IPV6_DETECTION N */
	ENGINE_IGNORED_PREFIX,    /* FW_SEARCH_ALL N and no FW_MSG_SEARCH match */
	ENGINE_IGNORED_INTF,      /* IGNORE_INTERFACES */
	ENGINE_IGNORED_PROTO,     /* IGNORE_PROTOCOLS */
	ENGINE_IGNORED_PORT,      /* IGNORE_PORTS */
	ENGINE_IGNORED_CONNTRACK, /* IGNORE_CONNTRACK_BUG_PKTS Y and ACK or RST set */
	ENGINE_IGNORED_AUTODL,    /* auto_dl level 0 */
	ENGINE_IGNORED_SIGNATURE, /* a signature with psad_dl 0 (suppress) matched */
	ENGINE_IGNORED_LOG_PREFIX, /* IGNORE_LOG_PREFIXES matched the prefix */
	ENGINE_IGNORED_ACCEPTED,  /* accepted or audited: an ACCEPT_LOG_PREFIXES word */
	ENGINE_IGNORED_OUTPUT,    /* the host's own packet, on OUTPUT */
	ENGINE_IGNORED_REPLY,     /* a service's reply (ACK from a service port to an ephemeral one) */
	_ENGINE_VERDICT_MAX,
};
const char *engine_verdict_name(enum engine_verdict v); /* "ipv6", "prefix", ... */

/* An evicted source, as it was when it went. */
struct engine_evicted {
	struct addr src;
	uint8_t dl;
	uint32_t evidence; /* the eviction rank it had (engine.c) */
	uint64_t packets;
	uint32_t ports;	   /* distinct destination ports, summed over destinations */
	uint64_t dsts;	   /* destinations, itemised or not */
};

#define ENGINE_EVICTED_TOP 10 /* evicted sources remembered: the most dangerous */

struct engine_stats {
	uint64_t counted;
	uint64_t ignored[_ENGINE_VERDICT_MAX];
	uint64_t sources_evicted;  /* sources dropped: MAX_SOURCES, MAX_SCAN_IP_PAIRS or MEMORY_LIMIT */
	uint64_t packets_evicted;  /* their packets */
	uint64_t dsts_untracked;   /* destinations not itemised (MAX_DSTS_PER_SOURCE) */
	uint64_t pairs_expired;    /* scoring windows reset after SCAN_TIMEOUT idle */
	uint64_t sources_expired;  /* sources forgotten after SOURCE_TIMEOUT idle (engine_expire) */
	uint64_t strings_dropped;  /* signature msgs, OS and list names not kept: string pool full */
	uint64_t oom;              /* events counted but not itemised for lack of memory */

	/* Blame (blame.h): counted, never scored as attacks. */
	uint64_t reflected_packets;  /* SYN-ACK, RST, RST-ACK: backscatter */
	uint64_t reflected_sources;  /* sources that sent some */
	uint64_t spoofed_packets;    /* from impossible or own addresses */
	uint64_t spoofed_sources;    /* such sources, by reason in spoofed_by */
	uint64_t spoofed_by[_SPOOF_MAX];
	uint64_t own_learnt;         /* own addresses learnt from INPUT records */
	uint64_t own_skipped;        /* INPUT records not learnt from: BLAME_OWN_MAX reached */
	/* The bounds in force: MEMORY_LIMIT, and the caps as it lowered them. */
	uint64_t memory_limit;	   /* bytes */
	uint64_t memory_used;	   /* what the engine holds now (bytes, as counted) */
	uint64_t memory_peak;	   /* the most it held at once */
	uint32_t max_sources, max_dsts_per_source;
	/* The most dangerous evicted sources (level, then evidence), each
	 * address once, most dangerous first. */
	struct engine_evicted evicted_top[ENGINE_EVICTED_TOP];
	size_t n_evicted_top;
};

enum engine_change_kind {
	ENGINE_CHANGE_LEVEL,     /* a pair or the source reached a higher level */
	ENGINE_CHANGE_SIGNATURE, /* a source matched a signature for the first time */
	ENGINE_CHANGE_EXPIRED,   /* a source idle > SOURCE_TIMEOUT was forgotten */
	ENGINE_CHANGE_EVICTED,   /* a source was dropped to stay within the caps */
};

/* What changed. One engine_feed() makes at most one LEVEL change per pair
 * and one for the source, each only on a rise; a signature's first match by
 * a source makes one SIGNATURE change. The callback must not block and must
 * not call back into the engine; pointers are valid during the call only. */
struct engine_change {
	enum engine_change_kind kind;
	const struct source_state *src;
	const struct pair_state *dst; /* LEVEL: the pair that rose, NULL = the source's own level;
				       * SIGNATURE: the pair the event hit (may be NULL); else NULL */
	int old_dl, new_dl;           /* LEVEL; EXPIRED/EVICTED: the level it had (both) */
	const struct event *ev;       /* LEVEL, SIGNATURE: the event; else NULL */
	uint32_t sig_id;              /* SIGNATURE: the signature's sid */
	const char *sig_msg;          /* SIGNATURE: its msg (valid during the callback) */
	int sig_dl;                   /* SIGNATURE: its psad_dl */
};
typedef void engine_change_fn(const struct engine_change *c, void *data);

/* cfg and adl (may be NULL) must outlive the engine, or be replaced first
 * (engine_set_config(), engine_set_autodl()). cb may be NULL. */
int engine_new(const struct config *cfg, const struct autodl *adl, engine_change_fn *cb,
	       void *data, struct engine **ret_engine);
struct engine *engine_free(struct engine *e); /* NULL-safe; returns NULL */

/* Feed one event. now_us is engine time, wall-clock microseconds since the
 * epoch (UTC): the event's log time in analyze (or the last known one when
 * it has none); in the daemon the record's own time where the source is
 * trusted, else the arrival time. It may step back (log order, clock
 * steps): scoring windows and expiry follow it without freezing. */
enum engine_verdict engine_feed(struct engine *e, const struct event *ev, int64_t now_us);

/* Visit at most budget sources from a cursor over the table (a slice per
 * timer tick) and forget those idle longer than SOURCE_TIMEOUT at now_us,
 * each with an EXPIRED change. A source whose last event lies ahead of
 * now_us (the clock stepped back) is treated as seen now, so a step back
 * delays its expiry by at most the timeout. Returns the sources expired. */
size_t engine_expire(struct engine *e, int64_t now_us, size_t budget);

/* Reload, between events. The new sets must outlive the engine or be
 * replaced again; the old ones may be freed as soon as the call returns:
 * per-source state refers to signatures, OS names and lists by ids and
 * engine-owned copies. engine_set_config() sizes the caps again (sources
 * past a lower cap are evicted, counted, with EVICTED changes); -ENOMEM
 * leaves the old caps (the new config is used). */
int engine_set_config(struct engine *e, const struct config *cfg);
void engine_set_autodl(struct engine *e, const struct autodl *adl);
/* Match events against m (signatures, ICMP types, OS fingerprints,
 * reputation) from now on. NULL: scans only. */
void engine_set_matchers(struct engine *e, const struct matchers *m);

/* Is a the firewall's own address (FIREWALL_ADDRESSES, or learnt from the
 * destinations of INPUT records, blame.h)? A source claiming one is spoofed. */
bool engine_is_own(const struct engine *e, const struct addr *a);

/* The source (origin, src), or NULL. Valid until the next feed/expire. */
const struct source_state *engine_lookup(const struct engine *e, uint32_t origin,
					 const struct addr *src);

/* The n first sources in report order (DL desc, packets desc, address) into
 * ret[0..], by partial selection (a heap of n): O(sources log n). Returns
 * how many (min(n, sources)). */
size_t engine_top(const struct engine *e, size_t n, const struct source_state **ret);

/* A mail about s went out at now_us (EMAIL_LIMIT bookkeeping, persisted). */
void engine_note_mail(struct engine *e, const struct source_state *s, int64_t now_us);

/* Persistence (persist.c): the whole per-source state (not the statistics
 * of a run) in a versioned, length-prefixed binary blob with a CRC32.
 * engine_save() returns 0 or -errno (-EIO on a write error).
 * engine_restore() loads such a blob into a fresh engine (no sources yet):
 * -EINVAL with *reterr_why (static text) on a foreign, corrupt or too new
 * blob, -ENOMEM, -EBUSY (the engine holds sources); on any error the
 * engine is left empty, nothing half loaded. Sources beyond this engine's
 * caps (MAX_SOURCES, MAX_SCAN_IP_PAIRS, MEMORY_LIMIT) are evicted as for
 * fed events and counted; destinations beyond MAX_DSTS_PER_SOURCE become
 * untracked ones. A restore raises no changes. reterr_why may be NULL. */
int engine_save(const struct engine *e, FILE *f);
int engine_restore(struct engine *e, const void *buf, size_t len, const char **reterr_why);

void engine_get_stats(const struct engine *e, struct engine_stats *ret);
size_t engine_source_count(const struct engine *e);

/* Sources ordered by danger level (highest first), then packets (most
 * first), then address. Returns a malloc'd array the caller frees (the
 * pointed-to states stay the engine's), or NULL with *ret_n = 0 on -ENOMEM
 * or when there is nothing. */
const struct source_state **engine_sources_sorted(const struct engine *e, size_t *ret_n);

#endif
