/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.h - one log line in, one verdict (and maybe an event) out.
 *
 * parse_line() recognises the wrapper (RFC 3164/5424 syslog, rsyslog RFC 3339,
 * journalctl short* and -o json/export, busybox and OpenWrt logread, DShield,
 * dmesg raw and -T, /dev/kmsg records, ulogd LOGEMU) on every line, then reads
 * the kernel's nf_log fields into a struct event on the caller's stack. It
 * never allocates and never reads past the span. A line is exactly one of: an
 * event, ignored (not a kernel firewall record), or malformed (a firewall
 * record that does not parse: reterr says where and what was expected).
 *
 * Whether a line may lack a program tag is a property of the whole input,
 * not of the line: the input's first recognisable lines fix its format
 * (struct parse_input), and a line that breaks it is ignored.
 */
#ifndef VIGIL_PARSE_H
#define VIGIL_PARSE_H

#include <stdint.h>

#include "event/event.h"
#include "util/span.h"

enum parse_verdict {
	PARSE_EVENT,
	PARSE_IGNORED,
	PARSE_MALFORMED,
};

enum parse_ignore {
	PARSE_IGN_BLANK,        /* empty or whitespace */
	PARSE_IGN_NOT_FIREWALL, /* no nf_log record in it */
	PARSE_IGN_NOT_KERNEL,   /* the wrapper names another program (or a user kmsg facility) */
	PARSE_IGN_NOT_IP,       /* nf_log record of a non-IP family (ARP, ...) */
	PARSE_IGN_NO_TAG,       /* syslog line with no valid tag: none, empty, space-led, no ':' */
	PARSE_IGN_UNKNOWN_ENVELOPE, /* a record in no envelope vigil recognises */
	PARSE_IGN_OFF_FORMAT,   /* an envelope other than the one the input's first lines fixed */
	PARSE_IGN_RECORD_PART,  /* a line inside a multi-line record (journalctl -o export) */
	PARSE_IGN_COUNT
};

/* The format of one input, fixed by its first recognisable lines. */
enum parse_format {
	PARSE_FMT_UNKNOWN,
	PARSE_FMT_SYSLOG,  /* time [host] TAG: (every syslog daemon, journalctl short*) */
	PARSE_FMT_LOGEMU,  /* ulogd LOGEMU: time host record, no tag */
	PARSE_FMT_DMESG,   /* dmesg, -r, -T: [time] message, no host, no tag */
	PARSE_FMT_KMSG,    /* /dev/kmsg: PRI,SEQ,USEC,FLAGS;message */
	PARSE_FMT_JSON,    /* journalctl -o json: one object per line */
	PARSE_FMT_EXPORT,  /* journalctl -o export: KEY=value lines, blank line ends a record */
	PARSE_FMT_BARE,    /* the message alone (dmesg -t, journalctl -k -o cat): only
			    * when the user says so (--format bare), never found */
};

struct parse_error {
	size_t column;      /* 1-based byte column of the offending token */
	const char *reason; /* static text: "expected IPv4 address after SRC=" */
	struct span got;    /* the offending bytes (print escaped, bounded) */
};

/* Year inference for timestamps without a year (RFC 3164, journalctl short):
 * the year that makes the time not later than ref_sec (+1 day of slack for
 * zones), so December lines read in January get last year. ref_sec is the
 * newest time known: the file's mtime (or now, for stdin), raised by every
 * line that carries its year. Also caches the last date to keep the hot path
 * free of calendar arithmetic. */
struct parse_clock {
	int64_t ref_sec; /* in the same "wall seconds" as struct vtime */
	int cache_mon, cache_day;
	int64_t cache_days[2]; /* that date in the reference year, in the latest year
				* before it where it exists (Feb 29) */
};

/* journalctl -o json/export: a record's message when it is not a plain span
 * of the line (escaped, byte array, several lines), and the export reader's
 * state between lines. The kernel's records are shorter than 1 KiB. */
#define PARSE_JOURNAL_MSG_MAX 2048
struct parse_journal {
	char msg[PARSE_JOURNAL_MSG_MAX];
	char host[256];
	size_t msg_len, host_len;
	int64_t realtime_us; /* -1: none */
	int facility;        /* -1: none */
	bool kernel_transport, has_msg, bad;
	/* export: a binary field in progress (its size, then its bytes) */
	uint64_t bin_left, bin_size;
	uint8_t bin_phase, bin_have;
	bool bin_msg; /* that field is MESSAGE */
	bool in_record;
	unsigned seen; /* fields met in this entry */
};

/* Records a tentative LOGEMU format waits for before it holds (a user can
 * write LOGEMU-shaped lines into a syslog file). */
#define PARSE_LOGEMU_CONFIRM 32

