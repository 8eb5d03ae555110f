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

#endif
