/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event.h - one firewall record, as a plain value.
 *
 * A parser (the LOG text of src/parse, or a binary source such as NFLOG) fills
 * a struct event on the stack for each record; the engine copies what it
 * keeps. Spans (prefix, host, interfaces, the IPv6 extension-header text)
 * point into the record's buffer and are valid only during the call that
 * delivers the event. Options are raw bytes, decoded once by whoever read
 * the record: every reader sees the same bytes whatever the source. Fixed-size
 * fields only: nothing here is allocated.
 *
 * Field names follow the kernel's nf_log output (net/netfilter/nf_log_syslog.c).
 */
#ifndef VIGIL_EVENT_H
#define VIGIL_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/addr.h"
#include "util/span.h"

/* Log time. `sec` counts seconds since 1970-01-01 of the log's own wall clock
 * (the broken-down time the log shows, read as if it were UTC), so that
 * formatting it with gmtime gives back what the log said, in its own zone. */
enum vtime_kind {
	VTIME_NONE = 0, /* the wrapper carried no time */
	VTIME_WALL,     /* date and time of day (year given or inferred) */
	VTIME_UPTIME,   /* seconds since boot only (raw dmesg, /dev/kmsg) */
};

struct vtime {
	int64_t sec;
	uint32_t usec;
	uint8_t kind;       /* enum vtime_kind */
	bool has_tz;        /* the log gave a UTC offset (tz_min) */
	int16_t tz_min;
};

enum chain {
	CHAIN_NONE = 0,
	CHAIN_INPUT,   /* IN= only */
	CHAIN_OUTPUT,  /* OUT= only */
	CHAIN_FORWARD, /* both */
	_CHAIN_MAX,
};

/* TCP flag bits, in wire order (RFC 9293 + RFC 3168). The kernel prints them
 * from CWR down to FIN; event_flags_format() does the same. */
enum {
	TCPF_FIN = 1 << 0,
	TCPF_SYN = 1 << 1,
	TCPF_RST = 1 << 2,
	TCPF_PSH = 1 << 3,
	TCPF_ACK = 1 << 4,
	TCPF_URG = 1 << 5,
	TCPF_ECE = 1 << 6,
	TCPF_CWR = 1 << 7,
};

/* IPv4 header bits the kernel prints as words (CE DF MF). */
enum {
	IPF_CE = 1 << 0,
	IPF_DF = 1 << 1,
	IPF_MF = 1 << 2,
	IPF_FRAG = 1 << 3, /* FRAG:<offset> present (IPv4) or a fragment header (IPv6) */
};

/* IP protocol numbers vigil names. */
enum {
	IPPROTO_NUM_ICMP = 1,
	IPPROTO_NUM_TCP = 6,
	IPPROTO_NUM_UDP = 17,
	IPPROTO_NUM_ESP = 50,
	IPPROTO_NUM_AH = 51,
	IPPROTO_NUM_ICMPV6 = 58,
	IPPROTO_NUM_UDPLITE = 136,
};

/* TCP option kinds (RFC 9293, 7323, 2018). */
enum {
	TCPOPT_KIND_EOL = 0,
	TCPOPT_KIND_NOP = 1,
	TCPOPT_KIND_MSS = 2,
	TCPOPT_KIND_WS = 3,
	TCPOPT_KIND_SACKOK = 4,
	TCPOPT_KIND_SACK = 5,
	TCPOPT_KIND_TS = 8,
};
#define EVENT_TCPOPT_MAX 20 /* 40 option bytes, at least 2 per option but NOP/EOL */
/* Option bytes an IPv4 or TCP header can carry: 4-bit header length in
 * 32-bit words (15 * 4) less the 20 fixed bytes (RFC 791, RFC 9293). */
#define EVENT_OPT_MAX 40

