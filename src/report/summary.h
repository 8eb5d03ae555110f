/* SPDX-License-Identifier: GPL-2.0-or-later */
/* summary.h - the first screen of a report, for a person: counts by danger
 * level, the top sources with why they scored, the top signatures, the most
 * probed ports and hosts. Built once from the engine's sorted sources and
 * shared by the text report, the HTML report and `vigil status`, so they
 * cannot disagree.
 */
#ifndef VIGIL_SUMMARY_H
#define VIGIL_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/state.h"
#include "report/report.h"

/* Bounded work (vigil status asks on a live daemon): the top lists look at
 * the SUMMARY_AGG_SOURCES most dangerous listed sources, at most
 * SUMMARY_AGG_PORTS port visits and SUMMARY_AGG_HOSTS destinations; past
 * any of them `partial` is set. */
#define SUMMARY_AGG_SOURCES 10000
#define SUMMARY_AGG_PORTS (UINT64_C(20) * 1000 * 1000)
#define SUMMARY_AGG_HOSTS ((size_t)1 << 16) /* about 5 MiB of table */

struct summary_sig {
	uint32_t sid;
	const char *msg;  /* engine-owned; not escaped (HTML and text escape it) */
	uint8_t dl;
	uint32_t sources; /* listed sources that matched it */
	uint64_t count;   /* matches */
};

/* A port, or a run of consecutive ports that as many sources probed
 * (port..port_hi: one scan's range takes one entry, not all of them). */
struct summary_port {
	uint8_t proto;    /* IPPROTO_NUM_TCP, _UDP, _UDPLITE */
	uint16_t port;
	uint16_t port_hi; /* == port: one port */
	uint32_t sources; /* listed sources that probed it */
	uint64_t packets; /* may be 0 when unknown (ports are sets, not counts) */
};

struct summary_host {
	struct addr dst;
	uint32_t sources; /* listed sources that sent to it */
	uint64_t packets;
	uint8_t dl;       /* the highest pair level against it */
};

struct summary {
	size_t tracked;      /* sources in the engine */
	size_t listed;       /* passing --min-dl and --ip */
	size_t by_dl[6];     /* listed sources per danger level */
	size_t scanning;     /* listed sources with scan evidence (scan_dl >= 1) */
	size_t spoofed, reflected; /* listed sources marked so */
	/* The first `top` listed sources, report order (dl, then packets). */
	const struct source_state **top;
	size_t n_top;
	struct summary_sig *sigs;   /* most sources first, then count */
	size_t n_sigs;
	struct summary_port *ports; /* most sources first (then proto, port) */
	size_t n_ports;
	struct summary_host *hosts; /* most sources first, then packets */
	size_t n_hosts;
	bool partial;        /* the lists saw only part of the sources (bounded work) */
};

/* v: n sources in report order (engine_sources_sorted). Lists hold at most
 * `top` entries. 0 or -ENOMEM; summary_free() in both cases. */
int summary_build(const struct source_state **v, size_t n, const struct report_opts *o,
		  size_t top, struct summary *ret);
void summary_free(struct summary *s);

/* The one thing a source did, for a person, when one nmap run makes many
 * packet shapes: "OS fingerprinting (nmap -O)", "IP protocol scan (nmap
 * -sO)", "SYN scan (nmap -sS)", "UDP scan (nmap -sU)", "ping sweep (nmap
 * -sn)", "backscatter", "spoofed", or "" for nothing. Returns the length. */
size_t report_source_label(const struct source_state *s, char *buf, size_t size);

/* Why the source has its level, one line: the label, its extent (ports,
 * hosts) and what set the level (the packets to a host, the sweep, a
 * signature, auto_dl, reputation, invalid ICMP). Returns the length. */
size_t report_source_why(const struct source_state *s, const struct report_opts *o, char *buf,
			 size_t size);

/* The destinations collapsed for a person, sorted by address: "20 hosts
 * 198.51.100.10-29, tcp 80,443" (a sweep), "198.51.100.1" (one). Returns
 * the length (cut at size, ending in "..."). */
size_t report_source_dsts(const struct source_state *s, char *buf, size_t size);

/* A protocol's name for a person: vigil's own (event_proto_name_af: "tcp",
 * "icmp6", ...), else the IANA keyword of a few more ("igmp", "gre",
 * "sctp", ...), else NULL (print the number). */
const char *report_proto_name(unsigned proto, bool v6);

/* Destinations v (n pairs, sorted by address) as ranges:
 * "198.51.100.10-29,198.51.100.40". Returns the length (cut: "..."). */
size_t report_dsts_format(const struct pair_state *const *v, size_t n, char *buf, size_t size);

#endif
