/* SPDX-License-Identifier: GPL-2.0-or-later */
/* blame-test.c - who is blamed: backscatter, spoofed sources, accepted
 * traffic, service replies, IGNORE_LOG_PREFIXES, IPv4-mapped addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "engine/blame.h"
#include "engine/engine.h"

#define T0 1773261311

struct fx {
	struct config cfg;
	struct engine *e;
	unsigned changes;
	int max_new_dl;
};

static void on_change(const struct engine_change *c, void *data)
{
	struct fx *f = data;

	if (c->kind != ENGINE_CHANGE_LEVEL)
		return;
	f->changes++;
	if (c->new_dl > f->max_new_dl)
		f->max_new_dl = c->new_dl;
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	config_init(&f->cfg);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	f->e = engine_free(f->e);
	free(f);
	return 0;
}

static void fx_start(struct fx *f)
{
	assert_int_equal(engine_new(&f->cfg, NULL, on_change, f, &f->e), 0);
}

static struct addr ip(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(span_make(s, strlen(s)), &a), 0);
	return a;
}

static struct event ev_tcp(const char *src, const char *dst, uint16_t sport, uint16_t dport,
			   uint8_t flags)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.src = ip(src);
	ev.dst = ip(dst);
	ev.proto = IPPROTO_NUM_TCP;
	ev.chain = CHAIN_INPUT;
	ev.in = SPAN_LIT("eth0");
	ev.host = SPAN_LIT("fw1");
	ev.time.kind = VTIME_WALL;
	ev.time.sec = T0;
	ev.ip_len = 40;
	ev.ttl = 50;
	ev.has_ports = true;
	ev.sport = sport;
	ev.dport = dport;
	ev.tcp_flags = flags;
	return ev;
}

static enum engine_verdict feed(struct fx *f, const struct event *ev)
{
	return engine_feed(f->e, ev, T0);
}

static const struct source_state *find(const struct fx *f, const char *src)
{
	const struct source_state **v, *hit = NULL;
	struct addr a = ip(src);
	size_t n;

	v = engine_sources_sorted(f->e, &n);
	for (size_t i = 0; i < n; i++)
		if (addr_eq(&v[i]->src, &a))
			hit = v[i];
	free(v);
	return hit;
}

/* ---- backscatter -------------------------------------------------------- */

/* A victim of a SYN flood spoofed in our name answers from its port 80 to
 * 1000 of our ports: reflected, DL 1 at most, no scan type, no pairs. */
static void test_backscatter_not_a_scanner(void **state)
{
	struct fx *f = *state;
	static const uint8_t flags[] = { TCPF_SYN | TCPF_ACK, TCPF_RST, TCPF_RST | TCPF_ACK };
	const struct source_state *s;
	struct engine_stats st;

	fx_start(f);
	for (unsigned i = 0; i < 1000; i++) {
		struct event ev = ev_tcp("198.18.5.5", i % 2 ? "198.18.0.1" : "198.18.0.2", 80,
					 (uint16_t)(20000 + i), flags[i % 3]);
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	}
	s = find(f, "198.18.5.5");
	assert_non_null(s);
	assert_int_equal(s->dl, 1);
	assert_int_equal(s->scan_types, 0);
	assert_int_equal(s->n_pairs, 0);
	assert_int_equal(s->spoofed, SPOOF_NONE);
	assert_non_null(s->reflected);
	assert_int_equal(s->reflected->packets, 1000);
	assert_int_equal(s->reflected->syn_ack, 334);
	assert_int_equal(s->reflected->rst, 333);
	assert_int_equal(s->reflected->rst_ack, 333);
	assert_int_equal(s->reflected->sport, 80);
	assert_false(s->reflected->sports_varied);
	assert_int_equal(s->reflected->dports.count, 1000);
	assert_int_equal(f->max_new_dl, 1);
	engine_get_stats(f->e, &st);
	assert_int_equal(st.reflected_sources, 1);
	assert_int_equal(st.reflected_packets, 1000);
	assert_int_equal(st.counted, 1000);
}

