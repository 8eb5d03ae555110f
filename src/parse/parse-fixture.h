/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse-fixture.h - the test fixture parse-test.c and wrapper-test.c share.
 *
 * Test-only (included by *-test.c files, never by vigil itself). Each line is
 * parsed from an exact-size heap copy with no NUL after it, so
 * AddressSanitizer reports any read past the span. Not every test file uses
 * every helper, hence the unused-function pragma.
 */
#ifndef VIGIL_PARSE_FIXTURE_H
#define VIGIL_PARSE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>

#include "event/event.h"
#include "parse/parse.h"
#include "util/span.h"

#pragma GCC diagnostic ignored "-Wunused-function"

struct fx {
	struct parse_input in;
	bool same_input; /* lines share one input's format (else each starts anew) */
	char *buf; /* exact-size copy of the line under test, no NUL after it */
	size_t len;
	struct event ev;
	enum parse_ignore why;
	struct parse_error err;
	enum parse_verdict v;
};

/* The broken-down time, read as UTC: what struct vtime.sec means. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {
	    .tm_year = y - 1900,
	    .tm_mon = mo - 1,
	    .tm_mday = d,
	    .tm_hour = h,
	    .tm_min = mi,
	    .tm_sec = s,
	};
	return (int64_t)timegm(&tm);
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	parse_input_init(&f->in, utc(2026, 11, 25, 13, 0, 0));
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	free(f->buf);
	free(f);
	return 0;
}

static bool span_inside(struct span s, const char *buf, size_t len)
{
	uintptr_t p = (uintptr_t)s.p, b = (uintptr_t)buf;

	if (s.len == 0)
		return true;
	return p >= b && s.len <= len && p - b <= len - s.len;
}

static const char *verdict_name(enum parse_verdict v)
{
	switch (v) {
	case PARSE_EVENT:
		return "EVENT";
	case PARSE_IGNORED:
		return "IGNORED";
	case PARSE_MALFORMED:
		return "MALFORMED";
	}
	return "(out of range)";
}

static const char *why_name(enum parse_ignore w)
{
	switch (w) {
	case PARSE_IGN_BLANK:
		return "BLANK";
	case PARSE_IGN_NOT_FIREWALL:
		return "NOT_FIREWALL";
	case PARSE_IGN_NOT_KERNEL:
		return "NOT_KERNEL";
	case PARSE_IGN_NOT_IP:
		return "NOT_IP";
	case PARSE_IGN_NO_TAG:
		return "NO_TAG";
	case PARSE_IGN_UNKNOWN_ENVELOPE:
		return "UNKNOWN_ENVELOPE";
	case PARSE_IGN_OFF_FORMAT:
		return "OFF_FORMAT";
	case PARSE_IGN_RECORD_PART:
		return "RECORD_PART";
	case PARSE_IGN_COUNT:
		break;
	}
	return "(out of range)";
}

/* Bytes as C-escaped text, bounded: for failure messages only. */
static const char *esc(const char *p, size_t n)
{
	static char out[4][512];
	static int slot;
	char *o = out[slot++ & 3];
	size_t k = 0;

	for (size_t i = 0; i < n && k + 8 < sizeof(out[0]); i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			o[k++] = (char)c;
		else
			k += (size_t)snprintf(o + k, sizeof(out[0]) - k, "\\x%02x", c);
	}
	if (k + 8 >= sizeof(out[0]))
		k += (size_t)snprintf(o + k, sizeof(out[0]) - k, "...");
	o[k] = '\0';
	return o;
}

static void fx_report(const struct fx *f)
{
	print_error("  line: '%s'\n  verdict: %s", esc(f->buf, f->len), verdict_name(f->v));
	if (f->v == PARSE_IGNORED)
		print_error(" (%s)", why_name(f->why));
	if (f->v == PARSE_MALFORMED) {
		print_error(" column %zu: %s", f->err.column,
			    f->err.reason ? f->err.reason : "(null)");
		/* err.got is not dereferenced unless it lies inside the line */
		if (span_inside(f->err.got, f->buf, f->len))
			print_error(", got '%s'",
				    f->err.got.len ? esc(f->err.got.p, f->err.got.len) : "");
		else
			print_error(", got %zu bytes at %p, OUTSIDE the line", f->err.got.len,
				    (const void *)f->err.got.p);
	}
	print_error("\n");
}

