/* SPDX-License-Identifier: GPL-2.0-or-later */
/* signature.h - psad/Snort-style signatures, evaluated from a log line.
 *
 * A signature file holds one rule per line ('#' comments, blank lines):
 *
 *   alert <proto> <src> <sport> <dir> <dst> <dport> (<opt>; <opt>; ...)
 *
 * as psad's /etc/psad/signatures does (it loads unchanged). Only what the
 * kernel's log line shows can be tested: IP and transport header fields,
 * never payload. Rules needing payload (content, pcre, ...) are skipped and
 * reported. signature.c explains the grammar and every difference from psad;
 * sigmatch.c explains the index that keeps matching cost independent of the
 * number of rules.
 *
 * Ownership: a sigset owns its rules and strings; struct sig pointers stay
 * valid until sigset_free(). A loaded set is read-only, so one set may be
 * matched from several threads. sigset_match() allocates nothing.
 */
#ifndef VIGIL_SIGNATURE_H
#define VIGIL_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h" /* struct config_diag, config_diag_fn */
#include "util/span.h"

struct event;

#define SIG_LINE_MAX  8192    /* longer rule lines are malformed */
#define SIG_VAR_DEPTH 8       /* $A -> $B -> ... at most this deep */
#define SIG_RULES_MAX 1000000 /* rules in one set */
#define SIG_DL_DEFAULT 2

/* One loaded rule, as reported. */
struct sig {
	uint32_t id;      /* sid, else psad_id: unique in the set */
	uint32_t sid;     /* 0 when absent */
	uint32_t psad_id; /* 0 when absent */
	uint8_t dl;       /* psad_dl 0..5; 0 = suppress (the caller drops matching packets) */
	const char *msg;  /* NUL-terminated, unescaped; valid UTF-8 without control
			   * characters (checked at load), so printable as is */
	unsigned line;    /* line in the file */
};

/* Resolve $NAME (name without the '$'): set *ret_value to its text ("any",
 * "10.0.0.0/8", "[a,b]", "80", "!80", "$OTHER", ...) and return 0, or return
 * -ENOENT. The text must stay valid until the call returns to the loader. */
typedef int sig_var_fn(void *data, struct span name, struct span *ret_value);

struct sigset;

/* Parse a signature file held in memory; name is used in diagnostics.
 * Every problem goes to diag (may be NULL), message without "name:line: "
 * (struct config_diag carries file and line). Returns 0; -EINVAL when some
 * rules were malformed (they are skipped, the rest is loaded); -ENOMEM.
 * *ret is set (and must be freed) unless -ENOMEM. var may be NULL (every
 * $VAR is then unknown). */
int sigset_load_buf(const char *name, const char *buf, size_t len, sig_var_fn *var,
		    void *var_data, config_diag_fn *diag, void *diag_data, struct sigset **ret);

struct sigset *sigset_free(struct sigset *s); /* NULL-safe; returns NULL */

struct sigset_stats {
	uint32_t rules;       /* loaded */
	uint32_t malformed;   /* CONFIG_ERROR, skipped */
	uint32_t unsupported; /* skipped: an option needs the payload */
	uint32_t suppress;    /* loaded with psad_dl:0 */
};
void sigset_get_stats(const struct sigset *s, struct sigset_stats *ret);

size_t sigset_count(const struct sigset *s);
const struct sig *sigset_get(const struct sigset *s, size_t idx); /* idx < count */

/* All rules ev matches (no first-match stop), as indexes, up to max written
 * to ret_idx, each rule once, in file order when they all fit. Returns the
 * number of matches, which may exceed max (the caller counts the overflow:
 * which ones were kept is then unspecified). ipopts:
 * bitmask of the IPv4 options present, 1u << (option type & 31); 0 if none. */
size_t sigset_match(const struct sigset *s, const struct event *ev, uint32_t ipopts,
		    uint32_t *ret_idx, size_t max);

/* Does rule idx match ev? The same test sigset_match() applies, without the
 * index: for tests (a brute-force reference) and diagnostics. */
bool sigset_match_one(const struct sigset *s, size_t idx, const struct event *ev,
		      uint32_t ipopts);

/* ---- internal: shared by signature.c (parser) and sigmatch.c (index) ---- */
#ifdef VIGIL_SIG_INTERNAL

#include "util/addr.h"

enum sig_proto { SIGP_TCP, SIGP_UDP, SIGP_ICMP, SIGP_IP };

/* Numeric fields a rule can test; bit n of rule.has_num says num[n] is set. */
enum sig_field {
	SIGF_TTL,
	SIGF_TOS,
	SIGF_ID,
	SIGF_IPLEN,
	SIGF_DSIZE,
	SIGF_WINDOW,
	SIGF_SEQ,
	SIGF_ACK,
	SIGF_ITYPE,
	SIGF_ICODE,
	SIGF_ICMP_ID,
	SIGF_ICMP_SEQ,
	SIGF_IP_PROTO,
	_SIGF_MAX,
};

/* "v in [lo, hi]", inverted by neg; lo > hi is the empty set. */
struct sig_num {
	uint32_t lo, hi;
	bool neg;
};

/* Flag tests (TCP flags, IP fragment bits): Snort's modifiers. */
enum sig_bits_mod { SIGM_EXACT, SIGM_ALL, SIGM_ANY, SIGM_NONE };