/* A few replies stay at DL 0. */
static void test_backscatter_few_replies(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;

	fx_start(f);
	for (unsigned i = 0; i < 3; i++) {
		struct event ev = ev_tcp("198.18.5.6", "198.18.0.1", (uint16_t)(443 + i),
					 (uint16_t)(30000 + i), TCPF_SYN | TCPF_ACK | TCPF_ECE);
		feed(f, &ev);
	}
	s = find(f, "198.18.5.6");
	assert_int_equal(s->dl, 0);
	assert_int_equal(s->reflected->packets, 3);
	assert_true(s->reflected->sports_varied);
	assert_int_equal(f->changes, 0);
}

/* nmap -sA and -sM from their magic port to low ports are still scans. */
static void test_ack_and_maimon_scans_kept(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;

	fx_start(f);
	for (unsigned p = 1; p <= 200; p++) {
		struct event a = ev_tcp("198.18.1.3", "198.18.0.1", 45678, (uint16_t)p, TCPF_ACK);
		struct event m = ev_tcp("198.18.1.4", "198.18.0.1", 51234, (uint16_t)p,
					TCPF_ACK | TCPF_FIN);
		assert_int_equal(feed(f, &a), ENGINE_COUNTED);
		assert_int_equal(feed(f, &m), ENGINE_COUNTED);
	}
	s = find(f, "198.18.1.3");
	assert_int_equal(s->dl, 3);
	assert_true(s->scan_types & (UINT32_C(1) << SCAN_ACK));
	assert_null(s->reflected);
	s = find(f, "198.18.1.4");
	assert_int_equal(s->dl, 3);
	assert_true(s->scan_types & (UINT32_C(1) << SCAN_MAIMON));
}

/* HTTPS answers (ACK, PSH ACK, FIN ACK from 443 to an ephemeral port) that a
 * log-everything rule wrote are replies, not an ACK or Maimon scan. */
static void test_service_replies(void **state)
{
	struct fx *f = *state;
	struct engine_stats st;
	static const uint8_t flags[] = { TCPF_ACK, TCPF_ACK | TCPF_PSH, TCPF_ACK | TCPF_FIN,
					 TCPF_ACK | TCPF_PSH | TCPF_FIN };

	fx_start(f);
	for (unsigned i = 0; i < 100; i++) {
		struct event ev = ev_tcp("198.18.2.2", "198.18.0.1", 443, (uint16_t)(50000 + i % 7),
					 flags[i % 4]);
		assert_int_equal(feed(f, &ev), ENGINE_IGNORED_REPLY);
	}
	/* a service below 32768 answering a Linux ephemeral port */
	struct event ev = ev_tcp("198.18.2.3", "198.18.0.1", 8443, 40000, TCPF_ACK);
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_REPLY);
	/* ACK from a high port to a low one: a probe, counted */
	ev = ev_tcp("198.18.2.4", "198.18.0.1", 40000, 443, TCPF_ACK);
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	/* SYN from port 80: not a reply */
	ev = ev_tcp("198.18.2.5", "198.18.0.1", 80, 40000, TCPF_SYN);
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	engine_get_stats(f->e, &st);
	assert_int_equal(st.ignored[ENGINE_IGNORED_REPLY], 101);
	assert_null(find(f, "198.18.2.2"));
}

/* ---- spoofed sources ---------------------------------------------------- */

