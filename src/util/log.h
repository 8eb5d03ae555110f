/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.h - the one place messages for people are written.
 *
 * Only main, cmd-* and the daemon loop log; library modules return errors
 * and counters. Messages go to stderr as "vigil: ..." and are printf-checked.
 * Strings from untrusted input must be escaped (escape.h) before they get
 * here; as a last guard, a control byte left in a message is written \xNN,
 * so no message can break its line and forge another "vigil:" line.
 * Every "vigil: " line on stderr goes through here. log_errno() returns its error argument so callers can
 * `return log_errno(r, "cannot open '%s'", path);`.
 */
#ifndef VIGIL_LOG_H
#define VIGIL_LOG_H

#include <stdbool.h>

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_set_level(enum log_level max);
/* Send messages to syslog(3) (ident "vigil", LOG_DAEMON) instead of stderr:
 * for a daemon that detached from its terminal. */
void log_use_syslog(bool on);
bool log_enabled(enum log_level l);
void log_msg(enum log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "vigil: <msg>: <strerror(-err)>"; returns err. */
int log_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
