/* SPDX-License-Identifier: GPL-2.0-or-later */
/* logsock.h - syslog alert lines as datagrams to SYSLOG_SOCKET, never blocking.
 *
 * RFC 3164 messages "<PRI>Mmm dd hh:mm:ss vigil[PID]: MSG" over a connected,
 * non-blocking AF_UNIX SOCK_DGRAM socket (what glibc's syslog() does, minus
 * its blocking send and its reconnect loop). A full socket buffer (EAGAIN,
 * ENOBUFS) drops the line and counts it; a syslog daemon that went away
 * (ECONNREFUSED, ENOENT, ENOTCONN) is reconnected once per line at most once
 * a second, so a dead syslogd costs a failed connect(), not a stall.
 */
#ifndef VIGIL_ALERT_LOGSOCK_H
#define VIGIL_ALERT_LOGSOCK_H

#include <stddef.h>
#include <stdint.h>

#include <sys/un.h>

#define LOGSOCK_IDENT "vigil"
#define LOGSOCK_MSG_MAX 2048 /* header + message; longer messages are cut */

struct logsock {
	int fd;               /* -1: not connected */
	int pri;              /* facility | priority */
	long pid;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int64_t next_connect_us; /* earliest reconnect attempt (wall clock) */
	uint64_t sent, dropped, errors;
};

/* facility and priority as config stores them ("LOG_DAEMON", "LOG_INFO");
 * unknown names fall back to daemon.info. Connects lazily. -ENAMETOOLONG
 * when path does not fit a sockaddr_un. */
int logsock_init(struct logsock *l, const char *path, const char *facility,
		 const char *priority);
void logsock_close(struct logsock *l);

/* The header for now_us, then msg; 0 sent, -EAGAIN dropped (counted), or
 * another -errno (counted as dropped and as an error). */
int logsock_send(struct logsock *l, const char *msg, size_t len, int64_t now_us);

/* PRI of names ("LOG_LOCAL7", "LOG_NOTICE"), -1 when unknown. */
int logsock_facility(const char *name);
int logsock_priority(const char *name);

#endif
