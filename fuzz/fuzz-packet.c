/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-packet.c - libFuzzer target for packet_decode() (the NFLOG source's
 * decoder of IP and transport headers) and packet_format_mac().
 *
 * The first two bytes pick the link-layer protocol (0, 0x0800, 0x86dd or
 * the bytes as given); the rest is the packet, copied to a buffer of
 * exactly its length so AddressSanitizer sees any read past the copy.
 * Invariants checked (a violation traps):
 *   - the result is 0, -EPFNOSUPPORT or -EBADMSG;
 *   - an event has addresses of family 4 or 6 (IPv6 may be mapped: then
 *     v4_mapped), ports only for TCP/UDP/UDPLITE, ICMP fields only for the
 *     family's ICMP, at most EVENT_TCPOPT_MAX options, and no more incomplete
 *     bytes than the packet had;
 *   - decoding the same bytes again gives the same event.
 *
 * Run: make build-fuzz/fuzz-packet && fuzz/run.sh 60 build-fuzz/fuzz-packet
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "source/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

static void check_event(const struct event *e, size_t len)
{
	check(e->src.family == ADDR_V4 || e->src.family == ADDR_V6);
	check(e->dst.family == e->src.family || e->v4_mapped);
	check(e->tcp_opts.count <= EVENT_TCPOPT_MAX);
	check(e->incomplete_bytes <= len);
	if (e->has_ports)
		check(e->proto == IPPROTO_NUM_TCP || e->proto == IPPROTO_NUM_UDP ||
		      e->proto == IPPROTO_NUM_UDPLITE);
	if (e->has_icmp)
		check(event_is_icmp(e));
	if (e->has_icmp_echo)
		check(e->has_icmp);
	if (e->has_seq)
		check(e->proto == IPPROTO_NUM_TCP);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t hws[4] = { 0, 0x0800, 0x86dd, 0 };
	struct event a, b;
	struct packet_text ta, tb;
	uint16_t hw;

	if (size < 2)
		return 0;
	hw = (data[0] & 0x80) ? (uint16_t)(data[0] << 8 | data[1]) : hws[data[0] & 3];
	data += 2;
	size -= 2;
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	int r = packet_decode(copy, size, hw, &a, &ta);
	check(r == 0 || r == -EPFNOSUPPORT || r == -EBADMSG);
	if (r == 0) {
		check_event(&a, size);
		check(packet_decode(copy, size, hw, &b, &tb) == 0);
		/* the same fields (spans point into different text buffers) */
		check(addr_eq(&a.src, &b.src) && addr_eq(&a.dst, &b.dst));
		check(a.proto == b.proto && a.sport == b.sport && a.dport == b.dport &&
		      a.has_ports == b.has_ports && a.incomplete == b.incomplete &&
		      a.tcp_flags == b.tcp_flags && a.v6_ext_hdrs == b.v6_ext_hdrs &&
		      memcmp(&a.tcp_opts, &b.tcp_opts, sizeof(a.tcp_opts)) == 0);
	}
	struct span m = packet_format_mac(copy, size, &ta);
	check(m.len <= sizeof(ta.mac) && (size == 0 || m.len == 3 * (size < PACKET_HWHDR_MAX ? size : PACKET_HWHDR_MAX) - 1));
	free(copy);
	return 0;
}
