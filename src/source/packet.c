/* SPDX-License-Identifier: GPL-2.0-or-later */
/* packet.c - IP and transport headers of a copied packet -> struct event.
 *
 * Mirrors net/netfilter/nf_log_syslog.c (dump_ipv4_packet,
 * dump_ipv6_packet, nf_log_dump_tcp_header, nf_log_dump_udp_header) so an
 * NFLOG event means what the LOG record of the same packet means:
 *   IPv4  TOS = tos & 0x1E, PREC = tos & 0xE0, CE/DF/MF, FRAG = offset in
 *         8-byte units when non-zero; a non-first fragment has no ports.
 *   IPv6  TC, FLOWLBL, HOPLIMIT, LEN = payload + 40; extension headers
 *         walked while nf_ip6_ext_hdr() says so (hop-by-hop, routing,
 *         fragment, ESP, AH, destination options); FRAG in bytes, its M bit
 *         as MF; after a non-first fragment, no more headers are read.
 *   TCP   RES = the 4 reserved bits << 2 (as the kernel prints them),
 *         flags, window, urgent pointer, options.
 *   ICMP  TYPE/CODE need 8 bytes; echo ID/SEQ; frag-needed / too-big MTU;
 *         a type's minimum length (the kernel's required_len) else
 *         INCOMPLETE.
 * Every read is bounded by the bytes copied (len) and by the IP header's
 * own length, whichever is shorter.
 */
#include "source/packet.h"

#include <errno.h>
#include <net/ethernet.h> /* ETHERTYPE_IP, ETHERTYPE_IPV6 */
#include <netinet/in.h>   /* IPPROTO_HOPOPTS, _ROUTING, _FRAGMENT, _ESP, _AH, _NONE, _DSTOPTS */
#include <string.h>

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void set_incomplete(struct event *ev, size_t have)
{
	ev->incomplete = true;
	ev->incomplete_bytes = (uint32_t)have;
}

static void decode_tcp(const uint8_t *p, size_t n, struct event *ev, struct packet_text *txt)
{
	if (n < 20) {
		set_incomplete(ev, n);
		return;
	}
	ev->sport = be16(p);
	ev->dport = be16(p + 2);
	ev->has_ports = true;
	ev->seq = be32(p + 4);
	ev->ack = be32(p + 8);
	ev->has_seq = true;
	ev->res = (uint8_t)((p[12] & 0x0F) << 2);
	ev->tcp_flags = p[13];
	ev->window = be16(p + 14);
	ev->urgp = be16(p + 18);
	size_t doff = (size_t)(p[12] >> 4) * 4;
	if (doff <= 20)
		return;
	size_t opt = doff - 20; /* at most 40 */
	/* options cut by the copy: present but unreadable, as LOG's
	 * "OPT (TRUNCATED)"; half an option list is not kept */
	event_set_tcp_opts(ev, n - 20 >= opt ? p + 20 : NULL, opt);
}

static void decode_udp(const uint8_t *p, size_t n, struct event *ev)
{
	if (n < 8) {
		set_incomplete(ev, n);
		return;
	}
	ev->sport = be16(p);
	ev->dport = be16(p + 2);
	ev->udp_len = be16(p + 4);
	ev->has_ports = true;
}

/* nf_log_syslog.c's required_len[]: an ICMP type's minimum length. */
static size_t icmp_required(uint8_t type)
{
	switch (type) {
	case 0: /* echo reply */
	case 8: /* echo */
		return 4;
	case 3: /* unreachable, source quench, redirect, time exceeded,
		 * parameter problem: the offending IP header */
	case 4:
	case 5:
	case 11:
	case 12:
		return 8 + 20;
	case 13: /* timestamp (reply) */
	case 14:
		return 20;
	case 17: /* address mask (reply) */
	case 18:
		return 12;
	default:
		return 0;
	}
}

