/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine-test.c - danger levels, classification, filters and bounds of the
 * engine, from hand-built events (psad-behaviour.md sections 2 and 3). */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/autodl.h"
#include "config/config.h"
#include "engine/engine.h"
#include "match/matchers.h"
#include "match/signature.h"

#define BIT(t)	(UINT32_C(1) << (t))
#define T0	1773261311 /* 2026-03-11T20:35:11 */
#define LOG_MAX 8192

struct change_rec {
	bool pair;
	uint8_t old_dl, new_dl;
	struct addr src, dst;
};

struct fx {
	struct config cfg;
	struct autodl *adl;
	struct engine *e;
	int64_t now;
	size_t n_changes;
	struct change_rec changes[LOG_MAX];
	size_t n_kind[4]; /* changes by enum engine_change_kind */
};

static void on_change(const struct engine_change *c, void *data)
{
	struct fx *f = data;
	struct change_rec *r;

	assert_true((unsigned)c->kind < 4);
	f->n_kind[c->kind]++;
	if (c->kind != ENGINE_CHANGE_LEVEL) {
		assert_int_equal(c->old_dl, c->src->dl);
		assert_true(c->kind == ENGINE_CHANGE_SIGNATURE ? c->ev != NULL : c->ev == NULL);
		return;
	}
	assert_true(c->new_dl > c->old_dl);
	assert_non_null(c->ev);
	assert_int_equal(c->new_dl, c->dst ? c->dst->dl : c->src->dl);
	if (f->n_changes == LOG_MAX)
		return;
	r = &f->changes[f->n_changes++];
	r->pair = c->dst != NULL;
	r->old_dl = (uint8_t)c->old_dl;
	r->new_dl = (uint8_t)c->new_dl;
	r->src = c->src->src;
	if (c->dst)
		r->dst = c->dst->dst;
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	config_init(&f->cfg);
	f->now = T0;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	f->e = engine_free(f->e);
	f->adl = autodl_free(f->adl);
	free(f);
	return 0;
}

/* The engine is built after the test has tuned f->cfg. */
static void fx_start(struct fx *f)
{
	assert_int_equal(engine_new(&f->cfg, f->adl, on_change, f, &f->e), 0);
}

static struct addr ip(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(span_make(s, strlen(s)), &a), 0);
	return a;
}

static struct event ev_base(const char *src, const char *dst, uint8_t proto)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.src = ip(src);
	ev.dst = ip(dst);
	ev.proto = proto;
	ev.chain = CHAIN_INPUT;
	ev.in = SPAN_LIT("eth0");
	ev.time.kind = VTIME_WALL;
	ev.time.sec = T0;
	ev.ip_len = 44;
	ev.ttl = 64;
	return ev;
}

static struct event ev_tcp(const char *src, const char *dst, uint16_t dport, uint8_t flags)
{
	struct event ev = ev_base(src, dst, IPPROTO_NUM_TCP);

	ev.has_ports = true;
	ev.sport = 40000;
	ev.dport = dport;
	ev.tcp_flags = flags;
	ev.has_seq = true;
	return ev;
}

static struct event ev_icmp(const char *src, const char *dst, uint8_t type, uint8_t code)
{
	struct event ev = ev_base(src, dst, IPPROTO_NUM_ICMP);

	ev.has_icmp = true;
	ev.icmp_type = type;
	ev.icmp_code = code;
	ev.ip_len = 28;
	return ev;
}

static enum engine_verdict feed(struct fx *f, const struct event *ev)
{
	return engine_feed(f->e, ev, f->now * 1000000); /* f->now: seconds */
}

static void feed_ports(struct fx *f, const char *src, const char *dst, uint32_t lo, uint32_t hi,
		       uint32_t n, uint8_t flags)
{
	for (uint32_t i = 0; i < n; i++) {
		struct event ev = ev_tcp(src, dst, (uint16_t)(lo + i % (hi - lo + 1)), flags);
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	}
}

static const struct source_state *source_of(const struct fx *f, const char *src)
{
	size_t n;
	const struct source_state **v = engine_sources_sorted(f->e, &n), *s = NULL;
	struct addr a = ip(src);

	for (size_t i = 0; i < n; i++)
		if (addr_eq(&v[i]->src, &a))
			s = v[i];
	free(v);
	return s;
}

static const struct pair_state *pair_of(const struct source_state *s, const char *dst)
{
	struct addr a = ip(dst);

	for (uint32_t i = 0; s && i < s->n_pairs; i++)
		if (addr_eq(&s->pairs[i]->dst, &a))
			return s->pairs[i];
	return NULL;
}

static struct engine_stats stats_of(const struct fx *f)
{
	struct engine_stats st;

	engine_get_stats(f->e, &st);
	return st;
}

/* ---- danger levels ----------------------------------------------------- */

static void test_four_vs_five_syns(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;

	fx_start(f);
	feed_ports(f, "198.51.100.7", "203.0.113.2", 1, 4, 4, TCPF_SYN);
	s = source_of(f, "198.51.100.7");
	assert_non_null(s);
	assert_int_equal(s->dl, 0);
	assert_int_equal(pair_of(s, "203.0.113.2")->dl, 0);
	assert_int_equal(s->scan_types, 0); /* nothing published below DL1 */
	assert_int_equal(f->n_changes, 0);

	feed_ports(f, "198.51.100.7", "203.0.113.2", 5, 5, 1, TCPF_SYN);
	s = source_of(f, "198.51.100.7");
	assert_int_equal(s->dl, 1);
	assert_int_equal(pair_of(s, "203.0.113.2")->dl, 1);
	assert_int_equal(s->scan_types, BIT(SCAN_SYN));
	/* one pair change, then one source change */
	assert_int_equal(f->n_changes, 2);
	assert_true(f->changes[0].pair);
	assert_int_equal(f->changes[0].old_dl, 0);
	assert_int_equal(f->changes[0].new_dl, 1);
	assert_true(addr_eq(&f->changes[0].dst, &pair_of(s, "203.0.113.2")->dst));
	assert_false(f->changes[1].pair);
	assert_int_equal(f->changes[1].new_dl, 1);
	assert_int_equal(stats_of(f).counted, 5);
}

/* psad's worked example: 1002 SYNs to ports 1000-1500 of one host -> DL3. */
static void test_syn_scan_dl3(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	const struct pair_state *p;

	fx_start(f);
	feed_ports(f, "192.0.2.55", "192.0.2.1", 1000, 1500, 1002, TCPF_SYN);
	s = source_of(f, "192.0.2.55");
	p = pair_of(s, "192.0.2.1");
	assert_int_equal(s->dl, 3);
	assert_int_equal(p->dl, 3);
	assert_int_equal(s->packets, 1002);
	assert_int_equal(p->tcp.packets, 1002);
	assert_int_equal(p->tcp.ports.count, 501);
	assert_int_equal(p->tcp.ports.min, 1000);
	assert_int_equal(p->tcp.ports.max, 1500);
	assert_int_equal(p->n_flags, 1);
	assert_int_equal(p->flags[0].flags, TCPF_SYN);
	assert_int_equal(p->flags[0].count, 1002);
	assert_int_equal(p->syn_packets, 1002);
	assert_int_equal(p->connect_packets, 0);
	assert_int_equal(s->n_protos, 1);
	assert_int_equal(s->protos[0].proto, IPPROTO_NUM_TCP);
	assert_int_equal(s->protos[0].count, 1002);
	assert_int_equal(p->chain, CHAIN_INPUT);
	assert_int_equal(p->chain_packets[CHAIN_INPUT], 1002);
	assert_string_equal(p->in, "eth0");
	assert_string_equal(p->out, "");
	assert_int_equal(s->scan_types, BIT(SCAN_SYN));
	/* levels 1, 2, 3 each announced once for the pair and the source */
	assert_int_equal(f->n_changes, 6);
}

static void test_fin_scan_dl3(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;

	fx_start(f);
	feed_ports(f, "192.0.2.55", "192.0.2.1", 1000, 1150, 302, TCPF_FIN);
	s = source_of(f, "192.0.2.55");
	assert_int_equal(s->dl, 3);
	assert_int_equal(pair_of(s, "192.0.2.1")->scan_types, BIT(SCAN_FIN));
	assert_int_equal(s->scan_types, BIT(SCAN_FIN));
	assert_string_equal(scan_type_nmap(SCAN_FIN), "-sF");
}

/* Repeated packets to one port never score (range 0): a busy client is not
 * a scanner, however many packets the firewall drops. */
static void test_single_port_never_scores(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;

	fx_start(f);
	feed_ports(f, "192.0.2.9", "192.0.2.1", 443, 443, 20000, TCPF_SYN);
	s = source_of(f, "192.0.2.9");
	assert_int_equal(s->packets, 20000);
	assert_int_equal(s->dl, 0);
	assert_int_equal(pair_of(s, "192.0.2.1")->dl, 0);
	assert_int_equal(f->n_changes, 0);
}

