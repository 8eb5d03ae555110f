/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sanitize.h - make DNS and whois text safe for a mail or a log.
 *
 * Reverse DNS names and whois answers are written by whoever controls the
 * address being looked up: an attacker. Before they reach a mail or a log
 * they are reduced to printable ASCII: every other byte, and '\', becomes
 * \xNN (util/escape.h), so no newline, escape sequence or syslog header
 * ("\n<13>vigil: fake") survives, and the result is length-capped.
 */
#ifndef VIGIL_ALERT_SANITIZE_H
#define VIGIL_ALERT_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

#define SANITIZE_NAME_MAX 300       /* a host name as shown (escaped, cut) */
#define SANITIZE_TEXT_MAX 8192      /* whois text as shown */
#define SANITIZE_LINE_MAX 200       /* one whois line (escaped) */
#define SANITIZE_LINES_MAX 120      /* whois lines kept */

/* A host name: copied when it is a valid DNS name (letters, digits, '-',
 * '_', '.', at most 253 bytes), else escaped. Returns true when valid. */
bool sanitize_name(const char *in, size_t len, char *out, size_t size);

/* Multi-line text: lines split at '\n' (a '\r' before it dropped), each
 * escaped and cut at SANITIZE_LINE_MAX, at most SANITIZE_LINES_MAX lines,
 * each written as indent + line + '\n'. Returns the length written. */
size_t sanitize_text(const char *in, size_t len, const char *indent, char *out, size_t size);

#endif
