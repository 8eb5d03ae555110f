/* SPDX-License-Identifier: GPL-2.0-or-later */
/* embedded.h - the default data sets built into the binary.
 *
 * etc/signatures, etc/icmp_types, etc/icmp6_types, etc/pf.os and etc/posf
 * are compiled in (scripts/embed.sh), so that vigil needs no installed file
 * to use its defaults; a file at the configured path replaces them.
 */
#ifndef VIGIL_EMBEDDED_H
#define VIGIL_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* "signatures", "pf.os", ... */
	const char *data; /* NUL-terminated, but use len */
	size_t len;
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_n_files;

/* By name, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
