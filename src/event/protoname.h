/* SPDX-License-Identifier: GPL-2.0-or-later */
/* protoname.h - IP protocol numbers by their IANA keyword.
 *
 * The names are IANA's "Protocol Numbers" registry keywords in lower case
 * (as /etc/protocols writes them: "tcp", "udp", "ipv6-icmp", "gre", ...),
 * kept in a table here so that reports do not depend on netbase being
 * installed. A keyword with a space takes a '-' ("mobility-header"), and
 * 124 ("ISIS over IPv4") is "isis", as netbase has them. A number the
 * registry does not assign a keyword to (61, 63, 68, 99, 114, 146-255) is
 * written as its decimal digits by proto_name_or_num().
 */
#ifndef VIGIL_PROTONAME_H
#define VIGIL_PROTONAME_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_NAME_MAX 24 /* the longest keyword ("rsvp-e2e-ignore") + NUL, and a number's digits */

/* The keyword of protocol number proto, or NULL when IANA assigns none. */
const char *proto_name(uint8_t proto);

/* The keyword, else the decimal number written into buf ("253"). */
const char *proto_name_or_num(uint8_t proto, char buf[PROTO_NAME_MAX]);

/* The number of a protocol by its keyword (any case, e.g. for a --proto
 * option: "tcp", "ipv6-icmp", "GRE") or by its decimal number ("47",
 * "253"); -1 when it is neither. len: the name's bytes (no NUL needed). */
int proto_by_name(const char *name, size_t len);

#endif
