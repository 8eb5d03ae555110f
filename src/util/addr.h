/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addr.h - IPv4/IPv6 addresses as fixed-size values.
 *
 * An address is 17 bytes of plain value (family + 16 bytes, IPv4 in the first
 * four, the rest zero) so it can be copied, compared with memcmp and hashed.
 * Parsing is strict (no leading zeros tricks beyond what the kernel prints,
 * no trailing junk); formatting is RFC 5952 for IPv6.
 */
#ifndef VIGIL_ADDR_H
#define VIGIL_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/span.h"

enum { ADDR_V4 = 4, ADDR_V6 = 6 };
#define ADDR_STR_MAX 46 /* INET6_ADDRSTRLEN */
#define NET_STR_MAX (ADDR_STR_MAX + 4)

struct addr {
	uint8_t family; /* 0 = unset, ADDR_V4, ADDR_V6 */
	uint8_t b[16];
};

struct net {
	struct addr a; /* host bits cleared */
	uint8_t len;   /* prefix length: 0..32 or 0..128 */
};

int addr_parse_v4(struct span s, struct addr *ret);
/* Any textual IPv6 form: full (kernel %pI6), compressed, with embedded IPv4. */
int addr_parse_v6(struct span s, struct addr *ret);
/* v4 or v6, chosen by the presence of ':'. */
int addr_parse(struct span s, struct addr *ret);
/* Writes a NUL-terminated string (RFC 5952 for IPv6); returns its length. */
int addr_format(const struct addr *a, char buf[ADDR_STR_MAX]);
bool addr_eq(const struct addr *x, const struct addr *y);
uint64_t addr_hash(const struct addr *a, uint64_t seed);
/* Total order: family, then bytes. */
int addr_cmp(const struct addr *x, const struct addr *y);

/* "ADDR", "ADDR/LEN", or IPv4 "ADDR/DOTTED.MASK" (contiguous masks only). */
int net_parse(struct span s, struct net *ret);
/* Inline and branch-light: signature rules and auto_dl test it per packet.
 * Both halves of the 16 address bytes are compared under the prefix mask
 * (an IPv4 address fills the first 4 bytes, the rest are zero). */
static inline uint64_t addr_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v)); /* one load */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline bool net_contains(const struct net *n, const struct addr *a)
{
	unsigned len = n->len > 128 ? 128 : n->len;
	uint64_t hi = len >= 64 ? ~UINT64_C(0) : len ? ~UINT64_C(0) << (64 - len) : 0;
	uint64_t lo = len <= 64 ? 0 : len >= 128 ? ~UINT64_C(0) : ~UINT64_C(0) << (128 - len);

	return a->family == n->a.family &&
	       ((addr_be64(a->b) ^ addr_be64(n->a.b)) & hi) == 0 &&
	       ((addr_be64(a->b + 8) ^ addr_be64(n->a.b + 8)) & lo) == 0;
}
int net_format(const struct net *n, char buf[NET_STR_MAX]);

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is IPv4: rewrite a as such.
 * Returns true when a was rewritten. */
static inline bool addr_unmap_v4(struct addr *a)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (a->family != ADDR_V6 || memcmp(a->b, pfx, sizeof(pfx)) != 0)
		return false;
	a->family = ADDR_V4;
	memmove(a->b, a->b + 12, 4);
	memset(a->b + 4, 0, 12);
	return true;
}

#endif
