/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ingest-test.c - cmocka tests for ingest.c: every record counted once
 * (lines == events + ignored + malformed), malformed records named with
 * their line numbers, the time policies (analyze: the log's own time; live:
 * the line's time in UTC when plausible, else arrival), messages with
 * trusted metadata, decoded events, lost records, held LOGEMU lines, and
 * the engine swap of a reload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config/config.h"
#include "engine/engine.h"
#include "ingest/ingest.h"
#include "ingest/parse-shim.h" /* TEMPORARY: struct record_meta until parse.h has it */

#define MAC "MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:08:00 "
#define REC(src, dport)                                                                    \
	"DROP IN=eth0 OUT= " MAC "SRC=" src " DST=198.18.1.1 LEN=40 TOS=0x00 PREC=0x00 "    \
	"TTL=64 ID=1000 PROTO=TCP SPT=40000 DPT=" dport " WINDOW=512 RES=0x00 SYN URGP=0"
#define OUT_REC                                                                            \
	"DROP IN= OUT=eth0 SRC=198.18.1.1 DST=198.18.0.9 LEN=40 TOS=0x00 PREC=0x00 TTL=64 " \
	"ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=512 RES=0x00 SYN URGP=0"
#define BAD_REC                                                                            \
	"DROP IN=eth0 OUT= SRC=999.18.0.7 DST=198.18.1.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 " \
	"ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=512 RES=0x00 SYN URGP=0"

#define US 1000000LL

struct fix {
	struct config cfg;
	struct engine *e;
	struct ingest *in;
	/* malformed records seen */
	size_t n_bad;
	uint64_t bad_line[8];
	char bad_name[8][32];
	const char *bad_reason[8];
};

static void on_bad(const char *name, uint64_t lineno, const struct parse_error *err, void *data)
{
	struct fix *f = data;

	assert_non_null(err->reason);
	assert_true(err->column >= 1);
	if (f->n_bad == 8)
		return;
	f->bad_line[f->n_bad] = lineno;
	snprintf(f->bad_name[f->n_bad], sizeof(f->bad_name[0]), "%s", name);
	f->bad_reason[f->n_bad] = err->reason;
	f->n_bad++;
}

static struct fix *fix_new(bool live, int64_t ref_sec)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct ingest_opts o = { .name = "test-input", .live = live, .ref_sec = ref_sec };

	assert_non_null(f);
	config_init(&f->cfg);
	assert_int_equal(engine_new(&f->cfg, NULL, NULL, NULL, &f->e), 0);
	assert_int_equal(ingest_new(f->e, &f->cfg, &o, &f->in), 0);
	ingest_on_malformed(f->in, on_bad, f);
	return f;
}

static void fix_free(struct fix *f)
{
	assert_null(ingest_free(f->in));
	engine_free(f->e);
	free(f);
}

static void line(struct fix *f, const char *s, int64_t arrival_us)
{
	ingest_line(f->in, span_make(s, strlen(s)), false, arrival_us);
}

static void assert_identity(const struct input_stats *st)
{
	assert_int_equal(st->lines, st->events + st->ignored + st->malformed);
}

static int64_t utc(int year, int mon, int day, int h, int m, int s)
{
	struct tm tm = { .tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = day,
			 .tm_hour = h, .tm_min = m, .tm_sec = s };
	return (int64_t)timegm(&tm);
}

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void test_counting_identity(void **state)
{
	struct fix *f = fix_new(false, utc(2026, 12, 6, 0, 0, 0));
	const char *longline = "Nov 25 14:43:09 fw1 kernel: DROP IN=eth0 OUT= SRC=198.18";

	line(f, "Nov 25 14:43:03 fw1 kernel: " REC("198.18.0.7", "22"), 0);
	line(f, "", 0);
	line(f, "Nov 25 14:43:04 fw1 sshd[12]: Accepted password for root", 0);
	line(f, "Nov 25 14:43:05 fw1 kernel: " BAD_REC, 0);
	line(f, "Nov 25 14:43:06 fw1 logger: " REC("198.18.0.8", "23"), 0);
	ingest_line(f->in, span_make(longline, strlen(longline)), true, 0);
	line(f, "Nov 25 14:43:07 fw1 kernel: message repeated 3 times: [ " REC("198.18.0.7", "23")
		" ]", 0);
	line(f, "Nov 25 14:43:08 fw1 kernel: " OUT_REC, 0); /* the engine ignores OUTPUT */
	assert_false(ingest_end(f->in));

	const struct input_stats *st = ingest_stats(f->in);
	assert_int_equal(st->lines, 8);
	assert_int_equal(st->events, 2);
	assert_int_equal(st->malformed, 2);
	assert_int_equal(st->ignored, 4);
	assert_int_equal(st->ignored_blank, 1);
	assert_int_equal(st->ignored_not_firewall, 1);
	assert_int_equal(st->ignored_not_kernel, 1);
	assert_int_equal(st->repeated, 2);
	assert_int_equal(st->repeated_unfed, 0);
	assert_identity(st);
	assert_int_equal(st->first.kind, VTIME_WALL);
	assert_true(st->last.sec > st->first.sec);

	/* the repeated line fed the engine three times */
	struct engine_stats es;
	engine_get_stats(f->e, &es);
	assert_int_equal(es.counted, 4);
	assert_int_equal(es.ignored[ENGINE_IGNORED_OUTPUT], 1);

	/* malformed records named with their line numbers */
	assert_int_equal(f->n_bad, 2);
	assert_int_equal(f->bad_line[0], 4);
	assert_int_equal(f->bad_line[1], 6);
	assert_string_equal(f->bad_name[0], "test-input");
	assert_string_equal(f->bad_reason[1], "line longer than MAX_LINE_LENGTH");

	/* a new input: line numbers from 1, its name, the counters go on */
	ingest_begin(f->in, "second", utc(2026, 12, 6, 0, 0, 0));
	line(f, "Nov 25 14:44:00 fw1 kernel: " BAD_REC, 0);
	ingest_end(f->in);
	assert_int_equal(f->n_bad, 3);
	assert_int_equal(f->bad_line[2], 1);
	assert_string_equal(f->bad_name[2], "second");
	assert_int_equal(st->lines, 9);
	assert_int_equal(st->malformed, 3);
	assert_identity(st);
	fix_free(f);
}

