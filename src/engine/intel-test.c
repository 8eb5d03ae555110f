/* SPDX-License-Identifier: GPL-2.0-or-later */
/* intel-test.c - what the engine finds beyond scans: signatures and their
 * levels, psad_dl 0 suppression, invalid ICMP, IP options, OS guesses, the
 * named-scanner heuristics and reputation (psad-behaviour.md 2.3, 2.5, 3.2,
 * 3.3, 3.5, 4.3), from hand-built events and small in-memory data sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "engine/engine.h"
#include "engine/intel.h"
#include "engine/mem.h"
#include "match/icmptypes.h"
#include "match/matchers.h"
#include "match/osfp.h"
#include "match/reputation.h"
#include "match/signature.h"
#include "parse/parse.h"

#define T0 1773261311

/* IPv4 options given as the kernel logs them, decoded as the parser does. */
static void set_ip_opt(struct event *ev, const char *hex)
{
	int n = parse_opt_hex(span_make(hex, strlen(hex)), ev->ip_opt_raw, EVENT_OPT_MAX);

	assert_true(n >= 0);
	ev->ip_opt_len = (uint8_t)n;
}

static const char rules[] =
	"alert tcp any any -> any 1433 (msg:\"SQL probe\"; flags:S; psad_id:100205; psad_dl:2;)\n"
	"alert tcp any any -> any 31337 (msg:\"backdoor\"; flags:S; sid:9001; psad_id:9001; psad_dl:4;)\n"
	"alert icmp any any -> any any (msg:\"ICMP PING\"; itype:8; icode:0; sid:384; psad_id:384; psad_dl:2;)\n"
	"alert udp any any -> any 5353 (msg:\"quiet\"; sid:9002; psad_id:9002; psad_dl:0;)\n"
	"alert ip any any -> any any (msg:\"lsrr\"; ipopts:lsrr; sid:500; psad_id:500;)\n"
	"alert tcp any any -> any 2323 (msg:\"mirai\"; flags:S; sid:9003; psad_id:9003; psad_dl:3;)\n"
	"alert tcp any any -> any 2745 (msg:\"bagle\"; flags:S; sid:9004; psad_id:9004; psad_dl:3;)\n";

static const char icmp4[] = "0   Echo Reply\n    0\n8   Echo\n    0\n13  Timestamp\n    0\n";
static const char icmp6[] = "128 Echo Request\n    0\n135 Neighbor Solicitation\n    0\n";
static const char pfos[] = "1024:64:0:44:M*:NMAP:syn scan:1:nmap SYN\n";
static const char replist[] = "# bad\n203.0.113.0/24\n2001:db8:bad::/48\n";

struct fx {
	struct config cfg;
	struct matchers m;
	struct engine *e;
};

static int vars(void *data, struct span name, struct span *ret)
{
	(void)data;
	(void)name;
	*ret = SPAN_LIT("any");
	return 0;
}

static int load_matchers(struct matchers *m)
{
	memset(m, 0, sizeof(*m));
	if (sigset_load_buf("rules", rules, sizeof(rules) - 1, vars, NULL, NULL, NULL, &m->sigs) ||
	    icmp_types_load_buf("icmp", icmp4, sizeof(icmp4) - 1, NULL, NULL, &m->icmp4) ||
	    icmp_types_load_buf("icmp6", icmp6, sizeof(icmp6) - 1, NULL, NULL, &m->icmp6))
		return -1;
	if (!(m->os = osfp_new(20)) ||
	    osfp_load_p0f_buf(m->os, "pf.os", pfos, sizeof(pfos) - 1, NULL, NULL))
		return -1;
	if (!(m->rep = reputation_new()) ||
	    reputation_add_buf(m->rep, "bad.txt", replist, sizeof(replist) - 1, NULL, NULL))
		return -1;
	m->rep_dl = 4;
	m->expect_tcp_options = true;
	return 0;
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	config_init(&f->cfg);
	if (load_matchers(&f->m))
		return -1;
	if (engine_new(&f->cfg, NULL, NULL, NULL, &f->e))
		return -1;
	engine_set_matchers(f->e, &f->m);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	engine_free(f->e);
	matchers_done(&f->m);
	free(f);
	return 0;
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
	ev.time.kind = VTIME_WALL;
	ev.time.sec = T0;
	ev.ip_len = 40;
	ev.ttl = 64;
	return ev;
}

