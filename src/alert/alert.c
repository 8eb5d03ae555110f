/* SPDX-License-Identifier: GPL-2.0-or-later */
/* alert.c - change queue, coalescing, syslog and JSON lines (see alert.h).
 *
 * The queue is an array of ALERT_PENDING_MAX per-source entries filled by
 * alerter_change() and emptied by alerter_flush(); it is small because it
 * is emptied at every wake-up of the loop. What does not fit is counted.
 * The mail side (bookkeeping, limits, mail text, digest) is alert-mail.c.
 */
#include "alert/alert.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert/alert-internal.h"
#include "alert/mailbody.h"
#include "alert/sanitize.h"
#include "config/config.h"
#include "util/escape.h"

/* --- options --- */

void alert_copy_str(char *dst, size_t size, const char *s)
{
	size_t n = strnlen(s, size - 1);

	memcpy(dst, s, n);
	dst[n] = '\0';
}

void alert_opts_from_config(const struct config *cfg, struct alert_opts *o)
{
	memset(o, 0, sizeof(*o));
	alert_copy_str(o->json_path, sizeof(o->json_path), cfg->alert_json_file);
	alert_copy_str(o->syslog_path, sizeof(o->syslog_path), cfg->syslog_socket);
	alert_copy_str(o->facility, sizeof(o->facility), cfg->syslog_facility);
	alert_copy_str(o->priority, sizeof(o->priority), cfg->syslog_priority);
	o->min_dl = cfg->min_danger_level;
	o->mail = cfg->enable_email_alerts;
	alert_copy_str(o->email_addresses, sizeof(o->email_addresses), cfg->email_addresses);
	o->email_dl = cfg->email_alert_danger_level;
	o->email_limit = cfg->email_limit;
	o->email_max_per_hour = cfg->email_max_per_hour;
	alert_copy_str(o->sendmail, sizeof(o->sendmail), cfg->sendmail_cmd);
	o->dns = cfg->enable_dns_lookups;
	o->whois = cfg->enable_whois_lookups;
	alert_copy_str(o->whois_cmd, sizeof(o->whois_cmd), cfg->whois_cmd);
	o->whois_timeout_s = cfg->whois_timeout;
	o->digest_interval_s = cfg->digest_interval;
}

