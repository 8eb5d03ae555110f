/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.c - stderr messages (see log.h). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

static enum log_level max_level = LOG_LVL_INFO;
static bool to_syslog; /* a detached daemon has no stderr */

void log_use_syslog(bool on)
{
	if (on && !to_syslog)
		openlog("vigil", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	to_syslog = on;
}

void log_set_level(enum log_level max)
{
	max_level = max;
}

bool log_enabled(enum log_level l)
{
	return l <= max_level;
}

/* The last guard against a forged line: a control byte that reached the
 * message unescaped (a caller's mistake) is written \xNN here, so every
 * message stays one line that starts with "vigil: ". Backslashes are left
 * alone: callers' escape_bytes() output would double. */
static void defuse(const char *msg, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (const char *p = msg; *p && o + 5 < size; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x20 && c != 0x7f) {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 15];
	}
	out[o] = '\0';
}

__attribute__((format(printf, 2, 0))) static void vlog(enum log_level l, const char *fmt,
							     va_list ap, const char *tail)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	char msg[2048], safe[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	defuse(msg, safe, sizeof(safe));
	if (to_syslog) {
		if (tail)
			syslog(prio[l], "%s: %s", safe, tail);
		else
			syslog(prio[l], "%s", safe);
		return;
	}
	if (tail)
		fprintf(stderr, "vigil: %s: %s\n", safe, tail);
	else
		fprintf(stderr, "vigil: %s\n", safe);
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	if (l > max_level)
		return;
	va_start(ap, fmt);
	vlog(l, fmt, ap, NULL);
	va_end(ap);
}

int log_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_ERROR, fmt, ap, strerror(err < 0 ? -err : err));
	va_end(ap);
	return err;
}