/* psad: 12 SYNs to port 1083 on 11 hosts -> DL1 on every pair; the pairs
 * hit before the sweep threshold are raised too. */
static void test_sweep_every_pair(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	char dst[32];
	size_t pair_changes = 0;

	fx_start(f);
	for (int i = 1; i <= 12; i++) {
		snprintf(dst, sizeof(dst), "10.0.0.%d", i <= 11 ? i : 1);
		struct event ev = ev_tcp("192.0.2.77", dst, 1083, TCPF_SYN);
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
		s = source_of(f, "192.0.2.77");
		assert_int_equal(s->dl, i >= 10 ? 1 : 0);
	}
	s = source_of(f, "192.0.2.77");
	assert_int_equal(s->n_pairs, 11);
	assert_int_equal(s->sweep_dl, 1);
	assert_int_equal(s->dl, 1);
	for (uint32_t i = 0; i < s->n_pairs; i++) {
		assert_int_equal(s->pairs[i]->dl, 1);
		assert_int_equal(s->pairs[i]->scan_types, BIT(SCAN_SYN));
	}
	assert_int_equal(s->scan_types, BIT(SCAN_SYN) | BIT(SCAN_SWEEP));
	for (size_t i = 0; i < f->n_changes; i++)
		pair_changes += f->changes[i].pair;
	assert_int_equal(pair_changes, 11); /* each pair announced once */
}

/* More destinations climb the sweep ladder (10/20/50/100/500). */
static void test_sweep_ladder(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	char dst[32];

	fx_start(f);
	for (int i = 0; i < 300; i++) {
		snprintf(dst, sizeof(dst), "10.1.%d.%d", i / 250, i % 250 + 1);
		struct event ev = ev_tcp("192.0.2.78", dst, 22, TCPF_SYN);
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	}
	/* every destination again: the per-source index must find them all */
	for (int i = 0; i < 300; i++) {
		snprintf(dst, sizeof(dst), "10.1.%d.%d", i / 250, i % 250 + 1);
		struct event ev = ev_tcp("192.0.2.78", dst, 22, TCPF_SYN);
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	}
	s = source_of(f, "192.0.2.78");
	assert_int_equal(s->n_pairs, 300);
	assert_int_equal(s->packets, 600);
	assert_int_equal(s->sweep_dl, 4);
	assert_int_equal(s->dl, 4);
	for (uint32_t i = 0; i < s->n_pairs; i++) {
		assert_int_equal(s->pairs[i]->packets, 2);
		assert_int_equal(s->pairs[i]->dl, 4);
	}
}

static void test_icmp_echo_ping(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	const struct pair_state *p;
	struct event ev = ev_icmp("192.0.2.30", "192.0.2.1", 8, 0);

	fx_start(f);
	for (int i = 0; i < 4; i++)
		feed(f, &ev);
	assert_int_equal(source_of(f, "192.0.2.30")->dl, 0);
	feed(f, &ev);
	s = source_of(f, "192.0.2.30");
	p = pair_of(s, "192.0.2.1");
	assert_int_equal(s->dl, 1); /* packets stand in for the port range */
	assert_int_equal(p->icmp_packets, 5);
	assert_int_equal(p->n_icmp, 1);
	assert_int_equal(p->icmp[0].type, 8);
	assert_int_equal(p->icmp[0].count, 5);
	assert_int_equal(p->win_port_lo, -1);
	assert_int_equal(s->scan_types, BIT(SCAN_PING));
}

static void test_proto_scan(void **state)
{
	struct fx *f = *state;
	static const uint8_t protos[] = {2, 4, 41, 47, IPPROTO_NUM_ESP, IPPROTO_NUM_AH};
	const struct source_state *s;
	const struct pair_state *p;

	fx_start(f);
	for (size_t i = 0; i < sizeof(protos); i++) {
		struct event ev = ev_base("192.0.2.40", "192.0.2.1", protos[i]);
		feed(f, &ev);
	}
	s = source_of(f, "192.0.2.40");
	p = pair_of(s, "192.0.2.1");
	assert_int_equal(p->n_protos, 6);
	assert_int_equal(p->other_packets, 6);
	assert_int_equal(s->n_protos, 6);
	assert_int_equal(p->dl, 1);
	assert_int_equal(s->scan_types, BIT(SCAN_PROTO));
	assert_true(p->protos[47 >> 3] & (1u << (47 & 7)));
}

/* Every protocol number a source uses is counted, past the inline ones in
 * heap the source is charged for; none falls into a bucket. */
static void test_every_protocol_counted(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	struct engine_stats before, after;
	uint64_t sum = 0;

	fx_start(f);
	{
		struct event ev = ev_base("192.0.2.41", "192.0.2.1", IPPROTO_NUM_TCP);
		feed(f, &ev);
	}
	engine_get_stats(f->e, &before);
	for (unsigned proto = 0; proto < 256; proto++) {
		struct event ev = ev_base("192.0.2.41", "192.0.2.1", (uint8_t)(255 - proto));
		feed(f, &ev);
	}
	engine_get_stats(f->e, &after);
	s = source_of(f, "192.0.2.41");
	assert_int_equal(s->n_protos, 256);
	assert_int_equal(source_proto(s, 0)->proto, IPPROTO_NUM_TCP);
	assert_int_equal(source_proto(s, 0)->count, 2);
	for (unsigned i = 0; i < s->n_protos; i++)
		sum += source_proto(s, i)->count;
	assert_int_equal(sum, s->packets);
	assert_int_equal(source_proto(s, 255)->proto, 0);
	/* the 248 past the inline 8 cost their array, and it is charged */
	assert_true(after.memory_used >= before.memory_used + 248 * sizeof(struct proto_count));
}

/* TCP fragments whose header was not logged have ports nobody saw: unlike
 * ICMP, their packet count is not a port range (psad drops them). */
static void test_headerless_tcp_never_scores(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	const struct pair_state *p;

	fx_start(f);
	for (int i = 0; i < 200; i++) {
		struct event ev = ev_base("198.18.0.9", "198.18.0.1", IPPROTO_NUM_TCP);
		ev.ip_flags = i % 2 ? IPF_FRAG : IPF_MF;
		ev.incomplete = !(i % 2);
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	}
	s = source_of(f, "198.18.0.9");
	p = pair_of(s, "198.18.0.1");
	assert_int_equal(s->packets, 200);
	assert_int_equal(p->tcp.packets, 200);
	assert_int_equal(p->tcp.ports.count, 0);
	assert_int_equal(p->n_flags, 0); /* flags unknown, not NULL */
	assert_int_equal(p->win_port_lo, -1);
	assert_int_equal(s->dl, 0);
	assert_int_equal(s->scan_types, 0);
}

/* Four protocols (IGMP-like noise) do not make a protocol scan: psad's
 * "4 IGMP packets -> nothing". */
static void test_few_protos_nothing(void **state)
{
	struct fx *f = *state;

	fx_start(f);
	for (int i = 0; i < 4; i++) {
		struct event ev = ev_base("192.0.2.41", "224.0.0.1", 2);
		feed(f, &ev);
	}
	assert_int_equal(source_of(f, "192.0.2.41")->dl, 0);
}

/* ---- scoring window -------------------------------------------------- */

static void test_window_reset_after_idle(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	const struct pair_state *p;

	fx_start(f);
	feed_ports(f, "192.0.2.50", "192.0.2.1", 1, 4, 4, TCPF_SYN);
	f->now += 3601; /* SCAN_TIMEOUT 3600 of silence */
	feed_ports(f, "192.0.2.50", "192.0.2.1", 10, 13, 4, TCPF_SYN);
	s = source_of(f, "192.0.2.50");
	p = pair_of(s, "192.0.2.1");
	/* the window forgot the first four ports, the pair's breadth did not:
	 * eight distinct ports (DANGER_LEVEL1 = 5) */
	assert_int_equal(s->dl, 1);
	assert_int_equal(p->win_packets, 4);
	assert_int_equal(p->win_port_lo, 10);
	assert_int_equal(p->win_port_hi, 13);
	/* the report's counters are cumulative */
	assert_int_equal(p->packets, 8);
	assert_int_equal(p->tcp.ports.count, 8);
	assert_int_equal(stats_of(f).pairs_expired, 1);
}

static void test_window_persistence(void **state)
{
	struct fx *f = *state;

	f->cfg.enable_persistence = true;
	fx_start(f);
	feed_ports(f, "192.0.2.50", "192.0.2.1", 1, 4, 4, TCPF_SYN);
	f->now += 100000;
	feed_ports(f, "192.0.2.50", "192.0.2.1", 10, 10, 1, TCPF_SYN);
	assert_int_equal(source_of(f, "192.0.2.50")->dl, 1);
	assert_int_equal(stats_of(f).pairs_expired, 0);
}

