/* SPDX-License-Identifier: GPL-2.0-or-later */
/* journal.h - journalctl -o json and -o export records, read line by line.
 *
 * Only the fields that say who wrote a record and when are read: MESSAGE,
 * _TRANSPORT, SYSLOG_FACILITY, __REALTIME_TIMESTAMP, _HOSTNAME. Fields whose
 * name starts with '_' are set by journald itself, never by the client
 * (systemd.journal-fields(7)); the kernel's records are those with
 * _TRANSPORT=kernel, and of those only facility 0 (a root process writing to
 * /dev/kmsg gets facility user). Formats: systemd's JSON and Journal Export
 * Format documents (a binary field is "NAME\n", a little-endian 64-bit size,
 * the bytes, "\n"; a blank line ends an entry).
 */
#ifndef VIGIL_JOURNAL_H
#define VIGIL_JOURNAL_H

#include "parse/parse.h"
#include "util/span.h"

struct journal_record {
	struct span msg, host;  /* into the line or into the state's buffers */
	int64_t realtime_us;    /* -1: none */
	bool kernel;            /* _TRANSPORT=kernel and facility kern (or none given) */
	bool has_msg;
};

enum journal_verdict {
	JOURNAL_RECORD,  /* a whole record is in *ret */
	JOURNAL_PART,    /* the line belongs to a record that continues */
	JOURNAL_BAD,     /* not what journalctl writes: *ret_reason says what */
};

/* One "-o json" line (an object). */
enum journal_verdict journal_json(struct parse_journal *j, struct span line,
				  struct journal_record *ret, const char **ret_reason,
				  size_t *ret_col);

/* One line of "-o export". Call with every raw line (before any '\r' or
 * blank-line handling): binary fields may hold any byte. */
enum journal_verdict journal_export(struct parse_journal *j, struct span line,
				    struct journal_record *ret, const char **ret_reason);

void journal_reset(struct parse_journal *j);

#endif
