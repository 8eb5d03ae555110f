/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon.c - the wiring of `vigil run` (see daemon.h).
 *
 * Nothing here parses, scores or formats: it moves records from sources to
 * ingests, changes from the engine to the alerter, requests from the control
 * socket to the status writer, and keeps the state on disk. Every failure of
 * one source is reported once and retried with back-off while the others go
 * on; only a failure to start (no configuration, no engine) stops the run.
 */
#include "daemon/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert.h"
#include "cmd.h"
#include "config/config.h"
#include "control/control.h"
#include "control/status.h"
#include "daemon/statefile.h"
#include "engine/engine.h"
#include "ingest/detector.h"
#include "ingest/diag.h"
#include "ingest/ingest.h"
#include "loop/loop.h"
#include "parse/parse.h"
#include "report/report.h"
#include "source/source.h"
#include "util/escape.h"
#include "util/log.h"

#define INPUTS_MAX 32
#define READ_BUDGET 1024            /* records per source per wake-up */
#define TICK_US 1000000             /* sources' ticks, retries, expiry */
#define EXPIRE_BUDGET 4096          /* sources visited per tick */
#define RETRY_MIN_US 1000000        /* back-off of a failed source: 1 s .. */
#define RETRY_MAX_US 60000000       /* .. 60 s */
#define SAVE_INTERVAL_US 60000000   /* state saved every minute and at stop */
#define STATE_FILE_MAX (1u << 30)   /* a state file larger than this is not ours */
#define MALFORMED_LOG_PER_MIN 10    /* malformed lines named per minute, the rest counted */

#define TAG_META STATEFILE_TAG('M', 'E', 'T', 'A')
#define TAG_ENGINE STATEFILE_TAG('E', 'N', 'G', 'N')
#define TAG_POSITIONS STATEFILE_TAG('P', 'O', 'S', 'N')
#define TAG_ALERTS STATEFILE_TAG('A', 'L', 'R', 'T')

struct daemon;

struct input {
	struct daemon *d;
	struct source *src;
	struct ingest *ing;
	int fd;                 /* watched by the loop, or -1 */
	bool open;
	int64_t retry_at;       /* CLOCK_MONOTONIC us of the next open attempt */
	uint64_t backoff_us;
	uint64_t lost_fed;      /* of src->n.lost, already given to the ingest */
	char saved_pos[SOURCE_POS_MAX]; /* from the state file, until opened */
};

struct daemon {
	const struct daemon_opts *o;
	struct loop *loop;
	struct detector *det;
	struct engine *engine;
	struct alerter *alerter;
	struct control *control;
	struct input inputs[INPUTS_MAX];
	size_t n_inputs;
	char state_path[PATH_MAX];
	int64_t started_mono;
	bool watchdog;
	uint64_t watchdog_us;
	int syslog_fd;          /* SYSLOG_SOCKET watched for EPOLLOUT while lines wait, or -1 */
	/* malformed lines named in the log: a rate, the rest counted */
	int64_t malformed_window;
	unsigned malformed_logged;
	uint64_t malformed_suppressed;
};

/* ---- inputs ------------------------------------------------------------ */

static void on_record(const struct source_record *r, void *data)
{
	struct input *in = data;

	switch (r->kind) {
	case SOURCE_LINE:
		ingest_line(in->ing, r->text, r->overlong, r->when_us);
		break;
	case SOURCE_MESSAGE: {
		struct record_meta m = { .facility = r->facility, .kernel = r->kernel };
		/* the record's time as the log shows it: local wall clock */
		time_t t = (time_t)(r->when_us / 1000000);
		struct tm tm;

		if (localtime_r(&t, &tm)) {
			m.time = (struct vtime){ .sec = (int64_t)t + tm.tm_gmtoff,
						 .usec = (uint32_t)(r->when_us % 1000000),
						 .kind = VTIME_WALL, .has_tz = true,
						 .tz_min = (int16_t)(tm.tm_gmtoff / 60) };
		}
		ingest_message(in->ing, &m, r->text, r->when_us);
		break;
	}
	case SOURCE_EVENT:
		ingest_event(in->ing, r->ev, r->when_us);
		break;
	}
}

static void input_serve(struct loop *l, int fd, uint32_t events, void *data);

