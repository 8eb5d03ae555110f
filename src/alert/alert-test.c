/* SPDX-License-Identifier: GPL-2.0-or-later */
/* alert-test.c - alert lines, JSON alerts, coalescing, syslog datagrams,
 * mails through a fake sendmail, and the sanitising of DNS and whois text.
 *
 * No engine runs: sources and pairs are built field by field (state.h is
 * public) and found by the alerter through a lookup hook. Syslog goes to an
 * AF_UNIX datagram socket bound in a temporary directory; sendmail and
 * whois are shell scripts written there (the alerter runs them with an
 * argv vector; the scripts are the only shell involved).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <cmocka.h>

#include "alert/alert.h"
#include "alert/format.h"
#include "alert/logsock.h"
#include "alert/sanitize.h"
#include "config/config.h"
#include "engine/portset.h"
#include "report/json-check.h"
#include "report/jsonw.h"
#include "report/state-fixture.h"

#define T0 (INT64_C(1796540400) * 1000000) /* 2026-12-06T07:00:00Z */

/* Every line of a JSON-lines file is one valid object. */
static void json_lines_valid(const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		assert_non_null(nl);
		char *one = strndup(text, (size_t)(nl - text));
		assert_non_null(one);
		if (!json_valid(one) || one[0] != '{')
			fail_msg("not a JSON object: %s", one);
		free(one);
		text = nl + 1;
	}
}

/* --- hand-built state --- */

static void tcp(struct pair_state *p, unsigned lo, unsigned hi, uint64_t pkts)
{
	assert_true(portset_add(&p->tcp.ports, (uint16_t)lo) >= 0);
	assert_true(portset_add(&p->tcp.ports, (uint16_t)hi) >= 0);
	p->tcp.packets += pkts;
	p->packets += pkts;
	p->protos[IPPROTO_NUM_TCP >> 3] |= 1u << (IPPROTO_NUM_TCP & 7);
}

static void udp(struct pair_state *p, unsigned lo, unsigned hi, uint64_t pkts)
{
	assert_true(portset_add(&p->udp.ports, (uint16_t)lo) >= 0);
	assert_true(portset_add(&p->udp.ports, (uint16_t)hi) >= 0);
	p->udp.packets += pkts;
	p->packets += pkts;
	p->protos[IPPROTO_NUM_UDP >> 3] |= 1u << (IPPROTO_NUM_UDP & 7);
}

static void flags(struct pair_state *p, uint8_t f, uint64_t n)
{
	p->flags[p->n_flags++] = (struct flag_count){ f, n };
}

/* cli.md's first example: 1532 SYNs to 203.0.113.2 ports 1-65301, DL 4. */
static struct source_state *syn_source(void)
{
	struct source_state *s = source_new("198.51.100.7", 4, 4);
	struct pair_state *p = source_add_pair(s, "203.0.113.2", 4);

	tcp(p, 1, 65301, 1532);
	flags(p, TCPF_SYN, 1532);
	p->scan_types = 1u << SCAN_SYN;
	s->scan_types = p->scan_types;
	s->packets = 1532;
	return s;
}

static size_t scan_line(const struct source_state *s, const struct pair_state *p, unsigned dl,
			char *buf)
{
	struct alert_scan a = { .s = s, .p = p, .dl = dl, .total_dsts = s->n_pairs,
				.types = p->scan_types };
	return alert_scan_line(&a, buf, ALERT_LINE_MAX);
}

/* --- the lines --- */

static void test_scan_line_contract(void **state)
{
	struct source_state *s = syn_source();
	char buf[ALERT_LINE_MAX];

	(void)state;
	scan_line(s, s->pairs[0], 4, buf);
	assert_string_equal(buf, "scan detected (nmap -sS): 198.51.100.7 -> 203.0.113.2 tcp: "
				 "[1-65301] flags: SYN tcp pkts: 1532 DL: 4 total scan dsts: 1");
	source_free(s);

	s = source_new("198.51.100.7", 3, 1);
	struct pair_state *p = source_add_pair(s, "203.0.113.2", 3);
	udp(p, 7, 1900, 302);
	p->scan_types = 1u << SCAN_UDP;
	scan_line(s, p, 3, buf);
	assert_string_equal(buf, "scan detected (nmap -sU): 198.51.100.7 -> 203.0.113.2 udp: "
				 "[7-1900] udp pkts: 302 DL: 3 total scan dsts: 1");
	source_free(s);
}