/* psad timed the window from the first packet, so a slow scan lost its
 * counts every hour; vigil times it from the last packet. */
static void test_window_slow_scan_kept(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;

	fx_start(f);
	for (int i = 0; i < 5; i++) {
		feed_ports(f, "192.0.2.51", "192.0.2.1", (uint32_t)(100 + i), (uint32_t)(100 + i),
			   1, TCPF_SYN);
		f->now += 3000;
	}
	s = source_of(f, "192.0.2.51");
	assert_int_equal(s->dl, 1);
	assert_int_equal(stats_of(f).pairs_expired, 0);
	/* a clock stepping back is not idleness */
	f->now = T0 - 100000;
	feed_ports(f, "192.0.2.51", "192.0.2.1", 200, 200, 1, TCPF_SYN);
	assert_int_equal(pair_of(source_of(f, "192.0.2.51"), "192.0.2.1")->win_packets, 6);
}

/* A low-and-slow scan: 150 distinct ports of one host over two days, a
 * probe every 20 minutes with a pause of over an hour every 10 probes (the
 * scoring window restarts 14 times). psad -A counts 150 packets: DL 3. */
static void test_low_and_slow_keeps_breadth(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;

	fx_start(f);
	for (uint32_t i = 0; i < 150; i++) {
		feed_ports(f, "192.0.2.52", "192.0.2.1", 1000 + 7 * i, 1000 + 7 * i, 1, TCPF_SYN);
		f->now += i % 10 == 9 ? 4000 : 1150;
	}
	s = source_of(f, "192.0.2.52");
	assert_true(f->now - T0 > 2 * 86400 - 86400 / 2);
	assert_int_equal(stats_of(f).pairs_expired, 14);
	assert_int_equal(pair_of(s, "192.0.2.1")->win_packets, 10);
	assert_int_equal(s->dl, 3);
	assert_int_equal(pair_of(s, "192.0.2.1")->dl, 3);
	assert_int_equal(s->scan_dl, 3);

	/* repetition is not breadth: 150 packets to two ports, spread the same
	 * way, stay at the level one window gives (10 packets: DL 1) */
	for (uint32_t i = 0; i < 150; i++) {
		feed_ports(f, "192.0.2.53", "192.0.2.1", 22 + i % 2, 22 + i % 2, 1, TCPF_SYN);
		f->now += i % 10 == 9 ? 4000 : 1150;
	}
	assert_int_equal(source_of(f, "192.0.2.53")->dl, 1);

	/* a port range below PORT_RANGE_SCAN_THRESHOLD does not score on breadth */
	f->e = engine_free(f->e);
	f->cfg.port_range_scan_threshold = 2000;
	fx_start(f);
	for (uint32_t i = 0; i < 150; i++) {
		feed_ports(f, "192.0.2.54", "192.0.2.1", 1000 + i, 1000 + i, 1, TCPF_SYN);
		f->now += 4000;
	}
	assert_int_equal(source_of(f, "192.0.2.54")->dl, 0);
}

/* ---- classification ------------------------------------------------------- */

static void test_syn_vs_connect(void **state)
{
	struct fx *f = *state;
	const struct pair_state *p;

	fx_start(f);
	for (int i = 0; i < 6; i++) { /* nmap -sS: MSS only */
		struct event ev = ev_tcp("192.0.2.60", "192.0.2.1", (uint16_t)(20 + i), TCPF_SYN);
		ev.has_tcp_opts = true;
		ev.tcp_opts.count = 1;
		ev.tcp_opts.has_mss = true;
		ev.ip_len = 44;
		feed(f, &ev);
	}
	for (int i = 0; i < 6; i++) { /* connect(): full option set */
		struct event ev = ev_tcp("192.0.2.61", "192.0.2.1", (uint16_t)(20 + i), TCPF_SYN);
		ev.has_tcp_opts = true;
		ev.tcp_opts.has_mss = ev.tcp_opts.has_sackok = true;
		ev.tcp_opts.has_ts = ev.tcp_opts.has_ws = true;
		ev.ip_len = 60;
		feed(f, &ev);
	}
	for (int i = 0; i < 6; i++) { /* no options logged: by length */
		struct event ev = ev_tcp("192.0.2.62", "192.0.2.1", (uint16_t)(20 + i), TCPF_SYN);
		ev.ip_len = i < 3 ? 44 : 60;
		feed(f, &ev);
	}
	p = pair_of(source_of(f, "192.0.2.60"), "192.0.2.1");
	assert_int_equal(p->syn_packets, 6);
	assert_int_equal(p->connect_packets, 0);
	assert_int_equal(p->scan_types, BIT(SCAN_SYN));
	p = pair_of(source_of(f, "192.0.2.61"), "192.0.2.1");
	assert_int_equal(p->syn_packets, 0);
	assert_int_equal(p->connect_packets, 6);
	assert_int_equal(p->scan_types, BIT(SCAN_CONNECT));
	assert_int_equal(source_of(f, "192.0.2.61")->scan_types, BIT(SCAN_CONNECT));
	/* 44 bytes: a raw SYN; 60: a connect() or a raw SYN with options or
	 * data, which the log cannot tell without the options */
	p = pair_of(source_of(f, "192.0.2.62"), "192.0.2.1");
	assert_int_equal(p->syn_packets, 3);
	assert_int_equal(p->connect_packets, 0);
	assert_int_equal(p->scan_types, BIT(SCAN_SYN) | BIT(SCAN_SYN_UNTOLD));
}

static void test_ecn_syn_is_syn(void **state)
{
	struct fx *f = *state;
	const struct pair_state *p;

	fx_start(f);
	feed_ports(f, "192.0.2.63", "192.0.2.1", 1, 5, 5, TCPF_SYN | TCPF_ECE | TCPF_CWR);
	p = pair_of(source_of(f, "192.0.2.63"), "192.0.2.1");
	assert_int_equal(p->dl, 1);
	assert_int_equal(p->scan_types, BIT(SCAN_SYN));
	assert_int_equal(p->syn_packets, 5);
	/* the report shows the flag set as logged */
	assert_int_equal(p->flags[0].flags, TCPF_SYN | TCPF_ECE | TCPF_CWR);
}

static void test_mixed_flag_types(void **state)
{
	struct fx *f = *state;
	static const uint8_t sets[] = {
	    TCPF_FIN,
	    0,
	    TCPF_URG | TCPF_PSH | TCPF_FIN,
	    TCPF_ACK,
	    TCPF_ACK | TCPF_FIN,
	    TCPF_SYN | TCPF_FIN,
	    TCPF_URG | TCPF_PSH | TCPF_SYN | TCPF_FIN,
	    TCPF_URG, /* (RST would be a reply: blame.c counts it apart) */
	    TCPF_ACK | TCPF_PSH, /* the ninth set does not fit PAIR_FLAGSETS_MAX */
	};
	const struct pair_state *p;

	fx_start(f);
	for (size_t i = 0; i < sizeof(sets); i++) {
		struct event ev = ev_tcp("192.0.2.64", "192.0.2.1", (uint16_t)(100 + i), sets[i]);
		feed(f, &ev);
	}
	p = pair_of(source_of(f, "192.0.2.64"), "192.0.2.1");
	assert_int_equal(p->n_flags, PAIR_FLAGSETS_MAX);
	assert_int_equal(p->flags_other, 1);
	assert_int_equal(p->scan_types, BIT(SCAN_FIN) | BIT(SCAN_NULL) | BIT(SCAN_XMAS) |
					    BIT(SCAN_ACK) | BIT(SCAN_MAIMON) | BIT(SCAN_SYNFIN) |
					    BIT(SCAN_OTHER));
}

static void test_udp_and_icmp_overflow(void **state)
{
	struct fx *f = *state;
	const struct pair_state *p;

	fx_start(f);
	for (int i = 0; i < 5; i++) {
		struct event ev = ev_base("192.0.2.65", "192.0.2.1", IPPROTO_NUM_UDP);
		ev.has_ports = true;
		ev.dport = (uint16_t)(53 + i);
		feed(f, &ev);
	}
	for (int t = 0; t < PAIR_ICMP_MAX + 2; t++) {
		struct event ev = ev_icmp("192.0.2.65", "192.0.2.1", 3, (uint8_t)t);
		feed(f, &ev);
	}
	p = pair_of(source_of(f, "192.0.2.65"), "192.0.2.1");
	assert_int_equal(p->udp.packets, 5);
	assert_int_equal(p->udp.ports.count, 5);
	assert_int_equal(p->n_icmp, PAIR_ICMP_MAX);
	assert_int_equal(p->icmp_other, 2);
	assert_int_equal(p->icmp_packets, PAIR_ICMP_MAX + 2);
	assert_int_equal(p->n_protos, 2);
	/* port unreachable errors are not probes: UDP only */
	assert_int_equal(p->scan_types, BIT(SCAN_UDP));
}

