/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nflog-compat.h - TEMPORARY (integrator: delete this file and its one
 * #include in packet.c once H1's event.h with raw option bytes has landed).
 *
 * The interface (issue 10) gives struct event raw option bytes
 * (ip_opt_raw/ip_opt_len/ip_opt_bad, tcp_opt_raw/tcp_opt_len/tcp_opt_bad),
 * the span v6_ext, origin, and event_tcp_opts_decode(). packet.c writes
 * them through the PKT_* macros below. With H1's event.h (EVENT_OPT_MAX
 * defined) this file defines nothing and packet.c's own definitions write
 * the new fields. With today's event.h the options go, as the LOG parser
 * writes them, as hex text into the spans ip_opt / tcp_opt_hex (pointing
 * into struct packet_text), so the engine of this branch reads NFLOG
 * events unchanged.
 */
#ifndef VIGIL_NFLOG_COMPAT_H
#define VIGIL_NFLOG_COMPAT_H

#include <string.h>

#include "event/event.h"
#include "source/packet.h"

#ifndef EVENT_OPT_MAX
#define PKT_COMPAT_HEX 1
#define EVENT_OPT_MAX 40

/* event.c's event_tcp_opts_decode() of the interface: RFC 9293 3.1 layout. */
static inline void event_tcp_opts_decode(const uint8_t *b, size_t n, struct tcp_opts *ret)
{
	struct tcp_opts o = { 0 };
	size_t i;

	for (i = 0; i < n && o.count < EVENT_TCPOPT_MAX;) {
		uint8_t kind = b[i];
		o.kinds[o.count++] = kind;
		if (kind == TCPOPT_KIND_EOL) {
			while (++i < n)
				o.past_eol |= b[i] != 0;
			break;
		}
		if (kind == TCPOPT_KIND_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= n || b[i + 1] < 2 || i + b[i + 1] > n) {
			o.truncated = true;
			break;
		}
		uint8_t len = b[i + 1];
		const uint8_t *d = b + i + 2;
		if (kind == TCPOPT_KIND_MSS && len == 4) {
			o.has_mss = true;
			o.mss = (uint16_t)(d[0] << 8 | d[1]);
		} else if (kind == TCPOPT_KIND_WS && len == 3) {
			o.has_ws = true;
			o.wscale = d[0];
		} else if (kind == TCPOPT_KIND_SACKOK && len == 2) {
			o.has_sackok = true;
		} else if (kind == TCPOPT_KIND_TS && len == 10) {
			o.has_ts = true;
			o.tsval = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
			o.tsecr = (uint32_t)d[4] << 24 | (uint32_t)d[5] << 16 | (uint32_t)d[6] << 8 | d[7];
		}
		i += len;
	}
	*ret = o;
}

static inline struct span pkt_compat_hex(char *out, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	return span_make(out, 2 * n);
}

/* H1's event_set_ip_opts() / event_set_tcp_opts() on today's event: the
 * options as hex text in txt. raw NULL or len above EVENT_OPT_MAX: present
 * but unreadable, no bytes (LOG's "OPT (TRUNCATED)"). */
static inline void pkt_set_ip_opts(struct event *ev, struct packet_text *txt, const uint8_t *raw,
				   size_t len)
{
	bool bad = !raw || len > EVENT_OPT_MAX;

	ev->ip_opt = pkt_compat_hex(txt->ip_opt_hex, raw, bad ? 0 : len);
}

static inline void pkt_set_tcp_opts(struct event *ev, struct packet_text *txt, const uint8_t *raw,
				    size_t len)
{
	bool bad = !raw || len > EVENT_OPT_MAX;

	ev->has_tcp_opts = true;
	ev->tcp_opt_hex = pkt_compat_hex(txt->tcp_opt_hex, raw, bad ? 0 : len);
	if (bad) {
		memset(&ev->tcp_opts, 0, sizeof(ev->tcp_opts));
		ev->tcp_opts.truncated = true;
	} else {
		event_tcp_opts_decode(raw, len, &ev->tcp_opts);
	}
}
#endif

#endif
