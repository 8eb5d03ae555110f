/* SPDX-License-Identifier: GPL-2.0-or-later */
/* packet.h - decode a packet's IP and transport headers into a struct event.
 *
 * The binary twin of the LOG-text parser (parse/nflog.c, record.c after the
 * rename): for a packet NFLOG copied, it fills the fields the kernel's
 * nf_log_syslog.c would have printed for the same packet, with the same
 * meaning field by field (TOS= and PREC= masks, RES= as printed, FRAG: in
 * 8-byte units for IPv4 and in bytes for IPv6, INCOMPLETE when a header is
 * cut, no transport header in a non-first fragment, the IPv6 extension
 * headers walked the same way). Unlike LOG it always has the sequence
 * numbers, the IP and TCP options (raw bytes) and every extension header.
 *
 * Pure: bytes in, event out, nothing allocated; hostile input (lying
 * lengths, short copies, option lengths past the end) is read within len.
 */
#ifndef VIGIL_PACKET_H
#define VIGIL_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "event/event.h"

#define PACKET_HWHDR_MAX 32 /* longest link-layer header shown as MAC= */

/* Text the event's spans point into: keep it alive as long as the event. */
struct packet_text {
	char mac[3 * PACKET_HWHDR_MAX];
	char ip_opt_hex[2 * 40];  /* used only with the pre-issue-10 event.h */
	char tcp_opt_hex[2 * 40];
};

/* Decode pkt[0..len) (len: the bytes copied, maybe fewer than the packet
 * had), an IP packet of link-layer protocol hw_proto (0x0800, 0x86dd; 0 =
 * from the version nibble). Fills the IP and transport fields of ev and
 * leaves the others (time, prefix, interfaces, uid, mark) as they are.
 * Returns 0, -EPFNOSUPPORT for a non-IP frame (ARP, ...), or -EBADMSG when
 * there is no complete IP header to read addresses from. */
int packet_decode(const uint8_t *pkt, size_t len, uint16_t hw_proto, struct event *ev,
		  struct packet_text *txt);

/* The link-layer header as LOG prints MAC= ("00:16:3e:..:08:00"), into
 * txt->mac; at most PACKET_HWHDR_MAX bytes. Returns the span. */
struct span packet_format_mac(const uint8_t *hw, size_t len, struct packet_text *txt);

#endif
