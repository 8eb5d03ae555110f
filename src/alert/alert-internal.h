/* SPDX-License-Identifier: GPL-2.0-or-later */
/* alert-internal.h - what alert.c and alert-mail.c share (src/alert/ only).
 *
 * alert.c: options, the change queue, the syslog and JSON lines, the flush.
 * alert-mail.c: per-source bookkeeping (and its saved form), the mail and
 * global limits, the mail text of an alert, the results of the worker, the
 * digest.
 */
#ifndef VIGIL_ALERT_INTERNAL_H
#define VIGIL_ALERT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "alert/alert.h"
#include "alert/format.h"
#include "alert/logsock.h"
#include "alert/mail.h"

#define BOOK_SETS 1024
#define BOOK_WAYS 4
#define MAIL_DSTS_MAX 16        /* destinations detailed in one mail */
#define DIGEST_TOP 20
#define JSON_RETRY_US 1000000

struct pending {
	uint32_t origin;
	struct addr src;
	bool src_rise;
	uint8_t src_new;
	bool has_last_dst;
	struct addr last_dst;     /* the destination of the last change's event */
	struct vtime ev_time;     /* the last change's event time */
	bool has_ev_time;
	char log_host[64];        /* the last change's record's host, escaped */
	struct addr dsts[ALERT_PENDING_DSTS];
	uint8_t n_dsts;
	uint32_t dsts_more;
	struct alert_sig sigs[ALERT_PENDING_SIGS];
	struct addr sig_dst[ALERT_PENDING_SIGS];
	bool sig_has_dst[ALERT_PENDING_SIGS];
	uint8_t n_sigs;
	uint32_t sigs_more;
};

struct book {
	bool used;
	uint32_t origin;
	struct addr src;
	uint32_t mails;           /* mails queued about the source */
	uint64_t not_mailed;      /* alerts not mailed since its last mail (global limit) */
	uint8_t sweep_said;       /* the sweep level a line announced: the destinations
				   * the sweep raises to it later need no line each */
	int64_t last_us;
};

struct alerter {
	struct alert_opts o;
	struct logsock ls;
	int json_fd;
	int json_err;             /* the last open error, or 0 */
	int64_t json_retry_us;
	char host[64];

	struct pending *pend;     /* [ALERT_PENDING_MAX] */
	size_t n_pend;

	struct book *book;        /* [BOOK_SETS * BOOK_WAYS] */
	double tokens;            /* global mail limit */
	int64_t tokens_us;
	uint64_t not_mailed_global; /* alerts not mailed for the global limit since the last mail */

	struct jsonw *jw;         /* 64 KiB of buffer: allocated once */
	struct mailer *mailer;
	alert_mailed_fn *mailed_fn;
	void *mailed_data;
	alert_lookup_fn *lookup;
	void *lookup_data;
	alert_top_fn *top;
	void *top_data;

	/* digest */
	int64_t digest_due_us;
	uint64_t digest_alerts;   /* alerts since the last digest */
	struct alert_sig digest_sigs[16];
	struct addr digest_sig_src[16];
	size_t n_digest_sigs;
	uint64_t digest_sigs_more;

	struct alert_counters c;
};

/* What a flush decided for one source: for the mail. */
struct flushed {
	char lines[ALERT_PAIR_LINES_MAX + 2 + ALERT_PENDING_SIGS][ALERT_LINE_MAX];
	size_t n_lines;
	struct addr dsts[ALERT_PAIR_LINES_MAX + 1];
	size_t n_dsts;
	unsigned max_dl;
};

/* alert.c */
void alert_copy_str(char *dst, size_t size, const char *s);
void alert_say(struct alerter *a, const char *line, size_t len, int64_t now_us);
const struct pair_state *alert_find_pair(const struct source_state *s, const struct addr *dst);
uint64_t alert_total_dsts(const struct source_state *s);

/* alert-mail.c */
struct book *alert_book_find(struct alerter *a, uint32_t origin, const struct addr *src);
/* the entry of (origin, src), made (seeded from s, may be NULL) if need be */
struct book *alert_book_get(struct alerter *a, uint32_t origin, const struct addr *src,
			    const struct source_state *s, int64_t now_us);
/* a mail about what one flush said of s, if mail is on and the limits allow */
void alert_mail_source(struct alerter *a, const struct pending *pe, const struct source_state *s,
		       const struct flushed *fl, int64_t now_us);

#endif