static struct event ev_syn(const char *src, const char *dst, uint16_t dport)
{
	struct event ev = ev_base(src, dst, IPPROTO_NUM_TCP);

	ev.has_ports = true;
	ev.sport = 40000;
	ev.dport = dport;
	ev.tcp_flags = TCPF_SYN;
	ev.window = 512;
	ev.ip_id = 7;
	return ev;
}

static const struct source_state *find(struct fx *f, const char *src)
{
	struct addr a = ip(src);
	size_t n;
	const struct source_state **v = engine_sources_sorted(f->e, &n), *s = NULL;

	for (size_t i = 0; i < n; i++)
		if (addr_eq(&v[i]->src, &a))
			s = v[i];
	free(v);
	assert_non_null(s);
	return s;
}

static void feed(struct fx *f, const struct event *ev)
{
	assert_int_equal(engine_feed(f->e, ev, T0), ENGINE_COUNTED);
}

/* One SYN to tcp/1433 is no scan, but its signature gives DL 2; a psad_dl 4
 * rule gives 4. Counts are per signature. */
static void test_signature_levels(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_syn("198.51.100.1", "192.0.2.1", 1433);
	const struct source_state *s;

	feed(f, &ev);
	feed(f, &ev);
	s = find(f, "198.51.100.1");
	assert_int_equal(s->dl, 2);
	assert_int_equal(s->pairs[0]->dl, 0); /* the pair itself did not scan */
	assert_non_null(s->intel);
	assert_int_equal(s->intel->n_sigs, 1);
	assert_int_equal(s->intel->sigs[0].id, 100205);
	assert_int_equal(s->intel->sigs[0].count, 2);
	assert_int_equal(s->intel->sigs[0].last_dport, 1433);
	assert_int_equal(s->intel->sig_dl, 2);

	/* a level-4 rule alone: DL 2 until there is evidence (next test) */
	ev = ev_syn("198.51.100.1", "192.0.2.1", 31337);
	feed(f, &ev);
	s = find(f, "198.51.100.1");
	assert_int_equal(s->dl, 2);
	assert_int_equal(s->intel->n_sigs, 2);
	assert_int_equal(s->intel->sig_dl_max, 4);
	assert_int_equal(s->intel->sig_dl, 2);
}

/* DL 3 and above need evidence: a rule's level above 2 counts once the
 * source also scanned for real (a pair at DL 2), swept, came back to the
 * attack (DANGER_LEVEL2 packets), or matched several distinct such rules. */
static void test_signature_level_needs_evidence(void **state)
{
	struct fx *f = *state;
	struct event ev;
	const struct source_state *s;

	/* one packet to a backdoor port: background noise, DL 2 */
	ev = ev_syn("198.51.100.10", "192.0.2.1", 31337);
	feed(f, &ev);
	assert_int_equal(find(f, "198.51.100.10")->dl, 2);
	/* a retried connect() (a few SYNs) is still one attempt */
	for (int i = 0; i < 6; i++)
		feed(f, &ev);
	assert_int_equal(find(f, "198.51.100.10")->dl, 2);
	/* ... coming back again and again (15 packets) is evidence */
	for (int i = 0; i < 8; i++)
		feed(f, &ev);
	s = find(f, "198.51.100.10");
	assert_int_equal(s->intel->sig_hi_packets, 15);
	assert_int_equal(s->dl, 4);

	/* a research scanner's visit: 5 ports (a DL 1 scan) with the backdoor
	 * port among them is not enough ... */
	for (uint16_t p = 20; p < 24; p++) {
		ev = ev_syn("198.51.100.11", "192.0.2.1", p);
		feed(f, &ev);
	}
	ev = ev_syn("198.51.100.11", "192.0.2.1", 31337);
	feed(f, &ev);
	s = find(f, "198.51.100.11");
	assert_int_equal(s->scan_dl, 1);
	assert_int_equal(s->dl, 2);
	/* ... a real scan (15 ports: DL 2) is */
	for (uint16_t p = 24; p < 34; p++) {
		ev = ev_syn("198.51.100.11", "192.0.2.1", p);
		feed(f, &ev);
	}
	s = find(f, "198.51.100.11");
	assert_int_equal(s->scan_dl, 2);
	assert_int_equal(s->dl, 4);

	/* so is a sweep (10 destinations) */
	for (int d = 0; d < 10; d++) {
		char dst[32];
		snprintf(dst, sizeof(dst), "192.0.2.%d", 10 + d);
		ev = ev_syn("198.51.100.13", dst, 2323);
		feed(f, &ev);
	}
	s = find(f, "198.51.100.13");
	assert_int_equal(s->sweep_dl, 1);
	assert_int_equal(s->dl, 3);

	/* several distinct attacks (three rules above level 2) */
	ev = ev_syn("198.51.100.12", "192.0.2.1", 31337);
	feed(f, &ev);
	ev = ev_syn("198.51.100.12", "192.0.2.1", 2323);
	feed(f, &ev);
	ev = ev_syn("198.51.100.12", "192.0.2.1", 1433); /* level 2: not one of them */
	feed(f, &ev);
	assert_int_equal(find(f, "198.51.100.12")->dl, 2);
	ev = ev_syn("198.51.100.12", "192.0.2.1", 2745);
	feed(f, &ev);
	s = find(f, "198.51.100.12");
	assert_int_equal(s->scan_dl, 0);
	assert_int_equal(s->intel->sig_dl, 4);
	assert_int_equal(s->dl, 4);
}