static void test_impossible_addresses(void **state)
{
	static const struct {
		const char *a;
		enum spoof_reason r;
	} cases[] = {
		{ "0.0.0.0", SPOOF_UNSPECIFIED },    { "0.1.2.3", SPOOF_UNSPECIFIED },
		{ "127.0.0.1", SPOOF_LOOPBACK },     { "127.255.0.9", SPOOF_LOOPBACK },
		{ "224.0.0.1", SPOOF_MULTICAST },    { "239.255.255.250", SPOOF_MULTICAST },
		{ "240.0.0.1", SPOOF_RESERVED },     { "255.255.255.254", SPOOF_RESERVED },
		{ "255.255.255.255", SPOOF_BROADCAST }, { "::", SPOOF_UNSPECIFIED },
		{ "::1", SPOOF_LOOPBACK },           { "ff02::1", SPOOF_MULTICAST },
		{ "198.18.0.1", SPOOF_NONE },        { "223.255.255.255", SPOOF_NONE },
		{ "1.0.0.0", SPOOF_NONE },           { "::2", SPOOF_NONE },
		{ "2001:db8::1", SPOOF_NONE },       { "fe80::1", SPOOF_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct addr a = ip(cases[i].a);
		assert_int_equal(blame_impossible(&a), cases[i].r);
	}
	assert_string_equal(spoof_reason_name(SPOOF_LOOPBACK), "loopback");
	assert_string_equal(spoof_reason_name(SPOOF_OWN), "own");
	assert_null(spoof_reason_name(SPOOF_NONE));
}

/* A SYN scan "from" 127.0.0.1 is reported, spoofed, at DL 0, and the
 * callback (alerts, blocking) never hears of it. */
static void test_spoofed_loopback_scan(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	struct engine_stats st;

	fx_start(f);
	for (unsigned p = 1; p <= 500; p++) {
		struct event ev = ev_tcp("127.0.0.1", "198.18.0.1", 40000, (uint16_t)p, TCPF_SYN);
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	}
	s = find(f, "127.0.0.1");
	assert_int_equal(s->spoofed, SPOOF_LOOPBACK);
	assert_int_equal(s->dl, 0);
	assert_int_equal(s->packets, 500);
	assert_int_equal(s->n_pairs, 1);
	assert_int_equal(s->pairs[0]->tcp.ports.count, 500);
	assert_int_equal(s->pairs[0]->dl, 0);
	assert_int_equal(f->changes, 0);
	engine_get_stats(f->e, &st);
	assert_int_equal(st.spoofed_sources, 1);
	assert_int_equal(st.spoofed_packets, 500);
	assert_int_equal(st.spoofed_by[SPOOF_LOOPBACK], 1);
}

/* The destination of an INPUT record is the reporter's own address: a
 * source with it is spoofed, even when it was seen first. Another
 * reporter's records do not count. */
static void test_own_learnt(void **state)
{
	struct fx *f = *state;
	const struct source_state *s;
	struct event ev;
	struct engine_stats st;

	fx_start(f);
	/* 198.18.0.7 sends first (a scan), then turns out to be fw1's own */
	for (unsigned p = 1; p <= 50; p++) {
		ev = ev_tcp("198.18.0.7", "198.18.3.3", 40000, (uint16_t)p, TCPF_SYN);
		ev.chain = CHAIN_FORWARD;
		ev.out = SPAN_LIT("eth1");
		feed(f, &ev);
	}
	assert_int_equal(find(f, "198.18.0.7")->dl, 2);
	ev = ev_tcp("198.18.9.9", "198.18.0.7", 40000, 22, TCPF_SYN);
	feed(f, &ev);
	s = find(f, "198.18.0.7");
	assert_int_equal(s->spoofed, SPOOF_OWN);
	assert_int_equal(s->dl, 0);
	/* another reporter's address is not fw1's */
	ev = ev_tcp("198.18.9.9", "198.18.0.8", 40000, 22, TCPF_SYN);
	ev.host = SPAN_LIT("fw2");
	feed(f, &ev);
	ev = ev_tcp("198.18.0.8", "198.18.0.1", 40000, 23, TCPF_SYN);
	feed(f, &ev);
	assert_int_equal(find(f, "198.18.0.8")->spoofed, SPOOF_NONE);
	ev.host = SPAN_LIT("fw2");
	feed(f, &ev);
	assert_int_equal(find(f, "198.18.0.8")->spoofed, SPOOF_OWN);
	/* a broadcast MAC: a directed broadcast address */
	ev = ev_tcp("198.18.9.9", "198.18.0.255", 40000, 137, TCPF_SYN);
	ev.mac = SPAN_LIT("ff:ff:ff:ff:ff:ff:00:00:5e:00:53:02:08:00");
	feed(f, &ev);
	ev = ev_tcp("198.18.0.255", "198.18.0.1", 40000, 23, TCPF_SYN);
	feed(f, &ev);
	assert_int_equal(find(f, "198.18.0.255")->spoofed, SPOOF_BROADCAST);
	engine_get_stats(f->e, &st);
	assert_int_equal(st.own_learnt, 5); /* .3.3 is FORWARD: not learnt */
	assert_int_equal(st.spoofed_by[SPOOF_OWN], 2);
	assert_int_equal(st.spoofed_by[SPOOF_BROADCAST], 1);
}

static void test_own_configured(void **state)
{
	struct fx *f = *state;
	struct event ev;

	f->cfg.learn_firewall_addresses = false;
	f->cfg.firewall_addresses[0] = (struct own_net){ .a = ip("198.18.4.1"), .len = 24 };
	f->cfg.firewall_addresses[1] = (struct own_net){ .a = ip("2001:db8::1"), .len = 128 };
	f->cfg.n_firewall_addresses = 2;
	fx_start(f);
	ev = ev_tcp("198.18.4.1", "198.18.0.1", 40000, 23, TCPF_SYN);
	feed(f, &ev);
	ev = ev_tcp("198.18.4.255", "198.18.0.1", 40000, 23, TCPF_SYN);
	feed(f, &ev);
	ev = ev_tcp("2001:db8::1", "2001:db8::2", 40000, 23, TCPF_SYN);
	feed(f, &ev);
	ev = ev_tcp("198.18.4.2", "198.18.0.1", 40000, 23, TCPF_SYN);
	feed(f, &ev);
	assert_int_equal(find(f, "198.18.4.1")->spoofed, SPOOF_OWN);
	assert_int_equal(find(f, "198.18.4.255")->spoofed, SPOOF_BROADCAST);
	assert_int_equal(find(f, "2001:db8::1")->spoofed, SPOOF_OWN);
	assert_int_equal(find(f, "198.18.4.2")->spoofed, SPOOF_NONE);
	/* learning is off: 198.18.0.1 is not known */
	ev = ev_tcp("198.18.0.1", "198.18.0.2", 40000, 23, TCPF_SYN);
	feed(f, &ev);
	assert_int_equal(find(f, "198.18.0.1")->spoofed, SPOOF_NONE);
}

/* At most BLAME_OWN_MAX learnt addresses; the rest is counted. */
static void test_own_bounded(void **state)
{
	struct fx *f = *state;
	struct engine_stats st;
	char dst[32];

	fx_start(f);
	for (unsigned i = 0; i < BLAME_OWN_MAX + 100; i++) {
		snprintf(dst, sizeof(dst), "198.18.%u.%u", 10 + i / 250, 1 + i % 250);
		struct event ev = ev_tcp("198.18.9.9", dst, 40000, 22, TCPF_SYN);
		feed(f, &ev);
	}
	engine_get_stats(f->e, &st);
	assert_int_equal(st.own_learnt, BLAME_OWN_MAX);
	assert_int_equal(st.own_skipped, 100);
}

/* ---- prefixes and chains ------------------------------------------------ */

static void test_accepted_and_output(void **state)
{
	struct fx *f = *state;
	struct event ev;
	static const char *const accepted[] = {
		"[UFW ALLOW]", "[UFW AUDIT]", "[UFW AUDIT INVALID]", "ACCEPT(src lan)",
		"filter_IN_public_ALLOW:", "Shorewall:net-fw:ACCEPT:", "accepted:",
	};
	static const char *const not_accepted[] = {
		"[UFW BLOCK]", "DROP", "DISALLOWED:", "NOTACCEPT", "", "FINAL_REJECT:",
	};

	fx_start(f);
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		ev = ev_tcp("198.18.6.6", "198.18.0.1", 40000, 22, TCPF_SYN);
		ev.prefix = span_make(accepted[i], strlen(accepted[i]));
		assert_int_equal(feed(f, &ev), ENGINE_IGNORED_ACCEPTED);
	}
	for (size_t i = 0; i < sizeof(not_accepted) / sizeof(not_accepted[0]); i++) {
		ev = ev_tcp("198.18.6.7", "198.18.0.1", 40000, 22, TCPF_SYN);
		ev.prefix = span_make(not_accepted[i], strlen(not_accepted[i]));
		assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
	}
	/* the same prefix twice (the cached verdict) */
	ev.prefix = SPAN_LIT("[UFW ALLOW]");
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_ACCEPTED);
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_ACCEPTED);
	/* OUTPUT: the host's own packets */
	ev = ev_tcp("198.18.0.1", "198.18.7.7", 40000, 22, TCPF_SYN);
	ev.chain = CHAIN_OUTPUT;
	ev.in = SPAN_LIT("");
	ev.out = SPAN_LIT("eth0");
	assert_int_equal(feed(f, &ev), ENGINE_IGNORED_OUTPUT);
	assert_null(find(f, "198.18.6.6"));
	assert_null(find(f, "198.18.0.1"));
}