static void test_scan_line_variants(void **state)
{
	struct source_state *s = source_new("2001:db8::7", 2, 4);
	struct pair_state *p = source_add_pair(s, "2001:db8::2", 2);
	char buf[ALERT_LINE_MAX];

	(void)state;
	/* one port, two flag sets, tcp and udp and icmp6 */
	tcp(p, 1083, 1083, 6);
	flags(p, TCPF_SYN, 3);
	flags(p, TCPF_URG | TCPF_PSH | TCPF_FIN, 3);
	udp(p, 53, 53, 2);
	p->icmp_packets = 4;
	p->packets += 4;
	p->scan_types = 1u << SCAN_SYN | 1u << SCAN_XMAS | 1u << SCAN_UDP;
	scan_line(s, p, 2, buf);
	assert_string_equal(buf, "scan detected (nmap -sS -sX -sU): 2001:db8::7 -> 2001:db8::2 "
				 "tcp: [1083] flags: SYN / URG PSH FIN tcp pkts: 6 udp: [53] udp "
				 "pkts: 2 icmp6 pkts: 4 DL: 2 total scan dsts: 1");

	/* no style: (...) omitted */
	p->scan_types = 1u << SCAN_OTHER;
	scan_line(s, p, 2, buf);
	assert_true(strncmp(buf, "scan detected: 2001:db8::7 -> ", 30) == 0);

	/* a protocol scan, a ping sweep, a named scanner */
	struct alert_scan a = { .s = s, .p = NULL, .dst = &p->dst, .dl = 3, .total_dsts = 200,
				.types = 1u << SCAN_PING | 1u << SCAN_SWEEP };
	alert_scan_line(&a, buf, sizeof(buf));
	assert_string_equal(buf, "scan detected (nmap -sn, SWEEP): 2001:db8::7 -> 2001:db8::2 DL: "
				 "3 total scan dsts: 200");
	s->intel = calloc(1, sizeof(*s->intel));
	assert_non_null(s->intel);
	s->intel->scanners = 1u << SCANNER_MIRAI;
	a.types = 1u << SCAN_PROTO;
	alert_scan_line(&a, buf, sizeof(buf));
	assert_true(strncmp(buf, "scan detected (nmap -sO, Mirai): ", 33) == 0);

	/* a small buffer cuts, never overflows */
	char small[24];
	assert_int_equal(alert_scan_line(&a, small, sizeof(small)), sizeof(small) - 1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	free(s->intel); /* the fixture's source_free leaves intel to its maker */
	s->intel = NULL;
	source_free(s);
}

static void test_sig_line(void **state)
{
	struct addr src = A("198.51.100.7");
	struct alert_sig g = { .sid = 100205, .dl = 2, .proto = IPPROTO_NUM_TCP, .has_port = true,
			       .port = 1433 };
	char buf[ALERT_LINE_MAX];

	(void)state;
	strcpy(g.msg, "MISC Microsoft SQL Server communication attempt");
	alert_sig_line(&src, &g, buf, sizeof(buf));
	assert_string_equal(buf, "src: 198.51.100.7 signature match: \"MISC Microsoft SQL Server "
				 "communication attempt\" (sid: 100205) tcp port: 1433");
	memset(&g, 0, sizeof(g));
	g.sid = 384;
	g.proto = IPPROTO_NUM_ICMP;
	strcpy(g.msg, "ICMP PING");
	alert_sig_line(&src, &g, buf, sizeof(buf));
	assert_string_equal(buf, "src: 198.51.100.7 signature match: \"ICMP PING\" (sid: 384) icmp");
	/* a msg cannot end the line or forge a header */
	strcpy(g.msg, "x\n<13>vigil: fake\x1b[2J");
	alert_sig_line(&src, &g, buf, sizeof(buf));
	assert_null(strchr(buf, '\n'));
	assert_null(strchr(buf, '\x1b'));
	assert_non_null(strstr(buf, "\"x\\x0a<13>vigil: fake\\x1b[2J\""));
}

/* --- JSON --- */

static char *json_of(const struct alert_head *h, const struct alert_scan *sc,
		     const struct alert_sig *g)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jsonw *w = malloc(sizeof(*w));

	assert_non_null(f);
	assert_non_null(w);
	jsonw_init(w, f);
	if (g)
		alert_json_sig(w, h, g);
	else
		alert_json_scan(w, h, sc, 1);
	assert_int_equal(jsonw_finish(w), 0);
	fclose(f);
	free(w);
	return buf;
}

static void test_json_scan_fields(void **state)
{
	struct source_state *s = syn_source();
	struct vtime ev = { .sec = 1773261311, .usec = 250000, .kind = VTIME_WALL, .has_tz = true,
			    .tz_min = 60 };
	struct alert_scan sc = { .s = s, .p = s->pairs[0], .dl = 4, .total_dsts = 1,
				 .types = 1u << SCAN_SYN };
	struct alert_head h = { .type = "scan", .now_us = T0 + 123456, .event_time = &ev,
				.src = &s->src, .dst = &s->pairs[0]->dst, .origin = 0, .host = "fw1",
				.dl = 4 };
	static const char *const want[] = {
		"{\"time\":\"2026-12-06T07:00:00.123456+00:00\"",
		"\"event_time\":\"2026-03-11T20:35:11.250000+01:00\"",
		"\"type\":\"scan\"", "\"src\":\"198.51.100.7\"", "\"dst\":\"203.0.113.2\"",
		"\"danger_level\":4", "\"origin\":0", "\"host\":\"fw1\"", "\"scan_types\":[\"SYN\"]",
		"\"nmap\":[\"-sS\"]", "\"chain\":\"INPUT\"", "\"in\":\"eth1\"", "\"out\":\"\"",
		("\"tcp\":{\"packets\":1532,\"ports\":\"1,65301\",\"port_min\":1,\"port_max\":65301,"
		 "\"port_count\":2,\"flags\":{\"SYN\":1532}}"),
		"\"ip_protocols\":[6]", "\"total_scan_dsts\":1",
		"\"line\":\"scan detected (nmap -sS): 198.51.100.7 -> 203.0.113.2 tcp: [1-65301]",
	};
	char *j;

	(void)state;
	j = json_of(&h, &sc, NULL);
	assert_true(json_valid(j));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(j, want[i]))
			fail_msg("missing %s in %s", want[i], j);
	assert_null(strchr(j, '\n'));
	assert_null(strstr(j, "\"udp\"")); /* no packets, no object */
	free(j);
	source_free(s);
}

static void test_json_sig_fields(void **state)
{
	struct addr src = A("198.51.100.7"), dst = A("203.0.113.2");
	struct alert_sig g = { .sid = 100205, .dl = 2, .proto = IPPROTO_NUM_TCP, .has_port = true,
			       .port = 1433 };
	struct alert_head h = { .type = "signature", .now_us = T0, .src = &src, .dst = &dst,
				.origin = 3, .host = "fw1", .dl = 2 };
	char *j;

	(void)state;
	strcpy(g.msg, "MISC \"quoted\"\n");
	j = json_of(&h, NULL, &g);
	assert_true(json_valid(j));
	assert_non_null(strstr(j, "\"type\":\"signature\""));
	assert_non_null(strstr(j, "\"event_time\":null"));
	assert_non_null(strstr(j, "\"sid\":100205"));
	assert_non_null(strstr(j, "\"msg\":\"MISC \\\"quoted\\\"\\u000a\""));
	assert_non_null(strstr(j, "\"sig_dl\":2"));
	assert_non_null(strstr(j, "\"proto\":\"tcp\""));
	assert_non_null(strstr(j, "\"port\":1433"));
	assert_non_null(strstr(j, "\"origin\":3"));
	assert_null(strchr(j, '\n'));
	free(j);
}

/* --- sanitising --- */

