/* SPDX-License-Identifier: GPL-2.0-or-later */
/* alert.c - change queue, coalescing, syslog and JSON lines, mail bookkeeping
 * (see alert.h).
 *
 * The queue is an array of ALERT_PENDING_MAX per-source entries filled by
 * alerter_change() and emptied by alerter_flush(); it is small because it
 * is emptied at every wake-up of the loop. What does not fit is counted.
 *
 * Mail bookkeeping per source (mails queued, alerts not mailed) lives in a
 * bounded set-associative table (struct book), seeded from the engine's
 * persisted mails_sent, so EMAIL_LIMIT holds across restarts and a flood of
 * sources costs no memory. The global limit is a token bucket of
 * EMAIL_MAX_PER_HOUR tokens refilled over an hour.
 */
#include "alert/alert.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert/format.h"
#include "alert/logsock.h"
#include "alert/mail.h"
#include "alert/mailbody.h"
#include "alert/sanitize.h"
#include "config/config.h"
#include "engine/classify.h"
#include "match/signature.h"
#include "report/report.h"
#include "util/escape.h"

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

/* --- options --- */

static void copy_str(char *dst, size_t size, const char *s)
{
	size_t n = strnlen(s, size - 1);

	memcpy(dst, s, n);
	dst[n] = '\0';
}

void alert_opts_from_config(const struct config *cfg, struct alert_opts *o)
{
	memset(o, 0, sizeof(*o));
	copy_str(o->json_path, sizeof(o->json_path), cfg->alert_json_file);
	copy_str(o->syslog_path, sizeof(o->syslog_path), cfg->syslog_socket);
	copy_str(o->facility, sizeof(o->facility), cfg->syslog_facility);
	copy_str(o->priority, sizeof(o->priority), cfg->syslog_priority);
	o->min_dl = cfg->min_danger_level;
	o->mail = cfg->enable_email_alerts;
	copy_str(o->email_addresses, sizeof(o->email_addresses), cfg->email_addresses);
	o->email_dl = cfg->email_alert_danger_level;
	o->email_limit = cfg->email_limit;
	o->email_max_per_hour = cfg->email_max_per_hour;
	copy_str(o->sendmail, sizeof(o->sendmail), cfg->sendmail_cmd);
	o->dns = cfg->enable_dns_lookups;
	o->whois = cfg->enable_whois_lookups;
	copy_str(o->whois_cmd, sizeof(o->whois_cmd), cfg->whois_cmd);
	o->whois_timeout_s = cfg->whois_timeout;
	o->digest_interval_s = cfg->digest_interval;
}

static void mailer_opts_of(const struct alerter *a, struct mailer_opts *m)
{
	memset(m, 0, sizeof(*m));
	copy_str(m->sendmail, sizeof(m->sendmail), a->o.sendmail);
	copy_str(m->recipients, sizeof(m->recipients), a->o.email_addresses);
	m->dns = a->o.dns;
	m->whois = a->o.whois;
	copy_str(m->whois_cmd, sizeof(m->whois_cmd), a->o.whois_cmd);
	m->whois_timeout_s = a->o.whois_timeout_s;
	copy_str(m->host, sizeof(m->host), a->host);
}