static void test_accept_words_configurable(void **state)
{
	struct fx *f = *state;
	struct event ev;

	f->cfg.n_accept_log_prefixes = 0;
	fx_start(f);
	ev = ev_tcp("198.18.6.6", "198.18.0.1", 40000, 22, TCPF_SYN);
	ev.prefix = SPAN_LIT("[UFW ALLOW]");
	assert_int_equal(feed(f, &ev), ENGINE_COUNTED);
}

static void test_ignore_log_prefixes(void **state)
{
	struct fx *f = *state;
	struct event ev;
	struct engine_stats st;
	static const char conf[] = "IGNORE_LOG_PREFIXES (^LAN-in|DROP\\.bc|eth0 out$);\n";

	assert_int_equal(config_load_buf(&f->cfg, "t.conf", conf, sizeof(conf) - 1, NULL, NULL), 0);
	assert_int_equal(f->cfg.n_ignore_prefix_pats, 3);
	fx_start(f);
	static const struct {
		const char *prefix;
		bool ignored;
	} cases[] = {
		{ "LAN-in", true },	    { "LAN-in-x", true },    { "x LAN-in", false },
		{ "FW DROP.bc 1", true },   { "DROPxbc", false },    { "via eth0 out", true },
		{ "eth0 out now", false },  { "lan-in", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ev = ev_tcp("198.18.6.8", "198.18.0.1", 40000, 22, TCPF_SYN);
		ev.prefix = span_make(cases[i].prefix, strlen(cases[i].prefix));
		assert_int_equal(feed(f, &ev),
				 cases[i].ignored ? ENGINE_IGNORED_LOG_PREFIX : ENGINE_COUNTED);
	}
	engine_get_stats(f->e, &st);
	assert_int_equal(st.ignored[ENGINE_IGNORED_LOG_PREFIX], 4);
}

struct diag_log {
	unsigned warnings, errors;
	char last[256];
};

static void on_diag(const struct config_diag *d, void *data)
{
	struct diag_log *l = data;

	if (d->severity == CONFIG_WARNING)
		l->warnings++;
	if (d->severity == CONFIG_ERROR)
		l->errors++;
	snprintf(l->last, sizeof(l->last), "%s", d->msg);
}

static void test_ignore_log_prefixes_regex_warned(void **state)
{
	struct fx *f = *state;
	struct diag_log l = { 0 };
	static const char conf[] = "IGNORE_LOG_PREFIXES UFW (ALLOW|AUDIT)|LAN.*in|\\[ok\\]|\\d+;\n";
	static const char empty[] = "IGNORE_LOG_PREFIXES DROP|;\n";

	assert_int_equal(config_load_buf(&f->cfg, "t.conf", conf, sizeof(conf) - 1, on_diag, &l), 0);
	assert_int_equal(l.warnings, 1);
	assert_non_null(strstr(l.last, "IGNORE_LOG_PREFIXES"));
	assert_non_null(strstr(l.last, "3 alternative(s) not used"));
	assert_int_equal(f->cfg.n_ignore_prefix_pats, 1);
	assert_string_equal(f->cfg.ignore_prefix_pats[0].s, "[ok]");
	assert_true(blame_prefix_ignored(&f->cfg, "x [ok] y", 8));
	assert_false(blame_prefix_ignored(&f->cfg, "UFW ALLOW", 9));

	/* an empty alternative would match every prefix: refused */
	config_init(&f->cfg);
	assert_int_equal(config_load_buf(&f->cfg, "t.conf", empty, sizeof(empty) - 1, on_diag, &l),
			 -EINVAL);
	assert_int_equal(l.errors, 1);
	assert_int_equal(f->cfg.n_ignore_prefix_pats, 0);
}

static void test_config_keys_roundtrip(void **state)
{
	struct fx *f = *state;
	static const char conf[] = "ACCEPT_LOG_PREFIXES PASS, ok;\n"
				   "FIREWALL_ADDRESSES 198.18.0.1/24, ::ffff:198.18.0.9, 2001:db8::1;\n"
				   "LEARN_FIREWALL_ADDRESSES N;\n"
				   "HOME_NET ::ffff:198.18.0.0/112;\n";

	assert_int_equal(config_load_buf(&f->cfg, "t.conf", conf, sizeof(conf) - 1, NULL, NULL), 0);
	assert_int_equal(f->cfg.n_accept_log_prefixes, 2);
	assert_string_equal(f->cfg.accept_log_prefixes[1], "ok");
	assert_int_equal(f->cfg.n_firewall_addresses, 3);
	assert_int_equal(f->cfg.firewall_addresses[0].len, 24);
	assert_int_equal(f->cfg.firewall_addresses[0].a.b[3], 1); /* host bits kept */
	assert_int_equal(f->cfg.firewall_addresses[1].a.family, ADDR_V4);
	assert_int_equal(f->cfg.firewall_addresses[1].len, 32);
	assert_false(f->cfg.learn_firewall_addresses);
	/* a mapped network is an IPv4 one */
	assert_int_equal(f->cfg.home_net[0].a.family, ADDR_V4);
	assert_int_equal(f->cfg.home_net[0].len, 16);
	assert_true(blame_prefix_accepted(&f->cfg, "pass:", 5));
	assert_false(blame_prefix_accepted(&f->cfg, "[UFW ALLOW]", 11));
}

/* ::ffff:a.b.c.d is IPv4 */
static void test_mapped_unmap(void **state)
{
	struct addr a = ip("::ffff:198.18.0.5"), b = ip("198.18.0.5"), c = ip("2001:db8::5");

	(void)state;
	assert_true(addr_unmap_v4(&a));
	assert_true(addr_eq(&a, &b));
	assert_false(addr_unmap_v4(&b));
	assert_false(addr_unmap_v4(&c));
	assert_int_equal(c.family, ADDR_V6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backscatter_not_a_scanner, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_backscatter_few_replies, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ack_and_maimon_scans_kept, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_service_replies, fx_setup, fx_teardown),
		cmocka_unit_test(test_impossible_addresses),
		cmocka_unit_test_setup_teardown(test_spoofed_loopback_scan, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_own_learnt, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_own_configured, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_own_bounded, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_accepted_and_output, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_accept_words_configurable, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ignore_log_prefixes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ignore_log_prefixes_regex_warned, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_config_keys_roundtrip, fx_setup, fx_teardown),
		cmocka_unit_test(test_mapped_unmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
