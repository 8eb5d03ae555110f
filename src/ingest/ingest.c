/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ingest.c - records into the engine, every one counted (ingest.h).
 *
 * Moved out of cmd-analyze.c so that `analyze` and the daemon share one
 * pipeline: the hot path is unchanged (parse_line, then one engine_feed per
 * record), plus one branch on the time policy.
 */
#include "ingest/ingest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "engine/blame.h" /* blame_impossible(): --group-v6 keeps those sources */
#include "engine/engine.h"
#include "ingest/filter.h"
#include "util/zone.h"

/* rsyslog's "message repeated N times" line stands for N records: the
 * engine is fed N times, at most this many (a forged N must not stall the
 * run); the rest are counted as repeated_unfed. */
#define REPEAT_FEED_MAX 100000u

/* A line kept while the input's format was tentative (parse.h). */
struct held_line {
	char *p;
	size_t len;
	uint64_t lineno;
	int64_t arrival_us;
};

struct ingest {
	struct engine *engine;
	const struct config *cfg;
	struct ingest_opts o;
	const char *name; /* this input's, never NULL */
	ingest_malformed_fn *on_malformed;
	void *data;
	ingest_event_fn *on_event;
	void *event_data;
	uint64_t lineno;  /* records of this input */
	int64_t clock_us; /* analyze: the last log time known (for lines without one) */
	int64_t boot_us;  /* this input's uptimes count from here (0: unknown) */
	int64_t fed_us;   /* engine time of the last event fed */
	/* live: the arrival second the year reference was last advanced at */
	int64_t advanced_sec;
	/* live: the local zone's UTC offset, per log hour */
	struct zone_cache zone;
	struct input_stats st;
	size_t n_held;
	struct held_line held[PARSE_LOGEMU_CONFIRM];
	struct parse_input pin;
};

#define US_PER_SEC 1000000LL

/* The one place the engine is fed: its clock is wall µs. */
static inline enum engine_verdict engine_at(struct ingest *in, const struct event *ev,
					    int64_t now_us)
{
	return engine_feed(in->engine, ev, now_us);
}

/* A log time in µs of its own wall clock (saturating: a forged year must not
 * overflow). */
static int64_t vtime_us(const struct vtime *t)
{
	if (t->sec > INT64_MAX / US_PER_SEC - 1)
		return INT64_MAX - US_PER_SEC;
	if (t->sec < INT64_MIN / US_PER_SEC + 1)
		return INT64_MIN + US_PER_SEC;
	return t->sec * US_PER_SEC + t->usec;
}



/* Live lines: the line's own time in UTC when it is plausible, else the
 * arrival time (a forged or skewed date must not move the engine's clock). */
static int64_t live_time(struct ingest *in, const struct vtime *t, int64_t arrival_us)
{
	/* no time, uptime only, or a time no calendar holds */
	if (t->kind != VTIME_WALL || t->sec <= -INT64_MAX / 2 || t->sec >= INT64_MAX / 2)
		return arrival_us;
	struct vtime u = *t;
	u.sec = t->has_tz ? t->sec - (int64_t)t->tz_min * 60 : zone_local_to_utc(&in->zone, t->sec);
	int64_t us = vtime_us(&u);
	if (us < arrival_us - INGEST_LIVE_PAST_US || us > arrival_us + INGEST_LIVE_FUTURE_US)
		return arrival_us;
	return us;
}

/* Live lines: yearless dates advance with the calendar (a daemon started on
 * 30 Dec reads "Jan 2" as the coming year). parse_clock's reference is in
 * the zone's wall seconds; once a minute is enough (it has a day of slack). */
static void live_advance(struct ingest *in, int64_t arrival_us)
{
	int64_t now = arrival_us / US_PER_SEC;
	struct tm tm;
	time_t tt = (time_t)now;

	if (now < in->advanced_sec + 60 && in->advanced_sec)
		return;
	in->advanced_sec = now;
	if (!localtime_r(&tt, &tm))
		return;
	parse_clock_advance(&in->pin.clock, now + tm.tm_gmtoff);
}

static void count_ignored(struct input_stats *st, enum parse_ignore why)
{
	st->ignored++;
	switch (why) {
	case PARSE_IGN_BLANK:
		st->ignored_blank++;
		break;
	case PARSE_IGN_NOT_FIREWALL:
		st->ignored_not_firewall++;
		break;
	case PARSE_IGN_NOT_KERNEL:
		st->ignored_not_kernel++;
		break;
	case PARSE_IGN_NOT_IP:
		st->ignored_not_ip++;
		break;
	case PARSE_IGN_NO_TAG:
		st->ignored_no_tag++;
		break;
	case PARSE_IGN_UNKNOWN_ENVELOPE:
		st->ignored_unknown_envelope++;
		break;
	case PARSE_IGN_OFF_FORMAT:
		st->ignored_off_format++;
		break;
	case PARSE_IGN_RECORD_PART:
	case PARSE_IGN_COUNT:
		st->ignored_record_part++;
		break;
	}
}

