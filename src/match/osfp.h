/* SPDX-License-Identifier: GPL-2.0-or-later */
/* osfp.h - passive OS fingerprinting of TCP SYNs, psad-style.
 *
 * Two signature sets, both in psad's file formats:
 *
 * p0f (pf.os): one line per signature,
 *     window:ttl:df:len:options:OS:version:subtype:details
 * or, with p0f v2's quirks field (psad's own file has none),
 *     window:ttl:df:len:options:quirks:OS:version:subtype:details
 * Fields are trimmed of spaces and tabs; '#' starts a comment line; details
 * may not contain ':' (a line has exactly 9 or 10 fields, the 10-field form
 * only when field 6 is a quirk string: '.' or letters of PZIUXATFD!).
 *   window  '*', '%n' (a multiple of n), 'Snn' (nn x MSS), 'Tnn' (nn x MTU,
 *           MTU = MSS + 40, IPv6 MSS + 60), or a number. psad skips 'T'
 *           entries; vigil matches them (psad's five 'T' entries describe
 *           Linux 2.4, Windows 98/NT and two appliances: a deliberate,
 *           tested difference).
 *   ttl     initial TTL: a packet matches when sig - max_hops < TTL <= sig.
 *   df      0, 1 or '*'.
 *   len     IP total length: '*', '%n' or a number.
 *   options '.' for none, else in packet order, comma or space separated:
 *           N (NOP), E (EOL), S (SACK permitted), T (timestamp, TSval != 0),
 *           T0 (TSval == 0), Mnnn/M* /M%n (MSS), Wn/W* /W%n (window scale),
 *           ?n (any other kind n). Kinds and their count must equal the
 *           packet's (psad compares in order but not the count; with an exact
 *           length, as in every psad entry, the two agree).
 *   quirks  compared exactly as p0f v2 does: P options past EOL, Z IP ID 0,
 *           I IP options, U urgent pointer, X reserved bits, A ACK number
 *           (needs --log-tcp-sequence), T TSecr != 0, D payload; F and ! can
 *           never match (only clean SYNs are fingerprinted). 9-field entries
 *           ignore quirks, as psad does.
 *   OS      a leading '*' or '-' (p0f display hints) is dropped; a leading
 *           '@' (generic signature) is kept, so a reader can tell a
 *           family-wide guess from an exact one.
 * The guess is "OS:version" ("OS" when version is empty); subtype and
 * details are only documentation.
 *
 * posf: blocks of "KEY value;" lines (';' optional, as in psad's own file),
 * each starting at OS: OS, NUMPKTS (1..100), TOS (parsed, ignored exactly as
 * psad ignores it), LEN, TTL, ID (SMALLINCR or RANDOM), WINDOW. It guesses
 * from SYNs WITHOUT logged options, statefully: the caller keeps a struct
 * posf_obs per (source, destination) pair.
 *
 * IPv6 (psad fingerprints IPv4 only): TTL is the hop limit; DF does not exist,
 * so any df value matches; nf_log's IPv6 LEN counts the 40-byte header, so
 * len - 20 is compared with the IPv4-style length; S windows work unchanged
 * and T windows use MSS + 60. posf ignores the ID test for IPv6 (no IP ID).
 *
 * Limits: lines of at most OSFP_LINE_MAX bytes, OSFP_ENTRIES_MAX entries per
 * set; a line with a NUL, an unknown token or a number out of range is a
 * CONFIG_ERROR (name:line), skipped and counted, and the load returns -EINVAL
 * after loading every good line. Matching allocates nothing; p0f entries are
 * indexed by their option layout, so a SYN costs one hash lookup and a scan of
 * the entries sharing its layout.
 */
#ifndef VIGIL_OSFP_H
#define VIGIL_OSFP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

struct event;

#define OSFP_MAX_HOPS_DEFAULT 20
#define OSFP_LINE_MAX	      1024
#define OSFP_ENTRIES_MAX      4096

struct osfp; /* opaque: p0f and posf entries */

struct osfp_stats {
	uint32_t p0f_entries, posf_entries; /* loaded */
	uint32_t errors;                    /* bad lines or blocks, all loads */
};

/* max_hops 0 means OSFP_MAX_HOPS_DEFAULT; values above 255 act as 255.
 * NULL on OOM. */
struct osfp *osfp_new(unsigned max_hops);
struct osfp *osfp_free(struct osfp *o); /* NULL-safe; returns NULL */

/* Add the signatures of one file (in memory; name is for diagnostics).
 * Returns 0, -EINVAL when at least one line was bad (reported as
 * CONFIG_ERROR name:line through diag, which may be NULL; the good lines are
 * loaded), or -ENOMEM. Loading more sets adds to the old ones. */
int osfp_load_p0f_buf(struct osfp *o, const char *name, const char *buf, size_t len,
		      config_diag_fn *diag, void *data);
int osfp_load_posf_buf(struct osfp *o, const char *name, const char *buf, size_t len,
		       config_diag_fn *diag, void *data);

void osfp_get_stats(const struct osfp *o, struct osfp_stats *ret);


/* Fingerprint one SYN against the p0f set. A SYN with logged options
 * (ev->has_tcp_opts) is compared with every entry of its option layout.
 * A SYN without: only when LEN proves it carries no options (40, IPv6 60),
 * and then only '.' entries can match; psad never runs p0f on such SYNs (it
 * uses posf), so a caller after psad's exact behaviour calls this only when
 * ev->has_tcp_opts. Options the kernel could not parse (truncated) match
 * nothing. Writes up to max distinct guesses in file order to ret_guesses and
 * returns how many; the strings are owned by o and live as long as it. */
size_t osfp_match_p0f(const struct osfp *o, const struct event *ev, const char **ret_guesses,
		      size_t max);

/* What one (source, destination) pair's option-less SYNs looked like, over
 * the first POSF_OBS_PKTS_MAX of them. Zero it (= { 0 }) before first use;
 * fixed size, nothing to free. Windows and lengths keep the first
 * POSF_OBS_VALUES distinct values. */
#define POSF_OBS_PKTS_MAX 100
#define POSF_OBS_VALUES	  8
struct posf_obs {
	uint8_t pkts;          /* SYNs observed */
	uint8_t n_win, n_len;
	bool v6;               /* family of the first SYN; others are ignored */
	bool id_not_smallincr; /* some IP ID did not exceed the previous by 1..999 */
	uint8_t ttl_min, ttl_max;
	uint16_t last_id;
	uint16_t win[POSF_OBS_VALUES];
	uint16_t len[POSF_OBS_VALUES]; /* IPv4-style: IPv6 LEN - 20 */
};

/* Take one event in: only SYNs without logged options count. */
void osfp_posf_observe(struct posf_obs *obs, const struct event *ev);

/* The first posf entry (file order) the observations satisfy: at least
 * NUMPKTS SYNs, its WINDOW and LEN among those seen, every TTL within
 * (TTL - max_hops, TTL], IP IDs strictly increasing by less than 1000
 * (SMALLINCR) or not (RANDOM; either, from one SYN or over IPv6). NULL
 * until a guess exists. */
const char *osfp_posf_guess(const struct osfp *o, const struct posf_obs *obs);

#endif
