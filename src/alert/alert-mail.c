/* SPDX-License-Identifier: GPL-2.0-or-later */
/* alert-mail.c - mail bookkeeping, limits, alert mails, worker results and
 * the digest (see alert.h, alert-internal.h).
 *
 * Mail bookkeeping per source (mails queued, alerts not mailed, the sweep
 * level a line announced) lives in a bounded set-associative table (struct
 * book), seeded from the engine's persisted mails_sent, so EMAIL_LIMIT
 * holds across restarts and a flood of sources costs no memory. The global
 * limit is a token bucket of EMAIL_MAX_PER_HOUR tokens refilled over an hour.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/alert-internal.h"
#include "alert/mailbody.h"
#include "report/report.h"
#include "util/escape.h"

/* --- per-source bookkeeping --- */

struct book *alert_book_find(struct alerter *a, uint32_t origin, const struct addr *src)
{
	struct book *set = &a->book[(addr_hash(src, origin) % BOOK_SETS) * BOOK_WAYS];

	for (unsigned i = 0; i < BOOK_WAYS; i++)
		if (set[i].used && set[i].origin == origin && addr_eq(&set[i].src, src))
			return &set[i];
	return NULL;
}

struct book *alert_book_get(struct alerter *a, uint32_t origin, const struct addr *src,
			     const struct source_state *s, int64_t now_us)
{
	uint64_t h = addr_hash(src, origin);
	struct book *set = &a->book[(h % BOOK_SETS) * BOOK_WAYS], *victim = set;

	for (unsigned i = 0; i < BOOK_WAYS; i++) {
		if (set[i].used && set[i].origin == origin && addr_eq(&set[i].src, src)) {
			set[i].last_us = now_us;
			if (s && (s)->mails_sent > set[i].mails)
				set[i].mails = (s)->mails_sent;
			return &set[i];
		}
		if (!set[i].used || (victim->used && set[i].last_us < victim->last_us))
			victim = &set[i];
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->origin = origin;
	victim->src = *src;
	victim->last_us = now_us;
	victim->mails = s ? (s)->mails_sent : 0; /* persisted by the engine */
	return victim;
}

/* --- saved bookkeeping: "VALB", u32 version, u32 count, u64 alerts not
 * mailed for the global limit, then per source u32 origin, u8 family,
 * 16 address bytes, u8 sweep level announced, u32 mails, u64 not mailed,
 * i64 last use (µs); little-endian --- */

#define SAVE_MAGIC "VALB"
#define SAVE_VERSION 1
#define SAVE_HEAD 20
#define SAVE_REC 42

static uint8_t *put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		*p++ = (uint8_t)(v >> (8 * i));
	return p;
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int alerter_save(const struct alerter *a, void **ret_buf, size_t *ret_len)
{
	size_t n = 0, len;
	uint8_t *buf, *p;

	for (size_t i = 0; i < BOOK_SETS * BOOK_WAYS; i++)
		n += a->book[i].used;
	len = SAVE_HEAD + n * SAVE_REC;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, SAVE_MAGIC, 4);
	p = put_le(buf + 4, SAVE_VERSION, 4);
	p = put_le(p, n, 4);
	p = put_le(p, a->not_mailed_global, 8);
	for (size_t i = 0; i < BOOK_SETS * BOOK_WAYS; i++) {
		const struct book *b = &a->book[i];
		if (!b->used)
			continue;
		p = put_le(p, b->origin, 4);
		*p++ = b->src.family;
		memcpy(p, b->src.b, 16);
		p += 16;
		*p++ = b->sweep_said;
		p = put_le(p, b->mails, 4);
		p = put_le(p, b->not_mailed, 8);
		p = put_le(p, (uint64_t)b->last_us, 8);
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}

int alerter_restore(struct alerter *a, const void *data, size_t len, const char **reterr_why)
{
	const uint8_t *buf = data, *p;
	uint64_t n;

	if (len < SAVE_HEAD || memcmp(buf, SAVE_MAGIC, 4) != 0) {
		*reterr_why = "not alert bookkeeping";
		return -EINVAL;
	}
	if (get_le(buf + 4, 4) != SAVE_VERSION) {
		*reterr_why = "alert bookkeeping of another version";
		return -EINVAL;
	}
	n = get_le(buf + 8, 4);
	if (n > BOOK_SETS * BOOK_WAYS || len != SAVE_HEAD + n * SAVE_REC) {
		*reterr_why = "alert bookkeeping of the wrong length";
		return -EINVAL;
	}
	for (p = buf + SAVE_HEAD; p < buf + len; p += SAVE_REC) {
		struct addr x = { .family = p[4] };
		memcpy(x.b, p + 5, 16);
		if ((x.family != ADDR_V4 && x.family != ADDR_V6) ||
		    (x.family == ADDR_V4 && memcmp(x.b + 4, "\0\0\0\0\0\0\0\0\0\0\0\0", 12) != 0) ||
		    p[21] > 5) {
			*reterr_why = "alert bookkeeping with a bad record";
			return -EINVAL;
		}
	}
	a->not_mailed_global = get_le(buf + 12, 8);
	for (p = buf + SAVE_HEAD; p < buf + len; p += SAVE_REC) {
		struct addr x = { .family = p[4] };
		memcpy(x.b, p + 5, 16);
		struct book *b = alert_book_get(a, (uint32_t)get_le(p, 4), &x, NULL,
					  (int64_t)get_le(p + 34, 8));
		b->sweep_said = p[21];
		b->mails = (uint32_t)get_le(p + 22, 4);
		b->not_mailed = get_le(p + 26, 8);
	}
	return 0;
}

/* --- mail --- */

static bool take_token(struct alerter *a, int64_t now_us)
{
	double max = a->o.email_max_per_hour;

	if (!a->o.email_max_per_hour)
		return true;
	if (a->tokens_us && now_us > a->tokens_us)
		a->tokens += max * (double)(now_us - a->tokens_us) / 3.6e9;
	a->tokens_us = now_us;
	if (a->tokens > max)
		a->tokens = max;
	if (a->tokens < 1.0)
		return false;
	a->tokens -= 1.0;
	return true;
}

/* The engine's time (UTC, with this host's offset) when it has one, else
 * the log's own. */
static void mail_when(struct mailtext *t, const char *label, int64_t us, const struct vtime *v)
{
	char buf[ALERT_TIME_MAX];

	if (us && alert_time_iso(us, buf))
		mt_printf(t, "%s%s\n", label, buf);
	else
		mt_time(t, label, v);
}

void alert_mail_source(struct alerter *a, const struct pending *pe,
			const struct source_state *s, const struct flushed *fl, int64_t now_us)
{
	struct mailtext pre = { 0 }, post = { 0 };
	char src[ADDR_STR_MAX], dst[ADDR_STR_MAX], when[ALERT_TIME_MAX], style[ALERT_STYLE_MAX];
	struct book *b;
	struct mail_job *j;
	bool last;

	if (!a->o.mail || fl->max_dl < a->o.email_dl)
		return;
	b = alert_book_get(a, pe->origin, &s->src, s, now_us);
	(void)addr_format(&s->src, src);
	if (a->o.email_limit && b->mails >= a->o.email_limit) {
		a->c.mails_suppressed_source++;
		return;
	}
	if (!take_token(a, now_us)) {
		a->c.mails_suppressed_global++;
		a->not_mailed_global++;
		b->not_mailed++;
		return;
	}
	b->mails++;
	last = a->o.email_limit && b->mails == a->o.email_limit;
	if (last) {
		char line[ALERT_LINE_MAX];
		int n = snprintf(line, sizeof(line),
				 "email limit reached for src: %s (EMAIL_LIMIT %u): later alerts "
				 "are not mailed", src, a->o.email_limit);
		alert_say(a, line, (size_t)n, now_us);
	}

	(void)alert_time_iso(now_us, when);
	mt_put(&pre, "=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=\n", 74);
	mt_printf(&pre, "          vigil alert: %s on %s\n\n", when, a->host);
	mt_printf(&pre, "       Danger level: [%u] (out of 5)\n", s->dl);
	mt_printf(&pre, "             Source: %s\n", src);

	mt_intel(&post, s); /* OS guess first; signatures come later */
	mail_when(&post, " Overall scan start: ", (s)->first_us, &s->first);
	mail_when(&post, "   Last packet seen: ", (s)->last_us, &s->last);
	mt_printf(&post, " Total email alerts: %u%s\n", b->mails,
		  a->o.email_limit ? "" : " (no EMAIL_LIMIT)");
	mt_printf(&post, "Scanned destinations: %llu, packets: %llu\n",
		  (unsigned long long)alert_total_dsts(s), (unsigned long long)s->packets);
	if (alert_style(s->scan_types, s->intel ? s->intel->scanners : 0, style))
		mt_printf(&post, "         Scan style: %s\n", style);
	mt_put(&post, "\n[+] Alerts:\n", 13);
	for (size_t i = 0; i < fl->n_lines; i++)
		mt_printf(&post, "   %s\n", fl->lines[i]);
	{
		size_t shown = 0;
		for (size_t i = 0; i < fl->n_dsts && shown < MAIL_DSTS_MAX; i++) {
			const struct pair_state *p = alert_find_pair(s, &fl->dsts[i]);
			if (p) {
				mt_pair(&post, p);
				shown++;
			}
		}
		for (uint32_t i = s->n_pairs; i-- > 0 && shown < MAIL_DSTS_MAX;) {
			const struct pair_state *p = s->pairs[i];
			bool dup = false;
			for (size_t k = 0; p && k < fl->n_dsts; k++)
				dup |= addr_eq(&fl->dsts[k], &p->dst);
			if (p && !dup && p->dl) {
				mt_pair(&post, p);
				shown++;
			}
		}
		if (alert_total_dsts(s) > shown)
			mt_printf(&post, "\n   ... %llu more destinations (vigil status --ip %s)\n",
				  (unsigned long long)(alert_total_dsts(s) - shown), src);
	}
	if (b->not_mailed || a->not_mailed_global)
		mt_printf(&post, "\n[+] Not mailed: %llu earlier alerts about %s and %llu about all "
				 "sources (EMAIL_MAX_PER_HOUR %u); syslog and ALERT_JSON_FILE have them.\n",
			  (unsigned long long)b->not_mailed, src,
			  (unsigned long long)a->not_mailed_global, a->o.email_max_per_hour);
	if (last)
		mt_printf(&post, "\n[+] This is the last mail about %s (EMAIL_LIMIT %u); later alerts "
				 "go to syslog and ALERT_JSON_FILE only.\n", src, a->o.email_limit);
	b->not_mailed = 0;
	a->not_mailed_global = 0;

	j = calloc(1, sizeof(*j));
	if (!j || pre.oom || post.oom) {
		free(j);
		free(pre.p);
		free(post.p);
		a->c.mails_failed++;
		return;
	}
	j->origin = pe->origin;
	j->src = s->src;
	if (fl->n_dsts) {
		j->has_dst = true;
		j->dst = fl->dsts[0];
	}
	if (fl->n_dsts > 1)
		(void)snprintf(j->subject, sizeof(j->subject), "[vigil-alert] DL%u src: %s dst: %zu destinations",
			       s->dl, src, fl->n_dsts);
	else if (fl->n_dsts) {
		(void)addr_format(&fl->dsts[0], dst);
		(void)snprintf(j->subject, sizeof(j->subject), "[vigil-alert] DL%u src: %s dst: %s", s->dl,
			       src, dst);
	} else {
		(void)snprintf(j->subject, sizeof(j->subject), "[vigil-alert] DL%u src: %s signature match",
			       s->dl, src);
	}
	j->pre = pre.p;
	j->post = post.p;
	if (mailer_submit(a->mailer, j) < 0) {
		a->c.mail_queue_full++;
		a->c.mails_failed++;
	}
}

static int64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void alerter_on_readable(struct alerter *a)
{
	struct mail_result r[32];
	size_t n;

	if (!a->mailer)
		return;
	while ((n = mailer_results(a->mailer, r, 32)) > 0) {
		for (size_t i = 0; i < n; i++) {
			a->c.dns_lookups += r[i].dns_done;
			a->c.whois_lookups += r[i].whois_done;
			if (r[i].status < 0) {
				a->c.mails_failed++;
				continue;
			}
			if (r[i].digest) {
				a->c.digests_sent++;
				continue;
			}
			a->c.mails_sent++;
			if (a->mailed_fn)
				a->mailed_fn(r[i].origin, &r[i].src, wall_us(), a->mailed_data);
		}
		if (n < 32)
			break;
	}
}

/* --- digest --- */

void alerter_tick(struct alerter *a, const struct engine *e, int64_t now_us)
{
	const struct source_state *top[DIGEST_TOP];
	struct mailtext post = { 0 };
	char when[ALERT_TIME_MAX], addr[ADDR_STR_MAX], esc[ALERT_MSG_MAX * 4];
	struct mail_job *j;
	size_t n;

	if (!a->o.digest_interval_s || !a->o.mail) {
		a->digest_due_us = 0;
		return;
	}
	if (!a->digest_due_us) {
		a->digest_due_us = now_us + (int64_t)a->o.digest_interval_s * 1000000;
		return;
	}
	if (now_us < a->digest_due_us)
		return;
	a->digest_due_us = now_us + (int64_t)a->o.digest_interval_s * 1000000;
	(void)alert_time_iso(now_us, when);
	mt_printf(&post, "vigil digest: %s on %s, every %u s\n\n", when, a->host,
		  a->o.digest_interval_s);
	mt_printf(&post, "Alerts since the last digest: %llu\n", (unsigned long long)a->digest_alerts);
	mt_printf(&post, "Alerts in all: %llu; mails sent %llu, not sent: %llu (EMAIL_LIMIT), "
			 "%llu (EMAIL_MAX_PER_HOUR), %llu failed\n",
		  (unsigned long long)a->c.alerts, (unsigned long long)a->c.mails_sent,
		  (unsigned long long)a->c.mails_suppressed_source,
		  (unsigned long long)a->c.mails_suppressed_global,
		  (unsigned long long)a->c.mails_failed);
	mt_printf(&post, "Syslog lines sent %llu, dropped %llu; JSON lines %llu, errors %llu\n",
		  (unsigned long long)a->ls.sent, (unsigned long long)a->ls.dropped,
		  (unsigned long long)a->c.json_written, (unsigned long long)a->c.json_errors);
	n = a->top(e, DIGEST_TOP, top, a->top_data);
	mt_put(&post, "\n[+] Top sources:\n", 18);
	for (size_t i = 0; i < n; i++) {
		char style[ALERT_STYLE_MAX];
		(void)addr_format(&top[i]->src, addr);
		(void)alert_style(top[i]->scan_types, top[i]->intel ? top[i]->intel->scanners : 0,
				  style);
		mt_printf(&post, "   DL %u  %-39s %10llu packets, %llu dsts  %s\n", top[i]->dl, addr,
			  (unsigned long long)top[i]->packets,
			  (unsigned long long)alert_total_dsts(top[i]), style);
	}
	if (!n)
		mt_put(&post, "   (none)\n", 10);
	mt_put(&post, "\n[+] New signatures:\n", 21);
	for (size_t i = 0; i < a->n_digest_sigs; i++) {
		const struct alert_sig *g = &a->digest_sigs[i];
		(void)addr_format(&a->digest_sig_src[i], addr);
		escape_bytes(g->msg, strnlen(g->msg, sizeof(g->msg)), esc, sizeof(esc));
		mt_printf(&post, "   %s: \"%s\" (sid: %u, DL %u)\n", addr, esc, g->sid, g->dl);
	}
	if (a->digest_sigs_more)
		mt_printf(&post, "   ... and %llu more\n", (unsigned long long)a->digest_sigs_more);
	if (!a->n_digest_sigs)
		mt_put(&post, "   (none)\n", 10);
	a->digest_alerts = 0;
	a->n_digest_sigs = 0;
	a->digest_sigs_more = 0;
	j = calloc(1, sizeof(*j));
	if (!j || post.oom) {
		free(j);
		free(post.p);
		a->c.mails_failed++;
		return;
	}
	j->digest = true;
	(void)snprintf(j->subject, sizeof(j->subject), "[vigil-digest] %s on %s", when, a->host);
	j->post = post.p;
	if (mailer_submit(a->mailer, j) < 0) {
		a->c.mail_queue_full++;
		a->c.mails_failed++;
	}
}

