/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wrapper.h - strip the envelope a log line came in.
 *
 * Recognised per line, no configuration: RFC 3164 (with or without <PRI>),
 * RFC 3339 high-precision (rsyslog), RFC 5424 (alone or nested in a
 * traditional line), journalctl short, short-iso, short-precise,
 * short-iso-precise, short-full, short-unix and short-monotonic, busybox
 * syslogd and OpenWrt logread (facility.priority written before the tag),
 * DShield's epoch-second lines, dmesg raw, -r and -T, raw /dev/kmsg records,
 * ulogd LOGEMU. The wrapper says what it saw; whether a line without a tag
 * may be a kernel record is the input's format's call (parse.c).
 */
#ifndef VIGIL_WRAPPER_H
#define VIGIL_WRAPPER_H

#include "event/event.h"
#include "parse/parse.h"
#include "util/span.h"

enum wrapper_kind {
	WRAPPER_BARE,   /* no envelope recognised: msg is the whole line */
	WRAPPER_SYSLOG, /* a time, a host (or none), a tag where one belongs */
	WRAPPER_DMESG,  /* "[uptime] " or "[ctime] ": body is the message */
	WRAPPER_KMSG,   /* "PRI,SEQ,USEC,FLAGS;" */
};

enum wrapper_tag {
	WRAPPER_TAG_NONE,   /* no valid "name:" / "name[pid]:" where the tag belongs */
	WRAPPER_TAG_KERNEL, /* "kernel:" exactly (the kernel has no PID) */
	WRAPPER_TAG_OTHER,  /* any other program, "kernel[1234]:" included */
};

struct wrapper {
	struct vtime time;
	struct span host;
	struct span msg;  /* after the tag; the body when there is none */
	struct span body; /* after the time (and host): the message of a tagless format */
	uint8_t kind, tag;
	bool pid;           /* the tag carries "[pid]" */
	bool other_facility; /* a PRI or "fac.prio" names a facility other than kern */
	bool has_facility;   /* the envelope wrote the facility (PRI, fac.prio) */
	bool rfc5424;        /* APP and PROCID came in RFC 5424 fields */
	uint32_t repeat;     /* rsyslog "message repeated N times: [...]": N, else 1 */
};

void wrapper_parse(struct parse_clock *c, struct span line, struct wrapper *ret);

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
int64_t wrapper_days_from_civil(int y, unsigned m, unsigned d);

#endif