/* A psad_dl 0 rule drops the packet from all processing, as in psad. */
static void test_signature_suppresses(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_base("198.51.100.2", "192.0.2.1", IPPROTO_NUM_UDP);
	struct engine_stats st;

	ev.has_ports = true;
	ev.dport = 5353;
	assert_int_equal(engine_feed(f->e, &ev, T0), ENGINE_IGNORED_SIGNATURE);
	assert_int_equal(engine_source_count(f->e), 0);
	engine_get_stats(f->e, &st);
	assert_int_equal(st.ignored[ENGINE_IGNORED_SIGNATURE], 1);
	assert_string_equal(engine_verdict_name(ENGINE_IGNORED_SIGNATURE), "signature");
}

/* psad: an invalid ICMP type or code raises the source to DL 2 at once. */
static void test_invalid_icmp(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_base("198.51.100.3", "192.0.2.1", IPPROTO_NUM_ICMP);
	const struct source_state *s;

	ev.has_icmp = true;
	ev.icmp_type = 8;
	ev.icmp_code = 2; /* Echo has only code 0 */
	feed(f, &ev);
	ev.icmp_type = 99; /* not in the table */
	ev.icmp_code = 0;
	feed(f, &ev);
	s = find(f, "198.51.100.3");
	assert_int_equal(s->dl, 2);
	assert_int_equal(s->intel->invalid_icmp, 2);
	assert_int_equal(s->intel->n_bad_icmp, 2);
	assert_int_equal(s->intel->bad_icmp[0].type, 8);
	assert_int_equal(s->intel->bad_icmp[0].code, 2);

	/* a valid echo request: its signature, but no invalid count */
	ev = ev_base("198.51.100.4", "192.0.2.1", IPPROTO_NUM_ICMP);
	ev.has_icmp = true;
	ev.icmp_type = 8;
	feed(f, &ev);
	s = find(f, "198.51.100.4");
	assert_int_equal(s->intel->invalid_icmp, 0);
	assert_int_equal(s->intel->sigs[0].id, 384);

	/* ICMPv6 against its own table: 135/22 is invalid, 135/0 is not */
	ev = ev_base("2001:db8::9", "2001:db8::1", IPPROTO_NUM_ICMPV6);
	ev.has_icmp = true;
	ev.icmp_type = 135;
	feed(f, &ev);
	s = find(f, "2001:db8::9");
	assert_null(s->intel);
	assert_int_equal(s->dl, 0);
	ev.icmp_code = 22;
	feed(f, &ev);
	s = find(f, "2001:db8::9");
	assert_int_equal(s->intel->invalid_icmp, 1);
	assert_int_equal(s->dl, 2);
}

/* IPv4 options are counted by kind; LSRR flags source routing and matches
 * the ipopts rule. */
