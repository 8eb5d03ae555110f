/* SPDX-License-Identifier: GPL-2.0-or-later */
/* state.h - what the engine knows about each source, read-only for reports.
 *
 * The engine owns every struct here; a report may read them between
 * engine_feed() calls and must not keep pointers across one. Everything is
 * bounded: per pair at most PAIR_FLAGSETS_MAX distinct flag sets and
 * PAIR_ICMP_MAX distinct ICMP type/code pairs are itemised (the rest is
 * counted in *_other), per source at most MAX_DSTS_PER_SOURCE destinations
 * and the 256 IP protocol numbers.
 */
#ifndef VIGIL_STATE_H
#define VIGIL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/portset.h"
#include "event/event.h"
#include "match/osfp.h"
#include "util/addr.h"

#define PAIR_FLAGSETS_MAX 8
#define PAIR_ICMP_MAX 8
/* Every IP protocol a source used is counted: the first
 * SOURCE_PROTOS_INLINE in the source itself, the rest (an -sO scan) in
 * protos_more, grown in steps (source_protos_more_cap) and charged to the
 * source like its other heap; 256 at most, one per protocol number. */
#define SOURCE_PROTOS_INLINE 8
#define SOURCE_PROTOS_MAX 256
#define STATE_IFNAME_MAX 16

/* Kinds of scan, in the order cli.md lists them. */
enum scan_type {
	SCAN_SYN,     /* -sS: raw SYN (no options, or MSS only; short) */
	SCAN_CONNECT, /* -sT: SYN with the OS's full option set (connect()) */
	SCAN_SYN_UNTOLD, /* -sS or -sT: a SYN whose options were not logged and
			  * whose length leaves room for either (classify_syn()) */
	SCAN_FIN,     /* -sF */
	SCAN_NULL,    /* -sN */
	SCAN_XMAS,    /* -sX */
	SCAN_ACK,     /* -sA / -sW */
	SCAN_MAIMON,  /* -sM: FIN ACK */
	SCAN_SYNFIN,  /* --scanflags SYNFIN */
	SCAN_UDP,     /* -sU */
	SCAN_PROTO,   /* -sO */
	SCAN_PING,    /* -sn: ICMP probes */
	SCAN_SWEEP,   /* same port(s) across many destinations */
	SCAN_OTHER,   /* odd flag combination */
	_SCAN_MAX,
};

const char *scan_type_name(enum scan_type t); /* "SYN", "CONNECT", ... */
const char *scan_type_nmap(enum scan_type t); /* "-sS", ... or NULL (SWEEP, OTHER) */
/* The nmap options of a set of scan types (bits of enum scan_type), each
 * once, in enum order ("-sS" for SYN and SYN_OR_CONNECT alike). Returns how
 * many were written to ret. */
size_t scan_types_nmap(uint32_t types, const char *ret[_SCAN_MAX]);

struct flag_count {
	uint8_t flags; /* TCPF_* as logged (ECN bits kept) */
	uint64_t count;
};

struct icmp_count {
	uint8_t type, code;
	uint64_t count;
};

struct proto_count {
	uint8_t proto;
	uint64_t count;
};

struct ports_stats {
	uint64_t packets;
	struct portset ports;
};

/* One (source, destination) pair. */
struct pair_state {
	struct addr dst;
	uint8_t dl;                      /* highest level reached */
	enum chain chain;                /* of the first packet */
	char in[STATE_IFNAME_MAX], out[STATE_IFNAME_MAX]; /* first packet's, escaped */
	uint64_t chain_packets[_CHAIN_MAX];
	uint64_t packets;                /* every protocol */
	struct vtime first, last;

	struct ports_stats tcp, udp, udplite;
	struct flag_count flags[PAIR_FLAGSETS_MAX];
	uint8_t n_flags;
	uint64_t flags_other;            /* packets whose flag set did not fit */

	uint64_t icmp_packets;           /* ICMP or ICMPv6 (by the pair's family) */
	struct icmp_count icmp[PAIR_ICMP_MAX];
	uint8_t n_icmp;
	uint64_t icmp_other;

	uint64_t other_packets;          /* protocols without ports or types */
	uint8_t protos[32];              /* bitmap of IP protocol numbers seen */
	uint16_t n_protos;

	uint32_t scan_types;             /* 1 << enum scan_type */