static void malformed(struct ingest *in, uint64_t lineno, const struct parse_error *err)
{
	in->st.malformed++;
	if (in->on_malformed)
		in->on_malformed(in->name, lineno, err, in->data);
}

/* --group-v6: the source address cut to its first len bits. */
static void group_src(struct addr *a, unsigned len)
{
	for (unsigned i = 0; i < sizeof(a->b); i++) {
		unsigned keep = len > i * 8 ? len - i * 8 : 0;
		if (keep < 8)
			a->b[i] &= (uint8_t)(0xff00u >> keep);
	}
}

/* May ev's IPv6 source be counted as its network (masked)? Not when blame
 * must judge the address itself: an impossible one (::, ::1, multicast),
 * one whose network would be judged impossible (a short LEN making ::/LEN),
 * a LAND packet (source = destination) or an own address of the firewall
 * (FIREWALL_ADDRESSES, or learnt by the engine's blame from earlier INPUT
 * records): those stay single, spoofed sources and never make a network
 * look like an attacker. */
static bool groupable(const struct ingest *in, const struct event *ev, const struct addr *masked)
{
	return blame_impossible(&ev->src) == SPOOF_NONE &&
	       blame_impossible(masked) == SPOOF_NONE && !addr_eq(&ev->src, &ev->dst) &&
	       !engine_is_own(in->engine, &ev->src);
}

/* An event into the engine, repeat times (rsyslog's repeated lines), once
 * it passed analyze's filter; under --group-v6 an IPv6 source as its
 * network. */
static void feed(struct ingest *in, const struct event *ev, uint32_t repeat, int64_t now_us)
{
	struct event grouped;

	if (in->o.filter) {
		uint64_t untimed = filter_untimed(in->o.filter);
		if (!filter_pass(in->o.filter, ev)) {
			in->st.ignored++;
			in->st.ignored_filtered++;
			in->st.ignored_untimed += filter_untimed(in->o.filter) - untimed;
			return;
		}
	}
	if (in->o.group_v6 && ev->src.family == ADDR_V6) {
		grouped = *ev;
		group_src(&grouped.src, in->o.group_v6);
		if (groupable(in, ev, &grouped.src))
			ev = &grouped;
	}
	vtime_merge(&in->st.first, &in->st.last, &ev->time);
	in->fed_us = now_us;
	if (engine_at(in, ev, now_us) == ENGINE_COUNTED) {
		in->st.events++;
		if (in->on_event)
			in->on_event(ev, now_us, in->event_data);
	} else {
		in->st.ignored++; /* by reason in engine_stats */
	}
	if (repeat > 1) {
		uint32_t fed = repeat < REPEAT_FEED_MAX ? repeat : REPEAT_FEED_MAX;
		in->st.repeated += repeat - 1;
		in->st.repeated_unfed += repeat - fed;
		for (uint32_t k = 1; k < fed; k++)
			if (engine_at(in, ev, now_us) == ENGINE_COUNTED && in->on_event)
				in->on_event(ev, now_us, in->event_data);
	}
}

/* An uptime of an input whose boot time is known, as a wall-clock time of
 * the local zone with its offset. */
static void uptime_to_wall(const struct ingest *in, struct vtime *t)
{
	int64_t us = in->boot_us + (t->sec > INT64_MAX / US_PER_SEC / 2 ? 0 : t->sec * US_PER_SEC);
	time_t sec = (time_t)zone_floor_div(us + t->usec, US_PER_SEC);
	struct tm tm;

	if (!localtime_r(&sec, &tm))
		return;
	*t = (struct vtime){ .sec = (int64_t)sec + tm.tm_gmtoff,
			     .usec = (uint32_t)((us + t->usec) - (int64_t)sec * US_PER_SEC),
			     .kind = VTIME_WALL, .has_tz = true,
			     .tz_min = (int16_t)(tm.tm_gmtoff / 60) };
}

static void account(struct ingest *in, enum parse_verdict v, const struct event *ev,
		    uint32_t repeat, enum parse_ignore why, const struct parse_error *err,
		    uint64_t lineno, int64_t arrival_us)
{
	struct event walled;

	switch (v) {
	case PARSE_EVENT:
		if (__builtin_expect(in->boot_us != 0, 0) && ev->time.kind == VTIME_UPTIME) {
			walled = *ev;
			uptime_to_wall(in, &walled.time);
			ev = &walled;
		}
		if (in->o.live) {
			feed(in, ev, repeat, live_time(in, &ev->time, arrival_us));
		} else {
			/* whole seconds, as analyze always counted */
			if (ev->time.kind != VTIME_NONE)
				in->clock_us = vtime_us(&(struct vtime){ .sec = ev->time.sec });
			feed(in, ev, repeat, in->clock_us);
		}
		break;
	case PARSE_IGNORED:
		count_ignored(&in->st, why);
		break;
	case PARSE_MALFORMED:
		malformed(in, lineno, err);
		break;
	}
}

