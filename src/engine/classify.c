/* classify.c - packet -> scan kind, counters -> danger level (see classify.h).
 *
 * Flag sets follow nmap's probes (nmap.org/book/man-port-scanning-techniques):
 * -sS/-sT SYN, -sF FIN, -sN none, -sX URG PSH FIN, -sA ACK, -sM FIN ACK.
 * ECN bits are stripped first: a SYN with ECE CWR (an ECN-capable connect)
 * is still a SYN, where psad's exact string match saw nothing.
 */
#include "engine/classify.h"

#include <stddef.h>

static const char *const scan_names[_SCAN_MAX] = {
    [SCAN_SYN] = "SYN",	      [SCAN_CONNECT] = "CONNECT", [SCAN_FIN] = "FIN",
    [SCAN_NULL] = "NULL",     [SCAN_XMAS] = "XMAS",	  [SCAN_ACK] = "ACK",
    [SCAN_MAIMON] = "MAIMON", [SCAN_SYNFIN] = "SYNFIN",	  [SCAN_UDP] = "UDP",
    [SCAN_PROTO] = "PROTO",   [SCAN_PING] = "PING",	  [SCAN_SWEEP] = "SWEEP",
    [SCAN_OTHER] = "OTHER",
};

static const char *const scan_nmap[_SCAN_MAX] = {
    [SCAN_SYN] = "-sS",	   [SCAN_CONNECT] = "-sT",
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
	/* Options not logged: 20 bytes IP (40 IPv6) + 20 TCP + 4 MSS is a raw
	 * SYN; a connect() SYN carries 20 more option bytes. IPv4 options
	 * (logged as hex) are not TCP's; IPv6 extension headers have no
	 * logged length, and an OS's connect() sends none: a crafted SYN. */
	if (event_is_v6(ev))
		return ev->ip_len <= 64 || ev->ip_opt.len || ev->v6_empty_opts ? SCAN_SYN
									: SCAN_CONNECT;
	return ev->ip_len - ev->ip_opt.len / 2 <= 44 ? SCAN_SYN : SCAN_CONNECT;
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
		return classify_icmp_probe(ev) ? UINT32_C(1) << SCAN_PING : 0;
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
