/* SPDX-License-Identifier: GPL-2.0-or-later */
/* alert.h - what the daemon says when a verdict changes.
 *
 * The engine's change callback hands each change to alerter_change(), which
 * copies what it needs into a bounded per-source queue and returns: it never
 * blocks and never calls the engine. Once per loop wake-up, before sleeping,
 * alerter_flush() coalesces the queue per source, looks each source up again
 * and writes, at once:
 *   - one syslog line (cli.md) per destination whose level rose, with the
 *     pair's figures as they are at the flush; past ALERT_PAIR_LINES_MAX
 *     destinations in one flush, one line for them all (the last one, with
 *     "total scan dsts"); one line for a source-level rise no destination
 *     explains (a sweep: one alert, not one per destination);
 *   - psad's line for each signature a source matches for the first time;
 *   - the same alerts as JSON lines appended to ALERT_JSON_FILE;
 * and queues a mail for the source when mail is on. Mails, reverse DNS and
 * whois are done by one worker thread (mail.h); their completion wakes the
 * loop through alerter_fd(). Nothing the loop does waits for them.
 */
#ifndef VIGIL_ALERT_H
#define VIGIL_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

struct config;
struct alerter;

#define ALERT_PENDING_MAX 512      /* sources with queued changes between flushes */
#define ALERT_PENDING_DSTS 32      /* destination rises itemised per source */
#define ALERT_PENDING_SIGS 16      /* first signature matches itemised per source */
#define ALERT_PAIR_LINES_MAX 4     /* destination lines per source per flush */

/* Settings taken from struct config (alerter_new, alerter_set_config). */
struct alert_opts {
	char json_path[256];       /* ALERT_JSON_FILE, "" = none */
	char syslog_path[108];     /* SYSLOG_SOCKET, "" = none */
	char facility[32], priority[16];
	unsigned min_dl;           /* MIN_DANGER_LEVEL */
	bool mail;                 /* ENABLE_EMAIL_ALERTS */
	char email_addresses[256];
	unsigned email_dl;         /* EMAIL_ALERT_DANGER_LEVEL */
	uint32_t email_limit;      /* EMAIL_LIMIT per source, 0 = none */
	uint32_t email_max_per_hour; /* 0 = none */
	char sendmail[256];
	bool dns, whois;
	char whois_cmd[256];
	uint32_t whois_timeout_s;
	uint32_t digest_interval_s;
};
void alert_opts_from_config(const struct config *cfg, struct alert_opts *ret);

struct alert_counters {
	uint64_t syslog_deferred; /* lines that waited for a full SYSLOG_SOCKET to drain */
	uint64_t syslog_waiting;  /* waiting now */
	uint64_t alerts, syslog_sent, syslog_dropped, json_written, json_errors, mails_sent,
		mails_suppressed_source, mails_suppressed_global, mails_failed, dns_lookups,
		whois_lookups;
	/* beyond interfaces10.md */
	uint64_t queue_overflow;   /* changes not said: ALERT_PENDING_MAX sources, or more
				    * than ALERT_PENDING_SIGS first matches by one source
				    * in one wake-up */
	uint64_t coalesced;        /* destination lines folded into one */
	uint64_t vanished;         /* queued sources gone by the flush */
	uint64_t dropped_expired;  /* queued changes of sources that expired or were evicted */
	uint64_t mail_queue_full;  /* mails not queued: the worker's queue was full */
	uint64_t digests_sent;
};

int alerter_new(const struct config *cfg, struct alerter **ret);
struct alerter *alerter_free(struct alerter *a); /* NULL-safe; returns NULL */
/* Reload (SIGHUP): new settings, and ALERT_JSON_FILE reopened as by
 * alerter_reopen(). A bad new ALERT_JSON_FILE or SYSLOG_SOCKET keeps the old
 * settings and returns -errno. */
int alerter_set_config(struct alerter *a, const struct config *cfg);

void alerter_change(struct alerter *a, const struct engine_change *c, int64_t now_us);
void alerter_flush(struct alerter *a, const struct engine *e, int64_t now_us);

int alerter_fd(const struct alerter *a);      /* mail/lookup completion, or -1 */
void alerter_on_readable(struct alerter *a);
void alerter_tick(struct alerter *a, const struct engine *e, int64_t now_us); /* digest */
void alerter_reopen(struct alerter *a);       /* after logrotate */
void alerter_counters(const struct alerter *a, struct alert_counters *ret);

/* A mail about a source was handed to sendmail: the daemon records it in the
 * engine (engine_note_mail) so EMAIL_LIMIT survives restarts. */
typedef void alert_mailed_fn(uint32_t origin, const struct addr *src, int64_t now_us,
			     void *data);
void alerter_on_mailed(struct alerter *a, alert_mailed_fn *fn, void *data);

/* How flush finds a source (default: engine_lookup); tests hand-build them. */
typedef const struct source_state *alert_lookup_fn(const struct engine *e, uint32_t origin,
						   const struct addr *src, void *data);
void alerter_set_lookup(struct alerter *a, alert_lookup_fn *fn, void *data);
/* The digest's top sources (default: engine_sources_sorted). Returns n. */
typedef size_t alert_top_fn(const struct engine *e, size_t n, const struct source_state **ret,
			    void *data);
void alerter_set_top(struct alerter *a, alert_top_fn *fn, void *data);

/* Test hook: reverse DNS without a resolver (mail.h, mailer_dns_fn). */
typedef int alert_dns_fn(const struct addr *a, char *name, size_t size);
void alerter_set_dns_fn(struct alerter *a, alert_dns_fn *fn);

/* The bookkeeping a restart keeps (a section of the daemon's state file):
 * per source the mails queued, the alerts not yet mailed and the sweep
 * level a line announced. alerter_save() gives a malloc'd buffer;
 * alerter_restore() checks all of a buffer before it loads any of it:
 * -EINVAL with *reterr_why (static text) for a foreign or damaged one. */
int alerter_save(const struct alerter *a, void **ret_buf, size_t *ret_len);
int alerter_restore(struct alerter *a, const void *buf, size_t len, const char **reterr_why);

/* Syslog lines wait while SYSLOG_SOCKET's reader is full: the socket to
 * watch for EPOLLOUT while they do (else -1), and what to call then. */
int alerter_syslog_fd(const struct alerter *a);
void alerter_syslog_writable(struct alerter *a, int64_t now_us);

/* Block until the worker is idle (tests, and stop). */
void alerter_drain(struct alerter *a);

#endif
