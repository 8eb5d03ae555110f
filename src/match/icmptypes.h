/* SPDX-License-Identifier: GPL-2.0-or-later */
/* icmptypes.h - valid ICMP / ICMPv6 type and code combinations.
 *
 * Loaded from a file in psad's icmp_types / icmp6_types format (psad's own
 * files load unchanged; vigil ships etc/icmp_types and etc/icmp6_types):
 *
 *   8   Echo            a type line: the number starts in column 0
 *       0   No Code     a code line: indented; the name is optional
 *
 * '#' lines (after optional blanks) and blank lines are comments. As in psad
 * (psad-behaviour.md 3.3):
 *  - a type whose name contains "unassigned" (any case) is not a valid type,
 *    and the code lines under it are ignored;
 *  - a type listed with no code lines is a known type (it has a name for
 *    reports) whose every code is invalid: psad reports such packets as
 *    "Invalid ICMP code"; vigil keeps that verdict (ICMP_BAD_CODE);
 *  - a code line whose name contains "unassigned" is ignored;
 *  - a type listed twice keeps the codes of both and the last name.
 * Lines psad skips silently but vigil reports as errors (and skips): a code
 * line before any type, a number above 255, junk after the number, a NUL
 * byte, a line longer than ICMP_TYPES_LINE_MAX.
 *
 * The loaded table is read-only: 256 x 256 bits of valid codes, one bit per
 * known type and a fixed-size escaped name per type. No allocation after
 * load; icmp_types_check() is two array loads.
 */
#ifndef VIGIL_ICMPTYPES_H
#define VIGIL_ICMPTYPES_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

#define ICMP_TYPES_LINE_MAX 1024 /* bytes in one line, without '\n' */
#define ICMP_TYPES_NAME_MAX 80   /* bytes of a stored (escaped) name, with the NUL */

struct icmp_types; /* opaque */

/* Parse buf (len bytes, need not be NUL-terminated); name is used in
 * diagnostics (d->file). Returns 0, -EINVAL when at least one line was bad
 * (each reported as CONFIG_ERROR with its line number and an escaped
 * excerpt, then skipped; the good lines are kept and *ret is set), or
 * -ENOMEM (*ret untouched). diag may be NULL. */
int icmp_types_load_buf(const char *name, const char *buf, size_t len, config_diag_fn *diag,
			void *data, struct icmp_types **ret);

/* NULL-safe; returns NULL. */
struct icmp_types *icmp_types_free(struct icmp_types *t);

enum icmp_verdict { ICMP_VALID = 0, ICMP_BAD_TYPE, ICMP_BAD_CODE };

enum icmp_verdict icmp_types_check(const struct icmp_types *t, uint8_t type, uint8_t code);

/* Name of a valid type ("Echo"), escaped and safe to print; "" when the
 * file gave none; NULL when the type is not valid. Lives as long as t. */
const char *icmp_types_name(const struct icmp_types *t, uint8_t type);

#endif