static void test_ip_options(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_base("198.51.100.5", "192.0.2.1", IPPROTO_NUM_UDP);
	const struct source_state *s;

	ev.has_ports = true;
	ev.dport = 9;
	set_ip_opt(&ev, "8307040A000001000000"); /* LSRR, then EOL padding */
	feed(f, &ev);
	set_ip_opt(&ev, "07070400000000"); /* record route */
	feed(f, &ev);
	s = find(f, "198.51.100.5");
	assert_non_null(s->intel);
	assert_non_null(s->intel->ipopts);
	assert_int_equal(s->intel->ipopts->packets, 2);
	assert_int_equal(s->intel->ipopts->count[3], 1); /* lsrr */
	assert_int_equal(s->intel->ipopts->count[7], 1); /* rr */
	assert_int_equal(s->intel->ipopts->source_routed, 1);
	assert_int_equal(s->intel->n_sigs, 1);
	assert_int_equal(s->intel->sigs[0].id, 500);
}

/* psad's Mirai heuristic: tcp/2323 after 10 SYNs to tcp/23, per pair. */
static void test_mirai_heuristic(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_syn("198.51.100.6", "192.0.2.1", 23);
	const struct source_state *s;

	for (int i = 0; i < 9; i++)
		feed(f, &ev);
	ev.dport = 2323;
	feed(f, &ev); /* only 9 before it */
	s = find(f, "198.51.100.6");
	assert_true(!s->intel || !(s->intel->scanners & (1u << SCANNER_MIRAI)));
	ev.dport = 23;
	for (int i = 0; i < 10; i++)
		feed(f, &ev);
	ev.dport = 2323;
	feed(f, &ev);
	s = find(f, "198.51.100.6");
	assert_non_null(s->intel);
	assert_true(s->intel->scanners & (1u << SCANNER_MIRAI));
	assert_string_equal(scanner_name(SCANNER_MIRAI), "Mirai");
}

/* Mirai's SYN scanner writes the destination address into SEQ. */
static void test_mirai_seq(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_syn("198.51.100.7", "192.0.2.77", 23);
	const struct source_state *s;

	ev.has_seq = true;
	ev.seq = 0xC000024Du; /* 192.0.2.77 */
	feed(f, &ev);
	s = find(f, "198.51.100.7");
	assert_non_null(s->intel);
	assert_true(s->intel->scanners & (1u << SCANNER_MIRAI));

	ev = ev_syn("198.51.100.8", "192.0.2.77", 23);
	ev.has_seq = true;
	ev.seq = 0xC000024Eu; /* one off */
	feed(f, &ev);
	s = find(f, "198.51.100.8");
	assert_true(!s->intel || !(s->intel->scanners & (1u << SCANNER_MIRAI)));
}

/* Masscan: an option-less SYN once options are logged, with masscan's own
 * marks (IP ID from SEQ; window 1024 when SEQ is not logged). hping3's
 * option-less SYN (window 512) is not Masscan, unlike in psad. */
static void test_masscan(void **state)
{
	struct fx *f = *state;
	struct event opt = ev_syn("198.51.100.9", "192.0.2.1", 80);
	struct event ev;
	const struct source_state *s;

	/* before any TCP options were seen: nothing */
	ev = ev_syn("198.51.100.10", "192.0.2.1", 80);
	ev.window = 1024;
	feed(f, &ev);
	assert_null(find(f, "198.51.100.10")->intel);

	opt.has_tcp_opts = true;
	opt.ip_len = 44;
	opt.window = 1024;
	opt.tcp_opts.count = 1;
	opt.tcp_opts.kinds[0] = TCPOPT_KIND_MSS;
	opt.tcp_opts.has_mss = true;
	opt.tcp_opts.mss = 1460;
	feed(f, &opt);
	s = find(f, "198.51.100.9");
	assert_true(!s->intel || !(s->intel->scanners & (1u << SCANNER_MASSCAN)));

	feed(f, &ev); /* window 1024, no SEQ */
	s = find(f, "198.51.100.10");
	assert_non_null(s->intel);
	assert_true(s->intel->scanners & (1u << SCANNER_MASSCAN));

	ev = ev_syn("198.51.100.11", "192.0.2.1", 80); /* hping3: window 512 */
	feed(f, &ev);
	s = find(f, "198.51.100.11");
	assert_true(!s->intel || !(s->intel->scanners & (1u << SCANNER_MASSCAN)));

	ev = ev_syn("198.51.100.12", "192.0.2.1", 80); /* SEQ logged: the IP ID formula */
	ev.has_seq = true;
	ev.seq = 0x12345678u;
	ev.ip_id = (uint16_t)((0xC0000201u ^ 80u ^ 0x12345678u) & 0xffff);
	feed(f, &ev);
	s = find(f, "198.51.100.12");
	assert_non_null(s->intel);
	assert_true(s->intel->scanners & (1u << SCANNER_MASSCAN));
}