/* Per-input state: the clock, the format its first lines fixed, and what
 * the last event stands for. Initialise one per file or stream.
 *
 * LOGEMU is the one format a user can fake from the outside (any line a
 * syslog daemon writes without a tag looks like it), so it is tentative
 * until PARSE_LOGEMU_CONFIRM records agree, and a line ulogd never writes
 * (a kernel tag, a PID, a facility, a non-record) turns the input into a
 * syslog file at any time. While tentative, an event comes back with hold
 * set: the caller keeps a copy of the line and parses it again (parse_line,
 * same state) once a later call sets settled, or at the end after
 * parse_input_settle(); it then reads as the settled format says. */
struct parse_input {
	struct parse_clock clock;
	enum parse_format format;
	bool forced;          /* format given by the user: never changes */
	bool tentative;       /* LOGEMU from the first record, not yet sure */
	uint32_t tentative_left;
	bool held;            /* events were held since the format became tentative */
	bool hold;            /* out: hold this event (see above) */
	bool settled;         /* out: the format is sure now: parse the held lines again */
	/* Records the last PARSE_EVENT stands for: rsyslog's "message repeated N
	 * times: [MSG]" is N records (>= 1; 1 for every other line). */
	uint32_t repeat;
	struct parse_journal journal;
};

void parse_clock_init(struct parse_clock *c, int64_t ref_sec);
/* A live source's clock: the reference follows the calendar, so a daemon
 * started on 30 Dec dates a "Jan  2" line of the new year in the new year.
 * now_wall_sec is now in the clock's own reckoning (the log's zone read as
 * UTC, like ref_sec: time() plus the local zone's UTC offset). Never moves
 * the reference back; cheap enough to call before every read. */
void parse_clock_advance(struct parse_clock *c, int64_t now_wall_sec);
void parse_input_init(struct parse_input *in, int64_t ref_sec);
/* Forget the format (keep the clock): the next line starts a new input. */
void parse_input_new_format(struct parse_input *in);
/* The user's --format (PARSE_FMT_UNKNOWN: find it). */
void parse_input_force_format(struct parse_input *in, enum parse_format f);
/* End of input: a tentative format holds; sets settled if lines were held. */
void parse_input_settle(struct parse_input *in);

enum parse_verdict parse_line(struct parse_input *in, struct span line, struct event *ret_ev,
			      enum parse_ignore *ret_why, struct parse_error *reterr);

/* What a trusted transport says about a record it delivered with its
 * envelope already read (/dev/kmsg's PRI and timestamp, the journal's
 * _TRANSPORT, SYSLOG_FACILITY and __REALTIME_TIMESTAMP): not the text's
 * word, which anyone who can write to the log controls. */
struct record_meta {
	int facility;      /* -1 unknown */
	bool kernel;       /* the trusted transport says kernel */
	struct vtime time; /* into the event as it is (kind VTIME_NONE: none) */
	struct span host;  /* into the event; valid during the call */
};

/* msg is the kernel's message alone (kmsg, journal MESSAGE): no wrapper
 * detection, no format, no clock. A message with no record in it:
 * PARSE_IGNORED / PARSE_IGN_NOT_FIREWALL (first, as parse_line() says it).
 * Not kernel, or a facility other than kern (0): PARSE_IGNORED /
 * PARSE_IGN_NOT_KERNEL. Else as parse_line() reads a record: NUL and invalid
 * UTF-8 are malformed, columns count from msg.p. The event's time and host
 * are meta's, its origin 0 (the source sets it). */
enum parse_verdict parse_message(const struct record_meta *meta, struct span msg,
				 struct event *ret_ev, enum parse_ignore *ret_ign,
				 struct parse_error *reterr);

/* An export entry was begun and not ended (input cut off): not read. */
bool parse_input_pending(const struct parse_input *in);

/* "auto", "syslog", "logemu", "dmesg", "kmsg", "json", "export", "bare" -> the
 * format (auto: PARSE_FMT_UNKNOWN, found from the input). -1 if unknown. */
int parse_format_from_name(const char *name, enum parse_format *ret);

/* Name of an ignore reason as the JSON report writes it ("not_kernel"). */
const char *parse_ignore_name(enum parse_ignore why);

/* The hex of an "OPT (...)" field (two digits a byte, either case) -> at
 * most max bytes at ret: their number, or -EINVAL (odd count, not hex,
 * more than max bytes). The LOG parser decodes options with it, once. */
int parse_opt_hex(struct span hex, uint8_t *ret, size_t max);

/* Decode the hex of a TCP "OPT (...)" field: parse_opt_hex() (at most
 * EVENT_OPT_MAX bytes), then event_tcp_opts_decode(). 0 or -EINVAL. */
int parse_tcp_options(struct span hex, struct tcp_opts *ret);

#endif
