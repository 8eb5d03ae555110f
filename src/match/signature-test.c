/* SPDX-License-Identifier: GPL-2.0-or-later */
/* signature-test.c - psad's own signature file, every option and number
 * form, lists, variables, directions, every malformed case with its line,
 * and the index checked against a brute-force scan of all rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event/event.h"
#include "match/signature.h"
#include "parse/parse.h"

#define DIAGS_MAX 64
#define MATCH_MAX 64

struct diags {
	unsigned n, errors, warnings;
	struct {
		enum config_severity sev;
		unsigned line;
		char msg[256];
	} d[DIAGS_MAX];
};

/* IPv4 options given as the kernel logs them, decoded as the parser does. */
static void set_ip_opt(struct event *ev, const char *hex)
{
	int n = parse_opt_hex(span_make(hex, strlen(hex)), ev->ip_opt_raw, EVENT_OPT_MAX);

	assert_true(n >= 0);
	ev->ip_opt_len = (uint8_t)n;
}

static void record(const struct config_diag *d, void *data)
{
	struct diags *ds = data;

	for (const char *p = d->msg; *p; p++) /* escaped: safe to print */
		assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
	assert_string_equal(d->file, "sigs");
	ds->errors += d->severity == CONFIG_ERROR;
	ds->warnings += d->severity == CONFIG_WARNING;
	if (ds->n == DIAGS_MAX)
		return;
	ds->d[ds->n].sev = d->severity;
	ds->d[ds->n].line = d->line;
	snprintf(ds->d[ds->n].msg, sizeof(ds->d[0].msg), "%s", d->msg);
	ds->n++;
}

/* psad.conf's variables as the test gives them; $LOOP and $DEEPn for the
 * recursion bound. */
static int vars(void *data, struct span name, struct span *ret)
{
	static const char *const tab[][2] = {
		{ "HOME_NET", "any" },
		{ "EXTERNAL_NET", "any" },
		{ "HTTP_SERVERS", "any" },
		{ "SQL_SERVERS", "any" },
		{ "SMTP_SERVERS", "any" },
		{ "DNS_SERVERS", "any" },
		{ "TELNET_SERVERS", "any" },
		{ "AIM_SERVERS", "[64.12.24.0/24,64.12.25.0/24,205.188.5.0/24]" },
		{ "HTTP_PORTS", "80" },
		{ "SHELLCODE_PORTS", "!80" },
		{ "ORACLE_PORTS", "1521" },
		{ "LAN", " 10.0.0.0/8 " },
		{ "LANS", "[10.0.0.0/8, 192.168.0.0/16]" },
		{ "NOT_LAN", "!$LAN" },
		{ "WEB", "[80,443,8000:8080]" },
		{ "ALIAS", "$LANS" },
		{ "LOOP", "$LOOP" },
		{ "DEEP1", "$DEEP2" }, { "DEEP2", "$DEEP3" }, { "DEEP3", "$DEEP4" },
		{ "DEEP4", "$DEEP5" }, { "DEEP5", "$DEEP6" }, { "DEEP6", "$DEEP7" },
		{ "DEEP7", "$DEEP8" }, { "DEEP8", "10.1.2.3" },
		{ "BAD", "10.0.0.300" },
		{ "MIXED", "[10.0.0.0/8,!10.1.0.0/16]" },
		{ "BOMB", "[$BOMB2,$BOMB2,$BOMB2,$BOMB2,$BOMB2,$BOMB2,$BOMB2,$BOMB2]" },
		{ "BOMB2", "[$BOMB3,$BOMB3,$BOMB3,$BOMB3,$BOMB3,$BOMB3,$BOMB3,$BOMB3]" },
		{ "BOMB3", "[$BOMB4,$BOMB4,$BOMB4,$BOMB4,$BOMB4,$BOMB4,$BOMB4,$BOMB4]" },
		{ "BOMB4", "[$BOMB5,$BOMB5,$BOMB5,$BOMB5,$BOMB5,$BOMB5,$BOMB5,$BOMB5]" },
		{ "BOMB5", "any" },
	};
	(void)data;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (span_eq(name, tab[i][0], strlen(tab[i][0]))) {
			*ret = span_make(tab[i][1], strlen(tab[i][1]));
			return 0;
		}
	return -ENOENT;
}

static struct sigset *load(const char *text, struct diags *ds, int want_r)
{
	struct sigset *s = NULL;

	memset(ds, 0, sizeof(*ds));
	int r = sigset_load_buf("sigs", text, strlen(text), vars, NULL, record, ds, &s);
	if (r != want_r)
		fail_msg("load returned %d: %s", r, ds->n ? ds->d[0].msg : "");
	assert_non_null(s);
	return s;
}

/* One rule, loaded without any diagnostic. */
static struct sigset *load1(const char *text)
{
	struct diags ds;
	struct sigset *s = load(text, &ds, 0);

	assert_int_equal(ds.n, 0);
	assert_int_equal(sigset_count(s), 1);
	return s;
}

static struct addr A(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(span_make(s, strlen(s)), &a), 0);
	return a;
}

static struct event ev_ip(const char *src, const char *dst, uint8_t proto)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.src = A(src);
	ev.dst = A(dst);
	ev.proto = proto;
	ev.ttl = 64;
	ev.ip_len = 60;
	ev.in = SPAN_LIT("eth0");
	return ev;
}

static struct event ev_tcp(uint16_t sport, uint16_t dport, uint8_t flags)
{
	struct event ev = ev_ip("198.18.0.2", "198.18.0.1", IPPROTO_NUM_TCP);

	ev.has_ports = true;
	ev.sport = sport;
	ev.dport = dport;
	ev.tcp_flags = flags;
	ev.window = 1024;
	ev.ip_len = 40;
	return ev;
}

static struct event ev_udp(uint16_t sport, uint16_t dport, uint16_t payload)
{
	struct event ev = ev_ip("198.18.0.2", "198.18.0.1", IPPROTO_NUM_UDP);

	ev.has_ports = true;
	ev.sport = sport;
	ev.dport = dport;
	ev.udp_len = (uint16_t)(payload + 8);
	ev.ip_len = (uint16_t)(payload + 28);
	return ev;
}

static struct event ev_icmp(uint8_t type, uint8_t code)
{
	struct event ev = ev_ip("198.18.0.2", "198.18.0.1", IPPROTO_NUM_ICMP);

	ev.has_icmp = true;
	ev.icmp_type = type;
	ev.icmp_code = code;
	ev.has_icmp_echo = type == 0 || type == 8;
	ev.ip_len = 84;
	return ev;
}

/* Does ev (with ipopts) match the rule whose reported id is id? Also checks
 * that sigset_match agrees with sigset_match_one for every rule. */
static bool hits(const struct sigset *s, const struct event *ev, uint32_t ipopts, uint32_t id)
{
	uint32_t idx[MATCH_MAX];
	size_t n = sigset_match(s, ev, ipopts, idx, MATCH_MAX);
	bool found = false;

	assert_true(n <= MATCH_MAX);
	for (size_t i = 0; i < n; i++) {
		assert_true(sigset_match_one(s, idx[i], ev, ipopts));
		if (i)
			assert_true(idx[i - 1] < idx[i]); /* file order, no duplicate */
		found |= sigset_get(s, idx[i])->id == id;
	}
	return found;
}