static void mailer_opts_of(const struct alerter *a, struct mailer_opts *m)
{
	memset(m, 0, sizeof(*m));
	alert_copy_str(m->sendmail, sizeof(m->sendmail), a->o.sendmail);
	alert_copy_str(m->recipients, sizeof(m->recipients), a->o.email_addresses);
	m->dns = a->o.dns;
	m->whois = a->o.whois;
	alert_copy_str(m->whois_cmd, sizeof(m->whois_cmd), a->o.whois_cmd);
	m->whois_timeout_s = a->o.whois_timeout_s;
	alert_copy_str(m->host, sizeof(m->host), a->host);
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
	(void)data;
	return e ? engine_top(e, n, ret) : 0;
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
		(void)logsock_flush(&a->ls, 0);
		uint64_t sent = a->ls.sent, dropped = a->ls.dropped + a->ls.n_backlog,
			 errors = a->ls.errors;
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
		alert_copy_str(a->host, sizeof(a->host), "localhost");
	a->host[sizeof(a->host) - 1] = '\0';
	{ /* sethostname() takes any bytes: mails and JSON get a valid name only */
		char clean[SANITIZE_NAME_MAX];
		if (!sanitize_name(a->host, strlen(a->host), clean, sizeof(clean)))
			alert_copy_str(a->host, sizeof(a->host), "localhost");
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
	int r;

	alert_opts_from_config(cfg, &o);
	if ((r = apply(a, &o)) < 0)
		return r;
	/* SIGHUP is what logrotate sends: reopen ALERT_JSON_FILE too */
	if (json_open(a) < 0)
		a->c.json_errors++;
	return 0;
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
	ret->syslog_deferred = a->ls.deferred;
	ret->syslog_waiting = a->ls.n_backlog;
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
	alert_copy_str(g->msg, sizeof(g->msg), c->sig_msg ? c->sig_msg : "");
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
	origin = (c->src)->origin;
	if (c->kind == ENGINE_CHANGE_EXPIRED || c->kind == ENGINE_CHANGE_EVICTED) {
		struct book *b = alert_book_find(a, origin, &c->src->src);
		if ((p = pending_get(a, origin, &c->src->src, false)))
			pending_drop(a, p);
		if (b) /* a source that comes back starts a new scan (its mails still count) */
			b->sweep_said = 0;
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

void alert_say(struct alerter *a, const char *line, size_t len, int64_t now_us)
{
	if (a->o.syslog_path[0])
		(void)logsock_send(&a->ls, line, len, now_us);
}

const struct pair_state *alert_find_pair(const struct source_state *s, const struct addr *dst)
{
	for (uint32_t i = s->n_pairs; i-- > 0;)
		if (s->pairs[i] && addr_eq(&s->pairs[i]->dst, dst))
			return s->pairs[i];
	return NULL;
}

uint64_t alert_total_dsts(const struct source_state *s)
{
	return (uint64_t)s->n_pairs + s->untracked_dsts;
}



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

	alert_say(a, line, n, now_us);
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

	alert_say(a, line, n, now_us);
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

static void flush_one(struct alerter *a, const struct engine *e, const struct pending *pe,
		      int64_t now_us)
{
	const struct source_state *s = a->lookup(e, pe->origin, &pe->src, a->lookup_data);
	unsigned min = a->o.min_dl > 1 ? a->o.min_dl : 1;
	const struct pair_state *rose[ALERT_PENDING_DSTS];
	size_t n_rose = 0;
	unsigned max_pair_dl = 0;
	struct flushed *fl;
	struct book *b;

	if (!s) {
		a->c.vanished++;
		return;
	}
	fl = calloc(1, sizeof(*fl));
	if (!fl) {
		a->c.queue_overflow++;
		return;
	}
	b = alert_book_get(a, pe->origin, &s->src, s, now_us);
	for (unsigned i = 0; i < pe->n_dsts; i++) {
		const struct pair_state *p = alert_find_pair(s, &pe->dsts[i]);
		if (!p || p->dl < min)
			continue;
		/* a destination the announced sweep raised: that line said it */
		if (p->dl <= s->sweep_dl && p->dl <= b->sweep_said) {
			a->c.coalesced++;
			continue;
		}
		rose[n_rose++] = p;
	}
	if (n_rose && n_rose + pe->dsts_more <= ALERT_PAIR_LINES_MAX) {
		for (size_t i = 0; i < n_rose; i++) {
			struct alert_scan sc = { .s = s, .p = rose[i], .dl = rose[i]->dl,
						 .total_dsts = alert_total_dsts(s),
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
					 .total_dsts = alert_total_dsts(s),
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
		const struct pair_state *p = pe->has_last_dst ? alert_find_pair(s, &pe->last_dst) : NULL;
		if (!p && !pe->has_last_dst && s->n_pairs) /* no event: the newest destination */
			p = s->pairs[s->n_pairs - 1];
		struct alert_scan sc = { .s = s, .p = p, .dst = &pe->last_dst, .dl = s->dl,
					 .total_dsts = alert_total_dsts(s), .types = s->scan_types };
		if (p || pe->has_last_dst)
			scan_alert(a, pe, &sc, 1, now_us, fl);
		else
			a->c.vanished++; /* a level with no destination at all to name */
	}
	if (s->sweep_dl > b->sweep_said && fl->max_dl >= s->sweep_dl)
		b->sweep_said = s->sweep_dl; /* a line at the sweep's level went out */
	for (size_t i = 0; i < pe->n_sigs; i++)
		sig_alert(a, pe, s, i, now_us, fl);
	a->c.queue_overflow += pe->sigs_more; /* first matches past ALERT_PENDING_SIGS */
	if (fl->n_lines)
		alert_mail_source(a, pe, s, fl, now_us);
	free(fl);
}

void alerter_flush(struct alerter *a, const struct engine *e, int64_t now_us)
{
	for (size_t i = 0; i < a->n_pend; i++)
		flush_one(a, e, &a->pend[i], now_us);
	a->n_pend = 0;
}


int alerter_syslog_fd(const struct alerter *a)
{
	return logsock_fd(&a->ls);
}

void alerter_syslog_writable(struct alerter *a, int64_t now_us)
{
	(void)logsock_flush(&a->ls, now_us);
}