static void decode_icmp(const uint8_t *p, size_t n, bool v6, struct event *ev)
{
	if (n < 8) {
		set_incomplete(ev, n);
		return;
	}
	ev->icmp_type = p[0];
	ev->icmp_code = p[1];
	ev->has_icmp = true;
	if (!v6 && n < icmp_required(p[0])) {
		set_incomplete(ev, n);
	} else if (v6 ? p[0] == 128 || p[0] == 129 : p[0] == 0 || p[0] == 8) {
		ev->icmp_id = be16(p + 4);
		ev->icmp_seq = be16(p + 6);
	} else if (!v6 && p[0] == 3 && p[1] == 4) {
		ev->icmp_mtu = be16(p + 6);
	} else if (v6 && p[0] == 2) {
		ev->icmp_mtu = be32(p + 4);
	}
	/* as the LOG parser: an echo type, whatever followed it */
	ev->has_icmp_echo = v6 ? p[0] == 128 || p[0] == 129 : p[0] == 0 || p[0] == 8;
}

/* The transport header at p (n bytes readable) of protocol ev->proto. */
static void decode_l4(const uint8_t *p, size_t n, bool v6, struct event *ev,
		      struct packet_text *txt)
{
	switch (ev->proto) {
	case IPPROTO_NUM_TCP:
		decode_tcp(p, n, ev, txt);
		break;
	case IPPROTO_NUM_UDP:
	case IPPROTO_NUM_UDPLITE:
		decode_udp(p, n, ev);
		break;
	case IPPROTO_NUM_ICMP:
		if (!v6)
			decode_icmp(p, n, false, ev);
		break;
	case IPPROTO_NUM_ICMPV6:
		if (v6)
			decode_icmp(p, n, true, ev);
		break;
	case IPPROTO_NUM_ESP: /* struct ip_esp_hdr: spi, seq */
		if (n < 8)
			set_incomplete(ev, n);
		else
			ev->spi = be32(p);
		break;
	case IPPROTO_NUM_AH: /* struct ip_auth_hdr: next, len, reserved, spi, seq */
		if (n < 12)
			set_incomplete(ev, n);
		else
			ev->spi = be32(p + 4);
		break;
	default:
		break; /* the kernel prints PROTO=<n> and no header */
	}
}

static int decode_v4(const uint8_t *p, size_t len, struct event *ev, struct packet_text *txt)
{
	if (len < 20 || p[0] >> 4 != 4)
		return -EBADMSG;
	size_t ihl = (size_t)(p[0] & 15) * 4, tot = be16(p + 2);
	if (ihl < 20)
		return -EBADMSG;
	/* the packet ends at its total length (the kernel trimmed the skb to
	 * it), the copy maybe earlier */
	size_t end = tot >= 20 && tot < len ? tot : len;

	ev->src.family = ev->dst.family = ADDR_V4;
	memcpy(ev->src.b, p + 12, 4);
	memcpy(ev->dst.b, p + 16, 4);
	ev->ip_len = (uint32_t)tot;
	ev->tos = p[1] & 0x1E;  /* IPTOS_TOS_MASK */
	ev->prec = p[1] & 0xE0; /* IPTOS_PREC_MASK */
	ev->ttl = p[8];
	ev->ip_id = be16(p + 4);
	uint16_t fo = be16(p + 6);
	ev->ip_flags |= (fo & 0x8000 ? IPF_CE : 0) | (fo & 0x4000 ? IPF_DF : 0) |
			(fo & 0x2000 ? IPF_MF : 0);
	if (fo & 0x1FFF) {
		ev->ip_flags |= IPF_FRAG;
		ev->frag_off = fo & 0x1FFF;
	}
	ev->proto = p[9];
	if (ihl > 20) /* options cut by the copy: present, unreadable (as LOG's) */
		event_set_ip_opts(ev, end >= ihl ? p + 20 : NULL, ihl - 20);
	if (fo & 0x1FFF) /* not the first fragment: no transport header */
		return 0;
	if (end < ihl) {
		set_incomplete(ev, 0);
		return 0;
	}
	decode_l4(p + ihl, end - ihl, false, ev, txt);
	return 0;
}

static bool v6_ext_hdr(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_FRAGMENT || nh == IPPROTO_ESP ||
	       nh == IPPROTO_AH || nh == IPPROTO_DSTOPTS;
}

/* Walk the extension headers from off; returns the transport header's
 * offset, or 0 when the walk ended without one (ev->proto set either way). */