static bool hit1(const char *rule, const struct event *ev, uint32_t ipopts)
{
	struct sigset *s = load1(rule);
	bool r = hits(s, ev, ipopts, sigset_get(s, 0)->id);

	sigset_free(s);
	return r;
}

/* ---- psad's file ---- */

static char *read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static struct sigset *load_psad(void)
{
	struct sigset *s = NULL;
	struct diags ds = { 0 };
	size_t len, alerts = 0;
	char *buf = read_file("tests/data/psad/signatures", &len);

	for (const char *p = buf; p; p = strchr(p, '\n')) {
		p += *p == '\n';
		alerts += strncmp(p, "alert ", 6) == 0;
	}
	assert_int_equal(alerts, 206);
	assert_int_equal(sigset_load_buf("sigs", buf, len, vars, NULL, record, &ds, &s), 0);
	assert_int_equal(ds.n, 0);
	assert_int_equal(sigset_count(s), alerts);
	free(buf);
	return s;
}

static void test_psad_file(void **state)
{
	struct sigset *s = load_psad();
	struct sigset_stats st;
	size_t proto_tcp = 0;
	struct event ev;

	(void)state;
	sigset_get_stats(s, &st);
	assert_int_equal(st.rules, 206);
	assert_int_equal(st.malformed, 0);
	assert_int_equal(st.unsupported, 0);
	assert_int_equal(st.suppress, 0);
	for (size_t i = 0; i < sigset_count(s); i++) {
		const struct sig *g = sigset_get(s, i);
		assert_int_equal(g->dl, 2);
		assert_true(g->id == (g->sid ? g->sid : g->psad_id));
		assert_non_null(g->msg);
		proto_tcp += strncmp(g->msg, "SCAN ", 5) == 0;
	}
	assert_true(proto_tcp > 0);
	assert_string_equal(sigset_get(s, 0)->msg, "SNMP AgentX/tcp request");
	assert_int_equal(sigset_get(s, 0)->sid, 1421);
	assert_int_equal(sigset_get(s, 0)->psad_id, 100001);
	assert_int_equal(sigset_get(s, 0)->line, 31);

	ev = ev_tcp(40000, 1433, TCPF_SYN);
	assert_true(hits(s, &ev, 0, 100205));
	ev.tcp_flags = TCPF_SYN | TCPF_ACK; /* flags:S is exact */
	assert_false(hits(s, &ev, 0, 100205));
	ev = ev_tcp(40000, 1015, TCPF_SYN);
	assert_true(hits(s, &ev, 0, 1985));
	ev = ev_tcp(40000, 15104, TCPF_SYN | TCPF_ECE | TCPF_CWR); /* flags:S,12 */
	assert_true(hits(s, &ev, 0, 249));
	ev = ev_tcp(40000, 22, TCPF_FIN);
	assert_true(hits(s, &ev, 0, 621));
	ev = ev_tcp(40000, 22, TCPF_URG | TCPF_PSH | TCPF_FIN);
	assert_true(hits(s, &ev, 0, 1228));
	assert_false(hits(s, &ev, 0, 621));
	ev = ev_tcp(40000, 22, 0); /* dead in psad */
	assert_true(hits(s, &ev, 0, 623));
	ev = ev_tcp(40000, 22, TCPF_SYN | TCPF_FIN);
	assert_true(hits(s, &ev, 0, 624));
	ev = ev_icmp(8, 0);
	assert_true(hits(s, &ev, 0, 384));
	assert_false(hits(s, &ev, 0, 365));
	ev = ev_icmp(8, 3);
	assert_true(hits(s, &ev, 0, 365));
	ev = ev_udp(40000, 62201, 131); /* psad_dsize:>130 */
	assert_true(hits(s, &ev, 0, 100210));
	ev = ev_udp(40000, 1434, 376);
	assert_int_equal(ev.ip_len, 404);
	assert_true(hits(s, &ev, 0, 100208));
	ev.ip_len = 405;
	assert_false(hits(s, &ev, 0, 100208));
	ev = ev_ip("198.18.0.2", "198.18.0.1", 47);
	assert_true(hits(s, &ev, 1u << (131 & 31), 500));
	assert_false(hits(s, &ev, 1u << (137 & 31), 500));
	assert_true(hits(s, &ev, 1u << (137 & 31), 502));
	assert_false(hits(s, &ev, 0, 527));
	ev.dst = ev.src;
	assert_true(hits(s, &ev, 0, 527));
	ev.in = SPAN_LIT("lo");
	assert_false(hits(s, &ev, 0, 527));
	/* '<>' Napster: reply direction from the server port */
	ev = ev_tcp(6699, 40000, TCPF_SYN);
	assert_true(hits(s, &ev, 0, 561));
	sigset_free(s);
}

/* psad matches port-only TCP rules on IPv6 too; icmp rules are ICMPv4 only. */
static void test_ipv6(void **state)
{
	struct sigset *s = load_psad();
	struct event ev = ev_tcp(40000, 1433, TCPF_SYN);

	(void)state;
	ev.src = A("2001:db8::2");
	ev.dst = A("2001:db8::1");
	assert_true(hits(s, &ev, 0, 100205));
	ev = ev_icmp(128, 0);
	ev.proto = IPPROTO_NUM_ICMPV6;
	ev.src = A("2001:db8::2");
	ev.dst = A("2001:db8::1");
	ev.icmp_type = 8;
	assert_false(hits(s, &ev, 0, 384));
	sigset_free(s);

	ev = ev_tcp(1, 2, TCPF_SYN);
	ev.src = A("2001:db8::2");
	ev.dst = A("2001:db8::1");
	ev.ttl = 7;
	ev.tc = 3;
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; ttl:7;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; tos:3;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; id:0;)", &ev, 0));
	assert_false(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ipopts:any;)", &ev, ~0u));
	assert_false(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; fragbits:!M;)", &ev, 0));
	assert_true(hit1("alert ip 2001:db8::/64 any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert ip 10.0.0.0/8 any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
}

/* ---- numbers ---- */

static void test_number_forms(void **state)
{
	static const struct {
		const char *form;
		uint8_t ttl;
		bool want;
	} cases[] = {
		{ "64", 64, true },	   { "64", 63, false },	     { " 64 ", 64, true },
		{ "10:20", 10, true },	   { "10:20", 20, true },    { "10:20", 21, false },
		{ "10:", 255, true },	   { "10:", 9, false },	     { ":20", 0, true },
		{ ":20", 21, false },	   { "<5", 4, true },	     { "<5", 5, false },
		{ "< 25", 24, true },	   { "<=5", 5, true },	     { "<=5", 6, false },
		{ ">220", 221, true },	   { ">220", 220, false },   { ">=220", 220, true },
		{ ">=220", 219, false },   { "!64", 64, false },     { "!64", 65, true },
		{ "!10:20", 15, false },   { "!10:20", 9, true },    { "10<>20", 10, false },
		{ "10<>20", 11, true },	   { "10<>20", 19, true },   { "10<>20", 20, false },
		{ "10<=>20", 10, true },   { "10<=>20", 20, true },  { "10<=>20", 21, false },
		{ "!>5", 5, true },	   { "!>5", 6, false },
	};
	char rule[160];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct event ev = ev_tcp(1, 2, TCPF_SYN);
		ev.ttl = cases[i].ttl;
		snprintf(rule, sizeof(rule), "alert ip any any -> any any (msg:\"n\"; sid:7; ttl:%s;)",
			 cases[i].form);
		if (hit1(rule, &ev, 0) != cases[i].want)
			fail_msg("ttl:%s with ttl %u should %s", cases[i].form, cases[i].ttl,
				 cases[i].want ? "match" : "not match");
	}
}

