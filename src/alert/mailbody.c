/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mailbody.c - pieces of the alert mails (see mailbody.h). */
#include "alert/mailbody.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/format.h"
#include "engine/classify.h"
#include "match/signature.h"
#include "report/report.h"
#include "util/escape.h"

uint32_t alert_pair_types(const struct pair_state *p)
{
	return p->scan_types ? p->scan_types : p->probe_types;
}

void mt_put(struct mailtext *t, const char *s, size_t n)
{
	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *p = realloc(t->p, cap < 4096 ? 4096 : cap);
		if (!p) {
			t->oom = true;
			return;
		}
		t->p = p;
		t->cap = cap < 4096 ? 4096 : cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

__attribute__((format(printf, 2, 3))) void mt_printf(struct mailtext *t, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		mt_put(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void mt_time(struct mailtext *t, const char *label, const struct vtime *v)
{
	char buf[40];

	mt_printf(t, "%s%s\n", label, report_format_time(v, buf) > 0 ? buf : "(unknown)");
}

/* "[lo-hi]" and the port list, cut at MAIL_PORTS_MAX. */
void mt_ports(struct mailtext *t, const char *label, const struct ports_stats *st,
		     const char *nmap)
{
	struct portset_iter it;
	struct port_span sp;
	char buf[16];
	size_t used = 0;
	bool first = true;

	mt_printf(t, "%s[%u-%u: %llu packets%s%s]\n", label, st->ports.count ? st->ports.min : 0,
		  st->ports.count ? st->ports.max : 0, (unsigned long long)st->packets,
		  nmap ? ", Nmap: " : "", nmap ? nmap : "");
	mt_printf(t, "          ports (%u): ", st->ports.count);
	portset_iter_init(&it, &st->ports);
	while (portset_iter_next(&it, &sp)) {
		int n = sp.lo == sp.hi ? snprintf(buf, sizeof(buf), "%u", sp.lo)
				       : snprintf(buf, sizeof(buf), "%u-%u", sp.lo, sp.hi);
		if (used + (size_t)n + 1 > MAIL_PORTS_MAX) {
			mt_put(t, ",...", 4);
			break;
		}
		if (!first)
			mt_put(t, ",", 1);
		mt_put(t, buf, (size_t)n);
		used += (size_t)n + 1;
		first = false;
	}
	mt_put(t, "\n", 1);
}

/* The nmap option of a flag set; a SYN's as the pair told SYN from connect(). */
static const char *flags_nmap(const struct pair_state *p, uint8_t flags)
{
	enum scan_type t = classify_tcp_flags(flags);

	if (t == SCAN_SYN) {
		uint32_t ty = alert_pair_types(p);
		if (ty & (UINT32_C(1) << SCAN_SYN_UNTOLD))
			t = SCAN_SYN_UNTOLD;
		else if ((ty & (UINT32_C(1) << SCAN_CONNECT)) && !(ty & (UINT32_C(1) << SCAN_SYN)))
			t = SCAN_CONNECT;
	}
	return scan_type_nmap(t);
}

void mt_pair(struct mailtext *t, const struct pair_state *p)
{
	char dst[ADDR_STR_MAX], flags[40], style[ALERT_STYLE_MAX];

	(void)addr_format(&p->dst, dst);
	mt_printf(t, "\n        Destination: %s\n", dst);
	mt_printf(t, "       Danger level: [%u] (out of 5)%s\n", p->dl,
		  (!!p->tcp.packets + !!p->udp.packets + !!p->udplite.packets + !!p->icmp_packets +
		   !!p->other_packets) > 1 ? " Multi-Protocol" : "");
	if (alert_style(alert_pair_types(p), 0, style))
		mt_printf(t, "         Scan style: %s\n", style);
	mt_printf(t, "     iptables chain: %s, in: %s, out: %s, %llu packets\n",
		  event_chain_name(p->chain), p->in[0] ? p->in : "-", p->out[0] ? p->out : "-",
		  (unsigned long long)p->packets);
	if (p->win_port_lo >= 0)
		mt_printf(t, "  New ports (window): [%d-%d], %llu packets\n", p->win_port_lo,
			  p->win_port_hi, (unsigned long long)p->win_packets);
	if (p->tcp.packets) {
		mt_ports(t, " Complete TCP range: ", &p->tcp, NULL);
		for (unsigned i = 0; i < p->n_flags && i < PAIR_FLAGSETS_MAX; i++) {
			const char *nmap = flags_nmap(p, p->flags[i].flags);
			(void)event_flags_format(p->flags[i].flags, flags);
			mt_printf(t, "          TCP flags: [%s: %llu packets%s%s]\n", flags,
				  (unsigned long long)p->flags[i].count, nmap ? ", Nmap: " : "",
				  nmap ? nmap : "");
		}
	}
	if (p->udp.packets)
		mt_ports(t, " Complete UDP range: ", &p->udp, "-sU");
	if (p->udplite.packets)
		mt_ports(t, "     UDPLite range: ", &p->udplite, NULL);
	if (p->icmp_packets)
		mt_printf(t, "       icmp packets: [%llu]\n", (unsigned long long)p->icmp_packets);
	if (p->other_packets)
		mt_printf(t, "other proto packets: [%llu]\n", (unsigned long long)p->other_packets);
	mt_time(t, "       First packet: ", &p->first);
	mt_time(t, "        Last packet: ", &p->last);
}

void mt_intel(struct mailtext *t, const struct source_state *s)
{
	const struct source_intel *x = s->intel;
	char esc[ALERT_MSG_MAX * 4];

	if (x && x->n_os) {
		mt_put(t, "           OS guess: ", 21);
		for (uint8_t i = 0; i < x->n_os; i++) {
			escape_bytes(x->os[i], strlen(x->os[i]), esc, sizeof(esc));
			mt_printf(t, "%s%s", i ? ", " : "", esc);
		}
		mt_put(t, "\n", 1);
	}
	if (!x || !x->n_sigs)
		return;
	mt_put(t, "\n[+] Signatures:\n", 17);
	for (uint16_t i = 0; i < x->n_sigs && i < 32; i++) {
		const struct sig_count *sc = &x->sigs[i];
		const char *msg = sc->msg ? sc->msg : "";
		escape_bytes(msg, strlen(msg), esc, sizeof(esc));
		mt_printf(t, "   \"%s\" (sid: %u, DL %u): %llu packets", esc, sc->id,
			  sc->dl, (unsigned long long)sc->count);
		if (sc->last_dport)
			mt_printf(t, ", last dst port %u", sc->last_dport);
		mt_put(t, "\n", 1);
	}
	if (x->n_sigs > 32 || x->sigs_other)
		mt_printf(t, "   ... and more (%u itemised, %llu matches not itemised)\n", x->n_sigs,
			  (unsigned long long)x->sigs_other);
}
