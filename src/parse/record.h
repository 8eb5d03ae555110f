/* SPDX-License-Identifier: GPL-2.0-or-later */
/* record.h - the kernel's netfilter log record ("PREFIX IN=... OUT=... SRC=...").
 *
 * Reads the fields nf_log_syslog.c prints, for IPv4 and IPv6, into a struct
 * event. Keyed, not positional: the kernel's order is expected but not
 * required, unknown words are skipped (newer kernels add fields), known keys
 * are validated strictly.
 */
#ifndef VIGIL_RECORD_H
#define VIGIL_RECORD_H

#include "event/event.h"
#include "parse/parse.h"
#include "util/span.h"

/* Offset of the record's "IN=" in msg, or -1 when msg holds no record. */
long record_find(struct span msg);

/* Parse msg from the record start (rec = msg + record_find()).
 * Returns PARSE_EVENT, PARSE_IGNORED (why = PARSE_IGN_NOT_IP) or
 * PARSE_MALFORMED (err filled; err->column relative to line_start). */
enum parse_verdict record_parse(struct span rec, const char *line_start, struct event *ev,
				enum parse_ignore *why, struct parse_error *err);

#endif
