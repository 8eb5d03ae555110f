/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse-shim.h - TEMPORARY: parse_message() until it lands in parse/parse.h.
 *
 * Issue 10 gives parse_message() and struct record_meta to parse/ (helper
 * H1), which also renames parse/nflog.* to parse/record.*. Until that is
 * merged, this stand-in lets ingest build and be tested. Once
 * parse/record.h exists this header compiles to nothing; the integrator
 * deletes it and its #include lines (ingest.c, ingest-test.c).
 */
#ifndef VIGIL_INGEST_PARSE_SHIM_H
#define VIGIL_INGEST_PARSE_SHIM_H

#include "parse/parse.h"

#if !__has_include("parse/record.h")
#include <stdbool.h>
#include <string.h>

#include "parse/nflog.h"

struct record_meta {
	int facility;      /* -1 unknown */
	bool kernel;       /* trusted transport says kernel */
	struct vtime time;
	struct span host;
};

/* msg is the kernel's message alone. Not kernel, or a facility other than
 * kern (0): PARSE_IGNORED / PARSE_IGN_NOT_KERNEL. No wrapper detection. */
static inline enum parse_verdict parse_message(const struct record_meta *meta, struct span msg,
					       struct event *ret_ev, enum parse_ignore *ret_ign,
					       struct parse_error *reterr)
{
	struct event ev;
	long at = nflog_find_record(msg);

	if (at < 0) {
		*ret_ign = PARSE_IGN_NOT_FIREWALL;
		return PARSE_IGNORED;
	}
	if (!meta->kernel || (meta->facility >= 0 && meta->facility != 0)) {
		*ret_ign = PARSE_IGN_NOT_KERNEL;
		return PARSE_IGNORED;
	}
	const char *nul = memchr(msg.p, '\0', msg.len);
	size_t bad = nul ? (size_t)(nul - msg.p) : span_utf8_invalid_at(msg);
	if (bad < msg.len) {
		reterr->column = bad + 1;
		reterr->reason = nul ? "NUL byte in line" : "invalid UTF-8 in line";
		reterr->got = span_make(msg.p + bad, 1);
		return PARSE_MALFORMED;
	}
	memset(&ev, 0, sizeof(ev));
	ev.time = meta->time;
	ev.host = meta->host;
	ev.prefix = span_make(msg.p, (size_t)at);
	span_trim(&ev.prefix);
	enum parse_verdict v = nflog_parse(span_make(msg.p + at, msg.len - (size_t)at), msg.p, &ev,
					   ret_ign, reterr);
	if (v == PARSE_EVENT)
		*ret_ev = ev;
	return v;
}
#endif

#endif