/* ---- filters ----------------------------------------------------------- */

static void test_filter_verdicts(void **state)
{
	struct fx *f = *state;
	struct event ev;
	struct engine_stats st;

	f->cfg.enable_ipv6 = false;
	f->cfg.fw_search_all = false;
	snprintf(f->cfg.fw_msg_search[0], CONFIG_STR_MAX, "DROP");
	f->cfg.n_fw_msg_search = 1;
	snprintf(f->cfg.ignore_intf[0], CONFIG_IFNAME_MAX, "lo");
	f->cfg.n_ignore_intf = 1;
	f->cfg.ignore_proto[IPPROTO_NUM_ESP] = true;
	f->cfg.ignore_ports[0] = (struct port_range){IPPROTO_NUM_TCP, 61000, 61356};
	f->cfg.n_ignore_ports = 1;
	f->cfg.ignore_conntrack_bug_pkts = true;
	fx_start(f);

	ev = ev_tcp("2001:db8::1", "2001:db8::2", 22, TCPF_SYN);
	ev.prefix = SPAN_LIT("DROP");
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_IPV6);
	ev = ev_tcp("192.0.2.1", "192.0.2.2", 22, TCPF_SYN);
	ev.prefix = SPAN_LIT("ACCEPT");
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_PREFIX);
	ev.prefix = SPAN_LIT("FW DROP in");
	ev.in = SPAN_LIT("lo");
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_INTF);
	/* OUTPUT is matched on OUT= */
	ev.chain = CHAIN_OUTPUT;
	ev.in = SPAN_LIT("");
	ev.out = SPAN_LIT("lo");
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_INTF);
	ev.chain = CHAIN_INPUT;
	ev.in = SPAN_LIT("eth0");
	ev.out = SPAN_LIT("");
	ev.proto = IPPROTO_NUM_ESP;
	ev.has_ports = false;
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_PROTO);
	ev = ev_tcp("192.0.2.1", "192.0.2.2", 61100, TCPF_SYN);
	ev.prefix = SPAN_LIT("DROP");
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_PORT);
	ev.dport = 61357;
	ev.tcp_flags = TCPF_ACK;
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_CONNTRACK);
	ev.tcp_flags = TCPF_RST;
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_CONNTRACK);
	ev.tcp_flags = TCPF_SYN;
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);

	st = stats_of(f);
	assert_int_equal(st.counted, 1);
	assert_int_equal(st.ignored[ENGINE_IGNORED_IPV6], 1);
	assert_int_equal(st.ignored[ENGINE_IGNORED_PREFIX], 1);
	assert_int_equal(st.ignored[ENGINE_IGNORED_INTF], 2);
	assert_int_equal(st.ignored[ENGINE_IGNORED_PROTO], 1);
	assert_int_equal(st.ignored[ENGINE_IGNORED_PORT], 1);
	assert_int_equal(st.ignored[ENGINE_IGNORED_CONNTRACK], 2);
	assert_int_equal(engine_source_count(f->e), 1);
	assert_int_equal(source_of(f, "192.0.2.1")->packets, 1);
}

static void test_verdict_names(void **state)
{
	static const char *const want[] = {"counted",  "ipv6", "prefix",    "interface",
					   "protocol", "port", "conntrack", "auto_dl",
					   "signature", "log_prefix", "accepted", "output",
					   "reply"};

	(void)state;
	for (int v = 0; v < _ENGINE_VERDICT_MAX; v++)
		assert_string_equal(engine_verdict_name((enum engine_verdict)v), want[v]);
	assert_string_equal(engine_verdict_name(_ENGINE_VERDICT_MAX), "unknown");
}

static void test_autodl(void **state)
{
	struct fx *f = *state;
	static const char file[] = "192.0.2.66 0;\n192.0.2.67 5;\n";
	struct event ev;
	const struct source_state *s;

	assert_int_equal(autodl_load_buf("auto_dl", file, sizeof(file) - 1, NULL, NULL, &f->adl),
			 0);
	fx_start(f);
	ev = ev_tcp("192.0.2.66", "192.0.2.1", 22, TCPF_SYN);
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_AUTODL);
	assert_int_equal(stats_of(f).ignored[ENGINE_IGNORED_AUTODL], 1);
	assert_null(source_of(f, "192.0.2.66"));

	/* one packet to one port: only auto_dl makes it dangerous */
	ev = ev_tcp("192.0.2.67", "192.0.2.1", 22, TCPF_SYN);
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	s = source_of(f, "192.0.2.67");
	assert_int_equal(s->autodl_dl, 5);
	assert_int_equal(s->dl, 5);
	assert_int_equal(pair_of(s, "192.0.2.1")->dl, 0);
	assert_int_equal(f->n_changes, 1);
	assert_false(f->changes[0].pair);
	assert_int_equal(f->changes[0].new_dl, 5);
	ev = ev_tcp("192.0.2.68", "192.0.2.1", 22, TCPF_SYN);
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	assert_int_equal(source_of(f, "192.0.2.68")->dl, 0);
}

/* ---- bounds ------------------------------------------------------------- */

static void test_eviction(void **state)
{
	struct fx *f = *state;
	struct engine_stats st;
	char src[32];
	size_t n;
	const struct source_state **v;

	f->cfg.max_sources = 8;
	fx_start(f);
	feed_ports(f, "192.0.2.200", "192.0.2.1", 1, 20, 20, TCPF_SYN); /* DL2 */
	for (int i = 0; i < 1000; i++) {
		snprintf(src, sizeof(src), "10.9.%d.%d", i / 200, i % 200 + 1);
		struct event ev = ev_tcp(src, "192.0.2.1", 80, TCPF_SYN);
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
		assert_true(engine_source_count(f->e) <= 8);
		f->now++;
	}
	st = stats_of(f);
	assert_int_equal(engine_source_count(f->e), 8);
	assert_int_equal(st.counted, 1020);
	assert_int_equal(st.sources_evicted, 1001 - 8);
	assert_int_equal(st.packets_evicted, 1001 - 8); /* one packet each */
	/* the dangerous source outlives the flood */
	assert_non_null(source_of(f, "192.0.2.200"));
	assert_int_equal(source_of(f, "192.0.2.200")->dl, 2);

	/* every source left is still found (no duplicate after re-feeding) */
	v = engine_sources_sorted(f->e, &n);
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++) {
		char buf[ADDR_STR_MAX];
		addr_format(&v[i]->src, buf);
		struct event ev = ev_tcp(buf, "192.0.2.1", 80, TCPF_SYN);
		feed(f, &ev);
	}
	free(v);
	assert_int_equal(stats_of(f).sources_evicted, st.sources_evicted);
	assert_int_equal(engine_source_count(f->e), 8);
}

/* Many sources through a mid-sized table: index growth, backward-shift
 * deletion and slab reuse must keep every live source reachable. */