static void test_sanitize(void **state)
{
	char out[SANITIZE_NAME_MAX], text[SANITIZE_TEXT_MAX];
	const char *hostile = "evil.example\n<13>vigil: fake alert\x1b]0;pwn\x07\\";
	const char who[] = "netname: X\r\n\x1b[31mred\x1b[0m\nlast\xff line\n";

	(void)state;
	assert_true(sanitize_name("host-1.example.org", 18, out, sizeof(out)));
	assert_string_equal(out, "host-1.example.org");
	assert_false(sanitize_name(hostile, strlen(hostile), out, sizeof(out)));
	assert_string_equal(out, "evil.example\\x0a<13>vigil: fake alert\\x1b]0;pwn\\x07\\x5c");
	for (const char *p = out; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	/* long names are cut and marked */
	char big[2000];
	memset(big, 'a', sizeof(big));
	assert_false(sanitize_name(big, sizeof(big), out, sizeof(out)));
	assert_int_equal(strlen(out), sizeof(out) - 1);
	assert_string_equal(out + sizeof(out) - 4, "...");

	size_t n = sanitize_text(who, sizeof(who) - 1, "   ", text, sizeof(text));
	assert_int_equal(n, strlen(text));
	assert_string_equal(text, "   netname: X\n   \\x1b[31mred\\x1b[0m\n   last\\xff line\n");
	/* at most SANITIZE_LINES_MAX lines */
	char *many = malloc(100000);
	assert_non_null(many);
	memset(many, '\n', 100000);
	n = sanitize_text(many, 100000, "", text, sizeof(text));
	assert_int_equal(n, SANITIZE_LINES_MAX);
	free(many);
}

/* --- the alerter, end to end --- */

struct fix {
	char dir[64];
	char sock[128], json[128], sendmail[128], whois[128], argv_file[128], body_file[128];
	int srv;
	struct config cfg;
	struct alerter *a;
	struct source_state *srcs[4];
	size_t n_srcs;
	unsigned mailed;
};

static const struct source_state *fix_lookup(const struct engine *e, uint32_t origin,
					     const struct addr *src, void *data)
{
	struct fix *f = data;

	(void)e;
	(void)origin;
	for (size_t i = 0; i < f->n_srcs; i++)
		if (addr_eq(&f->srcs[i]->src, src))
			return f->srcs[i];
	return NULL;
}

static void fix_mailed(uint32_t origin, const struct addr *src, int64_t now_us, void *data)
{
	(void)origin;
	(void)src;
	(void)now_us;
	((struct fix *)data)->mailed++;
}

static void write_script(const char *path, const char *body)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(body, f);
	fclose(f);
	assert_int_equal(chmod(path, 0700), 0);
}

static int srv_bind(struct fix *f)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	strcpy(sa.sun_path, f->sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static int fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	char script[512];

	assert_non_null(f);
	setenv("TZ", "UTC", 1);
	strcpy(f->dir, "/tmp/vigil-alert-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->sock, sizeof(f->sock), "%s/log", f->dir);
	snprintf(f->json, sizeof(f->json), "%s/alerts.json", f->dir);
	snprintf(f->sendmail, sizeof(f->sendmail), "%s/sendmail", f->dir);
	snprintf(f->whois, sizeof(f->whois), "%s/whois", f->dir);
	snprintf(f->argv_file, sizeof(f->argv_file), "%s/argv", f->dir);
	snprintf(f->body_file, sizeof(f->body_file), "%s/body", f->dir);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\necho \"$@\" >> %s\ncat >> %s\necho '--END--' >> %s\n", f->argv_file,
		 f->body_file, f->body_file);
	write_script(f->sendmail, script);
	write_script(f->whois, "#!/bin/sh\nprintf 'inetnum: %s\\r\\n\\033[2Jnetname: EVIL\\n"
			       "\\n<13>vigil: forged\\n' \"$1\"\n");
	f->srv = srv_bind(f);
	config_init(&f->cfg);
	snprintf(f->cfg.syslog_socket, sizeof(f->cfg.syslog_socket), "%s", f->sock);
	snprintf(f->cfg.alert_json_file, sizeof(f->cfg.alert_json_file), "%s", f->json);
	snprintf(f->cfg.sendmail_cmd, sizeof(f->cfg.sendmail_cmd), "%s", f->sendmail);
	snprintf(f->cfg.whois_cmd, sizeof(f->cfg.whois_cmd), "%s", f->whois);
	f->cfg.enable_dns_lookups = false;
	f->cfg.enable_whois_lookups = false;
	*state = f;
	return 0;
}

static void fix_start(struct fix *f)
{
	assert_int_equal(alerter_new(&f->cfg, &f->a), 0);
	alerter_set_lookup(f->a, fix_lookup, f);
	alerter_on_mailed(f->a, fix_mailed, f);
}