static void test_topera(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_syn("2001:db8::66", "2001:db8::1", 80);
	const struct source_state *s;

	ev.v6_empty_opts = 6;
	feed(f, &ev);
	s = find(f, "2001:db8::66");
	assert_true(!s->intel || !(s->intel->scanners & (1u << SCANNER_TOPERA)));
	ev.v6_empty_opts = 7;
	feed(f, &ev);
	s = find(f, "2001:db8::66");
	assert_true(s->intel->scanners & (1u << SCANNER_TOPERA));
}

/* A listed source is raised to the list's level on its first packet; the
 * longest matching network is reported. */
static void test_reputation(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_syn("203.0.113.9", "192.0.2.1", 80);
	const struct source_state *s;
	char buf[NET_STR_MAX];

	feed(f, &ev);
	s = find(f, "203.0.113.9");
	assert_non_null(s->intel);
	assert_non_null(s->intel->rep);
	assert_int_equal(s->dl, 4);
	net_format(&s->intel->rep->net, buf);
	assert_string_equal(buf, "203.0.113.0/24");
	assert_string_equal(s->intel->rep->list, "bad.txt");

	ev = ev_syn("2001:db8:bad::1", "2001:db8::1", 80);
	feed(f, &ev);
	assert_int_equal(find(f, "2001:db8:bad::1")->dl, 4);
	ev = ev_syn("2001:db8:bae::1", "2001:db8::1", 80);
	feed(f, &ev);
	assert_int_equal(find(f, "2001:db8:bae::1")->dl, 0);
}

/* nmap's SYN (window 1024, MSS only) is guessed as such, once per source. */
static void test_os_guess(void **state)
{
	struct fx *f = *state;
	struct event ev = ev_syn("198.51.100.13", "192.0.2.1", 80);
	const struct source_state *s;

	ev.ip_len = 44;
	ev.window = 1024;
	ev.ttl = 50;
	ev.has_tcp_opts = true;
	ev.tcp_opts.count = 1;
	ev.tcp_opts.kinds[0] = TCPOPT_KIND_MSS;
	ev.tcp_opts.has_mss = true;
	ev.tcp_opts.mss = 1460;
	for (uint16_t p = 1; p <= 3; p++) {
		ev.dport = p;
		feed(f, &ev);
	}
	s = find(f, "198.51.100.13");
	assert_non_null(s->intel);
	assert_int_equal(s->intel->n_os, 1);
	assert_string_equal(s->intel->os[0], "NMAP:syn scan");
}

/* A source matching many signatures (a scan through signed ports) gets an
 * index over them; the counts stay exact on both sides of the switch. */
static void test_many_signatures(void **state)
{
	struct fx *f = *state;
	char rules_buf[4096];
	size_t o = 0;
	struct matchers m = f->m;
	struct engine *e;
	const struct source_state **v;
	size_t n;

	for (int i = 0; i < 40; i++)
		o += (size_t)snprintf(rules_buf + o, sizeof(rules_buf) - o,
				      "alert tcp any any -> any %d (msg:\"p%d\"; sid:%d;)\n",
				      1000 + i, i, 7000 + i);
	m.sigs = NULL;
	assert_int_equal(sigset_load_buf("many", rules_buf, o, vars, NULL, NULL, NULL, &m.sigs), 0);
	assert_int_equal(engine_new(&f->cfg, NULL, NULL, NULL, &e), 0);
	engine_set_matchers(e, &m);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 40; i++) {
			struct event ev = ev_syn("198.51.100.20", "192.0.2.1", (uint16_t)(1000 + i));
			assert_int_equal(engine_feed(e, &ev, T0), ENGINE_COUNTED);
		}
	v = engine_sources_sorted(e, &n);
	assert_int_equal(n, 1);
	assert_int_equal(v[0]->intel->n_sigs, 40);
	assert_non_null(v[0]->intel->sig_slot);
	for (int i = 0; i < 40; i++) {
		assert_int_equal(v[0]->intel->sigs[i].id, 7000 + i);
		assert_int_equal(v[0]->intel->sigs[i].count, 3);
	}
	free(v);
	engine_free(e);
	sigset_free(m.sigs);
}

