/* SPDX-License-Identifier: GPL-2.0-or-later */
/* classify.c - packet -> scan kind, counters -> danger level (see classify.h).
 *
 * Flag sets follow nmap's probes (nmap.org/book/man-port-scanning-techniques):
 * -sS/-sT SYN, -sF FIN, -sN none, -sX URG PSH FIN, -sA ACK, -sM FIN ACK.
 * ECN bits are stripped first: a SYN with ECE CWR (an ECN-capable connect)
 * is still a SYN, where psad's exact string match saw nothing.
 */
#include "engine/classify.h"

#include <string.h>

#include <stddef.h>

static const char *const scan_names[_SCAN_MAX] = {
    [SCAN_SYN] = "SYN",	      [SCAN_CONNECT] = "CONNECT", [SCAN_SYN_UNTOLD] = "SYN_OR_CONNECT",
    [SCAN_FIN] = "FIN",
    [SCAN_NULL] = "NULL",     [SCAN_XMAS] = "XMAS",	  [SCAN_ACK] = "ACK",
    [SCAN_MAIMON] = "MAIMON", [SCAN_SYNFIN] = "SYNFIN",	  [SCAN_UDP] = "UDP",
    [SCAN_PROTO] = "PROTO",   [SCAN_PING] = "PING",	  [SCAN_SWEEP] = "SWEEP",
    [SCAN_OTHER] = "OTHER",
};

static const char *const scan_nmap[_SCAN_MAX] = {
    [SCAN_SYN] = "-sS",	   [SCAN_CONNECT] = "-sT",
    [SCAN_SYN_UNTOLD] = "-sS or -sT",
    [SCAN_FIN] = "-sF",	   [SCAN_NULL] = "-sN",
    [SCAN_XMAS] = "-sX",   [SCAN_ACK] = "-sA",
    [SCAN_MAIMON] = "-sM", [SCAN_SYNFIN] = "--scanflags SYNFIN",
    [SCAN_UDP] = "-sU",	   [SCAN_PROTO] = "-sO",
    [SCAN_PING] = "-sn",   [SCAN_SWEEP] = NULL,
    [SCAN_OTHER] = NULL,
};

const char *scan_type_name(enum scan_type t)
{
	return (unsigned)t < _SCAN_MAX ? scan_names[t] : NULL;
}

const char *scan_type_nmap(enum scan_type t)
{
	return (unsigned)t < _SCAN_MAX ? scan_nmap[t] : NULL;
}

size_t scan_types_nmap(uint32_t types, const char *ret[_SCAN_MAX])
{
	size_t n = 0;

	for (int t = 0; t < _SCAN_MAX; t++) {
		const char *opt = (types & (UINT32_C(1) << t)) ? scan_nmap[t] : NULL;
		size_t i;

		if (!opt)
			continue;
		for (i = 0; i < n && strcmp(ret[i], opt) != 0; i++)
			;
		if (i == n)
			ret[n++] = opt;
	}
	return n;
}

enum scan_type classify_tcp_flags(uint8_t flags)
{
	switch (flags & ~(TCPF_CWR | TCPF_ECE)) {
	case TCPF_SYN:
		return SCAN_SYN;
	case TCPF_FIN:
		return SCAN_FIN;
	case 0:
		return SCAN_NULL;
	case TCPF_URG | TCPF_PSH | TCPF_FIN:
		return SCAN_XMAS;
	case TCPF_ACK:
		return SCAN_ACK;
	case TCPF_ACK | TCPF_FIN:
		return SCAN_MAIMON;
	case TCPF_SYN | TCPF_FIN:
		return SCAN_SYNFIN;
	default: /* nmap -O's URG PSH SYN FIN, RST, SYN ACK backscatter, ... */
		return SCAN_OTHER;
	}
}

enum scan_type classify_syn(const struct event *ev)
{
	if (ev->has_tcp_opts) {
		/* nmap -sS sends MSS alone; the kernel's connect() always adds
		 * SACK-permitted, timestamps and window scale (unless sysctl'd
		 * off, when the SYN looks raw and is called raw). */
		const struct tcp_opts *o = &ev->tcp_opts;
		return (o->has_ts || o->has_sackok || o->has_ws) ? SCAN_CONNECT : SCAN_SYN;
	}
	/* No "OPT (...)": the rule may not log options (ufw's and firewalld's
	 * default), so the TCP header's length is unknown. What the length can
	 * still prove: 20 bytes IP (IPv4 options, logged as hex, are not TCP's;
	 * 40 IPv6) + 20 TCP + at most 4 (MSS alone) leaves no room for the
	 * option set any OS's connect() sends (Windows 12 bytes, Linux 20,
	 * macOS 24): a raw SYN. IPv6 extension headers are not TCP's either:
	 * each logged one takes at least its minimum 8 bytes off (Topera pads
	 * SYNs with empty ones; unlogged ones stay in and leave it untold).
	 * Anything longer may be a connect() or a raw SYN with options or data:
	 * not told, and said so. */
	uint64_t ip_hdr = event_is_v6(ev) ? 40 + 8 * (uint64_t)ev->v6_ext_hdrs
					  : 20 + (uint64_t)ev->ip_opt_len;
	return (uint64_t)ev->ip_len <= ip_hdr + 20 + 4 ? SCAN_SYN : SCAN_SYN_UNTOLD;
}

static bool classify_icmp_probe(const struct event *ev)
{
	if (!ev->has_icmp)
		return false;
	if (ev->proto == IPPROTO_NUM_ICMP) /* echo, timestamp, address mask */
		return ev->icmp_type == 8 || ev->icmp_type == 13 || ev->icmp_type == 17;
	return ev->icmp_type == 128; /* ICMPv6 echo request */
}

uint32_t classify_packet(const struct event *ev)
{
	enum scan_type t;

	switch (ev->proto) {
	case IPPROTO_NUM_TCP:
		if (!ev->has_ports) /* no TCP header logged: flags unknown */
			return 0;
		t = classify_tcp_flags(ev->tcp_flags);
		if (t == SCAN_SYN)
			t = classify_syn(ev);
		return UINT32_C(1) << t;
	case IPPROTO_NUM_UDP:
	case IPPROTO_NUM_UDPLITE:
		return UINT32_C(1) << SCAN_UDP;
	case IPPROTO_NUM_ICMP:
	case IPPROTO_NUM_ICMPV6:
		return event_is_icmp(ev) && classify_icmp_probe(ev) ? UINT32_C(1) << SCAN_PING : 0;
	default:
		return 0;
	}
}

uint8_t classify_ladder(const uint32_t thr[6], uint64_t value)
{
	uint8_t k;

	if (value < thr[1])
		return 0;
	for (k = 1; k < 5; k++)
		if (value < thr[k + 1])
			return k;
	return 5;
}
