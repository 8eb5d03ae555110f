/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape.h - make untrusted bytes safe to print.
 *
 * Log lines, DNS and whois text are attacker-controlled: before they reach a
 * terminal, syslog, mail or JSON, every byte outside printable ASCII, and the
 * backslash itself, is written as \xNN. The output is always NUL-terminated
 * and never longer than outsize - 1; a cut is marked with "...".
 */
#ifndef VIGIL_ESCAPE_H
#define VIGIL_ESCAPE_H

#include <stddef.h>

/* Returns the number of bytes written (excluding the NUL). */
size_t escape_bytes(const char *p, size_t len, char *out, size_t outsize);

/* A NUL-terminated string (a file name, an argument) escaped into out;
 * returns out, for use as a printf argument. */
const char *escape_str(const char *s, char *out, size_t outsize);

/* Size for escape_str() of a path: long enough that real paths are not cut. */
#define ESCAPE_PATH_MAX 1024

#endif