static void test_eviction_churn(void **state)
{
	struct fx *f = *state;
	char src[40];
	size_t n;
	const struct source_state **v;
	uint64_t before;

	f->cfg.max_sources = 500;
	fx_start(f);
	for (int i = 0; i < 20000; i++) {
		snprintf(src, sizeof(src), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
		struct event ev = ev_tcp(src, "192.0.2.1", 80, TCPF_SYN);
		feed(f, &ev);
		if (i % 3 == 0) /* some repeat packets to recent sources */
			feed(f, &ev);
	}
	assert_int_equal(engine_source_count(f->e), 500);
	before = stats_of(f).sources_evicted;
	v = engine_sources_sorted(f->e, &n);
	assert_int_equal(n, 500);
	for (size_t i = 0; i < n; i++) {
		char buf[ADDR_STR_MAX];
		addr_format(&v[i]->src, buf);
		struct event ev = ev_tcp(buf, "192.0.2.1", 80, TCPF_SYN);
		feed(f, &ev);
	}
	free(v);
	assert_int_equal(stats_of(f).sources_evicted, before);
}

static void test_max_dsts_per_source(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	struct engine_stats st;
	char dst[32];

	f->cfg.max_dsts_per_source = 4;
	fx_start(f);
	for (int i = 1; i <= 14; i++) {
		snprintf(dst, sizeof(dst), "10.0.0.%d", i);
		struct event ev = ev_tcp("192.0.2.90", dst, 22, TCPF_SYN);
		feed(f, &ev);
	}
	/* the same untracked destination again: counted once */
	for (int i = 0; i < 5; i++) {
		struct event ev = ev_tcp("192.0.2.90", "10.0.0.14", 22, TCPF_SYN);
		feed(f, &ev);
	}
	s = source_of(f, "192.0.2.90");
	st = stats_of(f);
	assert_int_equal(s->n_pairs, 4);
	assert_int_equal(s->packets, 19);
	assert_int_equal(s->untracked_packets, 15);
	/* a hash sketch: exact unless two of ten collide in 1024 bits (~4%) */
	assert_in_range(s->untracked_dsts, 9, 10);
	assert_int_equal(st.dsts_untracked, s->untracked_dsts);
	/* untracked destinations still count towards the sweep */
	assert_int_equal(s->sweep_dl, 1);
	assert_true(s->scan_types & BIT(SCAN_SWEEP));
	for (uint32_t i = 0; i < s->n_pairs; i++)
		assert_int_equal(s->pairs[i]->dl, 1);
}

/* Untracked counting stays near the truth for thousands of destinations. */
static void test_untracked_estimate(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	char dst[32];

	f->cfg.max_dsts_per_source = 16; /* sketch of 1024 bits */
	fx_start(f);
	for (int i = 0; i < 2016; i++) {
		snprintf(dst, sizeof(dst), "10.2.%d.%d", i / 250, i % 250);
		struct event ev = ev_icmp("192.0.2.91", dst, 8, 0);
		feed(f, &ev);
	}
	s = source_of(f, "192.0.2.91");
	assert_int_equal(s->n_pairs, 16);
	assert_int_equal(s->untracked_packets, 2000);
	assert_in_range(s->untracked_dsts, 1800, 2200);
	assert_int_equal(s->sweep_dl, 5);
	assert_true(s->scan_types & BIT(SCAN_PING));
}

static void test_max_scan_ip_pairs(void **state)
{
	struct fx *f = *state;
	char src[32];

	f->cfg.max_scan_ip_pairs = 10;
	fx_start(f);
	feed_ports(f, "192.0.2.100", "192.0.2.1", 1, 20, 20, TCPF_SYN); /* DL2 */
	for (int i = 1; i <= 30; i++) {
		snprintf(src, sizeof(src), "10.3.0.%d", i);
		struct event ev = ev_tcp(src, "192.0.2.1", 80, TCPF_SYN);
		feed(f, &ev);
		f->now++;
	}
	assert_int_equal(engine_source_count(f->e), 10);
	assert_int_equal(stats_of(f).sources_evicted, 21);
	assert_non_null(source_of(f, "192.0.2.100"));

	/* one source cannot hold more pairs than the cap: the rest is counted */
	for (int i = 1; i <= 15; i++) {
		snprintf(src, sizeof(src), "10.4.0.%d", i);
		struct event ev = ev_tcp("192.0.2.100", src, 80, TCPF_SYN);
		feed(f, &ev);
	}
	assert_int_equal(engine_source_count(f->e), 1);
	assert_int_equal(source_of(f, "192.0.2.100")->n_pairs, 10);
	assert_in_range(source_of(f, "192.0.2.100")->untracked_dsts, 5, 6);
}

static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1664525u + 1013904223u;
	return *x >> 8;
}

/* Hostile mix under tiny caps: every bound holds after every event, and the
 * published levels are consistent with what they are made of. */
static void test_random_invariants(void **state)
{
	struct fx *f = *state;
	uint32_t x = 4242;
	struct engine_stats st;
	size_t n;
	const struct source_state **v;
	uint64_t packets = 0;

	f->cfg.max_sources = 40;
	f->cfg.max_dsts_per_source = 12;
	f->cfg.max_scan_ip_pairs = 150;
	f->cfg.scan_timeout = 50;
	fx_start(f);
	for (int i = 0; i < 200000; i++) {
		struct event ev = ev_base("10.0.0.0", "10.1.0.0", (uint8_t)lcg(&x));
		ev.src.b[3] = (uint8_t)(lcg(&x) % 120);
		ev.dst.b[3] = (uint8_t)(lcg(&x) % 40);
		if (lcg(&x) % 4 == 0) { /* a few v6 */
			ev.src.family = ev.dst.family = ADDR_V6;
		}
		if (lcg(&x) % 2)
			ev.proto =
			    (uint8_t[]){IPPROTO_NUM_TCP, IPPROTO_NUM_UDP, IPPROTO_NUM_ICMP,
					IPPROTO_NUM_ICMPV6, IPPROTO_NUM_UDPLITE}[lcg(&x) % 5];
		ev.has_ports = lcg(&x) % 8 != 0;
		ev.dport = (uint16_t)lcg(&x);
		ev.sport = 40000; /* never a service's reply (blame.c) */
		ev.tcp_flags = (uint8_t)lcg(&x);
		ev.has_icmp = true;
		ev.icmp_type = (uint8_t)(lcg(&x) % 20);
		ev.icmp_code = (uint8_t)(lcg(&x) % 20);
		ev.has_tcp_opts = lcg(&x) % 2;
		ev.tcp_opts.has_ts = lcg(&x) % 2;
		ev.ip_len = (uint16_t)lcg(&x);
		ev.time.sec = T0 + (int64_t)(lcg(&x) % 100000);
		ev.time.kind = (uint8_t)(lcg(&x) % 3);
		f->now += (int64_t)(lcg(&x) % 7) - 2; /* mostly forward, sometimes back */
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
		assert_true(engine_source_count(f->e) <= 40);
	}
	st = stats_of(f);
	assert_int_equal(st.counted, 200000);
	assert_true(st.sources_evicted > 0);
	assert_true(st.pairs_expired > 0);
	v = engine_sources_sorted(f->e, &n);
	assert_int_equal(n, engine_source_count(f->e));
	uint64_t pairs = 0;
	for (size_t i = 0; i < n; i++) {
		const struct source_state *s = v[i];
		uint8_t dl = s->sweep_dl > s->autodl_dl ? s->sweep_dl : s->autodl_dl;
		uint64_t pair_packets = 0;
		if (i > 0) /* sorted: dl desc, packets desc */
			assert_true(v[i - 1]->dl > s->dl ||
				    (v[i - 1]->dl == s->dl && v[i - 1]->packets >= s->packets));
		assert_true(s->n_pairs <= 12);
		pairs += s->n_pairs;
		for (uint32_t k = 0; k < s->n_pairs; k++) {
			const struct pair_state *p = s->pairs[k];
			dl = p->dl > dl ? p->dl : dl;
			pair_packets += p->packets;
			assert_true(p->dl <= 5);
			assert_true(p->tcp.ports.count <= p->tcp.packets);
			assert_true(p->n_flags <= PAIR_FLAGSETS_MAX && p->n_icmp <= PAIR_ICMP_MAX);
			assert_int_equal(p->scan_types & ~(p->probe_types | BIT(SCAN_PROTO)), 0);
			for (uint32_t k2 = 0; k2 < k; k2++) /* destinations are distinct */
				assert_false(addr_eq(&s->pairs[k2]->dst, &p->dst));
		}
		/* replies (SYN-ACK, RST) are counted apart, at DL 1 at most */
		if (s->reflected && s->reflected->packets >= 5 && s->reflected->dports.count > 1)
			dl = dl > 1 ? dl : 1;
		assert_int_equal(s->dl, dl);
		assert_int_equal(s->packets, pair_packets + s->untracked_packets +
						 (s->reflected ? s->reflected->packets : 0));
		packets += s->packets;
	}
	assert_true(pairs <= 150);
	assert_int_equal(packets + st.packets_evicted, st.counted);
	free(v);
}

/* ---- reporting helpers --------------------------------------------------- */

static void test_sorted(void **state)
{
	struct fx *f = *state;
	size_t n;
	const struct source_state **v;

	fx_start(f);
	feed_ports(f, "192.0.2.3", "192.0.2.1", 80, 80, 3, TCPF_SYN);	/* DL0, 3 pkts */
	feed_ports(f, "192.0.2.2", "192.0.2.1", 80, 80, 3, TCPF_SYN);	/* DL0, 3 pkts */
	feed_ports(f, "192.0.2.9", "192.0.2.1", 80, 80, 7, TCPF_SYN);	/* DL0, 7 pkts */
	feed_ports(f, "2001:db8::5", "2001:db8::1", 1, 5, 5, TCPF_SYN); /* DL1, 5 pkts */
	feed_ports(f, "192.0.2.8", "192.0.2.1", 1, 9, 9, TCPF_SYN);	/* DL1, 9 pkts */
	feed_ports(f, "192.0.2.7", "192.0.2.1", 1, 500, 200, TCPF_SYN); /* DL3 */
	v = engine_sources_sorted(f->e, &n);
	assert_int_equal(n, 6);
	static const char *const want[] = {"192.0.2.7", "192.0.2.8", "2001:db8::5",
					   "192.0.2.9", "192.0.2.2", "192.0.2.3"};
	for (size_t i = 0; i < n; i++) {
		struct addr a = ip(want[i]);
		assert_true(addr_eq(&v[i]->src, &a));
	}
	free(v);
}

static void test_empty_engine(void **state)
{
	struct fx *f = *state;
	size_t n = 99;
	struct engine_stats st;

	fx_start(f);
	assert_null(engine_sources_sorted(f->e, &n));
	assert_int_equal(n, 0);
	assert_int_equal(engine_source_count(f->e), 0);
	st = stats_of(f);
	assert_int_equal(st.counted, 0);
	assert_null(engine_free(NULL));
}