/* What must hold for every line, whatever it holds. */
static void fx_check_invariants(const struct fx *f, const char *file, int line)
{
	const struct event *e = &f->ev;
	const char *bad = NULL;

	switch (f->v) {
	case PARSE_EVENT:
		if (e->src.family != ADDR_V4 && e->src.family != ADDR_V6)
			bad = "event src family is neither 4 nor 6";
		else if (e->dst.family != e->src.family && !e->v4_mapped)
			bad = "event src and dst families differ"; /* unless one was ::ffff:a.b.c.d */
		else if (e->chain != CHAIN_INPUT && e->chain != CHAIN_OUTPUT &&
			 e->chain != CHAIN_FORWARD)
			bad = "event chain out of range";
		else if (!span_inside(e->host, f->buf, f->len) ||
			 !span_inside(e->prefix, f->buf, f->len) ||
			 !span_inside(e->in, f->buf, f->len) ||
			 !span_inside(e->out, f->buf, f->len) ||
			 !span_inside(e->physin, f->buf, f->len) ||
			 !span_inside(e->physout, f->buf, f->len) ||
			 !span_inside(e->mac, f->buf, f->len) ||
			 !span_inside(e->v6_ext, f->buf, f->len))
			bad = "an event span points outside the line";
		else if (e->ip_opt_len > EVENT_OPT_MAX || e->tcp_opt_len > EVENT_OPT_MAX)
			bad = "option bytes past EVENT_OPT_MAX";
		else if (event_is_v6(e) ? e->ip_opt_len || e->ip_opt_bad : e->v6_ext.len != 0)
			bad = "IPv4 options in an IPv6 event, or extension headers in an IPv4 one";
		else if (e->tcp_opt_bad && !e->tcp_opts.truncated)
			bad = "unreadable TCP options not marked truncated";
		else if (e->prefix.len &&
			 (e->prefix.p[0] == ' ' || e->prefix.p[e->prefix.len - 1] == ' '))
			bad = "prefix not trimmed";
		else if (e->tcp_opts.count > EVENT_TCPOPT_MAX)
			bad = "tcp_opts.count > EVENT_TCPOPT_MAX";
		else if (e->time.kind > VTIME_UPTIME)
			bad = "time.kind out of range";
		else if (e->time.usec >= 1000000)
			bad = "time.usec >= 1000000";
		break;
	case PARSE_IGNORED:
		if ((unsigned)f->why >= PARSE_IGN_COUNT)
			bad = "ignore reason out of range";
		break;
	case PARSE_MALFORMED:
		if (!f->err.reason || !f->err.reason[0])
			bad = "malformed without a reason";
		else if (f->err.column < 1 || f->err.column > f->len + 1)
			bad = "malformed column outside 1..len+1";
		else if (!span_inside(f->err.got, f->buf, f->len))
			bad = "err.got points outside the line";
		break;
	default:
		bad = "verdict out of range";
	}
	if (bad) {
		print_error("%s\n", bad);
		fx_report(f);
		_fail(file, line);
	}
}

static enum parse_verdict fx_parse_at(struct fx *f, const char *s, size_t n, const char *file,
				      int line)
{
	free(f->buf);
	f->buf = malloc(n ? n : 1);
	assert_non_null(f->buf);
	memcpy(f->buf, s, n);
	f->len = n;
	memset(&f->err, 0, sizeof(f->err));
	f->why = (enum parse_ignore)99;
	/* f->ev is deliberately not cleared: callers reuse one event. */
	if (!f->same_input)
		parse_input_new_format(&f->in);
	f->v = parse_line(&f->in, span_make(f->buf, n), &f->ev, &f->why, &f->err);
	fx_check_invariants(f, file, line);
	return f->v;
}

static void fx_expect_at(struct fx *f, const char *s, size_t n, enum parse_verdict want,
			 int want_why, const char *file, int line)
{
	fx_parse_at(f, s, n, file, line);
	if (f->v != want || (want == PARSE_IGNORED && want_why >= 0 && (int)f->why != want_why)) {
		print_error("want %s", verdict_name(want));
		if (want == PARSE_IGNORED && want_why >= 0)
			print_error(" (%s)", why_name((enum parse_ignore)want_why));
		print_error("\n");
		fx_report(f);
		_fail(file, line);
	}
}

static void span_eq_at(struct span s, const char *want, const char *file, int line)
{
	size_t n = strlen(want);

	if (s.len != n || (n && memcmp(s.p, want, n) != 0)) {
		print_error("span is '%s', want '%s'\n", s.len ? esc(s.p, s.len) : "", want);
		_fail(file, line);
	}
}

static void addr_eq_at(const struct addr *a, const char *want, const char *file, int line)
{
	struct addr w = {0};
	char got[INET6_ADDRSTRLEN] = "?";

	if (strchr(want, ':')) {
		w.family = ADDR_V6;
		assert_int_equal(inet_pton(AF_INET6, want, w.b), 1);
	} else {
		w.family = ADDR_V4;
		assert_int_equal(inet_pton(AF_INET, want, w.b), 1);
	}
	if (a->family == w.family && memcmp(a->b, w.b, sizeof(w.b)) == 0)
		return;
	if (a->family == ADDR_V4 || a->family == ADDR_V6)
		inet_ntop(a->family == ADDR_V4 ? AF_INET : AF_INET6, a->b, got, sizeof(got));
	print_error("address is family %u '%s', want '%s'\n", a->family, got, want);
	_fail(file, line);
}

#define parse_str(f, s)	   fx_parse_at((f), (s), strlen(s), __FILE__, __LINE__)
#define expect_event(f, s) fx_expect_at((f), (s), strlen(s), PARSE_EVENT, -1, __FILE__, __LINE__)
#define expect_ignored(f, s, why)                                                                  \
	fx_expect_at((f), (s), strlen(s), PARSE_IGNORED, (why), __FILE__, __LINE__)

#endif
