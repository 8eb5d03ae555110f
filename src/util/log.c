/* log.c - stderr messages (see log.h). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static enum log_level max_level = LOG_LVL_INFO;

void log_set_level(enum log_level max)
{
	max_level = max;
}

bool log_enabled(enum log_level l)
{
	return l <= max_level;
}

__attribute__((format(printf, 1, 0))) static void vlog(const char *fmt, va_list ap,
							     const char *tail)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (tail)
		fprintf(stderr, "vigil: %s: %s\n", msg, tail);
	else
		fprintf(stderr, "vigil: %s\n", msg);
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	if (l > max_level)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap, NULL);
	va_end(ap);
}

int log_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap, strerror(err < 0 ? -err : err));
	va_end(ap);
	return err;
}