static size_t walk_v6_ext(const uint8_t *p, size_t end, uint8_t nh, struct event *ev)
{
	size_t off = 40;
	bool fragment = false;
	uint8_t run = 0;

	while (v6_ext_hdr(nh)) {
		if (end < off + 8) { /* the kernel prints TRUNCATED and stops */
			ev->proto = nh;
			set_incomplete(ev, end > off ? end - off : 0);
			return 0;
		}
		const uint8_t *h = p + off;
		size_t hlen;
		if (ev->v6_ext_hdrs < UINT8_MAX)
			ev->v6_ext_hdrs++;
		run = nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_DSTOPTS ? (uint8_t)(run + 1) : 0;
		if (run > ev->v6_empty_opts)
			ev->v6_empty_opts = run;
		switch (nh) {
		case IPPROTO_FRAGMENT:
			ev->ip_flags |= IPF_FRAG;
			ev->frag_off = be16(h + 2) & 0xFFF8;
			if (be16(h + 2) & 1)
				ev->ip_flags |= IPF_MF;
			fragment = ev->frag_off != 0;
			hlen = 8;
			break;
		case IPPROTO_AH:
			if (fragment) {
				ev->proto = nh;
				return 0;
			}
			ev->spi = be32(h + 4);
			hlen = ((size_t)h[1] + 2) * 4;
			break;
		case IPPROTO_ESP:
			ev->proto = nh;
			if (!fragment)
				ev->spi = be32(h);
			return 0; /* encrypted: nothing more to read */
		default: /* hop-by-hop, routing, destination options */
			if (fragment) {
				ev->proto = nh;
				return 0;
			}
			hlen = ((size_t)h[1] + 1) * 8;
			break;
		}
		nh = h[0];
		off += hlen;
	}
	ev->proto = nh;
	if (fragment || nh == IPPROTO_NONE)
		return 0;
	return off;
}

static int decode_v6(const uint8_t *p, size_t len, struct event *ev, struct packet_text *txt)
{
	if (len < 40 || p[0] >> 4 != 6)
		return -EBADMSG;
	uint32_t w = be32(p);
	size_t plen = be16(p + 4);
	/* payload length 0: a jumbogram (hop-by-hop option) or a lie: the copy */
	size_t end = plen && plen + 40 < len ? plen + 40 : len;

	ev->src.family = ev->dst.family = ADDR_V6;
	memcpy(ev->src.b, p + 8, 16);
	memcpy(ev->dst.b, p + 24, 16);
	ev->ip_len = (uint32_t)plen + 40;
	ev->tc = (uint8_t)(w >> 20);
	ev->flowlbl = w & 0xFFFFF;
	ev->ttl = p[7];
	bool mapped = addr_unmap_v4(&ev->src);
	ev->v4_mapped = addr_unmap_v4(&ev->dst) || mapped;

	size_t off = walk_v6_ext(p, end, p[6], ev);
	if (!off)
		return 0;
	if (off > end) { /* an extension header's length ran past the packet */
		set_incomplete(ev, 0);
		return 0;
	}
	decode_l4(p + off, end - off, true, ev, txt);
	return 0;
}

int packet_decode(const uint8_t *pkt, size_t len, uint16_t hw_proto, struct event *ev,
		  struct packet_text *txt)
{
	if (hw_proto != 0 && hw_proto != ETHERTYPE_IP && hw_proto != ETHERTYPE_IPV6)
		return -EPFNOSUPPORT;
	if (!pkt || len < 1)
		return -EBADMSG;
	unsigned v = pkt[0] >> 4;
	if ((hw_proto == ETHERTYPE_IP && v != 4) || (hw_proto == ETHERTYPE_IPV6 && v != 6))
		return -EBADMSG;
	if (v == 4)
		return decode_v4(pkt, len, ev, txt);
	if (v == 6)
		return decode_v6(pkt, len, ev, txt);
	return -EBADMSG;
}

struct span packet_format_mac(const uint8_t *hw, size_t len, struct packet_text *txt)
{
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;

	if (len > PACKET_HWHDR_MAX)
		len = PACKET_HWHDR_MAX;
	for (size_t i = 0; i < len; i++) {
		if (i)
			txt->mac[o++] = ':';
		txt->mac[o++] = hx[hw[i] >> 4];
		txt->mac[o++] = hx[hw[i] & 15];
	}
	return span_make(txt->mac, o);
}
