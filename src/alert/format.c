/* SPDX-License-Identifier: GPL-2.0-or-later */
/* format.c - alert lines and alert objects (see format.h).
 *
 * Lines are put together in a bounded text builder (struct line): a piece
 * that does not fit is cut and the line stays NUL-terminated, so a pair
 * with 8 flag sets and every protocol still gives a well-formed (if cut)
 * line. The JSON destination fields mirror report/json.c's json_pair()
 * (a copy until that writer is exported, interfaces10.md "H6").
 */
#include "alert/format.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report/report-internal.h"
#include "report/report.h"
#include "util/escape.h"
#include "util/num.h"

struct line {
	char *p;
	size_t size, len;
};

static void line_init(struct line *l, char *buf, size_t size)
{
	l->p = buf;
	l->size = size;
	l->len = 0;
	if (size)
		buf[0] = '\0';
}

static void line_put(struct line *l, const char *s, size_t n)
{
	if (!l->size)
		return;
	if (n > l->size - 1 - l->len)
		n = l->size - 1 - l->len;
	memcpy(l->p + l->len, s, n);
	l->len += n;
	l->p[l->len] = '\0';
}

static void line_puts(struct line *l, const char *s)
{
	line_put(l, s, strlen(s));
}

static void line_u64(struct line *l, uint64_t v)
{
	char d[NUM_U64_MAX];

	line_put(l, d, num_u64(d, v));
}

static void line_addr(struct line *l, const struct addr *a)
{
	char buf[ADDR_STR_MAX];

	line_put(l, buf, (size_t)addr_format(a, buf));
}

size_t alert_style(uint32_t types, uint32_t scanners, char buf[ALERT_STYLE_MAX])
{
	const char *opts[_SCAN_MAX];
	size_t n = scan_types_nmap(types, opts);
	struct line l;

	line_init(&l, buf, ALERT_STYLE_MAX);
	for (size_t i = 0; i < n; i++) {
		line_puts(&l, i == 0 ? "nmap " : " ");
		line_puts(&l, opts[i]);
	}
	if (types & (UINT32_C(1) << SCAN_SWEEP)) {
		line_puts(&l, l.len ? ", " : "");
		line_puts(&l, "SWEEP");
	}
	for (unsigned i = 0; i < _SCANNER_MAX; i++) {
		if (!(scanners & (UINT32_C(1) << i)))
			continue;
		line_puts(&l, l.len ? ", " : "");
		line_puts(&l, scanner_name((enum scanner)i));
	}
	return l.len;
}

/* " tcp: [lo-hi]" or " tcp: [p]" */
static void line_range(struct line *l, const char *proto, const struct portset *ps)
{
	line_puts(l, " ");
	line_puts(l, proto);
	line_puts(l, ": [");
	line_u64(l, ps->count ? ps->min : 0);
	if (ps->count && ps->max != ps->min) {
		line_puts(l, "-");
		line_u64(l, ps->max);
	}
	line_puts(l, "]");
}

static void line_pkts(struct line *l, const char *proto, uint64_t n)
{
	line_puts(l, " ");
	line_puts(l, proto);
	line_puts(l, " pkts: ");
	line_u64(l, n);
}

static void line_pair(struct line *l, const struct pair_state *p)
{
	char buf[40];

	if (p->tcp.packets) {
		line_range(l, "tcp", &p->tcp.ports);
		if (p->n_flags || p->flags_other) {
			line_puts(l, " flags:");
			for (unsigned i = 0; i < p->n_flags && i < PAIR_FLAGSETS_MAX; i++) {
				line_puts(l, i ? " / " : " ");
				line_put(l, buf, (size_t)event_flags_format(p->flags[i].flags, buf));
			}
			if (p->flags_other)
				line_puts(l, p->n_flags ? " / OTHER" : " OTHER");
		}
		line_pkts(l, "tcp", p->tcp.packets);
	}
	if (p->udp.packets) {
		line_range(l, "udp", &p->udp.ports);
		line_pkts(l, "udp", p->udp.packets);
	}
	if (p->udplite.packets) {
		line_range(l, "udplite", &p->udplite.ports);
		line_pkts(l, "udplite", p->udplite.packets);
	}
	if (p->icmp_packets)
		line_pkts(l, p->dst.family == ADDR_V6 ? "icmp6" : "icmp", p->icmp_packets);
	if (p->other_packets)
		line_pkts(l, "other proto", p->other_packets);
}

size_t alert_scan_line(const struct alert_scan *a, char *buf, size_t size)
{
	const struct source_state *s = a->s;
	char style[ALERT_STYLE_MAX];
	struct line l;
	uint32_t scanners = s->intel ? s->intel->scanners : 0;

	line_init(&l, buf, size);
	line_puts(&l, "scan detected");
	if (alert_style(a->types, scanners, style)) {
		line_puts(&l, " (");
		line_puts(&l, style);
		line_puts(&l, ")");
	}
	line_puts(&l, ": ");
	line_addr(&l, &s->src);
	line_puts(&l, " -> ");
	line_addr(&l, a->p ? &a->p->dst : a->dst);
	if (a->p)
		line_pair(&l, a->p);
	line_puts(&l, " DL: ");
	line_u64(&l, a->dl);
	line_puts(&l, " total scan dsts: ");
	line_u64(&l, a->total_dsts);
	return l.len;
}

