/* SPDX-License-Identifier: GPL-2.0-or-later */
/* blame.h - blame only what sent the packets (internal to src/engine).
 *
 * Before a record is scored, blame.c decides whether its source can be
 * blamed at all:
 *  - records that are not attacks get a verdict of their own: prefixes
 *    IGNORE_LOG_PREFIXES names (psad's regex, read as plain text), accepted
 *    or audited traffic (ACCEPT_LOG_PREFIXES: ufw's [UFW ALLOW] and
 *    [UFW AUDIT], ...), the host's own packets on OUTPUT, and the replies
 *    of a service (ACK, PSH ACK, FIN ACK from a service port to an
 *    ephemeral port) that a log-everything rule wrote;
 *  - backscatter: SYN-ACK, RST and RST-ACK are answers to SYNs someone sent
 *    in our name. The answering host is counted as reflected traffic,
 *    never as a scanner, never above DL 1;
 *  - impossible sources (0/8, 127/8, ::, ::1, multicast, broadcast, 240/4,
 *    the firewall's own addresses) are marked spoofed, with the reason,
 *    and stay at DL 0.
 * The firewall's own addresses are configured (FIREWALL_ADDRESSES) and
 * learnt: the destinations of INPUT records are the reporting host's own
 * (a broadcast MAC makes one a directed broadcast). Bounded: at most
 * BLAME_OWN_MAX learnt addresses, the rest counted.
 */
#ifndef VIGIL_BLAME_H
#define VIGIL_BLAME_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/state.h"
#include "event/event.h"

struct config;
struct blame; /* opaque */

#define BLAME_OWN_MAX 256 /* learnt (reporter, address) pairs */

struct blame_stats {
	uint64_t own_learnt;   /* own addresses learnt from INPUT records */
	uint64_t own_skipped;  /* INPUT records not learnt from: the table was full */
};

/* What blame_packet() found out about one counted record. */
struct blame_pkt {
	uint8_t spoofed;  /* enum spoof_reason of the source address */
	bool reflected;   /* a reply: SYN-ACK, RST, RST-ACK */
};

int blame_new(const struct config *cfg, struct blame **ret_blame);
struct blame *blame_free(struct blame *b); /* NULL-safe; returns NULL */
/* Reload: read cfg from now on, forget the prefix verdicts it decides and
 * add its FIREWALL_ADDRESSES (the old ones and those learnt stay). */
void blame_set_config(struct blame *b, const struct config *cfg);

/* Learn the reporter's own addresses from an INPUT record (any record,
 * counted or not). Returns true when ev->dst was new: the caller re-marks
 * a source it already has with that address (blame_spoof_of()). */
bool blame_learn(struct blame *b, const struct event *ev);

/* A verdict for records that are not attacks (log_prefix, accepted,
 * output, reply), or ENGINE_COUNTED. */
enum engine_verdict blame_filter(struct blame *b, const struct event *ev);

/* Spoofed source, reply: for a record that is counted. */
void blame_packet(struct blame *b, const struct event *ev, struct blame_pkt *ret);

/* Why a can never be a source (an address-only test: no learnt ones). */
enum spoof_reason blame_impossible(const struct addr *a);
/* a is an own address of some reporter (configured or learnt). */
bool blame_is_own(const struct blame *b, const struct addr *a);

/* Per-packet shapes (pure). */
bool blame_is_backscatter(const struct event *ev); /* SYN-ACK, RST, RST-ACK */
bool blame_is_service_reply(const struct event *ev);

/* Count a reply for s. -ENOMEM when it could not be stored. */
int blame_reflect_count(struct source_state *s, const struct event *ev);
/* The level reflected packets alone give: 0, or 1 once they are as many
 * as DANGER_LEVEL1 to more than one port. */
uint8_t blame_reflect_level(const struct config *cfg, const struct source_reflect *r);
void blame_reflect_free(struct source_reflect *r); /* NULL-safe */
/* The heap r holds (mem_cost), charged to its source under MEMORY_LIMIT. */
size_t blame_reflect_bytes(const struct source_reflect *r);

void blame_get_stats(const struct blame *b, struct blame_stats *ret);

/* Does prefix match the IGNORE_LOG_PREFIXES patterns / an
 * ACCEPT_LOG_PREFIXES word? (exposed for tests) */
bool blame_prefix_ignored(const struct config *cfg, const char *prefix, size_t len);
bool blame_prefix_accepted(const struct config *cfg, const char *prefix, size_t len);

#endif
