/* SPDX-License-Identifier: GPL-2.0-or-later */
/* logsock.c - non-blocking syslog datagrams (see logsock.h). */
#include "alert/logsock.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define RECONNECT_US 1000000

static const struct {
	const char *name;
	int val;
} facilities[] = {
	{ "LOG_KERN", LOG_KERN },	  { "LOG_USER", LOG_USER },	{ "LOG_MAIL", LOG_MAIL },
	{ "LOG_DAEMON", LOG_DAEMON },	  { "LOG_AUTH", LOG_AUTH },	{ "LOG_SYSLOG", LOG_SYSLOG },
	{ "LOG_LPR", LOG_LPR },		  { "LOG_NEWS", LOG_NEWS },	{ "LOG_UUCP", LOG_UUCP },
	{ "LOG_CRON", LOG_CRON },	  { "LOG_AUTHPRIV", LOG_AUTHPRIV }, { "LOG_FTP", LOG_FTP },
	{ "LOG_LOCAL0", LOG_LOCAL0 },	  { "LOG_LOCAL1", LOG_LOCAL1 }, { "LOG_LOCAL2", LOG_LOCAL2 },
	{ "LOG_LOCAL3", LOG_LOCAL3 },	  { "LOG_LOCAL4", LOG_LOCAL4 }, { "LOG_LOCAL5", LOG_LOCAL5 },
	{ "LOG_LOCAL6", LOG_LOCAL6 },	  { "LOG_LOCAL7", LOG_LOCAL7 },
}, priorities[] = {
	{ "LOG_EMERG", LOG_EMERG }, { "LOG_ALERT", LOG_ALERT },	    { "LOG_CRIT", LOG_CRIT },
	{ "LOG_ERR", LOG_ERR },	    { "LOG_WARNING", LOG_WARNING }, { "LOG_NOTICE", LOG_NOTICE },
	{ "LOG_INFO", LOG_INFO },   { "LOG_DEBUG", LOG_DEBUG },
};

int logsock_facility(const char *name)
{
	for (size_t i = 0; name && i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (strcmp(name, facilities[i].name) == 0)
			return facilities[i].val;
	return -1;
}

int logsock_priority(const char *name)
{
	for (size_t i = 0; name && i < sizeof(priorities) / sizeof(priorities[0]); i++)
		if (strcmp(name, priorities[i].name) == 0)
			return priorities[i].val;
	return -1;
}

int logsock_init(struct logsock *l, const char *path, const char *facility,
		 const char *priority)
{
	int fac = logsock_facility(facility), prio = logsock_priority(priority);
	size_t n = strlen(path);

	memset(l, 0, sizeof(*l));
	l->fd = -1;
	l->pri = (fac < 0 ? LOG_DAEMON : fac) | (prio < 0 ? LOG_INFO : prio);
	l->pid = (long)getpid();
	if (n >= sizeof(l->path))
		return -ENAMETOOLONG;
	memcpy(l->path, path, n + 1);
	return 0;
}

static void backlog_clear(struct logsock *l)
{
	for (size_t i = 0; i < l->n_backlog; i++) {
		size_t k = (l->head + i) % LOGSOCK_BACKLOG;

		free(l->backlog[k]);
		l->backlog[k] = NULL;
	}
	l->dropped += l->n_backlog;
	l->head = l->n_backlog = 0;
}

void logsock_close(struct logsock *l)
{
	if (l->fd >= 0)
		(void)close(l->fd);
	l->fd = -1;
	backlog_clear(l);
}

static int logsock_connect(struct logsock *l, int64_t now_us)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (now_us < l->next_connect_us)
		return -EAGAIN;
	l->next_connect_us = now_us + RECONNECT_US;
	if (!l->path[0])
		return -ENOENT;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memcpy(sa.sun_path, l->path, strlen(l->path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;
		(void)close(fd);
		return r;
	}
	l->fd = fd;
	return 0;
}

/* "<PRI>Mmm dd hh:mm:ss vigil[PID]: " in the local zone, as syslog(3). */
static size_t header(const struct logsock *l, int64_t now_us, char *buf, size_t size)
{
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(now_us / 1000000);
	struct tm tm;
	int n;

	if (!localtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	n = snprintf(buf, size, "<%d>%s %2d %02d:%02d:%02d %s[%ld]: ", l->pri,
		     mon[(unsigned)tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     LOGSOCK_IDENT, l->pid);
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

static bool gone(int err)
{
	return err == ECONNREFUSED || err == ENOTCONN || err == ENOENT || err == EDESTADDRREQ ||
	       err == EPIPE;
}

/* One datagram: 0 sent, -EAGAIN full (try later), or another -errno. */
static int send_one(struct logsock *l, const char *buf, size_t n, int64_t now_us)
{
	int r = 0;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (l->fd < 0 && (r = logsock_connect(l, now_us)) < 0)
			return r == -EAGAIN ? -ENOTCONN : r;
		if (send(l->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) {
			l->sent++;
			return 0;
		}
		r = -errno;
		if (!gone(-r))
			break;
		(void)close(l->fd); /* syslogd restarted: reconnect once */
		l->fd = -1;
		l->next_connect_us = 0;
	}
	if (r == -EWOULDBLOCK || r == -ENOBUFS)
		r = -EAGAIN;
	return r;
}

/* Worth waiting for: the reader is full, or away (a syslogd restarting). */
static bool waitable(int r)
{
	return r == -EAGAIN || r == -ENOTCONN || gone(-r);
}

size_t logsock_flush(struct logsock *l, int64_t now_us)
{
	while (l->n_backlog) {
		size_t k = l->head;
		int r = send_one(l, l->backlog[k], l->backlog_len[k], now_us);

		if (r < 0 && waitable(r))
			break;
		if (r < 0) { /* this line cannot be sent at all: counted, the rest go on */
			l->errors++;
			l->dropped++;
		}
		free(l->backlog[k]);
		l->backlog[k] = NULL;
		l->head = (k + 1) % LOGSOCK_BACKLOG;
		l->n_backlog--;
	}
	return l->n_backlog;
}

int logsock_fd(const struct logsock *l)
{
	return l->n_backlog ? l->fd : -1;
}

static int backlog_add(struct logsock *l, const char *buf, size_t n)
{
	size_t k = (l->head + l->n_backlog) % LOGSOCK_BACKLOG;
	char *copy;

	if (l->n_backlog == LOGSOCK_BACKLOG || !(copy = malloc(n)))
		return -EAGAIN;
	memcpy(copy, buf, n);
	l->backlog[k] = copy;
	l->backlog_len[k] = (uint16_t)n;
	l->n_backlog++;
	l->deferred++;
	return 0;
}

int logsock_send(struct logsock *l, const char *msg, size_t len, int64_t now_us)
{
	char buf[LOGSOCK_MSG_MAX];
	size_t n = header(l, now_us, buf, sizeof(buf));
	int r;

	if (len > sizeof(buf) - n)
		len = sizeof(buf) - n;
	memcpy(buf + n, msg, len);
	n += len;
	/* lines keep their order: a new one waits behind the backlog */
	if (logsock_flush(l, now_us) == 0 && !waitable(r = send_one(l, buf, n, now_us))) {
		if (r == 0)
			return 0;
		l->dropped++;
		l->errors++;
		return r;
	}
	if (backlog_add(l, buf, n) == 0)
		return 0;
	l->dropped++;
	return -EAGAIN;
}