/* The source's fd may change after open, read or tick: follow it. */
static void input_watch(struct input *in)
{
	int fd = in->open ? in->src->ops->fd(in->src) : -1;

	if (fd == in->fd)
		return;
	if (in->fd >= 0)
		loop_del_fd(in->d->loop, in->fd);
	in->fd = -1;
	if (fd >= 0 && loop_add_fd(in->d->loop, fd, EPOLLIN, input_serve, in) == 0)
		in->fd = fd;
}

static void input_failed(struct input *in, int err, const char *what)
{
	char spec[300];

	escape_bytes(in->src->spec, strlen(in->src->spec), spec, sizeof(spec));
	in->src->n.errors++;
	if (!in->src->error[0])
		snprintf(in->src->error, sizeof(in->src->error), "%s: %s", what, strerror(-err));
	/* said once per failure, not once per retry */
	if (in->open || in->backoff_us == 0)
		log_errno(err, "input %s: %s (retrying with back-off)", spec, what);
	if (in->open)
		in->src->ops->close(in->src);
	in->open = false;
	input_watch(in);
	in->backoff_us = in->backoff_us ? in->backoff_us * 2 : RETRY_MIN_US;
	if (in->backoff_us > RETRY_MAX_US)
		in->backoff_us = RETRY_MAX_US;
	in->retry_at = loop_now_mono_us() + (int64_t)in->backoff_us;
}

static void input_open(struct input *in)
{
	int r;

	if (in->saved_pos[0]) {
		r = in->src->ops->restore(in->src, in->saved_pos, strlen(in->saved_pos));
		if (r < 0)
			log_warn("input %s: saved position not usable, starting at the newest "
				 "record", in->src->spec);
		in->saved_pos[0] = '\0';
	}
	r = in->src->ops->open(in->src);
	if (r < 0) {
		input_failed(in, r, "cannot open");
		return;
	}
	if (in->backoff_us)
		log_info("input %s: open again", in->src->spec);
	in->open = true;
	in->backoff_us = 0;
	in->src->error[0] = '\0';
	input_watch(in);
}

static void input_sync_lost(struct input *in)
{
	if (in->src->n.lost > in->lost_fed) {
		ingest_lost(in->ing, in->src->n.lost - in->lost_fed);
		in->lost_fed = in->src->n.lost;
	}
}

static void input_serve(struct loop *l, int fd, uint32_t events, void *data)
{
	struct input *in = data;
	int r = in->src->ops->read(in->src, READ_BUDGET, on_record, in);

	if (r < 0)
		input_failed(in, r, "read failed");
	else
		input_watch(in);
	input_sync_lost(in);
}

static void malformed(const char *name, uint64_t lineno, const struct parse_error *err, void *data)
{
	struct daemon *d = data;
	int64_t now = loop_now_mono_us();
	char got[80];

	if (now - d->malformed_window > 60000000) {
		if (d->malformed_suppressed)
			log_warn("%" PRIu64 " more malformed records in the last minute",
				 d->malformed_suppressed);
		d->malformed_window = now;
		d->malformed_logged = 0;
		d->malformed_suppressed = 0;
	}
	if (d->malformed_logged >= MALFORMED_LOG_PER_MIN) {
		d->malformed_suppressed++;
		return;
	}
	d->malformed_logged++;
	escape_bytes(err->got.p, err->got.len > 40 ? 40 : err->got.len, got, sizeof(got));
	log_warn("%s:%" PRIu64 ":%zu: malformed record: %s, got '%s'", name, lineno, err->column,
		 err->reason, got);
}

static int input_add(struct daemon *d, const char *spec)
{
	const struct config *cfg = detector_config(d->det);
	struct source_opts so = { .max_line = cfg->max_line_length };
	struct input *in;
	const char *why = "";
	int r;

	if (d->n_inputs == INPUTS_MAX)
		return log_errno(-ENOSPC, "INPUT_SOURCES: more than %d inputs", INPUTS_MAX);
	in = &d->inputs[d->n_inputs];
	*in = (struct input){ .d = d, .fd = -1 };
	r = source_new(spec, &so, &in->src, &why);
	if (r < 0) {
		log_error("INPUT_SOURCES: '%s': %s", spec, why);
		return r;
	}
	struct ingest_opts io = { .name = in->src->spec, .live = true };

	r = ingest_new(d->engine, cfg, &io, &in->ing);
	if (r < 0) {
		in->src = source_free(in->src);
		return log_errno(r, "input %s", spec);
	}
	ingest_on_malformed(in->ing, malformed, d);
	d->n_inputs++;
	return 0;
}

