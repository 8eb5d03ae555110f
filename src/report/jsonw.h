/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jsonw.h - a tiny streaming JSON writer over a FILE.
 *
 * Writes compact RFC 8259 JSON as it goes, through the fixed buffer of a
 * struct outbuf (outbuf.h) handed to fwrite() whenever it fills and by
 * jsonw_finish(): a value of any size (a 65536-port list) costs no memory,
 * and a report makes one stdio call per 64 KiB, not one per token. Until
 * jsonw_finish() the FILE lags behind: do not write to it in between.
 * The writer places commas and colons itself and checks the nesting: a key
 * outside an object, a value without its key, a close that does not match,
 * or nesting deeper than JSONW_DEPTH_MAX makes it stop writing, and
 * jsonw_finish() then returns -EINVAL.
 *
 * Strings are bytes, not trusted to be UTF-8: '"' and '\' are escaped, and
 * every control byte, DEL and byte >= 0x80 is written as \u00XX (so byte
 * 0xff reads back as U+00FF: lossless, and never invalid UTF-8).
 */
#ifndef VIGIL_JSONW_H
#define VIGIL_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/outbuf.h"

#define JSONW_DEPTH_MAX 32

struct jsonw {
	int err;          /* first misuse (-EINVAL); sticky */
	uint8_t depth;    /* open containers */
	bool in_str;      /* between jsonw_str_begin() and jsonw_str_end() */
	bool have_key;    /* an object key was written; its value comes next */
	bool done;        /* the top-level value is complete */
	uint32_t is_obj;  /* bit d: container d is an object (else an array) */
	uint32_t members; /* bit d: container d has a member already */
	struct outbuf out;
};

void jsonw_init(struct jsonw *w, FILE *f);
/* Hands the buffer to stdio (always, even after misuse), then: 0 when
 * exactly one complete value was written and stdio saw no error; -EINVAL on
 * misuse or an unfinished value, -EIO on a write error. The caller still
 * fflush()es the FILE. */
int jsonw_finish(struct jsonw *w);

void jsonw_obj_begin(struct jsonw *w);
void jsonw_obj_end(struct jsonw *w);
void jsonw_arr_begin(struct jsonw *w);
void jsonw_arr_end(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);

void jsonw_str(struct jsonw *w, const char *s);
void jsonw_strn(struct jsonw *w, const char *p, size_t len);
void jsonw_u64(struct jsonw *w, uint64_t v);
void jsonw_int(struct jsonw *w, long long v);
void jsonw_null(struct jsonw *w);
void jsonw_bool(struct jsonw *w, bool v);

/* One string value written in pieces (escaped like jsonw_strn). */
void jsonw_str_begin(struct jsonw *w);
void jsonw_str_add(struct jsonw *w, const char *p, size_t len);
void jsonw_str_end(struct jsonw *w);

/* Shorthands for an object member. */
void jsonw_key_str(struct jsonw *w, const char *key, const char *s);
void jsonw_key_u64(struct jsonw *w, const char *key, uint64_t v);

#endif