/* analyze: the engine runs on the log's own clock, as it reads; a line
 * without a time keeps the last one */
static void test_analyze_time(void **state)
{
	struct fix *f = fix_new(false, utc(2026, 12, 6, 0, 0, 0));

	line(f, "2026-12-06T07:59:00.250000+02:00 fw1 kernel: " REC("198.18.0.7", "22"), 0);
	assert_int_equal(ingest_fed_us(f->in), utc(2026, 12, 6, 7, 59, 0) * US + 250000);
	fix_free(f);
}

static void test_live_time_policy(void **state)
{
	int64_t arrival = utc(2026, 12, 6, 6, 0, 0) * US;

	set_tz("UTC");
	/* ref_sec 1970: only the arrival time can place yearless dates */
	struct fix *f = fix_new(true, 0);

	/* an offset: converted to UTC */
	line(f, "2026-12-06T07:59:00.250000+02:00 fw1 kernel: " REC("198.18.0.7", "22"), arrival);
	assert_int_equal(ingest_fed_us(f->in), utc(2026, 12, 6, 5, 59, 0) * US + 250000);
	/* 8 days old: the arrival time */
	line(f, "2026-11-28T06:00:00+00:00 fw1 kernel: " REC("198.18.0.7", "23"), arrival);
	assert_int_equal(ingest_fed_us(f->in), arrival);
	/* 6 min ahead: the arrival time; 4 min ahead: its own */
	line(f, "2026-12-06T06:06:00+00:00 fw1 kernel: " REC("198.18.0.7", "24"), arrival);
	assert_int_equal(ingest_fed_us(f->in), arrival);
	line(f, "2026-12-06T06:04:00+00:00 fw1 kernel: " REC("198.18.0.7", "25"), arrival);
	assert_int_equal(ingest_fed_us(f->in), utc(2026, 12, 6, 6, 4, 0) * US);
	/* 6 days and 23 h old: still its own */
	line(f, "2026-11-29T07:00:00+00:00 fw1 kernel: " REC("198.18.0.7", "26"), arrival);
	assert_int_equal(ingest_fed_us(f->in), utc(2026, 11, 29, 7, 0, 0) * US);
	assert_int_equal(ingest_stats(f->in)->events, 5);
	fix_free(f);

	/* a yearless date in this machine's zone: the year from the arrival */
	f = fix_new(true, 0);
	line(f, "Dec  6 05:30:00 fw1 kernel: " REC("198.18.0.7", "22"), arrival);
	assert_int_equal(ingest_fed_us(f->in), utc(2026, 12, 6, 5, 30, 0) * US);
	fix_free(f);

	set_tz("EST5"); /* UTC-5, no DST */
	f = fix_new(true, 0);
	line(f, "Dec  6 00:30:00 fw1 kernel: " REC("198.18.0.7", "22"), arrival);
	assert_int_equal(ingest_fed_us(f->in), utc(2026, 12, 6, 5, 30, 0) * US);
	/* late December read on 2 January: last year's, not next */
	int64_t jan2 = utc(2027, 1, 2, 12, 0, 0) * US;
	line(f, "Dec 31 23:00:00 fw1 kernel: " REC("198.18.0.7", "23"), jan2);
	assert_int_equal(ingest_fed_us(f->in), utc(2027, 1, 1, 4, 0, 0) * US);
	fix_free(f);
	set_tz("UTC");
}