static int json_open(struct alerter *a)
{
	int fd;

	if (!a->o.json_path[0])
		return 0;
	fd = open(a->o.json_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	if (fd < 0)
		return a->json_err = -errno;
	if (a->json_fd >= 0)
		(void)close(a->json_fd);
	a->json_fd = fd;
	a->json_err = 0;
	return 0;
}

static const struct source_state *lookup_engine(const struct engine *e, uint32_t origin,
						const struct addr *src, void *data)
{
	(void)data;
	return e ? engine_lookup(e, origin, src) : NULL;
}

static size_t top_engine(const struct engine *e, size_t n, const struct source_state **ret,
			 void *data)
{
	const struct source_state **v;
	size_t all = 0;

	(void)data;
	if (!e)
		return 0;
	v = engine_sources_sorted(e, &all); /* engine_top() once H2's engine lands */
	if (!v)
		return 0;
	if (n > all)
		n = all;
	memcpy(ret, v, n * sizeof(*ret));
	free(v);
	return n;
}

static int apply(struct alerter *a, const struct alert_opts *o)
{
	struct alert_opts old = a->o;
	int r;

	a->o = *o;
	if (strcmp(old.json_path, o->json_path) != 0 || a->json_fd < 0) {
		if (a->json_fd >= 0 && !o->json_path[0]) {
			(void)close(a->json_fd);
			a->json_fd = -1;
		}
		if ((r = json_open(a)) < 0) {
			a->o = old;
			return r;
		}
	}
	{ /* a new socket, the same counters */
		uint64_t sent = a->ls.sent, dropped = a->ls.dropped, errors = a->ls.errors;
		logsock_close(&a->ls);
		r = logsock_init(&a->ls, o->syslog_path, o->facility, o->priority);
		if (r < 0) {
			a->o = old;
			(void)logsock_init(&a->ls, old.syslog_path, old.facility, old.priority);
		}
		a->ls.sent = sent;
		a->ls.dropped = dropped;
		a->ls.errors = errors;
		if (r < 0)
			return r;
	}
	if (a->mailer) {
		struct mailer_opts mo;
		mailer_opts_of(a, &mo);
		mailer_set_opts(a->mailer, &mo);
	}
	if (o->email_max_per_hour != old.email_max_per_hour)
		a->tokens = o->email_max_per_hour;
	return 0;
}

int alerter_new(const struct config *cfg, struct alerter **ret)
{
	struct alert_opts o;
	struct alerter *a;
	struct mailer_opts mo;
	int r;

	alert_opts_from_config(cfg, &o);
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->json_fd = -1;
	a->pend = calloc(ALERT_PENDING_MAX, sizeof(*a->pend));
	a->book = calloc(BOOK_SETS * BOOK_WAYS, sizeof(*a->book));
	a->jw = malloc(sizeof(*a->jw));
	if (!a->pend || !a->book || !a->jw) {
		r = -ENOMEM;
		goto out_free;
	}
	if (gethostname(a->host, sizeof(a->host) - 1) < 0)
		copy_str(a->host, sizeof(a->host), "localhost");
	a->host[sizeof(a->host) - 1] = '\0';
	{ /* sethostname() takes any bytes: mails and JSON get a valid name only */
		char clean[SANITIZE_NAME_MAX];
		if (!sanitize_name(a->host, strlen(a->host), clean, sizeof(clean)))
			copy_str(a->host, sizeof(a->host), "localhost");
	}
	a->lookup = lookup_engine;
	a->top = top_engine;
	a->json_fd = -1;
	a->o.json_path[0] = '\0';
	a->tokens = o.email_max_per_hour;
	(void)logsock_init(&a->ls, "", "LOG_DAEMON", "LOG_INFO");
	if ((r = apply(a, &o)) < 0)
		goto out_free;
	mailer_opts_of(a, &mo);
	if ((r = mailer_new(&mo, &a->mailer)) < 0)
		goto out_free;
	*ret = a;
	return 0;
out_free:
	alerter_free(a);
	return r;
}

struct alerter *alerter_free(struct alerter *a)
{
	if (!a)
		return NULL;
	a->mailer = mailer_free(a->mailer);
	logsock_close(&a->ls);
	if (a->json_fd >= 0)
		(void)close(a->json_fd);
	free(a->pend);
	free(a->book);
	free(a->jw);
	free(a);
	return NULL;
}

int alerter_set_config(struct alerter *a, const struct config *cfg)
{
	struct alert_opts o;

	alert_opts_from_config(cfg, &o);
	return apply(a, &o);
}

void alerter_on_mailed(struct alerter *a, alert_mailed_fn *fn, void *data)
{
	a->mailed_fn = fn;
	a->mailed_data = data;
}

void alerter_set_lookup(struct alerter *a, alert_lookup_fn *fn, void *data)
{
	a->lookup = fn ? fn : lookup_engine;
	a->lookup_data = data;
}

void alerter_set_top(struct alerter *a, alert_top_fn *fn, void *data)
{
	a->top = fn ? fn : top_engine;
	a->top_data = data;
}

void alerter_set_dns_fn(struct alerter *a, alert_dns_fn *fn)
{
	mailer_set_dns_fn(a->mailer, fn);
}

void alerter_reopen(struct alerter *a)
{
	if (json_open(a) < 0)
		a->c.json_errors++;
}

int alerter_fd(const struct alerter *a)
{
	return a->mailer ? mailer_fd(a->mailer) : -1;
}

void alerter_counters(const struct alerter *a, struct alert_counters *ret)
{
	*ret = a->c;
	ret->syslog_sent = a->ls.sent;
	ret->syslog_dropped = a->ls.dropped;
}

void alerter_drain(struct alerter *a)
{
	if (a->mailer)
		mailer_drain(a->mailer);
	alerter_on_readable(a);
}

/* --- the queue --- */

static struct pending *pending_get(struct alerter *a, uint32_t origin, const struct addr *src,
				   bool create)
{
	for (size_t i = a->n_pend; i-- > 0;) /* the newest first: a burst is one source */
		if (a->pend[i].origin == origin && addr_eq(&a->pend[i].src, src))
			return &a->pend[i];
	if (!create || a->n_pend == ALERT_PENDING_MAX)
		return NULL;
	struct pending *p = &a->pend[a->n_pend++];
	memset(p, 0, sizeof(*p));
	p->origin = origin;
	p->src = *src;
	return p;
}

static void pending_drop(struct alerter *a, struct pending *p)
{
	a->c.dropped_expired += p->n_dsts + p->dsts_more + p->n_sigs + p->sigs_more + p->src_rise;
	*p = a->pend[--a->n_pend];
}

static void queue_sig(struct pending *p, const struct engine_change *c)
{
	struct alert_sig *g;

	if (p->n_sigs == ALERT_PENDING_SIGS) {
		p->sigs_more++;
		return;
	}
	g = &p->sigs[p->n_sigs];
	memset(g, 0, sizeof(*g));
	g->sid = c->sig_id;
	g->dl = (uint8_t)(c->sig_dl < 0 ? 0 : c->sig_dl > 5 ? 5 : c->sig_dl);
	copy_str(g->msg, sizeof(g->msg), c->sig_msg ? c->sig_msg : "");
	if (c->ev) {
		g->proto = c->ev->proto;
		g->v6 = c->ev->src.family == ADDR_V6;
		g->has_port = c->ev->proto == IPPROTO_NUM_TCP || c->ev->proto == IPPROTO_NUM_UDP ||
			      c->ev->proto == IPPROTO_NUM_UDPLITE;
		g->port = c->ev->dport;
		p->sig_dst[p->n_sigs] = c->ev->dst;
		p->sig_has_dst[p->n_sigs] = true;
	} else if (c->dst) {
		p->sig_dst[p->n_sigs] = c->dst->dst;
		p->sig_has_dst[p->n_sigs] = true;
	}
	p->n_sigs++;
}

void alerter_change(struct alerter *a, const struct engine_change *c, int64_t now_us)
{
	uint32_t origin;
	struct pending *p;

	(void)now_us;
	if (!c || !c->src)
		return;
	origin = c->src->origin;
	if (c->kind == ENGINE_CHANGE_EXPIRED || c->kind == ENGINE_CHANGE_EVICTED) {
		if ((p = pending_get(a, origin, &c->src->src, false)))
			pending_drop(a, p);
		return;
	}
	p = pending_get(a, origin, &c->src->src, true);
	if (!p) {
		a->c.queue_overflow++;
		return;
	}
	if (c->ev) {
		p->ev_time = c->ev->time;
		p->has_ev_time = true;
		(void)escape_bytes(c->ev->host.p, c->ev->host.p ? c->ev->host.len : 0, p->log_host,
				   sizeof(p->log_host));
		p->last_dst = c->ev->dst;
		p->has_last_dst = true;
	} else if (c->dst) {
		p->last_dst = c->dst->dst;
		p->has_last_dst = true;
	}
	if (c->kind == ENGINE_CHANGE_SIGNATURE) {
		queue_sig(p, c);
		return;
	}
	if (!c->dst) {
		p->src_rise = true;
		if (c->new_dl > p->src_new)
			p->src_new = (uint8_t)c->new_dl;
		return;
	}
	for (unsigned i = 0; i < p->n_dsts; i++)
		if (addr_eq(&p->dsts[i], &c->dst->dst))
			return;
	if (p->n_dsts == ALERT_PENDING_DSTS) {
		p->dsts_more++;
		/* keep the newest as the last itemised: it names a coalesced line */
		memmove(p->dsts, p->dsts + 1, (ALERT_PENDING_DSTS - 1) * sizeof(p->dsts[0]));
		p->dsts[ALERT_PENDING_DSTS - 1] = c->dst->dst;
		return;
	}
	p->dsts[p->n_dsts++] = c->dst->dst;
}

/* --- writing one alert --- */

static void write_json(struct alerter *a, const struct alert_head *h, const struct alert_scan *sc,
		       uint64_t coalesced, const struct alert_sig *g)
{
	char *buf = NULL;
	size_t len = 0;
	struct jsonw *w = a->jw;
	FILE *f;
	int r;

	if (!a->o.json_path[0])
		return;
	if (a->json_fd < 0) {
		if (h->now_us < a->json_retry_us || json_open(a) < 0) {
			a->json_retry_us = h->now_us + JSON_RETRY_US;
			a->c.json_errors++;
			return;
		}
	}
	f = open_memstream(&buf, &len);
	if (!f) {
		a->c.json_errors++;
		return;
	}
	jsonw_init(w, f);
	if (g)
		alert_json_sig(w, h, g);
	else
		alert_json_scan(w, h, sc, coalesced);
	r = jsonw_finish(w);
	(void)fputc('\n', f);
	if (fclose(f) != 0 || r < 0) {
		a->c.json_errors++;
	} else {
		/* one write(2) per line with O_APPEND: lines never interleave */
		ssize_t n = write(a->json_fd, buf, len);
		if (n == (ssize_t)len)
			a->c.json_written++;
		else
			a->c.json_errors++;
	}
	free(buf);
}

static void say(struct alerter *a, const char *line, size_t len, int64_t now_us)
{
	if (a->o.syslog_path[0])
		(void)logsock_send(&a->ls, line, len, now_us);
}

static const struct pair_state *find_pair(const struct source_state *s, const struct addr *dst)
{
	for (uint32_t i = s->n_pairs; i-- > 0;)
		if (s->pairs[i] && addr_eq(&s->pairs[i]->dst, dst))
			return s->pairs[i];
	return NULL;
}

static uint64_t total_dsts(const struct source_state *s)
{
	return (uint64_t)s->n_pairs + s->untracked_dsts;
}

/* What a flush decided for one source: for the mail. */
struct flushed {
	char lines[ALERT_PAIR_LINES_MAX + 2 + ALERT_PENDING_SIGS][ALERT_LINE_MAX];
	size_t n_lines;
	struct addr dsts[ALERT_PAIR_LINES_MAX + 1];
	size_t n_dsts;
	unsigned max_dl;
};

static void scan_alert(struct alerter *a, const struct pending *pe, const struct alert_scan *sc,
		       uint64_t coalesced, int64_t now_us, struct flushed *fl)
{
	char line[ALERT_LINE_MAX];
	size_t n = alert_scan_line(sc, line, sizeof(line));
	struct alert_head h = {
		.type = "scan", .now_us = now_us,
		.event_time = pe->has_ev_time ? &pe->ev_time : NULL,
		.src = &sc->s->src, .dst = sc->p ? &sc->p->dst : sc->dst,
		.origin = pe->origin, .host = a->host, .log_host = pe->log_host, .dl = sc->dl,
	};

	say(a, line, n, now_us);
	write_json(a, &h, sc, coalesced, NULL);
	a->c.alerts++;
	a->digest_alerts++;
	if (fl->n_lines < sizeof(fl->lines) / sizeof(fl->lines[0]))
		memcpy(fl->lines[fl->n_lines++], line, n + 1);
	if (fl->n_dsts < sizeof(fl->dsts) / sizeof(fl->dsts[0]) && h.dst)
		fl->dsts[fl->n_dsts++] = *h.dst;
	if (sc->dl > fl->max_dl)
		fl->max_dl = sc->dl;
}

static void sig_alert(struct alerter *a, const struct pending *pe, const struct source_state *s,
		      size_t i, int64_t now_us, struct flushed *fl)
{
	const struct alert_sig *g = &pe->sigs[i];
	char line[ALERT_LINE_MAX];
	size_t n = alert_sig_line(&s->src, g, line, sizeof(line));
	struct alert_head h = {
		.type = "signature", .now_us = now_us,
		.event_time = pe->has_ev_time ? &pe->ev_time : NULL,
		.src = &s->src, .dst = pe->sig_has_dst[i] ? &pe->sig_dst[i] : NULL,
		.origin = pe->origin, .host = a->host, .log_host = pe->log_host, .dl = s->dl,
	};

	say(a, line, n, now_us);
	write_json(a, &h, NULL, 0, g);
	a->c.alerts++;
	a->digest_alerts++;
	if (a->n_digest_sigs < sizeof(a->digest_sigs) / sizeof(a->digest_sigs[0])) {
		a->digest_sig_src[a->n_digest_sigs] = s->src;
		a->digest_sigs[a->n_digest_sigs++] = *g;
	} else {
		a->digest_sigs_more++;
	}
	if (fl->n_lines < sizeof(fl->lines) / sizeof(fl->lines[0]))
		memcpy(fl->lines[fl->n_lines++], line, n + 1);
	if (s->dl > fl->max_dl)
		fl->max_dl = s->dl;
}

static void mail_source(struct alerter *a, const struct pending *pe,
			const struct source_state *s, const struct flushed *fl, int64_t now_us);

static void flush_one(struct alerter *a, const struct engine *e, const struct pending *pe,
		      int64_t now_us)
{
	const struct source_state *s = a->lookup(e, pe->origin, &pe->src, a->lookup_data);
	unsigned min = a->o.min_dl > 1 ? a->o.min_dl : 1;
	const struct pair_state *rose[ALERT_PENDING_DSTS];
	size_t n_rose = 0;
	unsigned max_pair_dl = 0;
	struct flushed *fl;

	if (!s) {
		a->c.vanished++;
		return;
	}
	fl = calloc(1, sizeof(*fl));
	if (!fl) {
		a->c.queue_overflow++;
		return;
	}
	for (unsigned i = 0; i < pe->n_dsts; i++) {
		const struct pair_state *p = find_pair(s, &pe->dsts[i]);
		if (p && p->dl >= min)
			rose[n_rose++] = p;
	}
	if (n_rose && n_rose + pe->dsts_more <= ALERT_PAIR_LINES_MAX) {
		for (size_t i = 0; i < n_rose; i++) {
			struct alert_scan sc = { .s = s, .p = rose[i], .dl = rose[i]->dl,
						 .total_dsts = total_dsts(s),
						 .types = alert_pair_types(rose[i]) };
			scan_alert(a, pe, &sc, 1, now_us, fl);
			if (rose[i]->dl > max_pair_dl)
				max_pair_dl = rose[i]->dl;
		}
	} else if (n_rose) {
		/* many destinations at once: one line, for the most dangerous
		 * (the latest of them), with the source's figures */
		const struct pair_state *best = rose[n_rose - 1];
		unsigned dl;
		for (size_t i = n_rose; i-- > 0;)
			if (rose[i]->dl > best->dl)
				best = rose[i];
		/* a source rise in the same flush is this sweep's: one line */
		dl = pe->src_rise && s->dl > best->dl ? s->dl : best->dl;
		struct alert_scan sc = { .s = s, .p = best, .dl = dl,
					 .total_dsts = total_dsts(s),
					 .types = alert_pair_types(best) | (s->scan_types &
								      (UINT32_C(1) << SCAN_SWEEP)) };
		scan_alert(a, pe, &sc, n_rose + pe->dsts_more, now_us, fl);
		a->c.coalesced += n_rose + pe->dsts_more - 1;
		max_pair_dl = dl;
	}
	/* a source-level rise that no destination line explains: a sweep (or a
	 * level from auto_dl, reputation, invalid ICMP); signatures have their
	 * own lines */
	if (pe->src_rise && s->dl >= min && max_pair_dl < s->dl &&
	    (s->sweep_dl >= s->dl || pe->n_sigs == 0)) {
		const struct pair_state *p = pe->has_last_dst ? find_pair(s, &pe->last_dst) : NULL;
		if (!p && !pe->has_last_dst && s->n_pairs) /* no event: the newest destination */
			p = s->pairs[s->n_pairs - 1];
		struct alert_scan sc = { .s = s, .p = p, .dst = &pe->last_dst, .dl = s->dl,
					 .total_dsts = total_dsts(s), .types = s->scan_types };
		if (p || pe->has_last_dst)
			scan_alert(a, pe, &sc, 1, now_us, fl);
		else
			a->c.vanished++; /* a level with no destination at all to name */
	}
	for (size_t i = 0; i < pe->n_sigs; i++)
		sig_alert(a, pe, s, i, now_us, fl);
	if (fl->n_lines)
		mail_source(a, pe, s, fl, now_us);
	free(fl);
}

void alerter_flush(struct alerter *a, const struct engine *e, int64_t now_us)
{
	for (size_t i = 0; i < a->n_pend; i++)
		flush_one(a, e, &a->pend[i], now_us);
	a->n_pend = 0;
}

/* --- mail --- */

static struct book *book_get(struct alerter *a, uint32_t origin, const struct addr *src,
			     const struct source_state *s, int64_t now_us)
{
	uint64_t h = addr_hash(src, origin);
	struct book *set = &a->book[(h % BOOK_SETS) * BOOK_WAYS], *victim = set;

	for (unsigned i = 0; i < BOOK_WAYS; i++) {
		if (set[i].used && set[i].origin == origin && addr_eq(&set[i].src, src)) {
			set[i].last_us = now_us;
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
	victim->mails = s->mails_sent; /* persisted by the engine */
	return victim;
}

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

static void mail_source(struct alerter *a, const struct pending *pe,
			const struct source_state *s, const struct flushed *fl, int64_t now_us)
{
	struct mailtext pre = { 0 }, post = { 0 };
	char src[ADDR_STR_MAX], dst[ADDR_STR_MAX], when[ALERT_TIME_MAX], style[ALERT_STYLE_MAX];
	struct book *b;
	struct mail_job *j;
	bool last;

	if (!a->o.mail || fl->max_dl < a->o.email_dl)
		return;
	b = book_get(a, pe->origin, &s->src, s, now_us);
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
		say(a, line, (size_t)n, now_us);
	}

	(void)alert_time_iso(now_us, when);
	mt_put(&pre, "=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=\n", 74);
	mt_printf(&pre, "          vigil alert: %s on %s\n\n", when, a->host);
	mt_printf(&pre, "       Danger level: [%u] (out of 5)\n", s->dl);
	mt_printf(&pre, "             Source: %s\n", src);

	mt_intel(&post, s); /* OS guess first; signatures come later */
	mt_time(&post, " Overall scan start: ", &s->first);
	mt_time(&post, "   Last packet seen: ", &s->last);
	mt_printf(&post, " Total email alerts: %u%s\n", b->mails,
		  a->o.email_limit ? "" : " (no EMAIL_LIMIT)");
	mt_printf(&post, "Scanned destinations: %llu, packets: %llu\n",
		  (unsigned long long)total_dsts(s), (unsigned long long)s->packets);
	if (alert_style(s->scan_types, s->intel ? s->intel->scanners : 0, style))
		mt_printf(&post, "         Scan style: %s\n", style);
	mt_put(&post, "\n[+] Alerts:\n", 13);
	for (size_t i = 0; i < fl->n_lines; i++)
		mt_printf(&post, "   %s\n", fl->lines[i]);
	{
		size_t shown = 0;
		for (size_t i = 0; i < fl->n_dsts && shown < MAIL_DSTS_MAX; i++) {
			const struct pair_state *p = find_pair(s, &fl->dsts[i]);
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
		if (total_dsts(s) > shown)
			mt_printf(&post, "\n   ... %llu more destinations (vigil status --ip %s)\n",
				  (unsigned long long)(total_dsts(s) - shown), src);
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
			  (unsigned long long)total_dsts(top[i]), style);
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
