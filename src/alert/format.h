/* SPDX-License-Identifier: GPL-2.0-or-later */
/* format.h - the text and JSON of one alert, as pure functions.
 *
 * The syslog lines are cli.md's ("The syslog alert line"): psad's layout as
 * psad 2.x extended it. Every byte comes from numbers, fixed names and the
 * engine's already-escaped interface names; a signature's msg is escaped
 * again (\xNN) so nothing from a rule file or a log can end a line or forge
 * a syslog header. Lines are cut, never overflowed, at ALERT_LINE_MAX - 1.
 *
 * The JSON objects are one line each (ALERT_JSON_FILE): the fields cli.md
 * lists for scans and signatures, the per-protocol fields written as a
 * destination of `analyze --json` is.
 */
#ifndef VIGIL_ALERT_FORMAT_H
#define VIGIL_ALERT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "report/jsonw.h"

#define ALERT_LINE_MAX 1024  /* one syslog message, without the header */
#define ALERT_STYLE_MAX 160  /* "nmap -sS -sU, SWEEP, Mirai" */
#define ALERT_MSG_MAX 256    /* a signature's msg as alerts keep it */
#define ALERT_TIME_MAX 40    /* "2026-12-06T07:01:02.123456+01:00" */

/* The style of a scan in parentheses, from a set of scan types (1 << enum
 * scan_type) and named scanners (1 << enum scanner): the distinct nmap
 * options after "nmap ", then SWEEP, then the scanners' names, joined by
 * ", ". Empty when there is none. Returns the length. */
size_t alert_style(uint32_t types, uint32_t scanners, char buf[ALERT_STYLE_MAX]);

/* What a scan line says about one destination. */
struct alert_scan {
	const struct source_state *s;
	const struct pair_state *p; /* the destination; NULL: dst only, no figures */
	const struct addr *dst;     /* used when p is NULL */
	unsigned dl;                /* the level the line announces */
	uint64_t total_dsts;        /* destinations the source scanned */
	uint32_t types;             /* scan types for the style */
};

/* "scan detected (nmap -sS): SRC -> DST tcp: [lo-hi] flags: SYN tcp pkts: N
 *  DL: D total scan dsts: K", with udp/udplite/icmp/other parts for each
 * protocol the source used against DST. Returns the length (< size). */
size_t alert_scan_line(const struct alert_scan *a, char *buf, size_t size);

/* A signature alert as queued (copied from the engine's change). */
struct alert_sig {
	uint32_t sid;
	uint8_t dl;
	uint8_t proto;           /* of the matching packet */
	bool has_port;
	uint16_t port;           /* its destination port */
	bool v6;
	char msg[ALERT_MSG_MAX]; /* as the rule has it (escaped when written) */
};

/* `src: SRC signature match: "MSG" (sid: N) tcp port: P` (or `icmp`). */
size_t alert_sig_line(const struct addr *src, const struct alert_sig *g, char *buf,
		      size_t size);

/* ISO 8601 with microseconds and the local UTC offset:
 * "2026-12-06T07:01:02.123456+01:00". Returns the length. */
size_t alert_time_iso(int64_t wall_us, char buf[ALERT_TIME_MAX]);

/* Fields every alert object has. */
struct alert_head {
	const char *type;         /* "scan", "signature" */
	int64_t now_us;           /* when the alert was raised */
	const struct vtime *event_time; /* the triggering record's log time, or NULL */
	const struct addr *src, *dst; /* dst may be NULL (signature without pair) */
	uint32_t origin;
	const char *host;         /* this host's name */
	const char *log_host;     /* the host the log record names (escaped), or NULL */
	unsigned dl;
};

/* One alert object; the caller begins nothing and finishes the writer. */
void alert_json_scan(struct jsonw *w, const struct alert_head *h, const struct alert_scan *a,
		     uint64_t coalesced);
void alert_json_sig(struct jsonw *w, const struct alert_head *h, const struct alert_sig *g);

#endif