/* A set of nets or port ranges: entries [off, off + n_pos) are positive,
 * the next n_neg negative (each list sorted; port lists merged). Matches
 * when the value is in some positive entry (or there are none) and in no
 * negative one, the whole inverted by neg. any: no test at all. */
struct sig_list {
	uint32_t off;
	uint16_t n_pos, n_neg;
	bool neg, any;
	uint8_t role; /* enum sig_role: which side "any" stands for */
};

/* An address list that is "any" only because HOME_NET is "any": $HOME_NET
 * (or a *_SERVERS variable, which psad.conf points at it) is the home side,
 * $EXTERNAL_NET the other. The record's chain tells the sides apart
 * (sigmatch.c: INPUT's destination and OUTPUT's source are home). */
enum sig_role { SIG_ROLE_NONE, SIG_ROLE_HOME, SIG_ROLE_EXT };

/* The side of a packet a rule needs home to be on (bits), from its roles. */
#define SIG_HOME_DST 1 /* inbound: the packet's destination is home */
#define SIG_HOME_SRC 2 /* outbound */

struct sig_prange {
	uint16_t lo, hi;
};

struct sig_rule {
	struct sig pub;   /* pub.msg is set once loading is done */
	uint32_t msg_off; /* into sigset.text */
	uint8_t proto; /* enum sig_proto */
	bool bidir;    /* '<>': either direction */
	uint8_t home_need; /* SIG_HOME_* bits as written (both: never on INPUT/OUTPUT) */
	struct sig_list src, dst;     /* into sigset.nets */
	struct sig_list sport, dport; /* into sigset.ports; any for icmp/ip */
	uint16_t has_num;             /* 1 << enum sig_field */
	struct sig_num num[_SIGF_MAX];
	bool has_flags, need_ack, sameip, has_frag, has_ipopts;
	uint8_t flags_mod, flags_want, flags_ignore; /* TCPF_* */
	uint8_t frag_mod, frag_want;                 /* IPF_* */
	uint32_t ipopts_bit;                         /* 0 = any option */
};

/* Compressed sparse rows: the entries of key k are ent[start[k] ..
 * start[k + 1]). start == NULL: no entries at all. An entry is
 * rule index << 2 | enum sig_entry_mode. */
struct sig_csr {
	uint32_t nkeys, n_ent;
	uint32_t *start;
	uint32_t *ent;
	uint64_t *used; /* bit k: key k has entries (tables of 65536 keys: 8 KiB
			 * that stay in cache, where start[] would miss on
			 * nearly every packet) */
};

enum sig_entry_mode {
	SIGE_FWD,      /* the rule as written */
	SIGE_REV,      /* reversed ('<>'), and only if the forward test fails */
	SIGE_EITHER,   /* '<>' rule whose bucket does not depend on direction */
	SIGE_KEYED,    /* as written, and the table's key already proves its
			* addresses and ports (all "any" but the indexed list) */
};

/* One direction of tcp or udp: by the rule's destination port (the
 * packet's dport forward, its sport reversed), else by the rule's source
 * port, else (tcp) by every flag byte the rule's flag test accepts, else
 * the rest. */
struct sig_pindex {
	struct sig_csr port, sport, flags, flagwin, flagid, flagseq, rest;
	uint32_t n_ent; /* all seven: 0 skips the direction */
};

/* The key of flagwin, flagid and flagseq: a flag byte and one exact field
 * (nmap's probes, ZMap and masscan differ by window alone; synscan, ipEye,
 * shaft, NAPTHA by IP ID or sequence number), folded to 16 bits. Collisions
 * only cost a test. */
static inline uint32_t sig_flagwin_key(uint8_t flags, uint32_t value)
{
	return (value ^ value >> 16 ^ (uint32_t)flags * 0x9E37u) & 0xffff;
}

/* ip rules: those needing IPv4 options or src == dst are visited only for
 * packets that have them; those with one exact TTL by TTL; those naming one
 * destination or source host by a hash of it. */
struct sig_index {
	struct sig_pindex tcp_fwd, tcp_rev, udp_fwd, udp_rev;
	struct sig_csr icmp_type, icmp_rest, ip, ip_opts, ip_same, ip_ttl, ip_dst, ip_src;
	/* Per rule, its TCP flag test as "(flags & mask) == want" when it can
	 * be put so, and (bits 8-9) its side test as "(sides & need) == need",
	 * sides being the home sides the packet's chain allows (sigmatch.c):
	 * mask in the low 16 bits, want in the high ones (0: no test). 4 bytes
	 * a rule stay in cache where the 264-byte rules do not, so a packet
	 * whose flags or direction a port's rules reject never touches them. */
	uint32_t *flagchk;
};

/* 16-bit hash of an address, the key of ip_dst and ip_src. */
static inline uint32_t sig_addr_key(const struct addr *a)
{
	return (uint32_t)(addr_hash(a, 0) >> 48);
}

struct sigset {
	struct sig_rule *rules;
	size_t n_rules, cap_rules;
	struct net *nets;
	size_t n_nets, cap_nets;
	struct sig_prange *ports;
	size_t n_ports, cap_ports;
	char *text; /* msg strings, NUL-separated */
	size_t n_text, cap_text;
	struct sigset_stats stats;
	struct sig_index idx;
};

/* sigmatch.c */
int sig_index_build(struct sigset *s); /* 0 or -ENOMEM */
void sig_index_free(struct sig_index *ix);

#endif /* VIGIL_SIG_INTERNAL */

#endif