static void test_times_and_interfaces(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	const struct pair_state *p;
	struct event ev = ev_tcp("192.0.2.95", "192.0.2.1", 22, TCPF_SYN);

	fx_start(f);
	ev.chain = CHAIN_FORWARD;
	ev.in = SPAN_LIT("eth\x01\\");
	ev.out = SPAN_LIT("a-very-long-interface-name");
	ev.time.sec = T0 + 10;
	feed(f, &ev);
	ev.time.sec = T0 + 5; /* out of order */
	ev.time.usec = 7;
	ev.in = SPAN_LIT("eth9"); /* the first packet's names stay */
	feed(f, &ev);
	ev.time.kind = VTIME_NONE;
	ev.time.sec = 0;
	feed(f, &ev);
	ev.time.kind = VTIME_WALL;
	ev.time.sec = T0 + 20;
	ev.time.usec = 0;
	ev.chain = CHAIN_INPUT;
	feed(f, &ev);
	s = source_of(f, "192.0.2.95");
	p = pair_of(s, "192.0.2.1");
	assert_int_equal(s->first.sec, T0 + 5);
	assert_int_equal(s->first.usec, 7);
	assert_int_equal(s->last.sec, T0 + 20);
	assert_int_equal(p->first.sec, T0 + 5);
	assert_int_equal(p->last.sec, T0 + 20);
	assert_int_equal(p->chain, CHAIN_FORWARD);
	assert_int_equal(p->chain_packets[CHAIN_FORWARD], 3);
	assert_int_equal(p->chain_packets[CHAIN_INPUT], 1);
	assert_string_equal(p->in, "eth\\x01\\x5c");
	assert_true(strlen(p->out) < STATE_IFNAME_MAX);
	assert_memory_equal(p->out, "a-very-long", 11);
	assert_int_equal(s->packets, 4);
}

/* ---- memory limit and eviction by evidence ------------------------------- */

static int any_var(void *data, struct span name, struct span *ret)
{
	(void)data;
	(void)name;
	*ret = SPAN_LIT("any");
	return 0;
}

/* A SYN from spoofed source number i (distinct IPv6 addresses). */
static struct event ev_spoofed(uint32_t i, uint16_t dport)
{
	struct event ev = ev_tcp("2001:db8:8000::", "192.0.2.1", dport, TCPF_SYN);

	ev.src.b[12] = (uint8_t)(i >> 24);
	ev.src.b[13] = (uint8_t)(i >> 16);
	ev.src.b[14] = (uint8_t)(i >> 8);
	ev.src.b[15] = (uint8_t)i;
	ev.dst.family = ADDR_V6; /* 2001:db8::1 */
	memset(ev.dst.b, 0, sizeof(ev.dst.b));
	ev.dst.b[0] = 0x20, ev.dst.b[1] = 0x01, ev.dst.b[2] = 0x0d, ev.dst.b[3] = 0xb8;
	ev.dst.b[15] = 1;
	return ev;
}

/* The case, with default settings: a 100-port scan (DL 2) survives
 * 400,000 one-packet spoofed sources that each hit a DL 3 signature port.
 * Eviction used to rank by level first, so the flood's one-packet DL 3
 * sources outranked the scan and it was the first to go. */
static void test_scan_survives_dl3_flood(void **state)
{
	struct fx *f = *state;
	static const char rule[] = "alert tcp any any -> any 31337 (msg:\"backdoor\"; flags:S,12; "
				   "psad_id:300069; psad_dl:3;)\n";
	struct matchers m = { 0 };
	const struct source_state *scan;
	struct engine_stats st;

	assert_int_equal(sigset_load_buf("rules", rule, sizeof(rule) - 1, any_var, NULL, NULL, NULL,
					 &m.sigs),
			 0);
	fx_start(f);
	engine_set_matchers(f->e, &m);
	for (uint32_t i = 0; i < 100; i++) {
		struct event ev = ev_tcp("198.51.100.7", "192.0.2.1", (uint16_t)(1 + i * 37 % 100),
					 TCPF_SYN);
		feed(f, &ev);
	}
	assert_int_equal(source_of(f, "198.51.100.7")->dl, 2);
	for (uint32_t i = 0; i < 400000; i++) {
		struct event ev = ev_spoofed(i, 31337);
		feed(f, &ev);
		if (i % 1000 == 0)
			f->now++;
	}
	st = stats_of(f);
	scan = source_of(f, "198.51.100.7");
	assert_non_null(scan);
	assert_int_equal(scan->dl, 2);
	assert_int_equal(scan->packets, 100);
	assert_true(st.sources_evicted >= 400000 - st.max_sources);
	assert_int_equal(st.sources_evicted + engine_source_count(f->e), 400001);
	assert_true(st.memory_used <= st.memory_limit);
	assert_true(st.memory_limit == 200u << 20);
	/* the report names the most dangerous of what was lost */
	assert_int_equal(st.n_evicted_top, ENGINE_EVICTED_TOP);
	for (size_t i = 0; i < st.n_evicted_top; i++) {
		/* one packet to a DL 3 rule's port is DL 2 without evidence (intel.c) */
		assert_int_equal(st.evicted_top[i].dl, 2);
		assert_int_equal(st.evicted_top[i].packets, 1);
		assert_int_equal(st.evicted_top[i].ports, 1);
		assert_int_equal(st.evicted_top[i].dsts, 1);
	}
	f->e = engine_free(f->e);
	sigset_free(m.sigs);
}

/* A source that has not been seen for days gives way to new evidence:
 * its rank halves every idle day. */
static void test_old_evidence_ages(void **state)
{
	struct fx *f = *state;

	f->cfg.max_sources = 40;
	fx_start(f);
	feed_ports(f, "198.51.100.7", "192.0.2.1", 1, 100, 100, TCPF_SYN); /* 1716 */
	for (uint32_t i = 0; i < 1000; i++) {
		struct event ev = ev_spoofed(i, 22);
		feed(f, &ev);
	}
	assert_non_null(source_of(f, "198.51.100.7"));
	f->now += 6 * 86400; /* 1716 >> 6 = 26 < 49 */
	for (uint32_t i = 1000; i < 2000; i++) {
		struct event ev = ev_spoofed(i, 22);
		feed(f, &ev);
	}
	assert_null(source_of(f, "198.51.100.7"));
	/* and it is the first in the list of what was evicted */
	assert_int_equal(stats_of(f).evicted_top[0].dl, 2);
	assert_int_equal(stats_of(f).evicted_top[0].packets, 100);
}

/* The evicted list keeps the most dangerous, each address once. */
static void test_evicted_top(void **state)
{
	struct fx *f = *state;
	struct engine_stats st;
	char src[32];

	f->cfg.max_sources = 2;
	fx_start(f);
	/* twelve DL 2 scans of 20..31 ports, each pushed out by the next but
	 * the last, which the flood sources never push out */
	for (int i = 0; i < 12; i++) {
		snprintf(src, sizeof(src), "198.51.100.%d", i + 1);
		feed_ports(f, src, "192.0.2.1", 1, (uint32_t)(20 + i), (uint32_t)(20 + i), TCPF_SYN);
		f->now++;
		/* and a flood source the same way, twice */
		for (int k = 0; k < 2; k++) {
			struct event ev = ev_spoofed((uint32_t)i, 22);
			feed(f, &ev);
			struct event ev2 = ev_spoofed(1000, 22);
			feed(f, &ev2);
		}
	}
	for (uint32_t i = 2000; i < 2010; i++) {
		struct event ev = ev_spoofed(i, 22);
		feed(f, &ev);
	}
	st = stats_of(f);
	assert_int_equal(st.n_evicted_top, ENGINE_EVICTED_TOP);
	for (size_t i = 0; i < st.n_evicted_top; i++) {
		/* DL 2 scans only, most ports first, no address twice */
		assert_int_equal(st.evicted_top[i].dl, 2);
		assert_int_equal(st.evicted_top[i].ports, 30 - i);
		for (size_t k = 0; k < i; k++)
			assert_false(addr_eq(&st.evicted_top[k].src, &st.evicted_top[i].src));
	}
}

/* Under a small MEMORY_LIMIT, every shape of flood stays within it after
 * every event, and what does not fit is counted. */
struct shape {
	const char *name;
	uint32_t n;
};

static struct event shape_event(const char *shape, uint32_t i)
{
	struct event ev;