size_t alert_sig_line(const struct addr *src, const struct alert_sig *g, char *buf, size_t size)
{
	char msg[ALERT_MSG_MAX * 4];
	const char *name;
	struct line l;

	line_init(&l, buf, size);
	line_puts(&l, "src: ");
	line_addr(&l, src);
	line_puts(&l, " signature match: \"");
	line_put(&l, msg, escape_bytes(g->msg, strnlen(g->msg, sizeof(g->msg)), msg, sizeof(msg)));
	line_puts(&l, "\" (sid: ");
	line_u64(&l, g->sid);
	line_puts(&l, ")");
	name = event_proto_name_af(g->proto, g->v6);
	if (g->proto == IPPROTO_NUM_ICMP || g->proto == IPPROTO_NUM_ICMPV6) {
		line_puts(&l, " ");
		line_puts(&l, name ? name : "icmp");
	} else if (name) {
		line_puts(&l, " ");
		line_puts(&l, name);
		if (g->has_port) {
			line_puts(&l, " port: ");
			line_u64(&l, g->port);
		}
	} else {
		line_puts(&l, " proto: ");
		line_u64(&l, g->proto);
	}
	return l.len;
}

/* "+HH:MM" of a UTC offset in minutes. */
static size_t tz_format(long off_min, char *o)
{
	unsigned long a = (unsigned long)(off_min < 0 ? -off_min : off_min);

	return (size_t)snprintf(o, 8, "%c%02lu:%02lu", off_min < 0 ? '-' : '+', (a / 60) % 100,
				a % 60);
}

size_t alert_time_iso(int64_t wall_us, char buf[ALERT_TIME_MAX])
{
	time_t sec = (time_t)(wall_us / 1000000);
	long usec = (long)(wall_us % 1000000);
	struct tm tm;
	size_t n;

	if (usec < 0) {
		usec += 1000000;
		sec--;
	}
	if (!localtime_r(&sec, &tm)) {
		buf[0] = '\0';
		return 0;
	}
	n = strftime(buf, ALERT_TIME_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n)
		return 0;
	n += (size_t)snprintf(buf + n, ALERT_TIME_MAX - n, ".%06ld", usec);
	n += tz_format(tm.tm_gmtoff / 60, buf + n);
	return n;
}

/* A log time with its fraction, and its offset when the log gave one. */
static void json_event_time(struct jsonw *w, const struct vtime *t)
{
	char buf[REPORT_TIME_MAX];
	int n;

	jsonw_key(w, "event_time");
	if (!t || (n = report_format_time_us(t, buf)) <= 0) {
		jsonw_null(w);
		return;
	}
	jsonw_strn(w, buf, (size_t)n);
}

static void json_head(struct jsonw *w, const struct alert_head *h)
{
	char buf[ALERT_TIME_MAX > ADDR_STR_MAX ? ALERT_TIME_MAX : ADDR_STR_MAX];
	size_t n;

	jsonw_key(w, "time");
	n = alert_time_iso(h->now_us, buf);
	jsonw_strn(w, buf, n);
	json_event_time(w, h->event_time);
	jsonw_key_str(w, "type", h->type);
	(void)addr_format(h->src, buf);
	jsonw_key_str(w, "src", buf);
	jsonw_key(w, "dst");
	if (h->dst) {
		(void)addr_format(h->dst, buf);
		jsonw_str(w, buf);
	} else {
		jsonw_null(w);
	}
	jsonw_key_u64(w, "danger_level", h->dl);
	jsonw_key_u64(w, "origin", h->origin);
	jsonw_key_str(w, "host", h->host ? h->host : "");
	if (h->log_host && h->log_host[0])
		jsonw_key_str(w, "log_host", h->log_host);
}

static void json_types(struct jsonw *w, uint32_t types, uint32_t scanners)
{
	char style[ALERT_STYLE_MAX];

	json_write_scan_types(w, types);
	if (scanners) {
		jsonw_key(w, "scanners");
		jsonw_arr_begin(w);
		for (unsigned i = 0; i < _SCANNER_MAX; i++)
			if (scanners & (UINT32_C(1) << i))
				jsonw_str(w, scanner_name((enum scanner)i));
		jsonw_arr_end(w);
	}
	jsonw_key(w, "style");
	jsonw_strn(w, style, alert_style(types, scanners, style));
}

void alert_json_scan(struct jsonw *w, const struct alert_head *h, const struct alert_scan *a,
		     uint64_t coalesced)
{
	const struct source_state *s = a->s;
	char line[ALERT_LINE_MAX];

	jsonw_obj_begin(w);
	json_head(w, h);
	jsonw_key_u64(w, "source_level", s->dl);
	jsonw_key_u64(w, "total_scan_dsts", a->total_dsts);
	jsonw_key_u64(w, "source_packets", s->packets);
	if (coalesced > 1)
		jsonw_key_u64(w, "coalesced", coalesced);
	json_types(w, a->types, s->intel ? s->intel->scanners : 0);
	if (a->p)
		json_write_destination_fields(w, a->p);
	jsonw_key(w, "line");
	jsonw_strn(w, line, alert_scan_line(a, line, sizeof(line)));
	jsonw_obj_end(w);
}

void alert_json_sig(struct jsonw *w, const struct alert_head *h, const struct alert_sig *g)
{
	char line[ALERT_LINE_MAX];
	const char *name = event_proto_name_af(g->proto, g->v6);

	jsonw_obj_begin(w);
	json_head(w, h);
	jsonw_key_u64(w, "sid", g->sid);
	jsonw_key(w, "msg");
	jsonw_strn(w, g->msg, strnlen(g->msg, sizeof(g->msg)));
	jsonw_key_u64(w, "sig_dl", g->dl);
	if (name)
		jsonw_key_str(w, "proto", name);
	else
		jsonw_key_u64(w, "proto", g->proto);
	if (g->has_port)
		jsonw_key_u64(w, "port", g->port);
	jsonw_key(w, "line");
	jsonw_strn(w, line, alert_sig_line(h->src, g, line, sizeof(line)));
	jsonw_obj_end(w);
}