struct tcp_opts {
	uint8_t count;                   /* options in kinds[] */
	bool truncated;                  /* a length field ran past the end */
	uint8_t kinds[EVENT_TCPOPT_MAX]; /* in order, NOP and EOL included */
	uint16_t mss;
	uint8_t wscale;
	bool has_mss, has_ws, has_sackok, has_ts;
	bool past_eol;                   /* a non-zero byte after EOL (p0f's P quirk) */
	uint32_t tsval, tsecr;
};

struct event {
	/* Which firewall reported it: 0 = this host's own sources. Set by the
	 * source (a listener's peer), never read from the record's text. */
	uint32_t origin;

	/* From the wrapper (syslog, journal, dmesg, kmsg, ulogd). */
	struct vtime time;
	struct span host;    /* empty when the wrapper has none */
	struct span prefix;  /* log prefix, trimmed; may be empty */

	/* Interfaces and chain. */
	struct span in, out; /* empty when the kernel printed "IN=" / "OUT=" with nothing */
	struct span physin, physout;
	struct span mac;     /* MAC= value as printed */
	enum chain chain;

	/* IP header. */
	struct addr src, dst; /* IPv4-mapped IPv6 addresses are stored as IPv4 */
	bool v4_mapped;      /* an IPv6 packet whose SRC or DST was ::ffff:a.b.c.d */
	uint32_t ip_len;     /* LEN= (IPv6: payload + 40, as printed; above 65535
			      * for IPv4 BIG TCP/GSO, IPv6 up to 65575) */
	uint8_t tos, prec;   /* IPv4 TOS=, PREC= */
	uint8_t ttl;         /* IPv4 TTL= or IPv6 HOPLIMIT= */
	uint16_t ip_id;      /* IPv4 ID= */
	uint8_t tc;          /* IPv6 TC= */
	uint32_t flowlbl;    /* IPv6 FLOWLBL= */
	uint8_t ip_flags;    /* IPF_* */
	uint16_t frag_off;   /* FRAG: value */
	/* IPv4 options as sent (LOG's "OPT (hex)" decoded). bad: the record says
	 * options were there but their bytes are not (LOG's "OPT (TRUNCATED)",
	 * a form only IPv6 uses, a capture cut short). Zero for IPv6. */
	uint8_t ip_opt_len;
	bool ip_opt_bad;     /* (the bytes: ip_opt_raw, at the end) */
	struct span v6_ext;  /* IPv6 extension headers as LOG printed them (the last
			      * "OPT ( ... )" group); empty for IPv4 and from NFLOG */
	uint8_t v6_empty_opts; /* IPv6 consecutive empty "OPT ( )" groups (Topera) */
	uint8_t v6_ext_hdrs;   /* IPv6 extension headers logged ("OPT ( ... )" groups),
				* at least 8 bytes each (RFC 8200 4.2); saturates at 255 */

	/* Transport. */
	uint8_t proto;       /* IP protocol number */
	bool has_ports;
	uint16_t sport, dport;
	bool has_seq;
	uint32_t seq, ack;
	uint16_t window;
	uint8_t res;
	uint8_t tcp_flags;   /* TCPF_* */
	uint16_t urgp;
	/* TCP options: has_tcp_opts when the record carries them (LOG prints
	 * them only with --log-tcp-options); the bytes as sent, and decoded.
	 * bad: present but unreadable (then tcp_opts.truncated is set too). */
	bool has_tcp_opts;
	bool tcp_opt_bad;
	uint8_t tcp_opt_len; /* (the bytes: tcp_opt_raw, at the end) */
	struct tcp_opts tcp_opts;
	uint16_t udp_len;
	bool has_icmp;
	uint8_t icmp_type, icmp_code;
	bool has_icmp_echo;  /* ID=/SEQ= of echo request/reply */
	uint16_t icmp_id, icmp_seq;
	uint32_t icmp_mtu;   /* ICMP frag-needed (16-bit) or ICMPv6 packet-too-big (32-bit) */
	bool incomplete;     /* INCOMPLETE [N bytes]: header truncated */
	uint32_t incomplete_bytes;
	uint32_t spi;        /* AH/ESP */