static void input_remove(struct daemon *d, size_t i)
{
	struct input *in = &d->inputs[i];

	if (in->fd >= 0)
		loop_del_fd(d->loop, in->fd);
	if (in->open)
		in->src->ops->close(in->src);
	source_free(in->src);
	ingest_free(in->ing);
	memmove(in, in + 1, (d->n_inputs - i - 1) * sizeof(*in));
	d->n_inputs--;
	/* the loop holds each input's address: those that moved are watched anew */
	for (size_t j = i; j < d->n_inputs; j++) {
		struct input *m = &d->inputs[j];

		if (m->fd < 0)
			continue;
		loop_del_fd(d->loop, m->fd);
		if (loop_add_fd(d->loop, m->fd, EPOLLIN, input_serve, m) < 0)
			m->fd = -1; /* watched again at its next open or tick */
	}
}

/* The comma list of INPUT_SOURCES, each spec trimmed. Calls fn per spec. */
static int for_each_spec(const char *list, int (*fn)(void *data, const char *spec), void *data)
{
	char spec[CONFIG_STR_MAX];
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n && n < sizeof(spec)) {
			memcpy(spec, p, n);
			spec[n] = '\0';
			int r = fn(data, spec);

			if (r < 0)
				return r;
		}
		p = e ? e + 1 : p + strlen(p);
	}
	return 0;
}

static int add_spec(void *data, const char *spec)
{
	return input_add(data, spec);
}

static struct input *input_find(struct daemon *d, const char *spec)
{
	for (size_t i = 0; i < d->n_inputs; i++)
		if (!strcmp(d->inputs[i].src->spec, spec))
			return &d->inputs[i];
	return NULL;
}

/* ---- state ------------------------------------------------------------- */

static void state_save(struct daemon *d)
{
	char *eng = NULL, *pos = NULL;
	size_t eng_len = 0, pos_len = 0;
	char meta[128];
	FILE *f;
	int r;

	if (!d->state_path[0])
		return;
	f = open_memstream(&eng, &eng_len);
	if (!f) {
		log_errno(-errno, "cannot save the state");
		return;
	}
	r = engine_save(d->engine, f);
	if (fclose(f) != 0 && r == 0)
		r = -ENOMEM;
	f = open_memstream(&pos, &pos_len);
	for (size_t i = 0; f && i < d->n_inputs; i++) {
		struct input *in = &d->inputs[i];
		char p[SOURCE_POS_MAX];
		size_t n = in->saved_pos[0] ? strlen(in->saved_pos)
					     : in->src->ops->save(in->src, p, sizeof(p));

		if (n > 0 && n < sizeof(p))
			fprintf(f, "%s\t%.*s\n", in->src->spec, (int)n,
				in->saved_pos[0] ? in->saved_pos : p);
	}
	if (f)
		fclose(f);
	snprintf(meta, sizeof(meta), "vigil %s saved %" PRId64 "\n", VIGIL_VERSION,
		 loop_now_wall_us());
	void *alerts = NULL;
	size_t alerts_len = 0;

	if (r == 0)
		r = alerter_save(d->alerter, &alerts, &alerts_len);
	if (r == 0 && pos) {
		struct statefile_section secs[] = {
			{ TAG_META, meta, strlen(meta) },
			{ TAG_ENGINE, eng, eng_len },
			{ TAG_POSITIONS, pos, pos_len },
			{ TAG_ALERTS, alerts, alerts_len },
		};
		r = statefile_write(d->state_path, secs, 4);
	}
	if (r < 0)
		log_errno(r, "cannot save the state to %s", d->state_path);
	free(eng);
	free(pos);
	free(alerts);
}

