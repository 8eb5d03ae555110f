/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keys.h - internals of the config stage, shared by config.c, keys.c and autodl.c.
 *
 * - The statement reader for psad's grammar (one `... ;` statement per line,
 *   '#' comment lines, text after the first ';' ignored), which also rejects
 *   hostile bytes: lines over CONF_LINE_MAX, NUL, control bytes, bad UTF-8.
 * - conf_report(): every diagnostic goes through it (printf-checked; the
 *   caller escapes user bytes with conf_esc() and quotes them in '...').
 * - A bounded text builder, the protocol name table, and the table of the
 *   keys vigil reads (keys.c): each key parses its value atomically (the
 *   config is written only when the whole value is valid) and formats it
 *   back in the same grammar, so that a dump loads to the same config.
 *
 * Not a public interface: nothing outside src/config/ includes this file.
 */
#ifndef VIGIL_CONFIG_KEYS_H
#define VIGIL_CONFIG_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "util/span.h"

#define CONF_LINE_MAX 4096         /* bytes in one line (without '\n'); also a value after $ expansion */
#define CONF_EXPAND_PASSES 20      /* psad's limit on $VAR resolution passes */
#define CONF_FILE_MAX (1u << 20)   /* a config file */
#define CONF_ESC_MAX 96            /* an escaped user value quoted in a message */

/* A buffer being read statement by statement; counts the errors it reports. */
struct conf_src {
	const char *name;  /* file name for diagnostics */
	struct span rest;  /* bytes not read yet */
	unsigned lineno;   /* line of the last statement returned */
	unsigned n_errors; /* CONFIG_ERRORs reported so far */
	config_diag_fn *diag;
	void *data;
};

void conf_src_init(struct conf_src *src, const char *name, const char *buf, size_t len,
		   config_diag_fn *diag, void *data);

/* Next statement: the text before ';' of the next line that is neither blank
 * nor a comment, trimmed and checked. Bad lines are reported and skipped.
 * Returns false at the end of the buffer. */
bool conf_next_stmt(struct conf_src *src, struct span *ret_stmt);

/* Report at line (0 = the whole file); counts CONFIG_ERRORs. */
void conf_report(struct conf_src *src, enum config_severity sev, unsigned line,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Escape s for a message (cut with "..." past CONF_ESC_MAX). Returns buf. */
const char *conf_esc(struct span s, char buf[CONF_ESC_MAX]);

/* Read a whole regular file of at most max bytes into a malloc'd buffer.
 * -ENOENT and other -errno from open/read are returned silently (the caller
 * logs them); "not a regular file" and "file too large" are also reported
 * through diag as CONFIG_ERROR at line 0. */
int conf_read_file(const char *path, size_t max, config_diag_fn *diag, void *data,
		   char **ret_buf, size_t *ret_len);

/* Next item of a comma-separated list, trimmed. Empty items are returned
 * (callers reject them); rest->p == NULL marks the end. */
bool conf_list_next(struct span *rest, struct span *ret);

/* Bounded text: p is always NUL-terminated; what does not fit sets overflow. */
struct conf_text {
	char *p;
	size_t size, len;
	bool overflow;
};
void conf_text_init(struct conf_text *t, char *buf, size_t size);
void conf_text_put(struct conf_text *t, const char *s, size_t n);
void conf_text_puts(struct conf_text *t, const char *s);
void conf_text_printf(struct conf_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Protocol by name (tcp, udp, udplite, icmp, icmp6/icmpv6/ipv6-icmp, esp, ah,
 * gre, igmp, sctp, ... case-insensitive, as in psad's protocols file) or
 * number 0-255. -EINVAL otherwise. */
int conf_proto_parse(struct span s, uint8_t *ret);
/* Canonical lower-case name, or NULL when the number has none. */
const char *conf_proto_name(uint8_t proto);

/* --- The keys vigil reads (keys.c) --- */

struct key;

/* A value to set: trimmed, surrounding quotes stripped (quoted says so),
 * $VARs expanded. append: FW_MSG_SEARCH seen earlier in this file. */
struct key_val {
	struct span s;
	bool quoted;
	bool append;
};

/* Parse and store; on failure write a reason (without the value), leave
 * cfg untouched and return -EINVAL. Returns 1 when the value was stored but
 * cannot be honoured in full (IGNORE_LOG_PREFIXES): reason is a warning. */
typedef int key_set_fn(const struct key *k, struct config *cfg, struct key_val v,
		       char *reason, size_t reason_size);
/* The value in the file's grammar, lists joined with ", ". */
typedef void key_fmt_fn(const struct key *k, const struct config *cfg, struct conf_text *out);

enum {
	KEY_REPEATABLE = 1 << 0, /* FW_MSG_SEARCH: every line adds, dumped one line each */
	KEY_OPTIONAL = 1 << 1,   /* MIN_DANGER_LEVEL: setting it sets min_danger_level_set;
				  * dumped commented out unless that is set */
};

struct key {
	const char *name;
	const char *alias;   /* psad's name for the same setting (SIGS_FILE), or NULL */
	key_set_fn *set;
	key_fmt_fn *fmt;
	size_t off;          /* the field in struct config */
	size_t off_n;        /* lists: the count field */
	size_t size;         /* strings: buffer size */
	uint32_t min, max;   /* numbers */
	const char *none;    /* lists: the word for an empty list ("NONE", "any") */
	unsigned flags;
};

extern const struct key conf_keys[];
extern const size_t conf_n_keys;

/* By name or alias (exact, case-sensitive as in psad), or NULL. */
const struct key *conf_key_find(struct span name);
/* A key of psad.conf (psad 2.x/3.0) that vigil does not read. */
bool conf_key_is_psad(struct span name);
/* For a psad key vigil does not read: what psad does with this value that
 * vigil does not (a static sentence), when it changes what is detected,
 * scored or read; NULL when the key only shapes psad's own mails, files or
 * process (vigil then notes the key instead of warning). */
const char *conf_psad_key_effect(struct span name, struct span value);

#endif
