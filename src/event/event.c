/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event.c - small helpers to name what an event holds. */
#include "event/event.h"

#include <stdio.h>
#include <string.h>

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

static bool vtime_before(const struct vtime *a, const struct vtime *b)
{
	return a->sec < b->sec || (a->sec == b->sec && a->usec < b->usec);
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
	/* earliest and latest, not first and last line: rsyslog's times can step back */
	if (vtime_before(t, first))
		*first = *t;
	if (vtime_before(last, t))
		*last = *t;
}

const char *event_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_NUM_ICMP:
		return "icmp";
	case IPPROTO_NUM_TCP:
		return "tcp";
	case IPPROTO_NUM_UDP:
		return "udp";
	case IPPROTO_NUM_ICMPV6:
		return "icmp6";
	case IPPROTO_NUM_UDPLITE:
		return "udplite";
	case IPPROTO_NUM_ESP:
		return "esp";
	case IPPROTO_NUM_AH:
		return "ah";
	default:
		return NULL;
	}
}

const char *event_proto_name_af(uint8_t proto, bool v6)
{
	if (proto == (v6 ? IPPROTO_NUM_ICMP : IPPROTO_NUM_ICMPV6))
		return NULL;
	return event_proto_name(proto);
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