	if (strcmp(shape, "sources") == 0)
		return ev_spoofed(i, 80);
	if (strcmp(shape, "pairs") == 0) { /* 100 sources x many destinations */
		ev = ev_spoofed(i % 100, 80);
		ev.dst.b[12] = (uint8_t)(i >> 24), ev.dst.b[13] = (uint8_t)(i >> 16);
		ev.dst.b[14] = (uint8_t)(i >> 8), ev.dst.b[15] = (uint8_t)i;
		ev.chain = CHAIN_FORWARD;
		return ev;
	}
	if (strcmp(shape, "dsts") == 0) { /* 4 sources, every destination new */
		ev = ev_spoofed(i % 4, 80);
		ev.dst.b[12] = (uint8_t)(i >> 24), ev.dst.b[13] = (uint8_t)(i >> 16);
		ev.dst.b[14] = (uint8_t)(i >> 8), ev.dst.b[15] = (uint8_t)i;
		return ev;
	}
	/* ports: a new pair every 2200 events, 1100 odd ports (never adjacent:
	 * a bitmap) in TCP and in UDP */
	ev = ev_spoofed(i / 2200, (uint16_t)(2 * (i % 2200 / 2 * 7919 % 32768) + 1));
	if (i % 2)
		ev.proto = IPPROTO_NUM_UDP;
	return ev;
}

static void test_memory_limit_every_shape(void **state)
{
	struct fx *f = *state;
	static const struct shape shapes[] = {
		{ "sources", 60000 }, { "pairs", 60000 }, { "dsts", 60000 }, { "ports", 600000 },
	};

	for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
		struct engine_stats st;
		config_init(&f->cfg);
		f->cfg.memory_limit_kib = 4u << 10; /* 4 MiB, the least accepted */
		fx_start(f);
		for (uint32_t i = 0; i < shapes[k].n; i++) {
			struct event ev = shape_event(shapes[k].name, i);
			assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
			st = stats_of(f);
			if (st.memory_used > st.memory_limit)
				fail_msg("%s: %" PRIu64 " bytes used of %" PRIu64 " after event %" PRIu32,
					 shapes[k].name, st.memory_used, st.memory_limit, i);
		}
		st = stats_of(f);
		/* the caps sit under the limit */
		assert_true(st.max_sources < 200000);
		assert_true(st.max_dsts_per_source < 4096);
		/* every shape overflowed it, and the loss is counted */
		if (st.sources_evicted == 0 && st.dsts_untracked == 0)
			fail_msg("%s: nothing lost under 4 MiB?", shapes[k].name);
		assert_true(st.memory_peak >= st.memory_used);
		f->e = engine_free(f->e);
	}
}

/* Signatures: many distinct rules per source, many sources. */
static void test_memory_limit_signatures(void **state)
{
	struct fx *f = *state;
	struct matchers m = { 0 };
	char *rules = malloc(200 * 160);
	size_t len = 0;
	struct engine_stats st;

	assert_non_null(rules);
	for (int port = 1; port <= 200; port++)
		len += (size_t)snprintf(rules + len, 160,
					"alert tcp any any -> any %d (msg:\"p%d\"; flags:S,12; "
					"psad_id:%d; psad_dl:2;)\n",
					port, port, 400000 + port);
	assert_int_equal(sigset_load_buf("rules", rules, len, any_var, NULL, NULL, NULL, &m.sigs), 0);
	f->cfg.memory_limit_kib = 4u << 10;
	fx_start(f);
	engine_set_matchers(f->e, &m);
	for (uint32_t i = 0; i < 300000; i++) {
		struct event ev = ev_spoofed(i / 100, (uint16_t)(1 + i % 100));
		feed(f, &ev);
		st = stats_of(f);
		assert_true(st.memory_used <= st.memory_limit);
	}
	st = stats_of(f);
	assert_true(st.sources_evicted > 0);
	/* a survivor has its 64 itemised signatures and counts the rest */
	const struct source_state *s = source_of(f, "2001:db8:8000::bb7"); /* the last, 2999 */
	assert_non_null(s);
	assert_non_null(s->intel);
	assert_int_equal(s->intel->n_sigs, SOURCE_SIGS_MAX);
	assert_int_equal(s->intel->sigs_other, 100 - SOURCE_SIGS_MAX);
	f->e = engine_free(f->e);
	sigset_free(m.sigs);
	free(rules);
}

/* Once the pair cap is reached and most sources are gone, the slab of
 * sources is sparse: eviction must still compare live sources by evidence.
 * It used to sample slab slots, find them free and fall back to taking the
 * first live source after a random slot, whatever it was; and when only
 * the source being fed was left, it scanned the whole slab on every event. */
static void test_sparse_table_eviction(void **state)
{
	struct fx *f = *state;
	char dst[32];

	f->cfg.max_scan_ip_pairs = 3000;
	f->cfg.max_dsts_per_source = 100000;
	fx_start(f);
	for (uint32_t i = 0; i < 3000; i++) { /* the slab now spans 3000 nodes */
		struct event ev = ev_spoofed(i, 22);
		feed(f, &ev);
	}
	feed_ports(f, "198.51.100.7", "192.0.2.1", 1, 100, 100, TCPF_SYN); /* 1716 */
	for (int i = 0; i < 2990; i++) { /* a sweep: 2990 pairs, pushing the flood out */
		snprintf(dst, sizeof(dst), "10.5.%d.%d", i / 250, i % 250 + 1);
		struct event ev = ev_icmp("198.51.100.9", dst, 8, 0);
		feed(f, &ev);
	}
	assert_true(engine_source_count(f->e) < 20);
	assert_non_null(source_of(f, "198.51.100.7"));
	/* new one-packet sources push each other out, never the scan */
	for (uint32_t i = 10000; i < 12000; i++) {
		struct event ev = ev_spoofed(i, 23);
		feed(f, &ev);
		assert_non_null(source_of(f, "198.51.100.7"));
	}
	assert_non_null(source_of(f, "198.51.100.9"));
	/* the sweeper alone past the cap: its new destinations are counted */
	for (int i = 0; i < 20000; i++) {
		snprintf(dst, sizeof(dst), "10.6.%d.%d", i / 250, i % 250 + 1);
		struct event ev = ev_icmp("198.51.100.9", dst, 8, 0);
		feed(f, &ev);
	}
	assert_true(source_of(f, "198.51.100.9")->untracked_dsts > 15000);
}

/* Sequential destinations (a sweep) beyond MAX_DSTS_PER_SOURCE: the sketch
 * counted up to twice as many as there were, because the hash's low bits
 * spread consecutive addresses more evenly than random ones. */
static void test_untracked_sequential_v6(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;

	fx_start(f);
	for (uint32_t i = 0; i < 64096; i++) {
		struct event ev = ev_spoofed(7, 445);
		ev.dst.b[12] = (uint8_t)(i >> 24), ev.dst.b[13] = (uint8_t)(i >> 16);
		ev.dst.b[14] = (uint8_t)(i >> 8), ev.dst.b[15] = (uint8_t)i;
		feed(f, &ev);
	}
	s = stats_of(f).counted ? source_of(f, "2001:db8:8000::7") : NULL;
	assert_non_null(s);
	assert_int_equal(s->n_pairs, 4096);
	assert_int_equal(s->untracked_packets, 60000);
	assert_in_range(s->untracked_dsts, 57000, 63000);
}


/* ---- lifecycle (issue 10): time, origins, changes, expiry, reload, top ---- */

/* A sweep of 40 hosts at one port each: the sweep rescoring raises every
 * pair at once, but each pair and the source at most once per feed. */
static void test_changes_coalesced(void **state)
{
	struct fx *f = *state;
	char dst[32];

	fx_start(f);
	for (int i = 1; i <= 40; i++) {
		size_t before = f->n_changes;
		snprintf(dst, sizeof(dst), "198.18.1.%d", i);
		struct event ev = ev_tcp("203.0.113.5", dst, 445, TCPF_SYN);
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
		/* no pair and not the source twice in this one feed */
		for (size_t a = before; a < f->n_changes; a++)
			for (size_t b = a + 1; b < f->n_changes; b++)
				assert_false(f->changes[a].pair == f->changes[b].pair &&
					     (!f->changes[a].pair ||
					      addr_eq(&f->changes[a].dst, &f->changes[b].dst)));
	}
	assert_true(f->n_kind[ENGINE_CHANGE_LEVEL] > 0);
	assert_int_equal(f->n_kind[ENGINE_CHANGE_SIGNATURE], 0);
	assert_int_equal(f->n_kind[ENGINE_CHANGE_EXPIRED], 0);
}