	/* Scoring window (engine's): reset when the pair is idle > SCAN_TIMEOUT. */
	int64_t win_last_us;             /* engine time (wall-clock µs) of its last packet */
	uint64_t win_packets;
	int32_t win_port_lo, win_port_hi; /* -1 when no port yet */

	/* SYN packets told apart (psad cannot): raw nmap -sS style SYNs vs the
	 * SYNs of an OS connect() (-sT), by TCP options or, unlogged, by length. */
	uint64_t syn_packets, connect_packets;
	/* Kinds of probe every packet suggested (1 << enum scan_type), whether
	 * or not the pair scored; scan_types is published from it at DL >= 1. */
	uint32_t probe_types;

	/* Named-scanner heuristics and OS guessing per pair. */
	uint16_t syn23;            /* SYNs to tcp/23 since the last Mirai verdict */
	struct posf_obs posf;      /* option-less SYNs, for the posf guess */
};

/* Named scanning tools, told by their packets (psad-behaviour.md 3.2). */
enum scanner {
	SCANNER_MIRAI,   /* tcp/2323 after 10 SYNs to tcp/23, or SEQ = destination address */
	SCANNER_MASSCAN, /* SYN without options where options are logged */
	SCANNER_TOPERA,  /* IPv6 TCP with >= 7 empty option headers */
	_SCANNER_MAX,
};
const char *scanner_name(enum scanner s); /* "Mirai", "Masscan", "Topera" */

/* A signature a source matched, by its stable id: the rule's fields are
 * copied (msg into the engine's string pool), so a reload that frees the
 * set leaves nothing dangling. */
struct sig_count {
	const char *msg;       /* the rule's msg (engine-owned, lives as long as the engine) */
	uint64_t count;
	uint32_t id;           /* sid, else psad_id (struct sig's id: unique in a set) */
	uint32_t psad_id;      /* 0 when absent */
	uint16_t last_dport;   /* of the last matching packet (0: none) */
	uint8_t dl;            /* its psad_dl when it matched */
};

#define SOURCE_SIGS_MAX 64     /* distinct signatures itemised per source */
#define SOURCE_OS_MAX 8        /* distinct OS guesses per source */
#define SOURCE_BAD_ICMP_MAX 8  /* distinct invalid ICMP type/code pairs itemised */
#define IPOPT_NUMBERS 32
#define IPOPT_FIRST_REAL 2 /* reports skip 0 (end of list) and 1 (no-op): padding */

/* IPv4 options a source sent: packets per option number. */
struct intel_ipopts {
	uint64_t count[IPOPT_NUMBERS];
	uint64_t packets;       /* packets carrying options */
	uint64_t malformed;     /* option bytes that did not parse */
	uint64_t source_routed; /* LSRR or SSRR */
};

/* The reputation list entry a source is in. */
struct intel_rep {
	struct net net;   /* the longest matching entry */
	const char *list; /* its list's name (engine-owned copy) */
};

/* What a source did beyond scanning: signatures, OS guesses, invalid ICMP,
 * IP options, named scanners, reputation. Allocated on the first finding,
 * and its parts on their first finding, so the many sources with none cost
 * a pointer, and a flood of spoofed sources that each match one signature
 * about 130 bytes each. Bounded: the arrays are capped and what does not
 * fit is counted in the *_other fields. */
#define SIG_SLOTS 128 /* > 2 * SOURCE_SIGS_MAX: the index stays half empty */

struct source_intel {
	struct sig_count *sigs;  /* n_sigs, in first-match order */
	uint8_t *sig_slot;       /* [SIG_SLOTS] sigs index + 1 by hashed signature,
				  * once a source has more than a few (a scan
				  * through many signed ports) */
	const char **os;         /* n_os guesses (at most SOURCE_OS_MAX), the
				  * strings engine-owned copies (reload-safe) */
	struct icmp_count *bad_icmp; /* [SOURCE_BAD_ICMP_MAX] */
	struct intel_ipopts *ipopts;
	struct intel_rep *rep;   /* NULL: not listed */
	uint64_t sigs_other;     /* matches of signatures beyond SOURCE_SIGS_MAX */
	uint64_t invalid_icmp;
	uint16_t n_sigs, cap_sigs;
	uint8_t n_os, n_bad_icmp;
	bool os_other;
	uint8_t sig_dl;          /* the level the signatures give the source:
				  * sig_dl_max, or at most SIG_ALONE_DL_MAX
				  * without evidence (intel.c) */
	uint8_t sig_dl_max;      /* highest psad_dl matched */
	uint8_t icmp_dl;         /* 2 once an invalid type or code was seen */
	uint8_t rep_dl;
	uint8_t scanners;        /* 1 << enum scanner */
	uint32_t sig_hi_packets; /* packets that matched a rule above SIG_ALONE_DL_MAX
				  * (saturates; here, it fits the padding) */
	uint32_t bytes;          /* heap held, as the engine counts it (intel.c) */
};