/* Lines held while the input's format was tentative, read again now that
 * it is settled. */
static void replay_held(struct ingest *in)
{
	for (size_t i = 0; i < in->n_held; i++) {
		struct held_line *h = &in->held[i];
		struct event ev;
		enum parse_ignore why;
		struct parse_error err;
		enum parse_verdict v = parse_line(&in->pin, span_make(h->p, h->len), &ev, &why, &err);
		account(in, v, &ev, in->pin.repeat, why, &err, h->lineno, h->arrival_us);
		free(h->p);
		h->p = NULL;
	}
	in->n_held = 0;
}

static bool hold_line(struct ingest *in, struct span line, uint64_t lineno, int64_t arrival_us)
{
	if (in->n_held >= PARSE_LOGEMU_CONFIRM)
		return false;
	char *p = malloc(line.len ? line.len : 1);
	if (!p)
		return false;
	memcpy(p, line.p, line.len);
	in->held[in->n_held++] = (struct held_line){ p, line.len, lineno, arrival_us };
	return true;
}

void ingest_line(struct ingest *in, struct span line, bool overlong, int64_t arrival_us)
{
	struct event ev;
	enum parse_ignore why;
	struct parse_error err;
	uint64_t lineno = ++in->lineno;

	in->st.lines++;
	if (overlong) {
		size_t tail = line.len < 8 ? line.len : 8;
		err = (struct parse_error){ .column = in->cfg->max_line_length + 1,
					    .reason = "line longer than MAX_LINE_LENGTH",
					    .got = span_make(line.p + line.len - tail, tail) };
		malformed(in, lineno, &err);
		return;
	}
	if (in->o.live)
		live_advance(in, arrival_us);
	enum parse_verdict v = parse_line(&in->pin, line, &ev, &why, &err);
	uint32_t repeat = in->pin.repeat;
	if (v == PARSE_EVENT && in->pin.hold && hold_line(in, line, lineno, arrival_us))
		return;
	if (in->pin.settled)
		replay_held(in);
	account(in, v, &ev, repeat, why, &err, lineno, arrival_us);
}

void ingest_message(struct ingest *in, const struct record_meta *meta, struct span msg,
		    int64_t when_us)
{
	struct event ev;
	enum parse_ignore why;
	struct parse_error err;
	uint64_t lineno = ++in->lineno;

	in->st.lines++;
	switch (parse_message(meta, msg, &ev, &why, &err)) {
	case PARSE_EVENT:
		feed(in, &ev, 1, when_us);
		break;
	case PARSE_IGNORED:
		count_ignored(&in->st, why);
		break;
	case PARSE_MALFORMED:
		malformed(in, lineno, &err);
		break;
	}
}

void ingest_event(struct ingest *in, struct event *ev, int64_t when_us)
{
	in->lineno++;
	in->st.lines++;
	feed(in, ev, 1, when_us);
}

void ingest_lost(struct ingest *in, uint64_t n)
{
	in->st.lost += n;
}

const struct input_stats *ingest_stats(const struct ingest *in)
{
	return &in->st;
}

int64_t ingest_fed_us(const struct ingest *in)
{
	return in->fed_us;
}

void ingest_set_engine(struct ingest *in, struct engine *e, const struct config *cfg)
{
	in->engine = e;
	in->cfg = cfg;
}

void ingest_set_boot(struct ingest *in, int64_t boot_us)
{
	in->boot_us = boot_us;
}

void ingest_on_malformed(struct ingest *in, ingest_malformed_fn *fn, void *data)
{
	in->on_malformed = fn;
	in->data = data;
}

void ingest_on_event(struct ingest *in, ingest_event_fn *fn, void *data)
{
	in->on_event = fn;
	in->event_data = data;
}

bool ingest_end(struct ingest *in)
{
	parse_input_settle(&in->pin);
	if (in->pin.settled)
		replay_held(in);
	return parse_input_pending(&in->pin);
}

void ingest_begin(struct ingest *in, const char *name, int64_t ref_sec)
{
	if (in->n_held)
		ingest_end(in); /* nothing accepted is dropped */
	in->name = name ? name : "";
	in->lineno = 0;
	in->boot_us = 0;
	parse_input_init(&in->pin, ref_sec);
	parse_input_force_format(&in->pin, in->o.format);
}

int ingest_new(struct engine *e, const struct config *cfg, const struct ingest_opts *o,
	       struct ingest **ret)
{
	struct ingest *in = calloc(1, sizeof(*in));

	if (!in)
		return -ENOMEM;
	in->engine = e;
	in->cfg = cfg;
	in->o = *o;
	ingest_begin(in, o->name, o->ref_sec);
	*ret = in;
	return 0;
}

struct ingest *ingest_free(struct ingest *in)
{
	if (!in)
		return NULL;
	for (size_t i = 0; i < in->n_held; i++)
		free(in->held[i].p);
	free(in);
	return NULL;
}
