/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-parse.c - libFuzzer target for parse_line(), parse_tcp_options() and the
 * raw option decoders (event_tcp_opts_decode(), ipopts_decode()).
 *
 * The input is split at '\n' like a log file; every line is copied to a
 * buffer of exactly its length (so AddressSanitizer sees a read past the
 * span) and parsed with one clock, as a file would be. The whole input is
 * also decoded as TCP option hex. Invariants that parse.h promises are
 * checked and a violation traps, which libFuzzer reports as a crash:
 *
 *   - the verdict is one of the three, an IGNORED reason one of the four;
 *   - an EVENT has addresses of family 4 or 6, the same for SRC and DST
 *     (unless one was IPv4-mapped: then v4_mapped), a chain, and every span
 *     inside the line (or, for journalctl json/export records whose message
 *     was decoded, inside the input's journal buffer);
 *   - a MALFORMED has a reason, a column in 1..len+1 and its bytes inside
 *     the line;
 *   - parsing the same line again gives the same verdict.
 *
 * Run: make build-fuzz/fuzz-parse && fuzz/run.sh 60 build-fuzz/fuzz-parse
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "match/ipopts.h"
#include "parse/parse.h"
#include "util/span.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_REF_SEC 1795611600 /* 2026-11-25T13:00:00Z: a fixed "now" */

#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

static bool inside(struct span s, const char *buf, size_t len)
{
	uintptr_t p = (uintptr_t)s.p, b = (uintptr_t)buf;

	if (s.len == 0)
		return true;
	return p >= b && s.len <= len && p - b <= len - s.len;
}

static const struct parse_journal *fuzz_journal;

/* inside the line, or inside the input's journal buffers (decoded json or
 * export messages) */
static bool inside_j(struct span s, const char *buf, size_t len)
{
	return inside(s, buf, len) ||
	       (fuzz_journal && inside(s, (const char *)fuzz_journal, sizeof(*fuzz_journal)));
}

static void check_event(const struct event *e, const char *buf, size_t len)
{
	check(e->src.family == ADDR_V4 || e->src.family == ADDR_V6);
	check(e->dst.family == e->src.family || e->v4_mapped); /* ::ffff:a.b.c.d is IPv4 */
	check(e->chain == CHAIN_INPUT || e->chain == CHAIN_OUTPUT || e->chain == CHAIN_FORWARD);
	check(e->time.kind <= VTIME_UPTIME);
	check(e->time.usec < 1000000);
	check(e->tcp_opts.count <= EVENT_TCPOPT_MAX);
	check(inside_j(e->host, buf, len));
	check(inside_j(e->prefix, buf, len));
	check(inside_j(e->in, buf, len));
	check(inside_j(e->out, buf, len));
	check(inside_j(e->physin, buf, len));
	check(inside_j(e->physout, buf, len));
	check(inside_j(e->mac, buf, len));
	check(inside_j(e->v6_ext, buf, len));
	check(e->ip_opt_len <= EVENT_OPT_MAX && e->tcp_opt_len <= EVENT_OPT_MAX);
	check(!event_is_v6(e) || (!e->ip_opt_len && !e->ip_opt_bad));
	check(event_is_v6(e) || !e->v6_ext.len);
}

static enum parse_verdict check_line(struct parse_input *c, const char *buf, size_t len)
{
	struct event ev;
	enum parse_ignore why = PARSE_IGN_BLANK;
	struct parse_error err = {0};
	enum parse_verdict v;

	memset(&ev, 0, sizeof(ev));
	fuzz_journal = &c->journal;
	v = parse_line(c, span_make(buf, len), &ev, &why, &err);
	switch (v) {
	case PARSE_EVENT:
		check_event(&ev, buf, len);
		break;
	case PARSE_IGNORED:
		check((unsigned)why < PARSE_IGN_COUNT);
		break;
	case PARSE_MALFORMED:
		check(err.reason != NULL && err.reason[0] != '\0');
		check(err.column >= 1 && err.column <= len + 1);
		check(inside_j(err.got, buf, len));
		break;
	default:
		check(0);
	}
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct parse_input *in = malloc(sizeof(*in)), *again = malloc(sizeof(*in));
	struct tcp_opts opts;

	if (!in || !again) {
		free(in);
		free(again);
		return 0;
	}
	parse_input_init(in, FUZZ_REF_SEC);
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = malloc(n ? n : 1);

		if (!line)
			break;
		memcpy(line, p, n);
		/* the same line, same state: the same verdict */
		memcpy(again, in, sizeof(*in));
		enum parse_verdict v = check_line(in, line, n);
		check(check_line(again, line, n) == v);
		free(line);
		if (!nl)
			break;
		p = nl + 1;
	}
	free(in);
	free(again);

	char *hex = malloc(size ? size : 1);
	if (!hex)
		return 0;
	memcpy(hex, data, size);
	memset(&opts, 0, sizeof(opts));
	if (parse_tcp_options(span_make(hex, size), &opts) == 0)
		check(opts.count <= EVENT_TCPOPT_MAX);
	free(hex);
	/* the same bytes as raw options (what NFLOG hands over) */
	uint8_t *raw = malloc(size ? size : 1);
	if (!raw)
		return 0;
	memcpy(raw, data, size);
	event_tcp_opts_decode(raw, size, &opts);
	check(opts.count <= EVENT_TCPOPT_MAX);
	(void)ipopts_decode(raw, size, NULL);
	free(raw);
	return 0;
}
