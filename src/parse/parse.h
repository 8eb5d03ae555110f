/* parse.h - one log line in, one verdict (and maybe an event) out.
 *
 * parse_line() recognises the wrapper (RFC 3164/5424 syslog, rsyslog RFC 3339,
 * journalctl short*, dmesg raw and -T, /dev/kmsg records, ulogd LOGEMU) by
 * itself on every line, then reads the kernel's nf_log fields into a struct
 * event on the caller's stack. It never allocates and never reads past the
 * span. A line is exactly one of: an event, ignored (not a kernel firewall
 * record), or malformed (a firewall record that does not parse: reterr says
 * where and what was expected).
 */
#ifndef VIGIL_PARSE_H
#define VIGIL_PARSE_H

#include <stdint.h>

#include "event/event.h"
#include "util/span.h"

enum parse_verdict {
	PARSE_EVENT,
	PARSE_IGNORED,
	PARSE_MALFORMED,
};

enum parse_ignore {
	PARSE_IGN_BLANK,        /* empty or whitespace */
	PARSE_IGN_NOT_FIREWALL, /* no nf_log record in it */
	PARSE_IGN_NOT_KERNEL,   /* the wrapper names another program (or a user kmsg facility) */
	PARSE_IGN_NOT_IP,       /* nf_log record of a non-IP family (ARP, ...) */
};

struct parse_error {
	size_t column;      /* 1-based byte column of the offending token */
	const char *reason; /* static text: "expected IPv4 address after SRC=" */
	struct span got;    /* the offending bytes (print escaped, bounded) */
};

/* Year inference for timestamps without a year (RFC 3164, journalctl short):
 * the year that makes the time not later than ref_sec (+1 day of slack for
 * zones), so December lines read in January get last year. ref_sec is the
 * newest time known: the file's mtime (or now, for stdin), raised by every
 * line that carries its year. Also caches the last date to keep the hot path
 * free of calendar arithmetic. */
struct parse_clock {
	int64_t ref_sec; /* in the same "wall seconds" as struct vtime */
	int cache_mon, cache_day;
	int64_t cache_days[2]; /* that date in the reference year, in the latest year
				* before it where it exists (Feb 29) */
};

void parse_clock_init(struct parse_clock *c, int64_t ref_sec);

enum parse_verdict parse_line(struct parse_clock *c, struct span line, struct event *ret_ev,
			      enum parse_ignore *ret_why, struct parse_error *reterr);

/* Decode the hex of a TCP "OPT (...)" field (RFC 9293 option layout). */
int parse_tcp_options(struct span hex, struct tcp_opts *ret);

#endif