static void test_number_errors(void **state)
{
	static const char *const bad[] = {
		"256", "-1", "x", "", "<0", ">255", "20:10", "10<>11", ":", "1:2:3", "5<>", "!",
	};
	char rule[160];
	struct diags ds;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(rule, sizeof(rule), "alert ip any any -> any any (msg:\"n\"; sid:7; ttl:%s;)",
			 bad[i]);
		struct sigset *s = load(rule, &ds, -EINVAL);
		assert_int_equal(ds.errors, 1);
		assert_int_equal(ds.d[0].line, 1);
		assert_non_null(strstr(ds.d[0].msg, "for option 'ttl'"));
		assert_int_equal(sigset_count(s), 0);
		sigset_free(s);
	}
}

/* ---- options ---- */

static void test_options_ip(void **state)
{
	struct event ev = ev_tcp(1, 2, TCPF_SYN);

	(void)state;
	ev.tos = 0x10;
	ev.ip_id = 413;
	ev.ip_len = 40;
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; tos:16;)", &ev, 0));
	assert_false(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; tos:0;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; id:413;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ip_len:40;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; psad_ip_len:>39;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ip_proto:tcp;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ip_proto:6;)", &ev, 0));
	assert_false(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ip_proto:!tcp;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ip_proto:<17;)", &ev, 0));
	ev.proto = 103;
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ip_proto:>100;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ip_proto:PIM;)", &ev, 0));

	/* ipopts: a keyword, any */
	ev = ev_tcp(1, 2, TCPF_SYN);
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ipopts:rr;)", &ev, 1u << 7));
	assert_false(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ipopts:rr;)", &ev, 1u << 3));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ipopts:any;)", &ev, 1u << 3));
	assert_false(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ipopts:any;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; ipopts:ts;)", &ev,
			 1u << (68 & 31)));

	/* fragbits: exact, +, *, ! */
	ev.ip_flags = IPF_DF;
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; fragbits:D;)", &ev, 0));
	assert_false(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; fragbits:M;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; fragbits:!M;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; fragbits:*MD;)", &ev, 0));
	assert_false(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; fragbits:MD;)", &ev, 0));
	ev.ip_flags = IPF_DF | IPF_MF | IPF_CE;
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; fragbits:MD+;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; fragbits:MDR;)", &ev, 0));

	/* sameip */
	ev = ev_tcp(1, 2, TCPF_SYN);
	ev.dst = ev.src;
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; sameip;)", &ev, 0));
	ev.dst = A("198.18.0.9");
	assert_false(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; sameip;)", &ev, 0));
}

static void test_options_tcp(void **state)
{
	struct event ev = ev_tcp(1, 2, TCPF_SYN);

	(void)state;
	ev.window = 55808;
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; window:55808;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; window:!55808;)", &ev, 0));
	/* seq/ack need --log-tcp-sequence */
	ev.seq = 1958810375;
	ev.ack = 7;
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; seq:1958810375;)", &ev, 0));
	ev.has_seq = true;
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; seq:1958810375;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; ack:7;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; ack:8;)", &ev, 0));

	/* dsize: LEN 60 - 20 IP - (20 + 12 option bytes) TCP = 8 */
	ev = ev_tcp(1, 2, TCPF_SYN);
	ev.ip_len = 60;
	ev.has_tcp_opts = true;
	ev.tcp_opt_len = 12; /* "OPT (020405B40402080A00000000)" */
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; dsize:8;)", &ev, 0));
	set_ip_opt(&ev, "83070400000000"); /* 7 option bytes: not a multiple of 4, still counted */
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; dsize:1;)", &ev, 0));
	ev.ip_len = 20;
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; psad_dsize:0;)", &ev, 0));
}

/* A TCP record without "OPT (...)": the rule may not log options (ufw's,
 * firewalld's default), so the header is 20 to 60 bytes and the payload a
 * range; a dsize test matches only when it holds over the whole range. */
static void test_dsize_options_unlogged(void **state)
{
	static const char *const data_syn =
	    "alert tcp any any -> any any (msg:\"data in TCP SYN packet\"; flags:S,12; "
	    "dsize:>6; sid:207;)";
	struct event ev = ev_tcp(1, 2, TCPF_SYN);

	(void)state;
	ev.ip_len = 60; /* Linux SYN: 20 option bytes, unlogged */
	assert_false(hit1(data_syn, &ev, 0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; psad_dsize:>6;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; dsize:20;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; dsize:0;)", &ev, 0));
	/* true for every payload 0..20 */
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; dsize:<21;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; dsize:!30;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; dsize:!10;)", &ev, 0));
	ev.ip_len = 52; /* Windows SYN: 12 option bytes */
	assert_false(hit1(data_syn, &ev, 0));
	ev.ip_len = 40; /* no room for options or data: exactly 0 */
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; dsize:0;)", &ev, 0));
	ev.ip_len = 87; /* even a 60-byte header leaves 7 bytes of data */
	assert_true(hit1(data_syn, &ev, 0));
	ev.ip_len = 86;
	assert_false(hit1(data_syn, &ev, 0));
	/* OPT (TRUNCATED): the options were not readable, their length neither */
	ev.ip_len = 60;
	ev.has_tcp_opts = true;
	ev.tcp_opts.truncated = true;
	assert_false(hit1(data_syn, &ev, 0));
	/* options logged: exact, even with none ("OPT" absent is then 20 bytes
	 * only when logged; an empty logged list is exact too) */
	ev.tcp_opts.truncated = false;
	ev.tcp_opt_len = 0;
	assert_true(hit1(data_syn, &ev, 0));
	/* a 32-bit LEN (BIG TCP) */
	ev.ip_len = 200000;
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; dsize:>65000;)", &ev, 0));
}

static void test_flags(void **state)
{
	static const struct {
		const char *flags;
		uint8_t pkt;
		bool want;
	} cases[] = {
		{ "S", TCPF_SYN, true },
		{ "S", TCPF_SYN | TCPF_ACK, false },
		{ "S", TCPF_SYN | TCPF_ECE | TCPF_CWR, false },
		{ "S,12", TCPF_SYN | TCPF_ECE | TCPF_CWR, true },
		{ "S,CE", TCPF_SYN | TCPF_ECE, true },
		{ "S+", TCPF_SYN | TCPF_ACK, true },
		{ "+S", TCPF_SYN | TCPF_ACK, true },
		{ "+SF", TCPF_SYN, false },
		{ "*SF", TCPF_SYN, true },
		{ "*SF", TCPF_ACK, false },
		{ "!SF", TCPF_ACK, true },
		{ "!SF", TCPF_ACK | TCPF_FIN, false },
		{ "0", 0, true },
		{ "0", TCPF_FIN, false },
		{ "SRAFPU", 0x3f, true },
		{ "FPU", TCPF_URG | TCPF_PSH | TCPF_FIN, true },
		{ "C", TCPF_CWR, true },
		{ "12", TCPF_CWR | TCPF_ECE, true },
		{ "A+,S", TCPF_ACK | TCPF_SYN, true },
	};
	char rule[160];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct event ev = ev_tcp(1, 2, cases[i].pkt);
		snprintf(rule, sizeof(rule), "alert tcp any any -> any any (msg:\"f\"; sid:7; flags:%s;)",
			 cases[i].flags);
		if (hit1(rule, &ev, 0) != cases[i].want)
			fail_msg("flags:%s with 0x%02x", cases[i].flags, cases[i].pkt);
	}
	/* flags on a udp packet never match (ip rule) */
	struct event u = ev_udp(1, 2, 0);
	assert_false(hit1("alert ip any any -> any any (msg:\"m\"; sid:1; flags:0;)", &u, 0));

	/* flow:established needs ACK; with exact flags it is added (psad) */
	struct event ev = ev_tcp(1, 2, TCPF_PSH | TCPF_ACK);
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; flow:to_server,established;)",
			 &ev, 0));
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; flags:P; flow:established;)",
			 &ev, 0));
	ev.tcp_flags = TCPF_PSH;
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; flow:established;)", &ev,
			  0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; flags:P; flow:established;)",
			  &ev, 0));
	assert_true(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1; flow:to_server;)", &ev, 0));
}