/* The same address from two reporters: two sources. */
static void test_origin_keys(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_tcp("203.0.113.7", "198.18.0.1", 22, TCPF_SYN);
	struct addr a = ip("203.0.113.7");
	const struct source_state *s0, *s9;

	fx_start(f);
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	ev.origin = 9;
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	assert_int_equal(engine_source_count(f->e), 2);
	s0 = engine_lookup(f->e, 0, &a);
	s9 = engine_lookup(f->e, 9, &a);
	assert_non_null(s0);
	assert_non_null(s9);
	assert_int_equal(s0->origin, 0);
	assert_int_equal(s9->origin, 9);
	assert_int_equal(s0->packets, 1);
	assert_int_equal(s9->packets, 2);
	assert_null(engine_lookup(f->e, 3, &a));
	assert_int_equal(s9->first_us, (int64_t)T0 * 1000000);
	engine_note_mail(f->e, s9, (int64_t)T0 * 1000000 + 5);
	engine_note_mail(f->e, s9, (int64_t)T0 * 1000000 + 7);
	assert_int_equal(s9->mails_sent, 2);
	assert_int_equal(s9->last_mail_us, (int64_t)T0 * 1000000 + 7);
	assert_int_equal(s0->mails_sent, 0);
}

/* A daemon's months: sources arrive every hour; expiry runs in slices
 * every minute; none outlives SOURCE_TIMEOUT (+ one sweep of the slab)
 * and the table stays at what a timeout's worth of arrivals holds. */
static void test_expire_months(void **state)
{
	struct fx *f = *state;
	const int64_t hour = 3600, day = 86400;
	struct engine_stats st;
	size_t arrived = 0, expired = 0;
	char src[32];

	f->cfg.source_timeout = (uint32_t)(2 * day);
	fx_start(f);
	for (int64_t t = 0; t < 90 * day; t += 60) {
		f->now = T0 + t;
		if (t % hour == 0) {
			snprintf(src, sizeof(src), "10.%d.%d.%d", (int)(arrived >> 16) & 255,
				 (int)(arrived >> 8) & 255, (int)arrived & 255);
			struct event ev = ev_tcp(src, "198.18.0.1", 22, TCPF_SYN);
			assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
			arrived++;
		}
		expired += engine_expire(f->e, f->now * 1000000, 16);
		/* 48 h of arrivals, plus what the cursor has not reached yet */
		assert_true(engine_source_count(f->e) <= 48 + 16 + 1);
	}
	assert_int_equal(arrived, 90 * 24);
	assert_int_equal(expired + engine_source_count(f->e), arrived);
	assert_int_equal(f->n_kind[ENGINE_CHANGE_EXPIRED], expired);
	engine_get_stats(f->e, &st);
	assert_int_equal(st.sources_expired, expired);
	assert_int_equal(st.sources_evicted, 0);
	/* the forgotten sources' memory is reused, not added to */
	assert_true(st.memory_used <= st.memory_peak);
}

/* The clock steps back a year: expiry does not freeze (the source is
 * seen "now" and expires a timeout later), nor does it fire early. */
static void test_expire_clock_back(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_tcp("203.0.113.9", "198.18.0.1", 22, TCPF_SYN);
	int64_t back = (int64_t)(T0 - 365 * 86400) * 1000000;

	f->cfg.source_timeout = 3600;
	fx_start(f);
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	assert_int_equal(engine_expire(f->e, back, 100), 0);
	assert_int_equal(engine_source_count(f->e), 1);
	assert_int_equal(engine_expire(f->e, back + INT64_C(3599) * 1000000, 100), 0);
	assert_int_equal(engine_expire(f->e, back + INT64_C(3601) * 1000000, 100), 1);
	assert_int_equal(engine_source_count(f->e), 0);
}

/* Eviction picks a stale source before a fresh one with less evidence. */
static void test_evict_stale_first(void **state)
{
	struct fx *f = *state;
	struct addr old = ip("203.0.113.1");

	f->cfg.max_sources = 2;
	f->cfg.source_timeout = 3600;
	fx_start(f);
	feed_ports(f, "203.0.113.1", "198.18.0.1", 1, 100, 100, TCPF_SYN); /* lots of evidence */
	f->now += 7200;
	struct event ev = ev_tcp("203.0.113.2", "198.18.0.1", 22, TCPF_SYN);
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	ev = ev_tcp("203.0.113.3", "198.18.0.1", 22, TCPF_SYN);
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	assert_null(engine_lookup(f->e, 0, &old));
	assert_int_equal(f->n_kind[ENGINE_CHANGE_EVICTED], 1);
}

/* Reload with lower caps: the engine shrinks to them, evictions counted. */
static void test_set_config(void **state)
{
	struct fx *f = *state;
	struct config lower;
	struct engine_stats st;
	char src[32];

	fx_start(f);
	for (int i = 0; i < 50; i++) {
		snprintf(src, sizeof(src), "203.0.113.%d", i + 1);
		feed_ports(f, src, "198.18.0.1", 1, 10, 3, TCPF_SYN);
	}
	lower = f->cfg;
	lower.max_sources = 20;
	lower.danger_level[1] = 2;
	assert_int_equal(engine_set_config(f->e, &lower), 0);
	assert_int_equal(engine_source_count(f->e), 20);
	engine_get_stats(f->e, &st);
	assert_int_equal(st.sources_evicted, 30);
	assert_int_equal(st.max_sources, 20);
	assert_int_equal(f->n_kind[ENGINE_CHANGE_EVICTED], 30);
	/* the new thresholds apply from the next event */
	feed_ports(f, "198.51.100.1", "198.18.0.1", 1, 2, 2, TCPF_SYN);
	assert_int_equal(source_of(f, "198.51.100.1")->dl, 1);
	assert_true(engine_source_count(f->e) <= 20);
	/* and back up: room again */
	assert_int_equal(engine_set_config(f->e, &f->cfg), 0);
	for (int i = 0; i < 40; i++) {
		snprintf(src, sizeof(src), "192.0.2.%d", i + 1);
		feed_ports(f, src, "198.18.0.1", 1, 1, 1, TCPF_SYN);
	}
	assert_int_equal(engine_source_count(f->e), 60);
}

/* engine_top() agrees with the full sort. */
static void test_top(void **state)
{
	struct fx *f = *state;
	const struct source_state *top[25], **all;
	size_t n_all, n;
	char src[32];

	fx_start(f);
	assert_int_equal(engine_top(f->e, 5, top), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(src, sizeof(src), "10.0.%d.%d", i / 200, i % 200);
		feed_ports(f, src, "198.18.0.1", 1, 1 + (uint32_t)(i * 7919 % 40), 1 + (uint32_t)(i * 31 % 23),
			   TCPF_SYN);
	}
	all = engine_sources_sorted(f->e, &n_all);
	assert_int_equal(n_all, 300);
	for (size_t k = 1; k <= 25; k += 6) {
		n = engine_top(f->e, k, top);
		assert_int_equal(n, k);
		for (size_t i = 0; i < k; i++)
			assert_ptr_equal(top[i], all[i]);
	}
	free(all);
}

#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    FX_TEST(test_changes_coalesced),
	    FX_TEST(test_origin_keys),
	    FX_TEST(test_expire_months),
	    FX_TEST(test_expire_clock_back),
	    FX_TEST(test_evict_stale_first),
	    FX_TEST(test_set_config),
	    FX_TEST(test_top),
	    FX_TEST(test_four_vs_five_syns),
	    FX_TEST(test_syn_scan_dl3),
	    FX_TEST(test_fin_scan_dl3),
	    FX_TEST(test_single_port_never_scores),
	    FX_TEST(test_sweep_every_pair),
	    FX_TEST(test_sweep_ladder),
	    FX_TEST(test_icmp_echo_ping),
	    FX_TEST(test_proto_scan),
	    FX_TEST(test_every_protocol_counted),
	    FX_TEST(test_few_protos_nothing),
	    FX_TEST(test_headerless_tcp_never_scores),
	    FX_TEST(test_window_reset_after_idle),
	    FX_TEST(test_window_persistence),
	    FX_TEST(test_window_slow_scan_kept),
	    FX_TEST(test_low_and_slow_keeps_breadth),
	    FX_TEST(test_syn_vs_connect),
	    FX_TEST(test_ecn_syn_is_syn),
	    FX_TEST(test_mixed_flag_types),
	    FX_TEST(test_udp_and_icmp_overflow),
	    FX_TEST(test_filter_verdicts),
	    cmocka_unit_test(test_verdict_names),
	    FX_TEST(test_autodl),
	    FX_TEST(test_eviction),
	    FX_TEST(test_eviction_churn),
	    FX_TEST(test_max_dsts_per_source),
	    FX_TEST(test_untracked_estimate),
	    FX_TEST(test_max_scan_ip_pairs),
	    FX_TEST(test_random_invariants),
	    FX_TEST(test_sorted),
	    FX_TEST(test_empty_engine),
	    FX_TEST(test_times_and_interfaces),
	    FX_TEST(test_scan_survives_dl3_flood),
	    FX_TEST(test_old_evidence_ages),
	    FX_TEST(test_evicted_top),
	    FX_TEST(test_memory_limit_every_shape),
	    FX_TEST(test_memory_limit_signatures),
	    FX_TEST(test_sparse_table_eviction),
	    FX_TEST(test_untracked_sequential_v6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