/* The heap a source's findings hold, from their fields. */
static size_t intel_heap(const struct source_intel *x)
{
	size_t os_cap = 0;

	while (os_cap < x->n_os)
		os_cap = os_cap ? 2 * os_cap : 1;
	return mem_cost(sizeof(*x)) + mem_cost(x->cap_sigs * sizeof(*x->sigs)) +
	       (x->sig_slot ? mem_cost(SIG_SLOTS) : 0) + mem_cost(os_cap * sizeof(*x->os)) +
	       (x->bad_icmp ? mem_cost(SOURCE_BAD_ICMP_MAX * sizeof(*x->bad_icmp)) : 0) +
	       (x->ipopts ? mem_cost(sizeof(*x->ipopts)) : 0) + (x->rep ? mem_cost(sizeof(*x->rep)) : 0);
}

/* MEMORY_LIMIT counts what the findings allocate as they grow: x->bytes
 * follows every part, and the engine's count follows x->bytes. */
static void test_intel_bytes(void **state)
{
	struct fx *f = *state;
	char rules_buf[8192];
	size_t o = 0;
	struct matchers m = f->m;
	struct engine *e;
	struct engine_stats st0, st;
	const struct source_state **v;
	size_t n;

	for (int i = 0; i < 80; i++)
		o += (size_t)snprintf(rules_buf + o, sizeof(rules_buf) - o,
				      "alert tcp any any -> any %d (msg:\"p%d\"; sid:%d;)\n",
				      1000 + i, i, 7000 + i);
	m.sigs = NULL;
	assert_int_equal(sigset_load_buf("many", rules_buf, o, vars, NULL, NULL, NULL, &m.sigs), 0);
	assert_int_equal(engine_new(&f->cfg, NULL, NULL, NULL, &e), 0);
	engine_set_matchers(e, &m);
	engine_get_stats(e, &st0);
	assert_int_equal(intel_bytes(NULL), 0);
	for (int i = 0; i < 80; i++) {
		/* a listed source: signatures past the index and the cap, OS guesses */
		struct event ev = ev_syn("203.0.113.9", "192.0.2.1", (uint16_t)(1000 + i));
		ev.ip_len = 44;
		ev.window = 1024;
		ev.has_tcp_opts = true;
		ev.tcp_opts.count = 1;
		ev.tcp_opts.kinds[0] = TCPOPT_KIND_MSS;
		ev.tcp_opts.has_mss = true;
		ev.tcp_opts.mss = 1460;
		ev.ttl = (uint8_t)(40 + i % 30);
		if (i % 7 == 0)
			set_ip_opt(&ev, "07070400000000"); /* record route */
		assert_int_equal(engine_feed(e, &ev, T0), ENGINE_COUNTED);
		v = engine_sources_sorted(e, &n);
		assert_int_equal(n, 1);
		assert_non_null(v[0]->intel);
		assert_int_equal(v[0]->intel->bytes, intel_heap(v[0]->intel));
		assert_true(v[0]->intel->bytes <= intel_bytes_max());
		free(v);
	}
	{
		struct event ev = ev_base("203.0.113.9", "192.0.2.1", IPPROTO_NUM_ICMP);
		ev.has_icmp = true;
		ev.icmp_type = 99;
		assert_int_equal(engine_feed(e, &ev, T0), ENGINE_COUNTED);
	}
	v = engine_sources_sorted(e, &n);
	assert_non_null(v[0]->intel->rep);
	assert_non_null(v[0]->intel->bad_icmp);
	assert_non_null(v[0]->intel->ipopts);
	assert_non_null(v[0]->intel->sig_slot);
	assert_int_equal(v[0]->intel->n_sigs, SOURCE_SIGS_MAX);
	assert_int_equal(v[0]->intel->bytes, intel_heap(v[0]->intel));
	/* the engine counted it: the source's findings are in memory_used */
	engine_get_stats(e, &st);
	assert_true(st.memory_used - st0.memory_used >= v[0]->intel->bytes);
	free(v);
	engine_free(e);
	sigset_free(m.sigs);
}