static void test_icmp_options(void **state)
{
	struct event ev = ev_icmp(0, 0);

	(void)state;
	ev.icmp_id = 456;
	ev.icmp_seq = 0;
	assert_true(hit1("alert icmp any any -> any any (msg:\"m\"; sid:1; icmp_id:456; icmp_seq:0; "
			 "itype:0;)", &ev, 0));
	assert_true(hit1("alert icmp any any -> any any (msg:\"m\"; sid:1; icmp_id:400:500;)", &ev, 0));
	assert_false(hit1("alert icmp any any -> any any (msg:\"m\"; sid:1; icmp_seq:1;)", &ev, 0));
	ev = ev_icmp(3, 13);
	assert_true(hit1("alert icmp any any -> any any (msg:\"m\"; sid:1; itype:3; icode:13;)", &ev,
			 0));
	assert_true(hit1("alert icmp any any -> any any (msg:\"m\"; sid:1; itype:<4; icode:>0;)", &ev,
			 0));
	assert_false(hit1("alert icmp any any -> any any (msg:\"m\"; sid:1; icmp_id:0;)", &ev, 0));
	/* dsize: 84 - 20 - 8 */
	ev = ev_icmp(8, 0);
	assert_true(hit1("alert icmp any any -> any any (msg:\"m\"; sid:1; dsize:56;)", &ev, 0));
	/* udp dsize from the UDP length */
	struct event u = ev_udp(1, 31335, 3);
	assert_true(hit1("alert udp any any -> any 31335 (msg:\"m\"; sid:1; psad_dsize:>2;)", &u, 0));
	u.udp_len = 10;
	assert_false(hit1("alert udp any any -> any 31335 (msg:\"m\"; sid:1; psad_dsize:>2;)", &u, 0));
	/* an icmp rule never matches tcp, a tcp rule never icmp */
	struct event t = ev_tcp(1, 2, TCPF_SYN);
	assert_false(hit1("alert icmp any any -> any any (msg:\"m\"; sid:1;)", &t, 0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
}

/* ---- header: addresses, ports, lists, variables, directions ---- */

static void test_addresses(void **state)
{
	struct event ev = ev_tcp(1, 2, TCPF_SYN); /* 198.18.0.2 -> 198.18.0.1 */

	(void)state;
	assert_true(hit1("alert tcp 198.18.0.2 any -> 198.18.0.1 any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp 198.18.0.0/24 any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp 198.18.0.0/255.255.255.0 any -> any any (msg:\"m\"; sid:1;)", &ev,
			 0));
	assert_false(hit1("alert tcp !198.18.0.0/24 any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp !10.0.0.0/8 any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp [10.0.0.1,198.18.0.2] any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp [10.0.0.1, 198.18.0.2] any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp ![10.0.0.1,198.18.0.2] any -> any any (msg:\"m\"; sid:1;)", &ev,
			  0));
	assert_true(hit1("alert tcp [198.18.0.0/16,!198.18.0.1] any -> any any (msg:\"m\"; sid:1;)",
			 &ev, 0));
	assert_false(hit1("alert tcp [198.18.0.0/16,!198.18.0.2] any -> any any (msg:\"m\"; sid:1;)",
			  &ev, 0));
	assert_false(hit1("alert tcp !any any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp [any,!any] any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	/* a negated list may hold negated entries: !(in a and not in b) */
	assert_true(hit1("alert tcp ![198.18.0.0/16,!198.18.0.2] any -> any any (msg:\"m\"; sid:1;)",
			 &ev, 0));
	assert_false(hit1("alert tcp ![198.18.0.0/16,!198.18.0.1] any -> any any (msg:\"m\"; "
			  "sid:1;)", &ev, 0));
	/* variables: a list, a list inside a list, negation through a var, aliases */
	assert_false(hit1("alert tcp $LANS any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp [$LANS,198.18.0.0/24] any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp $NOT_LAN any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp !$ALIAS any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> !$AIM_SERVERS any (msg:\"m\"; sid:1;)", &ev, 0));
	ev.src = A("10.1.2.3");
	assert_true(hit1("alert tcp $LAN any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp $DEEP1 any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp $NOT_LAN any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
}

static void test_ports(void **state)
{
	struct event ev = ev_tcp(40000, 80, TCPF_SYN);

	(void)state;
	assert_true(hit1("alert tcp any any -> any $HTTP_PORTS (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any $SHELLCODE_PORTS (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp any $SHELLCODE_PORTS -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any 1:1024 (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any :80 (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any 81: (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any 1:60000 (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any !80 (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any !1:100 (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any [22,80] (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any [1:1000,!22] (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any [1:1000,!80] (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any ![22,80] (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any $WEB (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any [$WEB,9000] (msg:\"m\"; sid:1;)", &ev, 0));
	assert_true(hit1("alert tcp any any -> any [80,80,79:81] (msg:\"m\"; sid:1;)", &ev, 0));
	ev.dport = 8080;
	assert_true(hit1("alert tcp any any -> any $WEB (msg:\"m\"; sid:1;)", &ev, 0));
	/* a TCP packet without its header logged (a fragment) matches no tcp
	 * rule, not even an "any any" one: it has no flags to test either */
	ev.has_ports = false;
	assert_false(hit1("alert tcp any any -> any 8080 (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	assert_false(hit1("alert tcp any any -> any any (msg:\"m\"; flags:0; sid:1;)", &ev, 0));
	assert_true(hit1("alert ip any any -> any any (msg:\"m\"; sid:1;)", &ev, 0));
	/* icmp and ip rules ignore ports (Snort) */
	struct event ic = ev_icmp(8, 0);
	assert_true(hit1("alert icmp any 5 -> any 6 (msg:\"m\"; sid:1;)", &ic, 0));
}

static void test_directions(void **state)
{
	struct event ev = ev_tcp(40000, 6699, TCPF_SYN); /* 198.18.0.2 -> 198.18.0.1 */
	struct event back = ev_tcp(6699, 40000, TCPF_SYN);

	(void)state;
	back.src = ev.dst;
	back.dst = ev.src;
	static const char fwd[] = "alert tcp 198.18.0.2 any -> 198.18.0.1 6699 (msg:\"m\"; sid:1;)";
	static const char rev[] = "alert tcp 198.18.0.1 6699 <- 198.18.0.2 any (msg:\"m\"; sid:1;)";
	static const char bi[] = "alert tcp 198.18.0.2 any <> 198.18.0.1 6699 (msg:\"m\"; sid:1;)";
	assert_true(hit1(fwd, &ev, 0));
	assert_false(hit1(fwd, &back, 0));
	assert_true(hit1(rev, &ev, 0));
	assert_false(hit1(rev, &back, 0));
	assert_true(hit1(bi, &ev, 0));
	assert_true(hit1(bi, &back, 0));
	/* both directions true at once: reported once */
	struct event self = ev_tcp(6699, 6699, TCPF_SYN);
	struct sigset *s = load1("alert tcp any any <> any 6699 (msg:\"m\"; sid:1;)");
	uint32_t idx[4];
	assert_int_equal(sigset_match(s, &self, 0, idx, 4), 1);
	sigset_free(s);
	/* icmp and ip: addresses swap */
	struct event ic = ev_icmp(8, 0);
	assert_true(hit1("alert icmp 198.18.0.1 any <> 198.18.0.2 any (msg:\"m\"; sid:1;)", &ic, 0));
	assert_false(hit1("alert icmp 198.18.0.1 any -> 198.18.0.2 any (msg:\"m\"; sid:1;)", &ic, 0));
	assert_true(hit1("alert ip 198.18.0.1 any <> 198.18.0.2 any (msg:\"m\"; sid:1;)", &ic, 0));
}

static int vars_ext_not_home(void *data, struct span name, struct span *ret)
{
	const char *v = span_eq(name, "EXTERNAL_NET", 12) ? "!$HOME_NET" : "any";

	(void)data;
	*ret = span_make(v, strlen(v));
	return 0;
}

static int vars_home_set(void *data, struct span name, struct span *ret)
{
	const char *v = span_eq(name, "HOME_NET", 8) ? "198.18.0.0/24" : "any";

	(void)data;
	*ret = span_make(v, strlen(v));
	return 0;
}

static bool hit_vars(sig_var_fn *fn, const char *rule, const struct event *ev)
{
	struct sigset *s = NULL;
	bool r;

	assert_int_equal(sigset_load_buf("sigs", rule, strlen(rule), fn, NULL, NULL, NULL, &s), 0);
	assert_int_equal(sigset_count(s), 1);
	r = hits(s, ev, 0, sigset_get(s, 0)->id);
	sigset_free(s);
	return r;
}

/* HOME_NET "any" (the default): $HOME_NET and $EXTERNAL_NET still name
 * sides, told apart by the record's chain (INPUT: the destination is home,
 * OUTPUT: the source), so a rule written for one direction does not match
 * the other. FORWARD and unknown chains: either side may be home. */
static void test_home_net_any_direction(void **state)
{
	static const char answer[] =
	    "alert tcp $HOME_NET 31337 -> $EXTERNAL_NET any (msg:\"m\"; sid:1;)";
	static const char answer_rev[] =
	    "alert tcp $EXTERNAL_NET any <- $HOME_NET 31337 (msg:\"m\"; sid:1;)";
	static const char probe[] =
	    "alert tcp $EXTERNAL_NET any -> $HOME_NET 31337 (msg:\"m\"; flags:S; sid:1;)";
	static const char web[] = "alert tcp $EXTERNAL_NET any -> $HTTP_SERVERS 80 (msg:\"m\"; sid:1;)";
	static const char bi[] = "alert tcp $HOME_NET any <> $EXTERNAL_NET 6699 (msg:\"m\"; sid:1;)";
	static const char neg[] = "alert tcp !$HOME_NET 31337 -> any any (msg:\"m\"; sid:1;)";
	struct event in_from = ev_tcp(31337, 40000, TCPF_SYN); /* inbound, source port 31337 */
	struct event out_from = in_from, fwd_from = in_from, none_from = in_from;
	struct event in_to = ev_tcp(40000, 31337, TCPF_SYN), out_to = in_to;

	(void)state;
	in_from.chain = in_to.chain = CHAIN_INPUT;
	out_from.chain = out_to.chain = CHAIN_OUTPUT;
	fwd_from.chain = CHAIN_FORWARD;
	none_from.chain = CHAIN_NONE;
	/* a backdoor answering from home: not an inbound packet from 31337 */
	assert_false(hit1(answer, &in_from, 0));
	assert_true(hit1(answer, &out_from, 0));
	assert_true(hit1(answer, &fwd_from, 0));
	assert_true(hit1(answer, &none_from, 0));
	assert_false(hit1(answer_rev, &in_from, 0));
	assert_true(hit1(answer_rev, &out_from, 0));
	/* a probe of home (the indexed, address-free path): inbound only */
	assert_true(hit1(probe, &in_to, 0));
	assert_false(hit1(probe, &out_to, 0));
	/* psad.conf's *_SERVERS are home */
	in_to.dport = out_to.dport = 80;
	assert_true(hit1(web, &in_to, 0));
	assert_false(hit1(web, &out_to, 0));
	/* '<>': either direction, each with its own sides */
	struct event in6699 = ev_tcp(6699, 40000, TCPF_SYN), in_to6699 = ev_tcp(40000, 6699, TCPF_SYN);
	struct event out_to6699 = in_to6699;
	in6699.chain = in_to6699.chain = CHAIN_INPUT;
	out_to6699.chain = CHAIN_OUTPUT;
	assert_true(hit1(bi, &in6699, 0));     /* reversed: an answer from outside 6699 */
	assert_false(hit1(bi, &in_to6699, 0)); /* an inbound SYN to our 6699 is not it */
	assert_true(hit1(bi, &out_to6699, 0));
	/* "!$HOME_NET" is the outside, not the empty set */
	assert_true(hit1(neg, &in_from, 0));
	assert_false(hit1(neg, &out_from, 0));
	/* EXTERNAL_NET "!$HOME_NET" with HOME_NET any: the outside as well */
	assert_true(hit_vars(vars_ext_not_home, probe, &in_to) == false); /* dport 80 now */
	in_to.dport = 31337;
	assert_true(hit_vars(vars_ext_not_home, probe, &in_to));
	/* a HOME_NET that is set: addresses decide, not the chain */
	struct event away_from = out_from;
	away_from.src = A("203.0.113.9");
	assert_false(hit_vars(vars_home_set, answer, &away_from));
	assert_true(hit_vars(vars_home_set, answer, &in_from)); /* 198.18.0.2 is home */
}

/* ---- rule-level fields and quoting ---- */

static void test_fields(void **state)
{
	struct diags ds;
	struct sigset *s;
	const struct sig *g;

	(void)state;
	s = load("# comment\n\n  \t\nalert tcp any any -> any 1 (msg:\"a \\\"quoted\\\" msg; with ) "
		 "semicolon\"; psad_id:100500; psad_dl:0; reference:url,x.com/?a=b\\;c;)\r\n"
		 "alert udp any any -> any 2 (msg:plain; sid:5; psad_id:100501 ; rev:3; "
		 "classtype:attempted-recon; priority:1; gid:1; metadata:a b; "
		 "psad_derived_sids:1,2; threshold:type limit;);\n"
		 "alert icmp any any -> any any (msg:\"x\"; sid:6)",
		 &ds, 0);
	assert_int_equal(ds.n, 0);
	assert_int_equal(sigset_count(s), 3);
	g = sigset_get(s, 0);
	assert_string_equal(g->msg, "a \"quoted\" msg; with ) semicolon");
	assert_int_equal(g->id, 100500);
	assert_int_equal(g->sid, 0);
	assert_int_equal(g->psad_id, 100500);
	assert_int_equal(g->dl, 0);
	assert_int_equal(g->line, 4);
	g = sigset_get(s, 1);
	assert_string_equal(g->msg, "plain");
	assert_int_equal(g->id, 5);
	assert_int_equal(g->dl, 2);
	assert_int_equal(g->line, 5);
	assert_int_equal(sigset_get(s, 2)->line, 6);
	assert_null(sigset_get(s, 3));
	struct sigset_stats st;
	sigset_get_stats(s, &st);
	assert_int_equal(st.rules, 3);
	assert_int_equal(st.suppress, 1);
	/* UTF-8 in msg is fine */
	sigset_free(s);
	s = load1("alert ip any any -> any any (msg:\"caf\xc3\xa9\"; sid:1;)");
	assert_string_equal(sigset_get(s, 0)->msg, "caf\xc3\xa9");
	sigset_free(s);
}

/* ---- malformed rules: one error each, with its line; the rest loads ---- */

static void test_malformed(void **state)
{
	static const struct {
		const char *rule;
		const char *msg; /* exact message */
	} cases[] = {
		{ "drop tcp any any -> any any (msg:\"m\"; sid:1;)",
		  "'alert' starting the rule, got 'drop'" },
		{ "alert sctp any any -> any any (msg:\"m\"; sid:1;)",
		  "protocol tcp, udp, icmp or ip, got 'sctp'" },
		{ "alert tcp any any => any any (msg:\"m\"; sid:1;)",
		  "direction '->', '<-' or '<>', got '=>'" },
		{ "alert tcp any any -> any",
		  "alert <proto> <src> <sport> <dir> <dst> <dport> (options), got 'alert tcp any any -> any'" },
		{ "alert tcp 10.0.0.256 any -> any any (msg:\"m\"; sid:1;)",
		  "address: any, IPv4, IPv6, CIDR or $VAR, got '10.0.0.256'" },
		{ "alert tcp 10.0.0.0/33 any -> any any (msg:\"m\"; sid:1;)",
		  "address: any, IPv4, IPv6, CIDR or $VAR, got '10.0.0.0/33'" },
		{ "alert tcp any 70000 -> any any (msg:\"m\"; sid:1;)",
		  "port number 0..65535, got '70000'" },
		{ "alert tcp any 20:10 -> any any (msg:\"m\"; sid:1;)",
		  "port range with low <= high, got '20:10'" },
		{ "alert tcp $NOPE any -> any any (msg:\"m\"; sid:1;)",
		  "a defined variable, got '$NOPE'" },
		{ "alert tcp $LOOP any -> any any (msg:\"m\"; sid:1;)",
		  "variables nested at most 8 deep, got '$LOOP'" },
		{ "alert tcp $BOMB any -> any any (msg:\"m\"; sid:1;)",
		  "at most 256 variable expansions in one field, got '$BOMB5'" },
		{ "alert tcp $BAD any -> any any (msg:\"m\"; sid:1;)",
		  "address: any, IPv4, IPv6, CIDR or $VAR, got '10.0.0.300'" },
		{ "alert tcp [1.2.3.4,[5.6.7.8]] any -> any any (msg:\"m\"; sid:1;)",
		  "no list inside a list, got '[5.6.7.8]'" },
		{ "alert tcp [1.2.3.4, any -> any any (msg:\"m\"; sid:1;)",
		  "']' closing the list, got '[1.2.3.4,'" },
		{ "alert tcp [1.2.3.4,!$MIXED] any -> any any (msg:\"m\"; sid:1;)",
		  "no negation inside a negated list, got '10.1.0.0/16'" },
		{ "alert tcp any any -> any any msg:\"m\"; sid:1;",
		  "'(' starting the rule options, got 'msg:\"m\"; sid:1;'" },
		{ "alert tcp any any -> any any (msg:\"m; sid:1;)",
		  "'\"' closing the quoted value, got 'msg:\"m; sid:1;)'" },
		{ "alert tcp any any -> any any (msg:\"m\"; sid:1;",
		  "')' closing the rule options, got 'msg:\"m\"; sid:1;'" },
		{ "alert tcp any any -> any any (msg:\"m\"; sid:1;) x",
		  "nothing after ')' but ';', got ' x'" },
		{ "alert tcp any any -> any any (sid:1;)",
		  "a msg option, got 'alert tcp any any -> any any (sid:1;)'" },
		{ "alert tcp any any -> any any (msg:\"m\"; classtype:x;)",
		  "a sid or psad_id option, got 'alert tcp any any -> any any (msg:\"m\"; classtype:x;)'" },
		{ "alert tcp any any -> any any (msg:\"m\"; sid:12x;)",
		  "number 1..4294967295 for option 'sid', got '12x'" },
		{ "alert tcp any any -> any any (msg:\"m\"; sid:0;)",
		  "number 1..4294967295 for option 'sid', got '0'" },
		{ "alert tcp any any -> any any (msg:\"m\"; sid:1; psad_dl:6;)",
		  "danger level 0..5 for option 'psad_dl', got '6'" },
		{ "alert tcp any any -> any any (msg:\"m\"; sid:1; flags:SX;)",
		  "[+*!] of F S R P A U C E 1 2 or 0, then an optional ,mask for option 'flags', got 'SX'" },
		{ "alert tcp any any -> any any (msg:\"m\"; sid:1; ipopts:bogus;)",
		  "an IP option keyword (rr, eol, nop, ts, sec, esec, lsrr, lsrre, ssrr, satid) or any "
		  "for option 'ipopts', got 'bogus'" },
		{ "alert tcp any any -> any any (msg:\"m\"; sid:1; fragbits:X;)",
		  "[+*!] of M D R for option 'fragbits', got 'X'" },
		{ "alert tcp any any -> any any (msg:\"m\"; msg:\"n\"; sid:1;)",
		  "one msg for option 'msg', got 'n'" },
		{ "alert tcp any any -> any any (msg:\"m\"; sid:1; ttl:1; ttl:2;)",
		  "one test of this field for option 'ttl', got '2'" },
		{ "alert tcp any any -> any any (msg:\"m\"; sid:1; Flags:S;)",
		  "option name of lower-case letters, digits and '_', got 'Flags:S'" },
		{ "alert tcp any any -> any any (msg:\"m\"x; sid:1;)",
		  "closing '\"' at the end of the option value, got 'msg:\"m\"x'" },
		{ "alert tcp any any -> any any (msg:\"a\x01\"; sid:1;)",
		  "UTF-8 text without control characters, got '\\x01\"; sid:1;)'" },
		{ "alert tcp any any -> any any (msg:\"a\xc3\"; sid:1;)",
		  "UTF-8 text without control characters, got '\\xc3\"; sid:1;)'" },
		{ "alert tcp any any -> any any (msg:\"a\xc0\xaf\"; sid:1;)",
		  "UTF-8 text without control characters, got '\\xc0\\xaf\"; sid:1;)'" },
		{ "alert tcp any any -> any any (msg:\"a\xc2\x85\"; sid:1;)",
		  "UTF-8 text without control characters, got '\\xc2\\x85\"; sid:1;)'" },
	};
	char text[512];
	struct diags ds;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* the bad rule on line 3 between two good ones */
		snprintf(text, sizeof(text),
			 "alert tcp any any -> any 1 (msg:\"ok\"; sid:100;)\n# c\n%s\n"
			 "alert tcp any any -> any 2 (msg:\"ok\"; sid:101;)\n",
			 cases[i].rule);
		struct sigset *s = load(text, &ds, -EINVAL);
		if (ds.n != 1 || strcmp(ds.d[0].msg, cases[i].msg) != 0)
			fail_msg("case %zu: %u diags, got \"%s\"", i, ds.n, ds.n ? ds.d[0].msg : "");
		assert_int_equal(ds.d[0].sev, CONFIG_ERROR);
		assert_int_equal(ds.d[0].line, 3);
		assert_int_equal(sigset_count(s), 2);
		struct sigset_stats st;
		sigset_get_stats(s, &st);
		assert_int_equal(st.malformed, 1);
		sigset_free(s);
	}
}

static void test_malformed_special(void **state)
{
	struct diags ds;
	struct sigset *s;
	char *big;

	(void)state;
	/* duplicate reported id: the first wins; sid vs psad_id of another rule */
	s = load("alert tcp any any -> any 1 (msg:\"a\"; sid:7;)\n"
		 "alert tcp any any -> any 2 (msg:\"b\"; sid:7;)\n"
		 "alert tcp any any -> any 3 (msg:\"c\"; psad_id:7;)\n"
		 "alert tcp any any -> any 4 (msg:\"d\"; sid:8; psad_id:7;)\n",
		 &ds, -EINVAL);
	assert_int_equal(ds.errors, 2);
	assert_int_equal(ds.d[0].line, 2);
	assert_string_equal(ds.d[0].msg, "an id not used before (line 1 has it), got "
					 "'alert tcp any any -> any 2 (msg:\"b\"; sid:7;)'");
	assert_int_equal(ds.d[1].line, 3);
	assert_int_equal(sigset_count(s), 2);
	assert_string_equal(sigset_get(s, 0)->msg, "a");
	assert_int_equal(sigset_get(s, 1)->id, 8);
	sigset_free(s);

	/* NUL byte inside a rule */
	static const char nul[] = "alert ip any any -> any any (msg:\"a\0b\"; sid:1;)\n";
	struct sigset *t = NULL;
	memset(&ds, 0, sizeof(ds));
	assert_int_equal(sigset_load_buf("sigs", nul, sizeof(nul) - 1, vars, NULL, record, &ds, &t),
			 -EINVAL);
	assert_string_equal(ds.d[0].msg, "UTF-8 text without control characters, got '\\x00b\"; sid:1;)'");
	sigset_free(t);

	/* line over 8192 bytes */
	big = malloc(9000);
	assert_non_null(big);
	memcpy(big, "alert ip any any -> any any (msg:\"", 34);
	memset(big + 34, 'x', 9000 - 34);
	memcpy(big + 9000 - 12, "\"; sid:1;)\n", 12);
	s = load(big, &ds, -EINVAL);
	assert_int_equal(ds.errors, 1);
	assert_string_equal(ds.d[0].msg, "a rule of at most 8192 bytes, got "
					 "'alert ip any any -> any any (msg:\"xxxxxx'");
	assert_int_equal(sigset_count(s), 0);
	sigset_free(s);
	free(big);

	/* no variable callback: every $VAR is unknown */
	memset(&ds, 0, sizeof(ds));
	static const char v[] = "alert tcp $HOME_NET any -> any any (msg:\"m\"; sid:1;)";
	assert_int_equal(sigset_load_buf("sigs", v, sizeof(v) - 1, NULL, NULL, record, &ds, &t),
			 -EINVAL);
	assert_string_equal(ds.d[0].msg, "a defined variable, got '$HOME_NET'");
	sigset_free(t);

	/* a var nested exactly 8 deep still resolves ($DEEP1 .. $DEEP8) */
	s = load1("alert tcp $DEEP1 any -> any any (msg:\"m\"; sid:1;)");
	sigset_free(s);
}

/* ---- unsupported and unknown options ---- */

static void test_unsupported(void **state)
{
	struct diags ds;
	struct sigset_stats st;
	struct sigset *s;

	(void)state;
	s = load("alert tcp any any -> any 80 (msg:\"a\"; content:\"GET\"; nocase; sid:1;)\n"
		 "alert tcp any any -> any 80 (msg:\"b\"; sid:2;)\n"
		 "alert tcp any any -> any 80 (msg:\"c\"; content:\"x\"; content:\"y\"; sid:3;)\n"
		 "alert tcp any any -> any 80 (msg:\"d\"; http_uri; sid:4; frobnicate:3;)\n"
		 "alert tcp any any -> any 80 (msg:\"e\"; sid:5; frobnicate;)\n"
		 "alert tcp any any -> any 80 (msg:\"f\"; pcre:\"/a;b/\"; sid:5;)\n",
		 &ds, 0);
	sigset_get_stats(s, &st);
	assert_int_equal(st.rules, 2);
	assert_int_equal(st.unsupported, 4);
	assert_int_equal(st.malformed, 0);
	assert_int_equal(sigset_get(s, 1)->id, 5); /* sid 5 of a skipped rule is no duplicate */
	assert_int_equal(ds.errors, 0);
	assert_int_equal(ds.warnings, 5);
	assert_int_equal(ds.d[0].line, 1);
	assert_string_equal(ds.d[0].msg, "option 'content' cannot be evaluated from a log line; rule "
					 "skipped (2 rules in this file use it)");
	assert_int_equal(ds.d[1].line, 1);
	assert_string_equal(ds.d[1].msg, "option 'nocase' cannot be evaluated from a log line; rule "
					 "skipped (1 rules in this file use it)");
	assert_int_equal(ds.d[2].line, 4);
	assert_string_equal(ds.d[2].msg, "option 'http_uri' cannot be evaluated from a log line; rule "
					 "skipped (1 rules in this file use it)");
	assert_int_equal(ds.d[3].line, 4);
	assert_string_equal(ds.d[3].msg, "unknown option 'frobnicate', ignoring (2 rules in this file "
					 "use it)");
	assert_int_equal(ds.d[4].line, 6);
	assert_string_equal(ds.d[4].msg, "option 'pcre' cannot be evaluated from a log line; rule "
					 "skipped (1 rules in this file use it)");
	sigset_free(s);
}

/* ---- the index against a brute-force scan ---- */

static uint32_t lcg_next(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static const char *pick(uint32_t *seed, const char *const *v, size_t n)
{
	return v[lcg_next(seed) % n];
}

#define PICK(seed, arr) pick(seed, arr, sizeof(arr) / sizeof(arr[0]))

static char *random_rules(uint32_t *seed, size_t n)
{
	static const char *const protos[] = { "tcp", "tcp", "tcp", "udp", "udp", "icmp", "ip" };
	static const char *const addrs[] = { "any", "any", "any", "10.0.0.0/8", "!10.0.0.0/8",
					     "[10.0.0.1,10.0.0.2]", "10.0.0.1", "$LANS",
					     "$HOME_NET", "$EXTERNAL_NET", "!$HOME_NET",
					     "$HTTP_SERVERS" };
	static const char *const ports[] = { "any", "any", "5", "7", "1:3", "!5", "[2,4,6]",
					     "3:", ":4", "0:8", "[1:3,!2]", "!$HTTP_PORTS" };
	static const char *const dirs[] = { "->", "->", "->", "<-", "<>" };
	static const char *const opts[] = {
		"", "", "flags:S;", "flags:0;", "flags:F;", "flags:SA;", "flags:S+;", "flags:*SF;",
		"flags:!A;", "flags:S,12;", "flags:A; flow:established;", "flow:established;",
		"itype:8;", "itype:3; icode:1;", "itype:>2;", "icode:0;", "ttl:<3;", "ttl:1:2;",
	};
	static const char *const opts2[] = {
		"", "dsize:0;", "dsize:>1;", "ip_proto:6;", "sameip;", "ipopts:any;", "ipopts:lsrr;",
		"fragbits:M+;", "id:2;", "window:1:3;", "icmp_id:1;", "tos:0;",
	};
	size_t cap = n * 200 + 1, len = 0;
	char *buf = malloc(cap);

	assert_non_null(buf);
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + len, cap - len,
				 "alert %s %s %s %s %s %s (msg:\"r%zu\"; %s %s sid:%zu;)\n",
				 PICK(seed, protos), PICK(seed, addrs), PICK(seed, ports),
				 PICK(seed, dirs), PICK(seed, addrs), PICK(seed, ports), i,
				 PICK(seed, opts), PICK(seed, opts2), i + 1);
		assert_true(w > 0 && (size_t)w < cap - len);
		len += (size_t)w;
	}
	return buf;
}

static struct event random_event(uint32_t *seed)
{
	static const uint8_t protos[] = { IPPROTO_NUM_TCP, IPPROTO_NUM_TCP, IPPROTO_NUM_UDP,
					  IPPROTO_NUM_ICMP, 47 };
	static const char *const addrs[] = { "10.0.0.1", "10.0.0.2", "192.168.1.1", "198.18.0.1" };
	struct event ev = ev_ip(addrs[lcg_next(seed) % 4], addrs[lcg_next(seed) % 4],
				protos[lcg_next(seed) % 5]);
	uint32_t r = lcg_next(seed);

	ev.chain = (enum chain)(lcg_next(seed) % _CHAIN_MAX);
	ev.ttl = (uint8_t)(r % 4);
	ev.ip_id = (uint16_t)(r >> 2 & 3);
	ev.ip_len = (uint16_t)(40 + (r >> 4 & 3));
	ev.ip_flags = (uint8_t)(r >> 6 & 7);
	if (r >> 9 & 1)
		ev.in = SPAN_LIT("lo");
	if (ev.proto == IPPROTO_NUM_TCP || ev.proto == IPPROTO_NUM_UDP) {
		ev.has_ports = (r >> 10 & 15) != 0;
		ev.sport = (uint16_t)(lcg_next(seed) % 10);
		ev.dport = (uint16_t)(lcg_next(seed) % 10);
		ev.udp_len = (uint16_t)(8 + (r >> 14 & 1));
	}
	if (ev.proto == IPPROTO_NUM_TCP) {
		static const uint8_t fl[] = { 0, TCPF_SYN, TCPF_FIN, TCPF_SYN | TCPF_ACK, TCPF_ACK,
					      TCPF_SYN | TCPF_ECE | TCPF_CWR, TCPF_SYN | TCPF_FIN };
		ev.tcp_flags = (r >> 15 & 1) ? (uint8_t)lcg_next(seed) : fl[lcg_next(seed) % 7];
		ev.window = (uint16_t)(lcg_next(seed) % 5);
	}
	if (ev.proto == IPPROTO_NUM_ICMP) {
		ev.has_icmp = (r >> 10 & 15) != 0;
		ev.icmp_type = (uint8_t)(lcg_next(seed) % 10);
		ev.icmp_code = (uint8_t)(lcg_next(seed) % 3);
		ev.has_icmp_echo = ev.icmp_type == 0 || ev.icmp_type == 8;
		ev.icmp_id = (uint16_t)(r >> 16 & 1);
		ev.ip_len = (uint16_t)(28 + (r >> 4 & 3));
	}
	return ev;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void test_index_vs_bruteforce(void **state)
{
	uint32_t seed = 12345;
	char *text = random_rules(&seed, 3000);
	struct diags ds;
	struct sigset *s = load(text, &ds, 0);
	uint32_t *got = calloc(4000, sizeof(*got)), *want = calloc(4000, sizeof(*want));
	size_t total = 0;

	(void)state;
	assert_non_null(got);
	assert_non_null(want);
	assert_int_equal(ds.errors, 0);
	assert_int_equal(sigset_count(s), 3000);
	for (int k = 0; k < 20000; k++) {
		struct event ev = random_event(&seed);
		uint32_t ipopts = (lcg_next(&seed) & 1) ? 1u << (lcg_next(&seed) % 10) : 0;
		size_t n = sigset_match(s, &ev, ipopts, got, 4000), m = 0;
		for (size_t i = 0; i < sigset_count(s); i++)
			if (sigset_match_one(s, i, &ev, ipopts))
				want[m++] = (uint32_t)i;
		assert_int_equal(n, m);
		qsort(got, n, sizeof(*got), cmp_u32); /* already in order; make sure */
		assert_memory_equal(got, want, n * sizeof(*got));
		total += n;
		/* overflow: the count goes on past max */
		if (n > 2)
			assert_int_equal(sigset_match(s, &ev, ipopts, got, 2), n);
	}
	assert_true(total > 20000); /* the random set does match things */
	free(got);
	free(want);
	free(text);
	sigset_free(s);
}

/* The same check over psad's file with events aimed at its rules. */
static void test_psad_index_vs_bruteforce(void **state)
{
	struct sigset *s = load_psad();
	uint32_t seed = 99, got[MATCH_MAX];

	(void)state;
	for (int k = 0; k < 50000; k++) {
		struct event ev = random_event(&seed);
		size_t m = 0;
		if (ev.has_ports)
			ev.dport = (uint16_t)(lcg_next(&seed) % 40000);
		if (ev.proto == IPPROTO_NUM_ICMP)
			ev.icmp_type = (uint8_t)(lcg_next(&seed) % 20);
		size_t n = sigset_match(s, &ev, 0, got, MATCH_MAX);
		for (size_t i = 0; i < sigset_count(s); i++)
			if (sigset_match_one(s, i, &ev, 0))
				assert_true(m < n && got[m++] == i);
		assert_int_equal(n, m);
	}
	sigset_free(s);
}

static void test_empty(void **state)
{
	struct diags ds;
	struct sigset *s = load("", &ds, 0);
	struct event ev = ev_tcp(1, 2, TCPF_SYN);
	uint32_t idx[1];

	(void)state;
	assert_int_equal(sigset_count(s), 0);
	assert_int_equal(sigset_match(s, &ev, 0, idx, 1), 0);
	sigset_free(s);
	assert_null(sigset_free(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psad_file),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_number_forms),
		cmocka_unit_test(test_number_errors),
		cmocka_unit_test(test_options_ip),
		cmocka_unit_test(test_options_tcp),
		cmocka_unit_test(test_dsize_options_unlogged),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_icmp_options),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_directions),
		cmocka_unit_test(test_home_net_any_direction),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_malformed_special),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_index_vs_bruteforce),
		cmocka_unit_test(test_psad_index_vs_bruteforce),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
