/* SPDX-License-Identifier: GPL-2.0-or-later */
/* classify.h - what kind of probe a packet is, and danger-level ladders.
 *
 * Pure functions of one event or one counter: no state, no allocation. The
 * engine ORs the per-packet kinds into a pair and publishes them as the
 * pair's scan_types once the pair scores (psad-behaviour.md section 3, with
 * psad's ECN and -sS/-sT blind spots fixed).
 */
#ifndef VIGIL_CLASSIFY_H
#define VIGIL_CLASSIFY_H

#include <stdint.h>

#include "engine/state.h"
#include "event/event.h"

/* Scan kind of a TCP flag set, ECN bits (CWR, ECE) ignored. A plain SYN
 * gives SCAN_SYN: only the packet can tell SYN from CONNECT. */
enum scan_type classify_tcp_flags(uint8_t flags);

/* A SYN packet: SCAN_SYN for a raw nmap -sS style SYN (no options or MSS
 * only), SCAN_CONNECT for an OS connect() (timestamps, SACK-permitted or
 * window scale). Options not logged: SCAN_SYN when the length leaves no room
 * for a connect()'s options or the packet has IPv6 extension headers, else
 * SCAN_SYN_UNTOLD (the log cannot tell). */
enum scan_type classify_syn(const struct event *ev);

/* Bit set (1 << enum scan_type) of what this packet alone suggests:
 * at most one flag-derived type, UDP or PING; 0 when it suggests nothing
 * (an ICMP error, ESP, a TCP fragment without header...). */
uint32_t classify_packet(const struct event *ev);

/* psad's ladders: 0 below thr[1], k while below thr[k + 1], 5 from thr[5]. */
uint8_t classify_ladder(const uint32_t thr[6], uint64_t value);

#endif