static void positions_restore(struct daemon *d, const char *p, size_t len)
{
	const char *end = p + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *tab = memchr(p, '\t', (size_t)((nl ? nl : end) - p));
		const char *le = nl ? nl : end;

		if (tab) {
			char spec[256];
			size_t sn = (size_t)(tab - p), pn = (size_t)(le - tab - 1);

			if (sn < sizeof(spec) && pn < SOURCE_POS_MAX) {
				memcpy(spec, p, sn);
				spec[sn] = '\0';
				struct input *in = input_find(d, spec);

				if (in) {
					memcpy(in->saved_pos, tab + 1, pn);
					in->saved_pos[pn] = '\0';
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
}

/* A state that cannot be read is said, set aside and never trusted: the
 * daemon starts empty rather than not at all. */
static void state_restore(struct daemon *d)
{
	struct statefile *sf = NULL;
	const char *why = "";
	const void *data;
	size_t len;
	int r = statefile_read(d->state_path, STATE_FILE_MAX, &sf, &why);

	if (r == -ENOENT)
		return;
	if (r == 0 && statefile_get(sf, TAG_ENGINE, &data, &len) == 0) {
		r = engine_restore(d->engine, data, len, &why);
	} else if (r == 0) {
		r = -EINVAL;
		why = "no engine section";
	}
	if (r < 0) {
		if (r == -EINVAL)
			log_error("state %s not used: %s; set aside as %s.bad, starting empty",
				  d->state_path, why, d->state_path);
		else
			log_errno(r, "state %s not used; set aside as %s.bad, starting empty",
				  d->state_path, d->state_path);
		(void)statefile_set_aside(d->state_path);
		statefile_free(sf);
		return;
	}
	if (statefile_get(sf, TAG_POSITIONS, &data, &len) == 0)
		positions_restore(d, data, len);
	/* the alert bookkeeping is worth less than the sources: a bad one is
	 * said and dropped, the rest of the state stays */
	if (statefile_get(sf, TAG_ALERTS, &data, &len) == 0 &&
	    alerter_restore(d->alerter, data, len, &why) < 0)
		log_warn("state %s: alert bookkeeping not used: %s", d->state_path, why);
	log_info("state restored from %s: %zu sources", d->state_path,
		 engine_source_count(d->engine));
	statefile_free(sf);
}

/* ---- dump, reload ------------------------------------------------------ */

static void input_totals(const struct daemon *d, struct input_stats *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < d->n_inputs; i++) {
		const struct input_stats *s = ingest_stats(d->inputs[i].ing);

		t->files++;
		t->bytes += s->bytes;
		t->lines += s->lines;
		t->events += s->events;
		t->ignored += s->ignored;
		t->malformed += s->malformed;
		t->lost += s->lost;
		vtime_merge(&t->first, &t->last, &s->first);
		vtime_merge(&t->first, &t->last, &s->last);
	}
}

/* SIGUSR1: every source as analyze --json writes it, to STATE_DIR/dump.json. */
static void dump_sources(struct daemon *d)
{
	const struct config *cfg = detector_config(d->det);
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	struct input_stats t;
	struct report_opts ro = { .home_net = cfg->home_net, .n_home_net = cfg->n_home_net,
				  .m = detector_matchers(d->det) };

	if (snprintf(path, sizeof(path), "%s/dump.json", cfg->state_dir) >= (int)sizeof(path))
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "we");

	if (!f) {
		log_errno(-errno, "SIGUSR1: cannot write %s", tmp);
		return;
	}
	input_totals(d, &t);
	int r = report_json(f, d->engine, &t, &ro);

	if (fclose(f) != 0 || r < 0 || rename(tmp, path) < 0) {
		log_errno(-EIO, "SIGUSR1: cannot write %s", path);
		unlink(tmp);
		return;
	}
	log_info("SIGUSR1: %zu sources written to %s", engine_source_count(d->engine), path);
}

static struct detector_opts detector_opts_of(const struct daemon_opts *o)
{
	return (struct detector_opts){ .config_path = o->config_path ? o->config_path
								     : CONFIG_PATH_DEFAULT,
				       .config_given = o->config_path != NULL,
				       .signatures = o->signatures,
				       .auto_dl = o->auto_dl,
				       .verbose = o->verbose };
}

struct reload_sync {
	struct daemon *d;
	bool *keep; /* inputs still configured */
};

static int reload_mark(void *data, const char *spec)
{
	struct reload_sync *rs = data;
	struct input *in = input_find(rs->d, spec);

	if (in) {
		rs->keep[in - rs->d->inputs] = true;
		return 0;
	}
	if (input_add(rs->d, spec) == 0) {
		rs->keep[rs->d->n_inputs - 1] = true;
		input_open(&rs->d->inputs[rs->d->n_inputs - 1]);
	}
	return 0;
}

/* SIGHUP: a new configuration and data sets, swapped in between events; the
 * engine's state stays. A configuration that does not load keeps the old. */
static void reload(struct daemon *d)
{
	struct detector_opts dopts = detector_opts_of(d->o);
	struct detector *nd = NULL;
	struct diag_printer dp = { .max_per_file = DIAG_MAX_PER_FILE };
	int r = detector_load(&dopts, diag_print, &dp, &nd);

	diag_printer_end(&dp);

	if (r < 0) {
		log_error("SIGHUP: the new configuration does not load; the running one stays");
		return;
	}
	const struct config *cfg = detector_config(nd);

	r = engine_set_config(d->engine, cfg);
	if (r < 0) {
		log_errno(r, "SIGHUP: the new configuration does not fit; the running one stays");
		engine_set_config(d->engine, detector_config(d->det));
		detector_free(nd);
		return;
	}
	engine_set_autodl(d->engine, detector_autodl(nd));
	engine_set_matchers(d->engine, detector_matchers(nd));
	for (size_t i = 0; i < d->n_inputs; i++)
		ingest_set_engine(d->inputs[i].ing, d->engine, cfg);
	alerter_set_config(d->alerter, cfg);
	alerter_reopen(d->alerter);
	detector_free(d->det);
	d->det = nd;

	bool keep[INPUTS_MAX] = { false };
	struct reload_sync rs = { .d = d, .keep = keep };

	for_each_spec(cfg->input_sources, reload_mark, &rs);
	for (size_t i = d->n_inputs; i-- > 0;)
		if (!keep[i]) {
			log_info("SIGHUP: input %s no longer configured: closed", d->inputs[i].src->spec);
			input_remove(d, i);
		}
	log_info("SIGHUP: configuration reloaded, %zu sources kept",
		 engine_source_count(d->engine));
}

/* ---- loop callbacks ---------------------------------------------------- */

static void on_change(const struct engine_change *c, void *data)
{
	struct daemon *d = data;

	alerter_change(d->alerter, c, loop_now_wall_us());
}

static void on_mailed(uint32_t origin, const struct addr *src, int64_t now_us, void *data)
{
	struct daemon *d = data;
	const struct source_state *s = engine_lookup(d->engine, origin, src);

	if (s)
		engine_note_mail(d->engine, s, now_us);
}

static void on_syslog_writable(struct loop *l, int fd, uint32_t events, void *data)
{
	struct daemon *d = data;

	alerter_syslog_writable(d->alerter, loop_now_wall_us());
}

/* Alert lines a full SYSLOG_SOCKET could not take wait in the alerter; the
 * loop wakes when the reader drained some (EPOLLOUT), never polls. */
static void syslog_watch(struct daemon *d)
{
	int fd = alerter_syslog_fd(d->alerter);

	if (fd >= 0 && fd == d->syslog_fd && loop_mod_fd(d->loop, fd, EPOLLOUT) == 0)
		return;
	if (d->syslog_fd >= 0)
		loop_del_fd(d->loop, d->syslog_fd);
	d->syslog_fd = -1;
	if (fd >= 0 && loop_add_fd(d->loop, fd, EPOLLOUT, on_syslog_writable, d) == 0)
		d->syslog_fd = fd;
}

static void before_sleep(struct loop *l, void *data)
{
	struct daemon *d = data;

	alerter_flush(d->alerter, d->engine, loop_now_wall_us());
	syslog_watch(d);
}

static void on_tick(struct loop *l, void *data)
{
	struct daemon *d = data;
	int64_t mono = loop_now_mono_us(), wall = loop_now_wall_us();

	for (size_t i = 0; i < d->n_inputs; i++) {
		struct input *in = &d->inputs[i];

		if (!in->open) {
			if (mono >= in->retry_at)
				input_open(in);
			continue;
		}
		if (in->src->ops->tick) {
			int r = in->src->ops->tick(in->src, mono, on_record, in);

			if (r < 0)
				input_failed(in, r, "failed");
			else
				input_watch(in);
		}
		input_sync_lost(in);
	}
	engine_expire(d->engine, wall, EXPIRE_BUDGET);
	alerter_tick(d->alerter, d->engine, wall);
	/* syslog lines that wait for an absent syslogd: reconnect and send */
	alerter_syslog_writable(d->alerter, wall);
	syslog_watch(d);
}

static void on_save(struct loop *l, void *data)
{
	state_save(data);
}

static void on_watchdog(struct loop *l, void *data)
{
	sd_notify(0, "WATCHDOG=1");
}

static void on_alerter(struct loop *l, int fd, uint32_t events, void *data)
{
	struct daemon *d = data;

	alerter_on_readable(d->alerter);
}

static void on_signal(struct loop *l, int signo, void *data)
{
	struct daemon *d = data;

	switch (signo) {
	case SIGHUP:
		sd_notify(0, "RELOADING=1");
		reload(d);
		sd_notify(0, "READY=1");
		break;
	case SIGUSR1:
		dump_sources(d);
		break;
	default:
		log_info("signal %d: stopping", signo);
		sd_notify(0, "STOPPING=1");
		loop_stop(l);
		break;
	}
}

static void on_control(const struct control_request *req, struct outbuf *resp, void *data)
{
	struct daemon *d = data;
	const struct config *cfg = detector_config(d->det);
	struct status_input si[INPUTS_MAX];
	struct control_stats cs;

	for (size_t i = 0; i < d->n_inputs; i++)
		si[i] = (struct status_input){ .name = d->inputs[i].src->spec,
					       .in = ingest_stats(d->inputs[i].ing),
					       .n = &d->inputs[i].src->n,
					       .kind = d->inputs[i].src->ops->kind,
					       .error = d->inputs[i].src->error,
					       .open = d->inputs[i].open };
	control_get_stats(d->control, &cs);
	struct status_args a = {
		.e = d->engine,
		.inputs = si,
		.n_inputs = d->n_inputs,
		.uptime_s = (loop_now_mono_us() - d->started_mono) / 1000000,
		.m = detector_matchers(d->det),
		.home_net = cfg->home_net,
		.n_home_net = cfg->n_home_net,
		.control = &cs,
	};
	status_write_args(resp, req, &a);
}

/* ---- start and stop ---------------------------------------------------- */

/* mkdir -p of path's directory (or of path itself when is_dir). */
static int make_dirs(const char *path, bool is_dir, mode_t mode)
{
	char p[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(p))
		return -ENAMETOOLONG;
	memcpy(p, path, n + 1);
	if (!is_dir) {
		char *slash = strrchr(p, '/');

		if (!slash || slash == p)
			return 0;
		*slash = '\0';
	}
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Not under systemd and not --foreground: the classic double fork. */
static int detach(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(EXIT_OK);
	if (setsid() < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(EXIT_OK);
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (chdir("/") < 0)
		return -errno;
	log_use_syslog(true);
	return 0;
}

static int daemon_start(struct daemon *d)
{
	struct detector_opts dopts = detector_opts_of(d->o);
	const struct config *cfg;
	int r;

	struct diag_printer dp = { .max_per_file = DIAG_MAX_PER_FILE, .verbose = d->o->verbose };

	r = detector_load(&dopts, diag_print, &dp, &d->det);
	diag_printer_end(&dp);
	if (r < 0)
		return r;
	cfg = detector_config(d->det);
	r = engine_new(cfg, detector_autodl(d->det), on_change, d, &d->engine);
	if (r < 0)
		return log_errno(r, "cannot create the engine");
	engine_set_matchers(d->engine, detector_matchers(d->det));
	if (cfg->alert_json_file[0] && (r = make_dirs(cfg->alert_json_file, false, 0750)) < 0)
		return log_errno(r, "cannot create the directory of ALERT_JSON_FILE %s",
				 cfg->alert_json_file);
	r = alerter_new(cfg, &d->alerter);
	if (r < 0)
		return log_errno(r, "cannot start the alerts");
	alerter_on_mailed(d->alerter, on_mailed, d);
	r = loop_new(&d->loop);
	if (r < 0)
		return log_errno(r, "cannot create the event loop");
	r = for_each_spec(cfg->input_sources, add_spec, d);
	if (r < 0)
		return r;
	if (d->n_inputs == 0) {
		log_error("INPUT_SOURCES names no input");
		return -EINVAL;
	}
	if (cfg->state_dir[0]) {
		r = make_dirs(cfg->state_dir, true, 0700);
		if (r < 0)
			return log_errno(r, "cannot create STATE_DIR %s", cfg->state_dir);
		snprintf(d->state_path, sizeof(d->state_path), "%s/state", cfg->state_dir);
		state_restore(d);
	}
	if (cfg->control_socket[0]) {
		r = make_dirs(cfg->control_socket, false, 0755);
		if (r == 0)
			r = control_new(d->loop, cfg->control_socket, on_control, d, &d->control);
		if (r < 0)
			return log_errno(r, "cannot listen on CONTROL_SOCKET %s", cfg->control_socket);
		r = control_allow_group_name(d->control, cfg->control_socket_group);
		if (r < 0)
			log_errno(r, "CONTROL_SOCKET_GROUP %s not applied: the socket stays root-only",
				  cfg->control_socket_group);
	}
	for (size_t i = 0; i < d->n_inputs; i++)
		input_open(&d->inputs[i]);

	int afd = alerter_fd(d->alerter);

	if (afd >= 0 && (r = loop_add_fd(d->loop, afd, EPOLLIN, on_alerter, d)) < 0)
		return log_errno(r, "cannot watch the alert worker");
	if ((r = loop_add_before_sleep(d->loop, before_sleep, d)) < 0 ||
	    (r = loop_add_timer(d->loop, TICK_US, 1, on_tick, d)) < 0 ||
	    (r = loop_add_timer(d->loop, SAVE_INTERVAL_US, 1, on_save, d)) < 0)
		return log_errno(r, "cannot set the daemon's timers");
	const int sigs[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if ((r = loop_add_signal(d->loop, sigs[i], on_signal, d)) < 0)
			return log_errno(r, "cannot handle signal %d", sigs[i]);
	signal(SIGPIPE, SIG_IGN);
	if (sd_watchdog_enabled(0, &d->watchdog_us) > 0 && d->watchdog_us > 0) {
		d->watchdog = true;
		r = loop_add_timer(d->loop, d->watchdog_us / 2, 1, on_watchdog, d);
		if (r < 0)
			return log_errno(r, "cannot set the watchdog timer");
	}
	d->started_mono = loop_now_mono_us();
	return 0;
}

static void daemon_stop(struct daemon *d)
{
	if (d->engine && d->loop)
		state_save(d);
	for (size_t i = d->n_inputs; i-- > 0;)
		input_remove(d, i);
	d->control = control_free(d->control);
	d->alerter = alerter_free(d->alerter);
	d->engine = engine_free(d->engine);
	d->det = detector_free(d->det);
	d->loop = loop_free(d->loop);
}

/* The files named on the command line, absolute: a detached daemon runs in
 * "/", and SIGHUP reads them again from there. */
static void absolute_paths(struct daemon_opts *o, char bufs[3][PATH_MAX])
{
	const char **paths[] = { &o->config_path, &o->signatures, &o->auto_dl };

	for (size_t i = 0; i < 3; i++)
		if (*paths[i] && (*paths[i])[0] != '/' && realpath(*paths[i], bufs[i]))
			*paths[i] = bufs[i];
}

int daemon_run(const struct daemon_opts *given)
{
	struct daemon_opts abs = *given, *o = &abs;
	char bufs[3][PATH_MAX];
	struct daemon d = { .o = o, .syslog_fd = -1 };

	absolute_paths(o, bufs);
	bool under_systemd = getenv("NOTIFY_SOCKET") != NULL;
	int r;

	if (!o->foreground && !under_systemd) {
		/* a configuration that does not load is said on the terminal and
		 * exits 1 before the fork, not in syslog after a parent's exit 0 */
		struct detector_opts dopts = detector_opts_of(o);
		struct diag_printer dp = { .max_per_file = DIAG_MAX_PER_FILE, .verbose = o->verbose };
		struct detector *check = NULL;

		r = detector_load(&dopts, diag_print, &dp, &check);
		diag_printer_end(&dp);
		detector_free(check);
		if (r < 0)
			return EXIT_RUNTIME;
		if ((r = detach()) < 0)
			return log_errno(r, "cannot detach"), EXIT_RUNTIME;
	}
	r = daemon_start(&d);
	if (r < 0) {
		daemon_stop(&d);
		return EXIT_RUNTIME;
	}
	const struct config *cfg = detector_config(d.det);

	log_info("running: %zu inputs (%s), %zu sources restored", d.n_inputs, cfg->input_sources,
		 engine_source_count(d.engine));
	sd_notifyf(0, "READY=1\nSTATUS=watching %zu inputs\nMAINPID=%lu", d.n_inputs,
		   (unsigned long)getpid());
	r = loop_run(d.loop);
	if (r < 0)
		log_errno(r, "event loop failed");
	daemon_stop(&d);
	return r < 0 ? EXIT_RUNTIME : EXIT_OK;
}
