/* SPDX-License-Identifier: GPL-2.0-or-later */
/* logsock.h - syslog alert lines as datagrams to SYSLOG_SOCKET, never blocking.
 *
 * RFC 3164 messages "<PRI>Mmm dd hh:mm:ss vigil[PID]: MSG" over a connected,
 * non-blocking AF_UNIX SOCK_DGRAM socket (what glibc's syslog() does, minus
 * its blocking send and its reconnect loop). A full socket buffer (EAGAIN,
 * ENOBUFS: the reader's queue holds only net.unix.max_dgram_qlen datagrams,
 * 10 by default) keeps the line in a bounded backlog, sent in order when the
 * socket is writable again (logsock_flush on EPOLLOUT of logsock_fd); only
 * a full backlog drops a line, counted. Lines also wait while the syslog
 * daemon is away (restarting, not started yet): logsock_flush, called each
 * second, reconnects and sends them. A syslog daemon that went away
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
#define LOGSOCK_BACKLOG 1024 /* lines waiting for a full socket to drain */

struct logsock {
	int fd;               /* -1: not connected */
	int pri;              /* facility | priority */
	long pid;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int64_t next_connect_us; /* earliest reconnect attempt (wall clock) */
	uint64_t sent, dropped, errors;
	uint64_t deferred;    /* lines that waited in the backlog */
	/* the backlog: a ring of lines as they will be sent (header included) */
	char *backlog[LOGSOCK_BACKLOG];
	uint16_t backlog_len[LOGSOCK_BACKLOG];
	size_t head, n_backlog;
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

/* Send what waits in the backlog, in order, until the socket is full again.
 * Returns the lines still waiting. */
size_t logsock_flush(struct logsock *l, int64_t now_us);
/* The socket to watch for EPOLLOUT while lines wait, else -1. */
int logsock_fd(const struct logsock *l);

/* PRI of names ("LOG_LOCAL7", "LOG_NOTICE"), -1 when unknown. */
int logsock_facility(const char *name);
int logsock_priority(const char *name);

#endif