struct sig_log {
	size_t n;
	uint32_t id[8];
	char msg[8][32];
	int dl[8];
};

static void on_sig(const struct engine_change *c, void *data)
{
	struct sig_log *l = data;

	if (c->kind != ENGINE_CHANGE_SIGNATURE)
		return;
	assert_non_null(c->ev);
	assert_non_null(c->sig_msg);
	assert_true(l->n < 8);
	l->id[l->n] = c->sig_id;
	snprintf(l->msg[l->n], sizeof(l->msg[0]), "%s", c->sig_msg);
	l->dl[l->n++] = c->sig_dl;
}

/* One SIGNATURE change per (source, signature), on its first match; and a
 * reload that frees the old sets leaves the sources' names intact (ASan
 * would see a use after free). */
static void test_signature_changes_and_reload(void **state)
{
	struct fx *f = *state;
	struct matchers a, b;
	struct engine *e;
	struct sig_log log = {0};
	struct event ev = ev_syn("203.0.113.50", "192.0.2.1", 1433);
	struct addr src = ip("203.0.113.50");
	const struct source_state *s;

	assert_int_equal(load_matchers(&a), 0);
	assert_int_equal(engine_new(&f->cfg, NULL, on_sig, &log, &e), 0);
	engine_set_matchers(e, &a);
	for (int i = 0; i < 3; i++)
		assert_int_equal(engine_feed(e, &ev, (int64_t)T0 * 1000000), ENGINE_COUNTED);
	ev.dport = 31337;
	ev.ip_len = 44;
	ev.window = 1024;
	ev.ttl = 50;
	ev.has_tcp_opts = true;
	ev.tcp_opts.count = 1;
	ev.tcp_opts.kinds[0] = TCPOPT_KIND_MSS;
	ev.tcp_opts.has_mss = true;
	ev.tcp_opts.mss = 1460;
	assert_int_equal(engine_feed(e, &ev, (int64_t)T0 * 1000000), ENGINE_COUNTED);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.id[0], 100205);
	assert_string_equal(log.msg[0], "SQL probe");
	assert_int_equal(log.dl[0], 2);
	assert_int_equal(log.id[1], 9001);
	assert_string_equal(log.msg[1], "backdoor");
	assert_int_equal(log.dl[1], 4);

	/* reload: the new sets in, the old ones freed */
	assert_int_equal(load_matchers(&b), 0);
	engine_set_matchers(e, &b);
	matchers_done(&a);
	s = engine_lookup(e, 0, &src);
	assert_non_null(s);
	assert_non_null(s->intel);
	assert_string_equal(s->intel->sigs[0].msg, "SQL probe");
	assert_string_equal(s->intel->sigs[1].msg, "backdoor");
	assert_int_equal(s->intel->n_os, 1);
	assert_string_equal(s->intel->os[0], "NMAP:syn scan");
	assert_non_null(s->intel->rep);
	assert_string_equal(s->intel->rep->list, "bad.txt");
	/* the same signature again: no change; the same one from a new source: one */
	assert_int_equal(engine_feed(e, &ev, (int64_t)T0 * 1000000), ENGINE_COUNTED);
	assert_int_equal(log.n, 2);
	ev.src = ip("198.51.100.77");
	assert_int_equal(engine_feed(e, &ev, (int64_t)T0 * 1000000), ENGINE_COUNTED);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.id[2], 9001);
	s = engine_lookup(e, 0, &ev.src);
	assert_string_equal(s->intel->os[0], "NMAP:syn scan");
	engine_free(e);
	matchers_done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signature_levels, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_signature_level_needs_evidence, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_signature_suppresses, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_invalid_icmp, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ip_options, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mirai_heuristic, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mirai_seq, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_masscan, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_topera, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reputation, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_os_guess, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_many_signatures, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_intel_bytes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_signature_changes_and_reload, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
