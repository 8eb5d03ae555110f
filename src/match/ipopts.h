/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipopts.h - IPv4 options: which are present in a logged packet.
 *
 * The kernel logs IPv4 options as hex of the whole options area
 * (nf_log_dump_ip_packet: "OPT (" then "%02X" per byte of ihl * 4 - 20
 * bytes, at most 40); the parser decodes it into the event's bytes, NFLOG
 * delivers them as they are. ipopts_decode() walks them as RFC 791 lays them out and
 * returns the option numbers present as a bitmask, for the Snort/psad
 * `ipopts` signature keyword and for reports. An option number is the low
 * 5 bits of the type byte (IANA "IP Option Numbers": Record Route is type 7,
 * number 7; Loose Source Route is type 131, number 3).
 * No allocation, no state; O(length of the input).
 */
#ifndef VIGIL_IPOPTS_H
#define VIGIL_IPOPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

/* Option numbers (type & 31) vigil names. */
enum ipopt_number {
	IPOPT_NUM_EOL = 0,
	IPOPT_NUM_NOP = 1,
	IPOPT_NUM_SEC = 2,     /* type 130 */
	IPOPT_NUM_LSRR = 3,    /* type 131 */
	IPOPT_NUM_TS = 4,      /* type 68 */
	IPOPT_NUM_ESEC = 5,    /* type 133 */
	IPOPT_NUM_CIPSO = 6,   /* type 134 */
	IPOPT_NUM_RR = 7,
	IPOPT_NUM_SATID = 8,   /* type 136 */
	IPOPT_NUM_SSRR = 9,    /* type 137 */
	IPOPT_NUM_MTUP = 11,
	IPOPT_NUM_MTUR = 12,
	IPOPT_NUM_TR = 18,     /* type 82 */
	IPOPT_NUM_RALERT = 20, /* type 148 */
	IPOPT_NUM_QS = 25,
};

/* Bitmask of the option numbers present (1u << (type & 31)) in the n
 * option bytes at opt (opt may be NULL when n is 0). EOL (0) and NOP (1)
 * are one byte and count as present; EOL ends the list and what follows it
 * is padding, not read. Every other option has a length byte covering the
 * type and length bytes themselves: a length below 2 or past the end, or a
 * type byte with no length byte after it, sets *ret_malformed and stops the
 * walk (no loop on length 0). The bit of that last option is still set: its
 * type byte was sent. *ret_malformed is always written (false when the
 * list is well formed); ret_malformed may be NULL. */
uint32_t ipopts_decode(const uint8_t *opt, size_t n, bool *ret_malformed);

/* ipopts keyword (any case) -> option number, or -1 if unknown. Snort's:
 * rr, eol, nop, ts, sec, esec, lsrr, lsrre, ssrr, satid; vigil's: ralert,
 * cipso, tr, qs, mtup, mtur; and the other keywords of psad's ip_options
 * file (extsec, comsec, expm, mtu, expflow, expaccess, imitraf, extproto,
 * traceroute, addrext, sbrdcast, nsapaddr, dpktstate, umcast). lsrre is
 * Snort's second name for loose source routing and maps to lsrr (3).
 * "any" is the caller's business: it is not a keyword here. */
int ipopt_by_keyword(struct span kw);

/* Short name for reports: "rr", "ts", "lsrr", "ssrr", "sec", "esec",
 * "satid", "ralert", "cipso", "tr", "qs", "mtup", "mtur", "nop", "eol", or
 * "opt<N>" for the other numbers. Only the low 5 bits of number are used,
 * so a type byte gives its option's name (130 -> "sec"). Never NULL. */
const char *ipopt_name(unsigned number);

/* LSRR or SSRR present. */
static inline bool ipopts_source_routed(uint32_t mask)
{
	return mask & ((1u << IPOPT_NUM_LSRR) | (1u << IPOPT_NUM_SSRR));
}

#endif