static void test_message(void **state)
{
	struct fix *f = fix_new(true, 0);
	struct record_meta kern = { .facility = 0, .kernel = true,
				    .time = { .sec = utc(2026, 12, 6, 6, 0, 0), .kind = VTIME_WALL } };
	struct record_meta user = { .facility = 1, .kernel = false };
	struct record_meta daemon = { .facility = 3, .kernel = true };
	const char *rec = REC("198.18.0.7", "22");
	const char *bad = BAD_REC;
	const char *other = "usb 1-1: new high-speed USB device number 2";
	int64_t when = utc(2026, 12, 6, 6, 0, 1) * US;

	ingest_message(f->in, &kern, span_make(rec, strlen(rec)), when);
	assert_int_equal(ingest_fed_us(f->in), when); /* the source's time, as given */
	ingest_message(f->in, &user, span_make(rec, strlen(rec)), when + 1);
	ingest_message(f->in, &daemon, span_make(rec, strlen(rec)), when + 2);
	ingest_message(f->in, &kern, span_make(other, strlen(other)), when + 3);
	ingest_message(f->in, &kern, span_make(bad, strlen(bad)), when + 4);

	const struct input_stats *st = ingest_stats(f->in);
	assert_int_equal(st->lines, 5);
	assert_int_equal(st->events, 1);
	assert_int_equal(st->ignored_not_kernel, 2);
	assert_int_equal(st->ignored_not_firewall, 1);
	assert_int_equal(st->malformed, 1);
	assert_identity(st);
	assert_int_equal(f->n_bad, 1);
	assert_int_equal(f->bad_line[0], 5);
	assert_int_equal(st->first.sec, kern.time.sec); /* the shown time is the record's */
	assert_int_equal(engine_source_count(f->e), 1);
	fix_free(f);
}

static void test_event_and_lost(void **state)
{
	struct fix *f = fix_new(true, 0);
	struct record_meta kern = { .facility = 0, .kernel = true };
	const char *rec = REC("198.18.0.9", "80");
	struct event ev;
	enum parse_ignore why;
	struct parse_error err;

	assert_int_equal(parse_message(&kern, span_make(rec, strlen(rec)), &ev, &why, &err),
			 PARSE_EVENT);
	ingest_event(f->in, &ev, 42 * US);
	ingest_lost(f->in, 5);
	ingest_lost(f->in, 2);

	const struct input_stats *st = ingest_stats(f->in);
	assert_int_equal(st->lines, 1);
	assert_int_equal(st->events, 1);
	assert_int_equal(st->lost, 7); /* lost records are not lines */
	assert_identity(st);
	assert_int_equal(ingest_fed_us(f->in), 42 * US);
	assert_int_equal(engine_source_count(f->e), 1);
	fix_free(f);
}

/* LOGEMU is tentative for its first records: they are held, then read once
 * the input ends (or the format is sure) */
static void test_held_lines(void **state)
{
	struct fix *f = fix_new(false, utc(2026, 12, 6, 0, 0, 0));

	line(f, "Nov 25 14:43:03 fw1 " REC("198.18.0.7", "22"), 0);
	line(f, "Nov 25 14:43:04 fw1 " REC("198.18.0.7", "23"), 0);
	line(f, "Nov 25 14:43:05 fw1 " REC("198.18.0.7", "24"), 0);
	const struct input_stats *st = ingest_stats(f->in);
	assert_int_equal(st->lines, 3);
	assert_int_equal(st->events, 0);
	ingest_end(f->in);
	assert_int_equal(st->events, 3);
	assert_identity(st);
	fix_free(f);
}

static void test_set_engine(void **state)
{
	struct fix *f = fix_new(false, utc(2026, 12, 6, 0, 0, 0));
	struct engine *e2;

	assert_int_equal(engine_new(&f->cfg, NULL, NULL, NULL, &e2), 0);
	line(f, "Nov 25 14:43:03 fw1 kernel: " REC("198.18.0.7", "22"), 0);
	ingest_set_engine(f->in, e2, &f->cfg);
	line(f, "Nov 25 14:43:04 fw1 kernel: " REC("198.18.0.8", "22"), 0);
	line(f, "Nov 25 14:43:05 fw1 kernel: " REC("198.18.0.9", "22"), 0);
	assert_int_equal(engine_source_count(f->e), 1);
	assert_int_equal(engine_source_count(e2), 2);
	assert_int_equal(ingest_stats(f->in)->events, 3);
	engine_free(e2);
	fix_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counting_identity), cmocka_unit_test(test_analyze_time),
		cmocka_unit_test(test_live_time_policy),  cmocka_unit_test(test_message),
		cmocka_unit_test(test_event_and_lost),    cmocka_unit_test(test_held_lines),
		cmocka_unit_test(test_set_engine),
	};

	set_tz("UTC");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