	/* Socket and mark. */
	bool has_uid;
	uint32_t uid, gid;
	bool has_mark;
	uint32_t mark;

	/* Option bytes, last: only the first ip_opt_len / tcp_opt_len are
	 * meaningful, so a parser zeroes the event up to here (EVENT_ZERO_LEN)
	 * and not these 80 bytes, on every record. */
	uint8_t ip_opt_raw[EVENT_OPT_MAX];
	uint8_t tcp_opt_raw[EVENT_OPT_MAX];
};

/* The part of struct event a parser must zero before filling it. */
#define EVENT_ZERO_LEN offsetof(struct event, ip_opt_raw)

/* The packet is IPv6 (its addresses may still be IPv4, when mapped). */
static inline bool event_is_v6(const struct event *ev)
{
	return ev->src.family == ADDR_V6 || ev->v4_mapped;
}

/* ICMP of the record's own family: protocol 1 in IPv4, 58 in IPv6. The
 * kernel prints any other protocol as a number: PROTO=58 in an IPv4 record
 * (nmap -sO sends it) is protocol 58 with no header decoded, not ICMPv6. */
static inline bool event_is_icmp(const struct event *ev)
{
	return ev->proto == (event_is_v6(ev) ? IPPROTO_NUM_ICMPV6 : IPPROTO_NUM_ICMP);
}

/* A SYN as a stack sends it: flags exactly SYN, ECN's CWR and ECE allowed. */
static inline bool event_is_syn(const struct event *ev)
{
	return ev->proto == IPPROTO_NUM_TCP &&
	       (ev->tcp_flags & (uint8_t)~(TCPF_ECE | TCPF_CWR)) == TCPF_SYN;
}

/* Widen [first, last] to take t in: the earliest and the latest in real
 * time (vtime_cmp). Times of another kind than the span's (uptime vs wall
 * clock) cannot be compared and are left out. */
void vtime_merge(struct vtime *first, struct vtime *last, const struct vtime *t);

/* Order of two times of one kind in real time: <0, 0, >0. Wall times that
 * both carry a UTC offset compare as UTC (sec - tz_min * 60), so a log that
 * mixes zones (forwarded lines, a DST change: +01:00 then +02:00) orders by
 * when things happened; a time without an offset counts as UTC (its zone is
 * unknown). */
int vtime_cmp(const struct vtime *a, const struct vtime *b);

/* Decode TCP option bytes (RFC 9293 3.1 layout: kind, [length, data]; NOP
 * and EOL one byte) into *ret. A length field that runs past the end sets
 * ret->truncated and stops the walk. len above EVENT_OPT_MAX reads the
 * first EVENT_OPT_MAX bytes. */
void event_tcp_opts_decode(const uint8_t *raw, size_t len, struct tcp_opts *ret);

/* Set the event's options from a header's bytes, for a source that reads
 * binary headers (NFLOG). raw NULL, or len above EVENT_OPT_MAX (a header
 * cut short, a length no header can have): present but unreadable, "bad",
 * no bytes kept, as LOG's "OPT (TRUNCATED)" (TCP: tcp_opts.truncated). A
 * later call replaces what an earlier one set. */
void event_set_ip_opts(struct event *ev, const uint8_t *raw, size_t len);
void event_set_tcp_opts(struct event *ev, const uint8_t *raw, size_t len);

/* "SYN", "URG PSH FIN", "NULL": the kernel's words and order. Returns length. */
int event_flags_format(uint8_t flags, char buf[40]);
/* The protocol word of a signature alert line (alert/format.c), psad's
 * words and a contract: "tcp", "udp", "udplite", "esp", "ah", the IANA
 * keywords (event/protoname.h), and "icmp" / "icmp6" for the ICMP of the
 * packet's family v6 or IPv4; NULL for any other protocol (the line prints
 * "proto: N"), ICMP of the other family included. Reports name every
 * protocol with proto_name() instead. */
const char *event_proto_name_af(uint8_t proto, bool v6);
const char *event_chain_name(enum chain c);

#endif