/* Why a source address cannot have sent its packets (blame.c): such a
 * source is reported at DL 0 and must never be blocked. */
enum spoof_reason {
	SPOOF_NONE = 0,
	SPOOF_UNSPECIFIED, /* 0.0.0.0/8 ("this network"), :: */
	SPOOF_LOOPBACK,    /* 127.0.0.0/8, ::1 */
	SPOOF_MULTICAST,   /* 224.0.0.0/4, ff00::/8 */
	SPOOF_BROADCAST,   /* 255.255.255.255, a directed broadcast address */
	SPOOF_RESERVED,    /* 240.0.0.0/4 */
	SPOOF_OWN,         /* the firewall's own address (FIREWALL_ADDRESSES, or learnt) */
	_SPOOF_MAX,
};
const char *spoof_reason_name(enum spoof_reason r); /* "loopback", ...; NULL for NONE */

/* Replies a source sent to us: SYN-ACK, RST or RST-ACK, answers to SYNs
 * someone sent in our name (backscatter). They never score above DL 1. */
struct source_reflect {
	uint64_t packets;
	uint64_t syn_ack, rst, rst_ack;
	uint16_t sport;        /* the first reply's source port (the service) */
	bool sports_varied;    /* later replies came from other source ports */
	struct portset dports; /* our ports they went to */
};

/* One source address, as one reporter (origin) saw it: the table's key is
 * (origin, src). */
struct source_state {
	/* the table's key and what a lookup compares, in the first bytes */
	struct addr src;
	uint8_t dl;          /* highest of: pairs, sweep, auto_dl, intel levels */
	uint8_t spoofed;     /* enum spoof_reason: never to be blamed or blocked */
	uint8_t sweep_dl;    /* from the number of destinations */
	uint32_t origin;     /* which firewall reported it: 0 = this host's own sources */
	struct source_intel *intel; /* NULL until there is a finding */
	struct source_reflect *reflected; /* NULL until it sent a reply (blame.c) */
	uint64_t packets;
	struct vtime first, last;
	struct proto_count protos[SOURCE_PROTOS_INLINE]; /* in first-seen order, */
	struct proto_count *protos_more; /* then these: source_proto() reads both */
	uint16_t n_protos;   /* protocols counted (<= SOURCE_PROTOS_MAX) */
	uint8_t scan_dl;     /* highest of the pairs' and the sweep's: scan evidence */
	uint8_t autodl_dl;   /* from the auto_dl file, 0 if none */
	uint32_t scan_types; /* union of the pairs' plus SWEEP */

	struct pair_state **pairs; /* n_pairs tracked destinations, in first-seen order */
	uint32_t n_pairs, cap_pairs;
	uint32_t untracked_dsts;   /* destinations beyond MAX_DSTS_PER_SOURCE */
	/* Mail bookkeeping (EMAIL_LIMIT), kept by engine_note_mail(), persisted:
	 * mails sent about the source, and when the last one went. */
	uint32_t mails_sent;
	uint64_t untracked_packets;

	/* Engine time (wall-clock µs since the epoch) of its first and last
	 * counted event: the earliest and the latest the engine was given. */
	int64_t first_us, last_us;
	int64_t last_mail_us;
};

/* The i-th protocol a source used (i < s->n_protos), in first-seen order. */
static inline const struct proto_count *source_proto(const struct source_state *s, unsigned i)
{
	return i < SOURCE_PROTOS_INLINE ? &s->protos[i] : &s->protos_more[i - SOURCE_PROTOS_INLINE];
}

/* Room protos_more has for k entries (k >= 1): 8, 16, 32, 64, 128, then
 * the 248 protocol numbers left. */
static inline unsigned source_protos_more_cap(unsigned k)
{
	unsigned cap = 8;

	while (cap < k && cap < 128)
		cap *= 2;
	return cap < k ? SOURCE_PROTOS_MAX - SOURCE_PROTOS_INLINE : cap;
}

#endif
