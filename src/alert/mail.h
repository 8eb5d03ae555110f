/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mail.h - the alert mails, reverse DNS and whois, off the event loop.
 *
 * One worker thread takes mail jobs from a bounded queue. For each it looks
 * up the reverse DNS names of source and destination (getnameinfo, which
 * has no asynchronous form: hence a thread rather than child processes) and
 * the source's whois (the WHOIS_CMD program, posix_spawn with an argv
 * vector, output capped, killed at WHOIS_TIMEOUT), both cached in bounded
 * LRU tables and sanitised (sanitize.h); then it runs `SENDMAIL -t -oi`
 * (posix_spawn, argv vector, minimal environment), writes the message
 * through a non-blocking pipe with a deadline and reaps the child without
 * blocking past that deadline. Each finished job is posted back and an
 * eventfd is made readable: the loop collects results with mailer_results().
 * A dead resolver, whois server or mail server delays only later mails.
 */
#ifndef VIGIL_ALERT_MAIL_H
#define VIGIL_ALERT_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/addr.h"

#define MAILER_QUEUE_MAX 64       /* jobs waiting */
#define MAILER_DNS_CACHE 256      /* names cached */
#define MAILER_WHOIS_CACHE 32     /* whois answers cached */
#define MAILER_WHOIS_MAX 16384    /* bytes read from whois */
#define MAILER_DNS_TTL_US (3600 * INT64_C(1000000))
#define MAILER_WHOIS_TTL_US (86400 * INT64_C(1000000))
#define MAILER_SEND_TIMEOUT_MS 30000 /* sendmail: write and exit */
#define MAILER_STALE_MS 600000    /* a job queued longer is mailed without lookups */

struct mail_job {
	uint32_t origin;
	struct addr src;
	bool has_dst;
	struct addr dst;
	bool digest;           /* no lookups */
	char subject[200];     /* printable ASCII only */
	char *pre, *post;      /* body before and after the "DNS:" line (malloc'd, owned) */
	int64_t queued_ms;     /* CLOCK_MONOTONIC, set by mailer_submit() */
	struct mail_job *next;
};

struct mail_result {
	uint32_t origin;
	struct addr src;
	bool digest;
	int status;            /* 0 handed to sendmail and it exited 0, else -errno or -EIO */
	bool dns_done, whois_done; /* a lookup was made (not from the cache) */
};

struct mailer_opts {
	char sendmail[256];
	char recipients[256];  /* comma list, validated by config */
	bool dns, whois;
	char whois_cmd[256];
	uint32_t whois_timeout_s;
	char host[64];
};

/* Test hook: a reverse lookup in place of getnameinfo(). Writes a name
 * (any bytes, NUL-terminated) and returns 0, or returns -ENOENT. */
typedef int mailer_dns_fn(const struct addr *a, char *name, size_t size);

struct mailer;
int mailer_new(const struct mailer_opts *o, struct mailer **ret);
struct mailer *mailer_free(struct mailer *m); /* stops the thread; NULL-safe */
void mailer_set_opts(struct mailer *m, const struct mailer_opts *o);
void mailer_set_dns_fn(struct mailer *m, mailer_dns_fn *fn);

/* Takes the job (and its buffers) in every case; -ENOSPC when the queue is
 * full (the job is freed). */
int mailer_submit(struct mailer *m, struct mail_job *job);
int mailer_fd(const struct mailer *m);
/* Results since the last call (clears the eventfd); returns how many. */
size_t mailer_results(struct mailer *m, struct mail_result *ret, size_t max);
void mailer_drain(struct mailer *m); /* wait until no job is queued or running */

struct mail_job *mail_job_free(struct mail_job *j);

#endif