static int fix_teardown(void **state)
{
	struct fix *f = *state;
	char cmd[256];

	f->a = alerter_free(f->a);
	for (size_t i = 0; i < f->n_srcs; i++) {
		free(f->srcs[i]->intel); /* calloc'd by the tests that need one */
		f->srcs[i]->intel = NULL;
		source_free(f->srcs[i]);
	}
	close(f->srv);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Datagrams waiting on the test socket, at most max, into lines[]. */
static size_t recv_all(struct fix *f, char lines[][2048], size_t max)
{
	size_t n = 0;

	while (n < max) {
		ssize_t r = recv(f->srv, lines[n], 2047, MSG_DONTWAIT);
		if (r < 0)
			break;
		lines[n++][r] = '\0';
	}
	return n;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return buf;
}

/* ALERT_JSON_FILE, every line checked */
static char *slurp_json(const struct fix *f)
{
	char *j = slurp(f->json);

	json_lines_valid(j);
	return j;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static void change_pair(struct fix *f, struct source_state *s, struct pair_state *p, int old_dl,
			int new_dl, int64_t now)
{
	struct engine_change c = { .kind = ENGINE_CHANGE_LEVEL, .src = s, .dst = p,
				   .old_dl = old_dl, .new_dl = new_dl };
	alerter_change(f->a, &c, now);
}

static void change_src(struct fix *f, struct source_state *s, int new_dl, int64_t now)
{
	struct engine_change c = { .kind = ENGINE_CHANGE_LEVEL, .src = s, .new_dl = new_dl };
	alerter_change(f->a, &c, now);
}

static void test_syslog_and_json(void **state)
{
	struct fix *f = *state;
	char lines[8][2048], want[256];
	struct alert_counters c;
	char *j;

	fix_start(f);
	f->srcs[f->n_srcs++] = syn_source();
	change_pair(f, f->srcs[0], f->srcs[0]->pairs[0], 0, 4, T0);
	change_src(f, f->srcs[0], 4, T0);
	alerter_flush(f->a, NULL, T0);
	assert_int_equal(recv_all(f, lines, 8), 1);
	/* daemon.info = 30; the pair explains the source's rise: one line */
	snprintf(want, sizeof(want), "<30>Dec  6 07:00:00 vigil[%ld]: scan detected (nmap -sS): "
				     "198.51.100.7 -> 203.0.113.2 tcp: [1-65301] flags: SYN tcp "
				     "pkts: 1532 DL: 4 total scan dsts: 1", (long)getpid());
	assert_string_equal(lines[0], want);
	j = slurp_json(f);
	assert_non_null(j);
	if (getenv("ALERT_TEST_SHOW"))
		fputs(j, stderr);
	assert_int_equal(count_lines(j), 1);
	assert_non_null(strstr(j, "\"type\":\"scan\""));
	assert_non_null(strstr(j, "\"danger_level\":4"));
	free(j);

	/* a signature's first match */
	struct engine_change sg = { .kind = ENGINE_CHANGE_SIGNATURE, .src = f->srcs[0],
				    .sig_id = 384, .sig_msg = "ICMP PING", .sig_dl = 2 };
	alerter_change(f->a, &sg, T0);
	alerter_flush(f->a, NULL, T0 + 1);
	assert_int_equal(recv_all(f, lines, 8), 1);
	assert_non_null(strstr(lines[0], "vigil["));
	assert_non_null(strstr(lines[0], "]: src: 198.51.100.7 signature match: \"ICMP PING\" (sid: 384)"));
	j = slurp_json(f);
	assert_int_equal(count_lines(j), 2);
	assert_non_null(strstr(j, "\"sid\":384,\"msg\":\"ICMP PING\""));
	free(j);

	/* logrotate: the file is renamed, reopen writes a new one */
	char moved[160];
	snprintf(moved, sizeof(moved), "%s.1", f->json);
	assert_int_equal(rename(f->json, moved), 0);
	alerter_reopen(f->a);
	change_pair(f, f->srcs[0], f->srcs[0]->pairs[0], 4, 5, T0);
	f->srcs[0]->pairs[0]->dl = 5;
	alerter_flush(f->a, NULL, T0 + 2);
	j = slurp_json(f);
	assert_int_equal(count_lines(j), 1);
	assert_non_null(strstr(j, "\"danger_level\":5"));
	free(j);

	assert_int_equal(recv_all(f, lines, 8), 1);

	/* SIGHUP (a reload) reopens it too, and keeps the counters */
	assert_int_equal(rename(f->json, moved), 0);
	assert_int_equal(alerter_set_config(f->a, &f->cfg), 0);
	change_pair(f, f->srcs[0], f->srcs[0]->pairs[0], 4, 5, T0);
	alerter_flush(f->a, NULL, T0 + 3);
	j = slurp_json(f);
	assert_int_equal(count_lines(j), 1);
	free(j);
	alerter_counters(f->a, &c);
	assert_int_equal(c.alerts, 4);
	assert_int_equal(c.syslog_sent, 4);
	assert_int_equal(c.json_written, 4);
	assert_int_equal(c.json_errors, 0);
	assert_int_equal(recv_all(f, lines, 8), 1);
}

/* A 200-destination sweep raises one alert, not 200. */
static void test_sweep_coalesced(void **state)
{
	struct fix *f = *state;
	struct source_state *s = source_new("198.51.100.9", 3, 200);
	char lines[8][2048], dst[32];
	struct alert_counters c;
	char *j;

	fix_start(f);
	f->srcs[f->n_srcs++] = s;
	for (unsigned i = 0; i < 200; i++) {
		snprintf(dst, sizeof(dst), "203.0.113.%u", i + 1);
		struct pair_state *p = source_add_pair(s, dst, 1);
		tcp(p, 22, 22, 5);
		flags(p, TCPF_SYN, 5);
		p->scan_types = 1u << SCAN_SYN;
	}
	s->sweep_dl = 3;
	s->scan_types = 1u << SCAN_SYN | 1u << SCAN_SWEEP;
	for (unsigned i = 0; i < 200; i++) {
		change_pair(f, s, s->pairs[i], 0, 1, T0);
		if (i == 50 || i == 150)
			change_src(f, s, i == 50 ? 2 : 3, T0);
	}
	alerter_flush(f->a, NULL, T0);
	assert_int_equal(recv_all(f, lines, 8), 1);
	assert_non_null(strstr(lines[0], "scan detected (nmap -sS, SWEEP): 198.51.100.9 -> "
					 "203.0.113.200 tcp: [22] flags: SYN tcp pkts: 5 DL: 3 "
					 "total scan dsts: 200"));
	j = slurp_json(f);
	assert_int_equal(count_lines(j), 1);
	assert_non_null(strstr(j, "\"coalesced\":200"));
	free(j);
	alerter_counters(f->a, &c);
	assert_int_equal(c.alerts, 1);
	assert_int_equal(c.coalesced, 199);

	/* a sweep no destination explains (each pair below DL 1) */
	for (unsigned i = 0; i < 200; i++)
		s->pairs[i]->dl = 0;
	s->dl = s->sweep_dl = 4;
	struct engine_change ch = { .kind = ENGINE_CHANGE_LEVEL, .src = s, .new_dl = 4 };
	struct event ev = { 0 };
	ev.host = span_make("fw\n2", 4);
	ev.src = s->src;
	ev.dst = s->pairs[199]->dst;
	ch.ev = &ev;
	alerter_change(f->a, &ch, T0);
	alerter_flush(f->a, NULL, T0);
	assert_int_equal(recv_all(f, lines, 8), 1);
	assert_non_null(strstr(lines[0], "-> 203.0.113.200 tcp: [22] flags: SYN tcp pkts: 5 DL: 4 "
					 "total scan dsts: 200"));
	j = slurp_json(f);
	assert_non_null(strstr(j, "\"log_host\":\"fw\\\\x0a2\""));
	free(j);

	/* an expired source's queued changes are dropped */
	change_pair(f, s, s->pairs[0], 0, 1, T0);
	struct engine_change ex = { .kind = ENGINE_CHANGE_EXPIRED, .src = s, .old_dl = 4,
				    .new_dl = 4 };
	alerter_change(f->a, &ex, T0);
	alerter_flush(f->a, NULL, T0);
	assert_int_equal(recv_all(f, lines, 8), 0);
	alerter_counters(f->a, &c);
	assert_int_equal(c.dropped_expired, 1);
}

/* A sweep seen over many wake-ups, as the engine reports it: past each
 * DLn_UNIQUE_HOSTS (10/20/50/100) every destination is raised to the sweep's
 * level, and each later destination arrives at that level on its own. One
 * line per level, not one per destination. */
static void test_slow_sweep(void **state)
{
	static const unsigned hosts[] = { 10, 20, 50, 100 };
	struct fix *f = *state;
	struct source_state *s = source_new("198.51.100.10", 0, 200);
	char lines[8][2048], dst[32];
	size_t said = 0;
	struct alert_counters c;

	fix_start(f);
	f->srcs[f->n_srcs++] = s;
	for (unsigned i = 0; i < 200; i++) {
		uint8_t sweep = 0;
		snprintf(dst, sizeof(dst), "203.0.113.%u", i + 1);
		struct pair_state *p = source_add_pair(s, dst, 0);
		tcp(p, 443, 443, 1);
		flags(p, TCPF_SYN, 1);
		p->scan_types = 1u << SCAN_SYN;
		for (unsigned k = 0; k < 4; k++)
			sweep += s->n_pairs >= hosts[k];
		if (sweep > s->sweep_dl) {
			s->sweep_dl = sweep;
			s->scan_types |= 1u << SCAN_SYN | 1u << SCAN_SWEEP;
			for (uint32_t k = 0; k < s->n_pairs; k++) {
				uint8_t old = s->pairs[k]->dl;
				s->pairs[k]->dl = sweep;
				change_pair(f, s, s->pairs[k], old, sweep, T0 + i);
			}
			s->dl = sweep;
			change_src(f, s, sweep, T0 + i);
		} else if (sweep) {
			p->dl = sweep;
			change_pair(f, s, p, 0, sweep, T0 + i);
		}
		alerter_flush(f->a, NULL, T0 + i);
		size_t n = recv_all(f, lines, 8);
		for (size_t k = 0; k < n; k++) {
			char want[64];
			snprintf(want, sizeof(want), " DL: %u total scan dsts: %u", sweep, i + 1);
			if (!strstr(lines[k], want))
				fail_msg("after %u destinations: %s", i + 1, lines[k]);
		}
		said += n;
	}
	assert_int_equal(said, 4);
	alerter_counters(f->a, &c);
	assert_int_equal(c.alerts, 4);
}

/* The bookkeeping survives a restart: the sweep level announced and the
 * mails counted; a damaged buffer is refused whole. */
static void test_save_restore(void **state)
{
	struct fix *f = *state;
	struct source_state *s = syn_source();
	struct alert_counters c;
	char lines[8][2048];
	void *buf;
	size_t len;
	const char *why = NULL;

	f->cfg.enable_email_alerts = true;
	f->cfg.email_limit = 1;
	fix_start(f);
	f->srcs[f->n_srcs++] = s;
	s->sweep_dl = 4; /* the pair's DL 4 line announces the sweep too */
	change_pair(f, s, s->pairs[0], 0, 4, T0);
	alerter_flush(f->a, NULL, T0);
	alerter_drain(f->a);
	assert_int_equal(recv_all(f, lines, 8), 2); /* the alert, "email limit reached" */
	assert_int_equal(alerter_save(f->a, &buf, &len), 0);
	assert_int_equal(len, 20 + 42);
	f->a = alerter_free(f->a);

	fix_start(f);
	uint8_t *bad = malloc(len);
	assert_non_null(bad);
	memcpy(bad, buf, len);
	assert_int_equal(alerter_restore(f->a, bad, len - 1, &why), -EINVAL);
	assert_string_equal(why, "alert bookkeeping of the wrong length");
	bad[24] = 9; /* the record's address family */
	assert_int_equal(alerter_restore(f->a, bad, len, &why), -EINVAL);
	assert_string_equal(why, "alert bookkeeping with a bad record");
	bad[0] = 'X';
	assert_int_equal(alerter_restore(f->a, bad, len, &why), -EINVAL);
	free(bad);
	assert_int_equal(alerter_restore(f->a, buf, len, &why), 0);
	free(buf);
	/* a destination the sweep raised to DL 4 after the restart: no line;
	 * EMAIL_LIMIT 1 was reached before it: no mail */
	struct pair_state *p = source_add_pair(s, "203.0.113.77", 4);
	tcp(p, 22, 22, 1);
	change_pair(f, s, p, 0, 4, T0 + 10);
	alerter_flush(f->a, NULL, T0 + 10);
	assert_int_equal(recv_all(f, lines, 8), 0);
	change_pair(f, s, s->pairs[0], 4, 5, T0 + 20);
	s->pairs[0]->dl = 5;
	alerter_flush(f->a, NULL, T0 + 20);
	alerter_drain(f->a);
	assert_int_equal(recv_all(f, lines, 8), 1);
	alerter_counters(f->a, &c);
	assert_int_equal(c.mails_sent, 0);
	assert_int_equal(c.mails_suppressed_source, 1);
}

struct many {
	struct source_state *s[600];
	size_t n;
};

static const struct source_state *many_lookup(const struct engine *e, uint32_t origin,
					      const struct addr *src, void *data)
{
	struct many *m = data;

	(void)e;
	(void)origin;
	for (size_t i = 0; i < m->n; i++)
		if (addr_eq(&m->s[i]->src, src))
			return m->s[i];
	return NULL;
}

/* More sources than the queue holds in one wake-up: the first
 * ALERT_PENDING_MAX are said, the rest counted. */
static void test_queue_overflow(void **state)
{
	struct fix *f = *state;
	struct many *m = calloc(1, sizeof(*m));
	struct alert_counters c;
	char name[32], lines[8][2048];
	size_t got = 0, n;

	assert_non_null(m);
	fix_start(f);
	alerter_set_lookup(f->a, many_lookup, m);
	for (unsigned i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "198.18.%u.%u", i / 250, i % 250 + 1);
		m->s[m->n++] = source_new(name, 1, 1);
		struct pair_state *p = source_add_pair(m->s[i], "203.0.113.1", 1);
		tcp(p, 1, 9, 9);
		change_pair(f, m->s[i], p, 0, 1, T0);
	}
	alerter_flush(f->a, NULL, T0);
	/* the reader drains while the backlog is flushed, as the loop does on EPOLLOUT */
	for (int k = 0; k < 100000; k++) {
		n = recv_all(f, lines, 8);
		got += n;
		alerter_counters(f->a, &c);
		if (n == 0 && c.syslog_waiting == 0)
			break;
		alerter_syslog_writable(f->a, T0);
	}
	alerter_counters(f->a, &c);
	assert_int_equal(c.syslog_waiting, 0);
	assert_int_equal(c.alerts, ALERT_PENDING_MAX);
	assert_int_equal(c.queue_overflow, 600 - ALERT_PENDING_MAX);
	assert_int_equal(got + c.syslog_dropped, ALERT_PENDING_MAX);
	for (size_t i = 0; i < m->n; i++)
		source_free(m->s[i]);
	free(m);
}

/* Below MIN_DANGER_LEVEL nothing is said; a vanished source is counted. */
static void test_min_dl_and_vanished(void **state)
{
	struct fix *f = *state;
	struct source_state *s = syn_source();
	struct source_state *gone = source_new("198.51.100.99", 2, 1);
	char lines[4][2048];
	struct alert_counters c;

	f->cfg.min_danger_level = 5;
	fix_start(f);
	f->srcs[f->n_srcs++] = s;
	change_pair(f, s, s->pairs[0], 0, 4, T0);
	change_src(f, gone, 2, T0);
	alerter_flush(f->a, NULL, T0);
	assert_int_equal(recv_all(f, lines, 4), 0);
	alerter_counters(f->a, &c);
	assert_int_equal(c.alerts, 0);
	assert_int_equal(c.vanished, 1);
	source_free(gone);
}

/* A syslogd that goes away costs no line and no stall: lines wait (bounded)
 * and go out, in order, once it is back and reconnected. */
static void test_syslog_reconnect(void **state)
{
	struct fix *f = *state;
	struct source_state *s = syn_source();
	char lines[4][2048];
	struct alert_counters c;

	fix_start(f);
	f->srcs[f->n_srcs++] = s;
	change_pair(f, s, s->pairs[0], 0, 4, T0);
	alerter_flush(f->a, NULL, T0);
	assert_int_equal(recv_all(f, lines, 4), 1);
	close(f->srv);
	unlink(f->sock);
	change_pair(f, s, s->pairs[0], 0, 4, T0 + 1000);
	alerter_flush(f->a, NULL, T0 + 1000);
	alerter_counters(f->a, &c);
	assert_int_equal(c.syslog_dropped, 0);
	assert_int_equal(c.syslog_waiting, 1);
	alerter_syslog_writable(f->a, T0 + 2000); /* still away: it keeps waiting */
	alerter_counters(f->a, &c);
	assert_int_equal(c.syslog_waiting, 1);
	f->srv = srv_bind(f);
	alerter_syslog_writable(f->a, T0 + 3000000); /* the daemon's 1 s tick */
	assert_int_equal(recv_all(f, lines, 4), 1);
	change_pair(f, s, s->pairs[0], 0, 4, T0 + 3000001);
	alerter_flush(f->a, NULL, T0 + 3000001);
	assert_int_equal(recv_all(f, lines, 4), 1);
	alerter_counters(f->a, &c);
	assert_int_equal(c.syslog_sent, 3);
	assert_int_equal(c.syslog_dropped, 0);
	assert_int_equal(c.syslog_waiting, 0);
}

/* The receiving end fills up (a reader's queue holds 10 datagrams by
 * default): lines wait in the backlog and go out in order as it drains;
 * only a full backlog drops a line, counted. */
static void test_syslog_full(void **state)
{
	struct fix *f = *state;
	struct logsock ls;
	char msg[1500], got[2048];
	int r = 0, i;
	uint64_t next = 0;

	memset(msg, 'x', sizeof(msg));
	assert_int_equal(logsock_init(&ls, f->sock, "LOG_LOCAL7", "LOG_NOTICE"), 0);
	assert_int_equal(ls.pri, (23 << 3) | 5);
	for (i = 0; i < 100000 && r == 0; i++) {
		snprintf(msg, 12, "%010d", i);
		msg[10] = 'x';
		r = logsock_send(&ls, msg, sizeof(msg), T0);
	}
	assert_int_equal(r, -EAGAIN);
	assert_int_equal(ls.dropped, 1);
	assert_int_equal(ls.n_backlog, LOGSOCK_BACKLOG);
	assert_int_equal(ls.sent + LOGSOCK_BACKLOG, (uint64_t)i - 1);
	assert_true(logsock_fd(&ls) >= 0);
	/* drain the reader while flushing: every line once, in order */
	for (int k = 0; k < 1000000 && next < (uint64_t)i - 1; k++) {
		ssize_t n = recv(f->srv, got, sizeof(got) - 1, MSG_DONTWAIT);
		if (n < 0) {
			logsock_flush(&ls, T0);
			continue;
		}
		got[n] = '\0';
		const char *body = strstr(got, "]: ");
		assert_non_null(body);
		assert_int_equal(strtoull(body + 3, NULL, 10), next);
		next++;
	}
	assert_int_equal(next, (uint64_t)i - 1);
	assert_int_equal(ls.n_backlog, 0);
	assert_int_equal(logsock_fd(&ls), -1);
	assert_int_equal(ls.sent, (uint64_t)i - 1);
	logsock_close(&ls);
}

static int hostile_dns(const struct addr *a, char *name, size_t size)
{
	(void)a;
	snprintf(name, size, "evil.example\n<13>vigil: fake\x1b[2J");
	return 0;
}

static void test_mail(void **state)
{
	struct fix *f = *state;
	struct source_state *s = syn_source();
	struct alert_counters c;
	char *argv, *body;

	f->cfg.enable_email_alerts = true;
	f->cfg.enable_dns_lookups = true;
	f->cfg.enable_whois_lookups = true;
	f->cfg.whois_timeout = 5;
	snprintf(f->cfg.email_addresses, sizeof(f->cfg.email_addresses), "a@example.org,b@example.org");
	fix_start(f);
	alerter_set_dns_fn(f->a, hostile_dns);
	f->srcs[f->n_srcs++] = s;
	s->intel = calloc(1, sizeof(*s->intel));
	assert_non_null(s->intel);
	static const char *os[] = { "Linux:2.6" };
	s->intel->os = os;
	s->intel->n_os = 1;
	change_pair(f, s, s->pairs[0], 0, 4, T0);
	alerter_flush(f->a, NULL, T0);
	alerter_drain(f->a);
	s->intel->n_os = 0; /* os[] is static */
	alerter_counters(f->a, &c);
	assert_int_equal(c.mails_sent, 1);
	assert_int_equal(c.mails_failed, 0);
	assert_int_equal(c.dns_lookups, 1);
	assert_int_equal(c.whois_lookups, 1);
	assert_int_equal(f->mailed, 1);
	argv = slurp(f->argv_file);
	assert_string_equal(argv, "-t -oi\n");
	body = slurp(f->body_file);
	if (getenv("ALERT_TEST_SHOW"))
		fputs(body, stderr);
	static const char *const want[] = {
		"To: a@example.org,b@example.org\n",
		"Subject: [vigil-alert] DL4 src: 198.51.100.7 dst: 203.0.113.2\n",
		"Auto-Submitted: auto-generated\n",
		"       Danger level: [4] (out of 5)\n",
		"             Source: 198.51.100.7\n",
		"                DNS: evil.example\\x0a<13>vigil: fake\\x1b[2J (not a valid host name",
		"           OS guess: Linux:2.6\n",
		"   scan detected (nmap -sS): 198.51.100.7 -> 203.0.113.2 tcp: [1-65301]",
		"        Destination: 203.0.113.2\n",
		" Complete TCP range: [1-65301: 1532 packets]\n",
		"          TCP flags: [SYN: 1532 packets, Nmap: -sS]\n",
		"[+] Whois Information:\n   inetnum: 198.51.100.7\n   \\x1b[2Jnetname: EVIL\n",
		"   <13>vigil: forged\n",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(body, want[i]))
			fail_msg("missing '%s' in mail:\n%s", want[i], body);
	assert_null(strstr(body, "\n<13>")); /* every hostile line is indented or escaped */
	assert_null(strchr(body, '\x1b'));
	assert_null(strchr(body, '\r'));
	free(argv);
	free(body);
}

/* EMAIL_LIMIT: the last mail says so; later alerts are counted, not mailed;
 * never a "limit reached" mail without an earlier one. */
static void test_email_limit(void **state)
{
	struct fix *f = *state;
	struct source_state *s = syn_source();
	struct alert_counters c;
	char lines[16][2048], *body;
	size_t n, limit_lines = 0;

	f->cfg.enable_email_alerts = true;
	f->cfg.email_limit = 2;
	fix_start(f);
	f->srcs[f->n_srcs++] = s;
	for (int i = 0; i < 4; i++) {
		change_pair(f, s, s->pairs[0], 0, 4, T0 + i);
		alerter_flush(f->a, NULL, T0 + i);
	}
	alerter_drain(f->a);
	alerter_counters(f->a, &c);
	assert_int_equal(c.mails_sent, 2);
	assert_int_equal(c.mails_suppressed_source, 2);
	assert_int_equal(c.alerts, 4);
	body = slurp(f->body_file);
	assert_int_equal(strstr(strstr(body, "--END--") + 1, "--END--") != NULL, 1);
	assert_non_null(strstr(body, "This is the last mail about 198.51.100.7 (EMAIL_LIMIT 2)"));
	assert_non_null(strstr(body, "Total email alerts: 1\n"));
	assert_non_null(strstr(body, "Total email alerts: 2\n"));
	free(body);
	n = recv_all(f, lines, 16);
	for (size_t i = 0; i < n; i++)
		limit_lines += strstr(lines[i], "email limit reached for src: 198.51.100.7") != NULL;
	assert_int_equal(n, 5);
	assert_int_equal(limit_lines, 1);
}

/* EMAIL_MAX_PER_HOUR: over it alerts are counted and the next mail says so. */
static void test_email_global_limit(void **state)
{
	struct fix *f = *state;
	struct alert_counters c;
	char *body;

	f->cfg.enable_email_alerts = true;
	f->cfg.email_max_per_hour = 1;
	fix_start(f);
	f->srcs[f->n_srcs++] = syn_source();
	f->srcs[f->n_srcs++] = source_new("198.51.100.8", 2, 1);
	struct pair_state *p = source_add_pair(f->srcs[1], "203.0.113.3", 2);
	udp(p, 7, 9, 20);
	p->scan_types = 1u << SCAN_UDP;
	change_pair(f, f->srcs[0], f->srcs[0]->pairs[0], 0, 4, T0);
	change_pair(f, f->srcs[1], p, 0, 2, T0);
	alerter_flush(f->a, NULL, T0);
	alerter_counters(f->a, &c);
	assert_int_equal(c.mails_suppressed_global, 1);
	/* an hour later the bucket is full again */
	change_pair(f, f->srcs[1], p, 0, 2, T0 + INT64_C(3600000000));
	alerter_flush(f->a, NULL, T0 + INT64_C(3600000000));
	alerter_drain(f->a);
	alerter_counters(f->a, &c);
	assert_int_equal(c.mails_sent, 2);
	body = slurp(f->body_file);
	assert_non_null(strstr(body, "[+] Not mailed: 1 earlier alerts about 198.51.100.8 and 1 "
				     "about all sources (EMAIL_MAX_PER_HOUR 1)"));
	free(body);
}

/* A failing sendmail is counted, and nothing waits on it. */
static void test_mail_failure(void **state)
{
	struct fix *f = *state;
	struct alert_counters c;

	f->cfg.enable_email_alerts = true;
	snprintf(f->cfg.sendmail_cmd, sizeof(f->cfg.sendmail_cmd), "%s/missing", f->dir);
	fix_start(f);
	f->srcs[f->n_srcs++] = syn_source();
	change_pair(f, f->srcs[0], f->srcs[0]->pairs[0], 0, 4, T0);
	alerter_flush(f->a, NULL, T0);
	alerter_drain(f->a);
	alerter_counters(f->a, &c);
	assert_int_equal(c.mails_failed, 1);
	assert_int_equal(c.mails_sent, 0);
	assert_int_equal(f->mailed, 0);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A whois that hangs delays neither the syslog line nor the JSON line, and
 * stopping the alerter does not wait for it. */
static void test_hung_whois(void **state)
{
	struct fix *f = *state;
	char lines[4][2048];
	int64_t t;

	write_script(f->whois, "#!/bin/sh\nexec sleep 30\n");
	f->cfg.enable_email_alerts = true;
	f->cfg.enable_whois_lookups = true;
	f->cfg.whois_timeout = 60;
	fix_start(f);
	f->srcs[f->n_srcs++] = syn_source();
	change_pair(f, f->srcs[0], f->srcs[0]->pairs[0], 0, 4, T0);
	t = mono_ms();
	alerter_flush(f->a, NULL, T0);
	assert_true(mono_ms() - t < 500);
	assert_int_equal(recv_all(f, lines, 4), 1);
	char *j = slurp_json(f);
	assert_int_equal(count_lines(j), 1);
	free(j);
	(void)poll(NULL, 0, 300); /* the worker is in whois now */
	t = mono_ms();
	f->a = alerter_free(f->a);
	assert_true(mono_ms() - t < 3000);
	assert_null(slurp(f->body_file)); /* no mail went out */
}

/* A real syslog daemon (a private rsyslogd on its own socket, never
 * /dev/log) reads the lines as ident vigil, the configured facility and
 * priority, and the message intact. Skipped when rsyslogd is missing. */
static void test_real_rsyslogd(void **state)
{
	struct fix *f = *state;
	char conf[160], out[160], pidf[160], text[1024];
	FILE *fp;
	pid_t pid;
	char *got = NULL;

	if (access("/usr/sbin/rsyslogd", X_OK) != 0)
		skip();
	snprintf(conf, sizeof(conf), "%s/rsyslog.conf", f->dir);
	snprintf(out, sizeof(out), "%s/messages", f->dir);
	snprintf(pidf, sizeof(pidf), "%s/rsyslogd.pid", f->dir);
	close(f->srv); /* rsyslogd binds the socket instead */
	unlink(f->sock);
	f->srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	snprintf(text, sizeof(text),
		 "global(workDirectory=\"%s\")\n"
		 "module(load=\"imuxsock\" SysSock.Use=\"off\")\n"
		 "input(type=\"imuxsock\" Socket=\"%s\")\n"
		 "template(name=\"t\" type=\"string\" string=\"%%syslogfacility-text%%.%%syslogseverity-text%% "
		 "%%programname%%[%%procid%%]:%%msg%%\\n\")\n"
		 "*.* action(type=\"omfile\" file=\"%s\" template=\"t\")\n",
		 f->dir, f->sock, out);
	fp = fopen(conf, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/usr/sbin/rsyslogd", "rsyslogd", "-n", "-f", conf, "-i", pidf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100 && access(f->sock, F_OK) != 0; i++)
		(void)poll(NULL, 0, 50);
	strcpy(f->cfg.syslog_facility, "LOG_LOCAL3");
	strcpy(f->cfg.syslog_priority, "LOG_NOTICE");
	fix_start(f);
	f->srcs[f->n_srcs++] = syn_source();
	change_pair(f, f->srcs[0], f->srcs[0]->pairs[0], 0, 4, T0);
	alerter_flush(f->a, NULL, T0);
	for (int i = 0; i < 100; i++) {
		free(got);
		got = slurp(out);
		if (got && strchr(got, '\n'))
			break;
		(void)poll(NULL, 0, 50);
	}
	kill(pid, SIGTERM);
	(void)waitpid(pid, NULL, 0);
	snprintf(text, sizeof(text), "local3.notice vigil[%ld]: scan detected (nmap -sS): "
				     "198.51.100.7 -> 203.0.113.2 tcp: [1-65301] flags: SYN tcp "
				     "pkts: 1532 DL: 4 total scan dsts: 1\n", (long)getpid());
	assert_non_null(got);
	/* (rsyslog keeps the space after "vigil[PID]:" in %msg%) */
	assert_string_equal(got, text);
	free(got);
}

static size_t fix_top(const struct engine *e, size_t n, const struct source_state **ret,
		      void *data)
{
	struct fix *f = data;

	(void)e;
	if (n > f->n_srcs)
		n = f->n_srcs;
	memcpy(ret, f->srcs, n * sizeof(*ret));
	return n;
}

static void test_digest(void **state)
{
	struct fix *f = *state;
	struct alert_counters c;
	char *body;

	f->cfg.enable_email_alerts = true;
	f->cfg.email_alert_danger_level = 5; /* no per-source mail at DL 4 */
	f->cfg.digest_interval = 60;
	fix_start(f);
	alerter_set_top(f->a, fix_top, f);
	f->srcs[f->n_srcs++] = syn_source();
	struct engine_change sg = { .kind = ENGINE_CHANGE_SIGNATURE, .src = f->srcs[0],
				    .sig_id = 384, .sig_msg = "ICMP PING", .sig_dl = 2 };
	alerter_change(f->a, &sg, T0);
	alerter_flush(f->a, NULL, T0);
	alerter_tick(f->a, NULL, T0);
	alerter_tick(f->a, NULL, T0 + 59000000);
	alerter_drain(f->a);
	alerter_counters(f->a, &c);
	assert_int_equal(c.digests_sent, 0);
	alerter_tick(f->a, NULL, T0 + 61000000);
	alerter_drain(f->a);
	alerter_counters(f->a, &c);
	assert_int_equal(c.digests_sent, 1);
	assert_int_equal(c.mails_sent, 0);
	body = slurp(f->body_file);
	assert_non_null(strstr(body, "Subject: [vigil-digest] "));
	assert_non_null(strstr(body, "Alerts since the last digest: 1\n"));
	assert_non_null(strstr(body, "   DL 4  198.51.100.7"));
	assert_non_null(strstr(body, "   198.51.100.7: \"ICMP PING\" (sid: 384, DL 2)\n"));
	free(body);
}

/* A bad ALERT_JSON_FILE is an error at start and at reload (old kept). */
static void test_config_errors(void **state)
{
	struct fix *f = *state;
	struct alerter *a = NULL;
	struct config bad = f->cfg;

	snprintf(bad.alert_json_file, sizeof(bad.alert_json_file), "%s/no/such/dir/a.json", f->dir);
	assert_int_equal(alerter_new(&bad, &a), -ENOENT);
	assert_null(a);
	fix_start(f);
	assert_int_equal(alerter_set_config(f->a, &bad), -ENOENT);
	f->srcs[f->n_srcs++] = syn_source();
	change_pair(f, f->srcs[0], f->srcs[0]->pairs[0], 0, 4, T0);
	alerter_flush(f->a, NULL, T0);
	char *j = slurp_json(f);
	assert_int_equal(count_lines(j), 1);
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_line_contract),
		cmocka_unit_test(test_scan_line_variants),
		cmocka_unit_test(test_sig_line),
		cmocka_unit_test(test_json_scan_fields),
		cmocka_unit_test(test_json_sig_fields),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test_setup_teardown(test_syslog_and_json, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_sweep_coalesced, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_slow_sweep, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_save_restore, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_queue_overflow, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_min_dl_and_vanished, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_syslog_reconnect, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_syslog_full, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_mail, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_email_limit, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_email_global_limit, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_mail_failure, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_digest, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_hung_whois, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_real_rsyslogd, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_config_errors, fix_setup, fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
