/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event.c - small helpers to name and decode what an event holds. */
#include "event/event.h"

#include <stdio.h>
#include <string.h>

#include "event/protoname.h"

int event_flags_format(uint8_t flags, char buf[40])
{
	static const struct {
		uint8_t bit;
		const char *name;
	} words[] = {
		{ TCPF_CWR, "CWR" }, { TCPF_ECE, "ECE" }, { TCPF_URG, "URG" }, { TCPF_ACK, "ACK" },
		{ TCPF_PSH, "PSH" }, { TCPF_RST, "RST" }, { TCPF_SYN, "SYN" }, { TCPF_FIN, "FIN" },
	};
	int o = 0;

	if (!flags) {
		memcpy(buf, "NULL", 5);
		return 4;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!(flags & words[i].bit))
			continue;
		if (o)
			buf[o++] = ' ';
		memcpy(buf + o, words[i].name, 3);
		o += 3;
	}
	buf[o] = '\0';
	return o;
}

/* Seconds of UTC (or of the log's clock, when it gave no offset). */
static int64_t vtime_utc_sec(const struct vtime *t)
{
	return t->has_tz ? t->sec - (int64_t)t->tz_min * 60 : t->sec;
}

int vtime_cmp(const struct vtime *a, const struct vtime *b)
{
	int64_t x = vtime_utc_sec(a), y = vtime_utc_sec(b);

	if (x != y)
		return x < y ? -1 : 1;
	return a->usec < b->usec ? -1 : a->usec > b->usec;
}

void vtime_merge(struct vtime *first, struct vtime *last, const struct vtime *t)
{
	if (t->kind == VTIME_NONE)
		return;
	if (first->kind == VTIME_NONE) {
		*first = *last = *t;
		return;
	}
	if (t->kind != first->kind)
		return;
	/* earliest and latest, not first and last line: rsyslog's times can step
	 * back, and a log can mix zones */
	if (vtime_cmp(t, first) < 0)
		*first = *t;
	if (vtime_cmp(last, t) < 0)
		*last = *t;
}

const char *event_proto_name_af(uint8_t proto, bool v6)
{
	switch (proto) {
	case IPPROTO_NUM_ICMP:
		return v6 ? NULL : "icmp";
	case IPPROTO_NUM_ICMPV6:
		return v6 ? "icmp6" : NULL; /* psad's word; reports say "ipv6-icmp" */
	case IPPROTO_NUM_TCP:
	case IPPROTO_NUM_UDP:
	case IPPROTO_NUM_UDPLITE:
	case IPPROTO_NUM_ESP:
	case IPPROTO_NUM_AH:
		return proto_name(proto);
	default:
		return NULL;
	}
}

const char *event_chain_name(enum chain c)
{
	switch (c) {
	case CHAIN_INPUT:
		return "INPUT";
	case CHAIN_OUTPUT:
		return "OUTPUT";
	case CHAIN_FORWARD:
		return "FORWARD";
	default:
		return "";
	}
}

void event_tcp_opts_decode(const uint8_t *b, size_t n, struct tcp_opts *ret)
{
	struct tcp_opts o = { 0 };

	if (n > EVENT_OPT_MAX)
		n = EVENT_OPT_MAX;
	for (size_t i = 0; i < n && o.count < EVENT_TCPOPT_MAX;) {
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
			o.truncated = true; /* psad: "broken n-byte len field" */
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

void event_set_ip_opts(struct event *ev, const uint8_t *raw, size_t len)
{
	ev->ip_opt_bad = !raw || len > EVENT_OPT_MAX;
	ev->ip_opt_len = ev->ip_opt_bad ? 0 : (uint8_t)len;
	if (ev->ip_opt_len)
		memmove(ev->ip_opt_raw, raw, len);
}

void event_set_tcp_opts(struct event *ev, const uint8_t *raw, size_t len)
{
	ev->has_tcp_opts = true;
	ev->tcp_opt_bad = !raw || len > EVENT_OPT_MAX;
	ev->tcp_opt_len = ev->tcp_opt_bad ? 0 : (uint8_t)len;
	if (ev->tcp_opt_len)
		memmove(ev->tcp_opt_raw, raw, len);
	if (ev->tcp_opt_bad) {
		memset(&ev->tcp_opts, 0, sizeof(ev->tcp_opts));
		ev->tcp_opts.truncated = true;
	} else {
		event_tcp_opts_decode(ev->tcp_opt_raw, ev->tcp_opt_len, &ev->tcp_opts);
	}
}
