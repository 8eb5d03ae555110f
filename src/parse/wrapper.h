/* wrapper.h - strip the envelope a log line came in.
 *
 * Recognised per line, no configuration: RFC 3164 (with or without <PRI>),
 * RFC 3339 high-precision (rsyslog), RFC 5424, journalctl short, short-iso,
 * short-precise and short-iso-precise, dmesg raw, -r and -T, raw /dev/kmsg
 * records, ulogd LOGEMU. What is left is the kernel's message; a line that
 * matches none of these is taken as a bare message (no time, no host).
 */
#ifndef VIGIL_WRAPPER_H
#define VIGIL_WRAPPER_H

#include "event/event.h"
#include "parse/parse.h"
#include "util/span.h"

enum wrapper_origin {
	WRAPPER_KERNEL,     /* the wrapper says kernel, or cannot say (dmesg, bare) */
	WRAPPER_NOT_KERNEL, /* a program tag other than "kernel", or a user facility */
};

struct wrapper {
	struct vtime time;
	struct span host;
	struct span msg; /* the message, kernel timestamp "[ 1.2]" already stripped */
};

enum wrapper_origin wrapper_parse(struct parse_clock *c, struct span line, struct wrapper *ret);

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
int64_t wrapper_days_from_civil(int y, unsigned m, unsigned d);

#endif
