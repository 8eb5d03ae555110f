/* SPDX-License-Identifier: GPL-2.0-or-later */
/* icmptypes.c - ICMP / ICMPv6 type and code tables (see icmptypes.h).
 *
 * psad reads these files with two regexes (psad 2.4.6, import_icmp_types):
 * /^(\d+)\s+(.*)/ for a type and /^\s+(\d+)\s+(.*)/ for a code, and skips
 * everything else without a word. vigil takes the same two line shapes, so
 * a psad file means the same thing to both, including psad's own
 * icmp6_types, whose " 137  Redirect Message" is indented by one space and
 * therefore reads as code 137 of type 136 (ICMPv6 Redirect is an invalid
 * type to psad). vigil keeps that reading and says so with a warning; its
 * own etc/icmp6_types lists 137 in column 0. Lines that match neither shape
 * are errors here, not silence.
 */
#include "match/icmptypes.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/span.h"

#define EXCERPT_MAX 64 /* escaped excerpt of a bad line in a message */

struct icmp_types {
	uint64_t known[4];          /* bit per valid type */
	uint64_t codes[256][4];     /* bit per valid code of each type */
	char names[256][ICMP_TYPES_NAME_MAX];
};

enum { CUR_NONE = -1, CUR_UNASSIGNED = -2 };

struct icmp_loader {
	const char *name;
	config_diag_fn *diag;
	void *data;
	unsigned lineno;
	unsigned n_errors;
	int cur_type;      /* type the next code lines belong to, or CUR_* */
	size_t cur_indent; /* indentation of its first code line; 0 = none yet */
	struct icmp_types *t;
};

static inline bool bit_test(const uint64_t *bm, unsigned i)
{
	return bm[i >> 6] & (UINT64_C(1) << (i & 63));
}

static inline void bit_set(uint64_t *bm, unsigned i)
{
	bm[i >> 6] |= UINT64_C(1) << (i & 63);
}

__attribute__((format(printf, 3, 4)))
static void loader_report(struct icmp_loader *ld, enum config_severity sev, const char *fmt, ...)
{
	va_list ap;

	if (sev == CONFIG_ERROR)
		ld->n_errors++;
	va_start(ap, fmt);
	config_vreport(ld->diag, ld->data, sev, ld->name, ld->lineno, fmt, ap);
	va_end(ap);
}

/* Report line as bad: "<why>: '<escaped excerpt>'". */
static void loader_bad_line(struct icmp_loader *ld, struct span line, const char *why)
{
	char ex[EXCERPT_MAX];

	escape_bytes(line.p, line.len, ex, sizeof(ex));
	loader_report(ld, CONFIG_ERROR, "%s: '%s'", why, ex);
}

/* psad tests the name with /unassigned/i: anywhere, any case. */
static bool name_is_unassigned(struct span name)
{
	static const char word[] = "unassigned";
	const size_t n = sizeof(word) - 1;

	for (size_t i = 0; i + n <= name.len; i++)
		if (span_eq_nocase(span_make(name.p + i, n), word))
			return true;
	return false;
}

static void loader_type(struct icmp_loader *ld, unsigned type, struct span name)
{
	struct icmp_types *t = ld->t;

	ld->cur_indent = 0;
	if (name_is_unassigned(name)) {
		/* psad: the type stays invalid (unless listed valid before) and
		 * the code lines under it are ignored */
		ld->cur_type = CUR_UNASSIGNED;
		return;
	}
	bit_set(t->known, type);
	escape_bytes(name.p, name.len, t->names[type], sizeof(t->names[type]));
	ld->cur_type = (int)type;
}

static void loader_code(struct icmp_loader *ld, struct span line, size_t indent, unsigned code,
			struct span name)
{
	if (ld->cur_type == CUR_NONE) {
		loader_bad_line(ld, line, "code line before any type line");
		return;
	}
	if (ld->cur_type == CUR_UNASSIGNED || name_is_unassigned(name))
		return;
	if (!ld->cur_indent) {
		ld->cur_indent = indent;
	} else if (indent < ld->cur_indent) {
		loader_report(ld, CONFIG_WARNING,
			      "indented line read as code %u of type %d, as psad does"
			      " (a type line starts in column 0)",
			      code, ld->cur_type);
	}
	bit_set(ld->t->codes[ld->cur_type], code);
}

static void loader_line(struct icmp_loader *ld, struct span line)
{
	struct span s = line, num;
	const char *nul;
	size_t indent, n = 0;
	uint8_t v;
	int r;

	if (line.len > ICMP_TYPES_LINE_MAX) {
		char why[64];
		(void)snprintf(why, sizeof(why), "line too long (%zu bytes, max %d)", line.len,
			       ICMP_TYPES_LINE_MAX);
		loader_bad_line(ld, line, why);
		return;
	}
	nul = span_chr(line, '\0');
	if (nul) {
		char why[64];
		(void)snprintf(why, sizeof(why), "NUL byte at column %zu",
			       (size_t)(nul - line.p) + 1);
		loader_bad_line(ld, line, why);
		return;
	}
	span_trim(&s);
	if (!s.len || s.p[0] == '#')
		return;
	indent = (size_t)(s.p - line.p);
	while (n < s.len && s.p[n] >= '0' && s.p[n] <= '9')
		n++;
	if (!n) {
		loader_bad_line(ld, line, "expected a type or code number");
		return;
	}
	num = span_make(s.p, n);
	span_skip(&s, n);
	if (s.len && s.p[0] != ' ' && s.p[0] != '\t') {
		loader_bad_line(ld, line, "expected a blank after the number");
		return;
	}
	r = span_to_u8(num, &v);
	if (r < 0) {
		loader_bad_line(ld, line, "number out of range 0-255");
		return;
	}
	span_trim(&s);
	if (indent == 0)
		loader_type(ld, v, s);
	else
		loader_code(ld, line, indent, v, s);
}

int icmp_types_load_buf(const char *name, const char *buf, size_t len, config_diag_fn *diag,
			void *data, struct icmp_types **ret)
{
	struct icmp_loader ld = {
		.name = name, .diag = diag, .data = data, .cur_type = CUR_NONE,
	};
	struct span rest = span_make(buf, len);

	ld.t = calloc(1, sizeof(*ld.t));
	if (!ld.t)
		return -ENOMEM;
	while (rest.len) {
		const char *nl = span_chr(rest, '\n');
		size_t n = nl ? (size_t)(nl - rest.p) : rest.len;

		ld.lineno++;
		loader_line(&ld, span_make(rest.p, n));
		span_skip(&rest, nl ? n + 1 : n);
	}
	*ret = ld.t;
	return ld.n_errors ? -EINVAL : 0;
}

struct icmp_types *icmp_types_free(struct icmp_types *t)
{
	free(t);
	return NULL;
}

enum icmp_verdict icmp_types_check(const struct icmp_types *t, uint8_t type, uint8_t code)
{
	if (!bit_test(t->known, type))
		return ICMP_BAD_TYPE;
	if (!bit_test(t->codes[type], code))
		return ICMP_BAD_CODE;
	return ICMP_VALID;
}

const char *icmp_types_name(const struct icmp_types *t, uint8_t type)
{
	return bit_test(t->known, type) ? t->names[type] : NULL;
}
